// Signing a request on the signer's side, from the request as the hub shows
// it to them.
//
// The signer's tool rebuilds the canonical payload itself from the request's
// representation, rather than signing bytes the hub hands it: what is signed is
// what the signer was shown. A co-signer also checks that the officer's payload
// is that same request before adding a signature over its digest.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "trust/certificate.h"
#include "trust/keys.h"
#include "trust/signed_request.h"
#include "trust/trust_store.h"

namespace liaison::cli {

// A signer: their key, their certificate and their organisation's certificate.
struct Signer {
  trust::SecretKey key;
  trust::Certificate certificate;
  std::vector<trust::Certificate> chain;
};

// The request payload a representation (GET /api/v1/requests/{id}) describes.
Result<nlohmann::json> payload_from_view(const nlohmann::json& view, const std::string& nonce,
                                         Timestamp issued_at,
                                         const std::optional<trust::Contact>& callback);

// The body of POST /api/v1/requests/{id}/signatures. An officer starts a new
// payload (fresh nonce, `now`); the call-back contact defaults to the first
// one the officer's organisation certificate vouches for, for emergencies.
// A co-signer passes the envelope so far and signs its payload, after
// checking it describes `view`.
Result<nlohmann::json> signature_body(const nlohmann::json& view,
                                      const std::optional<nlohmann::json>& envelope,
                                      const std::string& role, const Signer& signer, Timestamp now,
                                      const std::optional<trust::Contact>& callback = {});

// Finds the signer's certificate (newest valid at `at`) and its organisation's
// in `store`, by the key's id.
Result<Signer> signer_from_store(trust::SecretKey key, const trust::TrustStore& store,
                                 Timestamp at);

}  // namespace liaison::cli
