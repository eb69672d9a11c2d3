// The ledger's two hot paths, on one thread (Google Benchmark).
//
//   BM_InclusionProof   an RFC 9162 inclusion proof for a random leaf of a
//                       10,000,000-leaf tree, read from complete-subtree nodes
//                       held in memory (one flat vector per level): the cost
//                       of the proof itself, without a database
//   BM_InclusionProofAndVerify  the same, then verified against the root
//   BM_AuditLog         LogAuditor over 1,000,000 synthetic entries: strict
//                       decoding of each, the compact tree, and the final
//                       comparison with the checkpoint; reported in seconds
//
// Run: build/bench/ledger_bench (items/s is proofs or entries per second).
// Building the 10M-leaf tree (about 20M hashes, 640 MB) takes a few seconds
// before the first benchmark starts.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "ledger/audit.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "trust/encoding.h"

namespace liaison::ledger {
namespace {

constexpr std::uint64_t kTreeSize = 10'000'000;
constexpr std::uint64_t kAuditEntries = 1'000'000;

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "bench setup failed: %s\n", r.error().message.c_str());
    std::abort();
  }
  return std::move(r).value();
}

// Complete-subtree nodes in memory, as the store keeps them on disk.
class FlatNodes : public NodeReader {
 public:
  explicit FlatNodes(std::uint64_t size) {
    CompactTree tree;
    for (std::uint64_t i = 0; i < size; ++i) {
      std::string leaf = "bench leaf " + std::to_string(i);
      for (const CompactTree::Node& n : tree.append(leaf_hash(leaf))) {
        if (levels_.size() <= static_cast<std::size_t>(n.level)) levels_.resize(n.level + 1);
        levels_[n.level].push_back(n.hash);
      }
    }
    root_ = tree.root();
  }
  Result<Hash> node(int level, std::uint64_t index) override {
    if (static_cast<std::size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
      return Error::not_found("node");
    }
    return levels_[level][index];
  }
  const Hash& root() const { return root_; }
  const Hash& leaf(std::uint64_t i) const { return levels_[0][i]; }

 private:
  std::vector<std::vector<Hash>> levels_;
  Hash root_{};
};

FlatNodes& tree() {
  static FlatNodes nodes(kTreeSize);
  return nodes;
}

void BM_InclusionProof(benchmark::State& state) {
  FlatNodes& nodes = tree();
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto proof = inclusion_proof(nodes, rng() % kTreeSize, kTreeSize);
    if (!proof.ok()) state.SkipWithError("proof failed");
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProof);

void BM_InclusionProofAndVerify(benchmark::State& state) {
  FlatNodes& nodes = tree();
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    std::uint64_t index = rng() % kTreeSize;
    auto proof = inclusion_proof(nodes, index, kTreeSize);
    if (!proof.ok() ||
        !verify_inclusion(nodes.leaf(index), index, kTreeSize, *proof, nodes.root()).ok()) {
      state.SkipWithError("proof failed");
    }
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProofAndVerify);

// A million plausible entries: every event type, requests, organisations,
// keys and instants varying as a real log's would.
struct SyntheticLog {
  std::vector<std::string> entries;
  Checkpoint latest;

  SyntheticLog() {
    entries.reserve(kAuditEntries);
    const auto& types = event_types();
    CompactTree tree;
    for (std::uint64_t i = 0; i < kAuditEntries; ++i) {
      Entry e;
      e.type = types[i % types.size()];
      std::string n = std::to_string(100'000'000'000 + i / 8);
      if (i % 9 != 0) e.request_id = "01890a5d-ac96-774b-bcce-" + n;
      e.org =
          i % 13 == 0 ? "hub" : "2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f" + std::to_string(1000 + i % 7);
      if (i % 3 == 0)
        e.key_id = trust::hex_encode(trust::sha256(std::to_string(i % 50)).substr(0, 16));
      e.time = Timestamp{1'793'610'900'000'000 + static_cast<std::int64_t>(i) * 750'123};
      auto c = trust::sha256("content " + std::to_string(i));
      std::copy(c.begin(), c.end(), e.commitment.begin());
      entries.push_back(must(encode_entry(e)));
      tree.append(leaf_hash(entries.back()));
    }
    latest = Checkpoint{"ledger.liaison.example", tree.size(), tree.root()};
  }
};

void BM_AuditLog(benchmark::State& state) {
  static const SyntheticLog log;
  for (auto _ : state) {
    LogAuditor auditor(Checkpoint{log.latest.origin, 0, empty_root()});
    for (const std::string& e : log.entries) {
      if (!auditor.add(e).ok()) state.SkipWithError("an entry was refused");
    }
    if (!auditor.finish(log.latest).ok()) state.SkipWithError("the log did not check");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(log.entries.size()));
}
BENCHMARK(BM_AuditLog)->Unit(benchmark::kSecond)->Iterations(3);

}  // namespace
}  // namespace liaison::ledger

BENCHMARK_MAIN();
