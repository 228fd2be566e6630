#include "ledger/state.h"

#include <cctype>

namespace tollgate::ledger {

std::string LineKey(const std::string& order_id, int line) {
  return order_id + "/" + std::to_string(line);
}

std::string ReviewKey(const std::string& party, const std::string& list,
                      const std::string& entry_id) {
  // Party names compare trimmed, ASCII case-folded, inner whitespace runs collapsed.
  std::string p;
  bool space = false;
  for (unsigned char c : party) {
    if (std::isspace(c)) {
      space = !p.empty();
      continue;
    }
    if (space) p += ' ';
    space = false;
    p += static_cast<char>(std::tolower(c));
  }
  return p + '\x1f' + list + '\x1f' + entry_id;
}

int MonthIndex(Date d) { return d.year() * 12 + d.month() - 1; }

std::pair<int, int> PeriodMonths(const std::string& period, Date d) {
  int m = MonthIndex(d);
  if (period == "month") return {m, m};
  if (period == "year") return {d.year() * 12, d.year() * 12 + 11};
  int q0 = d.year() * 12 + ((d.month() - 1) / 3) * 3;  // quarter (default)
  return {q0, q0 + 2};
}

Json AccrualToJson(const Accrual& a) {
  return Json{{"kind", a.kind},
              {"rule_id", a.rule_id},
              {"cite", a.cite},
              {"rate", a.rate ? Json(a.rate->ToString()) : Json(nullptr)},
              {"base", a.base},
              {"base_usd", MoneyToJson(a.base_usd)},
              {"amount_usd", MoneyToJson(a.amount_usd)},
              {"payee", a.payee}};
}

Result<Accrual> AccrualFromJson(const Json& j, const std::string& where) {
  if (!j.is_object()) return InvalidArgument(where + ": expected an object");
  Accrual a;
  TG_ASSIGN_OR_RETURN(a.kind, GetString(j, "kind", where));
  TG_ASSIGN_OR_RETURN(a.rule_id, GetString(j, "rule_id", where, false));
  TG_ASSIGN_OR_RETURN(a.cite, GetString(j, "cite", where, false));
  TG_ASSIGN_OR_RETURN(a.rate, GetOptDecimal(j, "rate", where));
  TG_ASSIGN_OR_RETURN(a.base, GetString(j, "base", where, false));
  TG_ASSIGN_OR_RETURN(a.base_usd, GetMoney(j, "base_usd", where));
  TG_ASSIGN_OR_RETURN(a.amount_usd, GetMoney(j, "amount_usd", where));
  TG_ASSIGN_OR_RETURN(a.payee, GetString(j, "payee", where, false));
  return a;
}

std::vector<Posting> AccrualPostings(const std::vector<Accrual>& accruals) {
  std::vector<Posting> out;
  for (const auto& a : accruals) {
    if (a.amount_usd.amount.is_zero()) continue;
    out.push_back(Posting{"expense:" + a.kind, a.amount_usd});
    out.push_back(Posting{"payable:us_treasury:" + a.kind,
                          Money{a.amount_usd.amount.Negated(), a.amount_usd.currency}});
  }
  return out;
}

Json PostingsToJson(const std::vector<Posting>& ps) {
  Json arr = Json::array();
  for (const auto& p : ps) {
    arr.push_back({{"account", p.account},
                   {"amount", p.amount.amount.ToString()},
                   {"currency", p.amount.currency.code()}});
  }
  return arr;
}

Result<std::vector<Posting>> PostingsFromJson(const Json& j, const std::string& where) {
  std::vector<Posting> out;
  if (j.is_null()) return out;
  if (!j.is_array()) return InvalidArgument(where + ": expected an array");
  for (size_t i = 0; i < j.size(); ++i) {
    std::string w = where + "[" + std::to_string(i) + "]";
    if (!j[i].is_object()) return InvalidArgument(w + ": expected an object");
    Posting p;
    TG_ASSIGN_OR_RETURN(p.account, GetString(j[i], "account", w));
    TG_ASSIGN_OR_RETURN(p.amount.amount, GetDecimal(j[i], "amount", w));
    TG_ASSIGN_OR_RETURN(p.amount.currency, GetCurrency(j[i], "currency", w));
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

void AddTo(Decimal& acc, const Decimal& v) {
  // Overflow of the 10^36 range is impossible for amounts validated at write time (each
  // below 10^24); keep the old value rather than wrap if it ever happened.
  if (auto s = Decimal::CheckedAdd(acc, v)) acc = *s;
}

const Json& Member(const Json& j, const char* key) {
  static const Json kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

}  // namespace

void LedgerState::ApplyLine(int64_t s, const DecidedLine& l, const std::string& content_hash,
                            const std::vector<Accrual>& accs, const std::vector<Posting>& postings,
                            int format) {
  LineState ls;
  ls.seq = s;
  ls.format = format;
  ls.content_hash = content_hash;
  ls.order_id = l.order_id;
  ls.line = l.line;
  ls.date = l.date;
  ls.exporter = l.exporter;
  ls.item = l.item;
  ls.eccn = l.decision.eccn;
  ls.decision = l.decision.decision;
  ls.destination = l.destination;
  ls.consignee = l.consignee;
  ls.end_user = l.end_user;
  ls.licence = l.licence;
  ls.quantity = l.quantity;
  ls.unit_price = l.unit_price;
  ls.currency = l.currency;
  ls.usd_rate = l.usd_rate;
  for (const auto& o : l.decision.obligations) {
    if (o.kind != "volume_cap" || !o.cap_ratio || o.cap_reference.empty()) continue;
    auto ref = Country::Parse(o.cap_reference);
    if (!ref.ok()) continue;
    VolumeCap c;
    c.item = l.item;
    c.destination = l.destination;
    c.reference = *ref;
    c.ratio = *o.cap_ratio;
    c.period = o.cap_period.empty() ? "quarter" : o.cap_period;
    c.cite = o.cite;
    ls.caps.push_back(std::move(c));
  }
  for (const auto& a : accs) {
    AccrualRecord r;
    r.seq = s;
    r.exporter = l.exporter;
    r.item = l.item;
    r.destination = l.destination.code();
    r.date = l.date;
    r.quantity = l.quantity;
    r.accrual = a;
    AddTo(outstanding[{l.exporter, a.kind}], a.amount_usd.amount);
    accruals.push_back(std::move(r));
  }
  for (const auto& p : postings) AddTo(accounts[p.account], p.amount.amount);
  lines[LineKey(l.order_id, l.line)] = std::move(ls);
}

void LedgerState::ApplyLicence(const Licence& l) {
  LicenceState st;
  st.licence = l;
  licences[l.number] = std::move(st);
}

void LedgerState::ApplyReserve(const Reservation& r) {
  reservations[r.id] = r;
  auto it = licences.find(r.licence);
  if (it == licences.end()) return;
  it->second.reserved_quantity += r.quantity;
  AddTo(it->second.reserved_value, r.value.amount);
}

void LedgerState::ApplyRelease(const std::string& id) {
  auto r = reservations.find(id);
  if (r == reservations.end() || !r->second.open) return;
  r->second.open = false;
  auto it = licences.find(r->second.licence);
  if (it == licences.end()) return;
  it->second.reserved_quantity -= r->second.quantity;
  AddTo(it->second.reserved_value, r->second.value.amount.Negated());
}

void LedgerState::ApplyShipment(const ShipmentRecord& s) {
  auto l = lines.find(LineKey(s.order_id, s.line));
  if (l != lines.end()) {
    l->second.shipped += s.quantity;
    shipped_by_month[{l->second.item, l->second.destination.code(), MonthIndex(s.date)}] +=
        s.quantity;
  }
  if (!s.reservation_id.empty()) ApplyRelease(s.reservation_id);
  if (!s.licence.empty()) {
    auto it = licences.find(s.licence);
    if (it != licences.end()) {
      it->second.shipped_quantity += s.quantity;
      AddTo(it->second.shipped_value, s.value.amount);
    }
  }
  shipments[s.id] = s;
}

void LedgerState::ApplyCap(const VolumeCap& c) {
  for (auto& existing : caps) {
    if (existing.item == c.item && existing.destination == c.destination &&
        existing.reference == c.reference && existing.period == c.period) {
      existing = c;  // a later cap.set replaces the ratio
      return;
    }
  }
  caps.push_back(c);
}

void LedgerState::ApplyRemittance(const Remittance& r, const std::vector<Posting>& postings) {
  remittances[r.id] = r;
  AddTo(outstanding[{r.exporter, r.kind}], r.amount.amount.Negated());
  for (const auto& p : postings) AddTo(accounts[p.account], p.amount.amount);
}

void LedgerState::ApplyReview(const Review& r) {
  latest_review[ReviewKey(r.party, r.list, r.entry_id)] = r.action;
  reviews.push_back(r);
}

void LedgerState::ApplyRules(const PolicyRef& policy,
                             const std::vector<std::string>& canonical_rules) {
  const std::string& policy_hash = policy.hash;
  policies.emplace(policy_hash, policy);
  for (const auto& text : canonical_rules) {
    auto j = ParseJson(text, text.size() + 1);
    if (!j.ok() || !j->is_object()) continue;
    auto id = j->find("id");
    if (id == j->end() || !id->is_string()) continue;
    std::string key = id->get<std::string>();
    rule_texts.emplace(std::make_pair(policy_hash, std::move(key)), RuleText{text, std::move(*j)});
  }
}

namespace {

// The string member `key` of `j`, or `def` when it is missing or not a string (never throws).
std::string StringOr(const Json& j, const char* key, const std::string& def) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : def;
}

}  // namespace

Status LedgerState::ExpandLine(Json& j) const {
  auto in = j.find("input");
  auto dec = j.find("decision");
  if (in == j.end() || !in->is_object()) return InvalidArgument("input: missing");
  if (dec == j.end() || !dec->is_object()) return InvalidArgument("decision: missing");
  if (in->contains("order_id")) (*dec)["order_id"] = (*in)["order_id"];
  if (in->contains("line")) (*dec)["line"] = (*in)["line"];
  std::string policy_hash;
  if (auto p = dec->find("policy"); p != dec->end() && p->is_string()) {
    // Format 3: the policy by hash; its name and version are in a policy.rules event.
    policy_hash = p->get<std::string>();
    auto known = policies.find(policy_hash);
    if (known == policies.end()) {
      return InvalidArgument("decision.policy: policy " + policy_hash +
                             " is not in any earlier policy.rules event");
    }
    Json obj = Json::object();
    obj["hash"] = known->second.hash;
    if (!known->second.name.empty()) obj["name"] = known->second.name;
    if (!known->second.version.empty()) obj["version"] = known->second.version;
    *p = std::move(obj);
  } else if (p != dec->end() && p->is_object()) {
    if (auto h = p->find("hash"); h != p->end() && h->is_string()) policy_hash = *h;
  }
  Json* rules = nullptr;
  if (auto r = dec->find("rules"); r != dec->end()) {
    if (!r->is_array()) return InvalidArgument("decision.rules: expected an array");
    rules = &*r;
    for (size_t i = 0; i < r->size(); ++i) {
      Json& e = (*r)[i];
      if (!e.is_string()) continue;  // a rule written in full
      auto it = rule_texts.find({policy_hash, e.get<std::string>()});
      if (it == rule_texts.end()) {
        return InvalidArgument("decision.rules[" + std::to_string(i) + "]: rule '" +
                               e.get<std::string>() + "' of policy " + policy_hash +
                               " is not in any earlier policy.rules event");
      }
      e = it->second.json;
    }
  }
  Json* obligations = nullptr;
  if (auto o = dec->find("obligations"); o != dec->end()) {
    if (!o->is_array()) return InvalidArgument("decision.obligations: expected an array");
    obligations = &*o;
    for (auto& ob : *o) {
      if (!ob.is_object() || ob.contains("cite") || !rules) continue;
      auto rid = ob.find("rule_id");
      if (rid == ob.end() || !rid->is_string()) continue;
      for (const auto& r : *rules) {
        if (r.is_object() && StringOr(r, "id", "") == rid->get<std::string>()) {
          if (r.contains("cite")) ob["cite"] = r["cite"];
          break;
        }
      }
    }
  }
  if (auto a = j.find("accruals"); a != j.end()) {
    if (!a->is_array()) return InvalidArgument("accruals: expected an array");
    for (size_t i = 0; i < a->size(); ++i) {
      Json& acc = (*a)[i];
      const std::string w = "accruals[" + std::to_string(i) + "]";
      if (!acc.is_object()) return InvalidArgument(w + ": expected an object");
      auto oi = acc.find("obligation");
      if (oi == acc.end() || !oi->is_number_integer() || !obligations || oi->get<int64_t>() < 0 ||
          oi->get<int64_t>() >= static_cast<int64_t>(obligations->size())) {
        return InvalidArgument(w + ".obligation: not the index of an obligation of the decision");
      }
      const Json& ob = (*obligations)[oi->get<size_t>()];
      if (!ob.is_object()) return InvalidArgument(w + ".obligation: not an object");
      Json full = Json::object();
      for (const char* k : {"kind", "rule_id", "cite", "rate"}) {
        if (ob.contains(k)) full[k] = ob[k];
      }
      full["base"] = StringOr(ob, "base", "sale_value");
      full["payee"] = StringOr(ob, "payee", "US Treasury");
      for (const char* k : {"amount_usd", "base_usd"}) {
        if (!acc.contains(k) || !acc[k].is_string()) {
          return InvalidArgument(w + "." + k + ": expected a decimal string");
        }
        full[k] = Json{{"amount", acc[k]}, {"currency", "USD"}};
      }
      full["obligation"] = *oi;
      acc = std::move(full);
    }
  }
  return Status::Ok();
}

Result<int> LedgerState::NormalizeLine(Json& j) const {
  auto f = j.find("format");
  if (f == j.end()) return 1;
  if (!f->is_number_integer() || f->get<int64_t>() < 2 || f->get<int64_t>() > kLineFormat) {
    return InvalidArgument("format: expected 1 (absent), 2 or 3");
  }
  const int format = f->get<int>();
  if (format >= 3 && j.contains("content_hash")) {
    return InvalidArgument("content_hash: not part of format 3");
  }
  TG_RETURN_IF_ERROR(ExpandLine(j));
  return format;
}

Result<DecidedLine> LedgerState::RecordedLine(const std::string& payload,
                                              size_t max_payload_bytes) const {
  TG_ASSIGN_OR_RETURN(Json j, ParseJson(payload, max_payload_bytes));
  if (!j.is_object()) return InvalidArgument("not an object");
  TG_RETURN_IF_ERROR(NormalizeLine(j).status());
  return DecidedLineFromJson(j, "");
}

Status LedgerState::ApplyEvent(const LedgerEvent& e, size_t max_payload_bytes) {
  const std::string where = "event " + std::to_string(e.seq) + " (" + e.kind + ")";
  if (e.seq != seq + 1 || e.prev_hash != hash) {
    return Status(StatusCode::kIntegrityError,
                  where + " does not link to event " + std::to_string(seq) +
                      "; the ledger was changed outside Tollgate: run 'tollgate ledger verify'");
  }
  // Writers act only on rows that match their hashes: a row modified behind Tollgate's back
  // stops every writer until it is dealt with (Verify names it).
  if (EventHash(e) != e.hash) {
    return Status(StatusCode::kIntegrityError,
                  where +
                      ": content does not match its hash (the row was modified); run "
                      "'tollgate ledger verify'");
  }
  auto parsed = ParseJson(e.payload, max_payload_bytes);
  if (!parsed.ok()) {
    return Status(StatusCode::kIntegrityError, where + ": " + parsed.status().message());
  }
  Json& j = *parsed;
  if (!j.is_object()) return Status(StatusCode::kIntegrityError, where + ": not an object");
  auto bad = [&](const Status& s) {
    return Status(StatusCode::kIntegrityError, where + ": " + s.message());
  };
#define TG_EVENT_ASSIGN(lhs, expr)                                                   \
  auto TG_CONCAT_(r_, __LINE__) = (expr);                                            \
  if (!TG_CONCAT_(r_, __LINE__).ok()) return bad(TG_CONCAT_(r_, __LINE__).status()); \
  lhs = std::move(TG_CONCAT_(r_, __LINE__)).value()

  if (e.kind == kLineRecorded) {
    TG_EVENT_ASSIGN(const int format, NormalizeLine(j));
    const Json& lj = j;
    TG_EVENT_ASSIGN(DecidedLine l, DecidedLineFromJson(lj, ""));
    std::string ch;  // format 3 stores none (RecordBatch reads the line back instead)
    if (format < 3) {
      TG_EVENT_ASSIGN(ch, GetString(lj, "content_hash", ""));
    }
    std::vector<Accrual> accs;
    const Json& ja = Member(lj, "accruals");
    if (ja.is_array()) {
      for (size_t i = 0; i < ja.size(); ++i) {
        TG_EVENT_ASSIGN(Accrual a, AccrualFromJson(ja[i], "accruals[" + std::to_string(i) + "]"));
        if (const Json& oi = Member(ja[i], "obligation"); oi.is_number_integer()) {
          a.obligation = oi.get<int>();
        }
        accs.push_back(std::move(a));
      }
    }
    std::vector<Posting> ps;
    if (format >= 2) {
      ps = AccrualPostings(accs);
    } else {
      TG_EVENT_ASSIGN(ps, PostingsFromJson(Member(lj, "postings"), "postings"));
    }
    ApplyLine(e.seq, l, ch, accs, ps, format);
  } else if (e.kind == kPolicyRules) {
    const Json& p = Member(j, "policy");
    static const Json kNoObject = Json::object(), kNoRules = Json::array();
    const Json& po = p.is_object() ? p : kNoObject;
    PolicyRef ref;
    TG_EVENT_ASSIGN(ref.hash, GetString(po, "hash", "policy", false));
    TG_EVENT_ASSIGN(ref.name, GetString(po, "name", "policy", false));
    TG_EVENT_ASSIGN(ref.version, GetString(po, "version", "policy", false));
    // A policy registered before any of its rules (format 3) has an empty list, which the
    // canonical encoding leaves out.
    const Json& rs = j.contains("rules") ? Member(j, "rules") : kNoRules;
    if (!rs.is_array()) return bad(InvalidArgument("rules: expected an array"));
    std::vector<std::string> texts;
    for (size_t i = 0; i < rs.size(); ++i) {
      if (!rs[i].is_object() || !rs[i].contains("id") || !rs[i]["id"].is_string()) {
        return bad(InvalidArgument("rules[" + std::to_string(i) + "]: expected a rule with an id"));
      }
      texts.push_back(DumpCompact(rs[i]));
    }
    ApplyRules(ref, texts);
  } else if (e.kind == kLicenceAdded) {
    TG_EVENT_ASSIGN(Licence l, LicenceFromJson(Member(j, "licence"), "licence"));
    ApplyLicence(l);
  } else if (e.kind == kLicenceReserved) {
    Reservation r;
    TG_EVENT_ASSIGN(r.id, GetString(j, "id", ""));
    TG_EVENT_ASSIGN(r.licence, GetString(j, "licence", ""));
    TG_EVENT_ASSIGN(r.quantity, GetInt(j, "quantity", ""));
    TG_EVENT_ASSIGN(r.value, GetMoney(j, "value", ""));
    TG_EVENT_ASSIGN(r.order_id, GetString(j, "order_id", "", false));
    TG_EVENT_ASSIGN(int64_t line, GetInt(j, "line", ""));
    r.line = static_cast<int>(line);
    ApplyReserve(r);
  } else if (e.kind == kLicenceReleased) {
    TG_EVENT_ASSIGN(std::string id, GetString(j, "id", ""));
    ApplyRelease(id);
  } else if (e.kind == kShipmentRecorded) {
    ShipmentRecord s;
    TG_EVENT_ASSIGN(s.id, GetString(j, "id", ""));
    TG_EVENT_ASSIGN(s.order_id, GetString(j, "order_id", ""));
    TG_EVENT_ASSIGN(int64_t line, GetInt(j, "line", ""));
    s.line = static_cast<int>(line);
    TG_EVENT_ASSIGN(s.quantity, GetInt(j, "quantity", ""));
    TG_EVENT_ASSIGN(s.value, GetMoney(j, "value", ""));
    TG_EVENT_ASSIGN(s.date, GetDate(j, "date", ""));
    TG_EVENT_ASSIGN(s.licence, GetString(j, "licence", "", false));
    TG_EVENT_ASSIGN(s.reservation_id, GetString(j, "reservation_id", "", false));
    ApplyShipment(s);
  } else if (e.kind == kCapSet) {
    VolumeCap c;
    TG_EVENT_ASSIGN(c.item, GetString(j, "item", ""));
    TG_EVENT_ASSIGN(c.destination, GetCountry(j, "destination", ""));
    TG_EVENT_ASSIGN(c.reference, GetCountry(j, "reference", ""));
    TG_EVENT_ASSIGN(c.ratio, GetDecimal(j, "ratio", ""));
    TG_EVENT_ASSIGN(c.period, GetString(j, "period", ""));
    TG_EVENT_ASSIGN(c.cite, GetString(j, "cite", "", false));
    ApplyCap(c);
  } else if (e.kind == kRemittanceRecorded) {
    Remittance r;
    TG_EVENT_ASSIGN(r.id, GetString(j, "id", ""));
    TG_EVENT_ASSIGN(r.exporter, GetString(j, "exporter", ""));
    TG_EVENT_ASSIGN(r.kind, GetString(j, "kind", ""));
    TG_EVENT_ASSIGN(r.amount, GetMoney(j, "amount", ""));
    TG_EVENT_ASSIGN(r.date, GetDate(j, "date", ""));
    TG_EVENT_ASSIGN(r.reference, GetString(j, "reference", "", false));
    TG_EVENT_ASSIGN(r.by, GetString(j, "by", "", false));
    TG_EVENT_ASSIGN(std::vector<Posting> ps, PostingsFromJson(Member(j, "postings"), "postings"));
    ApplyRemittance(r, ps);
  } else if (e.kind == kReviewRecorded) {
    Review r;
    TG_EVENT_ASSIGN(r.party, GetString(j, "party", ""));
    TG_EVENT_ASSIGN(r.list, GetString(j, "list", ""));
    TG_EVENT_ASSIGN(r.entry_id, GetString(j, "entry_id", ""));
    TG_EVENT_ASSIGN(r.action, GetString(j, "action", ""));
    TG_EVENT_ASSIGN(r.reason, GetString(j, "reason", ""));
    TG_EVENT_ASSIGN(r.reviewer, GetString(j, "reviewer", ""));
    TG_EVENT_ASSIGN(r.time, GetString(j, "time", ""));
    ApplyReview(r);
  } else {
    return Status(StatusCode::kIntegrityError, where + ": unknown event kind");
  }
#undef TG_EVENT_ASSIGN
  Advance(e.seq, e.hash);
  return Status::Ok();
}

}  // namespace tollgate::ledger
