// The web portal through a real hub: served from /, beside an API it never
// shadows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "api_helpers.h"
#include "support/test_support.h"

namespace liaison::apitest {
namespace {

using ::testing::HasSubstr;

class Portal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    web_ = new testing::TempDir();  // NOLINT(cppcoreguidelines-owning-memory): suite lifetime
    std::ofstream(web_->path() / "index.html") << "<!doctype html><div id=app></div>";
    std::filesystem::create_directories(web_->path() / "assets");
    std::ofstream(web_->path() / "assets" / "main-1a2b.js") << "export {}";
    hub_ = new HubProcess(
        {"--web", web_->path().string()});  // NOLINT(cppcoreguidelines-owning-memory)
  }
  static void TearDownTestSuite() {
    delete hub_;  // NOLINT(cppcoreguidelines-owning-memory)
    delete web_;  // NOLINT(cppcoreguidelines-owning-memory)
  }
  HubClient client() const { return HubClient(hub_->base_url(), ""); }

  static testing::TempDir* web_;
  static HubProcess* hub_;
};
testing::TempDir* Portal::web_ = nullptr;
HubProcess* Portal::hub_ = nullptr;

TEST_F(Portal, TheAppIsServedFromTheRootAndFromItsOwnAddresses) {
  for (const char* path : {"/", "/requests/0f6b2c1e-0000-4000-8000-000000000001", "/queue"}) {
    auto r = client().send("GET", path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><div id=app></div>") << path;
    EXPECT_EQ(r.headers.get("Content-Type"), "text/html; charset=utf-8");
    EXPECT_THAT(r.headers.get("Content-Security-Policy").value_or(""),
                HasSubstr("default-src 'self'"));
  }
  auto js = client().send("GET", "/assets/main-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(Portal, TheApiKeepsItsOwnAnswers) {
  EXPECT_TRUE(IsProblem(client().send("GET", "/api/v1/nothing-here"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(client().send("GET", "/api/v1/me"), 401, "unauthenticated"));
  EXPECT_TRUE(IsProblem(client().send("GET", "/api"), 404, "not-found"));
  EXPECT_EQ(client().send("GET", "/health/live").status, 200);
  EXPECT_TRUE(IsProblem(client().send("GET", "/assets/gone.js"), 404, "not-found"));
  EXPECT_EQ(client().send("POST", "/", "{}").status, 404);
}

TEST(PortalServe, AFolderThatHoldsNoPortalIsRefusedAtStart) {
  testing::TempDir dir;
  auto r = testing::run_liaison({"serve", "--data", (dir.path() / "hub").string(), "--listen",
                                 "127.0.0.1:0", "--web", dir.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--web"));
  EXPECT_THAT(r.err, HasSubstr("no index.html"));
}

}  // namespace
}  // namespace liaison::apitest
