// `tollgate screen`: restricted-party screening of one name, a batch file, or the difference
// between two versions of the lists. A thin front end over include/tollgate/screening.h.
//
// Exit codes: 0 no hit at or above the threshold; 1 at least one hit (or, for --diff, any
// change); 2 bad usage or bad input (every bad batch line is reported); 3 I/O error.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/csv.h"
#include "core/io.h"
#include "tollgate/screening.h"

namespace tollgate::cli {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> specs = {
      {"country", true, "ISO 3166 alpha-2 country of the party (a signal, not a filter)", "CC"},
      {"lists", true, "load every list file under DIR (default: bundled samples)", "DIR"},
      {"threshold", true, "report hits scoring at least T in [0,1] (default 0.80)", "T"},
      {"format", true, "table|json (one name), jsonl|csv (--batch), table|json (--diff)", "FMT"},
      {"batch", true, "screen every row of a CSV file with columns id,name,country", "FILE"},
      {"diff", false, "compare two versions of the lists: screen --diff OLD_DIR NEW_DIR", ""},
      {"strict", false, "fail when any list record is malformed", ""},
      {"max-hits", true, "at most N hits per name (default 25)", "N"},
  };
  return specs;
}

std::string ScoreText(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", s);
  return buf;
}

double Rounded(double s) { return std::round(s * 10000) / 10000; }

nlohmann::json HitJson(const ScreeningHit& h) {
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& m : h.matched_tokens) {
    tokens.push_back({{"query", m.query_token},
                      {"entry", m.entry_token},
                      {"similarity", Rounded(m.similarity)}});
  }
  return {{"list", h.list},
          {"entry_id", h.entry_id},
          {"name", h.name},
          {"alias", h.alias},
          {"score", Rounded(h.score)},
          {"matched_tokens", tokens},
          {"type", std::string(PartyTypeName(h.type))},
          {"countries", h.countries},
          {"programmes", h.programmes},
          {"fr_citation", h.fr_citation}};
}

std::string TokensText(const ScreeningHit& h) {
  std::string s;
  for (const auto& m : h.matched_tokens) {
    if (!s.empty()) s += " ";
    s += m.query_token == m.entry_token ? m.query_token : m.query_token + "~" + m.entry_token;
  }
  return s;
}

void PrintLoadReport(const LoadReport& rep, std::ostream& err) {
  for (const auto& f : rep.files) {
    err << "loaded " << f.list << " " << f.file << " (" << f.format << "): " << f.entries
        << " entries, date " << (f.date.empty() ? "not stated" : f.date) << "\n";
  }
  for (const auto& d : rep.errors) err << d.ToString() << "\n";
  if (!rep.errors.empty()) {
    err << rep.errors.size() << " malformed record(s) skipped (use --strict to fail)\n";
  }
}

Result<ListIndex> LoadLists(const std::string& dir, bool strict, bool verbose, std::ostream& err) {
  LoadReport rep;
  ListLoadOptions options;
  options.strict = strict;
  auto r = dir.empty() ? ListIndex::LoadBundled(&rep) : ListIndex::LoadDir(dir, &rep, options);
  if (verbose) PrintLoadReport(rep, err);
  return r;
}

struct BatchRow {
  ScreeningQuery query;
};

// Reads `id,name,country` (header row required). Every bad line is reported.
Result<std::vector<ScreeningQuery>> ReadBatch(const std::string& path) {
  TG_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  csv::HeadedReader in(text, path);
  csv::Record r;
  Diagnostic err;
  std::vector<ScreeningQuery> out;
  std::vector<Diagnostic> errors;
  csv::Reader::Step step;
  while ((step = in.ReadHeader(&err)) == csv::Reader::Step::kError) errors.push_back(err);
  const csv::Header& header = in.header();
  if (step == csv::Reader::Step::kRecord && (header.Index("id") < 0 || header.Index("name") < 0)) {
    Diagnostic d = csv::RecordError(path, in.header_record());
    d.message = "batch header must name the columns id,name[,country]";
    return Status::FromDiagnostic(StatusCode::kParseError, d);
  }
  while (step != csv::Reader::Step::kEnd &&  // an empty file has no header and no records
         (step = in.Next(&r, &err)) != csv::Reader::Step::kEnd) {
    if (step == csv::Reader::Step::kError) {  // malformed, or not one field per column
      errors.push_back(err);
      continue;
    }
    ScreeningQuery q;
    q.id = r.fields[header.Index("id")].value;
    const csv::Field& name = r.fields[header.Index("name")];
    q.name = name.value;
    if (q.name.empty()) {
      errors.push_back(csv::FieldError(path, r, name, "name", "empty name"));
      continue;
    }
    int ci = header.Index("country");
    if (ci >= 0) {
      q.country = r.fields[ci].value;
      if (!q.country.empty() && q.country.size() != 2) {
        errors.push_back(csv::FieldError(path, r, r.fields[ci], "country",
                                         "country '" + q.country + "' is not a code",
                                         "expected an ISO 3166 alpha-2 code such as CN"));
        continue;
      }
    }
    out.push_back(std::move(q));
  }
  if (!errors.empty()) {
    return Status::FromDiagnostics(StatusCode::kParseError, std::move(errors));
  }
  return out;
}

int RunDiff(const Flags& f, std::ostream& out, std::ostream& err) {
  if (f.positional().size() != 2) {
    err << "tollgate: error: --diff needs OLD_DIR NEW_DIR\n";
    return kExitUsage;
  }
  const bool strict = f.Has("strict");
  auto old_index = LoadLists(f.positional()[0], strict, true, err);
  if (!old_index.ok()) return Fail(old_index.status(), err);
  auto new_index = LoadLists(f.positional()[1], strict, true, err);
  if (!new_index.ok()) return Fail(new_index.status(), err);
  ListDiff diff = DiffLists(*old_index, *new_index);
  std::vector<RescreenChange> rescreen;
  ScreenOptions options;
  if (auto t = f.Get("threshold")) options.threshold = std::strtod(t->c_str(), nullptr);
  if (auto batch = f.Get("batch")) {
    auto queries = ReadBatch(*batch);
    if (!queries.ok()) return Fail(queries.status(), err);
    rescreen = Rescreen(*old_index, *new_index, *queries, options);
  }
  const std::string format = f.GetOr("format", "table");
  auto hit_keys = [](const std::vector<ScreeningHit>& hits) {
    std::string s;
    for (const auto& h : hits) {
      if (!s.empty()) s += ", ";
      s += h.list + ":" + h.entry_id + " " + ScoreText(h.score);
    }
    return s.empty() ? std::string("none") : s;
  };
  if (format == "json") {
    auto changes = [](const std::vector<EntryChange>& v) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& c : v) {
        a.push_back(
            {{"list", c.list}, {"entry_id", c.entry_id}, {"name", c.name}, {"fields", c.fields}});
      }
      return a;
    };
    nlohmann::json rs = nlohmann::json::array();
    for (const auto& c : rescreen) {
      nlohmann::json oh = nlohmann::json::array(), nh = nlohmann::json::array();
      for (const auto& h : c.old_hits) oh.push_back(HitJson(h));
      for (const auto& h : c.new_hits) nh.push_back(HitJson(h));
      rs.push_back({{"id", c.query.id},
                    {"name", c.query.name},
                    {"kind", c.kind},
                    {"old_hits", oh},
                    {"new_hits", nh}});
    }
    out << nlohmann::json{{"added", changes(diff.added)},
                          {"removed", changes(diff.removed)},
                          {"changed", changes(diff.changed)},
                          {"rescreen", rs}}
               .dump()
        << "\n";
  } else if (format == "table") {
    for (const auto& c : diff.added)
      out << "added    " << c.list << " " << c.entry_id << " " << c.name << "\n";
    for (const auto& c : diff.removed)
      out << "removed  " << c.list << " " << c.entry_id << " " << c.name << "\n";
    for (const auto& c : diff.changed) {
      std::string fields;
      for (const auto& x : c.fields) fields += (fields.empty() ? "" : ",") + x;
      out << "changed  " << c.list << " " << c.entry_id << " " << c.name << " [" << fields << "]\n";
    }
    for (const auto& c : rescreen) {
      out << "rescreen " << c.query.id << " \"" << c.query.name << "\": " << c.kind
          << " (was: " << hit_keys(c.old_hits) << "; now: " << hit_keys(c.new_hits) << ")\n";
    }
    out << "summary: " << diff.added.size() << " added, " << diff.removed.size() << " removed, "
        << diff.changed.size() << " changed";
    if (f.Has("batch")) out << ", " << rescreen.size() << " parties now matched differently";
    out << "\n";
  } else {
    err << "tollgate: error: --format for --diff must be table or json, not '" << format << "'\n";
    return kExitUsage;
  }
  const bool any =
      !diff.added.empty() || !diff.removed.empty() || !diff.changed.empty() || !rescreen.empty();
  return any ? kExitFindings : kExitOk;
}

}  // namespace

int RunScreen(const Args& args, std::ostream& out, std::ostream& err) {
  const std::string usage =
      "tollgate screen NAME [--country CC] [--lists DIR] [--threshold T] [--format table|json]\n"
      "       tollgate screen --batch FILE [--lists DIR] [--format jsonl|csv]\n"
      "       tollgate screen --diff OLD_DIR NEW_DIR [--batch FILE] [--format table|json]";
  auto parsed = Flags::Parse(args, Specs());
  if (!parsed.ok()) return Fail(parsed.status(), err);
  const Flags& f = *parsed;
  if (f.help()) {
    out << HelpText(usage,
                    "Screens names against the restricted-party lists (OFAC SDN and non-SDN, "
                    "trade.gov CSL, BIS DPL, watch lists).\nExit 0: no hit; 1: hits (or "
                    "changes); 2: bad input.",
                    Specs());
    return kExitOk;
  }
  if (f.Has("diff")) return RunDiff(f, out, err);

  ScreenOptions options;
  if (auto t = f.Get("threshold")) {
    char* end = nullptr;
    double v = std::strtod(t->c_str(), &end);
    if (t->empty() || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
      err << "tollgate: error: --threshold must be a number in [0,1], not '" << *t << "'\n";
      return kExitUsage;
    }
    options.threshold = v;
  }
  if (auto m = f.Get("max-hits")) {
    char* end = nullptr;
    long v = std::strtol(m->c_str(), &end, 10);
    if (m->empty() || *end != '\0' || v < 1 || v > 10000) {
      err << "tollgate: error: --max-hits must be an integer in [1,10000], not '" << *m << "'\n";
      return kExitUsage;
    }
    options.max_hits = static_cast<size_t>(v);
  }
  std::string country = f.GetOr("country", "");
  if (!country.empty() && country.size() != 2) {
    err << "tollgate: error: --country must be an ISO 3166 alpha-2 code such as CN, not '"
        << country << "'\n";
    return kExitUsage;
  }
  const bool batch = f.Has("batch");
  const std::string format = f.GetOr("format", batch ? "jsonl" : "table");
  if (batch ? (format != "jsonl" && format != "csv") : (format != "table" && format != "json")) {
    err << "tollgate: error: --format must be " << (batch ? "jsonl or csv" : "table or json")
        << ", not '" << format << "'\n";
    return kExitUsage;
  }
  if (!batch && f.positional().size() != 1) {
    err << "usage: " << usage << "\n";
    return kExitUsage;
  }
  auto index = LoadLists(f.GetOr("lists", ""), f.Has("strict"), f.Has("lists"), err);
  if (!index.ok()) return Fail(index.status(), err);

  if (!batch) {
    auto r = index->TryScreen(f.positional()[0], country, options);
    if (!r.ok()) return Fail(r.status(), err);
    if (format == "json") {
      nlohmann::json hits = nlohmann::json::array();
      for (const auto& h : r->hits) hits.push_back(HitJson(h));
      out << nlohmann::json{{"query", f.positional()[0]},
                            {"country", country},
                            {"threshold", options.threshold},
                            {"hits", hits}}
                 .dump()
          << "\n";
    } else {
      if (r->hits.empty()) {
        out << "no hits at or above " << ScoreText(options.threshold) << "\n";
      } else {
        out << "SCORE   LIST             ENTRY      NAME [ALIAS] : MATCHED TOKENS\n";
        for (const auto& h : r->hits) {
          char head[64];
          std::snprintf(head, sizeof head, "%-7s %-16s %-10s ", ScoreText(h.score).c_str(),
                        h.list.c_str(),
                        h.entry_id.size() > 10 ? (h.entry_id.substr(0, 9) + "~").c_str()
                                               : h.entry_id.c_str());
          out << head << h.name;
          if (!h.alias.empty()) out << " [aka " << h.alias << "]";
          out << " : " << TokensText(h) << "\n";
        }
      }
    }
    return r->hits.empty() ? kExitOk : kExitFindings;
  }

  auto queries = ReadBatch(*f.Get("batch"));
  if (!queries.ok()) return Fail(queries.status(), err);
  bool any = false;
  if (format == "csv") {
    out << "id,name,country,list,entry_id,entry_name,alias,score,matched_tokens\n";
  }
  for (const auto& q : *queries) {
    auto r = index->TryScreen(q.name, q.country, options);
    if (!r.ok()) {
      err << "batch row " << q.id << ": " << r.status().ToString() << "\n";
      return ExitCodeFor(r.status());
    }
    any = any || !r->hits.empty();
    if (format == "jsonl") {
      nlohmann::json hits = nlohmann::json::array();
      for (const auto& h : r->hits) hits.push_back(HitJson(h));
      out << nlohmann::json{{"id", q.id}, {"name", q.name}, {"country", q.country}, {"hits", hits}}
                 .dump()
          << "\n";
    } else {
      auto row = [&](const ScreeningHit* h) {
        out << csv::Escape(q.id) << "," << csv::Escape(q.name) << "," << csv::Escape(q.country)
            << "," << (h ? csv::Escape(h->list) : "") << "," << (h ? csv::Escape(h->entry_id) : "")
            << "," << (h ? csv::Escape(h->name) : "") << "," << (h ? csv::Escape(h->alias) : "")
            << "," << (h ? ScoreText(h->score) : "") << ","
            << (h ? csv::Escape(TokensText(*h)) : "") << "\n";
      };
      if (r->hits.empty()) row(nullptr);
      for (const auto& h : r->hits) row(&h);
    }
  }
  return any ? kExitFindings : kExitOk;
}

}  // namespace tollgate::cli
