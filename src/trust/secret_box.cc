#include "trust/secret_box.h"

#include <sodium.h>

#include "trust/encoding.h"

namespace liaison::trust {

namespace {
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

Result<SecretBox> SecretBox::with_key(std::string_view key) {
  static_assert(kSecretBoxKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  static const int once = sodium_init();
  (void)once;
  if (key.size() != kSecretBoxKeyBytes) {
    return Error::internal("the hub's secret key must be " + std::to_string(kSecretBoxKeyBytes) +
                           " bytes, not " + std::to_string(key.size()));
  }
  return SecretBox(std::string(key));
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

std::string SecretBox::seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string out = random_bytes(kNonce);
  out.resize(kNonce + plaintext.size() + kTag);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data() + kNonce),
                                             &written, bytes(plaintext), plaintext.size(),
                                             bytes(associated_data), associated_data.size(),
                                             nullptr, bytes(out), bytes(key_));
  out.resize(kNonce + written);
  return out;
}

Result<std::string> SecretBox::open(std::string_view sealed,
                                    std::string_view associated_data) const {
  auto refused = [] {
    return Error::internal("a sealed secret does not open with this hub's key for this account");
  };
  if (sealed.size() < kNonce + kTag) return refused();
  std::string out(sealed.size() - kNonce - kTag, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &written, nullptr, bytes(sealed) + kNonce,
          sealed.size() - kNonce, bytes(associated_data), associated_data.size(), bytes(sealed),
          bytes(key_)) != 0) {
    return refused();
  }
  out.resize(written);
  return out;
}

}  // namespace liaison::trust
