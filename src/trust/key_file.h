// A passphrase-protected private key file, as the CLI keeps a signer's key.
//
// The hub never sees a private key: an officer's key lives in this file on the
// officer's machine. The passphrase is stretched with Argon2id (memory-hard, so
// guessing costs an attacker memory as well as time) and the key is sealed with
// XChaCha20-Poly1305. Everything in the file except the ciphertext (limits,
// salt, public key, label) is the cipher's associated data, so altering any of
// it makes the file fail to open instead of, say, quietly weakening the KDF.
//
// Format (JSON): {"liaison_key_file":1,"kdf":"argon2id13","opslimit":N,
// "memlimit":N,"salt":b64url(16),"cipher":"xchacha20poly1305",
// "nonce":b64url(24),"ciphertext":b64url,"public_key":b64url,"key_id":"…",
// "label":"…"}
#pragma once

#include <sodium.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "trust/keys.h"

namespace liaison::trust {

struct KeyFileOptions {
  // libsodium's MODERATE limits: about a second and 256 MiB on a laptop, paid
  // once per signing session. Tests use the minimums.
  std::uint64_t opslimit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
  std::uint64_t memlimit = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
  std::string label;  // free text for people, e.g. the holder's name
};

// The key file text for `key`, sealed under `passphrase`.
Result<std::string> seal_key_file(const SecretKey& key, std::string_view passphrase,
                                  const KeyFileOptions& options = {});

// Opens a key file. A wrong passphrase, or any change to the file, is an Error
// with field "passphrase" and reason "does not open this key file" (the two
// cannot be told apart, by design of the cipher). Limits below libsodium's
// minimums or above its SENSITIVE level are refused before any work is done,
// so a hostile file cannot make us allocate gigabytes.
Result<SecretKey> open_key_file(std::string_view json_text, std::string_view passphrase);

}  // namespace liaison::trust
