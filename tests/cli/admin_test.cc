// Local administration commands against a data directory.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/hub_process.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::run_liaison;
using testing::TempDir;

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

}  // namespace
}  // namespace liaison
