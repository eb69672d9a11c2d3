#include "trust/trust_store.h"

#include <algorithm>
#include <mutex>

#include "trust/chain.h"
#include "trust/json_fields.h"
#include "trust/trust_failure.h"

namespace liaison::trust {

using nlohmann::json;

namespace {

// Only genuine certificates enter the cache, so this bounds memory against
// nothing worse than a very large federation; when full it starts afresh.
constexpr std::size_t kMaxCached = 1 << 16;

}  // namespace

TrustStore::TrustStore(const TrustStore& other) {
  {
    std::shared_lock lock(other.mu_);
    contents_ = other.contents_;
  }
  std::shared_lock lock(other.cache_mu_);
  cache_ = other.cache_;
}

TrustStore& TrustStore::operator=(const TrustStore& other) {
  if (this == &other) return *this;
  TrustStore copy(other);
  *this = std::move(copy);
  return *this;
}

TrustStore::TrustStore(TrustStore&& other) noexcept {
  {
    std::unique_lock lock(other.mu_);
    contents_ = std::move(other.contents_);
  }
  std::unique_lock lock(other.cache_mu_);
  cache_ = std::move(other.cache_);
}

TrustStore& TrustStore::operator=(TrustStore&& other) noexcept {
  if (this == &other) return *this;
  {
    std::scoped_lock lock(mu_, other.mu_);
    contents_ = std::move(other.contents_);
  }
  std::scoped_lock lock(cache_mu_, other.cache_mu_);
  cache_ = std::move(other.cache_);
  return *this;
}

Status TrustStore::add_root(const Certificate& root) {
  if (root.kind != CertKind::kRoot) {
    return trust_error(failure::kChainInvalid,
                       describe_certificate(root) + " is not a root certificate");
  }
  if (root.issuer_key_id != root.key_id()) {
    return trust_error(failure::kChainInvalid, describe_certificate(root) + " is not self-signed");
  }
  if (Status s = validate_certificate_content(root); !s.ok()) {
    return trust_error(failure::kMalformed, describe_certificate(root) + ": " + s.error().message);
  }
  if (!certificate_signature_valid(root, root.public_key)) {
    return trust_error(
        failure::kSignatureInvalid,
        describe_certificate(root) + " does not carry a valid signature by its own key");
  }
  auto shared = std::make_shared<const Certificate>(root);
  {
    std::unique_lock lock(mu_);
    contents_.roots[root.key_id()] = shared;
  }
  remember(shared, root.public_key);
  return Ok{};
}

Status TrustStore::add_certificate(const Certificate& cert) {
  if (cert.kind == CertKind::kRoot) {
    return trust_error(failure::kChainInvalid,
                       describe_certificate(cert) + " is a root: roots are added as roots");
  }
  if (Status s = validate_certificate_content(cert); !s.ok()) {
    return trust_error(failure::kMalformed, describe_certificate(cert) + ": " + s.error().message);
  }
  // The issuer key: a root for organisations, an organisation for users and
  // recipients.
  std::optional<PublicKey> issuer;
  bool issuer_of_wrong_kind = false;
  {
    std::shared_lock lock(mu_);
    auto root_it = contents_.roots.find(cert.issuer_key_id);
    auto certs_it = contents_.certs.find(cert.issuer_key_id);
    if (cert.kind == CertKind::kOrganisation) {
      if (root_it != contents_.roots.end()) {
        issuer = root_it->second->public_key;
      } else {
        issuer_of_wrong_kind = certs_it != contents_.certs.end();
      }
    } else {
      if (certs_it != contents_.certs.end()) {
        for (const auto& c : certs_it->second) {
          if (c->kind == CertKind::kOrganisation) issuer = c->public_key;
        }
        issuer_of_wrong_kind = !issuer;
      } else {
        issuer_of_wrong_kind = root_it != contents_.roots.end();
      }
    }
  }
  if (issuer_of_wrong_kind) {
    return trust_error(failure::kChainInvalid,
                       describe_certificate(cert) + (cert.kind == CertKind::kOrganisation
                                                         ? " must be issued by a root"
                                                         : " must be issued by an organisation"));
  }
  if (!issuer) {
    return trust_error(failure::kChainUntrusted, describe_certificate(cert) + " is issued by key " +
                                                     cert.issuer_key_id +
                                                     ", which this trust store does not know");
  }
  if (!certificate_signature_valid(cert, *issuer)) {
    return trust_error(failure::kSignatureInvalid,
                       describe_certificate(cert) +
                           " does not carry a valid signature by its issuer " + cert.issuer_name);
  }
  auto shared = std::make_shared<const Certificate>(cert);
  {
    std::unique_lock lock(mu_);
    auto& list = contents_.certs[cert.key_id()];
    if (std::none_of(list.begin(), list.end(), [&](const auto& c) { return *c == cert; })) {
      list.push_back(shared);
      std::stable_sort(list.begin(), list.end(),
                       [](const auto& a, const auto& b) { return a->not_before > b->not_before; });
    }
  }
  remember(shared, *issuer);
  return Ok{};
}

Status TrustStore::add_revocation_list(const RevocationList& list) {
  std::optional<PublicKey> issuer;
  {
    std::shared_lock lock(mu_);
    if (auto it = contents_.roots.find(list.issuer_key_id); it != contents_.roots.end()) {
      issuer = it->second->public_key;
    } else if (auto c = contents_.certs.find(list.issuer_key_id); c != contents_.certs.end()) {
      for (const auto& cert : c->second) {
        if (cert->kind == CertKind::kOrganisation) issuer = cert->public_key;
      }
    }
  }
  const std::string what = "revocation list " + std::to_string(list.number) + " of " +
                           list.issuer_name + " (key " + list.issuer_key_id + ")";
  if (!issuer) {
    return trust_error(failure::kChainUntrusted,
                       what +
                           " is issued by a key that is neither a root nor an organisation "
                           "this trust store knows");
  }
  if (!revocation_list_signature_valid(list, *issuer)) {
    return trust_error(failure::kSignatureInvalid,
                       what + " does not carry a valid signature by the key it names");
  }
  IssuerList entry;
  entry.list = std::make_shared<const RevocationList>(list);
  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    entry.by_serial.emplace(list.entries[i].serial, i);
  }
  std::unique_lock lock(mu_);
  auto it = contents_.revocations.find(list.issuer_key_id);
  if (it != contents_.revocations.end() && it->second.list->number >= list.number) {
    return trust_error(failure::kRevocationListNotNewer,
                       what + " is not newer than list " + std::to_string(it->second.list->number) +
                           ", which the store has");
  }
  // A revocation is for good: a newer list keeps every entry of the one it
  // replaces, revoked no later than before, or a stolen issuer key could
  // quietly un-revoke a certificate.
  if (it != contents_.revocations.end()) {
    for (const auto& old : it->second.list->entries) {
      auto now = entry.by_serial.find(old.serial);
      if (now == entry.by_serial.end() || list.entries[now->second].revoked_at > old.revoked_at) {
        return trust_error(failure::kRevocationWithdrawn,
                           what + " drops or postpones the revocation of certificate " +
                               old.serial + " that list " +
                               std::to_string(it->second.list->number) + " holds");
      }
    }
  }
  contents_.revocations[list.issuer_key_id] = std::move(entry);
  return Ok{};
}

std::shared_ptr<const Certificate> TrustStore::root(const std::string& key_id) const {
  std::shared_lock lock(mu_);
  auto it = contents_.roots.find(key_id);
  return it == contents_.roots.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const Certificate>> TrustStore::certificates_for_key(
    const std::string& key_id) const {
  std::shared_lock lock(mu_);
  auto it = contents_.certs.find(key_id);
  if (it == contents_.certs.end()) return {};
  return it->second;
}

std::optional<Revocation> TrustStore::revoked(const std::string& issuer_key_id,
                                              const std::string& serial) const {
  std::shared_lock lock(mu_);
  auto it = contents_.revocations.find(issuer_key_id);
  if (it == contents_.revocations.end()) return std::nullopt;
  auto entry = it->second.by_serial.find(serial);
  if (entry == it->second.by_serial.end()) return std::nullopt;
  return it->second.list->entries[entry->second];
}

std::shared_ptr<const RevocationList> TrustStore::revocation_list(
    const std::string& issuer_key_id) const {
  std::shared_lock lock(mu_);
  auto it = contents_.revocations.find(issuer_key_id);
  return it == contents_.revocations.end() ? nullptr : it->second.list;
}

std::vector<Certificate> TrustStore::roots() const {
  std::shared_lock lock(mu_);
  std::vector<Certificate> out;
  for (const auto& [_, c] : contents_.roots) out.push_back(*c);
  return out;
}

std::vector<Certificate> TrustStore::certificates() const {
  std::shared_lock lock(mu_);
  std::vector<Certificate> out;
  for (CertKind kind : {CertKind::kOrganisation, CertKind::kUser, CertKind::kRecipient}) {
    for (const auto& [_, list] : contents_.certs) {
      for (const auto& c : list) {
        if (c->kind == kind) out.push_back(*c);
      }
    }
  }
  return out;
}

std::vector<Certificate> TrustStore::recipient_certificates(const std::string& country,
                                                            const std::string& endpoint_uid,
                                                            Timestamp at) const {
  std::vector<Certificate> candidates;
  {
    std::shared_lock lock(mu_);
    for (const auto& [_, list] : contents_.certs) {
      for (const auto& c : list) {
        if (c->kind == CertKind::kRecipient && c->organisation &&
            c->organisation->country == country && c->organisation->endpoint_uid == endpoint_uid) {
          candidates.push_back(*c);
        }
      }
    }
  }
  // Verified outside the lock: verify_recipient_chain takes it itself, and the
  // signatures are cached from when the certificates were added.
  std::vector<Certificate> out;
  for (auto& c : candidates) {
    if (verify_recipient_chain(*this, c, {}, at).ok()) out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const Certificate& a, const Certificate& b) {
    return a.not_before != b.not_before ? a.not_before > b.not_before : a.serial < b.serial;
  });
  return out;
}

std::vector<RevocationList> TrustStore::revocation_lists() const {
  std::shared_lock lock(mu_);
  std::vector<RevocationList> out;
  for (const auto& [_, entry] : contents_.revocations) out.push_back(*entry.list);
  return out;
}

bool TrustStore::certificate_signature_verified(const Certificate& cert,
                                                const PublicKey& issuer_key) const {
  {
    std::shared_lock lock(cache_mu_);
    auto it = cache_.find(cert.signature);
    if (it != cache_.end() && it->second.issuer_key == issuer_key.bytes &&
        *it->second.cert == cert) {
      return true;
    }
  }
  if (!certificate_signature_valid(cert, issuer_key)) return false;
  remember(std::make_shared<const Certificate>(cert), issuer_key);
  return true;
}

void TrustStore::remember(const std::shared_ptr<const Certificate>& cert,
                          const PublicKey& issuer_key) const {
  std::unique_lock lock(cache_mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.insert_or_assign(cert->signature, Verified{cert, issuer_key.bytes});
}

void TrustStore::forget_verified_signatures() {
  std::unique_lock lock(cache_mu_);
  cache_.clear();
}

std::size_t TrustStore::verified_signature_count() const {
  std::shared_lock lock(cache_mu_);
  return cache_.size();
}

json TrustStore::to_json() const {
  json roots_json = json::array();
  for (const auto& c : roots()) roots_json.push_back(trust::to_json(c));
  json certs_json = json::array();
  for (const auto& c : certificates()) certs_json.push_back(trust::to_json(c));
  json lists_json = json::array();
  for (const auto& l : revocation_lists()) lists_json.push_back(trust::to_json(l));
  return {{"liaison_trust_store", 1},
          {"roots", std::move(roots_json)},
          {"certificates", std::move(certs_json)},
          {"revocation_lists", std::move(lists_json)}};
}

Result<TrustStore> TrustStore::from_json(const json& bundle) {
  const std::string path = "trust_store";
  LIAISON_TRY(fields::object_with(
      bundle, path, {"liaison_trust_store", "roots", "certificates", "revocation_lists"}));
  LIAISON_TRY(fields::version(bundle, "liaison_trust_store", path));
  for (const char* name : {"roots", "certificates", "revocation_lists"}) {
    LIAISON_ASSIGN_OR_RETURN(const json* arr, fields::require(bundle, name, path));
    if (!arr->is_array()) return fields::bad(path + "/" + name, "must be an array");
  }
  // A failure names the entry in the bundle and keeps the trust code.
  auto at_entry = [](const std::string& entry, const Error& e) {
    TrustFailure f = trust_failure_of(e);
    Error out = trust_error(f.code, entry + ": " + f.detail);
    return out;
  };
  TrustStore store;
  const json& roots = bundle["roots"];
  for (std::size_t i = 0; i < roots.size(); ++i) {
    std::string entry = path + "/roots/" + std::to_string(i);
    LIAISON_ASSIGN_OR_RETURN(Certificate root, certificate_from_json(roots[i], entry));
    if (Status s = store.add_root(root); !s.ok()) return at_entry(entry, s.error());
  }
  // Organisations before users and recipients, whatever order the file has
  // them in, since those need their organisation's key.
  const json& certs = bundle["certificates"];
  std::vector<std::pair<std::string, Certificate>> parsed;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    std::string entry = path + "/certificates/" + std::to_string(i);
    LIAISON_ASSIGN_OR_RETURN(Certificate cert, certificate_from_json(certs[i], entry));
    parsed.emplace_back(std::move(entry), std::move(cert));
  }
  std::stable_sort(parsed.begin(), parsed.end(), [](const auto& a, const auto& b) {
    return a.second.kind == CertKind::kOrganisation && b.second.kind != CertKind::kOrganisation;
  });
  for (const auto& [entry, cert] : parsed) {
    if (Status s = store.add_certificate(cert); !s.ok()) return at_entry(entry, s.error());
  }
  const json& lists = bundle["revocation_lists"];
  for (std::size_t i = 0; i < lists.size(); ++i) {
    std::string entry = path + "/revocation_lists/" + std::to_string(i);
    LIAISON_ASSIGN_OR_RETURN(RevocationList list, revocation_list_from_json(lists[i], entry));
    if (Status s = store.add_revocation_list(list); !s.ok()) return at_entry(entry, s.error());
  }
  return store;
}

}  // namespace liaison::trust
