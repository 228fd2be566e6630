#include "tollgate/catalog.h"

#include <gtest/gtest.h>

namespace tollgate {
namespace {

TEST(PrecisionTest, BitLengths) {
  EXPECT_EQ(InfoFor(Precision::kFp64).bits, 64);
  EXPECT_EQ(InfoFor(Precision::kTf32).bits, 19);
  EXPECT_EQ(InfoFor(Precision::kBf16).bits, 16);
  EXPECT_EQ(InfoFor(Precision::kInt8).bits, 8);
  EXPECT_EQ(InfoFor(Precision::kFp4).bits, 4);
  EXPECT_EQ(PrecisionFromName("INT8"), Precision::kInt8);
  EXPECT_EQ(PrecisionFromName("fp12"), std::nullopt);
}

}  // namespace
}  // namespace tollgate
