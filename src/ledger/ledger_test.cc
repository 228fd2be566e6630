// The ledger suite: every test runs against memory, SQLite and PostgreSQL (the last skipped
// with a message when TOLLGATE_PG_URL is unset; scripts/start-postgres.sh sets it).
#include "tollgate/ledger.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "ledger/codec.h"
#include "ledger/state.h"
#include "ledger/stores.h"
#include "ledger/test_util.h"

namespace tollgate {
namespace {

using ledger::testing::C;
using ledger::testing::D;
using ledger::testing::Day;
using ledger::testing::MakeLine;
using ledger::testing::TestBackend;

Money Usd(const std::string& s) { return Money{D(s), Currency()}; }

Licence MakeLicence(const std::string& number, int64_t qty, const std::string& value) {
  Licence l;
  l.number = number;
  l.holder = "Acme";
  l.items = {"H20"};
  l.eccns = {"3A090.a"};
  l.destinations = {C("CN")};
  l.consignees = {"Shenzhen Compute Ltd"};
  l.quantity = qty;
  l.value = Usd(value);
  l.valid_from = Day("2026-01-01");
  l.valid_to = Day("2026-12-31");
  l.conditions = {"no military end use"};
  return l;
}

class LedgerSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<TestBackend>(GetParam());
    if (!backend_->available()) {
      GTEST_SKIP() << "TOLLGATE_PG_URL is not set; source scripts/start-postgres.sh to run "
                      "the PostgreSQL ledger tests";
    }
    auto l = backend_->Open();
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    ledger_ = std::move(l).value();
  }
  Ledger& L() { return *ledger_; }
  VerifyReport Verify() {
    auto r = ledger_->Verify();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }

  std::unique_ptr<TestBackend> backend_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_P(LedgerSuite, EmptyLedgerVerifies) {
  auto v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events_checked, 0);
  auto cp = L().GetCheckpoint();
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->seq, 0);
  EXPECT_EQ(cp->hash, kGenesisHash);
}

// PreviewBatch answers what RecordBatch would do, with the same errors, and writes nothing.
TEST_P(LedgerSuite, PreviewBatchWritesNothing) {
  ASSERT_TRUE(L().RecordBatch({MakeLine("V-1", 1)}).ok());
  const int64_t head = L().GetCheckpoint()->seq;
  auto p = L().PreviewBatch({MakeLine("V-1", 1), MakeLine("V-2", 1), MakeLine("V-3", 1)});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->recorded, 2);
  EXPECT_EQ(p->already_present, 1);
  EXPECT_EQ(p->head_seq, head);
  EXPECT_EQ(L().GetCheckpoint()->seq, head);

  auto conflict = L().PreviewBatch({MakeLine("V-4", 1), MakeLine("V-1", 1, 99)});
  EXPECT_EQ(conflict.status().code(), StatusCode::kConflict);
  DecidedLine bad = MakeLine("V-5", 1);
  bad.quantity = 0;
  auto invalid = L().PreviewBatch({bad, MakeLine("V-6", 1)});
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid.status().ToString(),
            L().RecordBatch({bad, MakeLine("V-6", 1)}).status().ToString());
  EXPECT_EQ(L().GetCheckpoint()->seq, head);

  // Nothing was registered either: recording the previewed lines writes them as usual.
  auto r = L().RecordBatch({MakeLine("V-2", 1), MakeLine("V-3", 1)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 2);
  EXPECT_EQ(r->head_seq, head + 2);
  EXPECT_TRUE(Verify().ok);
  EXPECT_EQ(L().options().max_batch_lines, OpenOptions().max_batch_lines);
}

TEST_P(LedgerSuite, RecordsLinesOnceAndRefusesChangedContent) {
  std::vector<DecidedLine> batch = {MakeLine("O-1", 1), MakeLine("O-1", 2), MakeLine("O-2", 1)};
  auto r = L().RecordBatch(batch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 3);
  EXPECT_EQ(r->already_present, 0);
  EXPECT_EQ(r->head_seq, 4);  // a policy.rules event registering rule cn-h20, then 3 lines

  auto again = L().RecordBatch(batch);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->recorded, 0);
  EXPECT_EQ(again->already_present, 3);
  EXPECT_EQ(again->head_seq, 4);
  EXPECT_EQ(again->already_present_keys[0], "O-1/1");

  // Same key, different content: the whole batch fails, the new line is not recorded.
  DecidedLine changed = MakeLine("O-1", 2, 11);
  auto bad = L().RecordBatch({MakeLine("O-3", 1), changed});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kConflict);
  EXPECT_EQ(bad.status().message(),
            "order line O-1/2 is already recorded (event 3) with different content");
  auto cp = L().GetCheckpoint();
  EXPECT_EQ(cp->seq, 4);

  // A duplicate inside one batch with the same content is stored once.
  auto dup = L().RecordBatch({MakeLine("O-4", 1), MakeLine("O-4", 1)});
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->recorded, 1);
  EXPECT_EQ(dup->already_present, 1);
  EXPECT_TRUE(Verify().ok);
}

TEST_P(LedgerSuite, ReportsEveryBadLine) {
  DecidedLine a = MakeLine("O-1", 1);
  a.quantity = 0;
  DecidedLine b = MakeLine("O-1", 2);
  DecidedLine c = MakeLine("", 3);
  auto r = L().RecordBatch({a, b, c});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(r.status().diagnostics().size(), 2u);
  EXPECT_EQ(r.status().diagnostics()[0].message,
            "order line O-1/1 (batch item 1): quantity: 0 is not in 1..1000000000000");
  EXPECT_EQ(r.status().diagnostics()[1].message,
            "order line /3 (batch item 3): order_id: required");
  EXPECT_EQ(r.status().diagnostics()[1].hint, "2 of 3 lines are invalid; nothing was recorded");
  EXPECT_EQ(L().GetCheckpoint()->seq, 0);
}

TEST_P(LedgerSuite, LimitsOnHostileInput) {
  TestBackend other(GetParam());
  auto l = Ledger::Open(other.location(), [&] {
    OpenOptions x = other.Options();
    x.max_batch_lines = 2;
    x.max_field_bytes = 32;
    x.max_input_json_bytes = 64;
    return x;
  }());
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  auto big = (*l)->RecordBatch({MakeLine("A", 1), MakeLine("A", 2), MakeLine("A", 3)});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(big.status().message(), "batch of 3 lines exceeds the limit of 2 lines per batch");
  DecidedLine longname = MakeLine("A", 1);
  longname.consignee = std::string(33, 'x');
  auto lf = (*l)->RecordBatch({longname});
  ASSERT_FALSE(lf.ok());
  EXPECT_EQ(lf.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(lf.status().message(),
            "order line A/1 (batch item 1): consignee: 33 bytes exceeds the limit of 32");
  DecidedLine longjson = MakeLine("A", 1);
  longjson.input_json = std::string(65, ' ');
  auto lj = (*l)->RecordBatch({longjson});
  ASSERT_FALSE(lj.ok());
  EXPECT_EQ(lj.status().message(),
            "order line A/1 (batch item 1): input_json: 65 bytes exceeds the limit of 64");
}

TEST_P(LedgerSuite, AccruesRevenueShareAndTariffAsBalancedPostings) {
  DecidedLine share = MakeLine("O-1", 1, 10, "12000.00");  // 15% of 120000 = 18000.00
  DecidedLine tariff = MakeLine("O-2", 1, 4, "30000.00");
  tariff.item = "H200";
  tariff.customs_value = D("100000.01");  // 25% = 25000.0025 -> 25000.00
  tariff.decision.obligations = {ledger::testing::Tariff("0.25")};
  DecidedLine cny = MakeLine("O-3", 1, 3, "33333.33");
  cny.currency = Currency::Parse("CNY").value();
  cny.usd_rate = D("0.13835");  // 15% x 99999.99 = 14999.9985 CNY x 0.13835 = 2075.24979...
  ASSERT_TRUE(L().RecordBatch({share, tariff, cny}).ok());
  EXPECT_EQ(L().AccountBalance("expense:revenue_share")->amount, D("20075.25"));
  EXPECT_EQ(L().AccountBalance("payable:us_treasury:revenue_share")->amount, D("-20075.25"));
  EXPECT_EQ(L().AccountBalance("expense:tariff")->amount, D("25000.00"));
  EXPECT_EQ(L().AccountBalance("payable:us_treasury:tariff")->amount, D("-25000.00"));

  auto st = L().BuildStatement({"2026Q1", ""});
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ASSERT_EQ(st->rows.size(), 2u);  // (Acme, H20, CN, share) and (Acme, H200, CN, tariff)
  EXPECT_EQ(st->rows[0].item, "H20");
  EXPECT_EQ(st->rows[0].lines, 2);
  EXPECT_EQ(st->rows[0].owed_usd.amount, D("20075.25"));
  EXPECT_EQ(st->rows[1].owed_usd.amount, D("25000.00"));
  EXPECT_EQ(st->rows[1].base_usd.amount, D("100000.01"));
  EXPECT_EQ(st->total_owed.amount, D("45075.25"));
  EXPECT_EQ(st->checkpoint_seq, 4);
  EXPECT_EQ(st->checkpoint_hash, L().GetCheckpoint()->hash);
  // Nothing in another quarter.
  auto q2 = L().BuildStatement({"2026Q2", ""});
  ASSERT_TRUE(q2.ok());
  EXPECT_TRUE(q2->rows.empty());
  EXPECT_EQ(q2->total_balance_due.amount, D("45075.25"));  // still owed
}

TEST_P(LedgerSuite, RoundsHalfEvenToTheCentOnAwkwardAmountsAndRates) {
  struct Case {
    const char* price;
    const char* rate;
    const char* currency;
    const char* fx;  // "" for USD
    const char* want;
  };
  const Case cases[] = {
      {"0.50", "0.25", "USD", "", "0.12"},        // 0.125 -> 0.12 (tie to even)
      {"0.54", "0.25", "USD", "", "0.14"},        // 0.135 -> 0.14 (tie to even)
      {"33.335", "0.15", "USD", "", "5.00"},      // 5.00025 -> 5.00
      {"10.00", "0.25", "CNY", "0.125", "0.31"},  // 2.5 x 0.125 = 0.3125 -> 0.31
      {"10.00", "0.25", "CNY", "0.143", "0.36"},  // 0.3575 -> 0.36
      {"0.10", "0.15", "JPY", "0.0066", "0.00"},  // 0.015 x 0.0066 = 0.000099 -> 0.00
      {"1000", "0.15", "JPY", "0.0065", "0.98"},  // 150 x 0.0065 = 0.975 -> 0.98 (tie, 8 even)
      {"1000", "0.15", "JPY", "0.0063", "0.94"},  // 0.945 -> 0.94 (tie, 4 even)
      {"1.005", "1", "KWD", "3.25", "3.27"},      // 3.26625 -> 3.27
  };
  std::vector<DecidedLine> lines;
  Decimal sum;
  int n = 0;
  for (const auto& c : cases) {
    DecidedLine l = MakeLine("R-" + std::to_string(++n), 1, 1, c.price);
    l.currency = Currency::Parse(c.currency).value();
    if (*c.fx) l.usd_rate = D(c.fx);
    l.decision.obligations = {ledger::testing::RevenueShare(c.rate)};
    lines.push_back(l);
    sum = *Decimal::CheckedAdd(sum, D(c.want));
  }
  ASSERT_TRUE(L().RecordBatch(lines).ok());
  auto st = L().BuildStatement({"2026-02", ""});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->total_owed.amount, sum);
  // Each line individually, through its own statement row: record one more with amount_usd.
  DecidedLine given = MakeLine("R-given", 1, 1, "1.00");
  given.decision.obligations[0].amount_usd = Usd("0.375");  // -> 0.38
  ASSERT_TRUE(L().RecordBatch({given}).ok());
  EXPECT_EQ(L().AccountBalance("expense:revenue_share")->amount,
            *Decimal::CheckedAdd(sum, D("0.38")));
  // A non-USD line without an FX rate is refused, naming what is missing.
  DecidedLine nofx = MakeLine("R-nofx", 1, 1, "1.00");
  nofx.currency = Currency::Parse("EUR").value();
  auto r = L().RecordBatch({nofx});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "order line R-nofx/1 (batch item 1): decision.obligations[0] (revenue_share): no "
            "amount_usd and no FX rate (usd_rate) for EUR on 2026-02-10");
}

TEST_P(LedgerSuite, StatementTotalsEqualTheSumOfRecordedObligations) {
  std::vector<DecidedLine> lines;
  Decimal expected;
  for (int i = 1; i <= 60; ++i) {
    DecidedLine l = MakeLine("S-" + std::to_string(i), 1, i, std::to_string(997 * i) + ".37");
    l.exporter = i % 3 == 0 ? "Beta" : "Acme";
    l.date = Day(i % 2 ? "2026-01-15" : "2026-03-31");
    if (i % 4 == 0) {
      l.customs_value = D(std::to_string(1234 * i) + ".55");
      l.decision.obligations.push_back(ledger::testing::Tariff("0.25"));
    }
    lines.push_back(l);
  }
  ASSERT_TRUE(L().RecordBatch(lines).ok());
  // Independent computation from the inputs.
  for (const auto& l : lines) {
    Decimal sale = *Decimal::CheckedMul(Decimal::FromInt(l.quantity), l.unit_price);
    expected = *Decimal::CheckedAdd(
        expected, *Decimal::CheckedMul(D("0.15"), sale)->Rescale(2, Rounding::kHalfEven));
    if (l.customs_value) {
      expected = *Decimal::CheckedAdd(
          expected,
          *Decimal::CheckedMul(D("0.25"), *l.customs_value)->Rescale(2, Rounding::kHalfEven));
    }
  }
  auto st = L().BuildStatement({"2026Q1", ""});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->total_owed.amount, expected);
  Decimal rows;
  for (const auto& r : st->rows) rows = *Decimal::CheckedAdd(rows, r.owed_usd.amount);
  EXPECT_EQ(rows, expected);
  Decimal exp_total;
  for (const auto& t : st->totals) {
    exp_total = *Decimal::CheckedAdd(exp_total, t.share_owed.amount);
    exp_total = *Decimal::CheckedAdd(exp_total, t.tariff_owed.amount);
  }
  EXPECT_EQ(exp_total, expected);
  Decimal ledger_total = *Decimal::CheckedAdd(L().AccountBalance("expense:revenue_share")->amount,
                                              L().AccountBalance("expense:tariff")->amount);
  EXPECT_EQ(ledger_total, expected);
  auto beta = L().BuildStatement({"2026Q1", "Beta"});
  ASSERT_TRUE(beta.ok());
  ASSERT_EQ(beta->totals.size(), 1u);
  EXPECT_EQ(beta->totals[0].exporter, "Beta");
}

TEST_P(LedgerSuite, RemittancesSettlePayables) {
  ASSERT_TRUE(L().RecordBatch({MakeLine("O-1", 1, 10, "1000.00")}).ok());  // owes 1500.00
  Remittance too_much{"", "Acme", "revenue_share", Usd("1500.01"), Day("2026-03-01"), "x", "cfo"};
  Status s = L().RecordRemittance(too_much);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "remittance M-3 of 1500.01 USD exceeds the outstanding revenue_share payable of "
            "Acme (1500.00 USD)");
  Remittance part{"PAY-1",       "Acme", "revenue_share", Usd("1000.00"), Day("2026-03-01"),
                  "pay.gov 123", "cfo"};
  ASSERT_TRUE(L().RecordRemittance(part).ok());
  EXPECT_EQ(L().RecordRemittance(part).code(), StatusCode::kConflict);
  Remittance cents{"PAY-2", "Acme", "revenue_share", Usd("0.001"), Day("2026-03-01"), "", "c"};
  EXPECT_EQ(L().RecordRemittance(cents).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(L().AccountBalance("payable:us_treasury:revenue_share")->amount, D("-500.00"));
  EXPECT_EQ(L().AccountBalance("cash")->amount, D("-1000.00"));
  auto st = L().BuildStatement({"2026Q1", "Acme"});
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->totals.size(), 1u);
  EXPECT_EQ(st->totals[0].share_owed.amount, D("1500.00"));
  EXPECT_EQ(st->totals[0].remitted.amount, D("1000.00"));
  EXPECT_EQ(st->totals[0].balance_due.amount, D("500.00"));
  ASSERT_EQ(st->remittances.size(), 1u);
  EXPECT_EQ(st->remittances[0].reference, "pay.gov 123");
}

TEST_P(LedgerSuite, LicenceBalancesReservationsAndRefusals) {
  ASSERT_TRUE(L().AddLicence(MakeLicence("D100", 100, "1200000.00"), "officer").ok());
  // Same terms again: idempotent. Different terms: conflict.
  EXPECT_TRUE(L().AddLicence(MakeLicence("D100", 100, "1200000.00"), "officer").ok());
  EXPECT_EQ(L().AddLicence(MakeLicence("D100", 101, "1200000.00"), "officer").code(),
            StatusCode::kConflict);
  DecidedLine a = MakeLine("O-1", 1, 60, "12000.00");
  a.licence = "D100";
  DecidedLine b = MakeLine("O-1", 2, 60, "12000.00");
  b.licence = "D100";
  ASSERT_TRUE(L().RecordBatch({a, b}).ok());

  auto r = L().Reserve({"D100", "RES-1", 30, Usd("360000.00"), "O-1", 2, "officer", ""});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto bal = L().GetLicence("D100");
  EXPECT_EQ(bal->available_quantity, 70);
  EXPECT_EQ(bal->reserved_value.amount, D("360000.00"));

  auto s1 = L().Ship({"SH-1", "O-1", 1, 60, Date(), "", "", "clerk"});
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  EXPECT_EQ(s1->balance_after->available_quantity, 10);
  EXPECT_EQ(s1->value.amount, D("720000.00"));

  // 60 more would go below zero even though the line allows it.
  auto s2 = L().Ship({"SH-2", "O-1", 2, 0, Date(), "", "", "clerk"});
  ASSERT_FALSE(s2.ok());
  EXPECT_EQ(s2.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s2.status().message(),
            "licence D100: shipment SH-2 of 60 units / 720000.00 USD would take the balance "
            "below zero (authorised 100 units / 1200000.00 USD, shipped 60 / 720000.00 USD, "
            "reserved 30 / 360000.00 USD, available 10 / 120000.00 USD)");
  // With the reservation, 40 fit (10 free + 30 reserved).
  auto s3 = L().Ship({"SH-3", "O-1", 2, 40, Date(), "", "RES-1", "clerk"});
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  EXPECT_EQ(s3->balance_after->available_quantity, 0);
  EXPECT_EQ(s3->balance_after->reserved_quantity, 0);
  EXPECT_EQ(L().Release("RES-1", "officer", "done").code(), StatusCode::kFailedPrecondition);
  auto over = L().Ship({"SH-4", "O-1", 2, 1, Date(), "", "", "clerk"});
  EXPECT_EQ(over.status().code(), StatusCode::kFailedPrecondition);
  // Shipping more than the line holds.
  auto line_over = L().Ship({"SH-5", "O-1", 1, 1, Date(), "", "", "clerk"});
  EXPECT_EQ(line_over.status().message(), "order line O-1/1 has shipped in full");
  EXPECT_EQ(L().Ship({"SH-6", "O-9", 1, 1, Date(), "", "", "clerk"}).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(Verify().ok);
}

TEST_P(LedgerSuite, ReserveAndReleaseRestoreTheBalance) {
  ASSERT_TRUE(L().AddLicence(MakeLicence("D200", 10, "100.00"), "officer").ok());
  auto r = L().Reserve({"D200", "", 10, Usd("100.00"), "", 0, "officer", "hold for Q2"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, "R-2");
  auto more = L().Reserve({"D200", "", 1, Usd("0.00"), "", 0, "officer", ""});
  EXPECT_EQ(more.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(L().Release("R-2", "officer", "order cancelled").ok());
  EXPECT_EQ(L().GetLicence("D200")->available_quantity, 10);
  EXPECT_EQ(L().Release("R-404", "officer", "x").code(), StatusCode::kNotFound);
  auto rs = L().Reservations("D200");
  ASSERT_EQ(rs->size(), 1u);
  EXPECT_FALSE((*rs)[0].open);
}

TEST_P(LedgerSuite, LicenceScopeIsChecked) {
  Licence lic = MakeLicence("D300", 1000, "100000000.00");
  lic.valid_to = Day("2026-02-28");
  ASSERT_TRUE(L().AddLicence(lic, "officer").ok());
  DecidedLine l = MakeLine("O-1", 1, 1);
  l.licence = "D300";
  DecidedLine other_consignee = MakeLine("O-2", 1, 1);
  other_consignee.consignee = "Somebody Else";
  other_consignee.licence = "D300";
  DecidedLine hold = MakeLine("O-3", 1, 1);
  hold.decision.decision = "hold";
  DecidedLine unlicensed = MakeLine("O-4", 1, 1);
  ASSERT_TRUE(L().RecordBatch({l, other_consignee, hold, unlicensed}).ok());
  auto late = L().Ship({"", "O-1", 1, 0, Day("2026-03-01"), "", "", "clerk"});
  EXPECT_EQ(late.status().message(),
            "licence D300 does not cover order line O-1/1: ship date 2026-03-01 is outside "
            "its validity 2026-01-01 to 2026-02-28");
  auto who = L().Ship({"", "O-2", 1, 0, Date(), "", "", "clerk"});
  EXPECT_EQ(who.status().message(),
            "licence D300 does not cover order line O-2/1: consignee 'Somebody Else' is not "
            "named on it");
  auto held = L().Ship({"", "O-3", 1, 0, Date(), "", "", "clerk"});
  EXPECT_EQ(held.status().message(), "order line O-3/1 was decided 'hold' and may not ship");
  auto nolic = L().Ship({"", "O-4", 1, 0, Date(), "", "", "clerk"});
  EXPECT_EQ(nolic.status().message(),
            "order line O-4/1 requires a licence; name one with --licence");
  EXPECT_EQ(L().GetCheckpoint()->seq, 6);  // nothing refused was written
}

TEST_P(LedgerSuite, VolumeCapsFromDecisionsAndExplicitCaps) {
  DecidedLine us = MakeLine("US-1", 1, 100, "10.00");
  us.destination = C("US");
  us.decision.decision = "nlr";
  us.decision.obligations.clear();
  DecidedLine cn = MakeLine("CN-1", 1, 80, "10.00");
  cn.decision.decision = "nlr";
  cn.decision.obligations = {ledger::testing::VolumeCapObligation("0.5", "US")};
  ASSERT_TRUE(L().RecordBatch({us, cn}).ok());
  // Nothing shipped to the US yet: the cap is 0.
  auto first = L().Ship({"", "CN-1", 1, 1, Date(), "", "", "clerk"});
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().message(),
            "volume cap: shipping 1 units of H20 to CN would bring 2026Q1 to 1 units, above "
            "0.5 x 0 units shipped to US (limit 0.0) [91 FR 1684 (reported condition, "
            "UNVERIFIED wording)]");
  ASSERT_TRUE(L().Ship({"", "US-1", 1, 0, Date(), "", "", "clerk"}).ok());
  ASSERT_TRUE(L().Ship({"", "CN-1", 1, 50, Date(), "", "", "clerk"}).ok());
  auto over = L().Ship({"", "CN-1", 1, 1, Date(), "", "", "clerk"});
  EXPECT_EQ(over.status().code(), StatusCode::kFailedPrecondition);
  // A shipment in the next quarter starts from zero on both sides.
  EXPECT_FALSE(L().Ship({"", "CN-1", 1, 1, Day("2026-04-02"), "", "", "clerk"}).ok());

  // Explicit cap on another item.
  VolumeCap cap{"H200", C("CN"), C("US"), D("0.25"), "month", "policy memo 7"};
  ASSERT_TRUE(L().SetCap(cap, "officer").ok());
  DecidedLine us2 = us;
  us2.order_id = "US-2";
  us2.item = "H200";
  us2.decision.order_id = "US-2";
  DecidedLine cn2 = cn;
  cn2.order_id = "CN-2";
  cn2.item = "H200";
  cn2.decision.order_id = "CN-2";
  cn2.decision.obligations.clear();
  ASSERT_TRUE(L().RecordBatch({us2, cn2}).ok());
  ASSERT_TRUE(L().Ship({"", "US-2", 1, 40, Date(), "", "", "clerk"}).ok());
  EXPECT_TRUE(L().Ship({"", "CN-2", 1, 10, Date(), "", "", "clerk"}).ok());
  EXPECT_FALSE(L().Ship({"", "CN-2", 1, 1, Date(), "", "", "clerk"}).ok());
  EXPECT_EQ(L().SetCap({"H200", C("CN"), C("CN"), D("1"), "month", ""}, "o").code(),
            StatusCode::kInvalidArgument);
}

TEST_P(LedgerSuite, ReviewsClearAndConfirmHits) {
  Review r{"Shenzhen Compute Ltd",
           "bis_entity_list",
           "EL-42",
           "clear",
           "different address and registration number",
           "alice",
           ""};
  ASSERT_TRUE(L().RecordReview(r).ok());
  EXPECT_TRUE(*L().IsCleared("  shenzhen   COMPUTE ltd ", "bis_entity_list", "EL-42"));
  EXPECT_FALSE(*L().IsCleared("Shenzhen Compute Ltd", "bis_entity_list", "EL-43"));
  r.action = "confirm";
  r.reason = "new information";
  ASSERT_TRUE(L().RecordReview(r).ok());
  EXPECT_FALSE(*L().IsCleared("Shenzhen Compute Ltd", "bis_entity_list", "EL-42"));
  auto all = L().Reviews();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].time, "2026-03-31T12:00:00Z");
  r.action = "maybe";
  EXPECT_EQ(L().RecordReview(r).code(), StatusCode::kInvalidArgument);
  r.action = "clear";
  r.reason = "";
  EXPECT_EQ(L().RecordReview(r).message(), "reason: required");
}

TEST_P(LedgerSuite, SecondHandleSeesWritesAndStateSurvivesReopen) {
  if (!backend_->persistent()) GTEST_SKIP() << "needs a database shared between objects";
  ASSERT_TRUE(L().AddLicence(MakeLicence("D100", 100, "1200000.00"), "officer").ok());
  DecidedLine a = MakeLine("O-1", 1, 60, "12000.00");
  a.licence = "D100";
  ASSERT_TRUE(L().RecordBatch({a}).ok());
  auto other = backend_->Open();
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Ship({"", "O-1", 1, 10, Date(), "", "", "clerk"}).ok());
  // The first handle catches up before writing: its balance check sees the shipment.
  EXPECT_EQ(L().GetLicence("D100")->shipped_quantity, 10);
  auto s = L().Ship({"", "O-1", 1, 50, Date(), "", "", "clerk"});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ledger_.reset();
  other->reset();
  auto reopened = backend_->Open();
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->GetLicence("D100")->available_quantity, 40);
  EXPECT_EQ((*reopened)->AccountBalance("expense:revenue_share")->amount, D("108000.00"));
  auto v = (*reopened)->Verify();
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->events_checked, 5);  // rule texts, licence, line, two shipments
}

// ---------------------------------------------------------------------------------------
// Tamper tests: each kind of change made behind Tollgate's back is found and named.

class TamperTest : public LedgerSuite {
 protected:
  void Record(int n) {
    std::vector<DecidedLine> lines;
    for (int i = 1; i <= n; ++i) lines.push_back(MakeLine("T-" + std::to_string(i), 1));
    ASSERT_TRUE(L().RecordBatch(lines).ok());
    ASSERT_TRUE(Verify().ok);
  }
  // Applies `sql` (SQLite / PostgreSQL) or `mem` (memory store) to the stored events.
  void Tamper(const std::string& sql, const std::function<void(ledger::MemoryStore&)>& mem) {
    if (backend_->kind() == "memory") {
      mem(*static_cast<ledger::MemoryStore*>(L().store()));
    } else {
      Status s = backend_->Exec(sql);
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }
};

TEST_P(TamperTest, ModifiedRow) {
  Record(5);
  Tamper(
      "UPDATE ledger_events SET payload = replace(payload, '\"quantity\":10', "
      "'\"quantity\":1') WHERE seq = 3",
      [](ledger::MemoryStore& m) {
        auto& p = m.events()[2].payload;
        p.replace(p.find("\"quantity\":10"), 13, "\"quantity\":1");
      });
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem,
            "event 3 (line.recorded): content does not match its hash (the row was modified)");
}

TEST_P(TamperTest, ModifiedRowWithRecomputedHash) {
  Record(5);
  // An attacker who also rewrites the row's hash breaks the link of the next event.
  std::string fake;
  {
    std::vector<LedgerEvent> evs;
    ASSERT_TRUE(L().Export([&](const LedgerEvent& e) {
                     evs.push_back(e);
                     return Status::Ok();
                   })
                    .ok());
    LedgerEvent e = evs[2];
    e.payload.replace(e.payload.find("\"quantity\":10"), 13, "\"quantity\":1");
    e.hash = EventHash(e);
    fake = e.payload;
    std::string h = e.hash;
    Tamper(
        "UPDATE ledger_events SET payload = replace(payload, '\"quantity\":10', "
        "'\"quantity\":1'), hash = '" +
            h + "' WHERE seq = 3",
        [&](ledger::MemoryStore& m) {
          m.events()[2].payload = fake;
          m.events()[2].hash = h;
        });
  }
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_EQ(v.problem,
            "event 4 (line.recorded): does not link to event 3 (an event before it was "
            "modified, inserted, deleted or reordered)");
}

TEST_P(TamperTest, DeletedRow) {
  Record(5);
  Tamper("DELETE FROM ledger_events WHERE seq = 2",
         [](ledger::MemoryStore& m) { m.events().erase(m.events().begin() + 1); });
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_EQ(v.problem, "event 2 is missing: the next stored event is 3 (an event was deleted)");
  // Writers refuse to append to a broken chain.
  if (backend_->persistent()) {
    auto fresh = backend_->Open();
    auto w2 = (*fresh)->RecordBatch({MakeLine("T-99", 1)});
    EXPECT_EQ(w2.status().code(), StatusCode::kIntegrityError);
  }
}

TEST_P(TamperTest, DeletedLastRow) {
  Record(5);
  // Events: 1 registers the rule texts, 2..6 record lines T-1..T-5.
  Tamper("DELETE FROM ledger_events WHERE seq = 6",
         [](ledger::MemoryStore& m) { m.events().pop_back(); });
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 6);
  EXPECT_EQ(v.problem,
            "the chain holds 5 events but the recorded head is event 6 (events were deleted "
            "from the end)");
}

TEST_P(TamperTest, InsertedRow) {
  Record(5);
  // Make room at seq 3 and insert a forged, self-consistent event linked to event 2.
  std::vector<LedgerEvent> evs;
  ASSERT_TRUE(L().Export([&](const LedgerEvent& e) {
                   evs.push_back(e);
                   return Status::Ok();
                 })
                  .ok());
  LedgerEvent forged = evs[2];  // line T-2 (event 1 registers the rule texts)
  forged.payload.replace(forged.payload.find("T-2"), 3, "T-X");
  forged.prev_hash = evs[1].hash;
  forged.hash = EventHash(forged);
  Tamper(
      "UPDATE ledger_events SET seq = -seq WHERE seq >= 3; "
      "UPDATE ledger_events SET seq = 1 - seq WHERE seq < 0; "
      "INSERT INTO ledger_events (seq, kind, recorded_at, payload, prev_hash, hash) VALUES "
      "(3, 'line.recorded', '" +
          forged.time + "', '" + forged.payload + "', '" + forged.prev_hash + "', '" + forged.hash +
          "')",
      [&](ledger::MemoryStore& m) {
        for (auto& e : m.events()) {
          if (e.seq >= 3) ++e.seq;
        }
        m.events().insert(m.events().begin() + 2, forged);
      });
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_EQ(v.problem,
            "event 4 (line.recorded): does not link to event 3 and its content does not "
            "match its hash (an event was inserted, or events were reordered)");
}

TEST_P(TamperTest, AppendedRow) {
  Record(3);
  std::vector<LedgerEvent> evs;
  ASSERT_TRUE(L().Export([&](const LedgerEvent& e) {
                   evs.push_back(e);
                   return Status::Ok();
                 })
                  .ok());
  LedgerEvent forged = evs.back();  // events: rule texts, T-1, T-2, T-3
  forged.seq = 5;
  forged.payload.replace(forged.payload.find("T-3"), 3, "T-X");
  forged.prev_hash = evs.back().hash;
  forged.hash = EventHash(forged);
  Tamper(
      "INSERT INTO ledger_events (seq, kind, recorded_at, payload, prev_hash, hash) VALUES "
      "(5, 'line.recorded', '" +
          forged.time + "', '" + forged.payload + "', '" + forged.prev_hash + "', '" + forged.hash +
          "')",
      [&](ledger::MemoryStore& m) { m.events().push_back(forged); });
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 5);
  EXPECT_EQ(v.problem,
            "the chain holds 5 events but the recorded head is event 4 (events were appended "
            "outside Tollgate, or the head was reset)");
}

// Ledgers of 4,096 events or more are verified on one reader per core, each over a range
// of seq (the boundary link checked afterwards). Whatever is wrong, the report must be the
// one the sequential check gives: the first bad event, exactly named.
TEST_P(TamperTest, ParallelVerifyNamesTheSameFirstBadEvent) {
  std::vector<DecidedLine> lines;
  for (int i = 1; i <= 5000; ++i) lines.push_back(MakeLine("P-" + std::to_string(i), 1));
  ASSERT_TRUE(L().RecordBatch(lines).ok());
  VerifyReport ok = Verify();
  ASSERT_TRUE(ok.ok) << ok.problem;
  EXPECT_EQ(ok.events_checked, 5001);
  EXPECT_EQ(ok.head.hash, L().GetCheckpoint()->hash);
  // A modified row late in the chain (in the second reader's range).
  Tamper(
      "UPDATE ledger_events SET payload = replace(payload, '\"quantity\":10', "
      "'\"quantity\":1') WHERE seq = 4000",
      [](ledger::MemoryStore& m) {
        auto& p = m.events()[3999].payload;
        p.replace(p.find("\"quantity\":10"), 13, "\"quantity\":1");
      });
  VerifyReport v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4000);
  EXPECT_EQ(v.problem,
            "event 4000 (line.recorded): content does not match its hash (the row was modified)");
  // A row deleted at the start of the second half comes first now.
  Tamper("DELETE FROM ledger_events WHERE seq = 2502",
         [](ledger::MemoryStore& m) { m.events().erase(m.events().begin() + 2501); });
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2502);
  EXPECT_EQ(v.problem,
            "event 2502 is missing: the next stored event is 2503 (an event was deleted)");
}

TEST_P(TamperTest, ReorderedRows) {
  Record(5);
  Tamper(
      "UPDATE ledger_events SET seq = -seq WHERE seq IN (2, 3); "
      "UPDATE ledger_events SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq < 0",
      [](ledger::MemoryStore& m) { std::swap(m.events()[1].seq, m.events()[2].seq); });
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_EQ(v.problem,
            "event 2 (line.recorded): does not link to event 1 and its content does not "
            "match its hash (an event was inserted, or events were reordered)");
}

// ---------------------------------------------------------------------------------------
// Migrations

TEST_P(LedgerSuite, MigratesFromEachEarlierVersion) {
  if (!backend_->persistent()) GTEST_SKIP() << "needs a database shared between objects";
  // From empty: the current version.
  EXPECT_EQ(*L().store()->SchemaVersion(), ledger::kSchemaVersion);
  ASSERT_TRUE(L().RecordBatch({MakeLine("M-1", 1), MakeLine("M-1", 2)}).ok());
  std::vector<LedgerEvent> evs;
  ASSERT_TRUE(L().Export([&](const LedgerEvent& e) {
                   evs.push_back(e);
                   return Status::Ok();
                 })
                  .ok());
  // A database left at version 1 (no ledger_head), holding the same events.
  TestBackend old(GetParam());
  {
    auto raw = old.OpenRawStore(1);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    EXPECT_EQ(*(*raw)->SchemaVersion(), 1);
    for (const auto& e : evs) {
      ASSERT_TRUE(old.Exec("INSERT INTO ledger_events (seq, kind, recorded_at, payload, "
                           "prev_hash, hash) VALUES (" +
                           std::to_string(e.seq) + ", '" + e.kind + "', '" + e.time + "', '" +
                           e.payload + "', '" + e.prev_hash + "', '" + e.hash + "')")
                      .ok());
    }
  }
  auto upgraded = old.Open();
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  EXPECT_EQ(*(*upgraded)->store()->SchemaVersion(), 2);
  auto cp = (*upgraded)->GetCheckpoint();
  EXPECT_EQ(cp->seq, 3);  // rule texts and two lines
  EXPECT_EQ(cp->hash, evs.back().hash);
  EXPECT_TRUE((*upgraded)->Verify()->ok);
  auto more = (*upgraded)->RecordBatch({MakeLine("M-1", 2), MakeLine("M-2", 1)});
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->already_present, 1);
  EXPECT_EQ(more->recorded, 1);
  // A database from a newer tollgate is refused, not downgraded.
  ASSERT_TRUE(old.Exec("INSERT INTO schema_version (version) VALUES (99)").ok());
  auto newer = old.Open();
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------------------
// Crash recovery with a real kill -9, and concurrent writers.

TEST_P(LedgerSuite, KillNineMidBatchLeavesWholeLinesAndRerunCompletes) {
  if (!backend_->persistent()) GTEST_SKIP() << "needs a database shared between objects";
  constexpr int kChunks = 400, kChunk = 50;
  std::vector<DecidedLine> all;
  for (int i = 0; i < kChunks * kChunk; ++i) all.push_back(MakeLine("K-" + std::to_string(i), 1));
  ledger_.reset();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto l = backend_->Open();
    if (!l.ok()) _exit(3);
    for (int c = 0; c < kChunks; ++c) {
      std::vector<DecidedLine> chunk(all.begin() + c * kChunk, all.begin() + (c + 1) * kChunk);
      if (!(*l)->RecordBatch(chunk).ok()) _exit(4);
    }
    _exit(0);
  }
  // Wait until the child has committed a few chunks, then kill it hard.
  auto probe = backend_->Open();
  ASSERT_TRUE(probe.ok());
  for (int i = 0; i < 2000; ++i) {
    auto cp = (*probe)->GetCheckpoint();
    if (cp.ok() && cp->seq >= 3 * kChunk) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child finished before it was killed";
  probe->reset();
  auto after = backend_->Open();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  auto v = (*after)->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  const int64_t kept = v->events_checked - 1;  // event 1 registers the rule texts
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, kChunks * kChunk);
  EXPECT_EQ(kept % kChunk, 0) << "a chunk was half written";
  // Re-running the whole batch completes it without duplicates.
  int recorded = 0, present = 0;
  for (int c = 0; c < kChunks; ++c) {
    std::vector<DecidedLine> chunk(all.begin() + c * kChunk, all.begin() + (c + 1) * kChunk);
    auto r = (*after)->RecordBatch(chunk);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    recorded += r->recorded;
    present += r->already_present;
  }
  EXPECT_EQ(present, kept);
  EXPECT_EQ(recorded + present, kChunks * kChunk);
  auto v2 = (*after)->Verify();
  EXPECT_TRUE(v2->ok);
  EXPECT_EQ(v2->events_checked, kChunks * kChunk + 1);
}

TEST_P(LedgerSuite, ConcurrentProcessesKeepOneChainAndBalancesNeverNegative) {
  if (!backend_->persistent()) GTEST_SKIP() << "needs a database shared between objects";
  constexpr int kProcs = 4, kLinesPerProc = 40;
  ASSERT_TRUE(L().AddLicence(MakeLicence("D-CON", 100, "100000000.00"), "officer").ok());
  std::vector<DecidedLine> lines;
  for (int p = 0; p < kProcs; ++p) {
    for (int i = 0; i < kLinesPerProc; ++i) {
      DecidedLine l = MakeLine("P" + std::to_string(p) + "-" + std::to_string(i), 1, 1, "100.00");
      l.licence = "D-CON";
      lines.push_back(l);
    }
  }
  ledger_.reset();
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto l = backend_->Open();
      if (!l.ok()) _exit(3);
      int shipped = 0;
      for (int i = 0; i < kLinesPerProc; ++i) {
        const DecidedLine& line = lines[p * kLinesPerProc + i];
        if (!(*l)->RecordBatch({line}).ok()) _exit(4);
        auto s = (*l)->Ship({"", line.order_id, 1, 1, Date(), "", "", "proc"});
        if (s.ok()) {
          ++shipped;
          if (s->balance_after->available_quantity < 0) _exit(5);
        } else if (s.status().code() != StatusCode::kFailedPrecondition) {
          _exit(6);
        }
      }
      _exit(0);
    }
    kids.push_back(pid);
  }
  for (pid_t k : kids) {
    int status = 0;
    waitpid(k, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  auto l = backend_->Open();
  ASSERT_TRUE(l.ok());
  auto v = (*l)->Verify();
  EXPECT_TRUE(v->ok) << v->problem;
  auto bal = (*l)->GetLicence("D-CON");
  // 160 shipments were attempted against 100 units: exactly 100 went through.
  EXPECT_EQ(bal->shipped_quantity, 100);
  EXPECT_EQ(bal->available_quantity, 0);
  // The licence, one policy.rules event (the first writer registers the rule texts), the
  // lines and the shipments.
  EXPECT_EQ(v->events_checked, 1 + 1 + kProcs * kLinesPerProc + 100);
  EXPECT_EQ((*l)->AccountBalance("expense:revenue_share")->amount, D("2400.00"));
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerSuite, ::testing::Values("memory", "sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Stores, TamperTest, ::testing::Values("memory", "sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// A ledger written by the version that stored line.recorded in payload format 1 (full rules,
// input_json, postings): tests/ledger/data/format1_ledger.jsonl holds 20 events recorded
// from the sample order book by that version (re-chained to start at 1). Today's binary must
// verify it, replay it, treat re-recorded lines as already present, append format-2 events
// after it, and replay the mixture.
std::string ReadTestData(const std::string& name) {
  std::string text;
  std::FILE* f = std::fopen((std::string(TOLLGATE_LEDGER_TESTDATA "/") + name).c_str(), "rb");
  EXPECT_NE(f, nullptr) << name;
  if (!f) return text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

// Replays `events` into a fresh state and returns the order lines they recorded, decoded
// as Tollgate reads them (any payload format).
std::vector<DecidedLine> RecordedLines(const std::vector<LedgerEvent>& events) {
  ledger::LedgerState st;
  std::vector<DecidedLine> out;
  for (const auto& e : events) {
    if (e.kind == ledger::kLineRecorded) {
      auto l = st.RecordedLine(e.payload, 1 << 20);
      EXPECT_TRUE(l.ok()) << "event " << e.seq << ": " << l.status().ToString();
      if (l.ok()) out.push_back(*l);
    }
    Status s = st.ApplyEvent(e, 1 << 20);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  return out;
}

// A ledger over a memory store holding `events` (head = the last one).
std::unique_ptr<Ledger> OpenOver(const std::vector<LedgerEvent>& events) {
  auto store = std::make_unique<ledger::MemoryStore>();
  store->events() = events;
  if (!events.empty()) store->head() = Checkpoint{events.back().seq, events.back().hash};
  auto opened = Ledger::OpenStore(std::move(store));
  EXPECT_TRUE(opened.ok());
  return opened.ok() ? std::move(opened).value() : nullptr;
}

std::vector<LedgerEvent> ExportAll(Ledger& l) {
  std::vector<LedgerEvent> all;
  Status s = l.Export([&](const LedgerEvent& e) {
    all.push_back(e);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return all;
}

TEST(Format1, OldLedgersReplayStayIdempotentAndAcceptNewEvents) {
  std::string text = ReadTestData("format1_ledger.jsonl");
  auto events = ParseEventExport(text, "format1_ledger.jsonl");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 20u);
  ASSERT_TRUE(VerifyEvents(*events).ok);

  // The lines as they were recorded (the format-1 payload is the import format).
  std::vector<DecidedLine> lines;
  ledger::Json expected_accounts = ledger::Json::object();
  Decimal owed;
  for (const auto& e : *events) {
    auto j = ledger::ParseJson(e.payload, 1 << 20);
    ASSERT_TRUE(j.ok());
    EXPECT_FALSE(j->contains("format"));
    auto l = ledger::DecidedLineFromJson(*j, "");
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    lines.push_back(*l);
    for (const auto& p : (*j)["postings"]) {
      if (p["account"] == "payable:us_treasury:revenue_share" ||
          p["account"] == "payable:us_treasury:tariff") {
        owed = *Decimal::CheckedAdd(owed, D(p["amount"].get<std::string>()).Negated());
      }
    }
  }
  EXPECT_FALSE(owed.is_zero());

  std::unique_ptr<Ledger> opened = OpenOver(*events);
  ASSERT_NE(opened, nullptr);
  Ledger& l = *opened;
  ASSERT_TRUE(l.Verify()->ok);
  auto owed_before = l.AccountBalance("expense:revenue_share");
  auto tariff_before = l.AccountBalance("expense:tariff");
  ASSERT_TRUE(owed_before.ok() && tariff_before.ok());
  EXPECT_EQ(*Decimal::CheckedAdd(owed_before->amount, tariff_before->amount), owed);

  // Re-recording the same lines: all already present (compared in format 1), nothing written.
  auto again = l.RecordBatch(lines);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->recorded, 0);
  EXPECT_EQ(again->already_present, 20);
  EXPECT_EQ(l.GetCheckpoint()->seq, 20);
  // A changed line is still a conflict.
  DecidedLine changed = lines[0];
  changed.quantity += 1;
  EXPECT_EQ(l.RecordBatch({changed}).status().code(), StatusCode::kConflict);

  // New lines are appended in the current format (rule texts first), and the mixture
  // replays.
  DecidedLine fresh = lines.back();
  fresh.order_id = "NEW-1";
  fresh.decision.order_id = "NEW-1";
  auto r = l.RecordBatch({fresh});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 1);
  std::vector<LedgerEvent> all = ExportAll(l);
  ASSERT_EQ(all.size(), 22u);  // a policy.rules event (format 3 registers the policy too)
  EXPECT_NE(all.back().payload.find("\"format\":3"), std::string::npos);
  ASSERT_TRUE(VerifyEvents(all).ok);
  std::unique_ptr<Ledger> reopened = OpenOver(all);
  ASSERT_NE(reopened, nullptr);
  auto twice = reopened->RecordBatch({fresh});
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_EQ(twice->already_present, 1);
  auto st = reopened->BuildStatement({"2026Q1", ""});
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  auto st_before = l.BuildStatement({"2026Q1", ""});
  EXPECT_EQ(st->total_owed.amount, st_before->total_owed.amount);
  EXPECT_EQ(reopened->AccountBalance("expense:tariff")->amount,
            l.AccountBalance("expense:tariff")->amount);
}

// tests/ledger/data/format2_ledger.jsonl: 29 events (policy.rules and line.recorded in
// payload format 2) written by the version before format 3, from 21 lines of the sample order
// book (revenue shares, tariffs, screening hits, several policies). Today's binary must
// verify and replay it, recognise its lines when they are recorded again, refuse a changed
// line, and append format-3 lines that refer to the policies and rules it registered.
TEST(Format2, OldLedgersReplayStayIdempotentAndAcceptFormat3Lines) {
  auto events = ParseEventExport(ReadTestData("format2_ledger.jsonl"), "format2_ledger.jsonl");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 29u);
  ASSERT_TRUE(VerifyEvents(*events).ok);
  int rules_events = 0;
  for (const auto& e : *events) {
    if (e.kind == ledger::kPolicyRules) ++rules_events;
    if (e.kind == ledger::kLineRecorded) {
      EXPECT_NE(e.payload.find("\"format\":2"), std::string::npos) << e.seq;
      EXPECT_NE(e.payload.find("\"content_hash\""), std::string::npos) << e.seq;
    }
  }
  EXPECT_EQ(rules_events, 8);
  std::vector<DecidedLine> lines = RecordedLines(*events);
  ASSERT_EQ(lines.size(), 21u);

  std::unique_ptr<Ledger> opened = OpenOver(*events);
  ASSERT_NE(opened, nullptr);
  Ledger& l = *opened;
  ASSERT_TRUE(l.Verify()->ok);
  auto before = l.BuildStatement({"2026Q1", ""});
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->total_owed.amount.ToString(), "609010.91");  // tollgate statement, then

  auto again = l.RecordBatch(lines);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->recorded, 0);
  EXPECT_EQ(again->already_present, 21);
  EXPECT_EQ(l.GetCheckpoint()->seq, 29);
  for (size_t i : {size_t{0}, lines.size() - 1}) {
    DecidedLine changed = lines[i];
    changed.decision.explanation += ".";
    EXPECT_EQ(l.RecordBatch({changed}).status().code(), StatusCode::kConflict) << i;
  }

  // A new line under a policy and rules the format-2 events registered: one format-3 event
  // naming them, nothing registered again.
  const DecidedLine* with_rules = nullptr;
  for (const auto& x : lines) {
    if (!x.decision.rules.empty() && !x.decision.obligations.empty()) with_rules = &x;
  }
  ASSERT_NE(with_rules, nullptr);
  DecidedLine fresh = *with_rules;
  fresh.order_id = fresh.decision.order_id = "NEW-1";
  auto r = l.RecordBatch({fresh});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 1);
  std::vector<LedgerEvent> all = ExportAll(l);
  ASSERT_EQ(all.size(), 30u);
  const std::string& p = all.back().payload;
  EXPECT_NE(p.find("\"format\":3"), std::string::npos) << p;
  EXPECT_NE(p.find("\"policy\":\"" + fresh.decision.policy.hash + "\""), std::string::npos) << p;
  EXPECT_EQ(p.find("content_hash"), std::string::npos) << p;
  EXPECT_EQ(p.find("\"cite\""), std::string::npos) << p;  // rules by id, cites from them
  ASSERT_TRUE(VerifyEvents(all).ok);
  std::vector<DecidedLine> decoded = RecordedLines(all);
  ASSERT_EQ(decoded.size(), 22u);
  EXPECT_EQ(decoded.back().decision.policy.name, fresh.decision.policy.name);
  EXPECT_EQ(decoded.back().decision.policy.version, fresh.decision.policy.version);
  EXPECT_EQ(decoded.back().decision.rules.size(), fresh.decision.rules.size());
  EXPECT_EQ(decoded.back().decision.rules[0].cite, fresh.decision.rules[0].cite);

  // The mixture replays; every line, in either format, is recognised again.
  std::unique_ptr<Ledger> reopened = OpenOver(all);
  ASSERT_NE(reopened, nullptr);
  lines.push_back(fresh);
  auto twice = reopened->RecordBatch(lines);
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_EQ(twice->already_present, 22);
  fresh.quantity += 1;
  EXPECT_EQ(reopened->RecordBatch({fresh}).status().code(), StatusCode::kConflict);
  auto after = reopened->BuildStatement({"2026Q1", ""});
  ASSERT_TRUE(after.ok());
  EXPECT_GE(after->total_owed.amount.ToString().size(), 1u);
  EXPECT_EQ(reopened->AccountBalance("expense:tariff")->amount,
            l.AccountBalance("expense:tariff")->amount);
}

// Format 3 names a line's policy by hash. A policy with no rules is registered by a
// policy.rules event without a "rules" member; a line whose policy has the hash of a
// registered one but another name or version carries its policy in full.
TEST(Format3, PoliciesAreRegisteredOnceAndLinesReferToThemByHash) {
  std::unique_ptr<Ledger> opened = OpenOver({});
  ASSERT_NE(opened, nullptr);
  Ledger& l = *opened;
  const std::string hash = "sha256:" + std::string(64, 'e');
  DecidedLine a = MakeLine("P-1", 1);
  a.decision.decision = "nlr";
  a.decision.effect = Effect::kNlr;
  a.decision.rules.clear();
  a.decision.obligations.clear();
  a.decision.policy = PolicyRef{"us", "2026-01-15", hash};
  DecidedLine b = a;
  b.order_id = b.decision.order_id = "P-2";
  b.decision.policy.version = "2026-02-01";  // same hash, other version: carried in full
  auto r = l.RecordBatch({a, b});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 2);
  std::vector<LedgerEvent> all = ExportAll(l);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind, ledger::kPolicyRules);
  EXPECT_EQ(all[0].payload,
            "{\"policy\":{\"hash\":\"" + hash + "\",\"name\":\"us\",\"version\":\"2026-01-15\"}}");
  EXPECT_NE(all[1].payload.find("\"policy\":\"" + hash + "\""), std::string::npos);
  EXPECT_NE(all[2].payload.find("\"version\":\"2026-02-01\""), std::string::npos);
  std::vector<DecidedLine> decoded = RecordedLines(all);
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_EQ(decoded[0].decision.policy.version, "2026-01-15");
  EXPECT_EQ(decoded[1].decision.policy.version, "2026-02-01");
  auto twice = l.RecordBatch({a, b});
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_EQ(twice->already_present, 2);
  // Who records a line is not part of it: recorded again by someone else, it is present.
  DecidedLine by_other = a;
  by_other.recorded_by = "someone else";
  auto other = l.RecordBatch({by_other});
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->already_present, 1);
  DecidedLine changed = b;
  changed.end_use = "research";
  EXPECT_EQ(l.RecordBatch({changed}).status().code(), StatusCode::kConflict);
  // A line that names a policy no event registered is refused on replay.
  ledger::LedgerState st;
  ASSERT_TRUE(st.ApplyEvent(all[0], 1 << 20).ok());
  ASSERT_TRUE(st.ApplyEvent(all[1], 1 << 20).ok());
  std::string orphan = all[1].payload;
  orphan.replace(orphan.find(hash), hash.size(), "sha256:" + std::string(64, 'f'));
  auto bad = st.RecordedLine(orphan, 1 << 20);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("is not in any earlier policy.rules event"),
            std::string::npos)
      << bad.status().ToString();
}

}  // namespace
}  // namespace tollgate
