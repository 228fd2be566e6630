#include "screening/similarity.h"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace tollgate::screening {

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (la == 0 || lb == 0) return 0.0;
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  // Tokens are short; fixed buffers avoid allocation on the hot path.
  bool a_match_small[64] = {};
  bool b_match_small[64] = {};
  bool* am = a_match_small;
  bool* bm = b_match_small;
  std::unique_ptr<bool[]> abuf, bbuf;
  if (la > 64 || lb > 64) {
    abuf = std::make_unique<bool[]>(la);
    bbuf = std::make_unique<bool[]>(lb);
    am = abuf.get();
    bm = bbuf.get();
    std::fill(am, am + la, false);
    std::fill(bm, bm + lb, false);
  }
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    const int lo = std::max(0, i - window);
    const int hi = std::min(lb - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (bm[j] || a[i] != b[j]) continue;
      am[i] = bm[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < la; ++i) {
    if (!am[i]) continue;
    while (!bm[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = matches;
  const double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

int Levenshtein(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> DeleteKeys(std::string_view s) {
  std::vector<std::string> keys;
  keys.emplace_back(s);
  if (s.size() > kMaxDeleteKeyLength || s.size() < 2) return keys;
  keys.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;  // same key as deleting s[i-1]
    std::string k;
    k.reserve(s.size() - 1);
    k.append(s.substr(0, i));
    k.append(s.substr(i + 1));
    keys.push_back(std::move(k));
  }
  return keys;
}

std::string PhoneticKey(std::string_view s) {
  if (s.size() < kMinPhoneticLength) return "";
  for (char c : s) {
    if (c < 'a' || c > 'z') return "";  // digits or anything else: no phonetic key
  }
  std::string out;
  out.reserve(s.size());
  auto is_vowel = [](char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    char mapped;
    if (c == 'p' && next == 'h') {
      mapped = 'f';
      ++i;
    } else if ((c == 'k' || c == 'g' || c == 'd' || c == 't') && next == 'h') {
      mapped = c == 'g' ? 'g' : c;  // kh->k, gh->g, dh->d, th->t
      ++i;
    } else if (c == 'c' && next == 'k') {
      mapped = 'k';
      ++i;
    } else if (c == 's' && next == 'h') {
      mapped = 'x';  // sh / sch
      ++i;
    } else if (c == 'c' && next == 'h') {
      mapped = 'x';
      ++i;
    } else if (c == 'c' || c == 'q') {
      mapped = 'k';
    } else if (c == 'z') {
      mapped = 's';
    } else if (c == 'w' || c == 'v') {
      mapped = 'f';
    } else if (c == 'j' && i > 0 && is_vowel(s[i - 1])) {
      continue;  // a glide after a vowel: evgenij / evgeny
    } else if (c == 'j') {
      mapped = 'y';
    } else if (c == 'x') {
      mapped = 'k';
    } else if (is_vowel(c) || c == 'h') {
      if (out.empty() && i == 0 && c != 'h') out.push_back('a');  // leading vowel
      continue;
    } else {
      mapped = c;
    }
    if (!out.empty() && out.back() == mapped) continue;
    out.push_back(mapped);
  }
  if (out.size() < 2) return "";
  return out;
}

namespace {

// b == a with one byte deleted (a.size() == b.size() + 1).
bool IsOneDeletion(std::string_view a, std::string_view b) {
  size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  return a.substr(i + 1) == b.substr(i);
}

// a minus a[i] == b minus b[j] for some i < j (equal lengths).
bool ShiftedEqual(std::string_view a, std::string_view b, size_t p, size_t s) {
  const size_t n = a.size();
  for (size_t i = 0; i <= p && i < n; ++i) {
    for (size_t j = std::max(i + 1, n - 1 - std::min(s, n - 1)); j < n; ++j) {
      if (a.substr(i + 1, j - i) == b.substr(i, j - i)) return true;
    }
  }
  return false;
}

}  // namespace

bool ShareDeleteKey(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const size_t la = a.size(), lb = b.size();
  if (la < 2 || lb < 2 || la > kMaxDeleteKeyLength || lb > kMaxDeleteKeyLength) return false;
  if (la == lb + 1) return IsOneDeletion(a, b);
  if (lb == la + 1) return IsOneDeletion(b, a);
  if (la != lb) return false;
  const size_t n = la;
  size_t p = 0;
  while (p < n && a[p] == b[p]) ++p;
  size_t s = 0;
  while (s < n && a[n - 1 - s] == b[n - 1 - s]) ++s;
  if (p + s >= n - 1) return true;  // one substitution
  return ShiftedEqual(a, b, p, s) || ShiftedEqual(b, a, p, s);
}

bool Related(std::string_view a, std::string_view b) {
  if (ShareDeleteKey(a, b)) return true;
  const std::string pa = PhoneticKey(a);
  return !pa.empty() && pa == PhoneticKey(b);
}

}  // namespace tollgate::screening
