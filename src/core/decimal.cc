// Exact decimal arithmetic on a 128-bit coefficient. See docs/money.md for the rules.
#include <cmath>
#include <cstdlib>

#include "tollgate/core.h"

namespace tollgate {
namespace {

using i128 = __int128;

// |coefficient| must stay below 10^36 so that a product of two in-range values can be
// detected before it overflows (checked with __builtin_mul_overflow anyway).
constexpr i128 Pow10(int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}
const i128 kLimit = Pow10(36);

bool InRange(i128 v) { return v < kLimit && v > -kLimit; }

// The truncated quotient q of a division by den > 0 with remainder r (the dividend's sign;
// `neg`: the dividend is negative), rounded with mode: one step away from zero or not.
i128 RoundQuotient(i128 q, i128 r, i128 den, bool neg, Rounding mode) {
  if (r == 0) return q;
  const i128 ar = neg ? -r : r;
  const i128 rest = den - ar;  // ar vs rest compares 2 * ar with den without overflow
  bool away = false;
  switch (mode) {
    case Rounding::kDown:
      away = false;
      break;
    case Rounding::kUp:
      away = true;
      break;
    case Rounding::kHalfUp:
      away = ar >= rest;
      break;
    case Rounding::kHalfEven:
      away = ar > rest || (ar == rest && q % 2 != 0);
      break;
  }
  return away ? q + (neg ? -1 : 1) : q;
}

// Divides v by 10^n rounding with mode. n <= 36.
i128 DivPow10(i128 v, int n, Rounding mode) {
  if (n == 0) return v;
  const i128 p = Pow10(n);
  i128 q = v / p;
  i128 r = v % p;  // same sign as v
  return RoundQuotient(q, r, p, v < 0, mode);
}

// Brings both to the larger scale. Returns false on overflow.
bool Align(i128 a, int sa, i128 b, int sb, i128* oa, i128* ob, int* s) {
  *s = sa > sb ? sa : sb;
  i128 fa = Pow10(*s - sa), fb = Pow10(*s - sb);
  if (__builtin_mul_overflow(a, fa, oa)) return false;
  if (__builtin_mul_overflow(b, fb, ob)) return false;
  return InRange(*oa) && InRange(*ob);
}

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view t) {
  const std::string shown(t);
  auto bad = [&](const std::string& why) {
    return InvalidArgument("invalid number '" + shown + "': " + why +
                           " (expected a decimal such as 1234.56)");
  };
  size_t i = 0;
  bool neg = false;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) neg = t[i++] == '-';
  if (i >= t.size()) return bad("no digits");
  i128 coef = 0;
  int int_digits = 0, frac_digits = 0;
  bool seen_dot = false, any_digit = false;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c == '.') {
      if (seen_dot) return bad("more than one decimal point");
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') return bad(std::string("unexpected character '") + c + "'");
    any_digit = true;
    if (seen_dot) {
      if (++frac_digits > kMaxScale) return bad("more than 18 fraction digits");
    } else if (coef != 0 || c != '0') {
      if (++int_digits > 24) return bad("more than 24 integer digits");
    }
    coef = coef * 10 + (c - '0');
  }
  if (!any_digit) return bad("no digits");
  return Decimal(neg ? -coef : coef, frac_digits);
}

std::optional<Decimal> Decimal::CheckedAdd(const Decimal& a, const Decimal& b) {
  i128 x, y, r;
  int s;
  if (!Align(a.coef_, a.scale_, b.coef_, b.scale_, &x, &y, &s)) return std::nullopt;
  if (__builtin_add_overflow(x, y, &r) || !InRange(r)) return std::nullopt;
  return Decimal(r, s);
}

std::optional<Decimal> Decimal::CheckedSub(const Decimal& a, const Decimal& b) {
  return CheckedAdd(a, b.Negated());
}

std::optional<Decimal> Decimal::CheckedMul(const Decimal& a, const Decimal& b) {
  i128 r;
  if (__builtin_mul_overflow(a.coef_, b.coef_, &r)) return std::nullopt;
  int s = a.scale_ + b.scale_;
  if (s > kMaxScale) {
    r = DivPow10(r, s - kMaxScale, Rounding::kHalfEven);
    s = kMaxScale;
  }
  if (!InRange(r)) return std::nullopt;
  return Decimal(r, s);
}

std::optional<Decimal> Decimal::CheckedDiv(const Decimal& a, const Decimal& b, int scale,
                                           Rounding mode) {
  if (b.coef_ == 0 || scale < 0 || scale > kMaxScale) return std::nullopt;
  // result = a.coef * 10^(scale + b.scale - a.scale) / b.coef, rounded.
  int shift = scale + b.scale_ - a.scale_;
  i128 num = a.coef_, den = b.coef_;
  if (shift >= 0) {
    if (__builtin_mul_overflow(num, Pow10(shift), &num)) return std::nullopt;
  } else {
    if (__builtin_mul_overflow(den, Pow10(-shift), &den)) return std::nullopt;
  }
  if (den < 0) {
    den = -den;
    num = -num;
  }
  i128 q = num / den, r = num % den;
  q = RoundQuotient(q, r, den, num < 0, mode);
  if (!InRange(q)) return std::nullopt;
  return Decimal(q, scale);
}

std::optional<Decimal> Decimal::Rescale(int new_scale, Rounding mode) const {
  if (new_scale < 0 || new_scale > kMaxScale) return std::nullopt;
  if (new_scale >= scale_) {
    i128 r;
    if (__builtin_mul_overflow(coef_, Pow10(new_scale - scale_), &r) || !InRange(r))
      return std::nullopt;
    return Decimal(r, new_scale);
  }
  return Decimal(DivPow10(coef_, scale_ - new_scale, mode), new_scale);
}

double Decimal::ToDouble() const { return static_cast<double>(coef_) / std::pow(10.0, scale_); }

std::string Decimal::ToString() const {
  i128 v = coef_;
  bool neg = v < 0;
  if (neg) v = -v;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  while (static_cast<int>(digits.size()) <= scale_) digits.insert(digits.begin(), '0');
  if (scale_ > 0) digits.insert(digits.end() - scale_, '.');
  return neg ? "-" + digits : digits;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  // Compare without overflow: align when possible, else compare by sign and magnitude.
  i128 x, y;
  int s;
  if (Align(a.coef_, a.scale_, b.coef_, b.scale_, &x, &y, &s)) return x <=> y;
  // Alignment overflow means magnitudes differ hugely; the larger scale has the smaller
  // magnitude per unit, so compare via doubles as a last resort on sign first.
  if ((a.coef_ < 0) != (b.coef_ < 0))
    return a.coef_ < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  double da = a.ToDouble(), db = b.ToDouble();
  return da < db ? std::strong_ordering::less
                 : (da > db ? std::strong_ordering::greater : std::strong_ordering::equal);
}

}  // namespace tollgate
