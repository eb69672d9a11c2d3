// The hub's tamper-evident ledger (docs/ledger.md): every state change the
// services make appends an entry inside the same write transaction, so the
// change and its entry commit together or not at all. Checkpoints of the tree
// are signed with the hub's Ed25519 key and published now and then; proofs
// are computed from the stored complete-subtree hashes.
//
// Who may read what: the entries, checkpoints and proofs are public to every
// authenticated caller (they hold commitments, not content). A receipt holds
// an entry's salt and content, so only the parties to its request get one:
// the issuing authority and, once the request was sent, the provider.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "ledger/receipt.h"
#include "service/environment.h"
#include "service/principal.h"
#include "store/store.h"
#include "trust/keys.h"

namespace liaison {

// One event to record: who did what to which request, and the content the
// entry commits to (the request, message, attachment or certificate as it
// stood). The content is canonicalised here and never leaves the hub except
// in a party's receipt.
struct LedgerEvent {
  std::string type;  // ledger::event_types()
  std::optional<std::string> request_id;
  std::string org;  // the actor's organisation id, or "hub"
  std::optional<std::string> key_id;
  Timestamp time;
  nlohmann::json content;
};

struct CheckpointPolicy {
  std::int64_t interval_seconds = 10;  // publish at least this often while the log grows
  std::int64_t max_entries = 1000;     // or as soon as this many entries are unpublished
};

// A checkpoint as served: its note with the hub's line and the witnesses'.
struct CheckpointView {
  LedgerCheckpointRecord record;
  std::string note;
  std::vector<std::string> witnesses;  // names of the witnesses who cosigned it
};

// An entry as the API shows it: its position and bytes, never salt or content.
struct PublicEntry {
  std::int64_t leaf_index = 0;
  std::string entry;
};

struct InclusionProof {
  std::int64_t leaf_index = 0;
  std::int64_t tree_size = 0;
  ledger::Hash leaf_hash{};
  std::vector<ledger::Hash> path;
};

struct ConsistencyProof {
  std::int64_t first = 0;
  std::int64_t second = 0;
  std::vector<ledger::Hash> path;
};

// A request's entry in its view: the entry, and whether the latest checkpoint
// covers it. The proof is not in the view: a view is read far more often than
// a proof is checked, and the request's receipts carry the proofs.
struct RequestLedgerEntry {
  std::int64_t leaf_index = 0;
  std::string entry;
  bool in_checkpoint = false;
};

// Hashes of complete subtrees from a level up, held in memory. Such a node
// never changes once written, so the cache is never stale. It starts at the
// tile height (level 3: the levels below are in the tiles, seven eighths of
// the tree's nodes) and moves up a level whenever the log outgrows the
// budget, so it holds at most `budget` hashes (32 bytes each).
class LedgerNodeCache {
 public:
  static constexpr int kLowestLevel = 3;
  explicit LedgerNodeCache(std::size_t budget) : budget_(budget) {}

  std::optional<ledger::Hash> get(int level, std::uint64_t index) const;
  void put(int level, std::uint64_t index, const ledger::Hash& hash);
  // Raises the lowest cached level until a log of `size` leaves fits the budget.
  void fit(std::uint64_t size);
  int from_level() const;
  std::size_t held() const;

 private:
  std::size_t budget_;
  mutable std::shared_mutex mu_;
  int from_level_ = kLowestLevel;
  // [level - kLowestLevel][index]; all zero where not read yet (no node hashes to zero).
  std::vector<std::vector<ledger::Hash>> levels_;
};

class LedgerService {
 public:
  // The node cache holds at most `cache_nodes` hashes (default 4 Mi: 128 MiB,
  // which covers the upper levels of a log of 16 million entries).
  LedgerService(Store& store, const Clock& clock, trust::SecretKey key, std::string origin,
                CheckpointPolicy policy = {}, std::size_t cache_nodes = std::size_t{1} << 22);

  // Reads the stored upper levels into the node cache, so the first proofs
  // after a start are as fast as the rest. Returns how many nodes it holds.
  Result<std::size_t> warm();

  // Inside the caller's write transaction: appends the entry and the subtree
  // hashes it completes.
  Status append(WriteTx& tx, const LedgerEvent& event);

  // Publishes a checkpoint when the policy says one is due; returns it, or
  // nothing when none was due. Called every second by the hub.
  Result<std::optional<LedgerCheckpointRecord>> publish_if_due();
  // Publishes a checkpoint of the current tree unless the latest one has its size.
  Result<LedgerCheckpointRecord> publish_now();

  // The note verifier key of the hub's checkpoints: what auditors pin.
  const ledger::NoteVerifier& verifier() const { return verifier_; }
  const std::string& origin() const { return origin_; }

  // The witnesses whose cosignatures the hub accepts and serves.
  void set_witnesses(std::vector<ledger::NoteVerifier> witnesses);
  const std::vector<ledger::NoteVerifier>& witnesses() const { return witnesses_; }

  // The latest checkpoint, its note carrying the witnesses' cosignatures.
  // kNotFound until the first checkpoint.
  Result<CheckpointView> latest_checkpoint(const Principal& p);

  // Stores the cosignatures a note carries from the hub's witnesses. The note
  // must be one of the hub's published checkpoints, signed by the hub, with a
  // line by at least one witness that verifies. Returns the witnesses' names.
  Result<std::vector<std::string>> add_cosignatures(const Principal& p, const std::string& note);
  // Entries [start, end), at most kMaxEntriesPerPage of them.
  Result<std::vector<PublicEntry>> entries(const Principal& p, std::int64_t start,
                                           std::int64_t end);
  Result<InclusionProof> inclusion_by_index(const Principal& p, std::int64_t leaf_index,
                                            std::int64_t tree_size);
  Result<InclusionProof> inclusion_by_hash(const Principal& p, const ledger::Hash& leaf_hash,
                                           std::int64_t tree_size);
  Result<ConsistencyProof> consistency(const Principal& p, std::int64_t first, std::int64_t second);

  // A request's entries, each marked when the latest checkpoint covers it,
  // inside the caller's read (the caller has checked the request is visible).
  Result<std::vector<RequestLedgerEntry>> entries_of_request(ReadTx& tx,
                                                             const std::string& request_id);
  // The receipt of one of a request's entries (by leaf index), against the
  // latest checkpoint; the caller has checked the request is visible.
  Result<ledger::Receipt> receipt(ReadTx& tx, const std::string& request_id,
                                  std::int64_t leaf_index);

  static constexpr std::int64_t kMaxEntriesPerPage = 1000;

 private:
  // `known`: the latest checkpoint's size as read before the transaction
  // began, or -1 to read it in the transaction.
  Result<InclusionProof> inclusion(ReadTx& tx, std::int64_t leaf_index, std::int64_t tree_size,
                                   std::int64_t known);
  Result<std::int64_t> published_size(ReadTx& tx, std::int64_t known);
  // A checkpoint of the current tree when it grew since the latest one, and
  // the policy says one is due or `force` is set.
  Result<std::optional<LedgerCheckpointRecord>> publish(bool force);

  Store& store_;
  const Clock& clock_;
  trust::SecretKey key_;
  std::string origin_;
  ledger::NoteVerifier verifier_;
  std::vector<ledger::NoteVerifier> witnesses_;  // set once, before serving
  CheckpointPolicy policy_;
  std::mutex publish_mu_;  // one publisher at a time: two would race for the same size
  LedgerNodeCache nodes_{0};
  // The size of the latest checkpoint, once known; proofs are bounded by it.
  std::atomic<std::int64_t> published_size_{-1};
};

}  // namespace liaison
