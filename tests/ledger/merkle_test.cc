#include "ledger/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "ledger_fixture.h"

namespace liaison::ledger {
namespace {

using testing::hash_of_hex;
using ::testing::HasSubstr;
using testing::MemoryNodes;
using testing::ref_mth;
using testing::ref_path;
using testing::ref_subproof;
using testing::TestLog;
using testing::unhex;

// ---------------------------------------------------------------------------
// Known answers. The leaf inputs, node hashes, roots and compact-tree edges
// are those of transparency-dev/merkle testonly/constants.go (LeafInputs,
// NodeHashes, RootHashes, CompactTrees); the inclusion and consistency proofs
// are those of its proof/verify_test.go (inclusionProofs, consistencyProofs);
// the hasher answers are from its rfc6962/rfc6962_test.go. They are taken as
// facts about RFC 6962 / RFC 9162 hashing, not derived here.

const std::vector<std::string> kLeafInputsHex = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

// Indexed by tree size, 0 to 8.
const std::vector<std::string> kRootsHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// NodeHashes()[level][index].
const std::vector<std::vector<std::string>> kNodesHex = {
    {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    },
    {
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    },
    {
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    },
    {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
};

struct ProofVector {
  std::uint64_t a;  // inclusion: the 1-based leaf number; consistency: the first size
  std::uint64_t size;
  std::vector<std::string> proof;
};

const std::vector<ProofVector> kInclusionVectors = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {3, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {2,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

const std::vector<ProofVector> kConsistencyVectors = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::vector<Hash> hashes(const std::vector<std::string>& hex) {
  std::vector<Hash> out;
  for (const auto& h : hex) out.push_back(hash_of_hex(h));
  return out;
}

// The eight vector leaves in a node store.
MemoryNodes vector_tree() {
  MemoryNodes nodes;
  for (const auto& in : kLeafInputsHex) nodes.append_entry(unhex(in));
  return nodes;
}

TEST(MerkleHashTest, MatchesTheRfc6962HasherAnswers) {
  EXPECT_EQ(to_hex(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(leaf_hash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(to_hex(leaf_hash("L123456")),
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  // An empty leaf is not the empty tree, and a node is not a leaf of its children.
  EXPECT_NE(leaf_hash(""), empty_root());
  Hash a = leaf_hash("Hello");
  Hash b = leaf_hash("World");
  std::string both(reinterpret_cast<const char*>(a.data()), 32);
  both.append(reinterpret_cast<const char*>(b.data()), 32);
  EXPECT_NE(node_hash(a, b), leaf_hash(both));
  EXPECT_NE(node_hash(a, b), node_hash(b, a));
}

TEST(MerkleVectorsTest, RootsForSizesZeroToEight) {
  MemoryNodes nodes = vector_tree();
  CompactTree compact;
  EXPECT_EQ(to_hex(compact.root()), kRootsHex[0]);
  for (std::uint64_t size = 0; size <= 8; ++size) {
    auto root = root_at(nodes, size);
    ASSERT_TRUE(root.ok()) << root.error().message;
    EXPECT_EQ(to_hex(*root), kRootsHex[size]) << "size " << size;
    if (size > 0) {
      compact.append(leaf_hash(unhex(kLeafInputsHex[size - 1])));
      EXPECT_EQ(to_hex(compact.root()), kRootsHex[size]) << "size " << size;
    }
  }
}

TEST(MerkleVectorsTest, StoredNodesAreTheCompleteSubtrees) {
  MemoryNodes nodes = vector_tree();
  for (std::size_t level = 0; level < kNodesHex.size(); ++level) {
    for (std::size_t index = 0; index < kNodesHex[level].size(); ++index) {
      auto h = nodes.node(static_cast<int>(level), index);
      ASSERT_TRUE(h.ok());
      EXPECT_EQ(to_hex(*h), kNodesHex[level][index]) << level << "," << index;
    }
  }
}

TEST(MerkleVectorsTest, CompactTreeEdgesMatch) {
  // CompactTrees(): the perfect-subtree roots of each size, largest first.
  const std::vector<std::vector<std::pair<int, int>>> edges = {
      {},       {{0, 0}},         {{1, 0}},         {{1, 0}, {0, 2}},
      {{2, 0}}, {{2, 0}, {0, 4}}, {{2, 0}, {1, 2}}, {{2, 0}, {1, 2}, {0, 6}},
      {{3, 0}},
  };
  CompactTree compact;
  for (std::size_t size = 0; size <= 8; ++size) {
    if (size > 0) compact.append(leaf_hash(unhex(kLeafInputsHex[size - 1])));
    std::vector<std::string> got;
    for (const Hash& h : compact.edge()) got.push_back(to_hex(h));
    std::vector<std::string> want;
    for (auto [level, index] : edges[size]) want.push_back(kNodesHex[level][index]);
    EXPECT_EQ(got, want) << "size " << size;
    auto positions = CompactTree::edge_positions(size);
    ASSERT_EQ(positions.size(), edges[size].size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
      EXPECT_EQ(positions[i].first, edges[size][i].first);
      EXPECT_EQ(positions[i].second, static_cast<std::uint64_t>(edges[size][i].second));
    }
  }
}

TEST(MerkleVectorsTest, KnownInclusionProofs) {
  MemoryNodes nodes = vector_tree();
  for (const ProofVector& v : kInclusionVectors) {
    std::uint64_t index = v.a - 1;
    auto proof = inclusion_proof(nodes, index, v.size);
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    EXPECT_EQ(*proof, hashes(v.proof)) << "leaf " << index << " of " << v.size;
    Hash leaf = leaf_hash(unhex(kLeafInputsHex[index]));
    Status s =
        verify_inclusion(leaf, index, v.size, hashes(v.proof), hash_of_hex(kRootsHex[v.size]));
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
}

TEST(MerkleVectorsTest, KnownConsistencyProofs) {
  MemoryNodes nodes = vector_tree();
  for (const ProofVector& v : kConsistencyVectors) {
    auto proof = consistency_proof(nodes, v.a, v.size);
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    EXPECT_EQ(*proof, hashes(v.proof)) << v.a << " to " << v.size;
    Status s = verify_consistency(v.a, v.size, hash_of_hex(kRootsHex[v.a]),
                                  hash_of_hex(kRootsHex[v.size]), hashes(v.proof));
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
}

// The nodes each proof reads are exactly those transparency-dev/merkle's
// proof/proof_test.go (TestInclusion, TestConsistency) lists for the same
// sizes: the complete subtrees a proof is made of, each read once.
TEST(MerkleReadsTest, ProofsReadExactlyTheirNodes) {
  using Ids = std::set<std::pair<int, std::uint64_t>>;
  struct Case {
    bool inclusion;
    std::uint64_t a, b;
    Ids want;
  };
  const std::vector<Case> cases = {
      {true, 0, 7, {{0, 1}, {1, 1}, {0, 6}, {1, 2}}},
      {true, 2, 7, {{0, 3}, {1, 0}, {0, 6}, {1, 2}}},
      {true, 4, 7, {{0, 5}, {0, 6}, {2, 0}}},
      {true, 6, 7, {{1, 2}, {2, 0}}},
      {true, 3, 6, {{0, 2}, {1, 0}, {1, 2}}},
      {true, 10, 15, {{0, 11}, {1, 4}, {0, 14}, {1, 6}, {3, 0}}},
      {true, 24, 31, {{0, 25}, {1, 13}, {0, 30}, {1, 14}, {3, 2}, {4, 0}}},
      {true, 81, 95, {{0, 80}, {1, 41}, {2, 21}, {0, 94}, {1, 46}, {2, 22}, {4, 4}, {6, 0}}},
      {false, 1, 6, {{0, 1}, {1, 1}, {1, 2}}},
      {false, 2, 8, {{1, 1}, {2, 1}}},
      {false, 3, 7, {{0, 2}, {0, 3}, {1, 0}, {0, 6}, {1, 2}}},
      {false, 5, 7, {{0, 4}, {0, 5}, {0, 6}, {2, 0}}},
      {false, 7, 8, {{0, 6}, {0, 7}, {1, 2}, {2, 0}}},
      {false, 10, 15, {{1, 4}, {1, 5}, {0, 14}, {1, 6}, {3, 0}}},
      {false, 24, 31, {{3, 2}, {0, 30}, {1, 14}, {2, 6}, {4, 0}}},
      {false,
       81,
       95,
       {{0, 80}, {0, 81}, {1, 41}, {2, 21}, {0, 94}, {1, 46}, {2, 22}, {4, 4}, {6, 0}}},
  };
  std::mt19937_64 rng(1);
  TestLog log;
  log.grow_to(95, rng);
  for (const Case& c : cases) {
    log.nodes.reset_reads();
    log.nodes.limit = c.b;
    bool ok = c.inclusion ? inclusion_proof(log.nodes, c.a, c.b).ok()
                          : consistency_proof(log.nodes, c.a, c.b).ok();
    ASSERT_TRUE(ok) << c.a << " " << c.b;
    Ids got(log.nodes.read_log.begin(), log.nodes.read_log.end());
    EXPECT_EQ(got, c.want) << (c.inclusion ? "inclusion " : "consistency ") << c.a << " " << c.b;
    EXPECT_EQ(log.nodes.read_log.size(), c.want.size()) << "a node was read twice";
  }
}

// A reader of a huge virtual tree: each node's hash is made up from its
// position. Proofs over it never verify against anything; what matters is how
// many nodes they read and that every one lies inside the tree.
class VirtualNodes : public NodeReader {
 public:
  explicit VirtualNodes(std::uint64_t size) : size_(size) {}
  Result<Hash> node(int level, std::uint64_t index) override {
    ++reads;
    if (level < 0 || level > 63 || index + 1 > (size_ >> level)) {
      outside = true;
      return Error::invalid("node", "outside the tree");
    }
    Hash h{};
    for (int i = 0; i < 8; ++i) h[i] = static_cast<std::uint8_t>(index >> (8 * i));
    h[8] = static_cast<std::uint8_t>(level);
    return h;
  }
  int reads = 0;
  bool outside = false;

 private:
  std::uint64_t size_;
};

TEST(MerkleReadsTest, ProofsOfHugeTreesReadLogarithmicallyManyNodes) {
  std::mt19937_64 rng(2);
  for (std::uint64_t size :
       {std::uint64_t{10'000'000}, std::uint64_t{1} << 40, (std::uint64_t{1} << 40) + 12345,
        std::uint64_t{999'999'999'999'999}, ~std::uint64_t{0}}) {
    int bound = 2 * (64 - std::countl_zero(size)) + 1;
    {
      VirtualNodes nodes(size);
      ASSERT_TRUE(root_at(nodes, size).ok());
      EXPECT_EQ(nodes.reads, std::popcount(size));
    }
    for (int i = 0; i < 50; ++i) {
      std::uint64_t index = i == 0 ? 0 : i == 1 ? size - 1 : rng() % size;
      VirtualNodes nodes(size);
      auto proof = inclusion_proof(nodes, index, size);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      EXPECT_FALSE(nodes.outside);
      EXPECT_LE(nodes.reads, bound) << "leaf " << index << " of " << size;

      std::uint64_t first = i == 0 ? 1 : i == 1 ? size - 1 : 1 + rng() % size;
      VirtualNodes c(size);
      auto cproof = consistency_proof(c, first, size);
      ASSERT_TRUE(cproof.ok()) << cproof.error().message;
      EXPECT_FALSE(c.outside);
      EXPECT_LE(c.reads, bound) << first << " to " << size;
    }
  }
}

// ---------------------------------------------------------------------------
// Properties against the reference implementation.

TEST(MerklePropertyTest, EveryProofOfEverySmallTreeMatchesTheReference) {
  std::mt19937_64 rng(3);
  TestLog log;
  log.grow_to(130, rng);
  CompactTree compact;
  for (std::uint64_t size = 1; size <= 130; ++size) {
    compact.append(log.leaves[size - 1]);
    log.nodes.limit = size;
    Hash root = ref_mth(log.leaves, 0, size);
    EXPECT_EQ(compact.root(), root) << size;
    auto got = root_at(log.nodes, size);
    ASSERT_TRUE(got.ok()) << got.error().message;
    ASSERT_EQ(*got, root) << size;
    for (std::uint64_t index = 0; index < size; ++index) {
      auto proof = inclusion_proof(log.nodes, index, size);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      ASSERT_EQ(*proof, ref_path(log.leaves, index, 0, size)) << index << " of " << size;
      Status s = verify_inclusion(log.leaves[index], index, size, *proof, root);
      ASSERT_TRUE(s.ok()) << s.error().message;
    }
    for (std::uint64_t first = 1; first <= size; ++first) {
      auto proof = consistency_proof(log.nodes, first, size);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      ASSERT_EQ(*proof, ref_subproof(log.leaves, first, 0, size, true)) << first << " to " << size;
      Status s = verify_consistency(first, size, ref_mth(log.leaves, 0, first), root, *proof);
      ASSERT_TRUE(s.ok()) << first << " to " << size << ": " << s.error().message;
    }
  }
}

// Sizes up to a few thousand: random ones and those either side of powers of two.
std::vector<std::uint64_t> larger_sizes(std::mt19937_64& rng) {
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t p = 256; p <= 4096; p *= 2) {
    for (std::uint64_t s : {p - 1, p, p + 1}) sizes.push_back(s);
  }
  for (int i = 0; i < 16; ++i) sizes.push_back(131 + rng() % 3870);
  return sizes;
}

TEST(MerklePropertyTest, RootsAgreeWithTheReferenceAtEverySize) {
  std::mt19937_64 rng(4);
  TestLog log;
  log.grow_to(4097, rng);
  CompactTree compact;
  for (std::uint64_t size = 1; size <= 4097; ++size) {
    compact.append(log.leaves[size - 1]);
    log.nodes.limit = size;
    Hash want = ref_mth(log.leaves, 0, size);
    auto got = root_at(log.nodes, size);
    ASSERT_TRUE(got.ok()) << got.error().message;
    ASSERT_EQ(*got, want) << "root_at " << size;
    ASSERT_EQ(compact.root(), want) << "CompactTree " << size;
  }
}

TEST(MerklePropertyTest, RandomProofsOfLargerTreesMatchTheReference) {
  std::mt19937_64 rng(5);
  TestLog log;
  log.grow_to(4097, rng);
  for (std::uint64_t size : larger_sizes(rng)) {
    log.nodes.limit = size;
    Hash root = ref_mth(log.leaves, 0, size);
    for (int i = 0; i < 24; ++i) {
      std::uint64_t index = i == 0 ? 0 : i == 1 ? size - 1 : rng() % size;
      auto proof = inclusion_proof(log.nodes, index, size);
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      ASSERT_EQ(*proof, ref_path(log.leaves, index, 0, size)) << index << " of " << size;
      Status s = verify_inclusion(log.leaves[index], index, size, *proof, root);
      ASSERT_TRUE(s.ok()) << s.error().message;

      std::uint64_t first = i == 0   ? 1
                            : i == 1 ? size
                            : i == 2 ? std::bit_floor(size)
                                     : 1 + rng() % size;
      auto cproof = consistency_proof(log.nodes, first, size);
      ASSERT_TRUE(cproof.ok()) << cproof.error().message;
      ASSERT_EQ(*cproof, ref_subproof(log.leaves, first, 0, size, true)) << first << " to " << size;
      Status c = verify_consistency(first, size, ref_mth(log.leaves, 0, first), root, *cproof);
      ASSERT_TRUE(c.ok()) << c.error().message;
    }
  }
}

// What the RFC 9162 verification loops do for given sizes, as a string of the
// hashing steps they take. Verification depends on the sizes only through
// this: two size pairs with the same trace accept the same proofs. (So a
// proof can verify for another tree size whose trace is the same, e.g. leaf 0
// of 6 and of 7 leaves; the checkpoint signs size and root together, which is
// what pins the size.)
std::string inclusion_trace(std::uint64_t index, std::uint64_t size) {
  if (index >= size) return "outside";
  std::string t;
  std::uint64_t fn = index, sn = size - 1;
  while (sn != 0) {
    bool left = (fn & 1) != 0 || fn == sn;
    t += left ? 'L' : 'R';
    if (left) {
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    }
    fn >>= 1;
    sn >>= 1;
  }
  return t;
}

std::string consistency_trace(std::uint64_t first, std::uint64_t second) {
  if (first == 0 || first > second) return "invalid";
  if (first == second) return "same";
  std::string t = std::has_single_bit(first) ? "P" : "-";
  std::uint64_t fn = first - 1, sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  while (sn != 0) {
    bool left = (fn & 1) != 0 || fn == sn;
    t += left ? 'L' : 'R';
    if (left) {
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    }
    fn >>= 1;
    sn >>= 1;
  }
  return t;
}

Hash flip(Hash h, int bit) {
  h[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return h;
}

TEST(MerklePropertyTest, AnySingleBitFlipBreaksAnInclusionProof) {
  std::mt19937_64 rng(6);
  TestLog log;
  log.grow_to(2049, rng);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cases = {{0, 1}, {0, 2}, {1, 2}, {4, 5},
                                                                {5, 6}, {0, 6}, {6, 7}};
  for (std::uint64_t size :
       {std::uint64_t{255}, std::uint64_t{256}, std::uint64_t{1000}, std::uint64_t{2049}}) {
    for (int i = 0; i < 4; ++i) cases.emplace_back(rng() % size, size);
    cases.emplace_back(size - 1, size);
  }
  int size_flips_accepted = 0;
  for (auto [index, size] : cases) {
    log.nodes.limit = size;
    Hash root = ref_mth(log.leaves, 0, size);
    Hash leaf = log.leaves[index];
    std::vector<Hash> path = inclusion_proof(log.nodes, index, size).value();
    ASSERT_TRUE(verify_inclusion(leaf, index, size, path, root).ok());
    for (int bit = 0; bit < 256; ++bit) {
      EXPECT_FALSE(verify_inclusion(flip(leaf, bit), index, size, path, root).ok()) << bit;
      EXPECT_FALSE(verify_inclusion(leaf, index, size, path, flip(root, bit)).ok()) << bit;
      for (std::size_t p = 0; p < path.size(); ++p) {
        std::vector<Hash> bad = path;
        bad[p] = flip(bad[p], bit);
        EXPECT_FALSE(verify_inclusion(leaf, index, size, bad, root).ok()) << p << " " << bit;
      }
    }
    for (int bit = 0; bit < 64; ++bit) {
      std::uint64_t mask = std::uint64_t{1} << bit;
      EXPECT_FALSE(verify_inclusion(leaf, index ^ mask, size, path, root).ok())
          << "index " << index << " bit " << bit;
      if (verify_inclusion(leaf, index, size ^ mask, path, root).ok()) {
        ++size_flips_accepted;
        EXPECT_EQ(inclusion_trace(index, size ^ mask), inclusion_trace(index, size))
            << "leaf " << index << ": size " << size << " flipped to " << (size ^ mask);
      }
    }
    std::vector<Hash> longer = path;
    longer.push_back(root);
    EXPECT_FALSE(verify_inclusion(leaf, index, size, longer, root).ok());
    if (!path.empty()) {
      std::vector<Hash> shorter(path.begin(), path.end() - 1);
      EXPECT_FALSE(verify_inclusion(leaf, index, size, shorter, root).ok());
    }
  }
  // The exception above is rare: most size flips change the trace.
  EXPECT_LT(size_flips_accepted, static_cast<int>(cases.size()) * 4);
}

TEST(MerklePropertyTest, AnySingleBitFlipBreaksAConsistencyProof) {
  std::mt19937_64 rng(7);
  TestLog log;
  log.grow_to(2049, rng);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cases = {{1, 2}, {2, 3}, {3, 7}, {4, 6},
                                                                {5, 7}, {6, 8}, {7, 8}};
  for (std::uint64_t size :
       {std::uint64_t{255}, std::uint64_t{256}, std::uint64_t{1000}, std::uint64_t{2049}}) {
    for (int i = 0; i < 4; ++i) cases.emplace_back(1 + rng() % (size - 1), size);
    cases.emplace_back(size - 1, size);
    cases.emplace_back(std::bit_floor(size - 1), size);
  }
  for (auto [first, second] : cases) {
    log.nodes.limit = second;
    Hash r1 = ref_mth(log.leaves, 0, first);
    Hash r2 = ref_mth(log.leaves, 0, second);
    std::vector<Hash> proof = consistency_proof(log.nodes, first, second).value();
    ASSERT_TRUE(verify_consistency(first, second, r1, r2, proof).ok());
    for (int bit = 0; bit < 256; ++bit) {
      EXPECT_FALSE(verify_consistency(first, second, flip(r1, bit), r2, proof).ok()) << bit;
      EXPECT_FALSE(verify_consistency(first, second, r1, flip(r2, bit), proof).ok()) << bit;
      for (std::size_t p = 0; p < proof.size(); ++p) {
        std::vector<Hash> bad = proof;
        bad[p] = flip(bad[p], bit);
        EXPECT_FALSE(verify_consistency(first, second, r1, r2, bad).ok()) << p << " " << bit;
      }
    }
    for (int bit = 0; bit < 64; ++bit) {
      std::uint64_t mask = std::uint64_t{1} << bit;
      if (verify_consistency(first ^ mask, second, r1, r2, proof).ok()) {
        EXPECT_EQ(consistency_trace(first ^ mask, second), consistency_trace(first, second))
            << first << " flipped to " << (first ^ mask) << ", to " << second;
      }
      if (verify_consistency(first, second ^ mask, r1, r2, proof).ok()) {
        EXPECT_EQ(consistency_trace(first, second ^ mask), consistency_trace(first, second))
            << first << " to " << second << " flipped to " << (second ^ mask);
      }
    }
    EXPECT_FALSE(verify_consistency(first, second, r2, r1, proof).ok()) << "swapped roots";
    EXPECT_FALSE(verify_consistency(first, second, r1, r2, {}).ok()) << "empty proof";
    std::vector<Hash> longer = proof;
    longer.push_back(r1);
    EXPECT_FALSE(verify_consistency(first, second, r1, r2, longer).ok());
    std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
    EXPECT_FALSE(verify_consistency(first, second, r1, r2, shorter).ok());
  }
}

// ---------------------------------------------------------------------------
// Errors.

TEST(MerkleErrorTest, InclusionVerificationSaysWhatFailed) {
  MemoryNodes nodes = vector_tree();
  Hash leaf = leaf_hash(unhex(kLeafInputsHex[5]));
  Hash root = hash_of_hex(kRootsHex[8]);
  std::vector<Hash> path = inclusion_proof(nodes, 5, 8).value();

  Status outside = verify_inclusion(leaf, 8, 8, path, root);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().issues.at(0).field, "leaf_index");
  EXPECT_THAT(outside.error().message, HasSubstr("outside a tree of 8 leaves"));

  std::vector<Hash> shorter(path.begin(), path.end() - 1);
  Status length = verify_inclusion(leaf, 5, 8, shorter, root);
  ASSERT_FALSE(length.ok());
  EXPECT_EQ(length.error().issues.at(0).field, "path");
  EXPECT_THAT(length.error().message, HasSubstr("has 2 hashes"));
  EXPECT_THAT(length.error().message, HasSubstr("needs 3"));

  Hash other = hash_of_hex(kRootsHex[7]);
  Status mismatch = verify_inclusion(leaf, 5, 8, path, other);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().issues.at(0).field, "root");
  EXPECT_THAT(mismatch.error().message, HasSubstr(kRootsHex[8]));
  EXPECT_THAT(mismatch.error().message, HasSubstr(kRootsHex[7]));

  EXPECT_FALSE(verify_inclusion(leaf, 0, 0, {}, empty_root()).ok());
}

TEST(MerkleErrorTest, ConsistencyVerificationSaysWhatFailed) {
  Hash r5 = hash_of_hex(kRootsHex[5]);
  Hash r8 = hash_of_hex(kRootsHex[8]);
  auto message = [](const Status& s) { return s.ok() ? std::string("ok") : s.error().message; };
  EXPECT_THAT(message(verify_consistency(0, 8, empty_root(), r8, {})), HasSubstr("at least one"));
  EXPECT_THAT(message(verify_consistency(8, 5, r8, r5, {})), HasSubstr("larger than the second"));
  EXPECT_THAT(message(verify_consistency(5, 5, r5, r5, {r8})), HasSubstr("must be empty"));
  EXPECT_THAT(message(verify_consistency(5, 5, r5, r8, {})), HasSubstr("different roots"));
  EXPECT_TRUE(verify_consistency(5, 5, r5, r5, {}).ok());
  EXPECT_THAT(message(verify_consistency(5, 8, r5, r8, {r5})), HasSubstr("needs 4"));

  MemoryNodes nodes = vector_tree();
  std::vector<Hash> proof = consistency_proof(nodes, 5, 8).value();
  Status wrong_first = verify_consistency(5, 8, hash_of_hex(kRootsHex[4]), r8, proof);
  ASSERT_FALSE(wrong_first.ok());
  EXPECT_EQ(wrong_first.error().issues.at(0).field, "first_root");
  EXPECT_THAT(wrong_first.error().message, HasSubstr(kRootsHex[5]));
  EXPECT_THAT(wrong_first.error().message, HasSubstr(kRootsHex[4]));
  Status wrong_second = verify_consistency(5, 8, r5, hash_of_hex(kRootsHex[7]), proof);
  ASSERT_FALSE(wrong_second.ok());
  EXPECT_EQ(wrong_second.error().issues.at(0).field, "second_root");
}

TEST(MerkleErrorTest, ProofsOutsideTheTreeAreRefused) {
  MemoryNodes nodes = vector_tree();
  EXPECT_FALSE(inclusion_proof(nodes, 8, 8).ok());
  EXPECT_FALSE(inclusion_proof(nodes, 0, 0).ok());
  EXPECT_FALSE(consistency_proof(nodes, 0, 8).ok());
  EXPECT_FALSE(consistency_proof(nodes, 6, 5).ok());
  auto same = consistency_proof(nodes, 5, 5);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());
}

TEST(MerkleErrorTest, ReaderErrorsPropagate) {
  MemoryNodes nodes = vector_tree();
  auto root = root_at(nodes, 9);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(inclusion_proof(nodes, 2, 12).ok());
  EXPECT_FALSE(consistency_proof(nodes, 3, 12).ok());
}

TEST(MerkleEncodingTest, HexAndBase64AreStrict) {
  Hash h = hash_of_hex(kRootsHex[8]);
  EXPECT_EQ(to_base64(h), "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
  EXPECT_EQ(hash_from_base64(to_base64(h), "root").value(), h);
  EXPECT_EQ(hash_from_hex(to_hex(h), "root").value(), h);

  std::string upper = kRootsHex[8];
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_FALSE(hash_from_hex(upper, "root").ok());
  EXPECT_FALSE(hash_from_hex(kRootsHex[8].substr(2), "root").ok());
  auto bad = hash_from_hex("zz" + kRootsHex[8].substr(2), "inclusion/path/0");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().issues.at(0).field, "inclusion/path/0");

  EXPECT_FALSE(hash_from_base64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg", "root").ok());
  EXPECT_FALSE(hash_from_base64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=", "root").ok());
  // The last character's unused bits must be zero: "h=" would decode to the same bytes as "g=".
  EXPECT_FALSE(hash_from_base64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=", "root").ok());
  EXPECT_FALSE(hash_from_base64("AAAA", "root").ok());
}

// ---------------------------------------------------------------------------
// CompactTree.

TEST(CompactTreeTest, AppendReportsTheLeafAndEveryParentItCompletes) {
  CompactTree t;
  for (int i = 0; i < 7; ++i) t.append(leaf_hash(unhex(kLeafInputsHex[i])));
  auto made = t.append(leaf_hash(unhex(kLeafInputsHex[7])));
  ASSERT_EQ(made.size(), 4u);
  for (int level = 0; level < 4; ++level) {
    EXPECT_EQ(made[level].level, level);
    EXPECT_EQ(made[level].index, 7u >> level);
    EXPECT_EQ(to_hex(made[level].hash), kNodesHex[level][7u >> level]);
  }
  auto next = t.append(leaf_hash("ninth"));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].level, 0);
  EXPECT_EQ(next[0].index, 8u);
  EXPECT_EQ(t.size(), 9u);
  EXPECT_EQ(t.edge().size(), 2u);
}

TEST(CompactTreeTest, ResumesFromTheEdgeOfAnySize) {
  std::mt19937_64 rng(8);
  TestLog log;
  log.grow_to(1100, rng);
  for (std::uint64_t size : {0, 1, 2, 3, 7, 8, 13, 100, 511, 512, 513, 1023}) {
    std::vector<Hash> edge;
    for (auto [level, index] : CompactTree::edge_positions(size)) {
      edge.push_back(log.nodes.node(level, index).value());
    }
    auto t = CompactTree::from_edge(size, edge);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t->root(), ref_mth(log.leaves, 0, size)) << size;
    for (std::uint64_t i = size; i < 1100; ++i) {
      for (const CompactTree::Node& n : t->append(log.leaves[i])) {
        ASSERT_EQ(n.hash, log.nodes.node(n.level, n.index).value()) << n.level << "," << n.index;
      }
    }
    EXPECT_EQ(t->root(), log.nodes.compact().root());
  }
  EXPECT_EQ(CompactTree::edge_positions(13),
            (std::vector<std::pair<int, std::uint64_t>>{{3, 0}, {2, 2}, {0, 12}}));
  auto wrong = CompactTree::from_edge(13, {empty_root(), empty_root()});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.error().message, HasSubstr("3 perfect subtrees, not 2"));
}

TEST(CompactTreeTest, HoldsOneHashPerSetBitOfItsSize) {
  CompactTree t;
  for (std::uint64_t i = 1; i <= 5000; ++i) {
    t.append(leaf_hash(std::to_string(i)));
    ASSERT_EQ(t.edge().size(), static_cast<std::size_t>(std::popcount(i)));
  }
}

}  // namespace
}  // namespace liaison::ledger
