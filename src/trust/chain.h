// Verification of a signer's certificate chain: user → organisation → root.
//
// A signature on a request is only worth the chain behind it. The chain is
// exactly three certificates: the signer's user certificate, the certificate
// of the organisation that issued it (presented with the request or known to
// the store), and a root in the trust store. Every link is checked at one
// instant, normally when the signature was made, and each refusal carries a
// stable code (trust_failure.h):
//   signature_invalid        a link's signature does not verify
//   chain_untrusted          the chain does not reach a root in the store
//   chain_invalid            wrong kinds: roots issue organisations, organisations users
//   certificate_expired      a certificate's not_after is before `at`
//   certificate_not_yet_valid  a certificate's not_before is after `at`
//   country_mismatch         the organisation's country is not the root's
//   organisation_mismatch    the user's organisation is not the issuing organisation
//                            (a user certified by another organisation)
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

struct VerifiedSigner {
  Certificate leaf;          // the signer's user certificate
  Certificate organisation;  // its issuer
  Certificate root;          // the organisation's issuer, from the store
  // The earliest revocation in the chain that came after `at`, if any.
  std::optional<Timestamp> revoked_later_at;
};

// Verifies `leaf` at `at`. `presented_intermediates` are the organisation
// certificates sent with the signature; they are tried before those in the
// store. Errors carry a code from the list above (see trust_failure_of).
Result<VerifiedSigner> verify_chain(const TrustStore& store, const Certificate& leaf,
                                    const std::vector<Certificate>& presented_intermediates,
                                    Timestamp at);

}  // namespace liaison::trust
