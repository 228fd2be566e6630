// libFuzzer target: the FX table and the exact party list (both CSV files with a fixed
// header) must never crash, hang or read out of bounds; every error is located inside the
// input, and a table that loads answers lookups.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tollgate/pipeline.h"

namespace {

void CheckErrors(const tollgate::Status& s) {
  for (const auto& d : s.diagnostics()) {
    if (d.line < 1 || d.column < 1) __builtin_trap();
    (void)d.ToString();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fx = tollgate::FxTable::Parse(text, "fx.csv");
  if (fx.ok()) {
    auto cny = tollgate::Currency::Parse("CNY");
    auto day = tollgate::Date::Parse("2026-01-15");
    if (cny.ok() && day.ok()) {
      tollgate::Money m{tollgate::Decimal::FromInt(1000), *cny};
      (void)fx->ToUsd(m, *day);
    }
  } else {
    CheckErrors(fx.status());
  }
  auto parties = tollgate::ExactPartyList::Parse(text, "parties.csv");
  if (parties.ok()) {
    auto cn = tollgate::Country::Parse("CN");
    if (cn.ok()) (void)parties->Screen("Shenzhen Compute Ltd", *cn);
  } else {
    CheckErrors(parties.status());
  }
  return 0;
}
