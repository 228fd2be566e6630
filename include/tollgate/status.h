// Status, Result<T> and Diagnostic: how every Tollgate module reports expected failures.
//
// Expected failures (bad input, missing files, conflicts) are values, never exceptions.
// Bugs are asserts. No exception crosses a module boundary: adapters around third-party
// libraries catch and convert.
//
// Thread-safety: all types here are values; distinct objects may be used from distinct
// threads freely.
#ifndef TOLLGATE_STATUS_H_
#define TOLLGATE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tollgate {

// Error categories. Each maps to a process exit code in the CLI (see docs/cli.md).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from the user: flags, values, files (exit 2)
  kNotFound,            // unknown item, file, id (exit 2)
  kParseError,          // a file that does not parse (exit 2)
  kFailedPrecondition,  // state forbids the operation, e.g. a licence balance (exit 4)
  kConflict,            // concurrent modification, duplicate with different content (exit 4)
  kIoError,             // file system or database failure (exit 3)
  kIntegrityError,      // ledger chain does not verify (exit 5)
  kResourceExhausted,   // a configured limit was hit (exit 2)
  kInternal,            // a bug; should never happen (exit 70)
};

std::string_view StatusCodeName(StatusCode code);

// A located message: file:line:col, the offending source line and a caret, plus a hint.
// line/column are 1-based; 0 means "not known" and is not printed.
struct Diagnostic {
  enum class Severity { kError, kWarning, kNote };
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string source_line;  // the text of the offending line, without newline; may be empty
  std::string hint;         // optional "expected ..." advice
  std::string field;        // optional field/column name (CSV inputs)

  // "file:line:col: error: message\n  source\n  ^\n  hint: ..." (only the parts known).
  std::string ToString() const;
  // The same as a JSON object: {"file":..., "line":..., "column":..., "severity":...,
  // "message":..., "field":..., "hint":...}.
  std::string ToJson() const;
};

// A Status is OK or carries a code, a message and any number of diagnostics.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }
  static Status FromDiagnostic(StatusCode code, Diagnostic d);
  static Status FromDiagnostics(StatusCode code, std::vector<Diagnostic> ds);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  // Message followed by every diagnostic, one per block.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<Diagnostic> diagnostics_;
};

inline Status InvalidArgument(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status IoError(std::string m) { return Status(StatusCode::kIoError, std::move(m)); }
inline Status ParseError(std::string m) { return Status(StatusCode::kParseError, std::move(m)); }
inline Status FailedPrecondition(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status Conflict(std::string m) { return Status(StatusCode::kConflict, std::move(m)); }
inline Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }
inline Status ResourceExhausted(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}

// Result<T>: a T or a non-OK Status. Accessing value() of an error is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result constructed from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tollgate

// Propagation helpers, in the style of absl's RETURN_IF_ERROR / ASSIGN_OR_RETURN.
#define TG_CONCAT_INNER_(a, b) a##b
#define TG_CONCAT_(a, b) TG_CONCAT_INNER_(a, b)
#define TG_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::tollgate::Status tg_status_ = (expr);  \
    if (!tg_status_.ok()) return tg_status_; \
  } while (0)
#define TG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
#define TG_ASSIGN_OR_RETURN(lhs, expr) \
  TG_ASSIGN_OR_RETURN_IMPL_(TG_CONCAT_(tg_result_, __LINE__), lhs, expr)

#endif  // TOLLGATE_STATUS_H_
