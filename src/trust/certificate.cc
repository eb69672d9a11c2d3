#include "trust/certificate.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/identifier.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::trust {

using nlohmann::json;

namespace {

constexpr std::string_view kSigningContext = "liaison-certificate-v1";
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxContacts = 16;

constexpr Role kAllRoles[] = {Role::kOfficer, Role::kValidator, Role::kSupervisor, Role::kAnalyst,
                              Role::kCounsel, Role::kOrgAdmin,  Role::kAuditor};

constexpr std::array<std::pair<CertKind, const char*>, 4> kKindNames = {{
    {CertKind::kRoot, "root"},
    {CertKind::kOrganisation, "organisation"},
    {CertKind::kUser, "user"},
    {CertKind::kRecipient, "recipient"},
}};

// True for C0 and C1 controls and for the bidirectional embeddings,
// overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a name
// display as another.
bool disguising_character_at(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  if (b(i) < 0x20 || b(i) == 0x7f) return true;
  if (b(i) == 0xc2 && b(i + 1) >= 0x80 && b(i + 1) <= 0x9f) return true;
  if (b(i) == 0xe2 && b(i + 1) == 0x80 && b(i + 2) >= 0xaa && b(i + 2) <= 0xae) return true;
  return b(i) == 0xe2 && b(i + 1) == 0x81 && b(i + 2) >= 0xa6 && b(i + 2) <= 0xa9;
}

// Names are shown to people deciding whether to trust a request, so they are
// valid UTF-8 without characters that could disguise them.
Status text_ok(std::string_view s, const std::string& path) {
  if (s.empty()) return fields::bad(path, "must not be empty");
  if (s.size() > kMaxName) {
    return fields::bad(path, "is longer than " + std::to_string(kMaxName) + " bytes");
  }
  if (!valid_utf8(s)) return fields::bad(path, "is not valid UTF-8");
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (disguising_character_at(s, i)) {
      return fields::bad(path, "contains control or text-direction characters");
    }
  }
  return Ok{};
}

Status org_ok(const OrgRef& org, const std::string& path) {
  if (Status s = validate_country(org.country, fields::join(path, "country")); !s.ok()) {
    return fields::bad(fields::join(path, "country"), s.error().message);
  }
  if (Status s = validate_endpoint_uid(org.endpoint_uid, fields::join(path, "endpoint_uid"));
      !s.ok()) {
    return fields::bad(fields::join(path, "endpoint_uid"), s.error().message);
  }
  return text_ok(org.name, fields::join(path, "name"));
}

json org_json(const OrgRef& org) {
  return {{"country", org.country},
          {"endpoint_uid", org.endpoint_uid},
          {"name", org.name},
          {"kind", org_kind_name(org.kind)}};
}

Result<OrgRef> org_from_json(const json& j, const std::string& path) {
  LIAISON_TRY(fields::object_with(j, path, {"country", "endpoint_uid", "name", "kind"}));
  OrgRef org;
  LIAISON_ASSIGN_OR_RETURN(org.country, fields::string(j, "country", path, 8));
  LIAISON_ASSIGN_OR_RETURN(org.endpoint_uid, fields::string(j, "endpoint_uid", path, 64));
  LIAISON_ASSIGN_OR_RETURN(org.name, fields::string(j, "name", path, kMaxName));
  LIAISON_ASSIGN_OR_RETURN(std::string kind, fields::string(j, "kind", path, 64));
  auto k = org_kind_from_name(kind);
  if (!k) {
    return fields::bad(fields::join(path, "kind"),
                       "must be authority, provider or central_authority");
  }
  org.kind = *k;
  return org;
}

Result<std::string> signing_input(const Certificate& cert) {
  json j = to_json(cert);
  j.erase("signature");
  LIAISON_ASSIGN_OR_RETURN(std::string canonical, canonical_json(j));
  std::string out;
  out.reserve(kSigningContext.size() + 1 + canonical.size());
  out += kSigningContext;
  out += '\0';
  out += canonical;
  return out;
}

// The issuer fields, which only a signed certificate has.
Status issuer_ok(const Certificate& cert, const std::string& path) {
  if (!is_lower_hex(cert.issuer_key_id, 32)) {
    return fields::bad(path + "/issuer/key_id", "must be 32 lower-case hex characters");
  }
  LIAISON_TRY(text_ok(cert.issuer_name, path + "/issuer/name"));
  if (cert.kind == CertKind::kRoot) {
    if (cert.issuer_key_id != cert.key_id()) {
      return fields::bad(path + "/issuer/key_id",
                         "a root certificate is self-signed: its issuer is its own key");
    }
    if (cert.issuer_name != cert.subject_name) {
      return fields::bad(path + "/issuer/name",
                         "a root certificate is self-signed: its issuer is its subject");
    }
  } else if (cert.issuer_key_id == cert.key_id()) {
    return fields::bad(path + "/issuer/key_id",
                       "only root certificates are self-signed; this one needs an issuer");
  }
  return Ok{};
}

}  // namespace

const char* cert_kind_name(CertKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<CertKind> cert_kind_from_name(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (name == n) return k;
  }
  return std::nullopt;
}

Status validate_contact(const Contact& contact, const std::string& path) {
  const std::string value_path = fields::join(path, "value");
  if (contact.kind == "phone") {
    const std::string& v = contact.value;
    bool e164 = v.size() >= 8 && v.size() <= 16 && v[0] == '+' && v[1] != '0' &&
                std::all_of(v.begin() + 1, v.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (!e164) {
      return fields::bad(value_path,
                         "a phone contact is E.164: '+' then 7 to 15 digits, such as +31205550100");
    }
  } else if (contact.kind == "email") {
    auto normal = normalise_email(contact.value, value_path);
    if (!normal.ok()) return fields::bad(value_path, normal.error().message);
    if (*normal != contact.value) {
      return fields::bad(value_path, "must be written in normalised form: " + *normal);
    }
  } else {
    return fields::bad(fields::join(path, "kind"), "must be phone or email");
  }
  return Ok{};
}

Status validate_certificate_content(const Certificate& cert, const std::string& path) {
  const auto at = [&](std::string_view name) { return fields::join(path, name); };
  if (!is_lower_hex(cert.serial, 32)) {
    return fields::bad(at("serial"), "must be 32 lower-case hex characters");
  }
  LIAISON_TRY(text_ok(cert.subject_name, at("subject/name")));
  if (cert.subject_email) {
    if (cert.kind != CertKind::kUser) {
      return fields::bad(at("subject/email"), "only user certificates name an e-mail address");
    }
    auto normal = normalise_email(*cert.subject_email, at("subject/email"));
    if (!normal.ok()) return fields::bad(at("subject/email"), normal.error().message);
    if (*normal != *cert.subject_email) {
      return fields::bad(at("subject/email"), "must be written in normalised form: " + *normal);
    }
  }
  if (cert.public_key.bytes.size() != kPublicKeyBytes) {
    return fields::bad(at("public_key"), "must be 32 bytes");
  }
  if (Status s = validate_country(cert.country, at("country")); !s.ok()) {
    return fields::bad(at("country"), s.error().message);
  }
  if (cert.kind == CertKind::kRoot) {
    if (cert.organisation) {
      return fields::bad(at("organisation"), "a root certificate names no organisation");
    }
  } else {
    if (!cert.organisation) {
      return fields::bad(at("organisation"), std::string("is required on ") +
                                                 cert_kind_name(cert.kind) + " certificates");
    }
    LIAISON_TRY(org_ok(*cert.organisation, at("organisation")));
    if (cert.organisation->country != cert.country) {
      return fields::bad(at("country"), "must equal organisation/country");
    }
  }
  if (cert.kind == CertKind::kUser) {
    if (cert.roles.empty()) return fields::bad(at("roles"), "a user certificate names its roles");
    for (Role r : kAllRoles) {
      if (cert.roles.has(r) && !role_allowed_for(r, cert.organisation->kind)) {
        return fields::bad(at("roles"), std::string("an organisation of kind ") +
                                            org_kind_name(cert.organisation->kind) +
                                            " cannot hand out the role " + role_name(r));
      }
    }
  } else if (!cert.roles.empty()) {
    return fields::bad(at("roles"), "only user certificates carry roles");
  }
  if (cert.kind != CertKind::kOrganisation && !cert.emergency_contacts.empty()) {
    return fields::bad(at("emergency_contacts"),
                       "only organisation certificates carry emergency contacts");
  }
  if (cert.emergency_contacts.size() > kMaxContacts) {
    return fields::bad(at("emergency_contacts"),
                       "at most " + std::to_string(kMaxContacts) + " contacts");
  }
  for (std::size_t i = 0; i < cert.emergency_contacts.size(); ++i) {
    LIAISON_TRY(validate_contact(cert.emergency_contacts[i],
                                 at("emergency_contacts/" + std::to_string(i))));
    for (std::size_t k = 0; k < i; ++k) {
      if (cert.emergency_contacts[k] == cert.emergency_contacts[i]) {
        return fields::bad(at("emergency_contacts/" + std::to_string(i)),
                           "duplicates an earlier contact");
      }
    }
  }
  if (cert.not_before != cert.not_before.floor_seconds()) {
    return fields::bad(at("not_before"), "must be whole seconds");
  }
  if (cert.not_after != cert.not_after.floor_seconds()) {
    return fields::bad(at("not_after"), "must be whole seconds");
  }
  if (cert.not_after <= cert.not_before) {
    return fields::bad(at("not_after"), "must be after not_before");
  }
  return Ok{};
}

std::string describe_certificate(const Certificate& c) {
  return std::string("the ") + cert_kind_name(c.kind) + " certificate of " + c.subject_name +
         " (serial " + c.serial + ")";
}

std::string Certificate::fingerprint() const {
  auto canonical = canonical_json(to_json(*this));
  return canonical.ok() ? hex_encode(sha256(*canonical)) : std::string();
}

json to_json(const Certificate& cert) {
  json subject = {{"name", cert.subject_name}};
  if (cert.subject_email) subject["email"] = *cert.subject_email;
  json j = {{"liaison_certificate", 1},
            {"serial", cert.serial},
            {"kind", cert_kind_name(cert.kind)},
            {"subject", std::move(subject)},
            {"public_key", cert.public_key.encoded()},
            {"key_id", cert.key_id()},
            {"country", cert.country},
            {"not_before", format_rfc3339(cert.not_before)},
            {"not_after", format_rfc3339(cert.not_after)},
            {"issuer", {{"key_id", cert.issuer_key_id}, {"name", cert.issuer_name}}},
            {"signature", base64url_encode(cert.signature)}};
  if (cert.organisation) j["organisation"] = org_json(*cert.organisation);
  if (!cert.roles.empty()) {
    json roles = json::array();
    for (Role r : kAllRoles) {
      if (cert.roles.has(r)) roles.push_back(role_name(r));
    }
    j["roles"] = std::move(roles);
  }
  if (!cert.emergency_contacts.empty()) {
    json contacts = json::array();
    for (const auto& c : cert.emergency_contacts) {
      contacts.push_back({{"kind", c.kind}, {"value", c.value}});
    }
    j["emergency_contacts"] = std::move(contacts);
  }
  return j;
}

Result<Certificate> certificate_from_json(const json& j, const std::string& path) {
  const auto at = [&](std::string_view name) { return fields::join(path, name); };
  LIAISON_TRY(
      fields::object_with(j, path,
                          {"liaison_certificate", "serial", "kind", "subject", "public_key",
                           "key_id", "organisation", "roles", "country", "emergency_contacts",
                           "not_before", "not_after", "issuer", "signature"}));
  LIAISON_TRY(fields::version(j, "liaison_certificate", path));
  Certificate cert;
  LIAISON_ASSIGN_OR_RETURN(cert.serial, fields::string(j, "serial", path, 64));
  LIAISON_ASSIGN_OR_RETURN(std::string kind, fields::string(j, "kind", path, 64));
  auto k = cert_kind_from_name(kind);
  if (!k) return fields::bad(at("kind"), "must be root, organisation or user");
  cert.kind = *k;

  LIAISON_ASSIGN_OR_RETURN(const json* subject, fields::require(j, "subject", path));
  LIAISON_TRY(fields::object_with(*subject, at("subject"), {"name", "email"}));
  LIAISON_ASSIGN_OR_RETURN(cert.subject_name,
                           fields::string(*subject, "name", at("subject"), kMaxName));
  LIAISON_ASSIGN_OR_RETURN(cert.subject_email,
                           fields::optional_string(*subject, "email", at("subject"), 254));

  LIAISON_ASSIGN_OR_RETURN(std::string pub,
                           fields::base64url(j, "public_key", path, kPublicKeyBytes));
  cert.public_key = PublicKey{std::move(pub)};
  LIAISON_ASSIGN_OR_RETURN(std::string key_id, fields::string(j, "key_id", path, 64));
  if (key_id != cert.key_id()) {
    return fields::bad(at("key_id"), "does not match public_key (expected " + cert.key_id() + ")");
  }

  if (const json* org = fields::find(j, "organisation")) {
    LIAISON_ASSIGN_OR_RETURN(cert.organisation, org_from_json(*org, at("organisation")));
  }
  if (const json* roles = fields::find(j, "roles")) {
    if (cert.kind != CertKind::kUser) {
      return fields::bad(at("roles"), "only user certificates carry roles");
    }
    if (!roles->is_array() || roles->empty()) {
      return fields::bad(at("roles"), "must be a non-empty array of role names");
    }
    for (std::size_t i = 0; i < roles->size(); ++i) {
      const json& r = (*roles)[i];
      auto role = r.is_string() ? role_from_name(r.get<std::string>()) : std::nullopt;
      std::string rpath = at("roles/" + std::to_string(i));
      if (!role) {
        return fields::bad(rpath,
                           "must be one of officer, validator, supervisor, analyst, counsel, "
                           "org_admin, auditor");
      }
      if (cert.roles.has(*role)) return fields::bad(rpath, "is listed twice");
      cert.roles.add(*role);
    }
  }
  LIAISON_ASSIGN_OR_RETURN(cert.country, fields::string(j, "country", path, 8));
  if (const json* contacts = fields::find(j, "emergency_contacts")) {
    if (cert.kind != CertKind::kOrganisation) {
      return fields::bad(at("emergency_contacts"),
                         "only organisation certificates carry emergency contacts");
    }
    if (!contacts->is_array() || contacts->empty()) {
      return fields::bad(at("emergency_contacts"),
                         "must be a non-empty array (leave it out when there are none)");
    }
    if (contacts->size() > kMaxContacts) {
      return fields::bad(at("emergency_contacts"),
                         "at most " + std::to_string(kMaxContacts) + " contacts");
    }
    for (std::size_t i = 0; i < contacts->size(); ++i) {
      std::string cpath = at("emergency_contacts/" + std::to_string(i));
      const json& c = (*contacts)[i];
      LIAISON_TRY(fields::object_with(c, cpath, {"kind", "value"}));
      Contact contact;
      LIAISON_ASSIGN_OR_RETURN(contact.kind, fields::string(c, "kind", cpath, 16));
      LIAISON_ASSIGN_OR_RETURN(contact.value, fields::string(c, "value", cpath, 254));
      cert.emergency_contacts.push_back(std::move(contact));
    }
  }
  LIAISON_ASSIGN_OR_RETURN(cert.not_before, fields::timestamp(j, "not_before", path));
  LIAISON_ASSIGN_OR_RETURN(cert.not_after, fields::timestamp(j, "not_after", path));

  LIAISON_ASSIGN_OR_RETURN(const json* issuer, fields::require(j, "issuer", path));
  LIAISON_TRY(fields::object_with(*issuer, at("issuer"), {"key_id", "name"}));
  LIAISON_ASSIGN_OR_RETURN(cert.issuer_key_id, fields::string(*issuer, "key_id", at("issuer"), 64));
  LIAISON_ASSIGN_OR_RETURN(cert.issuer_name,
                           fields::string(*issuer, "name", at("issuer"), kMaxName));
  LIAISON_ASSIGN_OR_RETURN(cert.signature,
                           fields::base64url(j, "signature", path, kSignatureBytes));

  LIAISON_TRY(validate_certificate_content(cert, path));
  LIAISON_TRY(issuer_ok(cert, path));
  return cert;
}

std::string certificate_signing_input(const Certificate& cert) {
  auto input = signing_input(cert);
  return input.ok() ? std::move(input).value() : std::string();
}

Result<Certificate> issue_certificate(Certificate cert, const SecretKey& issuer_key,
                                      std::string issuer_name) {
  if (cert.serial.empty()) cert.serial = hex_encode(random_bytes(16));
  cert.not_before = cert.not_before.floor_seconds();
  cert.not_after = cert.not_after.floor_seconds();
  PublicKey issuer_pub = issuer_key.public_key();
  if (cert.kind == CertKind::kRoot) {
    if (!(issuer_pub == cert.public_key)) {
      return Error::invalid("issuer_key", "a root certificate is signed with its own key");
    }
    if (!issuer_name.empty() && issuer_name != cert.subject_name) {
      return Error::invalid("issuer_name", "a root certificate's issuer is its subject");
    }
    issuer_name = cert.subject_name;
  }
  cert.issuer_key_id = issuer_pub.key_id();
  cert.issuer_name = std::move(issuer_name);
  LIAISON_TRY(validate_certificate_content(cert));
  LIAISON_TRY(issuer_ok(cert, "certificate"));
  LIAISON_ASSIGN_OR_RETURN(std::string input, signing_input(cert));
  cert.signature = issuer_key.sign(input);
  return cert;
}

bool certificate_signature_valid(const Certificate& cert, const PublicKey& issuer_key) {
  if (issuer_key.key_id() != cert.issuer_key_id) return false;
  auto input = signing_input(cert);
  return input.ok() && verify_signature(issuer_key, *input, cert.signature);
}

}  // namespace liaison::trust
