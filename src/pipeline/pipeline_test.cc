// The pipeline over an in-memory catalog and policy (fakes of the seams), so these tests do
// not depend on the bundled data. The bundled policy is exercised by tests/scenarios.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tollgate/pipeline.h"

namespace tollgate {
namespace {

Decimal Dec(const char* s) { return *Decimal::Parse(s); }
Date D(const char* s) { return *Date::Parse(s); }

class FakeCatalog : public ItemResolver {
 public:
  Result<ResolvedItem> Resolve(std::string_view item, Date as_of) const override {
    ResolvedItem r;
    if (item == "H200" || item == "nvidia-h200-sxm") {
      r.id = "nvidia-h200-sxm";
      r.name = "NVIDIA H200 SXM";
      r.attributes["item.tpp"] = Dec("15832");
      r.eccn = as_of >= D("2023-11-17") ? "3A090.a" : "";
    } else if (item == "H20") {
      r.id = "nvidia-h20";
      r.name = "NVIDIA H20";
      r.attributes["item.tpp"] = Dec("2368");
    } else {
      return NotFound("unknown item '" + std::string(item) + "'");
    }
    r.vendor = "NVIDIA";
    return r;
  }
};

// A tiny policy in C++: embargo, licence for controlled items to CN (denial, or case-by-case
// with a 25% tariff on customs value from 2026-01-15), H20 licence with a 15% share.
class FakePolicy : public PolicyEngine {
 public:
  Result<Decision> Decide(const FactMap& f, Date as_of) const override {
    Decision d;
    d.policy = {"test", as_of >= D("2026-01-15") ? "2026-01-15" : "2022-10-07", "sha256:00"};
    auto str = [&](const char* k) { return std::get<std::string>(f.at(k)); };
    const Decimal tpp = std::get<Decimal>(f.at("item.tpp"));
    const std::string dest = str("destination");
    if (dest == "CU") add(&d, "embargo", Effect::kProhibited, "15 CFR 746.2");
    if (dest == "CN" && tpp >= Dec("4800")) {
      if (as_of >= D("2026-01-15")) {
        add(&d, "cbc", Effect::kLicenceCaseByCase, "91 FR 1684");
        Obligation o;
        o.kind = "tariff";
        o.rule_id = "cbc";
        o.rate = Dec("0.25");
        o.base = "customs_value";
        o.payee = "US Customs and Border Protection";
        d.obligations.push_back(o);
        d.conditions.push_back("third-party testing in the US");
      } else {
        add(&d, "deny", Effect::kLicenceDenial, "88 FR 73458");
      }
    }
    if (str("item.id") == "nvidia-h20" && dest == "CN") {
      add(&d, "h20", Effect::kLicenceCaseByCase, "NVIDIA 8-K 2025-04-15");
      Obligation o;
      o.kind = "revenue_share";
      o.rule_id = "h20";
      o.rate = Dec("0.15");
      o.base = "sale_value";
      o.payee = "US Treasury";
      d.obligations.push_back(o);
    }
    if (dest == "SG") {
      add(&d, "nac", Effect::kException, "15 CFR 740.8");
      d.exception = "NAC";
    }
    d.effect = Effect::kNlr;
    for (const auto& r : d.rules) d.effect = std::max(d.effect, r.effect);
    return d;
  }
  Result<PolicyTrace> Trace(const FactMap& f, Date as_of) const override {
    PolicyTrace t;
    t.version = "test-1";
    TracedRule r;
    r.id = "embargo";
    r.effect = Effect::kProhibited;
    r.matched = std::get<std::string>(f.at("destination")) == "CU";
    r.reason = "destination == CU is " + std::string(r.matched ? "true" : "false");
    t.rules.push_back(r);
    return t;
  }

 private:
  static void add(Decision* d, const char* id, Effect e, const char* cite) {
    RuleMatch m;
    m.id = id;
    m.effect = e;
    m.cite = cite;
    d->rules.push_back(m);
  }
};

const char kHeaderLine[] =
    "order_id,line,date,exporter,item,quantity,unit_price,currency,ship_from,destination,"
    "consignee,consignee_country,end_user,end_user_country,end_user_hq,end_use,licence,"
    "customs_value\n";

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.items = &catalog_;
    ctx_.policy = &policy_;
    fx_ = *FxTable::Parse(
        "date,currency,rate_to_usd\n2025-01-01,CNY,0.1370\n2026-01-01,CNY,0.1425\n", "fx.csv");
  }
  OrderLine Line(const std::string& csv_row) {
    auto b = ReadOrdersCsv(std::string(kHeaderLine) + csv_row + "\n", "t.csv");
    EXPECT_TRUE(b.ok());
    EXPECT_TRUE(b->errors.empty()) << b->errors.at(0).ToString();
    return b->lines.at(0);
  }
  FakeCatalog catalog_;
  FakePolicy policy_;
  FxTable fx_;
  PipelineContext ctx_;
};

TEST_F(PipelineTest, DeniedBeforeAndCaseByCaseWithTariffAfterJanuary2026) {
  auto before = DecideLine(Line("A,1,2025-06-01,Acme,H200,10,30000,USD,US,CN,C,CN,E,CN,CN,"
                                "datacenter,,280000"),
                           ctx_);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->decision.decision, "licence");
  EXPECT_EQ(before->decision.review, "denial");
  EXPECT_EQ(before->decision.eccn, "3A090.a");
  EXPECT_TRUE(before->decision.obligations.empty());

  auto after = DecideLine(Line("A,1,2026-02-01,Acme,H200,10,30000,USD,US,CN,C,CN,E,CN,CN,"
                               "datacenter,,280000.10"),
                          ctx_);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->decision.decision, "licence");
  EXPECT_EQ(after->decision.review, "case_by_case");
  ASSERT_EQ(after->decision.obligations.size(), 1u);
  // 280000.10 × 0.25 = 70000.025 → 70000.02 (half-even).
  EXPECT_EQ(after->decision.obligations[0].amount->ToString(), "70000.02 USD");
  EXPECT_EQ(after->decision.explanation,
            "NVIDIA H200 SXM (3A090.a) from US to CN for E (datacenter) under the policy in "
            "force on 2026-02-01: licence required, case-by-case review (rule cbc, 91 FR "
            "1684); tariff 25% of customs value = 70000.02 USD to US Customs and Border "
            "Protection.");
}

TEST_F(PipelineTest, AsOfOverridesTheLineDate) {
  OrderLine l = Line("A,1,2025-06-01,Acme,H200,10,30000,USD,US,CN,C,CN,E,CN,CN,datacenter,,");
  ctx_.as_of = D("2026-03-01");
  auto r = DecideLine(l, ctx_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->decision.review, "case_by_case");
  EXPECT_EQ(r->decided_as_of.ToString(), "2026-03-01");
  // No customs value: the tariff amount cannot be computed, and the decision says so.
  ASSERT_EQ(r->decision.obligations.size(), 1u);
  EXPECT_FALSE(r->decision.obligations[0].amount.has_value());
  EXPECT_EQ(r->decision.conditions.back(),
            "the tariff of rule cbc is assessed on the US customs value, which the order line "
            "does not give; amount not computed");
}

TEST_F(PipelineTest, StrictestWinsAndEveryRuleIsReported) {
  auto r =
      DecideLine(Line("A,1,2025-06-01,Acme,H200,1,1,USD,US,CU,C,CU,E,CU,CU,commercial,,"), ctx_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->decision.decision, "prohibited");
  EXPECT_EQ(r->decision.review, "");
  ASSERT_EQ(r->decision.rules.size(), 1u);
  auto sg =
      DecideLine(Line("A,2,2025-06-01,Acme,H200,1,1,USD,US,SG,C,SG,E,SG,SG,research,,"), ctx_);
  EXPECT_EQ(sg->decision.decision, "exception");
  EXPECT_EQ(sg->decision.exception, "NAC");
}

TEST_F(PipelineTest, RevenueShareInOrderCurrencyAndUsd) {
  ctx_.fx = &fx_;
  // 7 × 12345.67 CNY = 86419.69; × 0.15 = 12962.9535 → 12962.95 CNY.
  // USD from the exact amount: 12962.9535 × 0.1370 = 1775.92462950 → 1775.92 USD.
  auto r = DecideLine(Line("B,1,2025-09-01,Acme,H20,7,12345.67,CNY,TW,CN,C,CN,E,CN,CN,"
                           "commercial,,"),
                      ctx_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Obligation& o = r->decision.obligations.at(0);
  EXPECT_EQ(o.amount->ToString(), "12962.95 CNY");
  EXPECT_EQ(o.amount_usd->ToString(), "1775.92 USD");
  EXPECT_EQ(r->sale_value.ToString(), "86419.69 CNY");
  EXPECT_EQ(r->sale_value_usd->ToString(), "11839.50 USD");  // 11839.49753
}

TEST_F(PipelineTest, MissingFxRateIsALocatedError) {
  ctx_.fx = &fx_;
  auto r =
      DecideLine(Line("B,1,2024-09-01,Acme,H20,7,1,CNY,TW,CN,C,CN,E,CN,CN,commercial,,"), ctx_);
  ASSERT_FALSE(r.ok());
  const Diagnostic& d = r.status().diagnostics().at(0);
  EXPECT_EQ(d.file, "t.csv");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.field, "currency");
  EXPECT_EQ(d.message, "no FX rate for CNY on or before 2024-09-01 (earliest is 2025-01-01)");
}

TEST_F(PipelineTest, UnknownItemIsALocatedError) {
  auto r =
      DecideLine(Line("B,1,2024-09-01,Acme,H900,7,1,USD,TW,CN,C,CN,E,CN,CN,commercial,,"), ctx_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics().at(0).ToString(),
            "t.csv:2:21: error: field 'item': unknown item 'H900'\n"
            "  B,1,2024-09-01,Acme,H900,7,1,USD,TW,CN,C,CN,E,CN,CN,commercial,,\n"
            "                      ^\n"
            "  hint: expected a catalog id or alias (see tollgate catalog list)");
}

TEST_F(PipelineTest, ScreeningHitHoldsTheLineUnlessCleared) {
  auto parties =
      *ExactPartyList::Parse("name,list,entry_id\nBad Actor Ltd,bis_entity_list,EL-7\n", "p.csv");
  ctx_.screener = &parties;
  OrderLine l = Line(
      "C,1,2025-06-01,Acme,H200,1,1,USD,US,SG,Good Co,SG,bad  actor LTD,SG,SG,"
      "research,,");
  auto r = DecideLine(l, ctx_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->decision.decision, "hold");
  EXPECT_EQ(r->decision.exception, "NAC");  // the underlying decision is kept
  ASSERT_EQ(r->decision.hits.size(), 1u);
  EXPECT_EQ(r->decision.hits[0].party_role, "end_user");
  EXPECT_EQ(r->decision.hits[0].party_name, "bad  actor LTD");
  EXPECT_EQ(r->decision.hits[0].entry_id, "EL-7");
  EXPECT_NE(r->decision.explanation.find("held for screening review because the end user "
                                         "'bad  actor LTD' matches bis_entity_list entry EL-7"),
            std::string::npos)
      << r->decision.explanation;
  // The policy saw the list membership.
  FactMap f = BuildFacts(l, *catalog_.Resolve("H200", l.date), {}, r->decision.hits);
  EXPECT_EQ(std::get<std::vector<std::string>>(f.at("end_user.lists")),
            std::vector<std::string>{"bis_entity_list"});

  ctx_.is_cleared = [](const PartyHit& h) { return h.entry_id == "EL-7"; };
  r = DecideLine(l, ctx_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->decision.decision, "exception");
  EXPECT_TRUE(r->decision.hits.empty());
  ASSERT_EQ(r->cleared_hits.size(), 1u);
}

TEST_F(PipelineTest, ThresholdFiltersWeakHits) {
  class Weak : public PartyScreener {
    Result<std::vector<PartyHit>> Screen(std::string_view, const Country&) const override {
      PartyHit h;
      h.list = "ofac_sdn";
      h.entry_id = "1";
      h.score = 0.7;
      return std::vector<PartyHit>{h};
    }
  } weak;
  ctx_.screener = &weak;
  ctx_.hold_threshold = 0.8;
  OrderLine l = Line("C,1,2025-06-01,Acme,H200,1,1,USD,US,SG,A,SG,B,SG,SG,research,,");
  EXPECT_EQ(DecideLine(l, ctx_)->decision.decision, "exception");
  ctx_.hold_threshold = 0.7;
  EXPECT_EQ(DecideLine(l, ctx_)->decision.decision, "hold");
}

TEST_F(PipelineTest, JsonOutputHasTheDocumentedFields) {
  ctx_.fx = &fx_;
  auto r = DecideLine(Line("B,3,2025-09-01,Acme,H20,2,100.005,CNY,TW,CN,C,CN,E,CN,CN,"
                           "commercial,L-1,"),
                      ctx_);
  ASSERT_TRUE(r.ok());
  auto j = nlohmann::json::parse(DecisionToJson(*r));
  EXPECT_EQ(j["order_id"], "B");
  EXPECT_EQ(j["line"], 3);
  EXPECT_EQ(j["decision"], "licence");
  EXPECT_EQ(j["review"], "case_by_case");
  EXPECT_TRUE(j["exception"].is_null());
  EXPECT_TRUE(j["eccn"].is_null());
  EXPECT_EQ(j["policy"]["name"], "test");
  EXPECT_EQ(j["rules"][0]["id"], "h20");
  EXPECT_EQ(j["rules"][0]["effect"], "licence_case_by_case");
  EXPECT_EQ(j["rules"][0]["cite"], "NVIDIA 8-K 2025-04-15");
  EXPECT_EQ(j["obligations"][0]["kind"], "revenue_share");
  EXPECT_EQ(j["obligations"][0]["rate"], "0.15");
  EXPECT_EQ(j["obligations"][0]["base"], "sale_value");
  EXPECT_EQ(j["obligations"][0]["amount"], "30.00");  // 200.010 × 0.15 = 30.0015
  EXPECT_EQ(j["obligations"][0]["currency"], "CNY");
  EXPECT_EQ(j["obligations"][0]["amount_usd"], "4.11");  // 30.0015 × 0.1370 = 4.1102055
  EXPECT_EQ(j["obligations"][0]["payee"], "US Treasury");
  EXPECT_TRUE(j["conditions"].is_array());
  EXPECT_TRUE(j["hits"].empty());
  EXPECT_EQ(j["licence"], "L-1");
  EXPECT_EQ(j["sale_value"]["amount"], "200.01");
  EXPECT_NE(j["explanation"].get<std::string>().find("licence L-1 cited on the order"),
            std::string::npos);
}

TEST_F(PipelineTest, CsvAndTableOutput) {
  auto r =
      DecideLine(Line("B,3,2025-09-01,Acme,H20,2,100,CNY,TW,CN,C,CN,E,CN,CN,commercial,,"), ctx_);
  ASSERT_TRUE(r.ok());
  std::string row = DecisionToCsv(*r);
  EXPECT_EQ(row.substr(0, row.find(",\"")),
            "B,3,2025-09-01,2025-09-01,Acme,H20,,licence,case_by_case,,h20,CNY,200.00,30.00,,,,,,"
            "2022-10-07");
  std::string table = DecisionsToTable({*r});
  EXPECT_NE(table.find("ORDER  LINE  DATE"), std::string::npos);
  EXPECT_NE(table.find("30.00 CNY"), std::string::npos);
}

TEST_F(PipelineTest, BatchAndSummary) {
  ctx_.fx = &fx_;
  auto parties = *ExactPartyList::Parse("name,list,entry_id\nBad,ofac_sdn,9\n", "p.csv");
  ctx_.screener = &parties;
  auto b = ReadOrdersCsv(
      std::string(kHeaderLine) +
          "A,1,2026-02-01,Acme,H200,10,30000,USD,US,CN,C,CN,E,CN,CN,datacenter,,280000\n"
          "A,2,2025-06-01,Acme,H200,10,30000,USD,US,CN,C,CN,E,CN,CN,datacenter,,\n"
          "B,1,2025-09-01,Beta,H20,7,12345.67,CNY,TW,CN,C,CN,E,CN,CN,commercial,,\n"
          "B,2,2025-09-01,Beta,H20,1,1000,CNY,TW,CN,Bad,CN,E,CN,CN,commercial,,\n"
          "B,3,2025-09-01,Beta,H900,1,1000,CNY,TW,CN,C,CN,E,CN,CN,commercial,,\n"
          "C,1,2025-09-01,Gamma,H200,1,1000,USD,US,SG,C,SG,E,SG,SG,research,,\n",
      "t.csv");
  ASSERT_TRUE(b.ok());
  auto res = DecideBatch(b->lines, ctx_);
  EXPECT_EQ(res.decided.size(), 5u);
  ASSERT_EQ(res.errors.size(), 1u);
  EXPECT_EQ(res.errors[0].line, 6);
  Summary s = Summarize(res.decided, 1);
  EXPECT_EQ(s.total_lines, 6);
  EXPECT_TRUE(s.in_usd);
  EXPECT_EQ(s.by_decision["licence"], 3);
  EXPECT_EQ(s.by_decision["hold"], 1);
  EXPECT_EQ(s.by_decision["exception"], 1);
  EXPECT_EQ(s.licence_by_review["denial"], 1);
  ASSERT_EQ(s.exporters.size(), 3u);
  // Acme: only A/1 may ship (A/2 is under denial): revenue 300000, tariff 70000.
  EXPECT_EQ(s.exporters[0].exporter, "Acme");
  EXPECT_EQ(s.exporters[0].lines, 2);
  EXPECT_EQ(s.exporters[0].revenue.at("USD").ToString(), "300000.00");
  EXPECT_EQ(s.exporters[0].tariff.at("USD").ToString(), "70000.00");
  // Beta: B/1 ships (B/2 is held): share 1775.92 USD.
  EXPECT_EQ(s.exporters[1].revenue_share.at("USD").ToString(), "1775.92");
  EXPECT_EQ(s.exporters[1].revenue.at("USD").ToString(), "11839.50");
  std::string text = SummaryToText(s);
  EXPECT_NE(text.find("Lines: 6 (5 decided, 1 with errors)"), std::string::npos) << text;
  EXPECT_NE(text.find("licence          3  (approval 0, case_by_case 2, denial 1)"),
            std::string::npos)
      << text;
  auto j = nlohmann::json::parse(SummaryToJson(s));
  EXPECT_EQ(j["by_decision"]["hold"], 1);
  EXPECT_EQ(j["exporters"][1]["revenue_share"]["USD"], "1775.92");
}

TEST_F(PipelineTest, ExplainShowsFactsTraceAndResult) {
  auto text = ExplainLine(
      Line("A,1,2026-02-01,Acme,H200,10,30000,USD,US,CN,C,CN,E,CN,CN,datacenter,,280000"), ctx_);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("order A line 1 (t.csv:2)"), std::string::npos) << *text;
  EXPECT_NE(text->find("  destination          \"CN\""), std::string::npos) << *text;
  EXPECT_NE(text->find("rules tried (policy version test-1):\n"
                       "  [no]     embargo (prohibited): destination == CU is false\n"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("  decision     licence"), std::string::npos);
  EXPECT_NE(text->find("  - tariff 25% of customs_value = 70000.00 USD"), std::string::npos)
      << *text;
}

}  // namespace
}  // namespace tollgate
