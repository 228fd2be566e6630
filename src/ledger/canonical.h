// A streaming writer of the ledger's canonical JSON (docs/ledger-format.md) for the hot path
// of recording lines: byte-identical to DumpCompact() of the nlohmann objects in codec.h
// (tested in codec_test.cc), several times faster. Members must be written in byte order of
// their keys; members whose value is "", [] or {} are dropped, as DumpCompact drops them.
// Internal to src/ledger.
#ifndef TOLLGATE_LEDGER_CANONICAL_H_
#define TOLLGATE_LEDGER_CANONICAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/ledger.h"

namespace tollgate::ledger {

class CanonicalWriter {
 public:
  // `replace_invalid`: write U+FFFD for each byte that starts no valid UTF-8 sequence
  // (format 2) instead of failing (format 1, whose reference encoder is nlohmann's).
  explicit CanonicalWriter(std::string* out, bool replace_invalid = false)
      : out_(out), replace_invalid_(replace_invalid) {}

  // False when a string was not valid UTF-8: the caller must fall back to DumpCompact
  // (which replaces invalid sequences), and discard this output.
  bool ok() const { return ok_; }

  void BeginObject();  // top level or array element
  void BeginObject(std::string_view key);
  void BeginArray(std::string_view key);
  void End();

  void String(std::string_view key, std::string_view v);  // dropped when empty
  void Int(std::string_view key, int64_t v);
  void Raw(std::string_view key, std::string_view json);  // pre-encoded value
  void ElementString(std::string_view v);                 // array element (kept if empty)

 private:
  struct Frame {
    size_t rollback;  // where the member began; npos for top level / array elements
    int parent_count;
    int count;
    bool array;
  };
  void Key(std::string_view key);
  void Element();
  void Quoted(std::string_view v);

  std::string* out_;
  std::vector<Frame> frames_;
  bool replace_invalid_ = false;
  bool ok_ = true;
};

// Canonical compact encodings of the hot-path records; each equals DumpCompact of the
// corresponding *ToJson in codec.h, or is empty when a string is not valid UTF-8.
std::string FastLineInput(const DecidedLine& l);
std::string FastDecision(const Decision& d);

// Payload formats 2 and 3 of line.recorded (docs/ledger-format.md): the input without
// input_json; the decision without order_id and line (the input's), its rules by id (their
// text lives in policy.rules events) unless `inline_rules`, and obligation cites left out
// where they equal their rule's. Format 3 also writes the decision's policy as its hash
// alone (name and version live in the policy.rules event) unless `inline_policy` or the hash
// is empty. Formats 2 and 3 replace invalid UTF-8 (never empty); format 1 = the functions
// above.
std::string EncodeLineInput(const DecidedLine& l, int format);  // formats 2, 3 never empty
std::string EncodeDecision(const Decision& d, int format, bool inline_rules,
                           bool inline_policy = true);
// One rule as stored in a policy.rules event (and inline in format 1 decisions).
std::string EncodeRule(const RuleMatch& r);

}  // namespace tollgate::ledger

#endif  // TOLLGATE_LEDGER_CANONICAL_H_
