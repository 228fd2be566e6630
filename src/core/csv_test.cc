#include "core/csv.h"

#include <gtest/gtest.h>

namespace tollgate::csv {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view data,
                                              std::vector<Diagnostic>* errs) {
  Reader r(data, "t.csv");
  Record rec;
  Diagnostic err;
  std::vector<std::vector<std::string>> out;
  while (true) {
    auto s = r.Next(&rec, &err);
    if (s == Reader::Step::kEnd) break;
    if (s == Reader::Step::kError) {
      errs->push_back(err);
      continue;
    }
    std::vector<std::string> row;
    for (auto& f : rec.fields) row.push_back(f.value);
    out.push_back(row);
  }
  return out;
}

TEST(CsvTest, QuotesNewlinesAndCrlf) {
  std::vector<Diagnostic> errs;
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x,1\",\"he said \"\"hi\"\"\"\r\n\"multi\nline\",z\n",
      &errs);
  ASSERT_TRUE(errs.empty());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x,1", "he said \"hi\""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"multi\nline", "z"}));
}

TEST(CsvTest, EmptyFieldsAndBlankLines) {
  std::vector<Diagnostic> errs;
  auto rows = ReadAll("a,,c\n\n,\n", &errs);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"", ""}));
}

TEST(CsvTest, LocatesFields) {
  Reader r("id,name\n7,\"Huawei\"\n", "f.csv");
  Record rec;
  Diagnostic err;
  ASSERT_EQ(r.Next(&rec, &err), Reader::Step::kRecord);
  ASSERT_EQ(r.Next(&rec, &err), Reader::Step::kRecord);
  EXPECT_EQ(rec.line, 2);
  EXPECT_EQ(rec.fields[1].column, 3);
  EXPECT_EQ(rec.source_line, "7,\"Huawei\"");
}

TEST(CsvTest, BadRecordIsReportedAndSkipped) {
  std::vector<Diagnostic> errs;
  auto rows = ReadAll("a,b\nx\"y,z\nc,d\n\"open,e\n", &errs);
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_EQ(errs[0].ToString(),
            "t.csv:2:2: error: stray quote in unquoted field\n  x\"y,z\n   ^\n  hint: quote "
            "the whole field and double the inner quote (\"\")");
  EXPECT_EQ(errs[1].line, 4);
  EXPECT_EQ(errs[1].message, "unterminated quoted field");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"c", "d"}));
}

TEST(CsvTest, FieldLimit) {
  Options o;
  o.max_field_bytes = 4;
  Reader r("abcdef\n", "f.csv", o);
  Record rec;
  Diagnostic err;
  EXPECT_EQ(r.Next(&rec, &err), Reader::Step::kError);
  EXPECT_EQ(err.message, "field longer than 4 bytes");
}

TEST(CsvTest, HeadedReaderChecksTheFieldCountOfEveryRecord) {
  HeadedReader in("\xEF\xBB\xBFname, list ,id\nA,l,1\nB,l\n\"bad\"x,l,2\nC,l,3,extra\nD,l,4\n",
                  "p.csv");
  Diagnostic err;
  ASSERT_EQ(in.ReadHeader(&err), Reader::Step::kRecord);
  EXPECT_EQ(in.header().names(), (std::vector<std::string>{"name", "list", "id"}));
  EXPECT_EQ(in.header_record().line, 1);
  Record r;
  std::vector<std::string> names;
  std::vector<Diagnostic> errs;
  for (Reader::Step s; (s = in.Next(&r, &err)) != Reader::Step::kEnd;) {
    if (s == Reader::Step::kError) {
      errs.push_back(err);
      continue;
    }
    names.push_back(std::string(in.Value(r, "name")) + in.Column(r, "id")->value);
    EXPECT_EQ(in.Column(r, "nope"), nullptr);
    EXPECT_EQ(in.Value(r, "nope"), "");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"A1", "D4"}));
  ASSERT_EQ(errs.size(), 3u);
  EXPECT_EQ(errs[0].ToString(),
            "p.csv:3:1: error: expected 3 fields, got 2\n  B,l\n  ^\n  hint: the header (line 1) "
            "is name,list,id");
  EXPECT_EQ(errs[1].message, "unexpected character after closing quote");
  EXPECT_EQ(errs[2].line, 5);
  EXPECT_EQ(errs[2].message, "expected 3 fields, got 4");

  Options tabs;
  tabs.delimiter = '\t';
  HeadedReader t("a\tb\n1\n", "t.tsv", tabs);
  ASSERT_EQ(t.ReadHeader(&err), Reader::Step::kRecord);
  EXPECT_EQ(t.Next(&r, &err), Reader::Step::kError);
  EXPECT_EQ(err.message, "expected 2 tab-separated fields, got 1");
  EXPECT_EQ(err.hint, "the header (line 1) is a<TAB>b");
  EXPECT_EQ(t.Next(&r, &err), Reader::Step::kEnd);

  HeadedReader empty("", "e.csv");
  EXPECT_EQ(empty.ReadHeader(&err), Reader::Step::kEnd);
  EXPECT_EQ(empty.header().size(), 0u);
}

TEST(CsvTest, Escape) {
  EXPECT_EQ(Escape("plain"), "plain");
  EXPECT_EQ(Escape("a,b"), "\"a,b\"");
  EXPECT_EQ(Escape("say \"x\""), "\"say \"\"x\"\"\"");
}

}  // namespace
}  // namespace tollgate::csv
