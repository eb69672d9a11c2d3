#include "trust/certificate.h"

#include <gtest/gtest.h>

#include "pki_fixture.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"

namespace liaison::trust {
namespace {

using nlohmann::json;
using testing::Pki;

class CertificateTest : public ::testing::Test {
 protected:
  Pki pki;

  // Decoding `j` fails on `field`.
  void expect_refused(const json& j, const std::string& field) {
    auto r = certificate_from_json(j);
    ASSERT_FALSE(r.ok()) << "accepted " << j.dump();
    ASSERT_FALSE(r.error().issues.empty());
    EXPECT_EQ(r.error().issues[0].field, field) << r.error().message;
  }
  json officer() { return to_json(pki.officer.cert); }
};

TEST_F(CertificateTest, RoundTripsThroughJson) {
  for (const Certificate* c : {&pki.nl_root, &pki.police.cert, &pki.officer.cert}) {
    auto back = certificate_from_json(json::parse(to_json(*c).dump()));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, *c);
  }
}

TEST_F(CertificateTest, JsonShapeFollowsTheKind) {
  json root = to_json(pki.nl_root);
  EXPECT_EQ(root["kind"], "root");
  EXPECT_FALSE(root.contains("organisation"));
  EXPECT_FALSE(root.contains("roles"));
  EXPECT_EQ(root["issuer"]["key_id"], root["key_id"]);
  json org = to_json(pki.police.cert);
  EXPECT_EQ(org["organisation"]["endpoint_uid"], "NL-POL-EX");
  EXPECT_EQ(org["organisation"]["kind"], "authority");
  EXPECT_EQ(org["emergency_contacts"][0]["value"], "+31205550100");
  EXPECT_FALSE(org.contains("roles"));
  json user = officer();
  EXPECT_EQ(user["roles"], json::array({"officer"}));
  EXPECT_EQ(user["subject"]["email"], "jan.devries@police.example.org");
  EXPECT_EQ(user["issuer"]["name"], "Politie Eenheid Voorbeeld");
  EXPECT_EQ(user["not_before"], "2026-10-03T09:15:00Z");
  EXPECT_EQ(user["key_id"], pki.officer.key.public_key().key_id());
  EXPECT_FALSE(user.contains("emergency_contacts"));
}

TEST_F(CertificateTest, IssuedCertificatesVerifyUnderTheirIssuer) {
  EXPECT_TRUE(certificate_signature_valid(pki.nl_root, pki.nl_root.public_key));
  EXPECT_TRUE(certificate_signature_valid(pki.police.cert, pki.nl_root.public_key));
  EXPECT_TRUE(certificate_signature_valid(pki.officer.cert, pki.police.cert.public_key));
  EXPECT_FALSE(certificate_signature_valid(pki.officer.cert, pki.prosecutor.cert.public_key));
  EXPECT_EQ(pki.officer.cert.serial.size(), 32u);
  EXPECT_NE(pki.officer.cert.serial, pki.supervisor.cert.serial);
}

TEST_F(CertificateTest, SigningInputIsDomainSeparatedCanonicalJsonWithoutSignature) {
  json j = officer();
  j.erase("signature");
  std::string expected = std::string("liaison-certificate-v1") + '\0' + *canonical_json(j);
  EXPECT_EQ(certificate_signing_input(pki.officer.cert), expected);
}

TEST_F(CertificateTest, AnyChangeBreaksTheSignature) {
  Certificate c = pki.officer.cert;
  c.roles.add(Role::kSupervisor);
  EXPECT_FALSE(certificate_signature_valid(c, pki.police.cert.public_key));
  c = pki.officer.cert;
  c.not_after = testing::days_from_now(3650);
  EXPECT_FALSE(certificate_signature_valid(c, pki.police.cert.public_key));
  c = pki.police.cert;
  c.emergency_contacts[0].value = "+31205550199";
  EXPECT_FALSE(certificate_signature_valid(c, pki.nl_root.public_key));
}

TEST_F(CertificateTest, FingerprintCoversTheSignature) {
  std::string fp = pki.officer.cert.fingerprint();
  EXPECT_TRUE(is_lower_hex(fp, 64));
  EXPECT_EQ(fp, hex_encode(sha256(*canonical_json(officer()))));
  Certificate c = pki.officer.cert;
  c.signature[0] = static_cast<char>(c.signature[0] ^ 1);
  EXPECT_NE(c.fingerprint(), fp);
}

TEST_F(CertificateTest, RefusesUnknownAndMissingFields) {
  json j = officer();
  j["extra"] = true;
  expect_refused(j, "certificate/extra");
  j = officer();
  j.erase("not_after");
  expect_refused(j, "certificate/not_after");
  j = officer();
  j["subject"]["phone"] = "+31205550100";
  expect_refused(j, "certificate/subject/phone");
  j = officer();
  j["liaison_certificate"] = 2;
  expect_refused(j, "certificate/liaison_certificate");
}

TEST_F(CertificateTest, RefusesWrongTypes) {
  json j = officer();
  j["serial"] = 42;
  expect_refused(j, "certificate/serial");
  j = officer();
  j["roles"] = "officer";
  expect_refused(j, "certificate/roles");
  j = officer();
  j["issuer"] = "Politie";
  expect_refused(j, "certificate/issuer");
  expect_refused(json::array(), "certificate");
}

TEST_F(CertificateTest, RefusesBadBase64AndMismatchedKeyId) {
  json j = officer();
  j["public_key"] = "not base64!";
  expect_refused(j, "certificate/public_key");
  j = officer();
  j["signature"] = base64url_encode("short");
  expect_refused(j, "certificate/signature");
  j = officer();
  j["key_id"] = std::string(32, 'a');
  expect_refused(j, "certificate/key_id");
}

TEST_F(CertificateTest, RefusesBadCountries) {
  json j = officer();
  j["country"] = "NLD";
  expect_refused(j, "certificate/country");
  j = officer();
  j["country"] = "QQ";
  j["organisation"]["country"] = "QQ";
  expect_refused(j, "certificate/country");
  j = officer();
  j["organisation"]["country"] = "BE";
  expect_refused(j, "certificate/country");  // must equal the organisation's
}

TEST_F(CertificateTest, RefusesValidityThatEndsBeforeItStarts) {
  json j = officer();
  j["not_after"] = j["not_before"];
  expect_refused(j, "certificate/not_after");
}

TEST_F(CertificateTest, RefusesInstantsNotWrittenInUtcSeconds) {
  json j = officer();
  j["not_before"] = "2026-10-03T11:15:00+02:00";
  expect_refused(j, "certificate/not_before");
  j = officer();
  j["not_before"] = "2026-10-03T09:15:00.5Z";
  expect_refused(j, "certificate/not_before");
}

TEST_F(CertificateTest, RefusesRolesOutsideUserCertificates) {
  json j = to_json(pki.police.cert);
  j["roles"] = {"officer"};
  expect_refused(j, "certificate/roles");
}

TEST_F(CertificateTest, RefusesUnknownDuplicateAndMisplacedRoles) {
  json j = officer();
  j["roles"] = {"officer", "sheriff"};
  expect_refused(j, "certificate/roles/1");
  j = officer();
  j["roles"] = {"officer", "officer"};
  expect_refused(j, "certificate/roles/1");
  j = officer();
  j["roles"] = json::array();
  expect_refused(j, "certificate/roles");
  j = officer();
  j["roles"] = {"analyst"};  // a provider's role, on an authority's user
  expect_refused(j, "certificate/roles");
}

TEST_F(CertificateTest, RefusesContactsOutsideOrganisationCertificates) {
  json j = officer();
  j["emergency_contacts"] = {{{"kind", "phone"}, {"value", "+31205550100"}}};
  expect_refused(j, "certificate/emergency_contacts");
}

TEST_F(CertificateTest, RefusesBadContacts) {
  json org = to_json(pki.police.cert);
  for (const char* bad :
       {"0205550100", "+0205550100", "+3120", "+31 20 555 0100", "+3120555010012345"}) {
    json j = org;
    j["emergency_contacts"][0]["value"] = bad;
    expect_refused(j, "certificate/emergency_contacts/0/value");
  }
  json j = org;
  j["emergency_contacts"][1]["value"] = "duty at police.example.org";
  expect_refused(j, "certificate/emergency_contacts/1/value");
  j = org;
  j["emergency_contacts"][1]["value"] = "duty@POLICE.example.org";  // not normalised
  expect_refused(j, "certificate/emergency_contacts/1/value");
  j = org;
  j["emergency_contacts"][0]["kind"] = "fax";
  expect_refused(j, "certificate/emergency_contacts/0/kind");
  j = org;
  j["emergency_contacts"] = json::array();
  expect_refused(j, "certificate/emergency_contacts");
}

TEST_F(CertificateTest, RefusesOrganisationOnRootsAndItsAbsenceElsewhere) {
  json root = to_json(pki.nl_root);
  root["organisation"] = to_json(pki.police.cert)["organisation"];
  expect_refused(root, "certificate/organisation");
  json user = officer();
  user.erase("organisation");
  expect_refused(user, "certificate/organisation");
  user = officer();
  user["organisation"]["kind"] = "ministry";
  expect_refused(user, "certificate/organisation/kind");
  user = officer();
  user["organisation"]["endpoint_uid"] = "NL POL";
  expect_refused(user, "certificate/organisation/endpoint_uid");
}

TEST_F(CertificateTest, RefusesRootsThatAreNotSelfIssued) {
  json root = to_json(pki.nl_root);
  root["issuer"]["key_id"] = pki.be_root.key_id();
  expect_refused(root, "certificate/issuer/key_id");
  root = to_json(pki.nl_root);
  root["issuer"]["name"] = "Someone Else";
  expect_refused(root, "certificate/issuer/name");
}

TEST_F(CertificateTest, RefusesBadSerials) {
  json j = officer();
  j["serial"] = "ABCDEF0123456789ABCDEF0123456789";
  expect_refused(j, "certificate/serial");
  j["serial"] = "abc";
  expect_refused(j, "certificate/serial");
}

TEST_F(CertificateTest, RefusesEmailsOutsideUserCertificatesAndUnnormalisedOnes) {
  json j = to_json(pki.police.cert);
  j["subject"]["email"] = "info@police.example.org";
  expect_refused(j, "certificate/subject/email");
  j = officer();
  j["subject"]["email"] = "Jan.deVries@Police.Example.org";
  expect_refused(j, "certificate/subject/email");
}

// Names are what an analyst reads to decide whom they are dealing with.
TEST_F(CertificateTest, RefusesNamesThatCouldDisguiseThemselves) {
  json j = officer();
  j["subject"]["name"] = "Jos\u00e9 M\u00fcller-\u00d8stergaard";
  EXPECT_TRUE(certificate_from_json(j).ok());
  for (const char* bad :
       {"Jan\nde Vries", "Jan\x7f", "Jan \u0085", "Jan \u202e seirV ed", "Jan \u2066x\u2069"}) {
    j["subject"]["name"] = bad;
    expect_refused(j, "certificate/subject/name");
  }
}

TEST_F(CertificateTest, NestedPathsArePrefixed) {
  json j = officer();
  j.erase("serial");
  auto r = certificate_from_json(j, "signatures/0/certificate");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "signatures/0/certificate/serial");
}

TEST_F(CertificateTest, RootsMustBeSignedWithTheirOwnKey) {
  Certificate c = pki.nl_root;
  c.serial.clear();
  EXPECT_FALSE(issue_certificate(c, pki.be_root_key, "Liaison Root Netherlands").ok());
}

TEST_F(CertificateTest, IssueRefusesInvalidContent) {
  Certificate c = Pki::user_certificate(pki.police, SecretKey::generate().public_key(), "Kees",
                                        "kees@police.example.org", Roles());
  auto r = issue_certificate(c, pki.police.key, "Politie Eenheid Voorbeeld");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "certificate/roles");
}

TEST_F(CertificateTest, IssueRoundsValidityToWholeSecondsAndFillsSerial) {
  Certificate c =
      Pki::user_certificate(pki.police, SecretKey::generate().public_key(), "Kees",
                            "kees@police.example.org", testing::roles_of({Role::kAuditor}));
  c.not_before.unix_micros += 123456;
  auto r = issue_certificate(c, pki.police.key, "Politie Eenheid Voorbeeld");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->not_before, r->not_before.floor_seconds());
  EXPECT_TRUE(is_lower_hex(r->serial, 32));
  EXPECT_EQ(r->issuer_key_id, pki.police.cert.key_id());
}

}  // namespace
}  // namespace liaison::trust
