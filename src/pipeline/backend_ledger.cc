// Adapter: ledger (see backends.h). One translation unit per part: the
// parts' public headers are not all compatible with each other in one unit.
#include "pipeline/backends.h"

#include <algorithm>
#include <iterator>

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

  // An error from part k of a job split into transactions of `limit` lines, saying which
  // lines it covers and how many were recorded before it.
  static Status PartError(const Status& s, size_t k, size_t limit, size_t total,
                          int64_t recorded_before) {
    if (total <= limit) return s;
    const std::string where = "order lines " + std::to_string(k * limit + 1) + ".." +
                              std::to_string(std::min(total, (k + 1) * limit)) + " of " +
                              std::to_string(total) + " (recorded in transactions of " +
                              std::to_string(limit) + "; " + std::to_string(recorded_before) +
                              " line(s) recorded before them)";
    if (s.diagnostics().empty()) return Status(s.code(), where + ": " + s.message());
    std::vector<Diagnostic> ds = s.diagnostics();
    Diagnostic note;
    note.severity = Diagnostic::Severity::kNote;
    note.message = where;
    ds.push_back(std::move(note));
    return Status::FromDiagnostics(s.code(), std::move(ds));
  }

  bool IsCleared(const PartyHit& hit) override {
    auto r = ledger_->IsCleared(hit.party_name, hit.list, hit.entry_id);
    return r.ok() && *r;
  }

  Result<std::string> Record(const std::vector<LineDecision>& lines, const FxTable* fx,
                             const std::string& recorded_by, size_t chunk) override {
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
    // One transaction when the batch fits. A larger one is recorded in transactions of
    // `chunk` lines (at most the ledger's limit) after every one of them was checked
    // (PreviewBatch: bad lines, lines recorded before with different content), so that
    // nothing is recorded when any line would be refused. Only a writer recording a
    // conflicting line in between can stop it midway; running it again completes it
    // (recording is idempotent).
    const size_t max = std::max<size_t>(1, ledger_->options().max_batch_lines);
    const size_t limit = chunk == 0 ? max : std::min(chunk, max);
    std::vector<std::vector<DecidedLine>> parts;
    for (size_t i = 0; i < batch.size(); i += limit) {
      auto end = batch.begin() + static_cast<std::ptrdiff_t>(std::min(batch.size(), i + limit));
      parts.emplace_back(std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(i)),
                         std::make_move_iterator(end));
    }
    if (parts.size() > 1) {
      for (size_t k = 0; k < parts.size(); ++k) {
        auto preview = ledger_->PreviewBatch(parts[k]);
        if (!preview.ok()) return PartError(preview.status(), k, limit, batch.size(), 0);
      }
    }
    int64_t recorded = 0, present = 0;
    RecordReport rep;
    for (size_t k = 0; k < parts.size(); ++k) {
      auto r = ledger_->RecordBatch(parts[k]);
      if (!r.ok()) return PartError(r.status(), k, limit, batch.size(), recorded);
      rep = *r;
      recorded += r->recorded;
      present += r->already_present;
    }
    return "recorded " + std::to_string(recorded) + " line(s), " + std::to_string(present) +
           " already present; ledger head " + std::to_string(rep.head_seq) + " " + rep.head_hash;
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
