#include "trust/recovery_codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "trust/encoding.h"

namespace liaison::trust {
namespace {

TEST(RecoveryCodesTest, TenDistinctCodesInFourGroupsOfFour) {
  auto codes = new_recovery_codes();
  ASSERT_EQ(codes.size(), 10u);
  std::set<std::string> distinct(codes.begin(), codes.end());
  EXPECT_EQ(distinct.size(), 10u);
  std::regex shape("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}");
  for (const auto& c : codes) EXPECT_TRUE(std::regex_match(c, shape)) << c;
}

TEST(RecoveryCodesTest, ComparisonToleratesCaseDashesAndSpaces) {
  auto h = recovery_code_hash("ABCD-EFGH-IJKL-MNOP");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, hex_encode(sha256("ABCDEFGHIJKLMNOP")));
  EXPECT_EQ(recovery_code_hash("abcd-efgh-ijkl-mnop"), h);
  EXPECT_EQ(recovery_code_hash("ABCDEFGHIJKLMNOP"), h);
  EXPECT_EQ(recovery_code_hash(" abcd efgh ijkl mnop "), h);
  EXPECT_NE(recovery_code_hash("ABCD-EFGH-IJKL-MNOQ"), h);
}

TEST(RecoveryCodesTest, AnythingElseIsNoCode) {
  EXPECT_FALSE(recovery_code_hash("").has_value());
  EXPECT_FALSE(recovery_code_hash("ABCD-EFGH-IJKL-MNO").has_value());    // 15
  EXPECT_FALSE(recovery_code_hash("ABCD-EFGH-IJKL-MNOPQ").has_value());  // 17
  EXPECT_FALSE(recovery_code_hash("ABCD-EFGH-IJKL-MN0P").has_value());   // zero is not base32
  EXPECT_FALSE(recovery_code_hash("123456").has_value());                // a TOTP code
  EXPECT_FALSE(recovery_code_hash("ABCD_EFGH_IJKL_MNOP").has_value());
}

}  // namespace
}  // namespace liaison::trust
