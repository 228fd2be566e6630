#include "tollgate/classify.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "core/csv.h"
#include "core/io.h"

namespace tollgate {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

const ThresholdTable& Table() {
  static const ThresholdTable* t = [] {
    auto r = ThresholdTable::LoadFile("data/classification/thresholds.csv");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new ThresholdTable(std::move(r).value());
  }();
  return *t;
}

Chip Ic(std::optional<double> fp16, std::optional<double> die, bool dc = true) {
  Chip c;
  c.id = "test-chip";
  c.fp16 = fp16;
  c.die_area_mm2 = die;
  c.datacenter = dc;
  return c;
}

std::string Eccn(const Chip& c, const char* date = "2024-01-01") {
  auto r = Classify(c, D(date), Table());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return "error";
  if (!r->eccn_determined) return "undetermined";
  return r->eccn.empty() ? "-" : r->eccn;
}

// ---------------------------------------------------------------------------------------
// TPP and PD

TEST(TppTest, MaxOverPrecisionsTimesBits) {
  Chip c;
  c.id = "x";
  c.fp16 = 989.4;  // 15830.4
  c.int8 = 1979;   // 15832
  c.tf32 = 494.7;  // 9399.3
  EXPECT_DOUBLE_EQ(*ComputeTpp(c), 15832);
  c.fp4 = 5000;  // 20000
  EXPECT_DOUBLE_EQ(*ComputeTpp(c), 20000);
  c.fp64 = 400;  // 25600
  EXPECT_DOUBLE_EQ(*ComputeTpp(c), 25600);
}

TEST(TppTest, BisExamples) {
  // 88 FR 73458: "600 tera integer operations ... at 8 bits or 300 tera FLOPS ... at 16 bits"
  // both meet 4800.
  Chip a;
  a.id = "a";
  a.int8 = 600;
  EXPECT_DOUBLE_EQ(*ComputeTpp(a), 4800);
  Chip b;
  b.id = "b";
  b.fp16 = 300;
  EXPECT_DOUBLE_EQ(*ComputeTpp(b), 4800);
}

TEST(TppTest, Tf32CountsNineteenBits) {
  Chip c;
  c.id = "x";
  c.tf32 = 100;
  EXPECT_DOUBLE_EQ(*ComputeTpp(c), 1900);
}

TEST(TppTest, ErrorsAreExact) {
  Chip c;
  c.id = "x";
  auto r = ComputeTpp(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "x: no dense throughput figure; TPP cannot be computed");
  c.int8 = -5;
  EXPECT_EQ(ComputeTpp(c).status().message(), "x: int8 throughput -5 is negative");
  c.int8 = std::nan("");
  EXPECT_EQ(ComputeTpp(c).status().message(), "x: int8 throughput is not a finite number");
  c.int8 = INFINITY;
  EXPECT_EQ(ComputeTpp(c).status().message(), "x: int8 throughput is not a finite number");
}

TEST(PdTest, TppOverDieArea) {
  Chip c = Ic(312, 826);  // A100: 4992 / 826
  EXPECT_NEAR(*ComputePd(c), 6.0436, 1e-4);
  c.die_area_mm2.reset();
  EXPECT_EQ(ComputePd(c), std::nullopt);
  c.die_area_mm2 = 0;
  EXPECT_EQ(ComputePd(c), std::nullopt);
  Chip none = Ic(std::nullopt, 826);
  EXPECT_EQ(ComputePd(none), std::nullopt);
}

// ---------------------------------------------------------------------------------------
// Every threshold at, just under and just over its edge (values chosen so the doubles are
// exact or the comparison is unambiguous).

TEST(EdgeTest, A1Tpp4800) {
  // die area large so PD stays low and only a.1 can decide; datacenter so Note 2 is out.
  EXPECT_EQ(Eccn(Ic(300, 100000)), "3A090.a");       // 4800 (at)
  EXPECT_EQ(Eccn(Ic(299.9375, 100000)), "-");        // 4799 (under)
  EXPECT_EQ(Eccn(Ic(300.0625, 100000)), "3A090.a");  // 4801 (over)
}

TEST(EdgeTest, A2Tpp1600AndPd592) {
  // TPP 1600 (fp16 100), die 1600/5.92: PD exactly 5.92 needs die = 270.27...; use TPP 5920
  // would trip a.1, so vary TPP with a fixed die of 250: PD = TPP/250.
  EXPECT_EQ(Eccn(Ic(100, 250)), "3A090.a");  // TPP 1600, PD 6.4 (a.2 at TPP edge)
  EXPECT_EQ(Eccn(Ic(99.9375, 250)), "-");    // TPP 1599, PD 6.396 (TPP under)
  // PD edge with TPP 2000 (fp16 125): die 2000/5.92 is not exact; use die 400 and TPP 2368
  // (fp16 148): PD 5.92 exactly.
  EXPECT_EQ(Eccn(Ic(148, 400)), "3A090.a");    // PD 5.92 (at)
  EXPECT_EQ(Eccn(Ic(148, 400.1)), "3A090.b");  // PD 5.9185 (under): b.2 (PD >= 3.2)
  EXPECT_EQ(Eccn(Ic(148, 399.9)), "3A090.a");  // PD 5.9215 (over)
}

TEST(EdgeTest, B1Tpp2400To4800AndPd16) {
  // b.1: 2400 <= TPP < 4800 and 1.6 <= PD < 5.92; keep PD below 3.2 so b.2 cannot decide.
  EXPECT_EQ(Eccn(Ic(150, 1500)), "3A090.b");       // TPP 2400 (at), PD 1.6 (at)
  EXPECT_EQ(Eccn(Ic(149.9375, 1000)), "-");        // TPP 2399 (under), PD 2.399
  EXPECT_EQ(Eccn(Ic(150.0625, 1000)), "3A090.b");  // TPP 2401 (over), PD 2.401
  EXPECT_EQ(Eccn(Ic(150, 1500.5)), "-");           // PD 1.5995 (under 1.6)
  EXPECT_EQ(Eccn(Ic(150, 1499.5)), "3A090.b");     // PD 1.6005 (over 1.6)
  // Upper TPP edge: 4800 is a.1, 4799 with low PD is b.1.
  EXPECT_EQ(Eccn(Ic(299.9375, 2000)), "3A090.b");  // TPP 4799, PD 2.3995
}

TEST(EdgeTest, B2Pd32) {
  // b.2: TPP >= 1600 and 3.2 <= PD < 5.92; TPP 2000 (fp16 125) < 2400 so b.1 cannot decide.
  EXPECT_EQ(Eccn(Ic(125, 625)), "3A090.b");    // PD 3.2 (at)
  EXPECT_EQ(Eccn(Ic(125, 625.5)), "-");        // PD 3.1974 (under)
  EXPECT_EQ(Eccn(Ic(125, 624.5)), "3A090.b");  // PD 3.2026 (over)
  EXPECT_EQ(Eccn(Ic(99.9375, 300)), "-");      // TPP 1599 < 1600 with PD 5.33
}

TEST(EdgeTest, Note2NonDatacenter) {
  EXPECT_EQ(Eccn(Ic(300, 100, false)), "3A090.a");      // TPP 4800 (at): Note 2 does not apply
  EXPECT_EQ(Eccn(Ic(299.9375, 100, false)), "-");       // TPP 4799: released by Note 2
  EXPECT_EQ(Eccn(Ic(299.9375, 100, true)), "3A090.a");  // same chip for datacenters: a.2
  Chip unknown = Ic(299.9375, 100);
  unknown.datacenter.reset();
  auto r = Classify(unknown, D("2024-01-01"), Table());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->eccn_determined);
  EXPECT_EQ(r->undetermined_reason,
            "specs do not decide between 3A090.a and not controlled; missing: datacenter");
}

TEST(EdgeTest, October2022IoAndTpp) {
  Chip c = Ic(300, std::nullopt);
  c.io_bandwidth_gbs = 600;
  EXPECT_EQ(Eccn(c, "2023-01-01"), "3A090.a");  // I/O 600 (at), TPP 4800 (at)
  c.io_bandwidth_gbs = 599.5;
  EXPECT_EQ(Eccn(c, "2023-01-01"), "-");  // I/O under
  c.io_bandwidth_gbs = 600.5;
  EXPECT_EQ(Eccn(c, "2023-01-01"), "3A090.a");  // I/O over
  c.fp16 = 299.9375;
  EXPECT_EQ(Eccn(c, "2023-01-01"), "-");  // TPP 4799 under
  c.fp16 = 300.0625;
  EXPECT_EQ(Eccn(c, "2023-01-01"), "3A090.a");  // TPP 4801 over
}

TEST(EdgeTest, EffectiveDates) {
  Chip c = Ic(300, 100);                             // TPP 4800, no I/O figure
  EXPECT_EQ(Eccn(c, "2022-10-06"), "-");             // before 3A090 existed
  EXPECT_EQ(Eccn(c, "2022-10-07"), "undetermined");  // 2022 text needs I/O
  EXPECT_EQ(Eccn(c, "2023-11-16"), "undetermined");  // last day of the 2022 text
  EXPECT_EQ(Eccn(c, "2023-11-17"), "3A090.a");       // first day of the 2023 text
}

TEST(EdgeTest, HbmDensityAbove2) {
  Chip h;
  h.id = "hbm";
  h.kind = ChipKind::kHbm;
  h.memory_bandwidth_density = 2;
  EXPECT_EQ(Eccn(h, "2025-01-01"), "-");  // 2 is not "greater than 2"
  h.memory_bandwidth_density = 2.001;
  EXPECT_EQ(Eccn(h, "2025-01-01"), "3A090.c");
  h.memory_bandwidth_density = 1.999;
  EXPECT_EQ(Eccn(h, "2025-01-01"), "-");
  h.memory_bandwidth_density.reset();
  h.dram_bandwidth_gbs = 1200;
  h.hbm_stack_area_mm2 = 121;  // 9.92 GB/s/mm2
  EXPECT_EQ(Eccn(h, "2025-01-01"), "3A090.c");
  EXPECT_EQ(Eccn(h, "2024-12-01"), "-");  // the Dec 2024 rule took effect on 2024-12-02
  EXPECT_EQ(Eccn(h, "2024-12-02"), "3A090.c");
}

struct ZoneBand {
  std::optional<bool> zone;
  std::optional<int> band;
};

ZoneBand Zb(double tpp_fp16_times16, std::optional<double> dram, const char* date = "2026-02-01") {
  Chip c = Ic(tpp_fp16_times16 / 16, std::nullopt);
  c.dram_bandwidth_gbs = dram;
  auto r = Classify(c, D(date), Table());
  EXPECT_TRUE(r.ok());
  return {r->case_by_case_zone, r->sec232_band};
}

TEST(EdgeTest, CaseByCaseZone2026) {
  EXPECT_EQ(Zb(21000, 4000).zone, false);  // TPP at 21000: not "less than"
  EXPECT_EQ(Zb(20999, 4000).zone, true);
  EXPECT_EQ(Zb(21001, 4000).zone, false);
  EXPECT_EQ(Zb(15000, 6500).zone, false);  // DRAM at 6500
  EXPECT_EQ(Zb(15000, 6499).zone, true);
  EXPECT_EQ(Zb(15000, 6501).zone, false);
  EXPECT_EQ(Zb(15000, std::nullopt).zone, std::nullopt);  // DRAM unknown
  EXPECT_EQ(Zb(15000, 4000, "2026-01-14").zone, false);   // rule not yet in force
  EXPECT_EQ(Zb(15000, 4000, "2026-01-15").zone, true);
}

TEST(EdgeTest, Section232Band1) {
  EXPECT_EQ(Zb(14000, 4800).band, 0);  // TPP at 14000: strict
  EXPECT_EQ(Zb(14001, 4800).band, 1);
  EXPECT_EQ(Zb(13999, 4800).band, 0);
  EXPECT_EQ(Zb(17500, 4800).band, 0);  // TPP at 17500
  EXPECT_EQ(Zb(17499, 4800).band, 1);
  EXPECT_EQ(Zb(17501, 4800).band, 0);
  EXPECT_EQ(Zb(15832, 4500).band, 0);  // DRAM at 4500
  EXPECT_EQ(Zb(15832, 4501).band, 1);
  EXPECT_EQ(Zb(15832, 4499).band, 0);
  EXPECT_EQ(Zb(15832, 5000).band, 0);  // DRAM at 5000
  EXPECT_EQ(Zb(15832, 4999).band, 1);
  EXPECT_EQ(Zb(15832, 5001).band, 0);
  EXPECT_EQ(Zb(15832, 4800, "2026-01-14").band, 0);  // before the proclamation took effect
}

TEST(EdgeTest, Section232Band2) {
  EXPECT_EQ(Zb(20800, 6000).band, 0);  // TPP at 20800 (the Epoch MI325X figure): outside
  EXPECT_EQ(Zb(20801, 6000).band, 2);
  EXPECT_EQ(Zb(20799, 6000).band, 0);
  EXPECT_EQ(Zb(21100, 6000).band, 0);
  EXPECT_EQ(Zb(21099, 6000).band, 2);
  EXPECT_EQ(Zb(21101, 6000).band, 0);
  EXPECT_EQ(Zb(20919.2, 5800).band, 0);
  EXPECT_EQ(Zb(20919.2, 5801).band, 2);
  EXPECT_EQ(Zb(20919.2, 5799).band, 0);
  EXPECT_EQ(Zb(20919.2, 6200).band, 0);
  EXPECT_EQ(Zb(20919.2, 6199).band, 2);
  EXPECT_EQ(Zb(20919.2, 6201).band, 0);
  EXPECT_EQ(Zb(20919.2, std::nullopt).band, std::nullopt);  // DRAM unknown: undecidable
}

// ---------------------------------------------------------------------------------------
// Systems, mismatch, JSON.

TEST(ClassifyTest, SystemFollowsItsIc) {
  Chip s = Ic(300, 1000);  // TPP 4800, PD 4.8
  s.kind = ChipKind::kSystem;
  s.ic_count = 8;
  auto r = Classify(s, D("2024-01-01"), Table());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->eccn, "4A090.a");
  EXPECT_DOUBLE_EQ(*r->system_tpp, 38400);
  s.fp16 = 200;  // TPP 3200, PD 3.2 -> IC 3A090.b -> 4A090.b
  EXPECT_EQ(Eccn(s), "4A090.b");
  s.fp16 = 50;  // TPP 800 -> IC not 3A090 -> system not 4A090
  EXPECT_EQ(Eccn(s), "-");
}

TEST(ClassifyTest, PublishedTppMismatchAboveOnePercent) {
  Chip c = Ic(1000, std::nullopt);  // 16000
  c.published_tpp = 16160;          // 1.0% exactly -> not above
  EXPECT_FALSE(Classify(c, D("2026-02-01"), Table())->tpp_mismatch);
  c.published_tpp = 16162;  // 1.0099% -> above
  EXPECT_TRUE(Classify(c, D("2026-02-01"), Table())->tpp_mismatch);
  c.published_tpp = 15840;  // computed 16000 is 1.0101% above published -> mismatch
  EXPECT_TRUE(Classify(c, D("2026-02-01"), Table())->tpp_mismatch);
}

TEST(ClassifyTest, InvalidSpecsAreErrors) {
  Chip c = Ic(100, -5);
  auto r = Classify(c, D("2026-02-01"), Table());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "test-chip: die_area_mm2 -5 is negative");
  c = Ic(-1, 100);
  EXPECT_EQ(Classify(c, D("2026-02-01"), Table()).status().message(),
            "test-chip: fp16 throughput -1 is negative");
}

TEST(ClassifyTest, JsonFields) {
  Chip c = Ic(989.5, 814);
  c.int8 = 1979;
  c.dram_bandwidth_gbs = 4800;
  c.published_tpp = 15832;
  c.sources = {"s1"};
  auto r = Classify(c, D("2026-02-01"), Table());
  ASSERT_TRUE(r.ok());
  std::string j = ClassificationToJson(*r, -1);
  EXPECT_NE(j.find("\"item\":\"test-chip\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"as_of\":\"2026-02-01\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"tpp\":15832,"), std::string::npos) << j;
  EXPECT_NE(j.find("\"pd\":19.449631"), std::string::npos) << j;
  EXPECT_NE(j.find("\"eccn\":\"3A090.a\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"case_by_case_zone\":true"), std::string::npos) << j;
  EXPECT_NE(j.find("\"sec232_band\":1"), std::string::npos) << j;
  EXPECT_NE(j.find("\"published_tpp\":15832"), std::string::npos) << j;
  EXPECT_NE(j.find("\"sources\":[\"s1\"]"), std::string::npos) << j;
  EXPECT_NE(j.find("{\"rule\":\"3A090.a.1\",\"metric\":\"tpp\",\"op\":\">=\",\"threshold\":4800,"
                   "\"value\":15832,\"met\":true,"),
            std::string::npos)
      << j;
  // None -> null.
  Chip small = Ic(10, 814);
  std::string k = ClassificationToJson(*Classify(small, D("2026-02-01"), Table()), -1);
  EXPECT_NE(k.find("\"eccn\":null"), std::string::npos) << k;
  EXPECT_NE(k.find("\"sec232_band\":null"), std::string::npos) << k;
}

TEST(ClassifyTest, BundledOverloadsUseTheBundledData) {
  // ctest sets TOLLGATE_DATA_DIR to the source tree (see tollgate_test()).
  auto cat = Catalog::LoadBundled();
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  auto table = ThresholdTable::LoadBundled();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const Chip* h200 = *cat->Find("H200");
  auto a = Classify(*h200, D("2026-02-01"));
  auto b = Classify(*h200, D("2026-02-01"), *table);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(ClassificationToJson(*a), ClassificationToJson(*b));
  EXPECT_EQ(a->eccn, "3A090.a");
  EXPECT_EQ(a->sec232_band, 1);
}

// ---------------------------------------------------------------------------------------
// Threshold table parsing.

TEST(ThresholdTableTest, BundledTableLoadsAndCitesEveryRow) {
  const ThresholdTable& t = Table();
  EXPECT_GE(t.rows().size(), 20u);
  for (const auto& r : t.rows()) EXPECT_FALSE(r.citation.empty()) << r.rule;
}

TEST(ThresholdTableTest, BadRowsAreAllReported) {
  std::string data =
      "rule,kind,result,applies_to,effective_from,effective_to,metric,op,value,citation\n"
      "r1,eccn,3A090.a,ic,2023-11-17,,tpp,>=,4800,cite\n"
      "r2,bogus,3A090.a,ic,2023-11-17,,tpp,>=,4800,cite\n"
      "r3,eccn,3A090.a,ic,2023-13-17,,tpp,>=,4800,cite\n"
      "r4,eccn,3A090.a,ic,2023-11-17,,flops,>=,4800,cite\n"
      "r5,eccn,3A090.a,ic,2023-11-17,,tpp,=>,4800,cite\n"
      "r6,eccn,3A090.a,ic,2023-11-17,,tpp,>=,lots,cite\n"
      "r7,eccn,3A090.a,ic,2023-11-17,,tpp,>=,4800,\n";
  auto r = ThresholdTable::Parse(data, "t.csv");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().diagnostics().size(), 6u) << r.status().ToString();
  const auto& d = r.status().diagnostics();
  EXPECT_EQ(d[0].ToString(),
            "t.csv:3:4: error: field 'kind': unknown kind 'bogus'\n"
            "  r2,bogus,3A090.a,ic,2023-11-17,,tpp,>=,4800,cite\n"
            "     ^\n"
            "  hint: expected eccn, exclude, zone or band");
  EXPECT_EQ(d[1].line, 4);
  EXPECT_EQ(d[1].message, "invalid effective_from '2023-13-17'");
  EXPECT_EQ(d[2].message, "unknown metric 'flops'");
  EXPECT_EQ(d[3].message, "unknown operator '=>'");
  EXPECT_EQ(d[4].message, "threshold 'lots' is not a non-negative number");
  EXPECT_EQ(d[5].message, "threshold has no citation");
}

TEST(ThresholdTableTest, RuleRowsMustAgree) {
  std::string data =
      "rule,kind,result,applies_to,effective_from,effective_to,metric,op,value,citation\n"
      "r1,eccn,3A090.a,ic,2023-11-17,,tpp,>=,4800,cite\n"
      "r1,eccn,3A090.b,ic,2023-11-17,,pd,>=,1,cite\n";
  auto r = ThresholdTable::Parse(data, "t.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics()[0].message,
            "rule 'r1' disagrees with its first row (line 2) on kind, result, applies_to or "
            "dates");
}

// ---------------------------------------------------------------------------------------
// Every catalog row against tests/catalog/expected_classification.csv (worked out by hand).

std::string Fmt2(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

TEST(CatalogClassificationTest, EveryRowMatchesTheHandWorkedTable) {
  auto cat = Catalog::LoadFile("data/catalog.csv");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  auto text = ReadFileToString("tests/catalog/expected_classification.csv");
  ASSERT_TRUE(text.ok());
  csv::Reader reader(*text, "expected_classification.csv");
  csv::Record rec;
  Diagnostic err;
  bool header = false;
  std::set<std::string> covered;
  int checked = 0;
  while (true) {
    auto step = reader.Next(&rec, &err);
    if (step == csv::Reader::Step::kEnd) break;
    ASSERT_NE(step, csv::Reader::Step::kError) << err.ToString();
    if (rec.fields[0].value.rfind("#", 0) == 0) continue;
    if (!header) {
      header = true;
      continue;
    }
    ASSERT_EQ(rec.fields.size(), 8u) << rec.source_line;
    const std::string& item = rec.fields[0].value;
    SCOPED_TRACE(rec.source_line);
    auto chip = cat->Find(item);
    ASSERT_TRUE(chip.ok()) << item;
    auto c = Classify(**chip, D(rec.fields[1].value.c_str()), Table());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    covered.insert(item);
    ++checked;
    std::string tpp = "?";
    if (c->tpp) {
      char b[32];
      std::snprintf(b, sizeof b, "%.10g", std::round(*c->tpp * 1e6) / 1e6);
      tpp = b;
    }
    EXPECT_EQ(tpp, rec.fields[2].value);
    EXPECT_EQ(c->pd ? Fmt2(*c->pd) : "-", rec.fields[3].value);
    EXPECT_EQ(!c->eccn_determined ? "undetermined" : (c->eccn.empty() ? "-" : c->eccn),
              rec.fields[4].value);
    std::string zone = c->kind == ChipKind::kHbm || c->zone_basis.empty()
                           ? "n/a"
                           : (c->case_by_case_zone ? (*c->case_by_case_zone ? "yes" : "no") : "?");
    EXPECT_EQ(zone, rec.fields[5].value);
    std::string band = c->kind == ChipKind::kHbm || (c->sec232_band && c->band_basis.empty())
                           ? "n/a"
                           : (c->sec232_band ? std::to_string(*c->sec232_band) : "?");
    EXPECT_EQ(band, rec.fields[6].value);
    EXPECT_EQ(c->tpp_mismatch ? "yes" : "no", rec.fields[7].value);
  }
  EXPECT_GE(checked, 50);
  for (const auto& chip : cat->chips())
    EXPECT_TRUE(covered.count(chip.id)) << chip.id << " has no expected classification";
}

}  // namespace
}  // namespace tollgate
