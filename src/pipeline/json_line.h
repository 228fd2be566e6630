// Private to src/pipeline: a strict parser for one flat JSON object per line, keeping the
// column of every value and the exact text of numbers (so decimals stay exact). Nested
// objects and arrays are rejected: order lines are flat. No recursion, bounded by the line.
#ifndef TOLLGATE_PIPELINE_JSON_LINE_H_
#define TOLLGATE_PIPELINE_JSON_LINE_H_

#include <string>
#include <string_view>
#include <vector>

namespace tollgate::pipeline_internal {

struct JsonMember {
  enum class Kind { kString, kNumber, kNull, kTrue, kFalse };
  std::string key;
  int key_column = 0;  // 1-based byte column of the key's opening quote
  Kind kind = Kind::kNull;
  std::string text;  // decoded string, or the number exactly as written
  int column = 0;    // 1-based byte column of the value
};

struct JsonLineError {
  int column = 0;
  std::string message;
};

// Parses `line` (no newline). Returns false and fills *error on malformed input.
bool ParseFlatJsonObject(std::string_view line, std::vector<JsonMember>* members,
                         JsonLineError* error);

}  // namespace tollgate::pipeline_internal

#endif  // TOLLGATE_PIPELINE_JSON_LINE_H_
