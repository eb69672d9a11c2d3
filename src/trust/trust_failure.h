// Why a signature, certificate or chain is not trusted, as a stable code.
//
// Codes such as "chain_untrusted" or "key_revoked" are part of Liaison's
// interface: the hub stores them, providers' tools match on them, and the
// documentation lists them, so they never change once published. The detail
// is for a person (a provider's analyst) and names the signer and certificate.
//
// Functions that return Result<T> carry a failure in the Error: its message is
// "<code>: <detail>" and its one issue has the field "trust:<code>", so
// trust_failure_of() can recover both.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

struct TrustFailure {
  std::string code;    // stable, snake_case
  std::string detail;  // human-readable

  bool operator==(const TrustFailure&) const = default;
};

// The stable codes.
namespace failure {
inline constexpr std::string_view kMalformed = "malformed";
inline constexpr std::string_view kSignatureInvalid = "signature_invalid";
inline constexpr std::string_view kChainUntrusted = "chain_untrusted";
inline constexpr std::string_view kChainInvalid = "chain_invalid";
inline constexpr std::string_view kCertificateExpired = "certificate_expired";
inline constexpr std::string_view kCertificateNotYetValid = "certificate_not_yet_valid";
inline constexpr std::string_view kCountryMismatch = "country_mismatch";
inline constexpr std::string_view kOrganisationMismatch = "organisation_mismatch";
inline constexpr std::string_view kKeyRevoked = "key_revoked";
inline constexpr std::string_view kRevocationListNotNewer = "revocation_list_not_newer";
inline constexpr std::string_view kRevocationWithdrawn = "revocation_withdrawn";
inline constexpr std::string_view kOfficerSignatureMissing = "officer_signature_missing";
inline constexpr std::string_view kRoleNotCertified = "role_not_certified";
inline constexpr std::string_view kIssuerMismatch = "issuer_mismatch";
inline constexpr std::string_view kCosignerForeign = "cosigner_foreign";
inline constexpr std::string_view kCosignatureMissing = "cosignature_missing";
inline constexpr std::string_view kValidatorNotCompetent = "validator_not_competent";
inline constexpr std::string_view kStale = "stale";
inline constexpr std::string_view kFutureDated = "future_dated";
inline constexpr std::string_view kEmergencyJustificationMissing =
    "emergency_justification_missing";
inline constexpr std::string_view kEmergencySupervisorMissing = "emergency_supervisor_missing";
inline constexpr std::string_view kEmergencySupervisorForeign = "emergency_supervisor_foreign";
inline constexpr std::string_view kEmergencyCallbackUnvouched = "emergency_callback_unvouched";
}  // namespace failure

// An Error carrying `code` and `detail` (ErrorCode::kInvalidArgument).
Error trust_error(std::string_view code, std::string detail);

// The failure an Error carries: its trust code if trust_error made it,
// otherwise "malformed" with the Error's message.
TrustFailure trust_failure_of(const Error& error);

}  // namespace liaison::trust
