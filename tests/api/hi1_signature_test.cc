// XML signatures at POST /hi1 against a real hub that requires them
// (`serve --hi1-signers DIR --hi1-require-signatures`) and signs what it
// answers (`--hi1-signing-key`, `--hi1-signing-cert`): an unsigned or forged
// message is refused as a whole and changes nothing; a signed one is
// answered, and the answer verifies with the hub's certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "api/api_helpers.h"
#include "etsi/json_schema.h"
#include "etsi/json_tree.h"
#include "etsi/message.h"
#include "etsi/xml_signature.h"
#include "support/x509_support.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
using ::testing::HasSubstr;

void write_file(const std::filesystem::path& p, const std::string& text, mode_t mode) {
  std::ofstream(p) << text;
  ::chmod(p.c_str(), mode);
}

class Hi1Signatures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    police_ = new testing::TestSigningKey(testing::make_signing_key("hi1.police.example.org"));
    hub_key_ = new testing::TestSigningKey(testing::make_signing_key("hi1.hub.example.org", true));
    std::filesystem::create_directory(dir_->path() / "signers");
    write_file(dir_->path() / "signers" / "NL-NPCU.pem", police_->certificate_pem, 0644);
    write_file(dir_->path() / "hub-key.pem", hub_key_->private_key_pem, 0600);
    write_file(dir_->path() / "hub-cert.pem", hub_key_->certificate_pem, 0644);
    hub_ = new HubProcess({"--hi1-signers", (dir_->path() / "signers").string(),
                           "--hi1-require-signatures", "--hi1-signing-key",
                           (dir_->path() / "hub-key.pem").string(), "--hi1-signing-cert",
                           (dir_->path() / "hub-cert.pem").string()});
  }
  static void TearDownTestSuite() {
    delete hub_;
    delete police_;
    delete hub_key_;
    delete dir_;
  }

  static std::string csp_config_request() {
    etsi::Header h;
    h.sender = {"NL", "NPCU"};
    h.receiver = {"IE", "EXMAIL"};
    h.transaction_id = random_uuid();
    h.timestamp = "2026-12-02T10:00:00.000000Z";
    h.etsi_version = "V1.23.1";
    h.national_profile_owner = "LIAISON";
    h.national_profile_version = "v1.0";
    return etsi::write_xml(etsi::request_message(
        h, {{0, etsi::Verb::kGetCspConfig, etsi::action_element(etsi::Verb::kGetCspConfig, {})}}));
  }

  static std::string signed_request() {
    auto s =
        etsi::sign_xml(csp_config_request(), {police_->private_key_pem, police_->certificate_pem});
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : "";
  }

  // The whole-message error of the hub's answer to `xml` (0 if none), and
  // whether the answer's own signature verifies with the hub's certificate.
  static std::pair<int, bool> post(const std::string& xml, std::string* why = nullptr) {
    HubClient officer(hub_->base_url(), hub_->token("officer"));
    auto r = officer.send("POST", "/hi1", xml, "application/xml");
    EXPECT_EQ(r.status, 200) << r.body;
    std::optional<etsi::Hi1Error> verdict;
    auto policy = etsi::XmlSignaturePolicy::of({{"IE/EXMAIL", {hub_key_->certificate_pem}}}, true);
    auto tree = etsi::parse_xml(r.body, {},
                                [&](etsi::LibxmlDocument& doc) { verdict = policy.check(doc); });
    EXPECT_TRUE(tree.ok()) << r.body;
    if (!tree.ok()) return {-1, false};
    etsi::ResponseReading reading = etsi::read_response(*tree);
    if (why && reading.error) *why = reading.error->description;
    return {reading.error ? static_cast<int>(reading.error->code) : 0, !verdict.has_value()};
  }

  static testing::TempDir* dir_;
  static testing::TestSigningKey* police_;
  static testing::TestSigningKey* hub_key_;
  static HubProcess* hub_;
};
testing::TempDir* Hi1Signatures::dir_ = nullptr;
testing::TestSigningKey* Hi1Signatures::police_ = nullptr;
testing::TestSigningKey* Hi1Signatures::hub_key_ = nullptr;
HubProcess* Hi1Signatures::hub_ = nullptr;

TEST_F(Hi1Signatures, ASignedMessageIsAnsweredAndTheAnswerIsSigned) {
  auto [error, answer_signed] = post(signed_request());
  EXPECT_EQ(error, 0);
  EXPECT_TRUE(answer_signed);
}

TEST_F(Hi1Signatures, UnsignedAndForgedMessagesAreRefusedAsAWhole) {
  std::string why;
  auto [unsigned_error, signed_answer] = post(csp_config_request(), &why);
  EXPECT_EQ(unsigned_error, 3005);
  EXPECT_THAT(why, HasSubstr("not signed"));
  EXPECT_TRUE(signed_answer);  // even a refusal is signed

  std::string altered = signed_request();
  altered.replace(altered.find("V1.23.1"), 7, "V1.22.1");
  EXPECT_EQ(post(altered, &why).first, 3020);
  EXPECT_THAT(why, HasSubstr("does not verify"));

  // JSON carries no XML signature, so it is refused where signatures are required.
  auto schemas =
      etsi::JsonSchemas::load(std::filesystem::path(LIAISON_SOURCE_DIR) / "data/etsi/ts103120");
  ASSERT_TRUE(schemas.ok());
  auto tree = etsi::parse_xml(csp_config_request());
  ASSERT_TRUE(tree.ok());
  HubClient officer(hub_->base_url(), hub_->token("officer"));
  auto r = officer.send("POST", "/hi1", etsi::json_from_tree(*tree, *schemas).dump(),
                        "application/json");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("3005")) << r.body;
  EXPECT_THAT(r.body, HasSubstr("JSON encoding carries no XML signature")) << r.body;
}

TEST_F(Hi1Signatures, ServeRefusesSecretsOthersCanReadAndAHalfConfiguration) {
  write_file(dir_->path() / "open-key.pem", hub_key_->private_key_pem, 0644);
  auto r = testing::run_liaison({"serve", "--data", (dir_->path() / "unused").string(), "--listen",
                                 "127.0.0.1:0", "--hi1-signing-key",
                                 (dir_->path() / "open-key.pem").string(), "--hi1-signing-cert",
                                 (dir_->path() / "hub-cert.pem").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
  // The links file holds bearer tokens: refused while others may read it.
  write_file(dir_->path() / "open-links.toml", "", 0644);
  r = testing::run_liaison({"serve", "--data", (dir_->path() / "unused").string(), "--hi1-links",
                            (dir_->path() / "open-links.toml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("bearer tokens"));
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
  r = testing::run_liaison(
      {"serve", "--data", (dir_->path() / "unused").string(), "--hi1-require-signatures"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--hi1-signers"));
}

TEST_F(Hi1Signatures, ServeRefusesATlsKeyOthersCanReadAndAHalfTlsConfiguration) {
  const std::string data = (dir_->path() / "unused").string();
  const std::string cert = (dir_->path() / "hub-cert.pem").string();
  const std::string open_key = (dir_->path() / "open-key.pem").string();
  write_file(open_key, hub_key_->private_key_pem, 0644);
  auto r =
      testing::run_liaison({"serve", "--data", data, "--tls-cert", cert, "--tls-key", open_key});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--tls-key"));
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
  r = testing::run_liaison({"serve", "--data", data, "--tls-cert", cert});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("go together"));
  r = testing::run_liaison({"serve", "--data", data, "--hi1-tls-clients", dir_->path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("mutual TLS is TLS first"));
  // A link's client key is a secret too, checked when the links file is read.
  write_file(dir_->path() / "tls-links.toml",
             "[[link]]\norganisation = \"NL/NPCU\"\npeer = \"IE/EXMAIL\"\n"
             "url = \"https://hub.example.org/hi1\"\ntls_certificate = \"" +
                 cert + "\"\ntls_key = \"" + open_key + "\"\n",
             0600);
  r = testing::run_liaison(
      {"serve", "--data", data, "--hi1-links", (dir_->path() / "tls-links.toml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("link[1].tls_key"));
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
}

}  // namespace
}  // namespace liaison
