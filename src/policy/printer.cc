// The canonical printer: parse(print(ast)) == ast. Comments and layout are not kept.
#include "policy/parser.h"

namespace tollgate::policy {

namespace {

int Prec(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kOr:
      return 1;
    case ExprKind::kAnd:
      return 2;
    case ExprKind::kNot:
      return 3;
    case ExprKind::kCmp:
    case ExprKind::kIn:
    case ExprKind::kIntersects:
    case ExprKind::kIsNull:
      return 4;
    default:
      return 5;
  }
}

void Print(const Expr& e, int min_prec, std::string* out) {
  bool parens = Prec(e) < min_prec;
  if (parens) *out += '(';
  switch (e.kind) {
    case ExprKind::kBool:
      *out += e.b ? "true" : "false";
      break;
    case ExprKind::kNumber:
      *out += e.num.ToString();
      if (!e.unit.empty()) *out += " " + e.unit;
      break;
    case ExprKind::kString:
      *out += Quote(e.str);
      break;
    case ExprKind::kDate:
      *out += e.date.ToString();
      break;
    case ExprKind::kSetLit:
      *out += PrintSetLit(e);
      break;
    case ExprKind::kName:
      *out += e.str;
      break;
    case ExprKind::kNot:
      *out += "not ";
      Print(*e.a, 3, out);
      break;
    case ExprKind::kAnd:
      Print(*e.a, 2, out);
      *out += " and ";
      Print(*e.b2, 3, out);
      break;
    case ExprKind::kOr:
      Print(*e.a, 1, out);
      *out += " or ";
      Print(*e.b2, 2, out);
      break;
    case ExprKind::kCmp:
      Print(*e.a, 5, out);
      *out += " ";
      *out += CmpOpText(e.op);
      *out += " ";
      Print(*e.b2, 5, out);
      break;
    case ExprKind::kIn:
      Print(*e.a, 5, out);
      *out += e.b ? " not in " : " in ";
      Print(*e.b2, 5, out);
      break;
    case ExprKind::kIntersects:
      Print(*e.a, 5, out);
      *out += " intersects ";
      Print(*e.b2, 5, out);
      break;
    case ExprKind::kIsNull:
      Print(*e.a, 5, out);
      *out += e.b ? " is not null" : " is null";
      break;
  }
  if (parens) *out += ')';
}

std::string Indent(int n) { return std::string(static_cast<size_t>(n), ' '); }

std::string PrintObligation(const ObligationDecl& o) {
  std::string s;
  switch (o.kind) {
    case ObligationDecl::Kind::kRevenueShare:
    case ObligationDecl::Kind::kTariff:
      s = o.kind == ObligationDecl::Kind::kTariff ? "tariff " + o.name + " " : "revenue_share ";
      s += o.percent.ToString() + "% of " + o.base + " to " + Quote(o.payee);
      if (!o.detail.empty()) s += " " + Quote(o.detail);
      break;
    case ObligationDecl::Kind::kCertification:
      s = "certify " + o.name + " " + Quote(o.detail);
      break;
    case ObligationDecl::Kind::kVolumeCap:
      s = "volume_cap " + o.percent.ToString() + "% of " + o.reference + " per " + o.period;
      if (!o.detail.empty()) s += " " + Quote(o.detail);
      break;
    case ObligationDecl::Kind::kNotification:
      s = "notify " + o.name + " " + std::to_string(o.days) + " days";
      if (!o.detail.empty()) s += " " + Quote(o.detail);
      break;
  }
  return s;
}

}  // namespace

std::string PrintExpr(const Expr& e) {
  std::string out;
  Print(e, 0, &out);
  return out;
}

std::string PrintSetLit(const Expr& e) {
  std::string out = "{";
  for (size_t i = 0; i < e.members.size(); ++i) {
    if (i) out += ", ";
    out += QuoteIfNeeded(e.members[i]);
  }
  return out + "}";
}

std::string PrintRule(const RuleDecl& r, int indent, bool replace) {
  std::string in = Indent(indent), in2 = Indent(indent + 2);
  std::string s =
      in + (replace ? "replace " : "") + (r.classify ? "classify " : "rule ") + r.id + " {\n";
  if (r.classify) s += in2 + "eccn " + Quote(r.eccn) + "\n";
  if (r.effect) {
    s += in2 + "effect " + std::string(EffectName(*r.effect));
    if (*r.effect == Effect::kException) s += " " + QuoteIfNeeded(r.exception);
    s += "\n";
  }
  if (r.when) s += in2 + "when " + PrintExpr(*r.when) + "\n";
  if (!r.cite.empty()) s += in2 + "cite " + Quote(r.cite) + "\n";
  if (!r.note.empty()) s += in2 + "note " + Quote(r.note) + "\n";
  if (!r.uncertain.empty()) s += in2 + "uncertain " + Quote(r.uncertain) + "\n";
  if (r.until) s += in2 + "until " + r.until->ToString() + "\n";
  for (const auto& o : r.obligations) s += in2 + PrintObligation(o) + "\n";
  return s + in + "}\n";
}

std::string PrintFile(const FileAst& f) {
  std::string out;
  bool first = true;
  for (const Decl& d : f.decls) {
    if (!first) out += "\n";
    first = false;
    if (auto* p = std::get_if<PolicyNameDecl>(&d)) {
      out += "policy " + QuoteIfNeeded(p->name) + "\n";
    } else if (auto* s = std::get_if<SetDecl>(&d)) {
      out += "set " + s->name + " = " + PrintSetLit(*s->members);
      if (!s->cite.empty()) out += " cite " + Quote(s->cite);
      out += "\n";
    } else if (auto* def = std::get_if<DefineDecl>(&d)) {
      out += "define " + def->name + " = " + PrintExpr(*def->expr) + "\n";
    } else if (auto* v = std::get_if<VersionDecl>(&d)) {
      out += "version " + Quote(v->id) + " effective " + v->effective.ToString();
      if (v->extends) out += " extends " + Quote(*v->extends);
      out += " {\n";
      if (!v->title.empty()) out += "  title " + Quote(v->title) + "\n";
      if (!v->cite.empty()) out += "  cite " + Quote(v->cite) + "\n";
      if (!v->note.empty()) out += "  note " + Quote(v->note) + "\n";
      for (const VersionItem& it : v->items) {
        if (it.kind == VersionItem::Kind::kRemove)
          out += "  remove " + it.remove_id + "\n";
        else
          out += PrintRule(*it.rule, 2, it.kind == VersionItem::Kind::kReplace);
      }
      out += "}\n";
    }
  }
  return out;
}

}  // namespace tollgate::policy
