// Fuzz target: the watch-list CSV importer; every entry it keeps has a name and an id, and
// building an index over them and screening one of them must not crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "screening/importers.h"
#include "tollgate/screening.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = tollgate::screening::ImportWatchList(text, "fuzz", tollgate::ListLoadOptions{});
  for (const auto& e : r.entries) {
    if (e.name.empty() || e.id.empty()) __builtin_trap();
  }
  if (!r.entries.empty() && r.entries.size() < 50) {
    std::string first = r.entries[0].name;
    auto index = tollgate::ListIndex::FromEntries(std::move(r.entries));
    (void)index.Screen(first, "CN");
  }
  return 0;
}
