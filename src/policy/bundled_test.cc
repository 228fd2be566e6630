// The bundled US policy: loads clean, passes its data-driven tests, covers every rule and
// both sides of every version change.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "core/io.h"
#include "tollgate/policy.h"

namespace tollgate {
namespace {

std::string TestsText() {
  std::string all;
  for (const auto& e : std::filesystem::directory_iterator("policies/us/tests")) {
    if (e.path().extension() != ".tgt") continue;
    auto t = ReadFileToString(e.path().string());
    EXPECT_TRUE(t.ok());
    all += *t + "\n";
  }
  return all;
}

TEST(Bundled, LoadsWithoutWarnings) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->name(), "us");
  EXPECT_TRUE(p->warnings().empty());
  ASSERT_EQ(p->versions().size(), 12u);
  std::set<std::string> hashes;
  for (size_t i = 0; i < p->versions().size(); ++i) {
    const auto& v = p->versions()[i];
    if (i > 0) {
      EXPECT_LT(p->versions()[i - 1].effective, v.effective);
    }
    EXPECT_FALSE(v.cite.empty()) << v.id;
    EXPECT_TRUE(std::regex_match(v.hash, std::regex("sha256:[0-9a-f]{64}"))) << v.hash;
    hashes.insert(v.hash);
    for (const auto& r : v.rules) EXPECT_FALSE(r.cite.empty()) << r.id;
  }
  EXPECT_EQ(hashes.size(), 12u);
  EXPECT_EQ(p->versions().front().id, "2022-10-07");
  EXPECT_EQ(p->versions().back().id, "2026-05-31");
}

TEST(Bundled, HashesAreStableAcrossLoads) {
  auto a = PolicySet::LoadBundled();
  auto b = PolicySet::LoadBundled();
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < a->versions().size(); ++i)
    EXPECT_EQ(a->versions()[i].hash, b->versions()[i].hash);
}

TEST(Bundled, DataDrivenTestsPass) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok());
  PolicyTestReport rep = RunPolicyTests(*p, "policies/us/tests");
  for (const auto& f : rep.failures) ADD_FAILURE() << f.ToString();
  EXPECT_TRUE(rep.ok());
  EXPECT_GE(rep.tests, 120);
  EXPECT_EQ(rep.passed, rep.tests);
}

TEST(Bundled, EveryRuleIsExercisedByATest) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok());
  std::string tests = TestsText();
  std::set<std::string> seen;
  for (const auto& v : p->versions()) {
    for (const auto& r : v.rules) {
      if (!seen.insert(r.id).second) continue;
      if (r.classification) {
        EXPECT_NE(tests.find("expect eccn \"" + r.eccn + "\""), std::string::npos)
            << "no test expects ECCN " << r.eccn << " (classify rule " << r.id << ")";
      } else {
        std::regex expect_rule(
            "expect (rule " + std::regex_replace(r.id, std::regex("\\."), "\\.") +
            "\\b|rules \\{[^}]*\\b" + std::regex_replace(r.id, std::regex("\\."), "\\.") + "\\b)");
        EXPECT_TRUE(std::regex_search(tests, expect_rule)) << "no test expects rule " << r.id;
      }
    }
  }
  EXPECT_GT(seen.size(), 30u);
}

TEST(Bundled, TestsOnBothSidesOfEveryChange) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok());
  std::string tests = TestsText();
  std::vector<Date> dates;
  std::regex date_re("\\n\\s*date (\\d{4}-\\d{2}-\\d{2})");
  for (auto it = std::sregex_iterator(tests.begin(), tests.end(), date_re);
       it != std::sregex_iterator(); ++it)
    dates.push_back(*Date::Parse((*it)[1].str()));
  const auto& vs = p->versions();
  for (size_t i = 0; i < vs.size(); ++i) {
    Date from = vs[i].effective;
    Date before_from = i == 0 ? Date::FromDays(0) : vs[i - 1].effective;
    std::optional<Date> to =
        i + 1 < vs.size() ? std::optional<Date>(vs[i + 1].effective) : std::nullopt;
    bool in = false, before = false;
    for (Date d : dates) {
      in = in || (d >= from && (!to || d < *to));
      before = before || (d >= before_from && d < from);
    }
    EXPECT_TRUE(in) << "no test dated in version " << vs[i].id;
    EXPECT_TRUE(before) << "no test dated just before version " << vs[i].id;
  }
}

TEST(Bundled, UncertainRulesSayWhy) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok());
  int uncertain = 0;
  for (const auto& r : p->versions().back().rules) uncertain += !r.uncertain.empty();
  EXPECT_GE(uncertain, 5);
}

}  // namespace
}  // namespace tollgate
