// What a hub or an offline verifier trusts: roots, the certificates issued
// under them, and each issuer's newest revocation list.
//
// Nothing enters the store unverified. A root must be self-signed; an
// organisation certificate must be signed by a root already in the store, a
// user or recipient certificate by an organisation key already in it; a
// revocation list by
// the key it names, and only a higher-numbered list replaces the one before.
// The whole store exports as one JSON bundle, so a provider can verify a
// request offline with nothing else:
//   {"liaison_trust_store":1,"roots":[…],"certificates":[…],"revocation_lists":[…]}
//
// Certificates are immutable, so the store remembers every certificate
// signature it has verified: checking a request then costs only the request's
// own signatures. The cache is keyed by the signature and holds the verified
// certificate itself; a hit requires the presented certificate to be equal,
// field for field, to the one verified, and the issuer key to be the same.
// That is exact (equal certificates have equal signed bytes) and avoids
// serialising a certificate to find its fingerprint on every request.
//
// Locking: every const method may run on any number of threads at once,
// alongside the mutating ones. The contents are guarded by one shared mutex
// (readers share it; add_* take it exclusively, so a reader sees the store
// before or after an addition, never half of it), the signature cache by
// another. No method holds both at once, so there is no lock order to get
// wrong, and no lock is held during an Ed25519 verification.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "trust/certificate.h"
#include "trust/revocation.h"

namespace liaison::trust {

class TrustStore {
 public:
  TrustStore() = default;
  // Copies contents and the signature cache.
  TrustStore(const TrustStore& other);
  TrustStore& operator=(const TrustStore& other);
  TrustStore(TrustStore&& other) noexcept;
  TrustStore& operator=(TrustStore&& other) noexcept;

  // A self-signed root. Adding a root certificate for a key the store already
  // has as a root replaces it (a root re-issued with new dates).
  Status add_root(const Certificate& root);
  // An organisation certificate (issued by a root in the store), or a user or
  // recipient certificate (issued by an organisation key in the store). Adding
  // the same certificate twice is harmless.
  Status add_certificate(const Certificate& cert);
  // Refused with "revocation_list_not_newer" unless its number is higher than
  // that of the list the store has from the same issuer.
  Status add_revocation_list(const RevocationList& list);

  std::shared_ptr<const Certificate> root(const std::string& key_id) const;
  // Organisation, user and recipient certificates for a key, newest
  // not_before first.
  std::vector<std::shared_ptr<const Certificate>> certificates_for_key(
      const std::string& key_id) const;
  // The revocation of `serial` in the newest list of `issuer_key_id`, if any.
  std::optional<Revocation> revoked(const std::string& issuer_key_id,
                                    const std::string& serial) const;
  std::shared_ptr<const RevocationList> revocation_list(const std::string& issuer_key_id) const;

  std::vector<Certificate> roots() const;
  // Organisations first, then users, then recipients.
  std::vector<Certificate> certificates() const;
  // The recipient certificates of the organisation country/endpoint_uid whose
  // chain verifies at `at` (verify_recipient_chain: valid then, not revoked,
  // issued by that organisation's own key under a root in the store): the keys
  // a package for that organisation may be sealed to. Newest not_before first.
  std::vector<Certificate> recipient_certificates(const std::string& country,
                                                  const std::string& endpoint_uid,
                                                  Timestamp at) const;
  std::vector<RevocationList> revocation_lists() const;

  // True when `cert` is validly signed by `issuer_key`, consulting and filling
  // the cache. Only valid signatures are remembered.
  bool certificate_signature_verified(const Certificate& cert, const PublicKey& issuer_key) const;
  // Empties the cache (for benchmarks of the cold path, and tests).
  void forget_verified_signatures();
  std::size_t verified_signature_count() const;

  nlohmann::json to_json() const;
  // Rebuilds a store from its bundle, checking everything as add_* do; errors
  // name the entry ("trust_store/certificates/3").
  static Result<TrustStore> from_json(const nlohmann::json& bundle);

 private:
  struct IssuerList {
    std::shared_ptr<const RevocationList> list;
    std::unordered_map<std::string, std::size_t> by_serial;  // index into list->entries
  };
  struct Contents {
    std::map<std::string, std::shared_ptr<const Certificate>> roots;               // by key id
    std::map<std::string, std::vector<std::shared_ptr<const Certificate>>> certs;  // by key id
    std::map<std::string, IssuerList> revocations;  // by issuer key id
  };
  struct Verified {
    std::shared_ptr<const Certificate> cert;
    std::string issuer_key;  // raw bytes
  };
  using Cache = std::unordered_map<std::string, Verified>;  // by signature bytes

  void remember(const std::shared_ptr<const Certificate>& cert, const PublicKey& issuer_key) const;

  mutable std::shared_mutex mu_;
  Contents contents_;
  mutable std::shared_mutex cache_mu_;
  mutable Cache cache_;
};

}  // namespace liaison::trust
