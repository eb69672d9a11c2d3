#include "trust/key_file.h"

#include <sodium.h>

#include <array>

#include "core/request_json.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"
#include "trust/init.h"
#include "trust/json_fields.h"

namespace liaison::trust {

using nlohmann::json;

namespace {

constexpr std::size_t kSaltBytes = crypto_pwhash_argon2id_SALTBYTES;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::size_t kCiphertextBytes =
    kSecretKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kMaxLabel = 200;

// Wipes the key derived from the passphrase however the caller leaves.
struct DerivedKey {
  std::array<unsigned char, kKeyBytes> bytes{};
  ~DerivedKey() { sodium_memzero(bytes.data(), bytes.size()); }
};

Status limits_ok(std::uint64_t opslimit, std::uint64_t memlimit, const std::string& path) {
  if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      opslimit > crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE) {
    return fields::bad(fields::join(path, "opslimit"),
                       "must be between " + std::to_string(crypto_pwhash_argon2id_OPSLIMIT_MIN) +
                           " and " + std::to_string(crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE));
  }
  if (memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      memlimit > crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE) {
    return fields::bad(fields::join(path, "memlimit"),
                       "must be between " + std::to_string(crypto_pwhash_argon2id_MEMLIMIT_MIN) +
                           " and " + std::to_string(crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE) +
                           " bytes");
  }
  return Ok{};
}

Status derive(DerivedKey& key, std::string_view passphrase, std::string_view salt,
              std::uint64_t opslimit, std::uint64_t memlimit) {
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(),
                    reinterpret_cast<const unsigned char*>(salt.data()), opslimit,
                    static_cast<std::size_t>(memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::internal("Argon2id could not run: not enough memory for " +
                           std::to_string(memlimit) + " bytes");
  }
  return Ok{};
}

// The associated data: the file without its ciphertext, canonically.
Result<std::string> header_bytes(json file) {
  file.erase("ciphertext");
  return canonical_json(file);
}

Error does_not_open() {
  Error e = Error::make(ErrorCode::kUnauthenticated,
                        "the passphrase does not open this key file, or the file was altered");
  e.issues.push_back({"passphrase", "does not open this key file"});
  return e;
}

}  // namespace

Result<std::string> seal_key_file(const SecretKey& key, std::string_view passphrase,
                                  const KeyFileOptions& options) {
  init();
  if (passphrase.empty()) return Error::invalid("passphrase", "must not be empty");
  if (options.label.size() > kMaxLabel) {
    return Error::invalid("label", "is longer than " + std::to_string(kMaxLabel) + " bytes");
  }
  LIAISON_TRY(limits_ok(options.opslimit, options.memlimit, ""));
  std::string salt = random_bytes(kSaltBytes);
  std::string nonce = random_bytes(kNonceBytes);
  PublicKey pub = key.public_key();
  json file = {{"liaison_key_file", 1},
               {"kdf", "argon2id13"},
               {"opslimit", options.opslimit},
               {"memlimit", options.memlimit},
               {"salt", base64url_encode(salt)},
               {"cipher", "xchacha20poly1305"},
               {"nonce", base64url_encode(nonce)},
               {"public_key", pub.encoded()},
               {"key_id", pub.key_id()},
               {"label", options.label}};
  auto ad = header_bytes(file);
  if (!ad.ok()) return Error::invalid("label", "is not valid UTF-8");
  DerivedKey dk;
  LIAISON_TRY(derive(dk, passphrase, salt, options.opslimit, options.memlimit));
  std::string ciphertext(kCiphertextBytes, '\0');
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(ciphertext.data()), &written,
      reinterpret_cast<const unsigned char*>(key.bytes().data()), key.bytes().size(),
      reinterpret_cast<const unsigned char*>(ad->data()), ad->size(), nullptr,
      reinterpret_cast<const unsigned char*>(nonce.data()), dk.bytes.data());
  file["ciphertext"] = base64url_encode(ciphertext);
  return file.dump(2) + "\n";
}

Result<SecretKey> open_key_file(std::string_view json_text, std::string_view passphrase) {
  init();
  const std::string path = "key_file";
  auto parsed = parse_json_text(json_text);
  if (!parsed.ok()) return fields::bad(path, parsed.error().message);
  const json& file = *parsed;
  LIAISON_TRY(
      fields::object_with(file, path,
                          {"liaison_key_file", "kdf", "opslimit", "memlimit", "salt", "cipher",
                           "nonce", "ciphertext", "public_key", "key_id", "label"}));
  LIAISON_TRY(fields::version(file, "liaison_key_file", path));
  LIAISON_ASSIGN_OR_RETURN(std::string kdf, fields::string(file, "kdf", path, 64));
  if (kdf != "argon2id13") return fields::bad(path + "/kdf", "must be argon2id13");
  LIAISON_ASSIGN_OR_RETURN(std::string cipher, fields::string(file, "cipher", path, 64));
  if (cipher != "xchacha20poly1305") {
    return fields::bad(path + "/cipher", "must be xchacha20poly1305");
  }
  LIAISON_ASSIGN_OR_RETURN(std::int64_t opslimit,
                           fields::integer(file, "opslimit", path, 0, INT64_MAX));
  LIAISON_ASSIGN_OR_RETURN(std::int64_t memlimit,
                           fields::integer(file, "memlimit", path, 0, INT64_MAX));
  LIAISON_TRY(
      limits_ok(static_cast<std::uint64_t>(opslimit), static_cast<std::uint64_t>(memlimit), path));
  LIAISON_ASSIGN_OR_RETURN(std::string salt, fields::base64url(file, "salt", path, kSaltBytes));
  LIAISON_ASSIGN_OR_RETURN(std::string nonce, fields::base64url(file, "nonce", path, kNonceBytes));
  LIAISON_ASSIGN_OR_RETURN(std::string ciphertext,
                           fields::base64url(file, "ciphertext", path, kCiphertextBytes));
  LIAISON_ASSIGN_OR_RETURN(std::string pub_bytes,
                           fields::base64url(file, "public_key", path, kPublicKeyBytes));
  PublicKey pub{std::move(pub_bytes)};
  LIAISON_ASSIGN_OR_RETURN(std::string key_id, fields::string(file, "key_id", path, 64));
  if (key_id != pub.key_id()) {
    return fields::bad(path + "/key_id", "does not match public_key");
  }
  LIAISON_ASSIGN_OR_RETURN(const json* label, fields::require(file, "label", path));
  if (!label->is_string() || label->get_ptr<const json::string_t*>()->size() > kMaxLabel) {
    return fields::bad(path + "/label",
                       "must be a string of at most " + std::to_string(kMaxLabel) + " bytes");
  }
  LIAISON_ASSIGN_OR_RETURN(std::string ad, header_bytes(file));

  DerivedKey dk;
  LIAISON_TRY(derive(dk, passphrase, salt, static_cast<std::uint64_t>(opslimit),
                     static_cast<std::uint64_t>(memlimit)));
  std::string plain(kSecretKeyBytes, '\0');
  unsigned long long plain_len = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr,
      reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
      reinterpret_cast<const unsigned char*>(nonce.data()), dk.bytes.data());
  if (rc != 0 || plain_len != kSecretKeyBytes) {
    sodium_memzero(plain.data(), plain.size());
    return does_not_open();
  }
  auto key = SecretKey::from_bytes(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!key.ok()) return fields::bad(path + "/ciphertext", key.error().message);
  if (!(key->public_key() == pub)) {
    return fields::bad(path + "/public_key", "does not belong to the sealed secret key");
  }
  return key;
}

}  // namespace liaison::trust
