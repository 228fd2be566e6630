#include <gtest/gtest.h>

#include "tollgate/pipeline.h"

namespace tollgate {
namespace {

Money M(const char* amount, const char* cur) {
  return Money{*Decimal::Parse(amount), *Currency::Parse(cur)};
}
Date D(const char* s) { return *Date::Parse(s); }

const char kFx[] =
    "date,currency,rate_to_usd\n"
    "2025-01-01,CNY,0.1370\n"
    "2025-07-01,CNY,0.1395\n"
    "2025-01-01,JPY,0.006400\n"
    "2025-01-01,EUR,1.0350\n";

TEST(Fx, LatestRateOnOrBeforeTheDate) {
  auto t = FxTable::Parse(kFx, "fx.csv");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->size(), 4u);
  auto r = t->RateOn(*Currency::Parse("CNY"), D("2025-06-30"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rate_to_usd.ToString(), "0.1370");
  EXPECT_EQ(r->date.ToString(), "2025-01-01");
  r = t->RateOn(*Currency::Parse("CNY"), D("2025-07-01"));
  EXPECT_EQ(r->rate_to_usd.ToString(), "0.1395");
  r = t->RateOn(*Currency::Parse("CNY"), D("2030-01-01"));
  EXPECT_EQ(r->rate_to_usd.ToString(), "0.1395");
}

TEST(Fx, MissingRateIsAClearError) {
  auto t = FxTable::Parse(kFx, "fx.csv");
  auto r = t->RateOn(*Currency::Parse("CNY"), D("2024-12-31"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            "no FX rate for CNY on or before 2024-12-31 (earliest is 2025-01-01)");
  r = t->RateOn(*Currency::Parse("AED"), D("2025-12-31"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "no FX rate for AED in the FX table");
}

TEST(Fx, UsdNeedsNoRow) {
  FxTable empty = *FxTable::Parse("date,currency,rate_to_usd\n", "fx.csv");
  auto usd = empty.ToUsd(M("10.005", "USD"), D("2020-01-01"));
  ASSERT_TRUE(usd.ok());
  EXPECT_EQ(usd->ToString(), "10.00 USD");  // half-even: 10.005 → 10.00
}

TEST(Fx, HalfEvenToTheCentOnAwkwardAmounts) {
  // 1 CNY × 0.125 = 0.125 → 0.12 (tie, even); 3 × 0.125 = 0.375 → 0.38 (tie, even).
  EXPECT_EQ(ConvertToUsd(M("1", "CNY"), *Decimal::Parse("0.125"))->ToString(), "0.12 USD");
  EXPECT_EQ(ConvertToUsd(M("3", "CNY"), *Decimal::Parse("0.125"))->ToString(), "0.38 USD");
  // Not a tie: 0.1250001 → 0.13.
  EXPECT_EQ(ConvertToUsd(M("1", "CNY"), *Decimal::Parse("0.1250001"))->ToString(), "0.13 USD");
  // JPY has no minor unit; the USD result still has cents.
  EXPECT_EQ(ConvertToUsd(M("1234567", "JPY"), *Decimal::Parse("0.006400"))->ToString(),
            "7901.23 USD");  // 7901.2288
  // Negative amounts (credits) round half-even symmetrically.
  EXPECT_EQ(ConvertToUsd(M("-1", "CNY"), *Decimal::Parse("0.125"))->ToString(), "-0.12 USD");
  // Large exact amounts stay exact: 123456789012.34 × 0.1370 = 16913580094.69058.
  EXPECT_EQ(ConvertToUsd(M("123456789012.34", "CNY"), *Decimal::Parse("0.1370"))->ToString(),
            "16913580094.69 USD");
}

TEST(Fx, EveryBadRowIsReported) {
  auto t = FxTable::Parse(
      "date,currency,rate_to_usd\n"
      "2025-02-30,CNY,0.1\n"
      "2025-01-01,XXX,0.1\n"
      "2025-01-01,EUR,-1\n"
      "2025-01-01,EUR,abc\n"
      "2025-01-01,CNY,0.1\n"
      "2025-01-01,CNY,0.2\n"
      "2025-01-01,CNY\n",
      "fx.csv");
  ASSERT_FALSE(t.ok());
  const auto& ds = t.status().diagnostics();
  ASSERT_EQ(ds.size(), 6u);
  EXPECT_EQ(ds[0].ToString(),
            "fx.csv:2:1: error: field 'date': invalid date '2025-02-30'\n  2025-02-30,CNY,0.1\n"
            "  ^\n  hint: expected an ISO 8601 date YYYY-MM-DD");
  EXPECT_EQ(ds[1].message, "unknown currency 'XXX'");
  EXPECT_EQ(ds[2].message, "non-positive rate '-1'");
  EXPECT_EQ(ds[3].message, "invalid rate 'abc'");
  EXPECT_EQ(ds[4].message, "duplicate rate for CNY on 2025-01-01; first given on line 6");
  EXPECT_EQ(ds[5].message, "expected 3 fields, got 2");
  EXPECT_EQ(ds[5].hint, "the header (line 1) is date,currency,rate_to_usd");
}

TEST(Fx, WrongHeader) {
  auto t = FxTable::Parse("date,ccy,rate\n", "fx.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().diagnostics().at(0).hint, "expected the header date,currency,rate_to_usd");
}

TEST(Parties, ExactMatchAfterNormalisation) {
  auto p = ExactPartyList::Parse(
      "name,list,entry_id\n"
      "\"Huawei Technologies Co., Ltd.\",bis_entity_list,EL-1\n"
      "SOME  Trading   LLC,ofac_sdn,12345\n",
      "p.csv");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->size(), 2u);
  auto hits = p->Screen("  huawei technologies co., LTD. ", Country());
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].list, "bis_entity_list");
  EXPECT_EQ((*hits)[0].entry_id, "EL-1");
  EXPECT_EQ((*hits)[0].score, 1.0);
  EXPECT_EQ(p->Screen("some trading llc", Country())->size(), 1u);
  EXPECT_TRUE(p->Screen("Huawei Technologies", Country())->empty());
}

TEST(Parties, BadRows) {
  auto p = ExactPartyList::Parse("name,list,entry_id\n,x,1\nA,,2\nB\n", "p.csv");
  ASSERT_FALSE(p.ok());
  ASSERT_EQ(p.status().diagnostics().size(), 3u);
  EXPECT_EQ(p.status().diagnostics()[0].message, "empty party name");
  EXPECT_EQ(p.status().diagnostics()[1].message, "empty list name");
  EXPECT_EQ(p.status().diagnostics()[2].message, "expected 3 fields, got 1");
  EXPECT_FALSE(ExactPartyList::Parse("who,what\n", "p.csv").ok());
}

}  // namespace
}  // namespace tollgate
