#include "ledger/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ledger_fixture.h"

namespace liaison::ledger {
namespace {

using testing::entry_at;
using testing::entry_bytes;
using ::testing::HasSubstr;
using testing::kOrigin;
using testing::MemoryNodes;

// The entries of a log and the checkpoints it would sign.
struct Log {
  std::vector<std::string> entries;

  static Log of(std::uint64_t n, std::uint64_t seed = 0) {
    Log l;
    for (std::uint64_t i = 0; i < n; ++i) l.entries.push_back(entry_bytes(i + seed));
    return l;
  }
  Checkpoint checkpoint(std::uint64_t size) const {
    CompactTree t;
    for (std::uint64_t i = 0; i < size; ++i) t.append(leaf_hash(entries[i]));
    return Checkpoint{kOrigin, size, t.root()};
  }
  std::vector<Hash> consistency(std::uint64_t first, std::uint64_t second) const {
    MemoryNodes nodes;
    for (const auto& e : entries) nodes.append_entry(e);
    return consistency_proof(nodes, first, second).value();
  }
};

Status audit(const Log& log, const Checkpoint& latest,
             std::optional<Checkpoint> earlier = std::nullopt) {
  LogAuditor a(std::move(earlier));
  for (const auto& e : log.entries) {
    Status s = a.add(e);
    if (!s.ok()) return s;
  }
  EXPECT_EQ(a.size(), log.entries.size());
  return a.finish(latest);
}

std::string message_of(const Status& s) { return s.ok() ? "ok" : s.error().message; }

TEST(LogAuditorTest, AGoodLogPasses) {
  Log log = Log::of(1000);
  Checkpoint latest = log.checkpoint(1000);
  Status plain = audit(log, latest);
  EXPECT_TRUE(plain.ok()) << message_of(plain);
  for (std::uint64_t earlier : {0, 1, 377, 512, 999, 1000}) {
    Status s = audit(log, latest, log.checkpoint(earlier));
    EXPECT_TRUE(s.ok()) << earlier << ": " << message_of(s);
    LogAuditor a(log.checkpoint(earlier));
    Status c = a.check_consistency(
        latest, earlier == 0 ? std::vector<Hash>{} : log.consistency(earlier, 1000));
    EXPECT_TRUE(c.ok()) << earlier << ": " << message_of(c);
  }
}

TEST(LogAuditorTest, AnEmptyLogMatchesTheEmptyCheckpoint) {
  LogAuditor a(Checkpoint{kOrigin, 0, empty_root()});
  EXPECT_EQ(a.root(), empty_root());
  EXPECT_TRUE(a.finish(Checkpoint{kOrigin, 0, empty_root()}).ok());
  EXPECT_FALSE(a.finish(Checkpoint{kOrigin, 0, leaf_hash("")}).ok());
}

TEST(LogAuditorTest, AnEditedEntryFails) {
  Log log = Log::of(1000);
  Checkpoint latest = log.checkpoint(1000);
  Log edited = log;
  Entry e = entry_at(500);
  e.org = "hub";  // still a valid entry: only the root can tell
  edited.entries[500] = encode_entry(e).value();
  ASSERT_NE(edited.entries[500], log.entries[500]);
  Status s = audit(edited, latest);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().issues.at(0).field, "root");
  EXPECT_THAT(s.error().message, HasSubstr("at size 1000"));
  EXPECT_THAT(s.error().message, HasSubstr(to_hex(latest.root)));
  EXPECT_THAT(s.error().message, HasSubstr(to_hex(edited.checkpoint(1000).root)));
}

TEST(LogAuditorTest, ADeletedEntryFails) {
  Log log = Log::of(1000);
  Checkpoint latest = log.checkpoint(1000);
  Log deleted = log;
  deleted.entries.erase(deleted.entries.begin() + 321);
  Status s = audit(deleted, latest);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().issues.at(0).field, "size");
  EXPECT_THAT(s.error().message, HasSubstr("has 999 entries but the checkpoint is for 1000"));
  EXPECT_THAT(s.error().message, HasSubstr(to_hex(latest.root)));
}

TEST(LogAuditorTest, ReorderedEntriesFail) {
  Log log = Log::of(1000);
  Checkpoint latest = log.checkpoint(1000);
  Log reordered = log;
  std::swap(reordered.entries[10], reordered.entries[11]);
  Status s = audit(reordered, latest);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("at size 1000 the entries give root"));
}

TEST(LogAuditorTest, AnAppendedEntryFails) {
  Log log = Log::of(1000);
  Checkpoint latest = log.checkpoint(1000);
  Log longer = log;
  longer.entries.push_back(entry_bytes(5000));
  Status s = audit(longer, latest);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("has 1001 entries but the checkpoint is for 1000"));
}

TEST(LogAuditorTest, AnEntryThatDoesNotDecodeIsNamedAndFailsTheLog) {
  Log log = Log::of(100);
  log.entries[42] = R"({"v":1})";
  Checkpoint latest = log.checkpoint(100);  // the hub signed what it holds
  LogAuditor a;
  for (std::size_t i = 0; i < log.entries.size(); ++i) {
    Status s = a.add(log.entries[i]);
    if (i == 42) {
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().issues.at(0).field, "entries/42");
      EXPECT_THAT(s.error().message, HasSubstr("entry 42 is not a ledger entry"));
    } else {
      EXPECT_TRUE(s.ok()) << i << ": " << message_of(s);
    }
  }
  // The leaf still counted, so the root agrees; the log is refused anyway.
  EXPECT_EQ(a.root(), latest.root);
  EXPECT_THAT(message_of(a.finish(latest)), HasSubstr("entry 42"));
}

TEST(LogAuditorTest, AForkAgainstAnEarlierCheckpointFails) {
  Log original = Log::of(1000);
  Checkpoint earlier = original.checkpoint(600);
  // Truncated to 500 and grown again differently: the latest checkpoint is
  // honest about the new log, but the new log does not extend the old one.
  Log forked = original;
  forked.entries.resize(500);
  for (std::uint64_t i = 500; i < 1000; ++i) forked.entries.push_back(entry_bytes(i + 100000));
  Checkpoint latest = forked.checkpoint(1000);
  Status plain = audit(forked, latest);
  ASSERT_TRUE(plain.ok()) << "without the earlier checkpoint the fork is invisible";

  Status s = audit(forked, latest, earlier);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().issues.at(0).field, "earlier");
  EXPECT_THAT(s.error().message, HasSubstr("earlier checkpoint's size 600"));
  EXPECT_THAT(s.error().message, HasSubstr(to_hex(earlier.root)));
  EXPECT_THAT(s.error().message, HasSubstr(to_hex(forked.checkpoint(600).root)));

  // The forked log's own consistency proof cannot reach the old root either.
  LogAuditor a(earlier);
  Status c = a.check_consistency(latest, forked.consistency(600, 1000));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().issues.at(0).field, "consistency");
  EXPECT_THAT(c.error().message, HasSubstr("size 600 (root " + to_hex(earlier.root)));
}

TEST(LogAuditorTest, AnEarlierCheckpointBeyondTheLogFails) {
  Log log = Log::of(1000);
  Log longer = Log::of(1200);
  Status s = audit(log, log.checkpoint(1000), longer.checkpoint(1200));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("earlier checkpoint is for size 1200"));
  EXPECT_THAT(s.error().message, HasSubstr("has only 1000 entries"));
}

TEST(LogAuditorTest, CheckpointsOfAnotherLogFail) {
  Log log = Log::of(10);
  Checkpoint earlier = log.checkpoint(5);
  earlier.origin = "other.example";
  EXPECT_THAT(message_of(audit(log, log.checkpoint(10), earlier)),
              HasSubstr("is for log \"other.example\""));
}

}  // namespace
}  // namespace liaison::ledger
