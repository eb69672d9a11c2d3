#include "trust/keys.h"

#include <sodium.h>

#include "trust/encoding.h"
#include "trust/init.h"

namespace liaison::trust {

namespace {
unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::string PublicKey::key_id() const { return hex_encode(sha256(bytes).substr(0, 16)); }

std::string PublicKey::encoded() const { return base64url_encode(bytes); }

Result<PublicKey> PublicKey::decode(std::string_view b64url, const std::string& field) {
  LIAISON_ASSIGN_OR_RETURN(std::string raw, base64url_decode(b64url, field, kPublicKeyBytes));
  return PublicKey{std::move(raw)};
}

SecretKey SecretKey::generate() {
  init();
  SecretKey key;
  key.bytes_.assign(kSecretKeyBytes, '\0');
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, bytes_of(key.bytes_));
  return key;
}

Result<SecretKey> SecretKey::from_seed(std::string_view seed) {
  init();
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Error::invalid("seed", "an Ed25519 seed is 32 bytes");
  }
  SecretKey key;
  key.bytes_.assign(kSecretKeyBytes, '\0');
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, bytes_of(key.bytes_), bytes_of(seed));
  return key;
}

Result<SecretKey> SecretKey::from_bytes(std::string_view bytes) {
  if (bytes.size() != kSecretKeyBytes) {
    return Error::invalid("secret_key", "an Ed25519 secret key is 64 bytes");
  }
  LIAISON_ASSIGN_OR_RETURN(SecretKey key, from_seed(bytes.substr(0, crypto_sign_SEEDBYTES)));
  // A key whose halves disagree would sign with one key and claim another.
  if (sodium_memcmp(key.bytes_.data(), bytes.data(), kSecretKeyBytes) != 0) {
    return Error::invalid("secret_key", "the public half does not belong to the seed");
  }
  return key;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(std::move(other.bytes_)) { other.wipe(); }

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.wipe();
  }
  return *this;
}

SecretKey::~SecretKey() { wipe(); }

void SecretKey::wipe() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
  bytes_.clear();
}

PublicKey SecretKey::public_key() const {
  return PublicKey{bytes_.substr(crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES)};
}

std::string SecretKey::sign(std::string_view message) const {
  init();
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(bytes_of(sig), nullptr, bytes_of(message), message.size(),
                       bytes_of(std::string_view(bytes_)));
  return sig;
}

bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature) {
  init();
  if (key.bytes.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(bytes_of(signature), bytes_of(message), message.size(),
                                     bytes_of(std::string_view(key.bytes))) == 0;
}

}  // namespace liaison::trust
