#include "pipeline/json_line.h"

#include <gtest/gtest.h>

namespace tollgate::pipeline_internal {
namespace {

TEST(FlatJson, ParsesScalarsWithColumns) {
  std::vector<JsonMember> m;
  JsonLineError e;
  ASSERT_TRUE(ParseFlatJsonObject(R"( {"a": "x\"y", "b":-12.50, "c":null,"d":true} )", &m, &e))
      << e.message;
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].key, "a");
  EXPECT_EQ(m[0].key_column, 3);
  EXPECT_EQ(m[0].text, "x\"y");
  EXPECT_EQ(m[0].column, 8);
  EXPECT_EQ(m[1].kind, JsonMember::Kind::kNumber);
  EXPECT_EQ(m[1].text, "-12.50");  // exactly as written
  EXPECT_EQ(m[2].kind, JsonMember::Kind::kNull);
  EXPECT_EQ(m[3].kind, JsonMember::Kind::kTrue);
  ASSERT_TRUE(ParseFlatJsonObject("{}", &m, &e));
  EXPECT_TRUE(m.empty());
}

struct BadCase {
  const char* text;
  int column;
  const char* message;
};

TEST(FlatJson, RejectsMalformedInputWithAColumn) {
  const BadCase cases[] = {
      {"", 1, "expected '{' at the start of a JSON object"},
      {"[1]", 1, "expected '{' at the start of a JSON object"},
      {"{\"a\":1", 7, "expected ',' or '}'"},
      {"{\"a\" 1}", 6, "expected ':' after the key"},
      {"{a:1}", 2, "expected a quoted key"},
      {"{\"a\":{}}", 6, "nested objects and arrays are not allowed in an order line"},
      {"{\"a\":[1]}", 6, "nested objects and arrays are not allowed in an order line"},
      {"{\"a\":\"x}", 9, "unterminated string"},
      {"{\"a\":01}", 7, "expected ',' or '}'"},
      {"{\"a\":1.}", 8, "invalid JSON number"},
      {"{\"a\":nul}", 6, "invalid JSON value"},
      {"{\"a\":\"\\x\"}", 8, "invalid escape in string"},
      {"{\"a\":\"\\ud800\"}", 13, "unpaired surrogate in \\u escape"},
      {"{\"a\":\"\\u12\"}", 12, "invalid \\u escape"},
      {"{\"a\":1} x", 9, "unexpected text after the JSON object"},
      {"{\"a\":\"\t\"}", 7, "control character in string"},
  };
  for (const auto& c : cases) {
    std::vector<JsonMember> m;
    JsonLineError e;
    EXPECT_FALSE(ParseFlatJsonObject(c.text, &m, &e)) << c.text;
    EXPECT_EQ(e.message, c.message) << c.text;
    EXPECT_EQ(e.column, c.column) << c.text;
  }
}

}  // namespace
}  // namespace tollgate::pipeline_internal
