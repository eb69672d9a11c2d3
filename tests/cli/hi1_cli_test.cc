// `liaison hi1` between two real hubs on loopback: the police unit's hub
// holds and signs the request, and `hi1 send` delivers it over HI-1 to the
// provider's hub, which verifies it against the roots it trusts and reports
// its status back over GET. Both hubs' ledgers record their side.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_helpers.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
using testing::HubProcess;

class Hi1Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    authority_ = new HubProcess();
    provider_ = new HubProcess();
    // The provider's hub trusts the authority hub's central authority.
    HubClient a(authority_->base_url(), authority_->token("officer"));
    json store = get_json(a, "/api/v1/trust");
    HubClient admin(provider_->base_url(), provider_->admin_token());
    for (const auto& root : store["roots"]) {
      auto r = admin.send("POST", "/api/v1/trust/roots", root.dump());
      ASSERT_TRUE(r.status == 201 || r.status == 200 || r.status == 409) << r.body;
    }
  }
  static void TearDownTestSuite() {
    delete authority_;
    delete provider_;
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

  static HubProcess* authority_;
  static HubProcess* provider_;
};
HubProcess* Hi1Cli::authority_ = nullptr;
HubProcess* Hi1Cli::provider_ = nullptr;

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

}  // namespace
}  // namespace liaison
