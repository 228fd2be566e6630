// libFuzzer target: the JSON Lines order reader (and its flat JSON parser) must never crash,
// hang or read out of bounds; accepted lines hold valid values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tollgate/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tollgate::OrderReadOptions options;
  options.max_lines = 1000;
  options.max_line_bytes = 4096;
  auto batch = tollgate::ReadOrdersJsonl(text, "fuzz.jsonl", options);
  if (!batch.ok()) return 0;
  for (const auto& line : batch->lines) {
    auto sale = line.SaleValue();
    if (!sale || line.quantity < 0 || line.line < 1) __builtin_trap();
    (void)sale->RoundedToMinor();
  }
  for (const auto& d : batch->errors) (void)d.ToString();
  return 0;
}
