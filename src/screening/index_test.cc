#include <gtest/gtest.h>

#include <random>

#include "tollgate/screening.h"

namespace tollgate {
namespace {

const ListIndex& Bundled() {
  static const ListIndex* index = [] {
    auto r = ListIndex::LoadBundled();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new ListIndex(std::move(r).value());
  }();
  return *index;
}

const ScreeningHit* FindHit(const std::vector<ScreeningHit>& hits, std::string_view name_part) {
  for (const auto& h : hits) {
    if (h.name.find(name_part) != std::string::npos) return &h;
  }
  return nullptr;
}

TEST(ScreenTest, ChineseCharactersFindHuawei) {
  auto hits = Bundled().Screen("华为技术有限公司", "");
  const ScreeningHit* h = FindHit(hits, "HUAWEI TECHNOLOGIES");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->list, "ofac_cons");
  EXPECT_EQ(h->entry_id, "30947");
  EXPECT_GE(h->score, kDefaultScreenThreshold);
  // Traditional characters too.
  hits = Bundled().Screen("華為技術有限公司", "CN");
  ASSERT_NE(FindHit(hits, "HUAWEI TECHNOLOGIES"), nullptr);
}

TEST(ScreenTest, ChineseCharactersFindCetc) {
  auto hits = Bundled().Screen("中国电子科技集团有限公司", "");
  const ScreeningHit* h = FindHit(hits, "China Electronics Technology Group Corporation 13th");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->list, "bis_entity_list");
  EXPECT_GE(h->score, kDefaultScreenThreshold);
}

TEST(ScreenTest, HitCarriesMatchedTokensAndAlias) {
  auto hits = Bundled().Screen("Huawei Investment and Holding Co Ltd", "CN");
  ASSERT_FALSE(hits.empty());
  EXPECT_NE(hits[0].name.find("HUAWEI"), std::string::npos);
  EXPECT_NE(hits[0].alias.find("HUAWEI INVESTMENT"), std::string::npos);
  ASSERT_FALSE(hits[0].matched_tokens.empty());
  EXPECT_EQ(hits[0].matched_tokens[0].query_token, "huawei");
  EXPECT_EQ(hits[0].matched_tokens[0].entry_token, "huawei");
}

}  // namespace
}  // namespace tollgate
