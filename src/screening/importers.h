// Importers for the published restricted-party list formats. Internal to screening.
//
// Every importer takes the file's text and its path (for diagnostics), appends the entries
// it could read, and reports each malformed record as a Diagnostic (file, line, column,
// field) without stopping: the caller decides (ListLoadOptions::strict) whether that fails the
// load.
#ifndef TOLLGATE_SCREENING_IMPORTERS_H_
#define TOLLGATE_SCREENING_IMPORTERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "tollgate/screening.h"
#include "tollgate/status.h"

namespace tollgate::screening {

struct ImportResult {
  std::vector<ListEntry> entries;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  std::string date;  // newest date seen, "YYYY-MM-DD" or ""
};

// OFAC "SDN" CSV family (headerless; "-0-" is null). `list` is "ofac_sdn" or "ofac_cons".
// The companion texts may be empty (file absent).
struct OfacFiles {
  std::string main_path, main_text;          // sdn.csv / cons_prim.csv
  std::string alt_path, alt_text;            // alt.csv / cons_alt.csv
  std::string add_path, add_text;            // add.csv / cons_add.csv
  std::string comments_path, comments_text;  // sdn_comments.csv / cons_comments.csv
};
ImportResult ImportOfac(const OfacFiles& files, const std::string& list,
                        const ListLoadOptions& options);

// trade.gov Consolidated Screening List, CSV (2019 and 2025 layouts) and JSON.
ImportResult ImportCslCsv(std::string_view text, const std::string& path,
                          const ListLoadOptions& options);
ImportResult ImportCslJson(std::string_view text, const std::string& path,
                           const ListLoadOptions& options);

// BIS Denied Persons List, tab-separated with quoted fields and a header row. Rows with the
// same name are one entry (several addresses / orders).
ImportResult ImportBisDpl(std::string_view text, const std::string& path,
                          const ListLoadOptions& options);

// An exporter's own watch list: CSV with a header containing at least `name`; optional
// `country`, `id`, `aliases` (';'-separated), `type`, `programme`, `list`.
ImportResult ImportWatchList(std::string_view text, const std::string& path,
                             const ListLoadOptions& options);

// What a file is, from its name and first bytes: "ofac_sdn", "ofac_cons", "ofac_companion",
// "csl_csv", "csl_json", "bis_dpl", "watchlist", or "" (not a list file).
std::string DetectFormat(const std::string& path, std::string_view head);

// ISO alpha-2 for a country as written on the lists ("China", "Russia", "Korea, North",
// "CN"); "" when unknown.
std::string CountryCode(std::string_view name);

// CSL "source" column -> list code ("Entity List (EL) - ..." -> "bis_entity_list").
std::string CslListCode(std::string_view source);

// Dates as published ("2018-08-01", "06/19/2003", "02 Aug 2021") -> "YYYY-MM-DD", or "".
std::string NormalizeDate(std::string_view text);

}  // namespace tollgate::screening

#endif  // TOLLGATE_SCREENING_IMPORTERS_H_
