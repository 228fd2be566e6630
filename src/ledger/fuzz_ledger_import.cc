// Fuzzes the two user-facing importers: decided lines as JSON Lines and licences as CSV.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tollgate/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tollgate::ImportOptions opt;
  opt.max_bytes = 1 << 20;
  opt.max_records = 1000;
  opt.max_line_bytes = 1 << 16;
  (void)tollgate::ParseDecidedLinesJsonl(text, "fuzz.jsonl", opt);
  (void)tollgate::ParseLicenceCsv(text, "fuzz.csv", opt);
  return 0;
}
