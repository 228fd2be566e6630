#include "core/csv.h"

namespace tollgate::csv {

Reader::Reader(std::string_view data, std::string file, Options options)
    : data_(data), file_(std::move(file)), options_(options) {
  if (data_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;
}

std::string_view Reader::LineAt(size_t start) const {
  size_t end = data_.find('\n', start);
  if (end == std::string_view::npos) end = data_.size();
  std::string_view l = data_.substr(start, end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

Reader::Step Reader::Next(Record* rec, Diagnostic* err) {
  rec->fields.clear();
  // Skip blank lines.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }
  if (pos_ >= data_.size()) return Step::kEnd;
  rec->line = line_;
  rec->source_line = std::string(LineAt(line_start_));
  const size_t rec_line_start = line_start_;

  auto fail = [&](int line, int col, std::string msg, std::string hint) {
    err->severity = Diagnostic::Severity::kError;
    err->file = file_;
    err->line = line;
    err->column = col;
    err->message = std::move(msg);
    err->hint = std::move(hint);
    err->field.clear();
    err->source_line = std::string(LineAt(rec_line_start));
    // Resynchronise: skip to the start of the next line after the current position.
    size_t nl = data_.find('\n', pos_);
    if (nl == std::string_view::npos) {
      pos_ = data_.size();
    } else {
      pos_ = nl + 1;
      ++line_;
      line_start_ = pos_;
    }
    return Step::kError;
  };

  while (true) {
    Field f;
    f.line = line_;
    f.column = static_cast<int>(pos_ - line_start_) + 1;
    if (pos_ < data_.size() && data_[pos_] == '"') {
      const int qline = line_, qcol = f.column;
      ++pos_;
      while (true) {
        if (pos_ >= data_.size())
          return fail(qline, qcol, "unterminated quoted field",
                      "close the quote with \" (write \"\" for a literal quote)");
        char c = data_[pos_];
        if (c == '"') {
          if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
            f.value.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n') {
          ++line_;
          line_start_ = pos_ + 1;
        }
        f.value.push_back(c);
        ++pos_;
        if (f.value.size() > options_.max_field_bytes)
          return fail(qline, qcol,
                      "field longer than " + std::to_string(options_.max_field_bytes) + " bytes",
                      "");
      }
      // After the closing quote: delimiter, end of line or end of data.
      if (pos_ < data_.size() && data_[pos_] != options_.delimiter && data_[pos_] != '\n' &&
          data_[pos_] != '\r')
        return fail(line_, static_cast<int>(pos_ - line_start_) + 1,
                    "unexpected character after closing quote",
                    "a quoted field must be followed by a delimiter or end of line");
    } else {
      while (pos_ < data_.size()) {
        char c = data_[pos_];
        if (c == options_.delimiter || c == '\n' || c == '\r') break;
        if (c == '"' && options_.delimiter != '|' && options_.delimiter != '\t')
          return fail(line_, static_cast<int>(pos_ - line_start_) + 1,
                      "stray quote in unquoted field",
                      "quote the whole field and double the inner quote (\"\")");
        f.value.push_back(c);
        ++pos_;
        if (f.value.size() > options_.max_field_bytes)
          return fail(f.line, f.column,
                      "field longer than " + std::to_string(options_.max_field_bytes) + " bytes",
                      "");
      }
    }
    rec->fields.push_back(std::move(f));
    if (rec->fields.size() > options_.max_fields)
      return fail(rec->line, 1,
                  "record has more than " + std::to_string(options_.max_fields) + " fields", "");
    if (pos_ >= data_.size()) return Step::kRecord;
    char c = data_[pos_];
    if (c == options_.delimiter) {
      ++pos_;
      continue;
    }
    // End of record.
    if (c == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') {
      ++pos_;
      ++line_;
      line_start_ = pos_;
    }
    return Step::kRecord;
  }
}

static std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

Header::Header(const Record& r) {
  for (size_t i = 0; i < r.fields.size(); ++i) {
    std::string n = Trim(r.fields[i].value);
    if (i == 0 && n.rfind("\xEF\xBB\xBF", 0) == 0) n = n.substr(3);
    index_.emplace(n, static_cast<int>(i));
    names_.push_back(std::move(n));
  }
}

int Header::Index(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : it->second;
}

HeadedReader::HeadedReader(std::string_view data, std::string file, Options options)
    : reader_(data, std::move(file), options), delimiter_(options.delimiter) {}

Reader::Step HeadedReader::ReadHeader(Diagnostic* error) {
  Reader::Step step = reader_.Next(&header_record_, error);
  if (step == Reader::Step::kRecord) header_ = Header(header_record_);
  return step;
}

Reader::Step HeadedReader::Next(Record* record, Diagnostic* error) {
  Reader::Step step = reader_.Next(record, error);
  if (step != Reader::Step::kRecord || record->fields.size() == header_.size()) return step;
  *error = RecordError(reader_.file(), *record);
  error->message = "expected " + std::to_string(header_.size()) +
                   (delimiter_ == '\t' ? " tab-separated" : "") + " fields, got " +
                   std::to_string(record->fields.size());
  std::string names;
  for (const auto& n : header_.names()) {
    if (!names.empty()) names += delimiter_ == '\t' ? "<TAB>" : std::string(1, delimiter_);
    names += n;
  }
  error->hint = "the header (line " + std::to_string(header_record_.line) + ") is " + names;
  return Reader::Step::kError;
}

const Field* HeadedReader::Column(const Record& r, std::string_view name) const {
  const int i = header_.Index(name);
  return i < 0 || static_cast<size_t>(i) >= r.fields.size() ? nullptr : &r.fields[i];
}

std::string_view HeadedReader::Value(const Record& r, std::string_view name) const {
  const Field* f = Column(r, name);
  return f ? std::string_view(f->value) : std::string_view();
}

Diagnostic RecordError(const std::string& file, const Record& r) {
  Diagnostic d;
  d.file = file;
  d.line = r.line;
  d.column = 1;
  d.source_line = r.source_line;
  return d;
}

Diagnostic FieldError(const std::string& file, const Record& r, const Field& f,
                      std::string field_name, std::string message, std::string hint) {
  Diagnostic d;
  d.file = file;
  d.line = f.line ? f.line : r.line;
  d.column = f.column;
  d.field = std::move(field_name);
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.source_line = f.line == r.line || f.line == 0 ? r.source_line : std::string();
  return d;
}

std::string Escape(std::string_view v, char delimiter) {
  bool need = v.find_first_of(std::string{'"', '\n', '\r', delimiter}) != std::string_view::npos;
  if (!need) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace tollgate::csv
