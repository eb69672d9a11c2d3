// Health checks, Prometheus metrics and request ids, without a token.
#include <gtest/gtest.h>

#include <regex>

#include "api/api_helpers.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

// The value of an exact metric line "name value", or -1.
long long metric(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + " ", 0) == 0) return std::stoll(line.substr(name.size() + 1));
  }
  return -1;
}

TEST(HealthMetrics, HealthNeedsNoToken) {
  HubProcess hub;
  HubClient anonymous(hub.base_url(), "");
  auto live = anonymous.send("GET", "/health/live");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.headers.get("Content-Type"), std::optional<std::string>("application/json"));
  EXPECT_EQ(body_of(live), json({{"status", "live"}}));
  auto ready = anonymous.send("GET", "/health/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(body_of(ready), json({{"status", "ready"}}));
  EXPECT_EQ(anonymous.send("HEAD", "/health/live").status, 200);
  auto post = anonymous.send("POST", "/health/live", "{}");
  EXPECT_TRUE(IsProblem(post, 405, "method-not-allowed"));
  EXPECT_EQ(post.headers.get("Allow"), std::optional<std::string>("GET"));
}

TEST(HealthMetrics, MetricsCountRequestsAndRequestsByStatus) {
  HubProcess hub;
  HubClient anonymous(hub.base_url(), "");
  HubClient officer(hub.base_url(), hub.token("officer"));

  auto first = anonymous.send("GET", "/metrics");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.headers.get("Content-Type"),
            std::optional<std::string>("text/plain; version=0.0.4"));
  long long before = metric(first.body, "liaison_http_requests_total");
  ASSERT_GE(before, 0) << first.body;
  EXPECT_NE(first.body.find("# TYPE liaison_http_requests_total counter"), std::string::npos);
  EXPECT_NE(first.body.find("# TYPE liaison_requests gauge"), std::string::npos);
  EXPECT_EQ(first.body.find("liaison_requests{"), std::string::npos)
      << "no requests yet: " << first.body;

  json a = create_request(hub, officer);
  json b = create_request(hub, officer);
  create_request(hub, officer);
  // Signing costs two reads and a write, the prosecutor's co-signature
  // three reads and a write, and asking for it a write.
  submit_signed(hub, a);
  act_ok(officer, b, "cancel");
  EXPECT_EQ(officer.send("GET", "/api/v1/requests/not-a-uuid").status, 422);

  auto second = anonymous.send("GET", "/metrics");
  ASSERT_EQ(second.status, 200);
  // Three creates, eight signing calls, two actions, one bad GET and the first /metrics
  // were served since.
  EXPECT_EQ(metric(second.body, "liaison_http_requests_total"), before + 15) << second.body;
  EXPECT_EQ(metric(second.body, "liaison_requests{status=\"draft\"}"), 1) << second.body;
  EXPECT_EQ(metric(second.body, "liaison_requests{status=\"submitted\"}"), 1) << second.body;
  EXPECT_EQ(metric(second.body, "liaison_requests{status=\"cancelled\"}"), 1) << second.body;
  EXPECT_GE(metric(second.body, "liaison_http_responses_total{class=\"4xx\"}"), 1);
  EXPECT_GE(metric(second.body, "liaison_http_responses_total{class=\"2xx\"}"), 6);
  EXPECT_NE(second.body.find("liaison_build_info{version=\""), std::string::npos);
}

TEST(HealthMetrics, RequestIdsAreEchoed) {
  HubProcess hub;
  HubClient officer(hub.base_url(), hub.token("officer"));
  auto r =
      officer.send("GET", "/api/v1/me", "", "", headers({{"X-Request-Id", "trace-2026.abc_1"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("X-Request-Id"), std::optional<std::string>("trace-2026.abc_1"));

  // Problems name the request they answer.
  auto bad = officer.send("GET", "/api/v1/requests/nope", "", "",
                          headers({{"X-Request-Id", "trace-404"}}));
  EXPECT_EQ(bad.headers.get("X-Request-Id"), std::optional<std::string>("trace-404"));
  EXPECT_EQ(body_of(bad)["instance"], "urn:liaison:request:trace-404");
  auto anon = HubClient(hub.base_url(), "")
                  .send("GET", "/health/live", "", "", headers({{"X-Request-Id", "h-1"}}));
  EXPECT_EQ(anon.headers.get("X-Request-Id"), std::optional<std::string>("h-1"));

  // Without one, or with one that is unsafe to log, the hub makes its own.
  std::regex generated("[0-9a-f]{16}");
  for (const std::string& id :
       {std::string(), std::string("has space"), std::string(65, 'a'), std::string("a\"b")}) {
    auto x = id.empty()
                 ? officer.send("GET", "/api/v1/me")
                 : officer.send("GET", "/api/v1/me", "", "", headers({{"X-Request-Id", id}}));
    auto echoed = x.headers.get("X-Request-Id");
    ASSERT_TRUE(echoed.has_value()) << id;
    EXPECT_TRUE(std::regex_match(*echoed, generated)) << id << " -> " << *echoed;
  }
}

}  // namespace
}  // namespace liaison
