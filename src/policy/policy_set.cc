// PolicySet: loading (parse, check, resolve, compile, hash) and deciding.
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/io.h"
#include "policy/internal.h"

namespace tollgate {

using policy::EvalCtx;
using policy::ResolvedRule;
using policy::ResolvedVersion;

namespace {

std::string Sha256Hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// The canonical text of one resolved version: everything a decision under it depends on.
std::string CanonicalVersionText(const PolicyData& d, const ResolvedVersion& v) {
  std::string s = "policy " + policy::QuoteIfNeeded(d.name) + "\n";
  for (const auto& set : d.sets) {
    s += "set " + set.name + " = " + policy::PrintSetLit(*set.lit);
    if (!set.cite.empty()) s += " cite " + policy::Quote(set.cite);
    s += "\n";
  }
  for (const auto& def : d.defines)
    s += "define " + def.name + " = " + policy::PrintExpr(*def.expr) + "\n";
  s += "version " + policy::Quote(v.decl->id) + " effective " + v.decl->effective.ToString() +
       " {\n";
  if (!v.decl->title.empty()) s += "  title " + policy::Quote(v.decl->title) + "\n";
  if (!v.decl->cite.empty()) s += "  cite " + policy::Quote(v.decl->cite) + "\n";
  if (!v.decl->note.empty()) s += "  note " + policy::Quote(v.decl->note) + "\n";
  for (const auto& r : v.classify) s += policy::PrintRule(*r.decl, 2, false);
  for (const auto& r : v.rules) s += policy::PrintRule(*r.decl, 2, false);
  return s + "}\n";
}

bool InForce(const ResolvedRule& r, Date as_of) { return !r.decl->until || as_of < *r.decl->until; }

std::string_view ReviewOf(Effect e) {
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

std::string_view DecisionOf(Effect e) {
  switch (e) {
    case Effect::kNlr:
      return "nlr";
    case Effect::kException:
      return "exception";
    case Effect::kProhibited:
      return "prohibited";
    default:
      return "licence";
  }
}

std::string EffectPhrase(Effect e, const std::string& exception) {
  switch (e) {
    case Effect::kNlr:
      return "No licence required";
    case Effect::kException:
      return "Eligible for licence exception " + exception;
    case Effect::kLicenceApproval:
      return "Licence required, reviewed under a presumption of approval";
    case Effect::kLicenceCaseByCase:
      return "Licence required, reviewed case by case";
    case Effect::kLicenceDenial:
      return "Licence required, reviewed under a presumption of denial";
    case Effect::kProhibited:
      return "Prohibited";
  }
  return "";
}

// A vector with inline storage for the common case (a handful of matches).
class MatchList {
 public:
  void push_back(int v) {
    if (n_ < kInline)
      inline_[n_] = v;
    else
      overflow_.push_back(v);
    ++n_;
  }
  size_t size() const { return n_; }
  int operator[](size_t i) const { return i < kInline ? inline_[i] : overflow_[i - kInline]; }
  void set(size_t i, int v) {
    if (i < kInline)
      inline_[i] = v;
    else
      overflow_[i - kInline] = v;
  }

 private:
  static constexpr size_t kInline = 32;
  int inline_[kInline];
  std::vector<int> overflow_;
  size_t n_ = 0;
};

std::optional<Decimal> Percent(const Decimal& p) {
  return Decimal::CheckedDiv(p, Decimal::FromInt(100), std::min(p.scale() + 2, Decimal::kMaxScale),
                             Rounding::kHalfEven);
}

Decision Build(const PolicyData& d, const ResolvedVersion& v, const ResolvedRule* cls,
               const MatchList& matched_in, const Facts& f) {
  Decision out;
  out.policy = v.ref;
  if (cls) out.eccn = cls->decl->eccn;
  // Strictest first; declaration order among equals (insertion sort: lists are short).
  MatchList m = matched_in;
  for (size_t i = 1; i < m.size(); ++i) {
    int x = m[i];
    size_t j = i;
    while (j > 0 && *v.rules[static_cast<size_t>(m[j - 1])].decl->effect <
                        *v.rules[static_cast<size_t>(x)].decl->effect) {
      m.set(j, m[j - 1]);
      --j;
    }
    m.set(j, x);
  }
  Effect win = Effect::kNlr;
  const ResolvedRule* winner = nullptr;
  out.rules.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    const ResolvedRule& r = v.rules[static_cast<size_t>(m[i])];
    out.rules.push_back(r.match);
    if (i == 0) {
      win = *r.decl->effect;
      winner = &r;
    }
  }
  out.effect = win;
  out.decision = std::string(DecisionOf(win));
  out.review = std::string(ReviewOf(win));
  if (win == Effect::kException) out.exception = winner->decl->exception;

  // Obligations: those of the rules with the winning effect, plus those carried by NLR rules
  // (tariffs and the like, owed whenever the goods ship); none when prohibited.
  if (win != Effect::kProhibited) {
    static const int kCurrencySlot = Schema::Default().Slot("order.currency");
    std::optional<Currency> currency;
    bool currency_parsed = false;
    auto get_currency = [&]() -> const std::optional<Currency>& {
      if (!currency_parsed) {
        currency_parsed = true;
        const Value& cv = f.Get(kCurrencySlot);
        if (!cv.is_null) {
          auto c = Currency::Parse(cv.str);
          if (c.ok()) currency = *c;
        }
      }
      return currency;
    };
    static const int kValueSlot = Schema::Default().Slot("order.value");
    static const int kCustomsSlot = Schema::Default().Slot("order.customs_value");
    for (size_t i = 0; i < m.size(); ++i) {
      const ResolvedRule& r = v.rules[static_cast<size_t>(m[i])];
      Effect e = *r.decl->effect;
      if (e != win && e != Effect::kNlr) continue;
      for (size_t oi = 0; oi < r.obligations.size(); ++oi) {
        const auto& o = r.decl->obligations[oi];
        Obligation ob = r.obligations[oi];
        if (o.kind == policy::ObligationDecl::Kind::kRevenueShare ||
            o.kind == policy::ObligationDecl::Kind::kTariff) {
          const Value& base = f.Get(o.base == "customs_value" ? kCustomsSlot : kValueSlot);
          if (ob.rate && !base.is_null && get_currency()) {
            auto amt = Decimal::CheckedMul(*ob.rate, base.num);
            if (amt) ob.amount = Money{*amt, *currency}.RoundedToMinor();
          }
          if (!ob.amount) {
            out.conditions.push_back(
                ob.kind + " " + o.percent.ToString() + "% of " + o.base +
                (base.is_null ? ": amount not computed, " +
                                    std::string(o.base == "customs_value" ? "order.customs_value"
                                                                          : "order.value") +
                                    " is missing"
                              : ": amount not computed, order.currency is missing"));
          }
        } else {
          out.conditions.push_back(r.condition_texts[oi]);
        }
        out.obligations.push_back(std::move(ob));
      }
    }
  }

  // One sentence.
  static const int kDestSlot = Schema::Default().Slot("destination");
  const Value& dest = f.Get(kDestSlot);
  std::string what =
      "ECCN " + (out.eccn.empty() ? std::string("not 3A090/4A090 under these rules") : out.eccn);
  if (!dest.is_null) what += " to " + dest.str;
  if (!winner) {
    out.explanation = "No licence required under policy " + d.name + " version " + v.ref.version +
                      ": no rule applies (" + what + ").";
    return out;
  }
  std::string s;
  s.reserve(winner->expl_head.size() + what.size() + winner->expl_tail.size() + 40);
  s += winner->expl_head;
  s += what;
  s += winner->expl_tail;
  if (m.size() > 1)
    s += "; " + std::to_string(m.size() - 1) + (m.size() == 2 ? " other rule" : " other rules") +
         " also matched";
  out.explanation = s + ".";
  return out;
}

Decision NoVersion(const PolicyData& d, Date as_of) {
  Decision out;
  out.decision = "nlr";
  out.policy.name = d.name;
  out.explanation =
      "No licence required: no version of policy " + d.name + " is in force on " +
      as_of.ToString() + " (the first takes effect on " +
      (d.versions.empty() ? std::string("-") : d.versions.front().decl->effective.ToString()) +
      ").";
  return out;
}

// Per-decision define cache (-1 = not evaluated); inline for the common case.
class DefineCache {
 public:
  explicit DefineCache(int n) : n_(static_cast<size_t>(n)) {
    if (n_ > kInline)
      heap_.assign(n_, -1);
    else
      std::fill(inline_, inline_ + n_, static_cast<int8_t>(-1));
  }
  int8_t* data() { return n_ > kInline ? heap_.data() : inline_; }

 private:
  static constexpr size_t kInline = 128;
  size_t n_;
  int8_t inline_[kInline];
  std::vector<int8_t> heap_;
};

// The values of item.eccn ("" for null) under which `e` can be true, or nullopt when not
// constrained. Conservative: only plain membership / equality / is-null tests on item.eccn,
// through and/or/defines, constrain.
std::optional<std::set<std::string>> StrConstraint(const PolicyData& d, const policy::Expr& e,
                                                   int slot, int depth) {
  using policy::ExprKind;
  using policy::NameKind;
  if (depth > 200) return std::nullopt;
  auto is_eccn = [&](const policy::Expr& x) {
    return x.kind == ExprKind::kName && x.name_kind == NameKind::kAttr && x.slot == slot;
  };
  switch (e.kind) {
    case ExprKind::kName:
      if (e.name_kind == NameKind::kDefine)
        return StrConstraint(d, *d.defines[static_cast<size_t>(e.index)].expr, slot, depth + 1);
      return std::nullopt;
    case ExprKind::kIn:
      if (!e.b && is_eccn(*e.a)) {
        if (e.b2->kind == ExprKind::kSetLit)
          return std::set<std::string>(e.b2->members.begin(), e.b2->members.end());
        if (e.b2->kind == ExprKind::kName && e.b2->name_kind == NameKind::kSet) {
          const auto& m = d.sets[static_cast<size_t>(e.b2->index)].sorted;
          return std::set<std::string>(m.begin(), m.end());
        }
      }
      return std::nullopt;
    case ExprKind::kCmp:
      if (e.op == policy::CmpOp::kEq && is_eccn(*e.a) && e.b2->kind == ExprKind::kString)
        return std::set<std::string>{e.b2->str};
      if (e.op == policy::CmpOp::kEq && is_eccn(*e.b2) && e.a->kind == ExprKind::kString)
        return std::set<std::string>{e.a->str};
      return std::nullopt;
    case ExprKind::kIsNull:
      if (!e.b && is_eccn(*e.a)) return std::set<std::string>{""};
      return std::nullopt;
    case ExprKind::kAnd: {
      auto a = StrConstraint(d, *e.a, slot, depth + 1),
           b = StrConstraint(d, *e.b2, slot, depth + 1);
      if (!a) return b;
      if (!b) return a;
      std::set<std::string> both;
      for (const auto& x : *a)
        if (b->count(x)) both.insert(x);
      return both;
    }
    case ExprKind::kOr: {
      auto a = StrConstraint(d, *e.a, slot, depth + 1),
           b = StrConstraint(d, *e.b2, slot, depth + 1);
      if (!a || !b) return std::nullopt;
      a->insert(b->begin(), b->end());
      return a;
    }
    default:
      return std::nullopt;
  }
}

bool IsLimitDiag(const Diagnostic& x) {
  return x.message.find("(LoadOptions::") != std::string::npos;
}

}  // namespace

// ---------------------------------------------------------------------------------------

PolicySet::PolicySet(std::unique_ptr<PolicyData> data) : data_(std::move(data)) {}
PolicySet::PolicySet(PolicySet&&) noexcept = default;
PolicySet& PolicySet::operator=(PolicySet&&) noexcept = default;
PolicySet::~PolicySet() = default;

const std::string& PolicySet::name() const { return data_->name; }
const std::vector<VersionInfo>& PolicySet::versions() const { return data_->infos; }
const std::vector<Diagnostic>& PolicySet::warnings() const { return data_->warnings; }

Result<PolicySet> PolicySet::LoadDir(const std::string& dir, const LoadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return NotFound("policy directory not found: " + dir);
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".tgp") paths.push_back(e.path().string());
  if (ec) return IoError("cannot list " + dir + ": " + ec.message());
  if (paths.empty()) return NotFound("no policy files (*.tgp) in " + dir);
  if (paths.size() > options.max_files)
    return ResourceExhausted(dir + " has " + std::to_string(paths.size()) +
                             " policy files, more than " + std::to_string(options.max_files) +
                             " (LoadOptions::max_files)");
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  size_t total = 0;
  for (const auto& p : paths) {
    auto text = ReadFileToString(p, options.max_file_bytes);
    if (!text.ok()) return text.status();
    total += text->size();
    if (total > options.max_total_bytes)
      return ResourceExhausted("policy files in " + dir + " exceed " +
                               std::to_string(options.max_total_bytes) +
                               " bytes together (LoadOptions::max_total_bytes)");
    files.emplace_back(p, std::move(*text));
  }
  return LoadFiles(files, options);
}

Result<PolicySet> PolicySet::LoadBundled(const LoadOptions& options) {
  return LoadDir(BundledDataRoot() + "/policies/us", options);
}

Result<PolicySet> PolicySet::LoadFiles(
    const std::vector<std::pair<std::string, std::string>>& files, const LoadOptions& options) {
  if (files.empty()) return NotFound("no policy files");
  if (files.size() > options.max_files)
    return ResourceExhausted("more than " + std::to_string(options.max_files) +
                             " policy files (LoadOptions::max_files)");
  auto d = std::make_unique<PolicyData>();
  std::vector<Diagnostic> errors;
  size_t total = 0;
  for (const auto& [path, text] : files) {
    if (text.size() > options.max_file_bytes)
      return ResourceExhausted(path + " is larger than " + std::to_string(options.max_file_bytes) +
                               " bytes (LoadOptions::max_file_bytes)");
    total += text.size();
    if (total > options.max_total_bytes)
      return ResourceExhausted("policy files exceed " + std::to_string(options.max_total_bytes) +
                               " bytes together (LoadOptions::max_total_bytes)");
    d->files.emplace_back(path, text);
  }
  for (size_t i = 0; i < d->files.size(); ++i) {
    policy::Parser p(d->files[i], static_cast<int>(i), options, &errors);
    d->asts.push_back(p.ParseFile());
  }
  auto fail = [&](StatusCode code) {
    for (const auto& x : errors)
      if (IsLimitDiag(x)) code = StatusCode::kResourceExhausted;
    return Status::FromDiagnostics(code, std::move(errors));
  };
  if (!errors.empty()) return fail(StatusCode::kParseError);
  policy::CheckAndResolve(d.get(), options, &errors);
  // Never-firing rules are reported together with the other static errors.
  policy::AnalyzeRules(d.get(), &errors);
  if (errors.empty() && d->versions.empty()) {
    Diagnostic x;
    x.file = d->files.front().path;
    x.message = "policy " + d->name + " has no versions";
    x.hint = "add: version \"YYYY-MM-DD\" effective YYYY-MM-DD { ... }";
    errors.push_back(x);
  }
  if (!errors.empty()) return fail(StatusCode::kInvalidArgument);
  if (options.warnings_as_errors)
    for (auto& w : d->warnings) {
      w.severity = Diagnostic::Severity::kError;
      errors.push_back(w);
    }
  if (!errors.empty()) return fail(StatusCode::kInvalidArgument);

  d->eccn_slot = Schema::Default().Slot("item.eccn");
  policy::Compile(d.get());
  for (auto& v : d->versions) {
    // Candidate rules by (ECCN outcome, destination class): the destination classes are the
    // destinations some rule's condition requires, plus "any other" (last).
    static const int kDest = Schema::Default().Slot("destination");
    std::vector<std::optional<std::set<std::string>>> need_eccn, need_dest;
    std::set<std::string> named;
    for (const auto& r : v.rules) {
      need_eccn.push_back(StrConstraint(*d, *r.decl->when, d->eccn_slot, 0));
      need_dest.push_back(StrConstraint(*d, *r.decl->when, kDest, 0));
      if (need_dest.back())
        for (const auto& x : *need_dest.back())
          if (!x.empty()) named.insert(x);
    }
    for (const auto& x : named) v.dest_keys.push_back(x);
    size_t classes = v.dest_keys.size() + 1;
    v.candidates.assign((v.classify.size() + 1) * classes, {});
    for (size_t k = 0; k <= v.classify.size(); ++k) {
      std::string outcome = k < v.classify.size() ? v.classify[k].decl->eccn : "";
      for (size_t c = 0; c < classes; ++c) {
        for (size_t i = 0; i < v.rules.size(); ++i) {
          if (need_eccn[i] && !need_eccn[i]->count(outcome)) continue;
          // "any other" destination (or none): only unconstrained rules can match.
          if (need_dest[i] && (c == classes - 1 || !need_dest[i]->count(v.dest_keys[c]))) continue;
          v.candidates[k * classes + c].push_back(static_cast<int>(i));
        }
      }
    }
    v.ref.name = d->name;
    v.ref.version = v.decl->id;
    v.ref.hash = "sha256:" + Sha256Hex(CanonicalVersionText(*d, v));
    VersionInfo info;
    info.id = v.decl->id;
    info.effective = v.decl->effective;
    info.title = v.decl->title;
    info.cite = v.decl->cite;
    info.hash = v.ref.hash;
    info.file = d->files[static_cast<size_t>(v.file)].path;
    info.line = v.decl->loc.line;
    for (auto* list : {&v.classify, &v.rules}) {
      for (auto& r : *list) {
        const auto& rd = *r.decl;
        r.eccn_key = Facts::ShortStringKey(rd.eccn);
        if (!rd.classify) {
          r.expl_head = EffectPhrase(*rd.effect, rd.exception) + " under rule " + rd.id + " (" +
                        rd.cite + ") of policy " + d->name + " version " + v.ref.version + " for ";
          if (!rd.uncertain.empty()) {
            std::string u = rd.uncertain;
            while (!u.empty() && u.back() == '.') u.pop_back();
            r.expl_tail = "; legal basis uncertain: " + u;
          }
          for (const auto& o : rd.obligations) {
            Obligation ob;
            ob.kind = std::string(policy::ObligationKindName(o.kind));
            ob.rule_id = rd.id;
            ob.cite = rd.cite;
            ob.name = o.name;
            ob.detail = o.detail;
            std::string cond;
            switch (o.kind) {
              case policy::ObligationDecl::Kind::kRevenueShare:
              case policy::ObligationDecl::Kind::kTariff:
                ob.rate = Percent(o.percent);
                ob.base = o.base;
                ob.payee = o.payee;
                break;
              case policy::ObligationDecl::Kind::kCertification:
                cond = "exporter certifies: " + o.detail;
                break;
              case policy::ObligationDecl::Kind::kVolumeCap:
                ob.cap_ratio = Percent(o.percent);
                ob.cap_reference = o.reference;
                ob.cap_period = o.period;
                cond = !o.detail.empty()
                           ? o.detail
                           : "quantity to this destination at most " + o.percent.ToString() +
                                 "% of the quantity shipped to " + o.reference + " per " + o.period;
                break;
              case policy::ObligationDecl::Kind::kNotification:
                ob.days = o.days;
                cond = !o.detail.empty() ? o.detail
                                         : "notify (" + o.name + ") at least " +
                                               std::to_string(o.days) + " days before shipment";
                break;
            }
            r.obligations.push_back(std::move(ob));
            r.condition_texts.push_back(std::move(cond));
          }
        }
        r.match.id = rd.id;
        r.match.effect = rd.effect.value_or(Effect::kNlr);
        r.match.cite = rd.cite;
        r.match.note = rd.note;
        r.match.confidence = rd.uncertain.empty() ? "" : "uncertain: " + rd.uncertain;
        r.match.exception = rd.exception;
        RuleInfo ri;
        ri.id = rd.id;
        ri.classification = rd.classify;
        ri.eccn = rd.eccn;
        ri.effect = r.match.effect;
        ri.exception = rd.exception;
        ri.cite = rd.cite;
        ri.note = rd.note;
        ri.uncertain = rd.uncertain;
        ri.until = rd.until;
        ri.condition = policy::PrintExpr(*rd.when);
        ri.file = d->files[static_cast<size_t>(r.file)].path;
        ri.line = rd.loc.line;
        info.rules.push_back(std::move(ri));
      }
    }
    d->infos.push_back(std::move(info));
  }
  return PolicySet(std::move(d));
}

int PolicySet::VersionIndexAt(Date as_of) const {
  const auto& vs = data_->versions;
  auto it = std::upper_bound(vs.begin(), vs.end(), as_of, [](Date d, const ResolvedVersion& v) {
    return d < v.decl->effective;
  });
  return static_cast<int>(it - vs.begin()) - 1;
}

Decision PolicySet::Decide(const Facts& facts, Date as_of) const {
  const PolicyData& d = *data_;
  int vi = VersionIndexAt(as_of);
  if (vi < 0) return NoVersion(d, as_of);
  const ResolvedVersion& v = d.versions[static_cast<size_t>(vi)];
  DefineCache cache(d.program.num_defines);
  EvalCtx ctx{&facts, nullptr, 0, d.eccn_slot, cache.data()};
  const ResolvedRule* cls = nullptr;
  for (const auto& r : v.classify) {
    if (InForce(r, as_of) && policy::EvalCompiled(d.program, r.root, ctx)) {
      cls = &r;
      break;
    }
  }
  if (cls) {
    ctx.eccn = &cls->decl->eccn;
    ctx.eccn_key = cls->eccn_key;
  }
  MatchList m;
  size_t outcome = cls ? static_cast<size_t>(cls - v.classify.data()) : v.classify.size();
  static const int kDest = Schema::Default().Slot("destination");
  size_t classes = v.dest_keys.size() + 1;
  size_t dest_class = classes - 1;
  if (!facts.IsNull(kDest)) {
    const std::string& dest = facts.Get(kDest).str;
    auto it = std::lower_bound(v.dest_keys.begin(), v.dest_keys.end(), dest);
    if (it != v.dest_keys.end() && *it == dest)
      dest_class = static_cast<size_t>(it - v.dest_keys.begin());
  }
  for (int i : v.candidates[outcome * classes + dest_class]) {
    const auto& r = v.rules[static_cast<size_t>(i)];
    if (InForce(r, as_of) && policy::EvalCompiled(d.program, r.root, ctx)) m.push_back(i);
  }
  return Build(d, v, cls, m, facts);
}

EccnResult PolicySet::ClassifyEccn(const Facts& facts, Date as_of) const {
  const PolicyData& d = *data_;
  EccnResult out;
  int vi = VersionIndexAt(as_of);
  if (vi < 0) return out;
  const ResolvedVersion& v = d.versions[static_cast<size_t>(vi)];
  DefineCache cache(d.program.num_defines);
  EvalCtx ctx{&facts, nullptr, 0, d.eccn_slot, cache.data()};
  for (const auto& r : v.classify) {
    if (InForce(r, as_of) && policy::EvalCompiled(d.program, r.root, ctx)) {
      out.eccn = r.decl->eccn;
      out.rule_id = r.decl->id;
      out.cite = r.decl->cite;
      break;
    }
  }
  return out;
}

DecisionTrace PolicySet::DecideTraced(const Facts& facts, Date as_of) const {
  const PolicyData& d = *data_;
  DecisionTrace t;
  const Schema& s = Schema::Default();
  for (int i = 0; i < s.size(); ++i)
    if (!facts.Get(i).is_null) t.attributes.emplace_back(s.info(i).name, facts.Get(i).ToString());
  int vi = VersionIndexAt(as_of);
  if (vi < 0) {
    t.decision = NoVersion(d, as_of);
    return t;
  }
  const ResolvedVersion& v = d.versions[static_cast<size_t>(vi)];
  t.version = v.decl->id;
  EvalCtx ctx{&facts, nullptr, 0, d.eccn_slot, nullptr};
  const ResolvedRule* cls = nullptr;
  for (const auto& r : v.classify) {
    RuleTrace rt;
    rt.id = r.decl->id;
    rt.classification = true;
    rt.cite = r.decl->cite;
    rt.in_force = InForce(r, as_of);
    if (cls) {
      rt.reason = "not tried: " + cls->decl->id + " matched first";
    } else if (!rt.in_force) {
      rt.reason = "lapsed on " + r.decl->until->ToString();
    } else {
      rt.matched = policy::EvalReference(d, *r.decl->when, ctx, &rt.reason);
      if (rt.matched) {
        cls = &r;
        rt.reason = "ECCN " + r.decl->eccn + ": " + rt.reason;
      }
    }
    t.rules.push_back(std::move(rt));
  }
  if (cls) ctx.eccn = &cls->decl->eccn;
  MatchList m;
  for (size_t i = 0; i < v.rules.size(); ++i) {
    const auto& r = v.rules[i];
    RuleTrace rt;
    rt.id = r.decl->id;
    rt.effect = *r.decl->effect;
    rt.cite = r.decl->cite;
    rt.in_force = InForce(r, as_of);
    if (!rt.in_force) {
      rt.reason = "lapsed on " + r.decl->until->ToString();
    } else {
      rt.matched = policy::EvalReference(d, *r.decl->when, ctx, &rt.reason);
      if (rt.matched) m.push_back(static_cast<int>(i));
    }
    t.rules.push_back(std::move(rt));
  }
  t.decision = Build(d, v, cls, m, facts);
  return t;
}

Decision PolicySet::DecideReference(const Facts& facts, Date as_of) const {
  const PolicyData& d = *data_;
  int vi = VersionIndexAt(as_of);
  if (vi < 0) return NoVersion(d, as_of);
  const ResolvedVersion& v = d.versions[static_cast<size_t>(vi)];
  EvalCtx ctx{&facts, nullptr, 0, d.eccn_slot, nullptr};
  const ResolvedRule* cls = nullptr;
  for (const auto& r : v.classify) {
    if (InForce(r, as_of) && policy::EvalReference(d, *r.decl->when, ctx, nullptr)) {
      cls = &r;
      break;
    }
  }
  if (cls) ctx.eccn = &cls->decl->eccn;
  MatchList m;
  for (size_t i = 0; i < v.rules.size(); ++i) {
    const auto& r = v.rules[i];
    if (InForce(r, as_of) && policy::EvalReference(d, *r.decl->when, ctx, nullptr))
      m.push_back(static_cast<int>(i));
  }
  return Build(d, v, cls, m, facts);
}

std::string PolicySet::Print() const {
  std::string out;
  for (const auto& f : data_->asts) {
    if (!out.empty()) out += "\n";
    out += "# file: " + f.path + "\n" + policy::PrintFile(f);
  }
  return out;
}

std::string DecisionTrace::ToString() const {
  std::string s;
  s += "policy " + decision.policy.name + " version " + (version.empty() ? "(none)" : version);
  if (!decision.policy.hash.empty()) s += " (" + decision.policy.hash + ")";
  s += "\nattributes:\n";
  for (const auto& [k, v] : attributes) s += "  " + k + " = " + v + "\n";
  bool any_cls = false, any_rule = false;
  for (const auto& r : rules) {
    if (r.classification && !any_cls) s += "classification (first match wins):\n", any_cls = true;
    if (!r.classification && !any_rule) s += "rules:\n", any_rule = true;
    s += std::string("  ") + (r.matched ? "[match] " : (!r.in_force ? "[lapsed] " : "[no]    ")) +
         r.id;
    if (!r.classification) s += " (" + std::string(EffectName(r.effect)) + ")";
    s += ": " + r.reason + "\n";
  }
  s += "decision: " + decision.decision;
  if (!decision.review.empty()) s += ", review " + decision.review;
  if (!decision.exception.empty()) s += ", exception " + decision.exception;
  s += "\neccn: " + (decision.eccn.empty() ? std::string("-") : decision.eccn) + "\n";
  for (const auto& o : decision.obligations) {
    s += "obligation: " + o.kind + " (" + o.rule_id + ")";
    if (o.rate) s += " rate " + o.rate->ToString() + " of " + o.base;
    if (o.amount) s += " = " + o.amount->ToString();
    if (!o.payee.empty()) s += " to " + o.payee;
    if (!o.detail.empty()) s += ": " + o.detail;
    s += "\n";
  }
  for (const auto& c : decision.conditions) s += "condition: " + c + "\n";
  s += "explanation: " + decision.explanation + "\n";
  return s;
}

}  // namespace tollgate
