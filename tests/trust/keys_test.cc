#include "trust/keys.h"

#include <gtest/gtest.h>

#include "trust/encoding.h"

namespace liaison::trust {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// RFC 8032 §7.1, TEST 1 (the empty message).
TEST(KeysTest, Rfc8032TestVector1) {
  auto key = SecretKey::from_seed(
      unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(hex_encode(key->public_key().bytes),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(hex_encode(key->sign("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify_signature(key->public_key(), "", key->sign("")));
}

TEST(KeysTest, KeyIdIsHexOfFirstHalfOfSha256) {
  SecretKey key = SecretKey::generate();
  PublicKey pub = key.public_key();
  EXPECT_EQ(pub.bytes.size(), 32u);
  EXPECT_EQ(pub.key_id(), hex_encode(sha256(pub.bytes).substr(0, 16)));
  EXPECT_EQ(pub.key_id().size(), 32u);
}

TEST(KeysTest, SignaturesVerifyOnlyForTheirMessageAndKey) {
  SecretKey key = SecretKey::generate();
  SecretKey other = SecretKey::generate();
  std::string sig = key.sign("preserve account suspect@example.org");
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(verify_signature(key.public_key(), "preserve account suspect@example.org", sig));
  EXPECT_FALSE(verify_signature(key.public_key(), "preserve account victim@example.org", sig));
  EXPECT_FALSE(verify_signature(other.public_key(), "preserve account suspect@example.org", sig));
  EXPECT_FALSE(verify_signature(key.public_key(), "preserve account suspect@example.org",
                                sig.substr(0, 63)));
  EXPECT_FALSE(verify_signature(PublicKey{"short"}, "m", sig));
}

TEST(KeysTest, EncodedPublicKeyDecodes) {
  PublicKey pub = SecretKey::generate().public_key();
  auto back = PublicKey::decode(pub.encoded(), "public_key");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, pub);
  auto wrong = PublicKey::decode("Zm9v", "certificate/public_key");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().issues.at(0).field, "certificate/public_key");
}

TEST(KeysTest, SecretKeyFromBytesRoundTrips) {
  SecretKey key = SecretKey::generate();
  auto back = SecretKey::from_bytes(key.bytes());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->public_key(), key.public_key());
  EXPECT_EQ(back->sign("x"), key.sign("x"));
}

TEST(KeysTest, SecretKeyFromBytesRefusesWrongLength) {
  EXPECT_FALSE(SecretKey::from_bytes(std::string(32, 'a')).ok());
  EXPECT_FALSE(SecretKey::from_seed(std::string(31, 'a')).ok());
}

// A key whose public half is someone else's would sign as one and claim the other.
TEST(KeysTest, SecretKeyFromBytesRefusesMismatchedHalves) {
  SecretKey a = SecretKey::generate();
  SecretKey b = SecretKey::generate();
  std::string mixed = a.bytes().substr(0, 32) + b.public_key().bytes;
  auto r = SecretKey::from_bytes(mixed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "secret_key");
}

TEST(KeysTest, SeedsDetermineKeys) {
  std::string seed(32, '\x07');
  EXPECT_EQ(SecretKey::from_seed(seed)->public_key(), SecretKey::from_seed(seed)->public_key());
  EXPECT_NE(SecretKey::from_seed(seed)->public_key(), SecretKey::generate().public_key());
}

TEST(KeysTest, MovedFromKeyIsEmpty) {
  SecretKey a = SecretKey::generate();
  PublicKey pub = a.public_key();
  SecretKey b = std::move(a);
  EXPECT_TRUE(a.bytes().empty());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(b.public_key(), pub);
  SecretKey c = SecretKey::generate();
  c = std::move(b);
  EXPECT_EQ(c.public_key(), pub);
}

}  // namespace
}  // namespace liaison::trust
