// The provider directory over HTTP, against a real hub: everyone reads it;
// hub administrators edit any entry and a provider's org admin only its own;
// every edit is versioned, kept as a revision and recorded in the ledger; the
// shipped examples are seeded once and never overwritten.
#include <gtest/gtest.h>

#include "api/api_helpers.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

class DirectoryApi : public ::testing::Test {
 protected:
  HubClient as(const std::string& who) {
    return who == "hub_admin" ? HubClient(hub_.base_url(), hub_.admin_token())
                              : HubClient(hub_.base_url(), hub_.token(who));
  }

  // The types of every ledger entry so far.
  std::vector<std::string> ledger_types() {
    std::vector<std::string> out;
    for (int start = 0;; start += 1000) {
      auto r = as("officer").send("GET", "/api/v1/ledger/entries?start=" + std::to_string(start) +
                                             "&end=" + std::to_string(start + 1000));
      if (r.status != 200) break;
      json page = body_of(r);
      for (const auto& e : page["entries"])
        out.push_back(json::parse(e["entry"].get<std::string>())["type"]);
      if (page["entries"].size() < 1000) break;
    }
    return out;
  }

  static std::size_t count(const std::vector<std::string>& v, const std::string& what) {
    return static_cast<std::size_t>(std::count(v.begin(), v.end(), what));
  }

  ClientResponse put(HubClient who, const json& entry, const std::string& if_match) {
    http::Headers h;
    if (!if_match.empty()) h.set("If-Match", if_match);
    return who.send("PUT", "/api/v1/directory/" + entry["id"].get<std::string>(), entry.dump(),
                    "application/json", h);
  }

  HubProcess hub_;
};

std::vector<std::string> ids_of(const json& page) {
  std::vector<std::string> out;
  for (const auto& e : page["items"]) out.push_back(e["id"]);
  return out;
}

TEST_F(DirectoryApi, EveryoneReadsTheSeededExamples) {
  using V = std::vector<std::string>;
  const V all = {"example-cloud", "example-hosting-de", "example-mail", "example-social",
                 "example-telecom-dk"};
  for (const char* who : {"officer", "analyst", "prosecutor", "provider_admin", "hub_admin"}) {
    json page = get_json(as(who), "/api/v1/directory");
    EXPECT_EQ(ids_of(page), all) << who;  // seeded in file-name order
    for (const auto& e : page["items"]) {
      EXPECT_EQ(e["example"], true);
      EXPECT_EQ(e["version"], 1);
      EXPECT_EQ(e["updated_by"], "hub");
    }
  }
  EXPECT_TRUE(IsProblem(HubClient(hub_.base_url(), "").send("GET", "/api/v1/directory"), 401,
                        "unauthenticated"));

  // The demo linked its provider's entry to the provider organisation.
  auto r = as("officer").send("GET", "/api/v1/directory/example-mail");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.get("ETag"), std::optional<std::string>("\"1\""));
  json mail = body_of(r);
  EXPECT_EQ(mail["legal_entity"], "Example Mail Ltd");
  EXPECT_EQ(mail["contact"]["hub_org_id"], hub_.org_id("provider"));
  EXPECT_TRUE(mail["eu_legal_representative"].is_null());
  json social = get_json(as("officer"), "/api/v1/directory/example-social");
  EXPECT_EQ(social["eu_legal_representative"]["country"], "IE");
  EXPECT_EQ(social["foreign_requests"]["voluntary_non_content"], true);

  EXPECT_TRUE(
      IsProblem(as("officer").send("GET", "/api/v1/directory/example-none"), 404, "not-found"));
  EXPECT_EQ(count(ledger_types(), "directory.entry_created"), 5u);
}

TEST_F(DirectoryApi, ListingsFilterAndPage) {
  using V = std::vector<std::string>;
  HubClient officer = as("officer");
  EXPECT_EQ(ids_of(get_json(officer, "/api/v1/directory?country=US")),
            (V{"example-cloud", "example-social"}));
  EXPECT_EQ(ids_of(get_json(officer, "/api/v1/directory?country=IE")), V{"example-mail"});
  EXPECT_EQ(ids_of(get_json(officer, "/api/v1/directory?category=UserIdentifyingData")),
            (V{"example-mail", "example-social", "example-telecom-dk"}));
  EXPECT_EQ(ids_of(get_json(officer, "/api/v1/directory?country=US&category=StoredContentData")),
            (V{"example-cloud", "example-social"}));
  EXPECT_EQ(ids_of(get_json(officer, "/api/v1/directory?q=MAIL")), V{"example-mail"});
  EXPECT_EQ(ids_of(get_json(officer, "/api/v1/directory?q=GmbH")), V{"example-hosting-de"});

  json first = get_json(officer, "/api/v1/directory?limit=2");
  EXPECT_EQ(first["items"].size(), 2u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  json second = get_json(
      officer, "/api/v1/directory?limit=2&cursor=" + first["next_cursor"].get<std::string>());
  EXPECT_EQ(ids_of(second), (V{"example-mail", "example-social"}));

  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/directory?country=Ireland"), 422,
                        "validation-failed", "country"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/directory?category=Content"), 422,
                        "validation-failed", "category"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/directory?limit=0"), 422, "validation-failed",
                        "limit"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/directory?cursor=nope"), 422,
                        "validation-failed", "cursor"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/directory?contry=IE"), 422,
                        "validation-failed", "contry", "unknown query parameter"));
}

TEST_F(DirectoryApi, AProvidersOrgAdminEditsItsOwnEntryOnly) {
  HubClient provider_admin = as("provider_admin");
  json mail = get_json(provider_admin, "/api/v1/directory/example-mail");
  mail["preservation_policy"]["days"] = 120;
  mail["languages"] = {"en"};
  auto r = put(provider_admin, mail, "\"1\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.get("ETag"), std::optional<std::string>("\"2\""));
  json edited = body_of(r);
  EXPECT_EQ(edited["version"], 2);
  EXPECT_EQ(edited["preservation_policy"]["days"], 120);
  EXPECT_EQ(edited["updated_by"], hub_.user_id("provider_admin"));
  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory/example-mail")["languages"], json({"en"}));

  // A stale version, a missing If-Match: nothing changes.
  mail["preservation_policy"]["days"] = 30;
  EXPECT_TRUE(IsProblem(put(provider_admin, mail, "\"1\""), 412, "precondition-failed"));
  EXPECT_TRUE(IsProblem(put(provider_admin, mail, ""), 428, "precondition-required"));
  EXPECT_TRUE(IsProblem(put(provider_admin, mail, "W/\"2\""), 412, "precondition-failed"));

  // Another provider's entry, and handing its own to another organisation.
  json social = get_json(provider_admin, "/api/v1/directory/example-social");
  social["name"] = "Taken over";
  EXPECT_TRUE(IsProblem(put(provider_admin, social, "*"), 403, "forbidden"));
  social["contact"]["hub_org_id"] = hub_.org_id("provider");
  EXPECT_TRUE(IsProblem(put(provider_admin, social, "*"), 403, "forbidden"));
  json away = get_json(provider_admin, "/api/v1/directory/example-mail");
  away["contact"]["hub_org_id"] = nullptr;
  away["contact"]["email"] = "legal-requests@mail.example.org";
  EXPECT_TRUE(IsProblem(put(provider_admin, away, "\"2\""), 403, "forbidden"));
  // Creating an entry for another organisation, or none.
  json fresh = get_json(provider_admin, "/api/v1/directory/example-cloud");
  fresh["id"] = "example-provider-new";
  EXPECT_TRUE(
      IsProblem(provider_admin.send("POST", "/api/v1/directory", fresh.dump()), 403, "forbidden"));
  // Its own organisation has its entry already.
  fresh["contact"]["hub_org_id"] = hub_.org_id("provider");
  EXPECT_TRUE(IsProblem(provider_admin.send("POST", "/api/v1/directory", fresh.dump()), 409,
                        "conflict", "contact/hub_org_id"));
  // Its analyst holds no admin scope, and is no org admin.
  EXPECT_TRUE(IsProblem(put(as("analyst"), away, "*"), 403, "insufficient-scope"));

  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory/example-social")["name"], "Example Social");
  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory/example-mail")["version"], 2);
  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory/example-mail/revisions")["items"].size(),
            2u);
}

TEST_F(DirectoryApi, AuthoritiesDoNotEdit) {
  json cloud = get_json(as("officer"), "/api/v1/directory/example-cloud");
  cloud["name"] = "Renamed by police";
  EXPECT_TRUE(IsProblem(put(as("police_admin"), cloud, "*"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(put(as("officer"), cloud, "*"), 403, "insufficient-scope"));
  cloud["id"] = "example-police-made";
  EXPECT_TRUE(IsProblem(as("police_admin").send("POST", "/api/v1/directory", cloud.dump()), 403,
                        "forbidden"));
  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory/example-cloud")["version"], 1);
  EXPECT_TRUE(IsProblem(as("officer").send("GET", "/api/v1/directory/example-police-made"), 404,
                        "not-found"));
}

TEST_F(DirectoryApi, HubAdministratorsCreateAndEditAnyEntry) {
  HubClient admin = as("hub_admin");
  json e = get_json(admin, "/api/v1/directory/example-cloud");
  e["id"] = "example-registrar";
  e["name"] = "Example Registrar";
  e["legal_entity"] = "Example Registrar B.V.";
  e["establishment_country"] = "NL";
  e["time_zone"] = "Europe/Amsterdam";
  e["example"] = true;
  e["version"] = 7;  // the hub sets these
  e["updated_by"] = "someone";
  http::Headers key = headers({{"Idempotency-Key", "registrar-1"}});
  auto r = admin.send("POST", "/api/v1/directory", e.dump(), "application/json", key);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.get("Location"),
            std::optional<std::string>("/api/v1/directory/example-registrar"));
  EXPECT_EQ(r.headers.get("ETag"), std::optional<std::string>("\"1\""));
  json created = body_of(r);
  EXPECT_EQ(created["version"], 1);
  EXPECT_EQ(created["updated_by"], hub_.demo()["hub_admin"]["id"]);

  auto again = admin.send("POST", "/api/v1/directory", e.dump(), "application/json", key);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.headers.get("Idempotent-Replayed"), std::optional<std::string>("true"));
  EXPECT_TRUE(IsProblem(admin.send("POST", "/api/v1/directory", e.dump()), 409, "conflict", "id"));

  // Any entry, the demo provider's included.
  json mail = get_json(admin, "/api/v1/directory/example-mail");
  mail["emergency_policy"]["hours"] = 4;
  auto edited = put(admin, mail, "\"1\"");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(body_of(edited)["emergency_policy"]["hours"], 4);
  // Linking an entry to an organisation that is not a provider.
  created["contact"]["hub_org_id"] = hub_.org_id("police");
  EXPECT_TRUE(IsProblem(put(admin, created, "\"1\""), 422, "validation-failed",
                        "contact/hub_org_id", "provider"));
  // The path names the entry; the body may not name another.
  mail["id"] = "example-cloud";
  EXPECT_TRUE(IsProblem(admin.send("PUT", "/api/v1/directory/example-mail", mail.dump(),
                                   "application/json", headers({{"If-Match", "*"}})),
                        422, "validation-failed", "id"));
  EXPECT_TRUE(IsProblem(put(admin, json{{"id", "example-none"}}, "*"), 404, "not-found"));
}

TEST_F(DirectoryApi, EveryEditIsARevisionAndALedgerEntry) {
  HubClient admin = as("hub_admin");
  auto before = ledger_types();
  for (int days : {30, 45, 60}) {
    json cloud = get_json(admin, "/api/v1/directory/example-cloud");
    cloud["preservation_policy"]["days"] = days;
    auto r = put(admin, cloud, "\"" + std::to_string(cloud["version"].get<int>()) + "\"");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json revisions = get_json(as("analyst"), "/api/v1/directory/example-cloud/revisions");
  ASSERT_EQ(revisions["items"].size(), 4u);
  std::vector<int> days;
  for (std::size_t i = 0; i < 4; ++i) {
    const json& rev = revisions["items"][i];
    EXPECT_EQ(rev["version"], static_cast<int>(i) + 1);
    EXPECT_EQ(rev["updated_by"], i == 0 ? json("hub") : hub_.demo()["hub_admin"]["id"]);
    days.push_back(rev["preservation_policy"]["days"]);
  }
  EXPECT_EQ(days, (std::vector<int>{90, 30, 45, 60}));
  auto after = ledger_types();
  EXPECT_EQ(count(after, "directory.entry_updated"), count(before, "directory.entry_updated") + 3);
  EXPECT_EQ(count(after, "directory.entry_created"), count(before, "directory.entry_created"));
  EXPECT_TRUE(
      IsProblem(admin.send("GET", "/api/v1/directory/example-none/revisions"), 404, "not-found"));

  // A refused edit records nothing.
  json cloud = get_json(admin, "/api/v1/directory/example-cloud");
  cloud["preservation_policy"]["days"] = 0;
  EXPECT_TRUE(IsProblem(put(admin, cloud, "*"), 422, "validation-failed"));
  EXPECT_EQ(ledger_types().size(), after.size());
  EXPECT_EQ(get_json(admin, "/api/v1/directory/example-cloud/revisions")["items"].size(), 4u);
}

TEST_F(DirectoryApi, BadInputIsAProblemNamingTheField) {
  HubClient admin = as("hub_admin");
  json e = get_json(admin, "/api/v1/directory/example-cloud");
  e["id"] = "example-bad";
  auto post = [&](const json& patch) {
    json body = e;
    body.merge_patch(patch);
    return admin.send("POST", "/api/v1/directory", body.dump());
  };
  EXPECT_TRUE(IsProblem(post({{"preservation_policy", {{"days", 0}}}}), 422, "validation-failed",
                        "preservation_policy/days", "between 1"));
  EXPECT_TRUE(IsProblem(post({{"contact", {{"portal_url", "http://legal.cloud.example.net/"}}}}),
                        422, "validation-failed", "contact/portal_url", "https"));
  EXPECT_TRUE(
      IsProblem(post({{"languages", {"en", "xx"}}}), 422, "validation-failed", "languages/1"));
  EXPECT_TRUE(
      IsProblem(post({{"time_zone", "Mars/Olympus"}}), 422, "validation-failed", "time_zone"));
  EXPECT_TRUE(IsProblem(post({{"eu_legal_representative", {{"name", "R"}, {"country", "US"}}}}),
                        422, "validation-failed", "eu_legal_representative/country"));
  EXPECT_TRUE(IsProblem(post({{"emergency_policy", {{"hurs", 4}}}}), 422, "validation-failed",
                        "emergency_policy/hurs", "unknown field"));
  EXPECT_TRUE(IsProblem(post({{"id", "Bad Id"}}), 422, "validation-failed", "id"));
  auto two = post({{"id", "BAD"}, {"establishment_country", "XY"}});
  EXPECT_EQ(two.status, 422);
  EXPECT_TRUE(names_field(two, "id"));
  EXPECT_TRUE(names_field(two, "establishment_country"));
  EXPECT_TRUE(
      IsProblem(admin.send("POST", "/api/v1/directory", "{\"id\": "), 400, "malformed-request"));
  EXPECT_TRUE(IsProblem(admin.send("POST", "/api/v1/directory", e.dump(), "text/plain"), 422,
                        "validation-failed", "Content-Type"));
  EXPECT_TRUE(IsProblem(admin.send("GET", "/api/v1/directory/example-bad"), 404, "not-found"));
}

TEST_F(DirectoryApi, SeededEntriesAreNotOverwrittenAfterARestart) {
  HubClient admin = as("hub_admin");
  json cloud = get_json(admin, "/api/v1/directory/example-cloud");
  cloud["name"] = "Example Cloud Hosting, as edited";
  ASSERT_EQ(put(admin, cloud, "\"1\"").status, 200);
  std::size_t created = count(ledger_types(), "directory.entry_created");

  hub_.stop();
  hub_.start();
  json after = get_json(as("officer"), "/api/v1/directory/example-cloud");
  EXPECT_EQ(after["name"], "Example Cloud Hosting, as edited");
  EXPECT_EQ(after["version"], 2);
  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory")["items"].size(), 5u);
  EXPECT_EQ(count(ledger_types(), "directory.entry_created"), created);
  // The demo's link survives too.
  EXPECT_EQ(get_json(as("officer"), "/api/v1/directory/example-mail")["contact"]["hub_org_id"],
            hub_.org_id("provider"));
}

}  // namespace
}  // namespace liaison
