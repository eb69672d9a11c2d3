// The hub's trust store: which central authorities it accepts as roots, the
// organisation, user and recipient certificates that chain to them, and the
// issuers' revocation lists.
//
// Everything that comes in is checked against what is already trusted before
// it is stored, so the stored set is always a valid trust::TrustStore. The
// service keeps that store in memory as an immutable snapshot, swapped whole
// after each change, so the verifications that run on every receipt never
// wait for a lock held across I/O.
//
// Who may do what: only hub administrators accept roots and certify nothing
// themselves (a hub holds no root keys); organisation certificates are added by
// hub administrators; user and recipient certificates by the org admin of the
// organisation the certificate names, or a hub administrator; revocation lists by hub and
// org administrators, since a list proves itself by its issuer's signature.
// Every authenticated caller may read and export the store: it holds public
// keys, names and roles, and providers need it to verify offline.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "service/environment.h"
#include "service/ledger_service.h"
#include "service/principal.h"
#include "store/store.h"
#include "trust/trust_store.h"

namespace liaison {

// Which stored certificates a listing returns; an empty field matches all.
struct CertificateFilter {
  std::optional<std::string> kind;    // root, organisation, user or recipient
  std::optional<std::string> org_id;  // those naming this hub organisation (country + endpoint)
};

class TrustService {
 public:
  TrustService(Store& store, const Clock& clock, LedgerService& ledger)
      : store_(store), clock_(clock), ledger_(ledger) {}

  // Adds a self-signed root and accepts it as an anchor.
  Result<StoredCertificate> add_root(const Principal& p, const nlohmann::json& certificate);
  // Adds an organisation, user or recipient certificate that chains to an
  // accepted root.
  Result<StoredCertificate> add_certificate(const Principal& p, const nlohmann::json& certificate);
  // Stops accepting a root as an anchor; what chains to it stops verifying.
  Status distrust_root(const Principal& p, const std::string& fingerprint);
  // Stores an issuer's newer revocation list.
  Result<StoredRevocationList> add_revocation_list(const Principal& p, const nlohmann::json& list);

  // Errors name "kind" or "organisation" when the filter is not one.
  Result<std::vector<StoredCertificate>> certificates(const Principal& p,
                                                      const CertificateFilter& filter = {});
  Result<std::vector<StoredRevocationList>> revocation_lists(const Principal& p);
  // The trust store as one file, for `liaison request verify` offline.
  Result<nlohmann::json> export_bundle(const Principal& p);

  // How many co-signatures the organisation's requests need.
  Result<SigningPolicy> policy(const Principal& p, const std::string& org_id);
  Result<SigningPolicy> set_policy(const Principal& p, const std::string& org_id,
                                   const SigningPolicy& in);

  // The current trust store, for verification. Loaded from storage on first use.
  Result<std::shared_ptr<const trust::TrustStore>> snapshot();

 private:
  Result<std::shared_ptr<const trust::TrustStore>> load(ReadTx& tx);
  Result<StoredCertificate> store_certificate(const Principal& p, const nlohmann::json& json,
                                              bool as_root);

  void publish(std::shared_ptr<const trust::TrustStore> next);

  Store& store_;
  const Clock& clock_;
  LedgerService& ledger_;
  std::mutex change_mu_;  // serialises changes, across their database writes
  std::mutex mu_;         // guards current_ only, never across I/O
  std::shared_ptr<const trust::TrustStore> current_;
};

}  // namespace liaison
