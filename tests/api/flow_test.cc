// The whole channel through the real HTTP API: an officer sends a request and
// the provider answers it, with both sides seeing every step.
#include <gtest/gtest.h>

#include "cli/hub_client.h"
#include "support/demo_evidence.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::HubProcess;

json body_of(const cli::ClientResponse& r) { return json::parse(r.body); }

http::Headers if_match(const json& request) {
  http::Headers h;
  h.set("If-Match", "\"" + std::to_string(request["version"].get<int>()) + "\"");
  return h;
}

TEST(Flow, OfficerAndAnalystTakeAProductionRequestToProduced) {
  HubProcess hub;
  cli::HubClient officer(hub.base_url(), hub.token("officer"));
  cli::HubClient analyst(hub.base_url(), hub.token("analyst"));

  auto created = officer.send("POST", "/api/v1/requests", hub.example_draft().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  json r = body_of(created);
  std::string path = "/api/v1/requests/" + r["id"].get<std::string>();
  EXPECT_EQ(r["status"], "draft");

  // A draft is invisible to the provider.
  EXPECT_EQ(analyst.send("GET", path).status, 404);

  auto act = [&](cli::HubClient& who, const std::string& action, const std::string& note = "") {
    json current = body_of(who.send("GET", path));
    json body = {{"action", action}};
    if (!note.empty()) body["note"] = note;
    auto resp =
        who.send("POST", path + "/actions", body.dump(), "application/json", if_match(current));
    EXPECT_EQ(resp.status, 200) << action << ": " << resp.body;
    return body_of(resp);
  };

  testing::sign_for_submission(hub, r);
  EXPECT_EQ(act(officer, "submit")["status"], "submitted");
  json queue = body_of(analyst.send("GET", "/api/v1/requests"));
  ASSERT_EQ(queue["items"].size(), 1u);
  EXPECT_EQ(queue["items"][0]["id"], r["id"]);

  EXPECT_EQ(act(analyst, "acknowledge")["status"], "acknowledged");
  EXPECT_EQ(
      act(analyst, "request_clarification", "Which time zone is the IP timestamp in?")["status"],
      "clarification_requested");
  EXPECT_EQ(act(officer, "clarify", "UTC+01:00, as stated in the target.")["status"], "clarified");
  EXPECT_EQ(act(analyst, "accept")["status"], "accepted");

  json package =
      testing::produce_package(hub, r, "account,created\nsuspect.mailbox@example.org,2025-03-01\n");
  ASSERT_TRUE(package.is_object());
  EXPECT_EQ(act(analyst, "produce")["status"], "produced");

  // The officer sees every step and the conversation.
  json events = body_of(officer.send("GET", path + "/events"));
  std::vector<std::string> types;
  for (const auto& e : events["items"]) types.push_back(e["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"created", "signed", "validation_requested", "signed",
                                             "submit", "acknowledge", "request_clarification",
                                             "clarify", "accept", "evidence_package", "produce"}));
  json messages = body_of(officer.send("GET", path + "/messages"));
  ASSERT_EQ(messages["items"].size(), 2u);
  json final_view = body_of(officer.send("GET", path));
  EXPECT_EQ(final_view["status"], "produced");
  EXPECT_EQ(final_view["etsi_status"]["value"], "Disclosed");
}

}  // namespace
}  // namespace liaison
