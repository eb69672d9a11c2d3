// Auditing a whole ledger from outside: feed every entry in order, and compare
// what they add up to with the signed checkpoints.
//
// The auditor holds only the compact tree (O(log n) hashes), so a log of
// millions of entries is checked in constant memory. A checkpoint saved
// earlier is checked by recomputing the root at its size from the entries
// themselves, which is stronger than trusting a consistency proof from the
// hub; a consistency proof is checked as well when the hub gives one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"

namespace liaison::ledger {

class LogAuditor {
 public:
  // `earlier`: a checkpoint saved before, whose tree must be a prefix of this one.
  explicit LogAuditor(std::optional<Checkpoint> earlier = std::nullopt);

  // The entry at the next index. Refused, naming the index, if it does not
  // decode as a canonical entry; its leaf still counts, so later indices stay
  // right, and finish() refuses the log.
  Status add(std::string_view entry_bytes);

  // After the last entry: the recomputed root must equal the checkpoint's at
  // its size, and the earlier checkpoint's root must have been met on the way.
  // Errors say which tree size and which roots disagree.
  Status finish(const Checkpoint& latest) const;

  // The hub's consistency proof from the earlier checkpoint to `latest`
  // (RFC 9162 §2.1.4.2); without an earlier checkpoint there is nothing to check.
  Status check_consistency(const Checkpoint& latest, const std::vector<Hash>& proof) const;

  std::uint64_t size() const { return tree_.size(); }
  Hash root() const { return tree_.root(); }

 private:
  std::optional<Checkpoint> earlier_;
  std::optional<Hash> root_at_earlier_;
  CompactTree tree_;
  std::optional<Error> first_failure_;  // the first entry add() refused
};

}  // namespace liaison::ledger
