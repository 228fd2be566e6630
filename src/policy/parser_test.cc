// Parser, printer and limits: exact diagnostics, round trips, random ASTs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/io.h"
#include "policy/parser.h"
#include "policy/test_util.h"

namespace tollgate::policy {
namespace {

using policy_test::Errors;
using policy_test::LoadOne;
using policy_test::WithRule;

FileAst ParseText(const std::string& text, std::vector<Diagnostic>* diags,
                  const LoadOptions& o = {}) {
  SourceFile f("t.tgp", text);
  Parser p(f, 0, o, diags);
  return p.ParseFile();
}

TEST(Lexer, TokensUnitsDatesAndNames) {
  SourceFile f("t",
               "item.tpp >= 4800 and x < 6500 GB/s and d == 2023-11-17 or D:5 # c\n\"s\\\"q\" 25%");
  auto toks = Lex(f, 0);
  std::vector<Tok> kinds;
  for (const auto& t : toks) kinds.push_back(t.kind);
  std::vector<Tok> want = {Tok::kName,   Tok::kGe,      Tok::kNumber, Tok::kName, Tok::kName,
                           Tok::kLt,     Tok::kNumber,  Tok::kUnit,   Tok::kName, Tok::kName,
                           Tok::kEq,     Tok::kDate,    Tok::kName,   Tok::kName, Tok::kString,
                           Tok::kNumber, Tok::kPercent, Tok::kEof};
  EXPECT_EQ(kinds, want);
  EXPECT_EQ(toks[7].text, "GB/s");
  EXPECT_EQ(toks[13].text, "D:5");
  EXPECT_EQ(toks[14].text, "s\"q");
  EXPECT_EQ(toks[14].loc.line, 2);
  EXPECT_EQ(toks[14].loc.col, 1);
}

TEST(Lexer, SuperscriptTwoIsNormalised) {
  SourceFile f("t", "3 mm\xC2\xB2");
  auto toks = Lex(f, 0);
  ASSERT_EQ(toks[1].kind, Tok::kUnit);
  EXPECT_EQ(toks[1].text, "mm2");
}

TEST(Parser, PrecedenceAndPrinting) {
  std::vector<Diagnostic> diags;
  auto f =
      ParseText("define x = a or b and not c == 1 or (d or e) and f in {A, \"b c\"}\n", &diags);
  ASSERT_TRUE(diags.empty());
  const auto& d = std::get<DefineDecl>(f.decls[0]);
  EXPECT_EQ(PrintExpr(*d.expr), "a or b and not c == 1 or (d or e) and f in {A, \"b c\"}");
  EXPECT_EQ(d.expr->kind, ExprKind::kOr);
  EXPECT_EQ(d.expr->a->kind, ExprKind::kOr);
  EXPECT_EQ(d.expr->b2->kind, ExprKind::kAnd);
}

TEST(Parser, RightNestedAndKeepsParentheses) {
  std::vector<Diagnostic> diags;
  auto f = ParseText("define x = a and (b and c)\ndefine y = not (a or b)\n", &diags);
  ASSERT_TRUE(diags.empty());
  EXPECT_EQ(PrintExpr(*std::get<DefineDecl>(f.decls[0]).expr), "a and (b and c)");
  EXPECT_EQ(PrintExpr(*std::get<DefineDecl>(f.decls[1]).expr), "not (a or b)");
}

TEST(Parser, ErrorsAreLocatedAndRecoveryFindsLaterErrors) {
  std::vector<Diagnostic> diags;
  ParseText("policy t\nset A = {CN,, MO}\nversion \"1\" effective 2024-13-01 {\n}\nbogus\n",
            &diags);
  ASSERT_EQ(diags.size(), 3u);
  EXPECT_EQ(diags[0].ToString(),
            "t.tgp:2:13: error: expected a set member (name or string), found ','\n"
            "  set A = {CN,, MO}\n"
            "              ^");
  EXPECT_EQ(diags[1].ToString(),
            "t.tgp:3:23: error: invalid date '2024-13-01'\n"
            "  version \"1\" effective 2024-13-01 {\n"
            "                        ^");
  EXPECT_EQ(diags[2].ToString(),
            "t.tgp:5:1: error: expected a declaration (policy, set, define, version), found "
            "'bogus'\n  bogus\n  ^");
}

TEST(Parser, AssignInsteadOfEqualsHasAHint) {
  auto r = LoadOne(WithRule("destination = \"CN\""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Errors(r),
            "t.tgp:5:22: error: '=' is not a comparison\n"
            "      when destination = \"CN\"\n"
            "                       ^\n"
            "  hint: write '==' to compare\n");
}

TEST(Parser, UnknownRuleFieldAndEffect) {
  auto r = LoadOne(
      "policy t\nversion \"1\" effective 2024-01-01 {\n  rule r.x {\n    effect maybe\n  }\n}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_EQ(Errors(r),
            "t.tgp:4:12: error: unknown effect 'maybe'\n"
            "      effect maybe\n"
            "             ^\n"
            "  hint: expected one of: nlr, exception, licence_approval, licence_case_by_case, "
            "licence_denial, prohibited\n");
}

TEST(Parser, UnterminatedString) {
  std::vector<Diagnostic> diags;
  ParseText("policy \"abc\n", &diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].message, "unterminated string");
  EXPECT_EQ(diags[0].line, 1);
  EXPECT_EQ(diags[0].column, 8);
}

// ---- limits ------------------------------------------------------------------------------

TEST(Limits, ExpressionDepth) {
  LoadOptions o;
  o.max_expr_depth = 10;
  std::string deep = std::string(12, '(') + "destination == \"CN\"" + std::string(12, ')');
  auto r = LoadOne(WithRule(deep), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(Errors(r).find("nested deeper than 10 levels (LoadOptions::max_expr_depth)"),
            std::string::npos);
  // A long chain is depth too.
  std::string chain = "destination == \"CN\"";
  for (int i = 0; i < 12; ++i) chain += " or destination == \"CN\"";
  EXPECT_FALSE(LoadOne(WithRule(chain), o).ok());
  EXPECT_TRUE(
      LoadOne(WithRule(std::string(3, '(') + "destination == \"CN\"" + std::string(3, ')')), o)
          .ok());
}

TEST(Limits, DeepNestingDoesNotOverflowTheStack) {
  std::string deep = std::string(100000, '(') + "x" + std::string(100000, ')');
  auto r = LoadOne(WithRule(deep));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  EXPECT_FALSE(LoadOne(WithRule(nots + "true")).ok());
}

TEST(Limits, ExpressionNodes) {
  LoadOptions o;
  o.max_expr_nodes = 20;
  o.max_expr_depth = 1000;
  std::string chain = "destination == \"CN\"";
  for (int i = 0; i < 10; ++i) chain += " or destination == \"CN\"";
  auto r = LoadOne(WithRule(chain), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("more than 20 nodes (LoadOptions::max_expr_nodes)"), std::string::npos);
}

TEST(Limits, SetMembers) {
  LoadOptions o;
  o.max_set_members = 3;
  auto r = LoadOne("policy t\nset A = {CN, MO, HK, JP}\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(Errors(r).find("more than 3 members (LoadOptions::max_set_members)"),
            std::string::npos);
}

TEST(Limits, RulesPerVersion) {
  LoadOptions o;
  o.max_rules = 2;
  std::string text = "policy t\nversion \"1\" effective 2024-01-01 {\n";
  for (int i = 0; i < 3; ++i)
    text += "  rule r" + std::to_string(i) + " { effect nlr when true cite \"c\" }\n";
  text += "}\n";
  auto r = LoadOne(text, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(Errors(r).find("more than 2 rules (LoadOptions::max_rules)"), std::string::npos);
  // Rules accumulate across versions too.
  std::string two =
      "policy t\nversion \"1\" effective 2024-01-01 {\n"
      "  rule a { effect nlr when destination == \"CN\" cite \"c\" }\n"
      "  rule b { effect nlr when destination == \"JP\" cite \"c\" }\n}\n"
      "version \"2\" effective 2025-01-01 {\n"
      "  rule c { effect nlr when destination == \"KR\" cite \"c\" }\n}\n";
  auto r2 = LoadOne(two, o);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(Errors(r2).find("version \"2\" has 3 rules, more than 2"), std::string::npos);
}

TEST(Limits, Versions) {
  LoadOptions o;
  o.max_versions = 2;
  std::string text = "policy t\n";
  for (int i = 1; i <= 3; ++i)
    text +=
        "version \"" + std::to_string(i) + "\" effective 202" + std::to_string(i) + "-01-01 {\n}\n";
  auto r = LoadOne(text, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(Errors(r).find("more than 2 versions (LoadOptions::max_versions)"), std::string::npos);
}

TEST(Limits, SetsAndDefines) {
  LoadOptions o;
  o.max_sets = 2;
  auto r = LoadOne("policy t\nset A = {CN}\nset B = {JP}\ndefine c = destination in A\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("more than 2 sets and defines (LoadOptions::max_sets)"),
            std::string::npos);
}

TEST(Limits, FileSizeTotalSizeAndFileCount) {
  LoadOptions o;
  o.max_file_bytes = 10;
  auto r = LoadOne("policy t\n# long comment\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("LoadOptions::max_file_bytes"), std::string::npos);

  LoadOptions t;
  t.max_total_bytes = 20;
  auto r2 = PolicySet::LoadFiles({{"a.tgp", "policy t\n# 12345\n"}, {"b.tgp", "policy t\n"}}, t);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("LoadOptions::max_total_bytes"), std::string::npos);

  LoadOptions f;
  f.max_files = 1;
  auto r3 = PolicySet::LoadFiles({{"a.tgp", "policy t\n"}, {"b.tgp", "policy t\n"}}, f);
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.status().message().find("LoadOptions::max_files"), std::string::npos);

  // LoadDir applies the same limits to a directory.
  auto dir = std::filesystem::temp_directory_path() / "tollgate_policy_limits";
  std::filesystem::create_directories(dir);
  for (const char* n : {"a.tgp", "b.tgp"}) std::ofstream(dir / n) << "policy t\n";
  auto r4 = PolicySet::LoadDir(dir.string(), f);
  ASSERT_FALSE(r4.ok());
  EXPECT_EQ(r4.status().code(), StatusCode::kResourceExhausted);
  std::filesystem::remove_all(dir);
}

// ---- round trips -------------------------------------------------------------------------

TEST(RoundTrip, BundledPolicyFilesParsePrintParse) {
  std::string dir = std::string(TOLLGATE_SOURCE_DIR) + "/policies/us";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".tgp") continue;
    ++files;
    auto text = ReadFileToString(e.path().string());
    ASSERT_TRUE(text.ok());
    std::vector<Diagnostic> d1, d2;
    SourceFile f1(e.path().string(), *text);
    FileAst a = Parser(f1, 0, LoadOptions{}, &d1).ParseFile();
    ASSERT_TRUE(d1.empty()) << e.path();
    std::string printed = PrintFile(a);
    SourceFile f2("printed", printed);
    FileAst b = Parser(f2, 0, LoadOptions{}, &d2).ParseFile();
    ASSERT_TRUE(d2.empty()) << printed;
    EXPECT_TRUE(a == b) << e.path();
    EXPECT_EQ(PrintFile(b), printed);
  }
  EXPECT_GE(files, 10);
}

TEST(RoundTrip, PolicySetPrintLoadsToTheSameHashes) {
  auto p = PolicySet::LoadBundled();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto q = PolicySet::LoadFiles({{"printed.tgp", p->Print()}});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(p->versions().size(), q->versions().size());
  for (size_t i = 0; i < p->versions().size(); ++i)
    EXPECT_EQ(p->versions()[i].hash, q->versions()[i].hash) << p->versions()[i].id;
}

// Random ASTs: printer and parser agree on every shape.
class RandomAst {
 public:
  explicit RandomAst(uint32_t seed) : rng_(seed) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  ExprPtr Operand() {
    auto e = std::make_unique<Expr>();
    switch (Pick(5)) {
      case 0:
        e->kind = ExprKind::kNumber;
        e->num = *Decimal::Parse(std::to_string(Pick(100000)) + (Pick(2) ? ".25" : ""));
        if (Pick(2)) e->unit = Pick(2) ? "GB/s" : "mm2";
        break;
      case 1:
        e->kind = ExprKind::kString;
        e->str = Pick(2) ? "CN" : "a \"q\" b\\";
        break;
      case 2:
        e->kind = ExprKind::kDate;
        e->date = Date::FromDays(Pick(30000));
        break;
      case 3:
        e->kind = ExprKind::kBool;
        e->b = Pick(2);
        break;
      default:
        e->kind = ExprKind::kName;
        e->str = Pick(2) ? "item.tpp" : "D:5";
        break;
    }
    return e;
  }
  ExprPtr Set() {
    auto e = std::make_unique<Expr>();
    if (Pick(2)) {
      e->kind = ExprKind::kName;
      e->str = "D:5";
      return e;
    }
    e->kind = ExprKind::kSetLit;
    int n = Pick(4);
    for (int i = 0; i < n; ++i) e->members.push_back(Pick(2) ? "CN" : (Pick(2) ? "in" : "x y"));
    return e;
  }
  ExprPtr Bool(int depth) {
    auto e = std::make_unique<Expr>();
    int k = depth > 6 ? 4 + Pick(4) : Pick(8);
    switch (k) {
      case 0:
        e->kind = ExprKind::kAnd;
        e->a = Bool(depth + 1);
        e->b2 = Bool(depth + 1);
        break;
      case 1:
        e->kind = ExprKind::kOr;
        e->a = Bool(depth + 1);
        e->b2 = Bool(depth + 1);
        break;
      case 2:
        e->kind = ExprKind::kNot;
        e->a = Bool(depth + 1);
        break;
      case 3:
        e->kind = ExprKind::kCmp;
        e->op = static_cast<CmpOp>(Pick(6));
        e->a = Pick(4) ? Operand() : Bool(depth + 1);
        e->b2 = Pick(4) ? Operand() : Bool(depth + 1);
        break;
      case 4:
        e->kind = ExprKind::kIn;
        e->b = Pick(2);
        e->a = Operand();
        e->b2 = Set();
        break;
      case 5:
        e->kind = ExprKind::kIsNull;
        e->b = Pick(2);
        e->a = Operand();
        break;
      case 6:
        e->kind = ExprKind::kIntersects;
        e->a = Operand();
        e->b2 = Set();
        break;
      default:
        return Operand();
    }
    return e;
  }

 private:
  std::mt19937 rng_;
};

TEST(RoundTrip, RandomExpressions) {
  RandomAst g(12345);
  for (int i = 0; i < 3000; ++i) {
    ExprPtr e = g.Bool(0);
    std::string text = "define x = " + PrintExpr(*e) + "\n";
    std::vector<Diagnostic> diags;
    LoadOptions o;
    o.max_expr_depth = 200;
    FileAst f = ParseText(text, &diags, o);
    ASSERT_TRUE(diags.empty()) << text << diags[0].ToString();
    ASSERT_EQ(f.decls.size(), 1u) << text;
    const auto& d = std::get<DefineDecl>(f.decls[0]);
    EXPECT_TRUE(*d.expr == *e) << text << "\nreprinted: " << PrintExpr(*d.expr);
  }
}

TEST(RoundTrip, RandomRulesAndVersions) {
  RandomAst g(777);
  for (int i = 0; i < 300; ++i) {
    FileAst f;
    f.decls.emplace_back(PolicyNameDecl{"t", {}});
    SetDecl s;
    s.name = "S" + std::to_string(i);
    s.members = std::make_unique<Expr>();
    s.members->kind = ExprKind::kSetLit;
    s.members->members = {"CN", "a b"};
    s.cite = g.Pick(2) ? "" : "cite";
    f.decls.emplace_back(std::move(s));
    VersionDecl v;
    v.id = "v" + std::to_string(i);
    v.effective = Date::FromDays(19000 + i);
    if (g.Pick(2)) v.extends = "v0";
    v.title = g.Pick(2) ? "t" : "";
    for (int k = 0; k < 3; ++k) {
      VersionItem it;
      it.kind = static_cast<VersionItem::Kind>(g.Pick(3));
      if (it.kind == VersionItem::Kind::kRemove) {
        it.remove_id = "r.gone";
      } else {
        auto r = std::make_shared<RuleDecl>();
        r->id = "r" + std::to_string(k);
        r->classify = g.Pick(4) == 0;
        if (r->classify)
          r->eccn = "3A090.a";
        else {
          r->effect = static_cast<Effect>(g.Pick(6));
          if (*r->effect == Effect::kException) r->exception = g.Pick(2) ? "NAC" : "in";
        }
        r->when = g.Bool(0);
        r->cite = "c";
        if (g.Pick(2)) r->note = "n \"q\"";
        if (g.Pick(2)) r->uncertain = "u";
        if (g.Pick(2)) r->until = Date::FromDays(20000);
        if (!r->classify) {
          ObligationDecl o;
          o.kind = static_cast<ObligationDecl::Kind>(g.Pick(5));
          o.percent = *Decimal::Parse(g.Pick(2) ? "25" : "12.5");
          o.base = "customs_value";
          o.payee = "P";
          o.name = "n";
          o.detail = g.Pick(2) ? "" : "d";
          if (o.kind == ObligationDecl::Kind::kCertification) o.detail = "d";
          o.reference = "US";
          o.period = "quarter";
          o.days = 25;
          // Only the fields each kind prints take part in the round trip.
          ObligationDecl n;
          n.kind = o.kind;
          switch (o.kind) {
            case ObligationDecl::Kind::kRevenueShare:
              n.percent = o.percent;
              n.base = o.base;
              n.payee = o.payee;
              n.detail = o.detail;
              break;
            case ObligationDecl::Kind::kTariff:
              n.name = o.name;
              n.percent = o.percent;
              n.base = o.base;
              n.payee = o.payee;
              n.detail = o.detail;
              break;
            case ObligationDecl::Kind::kCertification:
              n.name = o.name;
              n.detail = o.detail;
              break;
            case ObligationDecl::Kind::kVolumeCap:
              n.percent = o.percent;
              n.reference = o.reference;
              n.period = o.period;
              n.detail = o.detail;
              break;
            case ObligationDecl::Kind::kNotification:
              n.name = o.name;
              n.days = o.days;
              n.detail = o.detail;
              break;
          }
          r->obligations.push_back(n);
        }
        it.rule = r;
      }
      v.items.push_back(std::move(it));
    }
    f.decls.emplace_back(std::move(v));
    std::string text = PrintFile(f);
    std::vector<Diagnostic> diags;
    LoadOptions o;
    o.max_expr_depth = 200;
    FileAst back = ParseText(text, &diags, o);
    ASSERT_TRUE(diags.empty()) << text << diags[0].ToString();
    EXPECT_TRUE(back == f) << text;
  }
}

}  // namespace
}  // namespace tollgate::policy
