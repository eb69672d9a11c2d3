// `liaison law` as a process: the shipped rules pass `check`; a broken copy
// fails with one readable line per problem and exit code 1; `show` lists the
// routes and prints one in full.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/hub_process.h"
#include "support/test_support.h"

namespace liaison {
namespace {

using ::testing::HasSubstr;
using testing::run_liaison;
using ::testing::StartsWith;

namespace fs = std::filesystem;

const std::string kShipped = LIAISON_SOURCE_DIR "/data/law";

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::trunc);
  out << text;
}

TEST(LawCli, ShippedRulesPassTheCheck) {
  auto r = run_liaison({"law", "check", "--today", "2026-06-01"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, StartsWith("ok: 6 instruments, 22 routes, 4 party tables"));
  EXPECT_THAT(r.out, HasSubstr("unverified facts (as of 2026-06-01)"));
  auto explicit_dir = run_liaison({"law", "check", "--dir", kShipped, "--today", "2026-06-01"});
  EXPECT_EQ(explicit_dir.exit_code, 0) << explicit_dir.err;
}

TEST(LawCli, BrokenCopyFailsWithOneLinePerProblem) {
  testing::TempDir dir;
  fs::copy(kShipped, dir.path(), fs::copy_options::recursive);
  fs::path sap = dir.path() / "instruments" / "sap.toml";
  std::string text = read(sap);
  const std::string good = "response = { amount = 30, unit = \"days\" }";
  auto at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, good.size(), "response = { amount = 0, unit = \"days\" }");
  write(sap, text);
  fs::path eu = dir.path() / "parties" / "eu-2023-1543.toml";
  std::string parties = read(eu);
  at = parties.find("country = \"IE\"");
  ASSERT_NE(at, std::string::npos);
  parties.replace(at, 14, "country = \"EI\"");
  write(eu, parties);

  auto r = run_liaison({"law", "check", "--dir", dir.path().string(), "--today", "2026-06-01"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("instruments/sap.toml: route[0].deadlines.response.amount: must be "
                               "a positive integer (at most 3650)\n"));
  EXPECT_THAT(r.out, HasSubstr("parties/eu-2023-1543.toml: party[12].country: 'EI' is not an "
                               "assigned ISO 3166-1 alpha-2 code\n"));
  EXPECT_EQ(r.err, "liaison: 2 problems in " + dir.path().string() + "\n");
}

TEST(LawCli, AsOfInTheFutureIsAProblem) {
  auto r = run_liaison({"law", "check", "--dir", kShipped, "--today", "2025-01-01"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("parties/sap.toml: as_of: 2026-02-05 is after today, 2025-01-01"));
}

TEST(LawCli, BadArgumentsAreUsageErrors) {
  auto r = run_liaison({"law", "check", "--today", "1 June"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--today: must be a date such as 2026-08-18"));
  auto missing = run_liaison({"law", "check", "--dir", "/nonexistent/law"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/law: not a directory of law rules"));
}

TEST(LawCli, ShowListsRoutesAndOneInDetail) {
  auto list = run_liaison({"law", "show"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("eu-2023-1543/epoc-subscriber"));
  EXPECT_THAT(list.out, HasSubstr("mla/request"));
  auto one = run_liaison({"law", "show", "eu-2023-1543/epoc-pr"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("preservation: 60 days, extension 30 days (at most 1)"));
  EXPECT_THAT(one.out, HasSubstr("emergency issuers: police, validated within 48 hours"));
  auto none = run_liaison({"law", "show", "eu-2023-1543/nothing"});
  EXPECT_EQ(none.exit_code, 4);
  EXPECT_THAT(none.err, HasSubstr("no route eu-2023-1543/nothing"));
}

}  // namespace
}  // namespace liaison
