// Fuzzes the CSV reader: any input must either yield records or located errors, never crash,
// and every error must point inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (char delim : {',', '|', '\t'}) {
    tollgate::csv::Options o;
    o.delimiter = delim;
    o.max_field_bytes = 4096;
    tollgate::csv::Reader r(in, "fuzz.csv", o);
    tollgate::csv::Record rec;
    tollgate::Diagnostic err;
    size_t steps = 0;
    while (true) {
      auto s = r.Next(&rec, &err);
      if (s == tollgate::csv::Reader::Step::kEnd) break;
      if (s == tollgate::csv::Reader::Step::kError && (err.line < 1 || err.column < 1)) abort();
      if (++steps > size + 2) abort();  // must always make progress
    }
  }
  return 0;
}
