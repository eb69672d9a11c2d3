#include "trust/chain.h"

#include <memory>

#include "trust/trust_failure.h"

namespace liaison::trust {

namespace {

Status check_validity(const Certificate& c, Timestamp at) {
  if (at < c.not_before) {
    return trust_error(failure::kCertificateNotYetValid,
                       describe_certificate(c) + " is valid only from " +
                           format_rfc3339(c.not_before) + ", after " + format_rfc3339(at));
  }
  if (at > c.not_after) {
    return trust_error(failure::kCertificateExpired, describe_certificate(c) + " expired at " +
                                                         format_rfc3339(c.not_after) + ", before " +
                                                         format_rfc3339(at));
  }
  return Ok{};
}

// Checks `c` against its issuer's revocation list, keeping the earliest
// revocation that came after `at`.
Status check_revocation(const TrustStore& store, const Certificate& c, Timestamp at,
                        std::optional<Timestamp>& revoked_later) {
  auto r = store.revoked(c.issuer_key_id, c.serial);
  if (!r) return Ok{};
  if (r->revoked_at <= at) {
    return trust_error(failure::kKeyRevoked, describe_certificate(c) + " was revoked by " +
                                                 c.issuer_name + " at " +
                                                 format_rfc3339(r->revoked_at) + " (" + r->reason +
                                                 "), before " + format_rfc3339(at));
  }
  if (!revoked_later || r->revoked_at < *revoked_later) revoked_later = r->revoked_at;
  return Ok{};
}

// The chain of a leaf already known to be of a kind organisations issue.
Result<VerifiedChain> verify_leaf(const TrustStore& store, const Certificate& leaf,
                                  const std::vector<Certificate>& presented_intermediates,
                                  Timestamp at) {
  // The organisation certificate: presented ones first, then the store's.
  auto stored = store.certificates_for_key(leaf.issuer_key_id);
  std::vector<const Certificate*> candidates;
  for (const auto& c : presented_intermediates) {
    if (c.key_id() == leaf.issuer_key_id) candidates.push_back(&c);
  }
  for (const auto& c : stored) candidates.push_back(c.get());
  const Certificate* org = nullptr;
  bool wrong_kind = false;
  for (const Certificate* c : candidates) {
    if (c->kind != CertKind::kOrganisation) {
      wrong_kind = true;
      continue;
    }
    // Prefer one valid at `at`: an organisation may hold a renewed certificate.
    if (org == nullptr || (!org->valid_at(at) && c->valid_at(at))) org = c;
  }
  if (org == nullptr) {
    if (wrong_kind || store.root(leaf.issuer_key_id)) {
      return trust_error(failure::kChainInvalid, describe_certificate(leaf) +
                                                     " must be issued by an organisation, and " +
                                                     leaf.issuer_name + " is not one");
    }
    return trust_error(failure::kChainUntrusted,
                       describe_certificate(leaf) + " is issued by " + leaf.issuer_name + " (key " +
                           leaf.issuer_key_id +
                           "), whose organisation certificate was neither presented nor is "
                           "known here");
  }
  if (!store.certificate_signature_verified(leaf, org->public_key)) {
    return trust_error(
        failure::kSignatureInvalid,
        describe_certificate(leaf) + " does not carry a valid signature by " + org->subject_name);
  }
  auto root = store.root(org->issuer_key_id);
  if (!root) {
    if (!store.certificates_for_key(org->issuer_key_id).empty()) {
      return trust_error(failure::kChainInvalid, describe_certificate(*org) +
                                                     " must be issued by a root, and " +
                                                     org->issuer_name + " is not one");
    }
    return trust_error(failure::kChainUntrusted,
                       describe_certificate(*org) + " is issued by " + org->issuer_name + " (key " +
                           org->issuer_key_id + "), which is not a root this verifier trusts");
  }
  if (!store.certificate_signature_verified(*org, root->public_key)) {
    return trust_error(
        failure::kSignatureInvalid,
        describe_certificate(*org) + " does not carry a valid signature by " + root->subject_name);
  }
  for (const Certificate* c : {root.get(), org, &leaf}) {
    LIAISON_TRY(check_validity(*c, at));
  }
  if (org->country != root->country) {
    return trust_error(failure::kCountryMismatch,
                       describe_certificate(*org) + " is for " + org->country + ", but the root " +
                           root->subject_name + " speaks for " + root->country);
  }
  // Same identity and the same kind: a provider's key must not certify
  // "validators" by naming its own organisation an authority.
  if (!leaf.organisation || !org->organisation ||
      !leaf.organisation->same_identity(*org->organisation) ||
      leaf.organisation->kind != org->organisation->kind) {
    return trust_error(
        failure::kOrganisationMismatch,
        describe_certificate(leaf) + " names the organisation " +
            (leaf.organisation ? leaf.organisation->name + " (" + leaf.organisation->country + "/" +
                                     leaf.organisation->endpoint_uid + ")"
                               : std::string("(none)")) +
            ", but was certified by " + org->subject_name + ": a " + cert_kind_name(leaf.kind) +
            " certified by another organisation");
  }
  std::optional<Timestamp> revoked_later;
  LIAISON_TRY(check_revocation(store, *org, at, revoked_later));
  LIAISON_TRY(check_revocation(store, leaf, at, revoked_later));
  return VerifiedChain{leaf, *org, *root, revoked_later};
}

}  // namespace

Result<VerifiedSigner> verify_chain(const TrustStore& store, const Certificate& leaf,
                                    const std::vector<Certificate>& presented_intermediates,
                                    Timestamp at) {
  if (leaf.kind == CertKind::kRecipient) {
    // A recipient key is certified to receive sealed evidence only; were it to
    // sign, whoever holds it at an evidence unit could act as an officer.
    return trust_error(failure::kChainInvalid,
                       describe_certificate(leaf) +
                           " is a recipient certificate: recipient keys receive sealed evidence "
                           "and never sign; people sign with user certificates");
  }
  if (leaf.kind != CertKind::kUser) {
    return trust_error(
        failure::kChainInvalid,
        describe_certificate(leaf) + " is not a user certificate; people sign with those");
  }
  return verify_leaf(store, leaf, presented_intermediates, at);
}

Result<VerifiedChain> verify_recipient_chain(
    const TrustStore& store, const Certificate& leaf,
    const std::vector<Certificate>& presented_intermediates, Timestamp at) {
  if (leaf.kind != CertKind::kRecipient) {
    return trust_error(failure::kChainInvalid,
                       describe_certificate(leaf) +
                           " is not a recipient certificate; evidence is sealed only to those");
  }
  return verify_leaf(store, leaf, presented_intermediates, at);
}

}  // namespace liaison::trust
