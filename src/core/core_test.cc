#include <gtest/gtest.h>

#include "tollgate/core.h"
#include "tollgate/status.h"

namespace tollgate {
namespace {

TEST(DateTest, ParsesAndPrints) {
  auto d = Date::Parse("2026-01-15");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 1);
  EXPECT_EQ(d->day(), 15);
  EXPECT_EQ(d->ToString(), "2026-01-15");
  EXPECT_EQ(Date::Parse("1970-01-01")->days_since_epoch(), 0);
  EXPECT_EQ(Date::Parse("2024-02-29")->AddDays(1).ToString(), "2024-03-01");
}

TEST(DateTest, RejectsBadDates) {
  EXPECT_EQ(Date::Parse("2023-02-29").status().message(),
            "invalid date '2023-02-29': no such calendar day (expected YYYY-MM-DD)");
  EXPECT_FALSE(Date::Parse("2023-13-01").ok());
  EXPECT_FALSE(Date::Parse("2023-1-01").ok());
  EXPECT_FALSE(Date::Parse("20230101").ok());
  EXPECT_FALSE(Date::Parse("2023-01-0a").ok());
  EXPECT_FALSE(Date::Parse("").ok());
}

TEST(DateTest, Orders) {
  EXPECT_LT(*Date::Parse("2023-11-16"), *Date::Parse("2023-11-17"));
  EXPECT_EQ(*Date::Parse("2023-11-17"), *Date::Parse("2023-11-17"));
}

TEST(DecimalTest, ParseAndPrintKeepScale) {
  EXPECT_EQ(Decimal::Parse("1.50")->ToString(), "1.50");
  EXPECT_EQ(Decimal::Parse("-0.05")->ToString(), "-0.05");
  EXPECT_EQ(Decimal::Parse("+12")->ToString(), "12");
  EXPECT_EQ(Decimal::Parse(".5")->ToString(), "0.5");
  EXPECT_FALSE(Decimal::Parse("1e3").ok());
  EXPECT_FALSE(Decimal::Parse("1.2.3").ok());
  EXPECT_FALSE(Decimal::Parse("-").ok());
  EXPECT_FALSE(Decimal::Parse("0.1234567890123456789").ok());
  EXPECT_EQ(Decimal::Parse("abc").status().message(),
            "invalid number 'abc': unexpected character 'a' (expected a decimal such as "
            "1234.56)");
}

TEST(DecimalTest, ExactArithmetic) {
  // 0.1 + 0.2 == 0.3 exactly, unlike binary floating point.
  auto s = Decimal::CheckedAdd(*Decimal::Parse("0.1"), *Decimal::Parse("0.2"));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, *Decimal::Parse("0.3"));
  auto p = Decimal::CheckedMul(*Decimal::Parse("31999.99"), *Decimal::Parse("0.25"));
  EXPECT_EQ(p->ToString(), "7999.9975");
  EXPECT_EQ(Decimal::CheckedSub(*Decimal::Parse("1"), *Decimal::Parse("1.01"))->ToString(),
            "-0.01");
}

TEST(DecimalTest, HalfEvenRounding) {
  auto r = [](const char* v, int s) {
    return Decimal::Parse(v)->Rescale(s, Rounding::kHalfEven)->ToString();
  };
  EXPECT_EQ(r("2.345", 2), "2.34");
  EXPECT_EQ(r("2.355", 2), "2.36");
  EXPECT_EQ(r("-2.345", 2), "-2.34");
  EXPECT_EQ(r("-2.355", 2), "-2.36");
  EXPECT_EQ(r("2.3451", 2), "2.35");
  EXPECT_EQ(r("7999.9975", 2), "8000.00");
  EXPECT_EQ(r("0.005", 2), "0.00");
  EXPECT_EQ(r("0.015", 2), "0.02");
  EXPECT_EQ(r("5", 2), "5.00");
  EXPECT_EQ(Decimal::Parse("2.345")->Rescale(2, Rounding::kHalfUp)->ToString(), "2.35");
  EXPECT_EQ(Decimal::Parse("2.349")->Rescale(2, Rounding::kDown)->ToString(), "2.34");
  EXPECT_EQ(Decimal::Parse("2.341")->Rescale(2, Rounding::kUp)->ToString(), "2.35");
}

TEST(DecimalTest, Division) {
  auto q = Decimal::CheckedDiv(*Decimal::Parse("1"), *Decimal::Parse("3"), 6, Rounding::kHalfEven);
  EXPECT_EQ(q->ToString(), "0.333333");
  EXPECT_EQ(Decimal::CheckedDiv(*Decimal::Parse("-1"), *Decimal::Parse("8"), 2, Rounding::kHalfEven)
                ->ToString(),
            "-0.12");
  EXPECT_FALSE(Decimal::CheckedDiv(*Decimal::Parse("1"), Decimal(), 2, Rounding::kHalfEven));
}

TEST(DecimalTest, OverflowIsReportedNotWrapped) {
  auto big = *Decimal::Parse("999999999999999999999999");
  EXPECT_FALSE(Decimal::CheckedMul(big, big));
  EXPECT_FALSE(Decimal::Parse("1234567890123456789012345").ok());
}

TEST(DecimalTest, ComparesNumerically) {
  EXPECT_EQ(*Decimal::Parse("1.5"), *Decimal::Parse("1.500"));
  EXPECT_LT(*Decimal::Parse("-1"), *Decimal::Parse("0.001"));
}

TEST(MoneyTest, RoundsToMinorUnitHalfEven) {
  Money m{*Decimal::Parse("1234.565"), *Currency::Parse("USD")};
  EXPECT_EQ(m.RoundedToMinor().ToString(), "1234.56 USD");
  Money y{*Decimal::Parse("1234.5"), *Currency::Parse("jpy")};
  EXPECT_EQ(y.RoundedToMinor().ToString(), "1234 JPY");
  Money k{*Decimal::Parse("1.0005"), *Currency::Parse("KWD")};
  EXPECT_EQ(k.RoundedToMinor().ToString(), "1.000 KWD");
  EXPECT_FALSE(Currency::Parse("XXY").ok());
  EXPECT_FALSE(Currency::Parse("US").ok());
}

TEST(CountryTest, ValidatesIso3166) {
  EXPECT_EQ(Country::Parse("cn")->code(), "CN");
  EXPECT_EQ(Country::Parse(" MO ")->name(), "Macao");
  EXPECT_TRUE(Country::IsValidCode("XK"));
  EXPECT_FALSE(Country::Parse("ZZ").ok());
  EXPECT_FALSE(Country::Parse("CHN").ok());
  EXPECT_EQ(Country::Parse("UK").status().message(),
            "unknown country code 'UK' (expected an ISO 3166-1 alpha-2 code such as CN, US, "
            "AE)");
}

TEST(DiagnosticTest, RendersLocationSourceAndCaret) {
  Diagnostic d;
  d.file = "orders.csv";
  d.line = 3;
  d.column = 5;
  d.field = "quantity";
  d.message = "negative quantity '-4'";
  d.source_line = "A,1,-4";
  d.hint = "expected a whole number of units >= 0";
  EXPECT_EQ(d.ToString(),
            "orders.csv:3:5: error: field 'quantity': negative quantity '-4'\n  A,1,-4\n"
            "      ^\n  hint: expected a whole number of units >= 0");
}

TEST(ResultTest, CarriesValueOrStatus) {
  Result<int> ok = 3;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  Result<int> bad = NotFound("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tollgate
