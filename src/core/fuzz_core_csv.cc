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
    // The same input as a headed file: every record the reader returns has one field per
    // column, and errors (malformed or wrongly sized records) are located.
    tollgate::csv::HeadedReader h(in, "fuzz.csv", o);
    if (h.ReadHeader(&err) != tollgate::csv::Reader::Step::kRecord) continue;
    steps = 0;
    for (tollgate::csv::Reader::Step s;
         (s = h.Next(&rec, &err)) != tollgate::csv::Reader::Step::kEnd;) {
      if (s == tollgate::csv::Reader::Step::kError) {
        if (err.line < 1 || err.column < 1) abort();
        continue;
      }
      if (rec.fields.size() != h.header().size()) abort();
      for (const auto& name : h.header().names()) {
        if (h.Column(rec, name) == nullptr) abort();
        (void)h.Value(rec, name);
      }
      if (++steps > size + 2) abort();
    }
  }
  return 0;
}
