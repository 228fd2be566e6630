// Static checks: name resolution, types and units, citations, version order and the
// add/replace/remove bookkeeping that resolves each version's rule list.
#include <algorithm>
#include <set>

#include "policy/internal.h"

namespace tollgate::policy {

namespace {

struct Ty {
  enum K { kBool, kNum, kStr, kDate, kSet, kErr } k = kErr;
  std::string unit;
  int slot = -1;              // when the operand is an attribute
  const Expr* lit = nullptr;  // when the operand is a literal (or set literal)
  int set = -1;               // named set
};

std::string TyName(const Ty& t) {
  switch (t.k) {
    case Ty::kBool:
      return "a bool";
    case Ty::kNum:
      return t.unit.empty() ? "a number" : "a number in " + t.unit;
    case Ty::kStr:
      return "a string";
    case Ty::kDate:
      return "a date";
    case Ty::kSet:
      return "a set";
    case Ty::kErr:
      return "an error";
  }
  return "?";
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

class Checker {
 public:
  Checker(PolicyData* d, const LoadOptions& o, std::vector<Diagnostic>* errors)
      : d_(d), options_(o), errors_(errors) {}

  void Run();

 private:
  void Err(int file, Loc loc, std::string msg, std::string hint = "") {
    errors_->push_back(
        MakeDiag(d_->files[static_cast<size_t>(file)], loc, std::move(msg), std::move(hint)));
  }
  Ty Check(Expr& e);
  bool CheckBool(Expr& e, std::string_view what);
  void CheckStringLiteral(int slot, const std::string& value, Loc loc, int file);
  void CheckSetAgainst(int slot, const Ty& set_ty);
  std::string Suggest(std::string_view name) const;
  void CheckRule(RuleDecl& r, int file, Date effective);

  PolicyData* d_;
  const LoadOptions& options_;
  std::vector<Diagnostic>* errors_;
  int file_ = 0;
  size_t visible_defines_ = 0;
  bool in_classify_ = false;
  std::set<std::pair<int, int>> checked_set_slot_;  // (set, slot) pairs already validated
  std::set<std::string> later_defines_;
  bool reads_eccn_ = false;  // every define name, for a better error
};

std::string Checker::Suggest(std::string_view name) const {
  std::string best;
  size_t best_d = 3;
  auto consider = [&](const std::string& cand) {
    size_t dd = EditDistance(name, cand);
    if (dd < best_d) best_d = dd, best = cand;
  };
  for (const auto& a : Schema::Default().attributes()) consider(a.name);
  for (const auto& s : d_->sets) consider(s.name);
  for (size_t i = 0; i < visible_defines_ && i < d_->defines.size(); ++i)
    consider(d_->defines[i].name);
  return best.empty() ? "" : "did you mean " + best + "?";
}

void Checker::CheckStringLiteral(int slot, const std::string& value, Loc loc, int file) {
  const AttrInfo& a = Schema::Default().info(slot);
  if (a.country && !Country::IsValidCode(value)) {
    Err(file, loc, Quote(value) + " is not an ISO 3166-1 alpha-2 country code",
        a.name + " holds a country code such as CN");
  } else if (!a.domain.empty() &&
             std::find(a.domain.begin(), a.domain.end(), value) == a.domain.end()) {
    std::string allowed;
    for (const auto& v : a.domain) allowed += (allowed.empty() ? "" : ", ") + v;
    Err(file, loc, Quote(value) + " is not a value of " + a.name, "expected one of: " + allowed);
  }
}

void Checker::CheckSetAgainst(int slot, const Ty& st) {
  if (slot < 0) return;
  const AttrInfo& a = Schema::Default().info(slot);
  if (!a.country && a.domain.empty()) return;
  if (st.lit) {
    for (size_t i = 0; i < st.lit->members.size(); ++i)
      CheckStringLiteral(slot, st.lit->members[i], st.lit->member_locs[i], file_);
  } else if (st.set >= 0 && checked_set_slot_.insert({st.set, slot}).second) {
    const SetInfo& s = d_->sets[static_cast<size_t>(st.set)];
    int saved = file_;
    for (size_t i = 0; i < s.lit->members.size(); ++i)
      CheckStringLiteral(slot, s.lit->members[i], s.lit->member_locs[i], s.loc.file);
    file_ = saved;
  }
}

Ty Checker::Check(Expr& e) {
  Ty t;
  switch (e.kind) {
    case ExprKind::kBool:
      t.k = Ty::kBool;
      t.lit = &e;
      return t;
    case ExprKind::kNumber:
      if (e.num.scale() > 9) {
        Err(file_, e.loc, "number " + e.num.ToString() + " has more than 9 decimal places",
            "policy constants are exact to 10^-9");
        return t;
      }
      t.k = Ty::kNum;
      t.unit = e.unit;
      t.lit = &e;
      return t;
    case ExprKind::kString:
      t.k = Ty::kStr;
      t.lit = &e;
      return t;
    case ExprKind::kDate:
      t.k = Ty::kDate;
      t.lit = &e;
      return t;
    case ExprKind::kSetLit:
      t.k = Ty::kSet;
      t.lit = &e;
      return t;
    case ExprKind::kName: {
      int slot = Schema::Default().Slot(e.str);
      if (slot >= 0) {
        const AttrInfo& a = Schema::Default().info(slot);
        if (a.computed) reads_eccn_ = true;
        if (a.computed && in_classify_) {
          Err(file_, e.loc, "classify rules cannot read " + a.name + " (it is what they compute)",
              "use item.eccn_table for the pipeline's classification");
          return t;
        }
        e.name_kind = NameKind::kAttr;
        e.slot = slot;
        t.slot = slot;
        t.unit = a.unit;
        switch (a.type) {
          case AttrType::kBool:
            t.k = Ty::kBool;
            break;
          case AttrType::kNumber:
            t.k = Ty::kNum;
            break;
          case AttrType::kString:
            t.k = Ty::kStr;
            break;
          case AttrType::kDate:
            t.k = Ty::kDate;
            break;
          case AttrType::kStringSet:
            t.k = Ty::kSet;
            break;
        }
        return t;
      }
      if (auto it = d_->define_index.find(e.str); it != d_->define_index.end()) {
        if (static_cast<size_t>(it->second) >= visible_defines_) {
          Err(file_, e.loc, "define " + e.str + " is used before it is defined",
              "defines may only use defines declared before them");
          return t;
        }
        const DefineInfo& di = d_->defines[static_cast<size_t>(it->second)];
        if (di.reads_eccn) {
          reads_eccn_ = true;
          if (in_classify_) {
            Err(file_, e.loc,
                "classify rules cannot use define " + e.str +
                    ": it reads item.eccn, which "
                    "they compute");
            return t;
          }
        }
        e.name_kind = NameKind::kDefine;
        e.index = it->second;
        t.k = Ty::kBool;
        return t;
      }
      if (auto it = d_->set_index.find(e.str); it != d_->set_index.end()) {
        e.name_kind = NameKind::kSet;
        e.index = it->second;
        t.k = Ty::kSet;
        t.set = it->second;
        return t;
      }
      if (later_defines_.count(e.str)) {
        Err(file_, e.loc, "define " + e.str + " is used before it is defined",
            "defines may only use defines declared before them");
        return t;
      }
      Err(file_, e.loc, "unknown attribute or name '" + e.str + "'", Suggest(e.str));
      return t;
    }
    case ExprKind::kNot:
      if (!CheckBool(*e.a, "the operand of 'not'")) return t;
      t.k = Ty::kBool;
      return t;
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const char* w = e.kind == ExprKind::kAnd ? "'and'" : "'or'";
      bool ok1 = CheckBool(*e.a, std::string("the left operand of ") + w);
      bool ok2 = CheckBool(*e.b2, std::string("the right operand of ") + w);
      if (ok1 && ok2) t.k = Ty::kBool;
      return t;
    }
    case ExprKind::kCmp: {
      Ty a = Check(*e.a), b = Check(*e.b2);
      if (a.k == Ty::kErr || b.k == Ty::kErr) return t;
      std::string op(CmpOpText(e.op));
      if (a.k == Ty::kSet || b.k == Ty::kSet) {
        Err(file_, e.loc, "'" + op + "' cannot compare sets",
            "use 'in' for membership or 'intersects' for a common member");
        return t;
      }
      if (a.k != b.k) {
        Err(file_, e.loc,
            "type mismatch: " + PrintExpr(*e.a) + " is " + TyName(a) + " but " + PrintExpr(*e.b2) +
                " is " + TyName(b));
        return t;
      }
      if (a.k == Ty::kNum && a.unit != b.unit) {
        const Ty& lit = a.lit ? a : b;
        const Ty& attr = a.lit ? b : a;
        const Expr& lit_e = a.lit ? *e.a : *e.b2;
        if (lit.lit && !attr.lit) {
          std::string want =
              attr.unit.empty() ? "a plain number" : lit_e.num.ToString() + " " + attr.unit;
          Err(file_, lit_e.loc,
              "unit mismatch: " + PrintExpr(a.lit ? *e.b2 : *e.a) + " is " + TyName(attr) +
                  " but " + PrintExpr(lit_e) + " is " + TyName(lit),
              "write " + want);
        } else {
          Err(file_, e.loc,
              "unit mismatch: " + PrintExpr(*e.a) + " is " + TyName(a) + " but " +
                  PrintExpr(*e.b2) + " is " + TyName(b));
        }
        return t;
      }
      if ((a.k == Ty::kStr || a.k == Ty::kBool) && e.op != CmpOp::kEq && e.op != CmpOp::kNe) {
        Err(file_, e.loc, "'" + op + "' cannot compare " + (a.k == Ty::kStr ? "strings" : "bools"),
            "only == and != apply");
        return t;
      }
      if (a.k == Ty::kStr) {
        if (a.slot >= 0 && b.lit) CheckStringLiteral(a.slot, b.lit->str, b.lit->loc, file_);
        if (b.slot >= 0 && a.lit) CheckStringLiteral(b.slot, a.lit->str, a.lit->loc, file_);
      }
      t.k = Ty::kBool;
      return t;
    }
    case ExprKind::kIn: {
      Ty a = Check(*e.a), b = Check(*e.b2);
      if (a.k == Ty::kErr || b.k == Ty::kErr) return t;
      if (a.k != Ty::kStr) {
        Err(file_, e.a->loc,
            "'in' needs a string on the left, but " + PrintExpr(*e.a) + " is " + TyName(a),
            a.k == Ty::kSet ? "use 'intersects' to test two sets for a common member" : "");
        return t;
      }
      if (b.k != Ty::kSet) {
        Err(file_, e.b2->loc,
            "'in' needs a set on the right, but " + PrintExpr(*e.b2) + " is " + TyName(b));
        return t;
      }
      CheckSetAgainst(a.slot, b);
      t.k = Ty::kBool;
      return t;
    }
    case ExprKind::kIntersects: {
      Ty a = Check(*e.a), b = Check(*e.b2);
      if (a.k == Ty::kErr || b.k == Ty::kErr) return t;
      if (a.k != Ty::kSet || a.slot < 0) {
        Err(file_, e.a->loc,
            "'intersects' needs a set attribute on the left, but " + PrintExpr(*e.a) + " is " +
                TyName(a));
        return t;
      }
      if (b.k != Ty::kSet) {
        Err(file_, e.b2->loc,
            "'intersects' needs a set on the right, but " + PrintExpr(*e.b2) + " is " + TyName(b));
        return t;
      }
      t.k = Ty::kBool;
      return t;
    }
    case ExprKind::kIsNull: {
      Ty a = Check(*e.a);
      if (a.k == Ty::kErr) return t;
      if (a.slot < 0) {
        Err(file_, e.a->loc, "'is null' applies to attributes, not to " + PrintExpr(*e.a));
        return t;
      }
      t.k = Ty::kBool;
      return t;
    }
  }
  return t;
}

bool Checker::CheckBool(Expr& e, std::string_view what) {
  Ty t = Check(e);
  if (t.k == Ty::kErr) return false;
  if (t.k != Ty::kBool) {
    Err(file_, e.loc,
        std::string(what) + " must be a condition (bool), but " + PrintExpr(e) + " is " +
            TyName(t));
    return false;
  }
  return true;
}

void Checker::CheckRule(RuleDecl& r, int file, Date effective) {
  file_ = file;
  in_classify_ = r.classify;
  const char* kind = r.classify ? "classify rule " : "rule ";
  if (r.cite.empty())
    Err(file, r.loc, std::string(kind) + r.id + " has no citation",
        "add cite \"<Federal Register page, CFR section or official announcement>\"");
  if (!r.when)
    Err(file, r.loc, std::string(kind) + r.id + " has no condition", "add when <condition>");
  else
    CheckBool(*r.when, "the condition of " + std::string(kind) + r.id);
  if (r.classify && r.eccn.empty())
    Err(file, r.loc, "classify rule " + r.id + " has no eccn", "add eccn \"3A090.a\"");
  if (!r.classify && !r.effect)
    Err(file, r.loc, "rule " + r.id + " has no effect",
        "add effect nlr | exception NAME | licence_approval | licence_case_by_case | "
        "licence_denial | prohibited");
  if (r.until && *r.until <= effective)
    Err(file, r.loc,
        std::string(kind) + r.id + " can never fire: it lapses on " + r.until->ToString() +
            ", not after its version takes effect on " + effective.ToString());
  if (r.effect && *r.effect == Effect::kProhibited && !r.obligations.empty())
    Err(file, r.obligations.front().loc,
        "rule " + r.id + " is prohibited: obligations on it can never apply");
  in_classify_ = false;
}

void Checker::Run() {
  // Policy name.
  for (size_t f = 0; f < d_->asts.size(); ++f) {
    for (const Decl& decl : d_->asts[f].decls) {
      if (auto* p = std::get_if<PolicyNameDecl>(&decl)) {
        if (d_->name.empty())
          d_->name = p->name;
        else if (p->name != d_->name)
          Err(static_cast<int>(f), p->loc,
              "policy name '" + p->name + "' differs from '" + d_->name + "' declared earlier",
              "every file of a policy directory declares the same policy");
      }
    }
  }
  if (d_->name.empty() && !d_->files.empty())
    Err(0, Loc{0, 1, 1}, "no 'policy NAME' declaration in any file", "add: policy us");

  // Sets, then defines (in file order).
  for (size_t f = 0; f < d_->asts.size(); ++f) {
    for (Decl& decl : d_->asts[f].decls) {
      if (auto* s = std::get_if<SetDecl>(&decl)) {
        if (Schema::Default().Slot(s->name) >= 0 || d_->set_index.count(s->name)) {
          Err(static_cast<int>(f), s->loc, "'" + s->name + "' is already defined");
          continue;
        }
        if (d_->sets.size() >= options_.max_sets) {
          Err(static_cast<int>(f), s->loc,
              "more than " + std::to_string(options_.max_sets) + " sets (LoadOptions::max_sets)");
          continue;
        }
        SetInfo info;
        info.name = s->name;
        info.loc = s->loc;
        info.lit = s->members.get();
        info.sorted = s->members->members;
        std::sort(info.sorted.begin(), info.sorted.end());
        for (size_t i = 1; i < info.sorted.size(); ++i)
          if (info.sorted[i] == info.sorted[i - 1])
            Err(static_cast<int>(f), s->loc,
                "set " + s->name + " lists '" + info.sorted[i] + "' twice");
        info.sorted.erase(std::unique(info.sorted.begin(), info.sorted.end()), info.sorted.end());
        info.cite = s->cite;
        d_->set_index[s->name] = static_cast<int>(d_->sets.size());
        d_->sets.push_back(std::move(info));
      }
    }
  }
  for (const auto& ast : d_->asts)
    for (const Decl& decl : ast.decls)
      if (auto* def = std::get_if<DefineDecl>(&decl)) later_defines_.insert(def->name);
  for (size_t f = 0; f < d_->asts.size(); ++f) {
    for (Decl& decl : d_->asts[f].decls) {
      if (auto* def = std::get_if<DefineDecl>(&decl)) {
        if (Schema::Default().Slot(def->name) >= 0 || d_->set_index.count(def->name) ||
            d_->define_index.count(def->name)) {
          Err(static_cast<int>(f), def->loc, "'" + def->name + "' is already defined");
          continue;
        }
        if (d_->sets.size() + d_->defines.size() >= options_.max_sets) {
          Err(static_cast<int>(f), def->loc,
              "more than " + std::to_string(options_.max_sets) +
                  " sets and defines (LoadOptions::max_sets)");
          continue;
        }
        d_->define_index[def->name] = static_cast<int>(d_->defines.size());
        file_ = static_cast<int>(f);
        visible_defines_ = d_->defines.size();
        reads_eccn_ = false;
        CheckBool(*def->expr, "define " + def->name);
        d_->defines.push_back(DefineInfo{def->name, def->loc, def->expr.get(), reads_eccn_});
      }
    }
  }
  visible_defines_ = d_->defines.size();

  // Versions: in order within each file, unique ids and dates, sorted by effective date.
  struct V {
    const VersionDecl* v;
    int file;
  };
  std::vector<V> all;
  for (size_t f = 0; f < d_->asts.size(); ++f) {
    const VersionDecl* prev = nullptr;
    for (const Decl& decl : d_->asts[f].decls) {
      if (auto* v = std::get_if<VersionDecl>(&decl)) {
        if (prev && v->effective <= prev->effective)
          Err(static_cast<int>(f), v->effective_loc,
              "versions out of order: version " + Quote(v->id) + " (effective " +
                  v->effective.ToString() + ") follows version " + Quote(prev->id) +
                  " (effective " + prev->effective.ToString() + ") in this file",
              "list versions in increasing effective date");
        prev = v;
        all.push_back(V{v, static_cast<int>(f)});
      }
    }
  }
  if (all.size() > options_.max_versions) {
    Err(all[options_.max_versions].file, all[options_.max_versions].v->loc,
        "more than " + std::to_string(options_.max_versions) +
            " versions (LoadOptions::max_versions)");
    return;
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const V& a, const V& b) { return a.v->effective < b.v->effective; });
  std::map<std::string, const V*> ids;
  for (size_t i = 0; i < all.size(); ++i) {
    const V& x = all[i];
    if (auto [it, fresh] = ids.emplace(x.v->id, &x); !fresh)
      Err(x.file, x.v->loc, "duplicate version id " + Quote(x.v->id),
          "first declared in " + d_->files[static_cast<size_t>(it->second->file)].path + ":" +
              std::to_string(it->second->v->loc.line));
    if (i > 0 && all[i - 1].v->effective == x.v->effective)
      Err(x.file, x.v->effective_loc,
          "two versions take effect on " + x.v->effective.ToString() + ": " +
              Quote(all[i - 1].v->id) + " and " + Quote(x.v->id));
    if (x.v->extends) {
      std::string want = i > 0 ? all[i - 1].v->id : "";
      if (*x.v->extends != want)
        Err(x.file, x.v->extends_loc,
            "versions out of order: version " + Quote(x.v->id) + " extends " +
                Quote(*x.v->extends) + ", but the version in force before it is " +
                (want.empty() ? std::string("none") : Quote(want)),
            "each version extends the one with the latest earlier effective date");
    }
  }

  // Resolve each version's rule list.
  std::vector<ResolvedRule> cls, rules;
  for (const V& x : all) {
    ResolvedVersion rv;
    rv.decl = x.v;
    rv.file = x.file;
    for (const VersionItem& it : x.v->items) {
      auto find = [&](std::vector<ResolvedRule>& list, const std::string& id) {
        return std::find_if(list.begin(), list.end(),
                            [&](const ResolvedRule& r) { return r.decl->id == id; });
      };
      if (it.kind == VersionItem::Kind::kRemove) {
        auto a = find(cls, it.remove_id);
        auto b = find(rules, it.remove_id);
        if (a != cls.end())
          cls.erase(a);
        else if (b != rules.end())
          rules.erase(b);
        else
          Err(x.file, it.loc,
              "remove " + it.remove_id + ": no such rule is in force before version " +
                  Quote(x.v->id));
        continue;
      }
      RuleDecl& r = *it.rule;
      CheckRule(r, x.file, x.v->effective);
      auto& list = r.classify ? cls : rules;
      auto& other = r.classify ? rules : cls;
      auto existing = find(list, r.id);
      ResolvedRule rr;
      rr.decl = it.rule;
      rr.since = x.v->id;
      rr.file = x.file;
      if (it.kind == VersionItem::Kind::kAdd) {
        if (existing != list.end() || find(other, r.id) != other.end()) {
          const ResolvedRule& e = existing != list.end() ? *existing : *find(other, r.id);
          Err(x.file, r.loc,
              "rule " + r.id + " is already in force (added in version " + Quote(e.since) + " at " +
                  d_->files[static_cast<size_t>(e.file)].path + ":" +
                  std::to_string(e.decl->loc.line) + ")",
              std::string("write 'replace ") + (r.classify ? "classify " : "rule ") + r.id +
                  "' to change it");
          continue;
        }
        list.push_back(std::move(rr));
      } else {
        if (existing == list.end()) {
          Err(x.file, it.loc,
              std::string("replace ") + (r.classify ? "classify " : "rule ") + r.id + ": no such " +
                  (r.classify ? "classify rule" : "rule") + " is in force before version " +
                  Quote(x.v->id),
              "use 'rule' / 'classify' to add a new one");
          continue;
        }
        *existing = std::move(rr);
      }
    }
    if (cls.size() + rules.size() > options_.max_rules) {
      Err(x.file, x.v->loc,
          "version " + Quote(x.v->id) + " has " + std::to_string(cls.size() + rules.size()) +
              " rules, more than " + std::to_string(options_.max_rules) +
              " (LoadOptions::max_rules)");
    }
    rv.classify = cls;
    rv.rules = rules;
    d_->versions.push_back(std::move(rv));
  }
}

}  // namespace

void CheckAndResolve(PolicyData* d, const LoadOptions& options, std::vector<Diagnostic>* errors) {
  Checker(d, options, errors).Run();
}

}  // namespace tollgate::policy
