#include "ledger/codec.h"

#include <openssl/evp.h>

#include <cstdio>

namespace tollgate::ledger {

namespace {

// Removes members whose value is null, "", [] or {} (recursively). Decoders read a missing
// member as that empty value, so the compact form decodes to the same record.
void Compact(Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      Compact(*it);
      const Json& v = *it;
      bool empty = v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
                   ((v.is_array() || v.is_object()) && v.empty());
      it = empty ? j.erase(it) : std::next(it);
    }
  } else if (j.is_array()) {
    for (auto& e : j) Compact(e);
  }
}

}  // namespace

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string DumpCompact(Json j) {
  Compact(j);
  return Dump(j);
}

Result<Json> ParseJson(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return ResourceExhausted("JSON text of " + std::to_string(text.size()) +
                             " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  // Depth is bounded before parsing (our records nest at most 4 levels): a scan that skips
  // strings is several times cheaper than nlohmann's per-token parser callback.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > 17) return ResourceExhausted("JSON nesting deeper than 16 levels");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Locate the error with a second, throwing parse (only on the error path).
    try {
      Json ignored = Json::parse(text.begin(), text.end());
      (void)ignored;
    } catch (const Json::parse_error& e) {
      return ParseError("invalid JSON at byte " + std::to_string(e.byte) + ": " +
                        std::string(e.what()).substr(std::string(e.what()).find(':') + 2));
    } catch (...) {
    }
    return ParseError("invalid JSON");
  }
  return j;
}

const EVP_MD* Sha256() {
  // Fetched once: EVP_sha256() makes every digest look the algorithm up again under a
  // global read lock, which profiled at about a tenth of `ledger verify`.
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[32];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, Sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out(64, '0');
  for (int i = 0; i < 32; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

namespace {

Json OptDec(const std::optional<Decimal>& d) { return d ? Json(d->ToString()) : Json(nullptr); }
Json MoneyJson(const Money& m) {
  return Json{{"amount", m.amount.ToString()}, {"currency", m.currency.code()}};
}
Json OptMoney(const std::optional<Money>& m) { return m ? MoneyJson(*m) : Json(nullptr); }

Status FieldError(const std::string& where, const char* key, const std::string& what) {
  std::string w = where.empty() ? std::string(key) : where + "." + key;
  return InvalidArgument(w + ": " + what);
}

Result<std::optional<Money>> GetOptMoney(const Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<Money>();
  std::string w = where.empty() ? std::string(key) : where + "." + key;
  if (!it->is_object()) return InvalidArgument(w + ": expected an object {amount, currency}");
  TG_ASSIGN_OR_RETURN(Decimal a, GetDecimal(*it, "amount", w));
  TG_ASSIGN_OR_RETURN(Currency c, GetCurrency(*it, "currency", w));
  return std::optional<Money>(Money{a, c});
}

Json CountryJson(const Country& c) { return c.code(); }

}  // namespace

Json MoneyToJson(const Money& m) { return MoneyJson(m); }

Result<Money> GetMoney(const Json& j, const char* key, const std::string& where) {
  TG_ASSIGN_OR_RETURN(std::optional<Money> m, GetOptMoney(j, key, where));
  if (!m) return FieldError(where, key, "missing");
  return *m;
}

Result<std::string> GetString(const Json& j, const char* key, const std::string& where,
                              bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return FieldError(where, key, "missing");
    return std::string();
  }
  if (!it->is_string()) return FieldError(where, key, "expected a string");
  return it->get<std::string>();
}

Result<int64_t> GetInt(const Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return FieldError(where, key, "missing");
  if (!it->is_number_integer()) return FieldError(where, key, "expected an integer");
  return it->get<int64_t>();
}

Result<Decimal> GetDecimal(const Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return FieldError(where, key, "missing");
  if (!it->is_string()) return FieldError(where, key, "expected a decimal string like \"12.50\"");
  auto d = Decimal::Parse(it->get<std::string>());
  if (!d.ok()) return FieldError(where, key, d.status().message());
  return *d;
}

Result<std::optional<Decimal>> GetOptDecimal(const Json& j, const char* key,
                                             const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<Decimal>();
  TG_ASSIGN_OR_RETURN(Decimal d, GetDecimal(j, key, where));
  return std::optional<Decimal>(d);
}

Result<Date> GetDate(const Json& j, const char* key, const std::string& where) {
  TG_ASSIGN_OR_RETURN(std::string s, GetString(j, key, where));
  auto d = Date::Parse(s);
  if (!d.ok()) return FieldError(where, key, d.status().message());
  return *d;
}

Result<Country> GetCountry(const Json& j, const char* key, const std::string& where,
                           bool required) {
  TG_ASSIGN_OR_RETURN(std::string s, GetString(j, key, where, required));
  if (s.empty() && !required) return Country();
  auto c = Country::Parse(s);
  if (!c.ok()) return FieldError(where, key, c.status().message());
  return *c;
}

Result<Currency> GetCurrency(const Json& j, const char* key, const std::string& where) {
  TG_ASSIGN_OR_RETURN(std::string s, GetString(j, key, where));
  auto c = Currency::Parse(s);
  if (!c.ok()) return FieldError(where, key, c.status().message());
  return *c;
}

Result<std::vector<std::string>> GetStrings(const Json& j, const char* key,
                                            const std::string& where) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return FieldError(where, key, "expected an array of strings");
  for (const auto& e : *it) {
    if (!e.is_string()) return FieldError(where, key, "expected an array of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

Json DecisionToJson(const Decision& d) {
  Json rules = Json::array();
  for (const auto& r : d.rules) {
    rules.push_back({{"id", r.id},
                     {"effect", std::string(EffectName(r.effect))},
                     {"cite", r.cite},
                     {"note", r.note},
                     {"confidence", r.confidence},
                     {"exception", r.exception}});
  }
  Json obs = Json::array();
  for (const auto& o : d.obligations) {
    obs.push_back({{"kind", o.kind},
                   {"rule_id", o.rule_id},
                   {"cite", o.cite},
                   {"rate", OptDec(o.rate)},
                   {"base", o.base},
                   {"amount", OptMoney(o.amount)},
                   {"amount_usd", OptMoney(o.amount_usd)},
                   {"payee", o.payee},
                   {"detail", o.detail},
                   {"name", o.name},
                   {"days", o.days},
                   {"cap_ratio", OptDec(o.cap_ratio)},
                   {"cap_reference", o.cap_reference},
                   {"cap_period", o.cap_period}});
  }
  Json hits = Json::array();
  for (const auto& h : d.hits) {
    hits.push_back({{"party_role", h.party_role},
                    {"party_name", h.party_name},
                    {"list", h.list},
                    {"entry_id", h.entry_id},
                    {"name", h.name},
                    {"alias", h.alias},
                    {"score", h.score}});
  }
  return Json{
      {"order_id", d.order_id},
      {"line", d.line},
      {"decision", d.decision},
      {"review", d.review},
      {"exception", d.exception},
      {"eccn", d.eccn},
      {"effect", std::string(EffectName(d.effect))},
      {"policy", {{"name", d.policy.name}, {"version", d.policy.version}, {"hash", d.policy.hash}}},
      {"rules", rules},
      {"obligations", obs},
      {"conditions", d.conditions},
      {"hits", hits},
      {"explanation", d.explanation}};
}

Result<Decision> DecisionFromJson(const Json& j, const std::string& where) {
  if (!j.is_object()) return InvalidArgument(where + ": expected an object");
  Decision d;
  TG_ASSIGN_OR_RETURN(d.order_id, GetString(j, "order_id", where, false));
  if (j.contains("line")) {
    TG_ASSIGN_OR_RETURN(int64_t line, GetInt(j, "line", where));
    d.line = static_cast<int>(line);
  }
  TG_ASSIGN_OR_RETURN(d.decision, GetString(j, "decision", where));
  static const char* kDecisions[] = {"nlr", "exception", "licence", "prohibited", "hold"};
  bool known = false;
  for (const char* k : kDecisions) known = known || d.decision == k;
  if (!known) {
    return InvalidArgument(where + ".decision: '" + d.decision +
                           "' is not one of nlr, exception, licence, prohibited, hold");
  }
  TG_ASSIGN_OR_RETURN(d.review, GetString(j, "review", where, false));
  TG_ASSIGN_OR_RETURN(d.exception, GetString(j, "exception", where, false));
  TG_ASSIGN_OR_RETURN(d.eccn, GetString(j, "eccn", where, false));
  TG_ASSIGN_OR_RETURN(std::string effect, GetString(j, "effect", where, false));
  if (!effect.empty()) {
    auto e = ParseEffect(effect);
    if (!e) return InvalidArgument(where + ".effect: unknown effect '" + effect + "'");
    d.effect = *e;
  }
  if (auto it = j.find("policy"); it != j.end() && it->is_object()) {
    TG_ASSIGN_OR_RETURN(d.policy.name, GetString(*it, "name", where + ".policy", false));
    TG_ASSIGN_OR_RETURN(d.policy.version, GetString(*it, "version", where + ".policy", false));
    TG_ASSIGN_OR_RETURN(d.policy.hash, GetString(*it, "hash", where + ".policy", false));
  }
  auto arr = [&](const char* key) -> Result<const Json*> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return static_cast<const Json*>(nullptr);
    if (!it->is_array()) return InvalidArgument(where + "." + key + ": expected an array");
    return &*it;
  };
  TG_ASSIGN_OR_RETURN(const Json* rules, arr("rules"));
  if (rules) {
    for (size_t i = 0; i < rules->size(); ++i) {
      const Json& r = (*rules)[i];
      std::string w = where + ".rules[" + std::to_string(i) + "]";
      if (!r.is_object()) return InvalidArgument(w + ": expected an object");
      RuleMatch m;
      TG_ASSIGN_OR_RETURN(m.id, GetString(r, "id", w));
      TG_ASSIGN_OR_RETURN(std::string eff, GetString(r, "effect", w));
      auto e = ParseEffect(eff);
      if (!e) return InvalidArgument(w + ".effect: unknown effect '" + eff + "'");
      m.effect = *e;
      TG_ASSIGN_OR_RETURN(m.cite, GetString(r, "cite", w, false));
      TG_ASSIGN_OR_RETURN(m.note, GetString(r, "note", w, false));
      TG_ASSIGN_OR_RETURN(m.confidence, GetString(r, "confidence", w, false));
      TG_ASSIGN_OR_RETURN(m.exception, GetString(r, "exception", w, false));
      d.rules.push_back(std::move(m));
    }
  }
  TG_ASSIGN_OR_RETURN(const Json* obs, arr("obligations"));
  if (obs) {
    for (size_t i = 0; i < obs->size(); ++i) {
      const Json& o = (*obs)[i];
      std::string w = where + ".obligations[" + std::to_string(i) + "]";
      if (!o.is_object()) return InvalidArgument(w + ": expected an object");
      Obligation b;
      TG_ASSIGN_OR_RETURN(b.kind, GetString(o, "kind", w));
      TG_ASSIGN_OR_RETURN(b.rule_id, GetString(o, "rule_id", w, false));
      TG_ASSIGN_OR_RETURN(b.cite, GetString(o, "cite", w, false));
      TG_ASSIGN_OR_RETURN(b.rate, GetOptDecimal(o, "rate", w));
      TG_ASSIGN_OR_RETURN(b.base, GetString(o, "base", w, false));
      TG_ASSIGN_OR_RETURN(b.amount, GetOptMoney(o, "amount", w));
      TG_ASSIGN_OR_RETURN(b.amount_usd, GetOptMoney(o, "amount_usd", w));
      TG_ASSIGN_OR_RETURN(b.payee, GetString(o, "payee", w, false));
      TG_ASSIGN_OR_RETURN(b.detail, GetString(o, "detail", w, false));
      TG_ASSIGN_OR_RETURN(b.name, GetString(o, "name", w, false));
      if (o.contains("days")) {
        TG_ASSIGN_OR_RETURN(int64_t days, GetInt(o, "days", w));
        if (days < 0 || days > 100000) return InvalidArgument(w + ".days: out of range");
        b.days = static_cast<int>(days);
      }
      TG_ASSIGN_OR_RETURN(b.cap_ratio, GetOptDecimal(o, "cap_ratio", w));
      TG_ASSIGN_OR_RETURN(b.cap_reference, GetString(o, "cap_reference", w, false));
      TG_ASSIGN_OR_RETURN(b.cap_period, GetString(o, "cap_period", w, false));
      d.obligations.push_back(std::move(b));
    }
  }
  TG_ASSIGN_OR_RETURN(d.conditions, GetStrings(j, "conditions", where));
  TG_ASSIGN_OR_RETURN(const Json* hits, arr("hits"));
  if (hits) {
    for (size_t i = 0; i < hits->size(); ++i) {
      const Json& h = (*hits)[i];
      std::string w = where + ".hits[" + std::to_string(i) + "]";
      if (!h.is_object()) return InvalidArgument(w + ": expected an object");
      PartyHit p;
      TG_ASSIGN_OR_RETURN(p.party_role, GetString(h, "party_role", w, false));
      TG_ASSIGN_OR_RETURN(p.party_name, GetString(h, "party_name", w, false));
      TG_ASSIGN_OR_RETURN(p.list, GetString(h, "list", w));
      TG_ASSIGN_OR_RETURN(p.entry_id, GetString(h, "entry_id", w));
      TG_ASSIGN_OR_RETURN(p.name, GetString(h, "name", w, false));
      TG_ASSIGN_OR_RETURN(p.alias, GetString(h, "alias", w, false));
      if (auto s = h.find("score"); s != h.end() && s->is_number()) p.score = s->get<double>();
      d.hits.push_back(std::move(p));
    }
  }
  TG_ASSIGN_OR_RETURN(d.explanation, GetString(j, "explanation", where, false));
  return d;
}

Json LineInputToJson(const DecidedLine& l) {
  return Json{{"order_id", l.order_id},
              {"line", l.line},
              {"date", l.date.ToString()},
              {"exporter", l.exporter},
              {"item", l.item},
              {"quantity", l.quantity},
              {"unit_price", l.unit_price.ToString()},
              {"currency", l.currency.code()},
              {"ship_from", CountryJson(l.ship_from)},
              {"destination", CountryJson(l.destination)},
              {"consignee", l.consignee},
              {"consignee_country", CountryJson(l.consignee_country)},
              {"end_user", l.end_user},
              {"end_user_country", CountryJson(l.end_user_country)},
              {"end_user_hq", CountryJson(l.end_user_hq)},
              {"end_use", l.end_use},
              {"licence", l.licence},
              {"customs_value", OptDec(l.customs_value)},
              {"usd_rate", OptDec(l.usd_rate)},
              {"input_json", l.input_json}};
}

Json DecidedLineToJson(const DecidedLine& l) {
  return Json{{"input", LineInputToJson(l)},
              {"decision", DecisionToJson(l.decision)},
              {"recorded_by", l.recorded_by}};
}

Result<DecidedLine> DecidedLineFromJson(const Json& j, const std::string& where) {
  if (!j.is_object()) return InvalidArgument(where + ": expected an object");
  auto in_it = j.find("input");
  if (in_it == j.end() || !in_it->is_object()) {
    return InvalidArgument(where + ".input: missing or not an object");
  }
  const Json& in = *in_it;
  std::string w = where.empty() ? "input" : where + ".input";
  DecidedLine l;
  TG_ASSIGN_OR_RETURN(l.order_id, GetString(in, "order_id", w));
  TG_ASSIGN_OR_RETURN(int64_t line, GetInt(in, "line", w));
  if (line < 1 || line > 1000000000) return InvalidArgument(w + ".line: must be 1..1000000000");
  l.line = static_cast<int>(line);
  TG_ASSIGN_OR_RETURN(l.date, GetDate(in, "date", w));
  TG_ASSIGN_OR_RETURN(l.exporter, GetString(in, "exporter", w));
  TG_ASSIGN_OR_RETURN(l.item, GetString(in, "item", w));
  TG_ASSIGN_OR_RETURN(l.quantity, GetInt(in, "quantity", w));
  TG_ASSIGN_OR_RETURN(l.unit_price, GetDecimal(in, "unit_price", w));
  TG_ASSIGN_OR_RETURN(l.currency, GetCurrency(in, "currency", w));
  TG_ASSIGN_OR_RETURN(l.ship_from, GetCountry(in, "ship_from", w, false));
  TG_ASSIGN_OR_RETURN(l.destination, GetCountry(in, "destination", w));
  TG_ASSIGN_OR_RETURN(l.consignee, GetString(in, "consignee", w, false));
  TG_ASSIGN_OR_RETURN(l.consignee_country, GetCountry(in, "consignee_country", w, false));
  TG_ASSIGN_OR_RETURN(l.end_user, GetString(in, "end_user", w, false));
  TG_ASSIGN_OR_RETURN(l.end_user_country, GetCountry(in, "end_user_country", w, false));
  TG_ASSIGN_OR_RETURN(l.end_user_hq, GetCountry(in, "end_user_hq", w, false));
  TG_ASSIGN_OR_RETURN(l.end_use, GetString(in, "end_use", w, false));
  TG_ASSIGN_OR_RETURN(l.licence, GetString(in, "licence", w, false));
  TG_ASSIGN_OR_RETURN(l.customs_value, GetOptDecimal(in, "customs_value", w));
  TG_ASSIGN_OR_RETURN(l.usd_rate, GetOptDecimal(in, "usd_rate", w));
  TG_ASSIGN_OR_RETURN(l.input_json, GetString(in, "input_json", w, false));
  auto d_it = j.find("decision");
  if (d_it == j.end()) return InvalidArgument(where + ".decision: missing");
  TG_ASSIGN_OR_RETURN(l.decision,
                      DecisionFromJson(*d_it, where.empty() ? "decision" : where + ".decision"));
  TG_ASSIGN_OR_RETURN(l.recorded_by, GetString(j, "recorded_by", where, false));
  return l;
}

Json LicenceToJson(const Licence& l) {
  Json dest = Json::array();
  for (const auto& c : l.destinations) dest.push_back(c.code());
  return Json{{"number", l.number},
              {"holder", l.holder},
              {"items", l.items},
              {"eccns", l.eccns},
              {"destinations", dest},
              {"consignees", l.consignees},
              {"end_users", l.end_users},
              {"quantity", l.quantity},
              {"value", MoneyJson(l.value)},
              {"valid_from", l.valid_from.ToString()},
              {"valid_to", l.valid_to.ToString()},
              {"conditions", l.conditions}};
}

Result<Licence> LicenceFromJson(const Json& j, const std::string& where) {
  if (!j.is_object()) return InvalidArgument(where + ": expected an object");
  Licence l;
  TG_ASSIGN_OR_RETURN(l.number, GetString(j, "number", where));
  TG_ASSIGN_OR_RETURN(l.holder, GetString(j, "holder", where));
  TG_ASSIGN_OR_RETURN(l.items, GetStrings(j, "items", where));
  TG_ASSIGN_OR_RETURN(l.eccns, GetStrings(j, "eccns", where));
  TG_ASSIGN_OR_RETURN(std::vector<std::string> dest, GetStrings(j, "destinations", where));
  for (const auto& d : dest) {
    auto c = Country::Parse(d);
    if (!c.ok()) return InvalidArgument(where + ".destinations: " + c.status().message());
    l.destinations.push_back(*c);
  }
  TG_ASSIGN_OR_RETURN(l.consignees, GetStrings(j, "consignees", where));
  TG_ASSIGN_OR_RETURN(l.end_users, GetStrings(j, "end_users", where));
  TG_ASSIGN_OR_RETURN(l.quantity, GetInt(j, "quantity", where));
  TG_ASSIGN_OR_RETURN(std::optional<Money> v, GetOptMoney(j, "value", where));
  if (!v) return InvalidArgument(where + ".value: missing");
  l.value = *v;
  TG_ASSIGN_OR_RETURN(l.valid_from, GetDate(j, "valid_from", where));
  TG_ASSIGN_OR_RETURN(l.valid_to, GetDate(j, "valid_to", where));
  TG_ASSIGN_OR_RETURN(l.conditions, GetStrings(j, "conditions", where));
  return l;
}

}  // namespace tollgate::ledger
