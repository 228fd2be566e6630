#include "tollgate/catalog.h"

#include <gtest/gtest.h>

#include <set>

namespace tollgate {
namespace {

const char kHeader[] =
    "id,vendor,model,aliases,family,kind,release_date,datacenter,fp64,fp32,tf32,fp16,bf16,"
    "int16,fp8,int8,fp4,int4,die_area_mm2,memory_gb,dram_bandwidth_gbs,io_bandwidth_gbs,"
    "published_tpp,memory_bandwidth_density,hbm_stack_area_mm2,ic_id,ic_count,sources,notes\n";

// A valid row with the given id, aliases and int8 figure.
std::string Row(const std::string& id, const std::string& aliases, const std::string& int8 = "10",
                const std::string& kind = "ic", const std::string& ic = ",") {
  return id + ",V," + id + " model," + aliases + ",Fam," + kind + ",2024-01-01,yes,,,,,,," + "," +
         int8 + ",,,100,1,2,3,,,," + ic + ",src,note\n";
}

TEST(PrecisionTest, BitLengths) {
  EXPECT_EQ(InfoFor(Precision::kFp64).bits, 64);
  EXPECT_EQ(InfoFor(Precision::kFp32).bits, 32);
  EXPECT_EQ(InfoFor(Precision::kTf32).bits, 19);
  EXPECT_EQ(InfoFor(Precision::kFp16).bits, 16);
  EXPECT_EQ(InfoFor(Precision::kBf16).bits, 16);
  EXPECT_EQ(InfoFor(Precision::kInt16).bits, 16);
  EXPECT_EQ(InfoFor(Precision::kFp8).bits, 8);
  EXPECT_EQ(InfoFor(Precision::kInt8).bits, 8);
  EXPECT_EQ(InfoFor(Precision::kFp4).bits, 4);
  EXPECT_EQ(InfoFor(Precision::kInt4).bits, 4);
  EXPECT_EQ(PrecisionFromName("INT8"), Precision::kInt8);
  EXPECT_EQ(PrecisionFromName("fp12"), std::nullopt);
}

TEST(CatalogCsvTest, ParsesARow) {
  auto r = ParseCatalogCsv(std::string(kHeader) + Row("a-1", "A1; Alpha One", "12.5"), "c.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const Chip& c = (*r)[0];
  EXPECT_EQ(c.id, "a-1");
  EXPECT_EQ(c.aliases, (std::vector<std::string>{"A1", "Alpha One"}));
  EXPECT_EQ(c.kind, ChipKind::kIc);
  EXPECT_EQ(c.release_date->ToString(), "2024-01-01");
  EXPECT_EQ(c.datacenter, true);
  EXPECT_DOUBLE_EQ(*c.int8, 12.5);
  EXPECT_EQ(c.fp16, std::nullopt);
  EXPECT_DOUBLE_EQ(*c.die_area_mm2, 100);
  EXPECT_DOUBLE_EQ(*c.io_bandwidth_gbs, 3);
  EXPECT_EQ(c.sources, std::vector<std::string>{"src"});
  EXPECT_EQ(c.origin, "c.csv:2");
}

TEST(CatalogCsvTest, EveryBadRowIsReportedWithItsPlace) {
  std::string data = std::string("# a comment line\n") + kHeader + Row("good", "G") +
                     Row("Bad_Id", "") + Row("b", "", "12x") + Row("c", "", "-3") +
                     Row("d", "", "10", "chip") +
                     "e,V,E,,F,ic,2024-02-30,maybe,,,,,,,,1,,,,,,,,,,,,,\n" + "f,V,F\n";
  auto r = ParseCatalogCsv(data, "c.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  const auto& d = r.status().diagnostics();
  ASSERT_EQ(d.size(), 8u) << r.status().ToString();
  EXPECT_EQ(d[0].ToString(),
            "c.csv:4:1: error: field 'id': invalid id 'Bad_Id'\n"
            "  " +
                Row("Bad_Id", "").substr(0, Row("Bad_Id", "").size() - 1) +
                "\n"
                "  ^\n"
                "  hint: expected a slug of lower-case letters, digits and '-', e.g. "
                "nvidia-h200-sxm");
  EXPECT_EQ(d[1].line, 5);
  EXPECT_EQ(d[1].field, "int8");
  EXPECT_EQ(d[1].message, "'12x' is not a number");
  EXPECT_EQ(d[2].message, "-3 is negative");
  EXPECT_EQ(d[3].message, "unknown kind 'chip'");
  EXPECT_EQ(d[4].message,
            "invalid release_date '2024-02-30': " + Date::Parse("2024-02-30").status().message());
  EXPECT_EQ(d[5].message, "invalid datacenter 'maybe'");
  EXPECT_EQ(d[6].message, "row has no source");
  EXPECT_EQ(d[7].message, "row has 3 fields; the header has 29");
}

TEST(CatalogCsvTest, MissingColumnFailsAtTheHeader) {
  auto r = ParseCatalogCsv("id,vendor,model\n", "c.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics()[0].message, "catalog header lacks column 'aliases'");
}

TEST(CatalogCsvTest, LimitsAreEnforced) {
  CatalogOptions o;
  o.max_rows = 1;
  auto r = ParseCatalogCsv(std::string(kHeader) + Row("a", "") + Row("b", ""), "c.csv", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(), "c.csv: more than 1 catalog rows (CatalogOptions::max_rows)");

  o = {};
  o.max_file_bytes = 64;
  r = ParseCatalogCsv(std::string(kHeader) + Row("a", ""), "c.csv", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);

  o = {};
  o.max_aliases = 2;
  r = ParseCatalogCsv(std::string(kHeader) + Row("a", "x;y;z"), "c.csv", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics()[0].message,
            "3 aliases; the limit is 2 (CatalogOptions::max_aliases)");

  o = {};
  o.max_sources = 1;
  std::string row = Row("a", "");
  row.replace(row.find(",src,"), 5, ",s1 | s2,");
  r = ParseCatalogCsv(std::string(kHeader) + row, "c.csv", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics()[0].message,
            "2 sources; the limit is 1 (CatalogOptions::max_sources)");

  o = {};
  o.max_field_bytes = 16;
  row = Row("a", "");
  row.replace(row.find(",note\n"), 6, "," + std::string(40, 'n') + "\n");
  r = ParseCatalogCsv(std::string(kHeader) + row, "c.csv", o);
  ASSERT_FALSE(r.ok());  // the header fits; the long note does not
}

TEST(CatalogCsvTest, WriteThenParseRoundTrips) {
  auto bundled = Catalog::LoadFile("data/catalog.csv");
  ASSERT_TRUE(bundled.ok()) << bundled.status().ToString();
  auto parsed = ParseCatalogCsv(WriteCatalogCsv(bundled->chips()), "rt.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), bundled->chips().size());
  for (size_t i = 0; i < parsed->size(); ++i) {
    Chip a = bundled->chips()[i], b = (*parsed)[i];
    a.origin.clear();
    b.origin.clear();
    EXPECT_EQ(a, b) << a.id;
  }
}

TEST(CatalogTest, BundledCatalogIsCompleteAndSourced) {
  auto cat = Catalog::LoadFile("data/catalog.csv");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_GE(cat->chips().size(), 40u);
  std::set<std::string> ids;
  for (const Chip& c : cat->chips()) {
    ids.insert(c.id);
    EXPECT_FALSE(c.sources.empty()) << c.id;
    EXPECT_FALSE(c.vendor.empty()) << c.id;
    EXPECT_FALSE(c.family.empty()) << c.id;
  }
  // The parts the issue names.
  for (const char* name :
       {"A100",      "A800",     "H100",      "H100 PCIe",    "H800",        "H20",
        "H200",      "H200 NVL", "B200",      "B300",         "GB200",       "RTX 4090",
        "RTX 4090D", "RTX 5090", "RTX 5090D", "L4",           "L20",         "L40S",
        "MI250X",    "MI300X",   "MI308X",    "MI325X",       "MI350X",      "MI355X",
        "Gaudi 2",   "Gaudi 3",  "HL-328",    "HL-388",       "Ascend 910B", "Ascend 910C",
        "V100",      "A10",      "A40",       "L40",          "H100 NVL",    "GH200",
        "B100",      "GB300",    "RTX 4080",  "RTX 6000 Ada", "MI300A",      "HGX H200",
        "HBM3E 12H"}) {
    EXPECT_TRUE(cat->Find(name).ok()) << name << ": " << cat->Find(name).status().message();
  }
  // A system with its IC's specs filled in.
  const Chip* hgx = *cat->Find("HGX H200");
  EXPECT_EQ(hgx->kind, ChipKind::kSystem);
  EXPECT_EQ(hgx->ic_count, 8);
  EXPECT_DOUBLE_EQ(*hgx->int8, 1979);
  EXPECT_DOUBLE_EQ(*hgx->dram_bandwidth_gbs, 4800);
}

TEST(CatalogTest, FindIsCaseAndSpaceInsensitiveAndPrefersTheFlagship) {
  auto cat = Catalog::LoadFile("data/catalog.csv");
  ASSERT_TRUE(cat.ok());
  EXPECT_EQ((*cat->Find("H100"))->id, "nvidia-h100-sxm5-80gb");
  EXPECT_EQ((*cat->Find("h100"))->id, "nvidia-h100-sxm5-80gb");
  EXPECT_EQ((*cat->Find(" H100-SXM "))->id, "nvidia-h100-sxm5-80gb");
  EXPECT_EQ((*cat->Find("NVIDIA H200"))->id, "nvidia-h200-sxm");
  EXPECT_EQ((*cat->Find("h200sxm"))->id, "nvidia-h200-sxm");
  EXPECT_EQ((*cat->Find("nvidia-h200-nvl"))->id, "nvidia-h200-nvl");
  EXPECT_EQ((*cat->Find("AMD Instinct MI300X"))->id, "amd-mi300x");
  EXPECT_EQ((*cat->Find("rtx4090d"))->id, "nvidia-rtx-4090d");

  auto amb = cat->Find("gaudi 3 china");
  ASSERT_FALSE(amb.ok());
  EXPECT_EQ(amb.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(amb.status().message(),
            "'gaudi 3 china' is ambiguous: it fits intel-gaudi3-hl328, intel-gaudi3-hl388; use "
            "one of these ids");

  auto missing = cat->Find("H300");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "unknown item 'H300' (see 'tollgate catalog list')");
  EXPECT_EQ(cat->Find("MI3").status().message(),
            "unknown item 'MI3' (did you mean: amd-mi300a, amd-mi300x, amd-mi308x, amd-mi325x, "
            "amd-mi350x, amd-mi355x?)");
  EXPECT_EQ(cat->Find("  ").status().message(), "empty item name");
}

TEST(CatalogTest, FromChipsValidates) {
  Chip a;
  a.id = "a";
  a.origin = "x.csv:2";
  a.sources = {"s"};
  Chip dup = a;
  dup.origin = "x.csv:3";
  Chip sys;
  sys.id = "s";
  sys.kind = ChipKind::kSystem;
  sys.ic_id = "nope";
  sys.origin = "x.csv:4";
  Chip alias;
  alias.id = "b";
  alias.aliases = {"a"};
  alias.origin = "x.csv:5";
  auto r = Catalog::FromChips({a, dup, sys, alias});
  ASSERT_FALSE(r.ok());
  const auto& d = r.status().diagnostics();
  ASSERT_EQ(d.size(), 3u) << r.status().ToString();
  EXPECT_EQ(d[0].ToString(), "x.csv:3: error: chip 'a': duplicate id (first at x.csv:2)");
  EXPECT_EQ(d[1].message, "chip 'b': alias 'a' is the id of another chip");
  EXPECT_EQ(d[2].message, "chip 's': ic_id 'nope' is not in the catalog");

  CatalogOptions o;
  o.max_rows = 1;
  auto big = Catalog::FromChips({a, alias}, o);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
}

TEST(SpecsTest, BuildsAChip) {
  auto c = ChipFromSpecs(
      "fp16=989.4, INT8=1979 ,die_area_mm2=814,dram_bw=4800,datacenter=yes,"
      "name=My chip");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_DOUBLE_EQ(*c->fp16, 989.4);
  EXPECT_DOUBLE_EQ(*c->int8, 1979);
  EXPECT_DOUBLE_EQ(*c->die_area_mm2, 814);
  EXPECT_DOUBLE_EQ(*c->dram_bandwidth_gbs, 4800);
  EXPECT_EQ(c->datacenter, true);
  EXPECT_EQ(c->model, "My chip");
  EXPECT_EQ(c->id, "specs");
  auto h = ChipFromSpecs("kind=hbm,dram_bandwidth_gbs=1200,hbm_stack_area_mm2=121");
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_NEAR(*h->HbmBandwidthDensity(), 9.917, 1e-3);
}

TEST(SpecsTest, ErrorsAreExact) {
  auto err = [](const char* s) { return ChipFromSpecs(s).status().message(); };
  EXPECT_EQ(err("fp12=5,datacenter=yes"),
            "--specs: unknown precision 'fp12' (known: fp64, fp32, tf32, fp16, bf16, int16, fp8, "
            "int8, fp4, int4)");
  EXPECT_EQ(err("int8=-5,datacenter=yes"), "--specs: int8: -5 is negative (must be >= 0)");
  EXPECT_EQ(err("int8=12x,datacenter=yes"), "--specs: int8: '12x' is not a number");
  EXPECT_EQ(err("int8=inf,datacenter=yes"), "--specs: int8: 'inf' is not a number");
  EXPECT_EQ(err("int8=1e999,datacenter=yes"), "--specs: int8: '1e999' is not a finite number");
  EXPECT_EQ(err("int8=,datacenter=yes"), "--specs: int8 has no value");
  EXPECT_EQ(err("int8"), "--specs: 'int8' is not key=value");
  EXPECT_EQ(err("int8=1,int8=2,datacenter=yes"), "--specs: key 'int8' given twice");
  EXPECT_EQ(err("die_area_mm2=814,datacenter=yes"),
            "--specs: no throughput given; at least one dense TOPS figure (e.g. fp16=989.4 or "
            "int8=1979) is needed to compute TPP");
  EXPECT_EQ(err("int8=1"),
            "--specs: datacenter is required (yes or no): whether the item is designed or "
            "marketed for use in datacenters decides Note 2 to 3A090");
  EXPECT_EQ(err("int8=1,datacenter=perhaps"), "--specs: datacenter: 'perhaps' is not yes or no");
  EXPECT_EQ(err("int8=1,datacenter=yes,die_area_mm2=0"),
            "--specs: die_area_mm2: 0 is not a die area (must be > 0)");
  EXPECT_EQ(err("int8=1,datacenter=yes,colour=red"),
            "--specs: unknown key 'colour' (known: a precision such as fp16 or int8, "
            "die_area_mm2, memory_gb, dram_bandwidth_gbs, io_bandwidth_gbs, published_tpp, "
            "datacenter, kind, memory_bandwidth_density, hbm_stack_area_mm2, ic_count, name, "
            "vendor)");
  EXPECT_EQ(err("kind=hbm,dram_bandwidth_gbs=1200"),
            "--specs: an hbm item needs memory_bandwidth_density, or dram_bandwidth_gbs and "
            "hbm_stack_area_mm2");
}

TEST(NormalizeTest, IgnoresCaseSpacesAndPunctuation) {
  EXPECT_EQ(NormalizeChipName(" H100 SXM-5_80.GB "), "h100sxm580gb");
}

}  // namespace
}  // namespace tollgate
