// The exact party list used when no fuzzy screening index is given.
#include "core/csv.h"
#include "core/io.h"
#include "tollgate/pipeline.h"

namespace tollgate {

std::string ExactPartyList::Normalize(std::string_view name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

Result<ExactPartyList> ExactPartyList::Parse(std::string_view data, const std::string& file) {
  csv::HeadedReader in(data, file);
  csv::Record rec;
  Diagnostic derr;
  ExactPartyList list;
  std::vector<Diagnostic> errors;
  auto step = in.ReadHeader(&derr);
  if (step == csv::Reader::Step::kError)
    return Status::FromDiagnostic(StatusCode::kParseError, derr);
  const csv::Header& h = in.header();
  if (h.size() != 3 || h.Index("name") != 0 || h.Index("list") != 1 || h.Index("entry_id") != 2) {
    Diagnostic d;
    d.file = file;
    d.line = 1;
    d.column = 1;
    d.source_line = step == csv::Reader::Step::kRecord ? in.header_record().source_line : "";
    d.message = "unexpected party list header";
    d.hint = "expected the header name,list,entry_id";
    return Status::FromDiagnostic(StatusCode::kParseError, std::move(d));
  }
  while ((step = in.Next(&rec, &derr)) != csv::Reader::Step::kEnd) {
    if (step == csv::Reader::Step::kError) {  // malformed, or not 3 fields
      errors.push_back(derr);
      continue;
    }
    std::string key = Normalize(rec.fields[0].value);
    if (key.empty()) {
      errors.push_back(csv::FieldError(file, rec, rec.fields[0], "name", "empty party name",
                                       "expected the listed name"));
      continue;
    }
    if (rec.fields[1].value.empty()) {
      errors.push_back(csv::FieldError(file, rec, rec.fields[1], "list", "empty list name",
                                       "expected a list name such as bis_entity_list"));
      continue;
    }
    list.entries_.emplace(key,
                          Entry{rec.fields[0].value, rec.fields[1].value, rec.fields[2].value});
  }
  if (!errors.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(errors));
  return list;
}

Result<ExactPartyList> ExactPartyList::Load(const std::string& path) {
  TG_ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
  return Parse(data, path);
}

Result<std::vector<PartyHit>> ExactPartyList::Screen(std::string_view name, const Country&) const {
  std::vector<PartyHit> hits;
  auto [lo, hi] = entries_.equal_range(Normalize(name));
  for (auto it = lo; it != hi; ++it) {
    PartyHit h;
    h.list = it->second.list;
    h.entry_id = it->second.entry_id;
    h.name = it->second.name;
    h.score = 1.0;
    hits.push_back(std::move(h));
  }
  return hits;
}

}  // namespace tollgate
