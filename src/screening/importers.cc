#include "screening/importers.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "tollgate/core.h"

namespace tollgate::screening {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(s[b])) || s[b] == '\x1a')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == '\x1a')) --e;
  return std::string(s.substr(b, e - b));
}

// OFAC's null marker is "-0-" (published with a trailing space).
std::string OfacValue(const std::string& v) {
  std::string t = Trim(v);
  return t == "-0-" ? "" : t;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string part = Trim(s.substr(start, end - start));
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

// CSL alias cells end items with "; and X." -- strip the connective and final period.
std::string CleanAlias(std::string a) {
  a = Trim(a);
  if (a.rfind("and ", 0) == 0) a = Trim(a.substr(4));
  while (!a.empty() && (a.back() == '.' || a.back() == ',')) {
    // keep the period of a trailing abbreviation like "Co." or "Ltd."
    size_t sp = a.find_last_of(' ');
    std::string last = a.substr(sp == std::string::npos ? 0 : sp + 1);
    if (last.size() <= 5 && last.back() == '.') break;
    a.pop_back();
  }
  return a;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string HexId(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  uint64_t h = Fnv1a(s);
  std::string out;
  for (int i = 0; i < 12; ++i) {
    out.push_back(kHex[h & 15]);
    h >>= 4;
  }
  return out;
}

void AddCountry(ListEntry* e, const std::string& code) {
  if (code.empty()) return;
  if (std::find(e->countries.begin(), e->countries.end(), code) == e->countries.end()) {
    e->countries.push_back(code);
  }
}

void NoteDate(const std::string& date, std::string* newest) {
  if (!date.empty() && date > *newest && date <= "2100-12-31") *newest = date;
}

Diagnostic RecordError(const std::string& file, const csv::Record& r, const std::string& message,
                       const std::string& hint = "") {
  Diagnostic d = csv::RecordError(file, r);
  d.message = message;
  d.hint = hint;
  return d;
}

// Reads the header of a list file with a header row. False when the file holds no record,
// or (with the error in `out`) when the header lacks one of `required`. A malformed first
// record is reported and the next one is taken as the header.
bool ReadListHeader(csv::HeadedReader& in, ImportResult* out,
                    std::initializer_list<std::string_view> required, const std::string& message,
                    const std::string& hint) {
  Diagnostic err;
  csv::Reader::Step step;
  while ((step = in.ReadHeader(&err)) == csv::Reader::Step::kError) out->errors.push_back(err);
  if (step == csv::Reader::Step::kEnd) return false;
  for (std::string_view col : required) {
    if (in.header().Index(col) < 0) {
      out->errors.push_back(RecordError(in.file(), in.header_record(), message, hint));
      return false;
    }
  }
  return true;
}

bool ValidName(const std::string& name, const ListLoadOptions& options) {
  return !name.empty() && name.size() <= options.max_name_bytes;
}

PartyType ParseType(std::string_view t) {
  std::string l = Lower(Trim(t));
  if (l == "individual") return PartyType::kIndividual;
  if (l == "vessel") return PartyType::kVessel;
  if (l == "aircraft") return PartyType::kAircraft;
  return PartyType::kEntity;
}

}  // namespace

std::string CountryCode(std::string_view name) {
  static const std::unordered_map<std::string, std::string>* names = [] {
    auto* m = new std::unordered_map<std::string, std::string>();
    for (char a = 'A'; a <= 'Z'; ++a) {
      for (char b = 'A'; b <= 'Z'; ++b) {
        std::string code{a, b};
        if (!Country::IsValidCode(code)) continue;
        auto c = Country::Parse(code);
        if (c.ok()) (*m)[Lower(c->name())] = code;
      }
    }
    // Names as the US lists write them.
    const std::pair<const char*, const char*> kExtra[] = {
        {"russia", "RU"},
        {"iran", "IR"},
        {"syria", "SY"},
        {"north korea", "KP"},
        {"korea, north", "KP"},
        {"south korea", "KR"},
        {"korea, south", "KR"},
        {"burma", "MM"},
        {"vietnam", "VN"},
        {"laos", "LA"},
        {"turkey", "TR"},
        {"czech republic", "CZ"},
        {"macau", "MO"},
        {"west bank", "PS"},
        {"gaza", "PS"},
        {"palestinian", "PS"},
        {"congo, democratic republic of the", "CD"},
        {"democratic republic of the congo", "CD"},
        {"congo, republic of the", "CG"},
        {"the bahamas", "BS"},
        {"bahamas, the", "BS"},
        {"the gambia", "GM"},
        {"gambia, the", "GM"},
        {"united kingdom", "GB"},
        {"uk", "GB"},
        {"united states", "US"},
        {"usa", "US"},
        {"moldova", "MD"},
        {"bolivia", "BO"},
        {"venezuela", "VE"},
        {"tanzania", "TZ"},
        {"taiwan", "TW"},
        {"brunei", "BN"},
        {"cote d ivoire", "CI"},
        {"ivory coast", "CI"},
        {"kosovo", "XK"},
        {"region: crimea", "UA"},
        {"crimea", "UA"},
        {"hong kong", "HK"},
        {"china", "CN"},
        {"prc", "CN"},
        {"peoples republic of china", "CN"},
        {"uae", "AE"},
        {"united arab emirates", "AE"},
        {"netherlands", "NL"},
        {"cape verde", "CV"},
        {"swaziland", "SZ"},
        {"macedonia", "MK"},
        {"north macedonia", "MK"},
        {"micronesia", "FM"},
        {"vatican", "VA"}};
    for (const auto& [n, c] : kExtra) (*m)[n] = c;
    return m;
  }();
  std::string t = Trim(name);
  if (t.size() == 2 && Country::IsValidCode(t)) {
    return std::string{static_cast<char>(std::toupper(static_cast<unsigned char>(t[0]))),
                       static_cast<char>(std::toupper(static_cast<unsigned char>(t[1])))};
  }
  std::string l = Lower(t);
  std::replace(l.begin(), l.end(), '\'', ' ');
  auto it = names->find(l);
  return it == names->end() ? "" : it->second;
}

std::string CslListCode(std::string_view source) {
  static const std::pair<const char*, const char*> kCodes[] = {
      {"(EL)", "bis_entity_list"}, {"(MEU)", "bis_meu"},  {"(UVL)", "bis_uvl"},
      {"(DPL)", "bis_dpl"},        {"(SDN)", "ofac_sdn"}, {"(SSI)", "ofac_ssi"},
      {"(PLC)", "ofac_plc"},       {"(FSE)", "ofac_fse"}, {"(CAP)", "ofac_cap"},
      {"(CMIC)", "ofac_cmic"},     {"(MBS)", "ofac_mbs"}, {"(ISN)", "state_isn"},
      {"(DTC)", "state_dtc"}};
  for (const auto& [tag, code] : kCodes) {
    if (source.find(tag) != std::string_view::npos) return code;
  }
  return "csl_other";
}

std::string NormalizeDate(std::string_view text) {
  std::string t = Trim(text);
  if (t.empty()) return "";
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
  };
  if (t.size() == 10 && t[4] == '-' && t[7] == '-' && digits(t.substr(0, 4)) &&
      digits(t.substr(5, 2)) && digits(t.substr(8, 2))) {
    return t;
  }
  if (t.size() == 10 && t[2] == '/' && t[5] == '/' && digits(t.substr(0, 2)) &&
      digits(t.substr(3, 2)) && digits(t.substr(6, 4))) {
    return t.substr(6, 4) + "-" + t.substr(0, 2) + "-" + t.substr(3, 2);
  }
  // "02 Aug 2021"
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  auto parts = Split(t, ' ');
  if (parts.size() == 3 && digits(parts[0]) && digits(parts[2]) && parts[2].size() == 4 &&
      parts[0].size() <= 2) {
    std::string mon = Lower(parts[1].substr(0, 3));
    for (int m = 0; m < 12; ++m) {
      if (mon == kMonths[m]) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%s-%02d-%02d", parts[2].c_str(), m + 1,
                      std::atoi(parts[0].c_str()));
        return buf;
      }
    }
  }
  return "";
}

std::string DetectFormat(const std::string& path, std::string_view head) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  std::string lb = Lower(base);
  if (lb == "sdn.csv") return "ofac_sdn";
  if (lb == "cons_prim.csv") return "ofac_cons";
  if (lb == "alt.csv" || lb == "add.csv" || lb == "sdn_comments.csv" || lb == "cons_alt.csv" ||
      lb == "cons_add.csv" || lb == "cons_comments.csv") {
    return "ofac_companion";
  }
  std::string h = Lower(head.substr(0, std::min<size_t>(head.size(), 4096)));
  auto ends_with = [&](const char* suffix) {
    std::string s(suffix);
    return lb.size() >= s.size() && lb.compare(lb.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with(".json")) {
    if (h.find("\"source\"") != std::string::npos || h.find("\"results\"") != std::string::npos) {
      return "csl_json";
    }
    return "";
  }
  if (h.find("\"name\"\t\"street_address\"") != std::string::npos) return "bis_dpl";
  if (ends_with(".txt") && h.find("name\tstreet_address") != std::string::npos) return "bis_dpl";
  if (ends_with(".csv")) {
    std::string first = h.substr(0, h.find('\n'));
    if (first.find("source") != std::string::npos && first.find("name") != std::string::npos &&
        first.find("alt_names") != std::string::npos) {
      return "csl_csv";
    }
    // A watch list has a header row with a `name` column.
    csv::Reader reader(first, path);
    csv::Record rec;
    Diagnostic err;
    if (reader.Next(&rec, &err) == csv::Reader::Step::kRecord) {
      for (const auto& f : rec.fields) {
        if (Trim(f.value) == "name") return "watchlist";
      }
    }
  }
  return "";
}

ImportResult ImportOfac(const OfacFiles& files, const std::string& list,
                        const ListLoadOptions& options) {
  ImportResult out;
  std::unordered_map<std::string, size_t> by_id;
  csv::Options copts;
  {
    csv::Reader reader(files.main_text, files.main_path, copts);
    csv::Record r;
    Diagnostic err;
    for (;;) {
      auto step = reader.Next(&r, &err);
      if (step == csv::Reader::Step::kEnd) break;
      if (step == csv::Reader::Step::kError) {
        out.errors.push_back(err);
        continue;
      }
      // The published files end with a Ctrl-Z byte on a line of its own.
      if (r.fields.size() == 1 && Trim(r.fields[0].value).empty()) continue;
      if (r.fields.size() < 4) {
        out.errors.push_back(
            RecordError(files.main_path, r,
                        "expected 12 fields (ent_num, SDN_Name, SDN_Type, Program, ...), got " +
                            std::to_string(r.fields.size())));
        continue;
      }
      std::string id = OfacValue(r.fields[0].value);
      if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          })) {
        out.errors.push_back(csv::FieldError(files.main_path, r, r.fields[0], "ent_num",
                                             "ent_num '" + id + "' is not a number"));
        continue;
      }
      std::string name = OfacValue(r.fields[1].value);
      if (!ValidName(name, options)) {
        out.errors.push_back(csv::FieldError(files.main_path, r, r.fields[1], "SDN_Name",
                                             name.empty() ? "empty name" : "name too long"));
        continue;
      }
      if (by_id.count(id)) {
        out.errors.push_back(
            csv::FieldError(files.main_path, r, r.fields[0], "ent_num", "duplicate ent_num " + id));
        continue;
      }
      ListEntry e;
      e.list = list;
      e.id = id;
      e.name = name;
      e.type = ParseType(OfacValue(r.fields[2].value));
      for (auto& p : Split(OfacValue(r.fields[3].value), ']')) {
        std::string prog = Trim(p);
        if (!prog.empty() && prog[0] == '[') prog = Trim(prog.substr(1));
        if (!prog.empty()) e.programmes.push_back(prog);
      }
      if (r.fields.size() > 11) e.remarks = OfacValue(r.fields[11].value);
      e.source_file = files.main_path;
      e.source_line = r.line;
      by_id[id] = out.entries.size();
      out.entries.push_back(std::move(e));
    }
  }
  auto each = [&](const std::string& path, const std::string& text, size_t min_fields,
                  const char* layout, auto&& fn) {
    if (text.empty()) return;
    csv::Reader reader(text, path, copts);
    csv::Record r;
    Diagnostic err;
    for (;;) {
      auto step = reader.Next(&r, &err);
      if (step == csv::Reader::Step::kEnd) break;
      if (step == csv::Reader::Step::kError) {
        out.errors.push_back(err);
        continue;
      }
      if (r.fields.size() == 1 && Trim(r.fields[0].value).empty()) continue;
      if (r.fields.size() < min_fields) {
        out.errors.push_back(RecordError(path, r,
                                         "expected " + std::to_string(min_fields) + " fields (" +
                                             layout + "), got " + std::to_string(r.fields.size())));
        continue;
      }
      std::string id = OfacValue(r.fields[0].value);
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        out.errors.push_back(csv::FieldError(path, r, r.fields[0], "ent_num",
                                             "ent_num '" + id + "' is not in " + files.main_path));
        continue;
      }
      fn(out.entries[it->second], r);
    }
  };
  each(files.alt_path, files.alt_text, 4, "ent_num, alt_num, alt_type, alt_name, alt_remarks",
       [&](ListEntry& e, const csv::Record& r) {
         std::string alias = OfacValue(r.fields[3].value);
         if (!ValidName(alias, options)) {
           out.errors.push_back(csv::FieldError(files.alt_path, r, r.fields[3], "alt_name",
                                                alias.empty() ? "empty alias" : "alias too long"));
           return;
         }
         if (e.aliases.size() >= options.max_aliases_per_entry) {
           out.errors.push_back(csv::FieldError(
               files.alt_path, r, r.fields[3], "alt_name",
               "more than " + std::to_string(options.max_aliases_per_entry) +
                   " aliases for ent_num " + e.id + " (ListLoadOptions::max_aliases_per_entry)"));
           return;
         }
         e.aliases.push_back(alias);
       });
  each(files.add_path, files.add_text, 5, "ent_num, add_num, address, city, country, remarks",
       [&](ListEntry& e, const csv::Record& r) {
         EntryAddress a;
         a.address = OfacValue(r.fields[2].value);
         a.city = OfacValue(r.fields[3].value);
         a.country_name = OfacValue(r.fields[4].value);
         a.country = CountryCode(a.country_name);
         if (!a.country_name.empty() && a.country.empty()) {
           out.warnings.push_back(csv::FieldError(files.add_path, r, r.fields[4], "Country",
                                                  "unrecognised country '" + a.country_name + "'"));
         }
         AddCountry(&e, a.country);
         e.addresses.push_back(std::move(a));
       });
  each(files.comments_path, files.comments_text, 2, "ent_num, remarks",
       [&](ListEntry& e, const csv::Record& r) { e.remarks += OfacValue(r.fields[1].value); });
  return out;
}

namespace {

// Fills an entry from CSL columns given as a name -> value lookup.
template <typename Get>
bool FillCsl(Get&& get, ListEntry* e) {
  e->list = CslListCode(get("source"));
  e->id = Trim(get("_id"));
  if (e->id.empty()) e->id = Trim(get("entity_number"));
  e->name = Trim(get("name"));
  if (e->id.empty()) e->id = HexId(get("source") + "|" + e->name + "|" + get("start_date"));
  e->type = ParseType(get("type"));
  for (auto& p : Split(get("programs"), ';')) e->programmes.push_back(p);
  e->fr_citation = Trim(get("federal_register_notice"));
  e->start_date = NormalizeDate(get("start_date"));
  e->end_date = NormalizeDate(get("end_date"));
  e->remarks = Trim(get("remarks"));
  return true;
}

}  // namespace

ImportResult ImportCslCsv(std::string_view text, const std::string& path,
                          const ListLoadOptions& options) {
  ImportResult out;
  csv::HeadedReader in(text, path);
  if (!ReadListHeader(in, &out, {"name", "source"}, "CSL header lacks 'source' or 'name'",
                      "expected the trade.gov CSL column layout")) {
    return out;
  }
  const csv::Header& header = in.header();
  csv::Record r;
  Diagnostic err;
  std::set<std::pair<std::string, std::string>> seen;
  for (csv::Reader::Step step; (step = in.Next(&r, &err)) != csv::Reader::Step::kEnd;) {
    if (step == csv::Reader::Step::kError) {  // malformed, or not one field per column
      out.errors.push_back(err);
      continue;
    }
    auto get = [&](std::string_view col) -> std::string { return std::string(in.Value(r, col)); };
    ListEntry e;
    FillCsl(get, &e);
    const int name_col = header.Index("name");
    if (!ValidName(e.name, options)) {
      out.errors.push_back(csv::FieldError(path, r, r.fields[name_col], "name",
                                           e.name.empty() ? "empty name" : "name too long"));
      continue;
    }
    const bool synthesized_id = Trim(get("_id")).empty() && Trim(get("entity_number")).empty();
    if (!seen.insert({e.list, e.id}).second) {
      if (!synthesized_id) {
        out.errors.push_back(
            csv::FieldError(path, r, r.fields[0], "_id", "duplicate entry " + e.list + " " + e.id));
        continue;
      }
      // The 2019 layout has no _id: BIS lists repeat a party once per address. Same source,
      // name and start date: the same party; its addresses are merged.
      for (auto& prev : out.entries) {
        if (prev.list != e.list || prev.id != e.id) continue;
        for (auto& a : Split(get("addresses"), ';')) {
          EntryAddress addr;
          addr.address = a;
          size_t comma = a.find_last_of(',');
          addr.country_name = Trim(comma == std::string::npos ? a : a.substr(comma + 1));
          addr.country = CountryCode(addr.country_name);
          AddCountry(&prev, addr.country);
          prev.addresses.push_back(std::move(addr));
        }
        break;
      }
      continue;
    }
    for (auto& a : Split(get("alt_names"), ';')) {
      std::string alias = CleanAlias(a);
      if (!ValidName(alias, options) || e.aliases.size() >= options.max_aliases_per_entry) continue;
      e.aliases.push_back(alias);
    }
    for (auto& a : Split(get("addresses"), ';')) {
      EntryAddress addr;
      addr.address = a;
      size_t comma = a.find_last_of(',');
      addr.country_name = Trim(comma == std::string::npos ? a : a.substr(comma + 1));
      addr.country = CountryCode(addr.country_name);
      AddCountry(&e, addr.country);
      e.addresses.push_back(std::move(addr));
    }
    for (const char* col : {"citizenships", "nationalities"}) {
      for (auto& c : Split(get(col), ';')) AddCountry(&e, CountryCode(c));
    }
    e.source_file = path;
    e.source_line = r.line;
    NoteDate(e.start_date, &out.date);
    out.entries.push_back(std::move(e));
  }
  return out;
}

ImportResult ImportCslJson(std::string_view text, const std::string& path,
                           const ListLoadOptions& options) {
  ImportResult out;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    Diagnostic d;
    d.file = path;
    d.message = "not valid JSON";
    d.hint = "expected the trade.gov CSL JSON: {\"results\": [...]} or an array";
    out.errors.push_back(d);
    return out;
  }
  const nlohmann::json* rows = &doc;
  if (doc.is_object() && doc.contains("results")) rows = &doc["results"];
  if (!rows->is_array()) {
    Diagnostic d;
    d.file = path;
    d.message = "no 'results' array";
    out.errors.push_back(d);
    return out;
  }
  auto str = [](const nlohmann::json& v) -> std::string {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return "";
  };
  std::set<std::pair<std::string, std::string>> seen;
  size_t index = 0;
  for (const auto& row : *rows) {
    ++index;
    auto record_error = [&](const std::string& field, const std::string& message) {
      Diagnostic d;
      d.file = path;
      d.field = field;
      d.message = "results[" + std::to_string(index - 1) + "]: " + message;
      out.errors.push_back(d);
    };
    if (!row.is_object()) {
      record_error("", "not an object");
      continue;
    }
    auto get = [&](std::string_view key) -> std::string {
      auto it = row.find(std::string(key));
      if (it == row.end()) return "";
      if (it->is_array()) {
        std::string joined;
        for (const auto& v : *it) {
          if (!joined.empty()) joined += ";";
          joined += str(v);
        }
        return joined;
      }
      return str(*it);
    };
    ListEntry e;
    FillCsl(get, &e);
    if (!ValidName(e.name, options)) {
      record_error("name", e.name.empty() ? "empty name" : "name too long");
      continue;
    }
    if (!seen.insert({e.list, e.id}).second) {
      record_error("id", "duplicate entry " + e.list + " " + e.id);
      continue;
    }
    if (auto it = row.find("alt_names"); it != row.end()) {
      std::vector<std::string> names;
      if (it->is_array()) {
        for (const auto& v : *it) names.push_back(str(v));
      } else {
        names = Split(str(*it), ';');
      }
      for (auto& a : names) {
        std::string alias = CleanAlias(a);
        if (ValidName(alias, options) && e.aliases.size() < options.max_aliases_per_entry) {
          e.aliases.push_back(alias);
        }
      }
    }
    if (auto it = row.find("addresses"); it != row.end() && it->is_array()) {
      for (const auto& a : *it) {
        EntryAddress addr;
        if (a.is_object()) {
          addr.address = str(a.value("address", nlohmann::json()));
          addr.city = str(a.value("city", nlohmann::json()));
          addr.country_name = str(a.value("country", nlohmann::json()));
        } else {
          addr.address = str(a);
          size_t comma = addr.address.find_last_of(',');
          addr.country_name =
              Trim(comma == std::string::npos ? addr.address : addr.address.substr(comma + 1));
        }
        addr.country = CountryCode(addr.country_name);
        AddCountry(&e, addr.country);
        e.addresses.push_back(std::move(addr));
      }
    }
    for (const char* col : {"citizenships", "nationalities"}) {
      for (auto& c : Split(get(col), ';')) AddCountry(&e, CountryCode(c));
    }
    e.source_file = path;
    e.source_line = 0;
    NoteDate(e.start_date, &out.date);
    out.entries.push_back(std::move(e));
  }
  return out;
}

ImportResult ImportBisDpl(std::string_view text, const std::string& path,
                          const ListLoadOptions& options) {
  ImportResult out;
  csv::Options copts;
  copts.delimiter = '\t';
  csv::HeadedReader in(text, path, copts);
  if (!ReadListHeader(in, &out, {"Name"}, "DPL header lacks 'Name'",
                      "expected \"Name\"\\t\"Street_Address\"\\t...")) {
    return out;
  }
  csv::Record r;
  Diagnostic err;
  std::map<std::string, size_t> by_name;
  for (csv::Reader::Step step; (step = in.Next(&r, &err)) != csv::Reader::Step::kEnd;) {
    if (step == csv::Reader::Step::kError) {  // malformed, or not one field per column
      out.errors.push_back(err);
      continue;
    }
    auto field = [&](std::string_view col) { return in.Column(r, col); };
    auto get = [&](std::string_view col) -> std::string { return Trim(in.Value(r, col)); };
    std::string name = get("Name");
    if (!ValidName(name, options)) {
      out.errors.push_back(csv::FieldError(path, r, *field("Name"), "Name",
                                           name.empty() ? "empty name" : "name too long"));
      continue;
    }
    std::string effective = NormalizeDate(get("Effective_Date"));
    std::string expiration = NormalizeDate(get("Expiration_Date"));
    std::string updated = NormalizeDate(get("Last_Update"));
    if (!updated.empty() && updated > "2100-12-31") {
      out.warnings.push_back(csv::FieldError(path, r, *field("Last_Update"), "Last_Update",
                                             "implausible date " + updated + " (ignored)"));
      updated.clear();
    }
    NoteDate(updated, &out.date);
    NoteDate(effective, &out.date);
    auto [it, inserted] = by_name.emplace(name, out.entries.size());
    if (inserted) {
      ListEntry e;
      e.list = "bis_dpl";
      e.id = "dpl-" + HexId(name);
      e.name = name;
      e.type = PartyType::kEntity;  // the DPL does not say; persons and firms share it
      e.programmes.push_back("EAR");
      e.start_date = effective;
      e.end_date = expiration;
      e.source_file = path;
      e.source_line = r.line;
      out.entries.push_back(std::move(e));
    }
    ListEntry& e = out.entries[it->second];
    EntryAddress a;
    a.address = get("Street_Address");
    a.city = get("City");
    std::string state = get("State"), postal = get("Postal_Code");
    if (!state.empty()) a.city += (a.city.empty() ? "" : ", ") + state;
    if (!postal.empty()) a.city += (a.city.empty() ? "" : " ") + postal;
    a.country_name = get("Country");
    a.country = CountryCode(a.country_name);
    AddCountry(&e, a.country);
    e.addresses.push_back(std::move(a));
    std::string fr = get("FR_Citation");
    if (!fr.empty() && e.fr_citation.find(fr) == std::string::npos) {
      e.fr_citation += (e.fr_citation.empty() ? "" : "; ") + fr;
    }
    if (!effective.empty() && (e.start_date.empty() || effective < e.start_date)) {
      e.start_date = effective;
    }
  }
  return out;
}

ImportResult ImportWatchList(std::string_view text, const std::string& path,
                             const ListLoadOptions& options) {
  ImportResult out;
  csv::HeadedReader in(text, path);
  if (!ReadListHeader(in, &out, {"name"}, "watch list header lacks 'name'",
                      "expected a header row such as name,country,id")) {
    return out;
  }
  const csv::Header& header = in.header();
  csv::Record r;
  Diagnostic err;
  std::set<std::pair<std::string, std::string>> seen;
  for (csv::Reader::Step step; (step = in.Next(&r, &err)) != csv::Reader::Step::kEnd;) {
    if (step == csv::Reader::Step::kError) {  // malformed, or not one field per column
      out.errors.push_back(err);
      continue;
    }
    auto get = [&](std::string_view col) -> std::string { return Trim(in.Value(r, col)); };
    ListEntry e;
    e.list = get("list").empty() ? "watchlist" : get("list");
    e.name = get("name");
    if (!ValidName(e.name, options)) {
      out.errors.push_back(csv::FieldError(path, r, r.fields[header.Index("name")], "name",
                                           e.name.empty() ? "empty name" : "name too long"));
      continue;
    }
    e.id = get("id").empty() ? "line-" + std::to_string(r.line) : get("id");
    if (!seen.insert({e.list, e.id}).second) {
      out.errors.push_back(RecordError(path, r, "duplicate id " + e.id));
      continue;
    }
    for (auto& a : Split(get("aliases"), ';')) {
      if (ValidName(a, options) && e.aliases.size() < options.max_aliases_per_entry) {
        e.aliases.push_back(a);
      }
    }
    e.type = ParseType(get("type"));
    std::string country = get("country");
    if (!country.empty()) {
      std::string code = CountryCode(country);
      if (code.empty()) {
        out.errors.push_back(csv::FieldError(path, r, r.fields[header.Index("country")], "country",
                                             "unknown country '" + country + "'",
                                             "expected an ISO 3166 alpha-2 code such as CN"));
        continue;
      }
      AddCountry(&e, code);
      e.addresses.push_back(EntryAddress{"", "", code, country});
    }
    for (auto& p : Split(get("programme"), ';')) e.programmes.push_back(p);
    e.source_file = path;
    e.source_line = r.line;
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace tollgate::screening
