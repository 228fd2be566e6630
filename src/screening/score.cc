#include "screening/score.h"

#include <algorithm>
#include <cmath>

#include "screening/similarity.h"

namespace tollgate::screening {

float TokenWeight(TokenKind kind, float factor, double rarity) {
  switch (kind) {
    case TokenKind::kInitial:
      return static_cast<float>(kInitialWeight);
    case TokenKind::kNumber:
      return static_cast<float>(kNumberWeight);
    case TokenKind::kGeneric:
      return static_cast<float>(factor * rarity);
    case TokenKind::kWord:
      break;
  }
  return static_cast<float>(rarity);
}

bool IsAnchor(TokenKind kind, const std::string& text) {
  if (kind == TokenKind::kInitial) return false;
  return text.size() >= 2 || kind == TokenKind::kNumber;
}

double TokenSimilarity(const RepToken& a, const RepToken& b) {
  if (a.text == b.text) return 1.0;
  if (a.kind == TokenKind::kNumber || b.kind == TokenKind::kNumber) return 0.0;
  if (a.kind == TokenKind::kInitial || b.kind == TokenKind::kInitial) {
    if (a.kind == TokenKind::kInitial && b.kind == TokenKind::kInitial) return 0.0;
    return a.text[0] == b.text[0] ? kInitialSimilarity : 0.0;
  }
  if (a.text.size() < 3 || b.text.size() < 3) return 0.0;
  // Related(a, b), with the phonetic keys precomputed.
  if (!ShareDeleteKey(a.text, b.text) && (a.phonetic.empty() || a.phonetic != b.phonetic)) {
    return 0.0;
  }
  const double jw = JaroWinkler(a.text, b.text);
  return jw >= kMinTokenSimilarity ? jw : 0.0;
}

bool LegalFormsAgree(const std::vector<LegalForm>& a, const std::vector<LegalForm>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x.compare == y.compare) return true;
      if (!x.generic.empty() && x.generic == y.generic) return true;
    }
  }
  return false;
}

double CombineCoverage(double coverage_q, double coverage_e) {
  const double uq = 1.0 - coverage_q, ue = 1.0 - coverage_e;
  return std::max(0.0, 1.0 - std::min(uq, ue) - kOneSidedPenalty * std::max(uq, ue));
}

double ScorePair(const NameRep& q, const NameRep& e, std::vector<TokenMatch>* matches) {
  if (matches) matches->clear();
  const bool joined_equal = !q.joined.empty() && q.joined == e.joined;
  struct Pair {
    double sim;
    int i, j;
  };
  Pair small[64];
  std::vector<Pair> big;
  Pair* pairs = small;
  size_t n = 0;
  const size_t max_pairs = q.tokens.size() * e.tokens.size();
  if (max_pairs > 64) {
    big.resize(max_pairs);
    pairs = big.data();
  }
  for (size_t i = 0; i < q.tokens.size(); ++i) {
    for (size_t j = 0; j < e.tokens.size(); ++j) {
      const double s = TokenSimilarity(q.tokens[i], e.tokens[j]);
      if (s > 0) pairs[n++] = Pair{s, static_cast<int>(i), static_cast<int>(j)};
    }
  }
  std::sort(pairs, pairs + n, [](const Pair& a, const Pair& b) {
    if (a.sim != b.sim) return a.sim > b.sim;
    if (a.i != b.i) return a.i < b.i;
    return a.j < b.j;
  });
  uint64_t used_q = 0, used_e = 0;
  bool anchor = false;
  int matched_anchors = 0;
  double num_q = 0, num_e = 0;
  for (size_t k = 0; k < n; ++k) {
    const Pair& p = pairs[k];
    const uint64_t bq = uint64_t{1} << p.i, be = uint64_t{1} << p.j;
    if ((used_q & bq) || (used_e & be)) continue;
    used_q |= bq;
    used_e |= be;
    const RepToken& a = q.tokens[p.i];
    const RepToken& b = e.tokens[p.j];
    anchor = anchor || (a.anchor && b.anchor);
    if (a.anchor && b.anchor) ++matched_anchors;
    num_q += p.sim * a.weight;
    num_e += p.sim * b.weight;
    if (matches) matches->push_back(TokenMatch{a.text, b.text, p.sim});
  }
  if (!anchor && !joined_equal) {
    if (matches) matches->clear();
    return 0.0;
  }
  double wq = q.total_weight, we = e.total_weight;
  if (!q.legal.empty() && !e.legal.empty()) {
    wq += kLegalWeight;
    we += kLegalWeight;
    if (LegalFormsAgree(q.legal, e.legal)) {
      num_q += kLegalWeight;
      num_e += kLegalWeight;
    }
  }
  double score = 0;
  if (wq > 0 && we > 0) {
    const double cq = std::min(1.0, num_q / wq);
    const double ce = std::min(1.0, num_e / we);
    score = CombineCoverage(cq, ce);
    // One matched distinctive token against a longer name is weak evidence: extra tokens on
    // the other side then cost more (never more lenient than CombineCoverage, which the
    // index uses as its upper bound).
    if (matched_anchors < 2) {
      const double uq = 1.0 - cq, ue = 1.0 - ce;
      score = std::max(0.0, 1.0 - std::min(uq, ue) - kSingleTokenPenalty * std::max(uq, ue));
    }
  }
  if (joined_equal) score = std::max(score, kJoinedScore);
  return std::min(1.0, score);
}

}  // namespace tollgate::screening
