// Directory entries: strict decoding from JSON and TOML, errors that name the
// field, and the shipped example data.
#include "directory/entry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "directory/loader.h"
#include "directory/time_zone.h"
#include "support/test_support.h"

namespace liaison::directory {
namespace {

using nlohmann::json;

json valid() {
  return {{"id", "example-test"},
          {"example", true},
          {"name", "Example Test"},
          {"legal_entity", "Example Test Ltd"},
          {"establishment_country", "IE"},
          {"time_zone", "Europe/Dublin"},
          {"contact", {{"email", "legal@test.example.org"}}},
          {"data_categories", {"SubscriberData", "TrafficData"}},
          {"preservation_policy", {{"days", 90}, {"extendable", true}, {"extension_days", 30}}},
          {"emergency_policy", {{"accepts_foreign", true}, {"hours", 8}}},
          {"foreign_requests", {{"voluntary_non_content", false}}},
          {"user_notification_policy", {{"notifies_users", true}}},
          {"languages", {"en"}}};
}

// The fields an error names, in order.
std::vector<std::string> fields_of(const json& j) {
  auto r = entry_from_json(j);
  if (r.ok()) return {};
  std::vector<std::string> out;
  for (const auto& i : r.error().issues) out.push_back(i.field);
  return out;
}

// The only field `patch` makes invalid, with its reason.
::testing::AssertionResult RefusesField(const json& patch, const std::string& field,
                                        const std::string& reason = "") {
  json j = valid();
  j.merge_patch(patch);
  auto r = entry_from_json(j);
  if (r.ok()) return ::testing::AssertionFailure() << "accepted " << patch.dump();
  const auto& issues = r.error().issues;
  if (issues.size() != 1 || issues[0].field != field ||
      issues[0].reason.find(reason) == std::string::npos) {
    auto f = ::testing::AssertionFailure() << "for " << patch.dump() << " got:";
    for (const auto& i : issues) f << " [" << i.field << ": " << i.reason << "]";
    return f;
  }
  if (r.error().code != ErrorCode::kInvalidArgument)
    return ::testing::AssertionFailure() << "not kInvalidArgument";
  return ::testing::AssertionSuccess();
}

TEST(DirectoryEntry, AValidEntryDecodesAndRoundTrips) {
  auto e = entry_from_json(valid());
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->id, "example-test");
  EXPECT_TRUE(e->example);
  EXPECT_EQ(e->contact.email, std::optional<std::string>("legal@test.example.org"));
  EXPECT_FALSE(e->contact.hub_org_id.has_value());
  EXPECT_EQ(e->preservation_policy.days, 90);
  EXPECT_EQ(e->preservation_policy.extension_days, std::optional<std::int64_t>(30));
  EXPECT_EQ(e->emergency_policy.hours, std::optional<std::int64_t>(8));
  EXPECT_TRUE(holds(*e, DataCategory::kTrafficData));
  EXPECT_FALSE(holds(*e, DataCategory::kStoredContentData));
  EXPECT_EQ(e->version, 0);

  json out = to_json(*e);
  // Every field is present, absent ones as null, so clients see one shape.
  EXPECT_TRUE(out.contains("eu_legal_representative"));
  EXPECT_TRUE(out["eu_legal_representative"].is_null());
  EXPECT_TRUE(out["contact"]["portal_url"].is_null());
  auto again = entry_from_json(out);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *e);
}

TEST(DirectoryEntry, StoredFieldsRoundTrip) {
  json j = valid();
  j["version"] = 3;
  j["updated_at"] = "2026-03-01T10:00:00Z";
  j["updated_by"] = "hub";
  j["eu_legal_representative"] = {
      {"name", "Rep Ltd"}, {"country", "IE"}, {"email", "rep@test.example.org"}};
  j["contact"]["hub_org_id"] = "01890A5D-AC96-774B-BCCE-B302099A8057";
  auto e = entry_from_json(j);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->version, 3);
  EXPECT_EQ(e->updated_by, "hub");
  EXPECT_EQ(e->contact.hub_org_id,
            std::optional<std::string>("01890a5d-ac96-774b-bcce-b302099a8057"));  // lower case
  EXPECT_EQ(*entry_from_json(to_json(*e)), *e);
}

TEST(DirectoryEntry, EveryRequiredFieldIsNamedWhenMissing) {
  for (const char* key : {"id", "name", "legal_entity", "establishment_country", "time_zone",
                          "contact", "data_categories", "preservation_policy", "emergency_policy",
                          "foreign_requests", "user_notification_policy", "languages"}) {
    json j = valid();
    j.erase(key);
    EXPECT_EQ(fields_of(j), std::vector<std::string>{key}) << key;
  }
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"days", nullptr}}}},
                           "preservation_policy/days", "required"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"extendable", nullptr}}}},
                           "preservation_policy/extendable", "required"));
  EXPECT_TRUE(RefusesField({{"emergency_policy", {{"accepts_foreign", nullptr}}}},
                           "emergency_policy/accepts_foreign", "required"));
  EXPECT_TRUE(RefusesField({{"foreign_requests", {{"voluntary_non_content", nullptr}}}},
                           "foreign_requests/voluntary_non_content", "required"));
  EXPECT_TRUE(RefusesField({{"user_notification_policy", {{"notifies_users", nullptr}}}},
                           "user_notification_policy/notifies_users", "required"));
}

TEST(DirectoryEntry, UnknownKeysAreErrorsAtEveryLevel) {
  EXPECT_TRUE(RefusesField({{"nmae", "typo"}}, "nmae", "unknown field"));
  EXPECT_TRUE(
      RefusesField({{"contact", {{"phone", "+35315550100"}}}}, "contact/phone", "unknown field"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"day", 3}}}}, "preservation_policy/day",
                           "unknown field"));
  EXPECT_TRUE(RefusesField({{"emergency_policy", {{"hour", 3}}}}, "emergency_policy/hour",
                           "unknown field"));
  EXPECT_TRUE(
      RefusesField({{"eu_legal_representative", {{"name", "R"}, {"country", "IE"}, {"x", 1}}}},
                   "eu_legal_representative/x", "unknown field"));
}

TEST(DirectoryEntry, IdsAreSlugs) {
  EXPECT_TRUE(RefusesField({{"id", "Example"}}, "id", "a-z"));
  EXPECT_TRUE(RefusesField({{"id", "-example"}}, "id"));
  EXPECT_TRUE(RefusesField({{"id", "x"}}, "id"));
  EXPECT_TRUE(RefusesField({{"id", std::string(64, 'a')}}, "id"));
  EXPECT_TRUE(RefusesField({{"id", "ex ample"}}, "id"));
  EXPECT_TRUE(RefusesField({{"id", "ex/../x"}}, "id"));
  json j = valid();
  j["id"] = "a" + std::string(62, '9');
  EXPECT_TRUE(entry_from_json(j).ok());
  j["id"] = "0x";
  EXPECT_TRUE(entry_from_json(j).ok());
}

TEST(DirectoryEntry, TypesAreChecked) {
  EXPECT_TRUE(RefusesField({{"example", "yes"}}, "example", "true or false"));
  EXPECT_TRUE(RefusesField({{"name", 5}}, "name", "string"));
  EXPECT_TRUE(RefusesField({{"name", ""}}, "name", "empty"));
  EXPECT_TRUE(RefusesField({{"name", std::string(201, 'n')}}, "name", "longer"));
  EXPECT_TRUE(RefusesField({{"contact", "legal@test.example.org"}}, "contact", "table"));
  EXPECT_TRUE(RefusesField({{"languages", "en"}}, "languages", "list"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"days", 1.5}}}}, "preservation_policy/days",
                           "whole number"));
  EXPECT_TRUE(
      RefusesField({{"retention_notes", std::string(4001, 'x')}}, "retention_notes", "longer"));
}

TEST(DirectoryEntry, CountriesAndTimeZonesAreChecked) {
  EXPECT_TRUE(RefusesField({{"establishment_country", "ie"}}, "establishment_country"));
  EXPECT_TRUE(RefusesField({{"establishment_country", "QQ"}}, "establishment_country"));
  EXPECT_TRUE(RefusesField({{"time_zone", "Europe/Atlantis"}}, "time_zone", "not a time zone"));
  EXPECT_TRUE(RefusesField({{"time_zone", "../../etc/passwd"}}, "time_zone", "not a time zone"));
  EXPECT_TRUE(RefusesField({{"time_zone", "/etc/localtime"}}, "time_zone", "not a time zone"));
  EXPECT_TRUE(RefusesField({{"time_zone", "Europe/"}}, "time_zone"));
  EXPECT_TRUE(RefusesField({{"time_zone", "Europe"}}, "time_zone"));
  EXPECT_TRUE(check_time_zone("UTC", "z").ok());
  EXPECT_TRUE(check_time_zone("America/Los_Angeles", "z").ok());
  EXPECT_TRUE(check_time_zone("Etc/GMT+5", "z").ok());
}

TEST(DirectoryEntry, TheLegalRepresentativeSitsInAMemberState) {
  EXPECT_TRUE(RefusesField({{"eu_legal_representative", {{"name", "Rep"}, {"country", "US"}}}},
                           "eu_legal_representative/country", "member state"));
  EXPECT_TRUE(RefusesField({{"eu_legal_representative", {{"name", "Rep"}, {"country", "GB"}}}},
                           "eu_legal_representative/country", "member state"));
  EXPECT_TRUE(RefusesField({{"eu_legal_representative", {{"country", "IE"}}}},
                           "eu_legal_representative/name", "required"));
  EXPECT_TRUE(RefusesField(
      {{"eu_legal_representative", {{"name", "Rep"}, {"country", "IE"}, {"email", "nope"}}}},
      "eu_legal_representative/email", "e-mail"));
  json j = valid();
  j["eu_legal_representative"] = {{"name", "Rep"}, {"country", "GR"}};
  EXPECT_TRUE(entry_from_json(j).ok());
}

TEST(DirectoryEntry, ContactNeedsOneWayAndEachIsChecked) {
  json j = valid();
  j["contact"] = json::object();
  EXPECT_EQ(fields_of(j), std::vector<std::string>{"contact"});
  EXPECT_TRUE(
      RefusesField({{"contact", {{"hub_org_id", "not-a-uuid"}}}}, "contact/hub_org_id", "UUID"));
  EXPECT_TRUE(RefusesField({{"contact", {{"hub_endpoint", "IEEXMAIL"}}}}, "contact/hub_endpoint",
                           "COUNTRY-ENDPOINTUID"));
  EXPECT_TRUE(RefusesField({{"contact", {{"hub_endpoint", "QQ-EXMAIL"}}}}, "contact/hub_endpoint"));
  EXPECT_TRUE(
      RefusesField({{"contact", {{"hub_endpoint", "IE-EX MAIL"}}}}, "contact/hub_endpoint"));
  EXPECT_TRUE(RefusesField({{"contact", {{"portal_url", "http://le.test.example.org/"}}}},
                           "contact/portal_url", "https"));
  EXPECT_TRUE(RefusesField({{"contact", {{"portal_url", "https://"}}}}, "contact/portal_url"));
  EXPECT_TRUE(RefusesField({{"contact", {{"portal_url", "https://a b.example.org"}}}},
                           "contact/portal_url"));
  EXPECT_TRUE(RefusesField({{"contact", {{"email", "legal.example.org"}}}}, "contact/email"));
  EXPECT_TRUE(RefusesField({{"contact", {{"email", "a@b@example.org"}}}}, "contact/email"));
  EXPECT_TRUE(RefusesField({{"contact", {{"emergency_phone", "0035315550100"}}}},
                           "contact/emergency_phone", "international"));
  EXPECT_TRUE(RefusesField({{"contact", {{"emergency_phone", "+353 1 555 0100"}}}},
                           "contact/emergency_phone"));
  for (const json& way :
       {json{{"hub_org_id", "01890a5d-ac96-774b-bcce-b302099a8057"}},
        json{{"hub_endpoint", "IE-EXMAIL"}}, json{{"portal_url", "https://le.example.org/x"}},
        json{{"email", "a@example.org"}}, json{{"emergency_phone", "+35315550100"}}}) {
    json ok = valid();
    ok["contact"] = way;
    EXPECT_TRUE(entry_from_json(ok).ok()) << way.dump();
  }
}

TEST(DirectoryEntry, CategoriesAndLanguagesAreKnownNamesOnce) {
  EXPECT_TRUE(
      RefusesField({{"data_categories", json::array()}}, "data_categories", "at least one"));
  EXPECT_TRUE(RefusesField({{"data_categories", {"SubscriberData", "Content"}}},
                           "data_categories/1", "TrafficData"));
  EXPECT_TRUE(RefusesField({{"data_categories", {"TrafficData", "TrafficData"}}},
                           "data_categories/1", "twice"));
  EXPECT_TRUE(RefusesField({{"languages", json::array()}}, "languages", "at least one"));
  EXPECT_TRUE(RefusesField({{"languages", {"en", "EN"}}}, "languages/1", "ISO 639-1"));
  EXPECT_TRUE(RefusesField({{"languages", {"en", "xx"}}}, "languages/1", "ISO 639-1"));
  EXPECT_TRUE(RefusesField({{"languages", {"eng"}}}, "languages/0"));
  EXPECT_TRUE(RefusesField({{"languages", {"de", "de"}}}, "languages/1", "twice"));
}

TEST(DirectoryEntry, PolicyNumbersHaveBounds) {
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"days", 0}}}}, "preservation_policy/days",
                           "between 1"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"days", -5}}}}, "preservation_policy/days"));
  EXPECT_TRUE(
      RefusesField({{"preservation_policy", {{"days", 3651}}}}, "preservation_policy/days"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"days", 18446744073709551615ULL}}}},
                           "preservation_policy/days"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"extension_days", 0}}}},
                           "preservation_policy/extension_days"));
  EXPECT_TRUE(RefusesField({{"preservation_policy", {{"extendable", false}}}},
                           "preservation_policy/extension_days", "only when extendable"));
  EXPECT_TRUE(RefusesField({{"emergency_policy", {{"hours", 0}}}}, "emergency_policy/hours"));
  EXPECT_TRUE(RefusesField({{"emergency_policy", {{"hours", 721}}}}, "emergency_policy/hours"));
}

TEST(DirectoryEntry, StoredFieldsAreCheckedToo) {
  EXPECT_TRUE(RefusesField({{"version", -1}}, "version"));
  EXPECT_TRUE(RefusesField({{"version", "1"}}, "version"));
  EXPECT_TRUE(RefusesField({{"updated_at", "yesterday"}}, "updated_at"));
}

TEST(DirectoryEntry, AllIssuesAreReportedAtOnce) {
  json j = valid();
  j["id"] = "BAD";
  j["languages"] = {"xx"};
  j["preservation_policy"]["days"] = 0;
  auto r = entry_from_json(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fields_of(j),
            (std::vector<std::string>{"id", "preservation_policy/days", "languages/0"}));
  EXPECT_NE(r.error().message.find("3 fields are invalid"), std::string::npos);
  EXPECT_FALSE(entry_from_json(json::array()).ok());
  EXPECT_EQ(entry_from_json(json("x"), "f.toml").error().message.rfind("f.toml: ", 0), 0u);
}

TEST(DirectoryEntry, JsonTextSyntaxErrorsAreMalformed) {
  auto r = parse_entry_json("{\"id\": ", "entry.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  EXPECT_NE(r.error().message.find("entry.json"), std::string::npos);
  EXPECT_TRUE(parse_entry_json(to_json(*entry_from_json(valid())).dump()).ok());
}

const char* kToml = R"(
id = "example-test"
name = "Example Test"
legal_entity = "Example Test Ltd"
establishment_country = "IE"
time_zone = "Europe/Dublin"
data_categories = ["SubscriberData"]
languages = ["en"]

[contact]
email = "legal@test.example.org"

[preservation_policy]
days = 90
extendable = false

[emergency_policy]
accepts_foreign = false

[foreign_requests]
voluntary_non_content = false

[user_notification_policy]
notifies_users = false
)";

TEST(DirectoryEntry, TomlDecodesThroughTheSameChecks) {
  auto e = parse_entry_toml(kToml, "example-test.toml");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->name, "Example Test");
  EXPECT_FALSE(e->example);
  EXPECT_EQ(e->preservation_policy.days, 90);

  std::string bad = std::string(kToml) + "\n[extra]\nx = 1\n";
  auto r = parse_entry_toml(bad, "example-test.toml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().issues.size(), 1u);
  EXPECT_EQ(r.error().issues[0].field, "extra");
  EXPECT_EQ(r.error().message.rfind("example-test.toml: extra: unknown field", 0), 0u);

  std::string days = kToml;
  days.replace(days.find("days = 90"), 9, "days = 0");
  r = parse_entry_toml(days);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues[0].field, "preservation_policy/days");
}

TEST(DirectoryEntry, TomlSyntaxErrorsNameTheLine) {
  auto r = parse_entry_toml("id = \"x\"\nname = \n", "broken.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  EXPECT_NE(r.error().message.find("broken.toml: malformed TOML at line 2"), std::string::npos)
      << r.error().message;
}

TEST(DirectoryEntry, TomlDatesAreRefusedWithTheirPath) {
  std::string text = std::string(kToml) + "\n";
  text.insert(0, "updated_at = 2026-01-01T00:00:00Z\n");
  auto r = parse_entry_toml(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "updated_at");
  EXPECT_NE(r.error().issues[0].reason.find("quoted"), std::string::npos);
}

std::string source_file(const std::string& rel) {
  return std::string(LIAISON_SOURCE_DIR) + "/" + rel;
}

TEST(DirectoryData, TheShippedExamplesLoadAndCoverTheCases) {
  auto entries = load_directory(source_file("data/providers"));
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_GE(entries->size(), 4u);
  ASSERT_LE(entries->size(), 5u);
  std::set<std::string> countries;
  bool us_with_rep_and_voluntary = false, us_without_rep = false, demo = false;
  for (const auto& e : *entries) {
    EXPECT_TRUE(e.example) << e.id;
    EXPECT_EQ(e.id.rfind("example-", 0), 0u) << e.id;
    countries.insert(e.establishment_country);
    if (e.establishment_country == "US" && e.eu_legal_representative &&
        e.eu_legal_representative->country == "IE" && e.foreign_requests.voluntary_non_content)
      us_with_rep_and_voluntary = true;
    if (e.establishment_country == "US" && !e.eu_legal_representative) us_without_rep = true;
    if (e.legal_entity == "Example Mail Ltd" && e.establishment_country == "IE") demo = true;
    // Only reserved domains: example.org, .com, .net.
    for (const auto& addr : {e.contact.email, e.contact.portal_url}) {
      if (!addr) continue;
      bool reserved = addr->find("example.org") != std::string::npos ||
                      addr->find("example.com") != std::string::npos ||
                      addr->find("example.net") != std::string::npos;
      EXPECT_TRUE(reserved) << *addr;
    }
    // Every file says at its top that it is an example.
    std::ifstream in(source_file("data/providers/" + e.id + ".toml"));
    std::string first;
    std::getline(in, first);
    EXPECT_NE(first.find("EXAMPLE"), std::string::npos) << e.id;
  }
  EXPECT_TRUE(demo);
  EXPECT_TRUE(us_with_rep_and_voluntary);
  EXPECT_TRUE(us_without_rep);
  EXPECT_TRUE(countries.count("DE"));
  EXPECT_TRUE(countries.count("DK"));
}

TEST(DirectoryData, LoadingRefusesABadFileByName) {
  testing::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / name) << text;
  };
  write("example-test.toml", kToml);
  write("README.md", "not an entry");
  auto ok = load_directory(dir.path().string());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->size(), 1u);

  write("other-name.toml", kToml);
  auto named = load_directory(dir.path().string());
  ASSERT_FALSE(named.ok());
  EXPECT_NE(named.error().message.find("other-name.toml"), std::string::npos);
  std::filesystem::remove(dir.path() / "other-name.toml");

  write("broken.toml", "id = ");
  auto broken = load_directory(dir.path().string());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("broken.toml"), std::string::npos);

  EXPECT_EQ(load_directory((dir.path() / "missing").string()).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace liaison::directory
