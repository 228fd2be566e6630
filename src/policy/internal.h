// Internal representation of a loaded policy, shared by the checker, the two evaluators and
// PolicySet. Private to src/policy.
#ifndef TOLLGATE_POLICY_INTERNAL_H_
#define TOLLGATE_POLICY_INTERNAL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "policy/ast.h"
#include "policy/parser.h"
#include "tollgate/policy.h"

namespace tollgate {

namespace policy {

struct SetInfo {
  std::string name;
  Loc loc;
  const Expr* lit = nullptr;        // the kSetLit in the AST
  std::vector<std::string> sorted;  // members, sorted and unique
  std::string cite;
};

struct DefineInfo {
  std::string name;
  Loc loc;
  const Expr* expr = nullptr;
  bool reads_eccn = false;  // reads item.eccn, directly or through another define
};

// ---- compiled (fast) evaluator ------------------------------------------------------------

enum class Op : uint8_t {
  kConst,               // k_bool
  kAnd,                 // a, b
  kOr,                  // a, b
  kNot,                 // a
  kNumCmpK,             // num(slot) cmp key
  kNumCmpA,             // num(slot) cmp num(slot2)
  kDateCmpK,            // date(slot) cmp days
  kDateCmpA,            // date(slot) cmp date(slot2)
  kStrCmpK,             // str(slot) ==/!= pool[str]
  kStrCmpA,             // str(slot) ==/!= str(slot2)
  kBoolAttr,            // bool(slot) is true
  kBoolCmpK,            // bool(slot) ==/!= k_bool
  kBoolCmpA,            // bool(slot) ==/!= bool(slot2)
  kStrInSet,            // str(slot) [not] in sets[set]
  kStrInSetAttr,        // str(slot) [not] in set(slot2)
  kKInSetAttr,          // pool[str] [not] in set(slot2)
  kSetAttrIntersects,   // set(slot) intersects sets[set]
  kSetAttrIntersectsA,  // set(slot) intersects set(slot2)
  kIsNull,              // slot is [not] null (neg = "not")
  kDefine,              // a define, evaluated once per decision: body a, cache index set
};

struct Node {
  Op op = Op::kConst;
  CmpOp cmp = CmpOp::kEq;
  bool neg = false;
  bool k_bool = false;
  int32_t slot = -1, slot2 = -1;
  int32_t a = -1, b = -1;
  int32_t str = -1;
  int32_t set = -1;
  int64_t days = 0;
  uint64_t skey = 0;  // kStrCmpK: Facts::ShortStringKey of the constant (0 when long)
  __int128 key = 0;
};

// A constant set; `keys` (sorted) is used when every member is a short string.
struct CSet {
  std::vector<std::string> sorted;
  bool all_short = false;
  std::vector<uint64_t> keys;
};

struct Program {
  std::vector<Node> nodes;
  std::vector<std::string> strings;
  std::vector<CSet> sets;
  int num_defines = 0;  // size of EvalCtx::define_cache
};

// ---- resolved versions ---------------------------------------------------------------------

struct ResolvedRule {
  std::shared_ptr<RuleDecl> decl;
  std::string since;  // version id that added or last replaced it
  int file = 0;
  int root = -1;          // compiled root node in Program
  RuleMatch match;        // prebuilt output
  uint64_t eccn_key = 0;  // classify rules: Facts::ShortStringKey(eccn)
  // Prebuilt output pieces (decision rules): obligations without amounts, the condition text
  // of each obligation ("" for revenue share / tariff), and the explanation around the
  // per-line "ECCN ... to XX" part.
  std::vector<Obligation> obligations;
  std::vector<std::string> condition_texts;
  std::string expl_head, expl_tail;
};

struct ResolvedVersion {
  const VersionDecl* decl = nullptr;
  int file = 0;
  std::vector<ResolvedRule> classify;  // first match wins, in order
  std::vector<ResolvedRule> rules;
  PolicyRef ref;
  // Candidate decision rules (indices into rules, ascending) for each classification
  // outcome: index k < classify.size() when classify rule k matched, classify.size() when
  // none did. A rule whose condition requires item.eccn in a set is left out of the
  // outcomes outside that set.
  // Indexed [outcome * (dest_keys.size() + 1) + destination class]; the destination class
  // is the index of the destination in dest_keys, or dest_keys.size() for any other.
  std::vector<std::vector<int>> candidates;
  std::vector<std::string> dest_keys;  // sorted
};

}  // namespace policy

struct PolicyData {
  std::vector<policy::SourceFile> files;
  std::vector<policy::FileAst> asts;
  std::string name;
  std::vector<policy::SetInfo> sets;
  std::map<std::string, int, std::less<>> set_index;
  std::vector<policy::DefineInfo> defines;
  std::map<std::string, int, std::less<>> define_index;
  std::vector<policy::ResolvedVersion> versions;  // by effective date
  std::vector<VersionInfo> infos;
  std::vector<Diagnostic> warnings;
  policy::Program program;
  int eccn_slot = -1;
};

namespace policy {

// Resolves names and type-checks every set, define and rule of `d` (already parsed); then runs
// the version checks and builds d->versions. Appends errors to `errors`, warnings to
// d->warnings.
void CheckAndResolve(PolicyData* d, const LoadOptions& options, std::vector<Diagnostic>* errors);

// Static analysis of resolved rules: never-firing conditions (errors) and shadowed rules
// (warnings). Conservative: reports only what it can prove.
void AnalyzeRules(PolicyData* d, std::vector<Diagnostic>* errors);

// Compiles every rule condition of every version into d->program (sets ResolvedRule::root).
void Compile(PolicyData* d);

// Evaluation context for one decision.
struct EvalCtx {
  const Facts* facts = nullptr;
  const std::string* eccn = nullptr;  // item.eccn as classified; nullptr = null
  uint64_t eccn_key = 0;              // Facts::ShortStringKey(*eccn)
  int eccn_slot = -1;
  // One entry per define: -1 not yet evaluated, else 0/1. Defines used by classify rules never
  // read item.eccn (checked), so one cache serves the whole decision.
  int8_t* define_cache = nullptr;
};
bool EvalCompiled(const Program& p, int root, const EvalCtx& ctx);

// The plain tree-walking reference evaluator: reads attributes by name, compares Decimals.
// When `why` is not null, explains the outcome (see RuleTrace::reason).
bool EvalReference(const PolicyData& d, const Expr& e, const EvalCtx& ctx, std::string* why);

}  // namespace policy
}  // namespace tollgate

#endif  // TOLLGATE_POLICY_INTERNAL_H_
