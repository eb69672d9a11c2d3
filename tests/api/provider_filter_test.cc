// The provider filter narrows an authority's list and never widens a provider's.
#include <gtest/gtest.h>

#include "cli/hub_client.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison {
namespace {

using nlohmann::json;

TEST(ProviderFilter, NarrowsForAuthoritiesAndNeverWidensForProviders) {
  testing::HubProcess hub;
  cli::HubClient admin(hub.base_url(), hub.admin_token());
  auto other = admin.send(
      "POST", "/api/v1/organisations",
      R"({"kind":"provider","name":"Example Hosting SE","country":"SE","endpoint_uid":"EXHOST"})");
  ASSERT_EQ(other.status, 201) << other.body;
  std::string other_id = json::parse(other.body)["id"];

  cli::HubClient officer(hub.base_url(), hub.token("officer"));
  json to_mail = hub.example_draft();
  json to_host = to_mail;
  to_host["provider_id"] = other_id;
  for (const json& d : {to_mail, to_host, to_host}) {
    auto r = json::parse(officer.send("POST", "/api/v1/requests", d.dump()).body);
    testing::sign_for_submission(hub, r);
    ASSERT_EQ(officer
                  .send("POST", "/api/v1/requests/" + r["id"].get<std::string>() + "/actions",
                        R"({"action":"submit"})")
                  .status,
              200);
  }

  auto mine = json::parse(officer.send("GET", "/api/v1/requests?provider_id=" + other_id).body);
  EXPECT_EQ(mine["items"].size(), 2u);
  for (const auto& i : mine["items"]) EXPECT_EQ(i["provider"]["id"], other_id);

  cli::HubClient analyst(hub.base_url(), hub.token("analyst"));
  auto widened = json::parse(analyst.send("GET", "/api/v1/requests?provider_id=" + other_id).body);
  EXPECT_TRUE(widened["items"].empty()) << "a provider must not see another provider's queue";
  auto own = json::parse(
      analyst.send("GET", "/api/v1/requests?provider_id=" + hub.org_id("provider")).body);
  EXPECT_EQ(own["items"].size(), 1u);

  auto bad = officer.send("GET", "/api/v1/requests?provider_id=not-a-uuid");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(json::parse(bad.body)["field"], "provider_id");
}

}  // namespace
}  // namespace liaison
