#include <gtest/gtest.h>

#include "tollgate/pipeline.h"

namespace tollgate {
namespace {

const std::string kHeader = std::string(OrderCsvHeader()) + "\n";
const char kGood[] =
    "PO-1,1,2026-02-10,Acme Compute Inc,H200,100,31500.00,USD,US,CN,Shanghai Cloud Co,CN,"
    "Shanghai Cloud Co,CN,CN,datacenter,,3150000.00\n";

std::string Csv(const std::string& body) { return kHeader + body; }

// Replaces field `idx` of a CSV line (no quoted commas in these tests).
std::string WithField(std::string line, int idx, const std::string& value) {
  size_t start = 0;
  for (int i = 0; i < idx; ++i) start = line.find(',', start) + 1;
  size_t end = line.find_first_of(",\n", start);
  return line.replace(start, end - start, value);
}

std::string OnlyError(const Result<OrderBatch>& b) {
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  if (!b.ok()) return "";
  EXPECT_EQ(b->errors.size(), 1u);
  return b->errors.empty() ? "" : b->errors[0].ToString();
}

TEST(OrderCsv, ReadsAGoodLine) {
  auto b = ReadOrdersCsv(Csv(kGood), "o.csv");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->lines.size(), 1u);
  EXPECT_TRUE(b->errors.empty());
  const OrderLine& l = b->lines[0];
  EXPECT_EQ(l.order_id, "PO-1");
  EXPECT_EQ(l.line, 1);
  EXPECT_EQ(l.date.ToString(), "2026-02-10");
  EXPECT_EQ(l.item, "H200");
  EXPECT_EQ(l.quantity, 100);
  EXPECT_EQ(l.unit_price.ToString(), "31500.00");
  EXPECT_EQ(l.currency.code(), "USD");
  EXPECT_EQ(l.destination.code(), "CN");
  EXPECT_EQ(l.end_use, EndUse::kDatacenter);
  EXPECT_TRUE(l.licence.empty());
  ASSERT_TRUE(l.customs_value.has_value());
  EXPECT_EQ(l.customs_value->ToString(), "3150000.00");
  EXPECT_EQ(l.SaleValue()->amount.ToString(), "3150000.00");
  EXPECT_EQ(l.source_line, 2);
  EXPECT_EQ(l.columns[static_cast<size_t>(OrderField::kItem)], 36);
}

TEST(OrderCsv, WrongHeaderIsAParseErrorPointingAtTheColumn) {
  auto b = ReadOrdersCsv("order_id,line,day,exporter\n", "o.csv");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kParseError);
  EXPECT_EQ(b.status().diagnostics().at(0).ToString(),
            "o.csv:1:15: error: unexpected order file header\n"
            "  order_id,line,day,exporter\n"
            "                ^\n"
            "  hint: expected the header " +
                std::string(OrderCsvHeader()));
}

TEST(OrderCsv, EmptyFile) {
  auto b = ReadOrdersCsv("", "o.csv");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().diagnostics().at(0).message, "empty order file: missing the header line");
}

TEST(OrderCsv, NegativeQuantity) {
  std::string line = WithField(kGood, 5, "-5");
  EXPECT_EQ(OnlyError(ReadOrdersCsv(Csv(line), "o.csv")),
            "o.csv:2:41: error: field 'quantity': negative quantity '-5'\n  " +
                line.substr(0, line.size() - 1) + "\n" + std::string(42, ' ') +
                "^\n  hint: expected a whole number >= 0");
}

struct FieldCase {
  int field;
  std::string value;
  std::string message;  // "field 'x': message"
  std::string hint;
};

class BadField : public ::testing::TestWithParam<FieldCase> {};

TEST_P(BadField, IsReportedWithFieldValueAndHint) {
  const FieldCase& c = GetParam();
  std::string line = WithField(kGood, c.field, c.value);
  auto b =
      ReadOrdersCsv(Csv(kGood) + WithField(WithField(line, 1, "2"), c.field, c.value), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->lines.size(), 1u) << "the good line is still read";
  ASSERT_EQ(b->errors.size(), 1u);
  const Diagnostic& d = b->errors[0];
  EXPECT_EQ(d.file, "o.csv");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.field, std::string(OrderFieldName(static_cast<OrderField>(c.field))));
  EXPECT_EQ(d.message, c.message);
  EXPECT_EQ(d.hint, c.hint);
  EXPECT_GT(d.column, 0);
}

const char kCountryHint[] = "expected an ISO 3166-1 alpha-2 country code such as CN, AE, SG";

INSTANTIATE_TEST_SUITE_P(
    Fields, BadField,
    ::testing::Values(
        FieldCase{0, "", "missing order_id", "expected a non-empty order id"},
        FieldCase{2, "2026-02-30", "invalid date '2026-02-30'",
                  "expected an ISO 8601 date YYYY-MM-DD"},
        FieldCase{2, "10/02/2026", "invalid date '10/02/2026'",
                  "expected an ISO 8601 date YYYY-MM-DD"},
        FieldCase{3, "", "missing exporter", "expected the exporter's name"},
        FieldCase{4, "", "missing item", "expected a catalog id or alias"},
        FieldCase{5, "1.5", "invalid quantity '1.5'",
                  "expected a whole number >= 0 (at most 18 digits)"},
        FieldCase{5, "ten", "invalid quantity 'ten'",
                  "expected a whole number >= 0 (at most 18 digits)"},
        FieldCase{6, "12.5e3", "invalid unit_price '12.5e3'",
                  "expected an exact decimal number such as 1234.50"},
        FieldCase{6, "-1.00", "negative unit_price '-1.00'", "expected a decimal number >= 0"},
        FieldCase{7, "XYZ", "unknown currency 'XYZ'",
                  "expected an ISO 4217 code such as USD, CNY, EUR"},
        FieldCase{8, "ZZ", "unknown country 'ZZ'", kCountryHint},
        FieldCase{9, "China", "unknown country 'China'", kCountryHint},
        FieldCase{11, "", "missing consignee_country", kCountryHint},
        FieldCase{13, "UK", "unknown country 'UK'", kCountryHint},
        FieldCase{14, "XX", "unknown country 'XX'", kCountryHint},
        FieldCase{15, "civil", "unknown end_use 'civil'",
                  "expected one of commercial, datacenter, research, government, military, "
                  "military_intelligence, supercomputer, advanced_ic"},
        FieldCase{17, "abc", "invalid customs_value 'abc'",
                  "expected an exact decimal number such as 1234.50, or empty"},
        FieldCase{17, "-3", "negative customs_value '-3'",
                  "expected a decimal number >= 0, or empty"},
        FieldCase{1, "0", "invalid line number '0'",
                  "expected a line number, a whole number >= 1"}));

TEST(OrderCsv, UnitPriceWithCommaIsInvalid) {
  std::string line = WithField(kGood, 6, "\"31,500\"");
  auto b = ReadOrdersCsv(Csv(line), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "invalid unit_price '31,500'");
}

TEST(OrderCsv, EveryBadFieldOfEveryBadLineIsReported) {
  std::string l2 = WithField(WithField(WithField(kGood, 1, "2"), 5, "-1"), 9, "QQ");
  std::string l3 = WithField(WithField(kGood, 1, "3"), 2, "2026-13-01");
  auto b = ReadOrdersCsv(Csv(l2 + l3 + WithField(kGood, 1, "4")), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 3u);
  EXPECT_EQ(b->errors[0].line, 2);
  EXPECT_EQ(b->errors[0].field, "quantity");
  EXPECT_EQ(b->errors[1].line, 2);
  EXPECT_EQ(b->errors[1].field, "destination");
  EXPECT_EQ(b->errors[2].line, 3);
  EXPECT_EQ(b->errors[2].field, "date");
  ASSERT_EQ(b->lines.size(), 1u);
  EXPECT_EQ(b->lines[0].line, 4);
}

TEST(OrderCsv, DuplicateOrderLine) {
  auto b = ReadOrdersCsv(Csv(std::string(kGood) + kGood), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->lines.size(), 1u);
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].line, 3);
  EXPECT_EQ(b->errors[0].field, "line");
  EXPECT_EQ(b->errors[0].message, "duplicate order line (PO-1, 1); first seen on line 2");
}

TEST(OrderCsv, WrongNumberOfFields) {
  auto b = ReadOrdersCsv(Csv("PO-1,1,2026-02-10\n"), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].ToString(),
            "o.csv:2:18: error: wrong number of fields: 3\n  PO-1,1,2026-02-10\n"
            "                   ^\n  hint: expected 18 fields as in the header");
}

TEST(OrderCsv, UnterminatedQuoteIsReportedAndReadingContinues) {
  std::string bad = WithField(WithField(kGood, 1, "2"), 3, "\"Acme");
  auto b = ReadOrdersCsv(Csv(std::string(kGood) + bad), "o.csv");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->lines.size(), 1u);
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "unterminated quoted field");
}

TEST(OrderCsv, LimitMaxLines) {
  OrderReadOptions o;
  o.max_lines = 2;
  std::string body = std::string(kGood) + WithField(kGood, 1, "2") + WithField(kGood, 1, "3");
  auto b = ReadOrdersCsv(Csv(body), "o.csv", o);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(b.status().diagnostics().at(0).ToString(),
            "o.csv:4: error: too many order lines: more than 2\n"
            "  hint: split the file or raise OrderReadOptions::max_lines");
  o.max_lines = 3;
  EXPECT_TRUE(ReadOrdersCsv(Csv(body), "o.csv", o).ok());
}

TEST(OrderCsv, LimitMaxLineBytes) {
  OrderReadOptions o;
  o.max_line_bytes = 150;
  std::string longer = WithField(WithField(kGood, 1, "2"), 3, std::string(100, 'A'));
  auto b = ReadOrdersCsv(Csv(std::string(kGood) + longer), "o.csv", o);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->lines.size(), 1u);
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "order line too long: 214 bytes (limit 150)");
}

TEST(OrderCsv, LimitMaxFieldBytes) {
  OrderReadOptions o;
  o.max_field_bytes = 50;
  std::string longer = WithField(kGood, 3, std::string(60, 'A'));
  auto b = ReadOrdersCsv(Csv(longer), "o.csv", o);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->lines.empty());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].line, 2);
}

TEST(OrderCsv, CrlfBomAndSurroundingSpaces) {
  std::string data = "\xEF\xBB\xBF" + std::string(OrderCsvHeader()) + "\r\n" +
                     WithField(WithField(kGood, 9, " cn "), 7, "usd");
  auto b = ReadOrdersCsv(data, "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->lines.size(), 1u) << (b->errors.empty() ? "" : b->errors[0].ToString());
  EXPECT_EQ(b->lines[0].destination.code(), "CN");
  EXPECT_EQ(b->lines[0].currency.code(), "USD");
}

TEST(OrderCsv, QuantityZeroIsAllowed) {
  auto b = ReadOrdersCsv(Csv(WithField(kGood, 5, "0")), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->lines.size(), 1u);
  EXPECT_EQ(b->lines[0].quantity, 0);
}

TEST(OrderCsv, SaleValueOverflowIsAnError) {
  std::string line =
      WithField(WithField(kGood, 5, "999999999999999999"), 6, "999999999999999999999.99");
  auto b = ReadOrdersCsv(Csv(line), "o.csv");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].field, "unit_price");
  EXPECT_EQ(b->errors[0].message,
            "sale value 999999999999999999 x 999999999999999999999.99 is too large");
}

// ---------------------------------------------------------------------------------------
// JSON Lines

const char kJson[] =
    R"({"order_id":"PO-9","line":1,"date":"2025-09-01","exporter":"Acme","item":"H20",)"
    R"("quantity":10,"unit_price":12000.10,"currency":"CNY","ship_from":"TW",)"
    R"("destination":"CN","consignee":"X","consignee_country":"CN","end_user":"X",)"
    R"("end_user_country":"CN","end_user_hq":"CN","end_use":"commercial","licence":null,)"
    R"("customs_value":null})";

TEST(OrderJsonl, ReadsNumbersExactly) {
  auto b = ReadOrdersJsonl(std::string(kJson) + "\n\n", "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->lines.size(), 1u) << b->errors.at(0).ToString();
  EXPECT_EQ(b->lines[0].unit_price.ToString(), "12000.10");
  EXPECT_EQ(b->lines[0].currency.code(), "CNY");
  EXPECT_FALSE(b->lines[0].customs_value.has_value());
  EXPECT_TRUE(b->lines[0].licence.empty());
}

TEST(OrderJsonl, OptionalFieldsMayBeAbsent) {
  std::string j = kJson;
  j.replace(j.find(R"(,"licence":null,"customs_value":null)"),
            std::string(R"(,"licence":null,"customs_value":null)").size(), "");
  auto b = ReadOrdersJsonl(j, "o.jsonl");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->lines.size(), 1u);
}

TEST(OrderJsonl, ErrorsAreLocated) {
  std::string j = kJson;
  j.replace(j.find("\"quantity\":10"), 13, "\"quantity\":-10");
  auto b = ReadOrdersJsonl("\n" + j, "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  const Diagnostic& d = b->errors[0];
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.field, "quantity");
  EXPECT_EQ(d.column, static_cast<int>(j.find("-10")) + 1);
  EXPECT_EQ(d.message, "negative quantity '-10'");
}

TEST(OrderJsonl, MalformedJson) {
  auto b = ReadOrdersJsonl("{\"order_id\": \"A\", \"line\": }\n", "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].ToString(),
            "o.jsonl:1:27: error: malformed JSON: invalid JSON value\n"
            "  {\"order_id\": \"A\", \"line\": }\n"
            "                            ^\n"
            "  hint: expected one flat JSON object per line");
}

TEST(OrderJsonl, UnknownDuplicateAndBooleanFields) {
  std::string j = kJson;
  j.insert(1, R"("colour":"red",)");
  auto b = ReadOrdersJsonl(j, "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "unknown field 'colour'");
  EXPECT_EQ(b->errors[0].column, 2);

  j = kJson;
  j.insert(1, R"("item":"H100",)");
  b = ReadOrdersJsonl(j, "o.jsonl");
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "duplicate field 'item'");

  j = kJson;
  j.replace(j.find("\"licence\":null"), 14, "\"licence\":true");
  b = ReadOrdersJsonl(j, "o.jsonl");
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "unexpected boolean for 'licence'");
}

TEST(OrderJsonl, MissingRequiredField) {
  std::string j = kJson;
  j.replace(j.find(R"("item":"H20",)"), std::string(R"("item":"H20",)").size(), "");
  auto b = ReadOrdersJsonl(j, "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].field, "item");
  EXPECT_EQ(b->errors[0].message, "missing item");
}

TEST(OrderJsonl, Limits) {
  OrderReadOptions o;
  o.max_lines = 1;
  std::string two = std::string(kJson) + "\n" + kJson + "\n";
  auto b = ReadOrdersJsonl(two, "o.jsonl", o);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kResourceExhausted);
  o = OrderReadOptions();
  o.max_line_bytes = 100;
  b = ReadOrdersJsonl(kJson, "o.jsonl", o);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message,
            "order line too long: " + std::to_string(strlen(kJson)) + " bytes (limit 100)");
}

TEST(OrderJsonl, DuplicateOrderLine) {
  auto b = ReadOrdersJsonl(std::string(kJson) + "\n" + kJson, "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].message, "duplicate order line (PO-9, 1); first seen on line 1");
}

TEST(OrderJsonl, UnicodeEscapes) {
  std::string j = kJson;
  j.replace(j.find(R"("end_user":"X")"), std::string(R"("end_user":"X")").size(),
            R"("end_user":"\u534e\u4e3a \ud83d\ude00")");
  auto b = ReadOrdersJsonl(j, "o.jsonl");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->lines.size(), 1u);
  EXPECT_EQ(b->lines[0].end_user, "\xE5\x8D\x8E\xE4\xB8\xBA \xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace tollgate
