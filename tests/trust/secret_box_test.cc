#include "trust/secret_box.h"

#include <gtest/gtest.h>

#include "trust/encoding.h"

namespace liaison::trust {
namespace {

SecretBox box(const std::string& key) { return SecretBox::with_key(key).value(); }

TEST(SecretBoxTest, OpensWhatItSealedForTheSameOwner) {
  SecretBox b = box(random_bytes(32));
  std::string sealed = b.seal("totp secret bytes", "user-1");
  EXPECT_EQ(sealed.size(), 24u + 17u + 16u);  // nonce, plaintext, tag
  EXPECT_EQ(sealed.find("totp secret bytes"), std::string::npos);
  auto opened = b.open(sealed, "user-1");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "totp secret bytes");
  // A fresh nonce every time.
  EXPECT_NE(b.seal("totp secret bytes", "user-1"), sealed);
}

TEST(SecretBoxTest, ASealedSecretMovedToAnotherOwnerDoesNotOpen) {
  SecretBox b = box(random_bytes(32));
  std::string sealed = b.seal("totp secret bytes", "user-1");
  EXPECT_FALSE(b.open(sealed, "user-2").ok());
  EXPECT_FALSE(b.open(sealed, "").ok());
}

TEST(SecretBoxTest, AnotherKeyOrAnyChangedByteDoesNotOpen) {
  SecretBox b = box(random_bytes(32));
  std::string sealed = b.seal("totp secret bytes", "user-1");
  EXPECT_FALSE(box(random_bytes(32)).open(sealed, "user-1").ok());
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string changed = sealed;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(b.open(changed, "user-1").ok()) << "byte " << i;
  }
  EXPECT_FALSE(b.open(sealed.substr(0, 39), "user-1").ok());
  EXPECT_FALSE(b.open("", "user-1").ok());
}

TEST(SecretBoxTest, KeysAreThirtyTwoBytes) {
  EXPECT_FALSE(SecretBox::with_key(random_bytes(31)).ok());
  EXPECT_FALSE(SecretBox::with_key(random_bytes(33)).ok());
  EXPECT_FALSE(SecretBox::with_key("").ok());
}

}  // namespace
}  // namespace liaison::trust
