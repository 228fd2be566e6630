#include "tollgate/status.h"

#include <nlohmann/json.hpp>

namespace tollgate {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kParseError:
      return "parse_error";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kIntegrityError:
      return "integrity_error";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

static std::string_view SeverityName(Diagnostic::Severity s) {
  switch (s) {
    case Diagnostic::Severity::kError:
      return "error";
    case Diagnostic::Severity::kWarning:
      return "warning";
    case Diagnostic::Severity::kNote:
      return "note";
  }
  return "error";
}

std::string Diagnostic::ToString() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    out += ": ";
  }
  out += SeverityName(severity);
  out += ": ";
  if (!field.empty()) out += "field '" + field + "': ";
  out += message;
  if (!source_line.empty()) {
    out += "\n  " + source_line;
    if (column > 0) {
      std::string caret(static_cast<size_t>(column - 1), ' ');
      // Keep tabs aligned with the source line.
      for (size_t i = 0; i < caret.size() && i < source_line.size(); ++i)
        if (source_line[i] == '\t') caret[i] = '\t';
      out += "\n  " + caret + "^";
    }
  }
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

std::string Diagnostic::ToJson() const {
  nlohmann::json j;
  j["severity"] = SeverityName(severity);
  j["file"] = file.empty() ? nlohmann::json() : nlohmann::json(file);
  j["line"] = line > 0 ? nlohmann::json(line) : nlohmann::json();
  j["column"] = column > 0 ? nlohmann::json(column) : nlohmann::json();
  j["field"] = field.empty() ? nlohmann::json() : nlohmann::json(field);
  j["message"] = message;
  j["hint"] = hint.empty() ? nlohmann::json() : nlohmann::json(hint);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status Status::FromDiagnostic(StatusCode code, Diagnostic d) {
  Status s(code, d.message);
  s.diagnostics_.push_back(std::move(d));
  return s;
}

Status Status::FromDiagnostics(StatusCode code, std::vector<Diagnostic> ds) {
  Status s(code, ds.empty()
                     ? std::string("error")
                     : (ds.size() == 1 ? ds[0].message : std::to_string(ds.size()) + " errors"));
  s.diagnostics_ = std::move(ds);
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  if (diagnostics_.empty()) return message_;
  std::string out;
  if (diagnostics_.size() > 1) out = message_ + "\n";
  for (size_t i = 0; i < diagnostics_.size(); ++i) {
    if (i) out += "\n";
    out += diagnostics_[i].ToString();
  }
  return out;
}

}  // namespace tollgate
