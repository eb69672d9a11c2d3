#include "trust/request_payload.h"

#include "core/request_json.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::trust {

using nlohmann::json;

namespace {

json org_identity(const OrgRef& org) {
  return {{"country", org.country}, {"endpoint_uid", org.endpoint_uid}};
}

json optional_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

Status type_is(const json& obj, std::string_view name, const std::string& path,
               std::initializer_list<json::value_t> types, const char* expected) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, fields::require(obj, name, path));
  for (auto t : types) {
    if (v->type() == t) return Ok{};
    // nlohmann keeps non-negative integers as unsigned.
    if (t == json::value_t::number_integer && v->is_number_integer()) return Ok{};
  }
  return fields::bad(fields::join(path, name), std::string("must be ") + expected);
}

Status identity_ok(const json& obj, std::string_view name, const std::string& path,
                   std::string& country, std::string& endpoint_uid) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, fields::require(obj, name, path));
  std::string p = fields::join(path, name);
  LIAISON_TRY(fields::object_with(*v, p, {"country", "endpoint_uid"}));
  LIAISON_ASSIGN_OR_RETURN(country, fields::string(*v, "country", p, 8));
  if (Status s = validate_country(country, p + "/country"); !s.ok()) {
    return fields::bad(p + "/country", s.error().message);
  }
  LIAISON_ASSIGN_OR_RETURN(endpoint_uid, fields::string(*v, "endpoint_uid", p, 64));
  if (Status s = validate_endpoint_uid(endpoint_uid, p + "/endpoint_uid"); !s.ok()) {
    return fields::bad(p + "/endpoint_uid", s.error().message);
  }
  return Ok{};
}

}  // namespace

json request_payload(const Request& r, const OrgRef& issuer, const OrgRef& provider,
                     const std::string& nonce_b64, Timestamp issued_at,
                     const std::optional<Contact>& callback) {
  const RequestDraft& d = r.draft;
  json categories = json::array();
  for (auto c : d.categories) categories.push_back(data_category_name(c));
  json targets = json::array();
  for (const auto& t : d.targets) targets.push_back(encode_identifier(t));
  json emergency = nullptr;
  if (d.kind == RequestKind::kEmergencyDisclosure || d.emergency_justification || callback) {
    emergency = {{"justification", d.emergency_justification.value_or("")},
                 {"callback", callback ? json{{"kind", callback->kind}, {"value", callback->value}}
                                       : json(nullptr)}};
  }
  json payload = {
      {"liaison_request", 1},
      {"request_id", r.id},
      {"kind", request_kind_name(d.kind)},
      {"issuer", org_identity(issuer)},
      {"provider", org_identity(provider)},
      {"categories", std::move(categories)},
      {"targets", std::move(targets)},
      {"legal_basis",
       {{"instrument", d.legal_basis.instrument},
        {"article", d.legal_basis.article},
        {"domestic_reference", d.legal_basis.domestic_reference}}},
      {"period",
       d.period ? json{{"start", d.period->start}, {"end", d.period->end}} : json(nullptr)},
      {"case_type", d.case_type},
      {"offence_description", d.offence_description},
      {"max_penalty_months", d.max_penalty_months ? json(*d.max_penalty_months) : json(nullptr)},
      {"non_disclosure_until", optional_text(d.non_disclosure_until)},
      {"deadline", optional_text(d.deadline)},
      {"emergency", std::move(emergency)},
      {"issuer_reference", d.issuer_reference},
      {"nonce", nonce_b64},
      {"issued_at", format_rfc3339(issued_at)},
  };
  // The route and the offence category the thresholds were judged on are
  // signed once a request has them; a request without a route keeps the
  // payload it always had.
  if (!d.route.empty()) {
    payload["route"] = d.route;
    payload["offence_category"] = d.offence_category;
  }
  return payload;
}

json draft_body_of(const json& payload, const std::string& provider_id) {
  static const char* kCopied[] = {"kind",
                                  "categories",
                                  "targets",
                                  "period",
                                  "legal_basis",
                                  "case_type",
                                  "offence_description",
                                  "max_penalty_months",
                                  "non_disclosure_until",
                                  "deadline",
                                  "issuer_reference",
                                  "route",
                                  "offence_category"};
  json body = json::object();
  for (const char* f : kCopied) {
    auto it = payload.find(f);
    if (it != payload.end() && !it->is_null()) body[f] = *it;
  }
  auto e = payload.find("emergency");
  if (e != payload.end() && e->is_object()) {
    auto j = e->find("justification");
    if (j != e->end() && j->is_string() && !j->get<std::string>().empty())
      body["emergency_justification"] = *j;
  }
  body["provider_id"] = provider_id;
  return body;
}

std::string new_request_nonce() { return base64url_encode(random_bytes(16)); }

std::string payload_digest(const json& payload) {
  auto canonical = canonical_json(payload);
  return canonical.ok() ? sha256(*canonical) : std::string();
}

Result<PayloadSummary> read_request_payload(const json& payload) {
  using T = json::value_t;
  const std::string path = "payload";
  LIAISON_TRY(fields::object_with(payload, path,
                                  {"liaison_request",
                                   "request_id",
                                   "kind",
                                   "issuer",
                                   "provider",
                                   "categories",
                                   "targets",
                                   "legal_basis",
                                   "period",
                                   "case_type",
                                   "offence_description",
                                   "max_penalty_months",
                                   "non_disclosure_until",
                                   "deadline",
                                   "emergency",
                                   "issuer_reference",
                                   "nonce",
                                   "issued_at",
                                   "route",
                                   "offence_category"}));
  LIAISON_TRY(fields::version(payload, "liaison_request", path));
  PayloadSummary s;
  LIAISON_ASSIGN_OR_RETURN(s.request_id, fields::string(payload, "request_id", path, 64));
  LIAISON_ASSIGN_OR_RETURN(s.kind, fields::string(payload, "kind", path, 64));
  auto kind = request_kind_from_name(s.kind);
  if (!kind) {
    return fields::bad(
        path + "/kind",
        "must be one of preservation, production, emergency_disclosure, domain_registration");
  }
  LIAISON_TRY(identity_ok(payload, "issuer", path, s.issuer_country, s.issuer_endpoint_uid));
  LIAISON_TRY(identity_ok(payload, "provider", path, s.provider_country, s.provider_endpoint_uid));
  LIAISON_TRY(type_is(payload, "categories", path, {T::array}, "an array"));
  LIAISON_TRY(type_is(payload, "targets", path, {T::array}, "an array"));
  LIAISON_TRY(type_is(payload, "legal_basis", path, {T::object}, "an object"));
  LIAISON_TRY(type_is(payload, "period", path, {T::object, T::null}, "an object or null"));
  LIAISON_TRY(type_is(payload, "case_type", path, {T::string}, "a string"));
  LIAISON_TRY(type_is(payload, "offence_description", path, {T::string}, "a string"));
  LIAISON_TRY(type_is(payload, "max_penalty_months", path, {T::number_integer, T::null},
                      "an integer or null"));
  LIAISON_TRY(
      type_is(payload, "non_disclosure_until", path, {T::string, T::null}, "a string or null"));
  LIAISON_TRY(type_is(payload, "deadline", path, {T::string, T::null}, "a string or null"));
  LIAISON_TRY(type_is(payload, "issuer_reference", path, {T::string}, "a string"));
  for (const char* optional : {"route", "offence_category"}) {
    auto it = payload.find(optional);
    if (it != payload.end() && !it->is_string()) {
      return fields::bad(path + "/" + optional, "must be a string");
    }
  }
  LIAISON_ASSIGN_OR_RETURN(std::string nonce, fields::string(payload, "nonce", path, 128));
  if (!base64url_decode(nonce, path + "/nonce").ok() || nonce.size() < 22) {
    return fields::bad(path + "/nonce", "must be at least 16 bytes in base64url");
  }
  s.nonce = std::move(nonce);
  LIAISON_ASSIGN_OR_RETURN(s.issued_at, fields::timestamp(payload, "issued_at", path));

  LIAISON_ASSIGN_OR_RETURN(const json* emergency, fields::require(payload, "emergency", path));
  s.emergency = !emergency->is_null() || *kind == RequestKind::kEmergencyDisclosure;
  if (!emergency->is_null()) {
    const std::string epath = path + "/emergency";
    LIAISON_TRY(fields::object_with(*emergency, epath, {"justification", "callback"}));
    LIAISON_ASSIGN_OR_RETURN(const json* just, fields::require(*emergency, "justification", epath));
    if (!just->is_string()) return fields::bad(epath + "/justification", "must be a string");
    s.emergency_justification = just->get<std::string>();
    LIAISON_ASSIGN_OR_RETURN(const json* cb, fields::require(*emergency, "callback", epath));
    if (!cb->is_null()) {
      const std::string cpath = epath + "/callback";
      LIAISON_TRY(fields::object_with(*cb, cpath, {"kind", "value"}));
      Contact c;
      LIAISON_ASSIGN_OR_RETURN(c.kind, fields::string(*cb, "kind", cpath, 16));
      LIAISON_ASSIGN_OR_RETURN(c.value, fields::string(*cb, "value", cpath, 254));
      s.callback = std::move(c);
    }
  }
  return s;
}

}  // namespace liaison::trust
