// Currencies (ISO 4217, active codes with their minor units) and Money.
#include <algorithm>
#include <cctype>

#include "tollgate/core.h"

namespace tollgate {
namespace {

struct CurrencyEntry {
  const char* code;
  int minor;
};

// Sorted by code. Minor units per ISO 4217.
constexpr CurrencyEntry kCurrencies[] = {
    {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0},
    {"CNY", 2}, {"COP", 2}, {"CZK", 2}, {"DKK", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2},
    {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
    {"KRW", 0}, {"KWD", 3}, {"KZT", 2}, {"LYD", 3}, {"MOP", 2}, {"MXN", 2}, {"MYR", 2}, {"NOK", 2},
    {"NZD", 2}, {"OMR", 3}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"QAR", 2}, {"RON", 2}, {"RUB", 2},
    {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3}, {"TRY", 2}, {"TWD", 2}, {"UAH", 2},
    {"USD", 2}, {"UZS", 2}, {"VND", 0}, {"ZAR", 2},
};

const CurrencyEntry* Find(std::string_view code) {
  auto it = std::lower_bound(
      std::begin(kCurrencies), std::end(kCurrencies), code,
      [](const CurrencyEntry& e, std::string_view c) { return std::string_view(e.code) < c; });
  if (it != std::end(kCurrencies) && std::string_view(it->code) == code) return &*it;
  return nullptr;
}

}  // namespace

Result<Currency> Currency::Parse(std::string_view text) {
  std::string up(text);
  for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up.size() != 3 || !Find(up))
    return InvalidArgument("unknown currency '" + std::string(text) +
                           "' (expected an ISO 4217 code such as USD, CNY, EUR)");
  Currency c;
  c.code_[0] = up[0];
  c.code_[1] = up[1];
  c.code_[2] = up[2];
  return c;
}

int Currency::minor_units() const {
  const CurrencyEntry* e = Find(std::string_view(code_, 3));
  return e ? e->minor : 2;
}

Money Money::RoundedToMinor() const {
  auto r = amount.Rescale(currency.minor_units(), Rounding::kHalfEven);
  // Reducing scale cannot overflow; increasing can only for absurd values already near the
  // limit, in which case the unrounded amount is kept.
  return Money{r ? *r : amount, currency};
}

std::string Money::ToString() const { return amount.ToString() + " " + currency.code(); }

}  // namespace tollgate
