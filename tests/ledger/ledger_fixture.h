// Shared pieces of the ledger tests: an in-memory node store, a reference
// Merkle tree written straight from RFC 9162's recursive definitions, entries
// and keys from fixed seeds.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "trust/encoding.h"
#include "trust/keys.h"

namespace liaison::ledger::testing {

inline std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

inline Hash hash_of_hex(std::string_view hex) {
  auto h = hash_from_hex(hex, "test");
  EXPECT_TRUE(h.ok()) << hex;
  return h.ok() ? *h : Hash{};
}

inline Hash hash_of_bytes(std::string_view raw) {
  Hash h{};
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

// Complete-subtree nodes in memory, one vector per level, filled the way the
// store fills them: from what CompactTree::append reports. `limit` makes reads
// of nodes not complete in a tree of that size fail, so a proof that looks
// beyond its tree is caught rather than quietly served from a larger one.
class MemoryNodes : public NodeReader {
 public:
  void append_leaf(const Hash& leaf) {
    for (const CompactTree::Node& n : tree_.append(leaf)) {
      if (levels_.size() <= static_cast<std::size_t>(n.level)) levels_.resize(n.level + 1);
      auto& level = levels_[n.level];
      EXPECT_EQ(level.size(), n.index) << "level " << n.level;
      level.push_back(n.hash);
    }
  }
  void append_entry(std::string_view entry) { append_leaf(leaf_hash(entry)); }

  Result<Hash> node(int level, std::uint64_t index) override {
    ++reads;
    read_log.emplace_back(level, index);
    if (level < 0 || level >= 64) return Error::invalid("level", "no such level");
    std::uint64_t end = (index + 1) << level;
    if (limit != 0 && (end > limit || end == 0)) {
      return Error::invalid("node", "node (" + std::to_string(level) + ", " +
                                        std::to_string(index) + ") is not complete at size " +
                                        std::to_string(limit));
    }
    if (static_cast<std::size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
      return Error::not_found("node (" + std::to_string(level) + ", " + std::to_string(index) +
                              ")");
    }
    return levels_[level][index];
  }

  std::uint64_t size() const { return tree_.size(); }
  const CompactTree& compact() const { return tree_; }
  void reset_reads() {
    reads = 0;
    read_log.clear();
  }

  std::uint64_t limit = 0;  // 0: no limit
  int reads = 0;
  std::vector<std::pair<int, std::uint64_t>> read_log;

 private:
  CompactTree tree_;
  std::vector<std::vector<Hash>> levels_;
};

// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 verbatim, over leaf hashes
// [lo, hi): slow and obviously right.
inline std::uint64_t ref_split(std::uint64_t n) { return std::bit_floor(n - 1); }

inline Hash ref_mth(const std::vector<Hash>& leaves, std::uint64_t lo, std::uint64_t hi) {
  if (hi == lo) return empty_root();
  if (hi - lo == 1) return leaves[lo];
  std::uint64_t k = ref_split(hi - lo);
  return node_hash(ref_mth(leaves, lo, lo + k), ref_mth(leaves, lo + k, hi));
}

inline std::vector<Hash> ref_path(const std::vector<Hash>& leaves, std::uint64_t m,
                                  std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t n = hi - lo;
  if (n == 1) return {};
  std::uint64_t k = ref_split(n);
  std::vector<Hash> out;
  if (m < k) {
    out = ref_path(leaves, m, lo, lo + k);
    out.push_back(ref_mth(leaves, lo + k, hi));
  } else {
    out = ref_path(leaves, m - k, lo + k, hi);
    out.push_back(ref_mth(leaves, lo, lo + k));
  }
  return out;
}

inline std::vector<Hash> ref_subproof(const std::vector<Hash>& leaves, std::uint64_t m,
                                      std::uint64_t lo, std::uint64_t hi, bool b) {
  std::uint64_t n = hi - lo;
  if (m == n) {
    if (b) return {};
    return {ref_mth(leaves, lo, hi)};
  }
  std::uint64_t k = ref_split(n);
  std::vector<Hash> out;
  if (m <= k) {
    out = ref_subproof(leaves, m, lo, lo + k, b);
    out.push_back(ref_mth(leaves, lo + k, hi));
  } else {
    out = ref_subproof(leaves, m - k, lo + k, hi, false);
    out.push_back(ref_mth(leaves, lo, lo + k));
  }
  return out;
}

// Leaves and the node store for them, grown together.
struct TestLog {
  std::vector<Hash> leaves;
  MemoryNodes nodes;

  void grow_to(std::uint64_t n, std::mt19937_64& rng) {
    while (leaves.size() < n) {
      std::string data = "leaf " + std::to_string(leaves.size()) + " " + std::to_string(rng());
      leaves.push_back(leaf_hash(data));
      nodes.append_leaf(leaves.back());
    }
  }
};

// 2026-11-02T09:15:00Z.
inline const Timestamp kNow = Timestamp::from_seconds(1793610900);

inline trust::SecretKey key_for(const std::string& name) {
  return trust::SecretKey::from_seed(trust::sha256("liaison ledger test seed: " + name)).value();
}

inline NoteVerifier verifier_for(const std::string& name) {
  return NoteVerifier{name, key_for(name).public_key()};
}

inline constexpr const char* kOrigin = "ledger.liaison.example";

// The i-th entry of a made-up log; the same i gives the same entry.
inline Entry entry_at(std::uint64_t i) {
  const auto& types = event_types();
  Entry e;
  e.type = types[i % types.size()];
  std::string digits = std::to_string(i % 1'000'000'000'000);
  if (i % 5 != 0)
    e.request_id = "01890a5d-ac96-774b-bcce-" + std::string(12 - digits.size(), '0') + digits;
  e.org = i % 7 == 0 ? "hub" : "2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37";
  if (i % 3 == 0)
    e.key_id = trust::hex_encode(trust::sha256("key " + std::to_string(i % 4)).substr(0, 16));
  e.time = Timestamp{kNow.unix_micros + static_cast<std::int64_t>(i) * 1'234'567};
  e.commitment = hash_of_bytes(trust::sha256("content " + std::to_string(i)));
  return e;
}

inline std::string entry_bytes(std::uint64_t i) { return encode_entry(entry_at(i)).value(); }

}  // namespace liaison::ledger::testing
