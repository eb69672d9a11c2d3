// Ed25519 identities: the keys officers, organisations and roots sign with.
//
// A public key is named by its key id, the first 16 bytes of its SHA-256 in
// hex: short enough to print and index, long enough (128 bits) that no two
// keys share one by accident or design. Secret keys live only in memory that
// is wiped when they go; they cannot be copied, so a stray copy cannot linger.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;
inline constexpr std::size_t kSignatureBytes = 64;

struct PublicKey {
  std::string bytes;  // 32 raw bytes

  // Lower-case hex of the first 16 bytes of SHA-256 over `bytes` (32 characters).
  std::string key_id() const;
  // base64url without padding, as the JSON formats carry it.
  std::string encoded() const;
  // Decodes base64url of exactly 32 bytes; `field` names the input in errors.
  static Result<PublicKey> decode(std::string_view b64url, const std::string& field);

  bool operator==(const PublicKey&) const = default;
};

// A libsodium Ed25519 secret key: the 32-byte seed followed by the public key.
class SecretKey {
 public:
  static SecretKey generate();
  // The 64-byte libsodium form; refused unless its public half belongs to its seed.
  static Result<SecretKey> from_bytes(std::string_view bytes);
  // The key a 32-byte seed determines, for reproducible test and fuzz fixtures.
  static Result<SecretKey> from_seed(std::string_view seed);

  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

  PublicKey public_key() const;
  // A 64-byte detached signature over `message`.
  std::string sign(std::string_view message) const;
  const std::string& bytes() const { return bytes_; }

 private:
  SecretKey() = default;
  void wipe();

  std::string bytes_;
};

// True when `signature` is a valid Ed25519 signature of `message` by `key`.
// Wrong sizes are simply invalid.
bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature);

}  // namespace liaison::trust
