// The ledger's Merkle tree: RFC 9162 §2.1 hashing, proofs and their checks.
//
//   leaf hash = SHA-256(0x00 || entry bytes)
//   node hash = SHA-256(0x01 || left || right)
//   the root of the empty tree = SHA-256("")
//
// The tree is stored as the hashes of its complete subtrees: node (level, index)
// covers leaves [index * 2^level, (index + 1) * 2^level). Every proof for a tree
// of any size is made of such nodes plus O(log n) hashing of the right edge, so
// nothing here ever recomputes a whole tree.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace liaison::ledger {

using Hash = std::array<std::uint8_t, 32>;

Hash leaf_hash(std::string_view entry);
Hash node_hash(const Hash& left, const Hash& right);
Hash empty_root();

std::string to_hex(const Hash& h);
std::string to_base64(const Hash& h);  // standard alphabet, padded, as C2SP notes carry it
Result<Hash> hash_from_hex(std::string_view hex, const std::string& field);
Result<Hash> hash_from_base64(std::string_view b64, const std::string& field);

// Where proofs read complete-subtree hashes from: the store, or memory in tests.
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  // The hash of the complete subtree at (level, index); level 0 is a leaf hash.
  virtual Result<Hash> node(int level, std::uint64_t index) = 0;
};

// The root of the tree made of the first `size` leaves.
Result<Hash> root_at(NodeReader& nodes, std::uint64_t size);

// RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves.
Result<std::vector<Hash>> inclusion_proof(NodeReader& nodes, std::uint64_t index,
                                          std::uint64_t size);
// RFC 9162 §2.1.4.1: the proof that the tree of `first` leaves is a prefix of the
// tree of `second` leaves (0 < first <= second; empty when first == second).
Result<std::vector<Hash>> consistency_proof(NodeReader& nodes, std::uint64_t first,
                                            std::uint64_t second);

// RFC 9162 §2.1.3.2. Errors say what failed: an index outside the tree, a path
// of the wrong length, or a root that does not match.
Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                        const std::vector<Hash>& path, const Hash& root);
// RFC 9162 §2.1.4.2.
Status verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                          const Hash& second_root, const std::vector<Hash>& proof);

// A tree grown one leaf at a time in O(log n) memory: its right edge (the
// roots of its perfect subtrees, largest first). The appender uses it to learn
// which complete-subtree nodes each new leaf completes; a verifier uses it to
// recompute the root of millions of entries without holding them.
class CompactTree {
 public:
  struct Node {
    int level;
    std::uint64_t index;
    Hash hash;
  };

  CompactTree() = default;
  // A tree of `size` leaves, from the hashes of its perfect subtrees, largest
  // first (one per set bit of `size`); refused when the count does not match.
  static Result<CompactTree> from_edge(std::uint64_t size, std::vector<Hash> edge);
  // The nodes of the tree of `size` leaves that from_edge needs, for reading
  // them from a NodeReader.
  static std::vector<std::pair<int, std::uint64_t>> edge_positions(std::uint64_t size);

  // Appends a leaf hash; returns every node it completes, the leaf itself
  // first (level 0), then each parent it closes.
  std::vector<Node> append(const Hash& leaf);

  std::uint64_t size() const { return size_; }
  Hash root() const;
  const std::vector<Hash>& edge() const { return edge_; }

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> edge_;  // largest first
};

}  // namespace liaison::ledger
