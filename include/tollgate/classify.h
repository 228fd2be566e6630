// Chip classification under US export controls as of a date: TPP, performance density,
// ECCN 3A090.a/.b/.c or 4A090.a/.b, the January 15, 2026 case-by-case zone (91 FR 1684) and
// the Section 232 tariff bands (Proclamation of 2026-01-14).
//
// Every threshold, its effective dates and citation live in ONE data file,
// data/classification/thresholds.csv, loaded into a ThresholdTable; no threshold is a C++
// constant. docs/classification.md describes the file and the decision procedure.
//
// Thread-safety: ThresholdTable and Classification are values; a loaded table is immutable
// and may be shared between threads. Classify() is a pure function.
#ifndef TOLLGATE_CLASSIFY_H_
#define TOLLGATE_CLASSIFY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/catalog.h"
#include "tollgate/core.h"
#include "tollgate/status.h"

namespace tollgate {

// TPP = max over precisions of (dense TOPS x bit length) (Technical Note 1 to 3A090,
// 88 FR 73458; "max over precisions" per regulatory.md § 1.3). Errors (kInvalidArgument):
// "<id>: no dense throughput figure; TPP cannot be computed" when no precision is known;
// "<id>: <precision> throughput <v> is negative" / "... is not a finite number".
Result<double> ComputeTpp(const Chip& chip);
// PD = TPP / applicable die area (Technical Note 4 to 3A090). nullopt when the die area is
// unknown or not positive, or TPP cannot be computed.
std::optional<double> ComputePd(const Chip& chip);

// One condition of a threshold row: `metric op value`.
// Metrics: tpp, pd, io_bandwidth_gbs, dram_bandwidth_gbs, memory_bandwidth_density,
// datacenter (1 or 0), ic_eccn (text; systems: the ECCN of the contained IC).
// Ops: >=, >, <=, <, = .
struct ThresholdRow {
  std::string rule;        // e.g. "3A090.a.2" (rows with the same rule form one conjunction)
  std::string kind;        // "eccn" | "exclude" | "zone" | "band"
  std::string result;      // eccn rows: "3A090.a"; band rows: "1"/"2"; zone: "case_by_case"
  std::string applies_to;  // "ic" | "system" | "hbm"
  Date effective_from;
  std::optional<Date> effective_to;  // inclusive; nullopt = still in force
  std::string metric;
  std::string op;
  std::string value;             // the threshold as written in the file ("5.92", "3A090.a")
  std::optional<double> number;  // value as a number when numeric
  std::string citation;          // FR page / CFR section / official announcement
  int line = 0;                  // line in the file (diagnostics, JSON basis)

  bool ActiveOn(Date d) const {
    return effective_from <= d && (!effective_to || d <= *effective_to);
  }
};

class ThresholdTable {
 public:
  ThresholdTable() = default;
  // Parses the CSV (columns: rule,kind,result,applies_to,effective_from,effective_to,metric,
  // op,value,citation; '#' comment lines). Every bad row is reported (file:line:col).
  static Result<ThresholdTable> Parse(std::string_view data, const std::string& file);
  static Result<ThresholdTable> LoadFile(const std::string& path);
  // BundledDataRoot() + "/data/classification/thresholds.csv".
  static Result<ThresholdTable> LoadBundled();

  const std::vector<ThresholdRow>& rows() const { return rows_; }
  const std::string& file() const { return file_; }

 private:
  std::vector<ThresholdRow> rows_;
  std::string file_;
};

// One evaluated condition: which threshold, the value it was compared with, and the outcome.
struct BasisItem {
  std::string rule;             // "3A090.a.1"
  std::string kind;             // as in ThresholdRow
  std::string metric;           // "tpp"
  std::string op;               // ">="
  std::string threshold;        // "4800"
  std::optional<double> value;  // the chip's value; nullopt when unknown
  std::string value_text;       // for text metrics (ic_eccn)
  std::optional<bool> met;      // nullopt: could not be decided (value unknown)
  std::string citation;
};

struct Classification {
  std::string item;  // chip id
  std::string name;  // "NVIDIA H200 SXM 141GB"
  Date as_of;
  ChipKind kind = ChipKind::kIc;
  std::optional<double> tpp;          // computed (per IC for systems); nullopt if not computable
  std::string tpp_error;              // why tpp is missing
  std::optional<double> pd;           // nullopt when die area unknown
  std::optional<double> hbm_density;  // kHbm only
  // ECCN: "3A090.a", "3A090.b", "3A090.c", "4A090.a", "4A090.b", or "" when none.
  std::string eccn;
  // false when the specs do not decide the ECCN (e.g. TPP 1600..4800 with unknown die area,
  // unknown datacenter flag); then eccn is "" and `undetermined_reason` says what is missing.
  bool eccn_determined = true;
  std::string undetermined_reason;
  std::optional<bool> datacenter;
  // The conditions that decided the ECCN: for a positive result, the matching rule's
  // conditions; for a negative one, every evaluated condition with its outcome.
  std::vector<BasisItem> basis;
  // Jan 15, 2026 rule (91 FR 1684): TPP < 21,000 and total DRAM bandwidth < 6,500 GB/s.
  // false before 2026-01-15; nullopt when an input is unknown.
  std::optional<bool> case_by_case_zone;
  std::vector<BasisItem> zone_basis;
  // Section 232 band (Proclamation 2026-01-14, Annex): 0 none, 1 or 2. nullopt when an input
  // is unknown and no band can be excluded.
  std::optional<int> sec232_band;
  std::vector<BasisItem> band_basis;
  std::optional<double> published_tpp;
  bool tpp_mismatch = false;         // |computed - published| > 1% of published
  std::optional<int> ic_count;       // systems
  std::optional<double> system_tpp;  // systems: tpp x ic_count (information only)
  std::vector<std::string> sources;
};

// Classifies `chip` under the rows of `table` in force on `as_of`. Errors: kInvalidArgument
// for invalid specs (negative or non-finite values). Missing specs are not errors: they give
// nullopt fields and eccn_determined = false.
Result<Classification> Classify(const Chip& chip, Date as_of, const ThresholdTable& table);
// The same with the bundled table (loaded once, then shared; thread-safe).
Result<Classification> Classify(const Chip& chip, Date as_of);

// JSON object with the fields above (item, as_of, tpp, pd, eccn (null when none), datacenter,
// basis, case_by_case_zone, sec232_band (null when none), published_tpp, tpp_mismatch,
// sources, ...). Numbers are printed exactly (integers without ".0").
std::string ClassificationToJson(const Classification& c, int indent = 2);

// Today's date (UTC) from the system clock.
Date TodayUtc();

}  // namespace tollgate

#endif  // TOLLGATE_CLASSIFY_H_
