// Static checks: each error pinned to its exact text and location. The data-driven error
// files in tests/policy/errors/ are run here too.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/io.h"
#include "policy/test_util.h"

namespace tollgate {
namespace {

using policy_test::Errors;
using policy_test::LoadOne;
using policy_test::WithRule;

std::string OneError(const std::string& when, const std::string& extra = "") {
  auto r = LoadOne(WithRule(when, extra));
  EXPECT_FALSE(r.ok());
  return Errors(r);
}

TEST(Check, UnknownAttributeWithSuggestion) {
  EXPECT_EQ(OneError("item.tppp >= 4800"),
            "t.tgp:5:10: error: unknown attribute or name 'item.tppp'\n"
            "      when item.tppp >= 4800\n"
            "           ^\n"
            "  hint: did you mean item.tpp?\n");
}

TEST(Check, TypeMismatch) {
  EXPECT_EQ(OneError("item.tpp == \"big\""),
            "t.tgp:5:19: error: type mismatch: item.tpp is a number but \"big\" is a string\n"
            "      when item.tpp == \"big\"\n"
            "                    ^\n");
}

TEST(Check, UnitMismatch) {
  EXPECT_EQ(OneError("item.dram_bandwidth < 6500 mm2"),
            "t.tgp:5:32: error: unit mismatch: item.dram_bandwidth is a number in GB/s but "
            "6500 mm2 is a number in mm2\n"
            "      when item.dram_bandwidth < 6500 mm2\n"
            "                                 ^\n"
            "  hint: write 6500 GB/s\n");
  EXPECT_NE(OneError("item.tpp < 5 GB/s").find("hint: write a plain number"), std::string::npos);
}

TEST(Check, OrderingOnStrings) {
  EXPECT_EQ(OneError("destination < \"CN\""),
            "t.tgp:5:22: error: '<' cannot compare strings\n"
            "      when destination < \"CN\"\n"
            "                       ^\n"
            "  hint: only == and != apply\n");
}

TEST(Check, DomainAndCountryLiterals) {
  EXPECT_EQ(OneError("end_use == \"militray\""),
            "t.tgp:5:21: error: \"militray\" is not a value of end_use\n"
            "      when end_use == \"militray\"\n"
            "                      ^\n"
            "  hint: expected one of: commercial, datacenter, research, government, military, "
            "military_intelligence, supercomputer, advanced_ic\n");
  EXPECT_EQ(OneError("destination in {CN, ZZ}"),
            "t.tgp:5:30: error: \"ZZ\" is not an ISO 3166-1 alpha-2 country code\n"
            "      when destination in {CN, ZZ}\n"
            "                               ^\n"
            "  hint: destination holds a country code such as CN\n");
}

TEST(Check, ConditionMustBeBoolAndInNeedsASet) {
  EXPECT_EQ(OneError("item.tpp"),
            "t.tgp:5:10: error: the condition of rule r.x must be a condition (bool), but "
            "item.tpp is a number\n"
            "      when item.tpp\n"
            "           ^\n");
  EXPECT_NE(OneError("destination in \"CN\"")
                .find("expected a set: {...}, a set name or a set attribute, found string"),
            std::string::npos);
  EXPECT_NE(OneError("destination in item.id").find("'in' needs a set on the right"),
            std::string::npos);
  EXPECT_NE(OneError("item.tpp in {CN}").find("'in' needs a string on the left"),
            std::string::npos);
  EXPECT_NE(OneError("consignee.lists in {a}").find("use 'intersects'"), std::string::npos);
  EXPECT_NE(OneError("\"x\" is null").find("'is null' applies to attributes"), std::string::npos);
  EXPECT_NE(OneError("item.tpp >= 1.0000000001").find("more than 9 decimal places"),
            std::string::npos);
}

TEST(Check, MissingCitationAndEffect) {
  auto r = LoadOne(
      "policy t\nversion \"1\" effective 2024-01-01 {\n  rule r.x {\n"
      "    when destination == \"CN\"\n  }\n}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Errors(r),
            "t.tgp:3:8: error: rule r.x has no citation\n"
            "    rule r.x {\n"
            "         ^\n"
            "  hint: add cite \"<Federal Register page, CFR section or official announcement>\"\n"
            "t.tgp:3:8: error: rule r.x has no effect\n"
            "    rule r.x {\n"
            "         ^\n"
            "  hint: add effect nlr | exception NAME | licence_approval | licence_case_by_case | "
            "licence_denial | prohibited\n");
}

TEST(Check, NeverFires) {
  EXPECT_EQ(OneError("item.tpp > 100 and item.tpp < 50"),
            "t.tgp:5:10: error: rule r.x can never fire: no value of item.tpp is > 100 and < 50\n"
            "      when item.tpp > 100 and item.tpp < 50\n"
            "           ^\n");
  EXPECT_NE(OneError("destination == \"CN\" and destination == \"JP\"").find("can never fire"),
            std::string::npos);
  EXPECT_NE(OneError("destination in {CN} and destination not in {CN}").find("can never fire"),
            std::string::npos);
  EXPECT_NE(OneError("false").find("contains the constant false"), std::string::npos);
  EXPECT_NE(OneError("item.pd is null and item.pd > 3").find("can never fire"), std::string::npos);
  EXPECT_NE(OneError("(item.tpp >= 5 and item.tpp < 5) or (destination in {} and true)")
                .find("can never fire"),
            std::string::npos);
  EXPECT_NE(OneError("destination == \"CN\"", "    until 2023-12-31\n")
                .find("r.x can never fire: it lapses on 2023-12-31"),
            std::string::npos);
  // Satisfiable: a negated comparison holds when the attribute is null.
  EXPECT_TRUE(LoadOne(WithRule("item.tpp > 100 and not item.tpp > 50")).ok());
  EXPECT_TRUE(LoadOne(WithRule("item.tpp >= 100 and item.tpp <= 100")).ok());
}

TEST(Check, ShadowedRuleIsAWarning) {
  std::string text =
      "policy t\nversion \"1\" effective 2024-01-01 {\n"
      "  rule strict { effect licence_denial when destination == \"CN\" cite \"c\" }\n"
      "  rule lax { effect licence_approval when destination == \"CN\" and item.tpp > 5 "
      "cite \"c\" }\n}\n";
  auto r = LoadOne(text);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->warnings().size(), 1u);
  EXPECT_EQ(r->warnings()[0].ToString(),
            "t.tgp:4:8: warning: rule lax is shadowed in version \"1\": whenever it matches, the "
            "stricter rule strict (licence_denial, t.tgp:3) matches too, so it never decides the "
            "outcome\n"
            "    rule lax { effect licence_approval when destination == \"CN\" and item.tpp > 5 "
            "cite \"c\" }\n"
            "         ^");
  LoadOptions strict;
  strict.warnings_as_errors = true;
  EXPECT_FALSE(LoadOne(text, strict).ok());
}

TEST(Check, ClassifyShadowedByAnEarlierOne) {
  auto r = LoadOne(
      "policy t\nversion \"1\" effective 2024-01-01 {\n"
      "  classify a { eccn \"A\" when item.tpp > 5 cite \"c\" }\n"
      "  classify b { eccn \"B\" when item.tpp > 5 and item.pd > 1 cite \"c\" }\n}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings().size(), 1u);
  EXPECT_NE(r->warnings()[0].message.find("classify rule b can never fire"), std::string::npos);
}

TEST(Check, ClassifyCannotReadItsOwnOutput) {
  auto r = LoadOne(
      "policy t\nversion \"1\" effective 2024-01-01 {\n"
      "  classify a { eccn \"A\" when item.eccn == \"A\" cite \"c\" }\n}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("classify rules cannot read item.eccn"), std::string::npos);
}

TEST(Check, VersionsOutOfOrderDuplicatesAndExtends) {
  auto r = LoadOne(
      "policy t\nversion \"b\" effective 2024-01-01 {\n}\n"
      "version \"a\" effective 2023-01-01 {\n}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Errors(r),
            "t.tgp:4:23: error: versions out of order: version \"a\" (effective 2023-01-01) "
            "follows version \"b\" (effective 2024-01-01) in this file\n"
            "  version \"a\" effective 2023-01-01 {\n"
            "                        ^\n"
            "  hint: list versions in increasing effective date\n");
  auto e = LoadOne(
      "policy t\nversion \"a\" effective 2023-01-01 {\n}\n"
      "version \"b\" effective 2024-01-01 {\n}\n"
      "version \"c\" effective 2025-01-01 extends \"a\" {\n}\n");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(Errors(e).find("version \"c\" extends \"a\", but the version in force before it is "
                           "\"b\""),
            std::string::npos);
  auto d = PolicySet::LoadFiles({{"x.tgp", "policy t\nversion \"a\" effective 2023-01-01 {\n}\n"},
                                 {"y.tgp", "policy t\nversion \"a\" effective 2023-01-01 {\n}\n"}});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(Errors(d).find("y.tgp:2:1: error: duplicate version id \"a\""), std::string::npos);
  EXPECT_NE(Errors(d).find("two versions take effect on 2023-01-01"), std::string::npos);
}

TEST(Check, AddReplaceRemoveBookkeeping) {
  std::string base =
      "policy t\nversion \"1\" effective 2024-01-01 {\n"
      "  rule a { effect nlr when destination == \"CN\" cite \"c\" }\n}\n";
  auto dup = LoadOne(base +
                     "version \"2\" effective 2025-01-01 {\n"
                     "  rule a { effect nlr when destination == \"JP\" cite \"c\" }\n}\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(Errors(dup),
            "t.tgp:6:8: error: rule a is already in force (added in version \"1\" at t.tgp:3)\n"
            "    rule a { effect nlr when destination == \"JP\" cite \"c\" }\n"
            "         ^\n"
            "  hint: write 'replace rule a' to change it\n");
  auto rep = LoadOne(base +
                     "version \"2\" effective 2025-01-01 {\n"
                     "  replace rule b { effect nlr when true cite \"c\" }\n}\n");
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(Errors(rep).find("replace rule b: no such rule is in force before version \"2\""),
            std::string::npos);
  auto rem = LoadOne(base + "version \"2\" effective 2025-01-01 {\n  remove zz\n}\n");
  ASSERT_FALSE(rem.ok());
  EXPECT_NE(Errors(rem).find("t.tgp:6:3: error: remove zz: no such rule is in force before "
                             "version \"2\""),
            std::string::npos);
}

TEST(Check, NamesDefinesAndPolicyName) {
  auto r = LoadOne(
      "policy t\ndefine a = b\ndefine b = destination == \"CN\"\n"
      "version \"1\" effective 2024-01-01 {\n}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("define b is used before it is defined"), std::string::npos);
  auto n = PolicySet::LoadFiles({{"x.tgp", "policy a\n"}, {"y.tgp", "policy b\n"}});
  ASSERT_FALSE(n.ok());
  EXPECT_NE(Errors(n).find("policy name 'b' differs from 'a'"), std::string::npos);
  auto s = LoadOne("policy t\nset destination = {CN}\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Errors(s).find("'destination' is already defined"), std::string::npos);
  auto none = LoadOne("policy t\n");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(Errors(none).find("policy t has no versions"), std::string::npos);
}

// tests/policy/errors/NAME.tgp: a policy that must fail to load; NAME.expected: the exact
// diagnostics (paths relative to the repository root).
TEST(Check, DataDrivenErrorFiles) {
  std::string dir = "tests/policy/errors";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".tgp") continue;
    ++n;
    std::string path = dir + "/" + e.path().filename().string();
    auto text = ReadFileToString(path);
    ASSERT_TRUE(text.ok());
    auto want = ReadFileToString(dir + "/" + e.path().stem().string() + ".expected");
    ASSERT_TRUE(want.ok()) << "missing .expected for " << path;
    auto r = PolicySet::LoadFiles({{path, *text}});
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(Errors(r), *want) << path;
  }
  EXPECT_GE(n, 5);
}

}  // namespace
}  // namespace tollgate
