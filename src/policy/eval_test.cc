// Evaluation semantics of the engine: versions by date, strictest wins, obligations and
// amounts, null handling, traces. (More cases as data: tests/policy/eval/.)
#include <gtest/gtest.h>

#include "policy/test_util.h"

namespace tollgate {
namespace {

using policy_test::LoadOne;

Date D(const char* s) { return *Date::Parse(s); }

const char* kPolicy = R"(policy t
set asia = {CN, JP}
version "v1" effective 2024-01-01 {
  classify c.a { eccn "3A090.a" when item.tpp >= 4800 cite "c1" }
  rule r.deny { effect licence_denial when destination == "CN" and item.eccn == "3A090.a" cite "deny cite" note "n" }
  rule r.app { effect licence_approval when destination in asia cite "app cite" uncertain "why not sure" }
  rule r.tariff { effect nlr when item.tpp > 100 cite "tariff cite" tariff s232 25% of customs_value to "CBP" }
  rule r.share { effect licence_approval when destination == "JP" cite "share cite" revenue_share 15% of sale_value to "USG" }
}
version "v2" effective 2025-06-01 {
  remove r.deny
}
)";

Facts Make(const char* dest, const char* tpp) {
  Facts f;
  EXPECT_TRUE(f.SetString("destination", dest).ok());
  EXPECT_TRUE(f.SetNumber("item.tpp", tpp).ok());
  EXPECT_TRUE(f.SetNumber("order.value", "1000.10").ok());
  EXPECT_TRUE(f.SetNumber("order.customs_value", "400.02").ok());
  EXPECT_TRUE(f.SetString("order.currency", "EUR").ok());
  return f;
}

TEST(Eval, StrictestWinsWithEveryMatchReported) {
  auto p = LoadOne(kPolicy);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Decision d = p->Decide(Make("CN", "5000"), D("2024-06-01"));
  EXPECT_EQ(d.decision, "licence");
  EXPECT_EQ(d.review, "denial");
  EXPECT_EQ(d.effect, Effect::kLicenceDenial);
  EXPECT_EQ(d.eccn, "3A090.a");
  ASSERT_EQ(d.rules.size(), 3u);
  EXPECT_EQ(d.rules[0].id, "r.deny");
  EXPECT_EQ(d.rules[0].cite, "deny cite");
  EXPECT_EQ(d.rules[0].note, "n");
  EXPECT_EQ(d.rules[1].id, "r.app");
  EXPECT_EQ(d.rules[1].confidence, "uncertain: why not sure");
  EXPECT_EQ(d.rules[2].id, "r.tariff");
  EXPECT_EQ(d.policy.name, "t");
  EXPECT_EQ(d.policy.version, "v1");
  EXPECT_EQ(d.policy.hash.substr(0, 7), "sha256:");
  EXPECT_EQ(d.policy.hash.size(), 7u + 64u);
  EXPECT_EQ(d.explanation,
            "Licence required, reviewed under a presumption of denial under rule r.deny (deny "
            "cite) of policy t version v1 for ECCN 3A090.a to CN; 2 other rules also matched.");
  // The tariff (an NLR rule) applies whatever wins, except prohibited.
  ASSERT_EQ(d.obligations.size(), 1u);
  EXPECT_EQ(d.obligations[0].kind, "tariff");
  EXPECT_EQ(d.obligations[0].rule_id, "r.tariff");
  EXPECT_EQ(d.obligations[0].rate->ToString(), "0.25");
  EXPECT_EQ(d.obligations[0].base, "customs_value");
  EXPECT_EQ(d.obligations[0].payee, "CBP");
  ASSERT_TRUE(d.obligations[0].amount);
  EXPECT_EQ(d.obligations[0].amount->ToString(), "100.00 EUR");  // 100.005 half-even
}

TEST(Eval, ObligationsOfLosingEffectsAreDropped) {
  auto p = LoadOne(kPolicy);
  ASSERT_TRUE(p.ok());
  Decision jp = p->Decide(Make("JP", "50"), D("2024-06-01"));
  EXPECT_EQ(jp.review, "approval");
  ASSERT_EQ(jp.obligations.size(), 1u);
  EXPECT_EQ(jp.obligations[0].kind, "revenue_share");
  EXPECT_EQ(jp.obligations[0].amount->ToString(), "150.02 EUR");  // 150.015 -> half-even .02
  EXPECT_EQ(jp.explanation,
            "Licence required, reviewed under a presumption of approval under rule r.app (app "
            "cite) of policy t version v1 for ECCN not 3A090/4A090 under these rules to JP; "
            "legal basis uncertain: why not sure; 1 other rule also matched.");
}

TEST(Eval, VersionsByDate) {
  auto p = LoadOne(kPolicy);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->VersionIndexAt(D("2023-12-31")), -1);
  EXPECT_EQ(p->VersionIndexAt(D("2024-01-01")), 0);
  EXPECT_EQ(p->VersionIndexAt(D("2025-05-31")), 0);
  EXPECT_EQ(p->VersionIndexAt(D("2025-06-01")), 1);
  Decision before = p->Decide(Make("CN", "5000"), D("2023-12-31"));
  EXPECT_EQ(before.decision, "nlr");
  EXPECT_TRUE(before.rules.empty());
  EXPECT_EQ(before.explanation,
            "No licence required: no version of policy t is in force on 2023-12-31 (the first "
            "takes effect on 2024-01-01).");
  Decision after = p->Decide(Make("CN", "5000"), D("2025-06-01"));
  EXPECT_EQ(after.review, "approval");
  EXPECT_EQ(after.policy.version, "v2");
  // Each version has its own hash; equal text would give equal hashes.
  EXPECT_NE(p->versions()[0].hash, p->versions()[1].hash);
}

TEST(Eval, NoRuleMatches) {
  auto p = LoadOne(kPolicy);
  ASSERT_TRUE(p.ok());
  Decision d = p->Decide(Make("FR", "50"), D("2024-06-01"));
  EXPECT_EQ(d.decision, "nlr");
  EXPECT_EQ(d.review, "");
  EXPECT_EQ(d.explanation,
            "No licence required under policy t version v1: no rule applies (ECCN not "
            "3A090/4A090 under these rules to FR).");
}

TEST(Eval, MissingBaseOrCurrencyLeavesAmountEmptyWithACondition) {
  auto p = LoadOne(kPolicy);
  ASSERT_TRUE(p.ok());
  Facts f = Make("FR", "500");
  ASSERT_TRUE(f.SetNull("order.customs_value").ok());
  Decision d = p->Decide(f, D("2024-06-01"));
  ASSERT_EQ(d.obligations.size(), 1u);
  EXPECT_FALSE(d.obligations[0].amount);
  ASSERT_EQ(d.conditions.size(), 1u);
  EXPECT_EQ(d.conditions[0],
            "tariff 25% of customs_value: amount not computed, order.customs_value is missing");
}

TEST(Eval, ClassifyEccnAndTrace) {
  auto p = LoadOne(kPolicy);
  ASSERT_TRUE(p.ok());
  EccnResult e = p->ClassifyEccn(Make("CN", "4800"), D("2024-06-01"));
  EXPECT_EQ(e.eccn, "3A090.a");
  EXPECT_EQ(e.rule_id, "c.a");
  EXPECT_EQ(p->ClassifyEccn(Make("CN", "4799.999999999"), D("2024-06-01")).eccn, "");
  DecisionTrace t = p->DecideTraced(Make("FR", "5000"), D("2024-06-01"));
  EXPECT_EQ(t.version, "v1");
  ASSERT_EQ(t.rules.size(), 5u);
  EXPECT_TRUE(t.rules[0].classification);
  EXPECT_TRUE(t.rules[0].matched);
  EXPECT_EQ(t.rules[1].id, "r.deny");
  EXPECT_FALSE(t.rules[1].matched);
  EXPECT_EQ(t.rules[1].reason, "destination == \"CN\" is false (destination = \"FR\")");
  EXPECT_EQ(t.rules[2].reason, "destination in asia is false (destination = \"FR\")");
  EXPECT_TRUE(t.rules[3].matched);
  EXPECT_EQ(t.rules[3].reason, "item.tpp > 100 holds (item.tpp = 5000)");
  std::string s = t.ToString();
  EXPECT_NE(s.find("[match] r.tariff (nlr): item.tpp > 100 holds"), std::string::npos);
  EXPECT_NE(s.find("decision: nlr\n"), std::string::npos);
}

TEST(Eval, NullAttributesMakeComparisonsFalse) {
  auto p = LoadOne(R"(policy t
version "1" effective 2024-01-01 {
  rule a { effect licence_denial when item.pd >= 5 cite "c" }
  rule b { effect licence_approval when item.pd != 5 cite "c" }
  rule c { effect licence_case_by_case when not item.pd >= 5 cite "c" }
  rule d { effect exception X when item.datacenter cite "c" }
  rule e { effect nlr when destination not in {CN} cite "c" }
}
)");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Decision d = p->Decide(Facts(), D("2024-06-01"));
  ASSERT_EQ(d.rules.size(), 1u);
  EXPECT_EQ(d.rules[0].id, "c");
  EXPECT_EQ(p->DecideReference(Facts(), D("2024-06-01")).rules.size(), 1u);
}

}  // namespace
}  // namespace tollgate
