// Fuzz target: the OFAC SDN importer (sdn.csv with alt.csv / add.csv from the same input).
#include <cstddef>
#include <cstdint>
#include <string>

#include "screening/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The input is split at the first two form feeds into sdn.csv, alt.csv and add.csv.
  tollgate::screening::OfacFiles f;
  size_t a = text.find('\f');
  size_t b = a == std::string::npos ? std::string::npos : text.find('\f', a + 1);
  f.main_path = "sdn.csv";
  f.main_text = text.substr(0, a);
  if (a != std::string::npos) {
    f.alt_path = "alt.csv";
    f.alt_text = text.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  }
  if (b != std::string::npos) {
    f.add_path = "add.csv";
    f.add_text = text.substr(b + 1);
  }
  auto r = tollgate::screening::ImportOfac(f, "ofac_sdn", tollgate::ListLoadOptions{});
  for (const auto& e : r.entries) {
    if (e.name.empty() || e.id.empty()) __builtin_trap();
  }
  return 0;
}
