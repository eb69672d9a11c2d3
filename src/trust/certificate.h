// Compact certificates: who holds a key, vouched for by whose key.
//
// Liaison's hierarchy is deliberately shallow. A root speaks for one country
// and certifies organisations (authorities and providers); an organisation
// certifies its users and the roles they hold. A certificate is its canonical
// JSON signed with Ed25519, so any verifier with the root can check it
// offline, and everything it says (the roles, the organisation, the
// emergency call-back contacts) is covered by the issuer's signature.
//
// JSON: {"liaison_certificate":1,"serial":…,"kind":"root|organisation|user|recipient",
// "subject":{"name":…,"email":…},"public_key":b64url,"key_id":…,
// "organisation":{"country","endpoint_uid","name","kind"},"roles":[…],
// "country":…,"emergency_contacts":[{"kind","value"}],"not_before":…,
// "not_after":…,"issuer":{"key_id","name"},"signature":b64url}
// where "organisation" is absent on roots, "roles" present only on user
// certificates and "emergency_contacts" only (and only if any) on
// organisation certificates.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"
#include "core/time.h"
#include "core/user.h"
#include "trust/keys.h"

namespace liaison::trust {

// A recipient certificate is issued by an organisation for a key that only
// receives: evidence packages are sealed to it (docs/evidence-format.md §3).
// It names the organisation but no person, roles or contacts, and it signs
// nothing, so its holders (an evidence unit) need not hold a signing key.
enum class CertKind { kRoot, kOrganisation, kUser, kRecipient };

const char* cert_kind_name(CertKind kind);
std::optional<CertKind> cert_kind_from_name(std::string_view name);

// An organisation as certificates and requests name it. Its identity is
// country + endpoint_uid, as in ETSI TS 103 120; the name is for people.
struct OrgRef {
  std::string country;       // ISO 3166-1 alpha-2
  std::string endpoint_uid;  // unique within the country
  std::string name;
  OrgKind kind = OrgKind::kAuthority;

  bool operator==(const OrgRef&) const = default;
  // Same country and endpoint uid, whatever the names say.
  bool same_identity(const OrgRef& other) const {
    return country == other.country && endpoint_uid == other.endpoint_uid;
  }
};

// A call-back contact: how a provider confirms an emergency request by calling
// the authority on a number the root vouched for, not one the request gives.
struct Contact {
  std::string kind;   // "phone" (E.164, "+" then 7-15 digits) or "email"
  std::string value;  // in normalised form

  bool operator==(const Contact&) const = default;
};

struct Certificate {
  std::string serial;  // 32 lower-case hex characters, random
  CertKind kind = CertKind::kUser;
  std::string subject_name;                  // person or organisation name
  std::optional<std::string> subject_email;  // user certificates only
  PublicKey public_key;
  std::optional<OrgRef> organisation;  // organisation and user certificates
  Roles roles;                         // user certificates only
  // ISO 3166-1 alpha-2: for a root the country it speaks for, otherwise the
  // organisation's country (which it must equal).
  std::string country;
  std::vector<Contact> emergency_contacts;  // organisation certificates only
  Timestamp not_before, not_after;          // whole seconds; valid from, until (inclusive)
  std::string issuer_key_id;
  std::string issuer_name;
  std::string signature;  // 64 raw bytes

  bool operator==(const Certificate&) const = default;

  std::string key_id() const { return public_key.key_id(); }
  bool valid_at(Timestamp at) const { return not_before <= at && at <= not_after; }
  // Hex SHA-256 of the canonical JSON including the signature: the name of
  // this exact certificate. Empty if it cannot be written canonically.
  std::string fingerprint() const;
};

// The full JSON form, with "signature".
nlohmann::json to_json(const Certificate& cert);

// Strict decoding: unknown or missing fields, wrong types, bad base64, a
// key_id that does not match the key, bad countries or contacts,
// not_after <= not_before, roles outside user certificates, contacts outside
// organisation certificates, and roots that are not self-issued are all
// errors naming the field by path ("certificate/not_after"). `path` prefixes
// the field names; it is "certificate" unless the certificate is nested.
Result<Certificate> certificate_from_json(const nlohmann::json& j,
                                          const std::string& path = "certificate");

// What the issuer signs: "liaison-certificate-v1", a NUL byte, then the
// canonical JSON of to_json() without "signature". Empty if the certificate
// cannot be written canonically (only possible for one built in code with
// invalid UTF-8, which issue_certificate refuses).
std::string certificate_signing_input(const Certificate& cert);

// Validates `unsigned_cert`, fills in a random serial if it has none, rounds
// its validity to whole seconds, sets the issuer fields from `issuer_key` and
// `issuer_name`, and signs. Roots are self-signed: `issuer_key` must be the
// certificate's own key, and the issuer name is the subject name.
Result<Certificate> issue_certificate(Certificate unsigned_cert, const SecretKey& issuer_key,
                                      std::string issuer_name);

// True when `issuer_key` is the key the certificate names as its issuer and
// its signature over certificate_signing_input is valid.
bool certificate_signature_valid(const Certificate& cert, const PublicKey& issuer_key);

// Checks everything about the certificate except its signature and issuer,
// naming fields under `path`. certificate_from_json and issue_certificate
// both apply it.
Status validate_certificate_content(const Certificate& cert,
                                    const std::string& path = "certificate");

// "the user certificate of Jan de Vries (serial 3fa8…)", for failure details.
std::string describe_certificate(const Certificate& cert);

// Checks a call-back contact; `path` names it in errors.
Status validate_contact(const Contact& contact, const std::string& path);

}  // namespace liaison::trust
