// Normaliser, similarity, importers, limits and the index-vs-brute-force differential test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "screening/importers.h"
#include "screening/normalize.h"
#include "screening/similarity.h"
#include "tollgate/screening.h"

namespace tollgate {
namespace {

using screening::Normalizer;

std::string Tokens(std::string_view s) {
  auto n = Normalizer::Default().Normalize(s);
  std::string out;
  for (const auto& t : n.tokens) out += (out.empty() ? "" : " ") + t.text;
  for (const auto& l : n.legal) out += " [" + l.compare + "]";
  return out;
}

TEST(NormalizeTest, LatinPunctuationAccentsAndLegalForms) {
  EXPECT_EQ(Tokens("HUAWEI TECHNOLOGIES CO., LTD."), "huawei technology [coltd]");
  EXPECT_EQ(Tokens("Huawei Technologies Company Limited"), "huawei technology [coltd]");
  EXPECT_EQ(Tokens("Société Générale S.A."), "societe generale [sa]");
  EXPECT_EQ(Tokens("U.S.A. Trading"), "usa trading");
  EXPECT_EQ(Tokens("O'Brien"), "obrien");
  EXPECT_EQ(Tokens("Ｆｕｌｌｗｉｄｔｈ"), "fullwidth");  // NFKC
}

TEST(NormalizeTest, ChineseSegmentationAndRomanisation) {
  EXPECT_EQ(Tokens("华为技术有限公司"), "huawei technology [coltd]");
  EXPECT_EQ(Tokens("華為技術有限公司"), "huawei technology [coltd]");  // traditional
  EXPECT_EQ(Tokens("长沙"), "changsha");                               // not "zhang sha"
  EXPECT_EQ(Tokens("厦门"), "xiamen");                                 // not "sha men"
  EXPECT_EQ(Tokens("中国银行"), "china bank");  // 银行 is yinhang / bank, not "yin xing"
  EXPECT_EQ(Tokens("中国电子科技集团有限公司"), "china electronics technology group [coltd]");
  EXPECT_EQ(Tokens("股份有限公司 测试"), "ceshi [jsc]");
  EXPECT_EQ(Tokens("习近平"), "xijinping");  // unknown characters: one pinyin word
  EXPECT_EQ(Tokens("Zhongguo Dianzi Keji"), "china electronics technology");  // pinyin words
}

TEST(NormalizeTest, CyrillicAndArabicToLatin) {
  EXPECT_EQ(Tokens("Владимир Путин"), "vladimir putin");
  EXPECT_FALSE(Tokens("باراك أوباما").empty());
  EXPECT_EQ(Tokens("ООО Газпром"), "gazprom [ooo]");
}

TEST(NormalizeTest, InvalidUtf8DoesNotCrash) {
  std::string bad = "abc\xff\xfe def";
  EXPECT_FALSE(Tokens(bad).empty());
}

TEST(SimilarityTest, JaroWinklerAndRelated) {
  EXPECT_DOUBLE_EQ(screening::JaroWinkler("martha", "martha"), 1.0);
  EXPECT_NEAR(screening::JaroWinkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(screening::JaroWinkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_TRUE(screening::Related("huawei", "huawai"));      // substitution
  EXPECT_TRUE(screening::Related("scholz", "scholze"));     // insertion
  EXPECT_TRUE(screening::Related("mohammed", "muhammad"));  // phonetic
  EXPECT_FALSE(screening::Related("huawei", "siemens"));
}

ListEntry Entry(std::string list, std::string id, std::string name,
                std::vector<std::string> aliases = {}, std::vector<std::string> countries = {}) {
  ListEntry e;
  e.list = std::move(list);
  e.id = std::move(id);
  e.name = std::move(name);
  e.aliases = std::move(aliases);
  e.countries = std::move(countries);
  return e;
}

TEST(IndexTest, CountryIsASignalNotAFilter) {
  auto index = ListIndex::FromEntries({Entry("watchlist", "1", "Zeta Optics Co Ltd", {}, {"CN"})});
  auto same = index.Screen("Zeta Optics Co Ltd", "CN");
  auto other = index.Screen("Zeta Optics Co Ltd", "DE");
  ASSERT_EQ(same.size(), 1u);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_DOUBLE_EQ(same[0].score, 1.0);
  EXPECT_LT(other[0].score, same[0].score);
}

TEST(IndexTest, LegalFormsNeitherMatchAloneNorAreIgnored) {
  auto index = ListIndex::FromEntries({Entry("watchlist", "1", "Alpha Widgets Co Ltd"),
                                       Entry("watchlist", "2", "Beta Gadgets Co Ltd")});
  auto hits = index.Screen("Gamma Tools Co Ltd", "", ScreenOptions{.threshold = 0.01});
  EXPECT_TRUE(hits.empty());  // sharing only "Co Ltd" is no evidence
  auto ltd = index.Screen("Alpha Widgets Limited", "");
  auto gmbh = index.Screen("Alpha Widgets AG", "");  // a joint-stock form
  ASSERT_EQ(ltd.size(), 1u);
  ASSERT_EQ(gmbh.size(), 1u);
  EXPECT_GT(ltd[0].score, gmbh[0].score);  // a contradicting legal form costs a little
}

TEST(IndexTest, QueryLengthLimit) {
  auto index = ListIndex::FromEntries({Entry("watchlist", "1", "Alpha Widgets")});
  ScreenOptions options;
  options.max_query_bytes = 13;  // "Alpha Widgets"
  auto r = index.TryScreen("Alpha Widgets International Holdings", "", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("max_query_bytes"), std::string::npos);
  // Screen truncates instead and still screens.
  EXPECT_EQ(index.Screen("Alpha Widgets International Holdings", "", options).size(), 1u);
  options.max_query_bytes = 1024;
  options.max_query_tokens = 2;
  auto t = index.TryScreen("Alpha Widgets International Holdings", "", options);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("max_query_tokens"), std::string::npos);
}

TEST(IndexTest, CandidateLimit) {
  std::vector<ListEntry> entries;
  for (int i = 0; i < 50; ++i) {
    entries.push_back(Entry("watchlist", std::to_string(i), "Omega Trading " + std::to_string(i)));
  }
  auto index = ListIndex::FromEntries(std::move(entries));
  ScreenOptions options;
  options.threshold = 0.5;
  options.max_hits = 100;
  auto all = index.TryScreen("Omega Trading", "", options);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->hits.size(), 50u);
  EXPECT_FALSE(all->candidates_truncated);
  options.max_candidates = 10;
  auto capped = index.TryScreen("Omega Trading", "", options);
  ASSERT_TRUE(capped.ok());
  EXPECT_TRUE(capped->candidates_truncated);
  EXPECT_EQ(capped->candidates, 10u);
  EXPECT_EQ(capped->hits.size(), 10u);
}

void ExpectSameHits(const ListIndex& index, const std::string& q, const std::string& cc,
                    const ScreenOptions& options) {
  auto a = index.Screen(q, cc, options);
  auto b = index.ScreenBruteForce(q, cc, options);
  ASSERT_EQ(a.size(), b.size()) << "query: " << q;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].list, b[i].list) << q;
    EXPECT_EQ(a[i].entry_id, b[i].entry_id) << q;
    EXPECT_EQ(a[i].alias, b[i].alias) << q;
    EXPECT_DOUBLE_EQ(a[i].score, b[i].score) << q;
  }
}

// The index must find exactly what a scan of every name finds, above the threshold.
TEST(DifferentialTest, IndexEqualsBruteForceOnRealLists) {
  auto index = ListIndex::LoadBundled();
  ASSERT_TRUE(index.ok());
  ScreenOptions options;
  options.max_hits = 100000;
  options.max_candidates = 1000000;
  std::mt19937 rng(20260);
  const auto& entries = index->entries();
  std::uniform_int_distribution<size_t> pick(0, entries.size() - 1);
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz ";
  int checked = 0;
  for (int i = 0; i < 60; ++i) {
    std::string name = entries[pick(rng)].name;
    // Perturb: drop, swap or replace a character, or drop a word.
    switch (i % 4) {
      case 0:
        if (name.size() > 3) name.erase(rng() % name.size(), 1);
        break;
      case 1:
        if (name.size() > 3) name[rng() % name.size()] = alphabet[rng() % alphabet.size()];
        break;
      case 2:
        if (auto sp = name.find(' '); sp != std::string::npos) name = name.substr(sp + 1);
        break;
      default:
        break;
    }
    for (double t : {0.6, 0.8}) {
      options.threshold = t;
      ExpectSameHits(*index, name, i % 3 == 0 ? "CN" : "", options);
      ++checked;
    }
  }
  // Random strings too.
  for (int i = 0; i < 50; ++i) {
    std::string q;
    int len = 3 + rng() % 20;
    for (int k = 0; k < len; ++k) q.push_back(alphabet[rng() % alphabet.size()]);
    options.threshold = 0.5;
    ExpectSameHits(*index, q, "", options);
    ++checked;
  }
  EXPECT_EQ(checked, 170);
}

TEST(DifferentialTest, IndexEqualsBruteForceOnRandomLists) {
  std::mt19937 rng(7);
  const std::vector<std::string> syllables = {"al",  "ba",  "chen", "da",  "el", "fu", "gao",
                                              "han", "li",  "ma",   "nor", "ol", "pe", "qi",
                                              "ra",  "sun", "ta",   "wei", "xi", "yu", "zhang"};
  auto word = [&] {
    std::string w;
    int n = 1 + rng() % 3;
    for (int i = 0; i < n; ++i) w += syllables[rng() % syllables.size()];
    return w;
  };
  std::vector<ListEntry> entries;
  for (int i = 0; i < 400; ++i) {
    std::string name;
    int words = 1 + rng() % 4;
    for (int k = 0; k < words; ++k) name += (k ? " " : "") + word();
    if (rng() % 3 == 0) name += " Co Ltd";
    entries.push_back(Entry("watchlist", std::to_string(i), name, {word() + " " + word()},
                            {rng() % 2 ? "CN" : "RU"}));
  }
  auto index = ListIndex::FromEntries(std::move(entries));
  ScreenOptions options;
  options.max_hits = 100000;
  options.max_candidates = 1000000;
  for (int i = 0; i < 300; ++i) {
    std::string q;
    int words = 1 + rng() % 3;
    for (int k = 0; k < words; ++k) q += (k ? " " : "") + word();
    options.threshold = (i % 2) ? 0.6 : 0.8;
    ExpectSameHits(index, q, i % 2 ? "CN" : "", options);
  }
}

TEST(ImporterTest, OfacMalformedRecordsAreLocatedAndGoodOnesLoad) {
  screening::OfacFiles f;
  f.main_path = "sdn.csv";
  f.main_text =
      "10,\"GOOD CO., LTD.\",-0- ,\"IRAN] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      "x1,\"BAD ID\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      "12,\"\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      "13,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. X\"\r\n"
      "\x1a";
  f.alt_path = "alt.csv";
  f.alt_text = "10,1,\"aka\",\"GOOD COMPANY\",-0- \n99,2,\"aka\",\"ORPHAN\",-0- \n";
  f.add_path = "add.csv";
  f.add_text = "10,1,\"1 Road\",\"Tehran\",\"Iran\",-0- \n";
  auto r = screening::ImportOfac(f, "ofac_sdn", ListLoadOptions{});
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].programmes, (std::vector<std::string>{"IRAN", "SDGT"}));
  EXPECT_EQ(r.entries[0].aliases, (std::vector<std::string>{"GOOD COMPANY"}));
  EXPECT_EQ(r.entries[0].countries, (std::vector<std::string>{"IR"}));
  EXPECT_EQ(r.entries[1].type, PartyType::kIndividual);
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].ToString().substr(0, 14), "sdn.csv:2:1: e");
  EXPECT_NE(r.errors[0].message.find("ent_num 'x1' is not a number"), std::string::npos);
  EXPECT_EQ(r.errors[1].line, 3);
  EXPECT_EQ(r.errors[1].field, "SDN_Name");
  EXPECT_EQ(r.errors[2].file, "alt.csv");
  EXPECT_EQ(r.errors[2].line, 2);
}

TEST(ImporterTest, CslCsvAndJson) {
  const std::string csv =
      "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
      "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
      "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
      "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
      "source_information_url,ids\n"
      "abc,Entity List (EL) - Bureau of Industry and Security,,,,Zeta Lab,,\"1 Rd, Wuhan, "
      "CN\",85 FR 1,2020-05-01,,,,,,,,,,,,,\"ZL; and Zeta Laboratory.\",,,,,,\n"
      "def,Entity List (EL) - Bureau of Industry and Security,,,,,,,,,,,,,,,,,,,,,,,,,,,\n";
  auto r = screening::ImportCslCsv(csv, "c.csv", ListLoadOptions{});
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].list, "bis_entity_list");
  EXPECT_EQ(r.entries[0].aliases, (std::vector<std::string>{"ZL", "Zeta Laboratory"}));
  EXPECT_EQ(r.entries[0].countries, (std::vector<std::string>{"CN"}));
  EXPECT_EQ(r.date, "2020-05-01");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_EQ(r.errors[0].field, "name");

  const std::string json =
      R"({"results":[{"id":"x1","source":"Military End User (MEU) List - Bureau of Industry and Security",)"
      R"("name":"Kappa Aero","alt_names":["KA"],"addresses":[{"address":"2 St","city":"Xian","country":"CN"}],)"
      R"("start_date":"2021-01-15","programs":["EAR"]},{"source":"x"}]})";
  auto j = screening::ImportCslJson(json, "c.json", ListLoadOptions{});
  ASSERT_EQ(j.entries.size(), 1u);
  EXPECT_EQ(j.entries[0].list, "bis_meu");
  EXPECT_EQ(j.entries[0].countries, (std::vector<std::string>{"CN"}));
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_NE(j.errors[0].message.find("results[1]"), std::string::npos);
  auto bad = screening::ImportCslJson("{not json", "b.json", ListLoadOptions{});
  ASSERT_EQ(bad.errors.size(), 1u);
}

TEST(ImporterTest, DplMergesRowsAndFlagsImplausibleDates) {
  const std::string dpl =
      "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t"
      "\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t"
      "\"FR_Citation\"\n"
      "\"ACME EXPORT\"\t\"1 A St\"\t\"Dubai\"\t\"\"\t\"AE\"\t\"\"\t\"06/19/2003\"\t\"\"\t\"Y\"\t"
      "\"3017-08-22\"\t\"\"\t\"68 F.R. 1\"\n"
      "\"ACME EXPORT\"\t\"2 B St\"\t\"Moscow\"\t\"\"\t\"RU\"\t\"\"\t\"06/19/2004\"\t\"\"\t\"Y\"\t"
      "\"2004-06-20\"\t\"\"\t\"69 F.R. 2\"\n"
      "\"SHORT ROW\"\t\"x\"\n";
  auto r = screening::ImportBisDpl(dpl, "dpl.txt", ListLoadOptions{});
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].addresses.size(), 2u);
  EXPECT_EQ(r.entries[0].countries, (std::vector<std::string>{"AE", "RU"}));
  EXPECT_EQ(r.entries[0].fr_citation, "68 F.R. 1; 69 F.R. 2");
  EXPECT_EQ(r.entries[0].start_date, "2003-06-19");
  EXPECT_EQ(r.date, "2004-06-20");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("implausible date 3017-08-22"), std::string::npos);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 4);
}

TEST(ImporterTest, AliasLimit) {
  screening::OfacFiles f;
  f.main_path = "sdn.csv";
  f.main_text = "1,\"X CO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
  f.alt_path = "alt.csv";
  f.alt_text = "1,1,\"aka\",\"A\",-0- \n1,2,\"aka\",\"B\",-0- \n1,3,\"aka\",\"C\",-0- \n";
  ListLoadOptions options;
  options.max_aliases_per_entry = 2;
  auto r = screening::ImportOfac(f, "ofac_sdn", options);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].aliases.size(), 2u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("max_aliases_per_entry"), std::string::npos);
}

TEST(LoadDirTest, ReportsFilesStrictAndLimits) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "tollgate_screening_loaddir";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / "watch.csv") << "name,country,id\nZeta Optics,CN,w1\n,CN,w2\n";
  std::ofstream(dir / "notes.txt") << "hello\n";
  LoadReport rep;
  auto r = ListIndex::LoadDir(dir.string(), &rep);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(rep.files.size(), 1u);
  EXPECT_EQ(rep.files[0].format, "watchlist");
  EXPECT_EQ(rep.files[0].entries, 1u);
  EXPECT_EQ(rep.errors.size(), 1u);
  EXPECT_EQ(rep.warnings.size(), 1u);  // notes.txt
  ListLoadOptions strict;
  strict.strict = true;
  EXPECT_EQ(ListIndex::LoadDir(dir.string(), nullptr, strict).status().code(),
            StatusCode::kParseError);
  ListLoadOptions tiny;
  tiny.max_file_bytes = 10;
  EXPECT_EQ(ListIndex::LoadDir(dir.string(), nullptr, tiny).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(ListIndex::LoadDir((dir / "missing").string(), nullptr).status().code(),
            StatusCode::kNotFound);
  fs::remove_all(dir);
}

TEST(DiffTest, AddedRemovedChangedAndRescreen) {
  auto old_index = ListIndex::FromEntries(
      {Entry("watchlist", "1", "Alpha Widgets"), Entry("watchlist", "2", "Beta Gadgets")});
  auto new_index = ListIndex::FromEntries(
      {Entry("watchlist", "1", "Alpha Widgets", {"AW"}), Entry("watchlist", "3", "Gamma Tools")});
  ListDiff d = DiffLists(old_index, new_index);
  ASSERT_EQ(d.added.size(), 1u);
  EXPECT_EQ(d.added[0].entry_id, "3");
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].entry_id, "2");
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].fields, (std::vector<std::string>{"aliases"}));
  auto changes = Rescreen(
      old_index, new_index,
      {{"p1", "Alpha Widgets", ""}, {"p2", "Beta Gadgets", ""}, {"p3", "Gamma Tools Inc", ""}});
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].query.id, "p2");
  EXPECT_EQ(changes[0].kind, "no longer matched");
  EXPECT_EQ(changes[1].query.id, "p3");
  EXPECT_EQ(changes[1].kind, "newly matched");
}

}  // namespace
}  // namespace tollgate

namespace tollgate {
namespace {
// The allocation-free check agrees with the definition (intersecting DeleteKeys sets).
TEST(SimilarityTest, ShareDeleteKeyMatchesDefinition) {
  std::mt19937 rng(3);
  const std::string alphabet = "abcab";
  for (int i = 0; i < 20000; ++i) {
    std::string a, b;
    int la = 1 + rng() % 7, lb = 1 + rng() % 7;
    for (int k = 0; k < la; ++k) a.push_back(alphabet[rng() % alphabet.size()]);
    for (int k = 0; k < lb; ++k) b.push_back(alphabet[rng() % alphabet.size()]);
    bool expected = a == b;
    if (!expected && a.size() >= 2 && b.size() >= 2) {
      for (const auto& x : screening::DeleteKeys(a)) {
        for (const auto& y : screening::DeleteKeys(b)) expected = expected || x == y;
      }
    }
    ASSERT_EQ(screening::ShareDeleteKey(a, b), expected) << a << " " << b;
  }
}
}  // namespace
}  // namespace tollgate

#include <thread>

namespace tollgate {
namespace {
// Screen is const and thread-safe: concurrent readers get the same hits as one thread,
// including non-ASCII queries (thread-local ICU transliterators and OpenCC handles).
TEST(ConcurrencyTest, ConcurrentReadersSeeTheSameHits) {
  auto index = ListIndex::FromEntries(
      {Entry("watchlist", "1", "华为技术有限公司", {"Huawei Technologies Co Ltd"}, {"CN"}),
       Entry("watchlist", "2", "Zeta Optics Co Ltd", {}, {"CN"}),
       Entry("watchlist", "3", "Владимир Путин")});
  const std::vector<std::string> queries = {"Huawei Technologies", "華為技術有限公司",
                                            "Zeta Optiks", "Vladimir Putin", "nothing here"};
  std::vector<size_t> expected;
  for (const auto& q : queries) expected.push_back(index.Screen(q, "CN").size());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          if (index.Screen(queries[i], "CN").size() != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0);
  EXPECT_EQ(expected, (std::vector<size_t>{1, 1, 1, 1, 0}));
}
}  // namespace
}  // namespace tollgate
