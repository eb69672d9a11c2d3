// The worked example of docs/ledger.md, byte for byte: if this test fails,
// the specification's example no longer describes what the code writes.
#include <gtest/gtest.h>

#include "ledger/audit.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/receipt.h"
#include "ledger_fixture.h"
#include "trust/canonical_json.h"

namespace liaison::ledger {
namespace {

using nlohmann::json;
using testing::MemoryNodes;
using testing::unhex;

constexpr const char* kOriginName = "ledger.liaison.example";
constexpr const char* kRequest = "01890a5d-ac96-774b-bcce-b302099a8057";
constexpr const char* kOrg = "2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37";
constexpr const char* kKeyId = "5f0c2b0d6b1e4a3c9d8e7f6a5b4c3d2e";

struct Example {
  std::vector<std::string> entries, salts, contents;
  MemoryNodes nodes;
  std::string note, vkey;
  Receipt receipt;

  Example() {
    // RFC 8032 §7.1 TEST 1: a published Ed25519 key, so a reader can check the
    // public key and signatures with any Ed25519 implementation.
    auto key = trust::SecretKey::from_seed(
                   unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
                   .value();
    const char* types[] = {"request.created", "request.signed", "request.submitted"};
    const char* states[] = {"draft", "signed", "submitted"};
    for (int i = 0; i < 3; ++i) {
      std::string salt = trust::sha256("liaison ledger example salt " + std::to_string(i));
      std::string content =
          trust::canonical_json(json{{"id", kRequest}, {"state", states[i]}}).value();
      Entry e;
      e.type = types[i];
      e.request_id = kRequest;
      e.org = kOrg;
      if (i > 0) e.key_id = kKeyId;
      e.time = Timestamp{1793610900'000000 + i * 61'250'000};  // from 2026-11-02T09:15:00Z
      e.commitment = commit(salt, content).value();
      entries.push_back(encode_entry(e).value());
      salts.push_back(salt);
      contents.push_back(content);
      nodes.append_entry(entries.back());
    }
    Checkpoint c{kOriginName, 3, root_at(nodes, 3).value()};
    note = sign_checkpoint(c, kOriginName, key).value();
    vkey = NoteVerifier{kOriginName, key.public_key()}.vkey();
    receipt.entry = entries[1];
    receipt.leaf_index = 1;
    receipt.salt = salts[1];
    receipt.content = contents[1];
    receipt.tree_size = 3;
    receipt.path = inclusion_proof(nodes, 1, 3).value();
    receipt.checkpoint = note;
    receipt.vkey = vkey;
  }
};

TEST(DocsExampleTest, MatchesTheSpecification) {
  Example x;
  EXPECT_EQ(x.entries[0],
            R"({"commitment":"fef722b65817d9661b9a53a76168983b3690ceec897c23e53122bfa7470a1ce1",)"
            R"("key_id":null,"org":"2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37",)"
            R"("request_id":"01890a5d-ac96-774b-bcce-b302099a8057",)"
            R"("time":"2026-11-02T09:15:00.000000Z","type":"request.created","v":1})");
  EXPECT_EQ(
      x.entries[1],
      R"({"commitment":"0235193b383b72d857a5f1b4b1ba22797608977a057a947b091f3125ef1bc732",)"
      R"("key_id":"5f0c2b0d6b1e4a3c9d8e7f6a5b4c3d2e","org":"2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37",)"
      R"("request_id":"01890a5d-ac96-774b-bcce-b302099a8057",)"
      R"("time":"2026-11-02T09:16:01.250000Z","type":"request.signed","v":1})");
  EXPECT_EQ(
      x.entries[2],
      R"({"commitment":"996346fccb7dd679450834aa7a5c7eb2670306f330746014ec3cb968bf714abf",)"
      R"("key_id":"5f0c2b0d6b1e4a3c9d8e7f6a5b4c3d2e","org":"2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37",)"
      R"("request_id":"01890a5d-ac96-774b-bcce-b302099a8057",)"
      R"("time":"2026-11-02T09:17:02.500000Z","type":"request.submitted","v":1})");
  EXPECT_EQ(trust::base64url_encode(x.salts[1]), "IG7ppVeZLc2GLu-aZ_70mgLH5q8eOJBUjbypIIZdVzE");
  EXPECT_EQ(x.contents[1], R"({"id":"01890a5d-ac96-774b-bcce-b302099a8057","state":"signed"})");
  EXPECT_EQ(to_hex(leaf_hash(x.entries[0])),
            "4a075eab71261c0077f764499d5586655f68be98922e99e5d1fd92083aac3d0c");
  EXPECT_EQ(to_hex(leaf_hash(x.entries[1])),
            "af7ab0dab04daa5222d557c62848993c50b88820461e7017f4c10a3635d7446b");
  EXPECT_EQ(to_hex(leaf_hash(x.entries[2])),
            "511326cbd80a81e6d48d57012ca9bef62e7f48b4a2258f23cfa41bace2c1993f");
  EXPECT_EQ(to_hex(x.nodes.node(1, 0).value()),
            "50e12c59018e76763aaf972581038f6041899c3aed7b4b5421bb83b01ff565a4");
  EXPECT_EQ(to_hex(root_at(x.nodes, 3).value()),
            "91350f930d7f5ef51fbcdddeb6477805208946f1d10ddf3729697d5f78f89fa8");
  EXPECT_EQ(x.vkey, "ledger.liaison.example+5bde03b4+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea");
  EXPECT_EQ(x.note,
            "ledger.liaison.example\n"
            "3\n"
            "kTUPkw1/XvUfvN3etkd4BSCJRvHRDd83KWl9X3j4n6g=\n"
            "\n"
            "\xE2\x80\x94 ledger.liaison.example "
            "W94DtJuXIQLTq/"
            "d9MHbJXoApvzbVorT0z+eLusd7+L05vMQ5MGohywe+CT173h0PwfZBiZzfGHlE+ENeAQE1LAeAqgE=\n");
  json receipt = to_json(x.receipt);
  EXPECT_EQ(receipt["inclusion"]["path"],
            json::array({"4a075eab71261c0077f764499d5586655f68be98922e99e5d1fd92083aac3d0c",
                         "511326cbd80a81e6d48d57012ca9bef62e7f48b4a2258f23cfa41bace2c1993f"}));
  EXPECT_EQ(receipt["leaf_index"], 1);
  EXPECT_EQ(receipt["inclusion"]["tree_size"], 3);

  auto checked = check_receipt(x.receipt);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  LogAuditor auditor;
  for (const auto& e : x.entries) ASSERT_TRUE(auditor.add(e).ok());
  EXPECT_TRUE(auditor.finish(checked->checkpoint).ok());
}

}  // namespace
}  // namespace liaison::ledger
