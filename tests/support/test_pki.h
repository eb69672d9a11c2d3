// A made-up public-key infrastructure for service tests: a root standing for
// a country's central authority, organisation certificates under it, user
// certificates under those, and signatures over requests, all in-process and
// with times the test chooses. Header-only; needs the trust and service
// libraries.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/request.h"
#include "core/user.h"
#include "service/trust_service.h"
#include "trust/certificate.h"
#include "trust/keys.h"
#include "trust/request_payload.h"
#include "trust/revocation.h"
#include "trust/signed_request.h"

namespace liaison::testing {

template <typename T>
T ok_or_fail(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return std::move(r).value();
}

inline trust::OrgRef ref_of(const Organisation& o) {
  return {o.country, o.endpoint_uid, o.name, o.kind};
}

struct TestIssuer {
  trust::SecretKey key = trust::SecretKey::generate();
  trust::Certificate cert;
};

struct TestSigner {
  trust::SecretKey key = trust::SecretKey::generate();
  trust::Certificate cert;
  trust::Certificate org_cert;
};

inline Roles roles_of(std::initializer_list<Role> list) {
  Roles r;
  for (Role x : list) r.add(x);
  return r;
}

class TestPki {
 public:
  // Validity windows default to a year around `now`.
  explicit TestPki(Timestamp now, std::string country = "BE") : now_(now) {
    root_.cert.kind = trust::CertKind::kRoot;
    root_.cert.subject_name = "Central Authority " + country;
    root_.cert.public_key = root_.key.public_key();
    root_.cert.country = country;
    root_.cert.not_before = at(-365);
    root_.cert.not_after = at(365);
    root_.cert =
        ok_or_fail(trust::issue_certificate(root_.cert, root_.key, root_.cert.subject_name));
  }

  const TestIssuer& root() const { return root_; }

  TestIssuer organisation(const Organisation& o, std::vector<trust::Contact> contacts = {},
                          const TestIssuer* by = nullptr) const {
    const TestIssuer& issuer = by ? *by : root_;
    TestIssuer out;
    out.cert.kind = trust::CertKind::kOrganisation;
    out.cert.subject_name = o.name;
    out.cert.public_key = out.key.public_key();
    out.cert.organisation = ref_of(o);
    out.cert.country = o.country;
    out.cert.emergency_contacts = std::move(contacts);
    out.cert.not_before = at(-100);
    out.cert.not_after = at(300);
    out.cert = ok_or_fail(trust::issue_certificate(out.cert, issuer.key, issuer.cert.subject_name));
    return out;
  }

  // A user certificate for `u`, naming `as_org` (default: the issuer's own
  // organisation), certified `age_days` ago.
  TestSigner user(const TestIssuer& org, const User& u, Roles roles,
                  std::optional<trust::OrgRef> as_org = std::nullopt, double age_days = 30,
                  double valid_days = 300) const {
    TestSigner out;
    out.cert.kind = trust::CertKind::kUser;
    out.cert.subject_name = u.name;
    out.cert.subject_email = u.email;
    out.cert.public_key = out.key.public_key();
    out.cert.organisation = as_org ? *as_org : *org.cert.organisation;
    out.cert.roles = roles;
    out.cert.country = out.cert.organisation->country;
    out.cert.not_before = at(-age_days);
    out.cert.not_after = at(valid_days);
    out.cert = ok_or_fail(trust::issue_certificate(out.cert, org.key, org.cert.subject_name));
    out.org_cert = org.cert;
    return out;
  }

  // A revocation list by `issuer` revoking `serials` at `when`.
  nlohmann::json revocation_list(const TestIssuer& issuer, std::int64_t number,
                                 const std::vector<const trust::Certificate*>& revoked,
                                 Timestamp when) const {
    trust::RevocationList l;
    l.issuer_key_id = issuer.key.public_key().key_id();
    l.issuer_name = issuer.cert.subject_name;
    l.number = number;
    l.issued_at = when;
    for (const auto* c : revoked)
      l.entries.push_back({c->serial, c->key_id(), when, "key_compromise"});
    return trust::to_json(ok_or_fail(trust::sign_revocation_list(l, issuer.key)));
  }

  Timestamp at(double days) const {
    return Timestamp::from_seconds(now_.seconds() + static_cast<std::int64_t>(days * 86400));
  }

 private:
  Timestamp now_;
  TestIssuer root_;
};

// The canonical payload of `r` between `issuer` and `provider`.
inline nlohmann::json payload_of(const Request& r, const Organisation& issuer,
                                 const Organisation& provider, Timestamp issued_at,
                                 const std::optional<trust::Contact>& callback = std::nullopt,
                                 std::string nonce = trust::new_request_nonce()) {
  return trust::request_payload(r, ref_of(issuer), ref_of(provider), nonce,
                                issued_at.floor_seconds(), callback);
}

// The body of POST …/signatures for `signer` signing `payload` as `role`.
inline nlohmann::json signature_body(const nlohmann::json& payload, const TestSigner& signer,
                                     const std::string& role, Timestamp signed_at) {
  trust::RequestSignature sig = trust::sign_request(payload, role, signer.key, signer.cert,
                                                    {signer.org_cert}, signed_at.floor_seconds());
  return {{"payload", payload}, {"signature", trust::to_json(sig)}};
}

// A whole envelope, as an authority's own system sends it.
inline nlohmann::json envelope_of(const nlohmann::json& payload,
                                  const std::vector<std::pair<const TestSigner*, std::string>>& by,
                                  Timestamp signed_at) {
  trust::SignedRequest env;
  env.payload = payload;
  for (const auto& [s, role] : by) {
    env.signatures.push_back(trust::sign_request(payload, role, s->key, s->cert, {s->org_cert},
                                                 signed_at.floor_seconds()));
  }
  return trust::to_json(env);
}

}  // namespace liaison::testing
