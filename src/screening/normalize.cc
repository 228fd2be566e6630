#include "screening/normalize.h"

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <sstream>

#include "core/io.h"

namespace tollgate::screening {
namespace {

// ICU transliterators are not safe for concurrent use, and neither is documented for an
// OpenCC handle, so each thread gets its own (created on first use).
struct ThreadConverters {
  std::unique_ptr<icu::Transliterator> any_latin;
  std::unique_ptr<icu::Transliterator> han_latin;
  opencc_t t2s = reinterpret_cast<opencc_t>(-1);
  bool t2s_tried = false;
  ~ThreadConverters() {
    if (t2s != reinterpret_cast<opencc_t>(-1)) opencc_close(t2s);
  }
  icu::Transliterator* AnyLatin() {
    if (!any_latin) {
      UErrorCode status = U_ZERO_ERROR;
      any_latin.reset(
          icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
      if (U_FAILURE(status)) any_latin.reset();
    }
    return any_latin.get();
  }
  icu::Transliterator* HanLatin() {
    if (!han_latin) {
      UErrorCode status = U_ZERO_ERROR;
      han_latin.reset(
          icu::Transliterator::createInstance("Han-Latin; Latin-ASCII", UTRANS_FORWARD, status));
      if (U_FAILURE(status)) han_latin.reset();
    }
    return han_latin.get();
  }
  // Traditional -> simplified; returns the input unchanged if OpenCC is unavailable.
  std::string ToSimplified(const std::string& utf8) {
    if (!t2s_tried) {
      t2s_tried = true;
      t2s = opencc_open("/usr/share/opencc/t2s.json");
    }
    if (t2s == reinterpret_cast<opencc_t>(-1)) return utf8;
    char* out = opencc_convert_utf8(t2s, utf8.data(), utf8.size());
    if (out == nullptr) return utf8;
    std::string result(out);
    opencc_convert_utf8_free(out);
    return result;
  }
};

ThreadConverters& Converters() {
  thread_local ThreadConverters converters;
  return converters;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

bool IsHan(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

std::u32string ToU32(const icu::UnicodeString& u) {
  std::u32string out;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

icu::UnicodeString FromU32(std::u32string_view s) {
  icu::UnicodeString u;
  for (char32_t c : s) u.append(static_cast<UChar32>(c));
  return u;
}

std::string CompareKey(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == '\t') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

NormalizerTables LoadNormalizerTables(const std::string& dir, std::string* error) {
  NormalizerTables t;
  auto read = [&](const std::string& name, auto&& on_fields) {
    auto text = ReadFileToString(dir + "/" + name);
    if (!text.ok()) {
      if (error) *error += text.status().message() + "; ";
      return;
    }
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      on_fields(SplitTabs(line));
    }
  };
  auto legal = [&](const std::vector<std::string>& f) {
    if (f.size() >= 3) t.legal_forms.push_back({f[0], f[1], f[2]});
  };
  read("legal_forms_extra.tsv", legal);  // ours first: they win over rigour on conflicts
  read("legal_forms.tsv", legal);
  read("zh_dict.tsv", [&](const std::vector<std::string>& f) {
    if (f.size() >= 3) t.zh_dict.push_back({f[0], f[1], f[2]});
  });
  read("generic_words.tsv", [&](const std::vector<std::string>& f) {
    if (f.size() >= 3) t.generic_words.emplace_back(f[0], f[1], std::strtof(f[2].c_str(), nullptr));
  });
  return t;
}

Normalizer::Normalizer(const NormalizerTables& tables) {
  for (const auto& [word, canonical, factor] : tables.generic_words) {
    generic_.emplace(CompareKey(word), std::make_pair(CompareKey(canonical), factor));
  }
  auto& conv = Converters();
  for (const auto& e : tables.zh_dict) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(conv.ToSimplified(e[0]));
    std::u32string key = ToU32(u);
    if (key.empty()) continue;
    ZhEntry entry;
    std::istringstream words(e[1]);
    std::string w;
    while (words >> w) entry.latin.push_back(w);
    zh_max_len_ = std::max(zh_max_len_, key.size());
    zh_dict_.emplace(key, std::move(entry));
  }
  trie_.emplace_back();
  for (const auto& lf : tables.legal_forms) {
    LegalForm form{CompareKey(lf[1]), CompareKey(lf[2])};
    int index = -1;
    for (size_t i = 0; i < legal_.size(); ++i) {
      if (legal_[i].compare == form.compare && legal_[i].generic == form.generic) {
        index = static_cast<int>(i);
        break;
      }
    }
    if (index < 0) {
      index = static_cast<int>(legal_.size());
      legal_.push_back(form);
    }
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(lf[0]);
    bool has_han = false;
    for (int32_t i = 0; i < u.length();) {
      UChar32 c = u.char32At(i);
      if (IsHan(c)) has_han = true;
      i += U16_LENGTH(c);
    }
    if (has_han) {
      icu::UnicodeString s = icu::UnicodeString::fromUTF8(conv.ToSimplified(lf[0]));
      std::u32string key;
      for (char32_t c : ToU32(s)) {
        if (IsHan(static_cast<UChar32>(c))) key.push_back(c);
      }
      if (key.empty()) continue;
      auto it = zh_dict_.find(key);
      if (it != zh_dict_.end() && it->second.legal >= 0) continue;  // first wins
      ZhEntry entry;
      entry.legal = index;
      zh_max_len_ = std::max(zh_max_len_, key.size());
      zh_dict_[key] = std::move(entry);
      continue;
    }
    std::vector<std::string> toks = RawTokens(lf[0]);
    if (toks.empty()) continue;
    int node = 0;
    for (const auto& tok : toks) {
      auto it = trie_[node].next.find(tok);
      if (it == trie_[node].next.end()) {
        trie_.emplace_back();
        int child = static_cast<int>(trie_.size()) - 1;
        trie_[node].next.emplace(tok, child);
        node = child;
      } else {
        node = it->second;
      }
    }
    if (trie_[node].legal < 0) trie_[node].legal = index;
  }
  // Pinyin spellings of dictionary words ("keji", "zhongguo") mean the same as their
  // translation, so a romanised Chinese name finds the English one.
  for (const auto& [key, entry] : zh_dict_) {
    if (key.size() < 2 || entry.legal >= 0) continue;
    icu::UnicodeString u = FromU32(key);
    if (auto* t = conv.HanLatin()) t->transliterate(u);
    std::string latin;
    u.toUTF8String(latin);
    std::string pinyin = CompareKey(latin);
    if (pinyin.empty()) continue;
    std::string joined;
    for (const auto& w : entry.latin) joined += w;
    if (pinyin == joined) continue;
    synonyms_.emplace(pinyin, entry.latin);
  }
}

Normalizer::~Normalizer() = default;

const Normalizer& Normalizer::Default() {
  static const Normalizer* normalizer = [] {
    std::string error;
    NormalizerTables tables = LoadNormalizerTables(BundledDataRoot() + "/data/screening", &error);
    auto* n = new Normalizer(tables);
    n->load_error_ = error;
    return n;
  }();
  return *normalizer;
}

void Normalizer::TokenizeAscii(std::string_view s, std::vector<std::string>* out) const {
  std::string chunk;
  auto flush = [&] {
    if (chunk.empty()) return;
    if (chunk.find('.') == std::string::npos) {
      out->push_back(std::move(chunk));
      chunk.clear();
      return;
    }
    std::vector<std::string> parts;
    std::string cur;
    for (char c : chunk) {
      if (c == '.') {
        if (!cur.empty()) parts.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!cur.empty()) parts.push_back(std::move(cur));
    bool all_single = parts.size() >= 2;
    for (const auto& p : parts) all_single = all_single && p.size() == 1;
    if (all_single) {  // "u.s.a." -> "usa"
      std::string joined;
      for (const auto& p : parts) joined += p;
      out->push_back(std::move(joined));
    } else {
      for (auto& p : parts) out->push_back(std::move(p));
    }
    chunk.clear();
  };
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80 && std::isalnum(c)) {
      chunk.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == '.') {
      if (!chunk.empty()) chunk.push_back('.');
    } else if (c == '\'' || c == '`') {
      // O'Brien -> obrien, 'ABD -> abd
    } else {
      flush();
    }
  }
  flush();
}

void Normalizer::SegmentHan(const std::u32string& han, std::vector<std::string>* out) const {
  std::u32string unknown;
  auto flush_unknown = [&] {
    if (unknown.empty()) return;
    icu::UnicodeString u = FromU32(unknown);
    if (auto* t = Converters().HanLatin()) t->transliterate(u);
    std::string latin;
    u.toUTF8String(latin);
    // Unknown characters are read as one word (names and brands are written joined in
    // pinyin: 华为 -> huawei).
    std::string token = CompareKey(latin);
    if (!token.empty()) out->push_back(std::move(token));
    unknown.clear();
  };
  size_t i = 0;
  while (i < han.size()) {
    size_t max_len = std::min(zh_max_len_, han.size() - i);
    const ZhEntry* found = nullptr;
    size_t len = max_len;
    for (; len >= 1; --len) {
      auto it = zh_dict_.find(han.substr(i, len));
      if (it != zh_dict_.end()) {
        found = &it->second;
        break;
      }
    }
    if (found == nullptr) {
      unknown.push_back(han[i]);
      ++i;
      continue;
    }
    flush_unknown();
    if (found->legal >= 0) {
      out->push_back("\x01" + std::to_string(found->legal));
    } else {
      for (const auto& w : found->latin) out->push_back(w);
    }
    i += len;
  }
  flush_unknown();
}

void Normalizer::NonAsciiTokens(std::string_view utf8, std::vector<std::string>* out) const {
  auto& conv = Converters();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_SUCCESS(status)) {
    icu::UnicodeString folded = nfkc_cf->normalize(u, status);
    if (U_SUCCESS(status)) u = folded;
  }
  bool any_han = false;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    if (IsHan(c)) any_han = true;
    i += U16_LENGTH(c);
  }
  if (any_han) {
    std::string s;
    u.toUTF8String(s);
    u = icu::UnicodeString::fromUTF8(conv.ToSimplified(s));
  }
  // Split into runs of Han and non-Han text, keeping order.
  std::u32string text = ToU32(u);
  size_t i = 0;
  while (i < text.size()) {
    bool han = IsHan(static_cast<UChar32>(text[i]));
    size_t j = i;
    while (j < text.size() && IsHan(static_cast<UChar32>(text[j])) == han) ++j;
    std::u32string run = text.substr(i, j - i);
    if (han) {
      SegmentHan(run, out);
    } else {
      icu::UnicodeString r = FromU32(run);
      if (auto* t = conv.AnyLatin()) t->transliterate(r);
      std::string latin;
      r.toUTF8String(latin);
      TokenizeAscii(latin, out);
    }
    i = j;
  }
}

std::vector<std::string> Normalizer::RawTokens(std::string_view utf8) const {
  std::vector<std::string> toks;
  if (IsAscii(utf8)) {
    TokenizeAscii(utf8, &toks);
  } else {
    NonAsciiTokens(utf8, &toks);
  }
  if (synonyms_.empty()) return toks;
  std::vector<std::string> out;
  out.reserve(toks.size());
  for (auto& t : toks) {
    auto it = synonyms_.find(t);
    if (it == synonyms_.end()) {
      out.push_back(std::move(t));
    } else {
      for (const auto& w : it->second) out.push_back(w);
    }
  }
  return out;
}

NormalizedName Normalizer::Normalize(std::string_view utf8) const {
  NormalizedName name;
  std::vector<std::string> raw = RawTokens(utf8);
  // Legal forms: longest token-sequence match at each position.
  std::vector<int> legal_at(raw.size(), -1);  // legal index starting here
  std::vector<int> legal_len(raw.size(), 0);
  size_t words_left = 0, letters_left = 0;
  for (size_t i = 0; i < raw.size();) {
    if (!raw[i].empty() && raw[i][0] == '\x01') {
      legal_at[i] = std::atoi(raw[i].c_str() + 1);
      legal_len[i] = 1;
      ++i;
      continue;
    }
    int node = 0, best = -1;
    size_t best_len = 0;
    for (size_t j = i; j < raw.size(); ++j) {
      auto it = trie_[node].next.find(raw[j]);
      if (it == trie_[node].next.end()) break;
      node = it->second;
      if (trie_[node].legal >= 0) {
        best = trie_[node].legal;
        best_len = j - i + 1;
      }
    }
    if (best >= 0) {
      legal_at[i] = best;
      legal_len[i] = static_cast<int>(best_len);
      i += best_len;
    } else {
      auto g = generic_.find(raw[i]);
      if (g == generic_.end() || g->second.second > 0) {
        ++words_left;
        letters_left += raw[i].size();
      }
      ++i;
    }
  }
  // A name made only of legal-form words ("Limited", "Company") keeps them as words.
  // So do very short names ("Li Na": "N.A." is a legal form, but not here).
  const bool keep_legal_as_words = words_left == 0 || letters_left < 4;
  for (size_t i = 0; i < raw.size();) {
    if (legal_at[i] >= 0 && !(keep_legal_as_words && raw[i][0] != '\x01')) {
      const LegalForm& lf = legal_[legal_at[i]];
      bool dup = false;
      for (const auto& l : name.legal) dup = dup || (l.compare == lf.compare);
      if (!dup) name.legal.push_back(lf);
      if (raw[i][0] == '\x01') {
        name.joined += lf.compare;
      } else {
        for (int k = 0; k < legal_len[i]; ++k) name.joined += raw[i + k];
      }
      i += legal_len[i];
      continue;
    }
    if (raw[i][0] == '\x01') {
      ++i;
      continue;
    }
    NameToken tok;
    auto g = generic_.find(raw[i]);
    if (g != generic_.end()) {
      if (g->second.second <= 0) {  // stop word
        ++i;
        continue;
      }
      tok.text = g->second.first;
      tok.kind = TokenKind::kGeneric;
      tok.factor = g->second.second;
    } else {
      tok.text = raw[i];
      if (std::isdigit(static_cast<unsigned char>(tok.text[0]))) {
        tok.kind = TokenKind::kNumber;
      } else if (tok.text.size() == 1) {
        tok.kind = TokenKind::kInitial;
      }
    }
    name.joined += raw[i];
    name.tokens.push_back(std::move(tok));
    ++i;
  }
  return name;
}

}  // namespace tollgate::screening
