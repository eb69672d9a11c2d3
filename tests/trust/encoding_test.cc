#include "trust/encoding.h"

#include <gtest/gtest.h>

namespace liaison::trust {
namespace {

// RFC 4648 §10 test vectors, in the URL-safe alphabet without padding.
TEST(Base64UrlTest, Rfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, DecodesWhatItEncodes) {
  std::string bytes = random_bytes(97);
  auto back = base64url_decode(base64url_encode(bytes), "x");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
}

TEST(Base64UrlTest, RefusesPaddingOtherAlphabetsAndWrongLength) {
  EXPECT_FALSE(base64url_decode("Zg==", "x").ok());
  EXPECT_FALSE(base64url_decode("+/8", "x").ok());
  EXPECT_FALSE(base64url_decode("Zm9v YmFy", "x").ok());
  auto wrong = base64url_decode("Zm9v", "public_key", 32);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().issues.at(0).field, "public_key");
  EXPECT_NE(wrong.error().message.find("32 bytes"), std::string::npos);
}

TEST(Sha256Test, KnownDigest) {
  EXPECT_EQ(hex_encode(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(IsLowerHexTest, AcceptsExactlyWhatHexEncodeWrites) {
  EXPECT_TRUE(is_lower_hex(hex_encode(random_bytes(16)), 32));
  EXPECT_FALSE(is_lower_hex("ABCDEF", 6));
  EXPECT_FALSE(is_lower_hex("abcdeg", 6));
  EXPECT_FALSE(is_lower_hex("abcdef", 8));
}

TEST(ConstantTimeEqualTest, ComparesLengthAndBytes) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace
}  // namespace liaison::trust
