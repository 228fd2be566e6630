// The fast evaluator: conditions compiled to a flat node array over attribute slots.
// Defines are inlined, names resolved to slots, numbers compared as 128-bit keys (see
// Facts::NumKey), constant sub-expressions folded. No string hashing while deciding.
#include <algorithm>
#include <map>

#include "policy/internal.h"

namespace tollgate::policy {

namespace {

// Same mapping as Facts::NumKey for a literal (the checker guarantees scale <= 9, so exact).
__int128 LiteralKey(const Decimal& d) {
  __int128 c = d.coefficient();
  for (int i = d.scale(); i < 9; ++i) c *= 10;
  return c * 2;
}

bool CmpResult(int c, CmpOp op) {  // c = sign of (a - b)
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

template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

class Compiler {
 public:
  Compiler(PolicyData* d) : d_(d), p_(&d->program) {}

  int Emit(const Expr& e);

 private:
  int Add(Node n) {
    p_->nodes.push_back(n);
    return static_cast<int>(p_->nodes.size()) - 1;
  }
  int Const(bool v) {
    Node n;
    n.op = Op::kConst;
    n.k_bool = v;
    return Add(n);
  }
  int Str(const std::string& s) {
    auto it = strings_.find(s);
    if (it != strings_.end()) return it->second;
    p_->strings.push_back(s);
    return strings_[s] = static_cast<int>(p_->strings.size()) - 1;
  }
  int AddSet(std::vector<std::string> m) {
    std::sort(m.begin(), m.end());
    m.erase(std::unique(m.begin(), m.end()), m.end());
    CSet cs;
    cs.all_short = true;
    for (const auto& x : m) {
      uint64_t k = Facts::ShortStringKey(x);
      if (!k) cs.all_short = false;
      cs.keys.push_back(k);
    }
    std::sort(cs.keys.begin(), cs.keys.end());
    if (!cs.all_short) cs.keys.clear();
    cs.sorted = std::move(m);
    p_->sets.push_back(std::move(cs));
    return static_cast<int>(p_->sets.size()) - 1;
  }
  int SetOf(const Expr& e) {  // set literal or named set
    if (e.kind == ExprKind::kName && e.name_kind == NameKind::kSet) {
      auto it = named_sets_.find(e.index);
      if (it != named_sets_.end()) return it->second;
      return named_sets_[e.index] = AddSet(d_->sets[static_cast<size_t>(e.index)].sorted);
    }
    return AddSet(e.members);
  }
  bool IsAttr(const Expr& e) const {
    return e.kind == ExprKind::kName && e.name_kind == NameKind::kAttr;
  }

  PolicyData* d_;
  Program* p_;
  std::map<std::string, int> strings_;
  std::map<int, int> named_sets_;
  std::map<int, int> defines_;
};

int Compiler::Emit(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kBool:
      return Const(e.b);
    case ExprKind::kName: {
      if (e.name_kind == NameKind::kDefine) {
        // Emitted once; evaluated at most once per decision through the define cache.
        auto it = defines_.find(e.index);
        if (it != defines_.end()) return it->second;
        int body = Emit(*d_->defines[static_cast<size_t>(e.index)].expr);
        if (p_->nodes[static_cast<size_t>(body)].op == Op::kConst) return defines_[e.index] = body;
        Node n;
        n.op = Op::kDefine;
        n.a = body;
        n.set = e.index;
        return defines_[e.index] = Add(n);
      }
      Node n;  // a bool attribute used as a condition
      n.op = Op::kBoolAttr;
      n.slot = e.slot;
      return Add(n);
    }
    case ExprKind::kNot: {
      int a = Emit(*e.a);
      if (p_->nodes[static_cast<size_t>(a)].op == Op::kConst)
        return Const(!p_->nodes[static_cast<size_t>(a)].k_bool);
      Node n;
      n.op = Op::kNot;
      n.a = a;
      return Add(n);
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      bool is_and = e.kind == ExprKind::kAnd;
      int a = Emit(*e.a);
      int b = Emit(*e.b2);
      const Node& na = p_->nodes[static_cast<size_t>(a)];
      const Node& nb = p_->nodes[static_cast<size_t>(b)];
      if (na.op == Op::kConst) return na.k_bool == is_and ? b : Const(na.k_bool);
      if (nb.op == Op::kConst) return nb.k_bool == is_and ? a : Const(nb.k_bool);
      Node n;
      n.op = is_and ? Op::kAnd : Op::kOr;
      n.a = a;
      n.b = b;
      return Add(n);
    }
    case ExprKind::kCmp: {
      const Expr* l = e.a.get();
      const Expr* r = e.b2.get();
      CmpOp op = e.op;
      if (!IsAttr(*l) && IsAttr(*r)) {
        std::swap(l, r);
        op = FlipCmp(op);
      }
      Node n;
      n.cmp = op;
      if (!IsAttr(*l)) {  // literal vs literal: fold
        int c = 0;
        switch (l->kind) {
          case ExprKind::kNumber:
            c = Sign(l->num, r->num);
            break;
          case ExprKind::kString:
            c = Sign(l->str, r->str);
            break;
          case ExprKind::kDate:
            c = Sign(l->date, r->date);
            break;
          case ExprKind::kBool:
            c = Sign(l->b, r->b);
            break;
          default:
            break;
        }
        return Const(CmpResult(c, op));
      }
      n.slot = l->slot;
      AttrType t = Schema::Default().info(l->slot).type;
      bool attr_r = IsAttr(*r);
      if (attr_r) n.slot2 = r->slot;
      switch (t) {
        case AttrType::kNumber:
          n.op = attr_r ? Op::kNumCmpA : Op::kNumCmpK;
          if (!attr_r) n.key = LiteralKey(r->num);
          break;
        case AttrType::kDate:
          n.op = attr_r ? Op::kDateCmpA : Op::kDateCmpK;
          if (!attr_r) n.days = r->date.days_since_epoch();
          break;
        case AttrType::kString:
          n.op = attr_r ? Op::kStrCmpA : Op::kStrCmpK;
          if (!attr_r) {
            n.str = Str(r->str);
            n.skey = Facts::ShortStringKey(r->str);
          }
          break;
        case AttrType::kBool:
          n.op = attr_r ? Op::kBoolCmpA : Op::kBoolCmpK;
          if (!attr_r) n.k_bool = r->b;
          break;
        case AttrType::kStringSet:
          break;  // rejected by the checker
      }
      return Add(n);
    }
    case ExprKind::kIn: {
      Node n;
      n.neg = e.b;
      const Expr& r = *e.b2;
      if (IsAttr(r)) {  // a set attribute
        n.slot2 = r.slot;
        if (IsAttr(*e.a)) {
          n.op = Op::kStrInSetAttr;
          n.slot = e.a->slot;
        } else {
          n.op = Op::kKInSetAttr;
          n.str = Str(e.a->str);
        }
        return Add(n);
      }
      int set = SetOf(r);
      if (!IsAttr(*e.a)) {
        const auto& s = p_->sets[static_cast<size_t>(set)].sorted;
        bool in = std::binary_search(s.begin(), s.end(), e.a->str);
        return Const(in != e.b);
      }
      n.op = Op::kStrInSet;
      n.slot = e.a->slot;
      n.set = set;
      return Add(n);
    }
    case ExprKind::kIntersects: {
      Node n;
      n.slot = e.a->slot;
      if (IsAttr(*e.b2)) {
        n.op = Op::kSetAttrIntersectsA;
        n.slot2 = e.b2->slot;
      } else {
        n.op = Op::kSetAttrIntersects;
        n.set = SetOf(*e.b2);
      }
      return Add(n);
    }
    case ExprKind::kIsNull: {
      Node n;
      n.op = Op::kIsNull;
      n.slot = e.a->slot;
      n.neg = e.b;
      return Add(n);
    }
    default:
      break;
  }
  return Const(false);  // unreachable for checked input
}

inline const std::string* StrOf(const EvalCtx& c, int slot) {
  if (slot == c.eccn_slot) return c.eccn;
  if (c.facts->IsNull(slot)) return nullptr;
  return &c.facts->Get(slot).str;
}

inline uint64_t KeyOf(const EvalCtx& c, int slot) {
  return slot == c.eccn_slot ? c.eccn_key : c.facts->StrKey(slot);
}

inline bool InKeys(const std::vector<uint64_t>& keys, uint64_t k) {
  if (keys.size() <= 16) {
    for (uint64_t x : keys)
      if (x == k) return true;
    return false;
  }
  return std::binary_search(keys.begin(), keys.end(), k);
}

inline bool InSorted(const std::vector<std::string>& s, const std::string& x) {
  if (s.size() <= 8) {
    for (const auto& m : s)
      if (m == x) return true;
    return false;
  }
  return std::binary_search(s.begin(), s.end(), x);
}

bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    int c = a[i].compare(b[j]);
    if (c == 0) return true;
    if (c < 0)
      ++i;
    else
      ++j;
  }
  return false;
}

}  // namespace

void Compile(PolicyData* d) {
  Compiler c(d);
  d->program.num_defines = static_cast<int>(d->defines.size());
  std::map<const RuleDecl*, int> done;
  for (auto& v : d->versions) {
    for (auto* list : {&v.classify, &v.rules}) {
      for (auto& r : *list) {
        auto it = done.find(r.decl.get());
        if (it != done.end()) {
          r.root = it->second;
        } else {
          r.root = c.Emit(*r.decl->when);
          done[r.decl.get()] = r.root;
        }
      }
    }
  }
}

bool EvalCompiled(const Program& p, int idx, const EvalCtx& c) {
  const Node& n = p.nodes[static_cast<size_t>(idx)];
  const Facts& f = *c.facts;
  switch (n.op) {
    case Op::kConst:
      return n.k_bool;
    case Op::kAnd:
      return EvalCompiled(p, n.a, c) && EvalCompiled(p, n.b, c);
    case Op::kOr:
      return EvalCompiled(p, n.a, c) || EvalCompiled(p, n.b, c);
    case Op::kNot:
      return !EvalCompiled(p, n.a, c);
    case Op::kDefine: {
      int8_t& slot = c.define_cache[n.set];
      if (slot < 0) slot = EvalCompiled(p, n.a, c) ? 1 : 0;
      return slot != 0;
    }
    case Op::kNumCmpK: {
      if (f.IsNull(n.slot)) return false;
      __int128 k = f.NumKey(n.slot);
      return CmpResult(k < n.key ? -1 : (k > n.key ? 1 : 0), n.cmp);
    }
    case Op::kNumCmpA: {
      if (f.IsNull(n.slot) || f.IsNull(n.slot2)) return false;
      __int128 ka = f.NumKey(n.slot), kb = f.NumKey(n.slot2);
      // Both inexact in the same 10^-9 cell: fall back to the exact comparison.
      if (ka == kb && (ka & 1))
        return CmpResult(Sign(f.Get(n.slot).num, f.Get(n.slot2).num), n.cmp);
      return CmpResult(ka < kb ? -1 : (ka > kb ? 1 : 0), n.cmp);
    }
    case Op::kDateCmpK: {
      if (f.IsNull(n.slot)) return false;
      int64_t d = f.IntValue(n.slot);
      return CmpResult(d < n.days ? -1 : (d > n.days ? 1 : 0), n.cmp);
    }
    case Op::kDateCmpA: {
      if (f.IsNull(n.slot) || f.IsNull(n.slot2)) return false;
      return CmpResult(Sign(f.IntValue(n.slot), f.IntValue(n.slot2)), n.cmp);
    }
    case Op::kStrCmpK: {
      bool eq;
      if (n.skey) {
        // A short constant: equal keys iff equal strings; a null attribute has key 0.
        uint64_t k = KeyOf(c, n.slot);
        if (k == 0 && (n.slot == c.eccn_slot ? c.eccn == nullptr : f.IsNull(n.slot))) return false;
        eq = k == n.skey;
      } else {
        const std::string* s = StrOf(c, n.slot);
        if (!s) return false;
        eq = *s == p.strings[static_cast<size_t>(n.str)];
      }
      return eq == (n.cmp == CmpOp::kEq);
    }
    case Op::kStrCmpA: {
      const std::string* a = StrOf(c, n.slot);
      const std::string* b = StrOf(c, n.slot2);
      if (!a || !b) return false;
      return (*a == *b) == (n.cmp == CmpOp::kEq);
    }
    case Op::kBoolAttr:
      return !f.IsNull(n.slot) && f.IntValue(n.slot) != 0;
    case Op::kBoolCmpK: {
      if (f.IsNull(n.slot)) return false;
      return ((f.IntValue(n.slot) != 0) == n.k_bool) == (n.cmp == CmpOp::kEq);
    }
    case Op::kBoolCmpA: {
      if (f.IsNull(n.slot) || f.IsNull(n.slot2)) return false;
      return ((f.IntValue(n.slot) != 0) == (f.IntValue(n.slot2) != 0)) == (n.cmp == CmpOp::kEq);
    }
    case Op::kStrInSet: {
      const CSet& cs = p.sets[static_cast<size_t>(n.set)];
      if (cs.all_short) {
        uint64_t k = KeyOf(c, n.slot);
        if (k == 0) {
          // Null, or a long string that cannot be a member.
          if (n.slot == c.eccn_slot ? c.eccn == nullptr : f.IsNull(n.slot)) return false;
          return n.neg;
        }
        return InKeys(cs.keys, k) != n.neg;
      }
      const std::string* s = StrOf(c, n.slot);
      if (!s) return false;
      return InSorted(cs.sorted, *s) != n.neg;
    }
    case Op::kStrInSetAttr: {
      const std::string* s = StrOf(c, n.slot);
      if (!s || f.IsNull(n.slot2)) return false;
      const Value& b = f.Get(n.slot2);
      return std::binary_search(b.set.begin(), b.set.end(), *s) != n.neg;
    }
    case Op::kKInSetAttr: {
      if (f.IsNull(n.slot2)) return false;
      const Value& b = f.Get(n.slot2);
      return std::binary_search(b.set.begin(), b.set.end(),
                                p.strings[static_cast<size_t>(n.str)]) != n.neg;
    }
    case Op::kSetAttrIntersects: {
      if (f.IsNull(n.slot)) return false;
      return Intersects(f.Get(n.slot).set, p.sets[static_cast<size_t>(n.set)].sorted);
    }
    case Op::kSetAttrIntersectsA: {
      if (f.IsNull(n.slot) || f.IsNull(n.slot2)) return false;
      return Intersects(f.Get(n.slot).set, f.Get(n.slot2).set);
    }
    case Op::kIsNull: {
      bool is_null = n.slot == c.eccn_slot ? c.eccn == nullptr : f.IsNull(n.slot);
      return is_null != n.neg;
    }
  }
  return false;
}

}  // namespace tollgate::policy
