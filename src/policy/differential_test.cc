// The compiled evaluator against the tree-walking reference evaluator, on random policies and
// random facts, and on the bundled policy with random facts over every date range.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "policy/test_util.h"

namespace tollgate {
namespace {

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& One(const std::vector<T>& v) {
    return v[static_cast<size_t>(Pick(static_cast<int>(v.size())))];
  }

  std::string Num() {
    static const std::vector<std::string> k = {"0",    "1.6",   "2400", "4800", "4800.5",
                                               "5.92", "21000", "100",  "3.2",  "14000"};
    return One(k);
  }
  std::string Atom(bool allow_eccn, int defines) {
    switch (Pick(allow_eccn ? 16 : 15)) {
      case 0:
        return "item.tpp " + Op() + " " + Num();
      case 1:
        return Num() + " " + Op() + " item.pd";
      case 2:
        return "item.tpp " + Op() + " item.pd";
      case 3:
        return "item.dram_bandwidth " + Op() + " " + Num() + " GB/s";
      case 4:
        return std::string("destination ") + (Pick(2) ? "==" : "!=") + " \"" + Country() + "\"";
      case 5:
        return std::string("destination ") + (Pick(2) ? "in" : "not in") + " {" + Country() + ", " +
               Country() + "}";
      case 6:
        return std::string("destination in ") + (Pick(2) ? "G1" : "G2");
      case 7:
        return Pick(2) ? "item.datacenter"
                       : std::string("item.datacenter == ") + (Pick(2) ? "true" : "false");
      case 8:
        return "order.date " + Op() + " " +
               One(std::vector<std::string>{"2024-01-01", "2024-06-15", "2025-01-01"});
      case 9:
        return "item.release_date " + Op() + " order.date";
      case 10:
        return std::string("consignee.lists intersects {a, b}");
      case 11:
        return std::string("\"a\" in consignee.lists");
      case 12:
        return One(std::vector<std::string>{"item.pd is null", "item.tpp is not null",
                                            "destination == consignee.country",
                                            "end_use in {military, research}"});
      case 13:
        return defines > 0 ? "d" + std::to_string(Pick(defines)) : "true";
      case 14:
        return std::string("item.family ") + (Pick(2) ? "==" : "!=") + " \"F\"";
      default:
        return std::string("item.eccn ") +
               One(std::vector<std::string>{"== \"E1\"", "in {E1, E2}", "is null", "!= \"E2\""});
    }
  }
  std::string Op() { return One(std::vector<std::string>{"==", "!=", "<", "<=", ">", ">="}); }
  std::string Country() { return One(std::vector<std::string>{"CN", "JP", "MO", "US", "DE"}); }
  std::string Expr(int depth, bool allow_eccn, int defines) {
    if (depth > 3 || Pick(3) == 0) return Atom(allow_eccn, defines);
    switch (Pick(3)) {
      case 0:
        return Expr(depth + 1, allow_eccn, defines) + " and " +
               Expr(depth + 1, allow_eccn, defines);
      case 1:
        return "(" + Expr(depth + 1, allow_eccn, defines) + " or " +
               Expr(depth + 1, allow_eccn, defines) + ")";
      default:
        return "not (" + Expr(depth + 1, allow_eccn, defines) + ")";
    }
  }
  std::string Rule(const std::string& id) {
    std::string s =
        "  rule " + id + " {\n    effect " +
        One(std::vector<std::string>{"nlr", "exception E", "licence_approval",
                                     "licence_case_by_case", "licence_denial", "prohibited"}) +
        "\n    when " + Expr(0, true, 2) + "\n    cite \"c\"\n";
    if (Pick(3) == 0) s += "    until 2024-09-01\n";
    if (s.find("prohibited") == std::string::npos) {
      if (Pick(2)) s += "    revenue_share 15% of sale_value to \"P\"\n";
      if (Pick(2)) s += "    tariff t 25% of customs_value to \"Q\"\n";
      if (Pick(3) == 0) s += "    certify k \"kyc\"\n";
      if (Pick(3) == 0) s += "    notify n 25 days\n";
    }
    return s + "  }\n";
  }
  std::string Policy() {
    std::string s = "policy r\nset G1 = {CN, MO}\nset G2 = {JP, US, DE}\n";
    s += "define d0 = " + Expr(2, false, 0) + "\n";
    s += "define d1 = " + Expr(2, false, 1) + "\n";
    s += "version \"1\" effective 2024-01-01 {\n";
    s += "  classify c1 {\n    eccn \"E1\"\n    when " + Expr(1, false, 2) +
         "\n    cite \"c\"\n  }\n";
    s += "  classify c2 {\n    eccn \"E2\"\n    when " + Expr(1, false, 2) +
         "\n    cite \"c\"\n  }\n";
    for (int i = 0; i < 6; ++i) s += Rule("r" + std::to_string(i));
    s += "}\nversion \"2\" effective 2024-07-01 {\n";
    int removed = Pick(6);
    s += "  remove r" + std::to_string(removed) + "\n";
    int keep = (removed + 1 + Pick(5)) % 6;
    s += "  replace" + Rule("r" + std::to_string(keep)).substr(1);
    s += "  rule r9 {\n    effect licence_denial\n    when " + Expr(0, true, 2) +
         "\n    cite \"c\"\n  }\n";
    return s + "}\n";
  }

  std::string Decimal12() {
    static const std::vector<std::string> k = {"0",
                                               "1.6",
                                               "2399.999999999999",
                                               "2400",
                                               "4800",
                                               "4800.0000000001",
                                               "4799.9999999999",
                                               "5.92",
                                               "5.919999999999",
                                               "21000",
                                               "100",
                                               "3.2",
                                               "14000.5"};
    return One(k);
  }
  Facts RandomFacts() {
    Facts f;
    auto maybe = [&](auto fn) {
      if (Pick(6)) fn();
    };
    maybe([&] { (void)f.SetNumber("item.tpp", Decimal12()); });
    maybe([&] { (void)f.SetNumber("item.pd", Decimal12()); });
    maybe([&] { (void)f.SetNumber("item.dram_bandwidth", Decimal12()); });
    maybe([&] { (void)f.SetString("destination", Country()); });
    maybe([&] { (void)f.SetString("consignee.country", Country()); });
    maybe([&] { (void)f.SetBool("item.datacenter", Pick(2)); });
    maybe([&] { (void)f.SetString("item.family", Pick(2) ? "F" : "G"); });
    maybe([&] { (void)f.SetString("end_use", Pick(2) ? "military" : "commercial"); });
    maybe([&] { (void)f.SetDate("order.date", Date::FromDays(19700 + Pick(500))); });
    maybe([&] { (void)f.SetDate("item.release_date", Date::FromDays(19700 + Pick(500))); });
    maybe([&] {
      std::vector<std::string> l;
      if (Pick(2)) l.push_back("a");
      if (Pick(2)) l.push_back("c");
      (void)f.SetSet("consignee.lists", l);
    });
    maybe([&] { (void)f.SetNumber("order.value", Pick(2) ? "1000.05" : "12345678.915"); });
    maybe([&] { (void)f.SetNumber("order.customs_value", "999.995"); });
    maybe([&] { (void)f.SetString("order.currency", Pick(2) ? "USD" : "JPY"); });
    return f;
  }

 private:
  std::mt19937 rng_;
};

std::string Summary(const Decision& d) {
  std::ostringstream s;
  s << d.decision << "|" << d.review << "|" << d.exception << "|" << d.eccn << "|"
    << d.policy.version << "|" << d.policy.hash << "|";
  for (const auto& r : d.rules) s << r.id << ",";
  s << "|";
  for (const auto& o : d.obligations)
    s << o.kind << ":" << (o.amount ? o.amount->ToString() : "-") << ",";
  s << "|";
  for (const auto& c : d.conditions) s << c << ";";
  s << "|" << d.explanation;
  return s.str();
}

TEST(Differential, RandomPoliciesAndFacts) {
  Gen g(20260115);
  int loaded = 0, decisions = 0;
  for (int i = 0; i < 400; ++i) {
    std::string text = g.Policy();
    auto p = policy_test::LoadOne(text);
    if (!p.ok()) {
      // Only never-firing conditions may reject a generated policy.
      for (const auto& d : p.status().diagnostics())
        ASSERT_NE(d.message.find("can never fire"), std::string::npos) << text << "\n"
                                                                       << d.ToString();
      continue;
    }
    ++loaded;
    for (int j = 0; j < 100; ++j) {
      Facts f = g.RandomFacts();
      Date as_of = Date::FromDays(19700 + g.Pick(500));
      Decision fast = p->Decide(f, as_of);
      Decision ref = p->DecideReference(f, as_of);
      ASSERT_EQ(Summary(fast), Summary(ref)) << text;
      ASSERT_EQ(Summary(fast), Summary(p->DecideTraced(f, as_of).decision)) << text;
      ASSERT_EQ(fast.eccn, p->ClassifyEccn(f, as_of).eccn);
      ++decisions;
    }
  }
  EXPECT_GT(loaded, 200);
  EXPECT_GT(decisions, 20000);
}

TEST(Differential, BundledPolicyRandomFacts) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::mt19937 rng(7);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const std::vector<std::string> countries = {"CN", "HK", "MO", "AE", "VN", "JP", "US", "RU",
                                              "IR", "CU", "MY", "IL", "BR", "DE", "SA", "TW"};
  const std::vector<std::string> ids = {"nvidia-h20",  "amd-mi308x",   "nvidia-h200-sxm",
                                        "nvidia-b200", "intel-gaudi2", "x"};
  const std::vector<std::string> tpps = {"1912",  "2368",  "3000",  "4800",  "5286",   "15832",
                                         "20800", "20919", "21000", "36000", "14000.5"};
  const std::vector<std::string> uses = {"commercial",    "military",    "military_intelligence",
                                         "supercomputer", "advanced_ic", "datacenter"};
  for (int i = 0; i < 30000; ++i) {
    Facts f;
    (void)f.SetString("item.id", ids[static_cast<size_t>(pick(6))]);
    (void)f.SetString("item.vendor", pick(2) ? "NVIDIA" : (pick(2) ? "AMD" : "Intel"));
    (void)f.SetString("item.family", pick(2) ? "Hopper" : "Blackwell");
    (void)f.SetString("item.kind", pick(4) ? "ic" : (pick(2) ? "system" : "hbm"));
    if (pick(5)) (void)f.SetBool("item.datacenter", pick(3) != 0);
    if (pick(8)) (void)f.SetNumber("item.tpp", tpps[static_cast<size_t>(pick(11))]);
    if (pick(3)) (void)f.SetNumber("item.pd", pick(2) ? "2.91" : "19.45");
    (void)f.SetNumber("item.dram_bandwidth", pick(2) ? "4800" : (pick(2) ? "6000" : "8000"));
    (void)f.SetNumber("item.io_bandwidth", pick(2) ? "400" : "900");
    (void)f.SetNumber("item.hbm_density", pick(2) ? "1.5" : "11");
    if (pick(3)) (void)f.SetDate("item.release_date", Date::FromDays(19000 + pick(1500)));
    (void)f.SetString("destination", countries[static_cast<size_t>(pick(16))]);
    (void)f.SetString("ship_from", pick(2) ? "US" : "TW");
    (void)f.SetString("end_user.hq", countries[static_cast<size_t>(pick(16))]);
    if (pick(2)) (void)f.SetString("consignee.hq", countries[static_cast<size_t>(pick(16))]);
    (void)f.SetString("end_use", uses[static_cast<size_t>(pick(6))]);
    if (pick(4) == 0) (void)f.SetString("order.licence", "D123");
    (void)f.SetNumber("order.value", "1234567.89");
    (void)f.SetNumber("order.customs_value", "1000000.01");
    (void)f.SetString("order.currency", pick(2) ? "USD" : "JPY");
    Date as_of = Date::FromDays(19200 + pick(1500));  // 2022-07 .. 2026-08
    ASSERT_EQ(Summary(p->Decide(f, as_of)), Summary(p->DecideReference(f, as_of)))
        << as_of.ToString();
  }
}

}  // namespace
}  // namespace tollgate
