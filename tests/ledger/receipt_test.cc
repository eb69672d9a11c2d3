#include "ledger/receipt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "ledger_fixture.h"
#include "trust/canonical_json.h"

namespace liaison::ledger {
namespace {

using nlohmann::json;
using testing::entry_at;
using ::testing::HasSubstr;
using testing::key_for;
using testing::kOrigin;
using testing::MemoryNodes;
using testing::verifier_for;

// A small ledger whose entries commit to real content with real salts.
struct TestLedger {
  std::vector<std::string> entries, salts, contents;
  MemoryNodes nodes;

  explicit TestLedger(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string salt = trust::sha256("salt " + std::to_string(i));
      std::string content =
          trust::canonical_json(
              json{{"event", i}, {"note", "contents of event " + std::to_string(i)}})
              .value();
      Entry e = entry_at(i);
      e.commitment = commit(salt, content).value();
      entries.push_back(encode_entry(e).value());
      salts.push_back(salt);
      contents.push_back(content);
      nodes.append_entry(entries.back());
    }
  }

  std::string note(std::uint64_t size, const std::string& name = kOrigin) {
    Checkpoint c{kOrigin, size, root_at(nodes, size).value()};
    return sign_checkpoint(c, name, key_for(name)).value();
  }

  Receipt receipt(std::uint64_t index, std::uint64_t size) {
    Receipt r;
    r.entry = entries[index];
    r.leaf_index = index;
    r.salt = salts[index];
    r.content = contents[index];
    r.tree_size = size;
    r.path = inclusion_proof(nodes, index, size).value();
    r.checkpoint = note(size);
    r.vkey = verifier_for(kOrigin).vkey();
    return r;
  }
};

std::string failed_field(const Result<CheckedReceipt>& r) {
  return r.ok() ? std::string("ok") : r.error().issues.at(0).field;
}

TEST(ReceiptTest, JsonIsAsDocumentedAndRoundTrips) {
  TestLedger ledger(21);
  Receipt r = ledger.receipt(13, 21);
  json j = to_json(r);
  std::vector<std::string> keys;
  for (const auto& [k, _] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"checkpoint", "content", "entry", "inclusion", "leaf_index",
                                      "liaison_ledger_receipt", "salt", "vkey"}));
  EXPECT_EQ(j["liaison_ledger_receipt"], 1);
  EXPECT_EQ(j["entry"], ledger.entries[13]);
  EXPECT_EQ(j["leaf_index"], 13);
  EXPECT_EQ(j["salt"], trust::base64url_encode(ledger.salts[13]));
  EXPECT_EQ(j["content"], ledger.contents[13]);
  EXPECT_EQ(j["inclusion"]["tree_size"], 21);
  ASSERT_EQ(j["inclusion"]["path"].size(), r.path.size());
  EXPECT_EQ(j["inclusion"]["path"][0], to_hex(r.path[0]));
  EXPECT_EQ(j["checkpoint"], r.checkpoint);
  EXPECT_EQ(j["vkey"], verifier_for(kOrigin).vkey());

  auto back = receipt_from_json(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->entry, r.entry);
  EXPECT_EQ(back->leaf_index, r.leaf_index);
  EXPECT_EQ(back->salt, r.salt);
  EXPECT_EQ(back->content, r.content);
  EXPECT_EQ(back->tree_size, r.tree_size);
  EXPECT_EQ(back->path, r.path);
  EXPECT_EQ(back->checkpoint, r.checkpoint);
  EXPECT_EQ(back->vkey, r.vkey);
}

TEST(ReceiptTest, AGoodReceiptChecks) {
  TestLedger ledger(21);
  for (std::uint64_t size : {1, 2, 13, 21}) {
    for (std::uint64_t i = 0; i < size; ++i) {
      auto checked = check_receipt(ledger.receipt(i, size));
      ASSERT_TRUE(checked.ok()) << i << " of " << size << ": " << checked.error().message;
      EXPECT_EQ(checked->entry.type, entry_at(i).type);
      EXPECT_EQ(checked->checkpoint.size, size);
      EXPECT_EQ(checked->content["event"], i);
    }
  }
  auto pinned = check_receipt(ledger.receipt(4, 21), verifier_for(kOrigin));
  ASSERT_TRUE(pinned.ok()) << pinned.error().message;
}

TEST(ReceiptTest, APinnedKeyOverridesTheReceiptsOwn) {
  TestLedger ledger(8);
  Receipt r = ledger.receipt(3, 8);
  r.vkey = "whatever the receipt says";
  EXPECT_EQ(failed_field(check_receipt(r)), "vkey");
  EXPECT_EQ(failed_field(check_receipt(r, verifier_for(kOrigin))), "ok");

  // A forger's own key in the receipt: fine without a pin, refused with one.
  TestLedger forged(8);
  Receipt f = forged.receipt(3, 8);
  f.checkpoint = forged.note(8, "forger.example");
  f.vkey = verifier_for("forger.example").vkey();
  auto unpinned = check_receipt(f);
  EXPECT_EQ(failed_field(unpinned), "checkpoint");  // the origin is not the forger's name
  auto pinned = check_receipt(f, verifier_for(kOrigin));
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().issues.at(0).field, "checkpoint");
  EXPECT_THAT(pinned.error().message,
              HasSubstr("does not open with the pinned key " + verifier_for(kOrigin).vkey()));
}

struct Tamper {
  std::string what;
  std::function<void(Receipt&, TestLedger&)> change;
  std::string field;
  std::string says;
  bool pin = false;
};

TEST(ReceiptTest, EachCheckFailsOnItsOwnTamper) {
  const std::vector<Tamper> tampers = {
      {"entry that does not decode", [](Receipt& r, TestLedger&) { r.entry += " "; }, "entry",
       "does not decode"},
      {"entry of another event",
       [](Receipt& r, TestLedger& l) {
         Entry e = decode_entry(r.entry).value();
         e.type = "request.cancelled";
         r.entry = encode_entry(e).value();
         (void)l;
       },
       "inclusion", "not proved to be leaf 5"},
      {"entry of another leaf", [](Receipt& r, TestLedger& l) { r.entry = l.entries[6]; },
       "commitment", "not the entry's"},
      {"salt", [](Receipt& r, TestLedger&) { r.salt[0] ^= 1; }, "commitment",
       "the salt and content give commitment"},
      {"short salt", [](Receipt& r, TestLedger&) { r.salt.pop_back(); }, "salt",
       "must be 32 bytes"},
      {"content",
       [](Receipt& r, TestLedger&) {
         r.content = trust::canonical_json(json{{"event", 5}, {"note", "something else"}}).value();
       },
       "commitment", "not the entry's"},
      {"content not canonical", [](Receipt& r, TestLedger&) { r.content = " " + r.content; },
       "content", "not canonical JSON"},
      {"content not JSON", [](Receipt& r, TestLedger&) { r.content = "{"; }, "content",
       "not canonical JSON"},
      {"path element", [](Receipt& r, TestLedger&) { r.path[1][7] ^= 0x40; }, "inclusion",
       "with its path gives root"},
      {"path too short", [](Receipt& r, TestLedger&) { r.path.pop_back(); }, "inclusion", "needs"},
      {"leaf index", [](Receipt& r, TestLedger&) { r.leaf_index = 4; }, "inclusion",
       "not proved to be leaf 4"},
      {"leaf index outside", [](Receipt& r, TestLedger&) { r.leaf_index = 21; }, "inclusion",
       "outside a tree of 21"},
      {"tree size", [](Receipt& r, TestLedger&) { r.tree_size = 20; }, "inclusion/tree_size",
       "tree of 20 leaves, the checkpoint for 21"},
      {"checkpoint of another size", [](Receipt& r, TestLedger& l) { r.checkpoint = l.note(20); },
       "inclusion/tree_size", "the checkpoint for 20"},
      {"checkpoint text",
       [](Receipt& r, TestLedger&) {
         r.checkpoint.replace(r.checkpoint.find("\n21\n"), 4, "\n22\n");
       },
       "checkpoint", "does not verify"},
      {"checkpoint signature",
       [](Receipt& r, TestLedger&) { r.checkpoint[r.checkpoint.size() - 10] ^= 1; }, "checkpoint",
       "does not"},
      {"vkey of another key",
       [](Receipt& r, TestLedger&) { r.vkey = verifier_for("other.example").vkey(); }, "checkpoint",
       "no signature line by other.example+"},
      {"vkey mangled", [](Receipt& r, TestLedger&) { r.vkey[r.vkey.size() - 3] ^= 1; }, "vkey",
       "does not parse"},
      {"pinned key mismatch", [](Receipt&, TestLedger&) {}, "checkpoint", "the pinned key", true},
  };
  for (const Tamper& t : tampers) {
    TestLedger ledger(21);
    Receipt r = ledger.receipt(5, 21);
    ASSERT_TRUE(check_receipt(r).ok());
    t.change(r, ledger);
    std::optional<NoteVerifier> pin;
    if (t.pin) pin = NoteVerifier{kOrigin, key_for("an auditor's other key").public_key()};
    auto checked = check_receipt(r, pin);
    ASSERT_FALSE(checked.ok()) << t.what;
    EXPECT_EQ(checked.error().issues.at(0).field, t.field)
        << t.what << ": " << checked.error().message;
    EXPECT_THAT(checked.error().message, HasSubstr(t.says)) << t.what;
  }
}

TEST(ReceiptTest, DecodingIsStrict) {
  TestLedger ledger(5);
  json good = to_json(ledger.receipt(2, 5));
  ASSERT_TRUE(receipt_from_json(good).ok());
  struct Case {
    std::function<void(json&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](json& j) { j = json::array(); }, ""},
      {[](json& j) { j["extra"] = 1; }, "extra"},
      {[](json& j) { j.erase("entry"); }, "entry"},
      {[](json& j) { j["liaison_ledger_receipt"] = 2; }, "liaison_ledger_receipt"},
      {[](json& j) { j.erase("liaison_ledger_receipt"); }, "liaison_ledger_receipt"},
      {[](json& j) { j["entry"] = 7; }, "entry"},
      {[](json& j) { j["leaf_index"] = -1; }, "leaf_index"},
      {[](json& j) { j["leaf_index"] = 1.5; }, "leaf_index"},
      {[](json& j) { j["salt"] = "AAAA"; }, "salt"},
      {[](json& j) { j["salt"] = trust::base64url_encode(std::string(32, 'x')) + "="; }, "salt"},
      {[](json& j) { j["content"] = ""; }, "content"},
      {[](json& j) { j["inclusion"] = 3; }, "inclusion"},
      {[](json& j) { j["inclusion"]["tree_size"] = 0; }, "inclusion/tree_size"},
      {[](json& j) { j["inclusion"]["more"] = 0; }, "inclusion/more"},
      {[](json& j) { j["inclusion"]["path"] = "abc"; }, "inclusion/path"},
      {[](json& j) { j["inclusion"]["path"][1] = 5; }, "inclusion/path/1"},
      {[](json& j) { j["inclusion"]["path"][0] = std::string(64, 'A'); }, "inclusion/path/0"},
      {[](json& j) {
         j["inclusion"]["path"] = json::array();
         for (int i = 0; i < 65; ++i) j["inclusion"]["path"].push_back(std::string(64, '0'));
       },
       "inclusion/path"},
      {[](json& j) { j.erase("checkpoint"); }, "checkpoint"},
      {[](json& j) { j["vkey"] = nullptr; }, "vkey"},
  };
  for (const Case& c : cases) {
    json j = good;
    c.change(j);
    auto r = receipt_from_json(j);
    ASSERT_FALSE(r.ok()) << j.dump();
    ASSERT_FALSE(r.error().issues.empty());
    EXPECT_EQ(r.error().issues.at(0).field, c.field) << r.error().message;
  }
}

}  // namespace
}  // namespace liaison::ledger
