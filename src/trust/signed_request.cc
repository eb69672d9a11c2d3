#include "trust/signed_request.h"

#include "trust/encoding.h"
#include "trust/json_fields.h"
#include "trust/request_payload.h"

namespace liaison::trust {

using nlohmann::json;

namespace {
constexpr std::string_view kSigningContext = "liaison-request-signature-v1";
constexpr std::size_t kMaxSignatures = 16;
constexpr std::size_t kMaxChain = 4;

bool is_signing_role(std::string_view role) {
  return role == "officer" || role == "validator" || role == "supervisor";
}
}  // namespace

json to_json(const RequestSignature& s) {
  json chain = json::array();
  for (const auto& c : s.chain) chain.push_back(to_json(c));
  return {{"role", s.role},
          {"signed_at", format_rfc3339(s.signed_at)},
          {"certificate", to_json(s.certificate)},
          {"chain", std::move(chain)},
          {"signature", base64url_encode(s.signature)}};
}

json to_json(const SignedRequest& r) {
  json sigs = json::array();
  for (const auto& s : r.signatures) sigs.push_back(to_json(s));
  return {{"liaison_signed_request", 1}, {"payload", r.payload}, {"signatures", std::move(sigs)}};
}

Result<SignedRequest> signed_request_from_json(const json& j) {
  const std::string path;  // the envelope is the document itself
  LIAISON_TRY(fields::object_with(j, path, {"liaison_signed_request", "payload", "signatures"}));
  LIAISON_TRY(fields::version(j, "liaison_signed_request", path));
  SignedRequest out;
  LIAISON_ASSIGN_OR_RETURN(const json* payload, fields::require(j, "payload", path));
  if (!payload->is_object()) return fields::bad("payload", "must be an object");
  out.payload = *payload;
  LIAISON_ASSIGN_OR_RETURN(const json* sigs, fields::require(j, "signatures", path));
  if (!sigs->is_array() || sigs->empty()) {
    return fields::bad("signatures", "must be a non-empty array");
  }
  if (sigs->size() > kMaxSignatures) {
    return fields::bad("signatures", "at most " + std::to_string(kMaxSignatures) + " signatures");
  }
  for (std::size_t i = 0; i < sigs->size(); ++i) {
    const json& s = (*sigs)[i];
    const std::string spath = "signatures/" + std::to_string(i);
    LIAISON_TRY(
        fields::object_with(s, spath, {"role", "signed_at", "certificate", "chain", "signature"}));
    RequestSignature sig;
    LIAISON_ASSIGN_OR_RETURN(sig.role, fields::string(s, "role", spath, 32));
    if (!is_signing_role(sig.role)) {
      return fields::bad(spath + "/role", "must be officer, validator or supervisor");
    }
    LIAISON_ASSIGN_OR_RETURN(sig.signed_at, fields::timestamp(s, "signed_at", spath));
    LIAISON_ASSIGN_OR_RETURN(const json* cert, fields::require(s, "certificate", spath));
    LIAISON_ASSIGN_OR_RETURN(sig.certificate, certificate_from_json(*cert, spath + "/certificate"));
    LIAISON_ASSIGN_OR_RETURN(const json* chain, fields::require(s, "chain", spath));
    if (!chain->is_array() || chain->size() > kMaxChain) {
      return fields::bad(spath + "/chain", "must be an array of at most " +
                                               std::to_string(kMaxChain) + " certificates");
    }
    for (std::size_t k = 0; k < chain->size(); ++k) {
      LIAISON_ASSIGN_OR_RETURN(
          Certificate c, certificate_from_json((*chain)[k], spath + "/chain/" + std::to_string(k)));
      sig.chain.push_back(std::move(c));
    }
    LIAISON_ASSIGN_OR_RETURN(sig.signature,
                             fields::base64url(s, "signature", spath, kSignatureBytes));
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

std::string request_signing_input(std::string_view role, Timestamp signed_at,
                                  std::string_view digest) {
  std::string when = format_rfc3339(signed_at);
  std::string out;
  out.reserve(kSigningContext.size() + role.size() + when.size() + digest.size() + 3);
  out += kSigningContext;
  out += '\0';
  out += role;
  out += '\0';
  out += when;
  out += '\0';
  out += digest;
  return out;
}

RequestSignature sign_request(const json& payload, const std::string& role, const SecretKey& key,
                              const Certificate& cert, std::vector<Certificate> chain,
                              Timestamp signed_at) {
  RequestSignature s;
  s.role = role;
  s.signed_at = signed_at;
  s.certificate = cert;
  s.chain = std::move(chain);
  s.signature = key.sign(request_signing_input(role, signed_at, payload_digest(payload)));
  return s;
}

}  // namespace liaison::trust
