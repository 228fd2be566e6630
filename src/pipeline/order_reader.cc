// CSV and JSON Lines readers for order lines.
#include <algorithm>
#include <string>

#include "core/csv.h"
#include "core/io.h"
#include "pipeline/json_line.h"
#include "pipeline/order.h"
#include "tollgate/pipeline.h"

namespace tollgate {

using pipeline_internal::DuplicateChecker;
using pipeline_internal::LineDiagnostic;
using pipeline_internal::RawLine;

namespace {

Status TooManyLines(const std::string& file, int line, size_t max_lines) {
  Diagnostic d;
  d.file = file;
  d.line = line;
  d.message = "too many order lines: more than " + std::to_string(max_lines);
  d.hint = "split the file or raise OrderReadOptions::max_lines";
  return Status::FromDiagnostic(StatusCode::kResourceExhausted, std::move(d));
}

std::string LineTooLong(size_t bytes, size_t limit) {
  return "order line too long: " + std::to_string(bytes) + " bytes (limit " +
         std::to_string(limit) + ")";
}

}  // namespace

Result<OrderBatch> ReadOrdersCsv(std::string_view data, const std::string& file,
                                 const OrderReadOptions& options) {
  csv::Options copts;
  copts.max_field_bytes = options.max_field_bytes;
  copts.max_fields = kOrderFieldCount + 16;
  csv::Reader reader(data, file, copts);
  csv::Record rec;
  Diagnostic derr;
  OrderBatch batch;
  // Header: must be exactly the documented one.
  auto step = reader.Next(&rec, &derr);
  if (step == csv::Reader::Step::kEnd) {
    return Status::FromDiagnostic(
        StatusCode::kParseError,
        LineDiagnostic(file, 1, 1, "", "empty order file: missing the header line",
                       "expected the header " + std::string(OrderCsvHeader())));
  }
  if (step == csv::Reader::Step::kError)
    return Status::FromDiagnostic(StatusCode::kParseError, derr);
  {
    csv::Header header(rec);
    std::string got;
    for (size_t i = 0; i < header.names().size(); ++i) {
      if (i) got += ',';
      got += header.names()[i];
    }
    if (got != OrderCsvHeader()) {
      // Point at the first differing column.
      const size_t n = std::max(header.names().size(), static_cast<size_t>(kOrderFieldCount));
      int col = static_cast<int>(rec.source_line.size()) + 1;
      for (size_t i = 0; i < n; ++i) {
        if (i >= header.names().size() || i >= static_cast<size_t>(kOrderFieldCount) ||
            header.names()[i] != OrderFieldName(static_cast<OrderField>(i))) {
          if (i < rec.fields.size()) col = rec.fields[i].column;
          break;
        }
      }
      return Status::FromDiagnostic(
          StatusCode::kParseError,
          LineDiagnostic(file, rec.line, col, rec.source_line, "unexpected order file header",
                         "expected the header " + std::string(OrderCsvHeader())));
    }
  }
  DuplicateChecker dups;
  size_t count = 0;
  while (true) {
    step = reader.Next(&rec, &derr);
    if (step == csv::Reader::Step::kEnd) break;
    if (++count > options.max_lines)
      return TooManyLines(file, step == csv::Reader::Step::kRecord ? rec.line : derr.line,
                          options.max_lines);
    if (step == csv::Reader::Step::kError) {
      batch.errors.push_back(derr);
      continue;
    }
    size_t bytes = rec.fields.empty() ? 0 : rec.fields.size() - 1;
    for (const auto& f : rec.fields) bytes += f.value.size();
    if (bytes > options.max_line_bytes) {
      std::string shown = rec.source_line.substr(0, 80);
      batch.errors.push_back(LineDiagnostic(file, rec.line, 1, shown,
                                            LineTooLong(bytes, options.max_line_bytes),
                                            "split the line or raise max_line_bytes"));
      continue;
    }
    if (rec.fields.size() != static_cast<size_t>(kOrderFieldCount)) {
      int col = rec.fields.size() > static_cast<size_t>(kOrderFieldCount)
                    ? rec.fields[static_cast<size_t>(kOrderFieldCount)].column
                    : static_cast<int>(rec.source_line.size()) + 1;
      batch.errors.push_back(LineDiagnostic(
          file, rec.line, col, rec.source_line,
          "wrong number of fields: " + std::to_string(rec.fields.size()),
          "expected " + std::to_string(kOrderFieldCount) + " fields as in the header"));
      continue;
    }
    RawLine raw;
    for (int i = 0; i < kOrderFieldCount; ++i) {
      const auto& f = rec.fields[static_cast<size_t>(i)];
      raw[static_cast<size_t>(i)] = {true, f.value, f.column};
    }
    OrderLine line;
    if (!pipeline_internal::ValidateOrderLine(raw, file, rec.line, rec.source_line, &line,
                                              &batch.errors))
      continue;
    if (!dups.Add(line, &batch.errors)) continue;
    batch.lines.push_back(std::move(line));
  }
  return batch;
}

Result<OrderBatch> ReadOrdersJsonl(std::string_view data, const std::string& file,
                                   const OrderReadOptions& options) {
  OrderBatch batch;
  DuplicateChecker dups;
  size_t pos = 0, count = 0;
  int line_no = 0;
  if (data.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    std::string_view text = data.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (++count > options.max_lines) return TooManyLines(file, line_no, options.max_lines);
    if (text.size() > options.max_line_bytes) {
      batch.errors.push_back(LineDiagnostic(file, line_no, 1, std::string(text.substr(0, 80)),
                                            LineTooLong(text.size(), options.max_line_bytes),
                                            "split the line or raise max_line_bytes"));
      continue;
    }
    const std::string source(text);
    std::vector<pipeline_internal::JsonMember> members;
    pipeline_internal::JsonLineError jerr;
    if (!pipeline_internal::ParseFlatJsonObject(text, &members, &jerr)) {
      batch.errors.push_back(LineDiagnostic(file, line_no, jerr.column, source,
                                            "malformed JSON: " + jerr.message,
                                            "expected one flat JSON object per line"));
      continue;
    }
    RawLine raw;
    bool bad = false;
    for (const auto& m : members) {
      int idx = -1;
      for (int i = 0; i < kOrderFieldCount; ++i)
        if (OrderFieldName(static_cast<OrderField>(i)) == m.key) idx = i;
      if (idx < 0) {
        auto d =
            LineDiagnostic(file, line_no, m.key_column, source, "unknown field '" + m.key + "'",
                           "expected only the fields " + std::string(OrderCsvHeader()));
        batch.errors.push_back(std::move(d));
        bad = true;
        continue;
      }
      auto& rf = raw[static_cast<size_t>(idx)];
      if (rf.present) {
        auto d = LineDiagnostic(file, line_no, m.key_column, source,
                                "duplicate field '" + m.key + "'", "expected each field once");
        d.field = m.key;
        batch.errors.push_back(std::move(d));
        bad = true;
        continue;
      }
      if (m.kind == pipeline_internal::JsonMember::Kind::kTrue ||
          m.kind == pipeline_internal::JsonMember::Kind::kFalse) {
        auto d = LineDiagnostic(file, line_no, m.column, source,
                                "unexpected boolean for '" + m.key + "'",
                                "expected a string or a number");
        d.field = m.key;
        batch.errors.push_back(std::move(d));
        bad = true;
        continue;
      }
      rf.present = true;
      rf.value = m.kind == pipeline_internal::JsonMember::Kind::kNull ? "" : m.text;
      rf.column = m.column;
    }
    if (bad) continue;
    // Missing keys: the optional ones may be absent; required ones are reported by the
    // validator as "missing ..." pointing at the start of the object.
    for (auto& rf : raw)
      if (!rf.present) rf.column = 1;
    OrderLine line;
    if (!pipeline_internal::ValidateOrderLine(raw, file, line_no, source, &line, &batch.errors))
      continue;
    if (!dups.Add(line, &batch.errors)) continue;
    batch.lines.push_back(std::move(line));
  }
  return batch;
}

Result<OrderBatch> ReadOrdersFile(const std::string& path, const OrderReadOptions& options) {
  TG_ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json"))
    return ReadOrdersJsonl(data, path, options);
  return ReadOrdersCsv(data, path, options);
}

}  // namespace tollgate
