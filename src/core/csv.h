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

// Builds a diagnostic pointing at a field.
Diagnostic FieldError(const std::string& file, const Record& r, const Field& f,
                      std::string field_name, std::string message, std::string hint = "");

// Quotes a value for CSV output when needed.
std::string Escape(std::string_view v, char delimiter = ',');

}  // namespace tollgate::csv

#endif  // TOLLGATE_CORE_CSV_H_
