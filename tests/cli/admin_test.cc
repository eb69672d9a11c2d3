// Local administration commands against a data directory.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/hub_client.h"
#include "core/time.h"
#include "support/hub_process.h"
#include "trust/base32.h"
#include "trust/totp.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::run_liaison;
using testing::run_process;
using testing::TempDir;

json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::int64_t seconds_between(const json& token) {
  auto created = parse_rfc3339(token["created_at"].get<std::string>(), "created_at");
  auto expires = parse_rfc3339(token["expires_at"].get<std::string>(), "expires_at");
  return (expires.value().unix_micros - created.value().unix_micros) / 1'000'000;
}

TEST(CliAdmin, InitThenOrganisationUserAndToken) {
  TempDir dir;
  std::string data = (dir.path() / "hub").string();
  auto init = run_liaison({"init", "--data", data, "--json"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(json::parse(init.out)["token"].get<std::string>().rfind("lsn_", 0), 0u);
  EXPECT_EQ(run_liaison({"init", "--data", data}).exit_code, 6)
      << "a second init must not clobber the hub";

  auto org =
      run_liaison({"org", "create", "--data", data, "--kind", "provider", "--name",
                   "Example Cloud GmbH", "--country", "DE", "--endpoint", "EXCLOUD", "--json"});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  std::string org_id = json::parse(org.out)["id"];

  auto user =
      run_liaison({"user", "create", "--data", data, "--org", org_id, "--name", "Rita Alvarez",
                   "--email", "rita.alvarez@cloud.example.org", "--roles", "analyst", "--json"});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  std::string user_id = json::parse(user.out)["id"];

  auto token = run_liaison({"token", "create", "--data", data, "--user", user_id});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  EXPECT_EQ(token.out.rfind("lsn_", 0), 0u);
  auto tokens = run_liaison({"token", "list", "--data", data, "--user", user_id, "--json"});
  ASSERT_EQ(tokens.exit_code, 0);
  EXPECT_EQ(tokens.out.find(token.out.substr(0, 20)), std::string::npos)
      << "listing must never show a secret";

  auto listed = run_liaison({"org", "list", "--data", data});
  EXPECT_NE(listed.out.find("Example Cloud GmbH"), std::string::npos);
}

TEST(CliAdmin, InvalidValuesNameTheField) {
  TempDir dir;
  std::string data = (dir.path() / "hub").string();
  ASSERT_EQ(run_liaison({"init", "--data", data}).exit_code, 0);
  auto bad_country = run_liaison({"org", "create", "--data", data, "--kind", "authority", "--name",
                                  "X", "--country", "ZZ", "--endpoint", "X1"});
  EXPECT_EQ(bad_country.exit_code, 3);
  EXPECT_NE(bad_country.err.find("country"), std::string::npos) << bad_country.err;
  auto org = run_liaison({"org", "create", "--data", data, "--kind", "authority", "--name",
                          "Example Police", "--country", "BE", "--endpoint", "EXPOL", "--json"});
  std::string org_id = json::parse(org.out)["id"];
  auto wrong_role = run_liaison({"user", "create", "--data", data, "--org", org_id, "--name", "A",
                                 "--email", "a@police.example.org", "--roles", "analyst"});
  EXPECT_EQ(wrong_role.exit_code, 3);
  EXPECT_NE(wrong_role.err.find("roles"), std::string::npos) << wrong_role.err;
}

TEST(CliAdmin, CommandsOnAMissingHubSayHowToCreateOne) {
  TempDir dir;
  auto r = run_liaison({"org", "list", "--data", (dir.path() / "none").string()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("liaison init"), std::string::npos) << r.err;
}

TEST(CliAdmin, DemoIfMissingKeepsAnExistingHub) {
  TempDir dir;
  std::string data = (dir.path() / "hub").string();
  ASSERT_EQ(run_liaison({"demo", "--data", data, "--password-hash", "min"}).exit_code, 0);
  auto again = run_liaison({"demo", "--data", data, "--if-missing"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("existing hub"), std::string::npos);
  EXPECT_EQ(run_liaison({"demo", "--data", data}).exit_code, 6);
}

TEST(CliAdmin, TokenCreateTakesScopesAndALifetime) {
  TempDir dir;
  std::string data = (dir.path() / "hub").string();
  ASSERT_EQ(run_liaison({"init", "--data", data, "--password-hash", "min"}).exit_code, 0);
  auto org =
      run_liaison({"org", "create", "--data", data, "--kind", "provider", "--name",
                   "Example Cloud GmbH", "--country", "DE", "--endpoint", "EXCLOUD", "--json"});
  std::string org_id = json::parse(org.out)["id"];
  auto make = [&](const std::string& email, const std::string& roles) {
    auto u = run_liaison({"user", "create", "--data", data, "--org", org_id, "--name", "Someone",
                          "--email", email, "--roles", roles, "--json"});
    EXPECT_EQ(u.exit_code, 0) << u.err;
    return json::parse(u.out)["id"].get<std::string>();
  };
  std::string analyst = make("rita@cloud.example.org", "analyst");
  std::string admin = make("max@cloud.example.org", "org_admin");

  auto dflt = run_liaison({"token", "create", "--data", data, "--user", analyst, "--json"});
  ASSERT_EQ(dflt.exit_code, 0) << dflt.err;
  EXPECT_EQ(json::parse(dflt.out)["scopes"], json({"read", "write"}));
  EXPECT_EQ(seconds_between(json::parse(dflt.out)), 90 * 86400);

  auto week = run_liaison({"token", "create", "--data", data, "--user", analyst, "--scope", "read",
                           "--expires-in-days", "7", "--json"});
  ASSERT_EQ(week.exit_code, 0) << week.err;
  EXPECT_EQ(json::parse(week.out)["scopes"], json({"read"}));
  EXPECT_EQ(seconds_between(json::parse(week.out)), 7 * 86400);

  auto admin_token = run_liaison({"token", "create", "--data", data, "--user", admin, "--scope",
                                  "read,write,admin", "--json"});
  ASSERT_EQ(admin_token.exit_code, 0) << admin_token.err;
  EXPECT_EQ(json::parse(admin_token.out)["scopes"], json({"read", "write", "admin"}));

  struct Bad {
    std::vector<std::string> extra;
    std::string says;
  };
  for (const auto& bad : std::vector<Bad>{{{"--expires-in-days", "0"}, "expires_in_days"},
                                          {{"--expires-in-days", "366"}, "between 1 and 365"},
                                          {{"--scope", "read,delete"}, "unknown scope 'delete'"},
                                          {{"--scope", "admin"}, "admin scope"}}) {
    std::vector<std::string> args = {"token", "create", "--data", data, "--user", analyst};
    args.insert(args.end(), bad.extra.begin(), bad.extra.end());
    auto r = run_liaison(args);
    EXPECT_EQ(r.exit_code, 3) << bad.says;
    EXPECT_NE(r.err.find(bad.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }
  auto list = run_liaison({"token", "list", "--data", data, "--user", analyst});
  EXPECT_NE(list.out.find("SCOPES"), std::string::npos) << list.out;
}

TEST(CliAdmin, DemoUsersHaveAPasswordAnAuthenticatorAndFittingScopes) {
  TempDir dir;
  std::string data = (dir.path() / "hub").string();
  auto demo = run_liaison({"demo", "--data", data, "--password-hash", "min"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("TOTP SECRET"), std::string::npos);
  json d = read_json(std::filesystem::path(data) / "demo-tokens.json");
  std::vector<json> everyone = {d["hub_admin"]};
  for (const auto& [key, u] : d["users"].items()) everyone.push_back(u);
  for (const auto& u : everyone) {
    EXPECT_GE(u["password"].get<std::string>().size(), 12u) << u;
    EXPECT_TRUE(trust::base32_decode(u["totp_secret"].get<std::string>(), "s").ok()) << u;
    EXPECT_EQ(u["totp_uri"].get<std::string>().rfind("otpauth://totp/Liaison:", 0), 0u);
    EXPECT_EQ(u["recovery_codes"].size(), 10u);
    EXPECT_NE(demo.out.find(u["password"].get<std::string>()), std::string::npos)
        << "printed for a person to try";
  }
  EXPECT_EQ(d["hub_admin"]["scopes"], "read,write,admin");
  EXPECT_EQ(d["users"]["police_admin"]["scopes"], "read,write,admin");
  EXPECT_EQ(d["users"]["provider_admin"]["scopes"], "read,write,admin");
  EXPECT_EQ(d["users"]["officer"]["scopes"], "read,write");
}

TEST(CliAdmin, UserPasswordReadsStandardInputAndTheNewPasswordLogsIn) {
  testing::HubProcess hub;
  const json& officer = hub.demo()["users"]["officer"];
  std::string email = officer["email"];
  const std::string next = "chosen at the operator's desk";
  std::vector<std::string> cmd = {
      LIAISON_BINARY, "user", "password",        "--data", hub.data_dir().string(),
      "--email",      email,  "--password-hash", "min"};
  auto r = run_process(cmd, next + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(next), std::string::npos) << "the password is never echoed";

  auto secret = trust::base32_decode(officer["totp_secret"].get<std::string>(), "s").value();
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  cli::HubClient anonymous(hub.base_url(), "");
  auto old = anonymous.send("POST", "/api/v1/session",
                            json{{"email", email},
                                 {"password", officer["password"]},
                                 {"totp_code", trust::totp_code(secret, now)}}
                                .dump());
  EXPECT_EQ(old.status, 401) << old.body;
  auto fresh = anonymous.send(
      "POST", "/api/v1/session",
      json{{"email", email}, {"password", next}, {"totp_code", trust::totp_code(secret, now)}}
          .dump());
  EXPECT_EQ(fresh.status, 201) << fresh.body;

  auto weak = run_process(cmd, "too short\n");
  EXPECT_EQ(weak.exit_code, 3);
  EXPECT_NE(weak.err.find("at least 12"), std::string::npos) << weak.err;
  std::vector<std::string> unknown = cmd;
  unknown[6] = "nobody@police.example.org";
  EXPECT_EQ(run_process(unknown, next + "\n").exit_code, 4);
  EXPECT_EQ(run_process(cmd, "").exit_code, 2) << "no password given";
  // There is no flag that would put a password in the shell's history.
  std::vector<std::string> flag = cmd;
  flag.push_back("--password");
  flag.push_back(next);
  EXPECT_EQ(run_process(flag, "").exit_code, 2);
}

TEST(CliAdmin, AnUnknownPasswordHashCostIsRefused) {
  TempDir dir;
  auto r =
      run_liaison({"init", "--data", (dir.path() / "hub").string(), "--password-hash", "cheap"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--password-hash"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace liaison
