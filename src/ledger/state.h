// The ledger state: what replaying the events yields. Events are facts; applying one never
// re-checks a business rule (balances, caps): those are checked once, by the writer, before
// the event is appended, under the chain-head lock. Internal to src/ledger.
//
// Not thread-safe; the Ledger guards it with its mutex.
#ifndef TOLLGATE_LEDGER_STATE_H_
#define TOLLGATE_LEDGER_STATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/codec.h"
#include "tollgate/ledger.h"

namespace tollgate::ledger {

// One revenue-share or tariff accrual of a recorded line.
struct Accrual {
  std::string kind;  // "revenue_share" or "tariff"
  std::string rule_id;
  std::string cite;
  std::optional<Decimal> rate;
  std::string base;  // "sale_value" or "customs_value"
  Money base_usd;    // base converted to USD, rounded half-even to the cent
  Money amount_usd;  // the accrual, rounded half-even to the cent (what is posted)
  std::string payee;
  int obligation = -1;  // index in the decision's obligations (format 2 stores only this)
};

struct LineState {
  int64_t seq = 0;
  int format = 3;            // payload format of the event that recorded it (1, 2 or 3)
  std::string content_hash;  // as stored by formats 1 and 2; format 3 stores none
  std::string order_id;
  int line = 0;
  Date date;
  std::string exporter;
  std::string item;
  std::string eccn;
  std::string decision;
  Country destination;
  std::string consignee;
  std::string end_user;
  std::string licence;
  int64_t quantity = 0;
  int64_t shipped = 0;
  Decimal unit_price;
  Currency currency;
  std::optional<Decimal> usd_rate;
  std::vector<VolumeCap> caps;  // volume_cap obligations of the decision
};

struct LicenceState {
  Licence licence;
  int64_t shipped_quantity = 0;
  Decimal shipped_value;
  int64_t reserved_quantity = 0;
  Decimal reserved_value;
};

struct AccrualRecord {
  int64_t seq = 0;
  std::string exporter;
  std::string item;
  std::string destination;
  Date date;
  int64_t quantity = 0;
  Accrual accrual;
};

struct ShipmentRecord {
  std::string id;
  std::string order_id;
  int line = 0;
  int64_t quantity = 0;
  Money value;
  Date date;
  std::string licence;
  std::string reservation_id;
};

// Event kinds.
inline constexpr char kLineRecorded[] = "line.recorded";
inline constexpr char kLicenceAdded[] = "licence.added";
inline constexpr char kLicenceReserved[] = "licence.reserved";
inline constexpr char kLicenceReleased[] = "licence.released";
inline constexpr char kShipmentRecorded[] = "shipment.recorded";
inline constexpr char kCapSet[] = "cap.set";
inline constexpr char kRemittanceRecorded[] = "remittance.recorded";
inline constexpr char kReviewRecorded[] = "review.recorded";
inline constexpr char kPolicyRules[] = "policy.rules";

// The current payload format of line.recorded (docs/ledger-format.md). Readers accept 1-3.
inline constexpr int kLineFormat = 3;

std::string LineKey(const std::string& order_id, int line);
std::string ReviewKey(const std::string& party, const std::string& list,
                      const std::string& entry_id);
// Month index (year * 12 + month - 1) range [first, last] of the period containing `d`.
std::pair<int, int> PeriodMonths(const std::string& period, Date d);
int MonthIndex(Date d);

Json AccrualToJson(const Accrual& a);
Result<Accrual> AccrualFromJson(const Json& j, const std::string& where);
// The double-entry postings of a line's accruals: expense:<kind> +amount and
// payable:us_treasury:<kind> -amount for each non-zero accrual (format 2 derives them).
std::vector<Posting> AccrualPostings(const std::vector<Accrual>& accruals);
Json PostingsToJson(const std::vector<Posting>& p);
Result<std::vector<Posting>> PostingsFromJson(const Json& j, const std::string& where);

class LedgerState {
 public:
  int64_t seq = 0;
  std::string hash = kGenesisHash;

  std::unordered_map<std::string, LineState> lines;
  std::map<std::string, LicenceState> licences;
  std::map<std::string, Reservation> reservations;
  std::map<std::string, ShipmentRecord> shipments;
  std::vector<VolumeCap> caps;
  // (item, destination, month index) -> shipped quantity
  std::map<std::tuple<std::string, std::string, int>, int64_t> shipped_by_month;
  std::vector<AccrualRecord> accruals;
  std::map<std::string, Remittance> remittances;
  std::vector<Review> reviews;
  std::unordered_map<std::string, std::string> latest_review;  // ReviewKey -> action
  std::map<std::string, Decimal> accounts;                     // USD balances
  // (exporter, kind) -> accrued minus remitted, USD.
  std::map<std::pair<std::string, std::string>, Decimal> outstanding;
  // (policy hash, rule id) -> the rule's canonical JSON, from policy.rules events. Format-2
  // lines refer to rules by id.
  struct RuleText {
    std::string canonical;
    Json json;
  };
  std::map<std::pair<std::string, std::string>, RuleText> rule_texts;
  // Policy hash -> the policy's name and version, from policy.rules events. Format-3 lines
  // refer to their policy by hash.
  std::map<std::string, PolicyRef> policies;

  // Decodes an event's payload and applies it. Checks that it links to the current head
  // (seq + 1, prev_hash) but not its hash (Verify does that).
  Status ApplyEvent(const LedgerEvent& e, size_t max_payload_bytes);

  // Typed appliers (used by ApplyEvent and by the writer after commit).
  void ApplyLine(int64_t seq, const DecidedLine& l, const std::string& content_hash,
                 const std::vector<Accrual>& accruals, const std::vector<Posting>& postings,
                 int format = kLineFormat);
  void ApplyLicence(const Licence& l);
  void ApplyReserve(const Reservation& r);
  void ApplyRelease(const std::string& id);
  void ApplyShipment(const ShipmentRecord& s);
  void ApplyCap(const VolumeCap& c);
  void ApplyRemittance(const Remittance& r, const std::vector<Posting>& postings);
  void ApplyReview(const Review& r);
  // Registers a policy and rule texts (the first registration of a policy hash, and of a
  // (policy hash, id), wins).
  void ApplyRules(const PolicyRef& policy, const std::vector<std::string>& canonical_rules);

  // Rewrites a format-2 or format-3 line.recorded payload into the format-1 shape (policy
  // expanded from `policies`, rules from `rule_texts`, obligation cites, order_id and line
  // in the decision, full accruals) so one decoder reads all three. Postings are not added:
  // the caller derives them from the accruals.
  Status ExpandLine(Json& j) const;
  // Checks a line.recorded payload's `format` and expands formats 2 and 3 in place
  // (ExpandLine). Returns the format (1 when the member is absent).
  Result<int> NormalizeLine(Json& j) const;
  // The order line and decision recorded by a line.recorded payload, as recorded.
  Result<DecidedLine> RecordedLine(const std::string& payload, size_t max_payload_bytes) const;

  void Advance(int64_t new_seq, const std::string& new_hash) {
    seq = new_seq;
    hash = new_hash;
  }
};

}  // namespace tollgate::ledger

#endif  // TOLLGATE_LEDGER_STATE_H_
