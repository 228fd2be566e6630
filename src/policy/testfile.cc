// Policy test files (*.tgt): fixtures of facts, tests with a date, facts and expectations.
//
//   fixture h200 { item.id = "H200-SXM"  item.tpp = 15832  item.dram_bandwidth = 4800 GB/s }
//   test "H200 to China from the US, February 2026" {
//     date 2026-02-10
//     use h200, cn_buyer
//     ship_from = "US"
//     expect decision licence
//     expect review case_by_case
//     expect rule us.cn_2026_case_by_case
//     expect obligation tariff amount 250000.00
//   }
#include <algorithm>
#include <filesystem>
#include <map>

#include "core/io.h"
#include "policy/parser.h"
#include "tollgate/policy.h"

namespace tollgate {

using policy::Expr;
using policy::ExprKind;
using policy::Loc;
using policy::Parser;
using policy::SourceFile;
using policy::Tok;
using policy::Token;

namespace {

struct Assign {
  std::string name;
  Loc loc;
  policy::ExprPtr value;  // literal, set literal, or kName "null"
};

struct Expect {
  Loc loc;
  std::string what;  // decision, review, exception, eccn, effect, version, rule, rules,
                     // obligation, condition
  bool negated = false;
  std::string value;              // expected value ("none" for null)
  std::vector<std::string> list;  // rules
  std::optional<Decimal> amount;  // obligation amount
  std::string obligation_name;    // obligation name filter (optional)
};

struct TestCase {
  std::string name;
  Loc loc;
  std::optional<Date> date;
  std::vector<std::pair<std::string, Loc>> uses;
  std::vector<Assign> assigns;
  std::vector<Expect> expects;
};

struct TestFile {
  std::map<std::string, std::vector<Assign>> fixtures;
  std::vector<TestCase> tests;
};

bool ParseAssign(Parser& p, std::vector<Assign>* out) {
  Token name;
  if (!p.Expect(Tok::kName, "an attribute name", &name)) return false;
  if (!p.Expect(Tok::kAssign, "'='")) return false;
  Assign a;
  a.name = name.text;
  a.loc = name.loc;
  a.value = p.ParseLiteral();
  if (!a.value) return false;
  out->push_back(std::move(a));
  return true;
}

bool ParseExpect(Parser& p, TestCase* t) {
  Expect e;
  e.loc = p.Peek().loc;
  if (p.AcceptKeyword("no")) e.negated = true;
  Token w;
  if (!p.Expect(Tok::kName,
                "what to expect (decision, review, exception, eccn, effect, version, "
                "rule, rules, obligation, condition)",
                &w))
    return false;
  e.what = w.text;
  static const std::vector<std::string> kWhat = {"decision",   "review",   "exception", "eccn",
                                                 "effect",     "version",  "rule",      "rules",
                                                 "obligation", "condition"};
  if (std::find(kWhat.begin(), kWhat.end(), e.what) == kWhat.end()) {
    p.Error(w.loc, "unknown expectation '" + e.what + "'",
            "expected decision, review, exception, eccn, effect, version, rule, rules, "
            "obligation or condition");
    return false;
  }
  if (e.negated && e.what != "rule" && e.what != "obligation" && e.what != "condition") {
    p.Error(e.loc, "'expect no' applies to rule, obligation and condition only");
    return false;
  }
  if (e.what == "rules") {
    auto set = p.ParseLiteral();
    if (!set) return false;
    if (set->kind != ExprKind::kSetLit) {
      p.Error(set->loc, "expected a list of rule ids in braces: {a, b}");
      return false;
    }
    e.list = set->members;
  } else {
    const Token& v = p.Peek();
    if (v.kind != Tok::kName && v.kind != Tok::kString) {
      p.Expect(Tok::kString, "the expected value");
      return false;
    }
    e.value = p.Next().text;
    if (e.what == "obligation") {
      if (p.Peek().kind == Tok::kName && p.Peek().text != "amount" &&
          p.Peek().loc.line == v.loc.line)
        e.obligation_name = p.Next().text;
      if (p.AcceptKeyword("amount")) {
        Token n;
        if (!p.Expect(Tok::kNumber, "the expected amount", &n)) return false;
        auto d = Decimal::Parse(n.text);
        if (!d.ok()) {
          p.Error(n.loc, "invalid amount '" + n.text + "'");
          return false;
        }
        e.amount = *d;
      }
    }
  }
  t->expects.push_back(std::move(e));
  return true;
}

TestFile ParseTestFile(Parser& p) {
  TestFile f;
  while (p.Peek().kind != Tok::kEof) {
    Token kw = p.Peek();
    bool ok = true;
    if (p.AcceptKeyword("fixture")) {
      Token name;
      ok = p.Expect(Tok::kName, "the fixture name", &name) && p.Expect(Tok::kLBrace, "'{'");
      std::vector<Assign> as;
      while (ok && !p.Accept(Tok::kRBrace)) ok = ParseAssign(p, &as);
      if (ok) {
        if (f.fixtures.count(name.text)) {
          p.Error(name.loc, "duplicate fixture '" + name.text + "'");
          ok = false;
        } else {
          f.fixtures[name.text] = std::move(as);
        }
      }
    } else if (p.AcceptKeyword("test")) {
      TestCase t;
      t.loc = kw.loc;
      Token name;
      ok = p.Expect(Tok::kString, "the test name as a string", &name) &&
           p.Expect(Tok::kLBrace, "'{'");
      t.name = name.text;
      while (ok && !p.Accept(Tok::kRBrace)) {
        if (p.AcceptKeyword("date")) {
          Token d;
          ok = p.Expect(Tok::kDate, "a date YYYY-MM-DD", &d);
          if (ok) {
            auto dd = Date::Parse(d.text);
            if (!dd.ok()) {
              p.Error(d.loc, "invalid date '" + d.text + "'");
              ok = false;
            } else {
              t.date = *dd;
            }
          }
        } else if (p.AcceptKeyword("use")) {
          do {
            Token u;
            ok = p.Expect(Tok::kName, "a fixture name", &u);
            if (ok) t.uses.emplace_back(u.text, u.loc);
          } while (ok && p.Accept(Tok::kComma));
        } else if (p.AcceptKeyword("expect")) {
          ok = ParseExpect(p, &t);
        } else {
          ok = ParseAssign(p, &t.assigns);
        }
      }
      if (ok && !t.date) {
        p.Error(t.loc, "test " + policy::Quote(t.name) + " has no date", "add: date YYYY-MM-DD");
        ok = false;
      }
      if (ok) f.tests.push_back(std::move(t));
    } else {
      p.Error(kw.loc, "expected 'fixture' or 'test'");
      ok = false;
    }
    if (!ok) p.Recover();
  }
  return f;
}

// Applies one assignment; returns an error message or "".
std::string Apply(Facts* facts, const Assign& a) {
  const Schema& s = Schema::Default();
  int slot = s.Slot(a.name);
  if (slot < 0) return "unknown attribute '" + a.name + "'";
  const AttrInfo& info = s.info(slot);
  const Expr& v = *a.value;
  Status st;
  if (v.kind == ExprKind::kName && v.str == "null") {
    st = facts->SetNull(a.name);
  } else {
    switch (v.kind) {
      case ExprKind::kBool:
        st = facts->SetBool(a.name, v.b);
        break;
      case ExprKind::kNumber:
        if (!v.unit.empty() && v.unit != info.unit)
          return "unit mismatch: " + a.name + " is in " +
                 (info.unit.empty() ? std::string("no unit") : info.unit) + ", not " + v.unit;
        st = facts->SetNumber(a.name, v.num);
        break;
      case ExprKind::kString:
        st = facts->SetString(a.name, v.str);
        break;
      case ExprKind::kDate:
        st = facts->SetDate(a.name, v.date);
        break;
      case ExprKind::kSetLit:
        st = facts->SetSet(a.name, v.members);
        break;
      default:
        return "unsupported value";
    }
  }
  return st.ok() ? "" : st.message();
}

std::string Join(const std::vector<std::string>& v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "}";
}

std::string OrNone(const std::string& s) { return s.empty() ? "none" : s; }

}  // namespace

PolicyTestReport RunPolicyTests(const PolicySet& policy, const std::string& tests_dir,
                                const PolicyTestOptions& options) {
  PolicyTestReport rep;
  std::error_code ec;
  std::vector<std::string> paths;
  if (std::filesystem::is_directory(tests_dir, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(tests_dir, ec))
      if (e.is_regular_file() && e.path().extension() == ".tgt") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    Diagnostic d;
    d.file = tests_dir;
    d.message = "no policy test files (*.tgt) in " + tests_dir;
    rep.failures.push_back(d);
    return rep;
  }
  // Fixtures are shared by all files of the directory.
  std::vector<SourceFile> sources;
  std::vector<TestFile> parsed;
  for (const auto& path : paths) {
    auto text = ReadFileToString(path, 8 << 20);
    if (!text.ok()) {
      Diagnostic d;
      d.file = path;
      d.message = text.status().message();
      rep.failures.push_back(d);
      continue;
    }
    sources.emplace_back(path, std::move(*text));
  }
  std::map<std::string, std::pair<const std::vector<Assign>*, size_t>> fixtures;
  LoadOptions lo;
  for (size_t i = 0; i < sources.size(); ++i) {
    std::vector<Diagnostic> diags;
    Parser p(sources[i], static_cast<int>(i), lo, &diags);
    parsed.push_back(ParseTestFile(p));
    for (auto& d : diags) rep.failures.push_back(std::move(d));
    ++rep.files;
  }
  for (size_t i = 0; i < parsed.size(); ++i)
    for (const auto& [name, as] : parsed[i].fixtures) {
      if (fixtures.count(name)) {
        Diagnostic d;
        d.file = sources[i].path;
        d.message = "fixture '" + name + "' is defined in two files";
        rep.failures.push_back(d);
      }
      fixtures[name] = {&as, i};
    }

  for (size_t fi = 0; fi < parsed.size(); ++fi) {
    const SourceFile& src = sources[fi];
    for (const TestCase& t : parsed[fi].tests) {
      if (!options.filter.empty() && t.name.find(options.filter) == std::string::npos) continue;
      ++rep.tests;
      size_t before = rep.failures.size();
      auto fail = [&](Loc loc, std::string msg, std::string hint = "") {
        rep.failures.push_back(
            policy::MakeDiag(src, loc, "test " + policy::Quote(t.name) + ": " + msg, hint));
      };
      Facts facts;
      (void)facts.SetDate("order.date", *t.date);
      for (const auto& [u, loc] : t.uses) {
        auto it = fixtures.find(u);
        if (it == fixtures.end()) {
          fail(loc, "unknown fixture '" + u + "'");
          continue;
        }
        for (const Assign& a : *it->second.first) {
          std::string err = Apply(&facts, a);
          if (!err.empty())
            rep.failures.push_back(
                policy::MakeDiag(sources[it->second.second], a.loc, "fixture " + u + ": " + err));
        }
      }
      for (const Assign& a : t.assigns) {
        std::string err = Apply(&facts, a);
        if (!err.empty()) fail(a.loc, err);
      }
      if (rep.failures.size() != before) continue;
      Decision d = policy.Decide(facts, *t.date);
      // The reference evaluator must agree; a disagreement is an engine bug worth reporting.
      Decision r = policy.DecideReference(facts, *t.date);
      if (r.decision != d.decision || r.rules.size() != d.rules.size() || r.eccn != d.eccn)
        fail(t.loc,
             "compiled and reference evaluators disagree: " + d.decision + " vs " + r.decision);
      std::vector<std::string> ids;
      for (const auto& m : d.rules) ids.push_back(m.id);
      std::string ctx = " (decision " + d.decision + ", rules " + Join(ids) + ")";
      for (const Expect& e : t.expects) {
        std::string got;
        if (e.what == "decision")
          got = d.decision;
        else if (e.what == "review")
          got = OrNone(d.review);
        else if (e.what == "exception")
          got = OrNone(d.exception);
        else if (e.what == "eccn")
          got = OrNone(d.eccn);
        else if (e.what == "effect")
          got = std::string(EffectName(d.effect));
        else if (e.what == "version")
          got = OrNone(d.policy.version);
        if (!got.empty() || e.what == "decision") {
          if (got != e.value)
            fail(e.loc, "expected " + e.what + " " + e.value + ", got " + got + ctx);
          continue;
        }
        if (e.what == "rule") {
          bool has = std::find(ids.begin(), ids.end(), e.value) != ids.end();
          if (has == e.negated)
            fail(e.loc, std::string(e.negated ? "expected rule " + e.value + " not to match"
                                              : "expected rule " + e.value + " to match") +
                            ctx);
        } else if (e.what == "rules") {
          if (ids != e.list) fail(e.loc, "expected rules " + Join(e.list) + ", got " + Join(ids));
        } else if (e.what == "condition") {
          bool has = false;
          for (const auto& c : d.conditions) has = has || c.find(e.value) != std::string::npos;
          if (has == e.negated)
            fail(e.loc, std::string(e.negated ? "expected no condition containing "
                                              : "expected a condition containing ") +
                            policy::Quote(e.value) + ctx);
        } else if (e.what == "obligation") {
          const Obligation* found = nullptr;
          for (const auto& o : d.obligations)
            if (o.kind == e.value && (e.obligation_name.empty() || o.name == e.obligation_name))
              found = &o;
          if (e.negated) {
            if (found)
              fail(e.loc,
                   "expected no " + e.value + " obligation, got one from rule " + found->rule_id);
          } else if (!found) {
            std::string kinds;
            for (const auto& o : d.obligations) kinds += (kinds.empty() ? "" : ", ") + o.kind;
            fail(e.loc, "expected a " + e.value + " obligation, got " +
                            (kinds.empty() ? std::string("none") : kinds) + ctx);
          } else if (e.amount) {
            if (!found->amount || !(found->amount->amount == *e.amount))
              fail(e.loc, "expected " + e.value + " amount " + e.amount->ToString() + ", got " +
                              (found->amount ? found->amount->amount.ToString() : "none"));
          }
        }
      }
      if (rep.failures.size() == before) ++rep.passed;
    }
  }
  return rep;
}

}  // namespace tollgate
