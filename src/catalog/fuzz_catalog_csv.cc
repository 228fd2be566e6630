// libFuzzer target: the catalog CSV parser, Catalog validation and the writer round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tollgate/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  tollgate::CatalogOptions opts;
  opts.max_rows = 1000;
  auto chips = tollgate::ParseCatalogCsv(text, "fuzz.csv", opts);
  if (!chips.ok()) return 0;
  // What parsed must write and parse back to the same chips.
  std::string written = tollgate::WriteCatalogCsv(*chips);
  auto again = tollgate::ParseCatalogCsv(written, "fuzz2.csv", opts);
  if (!again.ok() || again->size() != chips->size()) std::abort();
  for (size_t i = 0; i < chips->size(); ++i) {
    tollgate::Chip a = (*chips)[i], b = (*again)[i];
    a.origin.clear();
    b.origin.clear();
    if (!(a == b)) std::abort();
  }
  auto cat = tollgate::Catalog::FromChips(std::move(*chips), opts);
  if (cat.ok() && !cat->chips().empty()) {
    (void)cat->Find(cat->chips()[0].id);
    (void)cat->Find(cat->chips()[0].model);
  }
  (void)tollgate::ChipFromSpecs(text.substr(0, 512));
  return 0;
}
