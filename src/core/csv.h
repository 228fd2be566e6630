// An RFC 4180 CSV reader that remembers where every field came from, so importers can
// report file:line:column for a bad value. Internal to Tollgate (not a public header).
//
// Handles: quoted fields with "" escapes and embedded newlines, CRLF or LF line ends, a
// UTF-8 byte-order mark, a custom delimiter (e.g. '|' or '\t'). A malformed record (an
// unterminated quote, a stray quote in an unquoted field) is reported and skipped; the
// reader resynchronises at the next line so the rest of the file still loads.
#ifndef TOLLGATE_CORE_CSV_H_
#define TOLLGATE_CORE_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tollgate/status.h"

namespace tollgate::csv {

struct Field {
  std::string value;
  int line = 0;    // 1-based line where the field starts
  int column = 0;  // 1-based byte column where the field starts
};

struct Record {
  std::vector<Field> fields;
  int line = 0;             // line where the record starts
  std::string source_line;  // text of that first line (for diagnostics)
};

struct Options {
  char delimiter = ',';
  size_t max_field_bytes = 1 << 20;  // a longer field is an error
  size_t max_fields = 4096;          // per record
};

class Reader {
 public:
  // `data` must outlive the reader. `file` is used in diagnostics only.
  Reader(std::string_view data, std::string file, Options options = {});

  enum class Step { kRecord, kEnd, kError };
  // Reads the next record. On kError, *error describes it and the reader has skipped to
  // the start of the next line. Blank lines are skipped.
  Step Next(Record* record, Diagnostic* error);

  const std::string& file() const { return file_; }

 private:
  std::string_view data_;
  std::string file_;
  Options options_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  std::string_view LineAt(size_t start) const;
};

// Maps header names to column indices. Lookups are exact (after trimming spaces and a
// UTF-8 BOM on the first name).
class Header {
 public:
  Header() = default;
  explicit Header(const Record& r);
  // -1 if absent.
  int Index(std::string_view name) const;
  size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, int> index_;
};

// A diagnostic located at the start of a record (column 1, with its source line); the caller
// sets message and hint.
Diagnostic RecordError(const std::string& file, const Record& r);

// A CSV file whose first record is a header naming the columns. Data records must have as
// many fields as the header; a record that does not, like a malformed one, comes back as
// kError with a located diagnostic, so that a caller can report every bad record and go on.
//
//   csv::HeadedReader in(text, path);
//   if (in.ReadHeader(&err) != csv::Reader::Step::kRecord) ...;  // empty or malformed
//   if (in.header().Index("name") < 0) ...;                     // the caller's own checks
//   while ((step = in.Next(&rec, &err)) != csv::Reader::Step::kEnd) {
//     if (step == csv::Reader::Step::kError) { errors.push_back(err); continue; }
//     std::string_view name = in.Value(rec, "name");
//   }
class HeadedReader {
 public:
  // `data` must outlive the reader.
  HeadedReader(std::string_view data, std::string file, Options options = {});

  // Reads the header: kRecord, kEnd (no records at all) or kError (*error says why).
  Reader::Step ReadHeader(Diagnostic* error);
  // Reads the next data record (ReadHeader first). kError for a malformed record and for
  // one whose number of fields is not the header's ("expected N fields, got M", the hint
  // names the columns); the reader goes on with the next record either way.
  Reader::Step Next(Record* record, Diagnostic* error);

  const Header& header() const { return header_; }
  const Record& header_record() const { return header_record_; }
  const std::string& file() const { return reader_.file(); }
  // The field of column `name` in `r` (read by Next); nullptr when there is no such column.
  const Field* Column(const Record& r, std::string_view name) const;
  // Its value, or "" when there is no such column.
  std::string_view Value(const Record& r, std::string_view name) const;

 private:
  Reader reader_;
  char delimiter_;
  Header header_;
  Record header_record_;
};

// Builds a diagnostic pointing at a field.
Diagnostic FieldError(const std::string& file, const Record& r, const Field& f,
                      std::string field_name, std::string message, std::string hint = "");

// Quotes a value for CSV output when needed.
std::string Escape(std::string_view v, char delimiter = ',');

}  // namespace tollgate::csv

#endif  // TOLLGATE_CORE_CSV_H_
