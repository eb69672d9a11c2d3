#include "trust/signed_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pki_fixture.h"
#include "trust/encoding.h"
#include "trust/request_payload.h"

namespace liaison::trust {
namespace {

using nlohmann::json;
using testing::codes_of;
using ::testing::Contains;
using testing::days_from_now;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kNow;
using ::testing::Not;
using testing::Org;
using testing::Person;
using testing::Pki;
using testing::roles_of;

Timestamp plus_seconds(Timestamp t, std::int64_t s) {
  return Timestamp{t.unix_micros + s * 1'000'000};
}

class SignedRequestTest : public ::testing::Test {
 protected:
  Pki pki;
  json payload = pki.payload(pki.production_request());
  const Contact duty_phone{"phone", "+31205550100"};

  RequestSignature sign(const Person& p, const Org& org, const std::string& role, const json& what,
                        Timestamp at = kNow) {
    return Pki::sign_as(what, role, p, org, at);
  }
  RequestSignature sign(const Person& p, const Org& org, const std::string& role) {
    return sign(p, org, role, payload);
  }
  SignedRequest officer_only() { return {payload, {sign(pki.officer, pki.police, "officer")}}; }

  VerificationReport verify(const SignedRequest& r, SignaturePolicy policy = {},
                            Timestamp received = plus_seconds(kNow, 60)) {
    return verify_signed_request(pki.store, r, policy, received);
  }

  // The detail of the first failure with `code`.
  static std::string detail(const VerificationReport& r, const std::string& code) {
    for (const auto& f : r.failures) {
      if (f.code == code) return f.detail;
    }
    return "(no " + code + ")";
  }

  Person person(const Org& org, const std::string& name, Roles roles) {
    return Pki::make_person(org, name, "someone@example.org", roles);
  }

  // An emergency request, signed by the officer and the police supervisor.
  SignedRequest emergency(std::optional<Contact> callback, const Request& r) {
    json p = pki.payload(r, callback);
    return {p,
            {sign(pki.officer, pki.police, "officer", p),
             sign(pki.supervisor, pki.police, "supervisor", p)}};
  }
  SignedRequest emergency(std::optional<Contact> callback) {
    return emergency(callback, pki.emergency_request());
  }
};

TEST_F(SignedRequestTest, AnOfficerAloneSuffices) {
  VerificationReport r = verify(officer_only());
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.failures.empty()) << r.failures[0].detail;
  EXPECT_EQ(r.digest_hex, hex_encode(payload_digest(payload)));
  EXPECT_EQ(r.nonce, "AAECAwQFBgcICQoLDA0ODw");
  EXPECT_EQ(r.request_id, "01890a5d-ac96-774b-bcce-b302099a8057");
  ASSERT_EQ(r.signers.size(), 1u);
  const SignerReport& s = r.signers[0];
  EXPECT_TRUE(s.valid);
  EXPECT_EQ(s.role, "officer");
  EXPECT_EQ(s.name, "Jan de Vries");
  EXPECT_EQ(s.email, "jan.devries@police.example.org");
  EXPECT_EQ(s.key_id, pki.officer.cert.key_id());
  EXPECT_EQ(s.organisation, pki.police.ref);
  EXPECT_EQ(s.certificate_serial, pki.officer.cert.serial);
  EXPECT_EQ(s.signed_at, kNow);
  EXPECT_FALSE(s.revoked_later_at);
}

TEST_F(SignedRequestTest, SignedBytesAreDomainSeparated) {
  std::string digest = payload_digest(payload);
  EXPECT_EQ(request_signing_input("officer", kNow, digest),
            std::string("liaison-request-signature-v1") + '\0' + "officer" + '\0' +
                "2026-11-02T09:15:00Z" + '\0' + digest);
  RequestSignature s = sign(pki.officer, pki.police, "officer");
  EXPECT_TRUE(verify_signature(pki.officer.cert.public_key,
                               request_signing_input("officer", kNow, digest), s.signature));
}

TEST_F(SignedRequestTest, RoundTripsThroughJson) {
  SignedRequest req{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(pki.validator, pki.prosecutor, "validator")}};
  json j = to_json(req);
  auto back = signed_request_from_json(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_json(*back), j);
  EXPECT_TRUE(verify(*back, {1, 0}).ok);
}

TEST_F(SignedRequestTest, DecodingIsStrict) {
  json good = to_json(officer_only());
  auto field_of = [](const json& j) {
    auto r = signed_request_from_json(j);
    return r.ok() ? std::string("(ok)") : r.error().issues.at(0).field;
  };
  json j = good;
  j["comment"] = "x";
  EXPECT_EQ(field_of(j), "comment");
  j = good;
  j["signatures"][0]["comment"] = "x";
  EXPECT_EQ(field_of(j), "signatures/0/comment");
  j = good;
  j["signatures"][0]["role"] = "judge";
  EXPECT_EQ(field_of(j), "signatures/0/role");
  j = good;
  j["signatures"] = json::array();
  EXPECT_EQ(field_of(j), "signatures");
  j = good;
  j["payload"] = "text";
  EXPECT_EQ(field_of(j), "payload");
  j = good;
  j["signatures"][0]["certificate"].erase("serial");
  EXPECT_EQ(field_of(j), "signatures/0/certificate/serial");
  j = good;
  j["signatures"][0]["chain"][0]["kind"] = "ministry";
  EXPECT_EQ(field_of(j), "signatures/0/chain/0/kind");
  j = good;
  for (int i = 0; i < 4; ++i) j["signatures"][0]["chain"].push_back(j["signatures"][0]["chain"][0]);
  EXPECT_EQ(field_of(j), "signatures/0/chain");
  j = good;
  j["signatures"][0]["signature"] = "AAAA";
  EXPECT_EQ(field_of(j), "signatures/0/signature");
  j = good;
  j["signatures"][0]["signed_at"] = "2026-11-02T10:15:00+01:00";
  EXPECT_EQ(field_of(j), "signatures/0/signed_at");
  j = good;
  j["liaison_signed_request"] = 2;
  EXPECT_EQ(field_of(j), "liaison_signed_request");
}

TEST_F(SignedRequestTest, MalformedPayload) {
  SignedRequest req = officer_only();
  req.payload.erase("nonce");
  VerificationReport r = verify(req);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(codes_of(r), ElementsAre("malformed"));
  EXPECT_THAT(detail(r, "malformed"), HasSubstr("payload/nonce"));
}

TEST_F(SignedRequestTest, PayloadWithoutCanonicalFormIsMalformed) {
  SignedRequest req = officer_only();
  req.payload["max_penalty_months"] = std::int64_t{1} << 60;
  EXPECT_THAT(codes_of(verify(req)), ElementsAre("malformed"));
}

TEST_F(SignedRequestTest, OfficerSignatureMissing) {
  SignedRequest req{payload, {sign(pki.validator, pki.prosecutor, "validator")}};
  VerificationReport r = verify(req);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(codes_of(r), Contains("officer_signature_missing"));
}

TEST_F(SignedRequestTest, TwoOfficersAreOneTooMany) {
  Person other = person(pki.police, "Kees Smit", roles_of({Role::kOfficer}));
  SignedRequest req{payload,
                    {sign(pki.officer, pki.police, "officer"), sign(other, pki.police, "officer")}};
  EXPECT_THAT(codes_of(verify(req)), ElementsAre("officer_signature_missing"));
}

// What a request altered after signing produces.
TEST_F(SignedRequestTest, AlteredAfterSigning) {
  SignedRequest req = officer_only();
  req.payload["targets"][0]["value"] = "victim@example.org";
  VerificationReport r = verify(req);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(codes_of(r), ElementsAre("signature_invalid"));
  EXPECT_THAT(detail(r, "signature_invalid"),
              HasSubstr("the request's content does not match what Jan de Vries signed"));
  EXPECT_THAT(detail(r, "signature_invalid"), HasSubstr(pki.officer.cert.serial));
  EXPECT_FALSE(r.signers[0].valid);
  EXPECT_THAT(r.signers[0].failures, ElementsAre("signature_invalid"));
}

TEST_F(SignedRequestTest, SignedTimeOrRoleChangedAfterSigning) {
  SignedRequest req = officer_only();
  req.signatures[0].signed_at = plus_seconds(kNow, 1);
  EXPECT_THAT(codes_of(verify(req)), ElementsAre("signature_invalid"));

  Person both = person(pki.police, "Kees Smit", roles_of({Role::kOfficer, Role::kSupervisor}));
  req = {payload, {sign(pki.officer, pki.police, "officer"), sign(both, pki.police, "officer")}};
  req.signatures[1].role = "supervisor";
  EXPECT_THAT(codes_of(verify(req, {0, 1})), Contains("signature_invalid"));
}

TEST_F(SignedRequestTest, SignatureByAnotherKeyThanTheCertificates) {
  SignedRequest req = officer_only();
  req.signatures[0].signature =
      pki.supervisor.key.sign(request_signing_input("officer", kNow, payload_digest(payload)));
  EXPECT_THAT(codes_of(verify(req)), ElementsAre("signature_invalid"));
}

TEST_F(SignedRequestTest, ChainFailuresCarryTheirCodeAndNameTheSigner) {
  Certificate c =
      Pki::user_certificate(pki.police, pki.officer.key.public_key(), "Jan de Vries",
                            "jan.devries@police.example.org", roles_of({Role::kOfficer}));
  c.not_before = days_from_now(-400);
  c.not_after = days_from_now(-1);
  Person expired{testing::key_for("person Jan de Vries"),
                 issue_certificate(c, pki.police.key, pki.police.ref.name).value()};
  VerificationReport r = verify({payload, {sign(expired, pki.police, "officer")}});
  EXPECT_THAT(codes_of(r), ElementsAre("certificate_expired"));
  EXPECT_THAT(detail(r, "certificate_expired"), HasSubstr("officer Jan de Vries"));
}

TEST_F(SignedRequestTest, ARecipientKeyCannotSign) {
  // The evidence desk's key signs a request as officer: it is certified to
  // receive sealed packages, not to sign, whatever the signature says.
  RequestSignature s = sign_request(payload, "officer", pki.police_recipient.key,
                                    pki.police_recipient.cert, {pki.police.cert}, kNow);
  VerificationReport r = verify({payload, {s}});
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(codes_of(r), Contains("chain_invalid"));
  EXPECT_THAT(detail(r, "chain_invalid"), HasSubstr("never sign"));
}

TEST_F(SignedRequestTest, SignerFromAnUntrustedHierarchy) {
  SecretKey rogue_root = testing::key_for("rogue root");
  Org rogue = Pki::make_org({"NL", "NL-POL-EX", "Politie Eenheid Voorbeeld", OrgKind::kAuthority},
                            {}, rogue_root, "Rogue Root");
  Person impostor = Pki::make_person(rogue, "Jan de Vries", "jan.devries@police.example.org",
                                     roles_of({Role::kOfficer}));
  EXPECT_THAT(codes_of(verify({payload, {sign(impostor, rogue, "officer")}})),
              ElementsAre("chain_untrusted"));
}

TEST_F(SignedRequestTest, KeyRevokedBeforeSigning) {
  RevocationList l;
  l.issuer_name = "Politie Eenheid Voorbeeld";
  l.number = 1;
  l.issued_at = days_from_now(-1);
  l.entries.push_back(
      {pki.officer.cert.serial, pki.officer.cert.key_id(), days_from_now(-1), "key_compromise"});
  ASSERT_TRUE(pki.store.add_revocation_list(sign_revocation_list(l, pki.police.key).value()).ok());
  EXPECT_THAT(codes_of(verify(officer_only())), ElementsAre("key_revoked"));
}

// A key revoked on Wednesday does not undo what it signed on Monday.
TEST_F(SignedRequestTest, KeyRevokedAfterSigningStillVerifies) {
  RevocationList l;
  l.issuer_name = "Politie Eenheid Voorbeeld";
  l.number = 1;
  l.issued_at = days_from_now(1);
  l.entries.push_back(
      {pki.officer.cert.serial, pki.officer.cert.key_id(), days_from_now(1), "superseded"});
  ASSERT_TRUE(pki.store.add_revocation_list(sign_revocation_list(l, pki.police.key).value()).ok());
  VerificationReport r = verify(officer_only(), {}, days_from_now(2));
  EXPECT_TRUE(r.ok) << r.failures[0].detail;
  ASSERT_TRUE(r.signers[0].revoked_later_at);
  EXPECT_EQ(*r.signers[0].revoked_later_at, days_from_now(1));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_THAT(r.notes[0], HasSubstr("the signature stands"));
}

TEST_F(SignedRequestTest, RoleNotCertified) {
  VerificationReport r = verify({payload, {sign(pki.supervisor, pki.police, "officer")}});
  EXPECT_THAT(codes_of(r), ElementsAre("role_not_certified"));
  EXPECT_THAT(detail(r, "role_not_certified"), HasSubstr("certifies only supervisor"));
}

TEST_F(SignedRequestTest, IssuerMismatch) {
  json p = request_payload(pki.production_request(), pki.prosecutor.ref, pki.provider.ref,
                           "AAECAwQFBgcICQoLDA0ODw", kNow, std::nullopt);
  VerificationReport r = verify({p, {sign(pki.officer, pki.police, "officer", p)}});
  EXPECT_THAT(codes_of(r), ElementsAre("issuer_mismatch"));
  EXPECT_THAT(detail(r, "issuer_mismatch"), HasSubstr("NL/NL-OM-EX"));
}

TEST_F(SignedRequestTest, ValidatorFromAnotherAuthorityOfTheSameCountry) {
  SignedRequest req{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(pki.validator, pki.prosecutor, "validator")}};
  VerificationReport r = verify(req, {1, 0});
  EXPECT_TRUE(r.ok) << (r.failures.empty() ? "" : r.failures[0].detail);
}

TEST_F(SignedRequestTest, ValidatorFromAnotherCountryIsForeign) {
  SignedRequest req{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(pki.be_officer, pki.be_police, "validator")}};
  VerificationReport r = verify(req, {1, 0});
  EXPECT_THAT(codes_of(r), ElementsAre("cosigner_foreign", "cosignature_missing"));
  EXPECT_THAT(detail(r, "cosigner_foreign"), HasSubstr("Luc Peeters"));
}

// The route names who validates (a prosecutor or a judge); the hub's register
// of organisations says what kind of authority each signer's organisation is.
TEST_F(SignedRequestTest, AValidatorCountsOnlyForAKindOfAuthorityThePolicyNames) {
  SignedRequest req{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(pki.validator, pki.prosecutor, "validator")}};
  auto registered_as = [&](std::optional<AuthorityType> prosecutor_office) {
    SignaturePolicy policy{1, 0};
    policy.validator_types = {AuthorityType::kJudge, AuthorityType::kProsecutor};
    policy.basis = "route eu-2023-1543/epoc-subscriber";
    policy.authority_type_of = [&, prosecutor_office](const OrgRef& org) {
      return org.same_identity(pki.prosecutor.ref)
                 ? prosecutor_office
                 : std::optional<AuthorityType>(AuthorityType::kPolice);
    };
    return verify(req, policy);
  };
  EXPECT_TRUE(registered_as(AuthorityType::kProsecutor).ok);

  VerificationReport police = registered_as(AuthorityType::kPolice);
  EXPECT_THAT(codes_of(police), ElementsAre("validator_not_competent", "cosignature_missing"));
  EXPECT_THAT(detail(police, "validator_not_competent"),
              HasSubstr("registered on this hub as police"));
  EXPECT_THAT(detail(police, "validator_not_competent"), HasSubstr("a judge or prosecutor"));
  EXPECT_THAT(detail(police, "cosignature_missing"), HasSubstr("of a judge or prosecutor"));
  EXPECT_THAT(detail(police, "cosignature_missing"),
              HasSubstr("required by route eu-2023-1543/epoc-subscriber"));
  EXPECT_EQ(police.signers[1].failures, std::vector<std::string>{"validator_not_competent"});

  VerificationReport unknown = registered_as(std::nullopt);
  EXPECT_THAT(codes_of(unknown), ElementsAre("validator_not_competent", "cosignature_missing"));
  EXPECT_THAT(detail(unknown, "validator_not_competent"), HasSubstr("has not recorded"));

  // Without a register nobody is competent: deny by default.
  SignaturePolicy blind{1, 0};
  blind.validator_types = {AuthorityType::kJudge};
  EXPECT_THAT(codes_of(verify(req, blind)),
              ElementsAre("validator_not_competent", "cosignature_missing"));
}

// A validator of the wrong kind beside one of the right kind: the request has
// its validation, and the other signature is no reason to refuse it.
TEST_F(SignedRequestTest, AnIncompetentValidatorBesideACompetentOneIsNoFailure) {
  Person colleague = person(pki.police, "Kees Smit", roles_of({Role::kValidator}));
  SignedRequest req{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(colleague, pki.police, "validator"),
       sign(pki.validator, pki.prosecutor, "validator")}};
  SignaturePolicy policy{1, 0};
  policy.validator_types = {AuthorityType::kProsecutor};
  policy.authority_type_of = [&](const OrgRef& org) {
    return std::optional<AuthorityType>(org.same_identity(pki.prosecutor.ref)
                                            ? AuthorityType::kProsecutor
                                            : AuthorityType::kPolice);
  };
  VerificationReport r = verify(req, policy);
  EXPECT_TRUE(r.ok) << (r.failures.empty() ? "" : r.failures[0].detail);
}

TEST_F(SignedRequestTest, SupervisorFromAnotherOrganisationIsForeign) {
  Person other = person(pki.prosecutor, "Eva de Boer", roles_of({Role::kSupervisor}));
  SignedRequest req{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(other, pki.prosecutor, "supervisor")}};
  EXPECT_THAT(codes_of(verify(req, {0, 1})),
              ElementsAre("cosigner_foreign", "cosignature_missing"));
}

TEST_F(SignedRequestTest, CosignatureMissing) {
  VerificationReport r = verify(officer_only(), {1, 0});
  EXPECT_THAT(codes_of(r), ElementsAre("cosignature_missing"));
  EXPECT_THAT(detail(r, "cosignature_missing"), HasSubstr("1 validator"));
  EXPECT_THAT(codes_of(verify(officer_only(), {0, 1})), ElementsAre("cosignature_missing"));
}

TEST_F(SignedRequestTest, CosignaturesNeedDistinctKeys) {
  SignedRequest twice{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(pki.validator, pki.prosecutor, "validator"),
       sign(pki.validator, pki.prosecutor, "validator")}};
  EXPECT_THAT(codes_of(verify(twice, {2, 0})), ElementsAre("cosignature_missing"));
  SignedRequest two{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(pki.validator, pki.prosecutor, "validator"),
       sign(pki.second_validator, pki.prosecutor, "validator")}};
  EXPECT_TRUE(verify(two, {2, 0}).ok);
}

// Four eyes: an officer who also holds the validator role cannot validate their own request.
TEST_F(SignedRequestTest, OfficersOwnKeyDoesNotCountAsCosigner) {
  Person both = person(pki.police, "Kees Smit", roles_of({Role::kOfficer, Role::kValidator}));
  SignedRequest req{payload,
                    {sign(both, pki.police, "officer"), sign(both, pki.police, "validator")}};
  EXPECT_THAT(codes_of(verify(req, {1, 0})), ElementsAre("cosignature_missing"));
}

TEST_F(SignedRequestTest, OneKeyCountsForOneRoleOnly) {
  Person both = person(pki.police, "Kees Smit", roles_of({Role::kValidator, Role::kSupervisor}));
  SignedRequest req{payload,
                    {sign(pki.officer, pki.police, "officer"), sign(both, pki.police, "validator"),
                     sign(both, pki.police, "supervisor")}};
  EXPECT_THAT(codes_of(verify(req, {1, 1})), ElementsAre("cosignature_missing"));
}

// An organisation that certified one person twice, on two devices, does not
// give that person two votes: co-signatures count people, not keys.
TEST_F(SignedRequestTest, OnePersonWithTwoKeysCountsOnce) {
  Roles roles = roles_of({Role::kValidator, Role::kSupervisor});
  Person laptop =
      Pki::make_person(pki.police, "Kees Smit", "Kees.Smit@police.example.org", roles, "laptop");
  Person phone =
      Pki::make_person(pki.police, "Kees Smit", "kees.smit@police.example.org", roles, "phone");
  ASSERT_NE(laptop.cert.key_id(), phone.cert.key_id());
  SignedRequest req{payload,
                    {sign(pki.officer, pki.police, "officer"),
                     sign(laptop, pki.police, "validator"), sign(phone, pki.police, "supervisor")}};
  VerificationReport r = verify(req, {1, 1});
  EXPECT_THAT(codes_of(r), ElementsAre("cosignature_missing"));
  EXPECT_THAT(detail(r, "cosignature_missing"), HasSubstr("distinct people"));
  // The officer's second key is still the officer.
  Person officer_phone =
      Pki::make_person(pki.police, pki.officer.cert.subject_name, *pki.officer.cert.subject_email,
                       roles_of({Role::kOfficer, Role::kSupervisor}), "phone");
  SignedRequest self{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(officer_phone, pki.police, "supervisor")}};
  EXPECT_THAT(codes_of(verify(self, {0, 1})), ElementsAre("cosignature_missing"));
  // Two people are two votes.
  SignedRequest two{
      payload,
      {sign(pki.officer, pki.police, "officer"), sign(laptop, pki.police, "validator"),
       sign(pki.supervisor, pki.police, "supervisor")}};
  EXPECT_TRUE(verify(two, {1, 1}).ok) << codes_of(verify(two, {1, 1})).size();
}

TEST_F(SignedRequestTest, Stale) {
  Timestamp week_ago = days_from_now(-8);
  json p = pki.payload(pki.production_request(), std::nullopt, week_ago);
  VerificationReport r = verify({p, {sign(pki.officer, pki.police, "officer", p, week_ago)}});
  EXPECT_THAT(codes_of(r), ElementsAre("stale", "stale"));  // issued_at and the signature
  EXPECT_THAT(r.signers[0].failures, ElementsAre("stale"));
}

TEST_F(SignedRequestTest, FutureDated) {
  Timestamp later = plus_seconds(kNow, 10 * 60);
  VerificationReport r =
      verify({payload, {sign(pki.officer, pki.police, "officer", payload, later)}}, {}, kNow);
  EXPECT_THAT(codes_of(r), ElementsAre("future_dated"));
}

TEST_F(SignedRequestTest, ClockSkewWithinFiveMinutesIsAccepted) {
  Timestamp later = plus_seconds(kNow, 4 * 60);
  EXPECT_TRUE(
      verify({payload, {sign(pki.officer, pki.police, "officer", payload, later)}}, {}, kNow).ok);
}

TEST_F(SignedRequestTest, FreshnessWindowIsConfigurable) {
  VerifyOptions strict;
  strict.max_age = std::chrono::seconds(30);
  VerificationReport r =
      verify_signed_request(pki.store, officer_only(), {}, plus_seconds(kNow, 60), strict);
  EXPECT_THAT(codes_of(r), Contains("stale"));
}

TEST_F(SignedRequestTest, EmergencyWithSupervisorAndVouchedCallback) {
  VerificationReport r = verify(emergency(duty_phone));
  EXPECT_TRUE(r.ok) << (r.failures.empty() ? "" : r.failures[0].detail);
  Contact duty_mail{"email", "duty@police.example.org"};
  EXPECT_TRUE(verify(emergency(duty_mail)).ok);
}

TEST_F(SignedRequestTest, EmergencyJustificationMissing) {
  Request req = pki.emergency_request();
  req.draft.emergency_justification = "   urgent!!   ";
  VerificationReport r = verify(emergency(duty_phone, req));
  EXPECT_THAT(codes_of(r), ElementsAre("emergency_justification_missing"));
  req.draft.emergency_justification.reset();
  EXPECT_THAT(codes_of(verify(emergency(duty_phone, req))),
              ElementsAre("emergency_justification_missing"));
}

TEST_F(SignedRequestTest, EmergencySupervisorMissing) {
  json p = pki.payload(pki.emergency_request(), duty_phone);
  VerificationReport r = verify({p, {sign(pki.officer, pki.police, "officer", p)}});
  EXPECT_THAT(codes_of(r), ElementsAre("emergency_supervisor_missing"));
}

TEST_F(SignedRequestTest, EmergencySupervisorForeign) {
  Person other = person(pki.prosecutor, "Eva de Boer", roles_of({Role::kSupervisor}));
  json p = pki.payload(pki.emergency_request(), duty_phone);
  VerificationReport r = verify({p,
                                 {sign(pki.officer, pki.police, "officer", p),
                                  sign(other, pki.prosecutor, "supervisor", p)}});
  EXPECT_THAT(codes_of(r), Contains("emergency_supervisor_foreign"));
  EXPECT_THAT(detail(r, "emergency_supervisor_foreign"), HasSubstr("Eva de Boer"));
}

TEST_F(SignedRequestTest, EmergencyCallbackUnvouched) {
  VerificationReport r = verify(emergency(Contact{"phone", "+31205550199"}));
  EXPECT_THAT(codes_of(r), ElementsAre("emergency_callback_unvouched"));
  EXPECT_THAT(detail(r, "emergency_callback_unvouched"), HasSubstr("+31205550199"));
  EXPECT_THAT(codes_of(verify(emergency(std::nullopt))),
              ElementsAre("emergency_callback_unvouched"));
}

// The rules follow the emergency object, whatever the kind says.
TEST_F(SignedRequestTest, AnyRequestWithAnEmergencyObjectIsAnEmergency) {
  Request req = pki.production_request();
  json p = pki.payload(req, duty_phone);
  ASSERT_FALSE(p["emergency"].is_null());
  VerificationReport r = verify({p, {sign(pki.officer, pki.police, "officer", p)}});
  EXPECT_THAT(codes_of(r), Contains("emergency_supervisor_missing"));
  EXPECT_THAT(codes_of(r), Contains("emergency_justification_missing"));
}

TEST_F(SignedRequestTest, NonEmergencyRequestsNeedNoSupervisor) {
  EXPECT_THAT(codes_of(verify(officer_only())), Not(Contains("emergency_supervisor_missing")));
}

TEST_F(SignedRequestTest, CertificatesAreVerifiedOnceThenRemembered) {
  pki.store.forget_verified_signatures();
  EXPECT_TRUE(verify(officer_only()).ok);
  std::size_t after_first = pki.store.verified_signature_count();
  EXPECT_EQ(after_first, 2u);  // the officer's and the police unit's certificates
  EXPECT_TRUE(verify(officer_only()).ok);
  EXPECT_EQ(pki.store.verified_signature_count(), after_first);
}

TEST_F(SignedRequestTest, ReportAsJson) {
  json j = to_json(verify(officer_only(), {1, 0}));
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["failures"][0]["code"], "cosignature_missing");
  EXPECT_EQ(j["signers"][0]["name"], "Jan de Vries");
  EXPECT_EQ(j["signers"][0]["organisation"]["endpoint_uid"], "NL-POL-EX");
  EXPECT_EQ(j["signers"][0]["valid"], true);
  EXPECT_EQ(j["nonce"], "AAECAwQFBgcICQoLDA0ODw");
  EXPECT_EQ(j["digest"].get<std::string>().size(), 64u);
}

}  // namespace
}  // namespace liaison::trust
