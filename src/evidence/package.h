// Evidence packages: sealed, signed productions (docs/evidence-format.md).
//
// A provider seals produced files into one package: the items encrypted in
// chunks under a random package key, that key wrapped for each recipient, and
// a manifest signed by the provider's key that lists every item with its
// SHA-256 under a Merkle root. Anyone can check the manifest and the structure
// without a key; a recipient can also decrypt and check every byte; and one
// item can be exported as an exhibit that verifies on its own.
//
// Everything here works on files as streams, in memory that does not grow with
// the size of an item; the manifest is read twice rather than held, so memory
// does not grow with the number of items either (exhibit creation keeps one
// 32-byte hash per item). This module does no trust decisions: it reports the
// signer's certificates, and callers check them against a trust store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "ledger/receipt.h"
#include "trust/certificate.h"
#include "trust/keys.h"

namespace liaison::evidence {

enum class Aead : std::uint8_t { kAes256Gcm = 1, kXChaCha20Poly1305 = 2 };

// "aes-256-gcm" or "xchacha20poly1305", as the statement names them.
const char* aead_name(Aead aead);
std::optional<Aead> aead_from_name(std::string_view name);
// AES-256-GCM when this CPU has AES and carry-less multiply instructions,
// otherwise XChaCha20-Poly1305.
Aead preferred_aead();

// One item as its manifest line describes it.
struct Item {
  std::uint64_t index = 0;
  std::string name;  // relative path, '/'-separated (docs/evidence-format.md §4.2)
  std::string media_type;
  std::uint64_t size = 0;
  std::string sha256;  // hex of the plaintext's SHA-256
  std::string description;
};

struct RecipientRef {
  std::string key_id;
  std::string name;
  trust::OrgRef organisation;  // kind is not in the format; read back as kAuthority
};

// The signed statement (§4.1).
struct Statement {
  std::string package_id;  // lower-case UUID
  std::string request_id;  // lower-case UUID
  std::string reference;
  trust::OrgRef producer;  // kind is not in the format; read back as kProvider
  Timestamp created_at;    // whole seconds
  Aead aead = Aead::kAes256Gcm;
  std::uint32_t chunk_size = 65536;
  std::string header_sha256;  // hex
  std::vector<RecipientRef> recipients;
  std::uint64_t item_count = 0;
  std::uint64_t total_size = 0;
  std::string merkle_root;  // hex
  std::string signer_key_id;
};

// The signature line (§4.4).
struct SignatureBlock {
  std::string key_id;
  std::string signature;                         // 64 raw bytes
  std::vector<trust::Certificate> certificates;  // [signer's user certificate, its organisation's]
};

// What a package says about itself, once steps 1–6 of §8 have passed.
struct PackageInfo {
  Statement statement;
  std::string statement_line;    // canonical JSON, without the final newline
  std::string statement_sha256;  // hex SHA-256 of statement_line
  SignatureBlock signature;
  std::uint64_t header_bytes = 0;
  std::uint64_t items_offset = 0;   // where the first item's ciphertext begins
  std::uint64_t package_bytes = 0;  // header + manifest + items, without a registration
  std::uint64_t file_bytes = 0;     // with a registration, if there is one
  std::optional<ledger::Receipt> registration;
};

// Errors from every function below are Error::invalid(field, reason) where
// `field` says where the fault is and `reason` what it is, with a byte offset
// where one helps: "header/aead", "manifest/statement/header_sha256",
// "manifest/items/3/name", "manifest/signature", "items/3/chunks/7",
// "registration/content", "file". A file that cannot be read is kUnavailable.

// Steps 1–6 of §8: everything but the encrypted bytes. It checks that the
// signature verifies with the first certificate's key, not whether that
// certificate is trusted.
Result<PackageInfo> inspect_package(const std::string& path);

// Step 7 as well. Called for each item in order while it is decrypted; the
// plaintext given to write() has been authenticated chunk by chunk, and
// finish() is called only after the item's size and SHA-256 matched.
class ItemSink {
 public:
  virtual ~ItemSink() = default;
  virtual Status begin(const Item& item) = 0;
  virtual Status write(std::string_view plaintext) = 0;
  virtual Status finish() = 0;
  // The item failed (or a later step failed); discard what was written.
  virtual void abort() = 0;
};

// Called now and then with bytes processed so far and the total.
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Opens the stanza for `recipient` (refused, naming the package's recipients,
// if there is none for that key) and checks every chunk and every item.
// `sink` may be null to verify only. Uses up to two threads.
Result<PackageInfo> open_package(const std::string& path, const trust::SecretKey& recipient,
                                 ItemSink* sink, const Progress& progress = {});

// A file to seal and what the manifest will say about it.
struct SealInput {
  std::string path;
  std::string name;
  std::string media_type = "application/octet-stream";
  std::string description;
};

struct SealOptions {
  std::string request_id;
  std::string reference;
  Timestamp created_at;  // rounded down to whole seconds
  Aead aead = preferred_aead();
  int chunk_log2 = 16;
  // Fixed values for test vectors; random when empty.
  std::string package_id;   // lower-case UUID
  std::string package_key;  // 32 raw bytes
  // 32 raw bytes from which the rest of the randomness the format leaves to
  // the writer is derived, so that the whole package is reproducible: stanza
  // i's ephemeral X25519 key pair from the seed SHA-256(vector_seed || "box"
  // || BE16(i)), and, for XChaCha20-Poly1305, item i's stream header from the
  // first 24 bytes of SHA-256(vector_seed || "stream" || BE64(i)). The boxes
  // and streams are ordinary ones. Test vectors only: a real package must
  // have fresh ephemeral keys and stream headers.
  std::string vector_seed;
  Progress progress;
};

// Seals `inputs` into `out_path` (a new file, written in place and fsync'd;
// removed again on failure). `recipients` are recipient certificates; `signer`
// signs with `signer_key`, whose certificate is `signer_chain[0]` and whose
// organisation's is `signer_chain[1]`. A file that changes size while it is
// read fails the seal. Hashing and encryption run on two threads.
Result<PackageInfo> seal_package(const std::vector<SealInput>& inputs,
                                 const std::vector<trust::Certificate>& recipients,
                                 const trust::SecretKey& signer_key,
                                 const std::vector<trust::Certificate>& signer_chain,
                                 const SealOptions& options, const std::string& out_path);

// The ledger entry type of a package's registration (§6).
inline constexpr const char* kRegistrationEntryType = "evidence.produced";

// The content the hub's "evidence.produced" ledger entry commits to (§6):
// canonical JSON of {"package_id","request_id","size","statement_sha256"}.
std::string registration_content(const PackageInfo& info);

// Appends the registration (§6) to a package that has none, after checking
// that the receipt verifies and its content is registration_content(info).
// Appended in place and fsync'd; on failure the file is truncated back.
Status append_registration(const std::string& path, const ledger::Receipt& receipt);

// The item named `name`, or, when `name` is all digits, the item of that
// index; a not-found error lists nothing of the other items.
Result<Item> find_item(const std::string& package_path, std::string_view name);

// Writes the exhibit (§7) of item `index` to `out_path` (a new file). Decrypts
// the package's other items' chunks only as far as needed to reach it.
Status write_exhibit(const std::string& package_path, std::uint64_t index,
                     const trust::SecretKey& recipient, const std::string& out_path);

struct ExhibitInfo {
  Statement statement;
  SignatureBlock signature;
  Item item;
  std::uint64_t plaintext_offset = 0;  // where the item's bytes begin in the exhibit file
  std::optional<ledger::Receipt> registration;
};

// Checks an exhibit: the statement's signature with the first certificate's
// key, the Merkle path, the plaintext's size and SHA-256, and the
// registration's receipt, if any. Trust in the certificate is the caller's.
Result<ExhibitInfo> verify_exhibit(const std::string& path);

}  // namespace liaison::evidence
