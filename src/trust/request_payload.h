// The canonical form of a request: the JSON object officers sign.
//
// A signature must cover everything a provider acts on (who asks whom, for
// which data about which targets, under which law, and how urgently) and
// nothing that changes after signing (status, hub ids of users). The payload
// is built from core types only, so the CLI that signs and the hub and
// provider that verify derive the same object; payload_digest() is the
// SHA-256 of its canonical JSON (RFC 8785), which every co-signer signs.
//
// Fields: "liaison_request":1, "request_id", "kind", "issuer" and "provider"
// ({country, endpoint_uid}), "categories", "targets", "legal_basis",
// "period"|null, "case_type", "offence_description",
// "max_penalty_months"|null, "non_disclosure_until"|null, "deadline"|null,
// "emergency" ({"justification","callback":{kind,value}|null})|null,
// "issuer_reference", "nonce", "issued_at".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/request.h"
#include "core/result.h"
#include "core/time.h"
#include "trust/certificate.h"

namespace liaison::trust {

// `nonce_b64` is fresh randomness (new_request_nonce()) that lets the hub
// refuse a replayed request. `callback` is the contact a provider should call
// to confirm an emergency; it must be one the authority's organisation
// certificate lists. "emergency" is non-null for emergency_disclosure
// requests and whenever a justification or callback is given.
nlohmann::json request_payload(const Request& r, const OrgRef& issuer, const OrgRef& provider,
                               const std::string& nonce_b64, Timestamp issued_at,
                               const std::optional<Contact>& callback);

// The body of POST /api/v1/requests that `payload` states, addressed to the
// hub's organisation `provider_id`: what a request received whole is
// decoded from.
nlohmann::json draft_body_of(const nlohmann::json& payload, const std::string& provider_id);

// 16 random bytes in base64url.
std::string new_request_nonce();

// SHA-256 (32 raw bytes) of the canonical JSON of `payload`; empty if the
// payload has no canonical form (verify_signed_request calls that malformed).
std::string payload_digest(const nlohmann::json& payload);

// The parts of a payload that signature verification depends on.
struct PayloadSummary {
  std::string request_id;
  std::string kind;
  std::string issuer_country, issuer_endpoint_uid;
  std::string provider_country, provider_endpoint_uid;
  std::string nonce;
  Timestamp issued_at;
  bool emergency = false;  // "emergency" is non-null or kind is emergency_disclosure
  std::string emergency_justification;
  std::optional<Contact> callback;
};

// Checks that `payload` has exactly the fields above with the right types,
// and returns what verification needs. Errors name the field ("payload/kind").
Result<PayloadSummary> read_request_payload(const nlohmann::json& payload);

}  // namespace liaison::trust
