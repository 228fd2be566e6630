// The reference evaluator: a plain walk over the AST. Attributes are looked up by name,
// numbers compared as exact Decimals, sets searched linearly, defines evaluated by name.
// Deliberately simple; the compiled evaluator (compile.cc) is tested against it.
#include <algorithm>

#include "policy/internal.h"

namespace tollgate::policy {

namespace {

// The value of an operand: a literal, an attribute (possibly null) or a set.
struct RVal {
  bool is_null = false;
  AttrType type = AttrType::kString;
  bool b = false;
  Decimal num;
  std::string str;
  Date date;
  std::vector<std::string> set;
};

RVal Operand(const PolicyData& d, const Expr& e, const EvalCtx& ctx) {
  RVal v;
  switch (e.kind) {
    case ExprKind::kBool:
      v.type = AttrType::kBool;
      v.b = e.b;
      return v;
    case ExprKind::kNumber:
      v.type = AttrType::kNumber;
      v.num = e.num;
      return v;
    case ExprKind::kString:
      v.type = AttrType::kString;
      v.str = e.str;
      return v;
    case ExprKind::kDate:
      v.type = AttrType::kDate;
      v.date = e.date;
      return v;
    case ExprKind::kSetLit:
      v.type = AttrType::kStringSet;
      v.set = e.members;
      return v;
    case ExprKind::kName: {
      if (e.str == "item.eccn") {
        v.type = AttrType::kString;
        v.is_null = ctx.eccn == nullptr;
        if (ctx.eccn) v.str = *ctx.eccn;
        return v;
      }
      if (const Value* fv = ctx.facts->Find(e.str)) {
        v.type = fv->type;
        v.is_null = fv->is_null;
        v.b = fv->b;
        v.num = fv->num;
        v.str = fv->str;
        v.date = fv->date;
        v.set = fv->set;
        return v;
      }
      auto it = d.set_index.find(e.str);
      if (it != d.set_index.end()) {
        v.type = AttrType::kStringSet;
        v.set = d.sets[static_cast<size_t>(it->second)].lit->members;
        return v;
      }
      v.is_null = true;
      return v;
    }
    default:
      v.is_null = true;
      return v;
  }
}

bool IsAttrName(const Expr& e) {
  return e.kind == ExprKind::kName && (e.str == "item.eccn" || Schema::Default().Slot(e.str) >= 0);
}

std::string ShowVal(const RVal& v) {
  if (v.is_null) return "null";
  Value x;
  x.is_null = false;
  x.type = v.type;
  x.b = v.b;
  x.num = v.num;
  x.str = v.str;
  x.date = v.date;
  x.set = v.set;
  return x.ToString();
}

int Compare(const RVal& a, const RVal& b) {
  switch (a.type) {
    case AttrType::kNumber: {
      auto c = a.num <=> b.num;
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case AttrType::kDate:
      return a.date < b.date ? -1 : (b.date < a.date ? 1 : 0);
    case AttrType::kString:
      return a.str < b.str ? -1 : (b.str < a.str ? 1 : 0);
    case AttrType::kBool:
      return a.b == b.b ? 0 : (a.b ? 1 : -1);
    default:
      return 0;
  }
}

bool Holds(int c, CmpOp op) {
  switch (op) {
    case CmpOp::kEq:
      return c == 0;
    case CmpOp::kNe:
      return c != 0;
    case CmpOp::kLt:
      return c < 0;
    case CmpOp::kLe:
      return c <= 0;
    case CmpOp::kGt:
      return c > 0;
    case CmpOp::kGe:
      return c >= 0;
  }
  return false;
}

bool Contains(const std::vector<std::string>& s, const std::string& x) {
  return std::find(s.begin(), s.end(), x) != s.end();
}

void Explain(const PolicyData& d, const Expr& e, const EvalCtx& ctx, bool result,
             std::string* why) {
  if (!why) return;
  *why = PrintExpr(e) + (result ? " holds" : " is false");
  std::string vals;
  for (const Expr* x : {e.a.get(), e.b2.get()}) {
    if (x && IsAttrName(*x)) {
      RVal v = Operand(d, *x, ctx);
      vals += (vals.empty() ? "" : ", ") + x->str + " = " + ShowVal(v);
    }
  }
  if (e.kind == ExprKind::kName) vals = e.str + " = " + ShowVal(Operand(d, e, ctx));
  if (!vals.empty()) *why += " (" + vals + ")";
}

}  // namespace

bool EvalReference(const PolicyData& d, const Expr& e, const EvalCtx& ctx, std::string* why) {
  switch (e.kind) {
    case ExprKind::kBool:
      if (why) *why = e.b ? "true" : "false";
      return e.b;
    case ExprKind::kName: {
      auto it = d.define_index.find(e.str);
      if (it != d.define_index.end() && !IsAttrName(e)) {
        std::string inner;
        bool r = EvalReference(d, *d.defines[static_cast<size_t>(it->second)].expr, ctx,
                               why ? &inner : nullptr);
        if (why) *why = e.str + (r ? " holds: " : " is false: ") + inner;
        return r;
      }
      RVal v = Operand(d, e, ctx);
      bool r = !v.is_null && v.b;
      Explain(d, e, ctx, r, why);
      return r;
    }
    case ExprKind::kNot: {
      std::string inner;
      bool r = !EvalReference(d, *e.a, ctx, why ? &inner : nullptr);
      if (why) *why = "not (" + inner + ")";
      return r;
    }
    case ExprKind::kAnd: {
      std::string w1, w2;
      if (!EvalReference(d, *e.a, ctx, why ? &w1 : nullptr)) {
        if (why) *why = w1;
        return false;
      }
      if (!EvalReference(d, *e.b2, ctx, why ? &w2 : nullptr)) {
        if (why) *why = w2;
        return false;
      }
      if (why) *why = w1 + "; " + w2;
      return true;
    }
    case ExprKind::kOr: {
      std::string w1, w2;
      if (EvalReference(d, *e.a, ctx, why ? &w1 : nullptr)) {
        if (why) *why = w1;
        return true;
      }
      if (EvalReference(d, *e.b2, ctx, why ? &w2 : nullptr)) {
        if (why) *why = w2;
        return true;
      }
      if (why) {
        // Flatten left-deep chains: "none of: a; b; c".
        const std::string kNone = "none of: ";
        if (w1.rfind(kNone, 0) == 0) w1.erase(0, kNone.size());
        *why = kNone + w1 + "; " + w2;
      }
      return false;
    }
    case ExprKind::kCmp: {
      RVal a = Operand(d, *e.a, ctx), b = Operand(d, *e.b2, ctx);
      bool r = !a.is_null && !b.is_null && Holds(Compare(a, b), e.op);
      Explain(d, e, ctx, r, why);
      return r;
    }
    case ExprKind::kIn: {
      RVal a = Operand(d, *e.a, ctx), b = Operand(d, *e.b2, ctx);
      bool r = !a.is_null && !b.is_null && (Contains(b.set, a.str) != e.b);
      Explain(d, e, ctx, r, why);
      return r;
    }
    case ExprKind::kIntersects: {
      RVal a = Operand(d, *e.a, ctx), b = Operand(d, *e.b2, ctx);
      bool r = false;
      if (!a.is_null && !b.is_null)
        for (const auto& m : a.set) r = r || Contains(b.set, m);
      Explain(d, e, ctx, r, why);
      return r;
    }
    case ExprKind::kIsNull: {
      RVal a = Operand(d, *e.a, ctx);
      bool r = a.is_null != e.b;
      Explain(d, e, ctx, r, why);
      return r;
    }
    default:
      return false;
  }
}

}  // namespace tollgate::policy
