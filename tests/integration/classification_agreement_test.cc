// Cross-part integration test: the ECCN computed by the bundled policy's `classify` rules
// (policies/us/*.tgp, issue 3) against the table-driven classifier (data/classification/
// thresholds.csv, issue 2, the reference), for every chip of the bundled catalog on both
// sides of every classification change; and the pipeline's `eccn` for every line of
// data/samples/orders.csv against the classifier. See docs/integration.md.
//
// The policy side sees exactly the facts the pipeline builds: the item is resolved by the
// pipeline's own catalog adapter (backends::MakeCatalogResolver, which converts the catalog
// specs and the classifier's TPP/PD to exact decimals), the facts come from the pipeline's
// public BuildFacts(), and the decision from the pipeline's policy adapter
// (backends::MakePolicyEngine), i.e. the same code path as `tollgate check`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "pipeline/backends.h"
#include "tollgate/catalog.h"
#include "tollgate/classify.h"
#include "tollgate/pipeline.h"
#include "tollgate/policy.h"

namespace tollgate {
namespace {

// Both sides of every classification change (thresholds.csv and policies/us):
// 2022-10-07 (87 FR 62186), 2023-11-17 (88 FR 73458), 2024-12-02 (89 FR 96790),
// 2026-01-15 (91 FR 1684 zone; no ECCN change expected), plus 2025-06-01 and 2026-02-01 as
// dates inside periods.
constexpr const char* kDates[] = {"2022-10-06", "2022-10-07", "2023-06-01", "2023-11-16",
                                  "2023-11-17", "2024-12-01", "2024-12-02", "2025-06-01",
                                  "2026-01-14", "2026-01-15", "2026-02-01"};

Date D(const char* text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Date();
}

// What one side answered, as text: an ECCN, "none" (determined: not 3A090/4A090), or
// "undetermined" (table only: the specs do not decide it; see Classification::
// eccn_determined).
constexpr const char* kNone = "none";
constexpr const char* kUndetermined = "undetermined";

std::string TableAnswer(const Classification& c) {
  if (!c.eccn_determined) return kUndetermined;
  return c.eccn.empty() ? kNone : c.eccn;
}
std::string PolicyAnswer(const std::string& eccn) { return eccn.empty() ? kNone : eccn; }

// A known disagreement between the two sides: for `chip` on every test date in
// [from, to] (to "" = open: the rules and data in force today), the table says `table` and
// the policy says `policy`. `reason` says which side
// is wrong and why (details in docs/integration.md). The test fails when a disagreement
// appears that is not listed here AND when a listed one no longer occurs (fixed: remove the
// entry).
struct KnownDisagreement {
  const char* chip;
  const char* from;
  const char* to;
  const char* table;
  const char* policy;
  const char* reason;
};

// Why each kind of known disagreement occurs and which side is right (docs/integration.md,
// "Disagreements"). In every one the table classifier is right and the policy is wrong: the
// table says the specs do not decide the ECCN; the policy's classify rules compare a null
// attribute, every comparison on null is false (docs/policy-language.md), no classify rule
// matches, and item.eccn stays empty, i.e. "not 3A090/4A090", with nothing in the decision
// saying that an input was missing.
constexpr const char* kIo2022Unknown =
    "2022 text (87 FR 62186, ECCN 3A090.a as created; regulatory.md 1.2): I/O >= 600 GB/s AND "
    "TPP >= 4800. TPP >= 4800 is known but io_bandwidth_gbs is empty in data/catalog.csv, so "
    "the specs do not decide it (table: undetermined, right); cls.3a090a_2022 / "
    "cls.4a090a_2022 test `item.io_bandwidth >= 600 GB/s`, false on null: silently not "
    "controlled (policy wrong)";
constexpr const char* kTppUnknown =
    "no dense throughput in data/catalog.csv, so TPP (Technical Note 1 to 3A090, 88 FR 73458; "
    "regulatory.md 1.3) and PD are unknown and no 3A090 test can be decided in either period "
    "(table: undetermined, right); every classify rule compares item.tpp, false on null: "
    "silently not controlled (policy wrong)";
constexpr const char* kHbmDensityUnknown =
    "3A090.c (89 FR 96790, eff. 2024-12-02; regulatory.md 1.1): HBM with memory bandwidth "
    "density > 2 GB/s/mm2; neither memory_bandwidth_density nor hbm_stack_area_mm2 is in "
    "data/catalog.csv (table: undetermined, right; BIS: all HBM stacks in production exceed "
    "it); cls.3a090c tests `item.hbm_density > 2 GB/s/mm2`, false on null: silently not "
    "controlled (policy wrong)";

// The bundled catalog's known disagreements, from the observed runs, each checked against
// regulatory.md sections 1 and 6. There is no disagreement on any chip whose specs decide
// the ECCN.
const std::vector<KnownDisagreement>& KnownDisagreements() {
  static const std::vector<KnownDisagreement> k = {
      {"nvidia-a800-pcie-80gb", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-h100-nvl", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-h200-nvl", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"nvidia-gh200-gpu", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-gh200", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-b100", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-b200", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-gb200-gpu", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-gb200", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-rtx-4090", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-rtx-4090d", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"nvidia-rtx-5090", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-rtx-5090d", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"nvidia-rtx-5090d-v2", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"nvidia-rtx-6000-ada", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"nvidia-l40s", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"amd-mi300a", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"amd-mi300x", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"amd-mi308x", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"amd-mi325x", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"amd-mi350x", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"amd-mi355x", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"intel-gaudi2", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"intel-gaudi3-oam", "2022-10-07", "2023-11-16", kUndetermined, kNone, kIo2022Unknown},
      {"intel-gaudi3-hl328", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"intel-gaudi3-hl388", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"huawei-ascend-910b", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"huawei-ascend-910c", "2022-10-07", "", kUndetermined, kNone, kTppUnknown},
      {"samsung-hbm3e-12h", "2024-12-02", "", kUndetermined, kNone, kHbmDensityUnknown},
      {"micron-hbm3e-12h", "2024-12-02", "", kUndetermined, kNone, kHbmDensityUnknown},
  };
  return k;
}

// The pieces the pipeline uses, loaded once (bundled catalog, threshold table, policy).
struct World {
  Catalog catalog;
  std::unique_ptr<ItemResolver> resolver;
  std::unique_ptr<PolicyEngine> engine;
  std::optional<PolicySet> policy;  // for ClassifyEccn (the engine's own PolicySet is private)
  OrderLine template_line;
};

const World& GetWorld() {
  static const World* w = [] {
    auto* world = new World;
    auto cat = Catalog::LoadBundled();
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    if (cat.ok()) world->catalog = std::move(cat).value();
    auto resolver = backends::MakeCatalogResolver("");
    EXPECT_TRUE(resolver.ok()) << resolver.status().ToString();
    if (resolver.ok()) world->resolver = std::move(resolver).value();
    auto engine = backends::MakePolicyEngine("");
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    if (engine.ok()) world->engine = std::move(engine).value();
    auto policy = PolicySet::LoadBundled();
    EXPECT_TRUE(policy.ok()) << policy.status().ToString();
    if (policy.ok()) world->policy.emplace(std::move(policy).value());
    // A neutral order line (Japan to the Netherlands, commercial end use): only item.* facts
    // matter to the classify rules; the item and date are replaced per case.
    std::string csv = std::string(OrderCsvHeader()) +
                      "\nIT-1,1,2024-01-02,Integration Test K.K.,A100,1,100.00,USD,JP,NL,"
                      "Example B.V.,NL,Example B.V.,NL,NL,commercial,,\n";
    auto batch = ReadOrdersCsv(csv, "integration.csv");
    EXPECT_TRUE(batch.ok() && batch->errors.empty() && batch->lines.size() == 1);
    if (batch.ok() && batch->lines.size() == 1) world->template_line = batch->lines[0];
    return world;
  }();
  return *w;
}

// The same conversion as the pipeline's policy adapter (src/pipeline/backend_policy.cc,
// ToFacts, private): attributes the schema knows, by type; an empty country is null.
Facts ToPolicyFacts(const FactMap& in) {
  Facts f;
  const Schema& schema = Schema::Default();
  for (const auto& [name, value] : in) {
    int slot = schema.Slot(name);
    if (slot < 0) continue;
    Status s;
    if (auto* b = std::get_if<bool>(&value)) {
      s = f.SetBool(name, *b);
    } else if (auto* d = std::get_if<Decimal>(&value)) {
      s = f.SetNumber(name, *d);
    } else if (auto* str = std::get_if<std::string>(&value)) {
      s = str->empty() && schema.info(slot).country ? f.SetNull(name) : f.SetString(name, *str);
    } else if (auto* date = std::get_if<Date>(&value)) {
      s = f.SetDate(name, *date);
    } else if (auto* set = std::get_if<std::vector<std::string>>(&value)) {
      s = f.SetSet(name, *set);
    }
    EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
  }
  return f;
}

struct Observation {
  std::string chip;
  Date date;
  std::string table;          // TableAnswer
  std::string table_reason;   // undetermined_reason
  std::string table_dc_true;  // TableAnswer with an unknown datacenter flag set to true
  std::string policy;         // Decide(...).eccn through the pipeline's adapters
  std::string policy_rule;    // the classify rule that matched (ClassifyEccn)
  bool agree = false;
};

// Agreement:
//  * table determined: the policy gives exactly the same ECCN ("none" == "none").
//  * table undetermined: the policy must not say "not controlled" (that would be a silent
//    release of an item whose specs do not decide it). The policy's documented reading is
//    that an unknown datacenter flag counts as datacenter (00-common / 12-2023-11-17.tgp,
//    "the control applies"); so when the table becomes determined once the unknown flag is
//    set to "datacenter", the policy must give that ECCN; otherwise (TPP or PD unknown) any
//    controlled ECCN is accepted, "none" is not.
bool Agrees(const Observation& o) {
  if (o.table != kUndetermined) return o.policy == o.table;
  if (o.policy == kNone) return false;
  if (o.table_dc_true != kUndetermined) return o.policy == o.table_dc_true;
  return true;
}

// The table classifier's answer for `chip` on `date` into `o` (table, table_reason,
// table_dc_true); the Classification, or nullopt on error.
std::optional<Classification> FillTableSide(const Chip& chip, Date date, Observation* o) {
  o->chip = chip.id;
  o->date = date;
  auto cl = Classify(chip, date);
  EXPECT_TRUE(cl.ok()) << chip.id << " " << date.ToString() << ": " << cl.status().ToString();
  if (!cl.ok()) return std::nullopt;
  o->table = TableAnswer(*cl);
  o->table_reason = cl->undetermined_reason;
  o->table_dc_true = o->table;
  if (!cl->eccn_determined && !chip.datacenter.has_value()) {
    Chip dc = chip;
    dc.datacenter = true;
    auto cl_dc = Classify(dc, date);
    EXPECT_TRUE(cl_dc.ok());
    if (cl_dc.ok()) o->table_dc_true = TableAnswer(*cl_dc);
  }
  return std::move(cl).value();
}

// The pipeline's path for one chip and date through `resolver` (the bundled catalog's or a
// synthetic one's).
Observation Observe(const Chip& chip, Date date, const ItemResolver& resolver) {
  const World& w = GetWorld();
  Observation o;
  o.chip = chip.id;
  o.date = date;
  auto cl = FillTableSide(chip, date, &o);
  if (!cl) return o;

  // The pipeline's path: resolve, build facts, decide.
  auto item = resolver.Resolve(chip.id, date);
  EXPECT_TRUE(item.ok()) << chip.id << ": " << item.status().ToString();
  if (!item.ok()) return o;
  // The pipeline's resolver uses the same classifier: its ECCN must be the table's.
  EXPECT_EQ(item->eccn, cl->eccn) << chip.id << " " << date.ToString();
  OrderLine line = w.template_line;
  line.item = chip.id;
  line.date = date;
  FactMap facts = BuildFacts(line, *item, {}, {});
  auto decision = w.engine->Decide(facts, date);
  EXPECT_TRUE(decision.ok()) << decision.status().ToString();
  if (!decision.ok()) return o;
  o.policy = PolicyAnswer(decision->eccn);

  // The policy's own classification entry point must say the same as Decide.
  EccnResult er = w.policy->ClassifyEccn(ToPolicyFacts(facts), date);
  EXPECT_EQ(PolicyAnswer(er.eccn), o.policy)
      << chip.id << " " << date.ToString() << ": ClassifyEccn and Decide(...).eccn differ";
  o.policy_rule = er.rule_id;
  o.agree = Agrees(o);
  return o;
}

std::string Describe(const Observation& o) {
  std::ostringstream s;
  s << o.chip << " on " << o.date.ToString() << ": table " << o.table;
  if (o.table == kUndetermined) {
    s << " (" << o.table_reason << "; with datacenter=yes: " << o.table_dc_true << ")";
  }
  s << ", policy " << o.policy;
  if (!o.policy_rule.empty()) s << " (rule " << o.policy_rule << ")";
  return s.str();
}

const std::vector<Observation>& AllObservations() {
  static const std::vector<Observation>* all = [] {
    auto* v = new std::vector<Observation>;
    for (const Chip& chip : GetWorld().catalog.chips())
      for (const char* d : kDates) v->push_back(Observe(chip, D(d), *GetWorld().resolver));
    return v;
  }();
  return *all;
}

const KnownDisagreement* FindKnown(const Observation& o,
                                   const std::vector<KnownDisagreement>& known) {
  for (const auto& k : known) {
    bool open = std::string(k.to).empty();
    if (o.chip == k.chip && D(k.from) <= o.date && (open || o.date <= D(k.to))) return &k;
  }
  return nullptr;
}

TEST(ClassificationAgreementTest, BundledPartsLoad) {
  const World& w = GetWorld();
  ASSERT_TRUE(w.resolver && w.engine && w.policy);
  // The bundled catalog has every kind the rules distinguish.
  std::set<ChipKind> kinds;
  for (const Chip& c : w.catalog.chips()) kinds.insert(c.kind);
  EXPECT_EQ(kinds.size(), 3u);
  EXPECT_GE(w.catalog.chips().size(), 40u);
}

// Every observation agrees, except the listed known disagreements, each of which must still
// occur with exactly the listed answers. Returns the number of agreements.
int CheckAgainstKnown(const std::vector<Observation>& all,
                      const std::vector<KnownDisagreement>& known) {
  std::set<const KnownDisagreement*> seen;
  int agreements = 0;
  for (const Observation& o : all) {
    const KnownDisagreement* k = FindKnown(o, known);
    if (o.agree) {
      ++agreements;
      EXPECT_EQ(k, nullptr) << "listed disagreement no longer occurs (fixed? remove it from "
                               "the known disagreements and docs/integration.md): "
                            << Describe(o) << "; listed reason: " << (k ? k->reason : "");
      continue;
    }
    if (k == nullptr) {
      ADD_FAILURE() << "NEW disagreement: " << Describe(o);
      continue;
    }
    seen.insert(k);
    EXPECT_EQ(o.table, k->table) << Describe(o);
    EXPECT_EQ(o.policy, k->policy) << Describe(o);
  }
  for (const auto& k : known) {
    EXPECT_TRUE(seen.count(&k)) << "listed disagreement never observed: " << k.chip << " " << k.from
                                << ".." << k.to;
  }
  return agreements;
}

// The differential: every chip x every date agrees, except the listed known disagreements.
TEST(ClassificationAgreementTest, PolicyClassifyRulesAgreeWithTableClassifier) {
  const auto& all = AllObservations();
  ASSERT_EQ(all.size(), GetWorld().catalog.chips().size() * std::size(kDates));
  int agreements = CheckAgainstKnown(all, KnownDisagreements());
  // Not vacuous: most cases agree, and the ECCNs the bundled catalog reaches occur. (No
  // bundled HBM stack has a known density, so 3A090.c is covered by the synthetic catalog.)
  EXPECT_GT(agreements, static_cast<int>(all.size()) / 2);
  std::set<std::string> answers;
  for (const Observation& o : all) answers.insert(o.table);
  for (const char* e : {"3A090.a", "3A090.b", "4A090.a", "none", "undetermined"})
    EXPECT_TRUE(answers.count(e)) << "no chip classified " << e << " by the table";
  // No known disagreement is on a chip whose specs decide the ECCN.
  for (const auto& k : KnownDisagreements()) EXPECT_EQ(std::string(k.table), kUndetermined);
}

// Both sides against the worked examples of regulatory.md section 6 ("ECCN from
// 2023-11-17" column, and the 2022 remarks for A800 / H800), so that agreement between them is
// not agreement on a shared mistake.
TEST(ClassificationAgreementTest, RegulatoryWorkedExamples) {
  struct Example {
    const char* chip;
    const char* date;
    const char* eccn;
  };
  const Example examples[] = {
      {"nvidia-h20", "2023-11-17", "none"},  // TPP 2368, PD 2.91: fails a.1, a.2, b.1, b.2
      {"nvidia-h20", "2026-02-01", "none"},
      {"nvidia-h200-sxm", "2023-11-17", "3A090.a"},  // TPP 15832
      {"nvidia-h100-sxm5-80gb", "2023-11-17", "3A090.a"},
      {"nvidia-b200", "2025-06-01", "3A090.a"},  // TPP 36000: a.1, die-area conflict moot
      {"amd-mi325x", "2025-06-01", "3A090.a"},
      {"nvidia-rtx-4090", "2023-11-17", "3A090.a"},     // not DC, but Note 2 needs TPP < 4800
      {"nvidia-l20", "2023-11-17", "none"},             // TPP 1912, PD 3.14: fails b.1 and b.2
      {"nvidia-a800-sxm4-80gb", "2023-06-01", "none"},  // I/O 400 GB/s: outside the 2022 text
      {"nvidia-a800-sxm4-80gb", "2023-11-17", "3A090.a"},
      {"nvidia-h800-sxm5", "2023-06-01", "none"},  // I/O 400 GB/s
      {"nvidia-h800-sxm5", "2023-11-17", "3A090.a"},
  };
  const auto& all = AllObservations();
  for (const Example& e : examples) {
    bool found = false;
    for (const Observation& o : all) {
      if (o.chip != e.chip || o.date != D(e.date)) continue;
      found = true;
      EXPECT_EQ(o.table, e.eccn) << "table: " << Describe(o);
      EXPECT_EQ(o.policy, e.eccn) << "policy: " << Describe(o);
    }
    EXPECT_TRUE(found) << e.chip << " " << e.date << " not in the matrix";
  }
}

// Every row of the expected-disagreements table is well formed: an existing chip, dates in
// order, both answers given, a reason.
TEST(ClassificationAgreementTest, KnownDisagreementsAreWellFormed) {
  for (const auto& k : KnownDisagreements()) {
    auto found = GetWorld().catalog.Find(k.chip);
    EXPECT_TRUE(found.ok() && (*found)->id == k.chip) << k.chip;
    if (!std::string(k.to).empty()) {
      EXPECT_LE(D(k.from), D(k.to)) << k.chip;
    }
    EXPECT_NE(std::string(k.table), std::string(k.policy)) << k.chip;
    EXPECT_GT(std::string(k.reason).size(), 20u) << k.chip;
  }
}

// Prints the whole matrix (chip x date, table vs policy) for docs/integration.md; run with
// --gtest_also_run_disabled_tests --gtest_filter=*PrintMatrix*.
TEST(ClassificationAgreementTest, DISABLED_PrintMatrix) {
  for (const Observation& o : AllObservations())
    std::cout << (o.agree ? "  " : "!! ") << Describe(o) << "\n";
}

// ---------------------------------------------------------------------------------------
// Boundary cases the bundled catalog does not reach: a synthetic catalog with chips exactly
// at and just below every threshold (TPP 4800 / 2400 / 1600, PD 5.92 / 3.2 / 1.6, I/O 600,
// HBM density 2), each datacenter reading (yes / no / unknown), systems containing them and
// HBM stacks. It goes through the same pipeline adapter, loaded from a catalog file written
// with WriteCatalogCsv.

// INT8 dense TOPS x 8 bits = TPP (Technical Note 1 to 3A090, 88 FR 73458).
Chip SyntheticIc(const std::string& id, double int8_tops, std::optional<double> die_mm2,
                 std::optional<bool> datacenter, std::optional<double> io_gbs) {
  Chip c;
  c.id = id;
  c.vendor = "Synthetic";
  c.model = "Boundary " + id;
  c.kind = ChipKind::kIc;
  c.datacenter = datacenter;
  c.int8 = int8_tops;
  c.die_area_mm2 = die_mm2;
  c.io_bandwidth_gbs = io_gbs;
  c.dram_bandwidth_gbs = 1000;
  c.sources = {"synthetic boundary case (tests/integration)"};
  return c;
}
Chip SyntheticSystem(const std::string& id, const std::string& ic_id) {
  Chip c;
  c.id = id;
  c.vendor = "Synthetic";
  c.model = "Boundary " + id;
  c.kind = ChipKind::kSystem;
  c.datacenter = true;
  c.ic_id = ic_id;
  c.ic_count = 8;
  c.sources = {"synthetic boundary case (tests/integration)"};
  return c;
}
Chip SyntheticHbm(const std::string& id, std::optional<double> density,
                  std::optional<double> stack_area_mm2) {
  Chip c;
  c.id = id;
  c.vendor = "Synthetic";
  c.model = "Boundary " + id;
  c.kind = ChipKind::kHbm;
  c.dram_bandwidth_gbs = 1280;
  c.memory_bandwidth_density = density;
  c.hbm_stack_area_mm2 = stack_area_mm2;
  c.sources = {"synthetic boundary case (tests/integration)"};
  return c;
}

std::vector<Chip> SyntheticChips() {
  std::optional<bool> unknown;
  return {
      // TPP 4800 exactly: 3A090.a.1 whatever the datacenter flag; 2022 needs I/O >= 600.
      SyntheticIc("syn-tpp4800-dc", 600, 1000, true, 600),
      SyntheticIc("syn-tpp4800-nodc", 600, 1000, false, 599.9),
      // TPP 4799.2, PD 2.3996: 3A090.b.1 for datacenter, Note 2 releases a non-datacenter one.
      SyntheticIc("syn-tpp4799-dc", 599.9, 2000, true, 900),
      SyntheticIc("syn-tpp4799-nodc", 599.9, 2000, false, unknown),
      // TPP 1600, PD 6.4: a.2; released by Note 2 when not datacenter; unknown flag.
      SyntheticIc("syn-a2-dc", 200, 250, true, unknown),
      SyntheticIc("syn-a2-nodc", 200, 250, false, unknown),
      SyntheticIc("syn-a2-dcunknown", 200, 250, unknown, unknown),
      // PD 5.92 exactly (2960 / 500): a.2.
      SyntheticIc("syn-pd592", 370, 500, true, unknown),
      // TPP 1600, PD 3.2 exactly: b.2; PD just below: nothing.
      SyntheticIc("syn-b2-edge", 200, 500, true, unknown),
      SyntheticIc("syn-b2-below", 200, 500.5, true, unknown),
      // TPP 2400, PD 1.6 exactly: b.1; PD just below: nothing.
      SyntheticIc("syn-b1-edge", 300, 1500, true, unknown),
      SyntheticIc("syn-b1-below", 300, 1501, true, unknown),
      // TPP just below 1600 with a high PD: nothing.
      SyntheticIc("syn-tpp1599", 199.9, 100, true, unknown),
      // TPP 2000, PD 4, datacenter unknown: undetermined; as datacenter b.2.
      SyntheticIc("syn-b-dcunknown", 250, 500, unknown, unknown),
      // TPP 2000 with the die area unknown: PD decides, so undetermined for a datacenter
      // part; Note 2 decides a non-datacenter one.
      SyntheticIc("syn-pd-unknown-dc", 250, std::nullopt, true, unknown),
      SyntheticIc("syn-pd-unknown-nodc", 250, std::nullopt, false, unknown),
      // Systems follow the IC they contain (4A090.a / .b).
      SyntheticSystem("syn-sys-a", "syn-tpp4800-dc"),
      SyntheticSystem("syn-sys-b", "syn-b1-edge"),
      SyntheticSystem("syn-sys-none", "syn-tpp1599"),
      // HBM: density exactly 2 (not > 2), 2.01, and density from bandwidth / stack area
      // (1280 / 110 = 11.6).
      SyntheticHbm("syn-hbm-2", 2, std::nullopt),
      SyntheticHbm("syn-hbm-201", 2.01, std::nullopt),
      SyntheticHbm("syn-hbm-area", std::nullopt, 110),
  };
}

constexpr const char* kPdUnknown =
    "TPP 2000 is in [1600, 4800) and the applicable die area is unknown: 3A090.a.2, .b.1 and "
    ".b.2 (88 FR 73458; regulatory.md 1.1) depend on PD, so the specs do not decide it (table: "
    "undetermined, right); cls.3a090a / cls.3a090b compare item.pd, false on null: silently "
    "not controlled (policy wrong). No bundled chip is in this case today (L2: TPP 1544 < "
    "1600).";

const std::vector<KnownDisagreement>& KnownSyntheticDisagreements() {
  static const std::vector<KnownDisagreement> k = {
      {"syn-pd-unknown-dc", "2023-11-17", "", kUndetermined, kNone, kPdUnknown},
  };
  return k;
}

TEST(ClassificationAgreementTest, BoundaryCasesAgree) {
  std::vector<Chip> chips = SyntheticChips();
  std::string path = ::testing::TempDir() + "/tollgate_integration_boundary_catalog.csv";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << WriteCatalogCsv(chips);
    ASSERT_TRUE(out.good()) << path;
  }
  auto catalog = Catalog::LoadFile(path);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  auto resolver = backends::MakeCatalogResolver(path);
  ASSERT_TRUE(resolver.ok()) << resolver.status().ToString();
  std::vector<Observation> all;
  for (const Chip& chip : catalog->chips())
    for (const char* d : kDates) all.push_back(Observe(chip, D(d), **resolver));
  ASSERT_EQ(all.size(), chips.size() * std::size(kDates));
  CheckAgainstKnown(all, KnownSyntheticDisagreements());
  std::set<std::string> answers;
  for (const Observation& o : all) answers.insert(o.table);
  for (const char* e :
       {"3A090.a", "3A090.b", "3A090.c", "4A090.a", "4A090.b", "none", "undetermined"})
    EXPECT_TRUE(answers.count(e)) << "no synthetic chip classified " << e << " by the table";
  // Spot checks of the reference itself at the edges (so that agreement is not agreement on
  // a shared mistake): regulatory.md 1.1, 1.2 and 1.6.
  auto at = [&](const std::string& id, const char* date) {
    for (const Observation& o : all)
      if (o.chip == id && o.date == D(date)) return o.table;
    return std::string("missing");
  };
  EXPECT_EQ(at("syn-tpp4800-dc", "2022-10-07"), "3A090.a");    // I/O 600 and TPP 4800
  EXPECT_EQ(at("syn-tpp4800-nodc", "2022-10-07"), "none");     // I/O 599.9
  EXPECT_EQ(at("syn-tpp4800-nodc", "2023-11-17"), "3A090.a");  // Note 2 needs TPP < 4800
  EXPECT_EQ(at("syn-tpp4799-dc", "2023-11-17"), "3A090.b");
  EXPECT_EQ(at("syn-tpp4799-nodc", "2023-11-17"), "none");
  EXPECT_EQ(at("syn-a2-dc", "2023-11-17"), "3A090.a");
  EXPECT_EQ(at("syn-a2-nodc", "2023-11-17"), "none");
  EXPECT_EQ(at("syn-pd592", "2023-11-17"), "3A090.a");
  EXPECT_EQ(at("syn-b2-edge", "2023-11-17"), "3A090.b");
  EXPECT_EQ(at("syn-b2-below", "2023-11-17"), "none");
  EXPECT_EQ(at("syn-b1-edge", "2023-11-17"), "3A090.b");
  EXPECT_EQ(at("syn-b1-below", "2023-11-17"), "none");
  EXPECT_EQ(at("syn-tpp1599", "2023-11-17"), "none");
  EXPECT_EQ(at("syn-sys-b", "2023-11-17"), "4A090.b");
  EXPECT_EQ(at("syn-hbm-2", "2024-12-02"), "none");
  EXPECT_EQ(at("syn-hbm-201", "2024-12-01"), "none");
  EXPECT_EQ(at("syn-hbm-201", "2024-12-02"), "3A090.c");
  EXPECT_EQ(at("syn-hbm-area", "2024-12-02"), "3A090.c");
  std::remove(path.c_str());
}

// ---------------------------------------------------------------------------------------
// Second check: the pipeline's decided `eccn` for each line of data/samples/orders.csv
// equals the table classifier's ECCN for that item and date.

TEST(PipelineEccnTest, SampleOrdersEccnEqualsTableClassifier) {
  const World& w = GetWorld();
  ASSERT_TRUE(w.resolver && w.engine);
  auto batch = ReadOrdersFile("data/samples/orders.csv");
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_TRUE(batch->errors.empty()) << batch->errors.size() << " bad lines in the sample";
  ASSERT_GT(batch->lines.size(), 100u);
  PipelineContext ctx;
  ctx.items = w.resolver.get();
  ctx.policy = w.engine.get();
  DecideBatchResult r = DecideBatch(batch->lines, ctx);
  EXPECT_TRUE(r.errors.empty()) << r.errors.size() << " lines failed; first: "
                                << (r.errors.empty() ? "" : r.errors[0].message);
  ASSERT_EQ(r.decided.size(), batch->lines.size());
  std::set<std::string> eccns;
  int policy_differs = 0;
  int pipeline_known = 0;
  for (const LineDecision& d : r.decided) {
    auto chip = w.catalog.Find(d.line.item);
    ASSERT_TRUE(chip.ok()) << d.line.item;
    std::string where = d.line.order_id + " line " + std::to_string(d.line.line) + " (" +
                        d.line.item + ", " + d.line.date.ToString() + ")";
    // The pipeline's output against the table, with the same meaning of agreement as the
    // differential (exact when the table is determined).
    Observation o;
    auto cl = FillTableSide(**chip, d.line.date, &o);
    ASSERT_TRUE(cl.has_value()) << where;
    o.policy = PolicyAnswer(d.decision.eccn);
    eccns.insert(o.table);
    if (cl->eccn_determined) {
      EXPECT_EQ(d.decision.eccn, cl->eccn) << where;
    } else if (!Agrees(o)) {
      // An undetermined item the pipeline reports without an ECCN: allowed only where the
      // differential lists the same disagreement for this chip and date.
      ++pipeline_known;
      const KnownDisagreement* k = FindKnown(o, KnownDisagreements());
      EXPECT_TRUE(k != nullptr && o.table == k->table && o.policy == k->policy)
          << where << ": pipeline eccn " << o.policy << " vs " << Describe(o)
          << " is not a known disagreement";
    }
    EXPECT_EQ(d.item.eccn, cl->eccn) << where << ": resolver ECCN";
    // The pipeline falls back to the table's ECCN when the policy gives none
    // (DecideLine: `if (d.eccn.empty()) d.eccn = p.item.eccn`). Check the policy's own
    // answer too, so that the fallback does not hide a policy miss: it must agree or be a
    // listed disagreement.
    // LineDecision::item has its attributes dropped after deciding (pipeline.cc), so the
    // item is resolved again, as DecideLine did.
    auto item = w.resolver->Resolve(d.line.item, d.line.date);
    ASSERT_TRUE(item.ok()) << where;
    FactMap facts = BuildFacts(d.line, *item, {}, {});
    auto own = w.engine->Decide(facts, d.line.date);
    ASSERT_TRUE(own.ok());
    // The policy's three entry points on the same facts: the compiled evaluator (Decide,
    // what the pipeline calls), the reference evaluator and ClassifyEccn.
    Facts pf = ToPolicyFacts(facts);
    std::string compiled = PolicyAnswer(w.policy->Decide(pf, d.line.date).eccn);
    std::string reference = PolicyAnswer(w.policy->DecideReference(pf, d.line.date).eccn);
    std::string classified = PolicyAnswer(w.policy->ClassifyEccn(pf, d.line.date).eccn);
    EXPECT_EQ(compiled, PolicyAnswer(own->eccn)) << where;
    EXPECT_EQ(compiled, reference) << where << ": compiled vs reference evaluator";
    EXPECT_EQ(compiled, classified) << where << ": Decide(...).eccn vs ClassifyEccn";
    Observation p = o;
    p.policy = PolicyAnswer(own->eccn);
    if (!Agrees(p)) {
      ++policy_differs;
      const KnownDisagreement* k = FindKnown(p, KnownDisagreements());
      EXPECT_TRUE(k != nullptr && p.table == k->table && p.policy == k->policy)
          << where << ": the policy's own answer is not a known disagreement: " << Describe(p);
    }
  }
  EXPECT_GE(eccns.size(), 3u) << "the sample should exercise several ECCNs";
  std::cout << "sample orders: " << r.decided.size() << " lines; " << pipeline_known
            << " lines with an undetermined item and no ECCN in the pipeline output (known "
               "disagreements); "
            << policy_differs << " lines where the policy's own ECCN disagrees with the table\n";
}

}  // namespace
}  // namespace tollgate
