// The decision pipeline for one order line: item → screening → facts → policy → amounts.
#include <algorithm>
#include <sstream>

#include "tollgate/pipeline.h"

namespace tollgate {

namespace {

std::string DecisionWord(Effect e) {
  switch (e) {
    case Effect::kNlr:
      return "nlr";
    case Effect::kException:
      return "exception";
    case Effect::kLicenceApproval:
    case Effect::kLicenceCaseByCase:
    case Effect::kLicenceDenial:
      return "licence";
    case Effect::kProhibited:
      return "prohibited";
  }
  return "prohibited";
}

std::string ReviewWord(Effect e) {
  switch (e) {
    case Effect::kLicenceApproval:
      return "approval";
    case Effect::kLicenceCaseByCase:
      return "case_by_case";
    case Effect::kLicenceDenial:
      return "denial";
    default:
      return "";
  }
}

std::string Pct(const Decimal& rate) {
  auto p = Decimal::CheckedMul(rate, Decimal::FromInt(100));
  if (!p) return rate.ToString();
  // Drop trailing zeros for display: 25.00 → 25, 15.50 → 15.5.
  std::string s = p->ToString();
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s + "%";
}

std::string ReviewPhrase(const std::string& review) {
  if (review == "approval") return "presumption of approval";
  if (review == "case_by_case") return "case-by-case review";
  if (review == "denial") return "presumption of denial";
  return review;
}

std::string Explanation(const OrderLine& line, const ResolvedItem& item, const Decision& d,
                        Date as_of) {
  std::ostringstream s;
  s << (item.name.empty() ? line.item : item.name);
  if (!d.eccn.empty()) s << " (" << d.eccn << ")";
  s << " from " << line.ship_from.code() << " to " << line.destination.code() << " for "
    << line.end_user << " (" << EndUseName(line.end_use) << ")";
  s << " under the policy in force on " << as_of.ToString() << ": ";
  if (d.decision == "hold") {
    s << "held for screening review";
    if (!d.hits.empty()) {
      const auto& h = d.hits.front();
      s << " because the " << (h.party_role == "end_user" ? "end user" : "consignee") << " '"
        << h.party_name << "' matches " << h.list << " entry " << h.entry_id << " (" << h.name
        << ", score " << std::fixed;
      s.precision(2);
      s << h.score << ")";
    }
    s << "; without the hit the line would be ";
  }
  switch (d.effect) {
    case Effect::kNlr:
      s << "no licence required";
      break;
    case Effect::kException:
      s << "eligible for licence exception " << (d.exception.empty() ? "?" : d.exception);
      break;
    case Effect::kLicenceApproval:
    case Effect::kLicenceCaseByCase:
    case Effect::kLicenceDenial:
      s << "licence required, " << ReviewPhrase(d.review);
      break;
    case Effect::kProhibited:
      s << "prohibited";
      break;
  }
  if (!d.rules.empty()) {
    s << " (rule " << d.rules.front().id;
    if (!d.rules.front().cite.empty()) s << ", " << d.rules.front().cite;
    s << ")";
  }
  for (const auto& o : d.obligations) {
    if ((o.kind == "revenue_share" || o.kind == "tariff") && o.rate) {
      s << "; " << (o.kind == "tariff" ? "tariff " : "revenue share ") << Pct(*o.rate) << " of "
        << (o.base == "customs_value" ? "customs value" : "sale value");
      if (o.amount) s << " = " << o.amount->ToString();
      if (!o.payee.empty()) s << " to " << o.payee;
    }
  }
  if (!line.licence.empty() &&
      (d.effect >= Effect::kLicenceApproval && d.effect <= Effect::kLicenceDenial))
    s << "; licence " << line.licence << " cited on the order";
  s << ".";
  return s.str();
}

Diagnostic LineError(const OrderLine& line, OrderField f, const Status& st, std::string hint = "") {
  std::string msg = st.message();
  if (!st.diagnostics().empty() && st.diagnostics().front().message != msg)
    msg += ": " + st.diagnostics().front().message;
  return line.FieldDiagnostic(f, msg, std::move(hint));
}

struct Screened {
  std::vector<PartyHit> holding;
  std::vector<PartyHit> cleared;
  std::vector<PartyHit> all_consignee;  // holding hits of the consignee
  std::vector<PartyHit> all_end_user;   // holding hits of the end user
};

Result<Screened> ScreenParties(const OrderLine& line, const PipelineContext& ctx) {
  Screened out;
  if (!ctx.screener) return out;
  auto screen = [&](const std::string& role, const std::string& name, const Country& country,
                    std::vector<PartyHit>* all) -> Status {
    auto r = ctx.screener->Screen(name, country);
    if (!r.ok()) return r.status();
    for (auto h : *r) {
      if (h.score < ctx.hold_threshold) continue;
      h.party_role = role;
      h.party_name = name;
      if (ctx.is_cleared && ctx.is_cleared(h)) {
        out.cleared.push_back(std::move(h));
      } else {
        all->push_back(h);
        out.holding.push_back(std::move(h));
      }
    }
    return Status::Ok();
  };
  Status s = screen("consignee", line.consignee, line.consignee_country, &out.all_consignee);
  if (!s.ok()) return s;
  s = screen("end_user", line.end_user, line.end_user_country, &out.all_end_user);
  if (!s.ok()) return s;
  return out;
}

struct Prepared {
  ResolvedItem item;
  Screened screened;
  FactMap facts;
  Date as_of;
};

Result<Prepared> Prepare(const OrderLine& line, const PipelineContext& ctx) {
  Prepared p;
  p.as_of = ctx.as_of.value_or(line.date);
  if (!ctx.items || !ctx.policy) return Internal("pipeline context without items or policy");
  auto item = ctx.items->Resolve(line.item, p.as_of);
  if (!item.ok()) {
    if (item.status().code() == StatusCode::kNotFound)
      return Status::FromDiagnostic(
          StatusCode::kNotFound,
          line.FieldDiagnostic(OrderField::kItem, "unknown item '" + line.item + "'",
                               "expected a catalog id or alias (see tollgate catalog list)"));
    return Status::FromDiagnostic(item.status().code(),
                                  LineError(line, OrderField::kItem, item.status()));
  }
  p.item = std::move(item).value();
  auto sc = ScreenParties(line, ctx);
  if (!sc.ok())
    return Status::FromDiagnostic(sc.status().code(),
                                  LineError(line, OrderField::kConsignee, sc.status()));
  p.screened = std::move(sc).value();
  p.facts = BuildFacts(line, p.item, p.screened.all_consignee, p.screened.all_end_user);
  return p;
}

// amount = rate × base, rounded half-even to the currency's minor unit; the USD amount is
// converted from the exact (unrounded) amount and rounded once, to the cent.
Status FillAmounts(const OrderLine& line, const PipelineContext& ctx, Date fx_date, Decision* d) {
  const Money sale = *line.SaleValue();
  for (auto& o : d->obligations) {
    if (!o.rate) continue;
    if (o.kind != "revenue_share" && o.kind != "tariff") continue;
    std::optional<Money> base;
    if (o.base == "customs_value") {
      if (!line.customs_value) {
        if (!o.amount)
          d->conditions.push_back("the " + o.kind + " of rule " + o.rule_id +
                                  " is assessed on the US customs value, which the order "
                                  "line does not give; amount not computed");
        continue;
      }
      base = Money{*line.customs_value, line.currency};
    } else {
      base = sale;
    }
    auto exact = Decimal::CheckedMul(base->amount, *o.rate);
    if (!exact)
      return Status::FromDiagnostic(
          StatusCode::kInvalidArgument,
          line.FieldDiagnostic(OrderField::kUnitPrice, "obligation amount too large",
                               "expected smaller amounts"));
    Money m{*exact, line.currency};
    if (!o.amount) o.amount = m.RoundedToMinor();
    if (ctx.fx && !o.amount_usd) {
      auto usd = ctx.fx->ToUsd(m, fx_date);
      if (!usd.ok())
        return Status::FromDiagnostic(
            StatusCode::kNotFound,
            line.FieldDiagnostic(OrderField::kCurrency, usd.status().message(),
                                 "add a rate for this currency dated on or before the line's "
                                 "date to the FX table"));
      o.amount_usd = *usd;
    }
  }
  return Status::Ok();
}

}  // namespace

FactMap BuildFacts(const OrderLine& line, const ResolvedItem& item,
                   const std::vector<PartyHit>& consignee_hits,
                   const std::vector<PartyHit>& end_user_hits) {
  FactMap f = item.attributes;
  f["item.id"] = item.id;
  f["item.name"] = item.name;
  f["item.vendor"] = item.vendor;
  f["item.eccn_table"] = item.eccn;
  f["order.exporter"] = line.exporter;
  f["ship_from"] = line.ship_from.code();
  f["destination"] = line.destination.code();
  auto lists = [](const std::vector<PartyHit>& hits) {
    std::vector<std::string> v;
    for (const auto& h : hits)
      if (std::find(v.begin(), v.end(), h.list) == v.end()) v.push_back(h.list);
    return v;
  };
  f["consignee.name"] = line.consignee;
  f["consignee.country"] = line.consignee_country.code();
  f["consignee.lists"] = lists(consignee_hits);
  f["end_user.name"] = line.end_user;
  f["end_user.country"] = line.end_user_country.code();
  f["end_user.hq"] = line.end_user_hq.code();
  f["end_user.lists"] = lists(end_user_hits);
  f["end_use"] = std::string(EndUseName(line.end_use));
  f["order.date"] = line.date;
  f["order.quantity"] = Decimal::FromInt(line.quantity);
  f["order.value"] = line.SaleValue()->amount;
  f["order.currency"] = line.currency.code();
  f["order.licence"] = line.licence;
  if (line.customs_value) f["order.customs_value"] = *line.customs_value;
  return f;
}

Result<LineDecision> DecideLine(const OrderLine& line, const PipelineContext& ctx) {
  TG_ASSIGN_OR_RETURN(Prepared p, Prepare(line, ctx));
  auto decided = ctx.policy->Decide(p.facts, p.as_of);
  if (!decided.ok())
    return Status::FromDiagnostic(decided.status().code(),
                                  LineError(line, OrderField::kOrderId, decided.status()));
  LineDecision out;
  Decision& d = out.decision;
  d = std::move(decided).value();
  d.order_id = line.order_id;
  d.line = line.line;
  std::stable_sort(d.rules.begin(), d.rules.end(), [](const RuleMatch& a, const RuleMatch& b) {
    return static_cast<int>(a.effect) > static_cast<int>(b.effect);
  });
  d.decision = DecisionWord(d.effect);
  d.review = ReviewWord(d.effect);
  if (d.effect != Effect::kException) d.exception.clear();
  const bool policy_classified = !d.eccn.empty();
  if (d.eccn.empty()) d.eccn = p.item.eccn;
  // An item whose specs do not decide its ECCN must not ship as "no licence required" on the
  // strength of missing data: such a line is held for a person to classify the item, unless
  // the policy already requires a licence or prohibits it.
  bool unclassified = false;
  if (!p.item.unclassified_reason.empty() && !policy_classified && d.effect <= Effect::kException) {
    // Would the missing specs change the outcome? Decide again with every missing spec at its
    // most restrictive value (large throughput, bandwidth and density; a datacenter part). If
    // that is stricter, the line cannot ship on the strength of the missing data.
    FactMap worst = p.facts;
    const Decimal kLarge = Decimal::FromInt(1000000000);
    for (const char* name :
         {"item.tpp", "item.pd", "item.io_bandwidth", "item.dram_bandwidth", "item.hbm_density"})
      if (!worst.count(name)) worst[name] = kLarge;
    if (!worst.count("item.datacenter")) worst["item.datacenter"] = true;
    auto strict = ctx.policy->Decide(worst, p.as_of);
    unclassified = strict.ok() && strict->effect > d.effect;
  }
  // Amounts: the FX rate of the line's own date (the day of the sale), also under --as-of.
  TG_RETURN_IF_ERROR(FillAmounts(line, ctx, line.date, &d));
  d.hits = p.screened.holding;
  if (!d.hits.empty()) d.decision = "hold";
  std::string sentence = Explanation(line, p.item, d, p.as_of);
  if (unclassified) {
    d.decision = "hold";
    d.conditions.push_back(
        "classify the item before shipping: its ECCN cannot be determined from the catalog "
        "specs (" +
        p.item.unclassified_reason + ")");
    sentence += " Held: the ECCN of " + p.item.id + " cannot be determined from its specs (" +
                p.item.unclassified_reason +
                ") and the missing figures could require a licence; classify it before shipping.";
  }
  d.explanation = std::move(sentence);
  out.sale_value = line.SaleValue()->RoundedToMinor();
  if (ctx.fx) {
    auto usd = ctx.fx->ToUsd(*line.SaleValue(), line.date);
    if (!usd.ok())
      return Status::FromDiagnostic(
          StatusCode::kNotFound,
          line.FieldDiagnostic(OrderField::kCurrency, usd.status().message(),
                               "add a rate for this currency dated on or before the line's "
                               "date to the FX table"));
    out.sale_value_usd = *usd;
  }
  out.cleared_hits = std::move(p.screened.cleared);
  out.item = std::move(p.item);
  out.item.attributes.clear();  // already in the decision; keeps batches small in memory
  out.line = line;
  out.decided_as_of = p.as_of;
  return out;
}

namespace {

std::string FactToString(const FactValue& v) {
  struct V {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const Decimal& d) const { return d.ToString(); }
    std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
    std::string operator()(const Date& d) const { return d.ToString(); }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string s = "{";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
      return s + "}";
    }
  };
  return std::visit(V{}, v);
}

}  // namespace

Result<std::string> ExplainLine(const OrderLine& line, const PipelineContext& ctx) {
  TG_ASSIGN_OR_RETURN(Prepared p, Prepare(line, ctx));
  std::ostringstream s;
  s << "order " << line.order_id << " line " << line.line << " (" << line.file << ":"
    << line.source_line << ")\n";
  s << "decided under the policy in force on " << p.as_of.ToString()
    << (ctx.as_of ? " (--as-of)" : " (the line's date)") << "\n\n";
  s << "attributes:\n";
  size_t width = 0;
  for (const auto& [k, v] : p.facts) width = std::max(width, k.size());
  for (const auto& [k, v] : p.facts)
    s << "  " << k << std::string(width - k.size() + 2, ' ') << FactToString(v) << "\n";
  s << "\nscreening:";
  if (!ctx.screener) {
    s << " not performed (no list given)\n";
  } else if (p.screened.holding.empty() && p.screened.cleared.empty()) {
    s << " no hit at or above " << ctx.hold_threshold << " for the consignee or end user\n";
  } else {
    s << "\n";
    auto print = [&](const PartyHit& h, const char* tag) {
      s << "  " << tag << " " << h.party_role << " '" << h.party_name << "' ~ " << h.list << " "
        << h.entry_id << " '" << h.name << "'";
      if (!h.alias.empty()) s << " (alias '" << h.alias << "')";
      s << " score " << h.score << "\n";
    };
    for (const auto& h : p.screened.holding) print(h, "HOLD   ");
    for (const auto& h : p.screened.cleared) print(h, "cleared");
  }
  auto trace = ctx.policy->Trace(p.facts, p.as_of);
  if (!trace.ok())
    return Status::FromDiagnostic(trace.status().code(),
                                  LineError(line, OrderField::kOrderId, trace.status()));
  s << "\nrules tried (policy version "
    << (trace->version.empty() ? std::string("none in force") : trace->version) << "):\n";
  if (trace->rules.empty()) s << "  (none)\n";
  for (const auto& r : trace->rules) {
    const char* tag = !r.in_force ? "[lapsed]" : r.matched ? "[match] " : "[no]    ";
    s << "  " << tag << " " << r.id << " ("
      << (r.classification ? std::string("classification") : std::string(EffectName(r.effect)))
      << ")";
    if (!r.reason.empty()) s << ": " << r.reason;
    s << "\n";
  }
  TG_ASSIGN_OR_RETURN(LineDecision d, DecideLine(line, ctx));
  const Decision& dec = d.decision;
  s << "\nresult:\n";
  s << "  decision     " << dec.decision << "\n";
  s << "  review       " << (dec.review.empty() ? "-" : dec.review) << "\n";
  s << "  exception    " << (dec.exception.empty() ? "-" : dec.exception) << "\n";
  s << "  eccn         " << (dec.eccn.empty() ? "-" : dec.eccn) << "\n";
  s << "  policy       " << dec.policy.name << " " << dec.policy.version << " " << dec.policy.hash
    << "\n";
  s << "  winner       "
    << (dec.rules.empty()
            ? std::string("(no rule matched)")
            : dec.rules.front().id + " [" + std::string(EffectName(dec.rules.front().effect)) +
                  "] " + dec.rules.front().cite)
    << "\n";
  s << "  sale value   " << d.sale_value.ToString();
  if (d.sale_value_usd) s << " = " << d.sale_value_usd->ToString();
  s << "\n";
  s << "\nobligations:";
  if (dec.obligations.empty()) s << " none";
  s << "\n";
  for (const auto& o : dec.obligations) {
    s << "  - " << o.kind;
    if (o.rate) s << " " << Pct(*o.rate) << " of " << o.base;
    if (o.amount) s << " = " << o.amount->ToString();
    if (o.amount_usd) s << " (" << o.amount_usd->ToString() << ")";
    if (!o.payee.empty()) s << " to " << o.payee;
    if (!o.detail.empty()) s << ": " << o.detail;
    if (o.days) s << " (" << o.days << " days before shipment)";
    s << "  [" << o.rule_id << (o.cite.empty() ? "" : "; " + o.cite) << "]\n";
  }
  if (!dec.conditions.empty()) {
    s << "\nconditions:\n";
    for (const auto& c : dec.conditions) s << "  - " << c << "\n";
  }
  s << "\nexplanation: " << dec.explanation << "\n";
  return s.str();
}

DecideBatchResult DecideBatch(const std::vector<OrderLine>& lines, const PipelineContext& ctx) {
  DecideBatchResult out;
  out.decided.reserve(lines.size());
  for (const auto& l : lines) {
    auto r = DecideLine(l, ctx);
    if (r.ok()) {
      out.decided.push_back(std::move(r).value());
    } else {
      for (const auto& d : r.status().diagnostics()) out.errors.push_back(d);
      if (r.status().diagnostics().empty())
        out.errors.push_back(l.FieldDiagnostic(OrderField::kOrderId, r.status().message()));
    }
  }
  return out;
}

}  // namespace tollgate
