// String similarity primitives shared by the index and the brute-force scorer. Internal.
//
// The index finds, for a query token, exactly the list tokens that Related() accepts, so the
// scorer (which gives a non-zero similarity only to related tokens) and the index agree.
#ifndef TOLLGATE_SCREENING_SIMILARITY_H_
#define TOLLGATE_SCREENING_SIMILARITY_H_

#include <string>
#include <string_view>
#include <vector>

namespace tollgate::screening {

// Jaro-Winkler similarity in [0,1] (prefix scale 0.1, prefix up to 4 characters). Bytes are
// compared; callers pass normalised ASCII.
double JaroWinkler(std::string_view a, std::string_view b);

// Levenshtein distance (bytes).
int Levenshtein(std::string_view a, std::string_view b);

// `s` and every string obtained by deleting one byte of it (SymSpell keys, distance 1),
// de-duplicated. Tokens longer than kMaxDeleteKeyLength produce only themselves.
constexpr size_t kMaxDeleteKeyLength = 24;
std::vector<std::string> DeleteKeys(std::string_view s);

// A coarse phonetic key for Latin tokens (consonant skeleton with common transliteration
// variants folded: ph/f, ck/k/q/c, z/s, w/v, kh/k, dh/d, th/t, doubled letters). Empty for
// tokens shorter than kMinPhoneticLength or keys shorter than 2.
constexpr size_t kMinPhoneticLength = 4;
std::string PhoneticKey(std::string_view s);

// True when DeleteKeys(a) and DeleteKeys(b) intersect, for tokens of 2..kMaxDeleteKeyLength
// bytes (otherwise only when equal). Allocation-free.
bool ShareDeleteKey(std::string_view a, std::string_view b);

// True when the two tokens share a delete key (equal, one insertion/deletion, one
// substitution, or an adjacent transposition apart) or share a non-empty phonetic key.
bool Related(std::string_view a, std::string_view b);

}  // namespace tollgate::screening

#endif  // TOLLGATE_SCREENING_SIMILARITY_H_
