// Adapter: policy engine (see backends.h). One translation unit per part: the
// parts' public headers are not all compatible with each other in one unit.
#include "pipeline/backends.h"

#if TOLLGATE_HAVE_POLICY
#include "tollgate/policy.h"
#endif

namespace tollgate::backends {

namespace {

[[maybe_unused]] Status Unavailable(const std::string& what) {
  return FailedPrecondition(what + " is not available in this build");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Policy

#if TOLLGATE_HAVE_POLICY
namespace {

class PolicyAdapter : public PolicyEngine {
 public:
  explicit PolicyAdapter(PolicySet set) : set_(std::move(set)) {}

  Result<Decision> Decide(const FactMap& facts, Date as_of) const override {
    TG_ASSIGN_OR_RETURN(Facts f, ToFacts(facts));
    return set_.Decide(f, as_of);
  }
  Result<PolicyTrace> Trace(const FactMap& facts, Date as_of) const override {
    TG_ASSIGN_OR_RETURN(Facts f, ToFacts(facts));
    DecisionTrace t = set_.DecideTraced(f, as_of);
    PolicyTrace out;
    out.version = t.version;
    for (const auto& r : t.rules) {
      TracedRule tr;
      tr.id = r.id;
      tr.classification = r.classification;
      tr.in_force = r.in_force;
      tr.matched = r.matched;
      tr.reason = r.reason;
      tr.effect = r.effect;
      tr.cite = r.cite;
      out.rules.push_back(std::move(tr));
    }
    return out;
  }

 private:
  // Only the attributes the policy schema knows are passed on; the pipeline's extras are for
  // explain output.
  static Result<Facts> ToFacts(const FactMap& in) {
    Facts f;
    const Schema& schema = Schema::Default();
    for (const auto& [name, value] : in) {
      if (schema.Slot(name) < 0) continue;
      Status s;
      if (auto* b = std::get_if<bool>(&value)) {
        s = f.SetBool(name, *b);
      } else if (auto* d = std::get_if<Decimal>(&value)) {
        s = f.SetNumber(name, *d);
      } else if (auto* str = std::get_if<std::string>(&value)) {
        s = str->empty() && schema.info(schema.Slot(name)).country ? f.SetNull(name)
                                                                   : f.SetString(name, *str);
      } else if (auto* date = std::get_if<Date>(&value)) {
        s = f.SetDate(name, *date);
      } else if (auto* set = std::get_if<std::vector<std::string>>(&value)) {
        s = f.SetSet(name, *set);
      }
      if (!s.ok()) return s;
    }
    return f;
  }
  PolicySet set_;
};

}  // namespace

Result<std::unique_ptr<PolicyEngine>> MakePolicyEngine(const std::string& dir) {
  auto p = dir.empty() ? PolicySet::LoadBundled() : PolicySet::LoadDir(dir);
  if (!p.ok()) return p.status();
  return std::unique_ptr<PolicyEngine>(new PolicyAdapter(std::move(p).value()));
}
#else
Result<std::unique_ptr<PolicyEngine>> MakePolicyEngine(const std::string&) {
  return Unavailable("the policy engine");
}
#endif

}  // namespace tollgate::backends
