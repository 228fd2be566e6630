// Output formats of `tollgate check` (JSON Lines, CSV, table) and the summary.
#include <algorithm>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "tollgate/pipeline.h"

namespace tollgate {

namespace {

using Json = nlohmann::ordered_json;

Json NullOr(const std::string& s) { return s.empty() ? Json() : Json(s); }

Json MoneyJson(const Money& m) {
  return Json{{"amount", m.amount.ToString()}, {"currency", m.currency.code()}};
}

Json ObligationJson(const Obligation& o) {
  Json j;
  j["kind"] = o.kind;
  j["rule"] = NullOr(o.rule_id);
  j["cite"] = NullOr(o.cite);
  j["rate"] = o.rate ? Json(o.rate->ToString()) : Json();
  j["base"] = NullOr(o.base);
  j["amount"] = o.amount ? Json(o.amount->amount.ToString()) : Json();
  j["currency"] = o.amount ? Json(o.amount->currency.code()) : Json();
  j["amount_usd"] = o.amount_usd ? Json(o.amount_usd->amount.ToString()) : Json();
  j["payee"] = NullOr(o.payee);
  if (!o.detail.empty()) j["detail"] = o.detail;
  if (!o.name.empty()) j["name"] = o.name;
  if (o.days) j["days"] = o.days;
  if (o.cap_ratio) j["cap_ratio"] = o.cap_ratio->ToString();
  if (!o.cap_reference.empty()) j["cap_reference"] = o.cap_reference;
  if (!o.cap_period.empty()) j["cap_period"] = o.cap_period;
  return j;
}

Json HitJson(const PartyHit& h) {
  Json j;
  j["party_role"] = h.party_role;
  j["party"] = h.party_name;
  j["list"] = h.list;
  j["entry_id"] = h.entry_id;
  j["name"] = h.name;
  j["alias"] = NullOr(h.alias);
  // Scores are shown with 4 decimals: they are similarity measures, not money.
  std::ostringstream s;
  s << std::fixed << std::setprecision(4) << h.score;
  j["score"] = Json::parse(s.str());
  Json tokens = Json::array();
  for (const auto& [query, entry] : h.matched_tokens)
    tokens.push_back({{"query", query}, {"entry", entry}});
  j["matched_tokens"] = tokens;
  return j;
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The sum of the revenue_share / tariff obligations of one kind, order currency and USD.
struct KindTotals {
  std::optional<Money> amount;
  std::optional<Money> usd;
};
KindTotals SumKind(const Decision& d, const std::string& kind) {
  KindTotals t;
  for (const auto& o : d.obligations) {
    if (o.kind != kind) continue;
    if (o.amount) {
      if (!t.amount) {
        t.amount = *o.amount;
      } else if (auto s = Decimal::CheckedAdd(t.amount->amount, o.amount->amount)) {
        t.amount->amount = *s;
      }
    }
    if (o.amount_usd) {
      if (!t.usd) {
        t.usd = *o.amount_usd;
      } else if (auto s = Decimal::CheckedAdd(t.usd->amount, o.amount_usd->amount)) {
        t.usd->amount = *s;
      }
    }
  }
  return t;
}

bool MayShip(const Decision& d) {
  if (d.decision == "nlr" || d.decision == "exception") return true;
  return d.decision == "licence" && d.review != "denial";
}

void AddTo(std::map<std::string, Decimal>* m, const Money& money) {
  auto& slot = (*m)[money.currency.code()];
  if (auto s = Decimal::CheckedAdd(slot, money.amount)) slot = *s;
}

}  // namespace

std::string DecisionToJson(const LineDecision& r) {
  const Decision& d = r.decision;
  Json j;
  j["order_id"] = d.order_id;
  j["line"] = d.line;
  j["date"] = r.line.date.ToString();
  j["as_of"] = r.decided_as_of.ToString();
  j["exporter"] = r.line.exporter;
  j["item"] = r.line.item;
  j["item_id"] = NullOr(r.item.id);
  j["decision"] = d.decision;
  j["review"] = NullOr(d.review);
  j["exception"] = NullOr(d.exception);
  j["eccn"] = NullOr(d.eccn);
  j["effect"] = std::string(EffectName(d.effect));
  j["policy"] =
      Json{{"name", d.policy.name}, {"version", d.policy.version}, {"hash", d.policy.hash}};
  Json rules = Json::array();
  for (const auto& m : d.rules) {
    Json rj{{"id", m.id}, {"effect", std::string(EffectName(m.effect))}, {"cite", m.cite}};
    if (!m.exception.empty()) rj["exception"] = m.exception;
    if (!m.confidence.empty()) rj["confidence"] = m.confidence;
    if (!m.note.empty()) rj["note"] = m.note;
    rules.push_back(std::move(rj));
  }
  j["rules"] = std::move(rules);
  Json obligations = Json::array();
  for (const auto& o : d.obligations) obligations.push_back(ObligationJson(o));
  j["obligations"] = std::move(obligations);
  j["conditions"] = d.conditions;
  Json hits = Json::array();
  for (const auto& h : d.hits) hits.push_back(HitJson(h));
  j["hits"] = std::move(hits);
  if (!r.cleared_hits.empty()) {
    Json cleared = Json::array();
    for (const auto& h : r.cleared_hits) cleared.push_back(HitJson(h));
    j["cleared_hits"] = std::move(cleared);
  }
  j["licence"] = NullOr(r.line.licence);
  j["sale_value"] = MoneyJson(r.sale_value);
  j["sale_value_usd"] = r.sale_value_usd ? Json(r.sale_value_usd->amount.ToString()) : Json();
  j["explanation"] = d.explanation;
  return Dump(j);
}

std::string DecisionCsvHeader() {
  return "order_id,line,date,as_of,exporter,item,eccn,decision,review,exception,rules,"
         "currency,sale_value,revenue_share,tariff,sale_value_usd,revenue_share_usd,tariff_usd,"
         "hits,policy_version,explanation";
}

std::string DecisionToCsv(const LineDecision& r) {
  const Decision& d = r.decision;
  std::string rules, hits;
  for (const auto& m : d.rules) rules += (rules.empty() ? "" : ";") + m.id;
  for (const auto& h : d.hits) hits += (hits.empty() ? "" : ";") + h.list + ":" + h.entry_id;
  auto share = SumKind(d, "revenue_share");
  auto tariff = SumKind(d, "tariff");
  auto amt = [](const std::optional<Money>& m) { return m ? m->amount.ToString() : ""; };
  std::vector<std::string> f = {d.order_id,
                                std::to_string(d.line),
                                r.line.date.ToString(),
                                r.decided_as_of.ToString(),
                                r.line.exporter,
                                r.line.item,
                                d.eccn,
                                d.decision,
                                d.review,
                                d.exception,
                                rules,
                                r.line.currency.code(),
                                r.sale_value.amount.ToString(),
                                amt(share.amount),
                                amt(tariff.amount),
                                amt(r.sale_value_usd),
                                amt(share.usd),
                                amt(tariff.usd),
                                hits,
                                d.policy.version,
                                d.explanation};
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + csv::Escape(f[i]);
  return out;
}

std::string DecisionsToTable(const std::vector<LineDecision>& lines) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ORDER", "LINE", "DATE", "ITEM", "DEST", "ECCN", "DECISION", "REVIEW", "EXC",
                  "SHARE", "TARIFF", "RULE"});
  for (const auto& r : lines) {
    const Decision& d = r.decision;
    auto share = SumKind(d, "revenue_share");
    auto tariff = SumKind(d, "tariff");
    auto amt = [](const std::optional<Money>& m) { return m ? m->ToString() : "-"; };
    auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    rows.push_back({d.order_id, std::to_string(d.line), r.line.date.ToString(), r.line.item,
                    r.line.destination.code(), dash(d.eccn), d.decision, dash(d.review),
                    dash(d.exception), amt(share.amount), amt(tariff.amount),
                    d.rules.empty() ? "-" : d.rules.front().id});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::string out;
  for (const auto& row : rows) {
    std::string l;
    for (size_t i = 0; i < row.size(); ++i) {
      l += row[i];
      if (i + 1 < row.size()) l += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += l + "\n";
  }
  return out;
}

Summary Summarize(const std::vector<LineDecision>& lines, int error_lines) {
  Summary s;
  s.total_lines = static_cast<int>(lines.size()) + error_lines;
  s.error_lines = error_lines;
  s.in_usd = !lines.empty();
  for (const auto& r : lines) {
    if (!r.sale_value_usd) s.in_usd = false;
    for (const auto& o : r.decision.obligations)
      if ((o.kind == "revenue_share" || o.kind == "tariff") && o.amount && !o.amount_usd)
        s.in_usd = false;
  }
  std::map<std::string, ExporterTotals> by_exporter;
  for (const auto& r : lines) {
    const Decision& d = r.decision;
    ++s.by_decision[d.decision];
    if (d.decision == "licence") ++s.licence_by_review[d.review];
    auto& t = by_exporter[r.line.exporter];
    t.exporter = r.line.exporter;
    ++t.lines;
    if (!MayShip(d)) continue;
    AddTo(&t.revenue, s.in_usd ? *r.sale_value_usd : r.sale_value);
    for (const auto& o : d.obligations) {
      if (o.kind != "revenue_share" && o.kind != "tariff") continue;
      const std::optional<Money>& m = s.in_usd ? o.amount_usd : o.amount;
      if (!m) continue;
      AddTo(o.kind == "tariff" ? &t.tariff : &t.revenue_share, *m);
    }
  }
  for (auto& [name, t] : by_exporter) s.exporters.push_back(std::move(t));
  return s;
}

namespace {

std::string Amounts(const std::map<std::string, Decimal>& m) {
  if (m.empty()) return "0";
  std::string out;
  for (const auto& [cur, amount] : m) {
    if (!out.empty()) out += " + ";
    out += amount.ToString() + " " + cur;
  }
  return out;
}

}  // namespace

std::string SummaryToText(const Summary& s) {
  std::ostringstream o;
  o << "Lines: " << s.total_lines << " (" << (s.total_lines - s.error_lines) << " decided, "
    << s.error_lines << " with errors)\n";
  for (const char* k : {"nlr", "exception", "licence", "prohibited", "hold"}) {
    auto it = s.by_decision.find(k);
    int n = it == s.by_decision.end() ? 0 : it->second;
    o << "  " << std::left << std::setw(12) << k << std::right << std::setw(6) << n;
    if (std::string(k) == "licence" && n > 0) {
      o << "  (";
      bool first = true;
      for (const char* r : {"approval", "case_by_case", "denial"}) {
        auto rit = s.licence_by_review.find(r);
        if (!first) o << ", ";
        first = false;
        o << r << " " << (rit == s.licence_by_review.end() ? 0 : rit->second);
      }
      o << ")";
    }
    o << "\n";
  }
  o << "\nPer exporter" << (s.in_usd ? " (USD" : " (order currencies")
    << "; lines that may ship as decided: nlr, exception, licence not under denial)\n";
  std::vector<std::vector<std::string>> rows = {
      {"EXPORTER", "LINES", "REVENUE", "REVENUE SHARE OWED", "TARIFF OWED"}};
  std::map<std::string, Decimal> tr, ts, tt;
  for (const auto& e : s.exporters) {
    rows.push_back({e.exporter, std::to_string(e.lines), Amounts(e.revenue),
                    Amounts(e.revenue_share), Amounts(e.tariff)});
    for (const auto& [c, a] : e.revenue)
      if (auto x = Decimal::CheckedAdd(tr[c], a)) tr[c] = *x;
    for (const auto& [c, a] : e.revenue_share)
      if (auto x = Decimal::CheckedAdd(ts[c], a)) ts[c] = *x;
    for (const auto& [c, a] : e.tariff)
      if (auto x = Decimal::CheckedAdd(tt[c], a)) tt[c] = *x;
  }
  rows.push_back({"TOTAL", std::to_string(s.total_lines - s.error_lines), Amounts(tr), Amounts(ts),
                  Amounts(tt)});
  std::vector<size_t> w(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
  for (const auto& r : rows) {
    std::string l = "  ";
    for (size_t i = 0; i < r.size(); ++i) {
      // Left-align names, right-align numbers.
      std::string pad(w[i] - r[i].size(), ' ');
      l += i == 0 ? r[i] + pad : pad + r[i];
      if (i + 1 < r.size()) l += "  ";
    }
    o << l << "\n";
  }
  return o.str();
}

std::string SummaryToJson(const Summary& s) {
  Json j;
  j["lines"] = s.total_lines;
  j["errors"] = s.error_lines;
  Json by = Json::object();
  for (const char* k : {"nlr", "exception", "licence", "prohibited", "hold"}) {
    auto it = s.by_decision.find(k);
    by[k] = it == s.by_decision.end() ? 0 : it->second;
  }
  j["by_decision"] = by;
  j["licence_by_review"] = s.licence_by_review;
  j["currency"] = s.in_usd ? Json("USD") : Json();
  Json ex = Json::array();
  auto amounts = [](const std::map<std::string, Decimal>& m) {
    Json a = Json::object();
    for (const auto& [c, v] : m) a[c] = v.ToString();
    return a;
  };
  for (const auto& e : s.exporters)
    ex.push_back(Json{{"exporter", e.exporter},
                      {"lines", e.lines},
                      {"revenue", amounts(e.revenue)},
                      {"revenue_share", amounts(e.revenue_share)},
                      {"tariff", amounts(e.tariff)}});
  j["exporters"] = std::move(ex);
  return Dump(j);
}

}  // namespace tollgate
