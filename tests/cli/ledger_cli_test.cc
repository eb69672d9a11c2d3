// `liaison ledger` against a real hub: an honest ledger verifies, and every
// way of rewriting the record in the database afterwards (editing, deleting,
// reordering, truncating and regrowing) makes `ledger verify` fail and say
// where. Receipts check offline and refuse any change. A kill -9 in the middle
// of a burst of changes leaves the ledger and the requests in step.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "cli/hub_client.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

// Runs SQL on the stopped hub's database.
void exec_sql(const HubProcess& hub, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((hub.data_dir() / "liaison.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

std::int64_t query_int(const HubProcess& hub, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((hub.data_dir() / "liaison.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  std::int64_t out = -1;
  if (sqlite3_step(st) == SQLITE_ROW) out = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

class LedgerCli : public ::testing::Test {
 protected:
  LedgerCli() : hub_({"--checkpoint-interval", "1"}) {}

  ProcessResult ledger(std::vector<std::string> args) {
    args.insert(args.begin(), "ledger");
    return run_liaison(
        args, {"LIAISON_HUB=" + hub_.base_url(), "LIAISON_TOKEN=" + hub_.token("analyst")});
  }

  // A request taken through a few steps: a dozen entries or so.
  json busy_request() {
    cli::HubClient officer(hub_.base_url(), hub_.token("officer"));
    cli::HubClient analyst(hub_.base_url(), hub_.token("analyst"));
    json r =
        json::parse(officer.send("POST", "/api/v1/requests", hub_.example_draft().dump()).body);
    std::string path = "/api/v1/requests/" + r["id"].get<std::string>();
    testing::submit_signed(hub_, r);
    EXPECT_EQ(analyst.send("POST", path + "/actions", R"({"action":"acknowledge"})").status, 200);
    EXPECT_EQ(officer.send("POST", path + "/messages", R"({"body":"any news?"})").status, 201);
    return r;
  }

  // Waits until the latest checkpoint covers the whole log.
  void wait_for_checkpoint() {
    for (int i = 0; i < 100; ++i) {
      std::int64_t size = query_int(hub_, "SELECT COUNT(*) FROM ledger_entries");
      std::int64_t signed_size = query_int(hub_, "SELECT MAX(tree_size) FROM ledger_checkpoints");
      if (size > 0 && signed_size == size) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "no checkpoint covered the log within 10 s";
  }

  std::string file(const std::string& name) { return (dir_.path() / name).string(); }

  HubProcess hub_;
  testing::TempDir dir_;
};

TEST_F(LedgerCli, AnHonestLedgerVerifiesAndExtendsTheCheckpointSavedBefore) {
  busy_request();
  wait_for_checkpoint();
  ProcessResult first = ledger({"verify", "--save", file("cp")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("Verified "));
  busy_request();
  wait_for_checkpoint();
  ProcessResult second = ledger({"verify", "--since", file("cp"), "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  json j = json::parse(second.out);
  EXPECT_TRUE(j["verified"]);
  EXPECT_GT(j["tree_size"].get<std::int64_t>(), j["consistent_with"].get<std::int64_t>());
}

TEST_F(LedgerCli, APinnedKeyThatIsNotTheHubsIsRefused) {
  busy_request();
  wait_for_checkpoint();
  ProcessResult r =
      ledger({"verify", "--vkey",
              "liaison-hub/ledger+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(LedgerCli, AnEditedOldEntryIsFoundByIndex) {
  busy_request();
  wait_for_checkpoint();
  hub_.stop();
  // Rewrite entry 3: its time, say, to make an event look older.
  exec_sql(hub_,
           "UPDATE ledger_entries SET entry = replace(entry, '\"time\":\"2', '\"time\":\"1') "
           "WHERE leaf_index = 3");
  hub_.start();
  ProcessResult r = ledger({"verify"});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_THAT(r.err, HasSubstr("entry 3 is the first that differs")) << r.err;
}

TEST_F(LedgerCli, ADeletedEntryIsFoundByIndex) {
  busy_request();
  wait_for_checkpoint();
  hub_.stop();
  exec_sql(hub_, "DELETE FROM ledger_entries WHERE leaf_index = 4");
  hub_.start();
  ProcessResult r = ledger({"verify"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("where entry 4 belongs")) << r.err;
}

TEST_F(LedgerCli, ReorderedEntriesAreFoundByIndex) {
  busy_request();
  wait_for_checkpoint();
  hub_.stop();
  exec_sql(hub_,
           "UPDATE ledger_entries SET entry = CASE leaf_index "
           "WHEN 5 THEN (SELECT entry FROM ledger_entries WHERE leaf_index = 6) "
           "ELSE (SELECT entry FROM ledger_entries WHERE leaf_index = 5) END "
           "WHERE leaf_index IN (5, 6)");
  hub_.start();
  ProcessResult r = ledger({"verify"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("entry 5 is the first that differs")) << r.err;
}

// An operator with the hub's key truncates the log and grows a different
// history: each new checkpoint verifies alone, but not against one saved before.
TEST_F(LedgerCli, ATruncatedAndRegrownLogIsAForkOfTheSavedCheckpoint) {
  busy_request();
  wait_for_checkpoint();
  ASSERT_EQ(ledger({"verify", "--save", file("cp")}).exit_code, 0);
  std::int64_t saved = query_int(hub_, "SELECT MAX(tree_size) FROM ledger_checkpoints");
  hub_.stop();
  std::int64_t keep = saved - 3;
  std::string k = std::to_string(keep);
  exec_sql(hub_, "DELETE FROM ledger_entries WHERE leaf_index >= " + k +
                     "; DELETE FROM ledger_checkpoints WHERE tree_size > " + k +
                     "; DELETE FROM ledger_nodes WHERE (((node_key & 281474976710655) + 1) << "
                     "(node_key >> 48)) > " +
                     k + "; DELETE FROM ledger_tiles WHERE tile_index * 8 >= " + k +
                     "; UPDATE ledger_tiles SET hashes = substr(hashes, 1, 32 * (" + k +
                     " - tile_index * 8)) WHERE (tile_index + 1) * 8 > " + k);
  hub_.start();
  busy_request();
  busy_request();
  wait_for_checkpoint();
  ASSERT_EQ(ledger({"verify"}).exit_code, 0) << "the regrown log is consistent in itself";
  ProcessResult r = ledger({"verify", "--since", file("cp")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr(std::to_string(saved))) << r.err;
}

TEST_F(LedgerCli, AReceiptChecksOfflineAndRefusesAnyChange) {
  json r = busy_request();
  wait_for_checkpoint();
  ProcessResult saved = ledger({"receipt", r["id"], "--out", file("receipts.json")});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  hub_.stop();  // offline from here
  ProcessResult ok = run_liaison({"ledger", "check-receipt", file("receipts.json")});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("request.created"));
  EXPECT_THAT(ok.out, HasSubstr("receipt(s) verify"));

  std::ifstream in(file("receipts.json"));
  json bundle = json::parse(in);
  json changed = bundle;
  std::string content = changed["receipts"][0]["content"];
  auto at = content.find("\"status\":\"");
  ASSERT_NE(at, std::string::npos);
  content.replace(at, 10, "\"status\":\"x");
  changed["receipts"][0]["content"] = content;
  std::ofstream(file("changed.json")) << changed.dump();
  ProcessResult bad = run_liaison({"ledger", "check-receipt", file("changed.json")});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("receipt 0"));
}

// kill -9 during a burst of state changes: after the restart, every timeline
// event of a request has its ledger entry (they commit together), the tree
// the hub stored is the tree of its entries, and the ledger verifies.
TEST(LedgerCrash, KillNineLeavesLedgerAndRequestsInStep) {
  HubProcess hub({"--checkpoint-interval", "1"});
  std::string draft = hub.example_draft().dump();
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      cli::HubClient c(hub.base_url(), hub.token("officer"));
      while (!stop) {
        try {
          c.send("POST", "/api/v1/requests", draft);
        } catch (const std::exception&) {
          return;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  hub.kill_hard();
  stop = true;
  for (auto& w : writers) w.join();

  std::int64_t events = query_int(hub, "SELECT COUNT(*) FROM request_events");
  std::int64_t entries =
      query_int(hub, "SELECT COUNT(*) FROM ledger_entries WHERE request_id IS NOT NULL");
  ASSERT_GT(events, 10);
  EXPECT_EQ(events, entries);
  EXPECT_EQ(query_int(hub, "SELECT COUNT(*) FROM ledger_entries"),
            query_int(hub, "SELECT MAX(leaf_index) + 1 FROM ledger_entries"));

  hub.start();
  for (int i = 0; i < 100; ++i) {
    if (query_int(hub, "SELECT MAX(tree_size) FROM ledger_checkpoints") ==
        query_int(hub, "SELECT COUNT(*) FROM ledger_entries"))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ProcessResult r = run_liaison({"ledger", "verify"}, {"LIAISON_HUB=" + hub.base_url(),
                                                       "LIAISON_TOKEN=" + hub.token("officer")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace liaison
