// Static analysis of rule conditions, in disjunctive normal form (bounded):
//  - a rule whose condition is unsatisfiable can never fire (error);
//  - a rule that is always accompanied by a stricter rule never decides the outcome
//    (shadowed: warning), and a classify rule implied by an earlier one never fires (warning).
// Both checks are conservative: they report only what they prove. A comparison on a null
// attribute is false, so a negated atom is satisfiable by a null value and is never used to
// prove unsatisfiability.
#include <algorithm>
#include <optional>
#include <set>

#include "policy/internal.h"

namespace tollgate::policy {

namespace {

struct Lit {
  const Expr* atom;
  bool neg;
  std::string key;  // printed form, for implication by literal identity
};
using Conj = std::vector<Lit>;
using Dnf = std::vector<Conj>;

constexpr size_t kMaxConj = 256;

class Normalizer {
 public:
  explicit Normalizer(const PolicyData& d) : d_(d) {}

  std::optional<Dnf> Run(const Expr& e, bool neg, int depth = 0) {
    if (depth > 200) return std::nullopt;
    switch (e.kind) {
      case ExprKind::kNot:
        return Run(*e.a, !neg, depth + 1);
      case ExprKind::kName:
        if (e.name_kind == NameKind::kDefine)
          return Run(*d_.defines[static_cast<size_t>(e.index)].expr, neg, depth + 1);
        break;
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        bool conj = (e.kind == ExprKind::kAnd) != neg;
        auto a = Run(*e.a, neg, depth + 1);
        auto b = Run(*e.b2, neg, depth + 1);
        if (!a || !b) return std::nullopt;
        if (!conj) {
          a->insert(a->end(), b->begin(), b->end());
          if (a->size() > kMaxConj) return std::nullopt;
          return a;
        }
        if (a->size() * b->size() > kMaxConj) return std::nullopt;
        Dnf out;
        for (const auto& x : *a)
          for (const auto& y : *b) {
            Conj c = x;
            c.insert(c.end(), y.begin(), y.end());
            out.push_back(std::move(c));
          }
        return out;
      }
      default:
        break;
    }
    Lit l{&e, neg, (neg ? "not " : "") + PrintExpr(e)};
    return Dnf{Conj{l}};
  }

 private:
  const PolicyData& d_;
};

bool IsAttr(const Expr& e) { return e.kind == ExprKind::kName && e.name_kind == NameKind::kAttr; }

// Per-attribute constraints collected from the positive atoms of one conjunction.
struct Slot {
  std::optional<Decimal> lo, hi;  // numbers
  bool lo_strict = false, hi_strict = false;
  std::optional<int64_t> dlo, dhi;               // dates (inclusive, in days)
  std::optional<std::set<std::string>> allowed;  // strings
  std::set<std::string> excluded;
  std::optional<bool> bool_value;
  bool non_null = false;
  bool is_null = false;
};

// Returns a reason when the conjunction is provably unsatisfiable.
std::optional<std::string> Unsat(const PolicyData& d, const Conj& c) {
  std::map<int, Slot> slots;
  for (const Lit& l : c) {
    const Expr& e = *l.atom;
    if (e.kind == ExprKind::kBool) {
      if (e.b == l.neg) return std::string("it contains the constant false");
      continue;
    }
    if (l.neg) continue;
    if (e.kind == ExprKind::kName && IsAttr(e)) {
      Slot& s = slots[e.slot];
      s.non_null = true;
      if (s.bool_value && !*s.bool_value) return PrintExpr(e) + " is required true and false";
      s.bool_value = true;
      continue;
    }
    if (e.kind == ExprKind::kIsNull && IsAttr(*e.a)) {
      Slot& s = slots[e.a->slot];
      if (e.b)
        s.non_null = true;
      else
        s.is_null = true;
      if (s.is_null && s.non_null) return PrintExpr(*e.a) + " is required null and not null";
      continue;
    }
    if (e.kind == ExprKind::kIn && IsAttr(*e.a) &&
        (e.b2->kind == ExprKind::kSetLit ||
         (e.b2->kind == ExprKind::kName && e.b2->name_kind == NameKind::kSet))) {
      Slot& s = slots[e.a->slot];
      s.non_null = true;
      std::vector<std::string> members = e.b2->kind == ExprKind::kSetLit
                                             ? e.b2->members
                                             : d.sets[static_cast<size_t>(e.b2->index)].sorted;
      if (e.b) {
        s.excluded.insert(members.begin(), members.end());
      } else {
        std::set<std::string> m(members.begin(), members.end());
        if (s.allowed) {
          std::set<std::string> both;
          for (const auto& x : *s.allowed)
            if (m.count(x)) both.insert(x);
          s.allowed = both;
        } else {
          s.allowed = m;
        }
      }
    } else if (e.kind == ExprKind::kCmp) {
      const Expr* a = e.a.get();
      const Expr* b = e.b2.get();
      CmpOp op = e.op;
      if (!IsAttr(*a) && IsAttr(*b)) std::swap(a, b), op = FlipCmp(op);
      if (!IsAttr(*a) || IsAttr(*b)) continue;
      Slot& s = slots[a->slot];
      s.non_null = true;
      if (b->kind == ExprKind::kNumber) {
        const Decimal& k = b->num;
        auto tighten_lo = [&](bool strict) {
          if (!s.lo || k > *s.lo || (k == *s.lo && strict)) s.lo = k, s.lo_strict = strict;
        };
        auto tighten_hi = [&](bool strict) {
          if (!s.hi || k < *s.hi || (k == *s.hi && strict)) s.hi = k, s.hi_strict = strict;
        };
        if (op == CmpOp::kEq)
          tighten_lo(false), tighten_hi(false);
        else if (op == CmpOp::kGt)
          tighten_lo(true);
        else if (op == CmpOp::kGe)
          tighten_lo(false);
        else if (op == CmpOp::kLt)
          tighten_hi(true);
        else if (op == CmpOp::kLe)
          tighten_hi(false);
      } else if (b->kind == ExprKind::kDate) {
        int64_t k = b->date.days_since_epoch();
        if (op == CmpOp::kEq || op == CmpOp::kGe || op == CmpOp::kGt) {
          int64_t lo = op == CmpOp::kGt ? k + 1 : k;
          if (!s.dlo || lo > *s.dlo) s.dlo = lo;
        }
        if (op == CmpOp::kEq || op == CmpOp::kLe || op == CmpOp::kLt) {
          int64_t hi = op == CmpOp::kLt ? k - 1 : k;
          if (!s.dhi || hi < *s.dhi) s.dhi = hi;
        }
      } else if (b->kind == ExprKind::kString) {
        if (op == CmpOp::kEq) {
          std::set<std::string> m{b->str};
          if (s.allowed) {
            if (!s.allowed->count(b->str))
              s.allowed = std::set<std::string>{};
            else
              s.allowed = m;
          } else {
            s.allowed = m;
          }
        } else {
          s.excluded.insert(b->str);
        }
      } else if (b->kind == ExprKind::kBool) {
        bool want = (op == CmpOp::kEq) == b->b;
        if (s.bool_value && *s.bool_value != want)
          return PrintExpr(*a) + " is required true and false";
        s.bool_value = want;
      }
    }
  }
  const Schema& schema = Schema::Default();
  for (const auto& [slot, s] : slots) {
    const std::string& name = schema.info(slot).name;
    if (s.is_null && s.non_null) return name + " is required null and also compared";
    if (s.lo && s.hi) {
      auto c = *s.lo <=> *s.hi;
      if (c > 0 || (c == 0 && (s.lo_strict || s.hi_strict)))
        return "no value of " + name + " is " + (s.lo_strict ? "> " : ">= ") + s.lo->ToString() +
               " and " + (s.hi_strict ? "< " : "<= ") + s.hi->ToString();
    }
    if (s.dlo && s.dhi && *s.dlo > *s.dhi) return "no date " + name + " satisfies both bounds";
    if (s.allowed) {
      size_t left = 0;
      for (const auto& x : *s.allowed)
        if (!s.excluded.count(x)) ++left;
      if (left == 0) return "no value of " + name + " satisfies its equality and set conditions";
    }
  }
  return std::nullopt;
}

bool Implies(const Dnf& r, const Dnf& s) {
  // r => s when every conjunction of r contains every literal of some conjunction of s.
  for (const Conj& rc : r) {
    bool covered = false;
    for (const Conj& sc : s) {
      bool all = true;
      for (const Lit& l : sc) {
        bool found = false;
        for (const Lit& m : rc)
          if (m.key == l.key) {
            found = true;
            break;
          }
        if (!found) {
          all = false;
          break;
        }
      }
      if (all) {
        covered = true;
        break;
      }
    }
    if (!covered) return false;
  }
  return true;
}

}  // namespace

void AnalyzeRules(PolicyData* d, std::vector<Diagnostic>* errors) {
  Normalizer norm(*d);
  std::map<const RuleDecl*, std::optional<Dnf>> dnf;
  std::set<const RuleDecl*> never_checked;
  std::set<std::pair<const RuleDecl*, const RuleDecl*>> warned;
  auto get = [&](const ResolvedRule& r) -> const std::optional<Dnf>& {
    auto it = dnf.find(r.decl.get());
    if (it == dnf.end())
      it = dnf.emplace(r.decl.get(),
                       r.decl->when ? norm.Run(*r.decl->when, false) : std::optional<Dnf>())
               .first;
    return it->second;
  };
  auto where = [&](const ResolvedRule& r) {
    return d->files[static_cast<size_t>(r.file)].path + ":" + std::to_string(r.decl->loc.line);
  };
  for (const auto& v : d->versions) {
    for (const auto* list : {&v.classify, &v.rules}) {
      for (const auto& r : *list) {
        if (!never_checked.insert(r.decl.get()).second) continue;
        const auto& f = get(r);
        if (!f) continue;
        std::optional<std::string> reason;
        bool all_unsat = true;
        for (const Conj& c : *f) {
          auto u = Unsat(*d, c);
          if (!u) {
            all_unsat = false;
            break;
          }
          if (!reason) reason = u;
        }
        if (all_unsat && !f->empty())
          errors->push_back(MakeDiag(d->files[static_cast<size_t>(r.file)],
                                     r.decl->when_loc.line ? r.decl->when_loc : r.decl->loc,
                                     std::string(r.decl->classify ? "classify rule " : "rule ") +
                                         r.decl->id + " can never fire: " + *reason));
      }
    }
    // Classification: first match wins.
    for (size_t i = 0; i < v.classify.size(); ++i) {
      const auto& fr = get(v.classify[i]);
      if (!fr) continue;
      for (size_t j = 0; j < i; ++j) {
        const auto& fs = get(v.classify[j]);
        if (!fs || v.classify[j].decl->until) continue;
        auto key = std::make_pair(v.classify[i].decl.get(), v.classify[j].decl.get());
        if (Implies(*fr, *fs) && warned.insert(key).second)
          d->warnings.push_back(
              MakeDiag(d->files[static_cast<size_t>(v.classify[i].file)], v.classify[i].decl->loc,
                       "classify rule " + v.classify[i].decl->id + " can never fire in version " +
                           Quote(v.decl->id) + ": classify rule " + v.classify[j].decl->id + " (" +
                           where(v.classify[j]) + ") comes first and matches whenever it does",
                       "", Diagnostic::Severity::kWarning));
      }
    }
    // Decision rules: shadowed by a stricter rule that always matches with them.
    for (const auto& r : v.rules) {
      const auto& fr = get(r);
      if (!fr) continue;
      if (!r.decl->effect) continue;
      if (*r.decl->effect == Effect::kNlr && !r.decl->obligations.empty()) continue;
      for (const auto& s : v.rules) {
        if (&s == &r || !s.decl->effect || *s.decl->effect <= *r.decl->effect) continue;
        if (s.decl->until && (!r.decl->until || *s.decl->until < *r.decl->until)) continue;
        const auto& fs = get(s);
        if (!fs) continue;
        auto key = std::make_pair(r.decl.get(), s.decl.get());
        if (Implies(*fr, *fs) && warned.insert(key).second)
          d->warnings.push_back(
              MakeDiag(d->files[static_cast<size_t>(r.file)], r.decl->loc,
                       "rule " + r.decl->id + " is shadowed in version " + Quote(v.decl->id) +
                           ": whenever it matches, the stricter rule " + s.decl->id + " (" +
                           std::string(EffectName(*s.decl->effect)) + ", " + where(s) +
                           ") matches too, so it never decides the outcome",
                       "", Diagnostic::Severity::kWarning));
      }
    }
  }
}

}  // namespace tollgate::policy
