#include "policy/ast.h"

namespace tollgate::policy {

std::string_view CmpOpText(CmpOp op) {
  switch (op) {
    case CmpOp::kEq:
      return "==";
    case CmpOp::kNe:
      return "!=";
    case CmpOp::kLt:
      return "<";
    case CmpOp::kLe:
      return "<=";
    case CmpOp::kGt:
      return ">";
    case CmpOp::kGe:
      return ">=";
  }
  return "==";
}

CmpOp FlipCmp(CmpOp op) {
  switch (op) {
    case CmpOp::kLt:
      return CmpOp::kGt;
    case CmpOp::kLe:
      return CmpOp::kGe;
    case CmpOp::kGt:
      return CmpOp::kLt;
    case CmpOp::kGe:
      return CmpOp::kLe;
    default:
      return op;
  }
}

std::string_view ObligationKindName(ObligationDecl::Kind k) {
  switch (k) {
    case ObligationDecl::Kind::kRevenueShare:
      return "revenue_share";
    case ObligationDecl::Kind::kTariff:
      return "tariff";
    case ObligationDecl::Kind::kCertification:
      return "certification";
    case ObligationDecl::Kind::kVolumeCap:
      return "volume_cap";
    case ObligationDecl::Kind::kNotification:
      return "notification";
  }
  return "";
}

ExprPtr Expr::Clone() const {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->loc = loc;
  e->b = b;
  e->num = num;
  e->unit = unit;
  e->str = str;
  e->date = date;
  e->members = members;
  e->member_locs = member_locs;
  e->op = op;
  if (a) e->a = a->Clone();
  if (b2) e->b2 = b2->Clone();
  e->name_kind = name_kind;
  e->slot = slot;
  e->index = index;
  return e;
}

static bool PtrEq(const ExprPtr& x, const ExprPtr& y) {
  if (!x || !y) return !x && !y;
  return *x == *y;
}

bool operator==(const Expr& x, const Expr& y) {
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case ExprKind::kBool:
      return x.b == y.b;
    case ExprKind::kNumber:
      return x.num == y.num && x.num.scale() == y.num.scale() && x.unit == y.unit;
    case ExprKind::kString:
    case ExprKind::kName:
      return x.str == y.str;
    case ExprKind::kDate:
      return x.date == y.date;
    case ExprKind::kSetLit:
      return x.members == y.members;
    case ExprKind::kNot:
      return PtrEq(x.a, y.a);
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kIntersects:
      return PtrEq(x.a, y.a) && PtrEq(x.b2, y.b2);
    case ExprKind::kCmp:
      return x.op == y.op && PtrEq(x.a, y.a) && PtrEq(x.b2, y.b2);
    case ExprKind::kIn:
      return x.b == y.b && PtrEq(x.a, y.a) && PtrEq(x.b2, y.b2);
    case ExprKind::kIsNull:
      return x.b == y.b && PtrEq(x.a, y.a);
  }
  return false;
}

bool ObligationDecl::operator==(const ObligationDecl& o) const {
  return kind == o.kind && name == o.name && percent == o.percent && base == o.base &&
         payee == o.payee && reference == o.reference && period == o.period && days == o.days &&
         detail == o.detail;
}

bool RuleDecl::operator==(const RuleDecl& o) const {
  return id == o.id && classify == o.classify && eccn == o.eccn && effect == o.effect &&
         exception == o.exception && PtrEq(when, o.when) && cite == o.cite && note == o.note &&
         uncertain == o.uncertain && until == o.until && obligations == o.obligations;
}

bool VersionItem::operator==(const VersionItem& o) const {
  if (kind != o.kind) return false;
  if (kind == Kind::kRemove) return remove_id == o.remove_id;
  if (!rule || !o.rule) return !rule && !o.rule;
  return *rule == *o.rule;
}

bool VersionDecl::operator==(const VersionDecl& o) const {
  return id == o.id && effective == o.effective && title == o.title && cite == o.cite &&
         note == o.note && extends == o.extends && items == o.items;
}

bool SetDecl::operator==(const SetDecl& o) const {
  return name == o.name && PtrEq(members, o.members) && cite == o.cite;
}

bool DefineDecl::operator==(const DefineDecl& o) const {
  return name == o.name && PtrEq(expr, o.expr);
}

bool operator==(const FileAst& x, const FileAst& y) { return x.decls == y.decls; }

}  // namespace tollgate::policy
