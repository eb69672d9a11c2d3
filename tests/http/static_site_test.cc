#include "http/static_site.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.h"

namespace liaison::http {
namespace {

using ::testing::HasSubstr;

void write(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

Request get(std::string path, Headers headers = {}) {
  Request r;
  r.method = "GET";
  r.path = std::move(path);
  r.headers = std::move(headers);
  return r;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(dir_.path() / "index.html", "<!doctype html><title>Liaison</title>");
    write(dir_.path() / "assets" / "index-3f9a.js", "console.log(1)");
    write(dir_.path() / "favicon.svg", "<svg/>");
    write(dir_.path().parent_path() / (dir_.path().filename().string() + "-secret.txt"), "no");
    auto opened = StaticSite::open(dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    site_.emplace(std::move(opened).value());
  }
  void TearDown() override {
    std::filesystem::remove(dir_.path().parent_path() /
                            (dir_.path().filename().string() + "-secret.txt"));
  }

  testing::TempDir dir_;
  std::optional<StaticSite> site_;
};

TEST_F(StaticSiteTest, ServesTheIndexAtTheRootWithAStrictPolicyAndRevalidation) {
  auto r = site_->serve(get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<!doctype html><title>Liaison</title>");
  EXPECT_EQ(r->headers.get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->headers.get("Cache-Control"), "no-cache");
  EXPECT_THAT(*r->headers.get("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  EXPECT_THAT(*r->headers.get("Content-Security-Policy"), HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(r->headers.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(site_->file_count(), 3u);
}

TEST_F(StaticSiteTest, HashedAssetsAreCachedForAYear) {
  auto r = site_->serve(get("/assets/index-3f9a.js"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "console.log(1)");
  EXPECT_EQ(r->headers.get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r->headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(site_->serve(get("/favicon.svg"))->headers.get("Cache-Control"), "no-cache");
}

TEST_F(StaticSiteTest, TheAppsOwnAddressesLoadTheApp) {
  for (const char* path : {"/requests/5f0c2d9e", "/queue", "/admin/users/"}) {
    auto r = site_->serve(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body, "<!doctype html><title>Liaison</title>") << path;
  }
}

TEST_F(StaticSiteTest, UnknownFilesAndOtherMethodsAreNotServed) {
  EXPECT_FALSE(site_->serve(get("/assets/missing.js")));
  EXPECT_FALSE(site_->serve(get("/index.htm")));
  Request post = get("/");
  post.method = "POST";
  EXPECT_FALSE(site_->serve(post));
  Request head = get("/favicon.svg");
  head.method = "HEAD";
  EXPECT_TRUE(site_->serve(head));
}

TEST_F(StaticSiteTest, NoPathReachesAFileOutsideTheFolder) {
  std::string sibling = "/../" + dir_.path().filename().string() + "-secret.txt";
  EXPECT_FALSE(site_->serve(get(sibling)));
  EXPECT_FALSE(
      site_->serve(get("/assets/../../" + dir_.path().filename().string() + "-secret.txt")));
  // Without a dot the last segment is an app address: the index, never a file.
  auto r = site_->serve(get("/../../etc/passwd"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "<!doctype html><title>Liaison</title>");
}

TEST_F(StaticSiteTest, AMatchingETagIsNotModified) {
  auto first = site_->serve(get("/assets/index-3f9a.js"));
  std::string etag = *first->headers.get("ETag");
  EXPECT_EQ(etag.front(), '"');
  Headers h;
  h.set("If-None-Match", "\"other\", W/" + etag);
  auto again = site_->serve(get("/assets/index-3f9a.js", h));
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  h.set("If-None-Match", "\"other\"");
  EXPECT_EQ(site_->serve(get("/assets/index-3f9a.js", h))->status, 200);
  EXPECT_NE(site_->serve(get("/favicon.svg"))->headers.get("ETag"), etag);
}

TEST(StaticSiteOpen, AFolderWithoutAnIndexIsRefusedWithTheReason) {
  testing::TempDir dir;
  auto r = StaticSite::open(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("no index.html"));
  EXPECT_FALSE(StaticSite::open(dir.path() / "missing").ok());
}

TEST(MediaTypes, NamesTheTypesAPortalShips) {
  EXPECT_EQ(media_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(media_type_for("a.png"), "image/png");
  EXPECT_EQ(media_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(media_type_for("README"), "application/octet-stream");
  EXPECT_EQ(media_type_for("a.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace liaison::http
