// JSON forms of the ledger's records: the payloads of events (docs/ledger-format.md) and the
// JSON Lines import format of decided lines. Internal to src/ledger and the CLI.
//
// Encoding rules (canonical): objects are nlohmann::json with std::map (keys sorted by
// bytes), serialised compactly; decimals and money amounts are JSON strings in plain
// notation ("1234.50"), never JSON numbers; dates are "YYYY-MM-DD"; countries ISO alpha-2.
// Decoders validate every field and name the offending one ("decision.rules[2].effect: ...").
#ifndef TOLLGATE_LEDGER_CODEC_H_
#define TOLLGATE_LEDGER_CODEC_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

struct evp_md_st;

#include "tollgate/ledger.h"

namespace tollgate::ledger {

using Json = nlohmann::json;

// Compact canonical serialisation; invalid UTF-8 is replaced by U+FFFD (never throws).
std::string Dump(const Json& j);
// The same after dropping every member whose value is null, "", [] or {} (recursively):
// the form stored in events (docs/ledger-format.md).
std::string DumpCompact(Json j);
// Parses text; never throws. Errors name the byte offset.
Result<Json> ParseJson(std::string_view text, size_t max_bytes);

Json DecisionToJson(const Decision& d);
Result<Decision> DecisionFromJson(const Json& j, const std::string& where);

// The "input" object of a line.recorded event (everything of DecidedLine but the decision
// and recorded_by).
Json LineInputToJson(const DecidedLine& l);
// A whole DecidedLine: {"input": {...}, "decision": {...}, "recorded_by": "..."}.
Json DecidedLineToJson(const DecidedLine& l);
Result<DecidedLine> DecidedLineFromJson(const Json& j, const std::string& where);

Json LicenceToJson(const Licence& l);
Result<Licence> LicenceFromJson(const Json& j, const std::string& where);

// Field accessors used by decoders. `where` prefixes error messages.
Result<std::string> GetString(const Json& j, const char* key, const std::string& where,
                              bool required = true);
Result<int64_t> GetInt(const Json& j, const char* key, const std::string& where);
Result<Decimal> GetDecimal(const Json& j, const char* key, const std::string& where);
Result<std::optional<Decimal>> GetOptDecimal(const Json& j, const char* key,
                                             const std::string& where);
Result<Date> GetDate(const Json& j, const char* key, const std::string& where);
Result<Country> GetCountry(const Json& j, const char* key, const std::string& where,
                           bool required = true);
Result<Currency> GetCurrency(const Json& j, const char* key, const std::string& where);
Result<std::vector<std::string>> GetStrings(const Json& j, const char* key,
                                            const std::string& where);

Json MoneyToJson(const Money& m);
Result<Money> GetMoney(const Json& j, const char* key, const std::string& where);

std::string Sha256Hex(std::string_view data);
// OpenSSL's SHA-256, fetched once (pass to EVP_DigestInit_ex).
const evp_md_st* Sha256();

}  // namespace tollgate::ledger

#endif  // TOLLGATE_LEDGER_CODEC_H_
