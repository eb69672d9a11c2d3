// `liaison directory` as a process against a real hub: list, show, add, edit
// (with the version it read), history, and one-line errors with exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/hub_process.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

class DirectoryCli : public ::testing::Test {
 protected:
  ProcessResult run(const std::string& who, std::vector<std::string> args) {
    args.insert(args.begin(), "directory");
    std::string token = who == "hub_admin" ? hub_.admin_token() : hub_.token(who);
    return run_liaison(args, {"LIAISON_HUB=" + hub_.base_url(), "LIAISON_TOKEN=" + token});
  }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = (dir_.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }
  static int lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  }

  HubProcess hub_;
  testing::TempDir dir_;
};

const char* kEntryToml = R"(
id = "example-registrar"
example = true
name = "Example Registrar"
legal_entity = "Example Registrar B.V."
establishment_country = "NL"
time_zone = "Europe/Amsterdam"
data_categories = ["SubscriberData"]
languages = ["nl", "en"]

[contact]
email = "abuse@registrar.example.net"

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

TEST_F(DirectoryCli, ListsAndShowsTheExamples) {
  auto list = run("officer", {"list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("example-mail"), std::string::npos);
  EXPECT_NE(list.out.find("Example Mail Ltd"), std::string::npos);
  EXPECT_NE(list.out.find("example"), std::string::npos);
  EXPECT_EQ(lines(list.out), 6);  // header and five entries

  auto us = run("officer", {"list", "--country", "US", "--json"});
  ASSERT_EQ(us.exit_code, 0) << us.err;
  json j = json::parse(us.out);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["id"], "example-cloud");
  auto traffic = run("officer", {"list", "--category", "StoredContentData", "--json"});
  EXPECT_EQ(json::parse(traffic.out)["items"].size(), 4u);

  auto show = run("analyst", {"show", "example-social"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("EXAMPLE: not a real provider"), std::string::npos);
  EXPECT_NE(show.out.find("EU legal representative: Example Social Ireland"), std::string::npos);
  EXPECT_NE(show.out.find("voluntary non-content disclosure to foreign authorities: yes"),
            std::string::npos);

  auto missing = run("officer", {"show", "example-none"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_EQ(lines(missing.err), 1) << missing.err;
  auto bad = run("officer", {"list", "--country", "Ireland"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("country"), std::string::npos);
}

TEST_F(DirectoryCli, AddsEditsAndShowsHistory) {
  std::string toml = write("example-registrar.toml", kEntryToml);
  auto add = run("hub_admin", {"add", "--file", toml});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("Added example-registrar (version 1)"), std::string::npos) << add.out;
  auto again = run("hub_admin", {"add", "--file", toml});
  EXPECT_EQ(again.exit_code, 6);
  EXPECT_EQ(lines(again.err), 1) << again.err;

  // Saved with its version, edited, sent back: If-Match is that version.
  auto saved = run("officer", {"show", "example-registrar", "--json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  json e = json::parse(saved.out);
  e["preservation_policy"]["days"] = 30;
  std::string edited = write("edited.json", e.dump(2));
  auto edit = run("hub_admin", {"edit", "example-registrar", "--file", edited});
  ASSERT_EQ(edit.exit_code, 0) << edit.err;
  EXPECT_NE(edit.out.find("to version 2"), std::string::npos) << edit.out;
  // The same file again names version 1, which is no longer current.
  auto stale = run("hub_admin", {"edit", "example-registrar", "--file", edited});
  EXPECT_EQ(stale.exit_code, 6);
  EXPECT_EQ(lines(stale.err), 1) << stale.err;
  auto forced = run("hub_admin", {"edit", "example-registrar", "--file", edited, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(forced.out.find("to version 3"), std::string::npos);
  // A TOML file carries no version: the current one is used.
  auto from_toml = run("hub_admin", {"edit", "example-registrar", "--file", toml});
  ASSERT_EQ(from_toml.exit_code, 0) << from_toml.err;
  EXPECT_NE(from_toml.out.find("to version 4"), std::string::npos);

  auto history = run("officer", {"history", "example-registrar", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  json revisions = json::parse(history.out)["items"];
  ASSERT_EQ(revisions.size(), 4u);
  EXPECT_EQ(revisions[1]["preservation_policy"]["days"], 30);
  EXPECT_EQ(revisions[3]["preservation_policy"]["days"], 90);
  auto table = run("officer", {"history", "example-registrar"});
  EXPECT_EQ(lines(table.out), 5);
}

TEST_F(DirectoryCli, RefusalsAreOneLineWithTheirExitCode) {
  // Decoded before anything is sent, naming the file and the field.
  std::string bad = kEntryToml;
  bad.replace(bad.find("days = 90"), 9, "days = 0");
  auto invalid = run("hub_admin", {"add", "--file", write("bad.toml", bad)});
  EXPECT_EQ(invalid.exit_code, 3);
  EXPECT_EQ(lines(invalid.err), 1) << invalid.err;
  EXPECT_NE(invalid.err.find("preservation_policy/days"), std::string::npos) << invalid.err;
  EXPECT_NE(invalid.err.find("bad.toml"), std::string::npos) << invalid.err;

  auto broken = run("hub_admin", {"add", "--file", write("broken.json", "{\"id\": ")});
  EXPECT_EQ(broken.exit_code, 3);

  // An authority may not edit; a provider's org admin may not take over another's entry.
  std::string toml = write("example-registrar.toml", kEntryToml);
  auto police = run("police_admin", {"add", "--file", toml});
  EXPECT_EQ(police.exit_code, 5);
  EXPECT_EQ(lines(police.err), 1) << police.err;
  auto other = run("provider_admin", {"edit", "example-cloud", "--file", toml, "--force"});
  EXPECT_EQ(other.exit_code, 5);
  auto none = run("officer", {"show"});
  EXPECT_EQ(none.exit_code, 2);
}

}  // namespace
}  // namespace liaison
