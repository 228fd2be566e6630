// libFuzzer target: the Epoch AI CSV importer (lenient and strict).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tollgate/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  tollgate::EpochImportOptions opts;
  opts.limits.max_rows = 1000;
  auto lenient = tollgate::ImportEpochCsv(text, "fuzz.csv", opts);
  opts.strict = true;
  auto strict = tollgate::ImportEpochCsv(text, "fuzz.csv", opts);
  if (lenient.ok()) {
    if (lenient->chips.size() + lenient->rows_skipped != lenient->rows_read) std::abort();
    // Strict succeeds exactly when lenient reported no error.
    bool errors = false;
    for (const auto& d : lenient->diagnostics)
      errors |= d.severity == tollgate::Diagnostic::Severity::kError;
    if (strict.ok() == errors) std::abort();
    // Every imported chip must be writable and readable as a catalog.
    auto back = tollgate::ParseCatalogCsv(tollgate::WriteCatalogCsv(lenient->chips), "w.csv");
    if (!back.ok() || back->size() != lenient->chips.size()) std::abort();
  }
  return 0;
}
