// Adapter: ledger (see backends.h). One translation unit per part: the
// parts' public headers are not all compatible with each other in one unit.
#include "pipeline/backends.h"

#if TOLLGATE_HAVE_LEDGER
#include "tollgate/ledger.h"
#endif

namespace tollgate::backends {

namespace {

[[maybe_unused]] Status Unavailable(const std::string& what) {
  return FailedPrecondition(what + " is not available in this build");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Ledger

#if TOLLGATE_HAVE_LEDGER
namespace {

class LedgerAdapter : public LedgerSession {
 public:
  explicit LedgerAdapter(std::unique_ptr<Ledger> l) : ledger_(std::move(l)) {}

  bool IsCleared(const PartyHit& hit) override {
    auto r = ledger_->IsCleared(hit.party_name, hit.list, hit.entry_id);
    return r.ok() && *r;
  }

  Result<std::string> Record(const std::vector<LineDecision>& lines, const FxTable* fx,
                             const std::string& recorded_by) override {
    std::vector<DecidedLine> batch;
    batch.reserve(lines.size());
    for (const auto& r : lines) {
      const OrderLine& l = r.line;
      DecidedLine d;
      d.order_id = l.order_id;
      d.line = l.line;
      d.date = l.date;
      d.exporter = l.exporter;
      d.item = r.item.id.empty() ? l.item : r.item.id;
      d.quantity = l.quantity;
      d.unit_price = l.unit_price;
      d.currency = l.currency;
      d.ship_from = l.ship_from;
      d.destination = l.destination;
      d.consignee = l.consignee;
      d.consignee_country = l.consignee_country;
      d.end_user = l.end_user;
      d.end_user_country = l.end_user_country;
      d.end_user_hq = l.end_user_hq;
      d.end_use = std::string(EndUseName(l.end_use));
      d.licence = l.licence;
      d.customs_value = l.customs_value;
      d.input_json = OrderLineToJson(l);
      d.decision = r.decision;
      if (fx) {
        auto rate = fx->RateOn(l.currency, l.date);
        if (rate.ok()) d.usd_rate = rate->rate_to_usd;
      }
      d.recorded_by = recorded_by;
      batch.push_back(std::move(d));
    }
    TG_ASSIGN_OR_RETURN(RecordReport rep, ledger_->RecordBatch(batch));
    return "recorded " + std::to_string(rep.recorded) + " line(s), " +
           std::to_string(rep.already_present) + " already present; ledger head " +
           std::to_string(rep.head_seq) + " " + rep.head_hash;
  }

 private:
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace

Result<std::unique_ptr<LedgerSession>> OpenLedger(const std::string& location) {
  auto l = Ledger::Open(Ledger::DefaultLocation(location));
  if (!l.ok()) return l.status();
  return std::unique_ptr<LedgerSession>(new LedgerAdapter(std::move(l).value()));
}
#else
Result<std::unique_ptr<LedgerSession>> OpenLedger(const std::string&) {
  return Unavailable("the ledger");
}
#endif

}  // namespace tollgate::backends
