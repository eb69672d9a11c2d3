// Verification of a certificate chain: leaf → organisation → root.
//
// A signature on a request is only worth the chain behind it, and a package
// sealed to a recipient key only as private as that key's chain. A chain is
// exactly three certificates: the leaf (a signer's user certificate, or an
// organisation's recipient certificate), the certificate of the organisation
// that issued it (presented or known to the store), and a root in the trust
// store. Every link is checked at one instant, normally when the signature was
// made or the package sealed, and each refusal carries a stable code
// (trust_failure.h):
//   signature_invalid        a link's signature does not verify
//   chain_untrusted          the chain does not reach a root in the store
//   chain_invalid            wrong kinds: roots issue organisations, organisations
//                            users and recipients; only users sign, so a
//                            recipient certificate offered as a signer's is
//                            refused with this code too
//   certificate_expired      a certificate's not_after is before `at`
//   certificate_not_yet_valid  a certificate's not_before is after `at`
//   country_mismatch         the organisation's country is not the root's
//   organisation_mismatch    the leaf's organisation is not the issuing organisation
//                            (a user or recipient certified by another organisation)
//   key_revoked              a certificate was revoked at or before `at`
// A certificate revoked after `at` does not fail the chain: what it signed
// before stays signed, and VerifiedSigner says when the revocation came.
#pragma once

#include <optional>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "trust/certificate.h"
#include "trust/trust_store.h"

namespace liaison::trust {

struct VerifiedChain {
  Certificate leaf;          // the user or recipient certificate
  Certificate organisation;  // its issuer
  Certificate root;          // the organisation's issuer, from the store
  // The earliest revocation in the chain that came after `at`, if any.
  std::optional<Timestamp> revoked_later_at;
};
using VerifiedSigner = VerifiedChain;

// Verifies a signer's user certificate `leaf` at `at`. `presented_intermediates` are the
// organisation certificates sent with the signature; they are tried before those in the store.
// Errors carry a code from the list above (see trust_failure_of).
Result<VerifiedSigner> verify_chain(const TrustStore& store, const Certificate& leaf,
                                    const std::vector<Certificate>& presented_intermediates,
                                    Timestamp at);

// Verifies a recipient certificate `leaf` at `at`, with the same checks as a
// signer's chain: before sealing to a key, and when listing an organisation's
// recipients. Any other kind of leaf is chain_invalid.
Result<VerifiedChain> verify_recipient_chain(
    const TrustStore& store, const Certificate& leaf,
    const std::vector<Certificate>& presented_intermediates, Timestamp at);

}  // namespace liaison::trust
