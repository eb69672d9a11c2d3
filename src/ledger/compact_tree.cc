#include <bit>

#include "ledger/merkle.h"

namespace liaison::ledger {

Result<CompactTree> CompactTree::from_edge(std::uint64_t size, std::vector<Hash> edge) {
  auto want = static_cast<std::size_t>(std::popcount(size));
  if (edge.size() != want) {
    return Error::invalid("edge", "a tree of " + std::to_string(size) + " leaves has " +
                                      std::to_string(want) + " perfect subtrees, not " +
                                      std::to_string(edge.size()));
  }
  CompactTree t;
  t.size_ = size;
  t.edge_ = std::move(edge);
  return t;
}

std::vector<std::pair<int, std::uint64_t>> CompactTree::edge_positions(std::uint64_t size) {
  std::vector<std::pair<int, std::uint64_t>> out;
  std::uint64_t start = 0;
  for (int level = 63; level >= 0; --level) {
    std::uint64_t part = std::uint64_t{1} << level;
    if ((size & part) == 0) continue;
    out.emplace_back(level, start >> level);
    start += part;
  }
  return out;
}

std::vector<CompactTree::Node> CompactTree::append(const Hash& leaf) {
  std::vector<Node> made;
  std::uint64_t index = size_;
  made.push_back({0, index, leaf});
  Hash h = leaf;
  // Each trailing one bit of the old size is a perfect subtree of that level
  // waiting for a right neighbour of the same size: the new node is it.
  int level = 0;
  while (((size_ >> level) & 1) != 0) {
    h = node_hash(edge_.back(), h);
    edge_.pop_back();
    ++level;
    index >>= 1;
    made.push_back({level, index, h});
  }
  edge_.push_back(h);
  ++size_;
  return made;
}

Hash CompactTree::root() const {
  if (edge_.empty()) return empty_root();
  Hash h = edge_.back();
  for (auto it = edge_.rbegin() + 1; it != edge_.rend(); ++it) h = node_hash(*it, h);
  return h;
}

}  // namespace liaison::ledger
