// Signed revocation lists: an issuer's statement that certificates it issued
// must no longer be trusted, and since when.
//
// Each issuer (a root for organisation certificates, an organisation for its
// users) publishes numbered lists; a newer list replaces the older one
// entirely, so a verifier only ever needs the newest. An entry's revoked_at
// matters: a signature made before it stands (a key superseded next week does
// not undo last week's requests), one made at or after it does not.
//
// JSON: {"liaison_revocation_list":1,"issuer":{"key_id","name"},"number":N,
// "issued_at":…,"entries":[{"serial","key_id","revoked_at","reason"}],
// "signature":b64url}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "trust/keys.h"

namespace liaison::trust {

struct Revocation {
  std::string serial;  // of the revoked certificate
  std::string key_id;  // of the revoked certificate's key
  Timestamp revoked_at;
  // "key_compromise", "superseded", "cessation", "affiliation_changed" or "unspecified"
  std::string reason;

  bool operator==(const Revocation&) const = default;
};

bool is_revocation_reason(std::string_view reason);

struct RevocationList {
  std::string issuer_key_id;
  std::string issuer_name;
  std::int64_t number = 0;  // 1, 2, …; a higher number replaces a lower one
  Timestamp issued_at;
  std::vector<Revocation> entries;
  std::string signature;  // 64 raw bytes

  bool operator==(const RevocationList&) const = default;

  // Hex SHA-256 of the canonical JSON including the signature.
  std::string fingerprint() const;
};

nlohmann::json to_json(const RevocationList& list);
// Strict, like certificate_from_json; fields are named under `path`.
Result<RevocationList> revocation_list_from_json(const nlohmann::json& j,
                                                 const std::string& path = "revocation_list");

// What the issuer signs: "liaison-revocation-list-v1", a NUL byte, then the
// canonical JSON without "signature".
std::string revocation_list_signing_input(const RevocationList& list);

// Validates, sets the issuer key id from `issuer_key`, rounds instants to whole
// seconds, and signs. The issuer name is the caller's (it is for people).
Result<RevocationList> sign_revocation_list(RevocationList unsigned_list,
                                            const SecretKey& issuer_key);

bool revocation_list_signature_valid(const RevocationList& list, const PublicKey& issuer_key);

}  // namespace liaison::trust
