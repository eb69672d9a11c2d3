// Signed requests: a request payload with the signatures of the people who
// stand behind it, and the verification a hub or provider applies.
//
// Every signer (the officer, and any validator or supervisor co-signing)
// signs the same digest of the payload, with their role and the time:
//   "liaison-request-signature-v1" NUL role NUL RFC3339(signed_at) NUL digest
// so a signature cannot be moved to another request, another role or another
// time. Each signature travels with the signer's certificate and the chain
// that connects it to a root, so a provider can verify offline.
//
// JSON: {"liaison_signed_request":1,"payload":{…},"signatures":[{"role",
// "signed_at","certificate":{…},"chain":[…],"signature"}]}
//
// Verification (verify_signed_request) checks, each failure with a stable code
// (trust_failure.h) and a detail that names the signer and certificate:
//   malformed                  the payload or a signature entry is not as specified
//   officer_signature_missing  not exactly one officer signature
//   signature_invalid          a signature does not verify over this payload: the
//                              request was altered after it was signed
//   (chain codes, chain.h)     a signer's chain fails at the time of signing
//   role_not_certified         a signer's certificate lacks the role they sign as
//   issuer_mismatch            the officer's organisation is not payload.issuer
//   cosigner_foreign           a supervisor from another organisation, or a validator
//                              from outside the officer's country's authorities
//   cosignature_missing        fewer distinct validator or supervisor keys than required
//   validator_not_competent    a validator whose organisation is not of a type the
//                              policy names (a police validator where a prosecutor must)
//   stale, future_dated        issued_at or a signed_at outside the accepted window
//   emergency_justification_missing  an emergency request without a stated threat
//   emergency_supervisor_missing     an emergency request without a supervisor
//   emergency_supervisor_foreign     a supervisor outside the officer's organisation
//   emergency_callback_unvouched     the call-back contact is not one the officer's
//                                    organisation certificate (signed by the root) lists
// Replay is not checked here: the hub keeps a table of nonces, and the report
// gives it the nonce and request id.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "trust/certificate.h"
#include "trust/keys.h"
#include "trust/trust_failure.h"
#include "trust/trust_store.h"

namespace liaison::trust {

struct RequestSignature {
  std::string role;  // "officer", "validator" or "supervisor"
  Timestamp signed_at;
  Certificate certificate;         // the signer's user certificate
  std::vector<Certificate> chain;  // its organisation certificate
  std::string signature;           // 64 raw bytes
};

struct SignedRequest {
  nlohmann::json payload;  // request_payload.h
  std::vector<RequestSignature> signatures;
};

nlohmann::json to_json(const RequestSignature& signature);
nlohmann::json to_json(const SignedRequest& request);
// Strict decoding of the envelope and its certificates; the payload only has
// to be an object here (verification reports a malformed payload).
Result<SignedRequest> signed_request_from_json(const nlohmann::json& j);

// The bytes a signer signs (see the top of this file).
std::string request_signing_input(std::string_view role, Timestamp signed_at,
                                  std::string_view digest);

// Signs `payload` as `role`. The payload must have a canonical form, as
// request_payload() always gives; otherwise the signature is over an empty
// digest and will never verify.
RequestSignature sign_request(const nlohmann::json& payload, const std::string& role,
                              const SecretKey& key, const Certificate& cert,
                              std::vector<Certificate> chain, Timestamp signed_at);

// How many co-signatures beyond the officer's a request needs, and of whom.
// Emergency requests always need a supervisor as well.
struct SignaturePolicy {
  int validators = 0;
  int supervisors = 0;
  // When not empty, a validator counts only if authority_type_of says its
  // organisation is one of these: the law decides who validates (EU
  // 2023/1543 Art. 4(1)(b): a judge, a court or a prosecutor), and
  // certificates do not say what kind of authority an organisation is; the
  // hub's register of organisations does.
  std::vector<AuthorityType> validator_types = {};
  std::function<std::optional<AuthorityType>(const OrgRef&)> authority_type_of = nullptr;
  // Where the requirement comes from, for the reader of a failure:
  // "route eu-epoc (Regulation (EU) 2023/1543 Art. 4(1)(b))".
  std::string basis = {};

  // Whether an organisation of `type` may validate: any may where the policy
  // names no kind; otherwise one of the kinds named, and never one of no
  // recorded kind.
  bool admits(std::optional<AuthorityType> type) const {
    if (validator_types.empty()) return true;
    return type && std::find(validator_types.begin(), validator_types.end(), *type) !=
                       validator_types.end();
  }
  // The same for a signer's organisation, through authority_type_of.
  bool admits(const OrgRef& org) const {
    if (validator_types.empty()) return true;
    return admits(authority_type_of ? authority_type_of(org) : std::nullopt);
  }
};

struct VerifyOptions {
  // issued_at and every signed_at must lie within
  // [received_at - max_age, received_at + max_skew].
  std::chrono::seconds max_age = std::chrono::hours(24 * 7);
  std::chrono::seconds max_skew = std::chrono::minutes(5);
};

struct SignerReport {
  std::string role;
  std::string name;
  std::string email;  // empty when the certificate names none
  std::string key_id;
  OrgRef organisation;
  std::string certificate_serial;
  Timestamp signed_at;
  bool valid = false;
  std::optional<Timestamp> revoked_later_at;  // revoked after signing: the signature stands
  std::vector<std::string> failures;          // codes
};

struct VerificationReport {
  bool ok = false;
  std::vector<TrustFailure> failures;
  std::vector<SignerReport> signers;
  std::string digest_hex;  // of the payload
  std::string nonce;       // for the hub's replay table
  std::string request_id;
  std::vector<std::string> notes;  // facts worth a reader's attention that are not failures
};

VerificationReport verify_signed_request(const TrustStore& store, const SignedRequest& request,
                                         const SignaturePolicy& policy, Timestamp received_at,
                                         const VerifyOptions& options = {});

// The report as JSON, for the API and the CLI.
nlohmann::json to_json(const VerificationReport& report);

}  // namespace liaison::trust
