// The legal routes through the hub: advice over GET /api/v1/routes, the route
// a request is filed under, and the provider's deadline it gives at receipt.
#include <gtest/gtest.h>

#include <set>

#include "cli/hub_client.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison {
namespace {

using nlohmann::json;

json get(cli::HubClient& c, const std::string& path, int expected = 200) {
  auto r = c.send("GET", path);
  EXPECT_EQ(r.status, expected) << path << ": " << r.body;
  return json::parse(r.body);
}

std::vector<std::string> ids(const json& list) {
  std::vector<std::string> out;
  for (const auto& r : list) out.push_back(r["id"]);
  return out;
}

const json* find(const json& list, const std::string& id) {
  for (const auto& r : list)
    if (r["id"] == id) return &r;
  return nullptr;
}

bool mentions(const json& reasons, const std::string& text) {
  for (const auto& r : reasons)
    if (r.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

class Routes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = new testing::HubProcess(); }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }
  static testing::HubProcess* hub_;
};
testing::HubProcess* Routes::hub_ = nullptr;

TEST_F(Routes, AnOfficerAsksWithTheirOwnCountryAndTypeAndTheProvidersDirectoryEntry) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  json a = get(officer, "/api/v1/routes?provider_id=" + hub_->org_id("provider") +
                            "&category=SubscriberData&kind=production");
  EXPECT_EQ(a["situation"]["requesting_country"], "NL");
  EXPECT_EQ(a["situation"]["authority_type"], "police");
  EXPECT_EQ(a["situation"]["provider"]["establishment"], "IE");
  EXPECT_EQ(a["situation"]["provider"]["time_zone"], "Europe/Dublin");
  EXPECT_NE(a["situation"]["provider"]["source"].get<std::string>().find("example-mail"),
            std::string::npos);
  ASSERT_FALSE(a["available"].empty());
  const json& best = a["available"][0];
  EXPECT_EQ(best["id"], "eu-2023-1543/epoc-subscriber");
  EXPECT_EQ(best["deadline"]["text"], "10 days");
  EXPECT_FALSE(best["issuer"]["may_issue_alone"])
      << "police need a prosecutor's or judge's validation";
  EXPECT_EQ(ids(a["available"]).back(), "mla/request") << "mutual legal assistance comes last";
  const json* sap = find(a["unavailable"], "sap/art7");
  ASSERT_NE(sap, nullptr);
  EXPECT_TRUE(mentions((*sap)["reasons"], "not in force")) << sap->dump();
}

TEST_F(Routes, TheSameQuestionBeforeTheRegulationAppliesHasNoEpoc) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  std::string q =
      "/api/v1/routes?requesting_country=FR&authority_type=prosecutor"
      "&provider_country=IE&category=SubscriberData&kind=production&date=";
  json after = get(officer, q + "2026-09-01");
  ASSERT_FALSE(after["available"].empty());
  EXPECT_EQ(after["available"][0]["id"], "eu-2023-1543/epoc-subscriber");
  EXPECT_TRUE(after["available"][0]["issuer"]["may_issue_alone"]);
  json before = get(officer, q + "2026-08-01");
  EXPECT_EQ(find(before["available"], "eu-2023-1543/epoc-subscriber"), nullptr);
  const json* epoc = find(before["unavailable"], "eu-2023-1543/epoc-subscriber");
  ASSERT_NE(epoc, nullptr);
  EXPECT_TRUE(mentions((*epoc)["reasons"], "2026-08-18")) << epoc->dump();
}

TEST_F(Routes, BadQuestionsNameTheParameter) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  cli::HubClient analyst(hub_->base_url(), hub_->token("analyst"));
  std::string p = "&provider_country=IE&kind=production";
  struct Case {
    cli::HubClient* who;
    std::string query;
    const char* field;
  };
  std::vector<Case> cases = {
      {&officer, "?provider_country=IE&kind=production", "category"},
      {&officer, "?category=SubscriberData&provider_country=IE", "kind"},
      {&officer, "?category=SubscriberData&kind=production", "provider_id"},
      {&officer, "?category=Gossip" + p, "category"},
      {&officer, "?category=SubscriberData&date=2026-02-30" + p, "date"},
      {&officer, "?category=SubscriberData&max_penalty_months=many" + p, "max_penalty_months"},
      {&officer, "?category=SubscriberData&offence_category=jaywalking" + p, "offence_category"},
      {&officer, "?category=SubscriberData&provider_country=ZZ&kind=production",
       "provider_country"},
      // A provider's analyst has no country or authority type to lend the question.
      {&analyst, "?category=SubscriberData" + p, "requesting_country"},
  };
  for (auto& c : cases) {
    json problem = get(*c.who, "/api/v1/routes" + c.query, 422);
    EXPECT_EQ(problem["field"], c.field) << c.query << ": " << problem.dump();
  }
  json unknown = get(officer, "/api/v1/routes?colour=blue", 422);
  EXPECT_EQ(unknown["field"], "colour");
}

TEST_F(Routes, ARequestRecordsItsRouteAndIsRefusedOneThatIsClosed) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  json draft = hub_->example_draft();
  draft.erase("route");
  auto created = officer.send("POST", "/api/v1/requests", draft.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  json r = json::parse(created.body);
  EXPECT_EQ(r["route"], "eu-2023-1543/epoc-subscriber");
  bool told = false;
  for (const auto& w : r["warnings"]) told = told || w["field"] == "route";
  EXPECT_TRUE(told) << "the officer is told the hub chose the route: " << r["warnings"].dump();
  std::set<std::string> warned;
  for (const auto& w : r["warnings"]) {
    EXPECT_TRUE(warned.insert(w["field"].get<std::string>()).second)
        << "one warning per field: " << r["warnings"].dump();
  }

  struct Case {
    const char* route;
    const char* says;
  };
  for (auto c : {Case{"sap/art7", "not in force"}, Case{"mla/request", "not to the provider"},
                 Case{"no/such-route", "there is no route"}}) {
    draft["route"] = c.route;
    auto refused = officer.send("POST", "/api/v1/requests", draft.dump());
    ASSERT_EQ(refused.status, 422) << c.route << ": " << refused.body;
    json problem = json::parse(refused.body);
    EXPECT_EQ(problem["field"], "route");
    EXPECT_NE(problem["detail"].get<std::string>().find(c.says), std::string::npos)
        << problem.dump();
  }

  // What the route requires is checked: no case number, no domestic order.
  draft["route"] = "eu-2023-1543/epoc-subscriber";
  draft.erase("issuer_reference");
  draft["legal_basis"].erase("domestic_reference");
  auto incomplete = officer.send("POST", "/api/v1/requests", draft.dump());
  ASSERT_EQ(incomplete.status, 422) << incomplete.body;
  json problem = json::parse(incomplete.body);
  std::vector<std::string> fields;
  for (const auto& e : problem["errors"]) fields.push_back(e["field"]);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "issuer_reference"), fields.end())
      << problem.dump();
  EXPECT_NE(std::find(fields.begin(), fields.end(), "legal_basis/domestic_reference"), fields.end())
      << problem.dump();
}

TEST_F(Routes, TheProvidersDeadlineComesFromTheRouteInItsTimeZone) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  auto created = officer.send("POST", "/api/v1/requests", hub_->example_draft().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  json r = testing::submit_signed(*hub_, json::parse(created.body));
  ASSERT_TRUE(r["due_at"].is_string()) << r.dump();
  std::string rule = r["due_rule"];
  EXPECT_NE(rule.find("10 days"), std::string::npos) << rule;
  EXPECT_NE(rule.find("Europe/Dublin"), std::string::npos) << rule;
  Timestamp submitted = parse_rfc3339(r["submitted_at"].get<std::string>(), "t").value();
  Timestamp due = parse_rfc3339(r["due_at"].get<std::string>(), "t").value();
  // Ten calendar days in Dublin: ten days of elapsed time give or take the
  // hour a daylight-saving change may add or take away.
  std::int64_t elapsed = due.seconds() - submitted.floor_seconds().seconds();
  EXPECT_GE(elapsed, 10 * 86400 - 3600);
  EXPECT_LE(elapsed, 10 * 86400 + 3600);
}

TEST_F(Routes, AQuestionToTheAuthorityStopsTheProvidersClockAndTheAnswerRestartsIt) {
  cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
  cli::HubClient analyst(hub_->base_url(), hub_->token("analyst"));
  auto created = officer.send("POST", "/api/v1/requests", hub_->example_draft().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  json r = testing::submit_signed(*hub_, json::parse(created.body));
  std::string path = "/api/v1/requests/" + r["id"].get<std::string>() + "/actions";
  std::string first_due = r["due_at"];
  auto act = [&](cli::HubClient& who, const json& body) {
    auto res = who.send("POST", path, body.dump());
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body);
  };
  act(analyst, {{"action", "acknowledge"}});
  json asked = act(analyst, {{"action", "request_clarification"},
                             {"note", "Which time zone is the IP address's time in?"}});
  EXPECT_TRUE(asked["due_at"].is_null()) << asked.dump();
  EXPECT_NE(asked["due_rule"].get<std::string>().find("clock is stopped"), std::string::npos)
      << asked["due_rule"];
  json answered = act(officer, {{"action", "clarify"}, {"note", "UTC+01:00, as the target says."}});
  ASSERT_TRUE(answered["due_at"].is_string()) << answered.dump();
  EXPECT_GE(answered["due_at"].get<std::string>(), first_due);
  EXPECT_NE(answered["due_rule"].get<std::string>().find("stood still"), std::string::npos)
      << answered["due_rule"];
}

}  // namespace
}  // namespace liaison
