// libFuzzer target: the policy lexer, parser, checker and printer on arbitrary text. Whatever
// loads must print to text that loads again with the same version hashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tollgate/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  tollgate::LoadOptions o;
  o.max_expr_depth = 32;
  o.max_expr_nodes = 512;
  auto p = tollgate::PolicySet::LoadFiles({{"fuzz.tgp", text}}, o);
  if (!p.ok()) {
    for (const auto& d : p.status().diagnostics()) (void)d.ToString();
    return 0;
  }
  auto again = tollgate::PolicySet::LoadFiles({{"printed.tgp", p->Print()}}, o);
  if (!again.ok() || again->versions().size() != p->versions().size()) __builtin_trap();
  for (size_t i = 0; i < p->versions().size(); ++i)
    if (again->versions()[i].hash != p->versions()[i].hash) __builtin_trap();
  tollgate::Facts f;
  (void)f.SetString("destination", "CN");
  (void)f.SetNumber("item.tpp", "4800");
  for (const auto& v : p->versions()) {
    auto a = p->Decide(f, v.effective);
    auto b = p->DecideReference(f, v.effective);
    if (a.decision != b.decision || a.rules.size() != b.rules.size()) __builtin_trap();
  }
  return 0;
}
