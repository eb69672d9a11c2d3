// Recipient stanzas (docs/evidence-format.md §3): the package key sealed to
// each recipient's key with an X25519 sealed box. A recipient holds an
// Ed25519 key certified for receiving only; its X25519 key is the birational
// map of that key, so one key pair serves for its certificate and for
// opening.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "evidence/format.h"
#include "trust/certificate.h"
#include "trust/keys.h"

namespace liaison::evidence {

// A package key, wiped when it goes.
class PackageKey {
 public:
  PackageKey() = default;
  explicit PackageKey(std::string bytes) : bytes_(std::move(bytes)) {}
  ~PackageKey();
  PackageKey(PackageKey&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  PackageKey& operator=(PackageKey&&) = delete;
  PackageKey(const PackageKey&) = delete;
  PackageKey& operator=(const PackageKey&) = delete;
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// Checks `recipients` as seal_package takes them (recipient certificates,
// no key twice, at most 64, keys that map to X25519) and seals
// `package_key` to each. Errors name "recipients/<i>". `vector_seed`
// (empty, or 32 bytes for test vectors) fixes the sealed boxes' ephemeral
// keys, as SealOptions describes.
Result<std::vector<Stanza>> seal_stanzas(const std::vector<trust::Certificate>& recipients,
                                         const PackageKey& package_key,
                                         std::string_view vector_seed = {});

// The stanza for `key`, opened. Refused, naming the package's recipients from
// `listed`, when none is for this key; refused naming "header/recipients/<i>"
// when that stanza does not open.
Result<PackageKey> open_stanza(const Header& header, const std::vector<RecipientRef>& listed,
                               const trust::SecretKey& key);

}  // namespace liaison::evidence
