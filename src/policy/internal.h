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
  __int128 key = 0;
};

struct Program {
  std::vector<Node> nodes;
  std::vector<std::string> strings;
  std::vector<std::vector<std::string>> sets;  // sorted
};

// ---- resolved versions ---------------------------------------------------------------------

struct ResolvedRule {
  std::shared_ptr<RuleDecl> decl;
  std::string since;  // version id that added or last replaced it
  int file = 0;
  int root = -1;    // compiled root node in Program
  RuleMatch match;  // prebuilt output
};

struct ResolvedVersion {
  const VersionDecl* decl = nullptr;
  int file = 0;
  std::vector<ResolvedRule> classify;  // first match wins, in order
  std::vector<ResolvedRule> rules;
  PolicyRef ref;
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
  int eccn_slot = -1;
};
bool EvalCompiled(const Program& p, int root, const EvalCtx& ctx);

// The plain tree-walking reference evaluator: reads attributes by name, compares Decimals.
// When `why` is not null, explains the outcome (see RuleTrace::reason).
bool EvalReference(const PolicyData& d, const Expr& e, const EvalCtx& ctx, std::string* why);

}  // namespace policy
}  // namespace tollgate

#endif  // TOLLGATE_POLICY_INTERNAL_H_
