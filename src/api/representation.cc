#include "api/representation.h"

#include "core/duration.h"
#include "core/request_json.h"

namespace liaison::api {

using nlohmann::json;

namespace {
json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json org_ref(const Organisation& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"country", o.country},
          {"endpoint_uid", o.endpoint_uid},
          {"kind", org_kind_name(o.kind)}};
}
}  // namespace

json to_json(const Organisation& o) {
  return {{"id", o.id},
          {"kind", org_kind_name(o.kind)},
          {"name", o.name},
          {"country", o.country},
          {"endpoint_uid", o.endpoint_uid},
          {"etsi_endpoint", {{"CountryCode", o.country}, {"UniqueIdentifier", o.endpoint_uid}}},
          {"authority_type",
           o.authority_type ? json(authority_type_name(*o.authority_type)) : json(nullptr)},
          {"created_at", o.created_at}};
}

json to_json(const User& u) {
  json roles = json::array();
  std::string list = u.roles.to_string();
  for (std::size_t s = 0; s < list.size();) {
    auto e = list.find(',', s);
    if (e == std::string::npos) e = list.size();
    roles.push_back(list.substr(s, e - s));
    s = e + 1;
  }
  return {{"id", u.id},
          {"org_id", opt(u.org_id)},
          {"name", u.name},
          {"email", u.email},
          {"roles", roles},
          {"hub_admin", u.hub_admin},
          {"disabled", u.disabled},
          {"created_at", u.created_at}};
}

json to_json(const TokenRecord& t) {
  // Never the hash: it is of no use to a client and need not leave the hub.
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"expires_at", opt(t.expires_at)},
          {"revoked_at", opt(t.revoked_at)},
          {"scopes", to_json(t.scopes)}};
}

json to_json(const Scopes& s) {
  json out = json::array();
  for (Scope scope : {Scope::kRead, Scope::kWrite, Scope::kAdmin}) {
    if (s.has(scope)) out.push_back(scope_name(scope));
  }
  return out;
}

json to_json(const SessionView& s) {
  // Never the hashes: they identify the session to anyone who reads them.
  return {{"id", s.record.id},
          {"created_at", s.record.created_at},
          {"last_seen_at", s.record.last_seen_at},
          {"expires_at", s.record.expires_at},
          {"idle_expires_at", s.idle_expires_at},
          {"remote_address", s.record.remote_address}};
}

json to_json(const RequestView& v) {
  const Request& r = v.request;
  json j = encode_draft(r.draft);
  j.erase("provider_id");
  j["id"] = r.id;
  j["reference"] = r.reference;
  j["status"] = request_status_name(r.status);
  EtsiStatus etsi = etsi_status(r.draft.kind, r.status);
  j["etsi_status"] = {{"dictionary", etsi.dictionary}, {"value", etsi.value}};
  j["version"] = r.version;
  j["issuer"] = org_ref(v.issuer);
  j["provider"] = org_ref(v.provider);
  j["created_by"] = r.created_by;
  j["created_at"] = r.created_at;
  j["updated_at"] = r.updated_at;
  j["submitted_at"] = opt(r.submitted_at);
  j["preserved_until"] = opt(r.preserved_until);
  j["warnings"] = encode_warnings(r.warnings);
  j["due_at"] = opt(r.due_at);
  j["due_rule"] = r.due_rule.empty() ? json(nullptr) : json(r.due_rule);
  j["quarantine_reason"] = opt(r.quarantine_reason);
  j["follow_up"] = r.follow_up_due ? json{{"due_at", *r.follow_up_due},
                                          {"done_at", opt(r.follow_up_done_at)},
                                          {"escalated_at", opt(r.follow_up_escalated_at)}}
                                   : json(nullptr);
  // Only a request with a gag order has the task; null otherwise.
  j["user_notification"] = r.draft.non_disclosure_until
                               ? json{{"permitted_at", opt(r.user_notification_permitted_at)},
                                      {"notified_at", opt(r.user_notified_at)},
                                      {"notified_by", opt(r.user_notified_by)}}
                               : json(nullptr);
  j["validator"] = v.validator ? org_ref(*v.validator) : json(nullptr);
  j["signatures"] = v.signatures ? *v.signatures : json::array();
  if (v.signature_needs) {
    const SignatureNeeds& n = *v.signature_needs;
    json types = json::array();
    for (auto t : n.validator_types) types.push_back(authority_type_name(t));
    j["signatures_required"] = {{"validators", n.validators},
                                {"validator_types", std::move(types)},
                                {"supervisors", n.supervisors},
                                {"basis", n.basis.empty() ? json(nullptr) : json(n.basis)},
                                {"signed",
                                 {{"officers", n.officers_signed},
                                  {"validators", n.validators_signed},
                                  {"supervisors", n.supervisors_signed}}},
                                {"missing", n.missing},
                                {"ready", n.missing.empty()}};
  }
  j["payload_digest"] = v.digest.empty() ? json(nullptr) : json(v.digest);
  j["emergency_callback"] = v.callback ? *v.callback : json(nullptr);
  if (v.verification) {
    j["verification"] = *v.verification;
  } else if (v.verification_text) {
    j["verification"] = json::parse(*v.verification_text, nullptr, false);
  } else {
    j["verification"] = nullptr;
  }
  json allowed = json::array();
  for (auto a : v.allowed_actions) allowed.push_back(request_action_name(a));
  j["allowed_actions"] = allowed;
  json entries = json::array();
  for (const auto& e : v.ledger) {
    entries.push_back(
        {{"leaf_index", e.leaf_index}, {"entry", e.entry}, {"in_checkpoint", e.in_checkpoint}});
  }
  j["ledger"] = std::move(entries);
  json holds = json::array();
  for (const auto& h : v.holds) holds.push_back(to_json(h));
  j["holds"] = std::move(holds);
  return j;
}

json to_json(const LegalHold& h) {
  json renewals = json::array();
  for (const auto& r : h.renewals) {
    renewals.push_back({{"at", r.at},
                        {"previous_expiry", r.previous_expiry},
                        {"new_expiry", r.new_expiry},
                        {"by_user_id", r.by_user_id},
                        {"by_org_id", r.by_org_id}});
  }
  return {{"id", h.id},
          {"provider_org_id", h.provider_org_id},
          {"issuer_org_id", h.issuer_org_id},
          {"request_id", h.request_id},
          {"scope", encode_hold_scope(h.scope)},
          {"created_at", h.created_at},
          {"created_by", h.created_by},
          {"expires_at", h.expires_at},
          {"status", hold_status_name(h.status)},
          {"renewals", std::move(renewals)},
          {"released_at", opt(h.released_at)},
          {"released_by", opt(h.released_by)},
          {"release_reason", opt(h.release_reason)},
          {"expired_at", opt(h.expired_at)}};
}

json to_json(const Reminder& r) {
  return {{"id", r.id},
          {"request_id", r.request_id},
          {"org_id", r.org_id},
          {"kind", r.kind},
          {"due_at", r.due_at},
          {"created_at", r.created_at},
          {"delivered_at", opt(r.delivered_at)},
          {"delivered_by", opt(r.delivered_by)}};
}

json to_json(const DueItem& d) {
  return {{"request_id", d.request_id},
          {"reference", d.reference},
          {"request_kind", request_kind_name(d.request_kind)},
          {"status", request_status_name(d.status)},
          {"kind", deadline_kind_name(d.deadline.kind)},
          {"at", d.deadline.at},
          {"owed_by", d.deadline.owed_by == Side::kIssuer ? "authority" : "provider"},
          {"overdue", d.overdue},
          {"due_rule", d.deadline.rule}};
}

json to_json(const InclusionProof& p) {
  json path = json::array();
  for (const auto& h : p.path) path.push_back(ledger::to_hex(h));
  return {{"leaf_index", p.leaf_index},
          {"tree_size", p.tree_size},
          {"leaf_hash", ledger::to_hex(p.leaf_hash)},
          {"path", std::move(path)}};
}

json to_json(const ConsistencyProof& p) {
  json path = json::array();
  for (const auto& h : p.path) path.push_back(ledger::to_hex(h));
  return {{"first", p.first}, {"second", p.second}, {"path", std::move(path)}};
}

json to_json(const RequestEvent& e) {
  return {{"seq", e.seq},
          {"type", e.type},
          {"from_status", e.from_status},
          {"to_status", e.to_status},
          {"actor_user_id", e.actor_user_id},
          {"actor_org_id", e.actor_org_id},
          {"at", e.at},
          {"note", e.note},
          {"object_id", opt(e.object_id)}};
}

json to_json(const Message& m) {
  return {{"id", m.id},
          {"request_id", m.request_id},
          {"author_user_id", m.author_user_id},
          {"author_org_id", m.author_org_id},
          {"body", m.body},
          {"created_at", m.created_at}};
}

json to_json(const Attachment& a) {
  return {{"id", a.id},
          {"request_id", a.request_id},
          {"uploader_user_id", a.uploader_user_id},
          {"uploader_org_id", a.uploader_org_id},
          {"name", a.name},
          {"media_type", a.media_type},
          {"size", a.size},
          {"sha256", a.sha256},
          {"purpose", attachment_purpose_name(a.purpose)},
          {"created_at", a.created_at}};
}

json to_json(const EvidenceUpload& u) {
  return {{"id", u.id},
          {"request_id", u.request_id},
          {"user_id", u.user_id},
          {"org_id", u.org_id},
          {"size", u.size},
          {"received", u.received},
          {"state", upload_state_name(u.state)},
          {"package_id", opt(u.package_id)},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

json to_json(const CustodyEvent& e) {
  const auto number = [](const std::optional<std::uint64_t>& v) {
    return v ? json(*v) : json(nullptr);
  };
  return {{"seq", e.seq},
          {"kind", e.kind},
          {"package_id", opt(e.package_id)},
          {"upload_id", opt(e.upload_id)},
          {"user_id", e.user_id},
          {"org_id", e.org_id},
          {"token_id", opt(e.token_id)},
          {"first_byte", number(e.first_byte)},
          {"last_byte", number(e.last_byte)},
          {"outcome", opt(e.outcome)},
          {"detail", json::parse(e.detail, nullptr, false)},
          {"at", e.at}};
}

json to_json(const PackageView& v) {
  const EvidencePackage& p = v.package;
  json custody = json::array();
  for (const auto& e : v.custody) {
    json event = to_json(e);
    auto name = v.custodian_names.find(e.user_id);
    event["user_name"] = name != v.custodian_names.end() ? json(name->second) : json(nullptr);
    custody.push_back(std::move(event));
  }
  return {{"id", p.id},
          {"request_id", p.request_id},
          {"attachment", to_json(v.attachment)},
          {"content",
           "/api/v1/requests/" + p.request_id + "/attachments/" + p.attachment_id + "/content"},
          {"statement", json::parse(p.statement, nullptr, false)},
          {"statement_sha256", p.statement_sha256},
          {"signer_key_id", p.signer_key_id},
          {"item_count", p.item_count},
          {"total_size", p.total_size},
          {"package_bytes", p.package_bytes},
          {"registered_at", p.registered_at},
          {"custody", std::move(custody)}};
}

json to_json(const QuarantineEntry& e) {
  const Request& r = e.request;
  return {{"id", r.id},
          {"reference", r.reference},
          {"kind", request_kind_name(r.draft.kind)},
          {"issuer", org_ref(e.issuer)},
          {"provider", org_ref(e.provider)},
          {"received_at", opt(r.submitted_at)},
          {"quarantine_reason", opt(r.quarantine_reason)},
          {"verification", e.verification ? *e.verification : json(nullptr)}};
}

json to_json(const StoredCertificate& c) {
  json cert = json::parse(c.certificate_json, nullptr, false);
  return {{"fingerprint", c.fingerprint},
          {"kind", c.kind},
          {"key_id", c.key_id},
          {"serial", c.serial},
          {"subject_name", c.subject_name},
          {"country", c.country},
          {"trusted_root", c.trusted_root},
          {"not_before", c.not_before},
          {"not_after", c.not_after},
          {"issuer_key_id", c.issuer_key_id},
          {"added_at", c.added_at},
          {"certificate", cert}};
}

json to_json(const SigningPolicy& p) {
  return {{"org_id", p.org_id},
          {"validators", p.validators},
          {"supervisors", p.supervisors},
          {"follow_up_hours", p.follow_up_hours},
          {"updated_at", p.updated_at.empty() ? json(nullptr) : json(p.updated_at)}};
}

}  // namespace liaison::api
