// What kind of authority an organisation is: recorded at creation, shown in
// its representation, and refused where it makes no sense.
#include <gtest/gtest.h>

#include "cli/hub_client.h"
#include "support/hub_process.h"

namespace liaison {
namespace {

using nlohmann::json;

json create(cli::HubClient& admin, const json& body, int expected) {
  auto r = admin.send("POST", "/api/v1/organisations", body.dump());
  EXPECT_EQ(r.status, expected) << r.body;
  return json::parse(r.body);
}

TEST(Organisations, AnAuthorityRecordsWhatKindOfAuthorityItIs) {
  testing::HubProcess hub;
  cli::HubClient admin(hub.base_url(), hub.admin_token());
  json court = create(admin,
                      {{"kind", "authority"},
                       {"name", "Northport District Court"},
                       {"country", "NL"},
                       {"endpoint_uid", "NPDC"},
                       {"authority_type", "judge"}},
                      201);
  EXPECT_EQ(court["authority_type"], "judge");
  auto read = admin.send("GET", "/api/v1/organisations/" + court["id"].get<std::string>());
  EXPECT_EQ(json::parse(read.body)["authority_type"], "judge");

  // The demo's authorities say what they are; its provider has none.
  auto police =
      json::parse(admin.send("GET", "/api/v1/organisations/" + hub.org_id("police")).body);
  EXPECT_EQ(police["authority_type"], "police");
  auto prosecutor =
      json::parse(admin.send("GET", "/api/v1/organisations/" + hub.org_id("prosecutor")).body);
  EXPECT_EQ(prosecutor["authority_type"], "prosecutor");
  auto provider =
      json::parse(admin.send("GET", "/api/v1/organisations/" + hub.org_id("provider")).body);
  EXPECT_TRUE(provider["authority_type"].is_null());

  // A central authority is one whatever it is called; an untyped authority stays untyped.
  json central = create(admin,
                        {{"kind", "central_authority"},
                         {"name", "Northport 24/7 Point of Contact"},
                         {"country", "NL"},
                         {"endpoint_uid", "NL247"}},
                        201);
  EXPECT_EQ(central["authority_type"], "central_authority");
  json untyped = create(admin,
                        {{"kind", "authority"},
                         {"name", "Southport Customs"},
                         {"country", "NL"},
                         {"endpoint_uid", "SPCU"}},
                        201);
  EXPECT_TRUE(untyped["authority_type"].is_null());
}

TEST(Organisations, AnAuthorityTypeThatMakesNoSenseIsRefusedByName) {
  testing::HubProcess hub;
  cli::HubClient admin(hub.base_url(), hub.admin_token());
  struct Case {
    json body;
    const char* says;
  };
  std::vector<Case> cases = {
      {{{"kind", "provider"}, {"authority_type", "police"}}, "not an authority"},
      {{{"kind", "authority"}, {"authority_type", "sheriff"}}, "police, prosecutor, judge"},
      {{{"kind", "authority"}, {"authority_type", "central_authority"}},
       "only a central authority"},
      {{{"kind", "central_authority"}, {"authority_type", "judge"}}, "is central_authority"},
      {{{"kind", "authority"}, {"authority_type", 3}}, ""},
  };
  int n = 0;
  for (auto& c : cases) {
    json body = c.body;
    body["name"] = "Example Org " + std::to_string(n);
    body["country"] = "NL";
    body["endpoint_uid"] = "EXORG" + std::to_string(n++);
    json problem = create(admin, body, 422);
    EXPECT_EQ(problem["field"], "authority_type") << body.dump();
    EXPECT_NE(problem["detail"].get<std::string>().find(c.says), std::string::npos)
        << problem.dump();
  }
  // Nothing was half-created.
  auto all = json::parse(admin.send("GET", "/api/v1/organisations").body);
  for (const auto& o : all["items"]) {
    EXPECT_EQ(o["name"].get<std::string>().find("Example Org"), std::string::npos);
  }
}

}  // namespace
}  // namespace liaison
