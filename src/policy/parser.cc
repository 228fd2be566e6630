#include "policy/parser.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tollgate::policy {

SourceFile::SourceFile(std::string p, std::string t) : path(std::move(p)), text(std::move(t)) {
  line_starts.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
}

std::string SourceFile::Line(int line) const {
  if (line < 1 || static_cast<size_t>(line) > line_starts.size()) return "";
  size_t b = line_starts[static_cast<size_t>(line - 1)];
  size_t e = text.find('\n', b);
  if (e == std::string::npos) e = text.size();
  std::string s = text.substr(b, e - b);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

Diagnostic MakeDiag(const SourceFile& file, Loc loc, std::string message, std::string hint,
                    Diagnostic::Severity sev) {
  Diagnostic d;
  d.severity = sev;
  d.file = file.path;
  d.line = loc.line;
  d.column = loc.col;
  d.message = std::move(message);
  d.source_line = file.Line(loc.line);
  d.hint = std::move(hint);
  return d;
}

bool IsKnownUnit(std::string_view u) {
  return u == "GB/s" || u == "mm2" || u == "GB" || u == "TOPS" || u == "GB/s/mm2";
}

namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

const std::set<std::string, std::less<>>& Keywords() {
  static const std::set<std::string, std::less<>> k = {
      "policy",     "set",     "define",    "version", "effective",     "extends", "title",
      "cite",       "note",    "classify",  "rule",    "replace",       "remove",  "eccn",
      "effect",     "when",    "uncertain", "until",   "revenue_share", "tariff",  "certify",
      "volume_cap", "notify",  "of",        "to",      "per",           "days",    "and",
      "or",         "not",     "in",        "is",      "null",          "true",    "false",
      "intersects", "fixture", "test",      "use",     "date",          "expect",  "no",
      "none",       "amount",  "obligation"};
  return k;
}

}  // namespace

std::vector<Token> Lex(const SourceFile& file, int file_index) {
  std::vector<Token> out;
  const std::string& s = file.text;
  size_t i = 0;
  int line = 1;
  size_t line_start = 0;
  auto loc_at = [&](size_t p) {
    return Loc{file_index, line, static_cast<int>(p - line_start) + 1};
  };
  bool prev_number = false;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      prev_number = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    Token t;
    t.loc = loc_at(i);
    bool is_number = false;
    if (prev_number && (IsNameStart(c) || static_cast<unsigned char>(c) >= 0x80)) {
      // A unit directly after a number: a run of letters, digits, '/', '²'.
      size_t j = i;
      while (j < s.size() &&
             (IsNameChar(s[j]) || s[j] == '/' || static_cast<unsigned char>(s[j]) >= 0x80))
        ++j;
      std::string u = s.substr(i, j - i);
      size_t sq = u.find("\xC2\xB2");  // ²
      std::string norm = u;
      if (sq != std::string::npos) norm.replace(sq, 2, "2");
      if (IsKnownUnit(norm)) {
        t.kind = Tok::kUnit;
        t.text = norm;
        out.push_back(std::move(t));
        i = j;
        prev_number = false;
        continue;
      }
    }
    if (IsNameStart(c)) {
      size_t j = i;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      while (j + 1 < s.size() && (s[j] == '.' || s[j] == ':') && IsNameChar(s[j + 1])) {
        ++j;
        while (j < s.size() && IsNameChar(s[j])) ++j;
      }
      t.kind = Tok::kName;
      t.text = s.substr(i, j - i);
      i = j;
    } else if (IsDigit(c) || (c == '-' && i + 1 < s.size() && IsDigit(s[i + 1]))) {
      // Date YYYY-MM-DD or number.
      if (i + 10 <= s.size() && IsDigit(s[i]) && IsDigit(s[i + 1]) && IsDigit(s[i + 2]) &&
          IsDigit(s[i + 3]) && s[i + 4] == '-' && IsDigit(s[i + 5]) && IsDigit(s[i + 6]) &&
          s[i + 7] == '-' && IsDigit(s[i + 8]) && IsDigit(s[i + 9]) &&
          (i + 10 == s.size() || !IsNameChar(s[i + 10]))) {
        t.kind = Tok::kDate;
        t.text = s.substr(i, 10);
        i += 10;
      } else {
        size_t j = i + 1;
        while (j < s.size() && (IsDigit(s[j]) || s[j] == '_')) ++j;
        if (j + 1 < s.size() && s[j] == '.' && IsDigit(s[j + 1])) {
          ++j;
          while (j < s.size() && IsDigit(s[j])) ++j;
        }
        t.kind = Tok::kNumber;
        t.text = s.substr(i, j - i);
        t.text.erase(std::remove(t.text.begin(), t.text.end(), '_'), t.text.end());
        i = j;
        is_number = true;
        if (j < s.size() && IsNameStart(s[j])) {
          // "12abc": let the unit check above see it.
        }
      }
    } else if (c == '"') {
      size_t j = i + 1;
      std::string v;
      bool closed = false;
      while (j < s.size() && s[j] != '\n') {
        if (s[j] == '\\' && j + 1 < s.size()) {
          char e = s[j + 1];
          if (e == 'n')
            v += '\n';
          else if (e == '"' || e == '\\')
            v += e;
          else {
            v += '\\';
            v += e;
          }
          j += 2;
          continue;
        }
        if (s[j] == '"') {
          closed = true;
          ++j;
          break;
        }
        v += s[j++];
      }
      if (!closed) {
        t.kind = Tok::kError;
        t.text = "unterminated string";
        i = j;
      } else {
        t.kind = Tok::kString;
        t.text = std::move(v);
        i = j;
      }
    } else {
      auto two = [&](char a, char b) { return c == a && i + 1 < s.size() && s[i + 1] == b; };
      if (two('=', '='))
        t.kind = Tok::kEq, i += 2;
      else if (two('!', '='))
        t.kind = Tok::kNe, i += 2;
      else if (two('<', '='))
        t.kind = Tok::kLe, i += 2;
      else if (two('>', '='))
        t.kind = Tok::kGe, i += 2;
      else {
        switch (c) {
          case '{':
            t.kind = Tok::kLBrace;
            break;
          case '}':
            t.kind = Tok::kRBrace;
            break;
          case '(':
            t.kind = Tok::kLParen;
            break;
          case ')':
            t.kind = Tok::kRParen;
            break;
          case ',':
            t.kind = Tok::kComma;
            break;
          case '=':
            t.kind = Tok::kAssign;
            break;
          case '<':
            t.kind = Tok::kLt;
            break;
          case '>':
            t.kind = Tok::kGt;
            break;
          case '%':
            t.kind = Tok::kPercent;
            break;
          default: {
            t.kind = Tok::kError;
            unsigned char uc = static_cast<unsigned char>(c);
            if (uc >= 0x20 && uc < 0x7f)
              t.text = std::string("unexpected character '") + c + "'";
            else {
              char buf[32];
              snprintf(buf, sizeof buf, "unexpected byte 0x%02X", uc);
              t.text = buf;
            }
          }
        }
        ++i;
        if (t.kind != Tok::kError) t.text = std::string(1, c);
      }
      if (t.text.empty()) t.text = s.substr(t.loc.col - 1 + line_start, 2);
    }
    prev_number = is_number;
    out.push_back(std::move(t));
  }
  Token eof;
  eof.kind = Tok::kEof;
  eof.loc = loc_at(i);
  out.push_back(eof);
  return out;
}

std::string Quote(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      o += '\\', o += c;
    else if (c == '\n')
      o += "\\n";
    else
      o += c;
  }
  return o + "\"";
}

std::string QuoteIfNeeded(std::string_view s) {
  if (s.empty() || !IsNameStart(s[0]) || Keywords().count(s)) return Quote(s);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsNameChar(c)) continue;
    if ((c == '.' || c == ':') && i + 1 < s.size() && IsNameChar(s[i + 1])) continue;
    return Quote(s);
  }
  return std::string(s);
}

// ---------------------------------------------------------------------------------------

Parser::Parser(const SourceFile& file, int file_index, const LoadOptions& options,
               std::vector<Diagnostic>* diags)
    : file_(file), options_(options), toks_(Lex(file, file_index)), diags_(diags) {}

const Token& Parser::Peek(int ahead) const {
  size_t p = std::min(pos_ + static_cast<size_t>(ahead), toks_.size() - 1);
  return toks_[p];
}

Token Parser::Next() {
  Token t = toks_[pos_];
  if (pos_ + 1 < toks_.size()) ++pos_;
  return t;
}

bool Parser::AtKeyword(std::string_view kw) const {
  return Peek().kind == Tok::kName && Peek().text == kw;
}

bool Parser::Accept(Tok k) {
  if (Peek().kind != k) return false;
  Next();
  return true;
}

bool Parser::AcceptKeyword(std::string_view kw) {
  if (!AtKeyword(kw)) return false;
  Next();
  return true;
}

static std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEof:
      return "end of file";
    case Tok::kName:
      return "'" + t.text + "'";
    case Tok::kString:
      return "string " + Quote(t.text);
    case Tok::kNumber:
      return "number " + t.text;
    case Tok::kUnit:
      return "unit " + t.text;
    case Tok::kDate:
      return "date " + t.text;
    case Tok::kError:
      return t.text;
    default:
      return "'" + t.text + "'";
  }
}

void Parser::Error(Loc loc, std::string message, std::string hint) {
  failed_ = true;
  diags_->push_back(MakeDiag(file_, loc, std::move(message), std::move(hint)));
}

bool Parser::Expect(Tok k, std::string_view what, Token* out) {
  if (Peek().kind == k) {
    Token t = Next();
    if (out) *out = std::move(t);
    return true;
  }
  const Token& t = Peek();
  if (t.kind == Tok::kError)
    Error(t.loc, t.text, "expected " + std::string(what));
  else
    Error(t.loc, "expected " + std::string(what) + ", found " + Describe(t));
  return false;
}

bool Parser::ExpectKeyword(std::string_view kw) {
  if (AcceptKeyword(kw)) return true;
  Error(Peek().loc, "expected '" + std::string(kw) + "', found " + Describe(Peek()));
  return false;
}

void Parser::Recover() {
  // Always make progress, then stop at a token in column 1 (a top-level declaration).
  if (Peek().kind != Tok::kEof) Next();
  while (Peek().kind != Tok::kEof && Peek().loc.col != 1) Next();
  // A '}' in column 1 closes the declaration we gave up on; it is not a new error.
  if (Peek().kind == Tok::kRBrace) Next();
  while (Peek().kind != Tok::kEof && Peek().loc.col != 1) Next();
}

bool Parser::CheckSize(const Expr&, Loc loc, int depth) {
  if (++expr_nodes_ > options_.max_expr_nodes) {
    if (expr_nodes_ == options_.max_expr_nodes + 1)
      Error(loc, "expression has more than " + std::to_string(options_.max_expr_nodes) +
                     " nodes (LoadOptions::max_expr_nodes)");
    return false;
  }
  if (depth > options_.max_expr_depth) {
    Error(loc, "expression nested deeper than " + std::to_string(options_.max_expr_depth) +
                   " levels (LoadOptions::max_expr_depth)");
    return false;
  }
  return true;
}

ExprPtr Parser::ParseExpr() {
  expr_nodes_ = 0;
  return ParseOr(1);
}

static ExprPtr MakeBinary(ExprKind k, Loc loc, ExprPtr a, ExprPtr b) {
  auto e = std::make_unique<Expr>();
  e->kind = k;
  e->loc = loc;
  e->a = std::move(a);
  e->b2 = std::move(b);
  return e;
}

// Left-associative chains: `a or b or c` is ((a or b) or c); the depth of the tree grows
// with the chain, so chains count against max_expr_depth too.
ExprPtr Parser::ParseOr(int depth) {
  ExprPtr lhs = ParseAnd(depth);
  if (!lhs) return nullptr;
  int d = depth;
  while (AtKeyword("or")) {
    Loc loc = Next().loc;
    if (!CheckSize(*lhs, loc, ++d)) return nullptr;
    ExprPtr rhs = ParseAnd(d);
    if (!rhs) return nullptr;
    lhs = MakeBinary(ExprKind::kOr, loc, std::move(lhs), std::move(rhs));
  }
  return lhs;
}

ExprPtr Parser::ParseAnd(int depth) {
  ExprPtr lhs = ParseUnary(depth);
  if (!lhs) return nullptr;
  int d = depth;
  while (AtKeyword("and")) {
    Loc loc = Next().loc;
    if (!CheckSize(*lhs, loc, ++d)) return nullptr;
    ExprPtr rhs = ParseUnary(d);
    if (!rhs) return nullptr;
    lhs = MakeBinary(ExprKind::kAnd, loc, std::move(lhs), std::move(rhs));
  }
  return lhs;
}

ExprPtr Parser::ParseUnary(int depth) {
  if (AtKeyword("not")) {
    Loc loc = Next().loc;
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kNot;
    e->loc = loc;
    if (!CheckSize(*e, loc, depth + 1)) return nullptr;
    e->a = ParseUnary(depth + 1);
    if (!e->a) return nullptr;
    return e;
  }
  return ParseCmp(depth);
}

ExprPtr Parser::ParseCmp(int depth) {
  ExprPtr lhs = ParseOperand(depth + 1);
  if (!lhs) return nullptr;
  const Token& t = Peek();
  CmpOp op;
  bool is_cmp = true;
  switch (t.kind) {
    case Tok::kEq:
      op = CmpOp::kEq;
      break;
    case Tok::kNe:
      op = CmpOp::kNe;
      break;
    case Tok::kLt:
      op = CmpOp::kLt;
      break;
    case Tok::kLe:
      op = CmpOp::kLe;
      break;
    case Tok::kGt:
      op = CmpOp::kGt;
      break;
    case Tok::kGe:
      op = CmpOp::kGe;
      break;
    case Tok::kAssign:
      Error(t.loc, "'=' is not a comparison", "write '==' to compare");
      return nullptr;
    default:
      is_cmp = false;
  }
  if (is_cmp) {
    Loc loc = Next().loc;
    ExprPtr rhs = ParseOperand(depth + 1);
    if (!rhs) return nullptr;
    auto e = MakeBinary(ExprKind::kCmp, loc, std::move(lhs), std::move(rhs));
    e->op = op;
    if (!CheckSize(*e, loc, depth)) return nullptr;
    return e;
  }
  if (AtKeyword("in") || (AtKeyword("not") && Peek(1).kind == Tok::kName && Peek(1).text == "in")) {
    Loc loc = Peek().loc;
    bool neg = AcceptKeyword("not");
    Next();  // in
    ExprPtr rhs = ParseSetOperand(depth + 1);
    if (!rhs) return nullptr;
    auto e = MakeBinary(ExprKind::kIn, loc, std::move(lhs), std::move(rhs));
    e->b = neg;
    if (!CheckSize(*e, loc, depth)) return nullptr;
    return e;
  }
  if (AtKeyword("intersects")) {
    Loc loc = Next().loc;
    ExprPtr rhs = ParseSetOperand(depth + 1);
    if (!rhs) return nullptr;
    auto e = MakeBinary(ExprKind::kIntersects, loc, std::move(lhs), std::move(rhs));
    if (!CheckSize(*e, loc, depth)) return nullptr;
    return e;
  }
  if (AtKeyword("is")) {
    Loc loc = Next().loc;
    bool neg = AcceptKeyword("not");
    if (!ExpectKeyword("null")) return nullptr;
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kIsNull;
    e->loc = loc;
    e->b = neg;
    e->a = std::move(lhs);
    if (!CheckSize(*e, loc, depth)) return nullptr;
    return e;
  }
  return lhs;
}

ExprPtr Parser::ParseSetLit() {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kSetLit;
  e->loc = Peek().loc;
  if (!Expect(Tok::kLBrace, "'{'")) return nullptr;
  if (Accept(Tok::kRBrace)) return e;
  while (true) {
    const Token& t = Peek();
    if (t.kind == Tok::kName || t.kind == Tok::kString) {
      if (t.kind == Tok::kName && Keywords().count(t.text)) {
        Error(t.loc, "'" + t.text + "' is a keyword", "quote it: " + Quote(t.text));
        return nullptr;
      }
      e->members.push_back(t.text);
      e->member_locs.push_back(t.loc);
      Next();
      if (e->members.size() > options_.max_set_members) {
        Error(t.loc, "set literal has more than " + std::to_string(options_.max_set_members) +
                         " members (LoadOptions::max_set_members)");
        return nullptr;
      }
    } else {
      Expect(Tok::kString, "a set member (name or string)");
      return nullptr;
    }
    if (Accept(Tok::kComma)) {
      if (Accept(Tok::kRBrace)) break;  // trailing comma
      continue;
    }
    if (!Expect(Tok::kRBrace, "',' or '}'")) return nullptr;
    break;
  }
  return e;
}

ExprPtr Parser::ParseSetOperand(int depth) {
  if (Peek().kind == Tok::kLBrace) return ParseSetLit();
  Token t;
  if (!Expect(Tok::kName, "a set: {...}, a set name or a set attribute", &t)) return nullptr;
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kName;
  e->loc = t.loc;
  e->str = t.text;
  return e;
}

ExprPtr Parser::ParseLiteral() {
  const Token& t = Peek();
  auto e = std::make_unique<Expr>();
  e->loc = t.loc;
  switch (t.kind) {
    case Tok::kNumber: {
      auto d = Decimal::Parse(t.text);
      if (!d.ok()) {
        Error(t.loc, "invalid number '" + t.text + "'", d.status().message());
        return nullptr;
      }
      e->kind = ExprKind::kNumber;
      e->num = *d;
      Next();
      if (Peek().kind == Tok::kUnit) e->unit = Next().text;
      return e;
    }
    case Tok::kString:
      e->kind = ExprKind::kString;
      e->str = t.text;
      Next();
      return e;
    case Tok::kDate: {
      auto d = Date::Parse(t.text);
      if (!d.ok()) {
        Error(t.loc, "invalid date '" + t.text + "'", "expected a real calendar date YYYY-MM-DD");
        return nullptr;
      }
      e->kind = ExprKind::kDate;
      e->date = *d;
      Next();
      return e;
    }
    case Tok::kLBrace:
      return ParseSetLit();
    case Tok::kName:
      if (t.text == "true" || t.text == "false") {
        e->kind = ExprKind::kBool;
        e->b = t.text == "true";
        Next();
        return e;
      }
      if (t.text == "null") {
        e->kind = ExprKind::kName;
        e->str = "null";
        Next();
        return e;
      }
      [[fallthrough]];
    default:
      if (t.kind == Tok::kError)
        Error(t.loc, t.text);
      else
        Error(t.loc, "expected a value, found " + Describe(t));
      return nullptr;
  }
}

ExprPtr Parser::ParseOperand(int depth) {
  const Token& t = Peek();
  if (t.kind == Tok::kLParen) {
    Loc loc = Next().loc;
    auto probe = std::make_unique<Expr>();
    if (!CheckSize(*probe, loc, depth)) return nullptr;
    --expr_nodes_;  // parentheses are not nodes
    ExprPtr e = ParseOr(depth + 1);
    if (!e) return nullptr;
    if (!Expect(Tok::kRParen, "')'")) return nullptr;
    return e;
  }
  if (t.kind == Tok::kName && !Keywords().count(t.text)) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kName;
    e->loc = t.loc;
    e->str = t.text;
    Next();
    if (!CheckSize(*e, e->loc, depth)) return nullptr;
    return e;
  }
  if (t.kind == Tok::kName && t.text != "true" && t.text != "false") {
    Error(t.loc, "expected a value, an attribute or '(', found keyword '" + t.text + "'");
    return nullptr;
  }
  ExprPtr e = ParseLiteral();
  if (e && !CheckSize(*e, e->loc, depth)) return nullptr;
  return e;
}

// ---------------------------------------------------------------------------------------

bool Parser::ParsePercent(Decimal* out) {
  Token t;
  if (!Expect(Tok::kNumber, "a percentage such as 25%", &t)) return false;
  auto d = Decimal::Parse(t.text);
  if (!d.ok()) {
    Error(t.loc, "invalid number '" + t.text + "'");
    return false;
  }
  if (!Expect(Tok::kPercent, "'%' after the rate")) return false;
  if (*d > Decimal::FromInt(100)) {
    Error(t.loc, "rate " + t.text + "% is more than 100%");
    return false;
  }
  *out = *d;
  return true;
}

bool Parser::ParseObligation(RuleDecl* rule) {
  Token kw = Next();
  ObligationDecl o;
  o.loc = kw.loc;
  Token t;
  auto opt_detail = [&]() {
    if (Peek().kind == Tok::kString) o.detail = Next().text;
  };
  if (kw.text == "revenue_share" || kw.text == "tariff") {
    o.kind =
        kw.text == "tariff" ? ObligationDecl::Kind::kTariff : ObligationDecl::Kind::kRevenueShare;
    if (o.kind == ObligationDecl::Kind::kTariff) {
      if (!Expect(Tok::kName, "a tariff name (e.g. section_232)", &t)) return false;
      o.name = t.text;
    }
    if (!ParsePercent(&o.percent)) return false;
    if (!ExpectKeyword("of")) return false;
    if (!Expect(Tok::kName, "sale_value or customs_value", &t)) return false;
    if (t.text != "sale_value" && t.text != "customs_value") {
      Error(t.loc, "unknown base '" + t.text + "'", "expected sale_value or customs_value");
      return false;
    }
    o.base = t.text;
    if (!ExpectKeyword("to")) return false;
    if (!Expect(Tok::kString, "the payee as a string", &t)) return false;
    o.payee = t.text;
    opt_detail();
  } else if (kw.text == "certify") {
    o.kind = ObligationDecl::Kind::kCertification;
    if (!Expect(Tok::kName, "a certification name", &t)) return false;
    o.name = t.text;
    if (!Expect(Tok::kString, "what the exporter certifies, as a string", &t)) return false;
    o.detail = t.text;
  } else if (kw.text == "volume_cap") {
    o.kind = ObligationDecl::Kind::kVolumeCap;
    if (!ParsePercent(&o.percent)) return false;
    if (!ExpectKeyword("of")) return false;
    if (!Expect(Tok::kName, "the reference market (a country code)", &t)) return false;
    o.reference = t.text;
    if (!ExpectKeyword("per")) return false;
    if (!Expect(Tok::kName, "a period (month, quarter, year)", &t)) return false;
    if (t.text != "month" && t.text != "quarter" && t.text != "year") {
      Error(t.loc, "unknown period '" + t.text + "'", "expected month, quarter or year");
      return false;
    }
    o.period = t.text;
    opt_detail();
  } else {  // notify
    o.kind = ObligationDecl::Kind::kNotification;
    if (!Expect(Tok::kName, "a notification name", &t)) return false;
    o.name = t.text;
    if (!Expect(Tok::kNumber, "the number of days", &t)) return false;
    if (t.text.size() > 4 || t.text.find('.') != std::string::npos || t.text[0] == '-') {
      Error(t.loc, "notification lead time must be a whole number of days (0..9999)");
      return false;
    }
    o.days = std::stoi(t.text);
    if (!ExpectKeyword("days")) return false;
    opt_detail();
  }
  rule->obligations.push_back(std::move(o));
  return true;
}

bool Parser::ParseRuleBody(RuleDecl* rule) {
  if (!Expect(Tok::kLBrace, "'{' to open the rule")) return false;
  std::set<std::string> seen;
  while (!Accept(Tok::kRBrace)) {
    const Token t = Peek();
    if (t.kind != Tok::kName) {
      Expect(Tok::kName,
             "a rule field (effect, when, cite, note, uncertain, until, eccn, or an "
             "obligation) or '}'");
      return false;
    }
    std::string f = t.text;
    bool repeatable = f == "revenue_share" || f == "tariff" || f == "certify" ||
                      f == "volume_cap" || f == "notify";
    if (!repeatable && !seen.insert(f).second) {
      Error(t.loc, "duplicate field '" + f + "' in " + (rule->classify ? "classify" : "rule") +
                       " " + rule->id);
      return false;
    }
    Token v;
    if (f == "eccn" && rule->classify) {
      Next();
      if (!Expect(Tok::kString, "the ECCN as a string, e.g. \"3A090.a\"", &v)) return false;
      rule->eccn = v.text;
    } else if (f == "effect" && !rule->classify) {
      Next();
      if (!Expect(Tok::kName, "an effect", &v)) return false;
      auto e = ParseEffect(v.text);
      if (!e) {
        Error(v.loc, "unknown effect '" + v.text + "'",
              "expected one of: nlr, exception, licence_approval, licence_case_by_case, "
              "licence_denial, prohibited");
        return false;
      }
      rule->effect = *e;
      rule->effect_loc = v.loc;
      if (*e == Effect::kException) {
        if (Peek().kind != Tok::kName && Peek().kind != Tok::kString) {
          Error(Peek().loc, "expected the licence exception (e.g. NAC) after 'exception'");
          return false;
        }
        rule->exception = Next().text;
      }
    } else if (f == "when") {
      Next();
      rule->when_loc = Peek().loc;
      rule->when = ParseExpr();
      if (!rule->when) return false;
    } else if (f == "cite" || f == "note" || f == "uncertain") {
      Next();
      if (!Expect(Tok::kString, "a string after '" + f + "'", &v)) return false;
      if (v.text.empty()) {
        Error(v.loc, "empty " + f);
        return false;
      }
      (f == "cite" ? rule->cite : f == "note" ? rule->note : rule->uncertain) = v.text;
    } else if (f == "until") {
      Next();
      if (!Expect(Tok::kDate, "a date YYYY-MM-DD after 'until'", &v)) return false;
      auto d = Date::Parse(v.text);
      if (!d.ok()) {
        Error(v.loc, "invalid date '" + v.text + "'");
        return false;
      }
      rule->until = *d;
    } else if (repeatable && !rule->classify) {
      if (!ParseObligation(rule)) return false;
    } else {
      Error(t.loc,
            "unknown " + std::string(rule->classify ? "classify" : "rule") + " field '" + f + "'",
            rule->classify ? "expected eccn, when, cite, note, uncertain or until"
                           : "expected effect, when, cite, note, uncertain, until, "
                             "revenue_share, tariff, certify, volume_cap or notify");
      return false;
    }
  }
  return true;
}

bool Parser::ParseVersion(VersionDecl* v) {
  Token t;
  if (Peek().kind != Tok::kString && Peek().kind != Tok::kName) {
    Expect(Tok::kString, "the version id as a string");
    return false;
  }
  v->id = Next().text;
  if (!ExpectKeyword("effective")) return false;
  if (!Expect(Tok::kDate, "the effective date YYYY-MM-DD", &t)) return false;
  auto d = Date::Parse(t.text);
  if (!d.ok()) {
    Error(t.loc, "invalid date '" + t.text + "'");
    return false;
  }
  v->effective = *d;
  v->effective_loc = t.loc;
  if (AcceptKeyword("extends")) {
    v->extends_loc = Peek().loc;
    if (Peek().kind != Tok::kString && Peek().kind != Tok::kName) {
      Expect(Tok::kString, "the id of the version this one extends");
      return false;
    }
    v->extends = Next().text;
  }
  if (!Expect(Tok::kLBrace, "'{' to open the version")) return false;
  std::set<std::string> seen;
  while (!Accept(Tok::kRBrace)) {
    const Token k = Peek();
    if (k.kind != Tok::kName) {
      Expect(Tok::kName, "title, cite, note, rule, classify, replace, remove or '}'");
      return false;
    }
    if (k.text == "title" || k.text == "cite" || k.text == "note") {
      Next();
      if (!seen.insert(k.text).second) {
        Error(k.loc, "duplicate field '" + k.text + "' in version " + v->id);
        return false;
      }
      if (!Expect(Tok::kString, "a string after '" + k.text + "'", &t)) return false;
      (k.text == "title" ? v->title : k.text == "cite" ? v->cite : v->note) = t.text;
      continue;
    }
    VersionItem item;
    item.loc = k.loc;
    if (k.text == "remove") {
      Next();
      item.kind = VersionItem::Kind::kRemove;
      if (!Expect(Tok::kName, "the id of the rule to remove", &t)) return false;
      item.remove_id = t.text;
      v->items.push_back(std::move(item));
      continue;
    }
    if (k.text == "replace") {
      Next();
      item.kind = VersionItem::Kind::kReplace;
    }
    const Token r = Peek();
    if (r.kind != Tok::kName || (r.text != "rule" && r.text != "classify")) {
      Error(r.loc, "expected " +
                       std::string(item.kind == VersionItem::Kind::kReplace
                                       ? "'rule' or 'classify' after 'replace'"
                                       : "title, cite, note, rule, classify, replace, "
                                         "remove or '}'") +
                       ", found " + Describe(r));
      return false;
    }
    Next();
    auto rule = std::make_shared<RuleDecl>();
    rule->classify = r.text == "classify";
    if (!Expect(Tok::kName, "the rule id", &t)) return false;
    rule->id = t.text;
    rule->loc = t.loc;
    if (!ParseRuleBody(rule.get())) return false;
    item.rule = std::move(rule);
    if (v->items.size() >= options_.max_rules) {
      Error(t.loc, "version " + v->id + " has more than " + std::to_string(options_.max_rules) +
                       " rules (LoadOptions::max_rules)");
      return false;
    }
    v->items.push_back(std::move(item));
  }
  return true;
}

FileAst Parser::ParseFile() {
  FileAst f;
  f.path = file_.path;
  size_t decls = 0;
  while (Peek().kind != Tok::kEof) {
    const Token t = Peek();
    if (++decls > options_.max_sets + options_.max_versions + 16) {
      Error(t.loc, "too many declarations in one file (LoadOptions::max_sets / max_versions)");
      break;
    }
    if (t.kind != Tok::kName) {
      if (t.kind == Tok::kError)
        Error(t.loc, t.text);
      else
        Error(t.loc, "expected a declaration (policy, set, define, version), found " + Describe(t));
      Recover();
      continue;
    }
    Next();
    Token v;
    bool ok = true;
    if (t.text == "policy") {
      PolicyNameDecl p;
      p.loc = t.loc;
      if (Peek().kind == Tok::kString || Peek().kind == Tok::kName) {
        p.name = Next().text;
        f.decls.emplace_back(std::move(p));
      } else {
        ok = Expect(Tok::kName, "the policy name");
      }
    } else if (t.text == "set") {
      SetDecl s;
      ok = Expect(Tok::kName, "the set name", &v);
      if (ok) {
        s.name = v.text;
        s.loc = v.loc;
        ok = Expect(Tok::kAssign, "'='");
      }
      if (ok) {
        s.members = ParseSetLit();
        ok = s.members != nullptr;
      }
      if (ok && AcceptKeyword("cite")) {
        ok = Expect(Tok::kString, "a string after 'cite'", &v);
        if (ok) s.cite = v.text;
      }
      if (ok) f.decls.emplace_back(std::move(s));
    } else if (t.text == "define") {
      DefineDecl d;
      ok = Expect(Tok::kName, "the name being defined", &v);
      if (ok) {
        d.name = v.text;
        d.loc = v.loc;
        ok = Expect(Tok::kAssign, "'='");
      }
      if (ok) {
        d.expr = ParseExpr();
        ok = d.expr != nullptr;
      }
      if (ok) f.decls.emplace_back(std::move(d));
    } else if (t.text == "version") {
      VersionDecl ver;
      ver.loc = t.loc;
      ok = ParseVersion(&ver);
      if (ok) f.decls.emplace_back(std::move(ver));
    } else {
      Error(t.loc, "expected a declaration (policy, set, define, version), found '" + t.text + "'");
      ok = false;
    }
    if (!ok) Recover();
  }
  return f;
}

}  // namespace tollgate::policy
