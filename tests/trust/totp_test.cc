#include "trust/totp.h"

#include <gtest/gtest.h>

#include "trust/base32.h"

namespace liaison::trust {
namespace {

// RFC 6238 Appendix B, the SHA-1 column: the ASCII secret
// "12345678901234567890", 30-second steps, eight digits.
TEST(TotpTest, Rfc6238AppendixBSha1Vectors) {
  const std::string secret = "12345678901234567890";
  const std::vector<std::pair<std::int64_t, std::string>> vectors = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [t, code] : vectors) EXPECT_EQ(totp_code(secret, t, 8), code) << "T=" << t;
}

TEST(TotpTest, SixDigitCodesAreTheLastSixOfTheRfcValues) {
  // Dynamic truncation takes the value modulo 10^digits, so the six-digit code
  // is the eight-digit one without its first two digits.
  EXPECT_EQ(totp_code("12345678901234567890", 59), "287082");
  EXPECT_EQ(totp_code("12345678901234567890", 1111111109), "081804");
}

TEST(TotpTest, MatchReturnsTheStepWithinOneStepEitherSide) {
  const std::string secret = new_totp_secret();
  ASSERT_EQ(secret.size(), 20u);
  const std::int64_t now = 1'800'000'015;  // 15 s into its step
  const std::int64_t step = totp_step(now);
  EXPECT_EQ(step, 60'000'000);
  for (std::int64_t offset : {-1, 0, 1}) {
    std::string code = totp_code(secret, (step + offset) * 30);
    auto matched = totp_match(secret, code, now);
    ASSERT_TRUE(matched.has_value()) << offset;
    EXPECT_EQ(*matched, step + offset);
  }
  for (std::int64_t offset : {-2, 2}) {
    std::string code = totp_code(secret, (step + offset) * 30);
    // Codes of steps outside the window only match by coincidence (1 in 10^6 per step).
    auto matched = totp_match(secret, code, now);
    if (matched) {
      EXPECT_NE(*matched, step + offset);
    }
  }
}

TEST(TotpTest, OnlySixDigitsCanMatch) {
  const std::string secret = "12345678901234567890";
  EXPECT_FALSE(totp_match(secret, "94287082", 59).has_value());  // the 8-digit form
  EXPECT_TRUE(totp_match(secret, "287082", 59).has_value());
  EXPECT_FALSE(totp_match(secret, "28708", 59).has_value());
  EXPECT_FALSE(totp_match(secret, "28708a", 59).has_value());
  EXPECT_FALSE(totp_match(secret, " 287082", 59).has_value());
  EXPECT_FALSE(totp_match(secret, "", 59).has_value());
  EXPECT_FALSE(totp_match("another secret......", "287082", 59).has_value());
}

TEST(TotpTest, StepsOfNegativeTimesRoundDown) {
  EXPECT_EQ(totp_step(0), 0);
  EXPECT_EQ(totp_step(29), 0);
  EXPECT_EQ(totp_step(30), 1);
  EXPECT_EQ(totp_step(-1), -1);
}

TEST(TotpTest, UriForAuthenticatorApps) {
  std::string uri = totp_uri("12345678901234567890", "olivia.brandt+2fa@police.example.org");
  EXPECT_EQ(uri,
            "otpauth://totp/Liaison:olivia.brandt%2B2fa%40police.example.org"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Liaison&algorithm=SHA1&digits=6"
            "&period=30");
}

TEST(Base32Test, Rfc4648Vectors) {
  EXPECT_EQ(base32_encode(""), "");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("fo"), "MZXQ");
  EXPECT_EQ(base32_encode("foo"), "MZXW6");
  EXPECT_EQ(base32_encode("foob"), "MZXW6YQ");
  EXPECT_EQ(base32_encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
}

TEST(Base32Test, DecodesAsPeopleCopy) {
  EXPECT_EQ(base32_decode("MZXW6YTBOI", "s").value(), "foobar");
  EXPECT_EQ(base32_decode("mzxw 6ytb oi======", "s").value(), "foobar");
  std::string secret = new_totp_secret();
  EXPECT_EQ(base32_decode(base32_encode(secret), "s").value(), secret);
  auto bad = base32_decode("MZXW1YTB", "secret");  // '1' is not base32
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().issues.at(0).field, "secret");
  EXPECT_FALSE(base32_decode("", "secret").ok());
}

}  // namespace
}  // namespace liaison::trust
