// Secrets the hub must read back but keep encrypted at rest, such as TOTP
// secrets: XChaCha20-Poly1305 under the hub's 32-byte key, with a random
// 192-bit nonce (large enough that random nonces never repeat) and the owner's
// id as associated data, so a sealed secret copied into another user's row
// does not open there.
//
// The key itself lives in a file beside the database (see
// store/hub_secret_key.h); this module only computes.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

inline constexpr std::size_t kSecretBoxKeyBytes = 32;

class SecretBox {
 public:
  // `key` must be kSecretBoxKeyBytes long.
  static Result<SecretBox> with_key(std::string_view key);
  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  SecretBox(SecretBox&&) = default;
  SecretBox& operator=(SecretBox&&) = default;
  ~SecretBox();

  // nonce || ciphertext || tag, as bytes.
  std::string seal(std::string_view plaintext, std::string_view associated_data) const;
  // The plaintext, or an error when the box was not sealed under this key
  // with this associated data, or was changed since.
  Result<std::string> open(std::string_view sealed, std::string_view associated_data) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace liaison::trust
