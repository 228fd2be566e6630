// Private to src/pipeline: the validation shared by the CSV and JSON Lines readers.
#ifndef TOLLGATE_PIPELINE_ORDER_H_
#define TOLLGATE_PIPELINE_ORDER_H_

#include <array>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tollgate/pipeline.h"

namespace tollgate::pipeline_internal {

struct RawField {
  bool present = false;
  std::string value;
  int column = 0;
};
using RawLine = std::array<RawField, kOrderFieldCount>;

// Validates one raw line. On success fills *out and returns true; otherwise appends one
// diagnostic per bad field to *errors and returns false.
bool ValidateOrderLine(const RawLine& raw, const std::string& file, int source_line,
                       const std::string& source_text, OrderLine* out,
                       std::vector<Diagnostic>* errors);

// Tracks (order_id, line) pairs; reports a duplicate on the later line.
class DuplicateChecker {
 public:
  // Returns false and appends a diagnostic when (order_id, line) was seen before.
  bool Add(const OrderLine& l, std::vector<Diagnostic>* errors);

 private:
  std::map<std::pair<std::string, int>, int> seen_;  // → source line of first occurrence
};

Diagnostic LineDiagnostic(const std::string& file, int line, int column,
                          const std::string& source_text, std::string message,
                          std::string hint = "");

}  // namespace tollgate::pipeline_internal

#endif  // TOLLGATE_PIPELINE_ORDER_H_
