// Core value types used across Tollgate: calendar dates, exact decimals, money, countries.
//
// All types are immutable-ish values, cheap to copy, safe to share between threads.
#ifndef TOLLGATE_CORE_H_
#define TOLLGATE_CORE_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tollgate/status.h"

namespace tollgate {

// A proleptic Gregorian calendar date (no time, no zone). Valid years 1..9999.
class Date {
 public:
  Date() = default;  // 1970-01-01
  // Returns nullopt for an invalid y/m/d (e.g. 2023-02-29).
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Strict ISO 8601 calendar date "YYYY-MM-DD". Error message names what was expected.
  static Result<Date> Parse(std::string_view text);
  static Date FromDays(int64_t days_since_epoch) { return Date(days_since_epoch); }

  int year() const;
  int month() const;
  int day() const;
  int64_t days_since_epoch() const { return days_; }
  Date AddDays(int64_t n) const { return Date(days_ + n); }
  std::string ToString() const;  // "YYYY-MM-DD"

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(int64_t d) : days_(d) {}
  int64_t days_ = 0;
};

// Rounding rules for Decimal::Rescale. Money uses kHalfEven ("banker's rounding") to the
// currency's minor unit; see docs/money.md.
enum class Rounding { kHalfEven, kHalfUp, kDown, kUp };

// An exact decimal number: coefficient × 10^-scale, 128-bit coefficient, scale 0..18.
// Arithmetic is exact; operations that would overflow |coefficient| < 10^36 return
// nullopt (Checked*) so callers can report "amount too large" instead of wrapping.
class Decimal {
 public:
  static constexpr int kMaxScale = 18;
  Decimal() = default;
  static Decimal FromInt(int64_t v) { return Decimal(v, 0); }
  // Parses "-123.4500", "1e3" is rejected. At most 24 integer digits, kMaxScale fraction
  // digits. Keeps the given scale ("1.50" has scale 2).
  static Result<Decimal> Parse(std::string_view text);

  static std::optional<Decimal> CheckedAdd(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> CheckedSub(const Decimal& a, const Decimal& b);
  // Exact product; if the exact scale exceeds kMaxScale it is rounded half-even to kMaxScale.
  static std::optional<Decimal> CheckedMul(const Decimal& a, const Decimal& b);
  // a / b rounded to `scale` places with `mode`; nullopt on b == 0 or overflow.
  static std::optional<Decimal> CheckedDiv(const Decimal& a, const Decimal& b, int scale,
                                           Rounding mode);

  // Same value at a new scale; rounds with `mode` when reducing scale.
  std::optional<Decimal> Rescale(int new_scale, Rounding mode) const;

  bool is_zero() const { return coef_ == 0; }
  bool is_negative() const { return coef_ < 0; }
  int scale() const { return scale_; }
  __int128 coefficient() const { return coef_; }
  Decimal Negated() const { return Decimal(-coef_, scale_); }
  // Only for display/analysis (never for money arithmetic).
  double ToDouble() const;
  std::string ToString() const;  // plain notation with exactly scale() fraction digits

  // Numeric comparison (1.5 == 1.50).
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) {
    return (a <=> b) == std::strong_ordering::equal;
  }

 private:
  Decimal(__int128 c, int s) : coef_(c), scale_(s) {}
  __int128 coef_ = 0;
  int scale_ = 0;
};

// ISO 4217 alphabetic code (three upper-case letters), validated against a known list.
class Currency {
 public:
  Currency() : code_{'U', 'S', 'D'} {}
  static Result<Currency> Parse(std::string_view text);  // case-insensitive
  std::string code() const { return std::string(code_, 3); }
  int minor_units() const;  // 2 for USD, 0 for JPY, 3 for KWD ...
  bool operator==(const Currency& o) const {
    return code_[0] == o.code_[0] && code_[1] == o.code_[1] && code_[2] == o.code_[2];
  }

 private:
  char code_[3];
};

// An exact amount in a currency.
struct Money {
  Decimal amount;
  Currency currency;
  // amount rounded half-even to the currency's minor unit.
  Money RoundedToMinor() const;
  std::string ToString() const;  // "1234.50 USD"
};

// ISO 3166-1 alpha-2 country code, validated against the full list of assigned codes
// (plus XK, Kosovo, which US lists use).
class Country {
 public:
  Country() = default;
  static Result<Country> Parse(std::string_view text);  // case-insensitive, trims spaces
  static bool IsValidCode(std::string_view code);
  const std::string& code() const { return code_; }
  std::string_view name() const;  // English short name
  bool empty() const { return code_.empty(); }
  auto operator<=>(const Country&) const = default;

 private:
  explicit Country(std::string c) : code_(std::move(c)) {}
  std::string code_;
};

}  // namespace tollgate

#endif  // TOLLGATE_CORE_H_
