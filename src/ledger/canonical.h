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
  explicit CanonicalWriter(std::string* out) : out_(out) {}

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
  bool ok_ = true;
};

// Canonical compact encodings of the hot-path records; each equals DumpCompact of the
// corresponding *ToJson in codec.h, or is empty when a string is not valid UTF-8.
std::string FastLineInput(const DecidedLine& l);
std::string FastDecision(const Decision& d);

}  // namespace tollgate::ledger

#endif  // TOLLGATE_LEDGER_CANONICAL_H_
