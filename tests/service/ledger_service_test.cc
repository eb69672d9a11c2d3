// LedgerService over a real SQLite store: the subtree hashes it stores as it
// appends make the same tree as the entries themselves, proofs from them (and
// from its cache) verify, checkpoints follow the policy, and an append that
// is rolled back leaves nothing behind.
#include "service/ledger_service.h"

#include <gtest/gtest.h>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/memory_tree.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace liaison {
namespace {

class FixedClock final : public Clock {
 public:
  Timestamp now() const override { return t; }
  Timestamp t = Timestamp::from_seconds(1'800'000'000);
};

class LedgerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite_store((dir_.path() / "liaison.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened.value());
    ledger_ = std::make_unique<LedgerService>(
        *store_, clock_, std::move(trust::SecretKey::from_seed(std::string(32, 'K'))).value(),
        "test.example.org/ledger", CheckpointPolicy{60, 5});
  }

  void append(int n) {
    for (int i = 0; i < n; ++i) {
      Status s = store_->write([&](WriteTx& tx) {
        return ledger_->append(tx, {"message.sent",
                                    "01890a5d-ac96-774b-bcce-b302099a8057",
                                    "hub",
                                    std::nullopt,
                                    clock_.now(),
                                    {{"n", static_cast<int>(appended_++)}}});
      });
      ASSERT_TRUE(s.ok()) << s.error().message;
    }
  }

  // The leaf hashes of every entry, recomputed from the entries' bytes.
  std::vector<ledger::Hash> leaves() {
    auto page = ledger_->entries(Principal{}, 0, LedgerService::kMaxEntriesPerPage);
    EXPECT_TRUE(page.ok());
    std::vector<ledger::Hash> out;
    for (const auto& e : page.value()) out.push_back(ledger::leaf_hash(e.entry));
    return out;
  }

  testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LedgerService> ledger_;
  std::int64_t appended_ = 0;
};

TEST_F(LedgerServiceTest, StoredSubtreesMakeTheTreeOfTheEntriesAndEveryProofVerifies) {
  for (int size : {1, 2, 3, 7, 8, 9, 31, 64, 100}) {
    append(size - static_cast<int>(appended_));
    auto cp = ledger_->publish_now();
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    ASSERT_EQ(cp->tree_size, size);
    ledger::MemoryTree reference(leaves());
    ledger::Hash root = ledger::root_at(reference, static_cast<std::uint64_t>(size)).value();
    ASSERT_EQ(std::string(root.begin(), root.end()), cp->root) << "size " << size;
    for (int pass = 0; pass < 2; ++pass) {  // the second pass reads the cached upper levels
      for (std::int64_t i = 0; i < size; ++i) {
        auto proof = ledger_->inclusion_by_index(Principal{}, i, size);
        ASSERT_TRUE(proof.ok()) << proof.error().message;
        Status ok = ledger::verify_inclusion(proof->leaf_hash, static_cast<std::uint64_t>(i),
                                             static_cast<std::uint64_t>(size), proof->path, root);
        ASSERT_TRUE(ok.ok()) << "leaf " << i << " of " << size << ": " << ok.error().message;
      }
    }
    for (std::int64_t first = 1; first <= size; first += 3) {
      auto proof = ledger_->consistency(Principal{}, first, size);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      ledger::Hash first_root =
          ledger::root_at(reference, static_cast<std::uint64_t>(first)).value();
      EXPECT_TRUE(ledger::verify_consistency(static_cast<std::uint64_t>(first),
                                             static_cast<std::uint64_t>(size), first_root, root,
                                             proof->path)
                      .ok());
    }
  }
}

// Tiles are raw bytes (a BLOB), whatever the hashes hold: zero bytes included.
TEST_F(LedgerServiceTest, TilesHoldEveryLeafHashByteForByte) {
  append(11);
  std::vector<ledger::Hash> expected = leaves();
  Status s = store_->read([&](ReadTx& tx) -> Status {
    for (std::int64_t t = 0; t < 2; ++t) {
      LIAISON_ASSIGN_OR_RETURN(std::string tile, tx.ledger_tile(t));
      EXPECT_EQ(tile.size(), (t == 0 ? 8u : 3u) * 32);
      for (std::size_t i = 0; i * 32 < tile.size(); ++i) {
        const ledger::Hash& h = expected[static_cast<std::size_t>(t) * 8 + i];
        EXPECT_EQ(tile.substr(i * 32, 32), std::string(h.begin(), h.end()));
      }
    }
    return Ok{};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
}

TEST_F(LedgerServiceTest, CheckpointsAreSignedAndFollowThePolicy) {
  auto first = ledger_->publish_if_due();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value()) << "the first checkpoint is always due";
  EXPECT_EQ((*first)->tree_size, 0);
  append(4);
  EXPECT_FALSE(ledger_->publish_if_due().value().has_value()) << "4 entries, 0 seconds: not due";
  append(1);
  auto by_count = ledger_->publish_if_due().value();
  ASSERT_TRUE(by_count.has_value()) << "5 entries are due";
  EXPECT_EQ(by_count->tree_size, 5);
  append(1);
  clock_.t = Timestamp::from_seconds(clock_.t.seconds() + 61);
  auto by_time = ledger_->publish_if_due().value();
  ASSERT_TRUE(by_time.has_value()) << "61 seconds are due";
  EXPECT_EQ(by_time->tree_size, 6);
  EXPECT_FALSE(ledger_->publish_if_due().value().has_value()) << "nothing new: nothing to sign";

  auto opened = ledger::open_checkpoint(by_time->note, ledger_->verifier());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->checkpoint.origin, "test.example.org/ledger");
  EXPECT_EQ(opened->checkpoint.size, 6u);
}

TEST_F(LedgerServiceTest, AnAppendInAWriteThatFailsLeavesNoEntryAndNoNode) {
  append(3);
  Status failed = store_->write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(ledger_->append(
        tx, {"message.sent", std::nullopt, "hub", std::nullopt, clock_.now(), {{"n", 99}}}));
    return Error::invalid("body", "refused after the append");
  });
  ASSERT_FALSE(failed.ok());
  append(1);  // index 3 again: the failed one left nothing
  auto cp = ledger_->publish_now();
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->tree_size, 4);
  ledger::MemoryTree reference(leaves());
  ledger::Hash root = ledger::root_at(reference, 4).value();
  EXPECT_EQ(std::string(root.begin(), root.end()), cp->root);
}

TEST_F(LedgerServiceTest, ProofsBeyondTheLatestCheckpointAreRefused) {
  append(3);
  ASSERT_TRUE(ledger_->publish_now().ok());
  append(2);
  auto beyond = ledger_->inclusion_by_index(Principal{}, 0, 5);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ledger_->inclusion_by_index(Principal{}, 2, 3).ok());
  EXPECT_FALSE(ledger_->inclusion_by_index(Principal{}, 3, 3).ok());
}

}  // namespace
}  // namespace liaison

namespace liaison {
namespace {

TEST(LedgerNodeCacheTest, MovesUpALevelWhenTheLogOutgrowsTheBudget) {
  LedgerNodeCache cache(100);
  ledger::Hash h{};
  h[0] = 1;
  cache.put(3, 7, h);
  EXPECT_EQ(cache.get(3, 7), h);
  cache.fit(400);  // 400 / 2^2 = 100 nodes from level 3 up: fits
  EXPECT_EQ(cache.from_level(), 3);
  cache.fit(401);
  EXPECT_EQ(cache.from_level(), 4);
  EXPECT_FALSE(cache.get(3, 7).has_value()) << "level 3 is dropped";
  cache.put(3, 8, h);
  EXPECT_FALSE(cache.get(3, 8).has_value()) << "and no longer kept";
  cache.put(4, 1, h);
  EXPECT_EQ(cache.get(4, 1), h);
  EXPECT_EQ(cache.held(), 1u);
}

TEST_F(LedgerServiceTest, ProofsVerifyWithATinyCacheAndAfterWarming) {
  append(200);
  ASSERT_TRUE(ledger_->publish_now().ok());
  LedgerService tiny(*store_, clock_,
                     std::move(trust::SecretKey::from_seed(std::string(32, 'K'))).value(),
                     "test.example.org/ledger", CheckpointPolicy{60, 5}, /*cache_nodes=*/4);
  auto warmed = tiny.warm();
  ASSERT_TRUE(warmed.ok()) << warmed.error().message;
  EXPECT_LE(*warmed, 4u);
  auto full = ledger_->warm();
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(*full, 25u + 12 + 6 + 3 + 1) << "every stored node from level 3 up";
  ledger::MemoryTree reference(leaves());
  ledger::Hash root = ledger::root_at(reference, 200).value();
  for (std::int64_t i = 0; i < 200; i += 7) {
    for (LedgerService* s : {&tiny, ledger_.get()}) {
      auto proof = s->inclusion_by_index(Principal{}, i, 200);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      EXPECT_TRUE(ledger::verify_inclusion(proof->leaf_hash, static_cast<std::uint64_t>(i), 200,
                                           proof->path, root)
                      .ok());
    }
  }
}

}  // namespace
}  // namespace liaison
