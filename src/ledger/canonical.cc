#include "ledger/canonical.h"

#include <cstdio>

#include "ledger/codec.h"

namespace tollgate::ledger {
namespace {

constexpr size_t kNoRollback = static_cast<size_t>(-1);

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid (overlongs,
// surrogates and code points above U+10FFFF are invalid, as in nlohmann::json).
size_t Utf8Len(std::string_view s, size_t i) {
  unsigned char c = s[i];
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    unsigned char c1 = s[i + 1];
    if (c == 0xE0 && c1 < 0xA0) return 0;
    if (c == 0xED && c1 > 0x9F) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    unsigned char c1 = s[i + 1];
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 > 0x8F) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

void CanonicalWriter::Key(std::string_view key) {
  Frame& f = frames_.back();
  if (f.count++ > 0) out_->push_back(',');
  out_->push_back('"');
  out_->append(key);
  out_->append("\":");
}

void CanonicalWriter::Element() {
  if (!frames_.empty()) {
    Frame& f = frames_.back();
    if (f.count++ > 0) out_->push_back(',');
  }
}

void CanonicalWriter::Quoted(std::string_view v) {
  out_->push_back('"');
  for (size_t i = 0; i < v.size();) {
    // Copy the longest run of characters that need no escape in one append.
    size_t run = i;
    while (run < v.size()) {
      unsigned char r = v[run];
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out_->append(v.data() + i, run - i);
      i = run;
      if (i == v.size()) break;
    }
    unsigned char c = v[i];
    switch (c) {
      case '"':
        out_->append("\\\"");
        break;
      case '\\':
        out_->append("\\\\");
        break;
      case '\b':
        out_->append("\\b");
        break;
      case '\f':
        out_->append("\\f");
        break;
      case '\n':
        out_->append("\\n");
        break;
      case '\r':
        out_->append("\\r");
        break;
      case '\t':
        out_->append("\\t");
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out_->append(buf);
        } else {
          size_t n = Utf8Len(v, i);
          if (n == 0) {
            if (!replace_invalid_) {
              ok_ = false;
              return;
            }
            out_->append("\xEF\xBF\xBD");  // U+FFFD for each byte that starts no sequence
            ++i;
            continue;
          }
          out_->append(v.substr(i, n));
          i += n;
          continue;
        }
    }
    ++i;
  }
  out_->push_back('"');
}

void CanonicalWriter::BeginObject() {
  Element();
  int pc = frames_.empty() ? 0 : frames_.back().count;
  out_->push_back('{');
  frames_.push_back(Frame{kNoRollback, pc, 0, false});
}

void CanonicalWriter::BeginObject(std::string_view key) {
  size_t at = out_->size();
  int pc = frames_.back().count;
  Key(key);
  out_->push_back('{');
  frames_.push_back(Frame{at, pc, 0, false});
}

void CanonicalWriter::BeginArray(std::string_view key) {
  size_t at = out_->size();
  int pc = frames_.back().count;
  Key(key);
  out_->push_back('[');
  frames_.push_back(Frame{at, pc, 0, true});
}

void CanonicalWriter::End() {
  Frame f = frames_.back();
  frames_.pop_back();
  if (f.count == 0 && f.rollback != kNoRollback) {
    out_->resize(f.rollback);  // an empty member is dropped
    frames_.back().count = f.parent_count;
    return;
  }
  out_->push_back(f.array ? ']' : '}');
}

void CanonicalWriter::String(std::string_view key, std::string_view v) {
  if (v.empty()) return;
  Key(key);
  Quoted(v);
}

void CanonicalWriter::Int(std::string_view key, int64_t v) {
  Key(key);
  out_->append(std::to_string(v));
}

void CanonicalWriter::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_->append(json);
}

void CanonicalWriter::ElementString(std::string_view v) {
  Element();
  Quoted(v);
}

namespace {

void MoneyMember(CanonicalWriter& w, std::string_view key, const std::optional<Money>& m) {
  if (!m) return;
  w.BeginObject(key);
  w.String("amount", m->amount.ToString());
  w.String("currency", m->currency.code());
  w.End();
}

void DecimalMember(CanonicalWriter& w, std::string_view key, const std::optional<Decimal>& d) {
  if (d) w.String(key, d->ToString());
}

void RuleObject(CanonicalWriter& w, const RuleMatch& r) {
  w.BeginObject();
  w.String("cite", r.cite);
  w.String("confidence", r.confidence);
  w.String("effect", EffectName(r.effect));
  w.String("exception", r.exception);
  w.String("id", r.id);
  w.String("note", r.note);
  w.End();
}

}  // namespace

std::string EncodeRule(const RuleMatch& r) {
  std::string out;
  CanonicalWriter w(&out, true);
  RuleObject(w, r);
  return out;
}

std::string FastLineInput(const DecidedLine& l) { return EncodeLineInput(l, 1); }

std::string EncodeLineInput(const DecidedLine& l, int format) {
  std::string out;
  out.reserve(512 + l.input_json.size());
  CanonicalWriter w(&out, format >= 2);
  w.BeginObject();
  w.String("consignee", l.consignee);
  w.String("consignee_country", l.consignee_country.code());
  w.String("currency", l.currency.code());
  DecimalMember(w, "customs_value", l.customs_value);
  w.String("date", l.date.ToString());
  w.String("destination", l.destination.code());
  w.String("end_use", l.end_use);
  w.String("end_user", l.end_user);
  w.String("end_user_country", l.end_user_country.code());
  w.String("end_user_hq", l.end_user_hq.code());
  w.String("exporter", l.exporter);
  if (format == 1) w.String("input_json", l.input_json);
  w.String("item", l.item);
  w.String("licence", l.licence);
  w.Int("line", l.line);
  w.String("order_id", l.order_id);
  w.Int("quantity", l.quantity);
  w.String("ship_from", l.ship_from.code());
  w.String("unit_price", l.unit_price.ToString());
  DecimalMember(w, "usd_rate", l.usd_rate);
  w.End();
  return w.ok() ? out : std::string();
}

std::string FastDecision(const Decision& d) { return EncodeDecision(d, 1, false); }

std::string EncodeDecision(const Decision& d, int format, bool inline_rules, bool inline_policy) {
  const bool v2 = format >= 2;
  // Format 2: an obligation's cite is left out when it equals the cite of its rule in this
  // decision (the reader copies it back); an obligation with an empty cite whose rule has
  // one keeps an explicit "" so that nothing is filled in.
  auto rule_cite = [&](const std::string& id) -> const std::string* {
    for (const auto& r : d.rules) {
      if (r.id == id) return &r.cite;
    }
    return nullptr;
  };
  std::string out;
  out.reserve(1024);
  CanonicalWriter w(&out, v2);
  w.BeginObject();
  w.BeginArray("conditions");
  for (const auto& c : d.conditions) w.ElementString(c);
  w.End();
  w.String("decision", d.decision);
  w.String("eccn", d.eccn);
  w.String("effect", EffectName(d.effect));
  w.String("exception", d.exception);
  w.String("explanation", d.explanation);
  w.BeginArray("hits");
  for (const auto& h : d.hits) {
    w.BeginObject();
    w.String("alias", h.alias);
    w.String("entry_id", h.entry_id);
    w.String("list", h.list);
    w.String("name", h.name);
    w.String("party_name", h.party_name);
    w.String("party_role", h.party_role);
    w.Raw("score", Json(h.score).dump());  // shortest round-trip form, as nlohmann prints
    w.End();
  }
  w.End();
  if (!v2) w.Int("line", d.line);
  w.BeginArray("obligations");
  for (const auto& o : d.obligations) {
    w.BeginObject();
    MoneyMember(w, "amount", o.amount);
    MoneyMember(w, "amount_usd", o.amount_usd);
    w.String("base", o.base);
    w.String("cap_period", o.cap_period);
    DecimalMember(w, "cap_ratio", o.cap_ratio);
    w.String("cap_reference", o.cap_reference);
    if (!v2) {
      w.String("cite", o.cite);
    } else if (const std::string* rc = rule_cite(o.rule_id); !rc || *rc != o.cite) {
      if (o.cite.empty()) {
        w.Raw("cite", "\"\"");
      } else {
        w.String("cite", o.cite);
      }
    }
    w.Int("days", o.days);
    w.String("detail", o.detail);
    w.String("kind", o.kind);
    w.String("name", o.name);
    w.String("payee", o.payee);
    DecimalMember(w, "rate", o.rate);
    w.String("rule_id", o.rule_id);
    w.End();
  }
  w.End();
  if (!v2) w.String("order_id", d.order_id);
  if (format >= 3 && !inline_policy && !d.policy.hash.empty()) {
    w.String("policy", d.policy.hash);  // name and version: in the policy.rules event
  } else {
    w.BeginObject("policy");
    w.String("hash", d.policy.hash);
    w.String("name", d.policy.name);
    w.String("version", d.policy.version);
    w.End();
  }
  w.String("review", d.review);
  w.BeginArray("rules");
  for (const auto& r : d.rules) {
    if (v2 && !inline_rules) {  // by id: the rule's text is in a policy.rules event
      w.ElementString(r.id);
      continue;
    }
    RuleObject(w, r);
  }
  w.End();
  w.End();
  return w.ok() ? out : std::string();
}

}  // namespace tollgate::ledger
