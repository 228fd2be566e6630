// Helpers shared by the policy unit tests.
#ifndef TOLLGATE_POLICY_TEST_UTIL_H_
#define TOLLGATE_POLICY_TEST_UTIL_H_

#include <string>

#include "tollgate/policy.h"

namespace tollgate::policy_test {

// Loads one in-memory policy file named "t.tgp".
inline Result<PolicySet> LoadOne(const std::string& text, const LoadOptions& o = {}) {
  return PolicySet::LoadFiles({{"t.tgp", text}}, o);
}

// Every diagnostic of a failed load, one ToString() per block, joined by newlines.
inline std::string Errors(const Result<PolicySet>& r) {
  std::string s;
  for (const auto& d : r.status().diagnostics()) s += d.ToString() + "\n";
  return s;
}

// A minimal policy wrapping one rule body into a version.
inline std::string WithRule(const std::string& when, const std::string& extra = "") {
  return "policy t\nversion \"1\" effective 2024-01-01 {\n  rule r.x {\n    effect "
         "licence_denial\n    when " +
         when + "\n    cite \"c\"\n" + extra + "  }\n}\n";
}

}  // namespace tollgate::policy_test

#endif  // TOLLGATE_POLICY_TEST_UTIL_H_
