// Fuzzes the value parsers (Date, Decimal, Country, Currency) and checks round trips:
// a parsed value prints back to text that parses to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tollgate/core.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto d = tollgate::Date::Parse(in); d.ok()) {
    if (d->ToString() != in) abort();
  }
  if (auto x = tollgate::Decimal::Parse(in); x.ok()) {
    auto back = tollgate::Decimal::Parse(x->ToString());
    if (!back.ok() || !(*back == *x)) abort();
    auto r = x->Rescale(2, tollgate::Rounding::kHalfEven);
    (void)r;
    auto sq = tollgate::Decimal::CheckedMul(*x, *x);
    if (sq && sq->is_negative()) abort();
  }
  (void)tollgate::Country::Parse(in);
  (void)tollgate::Currency::Parse(in);
  return 0;
}
