#include "cli/request_signer.h"

#include "core/request_json.h"
#include "trust/request_payload.h"

namespace liaison::cli {

using nlohmann::json;

namespace {

Result<trust::OrgRef> org_of(const json& view, const char* key) {
  auto it = view.find(key);
  if (it == view.end() || !it->is_object() || !it->contains("country") ||
      !it->contains("endpoint_uid")) {
    return Error::invalid(key, "the request's representation does not name this organisation");
  }
  trust::OrgRef ref;
  ref.country = it->value("country", "");
  ref.endpoint_uid = it->value("endpoint_uid", "");
  ref.name = it->value("name", "");
  ref.kind = org_kind_from_name(it->value("kind", "authority")).value_or(OrgKind::kAuthority);
  return ref;
}

}  // namespace

Result<json> payload_from_view(const json& view, const std::string& nonce, Timestamp issued_at,
                               const std::optional<trust::Contact>& callback) {
  if (!view.is_object() || !view.contains("id") || !view.contains("provider"))
    return Error::invalid("request", "is not a request representation");
  json stored = view;
  stored["provider_id"] = view["provider"].value("id", "");
  Request r;
  r.id = view.value("id", "");
  auto draft = decode_stored_draft(stored);
  if (!draft.ok()) return Error::invalid("request", "has fields this tool cannot read");
  r.draft = std::move(draft).value();
  LIAISON_ASSIGN_OR_RETURN(trust::OrgRef issuer, org_of(view, "issuer"));
  LIAISON_ASSIGN_OR_RETURN(trust::OrgRef provider, org_of(view, "provider"));
  return trust::request_payload(r, issuer, provider, nonce, issued_at, callback);
}

Result<json> signature_body(const json& view, const std::optional<json>& envelope,
                            const std::string& role, const Signer& signer, Timestamp now,
                            const std::optional<trust::Contact>& callback) {
  json payload;
  if (role == "officer") {
    std::optional<trust::Contact> contact = callback;
    bool emergency = view.value("kind", "") == "emergency_disclosure";
    if (!contact && emergency && !signer.chain.empty() &&
        !signer.chain.front().emergency_contacts.empty()) {
      contact = signer.chain.front().emergency_contacts.front();
    }
    LIAISON_ASSIGN_OR_RETURN(
        payload, payload_from_view(view, trust::new_request_nonce(), now.floor_seconds(), contact));
  } else {
    if (!envelope) return Error::invalid("role", "the officer signs first");
    LIAISON_ASSIGN_OR_RETURN(trust::SignedRequest env, trust::signed_request_from_json(*envelope));
    LIAISON_ASSIGN_OR_RETURN(trust::PayloadSummary s, trust::read_request_payload(env.payload));
    LIAISON_ASSIGN_OR_RETURN(json mine, payload_from_view(view, s.nonce, s.issued_at, s.callback));
    if (mine != env.payload) {
      return Error::invalid("payload",
                            "what the officer signed is not the request the hub shows you; do "
                            "not co-sign, and tell your organisation's security contact");
    }
    payload = std::move(env.payload);
  }
  trust::RequestSignature sig = trust::sign_request(payload, role, signer.key, signer.certificate,
                                                    signer.chain, now.floor_seconds());
  return json{{"payload", payload}, {"signature", trust::to_json(sig)}};
}

Result<Signer> signer_from_store(trust::SecretKey key, const trust::TrustStore& store,
                                 Timestamp at) {
  std::string key_id = key.public_key().key_id();
  for (const auto& cert : store.certificates_for_key(key_id)) {
    if (cert->kind != trust::CertKind::kUser || !cert->valid_at(at)) continue;
    for (const auto& org : store.certificates_for_key(cert->issuer_key_id)) {
      if (org->kind != trust::CertKind::kOrganisation) continue;
      return Signer{std::move(key), *cert, {*org}};
    }
  }
  return Error::not_found("no valid certificate for key " + key_id +
                          " in the hub's trust store; ask your org admin to certify it");
}

}  // namespace liaison::cli
