#include "catalog/parse_util.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace tollgate::catalog_internal {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SplitList(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view piece = Trim(s.substr(start, end - start));
    if (!piece.empty()) out.emplace_back(piece);
    start = end + 1;
  }
  return out;
}

NumberError ParseNumber(std::string_view text, double* out) {
  text = Trim(text);
  if (text.empty()) return NumberError::kNotANumber;
  std::string_view body = text;
  if (body.front() == '+') body.remove_prefix(1);
  if (body.empty()) return NumberError::kNotANumber;
  // from_chars accepts "inf"/"nan"; only digits, one sign, '.', and an exponent are numbers.
  for (char c : body) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '-' || c == '+'))
      return NumberError::kNotANumber;
  }
  double v = 0;
  auto r = std::from_chars(body.data(), body.data() + body.size(), v);
  if (r.ec == std::errc::result_out_of_range) return NumberError::kNotFinite;
  if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return NumberError::kNotANumber;
  if (!std::isfinite(v)) return NumberError::kNotFinite;
  if (v < 0) return NumberError::kNegative;
  *out = v == 0 ? 0.0 : v;  // no negative zero
  return NumberError::kOk;
}

}  // namespace tollgate::catalog_internal
