// XML signatures on HI-1 messages: what the hub signs verifies with the
// signer's certificate, and a signature that was tampered with, made by
// another key, bound to another sender, expired, or reaching outside the
// message is refused with its code.
#include "etsi/xml_signature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "etsi/message.h"
#include "etsi/xsd.h"
#include "support/test_support.h"
#include "support/x509_support.h"

namespace liaison::etsi {
namespace {

using ::testing::HasSubstr;

std::string police_message() {
  Header h;
  h.sender = {"NL", "NPCU"};
  h.receiver = {"IE", "EXMAIL"};
  h.transaction_id = "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e";
  h.timestamp = "2026-12-02T10:00:00.000000Z";
  h.etsi_version = "V1.23.1";
  h.national_profile_owner = "LIAISON";
  h.national_profile_version = "v1.0";
  return write_xml(
      request_message(h, {{0, Verb::kGetCspConfig, action_element(Verb::kGetCspConfig, {})}}));
}

std::string signed_by(const testing::TestSigningKey& k, const std::string& xml = police_message()) {
  auto s = sign_xml(xml, {k.private_key_pem, k.certificate_pem});
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : "";
}

// The policy's verdict on a document.
std::optional<Hi1Error> checked(const XmlSignaturePolicy& policy, const std::string& xml) {
  std::optional<Hi1Error> out;
  bool inspected = false;
  auto tree = parse_xml(xml, {}, [&](LibxmlDocument& doc) {
    inspected = true;
    out = policy.check(doc);
  });
  EXPECT_TRUE(tree.ok() && inspected) << xml;
  return out;
}

const testing::TestSigningKey& police_key() {
  static const auto k = testing::make_signing_key("hi1.police.example.org");
  return k;
}

XmlSignaturePolicy trusting(const std::string& endpoint, const std::string& pem,
                            bool required = true) {
  return XmlSignaturePolicy::of({{endpoint, {pem}}}, required);
}

TEST(XmlSignature, WhatTheHubSignsVerifiesAndStillValidates) {
  for (bool rsa : {false, true}) {
    SCOPED_TRACE(rsa ? "RSA" : "ECDSA");
    auto key = rsa ? testing::make_signing_key("hi1.police.example.org", true) : police_key();
    std::string xml = signed_by(key);
    EXPECT_THAT(xml, HasSubstr("Signature"));
    EXPECT_FALSE(checked(trusting("NL/NPCU", key.certificate_pem), xml));
    // The signed message is still a valid HI1Message.
    auto xsd = XsdValidator::load(std::filesystem::path(LIAISON_SOURCE_DIR) / "data/etsi");
    ASSERT_TRUE(xsd.ok());
    Status valid = xsd->validate(xml);
    EXPECT_TRUE(valid.ok()) << valid.error().message;
    // And reads as the same message.
    auto tree = parse_xml(xml);
    ASSERT_TRUE(tree.ok());
    RequestReading reading = read_request(*tree);
    EXPECT_FALSE(reading.error) << reading.error->description;
  }
}

TEST(XmlSignature, AnUnsignedMessageIsTakenOnlyWhereSignaturesAreNotRequired) {
  EXPECT_FALSE(checked(trusting("NL/NPCU", police_key().certificate_pem, false), police_message()));
  auto refused = checked(trusting("NL/NPCU", police_key().certificate_pem), police_message());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, Hi1ErrorCode::kRequiredElementMissing);
  EXPECT_THAT(refused->description, HasSubstr("not signed"));
  auto json = trusting("NL/NPCU", police_key().certificate_pem).check_unsigned();
  ASSERT_TRUE(json);
  EXPECT_EQ(json->code, Hi1ErrorCode::kRequiredElementMissing);
  EXPECT_FALSE(trusting("NL/NPCU", police_key().certificate_pem, false).check_unsigned());
}

TEST(XmlSignature, EachForgeryIsRefusedWithValidationError) {
  const std::string good = signed_by(police_key());
  auto other = testing::make_signing_key("hi1.intruder.example.org");
  auto expired = testing::make_signing_key("hi1.police.example.org", false, true);
  struct Case {
    const char* what;
    std::string xml;
    XmlSignaturePolicy policy;
    const char* says;
  };
  std::string altered = good;
  altered.replace(altered.find("c02358b2"), 8, "d02358b2");
  std::string elsewhere = good;
  elsewhere.replace(elsewhere.find("URI=\"\""), 6, "URI=\"http://example.org/hi1.xml\"");
  const std::vector<Case> cases = {
      {"altered after signing", altered, trusting("NL/NPCU", police_key().certificate_pem),
       "does not verify"},
      {"signed by a key not trusted for the sender", signed_by(other),
       trusting("NL/NPCU", police_key().certificate_pem), "does not verify"},
      {"a certificate trusted for another sender", good,
       trusting("IE/EXMAIL", police_key().certificate_pem), "SenderIdentifier NL/NPCU"},
      {"an expired certificate", signed_by(expired), trusting("NL/NPCU", expired.certificate_pem),
       "does not verify"},
      {"a reference outside the message", elsewhere,
       trusting("NL/NPCU", police_key().certificate_pem), "does not verify"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto refused = checked(c.policy, c.xml);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, Hi1ErrorCode::kValidationError);
    EXPECT_THAT(refused->description, HasSubstr(c.says));
  }
}

TEST(XmlSignature, TheSystemsCertificateAuthoritiesAreNotTrusted) {
  // A certificate the machine trusts is no certificate the hub trusts for a sender.
  auto rogue = testing::make_signing_key("hi1.rogue.example.org");
  testing::TempDir dir;
  std::ofstream(dir.path() / "system.pem") << rogue.certificate_pem;
  ::setenv("SSL_CERT_FILE", (dir.path() / "system.pem").c_str(), 1);
  auto refused = checked(trusting("NL/NPCU", police_key().certificate_pem), signed_by(rogue));
  ::unsetenv("SSL_CERT_FILE");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, Hi1ErrorCode::kValidationError);
}

TEST(XmlSignature, TrustedCertificatesAreReadPerSenderFromAFolder) {
  testing::TempDir dir;
  {
    std::ofstream(dir.path() / "NL-NPCU.pem") << police_key().certificate_pem;
    std::ofstream(dir.path() / "README.txt") << "not a certificate, not read";
  }
  auto policy = XmlSignaturePolicy::load(dir.path().string(), true);
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_FALSE(checked(*policy, signed_by(police_key())));

  std::ofstream(dir.path() / "badname.pem") << police_key().certificate_pem;
  auto bad = XmlSignaturePolicy::load(dir.path().string(), true);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().issues[0].field, HasSubstr("badname.pem"));
  EXPECT_FALSE(XmlSignaturePolicy::load((dir.path() / "missing").string(), true).ok());
}

TEST(XmlSignature, AKeyThatIsNotAKeyIsRefusedNamingIt) {
  auto s = sign_xml(police_message(), {"not a key", police_key().certificate_pem});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().issues[0].field, "signing key");
}

}  // namespace
}  // namespace liaison::etsi
