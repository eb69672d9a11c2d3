// `liaison witness` against a real hub: a witness cosigns checkpoints that
// extend the last one it signed, the hub serves its cosignatures, and a
// rewritten history is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "cli/hub_client.h"
#include "ledger/checkpoint.h"
#include "support/hub_process.h"

namespace liaison {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

constexpr const char* kPassphrase = "a witness passphrase, made up";
constexpr const char* kWitness = "oversight.example.org/witness";

std::string make_witness_key(const std::string& path) {
  ProcessResult made = run_liaison({"trust", "keygen", "--out", path},
                                   {std::string("LIAISON_KEY_PASSPHRASE=") + kPassphrase});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  ProcessResult vkey = run_liaison({"witness", "vkey", "--key", path, "--name", kWitness},
                                   {std::string("LIAISON_KEY_PASSPHRASE=") + kPassphrase});
  EXPECT_EQ(vkey.exit_code, 0) << vkey.err;
  std::string out = vkey.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class WitnessCli : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = (dir_.path() / "witness.key").string();
    vkey_ = make_witness_key(key_);
    hub_ = std::make_unique<HubProcess>(
        std::vector<std::string>{"--checkpoint-interval", "1", "--witness", vkey_});
  }

  cli::HubClient as(const std::string& who) {
    return cli::HubClient(hub_->base_url(), hub_->token(who));
  }

  // The latest checkpoint; the first is published within a second of start.
  json checkpoint() {
    auto r = as("analyst").send("GET", "/api/v1/ledger/checkpoint");
    for (int i = 0; i < 100 && r.status == 404; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      r = as("analyst").send("GET", "/api/v1/ledger/checkpoint");
    }
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  // Makes a few entries and waits until a checkpoint covers them.
  void grow() {
    std::int64_t before = checkpoint()["tree_size"];
    ASSERT_EQ(as("officer").send("POST", "/api/v1/requests", hub_->example_draft().dump()).status,
              201);
    for (int i = 0; i < 100 && checkpoint()["tree_size"].get<std::int64_t>() <= before; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  ProcessResult cosign() {
    return run_liaison(
        {"witness", "cosign", "--key", key_, "--name", kWitness, "--state",
         (dir_.path() / "state.txt").string(), "--hub-vkey",
         checkpoint()["vkey"].get<std::string>()},
        {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN=" + hub_->token("analyst"),
         std::string("LIAISON_KEY_PASSPHRASE=") + kPassphrase});
  }

  testing::TempDir dir_;
  std::string key_, vkey_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(WitnessCli, CosignsCheckpointsThatExtendTheLastAndTheHubServesThem) {
  grow();
  ProcessResult first = cosign();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("Cosigned the checkpoint of"));
  json cp = checkpoint();
  EXPECT_THAT(cp["cosigned_by"], Contains(kWitness));
  EXPECT_THAT(cp["witness_vkeys"], Contains(vkey_));
  auto hub = ledger::NoteVerifier::parse_vkey(cp["vkey"].get<std::string>()).value();
  auto witness = ledger::NoteVerifier::parse_vkey(vkey_).value();
  auto opened = ledger::open_checkpoint(cp["note"].get<std::string>(), hub, {witness});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_THAT(opened->signers, Contains(kWitness));

  grow();
  ProcessResult second = cosign();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("consistent with the one of"));
}

TEST_F(WitnessCli, ANoteWithoutAWitnessLineIsRefused) {
  grow();
  auto r = as("analyst").send("POST", "/api/v1/ledger/cosignatures",
                              json{{"note", checkpoint()["note"]}}.dump());
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_THAT(r.body, HasSubstr("no cosignature by a witness"));
}

TEST_F(WitnessCli, ARewrittenHistoryIsNotCosigned) {
  grow();
  ASSERT_EQ(cosign().exit_code, 0);
  std::int64_t signed_size = checkpoint()["tree_size"];
  hub_->stop();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((hub_->data_dir() / "liaison.db").c_str(), &db), SQLITE_OK);
  std::string k = std::to_string(signed_size - 2);
  std::string sql =
      "DELETE FROM ledger_cosignatures; DELETE FROM ledger_entries WHERE leaf_index >= " + k +
      "; DELETE FROM ledger_checkpoints WHERE tree_size > " + k +
      "; DELETE FROM ledger_nodes WHERE (((node_key & 281474976710655) + 1) << (node_key >> 48)) "
      "> " +
      k + "; DELETE FROM ledger_tiles WHERE tile_index * 8 >= " + k +
      "; UPDATE ledger_tiles SET hashes = substr(hashes, 1, 32 * (" + k +
      " - tile_index * 8)) WHERE (tile_index + 1) * 8 > " + k;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  hub_->start();
  // The restarted hub publishes a checkpoint of what is left at once.
  for (int i = 0; i < 100; ++i) {
    if (as("analyst").send("GET", "/api/v1/ledger/checkpoint").status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  grow();
  grow();
  grow();  // past the size the witness signed
  ProcessResult r = cosign();
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_THAT(r.err, HasSubstr("not consistent with the one of")) << r.err;
}

}  // namespace
}  // namespace liaison
