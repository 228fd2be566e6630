// Small text helpers shared by the catalog parsers. Internal to src/catalog and src/classify.
#ifndef TOLLGATE_CATALOG_PARSE_UTIL_H_
#define TOLLGATE_CATALOG_PARSE_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

namespace tollgate::catalog_internal {

std::string_view Trim(std::string_view s);
std::string Lower(std::string_view s);
// Splits on `sep`, trims each piece, drops empty pieces.
std::vector<std::string> SplitList(std::string_view s, char sep);

enum class NumberError { kOk, kNotANumber, kNotFinite, kNegative };
// Parses a plain decimal number ("989.4", "1e3", "0.5"). Rejects trailing text, nan, inf
// and negative values (reported as such, after a successful parse).
NumberError ParseNumber(std::string_view text, double* out);

}  // namespace tollgate::catalog_internal

#endif  // TOLLGATE_CATALOG_PARSE_UTIL_H_
