// The chip catalog: accelerators, GPUs, systems and HBM stacks with the specifications that
// export classification needs (dense throughput per precision, die area, DRAM and I/O
// bandwidth), each with its sources.
//
// Formats (see docs/catalog.md):
//   * the bundled catalog, `data/catalog.csv` (our own format, one chip per row);
//   * Epoch AI's "Data on Machine Learning Hardware" CSV, exactly as published (importer);
//   * `--specs key=value,...` for a chip that is in no file.
//
// Units: throughput in dense (non-sparse) TOPS / TFLOPS (10^12 operations per second);
// bandwidth in GB/s (10^9 bytes per second); memory in GB (10^9 bytes); areas in mm^2.
// Unknown values are empty optionals: never guessed, never zero.
//
// Thread-safety: Chip and Catalog are values. A loaded Catalog is immutable; const methods
// may be called from any number of threads at once.
#ifndef TOLLGATE_CATALOG_H_
#define TOLLGATE_CATALOG_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tollgate/core.h"
#include "tollgate/status.h"

namespace tollgate {

// The numeric formats a datasheet quotes throughput for. The bit length is the "bit length
// of the operation" of Technical Note 1 to ECCN 3A090 (88 FR 73458): TF32 counts 19 bits
// (1 sign + 8 exponent + 10 mantissa bits, the width the tensor cores operate on; the same
// convention as Epoch AI's TPP column). See docs/classification.md.
enum class Precision { kFp64, kFp32, kTf32, kFp16, kBf16, kInt16, kFp8, kInt8, kFp4, kInt4 };

struct PrecisionInfo {
  Precision precision;
  const char* name;  // "fp64", "tf32", "int8" ...: the catalog column and --specs key
  int bits;          // bit length of the operation
};
// Every precision, widest first.
const std::array<PrecisionInfo, 10>& AllPrecisions();
// Case-insensitive lookup by name; nullopt if unknown.
std::optional<Precision> PrecisionFromName(std::string_view name);
const PrecisionInfo& InfoFor(Precision p);

enum class ChipKind {
  kIc,      // an integrated circuit (GPU, accelerator package): ECCN 3A090.a/.b candidates
  kSystem,  // a board, server or superchip containing ICs (HGX, DGX, GB200): 4A090 candidates
  kHbm,     // a standalone high-bandwidth-memory stack: 3A090.c candidates
};
std::string_view ChipKindName(ChipKind k);  // "ic", "system", "hbm"

struct Chip {
  std::string id;                    // stable slug, e.g. "nvidia-h200-sxm"; unique in a catalog
  std::string vendor;                // "NVIDIA"
  std::string model;                 // "H200 SXM 141GB"
  std::vector<std::string> aliases;  // "H200", "H200 SXM": what people type
  std::string family;                // "Hopper", "CDNA 3", "Gaudi", ...; may be empty
  ChipKind kind = ChipKind::kIc;
  std::optional<Date> release_date;  // release or announcement date
  // Designed or marketed for use in datacenters (Note 2 to 3A090; undefined in the EAR, so
  // an input). nullopt = not known (e.g. Epoch imports). CAUTION: test with .value_or() or
  // == true; `if (chip.datacenter)` only tests whether it is known.
  std::optional<bool> datacenter;

  // Dense peak throughput, TOPS or TFLOPS, per precision. For a kSystem, these (and
  // die_area_mm2, dram_bandwidth_gbs, io_bandwidth_gbs) describe ONE contained IC (see ic_id):
  // 3A090 tests apply per IC and 4A090 follows from them.
  std::optional<double> fp64, fp32, tf32, fp16, bf16, int16, fp8, int8, fp4, int4;

  std::optional<double> die_area_mm2;        // applicable (non-planar logic) die area, all dies
  std::optional<double> memory_gb;           // memory capacity per IC (per stack for kHbm)
  std::optional<double> dram_bandwidth_gbs;  // total DRAM bandwidth (stack bandwidth for kHbm)
  std::optional<double> io_bandwidth_gbs;    // aggregate bidirectional I/O / interconnect
  std::optional<double> published_tpp;       // a TPP published by a source; never trusted

  // kHbm: 3A090.c "memory bandwidth density" in GB/s/mm^2, or the stack area from which it
  // is computed (dram_bandwidth_gbs / hbm_stack_area_mm2). Either may be given.
  std::optional<double> memory_bandwidth_density;
  std::optional<double> hbm_stack_area_mm2;

  // kSystem: which IC it contains and how many.
  std::string ic_id;
  std::optional<int> ic_count;

  std::vector<std::string> sources;  // URLs or citations; at least one per catalog row
  std::string notes;                 // conflicts, choices, caveats
  std::string origin;                // "data/catalog.csv:12" or "epoch.csv:40" (diagnostics)

  // The throughput for one precision.
  const std::optional<double>& Throughput(Precision p) const;
  std::optional<double>& MutableThroughput(Precision p);
  bool HasAnyThroughput() const;
  // Density for kHbm: the given value, or bandwidth / stack area when both are known.
  std::optional<double> HbmBandwidthDensity() const;
  // "NVIDIA H200 SXM 141GB"
  std::string DisplayName() const;

  bool operator==(const Chip&) const = default;
};

// Limits on hostile or malformed catalog files. Every limit has a test that hits it.
struct CatalogOptions {
  size_t max_file_bytes = size_t{16} << 20;  // larger files are refused
  size_t max_rows = 20000;                   // data rows
  size_t max_aliases = 64;                   // per chip
  size_t max_sources = 64;                   // per chip
  size_t max_field_bytes = 64 << 10;         // one CSV field
};

// Options of the Epoch AI importer.
struct EpochImportOptions {
  CatalogOptions limits;
  // true: any bad row fails the whole import (nothing loads). false: bad rows are reported
  // as diagnostics and skipped; the rest loads.
  bool strict = false;
};

// What an importer produced: the chips that loaded and one diagnostic per problem (every bad
// row; warnings such as duplicate names made unique).
struct ImportResult {
  std::vector<Chip> chips;
  std::vector<Diagnostic> diagnostics;
  size_t rows_read = 0;     // data rows seen
  size_t rows_skipped = 0;  // rows rejected
};

// Imports Epoch AI's "Data on Machine Learning Hardware" CSV (CC-BY 4.0, epoch.ai) exactly as
// published: base units (FLOP/s, byte/s, bytes), header names as in the file. Columns are
// found by header name, so added or reordered columns are fine; a missing required column
// ("Hardware name") fails the import. Each chip gets id = slug of the name, datacenter =
// unknown, published_tpp = "Total processing performance (bit-OP/s)" / 10^12, io bandwidth =
// "Intranode bandwidth (byte/s)". Errors: kParseError for an unreadable header or (strict)
// any bad row, with one located diagnostic per bad row; kResourceExhausted for limits.
Result<ImportResult> ImportEpochCsv(std::string_view data, const std::string& file,
                                    const EpochImportOptions& options = {});
Result<ImportResult> ImportEpochFile(const std::string& path,
                                     const EpochImportOptions& options = {});

// Parses our catalog CSV format (docs/catalog.md). Lines whose first field starts with '#'
// are comments. Strict: every bad row is reported (file:line:col, field, value, what was
// expected) and the load fails with all of them (kParseError).
Result<std::vector<Chip>> ParseCatalogCsv(std::string_view data, const std::string& file,
                                          const CatalogOptions& options = {});
// Writes chips in the catalog CSV format; ParseCatalogCsv(WriteCatalogCsv(c)) == c except
// for `origin`.
std::string WriteCatalogCsv(const std::vector<Chip>& chips);

// Builds a chip from "key=value,key=value" (the CLI's --specs). Keys: the precision names
// (fp64 fp32 tf32 fp16 bf16 int16 fp8 int8 fp4 int4, dense TOPS), die_area_mm2, memory_gb,
// dram_bandwidth_gbs, io_bandwidth_gbs, published_tpp, datacenter (yes|no|true|false),
// kind (ic|system|hbm), hbm_stack_area_mm2, memory_bandwidth_density, name, vendor,
// ic_count. Errors (kInvalidArgument, exact texts pinned by tests): unknown precision,
// unknown key, non-numeric, negative or non-finite value, duplicate key, no throughput for
// an IC, missing datacenter.
Result<Chip> ChipFromSpecs(std::string_view specs);

class Catalog {
 public:
  Catalog() = default;
  // Validates and indexes chips: unique ids, system ic_id references an IC in the set (its
  // specs fill the system's empty spec fields), aliases within limits. Errors list every
  // problem.
  static Result<Catalog> FromChips(std::vector<Chip> chips, const CatalogOptions& options = {});
  // Loads a catalog CSV file (see ParseCatalogCsv), then FromChips.
  static Result<Catalog> LoadFile(const std::string& path, const CatalogOptions& options = {});
  // BundledDataRoot() + "/data/catalog.csv".
  static Result<Catalog> LoadBundled();

  // Finds a chip by id, model, alias or "vendor model", ignoring case, spaces, '-' and '_'.
  // Short names ("H100", "H200") are aliases of the flagship SXM/OAM part. Errors:
  // kNotFound ("unknown item 'X'", with close names as a hint); kInvalidArgument when the
  // name fits several parts ("'X' is ambiguous: it fits a, b; use an id").
  // The pointer is valid as long as the Catalog is alive and unmoved.
  Result<const Chip*> Find(std::string_view id_or_alias) const;

  const std::vector<Chip>& chips() const { return chips_; }

 private:
  std::vector<Chip> chips_;
  // NormalizeChipName(id / model / vendor+model / alias / vendor+alias) -> chip indices,
  // built once by FromChips so Find is a hash lookup.
  std::unordered_map<std::string, std::vector<size_t>> index_;
};

// The key Find() compares: lower case, without spaces, '-', '_' and '.'.
std::string NormalizeChipName(std::string_view name);

}  // namespace tollgate

#endif  // TOLLGATE_CATALOG_H_
