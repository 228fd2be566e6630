// Name normalisation for screening: ICU NFKC + case folding, accents and other scripts to
// Latin (Cyrillic, Arabic, Greek, ... via ICU transliterators), OpenCC traditional ->
// simplified Chinese, dictionary-driven Chinese word segmentation with standard
// romanisation (falling back to ICU Han-Latin pinyin), legal-form recognition (rigour table)
// and generic-word canonicalisation. Internal to the screening part.
#ifndef TOLLGATE_SCREENING_NORMALIZE_H_
#define TOLLGATE_SCREENING_NORMALIZE_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace tollgate::screening {

enum class TokenKind : uint8_t {
  kWord,     // a distinctive word
  kGeneric,  // generic organisation word ("group", "technology"): weighed down
  kInitial,  // a single letter
  kNumber,   // starts with a digit ("13", "13th"): matches only exactly
};

struct NameToken {
  std::string text;  // lower-case ASCII
  TokenKind kind = TokenKind::kWord;
  float factor = 1.0f;  // weight factor (generic words < 1)
};

struct LegalForm {
  std::string compare;  // e.g. "coltd", "jsc"
  std::string generic;  // e.g. "llc", "jsc" (may be empty)
};

struct NormalizedName {
  std::vector<NameToken> tokens;  // in name order, legal forms and stop words removed
  std::vector<LegalForm> legal;
  std::string joined;  // every token (legal forms included) concatenated without spaces
};

// The tables a Normalizer uses; loaded from data/screening/ (see docs/screening.md).
struct NormalizerTables {
  // alias (as published) -> compare, generic
  std::vector<std::array<std::string, 3>> legal_forms;
  // chinese (simplified) -> latin, kind
  std::vector<std::array<std::string, 3>> zh_dict;
  // word -> canonical, factor
  std::vector<std::tuple<std::string, std::string, float>> generic_words;
};

class Normalizer {
 public:
  explicit Normalizer(const NormalizerTables& tables);
  ~Normalizer();

  // Loaded once from BundledDataRoot()/data/screening. If the files are missing the
  // normaliser still works without dictionaries and load_error() says why.
  static const Normalizer& Default();
  const std::string& load_error() const { return load_error_; }

  // Thread-safe. Never fails: invalid UTF-8 is replaced by U+FFFD (then dropped).
  NormalizedName Normalize(std::string_view utf8) const;

  // Splits into lower-case ASCII tokens (transliterated, Chinese segmented) before any
  // legal-form or generic-word handling. A legal form found in Chinese is returned as
  // "\x01" + index into legal_forms(). Thread-safe.
  std::vector<std::string> RawTokens(std::string_view utf8) const;

  size_t zh_dict_size() const { return zh_dict_.size(); }
  size_t legal_form_count() const { return legal_.size(); }

 private:
  struct ZhEntry {
    std::vector<std::string> latin;  // tokens
    int legal = -1;                  // index into legal_ when a legal form
  };
  struct TrieNode {
    std::map<std::string, int, std::less<>> next;
    int legal = -1;
  };

  void TokenizeAscii(std::string_view lower, std::vector<std::string>* out) const;
  void SegmentHan(const std::u32string& han, std::vector<std::string>* out) const;
  void NonAsciiTokens(std::string_view utf8, std::vector<std::string>* out) const;

  std::vector<LegalForm> legal_;
  std::vector<TrieNode> trie_;  // node 0 is the root; edges are tokens
  std::unordered_map<std::u32string, ZhEntry> zh_dict_;
  size_t zh_max_len_ = 0;
  std::unordered_map<std::string, std::vector<std::string>> synonyms_;  // pinyin -> latin
  std::unordered_map<std::string, std::pair<std::string, float>> generic_;
  std::string load_error_;
  friend struct NormalizerLoader;
};

// Reads the three tables from `dir` (legal_forms.tsv, legal_forms_extra.tsv, zh_dict.tsv,
// generic_words.tsv). Missing files yield empty tables and a message in *error.
NormalizerTables LoadNormalizerTables(const std::string& dir, std::string* error);

}  // namespace tollgate::screening

#endif  // TOLLGATE_SCREENING_NORMALIZE_H_
