// Conventions every route shares: strict query parameters, problem instances,
// nosniff, and token minting only by the token's owner.
#include <gtest/gtest.h>

#include <filesystem>

#include "api_helpers.h"

namespace liaison {
namespace {

using apitest::body_of;
using apitest::IsProblem;
using nlohmann::json;

class Conventions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = std::make_unique<testing::HubProcess>(); }
  static void TearDownTestSuite() { hub_.reset(); }
  static std::unique_ptr<testing::HubProcess> hub_;
};
std::unique_ptr<testing::HubProcess> Conventions::hub_;

TEST_F(Conventions, EveryRouteRefusesUnknownQueryParameters) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/me?verbose=1"), 422, "validation-failed",
                        "verbose", "unknown query parameter"));
  EXPECT_TRUE(IsProblem(
      officer.send("GET", "/api/v1/organisations/" + hub_->org_id("provider") + "?expand=users"),
      422, "validation-failed", "expand"));
  EXPECT_EQ(officer.send("GET", "/api/v1/requests?limit=1").status, 200);
}

TEST_F(Conventions, ProblemsCarryTheRequestIdAndResponsesForbidSniffing) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  http::Headers h;
  h.set("X-Request-Id", "trace-4711");
  auto missing = officer.send("GET", "/api/v1/nothing-here", "", "application/json", h);
  EXPECT_TRUE(IsProblem(missing, 404, "not-found"));
  EXPECT_EQ(body_of(missing)["instance"], "urn:liaison:request:trace-4711");
  EXPECT_EQ(missing.headers.get("X-Content-Type-Options"), std::optional<std::string>("nosniff"));
  auto wrong_method = officer.send("PUT", "/api/v1/requests", "{}");
  EXPECT_TRUE(IsProblem(wrong_method, 405, "method-not-allowed"));
  EXPECT_EQ(wrong_method.headers.get("Allow"), std::optional<std::string>("GET, POST"));
  EXPECT_TRUE(body_of(wrong_method).contains("instance"));
}

TEST_F(Conventions, AdministratorsRevokeButNeverMintOthersTokens) {
  std::string officer_tokens = "/api/v1/users/" + hub_->user_id("officer") + "/tokens";
  for (const std::string& admin_token : {hub_->token("police_admin"), hub_->admin_token()}) {
    cli::HubClient admin(hub_->base_url(), admin_token);
    EXPECT_TRUE(IsProblem(admin.send("POST", officer_tokens, R"({"name":"impersonate"})"), 403,
                          "forbidden"));
    EXPECT_EQ(admin.send("GET", officer_tokens).status, 200)
        << "administrators still see the token list";
  }
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  auto own = officer.send("POST", officer_tokens, R"({"name":"laptop"})");
  ASSERT_EQ(own.status, 201) << own.body;
  cli::HubClient police_admin(hub_->base_url(), hub_->token("police_admin"));
  EXPECT_EQ(
      police_admin.send("DELETE", officer_tokens + "/" + body_of(own)["id"].get<std::string>())
          .status,
      204);
}

TEST_F(Conventions, AttachmentNamesAndTypesAreSafeForTheOtherSide) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  auto created = officer.send("POST", "/api/v1/requests", hub_->example_draft().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path =
      "/api/v1/requests/" + body_of(created)["id"].get<std::string>() + "/attachments";
  for (std::string name : {".bashrc", "..", "dir%5Cfile.txt"}) {
    EXPECT_TRUE(IsProblem(officer.send("POST", path + "?name=" + name, "x", "text/plain"), 422,
                          "validation-failed", "name"))
        << name;
  }
  EXPECT_TRUE(IsProblem(officer.send("POST", path + "?name=a.txt", "x", "text/<html>"), 422,
                        "validation-failed", "media_type"));
  EXPECT_EQ(officer.send("POST", path + "?name=a.txt", "x", "text/plain; charset=utf-8").status,
            201);
}

TEST_F(Conventions, RefusedUploadsLeaveNoBytesBehind) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  auto created = officer.send("POST", "/api/v1/requests", hub_->example_draft().dump());
  std::string rp = "/api/v1/requests/" + body_of(created)["id"].get<std::string>();
  ASSERT_EQ(officer.send("POST", rp + "/actions", R"({"action":"cancel"})").status, 200);
  auto count_blobs = [&] {
    std::size_t n = 0;
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(hub_->data_dir() / "blobs")) {
      if (e.is_regular_file()) ++n;
    }
    return n;
  };
  std::size_t before = count_blobs();
  EXPECT_TRUE(IsProblem(officer.send("POST", rp + "/attachments?name=late.txt",
                                     "unique late bytes 7f3a", "text/plain"),
                        409, "illegal-transition"));
  EXPECT_EQ(count_blobs(), before);
}

}  // namespace
}  // namespace liaison
