#include "trust/password.h"

#include <gtest/gtest.h>

namespace liaison::trust {
namespace {

// The cheapest cost libsodium allows, so the suite stays fast; the cost is a
// parameter of the hash, not of what is tested.
PasswordCost fast() { return password_cost_from_name("min", "cost").value(); }

TEST(PasswordTest, AHashVerifiesItsPasswordAndNoOther) {
  auto hash = hash_password("correct horse battery", fast());
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
  EXPECT_FALSE(verify_password(*hash, ""));
  // A fresh salt every time: the same password never hashes the same twice.
  EXPECT_NE(*hash, hash_password("correct horse battery", fast()).value());
}

TEST(PasswordTest, WhatIsNotAHashMatchesNothing) {
  EXPECT_FALSE(verify_password("", "correct horse battery"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$garbage", "correct horse battery"));
  std::string hash = hash_password("correct horse battery", fast()).value();
  std::string tampered = hash;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password(tampered, "correct horse battery"));
}

TEST(PasswordTest, OverlongPasswordsAreRefusedWithoutHashing) {
  std::string longest(4 * kMaxPasswordCharacters, 'x');
  std::string hash = hash_password(longest, fast()).value();
  EXPECT_TRUE(verify_password(hash, longest));
  EXPECT_FALSE(verify_password(hash, longest + "x"));
}

TEST(PasswordTest, NeedsRehashWhenTheCostChanged) {
  std::string hash = hash_password("correct horse battery", fast()).value();
  EXPECT_FALSE(password_needs_rehash(hash, fast()));
  EXPECT_TRUE(password_needs_rehash(hash, standard_password_cost()));
  EXPECT_TRUE(password_needs_rehash("not a hash", fast()));
}

TEST(PasswordTest, CostsByName) {
  EXPECT_EQ(password_cost_from_name("standard", "c")->memlimit, std::size_t{64} << 20);
  EXPECT_EQ(password_cost_from_name("standard", "c")->opslimit, 3u);
  EXPECT_EQ(password_cost_from_name("moderate", "c")->memlimit, std::size_t{256} << 20);
  auto bad = password_cost_from_name("cheap", "--password-hash");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().issues.at(0).field, "--password-hash");
}

TEST(PasswordPolicyTest, LengthIsCountedInCharacters) {
  EXPECT_TRUE(check_new_password("twelve chars", "a@example.org", "password").ok());
  auto short_one = check_new_password("eleven char", "a@example.org", "password");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_one.error().issues.at(0).field, "password");
  EXPECT_NE(short_one.error().message.find("at least 12"), std::string::npos);
  // Eleven characters in 22 bytes are still eleven characters.
  EXPECT_FALSE(check_new_password("ééééééééééé", "a@example.org", "password").ok());
  EXPECT_TRUE(check_new_password("éééééééééééé", "a@example.org", "password").ok());
  EXPECT_TRUE(
      check_new_password(std::string(kMaxPasswordCharacters, 'x'), "a@example.org", "p").ok());
  auto long_one =
      check_new_password(std::string(kMaxPasswordCharacters + 1, 'x'), "a@example.org", "p");
  ASSERT_FALSE(long_one.ok());
  EXPECT_NE(long_one.error().message.find("at most 1024"), std::string::npos);
}

TEST(PasswordPolicyTest, RefusesTheEmailAddressAndInvalidUtf8) {
  auto email = check_new_password("Olivia.Brandt@Police.example.org",
                                  "olivia.brandt@police.example.org", "password");
  ASSERT_FALSE(email.ok());
  EXPECT_NE(email.error().message.find("e-mail"), std::string::npos);
  for (std::string bad :
       {std::string("abcdefghijk\xff"), std::string("abcdefghijk\xc0\xaf"),
        std::string("abcdefghijk\xed\xa0\x80"), std::string("abcdefghijk\xe2\x82")}) {
    auto r = check_new_password(bad, "a@example.org", "password");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos);
  }
}

}  // namespace
}  // namespace liaison::trust
