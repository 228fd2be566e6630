#include "pipeline/json_line.h"

#include <cstdint>

namespace tollgate::pipeline_internal {

namespace {

class Parser {
 public:
  Parser(std::string_view s, JsonLineError* e) : s_(s), e_(e) {}

  bool Run(std::vector<JsonMember>* out) {
    out->clear();
    SkipWs();
    if (!Eat('{')) return Fail("expected '{' at the start of a JSON object");
    SkipWs();
    if (Eat('}')) return End();
    while (true) {
      SkipWs();
      JsonMember m;
      m.key_column = Col();
      if (Peek() != '"') return Fail("expected a quoted key");
      if (!String(&m.key)) return false;
      SkipWs();
      if (!Eat(':')) return Fail("expected ':' after the key");
      SkipWs();
      m.column = Col();
      if (!Value(&m)) return false;
      out->push_back(std::move(m));
      SkipWs();
      if (Eat(',')) continue;
      if (Eat('}')) return End();
      return Fail("expected ',' or '}'");
    }
  }

 private:
  bool End() {
    SkipWs();
    if (i_ != s_.size()) return Fail("unexpected text after the JSON object");
    return true;
  }
  int Col() const { return static_cast<int>(i_) + 1; }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void SkipWs() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  bool Fail(std::string msg) {
    e_->column = Col();
    e_->message = std::move(msg);
    return false;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return Fail("invalid JSON value");
    i_ += word.size();
    return true;
  }
  bool Value(JsonMember* m) {
    char c = Peek();
    if (c == '"') {
      m->kind = JsonMember::Kind::kString;
      return String(&m->text);
    }
    if (c == '{' || c == '[')
      return Fail("nested objects and arrays are not allowed in an order line");
    if (c == 'n') {
      m->kind = JsonMember::Kind::kNull;
      return Literal("null");
    }
    if (c == 't') {
      m->kind = JsonMember::Kind::kTrue;
      return Literal("true");
    }
    if (c == 'f') {
      m->kind = JsonMember::Kind::kFalse;
      return Literal("false");
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      m->kind = JsonMember::Kind::kNumber;
      return Number(&m->text);
    }
    return Fail("invalid JSON value");
  }
  // JSON number grammar; the exponent form is accepted here and rejected later by the
  // field's own validation (exact decimals have no exponent).
  bool Number(std::string* out) {
    size_t start = i_;
    Eat('-');
    if (Eat('0')) {
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++i_;
    } else {
      return Fail("invalid JSON number");
    }
    if (Eat('.')) {
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("invalid JSON number");
      while (Peek() >= '0' && Peek() <= '9') ++i_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++i_;
      if (Peek() == '+' || Peek() == '-') ++i_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("invalid JSON number");
      while (Peek() >= '0' && Peek() <= '9') ++i_;
    }
    *out = std::string(s_.substr(start, i_ - start));
    return true;
  }
  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool Hex4(uint32_t* v) {
    if (i_ + 4 > s_.size()) return Fail("truncated \\u escape");
    uint32_t x = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      x <<= 4;
      if (c >= '0' && c <= '9') {
        x |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        x |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        x |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Fail("invalid \\u escape");
      }
    }
    *v = x;
    return true;
  }
  bool String(std::string* out) {
    out->clear();
    ++i_;  // opening quote
    while (true) {
      if (i_ >= s_.size()) return Fail("unterminated string");
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out->push_back(c);
        ++i_;
        continue;
      }
      ++i_;
      if (i_ >= s_.size()) return Fail("unterminated string");
      char e = s_[i_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = 0;
            if (!(Eat('\\') && Eat('u'))) return Fail("unpaired surrogate in \\u escape");
            if (!Hex4(&lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return Fail("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail("unpaired surrogate in \\u escape");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --i_;
          return Fail("invalid escape in string");
      }
    }
  }

  std::string_view s_;
  JsonLineError* e_;
  size_t i_ = 0;
};

}  // namespace

bool ParseFlatJsonObject(std::string_view line, std::vector<JsonMember>* members,
                         JsonLineError* error) {
  return Parser(line, error).Run(members);
}

}  // namespace tollgate::pipeline_internal
