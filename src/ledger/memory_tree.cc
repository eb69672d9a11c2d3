#include "ledger/memory_tree.h"

#include <string>

namespace liaison::ledger {

MemoryTree::MemoryTree(std::vector<Hash> leaves) {
  levels_.push_back(std::move(leaves));
  while (levels_.back().size() >= 2) {
    const std::vector<Hash>& below = levels_.back();
    std::vector<Hash> above;
    above.reserve(below.size() / 2);
    for (std::size_t i = 0; i + 1 < below.size(); i += 2)
      above.push_back(node_hash(below[i], below[i + 1]));
    levels_.push_back(std::move(above));
  }
}

Result<Hash> MemoryTree::node(int level, std::uint64_t index) {
  if (level < 0 || static_cast<std::size_t>(level) >= levels_.size() ||
      index >= levels_[static_cast<std::size_t>(level)].size()) {
    return Error::not_found("node " + std::to_string(level) + "/" + std::to_string(index));
  }
  return levels_[static_cast<std::size_t>(level)][index];
}

}  // namespace liaison::ledger
