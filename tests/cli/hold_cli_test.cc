// `liaison hold …`, `liaison request due` and `liaison sweep` as a user runs
// them: separate processes against a real hub, with exit codes and one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "core/time.h"
#include "support/hub_process.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

std::string hours_from_now(std::int64_t hours) {
  return format_rfc3339(
      Timestamp::from_seconds(static_cast<std::int64_t>(std::time(nullptr)) + hours * 3600));
}

class HoldCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"--expiry-interval", "3600"});
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static ProcessResult as(const std::string& user, const std::vector<std::string>& args) {
    return run_liaison(
        args, {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN=" + hub_->token(user),
               "LIAISON_KEY_PASSPHRASE=" + hub_->demo()["key_passphrase"].get<std::string>()});
  }
  static json as_json(const std::string& user, std::vector<std::string> args) {
    args.push_back("--json");
    auto r = as(user, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  static std::string key_file(const std::string& user) {
    return (hub_->data_dir() / "keys" / (user + ".key")).string();
  }

  // A preservation request, signed, submitted, accepted and preserved through the CLI.
  static json preserved(const std::string& until) {
    json r = testing::submit_via_cli(
        *hub_, {"--kind", "preservation", "--provider", "EXMAIL", "--category", "TrafficData",
                "--target", "email:kept.mailbox@example.org", "--instrument", "Budapest Convention",
                "--article", "Art. 29", "--offence", "Ransomware extortion", "--reference",
                "NPCU-2026-0050", "--domestic-reference", "Northport order 2026/120"});
    std::string id = r["id"];
    EXPECT_EQ(as("analyst", {"request", "act", id, "acknowledge"}).exit_code, 0);
    EXPECT_EQ(as("analyst", {"request", "act", id, "accept"}).exit_code, 0);
    EXPECT_EQ(
        as("analyst", {"request", "act", id, "preserve", "--preserved-until", until}).exit_code, 0);
    return as_json("analyst", {"request", "show", id})["request"];
  }

  static std::unique_ptr<HubProcess> hub_;
};
std::unique_ptr<HubProcess> HoldCli::hub_;

TEST_F(HoldCli, ListShowAndReleaseAHold) {
  std::string until = hours_from_now(24LL * 20);
  json r = preserved(until);
  ASSERT_EQ(r["holds"].size(), 1u) << r;
  std::string hold = r["holds"][0]["id"];

  auto list = as("analyst", {"hold", "list", "--status", "active"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(hold), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("EXPIRES"), std::string::npos);
  // The issuing authority reads it too.
  EXPECT_FALSE(as_json("officer", {"hold", "list"})["items"].empty());

  auto show = as("officer", {"hold", "show", hold});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("email kept.mailbox@example.org"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("TrafficData"), std::string::npos);
  EXPECT_NE(show.out.find(until), std::string::npos);
  auto request_show = as("analyst", {"request", "show", r["id"]});
  ASSERT_EQ(request_show.exit_code, 0);
  EXPECT_NE(request_show.out.find("hold:      " + hold + " active"), std::string::npos)
      << request_show.out;

  // Refusals: one line, a meaningful exit code, nothing changed.
  auto no_reason = as("analyst", {"hold", "release", hold});
  EXPECT_EQ(no_reason.exit_code, 2) << no_reason.err;
  auto by_authority = as("officer", {"hold", "release", hold, "--reason", "not needed"});
  EXPECT_NE(by_authority.exit_code, 0);
  EXPECT_NE(by_authority.err.find("release action"), std::string::npos) << by_authority.err;
  EXPECT_EQ(std::count(by_authority.err.begin(), by_authority.err.end(), '\n'), 1)
      << by_authority.err;
  auto unknown = as("analyst", {"hold", "show", "00000000-0000-4000-8000-000000000000"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("not found"), std::string::npos) << unknown.err;

  auto released = as("counsel", {"hold", "release", hold, "--reason", "production completed"});
  ASSERT_EQ(released.exit_code, 0) << released.err;
  EXPECT_NE(released.out.find("is now released"), std::string::npos) << released.out;
  json after = as_json("officer", {"request", "show", r["id"]})["request"];
  EXPECT_EQ(after["status"], "released");
  EXPECT_EQ(after["holds"][0]["release_reason"], "production completed");
  auto twice = as("counsel", {"hold", "release", hold, "--reason", "again"});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("released"), std::string::npos) << twice.err;
}

TEST_F(HoldCli, DueListsWhatIsDueAndTheSweepMakesReminders) {
  json r = preserved(hours_from_now(24LL * 3));
  auto due = as("officer", {"request", "due", "--within", "7d"});
  ASSERT_EQ(due.exit_code, 0) << due.err;
  EXPECT_NE(due.out.find(r["reference"].get<std::string>()), std::string::npos) << due.out;
  EXPECT_NE(due.out.find("preservation_expiry"), std::string::npos);
  EXPECT_NE(due.out.find("authority"), std::string::npos);
  json soon = as_json("officer", {"request", "due", "--within", "1h"});
  EXPECT_EQ(soon["within"], "PT1H");
  for (const auto& d : soon["items"]) EXPECT_NE(d["reference"], r["reference"]);
  auto bad = as("officer", {"request", "due", "--within", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("48h"), std::string::npos) << bad.err;

  auto swept = run_liaison({"sweep", "--data", hub_->data_dir().string(), "--json"});
  ASSERT_EQ(swept.exit_code, 0) << swept.err;
  json counts = json::parse(swept.out);
  EXPECT_GE(counts["reminders_made"].get<int>(), 1) << swept.out;
  EXPECT_TRUE(counts.contains("preservations_expired"));
  auto bad_flag = run_liaison(
      {"sweep", "--data", hub_->data_dir().string(), "--remind-preservation-days", "-1"});
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_NE(bad_flag.err.find("--remind-preservation-days"), std::string::npos) << bad_flag.err;
}

}  // namespace
}  // namespace liaison
