// Epoch AI importer: the published file loads, every TPP agrees with ours within 1% or is a
// documented exception, and bad rows are located and skipped (or fail everything, strict).
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/csv.h"
#include "core/io.h"
#include "tollgate/catalog.h"

namespace tollgate {
namespace {

constexpr const char* kEpochFile = "data/epoch/epoch_ml_hardware.csv";

// TPP as docs/classification.md defines it, computed here independently of src/classify so
// the catalog library's tests do not depend on the classifier.
std::optional<double> Tpp(const Chip& c) {
  std::optional<double> best;
  for (const auto& p : AllPrecisions())
    if (auto v = c.Throughput(p.precision); v && (!best || *v * p.bits > *best)) best = *v * p.bits;
  return best;
}

TEST(EpochImportTest, PublishedFileLoadsCompletely) {
  auto r = ImportEpochFile(kEpochFile);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows_read, 169u);
  EXPECT_EQ(r->rows_skipped, 0u);
  EXPECT_EQ(r->chips.size(), 169u);
  for (const auto& d : r->diagnostics) ADD_FAILURE() << d.ToString();
  std::map<std::string, const Chip*> by_id;
  for (const auto& c : r->chips) by_id[c.id] = &c;
  ASSERT_TRUE(by_id.count("nvidia-h100-sxm5-80gb"));
  const Chip& h100 = *by_id["nvidia-h100-sxm5-80gb"];
  EXPECT_EQ(h100.vendor, "NVIDIA");
  EXPECT_EQ(h100.model, "NVIDIA H100 SXM5 80GB");
  EXPECT_EQ(h100.release_date->ToString(), "2022-09-20");
  EXPECT_DOUBLE_EQ(*h100.int8, 1979);
  EXPECT_DOUBLE_EQ(*h100.fp16, 989.4);  // tensor FP16/BF16, not the 133.8 vector figure
  EXPECT_DOUBLE_EQ(*h100.tf32, 494.7);
  EXPECT_DOUBLE_EQ(*h100.memory_gb, 80);
  EXPECT_DOUBLE_EQ(*h100.dram_bandwidth_gbs, 3350);
  EXPECT_DOUBLE_EQ(*h100.io_bandwidth_gbs, 900);
  EXPECT_DOUBLE_EQ(*h100.die_area_mm2, 814);
  EXPECT_DOUBLE_EQ(*h100.published_tpp, 15832);
  EXPECT_EQ(h100.datacenter, std::nullopt);  // Epoch does not say
  EXPECT_EQ(h100.sources.size(), 3u);        // Epoch citation + two datasheet links
  // A name that does not start with the vendor gets the vendor prefix.
  EXPECT_TRUE(by_id.count("google-tpu-v7-ironwood"));
  EXPECT_TRUE(by_id.count("microsoft-maia-100-m100"));
}

TEST(EpochImportTest, EveryTppWithinOnePercentOrDocumentedException) {
  auto r = ImportEpochFile(kEpochFile);
  ASSERT_TRUE(r.ok());
  auto text = ReadFileToString("data/epoch/exceptions.csv");
  ASSERT_TRUE(text.ok());
  std::map<std::string, double> exceptions;  // name -> computed TPP we expect
  csv::Reader reader(*text, "exceptions.csv");
  csv::Record rec;
  Diagnostic err;
  bool header = false;
  while (reader.Next(&rec, &err) == csv::Reader::Step::kRecord) {
    if (rec.fields[0].value.rfind("#", 0) == 0) continue;
    if (!header) {
      header = true;
      continue;
    }
    ASSERT_EQ(rec.fields.size(), 4u);
    EXPECT_FALSE(rec.fields[3].value.empty()) << "exception without a reason";
    exceptions[rec.fields[0].value] = std::stod(rec.fields[2].value);
  }
  ASSERT_EQ(exceptions.size(), 4u);
  int compared = 0;
  for (const Chip& c : r->chips) {
    auto tpp = Tpp(c);
    if (!tpp || !c.published_tpp) continue;
    ++compared;
    bool within = std::fabs(*tpp - *c.published_tpp) <= 0.01 * *c.published_tpp;
    auto it = exceptions.find(c.model);
    if (within) {
      EXPECT_EQ(it, exceptions.end()) << c.model << " agrees with Epoch but is listed";
    } else {
      ASSERT_NE(it, exceptions.end()) << c.model << ": computed " << *tpp << " vs Epoch "
                                      << *c.published_tpp << " and not in exceptions.csv";
      EXPECT_NEAR(*tpp, it->second, 0.01) << c.model;
      exceptions.erase(it);
    }
  }
  EXPECT_EQ(compared, 159);
  for (const auto& [name, v] : exceptions) ADD_FAILURE() << name << " listed but not in the file";
}

const char kHeader[] =
    "Hardware name,Manufacturer,Type,Release date,Tensor-FP16/BF16 performance (FLOP/s),"
    "INT8 performance (OP/s),Memory bandwidth (byte/s),Total processing performance "
    "(bit-OP/s)\n";

TEST(EpochImportTest, BadRowsAreLocatedAndSkipped) {
  std::string data = std::string(kHeader) +
                     "Chip A,V,GPU,2024-01-01,1e15,2e15,4e12,1.6e16\n"
                     "Chip B,V,GPU,2024-01-01,lots,2e15,4e12,\n"
                     "Chip C,V,GPU,2024-02-30,1e15,,,\n"
                     "Chip D,V,GPU,2024-01-01,-1e15,,,\n"
                     "Chip E,V,GPU,2024-01-01,nan,,,\n"
                     ",V,GPU,2024-01-01,1e15,,,\n"
                     "Chip F,V,GPU\n"
                     "Chip G,V,GPU,,1e15,,,\n";
  auto r = ImportEpochCsv(data, "e.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows_read, 8u);
  EXPECT_EQ(r->rows_skipped, 6u);
  ASSERT_EQ(r->chips.size(), 2u);
  EXPECT_EQ(r->chips[0].id, "v-chip-a");
  EXPECT_DOUBLE_EQ(*r->chips[0].fp16, 1000);
  EXPECT_DOUBLE_EQ(*r->chips[0].bf16, 1000);
  EXPECT_DOUBLE_EQ(*r->chips[0].published_tpp, 16000);
  EXPECT_EQ(r->chips[1].id, "v-chip-g");
  ASSERT_EQ(r->diagnostics.size(), 6u);
  EXPECT_EQ(r->diagnostics[0].ToString(),
            "e.csv:3:25: error: field 'Tensor-FP16/BF16 performance (FLOP/s)': 'lots' is not a "
            "number\n"
            "  Chip B,V,GPU,2024-01-01,lots,2e15,4e12,\n"
            "                          ^\n"
            "  hint: expected a number in base units (e.g. 9.894e+14) or empty");
  EXPECT_EQ(r->diagnostics[1].message, "invalid release date '2024-02-30'");
  EXPECT_EQ(r->diagnostics[1].column, 14);
  EXPECT_EQ(r->diagnostics[2].message, "-1e15 is negative");
  EXPECT_EQ(r->diagnostics[3].message, "'nan' is not a number");
  EXPECT_EQ(r->diagnostics[4].message, "empty hardware name");
  EXPECT_EQ(r->diagnostics[5].message, "row has 3 fields; the header has 8");
  EXPECT_EQ(r->diagnostics[5].line, 8);
}

TEST(EpochImportTest, StrictLoadsNothingOnABadRow) {
  std::string data =
      std::string(kHeader) + "Chip A,V,GPU,2024-01-01,1e15,,,\n" + "Chip B,V,GPU,2024-01-01,x,,,\n";
  EpochImportOptions opts;
  opts.strict = true;
  auto r = ImportEpochCsv(data, "e.csv", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  ASSERT_EQ(r.status().diagnostics().size(), 1u);
  EXPECT_EQ(r.status().diagnostics()[0].line, 3);
  // The same data without --strict loads the good row.
  auto lenient = ImportEpochCsv(data, "e.csv");
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->chips.size(), 1u);
}

TEST(EpochImportTest, DuplicateNamesGetDistinctIdsWithAWarning) {
  std::string data = std::string(kHeader) + "Chip A,V,GPU,,1e15,,,\n" + "Chip A,V,GPU,,2e15,,,\n";
  EpochImportOptions strict;
  strict.strict = true;  // a warning does not fail a strict import
  auto r = ImportEpochCsv(data, "e.csv", strict);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->chips.size(), 2u);
  EXPECT_EQ(r->chips[1].id, "v-chip-a-2");
  ASSERT_EQ(r->diagnostics.size(), 1u);
  EXPECT_EQ(r->diagnostics[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_EQ(r->diagnostics[0].message,
            "name 'Chip A' gives a duplicate id 'v-chip-a'; using 'v-chip-a-2'");
}

TEST(EpochImportTest, NotAnEpochFile) {
  auto r = ImportEpochCsv("name,tops\nx,1\n", "other.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().diagnostics()[0].ToString(),
            "other.csv:1:1: error: not an Epoch AI hardware CSV: the header has no 'Hardware "
            "name' column\n"
            "  name,tops\n"
            "  ^\n"
            "  hint: expected the file published at "
            "https://epoch.ai/data/machine-learning-hardware");
  auto empty = ImportEpochCsv("", "empty.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "file is empty (no header row)");
}

TEST(EpochImportTest, LimitsAreEnforced) {
  std::string data = std::string(kHeader) + "A,V,GPU,,1e15,,,\nB,V,GPU,,1e15,,,\nC,V,GPU,,,,,\n";
  EpochImportOptions opts;
  opts.limits.max_rows = 2;
  auto r = ImportEpochCsv(data, "e.csv", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(), "e.csv: more than 2 rows (CatalogOptions::max_rows)");
  opts = {};
  opts.limits.max_file_bytes = 100;
  r = ImportEpochCsv(data, "e.csv", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  opts = {};
  opts.limits.max_field_bytes = 8;  // the header's long names exceed it
  r = ImportEpochCsv(data, "e.csv", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
}

}  // namespace
}  // namespace tollgate
