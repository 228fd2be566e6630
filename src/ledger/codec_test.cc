// Round trips of every stored record: decode(encode(x)) == encode-equal x.
#include "ledger/codec.h"

#include "ledger/canonical.h"

#include <gtest/gtest.h>

#include "ledger/state.h"
#include "ledger/test_util.h"

namespace tollgate::ledger {
namespace {

using testing::D;
using testing::MakeLine;

TEST(CodecTest, DecidedLineRoundTrips) {
  DecidedLine l = MakeLine("O-1", 7, 3, "1.005");
  l.customs_value = D("99.99");
  l.usd_rate = D("0.13835");
  l.end_user_hq = testing::C("HK");
  l.decision.hits.push_back(
      PartyHit{"consignee", "Shenzhen", "bis_entity_list", "EL-1", "Shenzhen X", "", 0.93, {}});
  l.decision.obligations.push_back(testing::Tariff("0.25"));
  l.decision.obligations.push_back(testing::VolumeCapObligation("0.5", "US"));
  l.decision.conditions = {"third-party testing in the US"};
  Json j = DecidedLineToJson(l);
  auto back = DecidedLineFromJson(j, "");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Dump(DecidedLineToJson(*back)), Dump(j));
  // And through text.
  auto parsed = ParseJson(Dump(j), 1 << 20);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(Dump(*parsed), Dump(j));
}

// The streaming writer must produce exactly DumpCompact of the nlohmann objects.
TEST(CodecTest, FastCanonicalWriterMatchesTheReferenceEncoder) {
  std::vector<DecidedLine> lines;
  lines.push_back(MakeLine("O-1", 1));
  DecidedLine full = MakeLine("O-\"q\"\\ \x01\x1f\t\n", 2, 3, "1.005");
  full.customs_value = D("99.99");
  full.usd_rate = D("0.13835");
  full.end_user_hq = testing::C("HK");
  full.consignee = "深圳计算有限公司 \xF0\x9F\x98\x80 café";
  full.input_json = "{\"a\": [1, 2]}";
  full.decision.hits.push_back(
      PartyHit{"consignee", "Shenzhen", "bis_entity_list", "EL-1", "Shenzhen X", "", 0.93, {}});
  full.decision.hits.push_back(PartyHit{"end_user", "", "ofac_sdn", "1", "", "alias", 1.0 / 3, {}});
  full.decision.obligations.push_back(testing::Tariff("0.25"));
  full.decision.obligations.push_back(testing::VolumeCapObligation("0.5", "US"));
  full.decision.obligations[0].amount = Money{D("1.50"), Currency::Parse("CNY").value()};
  full.decision.obligations[0].amount_usd = Money{D("0.21"), Currency()};
  full.decision.obligations[0].days = 30;
  full.decision.conditions = {"third-party testing in the US", ""};
  full.decision.policy = PolicyRef{};
  lines.push_back(full);
  DecidedLine bare;
  bare.decision.decision = "hold";
  lines.push_back(bare);
  for (const auto& l : lines) {
    EXPECT_EQ(FastLineInput(l), DumpCompact(LineInputToJson(l)));
    EXPECT_EQ(FastDecision(l.decision), DumpCompact(DecisionToJson(l.decision)));
  }
  // Invalid UTF-8: the fast writer declines; the reference encoder replaces.
  DecidedLine bad = MakeLine("O-1", 1);
  bad.consignee = "\xC3\x28";
  EXPECT_EQ(FastLineInput(bad), "");
  bad = MakeLine("O-1", 1);
  bad.decision.explanation = "\xED\xA0\x80";  // a surrogate
  EXPECT_EQ(FastDecision(bad.decision), "");
}

TEST(CodecTest, LicenceAndAccrualRoundTrip) {
  Licence lic;
  lic.number = "D1";
  lic.holder = "Acme";
  lic.items = {"H20"};
  lic.destinations = {testing::C("CN"), testing::C("MO")};
  lic.quantity = 5;
  lic.value = Money{D("10.50"), Currency::Parse("EUR").value()};
  lic.valid_from = testing::Day("2026-01-01");
  lic.valid_to = testing::Day("2026-06-30");
  auto back = LicenceFromJson(LicenceToJson(lic), "licence");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Dump(LicenceToJson(*back)), Dump(LicenceToJson(lic)));
  Accrual a{"tariff",
            "r",
            "c",
            D("0.25"),
            "customs_value",
            Money{D("4.00"), Currency()},
            Money{D("1.00"), Currency()},
            "US Treasury"};
  auto ab = AccrualFromJson(AccrualToJson(a), "a");
  ASSERT_TRUE(ab.ok());
  EXPECT_EQ(Dump(AccrualToJson(*ab)), Dump(AccrualToJson(a)));
}

TEST(CodecTest, CanonicalFormSortsKeysAndUsesStringsForMoney) {
  Json j{{"b", 1}, {"a", D("1.50").ToString()}, {"c", "é\n"}};
  EXPECT_EQ(Dump(j), "{\"a\":\"1.50\",\"b\":1,\"c\":\"é\\n\"}");
  // Invalid UTF-8 is replaced, never thrown.
  EXPECT_EQ(Dump(Json(std::string("\xff"))), "\"\xef\xbf\xbd\"");
}

TEST(CodecTest, DecoderNamesTheBadField) {
  auto j = ParseJson(
      R"({"input":{"order_id":"O","line":1,"date":"2026-02-30","exporter":"A","item":"H20",)"
      R"("quantity":1,"unit_price":"1","currency":"USD","destination":"CN"},"decision":{}})",
      1 << 20);
  ASSERT_TRUE(j.ok());
  auto l = DecidedLineFromJson(*j, "line 3");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message().substr(0, 22), "line 3.input.date: inv");
  auto bad = ParseJson("{\"a\":", 100);
  EXPECT_EQ(bad.status().code(), StatusCode::kParseError);
  auto big = ParseJson(std::string(101, ' '), 100);
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  std::string deep(40, '[');
  EXPECT_EQ(ParseJson(deep, 100).status().code(), StatusCode::kResourceExhausted);
}

TEST(CodecTest, EventHashCoversEveryField) {
  LedgerEvent e{1, "line.recorded", "2026-01-01T00:00:00Z", "{}", kGenesisHash, ""};
  std::string h = EventHash(e);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(CanonicalEventBytes(e),
            std::string("tollgate-ledger-v1\n1\nline.recorded\n2026-01-01T00:00:00Z\n") +
                kGenesisHash + "\n{}");
  for (int f = 0; f < 5; ++f) {
    LedgerEvent x = e;
    if (f == 0) x.seq = 2;
    if (f == 1) x.kind = "licence.added";
    if (f == 2) x.time = "2026-01-01T00:00:01Z";
    if (f == 3) x.prev_hash[0] = '1';
    if (f == 4) x.payload = "{ }";
    EXPECT_NE(EventHash(x), h) << f;
  }
  // The streaming hash (one digest update for the head, or several when a tampered row's
  // kind or time is too long for its buffer) equals SHA-256 of the documented bytes.
  for (const LedgerEvent& x :
       {e, LedgerEvent{-9223372036854775807LL - 1, std::string(300, 'k'), "t", "p", "x", ""},
        LedgerEvent{123456789, "kind", std::string(1000, 't'), std::string(5000, 'y'),
                    std::string(64, 'f'), ""},
        LedgerEvent{0, "", "", "", "", ""}}) {
    EXPECT_EQ(EventHash(x), ledger::Sha256Hex(CanonicalEventBytes(x))) << x.seq;
  }
  std::string deep_in_string = "[\"" + std::string(40, '[') + "\\\"\"]";
  EXPECT_TRUE(ParseJson(deep_in_string, 100).ok()) << "brackets inside strings do not nest";
  EXPECT_TRUE(ParseJson(std::string(17, '[') + std::string(17, ']'), 100).ok());
  EXPECT_EQ(ParseJson(std::string(18, '[') + std::string(18, ']'), 100).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(StateTest, PeriodsAndKeys) {
  Date d = testing::Day("2026-05-17");
  EXPECT_EQ(PeriodMonths("quarter", d), std::make_pair(2026 * 12 + 3, 2026 * 12 + 5));
  EXPECT_EQ(PeriodMonths("month", d), std::make_pair(2026 * 12 + 4, 2026 * 12 + 4));
  EXPECT_EQ(PeriodMonths("year", d), std::make_pair(2026 * 12, 2026 * 12 + 11));
  EXPECT_EQ(ReviewKey(" A  b ", "l", "e"), ReviewKey("a B", "l", "e"));
}

}  // namespace
}  // namespace tollgate::ledger

namespace tollgate {
namespace {

TEST(ImportTest, DecidedLinesReportEveryBadLineWithItsNumber) {
  std::string good = ledger::Dump(ledger::DecidedLineToJson(ledger::testing::MakeLine("O-1", 1)));
  std::string text = good + "\n\n{\"input\": 5}\nnot json\n" + good + "\n";
  auto r = ParseDecidedLinesJsonl(text, "lines.jsonl");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().diagnostics().size(), 2u);
  EXPECT_EQ(r.status().diagnostics()[0].ToString(),
            "lines.jsonl:3: error: .input: missing or not an object\n  {\"input\": 5}");
  EXPECT_EQ(r.status().diagnostics()[1].line, 4);
  auto ok = ParseDecidedLinesJsonl(good + "\n" + good, "x");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u);
  ImportOptions small;
  small.max_records = 1;
  EXPECT_EQ(ParseDecidedLinesJsonl(good + "\n" + good, "x", small).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(ImportTest, ExportRoundTripsAndVerifiesOffline) {
  auto l = Ledger::Open(":memory:");
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(
      (*l)->RecordBatch({ledger::testing::MakeLine("E-1", 1), ledger::testing::MakeLine("E-1", 2)})
          .ok());
  std::string text;
  ASSERT_TRUE((*l)->Export([&](const LedgerEvent& e) {
                    text += EventToJsonLine(e) + "\n";
                    return Status::Ok();
                  })
                  .ok());
  auto evs = ParseEventExport(text, "export.jsonl");
  ASSERT_TRUE(evs.ok()) << evs.status().ToString();
  ASSERT_EQ(evs->size(), 3u);  // policy.rules, then the two lines
  VerifyReport v = VerifyEvents(*evs);
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.head.hash, (*l)->GetCheckpoint()->hash);
  (*evs)[0].payload[5] ^= 1;
  v = VerifyEvents(*evs);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 1);
}

TEST(ImportTest, LicenceCsvNeedsItsColumns) {
  auto r = ParseLicenceCsv("number,holder\nD1,Acme\n", "l.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics()[0].message, "missing column 'destinations'");
  auto empty = ParseLicenceCsv("", "l.csv");
  EXPECT_EQ(empty.status().message(), "l.csv: empty file (expected a header row)");
}

}  // namespace
}  // namespace tollgate
