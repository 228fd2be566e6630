// The policy engine: policy files in, decisions out.
//
//   policies/<name>/*.tgp ─► lexer ─► parser ─► static checks ─► versions resolved by date
//                          ─► compiled (slot-indexed) evaluator
//   Facts (typed attributes of one order line) + date ─► Decision (decision.h)
//
// The language is documented in docs/policy-language.md; the bundled US policy in
// docs/policy-us.md.
//
// Ownership and thread-safety: a PolicySet is immutable after Load*; Decide, DecideTraced,
// ClassifyEccn and every const method may be called concurrently from any number of threads.
// Facts is a plain value (one per order line, not shared while being filled).
//
// Errors: loading returns Result<PolicySet>; every parse or static-check error is a Diagnostic
// (file:line:col, source line, caret, hint) in Status::diagnostics(), all of them, not only the
// first. Deciding never fails: a missing (null) attribute makes every comparison on it false.
#ifndef TOLLGATE_POLICY_H_
#define TOLLGATE_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/core.h"
#include "tollgate/decision.h"
#include "tollgate/status.h"

namespace tollgate {

// ---------------------------------------------------------------------------------------
// Attribute schema

enum class AttrType {
  kBool,
  kNumber,  // exact decimal (Decimal), optionally with a unit
  kString,
  kDate,
  kStringSet,  // a set of strings (e.g. the lists a party is on)
};
std::string_view AttrTypeName(AttrType t);  // "bool", "number", "string", "date", "set"

// One attribute the policy may read. `unit` is "" for plain numbers, else one of
// "GB/s", "mm2", "GB", "TOPS", "GB/s/mm2". `domain` lists the allowed values of an
// enumerated string (e.g. end_use); `country` marks ISO 3166 country codes. The static checker
// rejects literals outside the domain, invalid country codes, and unit mismatches.
struct AttrInfo {
  std::string name;  // "item.tpp"
  AttrType type = AttrType::kString;
  std::string unit;
  bool country = false;
  std::vector<std::string> domain;
  bool computed = false;  // set by the policy's classification rules (item.eccn)
  std::string doc;        // one line
};

// The fixed set of attributes (see docs/policy-language.md for the table). Slot indices are
// stable for the lifetime of the process. Names:
//   item.id item.vendor item.family item.name (string)
//   item.kind (string: "ic" | "system" | "hbm")
//   item.datacenter (bool: designed or marketed for use in datacenters)
//   item.tpp item.published_tpp item.pd (number; pd may be null)
//   item.dram_bandwidth item.io_bandwidth (number GB/s)     item.die_area (number mm2)
//   item.memory (number GB)       item.hbm_density (number GB/s/mm2)
//   item.fp64 item.fp32 item.tf32 item.fp16 item.bf16 item.fp8 item.fp4 item.int8 item.int4
//     (number TOPS, dense)
//   item.release_date (date)      item.eccn_table (string: ECCN computed by the pipeline)
//   item.eccn (string, computed by the policy's classify rules; read-only for callers)
//   destination ship_from (string, country)
//   consignee.name consignee.country consignee.hq (string; country for the last two)
//   consignee.lists (set)  end_user.name end_user.country end_user.hq end_user.lists
//   end_use (string: commercial | datacenter | research | government | military |
//            military_intelligence | supercomputer | advanced_ic)
//   order.date (date) order.exporter (string) order.quantity (number) order.value (number,
//   exact quantity × unit_price) order.currency (string, ISO 4217) order.customs_value
//   (number, may be null) order.licence (string, may be empty)
class Schema {
 public:
  static const Schema& Default();
  // -1 when unknown.
  int Slot(std::string_view name) const;
  const AttrInfo& info(int slot) const { return attrs_[static_cast<size_t>(slot)]; }
  int size() const { return static_cast<int>(attrs_.size()); }
  const std::vector<AttrInfo>& attributes() const { return attrs_; }

 private:
  Schema();
  std::vector<AttrInfo> attrs_;
};

// A typed value for one attribute (null when never set).
struct Value {
  AttrType type = AttrType::kString;
  bool is_null = true;
  bool b = false;
  Decimal num;
  std::string str;
  Date date;
  std::vector<std::string> set;  // sorted, unique
  std::string ToString() const;  // "null", "true", "15832", "\"CN\"", "2026-01-15", "{a, b}"
};

// The facts about one order line, filled by attribute name (checked against the Schema) or by
// slot, read by the evaluator by slot: no string hashing per rule.
//
// Every setter checks the attribute exists and has that type (kInvalidArgument naming the
// attribute and the expected type otherwise). Country-valued attributes are validated and
// upper-cased. Numbers are kept exact.
class Facts {
 public:
  Facts();

  Status SetBool(std::string_view name, bool v);
  Status SetNumber(std::string_view name, const Decimal& v);
  Status SetNumber(std::string_view name, std::string_view decimal_text);
  Status SetString(std::string_view name, std::string_view v);
  Status SetDate(std::string_view name, Date v);
  Status SetSet(std::string_view name, std::vector<std::string> v);
  Status SetNull(std::string_view name);
  // Parses `text` as the attribute's type ("true"/"false", decimal, date, string, or
  // comma-separated set members); used by test files and the CLI.
  Status SetFromText(std::string_view name, std::string_view text);

  const Value& Get(int slot) const { return values_[static_cast<size_t>(slot)]; }
  const Value* Find(std::string_view name) const;  // nullptr when the name is unknown

  // Fast numeric view used by the compiled evaluator: value × 10^9 × 2, plus 1 when the value
  // has digits beyond 10^-9 (so comparisons against constants with ≤ 9 decimals stay exact).
  __int128 NumKey(int slot) const { return num_keys_[static_cast<size_t>(slot)]; }
  // Fast string view: a string of at most 8 bytes packed into an integer (never 0), or 0 for a
  // longer string. Equal keys mean equal strings.
  uint64_t StrKey(int slot) const { return str_keys_[static_cast<size_t>(slot)]; }
  static uint64_t ShortStringKey(std::string_view s);
  // Compact views for the evaluator (kept next to each other so deciding touches little
  // memory): null flag, and bool (0/1) or date (days since epoch) as an integer.
  bool IsNull(int slot) const {
    return (null_bits_[static_cast<size_t>(slot) >> 6] >> (slot & 63)) & 1;
  }
  int64_t IntValue(int slot) const { return ints_[static_cast<size_t>(slot)]; }

 private:
  friend class PolicySet;
  void SetValue(int slot, Value v);
  std::vector<Value> values_;
  std::vector<__int128> num_keys_;
  std::vector<uint64_t> str_keys_;
  std::vector<int64_t> ints_;
  std::vector<uint64_t> null_bits_;
};

// ---------------------------------------------------------------------------------------
// Loading

struct LoadOptions {
  size_t max_file_bytes = 1 << 20;   // one policy file
  size_t max_total_bytes = 8 << 20;  // all files of a policy together
  size_t max_files = 256;
  int max_expr_depth = 64;       // nesting of (), and/or/not in one expression
  size_t max_expr_nodes = 4096;  // nodes in one expression
  size_t max_rules = 2000;       // rules (decision + classification) in one version
  size_t max_versions = 500;
  size_t max_set_members = 10000;   // members of one set literal
  size_t max_sets = 1000;           // named sets + defines
  bool warnings_as_errors = false;  // shadowed rules etc. are warnings unless set
};

// One rule as loaded, for listing and tooling.
struct RuleInfo {
  std::string id;
  bool classification = false;  // a classify rule (sets item.eccn) rather than a decision rule
  std::string eccn;             // classify rules only
  Effect effect = Effect::kNlr;
  std::string exception;
  std::string cite;
  std::string note;
  std::string uncertain;      // "" when the legal basis is certain
  std::optional<Date> until;  // the rule lapses on this date (in force while as_of < until)
  std::string condition;      // printed condition
  std::string file;
  int line = 0;
};

struct VersionInfo {
  std::string id;  // e.g. "2023-11-17"
  Date effective;
  std::string title;  // optional
  std::string cite;   // the instrument
  std::string hash;   // "sha256:<hex>" of the canonical printed text of the resolved version
  std::string file;
  int line = 0;
  std::vector<RuleInfo> rules;  // resolved: classification rules first (in order), then rules
};

// What ClassifyEccn reports.
struct EccnResult {
  std::string eccn;     // "" when no classify rule matched (not 3A090/4A090 by these rules)
  std::string rule_id;  // the classify rule that set it
  std::string cite;
};

// One rule tried during a traced decision.
struct RuleTrace {
  std::string id;
  bool classification = false;
  bool in_force = true;  // false when lapsed (until <= as_of)
  bool matched = false;
  // Why: for a match, the satisfied conditions; for a miss, the first failing sub-condition
  // with the attribute values involved, e.g. "item.tpp < 21000 is false (item.tpp = 36000)".
  std::string reason;
  Effect effect = Effect::kNlr;
  std::string cite;
};

struct DecisionTrace {
  Decision decision;
  std::string version;                                          // version id in force, "" when none
  std::vector<std::pair<std::string, std::string>> attributes;  // name, printed value (set ones)
  std::vector<RuleTrace> rules;                                 // in evaluation order
  std::string ToString() const;                                 // multi-line human-readable trace
};

// Internal representation; defined in src/policy.
struct PolicyData;

class PolicySet {
 public:
  // Loads every *.tgp file directly in `dir` (not tests/), in file-name order; versions are
  // ordered by effective date and each extends the one before. Runs every static check.
  // Errors: kNotFound (no dir / no files), kParseError (syntax, with all diagnostics),
  // kInvalidArgument (static-check errors), kResourceExhausted (a LoadOptions limit).
  static Result<PolicySet> LoadDir(const std::string& dir, const LoadOptions& options = {});
  // Loads one policy from in-memory files (name, text), same checks. For tests and tools.
  static Result<PolicySet> LoadFiles(const std::vector<std::pair<std::string, std::string>>& files,
                                     const LoadOptions& options = {});
  // BundledDataRoot() + "/policies/us".
  static Result<PolicySet> LoadBundled(const LoadOptions& options = {});

  PolicySet(PolicySet&&) noexcept;
  PolicySet& operator=(PolicySet&&) noexcept;
  PolicySet(const PolicySet&) = delete;
  PolicySet& operator=(const PolicySet&) = delete;
  ~PolicySet();

  const std::string& name() const;  // from `policy "us"`
  const std::vector<VersionInfo>& versions() const;
  // Warnings found at load (shadowed rules, ...), located.
  const std::vector<Diagnostic>& warnings() const;
  // Index into versions() of the version in force on `as_of` (latest effective <= as_of),
  // or -1 when none.
  int VersionIndexAt(Date as_of) const;

  // Decides one order line under the version in force on `as_of`. Fills decision, review,
  // exception, eccn, effect, policy, rules (every matching rule, strictest first),
  // obligations (with `amount` = rate × base, base order.value or order.customs_value, in
  // order.currency, half-even to the minor unit; amount_usd left empty), conditions and
  // explanation. Does not touch order_id, line or hits. With no version in force the decision
  // is "nlr" with an explanation saying so.
  Decision Decide(const Facts& facts, Date as_of) const;
  // The same decision, plus every rule tried and why it matched or not (tollgate explain).
  // Uses the reference (tree-walking) evaluator.
  DecisionTrace DecideTraced(const Facts& facts, Date as_of) const;
  // The same decision computed by the plain tree-walking reference evaluator (for the
  // differential tests; slower).
  Decision DecideReference(const Facts& facts, Date as_of) const;
  // item.eccn as the classify rules in force on `as_of` compute it.
  EccnResult ClassifyEccn(const Facts& facts, Date as_of) const;

  // The canonical text of the whole policy (all sets, defines and versions as written), such
  // that parsing it again gives an equal AST.
  std::string Print() const;

 private:
  explicit PolicySet(std::unique_ptr<PolicyData> data);
  std::unique_ptr<PolicyData> data_;
};

// ---------------------------------------------------------------------------------------
// Policy test files (*.tgt under DIR/tests/): facts + date + expected decision.

struct PolicyTestOptions {
  std::string filter;  // run only tests whose name contains this; "" = all
};

struct PolicyTestFailure {
  Diagnostic where;  // location of the failing expectation, with expected vs actual
};

struct PolicyTestReport {
  int files = 0;
  int tests = 0;
  int passed = 0;
  std::vector<Diagnostic> failures;  // one per failing expectation (or file error)
  bool ok() const { return failures.empty() && tests > 0; }
};

// Runs every *.tgt file in `tests_dir` against `policy`. A test file that does not parse is a
// failure (reported with its location), not an abort.
PolicyTestReport RunPolicyTests(const PolicySet& policy, const std::string& tests_dir,
                                const PolicyTestOptions& options = {});

}  // namespace tollgate

#endif  // TOLLGATE_POLICY_H_
