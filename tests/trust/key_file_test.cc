#include "trust/key_file.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "trust/encoding.h"

namespace liaison::trust {
namespace {

using nlohmann::json;

// The minimum Argon2id cost, so the suite stays fast; production uses MODERATE.
KeyFileOptions fast(std::string label = "Jan de Vries, Politie Eenheid Voorbeeld") {
  KeyFileOptions o;
  o.opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
  o.memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
  o.label = std::move(label);
  return o;
}

const char* kPassphrase = "correct horse battery staple";

void expect_does_not_open(const Result<SecretKey>& r) {
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().issues.size(), 1u);
  EXPECT_EQ(r.error().issues[0].field, "passphrase");
  EXPECT_EQ(r.error().issues[0].reason, "does not open this key file");
}

void expect_field(const Result<SecretKey>& r, const std::string& field) {
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.error().issues.empty());
  EXPECT_EQ(r.error().issues[0].field, field) << r.error().message;
}

class KeyFileTest : public ::testing::Test {
 protected:
  SecretKey key = SecretKey::generate();
  json sealed() {
    auto text = seal_key_file(key, kPassphrase, fast());
    EXPECT_TRUE(text.ok());
    return json::parse(*text);
  }
};

TEST_F(KeyFileTest, RoundTrip) {
  auto text = seal_key_file(key, kPassphrase, fast());
  ASSERT_TRUE(text.ok());
  auto opened = open_key_file(*text, kPassphrase);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->bytes(), key.bytes());
}

TEST_F(KeyFileTest, FileNamesItsFormatAndKey) {
  json f = sealed();
  EXPECT_EQ(f["liaison_key_file"], 1);
  EXPECT_EQ(f["kdf"], "argon2id13");
  EXPECT_EQ(f["cipher"], "xchacha20poly1305");
  EXPECT_EQ(f["opslimit"], crypto_pwhash_argon2id_OPSLIMIT_MIN);
  EXPECT_EQ(f["memlimit"], crypto_pwhash_argon2id_MEMLIMIT_MIN);
  EXPECT_EQ(f["public_key"], key.public_key().encoded());
  EXPECT_EQ(f["key_id"], key.public_key().key_id());
  EXPECT_EQ(f["label"], "Jan de Vries, Politie Eenheid Voorbeeld");
  EXPECT_EQ(base64url_decode(f["salt"].get<std::string>(), "salt")->size(), 16u);
  EXPECT_EQ(base64url_decode(f["nonce"].get<std::string>(), "nonce")->size(), 24u);
  // The secret key appears nowhere in the clear.
  EXPECT_EQ(f.dump().find(base64url_encode(key.bytes().substr(0, 32))), std::string::npos);
}

TEST_F(KeyFileTest, DefaultsAreModerate) {
  KeyFileOptions o;
  EXPECT_EQ(o.opslimit, crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
  EXPECT_EQ(o.memlimit, crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
}

TEST_F(KeyFileTest, WrongPassphrase) {
  expect_does_not_open(open_key_file(sealed().dump(), "correct horse battery stapler"));
}

TEST_F(KeyFileTest, TamperedCiphertext) {
  json f = sealed();
  std::string ct = *base64url_decode(f["ciphertext"].get<std::string>(), "ciphertext");
  ct[5] = static_cast<char>(ct[5] ^ 0x01);
  f["ciphertext"] = base64url_encode(ct);
  expect_does_not_open(open_key_file(f.dump(), kPassphrase));
}

TEST_F(KeyFileTest, TamperedLabelIsDetected) {
  json f = sealed();
  f["label"] = "Anna Bakker, Politie Eenheid Voorbeeld";
  expect_does_not_open(open_key_file(f.dump(), kPassphrase));
}

TEST_F(KeyFileTest, TamperedOpslimitIsDetected) {
  json f = sealed();
  f["opslimit"] = crypto_pwhash_argon2id_OPSLIMIT_MIN + 1;
  expect_does_not_open(open_key_file(f.dump(), kPassphrase));
}

// Swapping in another public key (with its matching key id) must not let the
// file claim to hold that key.
TEST_F(KeyFileTest, TamperedPublicKeyIsDetected) {
  json f = sealed();
  PublicKey other = SecretKey::generate().public_key();
  f["public_key"] = other.encoded();
  f["key_id"] = other.key_id();
  expect_does_not_open(open_key_file(f.dump(), kPassphrase));
}

TEST_F(KeyFileTest, KeyIdMustMatchPublicKey) {
  json f = sealed();
  f["key_id"] = std::string(32, '0');
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/key_id");
}

// A hostile file must not make us allocate 100 GB: refused before Argon2id runs.
TEST_F(KeyFileTest, AbsurdMemlimitIsRefusedAtOnce) {
  json f = sealed();
  f["memlimit"] = std::uint64_t{100} * 1024 * 1024 * 1024;
  auto start = std::chrono::steady_clock::now();
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/memlimit");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST_F(KeyFileTest, LimitsBelowMinimumAreRefused) {
  json f = sealed();
  f["opslimit"] = 0;
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/opslimit");
  f = sealed();
  f["memlimit"] = 1024;
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/memlimit");
  f = sealed();
  f["opslimit"] = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE + 1;
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/opslimit");
}

TEST_F(KeyFileTest, SealRefusesAbsurdLimitsToo) {
  KeyFileOptions o = fast();
  o.memlimit = std::uint64_t{100} * 1024 * 1024 * 1024;
  EXPECT_FALSE(seal_key_file(key, kPassphrase, o).ok());
}

TEST_F(KeyFileTest, UnknownFieldsAndOtherAlgorithmsAreRefused) {
  json f = sealed();
  f["comment"] = "x";
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/comment");
  f = sealed();
  f["kdf"] = "scrypt";
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/kdf");
  f = sealed();
  f["cipher"] = "aes256gcm";
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/cipher");
  f = sealed();
  f["liaison_key_file"] = 2;
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/liaison_key_file");
  f = sealed();
  f.erase("salt");
  expect_field(open_key_file(f.dump(), kPassphrase), "key_file/salt");
}

TEST_F(KeyFileTest, NotJsonIsRefused) {
  expect_field(open_key_file("not json", kPassphrase), "key_file");
  expect_field(open_key_file("[1,2]", kPassphrase), "key_file");
}

TEST_F(KeyFileTest, EmptyPassphraseIsRefusedWhenSealing) {
  auto r = seal_key_file(key, "", fast());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "passphrase");
}

}  // namespace
}  // namespace liaison::trust
