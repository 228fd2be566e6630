// The name scorer shared by the index and the brute-force scan. Internal.
//
// A name is a list of weighted tokens plus its legal forms. Two names are aligned token by
// token (greedy, best similarity first, each token used once); the score combines the weighted
// share of the query that matched (coverage_q) and of the entry name that matched
// (coverage_e): score = 1 - min(uq, ue) - 0.35 * max(uq, ue), with uq = 1 - coverage_q and
// ue = 1 - coverage_e. A token that differs on both sides ("AL-MOSULI" vs "AL-TIKRITI") costs
// its full weight, while tokens present on one side only (a patronymic, "13th Research
// Institute" after a parent name) cost about a third. See docs/screening.md.
#ifndef TOLLGATE_SCREENING_SCORE_H_
#define TOLLGATE_SCREENING_SCORE_H_

#include <string>
#include <vector>

#include "screening/normalize.h"
#include "screening/similarity.h"
#include "tollgate/screening.h"

namespace tollgate::screening {

constexpr double kLegalWeight = 0.15;         // weight of the legal-form slot on each side
constexpr double kInitialWeight = 0.3;        // a single letter
constexpr double kNumberWeight = 0.5;         // "13", "13th"
constexpr double kMinTokenSimilarity = 0.80;  // Jaro-Winkler below this is no match
constexpr double kInitialSimilarity = 0.7;    // "a" against "ali"
constexpr double kJoinedScore = 0.97;         // same letters, different spacing ("SiemensAG")
constexpr double kCountryFactor = 0.92;       // query country contradicts every entry country
// Unmatched weight on both sides (a substituted token) costs fully; unmatched weight on one
// side only (extra middle names, a longer listed name) costs kOneSidedPenalty per unit.
constexpr double kOneSidedPenalty = 0.35;
constexpr double kSingleTokenPenalty = 0.6;  // when fewer than 2 distinctive tokens matched
constexpr size_t kMaxNameTokens = 64;        // tokens kept per name (the rest are dropped)

struct RepToken {
  std::string text;
  TokenKind kind = TokenKind::kWord;
  float weight = 1.0f;
  // Anchors are the tokens the index can find: words and generic words of 2+ letters,
  // and numbers (exactly). A name scores above 0 only if an anchor pair matched.
  bool anchor = true;
  std::string phonetic;  // PhoneticKey(text), precomputed
};

struct NameRep {
  std::vector<RepToken> tokens;
  std::vector<LegalForm> legal;
  std::string joined;
  double total_weight = 0;
  bool has_initial = false;
};

// Weight of a token of this kind and generic factor, given its rarity in [0,1].
float TokenWeight(TokenKind kind, float factor, double rarity);
bool IsAnchor(TokenKind kind, const std::string& text);

// Builds the representation; `rarity(text)` returns the rarity of a token in (0,1].
template <typename RarityFn>
NameRep MakeRep(const NormalizedName& n, RarityFn&& rarity) {
  NameRep rep;
  rep.legal = n.legal;
  rep.joined = n.joined;
  for (const auto& t : n.tokens) {
    if (rep.tokens.size() >= kMaxNameTokens) break;
    RepToken r;
    r.text = t.text;
    r.kind = t.kind;
    r.weight = TokenWeight(t.kind, t.factor, rarity(t.text));
    r.anchor = IsAnchor(t.kind, t.text);
    r.phonetic = PhoneticKey(t.text);
    rep.has_initial = rep.has_initial || t.kind == TokenKind::kInitial;
    rep.total_weight += r.weight;
    rep.tokens.push_back(std::move(r));
  }
  return rep;
}

// Similarity of two tokens in [0,1]; 0 unless Related() (or an initial against a word with
// that initial, or equal numbers).
double TokenSimilarity(const RepToken& a, const RepToken& b);

// True when the two sets of legal forms share a compare form or a generic class.
bool LegalFormsAgree(const std::vector<LegalForm>& a, const std::vector<LegalForm>& b);

// Combines the matched shares of query and entry into the score; non-decreasing in both
// (the index relies on that for its upper bound).
double CombineCoverage(double coverage_q, double coverage_e);

// Score in [0,1] of query q against entry name e (no country). `matches` (optional)
// receives the aligned token pairs.
double ScorePair(const NameRep& q, const NameRep& e, std::vector<TokenMatch>* matches);

}  // namespace tollgate::screening

#endif  // TOLLGATE_SCREENING_SCORE_H_
