// A small, made-up public key infrastructure for the trust tests: a Dutch
// root with a police unit, a prosecutor's office and a mail provider under it,
// a Belgian root with one police unit, people in each, and the police unit's
// evidence desk as a recipient key. Keys come from
// fixed seeds so failures reproduce; every name and number is invented.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/time.h"
#include "trust/certificate.h"
#include "trust/encoding.h"
#include "trust/keys.h"
#include "trust/request_payload.h"
#include "trust/revocation.h"
#include "trust/signed_request.h"
#include "trust/trust_failure.h"
#include "trust/trust_store.h"

namespace liaison::trust::testing {

// 2026-11-02T09:15:00Z, the instant the tests treat as now.
inline const Timestamp kNow = Timestamp::from_seconds(1793610900);
inline constexpr std::int64_t kDay = 86400;

inline Timestamp days_from_now(std::int64_t days) {
  return Timestamp::from_seconds(kNow.seconds() + days * kDay);
}

inline SecretKey key_for(const std::string& name) {
  return SecretKey::from_seed(sha256("liaison test seed: " + name)).value();
}

inline Roles roles_of(std::initializer_list<Role> list) {
  Roles r;
  for (Role x : list) r.add(x);
  return r;
}

// The code of a failed Result.
template <typename T>
std::string code_of(const Result<T>& r) {
  return r.ok() ? std::string("(ok)") : trust_failure_of(r.error()).code;
}

// The codes of a verification report, in order.
inline std::vector<std::string> codes_of(const VerificationReport& report) {
  std::vector<std::string> codes;
  for (const auto& f : report.failures) codes.push_back(f.code);
  return codes;
}

struct Org {
  OrgRef ref;
  SecretKey key;
  Certificate cert;
};

struct Person {
  SecretKey key;
  Certificate cert;
};

class Pki {
 public:
  Pki()
      : nl_root_key(key_for("nl root")),
        be_root_key(key_for("be root")),
        nl_root(make_root(nl_root_key, "Liaison Root Netherlands", "NL")),
        be_root(make_root(be_root_key, "Liaison Root Belgium", "BE")),
        police(make_org({"NL", "NL-POL-EX", "Politie Eenheid Voorbeeld", OrgKind::kAuthority},
                        {{"phone", "+31205550100"}, {"email", "duty@police.example.org"}})),
        prosecutor(
            make_org({"NL", "NL-OM-EX", "Openbaar Ministerie Voorbeeld", OrgKind::kAuthority}, {})),
        provider(make_org({"NL", "NL-EXMAIL", "Example Mail B.V.", OrgKind::kProvider}, {})),
        be_police(make_org({"BE", "BE-POL-EX", "Politie Voorbeeldzone", OrgKind::kAuthority}, {},
                           be_root_key, "Liaison Root Belgium")),
        officer(make_person(police, "Jan de Vries", "jan.devries@police.example.org",
                            roles_of({Role::kOfficer}))),
        supervisor(make_person(police, "Anna Bakker", "anna.bakker@police.example.org",
                               roles_of({Role::kSupervisor}))),
        validator(make_person(prosecutor, "Pieter Jansen", "pieter.jansen@om.example.org",
                              roles_of({Role::kValidator}))),
        second_validator(make_person(prosecutor, "Sanne Visser", "sanne.visser@om.example.org",
                                     roles_of({Role::kValidator}))),
        be_officer(make_person(be_police, "Luc Peeters", "luc.peeters@police.example.org",
                               roles_of({Role::kOfficer, Role::kValidator, Role::kSupervisor}))),
        police_recipient(make_recipient(police, "Evidence desk, Politie Eenheid Voorbeeld")) {
    EXPECT_TRUE(store.add_root(nl_root).ok());
    EXPECT_TRUE(store.add_root(be_root).ok());
    for (const Org* o : {&police, &prosecutor, &provider, &be_police}) {
      EXPECT_TRUE(store.add_certificate(o->cert).ok());
    }
  }

  static Certificate make_root(const SecretKey& key, const std::string& name,
                               const std::string& country) {
    Certificate c;
    c.kind = CertKind::kRoot;
    c.subject_name = name;
    c.public_key = key.public_key();
    c.country = country;
    c.not_before = days_from_now(-365);
    c.not_after = days_from_now(3650);
    return issue_certificate(std::move(c), key, name).value();
  }

  Org make_org(OrgRef ref, std::vector<Contact> contacts) {
    return make_org(std::move(ref), std::move(contacts), nl_root_key, "Liaison Root Netherlands");
  }

  static Org make_org(OrgRef ref, std::vector<Contact> contacts, const SecretKey& root_key,
                      const std::string& root_name) {
    SecretKey key = key_for("org " + ref.endpoint_uid);
    Certificate c;
    c.kind = CertKind::kOrganisation;
    c.subject_name = ref.name;
    c.public_key = key.public_key();
    c.organisation = ref;
    c.country = ref.country;
    c.emergency_contacts = std::move(contacts);
    c.not_before = days_from_now(-90);
    c.not_after = days_from_now(730);
    Certificate cert = issue_certificate(std::move(c), root_key, root_name).value();
    return Org{std::move(ref), std::move(key), std::move(cert)};
  }

  static Certificate user_certificate(const Org& org, const PublicKey& key, const std::string& name,
                                      const std::string& email, Roles roles) {
    Certificate c;
    c.kind = CertKind::kUser;
    c.subject_name = name;
    c.subject_email = email;
    c.public_key = key;
    c.organisation = org.ref;
    c.country = org.ref.country;
    c.roles = roles;
    c.not_before = days_from_now(-30);
    c.not_after = days_from_now(365);
    return c;
  }

  static Certificate recipient_certificate(const Org& org, const PublicKey& key,
                                           const std::string& name) {
    Certificate c;
    c.kind = CertKind::kRecipient;
    c.subject_name = name;
    c.public_key = key;
    c.organisation = org.ref;
    c.country = org.ref.country;
    c.not_before = days_from_now(-30);
    c.not_after = days_from_now(365);
    return c;
  }

  // A recipient key of `org`, certified by it (not added to the store).
  static Person make_recipient(const Org& org, const std::string& name) {
    SecretKey key = key_for("recipient " + name);
    Certificate c = recipient_certificate(org, key.public_key(), name);
    Certificate cert = issue_certificate(std::move(c), org.key, org.ref.name).value();
    return Person{std::move(key), std::move(cert)};
  }

  // `device` tells apart several keys certified for one person.
  static Person make_person(const Org& org, const std::string& name, const std::string& email,
                            Roles roles, const std::string& device = "") {
    SecretKey key = key_for("person " + name + device);
    Certificate c = user_certificate(org, key.public_key(), name, email, roles);
    Certificate cert = issue_certificate(std::move(c), org.key, org.ref.name).value();
    return Person{std::move(key), std::move(cert)};
  }

  // A production request from the police unit to the mail provider.
  Request production_request() const {
    Request r;
    r.id = "01890a5d-ac96-774b-bcce-b302099a8057";
    r.reference = "NL-NL-POL-EX-2026-000042";
    RequestDraft& d = r.draft;
    d.kind = RequestKind::kProduction;
    d.categories = {DataCategory::kSubscriberData, DataCategory::kTrafficData};
    Identifier mail;
    mail.kind = IdentifierKind::kEmail;
    mail.value = "suspect@example.org";
    Identifier ip;
    ip.kind = IdentifierKind::kIpAddress;
    ip.value = "192.0.2.10";
    ip.port = 51234;
    ip.observed_at = "2026-10-30T20:04:05Z";
    d.targets = {mail, ip};
    d.period = Period{"2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z"};
    d.legal_basis = {"Budapest Convention", "Art. 18(1)(b)", "Sv art. 126na"};
    d.case_type = "Cybercrime";
    d.offence_description = "Phishing campaign against customers of a made-up bank";
    d.max_penalty_months = 72;
    d.issuer_reference = "PL0900-2026-1234";
    return r;
  }

  Request emergency_request() const {
    Request r = production_request();
    r.draft.kind = RequestKind::kEmergencyDisclosure;
    r.draft.categories = {DataCategory::kSubscriberData};
    r.draft.emergency_justification =
        "A person has announced a suicide attempt tonight from this account";
    return r;
  }

  nlohmann::json payload(const Request& r, std::optional<Contact> callback = std::nullopt,
                         Timestamp issued_at = days_from_now(0)) const {
    return request_payload(r, police.ref, provider.ref, "AAECAwQFBgcICQoLDA0ODw", issued_at,
                           callback);
  }

  // `p` signs as `role`, presenting their organisation's certificate as the chain.
  static RequestSignature sign_as(const nlohmann::json& payload, const std::string& role,
                                  const Person& p, const Org& org,
                                  Timestamp at = days_from_now(0)) {
    return sign_request(payload, role, p.key, p.cert, {org.cert}, at);
  }

  SecretKey nl_root_key;
  SecretKey be_root_key;
  Certificate nl_root;
  Certificate be_root;
  Org police;
  Org prosecutor;
  Org provider;
  Org be_police;
  Person officer;
  Person supervisor;
  Person validator;
  Person second_validator;
  Person be_officer;
  Person police_recipient;
  TrustStore store;
};

}  // namespace liaison::trust::testing
