// Fuzz target: the name normaliser (ICU, OpenCC, segmentation, legal forms) and the scorer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "screening/normalize.h"
#include "tollgate/screening.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto n = tollgate::screening::Normalizer::Default().Normalize(s);
  for (const auto& t : n.tokens) {
    if (t.text.empty()) __builtin_trap();  // tokens are never empty
  }
  // Split the input in two and score the halves against each other.
  size_t mid = size / 2;
  double score = tollgate::ScoreNamePair(s.substr(0, mid), s.substr(mid));
  if (!(score >= 0.0 && score <= 1.0)) __builtin_trap();
  return 0;
}
