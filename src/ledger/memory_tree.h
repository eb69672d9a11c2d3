// A whole tree in memory, built from its leaf hashes: the complete-subtree
// hashes of every level, for answering root and proof questions about any
// prefix in O(log n). For auditors that must find where a log went wrong,
// and for benchmarks; the hub itself reads its nodes from the store.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/merkle.h"

namespace liaison::ledger {

class MemoryTree final : public NodeReader {
 public:
  explicit MemoryTree(std::vector<Hash> leaves);

  Result<Hash> node(int level, std::uint64_t index) override;
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

 private:
  // levels_[l][i] is node (l, i); only complete subtrees are present.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace liaison::ledger
