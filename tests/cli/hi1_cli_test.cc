// `liaison hi1` between two real hubs on loopback: the police unit's hub
// holds and signs the request, and `hi1 send` delivers it over HI-1 to the
// provider's hub, which verifies it against the roots it trusts and reports
// its status back over GET. Both hubs' ledgers record their side.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/api_helpers.h"
#include "support/hub_process.h"
#include "support/signing.h"
#include "support/x509_support.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
using testing::HubProcess;

class Hi1Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    authority_ = std::make_unique<HubProcess>();
    provider_ = std::make_unique<HubProcess>();
    // The provider's hub trusts the authority hub's central authority.
    ASSERT_NO_FATAL_FAILURE(testing::trust_roots_of(*authority_, *provider_));
  }
  static void TearDownTestSuite() {
    authority_.reset();
    provider_.reset();
  }

  // A request the officer files and the prosecutor validates on the
  // authority's hub, signed and ready: never submitted there.
  static json signed_draft() {
    HubClient officer(authority_->base_url(), authority_->token("officer"));
    json draft = create_request(*authority_, officer);
    testing::sign_for_submission(*authority_, draft);
    return draft;
  }

  static std::vector<std::string> send_args(const json& draft) {
    return {"hi1",
            "send",
            draft["id"].get<std::string>(),
            "--to",
            provider_->base_url() + "/hi1",
            "--to-token",
            provider_->token("officer"),
            "--hub",
            authority_->base_url(),
            "--token",
            authority_->token("officer")};
  }

  static inline std::unique_ptr<HubProcess> authority_;
  static inline std::unique_ptr<HubProcess> provider_;
};

TEST_F(Hi1Cli, ARequestSignedOnOneHubIsSentOverHi1AndReachesTheProviderOnAnother) {
  json draft = signed_draft();
  auto args = send_args(draft);
  args.push_back("--json");
  auto r = testing::run_liaison(args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  json sent = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(sent.is_object()) << r.out;
  EXPECT_EQ(sent["status"], "AwaitingDisclosure") << sent;

  // On the provider's hub: received, verified against the trusted root, and
  // in the provider's queue, with its ledger entry.
  std::string id = draft["id"];
  HubClient analyst(provider_->base_url(), provider_->token("analyst"));
  auto seen = analyst.send("GET", "/api/v1/requests?limit=50");
  ASSERT_EQ(seen.status, 200);
  json queue = body_of(seen);
  json received;
  for (const auto& item : queue["items"]) {
    if (item.value("issuer_reference", "") == draft.value("issuer_reference", "") &&
        item.value("status", "") == "submitted")
      received = item;
  }
  ASSERT_TRUE(received.is_object()) << queue;
  json view = get_json(analyst, "/api/v1/requests/" + received["id"].get<std::string>());
  EXPECT_FALSE(view["ledger"].empty()) << view["ledger"];

  // The status read again on its own, as an authority's system polls.
  auto again = testing::run_liaison({"hi1", "status", sent["task_id"], "--to",
                                     provider_->base_url() + "/hi1", "--to-token",
                                     provider_->token("officer"), "--from",
                                     draft["issuer"]["country"].get<std::string>() + "/" +
                                         draft["issuer"]["endpoint_uid"].get<std::string>(),
                                     "--provider",
                                     draft["provider"]["country"].get<std::string>() + "/" +
                                         draft["provider"]["endpoint_uid"].get<std::string>()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("AwaitingDisclosure"), std::string::npos) << again.out;

  // Sent twice, the same signed request is a replay: refused as one object
  // already there would be, or quarantined, never a second request.
  auto twice = testing::run_liaison(send_args(draft));
  EXPECT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_NE(twice.out.find("Invalid"), std::string::npos) << twice.out;
}

TEST_F(Hi1Cli, BadInputIsOneLineAndANonZeroExit) {
  json draft = signed_draft();
  auto wrong_token = send_args(draft);
  wrong_token[6] = "lsn_not-a-token";
  auto r = testing::run_liaison(wrong_token);
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.err.find("refused the token"), std::string::npos) << r.err;

  auto bad_url = send_args(draft);
  bad_url[4] = "ftp://hub.example.org/hi1";
  r = testing::run_liaison(bad_url);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--to"), std::string::npos) << r.err;

  // A draft that was never signed has nothing to send.
  HubClient officer(authority_->base_url(), authority_->token("officer"));
  json unsigned_draft = create_request(*authority_, officer);
  r = testing::run_liaison(send_args(unsigned_draft));
  EXPECT_EQ(r.exit_code, 4) << r.err;
}

// A provider's hub that serves HTTPS only, takes POST /hi1 from a client
// certificate trusted for the sender's endpoint, and wants every message
// XML-signed: `hi1 send` with the police unit system's certificate and
// signing key, and no token.
class Hi1CliOverMutualTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<testing::TempDir>();
    auto server = testing::make_signing_key("hub.mail.example.org", false, false, "IP:127.0.0.1");
    auto police = testing::make_signing_key("hi1.police.example.org");
    save("server.pem", server.certificate_pem);
    save("server.key", server.private_key_pem);
    save("police.pem", police.certificate_pem);
    save("police.key", police.private_key_pem);
    std::filesystem::create_directory(dir_->path() / "trusted");
    save("trusted/NL-NPCU.pem", police.certificate_pem);
    authority_ = std::make_unique<HubProcess>();
    provider_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "--tls-cert", path("server.pem"), "--tls-key", path("server.key"), "--hi1-tls-clients",
        path("trusted"), "--hi1-signers", path("trusted"), "--hi1-require-signatures"});
    ASSERT_NO_FATAL_FAILURE(testing::trust_roots_of(*authority_, *provider_));
  }
  static void TearDownTestSuite() {
    authority_.reset();
    provider_.reset();
    dir_.reset();
  }
  static std::string path(const std::string& name) { return (dir_->path() / name).string(); }
  static void save(const std::string& name, const std::string& text) {
    std::ofstream(path(name)) << text;
    std::filesystem::permissions(
        path(name), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  // `hi1 send` of a fresh signed draft with the system's certificate and
  // signing key; `drop` leaves out that flag and the file after it.
  static std::vector<std::string> send_args(const std::string& drop = "") {
    HubClient officer = testing::client_as(*authority_, "officer");
    json draft = create_request(*authority_, officer);
    testing::sign_for_submission(*authority_, draft);
    std::vector<std::string> args = {"hi1",
                                     "send",
                                     draft["id"].get<std::string>(),
                                     "--to",
                                     provider_->base_url() + "/hi1",
                                     "--hub",
                                     authority_->base_url(),
                                     "--token",
                                     authority_->token("officer"),
                                     "--json"};
    for (const auto& [flag, file] : {std::pair{"--to-ca", "server.pem"},
                                     {"--to-cert", "police.pem"},
                                     {"--to-key", "police.key"},
                                     {"--signing-key", "police.key"},
                                     {"--signing-cert", "police.pem"}}) {
      if (flag == drop) continue;
      args.push_back(flag);
      args.push_back(path(file));
    }
    return args;
  }

  static inline std::unique_ptr<testing::TempDir> dir_;
  static inline std::unique_ptr<HubProcess> authority_;
  static inline std::unique_ptr<HubProcess> provider_;
};

TEST_F(Hi1CliOverMutualTls, TheSystemsCertificateAndSignatureAreItsCredentials) {
  ASSERT_EQ(provider_->base_url().rfind("https://", 0), 0u);
  auto r = testing::run_liaison(send_args());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  json sent = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(sent.is_object()) << r.out;
  EXPECT_EQ(sent["status"], "AwaitingDisclosure") << sent;

  // And GET, signed too, over the same TLS.
  auto status = testing::run_liaison(
      {"hi1", "status", sent["task_id"], "--to", provider_->base_url() + "/hi1", "--from",
       "NL/NPCU", "--provider", "IE/EXMAIL", "--to-ca", path("server.pem"), "--to-cert",
       path("police.pem"), "--to-key", path("police.key"), "--signing-key", path("police.key"),
       "--signing-cert", path("police.pem")});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("AwaitingDisclosure"), std::string::npos) << status.out;
}

TEST_F(Hi1CliOverMutualTls, AMissingCredentialIsNamed) {
  // Unsigned, the message is refused whole by a hub that wants signatures.
  auto r = testing::run_liaison(send_args("--signing-key"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--signing-key: a signing key goes with its certificate"), std::string::npos)
      << r.err;
  auto args = send_args("--signing-key");
  args.erase(args.end() - 2, args.end());  // --signing-cert too
  r = testing::run_liaison(args);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("3005"), std::string::npos) << r.err;

  // Neither a certificate nor a token.
  args = send_args("--to-cert");
  r = testing::run_liaison(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--to-cert: a client certificate goes with its key"), std::string::npos)
      << r.err;
  args.erase(std::find(args.begin(), args.end(), "--to-key"),
             std::find(args.begin(), args.end(), "--to-key") + 2);
  r = testing::run_liaison(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--to-token: give the endpoint's token, or --to-cert"), std::string::npos)
      << r.err;
  // A wrong token in the certificate's place is refused by the hub.
  args.push_back("--to-token");
  args.push_back("lsn_not-a-token");
  r = testing::run_liaison(args);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("refused the token"), std::string::npos) << r.err;

  // A hub certificate that does not chain to --to-ca: no connection.
  args = send_args();
  *(std::find(args.begin(), args.end(), "--to-ca") + 1) = path("police.pem");
  r = testing::run_liaison(args);
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("TLS handshake"), std::string::npos) << r.err;

  // A client key others may read is refused before anything is sent.
  std::filesystem::copy_file(path("police.key"), path("exposed.key"));
  std::filesystem::permissions(path("exposed.key"), std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  args = send_args();
  *(std::find(args.begin(), args.end(), "--to-key") + 1) = path("exposed.key");
  r = testing::run_liaison(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--to-key: "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace liaison
