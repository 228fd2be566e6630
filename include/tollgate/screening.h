// Restricted-party screening: list importers, a multilingual name normaliser, an index and a
// scorer that finds consignees and end users on the US restricted-party lists (OFAC SDN and
// consolidated non-SDN, trade.gov Consolidated Screening List, BIS Denied Persons List, an
// exporter's own watch list), in English, pinyin and Chinese characters.
//
// Score meaning (see docs/screening.md): a hit's score is in [0, 1]. 1.0 means every
// distinctive token of the query and of the matched entry name agree exactly after
// normalisation; the score falls with unmatched or misspelled distinctive tokens, weighted by
// how rare each token is on the loaded lists. Legal forms ("Co., Ltd.", "有限公司", "GmbH") and
// generic organisation words ("group", "technology") weigh little. A country that contradicts
// every country of the entry lowers the score a little; it never raises it above the name
// evidence. The default threshold is kDefaultScreenThreshold.
//
// Thread-safety: ListIndex is an immutable value after loading. Screen(), ScreenBruteForce()
// and the accessors may be called concurrently from any number of threads. Copies share the
// same immutable data (cheap to copy).
//
// Errors: loading returns Result/Status values with located Diagnostics (file, line, column,
// field). A malformed record is reported and skipped; the good entries of the file still load
// unless ListLoadOptions::strict is set.
#ifndef TOLLGATE_SCREENING_H_
#define TOLLGATE_SCREENING_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/status.h"

namespace tollgate {

// Default threshold for a reportable hit. Calibrated on data/screening/labelled.csv and the
// nomenklatura benchmark; see docs/screening.md ("Thresholds").
inline constexpr double kDefaultScreenThreshold = 0.80;

enum class PartyType { kEntity, kIndividual, kVessel, kAircraft };
std::string_view PartyTypeName(PartyType t);  // "entity", "individual", "vessel", "aircraft"

struct EntryAddress {
  std::string address;       // street part, as published
  std::string city;          // city / state / province / postal code, as published
  std::string country;       // ISO 3166 alpha-2 when recognised, else ""
  std::string country_name;  // as published, e.g. "China"
};

struct ListEntry {
  // Short list code: "ofac_sdn", "ofac_cons" (non-SDN consolidated), "bis_entity_list",
  // "bis_meu", "bis_uvl", "bis_dpl", "state_isn", "state_dtc", "ofac_ssi", "ofac_plc",
  // "ofac_fse", "ofac_cap", "csl_other", or the watch list's own name ("watchlist" by default).
  std::string list;
  std::string id;                    // unique within `list` (OFAC ent_num, CSL _id, ...)
  std::string name;                  // primary name, as published
  std::vector<std::string> aliases;  // a.k.a., f.k.a., n.k.a., as published
  PartyType type = PartyType::kEntity;
  std::vector<EntryAddress> addresses;
  std::vector<std::string> countries;   // ISO alpha-2, de-duplicated, from addresses etc.
  std::vector<std::string> programmes;  // e.g. "SDGT", "CMIC-EO13959", "EAR"
  std::string fr_citation;              // Federal Register citation(s), as published
  std::string start_date;               // "YYYY-MM-DD" or ""
  std::string end_date;                 // "YYYY-MM-DD" or ""
  std::string remarks;
  std::string source_file;  // file it was loaded from (diagnostics, provenance)
  int source_line = 0;
};

struct ListLoadOptions {
  bool strict = false;                        // any malformed record fails the load
  size_t max_file_bytes = size_t{256} << 20;  // larger files are refused
  size_t max_entries = 2'000'000;             // across all files
  size_t max_aliases_per_entry = 1000;
  size_t max_name_bytes = 4096;  // longer names are malformed records
};

struct LoadedFile {
  std::string list;    // list code, or "mixed" for a CSL file with several sources
  std::string file;    // path
  std::string format;  // "ofac_sdn", "ofac_cons", "csl_csv", "csl_json", "bis_dpl", "watchlist"
  size_t entries = 0;
  std::string date;  // newest date seen in the file ("YYYY-MM-DD") or "" if none
};

struct LoadReport {
  std::vector<LoadedFile> files;
  std::vector<Diagnostic> errors;    // malformed records (skipped unless strict)
  std::vector<Diagnostic> warnings;  // e.g. unrecognised files, implausible dates
};

struct ScreenOptions {
  double threshold = kDefaultScreenThreshold;  // hits scoring below are dropped
  size_t max_query_bytes = 1024;               // longer queries: Screen truncates, TryScreen fails
  size_t max_query_tokens = 32;                // likewise, after normalisation
  size_t max_candidates = 5000;  // names scored per query; the best-supported are kept
  size_t max_hits = 25;          // hits returned, best first
  bool use_country = true;       // country as a (small) signal
};

// One query token paired with the entry token it matched.
struct TokenMatch {
  std::string query_token;  // normalised (Latin) form
  std::string entry_token;  // normalised (Latin) form
  double similarity = 0;    // Jaro-Winkler in [0,1]; 1 for exact or dictionary equivalents
};

struct ScreeningHit {
  std::string list;
  std::string entry_id;
  std::string name;   // primary name of the entry
  std::string alias;  // the alias that matched; "" when the primary name matched
  double score = 0;   // [0,1], see the top of this file
  std::vector<TokenMatch> matched_tokens;
  std::vector<std::string> countries;
  std::vector<std::string> programmes;
  PartyType type = PartyType::kEntity;
  std::string fr_citation;
};

struct ScreenResult {
  std::vector<ScreeningHit> hits;
  size_t candidates = 0;              // names scored
  bool candidates_truncated = false;  // max_candidates was reached
};

// The score of two names with the same scorer the index uses, without any list (rarity
// weights from a built-in default). Used for pairwise benchmarks. Thread-safe.
double ScoreNamePair(std::string_view a, std::string_view b);

class ListIndex {
 public:
  ListIndex();  // empty index

  // Loads every list file it recognises under `dir`, recursively (formats told apart by file
  // name and content), in sorted path order. `report` (optional) receives what was loaded and
  // every malformed record. Fails if dir does not exist, nothing was recognised, a limit is
  // exceeded, or (strict) any record is malformed.
  static Result<ListIndex> LoadDir(const std::string& dir, LoadReport* report,
                                   const ListLoadOptions& options = {});
  // LoadDir(BundledDataRoot() + "/data/lists").
  static Result<ListIndex> LoadBundled(LoadReport* report = nullptr);
  // Builds an index over entries (tests, watch lists built in memory).
  static ListIndex FromEntries(std::vector<ListEntry> entries);

  // Hits at or above options.threshold, best first (ties by list, then entry id), at most one
  // per entry (its best-scoring name). `country` is ISO alpha-2 or "" (unknown). Over-long
  // queries are truncated to the limits (never rejected), so a caller always gets a screen.
  std::vector<ScreeningHit> Screen(std::string_view name, std::string_view country,
                                   const ScreenOptions& options = {}) const;
  // As Screen, but an over-long query fails with kResourceExhausted naming the limit, and the
  // result says how many candidates were scored.
  Result<ScreenResult> TryScreen(std::string_view name, std::string_view country,
                                 const ScreenOptions& options = {}) const;
  // Scores every name of every entry with the same scorer (no index, no candidate cap).
  // For differential tests; slow.
  std::vector<ScreeningHit> ScreenBruteForce(std::string_view name, std::string_view country,
                                             const ScreenOptions& options = {}) const;

  const std::vector<ListEntry>& entries() const;
  const ListEntry* Find(std::string_view list, std::string_view id) const;  // null if absent
  size_t name_count() const;   // primary names + aliases indexed
  size_t MemoryBytes() const;  // approximate heap bytes of the index structures

  struct Impl;

 private:
  explicit ListIndex(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ---- Versions of the lists ----

struct EntryChange {
  std::string list;
  std::string entry_id;
  std::string name;                 // new name (old name for removals)
  std::vector<std::string> fields;  // changed fields ("name", "aliases", ...); empty unless changed
};

struct ListDiff {
  std::vector<EntryChange> added;
  std::vector<EntryChange> removed;
  std::vector<EntryChange> changed;
};

// Entries are identified by (list, id). Deterministic order: by list, then id.
ListDiff DiffLists(const ListIndex& old_index, const ListIndex& new_index);

struct ScreeningQuery {
  std::string id;
  std::string name;
  std::string country;  // ISO alpha-2 or ""
};

// A party whose hits differ between two versions of the lists.
struct RescreenChange {
  ScreeningQuery query;
  std::vector<ScreeningHit> old_hits;
  std::vector<ScreeningHit> new_hits;
  // "newly matched", "no longer matched" or "matched differently".
  std::string kind;
};

// Screens every query against both versions; returns only the parties whose set of
// (list, entry_id) hits changed, in input order.
std::vector<RescreenChange> Rescreen(const ListIndex& old_index, const ListIndex& new_index,
                                     const std::vector<ScreeningQuery>& queries,
                                     const ScreenOptions& options = {});

}  // namespace tollgate

#endif  // TOLLGATE_SCREENING_H_
