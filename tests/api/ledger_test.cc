// The ledger through the API of a real hub: every state change lands in it,
// checkpoints are signed and published, proofs verify against them, and
// receipts go to the parties only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "api/api_helpers.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "ledger/receipt.h"
#include "support/demo_evidence.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ledger::Hash hex_hash(const json& j) {
  auto h = ledger::hash_from_hex(j.get<std::string>(), "hash");
  EXPECT_TRUE(h.ok()) << j;
  return h.ok() ? h.value() : ledger::Hash{};
}

std::vector<ledger::Hash> path_of(const json& proof) {
  std::vector<ledger::Hash> out;
  for (const auto& h : proof.at("path")) out.push_back(hex_hash(h));
  return out;
}

class LedgerApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"--checkpoint-interval", "1"});
  }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) {
    return HubClient(hub_->base_url(), who == "hub_admin" ? hub_->admin_token() : hub_->token(who));
  }

  // The latest checkpoint once it covers `size` entries, opened with its key.
  json checkpoint_covering(std::int64_t size) {
    for (int i = 0; i < 100; ++i) {
      json cp = get_json(as("officer"), "/api/v1/ledger/checkpoint");
      if (cp["tree_size"].get<std::int64_t>() >= size) return cp;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no checkpoint covered " << size << " entries within 10 s";
    return get_json(as("officer"), "/api/v1/ledger/checkpoint");
  }

  static ledger::Checkpoint open(const json& cp) {
    auto v = ledger::NoteVerifier::parse_vkey(cp["vkey"].get<std::string>());
    EXPECT_TRUE(v.ok()) << cp["vkey"];
    auto opened = ledger::open_checkpoint(cp["note"].get<std::string>(), v.value());
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
    return opened.ok() ? opened->checkpoint : ledger::Checkpoint{};
  }

  static std::vector<std::string> types_of(const json& view) {
    std::vector<std::string> out;
    for (const auto& e : view["ledger"]) {
      auto entry = ledger::decode_entry(e["entry"].get<std::string>());
      EXPECT_TRUE(entry.ok()) << e["entry"];
      if (entry.ok()) out.push_back(entry->type);
    }
    return out;
  }

  static std::unique_ptr<HubProcess> hub_;
};

std::unique_ptr<HubProcess> LedgerApi::hub_;

TEST_F(LedgerApi, EveryStateChangeOfARequestIsAnEntryWithItsProof) {
  HubClient officer = as("officer");
  HubClient analyst = as("analyst");
  json r = create_request(hub(), officer);
  // The answer to the creation already lists its entry, not yet in a checkpoint.
  ASSERT_EQ(r["ledger"].size(), 1u) << r.dump();
  EXPECT_EQ(r["ledger"][0]["in_checkpoint"], false);
  EXPECT_EQ(types_of(r), std::vector<std::string>{"request.created"});
  std::string rp = request_path(r);
  submit_signed(hub(), r);
  act_ok(analyst, r, "acknowledge");
  ASSERT_EQ(officer
                .send("POST", rp + "/messages",
                      json{{"body", "Please hurry, the account is active."}}.dump())
                .status,
            201);
  ASSERT_EQ(
      officer.send("POST", rp + "/attachments?name=order.pdf", "%PDF-1.4 order", "application/pdf")
          .status,
      201);
  act_ok(analyst, r, "accept");

  json view = get_json(officer, rp);
  EXPECT_THAT(types_of(view),
              ElementsAre("request.created", "request.signed", "request.validation_requested",
                          "request.signed", "request.submitted", "request.acknowledged",
                          "message.sent", "attachment.added", "request.accepted"));
  // The entries name the request and the actor's organisation, and hold no content.
  for (const auto& e : view["ledger"]) {
    auto entry = ledger::decode_entry(e["entry"].get<std::string>()).value();
    EXPECT_EQ(entry.request_id, r["id"].get<std::string>());
    EXPECT_THAT(e["entry"].get<std::string>(), ::testing::Not(HasSubstr("hurry")));
    EXPECT_THAT(e["entry"].get<std::string>(), ::testing::Not(HasSubstr("198.51.100")));
  }
  auto signed_entry = ledger::decode_entry(view["ledger"][1]["entry"].get<std::string>()).value();
  EXPECT_TRUE(signed_entry.key_id.has_value()) << "a signature names the key that made it";

  // Once a checkpoint covers them, the view says so, and each has a receipt
  // whose proof verifies against that checkpoint.
  std::int64_t last = view["ledger"].back()["leaf_index"];
  json cp = checkpoint_covering(last + 1);
  ledger::Checkpoint checkpoint = open(cp);
  view = get_json(officer, rp);
  json bundle = get_json(officer, rp + "/receipts");
  ASSERT_EQ(bundle["receipts"].size(), view["ledger"].size());
  for (std::size_t i = 0; i < view["ledger"].size(); ++i) {
    const json& e = view["ledger"][i];
    EXPECT_EQ(e["in_checkpoint"], true) << e;
    EXPECT_FALSE(e.contains("inclusion")) << "a view carries no proofs: " << e;
    const json& receipt = bundle["receipts"][i];
    ASSERT_EQ(receipt["leaf_index"], e["leaf_index"]);
    ASSERT_EQ(receipt["entry"], e["entry"]);
    const json& proof = receipt["inclusion"];
    ASSERT_LE(proof["tree_size"].get<std::uint64_t>(), checkpoint.size);
    if (proof["tree_size"].get<std::uint64_t>() != checkpoint.size) continue;  // a newer checkpoint
    ledger::Hash leaf = ledger::leaf_hash(e["entry"].get<std::string>());
    Status ok = ledger::verify_inclusion(leaf, e["leaf_index"], checkpoint.size, path_of(proof),
                                         checkpoint.root);
    EXPECT_TRUE(ok.ok()) << ok.error().message;
  }
}

TEST_F(LedgerApi, ProducedDataAndEachDownloadOfItAreEntries) {
  HubClient officer = as("officer");
  HubClient analyst = as("analyst");
  json r = create_request(hub(), officer);
  submit_signed(hub(), r);
  act_ok(analyst, r, "acknowledge");
  act_ok(analyst, r, "accept");
  json package = testing::produce_package(hub(), r, "account,created\n");
  ASSERT_TRUE(package.is_object());
  act_ok(analyst, r, "produce");
  std::string content = package["content"];
  ASSERT_EQ(officer.send("GET", content).status, 200);
  ASSERT_EQ(officer.send("GET", content).status, 200);
  auto types = types_of(get_json(officer, request_path(r)));
  EXPECT_THAT(std::vector<std::string>(types.end() - 4, types.end()),
              ElementsAre("evidence.produced", "request.produced", "evidence.downloaded",
                          "evidence.downloaded"));
}

TEST_F(LedgerApi, TrustAndAccountChangesAreEntriesOfNoRequest) {
  // The demo made users and a trust chain: the log starts with them.
  json page = get_json(as("officer"), "/api/v1/ledger/entries?start=0&end=30");
  std::set<std::string> types;
  for (const auto& e : page["entries"]) {
    auto entry = ledger::decode_entry(e["entry"].get<std::string>()).value();
    if (!entry.request_id) types.insert(entry.type);
  }
  EXPECT_TRUE(types.count("user.created"));
  EXPECT_TRUE(types.count("root.added"));
  EXPECT_TRUE(types.count("certificate.added"));
  EXPECT_TRUE(types.count("key.certified"));
}

TEST_F(LedgerApi, TheProviderSeesTheSameEntriesAndOutsidersNone) {
  json r = create_request(hub(), as("officer"));
  submit_signed(hub(), r);
  json mine = get_json(as("officer"), request_path(r));
  json theirs = get_json(as("analyst"), request_path(r));
  // created, signed, validation_requested, signed (by the prosecutor), submitted
  EXPECT_EQ(mine["ledger"].size(), 5u);
  std::vector<std::string> a, b;
  for (const auto& e : mine["ledger"]) a.push_back(e["entry"]);
  for (const auto& e : theirs["ledger"]) b.push_back(e["entry"]);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(
      IsProblem(as("hub_admin").send("GET", request_path(r) + "/receipts"), 404, "not-found"));
}

TEST_F(LedgerApi, EntriesPageAndProofsAnswerByIndexOrHash) {
  json r = create_request(hub(), as("officer"));
  json view = get_json(as("officer"), request_path(r));
  std::int64_t index = view["ledger"][0]["leaf_index"];
  json cp = checkpoint_covering(index + 1);
  std::int64_t size = cp["tree_size"];
  ledger::Checkpoint checkpoint = open(cp);
  EXPECT_EQ(ledger::to_hex(checkpoint.root), cp["root_hash"]);

  json page = get_json(as("analyst"), "/api/v1/ledger/entries?start=" + std::to_string(index) +
                                          "&end=" + std::to_string(index + 1));
  ASSERT_EQ(page["entries"].size(), 1u);
  EXPECT_EQ(page["entries"][0]["entry"], view["ledger"][0]["entry"]);
  EXPECT_FALSE(page["entries"][0].contains("salt"));

  // The same entries as lines, "<leaf_index> <entry>\n", for auditors reading millions.
  http::Headers plain;
  plain.set("Accept", "text/plain");
  auto lines = as("analyst").send(
      "GET",
      "/api/v1/ledger/entries?start=" + std::to_string(index) + "&end=" + std::to_string(index + 2),
      "", "application/json", plain);
  ASSERT_EQ(lines.status, 200) << lines.body;
  EXPECT_THAT(lines.headers.get("Content-Type").value_or(""), HasSubstr("text/plain"));
  json both = get_json(as("analyst"), "/api/v1/ledger/entries?start=" + std::to_string(index) +
                                          "&end=" + std::to_string(index + 2));
  std::string expected;
  for (const auto& e : both["entries"])
    expected += std::to_string(e["leaf_index"].get<std::int64_t>()) + " " +
                e["entry"].get<std::string>() + "\n";
  EXPECT_EQ(lines.body, expected);

  std::string leaf =
      ledger::to_hex(ledger::leaf_hash(page["entries"][0]["entry"].get<std::string>()));
  json by_hash = get_json(as("analyst"), "/api/v1/ledger/proof/inclusion?hash=" + leaf +
                                             "&tree_size=" + std::to_string(size));
  json by_index =
      get_json(as("analyst"), "/api/v1/ledger/proof/inclusion?leaf_index=" + std::to_string(index) +
                                  "&tree_size=" + std::to_string(size));
  EXPECT_EQ(by_hash, by_index);
  EXPECT_TRUE(ledger::verify_inclusion(hex_hash(by_index["leaf_hash"]), index, size,
                                       path_of(by_index), checkpoint.root)
                  .ok());

  // A later checkpoint is consistent with this one.
  create_request(hub(), as("officer"));
  json later = checkpoint_covering(size + 1);
  ledger::Checkpoint second = open(later);
  json proof =
      get_json(as("analyst"), "/api/v1/ledger/proof/consistency?first=" + std::to_string(size) +
                                  "&second=" + std::to_string(second.size));
  Status consistent = ledger::verify_consistency(checkpoint.size, second.size, checkpoint.root,
                                                 second.root, path_of(proof));
  EXPECT_TRUE(consistent.ok()) << consistent.error().message;
}

TEST_F(LedgerApi, BadQueriesNameTheParameter) {
  HubClient c = as("officer");
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/entries?end=5"), "start", "required"));
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/entries?start=5&end=5"), "end",
                          "greater than start"));
  EXPECT_TRUE(
      names_field(c.send("GET", "/api/v1/ledger/entries?start=0&end=5000"), "end", "at most"));
  EXPECT_TRUE(
      names_field(c.send("GET", "/api/v1/ledger/entries?start=-1&end=5"), "start", "whole number"));
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/proof/inclusion?leaf_index=0"), "tree_size",
                          "required"));
  EXPECT_TRUE(
      names_field(c.send("GET", "/api/v1/ledger/proof/inclusion?leaf_index=0&tree_size=999999999"),
                  "tree_size", "beyond the latest checkpoint"));
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/proof/inclusion?tree_size=1"), "leaf_index",
                          "either"));
  EXPECT_TRUE(
      names_field(c.send("GET", "/api/v1/ledger/proof/inclusion?tree_size=1&hash=zz"), "hash", ""));
  EXPECT_TRUE(IsProblem(
      c.send("GET", "/api/v1/ledger/proof/inclusion?tree_size=1&hash=" + std::string(64, '0')), 404,
      "not-found"));
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/proof/consistency?first=0&second=1"),
                          "first", "at least 1"));
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/proof/consistency?first=3&second=2"),
                          "second", "at least first"));
  EXPECT_TRUE(names_field(c.send("GET", "/api/v1/ledger/entries?start=0&end=1&limit=3"), "limit",
                          "unknown query parameter"));
}

TEST_F(LedgerApi, ReceiptsGoToThePartiesAndCheckOffline) {
  json r = create_request(hub(), as("officer"));
  submit_signed(hub(), r);
  json view = get_json(as("officer"), request_path(r));
  checkpoint_covering(view["ledger"].back()["leaf_index"].get<std::int64_t>() + 1);

  json bundle = get_json(as("analyst"), request_path(r) + "/receipts");
  ASSERT_EQ(bundle["receipts"].size(), view["ledger"].size());
  for (const auto& j : bundle["receipts"]) {
    auto receipt = ledger::receipt_from_json(j);
    ASSERT_TRUE(receipt.ok()) << receipt.error().message;
    auto checked = ledger::check_receipt(receipt.value());
    ASSERT_TRUE(checked.ok()) << checked.error().message;
    EXPECT_EQ(checked->content["request"]["id"], r["id"]);
    // What the public entry only commits to, the receipt holds: the targets.
    EXPECT_FALSE(checked->content["request"]["draft"]["targets"].empty());
  }
  // Another authority is no party to the request.
  EXPECT_TRUE(
      IsProblem(as("prosecutor").send("GET", request_path(r) + "/receipts"), 404, "not-found"));
}

}  // namespace
}  // namespace liaison
