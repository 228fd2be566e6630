// Lexer and recursive-descent parser for policy (.tgp) and policy test (.tgt) files.
// Private to src/policy. Grammar: docs/policy-language.md.
#ifndef TOLLGATE_POLICY_PARSER_H_
#define TOLLGATE_POLICY_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "policy/ast.h"
#include "tollgate/policy.h"
#include "tollgate/status.h"

namespace tollgate::policy {

// A loaded source file, with line starts for diagnostics.
struct SourceFile {
  std::string path;
  std::string text;
  std::vector<size_t> line_starts;
  SourceFile(std::string p, std::string t);
  std::string Line(int line) const;  // 1-based, without newline; "" when out of range
};

// Builds an error diagnostic at `loc` of `file`.
Diagnostic MakeDiag(const SourceFile& file, Loc loc, std::string message, std::string hint = "",
                    Diagnostic::Severity sev = Diagnostic::Severity::kError);

enum class Tok {
  kEof,
  kName,     // identifier, possibly dotted / with colons: item.tpp, us.cn_3a090, D:5
  kString,   // "..." (text holds the unescaped value)
  kNumber,   // 4800, 5.92
  kUnit,     // GB/s, mm2, GB, TOPS, GB/s/mm2 (directly after a number)
  kDate,     // 2023-11-17
  kPercent,  // %
  kLBrace,
  kRBrace,
  kLParen,
  kRParen,
  kComma,
  kAssign,  // =
  kEq,      // ==
  kNe,      // !=
  kLt,
  kLe,
  kGt,
  kGe,
  kError,  // a bad character or unterminated string (text holds the message)
};

struct Token {
  Tok kind = Tok::kEof;
  std::string text;
  Loc loc;
};

// Tokenizes a whole file. Errors become kError tokens (the parser reports them).
std::vector<Token> Lex(const SourceFile& file, int file_index);

// Units the language knows; `mm²` is normalized to "mm2".
bool IsKnownUnit(std::string_view u);

// A parser over one token stream. Collects every error it can (recovering at the next
// top-level keyword) into `diags`.
class Parser {
 public:
  Parser(const SourceFile& file, int file_index, const LoadOptions& options,
         std::vector<Diagnostic>* diags);

  // The whole policy file.
  FileAst ParseFile();

  // Building blocks shared with the test-file parser.
  const Token& Peek(int ahead = 0) const;
  Token Next();
  bool AtKeyword(std::string_view kw) const;
  bool Accept(Tok k);
  bool AcceptKeyword(std::string_view kw);
  bool Expect(Tok k, std::string_view what, Token* out = nullptr);
  bool ExpectKeyword(std::string_view kw);
  ExprPtr ParseExpr();  // nullptr on error (already reported)
  // A literal value (number [unit], string, date, true/false, set literal) or `null`
  // (returns a kName "null").
  ExprPtr ParseLiteral();
  void Error(Loc loc, std::string message, std::string hint = "");
  // Skips to the next token at column 1 (a top-level declaration) or EOF.
  void Recover();
  bool failed() const { return failed_; }

 private:
  ExprPtr ParseOr(int depth);
  ExprPtr ParseAnd(int depth);
  ExprPtr ParseUnary(int depth);
  ExprPtr ParseCmp(int depth);
  ExprPtr ParseOperand(int depth);
  ExprPtr ParseSetLit();
  ExprPtr ParseSetOperand(int depth);
  bool CheckSize(const Expr& e, Loc loc, int depth);
  bool ParseRuleBody(RuleDecl* rule);
  bool ParseObligation(RuleDecl* rule);
  bool ParseVersion(VersionDecl* v);
  bool ParsePercent(Decimal* out);

  const SourceFile& file_;
  const LoadOptions& options_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::vector<Diagnostic>* diags_;
  bool failed_ = false;
  size_t expr_nodes_ = 0;
};

// Quotes a string for printing: bare when it is a plain name (letters, digits, _ . :; not a
// keyword, not starting with a digit), else "..." with escapes.
std::string QuoteIfNeeded(std::string_view s);
std::string Quote(std::string_view s);

// Printer: canonical text of a file / expression / rule (parse(print(x)) == x).
std::string PrintFile(const FileAst& f);
std::string PrintExpr(const Expr& e);
std::string PrintRule(const RuleDecl& r, int indent, bool replace);
std::string PrintSetLit(const Expr& e);

}  // namespace tollgate::policy

#endif  // TOLLGATE_POLICY_PARSER_H_
