// The order pipeline: order lines in (CSV or JSON Lines), decisions out.
//
//   order line ─► item lookup + classification ─► screening of consignee and end user
//              ─► facts ─► policy decision as of the line's date ─► obligation amounts
//
// Everything here is a pure function over in-memory values. The catalog, classifier,
// policy set and restricted-party index reach the pipeline through three small seams
// (ItemResolver, PolicyEngine, PartyScreener) so that tests build them in memory and a
// server shares one set read-only between threads. Adapters binding the seams to the real
// Tollgate parts live in src/pipeline/backends.h (private to the CLI and server).
//
// Errors: a bad order line is a Diagnostic (file:line:col, field, offending value, what was
// expected); one bad line never stops the others. Limits on hostile input live in
// OrderReadOptions.
//
// Thread-safety: every type is a value or const after construction; the seams must be
// safe to call concurrently from several threads (the bundled adapters are).
#ifndef TOLLGATE_PIPELINE_H_
#define TOLLGATE_PIPELINE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tollgate/core.h"
#include "tollgate/decision.h"
#include "tollgate/status.h"

namespace tollgate {

// ---------------------------------------------------------------------------------------
// Orders

enum class EndUse {
  kCommercial,
  kDatacenter,
  kResearch,
  kGovernment,
  kMilitary,
  kMilitaryIntelligence,
  kSupercomputer,
  kAdvancedIc,
};
// "commercial", "datacenter", "research", "government", "military",
// "military_intelligence", "supercomputer", "advanced_ic".
std::string_view EndUseName(EndUse e);
std::optional<EndUse> ParseEndUse(std::string_view text);  // exact, lower case

// The order fields, in the order of the CSV header.
enum class OrderField {
  kOrderId,
  kLine,
  kDate,
  kExporter,
  kItem,
  kQuantity,
  kUnitPrice,
  kCurrency,
  kShipFrom,
  kDestination,
  kConsignee,
  kConsigneeCountry,
  kEndUser,
  kEndUserCountry,
  kEndUserHq,
  kEndUse,
  kLicence,
  kCustomsValue,
};
constexpr int kOrderFieldCount = 18;
std::string_view OrderFieldName(OrderField f);  // "order_id", "line", ...
// The exact CSV header line (without newline).
std::string_view OrderCsvHeader();

// One validated order line. `customs_value` is the US customs value of the whole line in
// the order's currency (the base of a Section 232 tariff); empty when the goods do not go
// through the US.
struct OrderLine {
  std::string order_id;
  int line = 0;
  Date date;
  std::string exporter;
  std::string item;  // as written on the order (catalog id or alias)
  int64_t quantity = 0;
  Decimal unit_price;
  Currency currency;
  Country ship_from;
  Country destination;
  std::string consignee;
  Country consignee_country;
  std::string end_user;
  Country end_user_country;
  Country end_user_hq;
  EndUse end_use = EndUse::kCommercial;
  std::string licence;  // "" when none
  std::optional<Decimal> customs_value;

  // Provenance, for diagnostics raised after reading (unknown item, missing FX rate).
  std::string file;
  int source_line = 0;                          // 1-based line of the record in the file
  std::string source_text;                      // the record's first line
  std::array<int, kOrderFieldCount> columns{};  // 1-based column of each field; 0 unknown

  // quantity × unit_price, exact (not rounded). nullopt only on overflow, which the
  // readers already reject.
  std::optional<Money> SaleValue() const;
  // A diagnostic pointing at one field of this line.
  Diagnostic FieldDiagnostic(OrderField f, std::string message, std::string hint = "") const;
};

struct OrderReadOptions {
  size_t max_line_bytes = 64 * 1024;  // a longer record is an error for that line
  size_t max_lines = 1'000'000;       // more data lines: the whole read fails
  size_t max_field_bytes = 4096;      // a longer field is an error for that line
  // Currency codes accepted; ISO 4217 via Currency::Parse.
};

// What a reader produced: the good lines, and one diagnostic per bad line (all of them).
struct OrderBatch {
  std::vector<OrderLine> lines;
  std::vector<Diagnostic> errors;
};

// Reads CSV with the exact header OrderCsvHeader(). Errors: kParseError for a wrong or
// missing header, kResourceExhausted when max_lines is exceeded; otherwise OK with per-line
// errors in OrderBatch::errors. Duplicate (order_id, line) is an error on the later line.
Result<OrderBatch> ReadOrdersCsv(std::string_view data, const std::string& file,
                                 const OrderReadOptions& options = {});
// Reads JSON Lines: one flat object per line with the same field names; values are strings
// or (for line, quantity, unit_price, customs_value) JSON numbers, which are kept exact;
// null or "" for the optional fields. Unknown keys are errors.
Result<OrderBatch> ReadOrdersJsonl(std::string_view data, const std::string& file,
                                   const OrderReadOptions& options = {});
// Picks the reader by extension (.jsonl/.ndjson/.json → JSON Lines, otherwise CSV).
Result<OrderBatch> ReadOrdersFile(const std::string& path, const OrderReadOptions& options = {});

// ---------------------------------------------------------------------------------------
// FX

// A dated table of rates to USD: `rate_to_usd` is how many US dollars one unit of the
// currency buys. The rate for a line is the latest rate dated on or before the line's date
// (a rate stays in force until the next one). USD is always 1 and needs no row.
class FxTable {
 public:
  struct Rate {
    Date date;
    Decimal rate_to_usd;
  };
  // CSV `date,currency,rate_to_usd`. Every bad row is reported (kParseError with all
  // diagnostics); duplicate (date, currency) and non-positive rates are errors.
  static Result<FxTable> Parse(std::string_view data, const std::string& file);
  static Result<FxTable> Load(const std::string& path);

  // Errors: kNotFound "no FX rate for CNY on or before 2022-01-03 (earliest is 2022-02-01)".
  Result<Rate> RateOn(const Currency& currency, Date date) const;
  // money × rate, rounded half-even to the cent.
  Result<Money> ToUsd(const Money& money, Date date) const;
  size_t size() const;

 private:
  std::map<std::string, std::map<Date, Decimal>> rates_;  // currency → date → rate
};

// Converts at an explicit rate: amount × rate rounded half-even to the cent. nullopt on
// overflow.
std::optional<Money> ConvertToUsd(const Money& money, const Decimal& rate_to_usd);

// ---------------------------------------------------------------------------------------
// Seams

// A typed attribute value handed to the policy engine.
using FactValue = std::variant<bool, Decimal, std::string, Date, std::vector<std::string>>;
// Attribute name → value. Names are documented in docs/pipeline.md ("Facts").
using FactMap = std::map<std::string, FactValue>;

struct ResolvedItem {
  std::string id;    // canonical catalog id
  std::string name;  // display name ("NVIDIA H200 SXM")
  std::string vendor;
  std::string eccn;  // classification as of the date ("" when not controlled/unknown)
  // Non-empty when the item's specs do not decide its ECCN (e.g. no throughput figures):
  // what is missing. A line whose decision would otherwise let it ship is then held.
  std::string unclassified_reason;
  FactMap attributes;  // item.* attributes (catalog fields, tpp, pd, eccn, ...)
};

// Catalog lookup + classification as of a date. Errors: kNotFound for an unknown item
// (message names the item; the pipeline adds the location).
class ItemResolver {
 public:
  virtual ~ItemResolver() = default;
  virtual Result<ResolvedItem> Resolve(std::string_view item, Date as_of) const = 0;
};

// One rule tried during a traced decision (tollgate explain).
struct TracedRule {
  std::string id;
  bool classification = false;  // a classification rule (sets the ECCN)
  bool in_force = true;         // false when the rule has lapsed on the date
  bool matched = false;
  std::string reason;  // why it matched or not, with the attribute values involved
  Effect effect = Effect::kNlr;
  std::string cite;
};
struct PolicyTrace {
  std::string version;            // the version in force; "" when none
  std::vector<TracedRule> rules;  // in evaluation order
};

// The policy decision for a set of facts as of a date. The Decision's effect, rules,
// obligations (rate and base; amounts are filled in by the pipeline when absent),
// conditions, exception, review, eccn and policy ref are used.
class PolicyEngine {
 public:
  virtual ~PolicyEngine() = default;
  virtual Result<Decision> Decide(const FactMap& facts, Date as_of) const = 0;
  // Every rule tried, matched or not, and why.
  virtual Result<PolicyTrace> Trace(const FactMap& facts, Date as_of) const = 0;
};

// Restricted-party screening of one name. Hits carry list, entry_id, name, alias, score;
// the pipeline fills party_role and party_name.
class PartyScreener {
 public:
  virtual ~PartyScreener() = default;
  virtual Result<std::vector<PartyHit>> Screen(std::string_view name,
                                               const Country& country) const = 0;
};

// The simple exact screener used before fuzzy screening: CSV `name,list,entry_id`; a party
// matches when its name equals a listed name after case folding (ASCII) and whitespace
// normalisation (trim, runs of spaces/tabs → one space). Score 1.0 on a match.
class ExactPartyList : public PartyScreener {
 public:
  struct Entry {
    std::string name;
    std::string list;
    std::string entry_id;
  };
  static Result<ExactPartyList> Parse(std::string_view data, const std::string& file);
  static Result<ExactPartyList> Load(const std::string& path);
  static std::string Normalize(std::string_view name);
  Result<std::vector<PartyHit>> Screen(std::string_view name,
                                       const Country& country) const override;
  size_t size() const { return entries_.size(); }

 private:
  std::multimap<std::string, Entry> entries_;  // normalised name → entry
};

// ---------------------------------------------------------------------------------------
// The pipeline

struct PipelineContext {
  const ItemResolver* items = nullptr;      // required
  const PolicyEngine* policy = nullptr;     // required
  const PartyScreener* screener = nullptr;  // optional: no screening when null
  const FxTable* fx = nullptr;              // optional: no USD amounts when null
  // Screening hits at or above this score hold the line.
  double hold_threshold = 0.0;
  // Returns true when a reviewer cleared this hit for this party (ledger reviews). Such a
  // hit no longer holds the line; it is still reported in `cleared_hits` of the result.
  std::function<bool(const PartyHit&)> is_cleared;
  // Decide every line under the policy in force on this date instead of its own date.
  std::optional<Date> as_of;
};

// Builds the facts for one line (documented in docs/pipeline.md).
FactMap BuildFacts(const OrderLine& line, const ResolvedItem& item,
                   const std::vector<PartyHit>& consignee_hits,
                   const std::vector<PartyHit>& end_user_hits);

struct LineDecision {
  OrderLine line;
  ResolvedItem item;  // id, name, vendor, eccn (attributes dropped after deciding)
  Decision decision;
  Money sale_value;                     // exact, order currency, rounded to minor unit
  std::optional<Money> sale_value_usd;  // with an FX table
  std::vector<PartyHit> cleared_hits;   // hits a reviewer cleared (not holding the line)
  Date decided_as_of;
};

// Decides one line. Errors are located diagnostics (unknown item, missing FX rate, amount
// overflow, policy failure) naming the line and field.
Result<LineDecision> DecideLine(const OrderLine& line, const PipelineContext& ctx);

// The full trace of one line: facts, each rule tried, the winner, obligations.
Result<std::string> ExplainLine(const OrderLine& line, const PipelineContext& ctx);

struct DecideBatchResult {
  std::vector<LineDecision> decided;
  std::vector<Diagnostic> errors;
};
DecideBatchResult DecideBatch(const std::vector<OrderLine>& lines, const PipelineContext& ctx);

// ---------------------------------------------------------------------------------------
// Output

// One JSON object (one line, no trailing newline). Fields documented in docs/pipeline.md.
std::string DecisionToJson(const LineDecision& d);
std::string DecisionCsvHeader();
std::string DecisionToCsv(const LineDecision& d);
// A fixed-width table of all lines, with a header.
std::string DecisionsToTable(const std::vector<LineDecision>& lines);

// Lines by decision, and per exporter: sale value, revenue share and tariff owed (exact).
// Amounts are summed in USD when every line has a USD value, else per currency.
struct ExporterTotals {
  std::string exporter;
  int lines = 0;
  std::map<std::string, Decimal> revenue;        // currency → sale value of shippable lines
  std::map<std::string, Decimal> revenue_share;  // currency → revenue-share owed
  std::map<std::string, Decimal> tariff;         // currency → tariff owed
};
struct Summary {
  int total_lines = 0;
  int error_lines = 0;
  std::map<std::string, int> by_decision;        // "nlr" → n, ...
  std::map<std::string, int> licence_by_review;  // "approval" / "case_by_case" / "denial" → n
  std::vector<ExporterTotals> exporters;         // sorted by exporter name
  bool in_usd = false;
};
// Obligations count only on lines that may ship as decided: nlr, exception, or licence
// without a presumption of denial (a held or prohibited line owes nothing yet).
Summary Summarize(const std::vector<LineDecision>& lines, int error_lines);
std::string SummaryToText(const Summary& s);
std::string SummaryToJson(const Summary& s);

}  // namespace tollgate

#endif  // TOLLGATE_PIPELINE_H_
