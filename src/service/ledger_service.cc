#include "service/ledger_service.h"

#include <cstring>

#include "ledger/entry.h"
#include "trust/canonical_json.h"

namespace liaison {

namespace {

std::string raw(const ledger::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

Result<ledger::Hash> hash_of(const std::string& bytes) {
  ledger::Hash h{};
  if (bytes.size() != h.size()) return Error::internal("a stored ledger hash is not 32 bytes");
  std::memcpy(h.data(), bytes.data(), h.size());
  return h;
}

constexpr int kTileHeight = ReadTx::kLedgerTileHeight;
constexpr std::int64_t kTileLeaves = ReadTx::kLedgerTileLeaves;

// The hash of the complete subtree (level, index) inside a tile, level <
// kTileHeight, from the tile's leaf hashes.
Result<ledger::Hash> hash_in_tile(const std::string& tile, std::int64_t tile_index, int level,
                                  std::uint64_t index) {
  std::uint64_t width = std::uint64_t{1} << level;
  std::uint64_t first = index * width - static_cast<std::uint64_t>(tile_index * kTileLeaves);
  if ((first + width) * 32 > tile.size())
    return Error::not_found("ledger node " + std::to_string(level) + "/" + std::to_string(index));
  std::vector<ledger::Hash> row(width);
  for (std::uint64_t i = 0; i < width; ++i)
    std::memcpy(row[i].data(), tile.data() + (first + i) * 32, 32);
  for (; width > 1; width /= 2) {
    for (std::uint64_t i = 0; i < width / 2; ++i)
      row[i] = ledger::node_hash(row[2 * i], row[2 * i + 1]);
  }
  return row[0];
}

// Proofs read the stored hashes through the caller's transaction, so a proof
// and the checkpoint it is checked against come from one snapshot: the
// bottom levels from tiles (the last one read is kept, as a proof's bottom
// siblings share it), the levels above from the node table or the cache.
class TxNodes final : public ledger::NodeReader {
 public:
  TxNodes(ReadTx& tx, LedgerNodeCache* cache = nullptr) : tx_(tx), cache_(cache) {}
  Result<ledger::Hash> node(int level, std::uint64_t index) override {
    if (level < kTileHeight) {
      auto tile = static_cast<std::int64_t>((index << level) / kTileLeaves);
      if (tile != tile_index_) {
        LIAISON_ASSIGN_OR_RETURN(tile_, tx_.ledger_tile(tile));
        tile_index_ = tile;
      }
      return hash_in_tile(tile_, tile_index_, level, index);
    }
    bool cached_level = cache_ != nullptr;
    if (cached_level) {
      if (auto h = cache_->get(level, index)) return *h;
    }
    LIAISON_ASSIGN_OR_RETURN(std::string bytes,
                             tx_.ledger_node(level, static_cast<std::int64_t>(index)));
    LIAISON_ASSIGN_OR_RETURN(ledger::Hash h, hash_of(bytes));
    if (cached_level) cache_->put(level, index, h);
    return h;
  }

 private:
  ReadTx& tx_;
  LedgerNodeCache* cache_;
  std::int64_t tile_index_ = -1;
  std::string tile_;
};

Error too_large(const std::string& field, std::int64_t latest) {
  return Error::invalid(field,
                        "is beyond the latest checkpoint, of size " + std::to_string(latest));
}

}  // namespace

std::optional<ledger::Hash> LedgerNodeCache::get(int level, std::uint64_t index) const {
  std::shared_lock lock(mu_);
  if (level < from_level_) return std::nullopt;
  auto l = static_cast<std::size_t>(level - kLowestLevel);
  if (l >= levels_.size() || index >= levels_[l].size()) return std::nullopt;
  const ledger::Hash& h = levels_[l][index];
  if (h == ledger::Hash{}) return std::nullopt;
  return h;
}

void LedgerNodeCache::put(int level, std::uint64_t index, const ledger::Hash& hash) {
  std::unique_lock lock(mu_);
  if (level < from_level_) return;
  auto l = static_cast<std::size_t>(level - kLowestLevel);
  if (l >= levels_.size()) levels_.resize(l + 1);
  if (index >= levels_[l].size()) {
    // Grow geometrically: the log only grows.
    levels_[l].resize(std::max<std::size_t>(index + 1, levels_[l].size() * 2));
  }
  levels_[l][index] = hash;
}

void LedgerNodeCache::fit(std::uint64_t size) {
  std::unique_lock lock(mu_);
  // Levels from L up hold fewer than size / 2^(L-1) nodes.
  auto bound = [&] {
    std::uint64_t width = std::uint64_t{1} << (from_level_ - 1);
    return (size + width - 1) / width;
  };
  while (bound() > budget_) {
    auto l = static_cast<std::size_t>(from_level_ - kLowestLevel);
    if (l < levels_.size()) std::vector<ledger::Hash>().swap(levels_[l]);
    ++from_level_;
  }
}

int LedgerNodeCache::from_level() const {
  std::shared_lock lock(mu_);
  return from_level_;
}

std::size_t LedgerNodeCache::held() const {
  std::shared_lock lock(mu_);
  std::size_t n = 0;
  for (const auto& level : levels_) {
    for (const auto& h : level) n += h == ledger::Hash{} ? 0 : 1;
  }
  return n;
}

LedgerService::LedgerService(Store& store, const Clock& clock, trust::SecretKey key,
                             std::string origin, CheckpointPolicy policy, std::size_t cache_nodes)
    : store_(store),
      clock_(clock),
      key_(std::move(key)),
      origin_(std::move(origin)),
      verifier_{origin_, key_.public_key()},
      policy_(policy),
      nodes_(cache_nodes) {}

Result<std::size_t> LedgerService::warm() {
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(std::int64_t size, tx.ledger_size());
    nodes_.fit(static_cast<std::uint64_t>(size));
    return tx.for_each_ledger_node(nodes_.from_level(),
                                   [&](int level, std::int64_t index, const std::string& bytes) {
                                     auto h = hash_of(bytes);
                                     if (h.ok())
                                       nodes_.put(level, static_cast<std::uint64_t>(index), *h);
                                   });
  }));
  return nodes_.held();
}

Status LedgerService::append(WriteTx& tx, const LedgerEvent& event) {
  LIAISON_ASSIGN_OR_RETURN(std::string content, trust::canonical_json(event.content));
  std::string salt = ledger::new_salt();
  LIAISON_ASSIGN_OR_RETURN(ledger::Hash commitment, ledger::commit(salt, content));
  ledger::Entry entry{event.type,   event.request_id, event.org,
                      event.key_id, event.time,       commitment};
  LIAISON_ASSIGN_OR_RETURN(std::string bytes, ledger::encode_entry(entry));
  ledger::Hash leaf = ledger::leaf_hash(bytes);
  LIAISON_ASSIGN_OR_RETURN(std::int64_t index, tx.ledger_size());
  LIAISON_TRY(tx.insert_ledger_entry({index, bytes, raw(leaf), std::move(salt), std::move(content),
                                      event.request_id, format_rfc3339_micros(event.time)}));
  // Leaf i completes one subtree for each trailing one bit of i. Those below
  // the tile height are in the tile already; a leaf that fills its tile makes
  // the tile's root, and each trailing one bit of the tile's index closes
  // another node above it.
  if ((index + 1) % kTileLeaves != 0) return Ok{};
  std::int64_t i = index / kTileLeaves;
  LIAISON_ASSIGN_OR_RETURN(std::string tile, tx.ledger_tile(i));
  LIAISON_ASSIGN_OR_RETURN(ledger::Hash h,
                           hash_in_tile(tile, i, kTileHeight, static_cast<std::uint64_t>(i)));
  int level = kTileHeight;
  LIAISON_TRY(tx.put_ledger_node(level, i, raw(h)));
  while ((i & 1) != 0) {
    LIAISON_ASSIGN_OR_RETURN(std::string left, tx.ledger_node(level, i - 1));
    LIAISON_ASSIGN_OR_RETURN(ledger::Hash left_hash, hash_of(left));
    h = ledger::node_hash(left_hash, h);
    i >>= 1;
    ++level;
    LIAISON_TRY(tx.put_ledger_node(level, i, raw(h)));
  }
  return Ok{};
}

Result<std::optional<LedgerCheckpointRecord>> LedgerService::publish_if_due() {
  return publish(/*force=*/false);
}

Result<std::optional<LedgerCheckpointRecord>> LedgerService::publish(bool force) {
  std::lock_guard lock(publish_mu_);
  Timestamp now = clock_.now();
  std::optional<LedgerCheckpointRecord> out;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(std::int64_t size, tx.ledger_size());
    LIAISON_ASSIGN_OR_RETURN(auto latest, tx.latest_ledger_checkpoint());
    if (latest) {
      if (latest->tree_size == size) return Ok{};
      auto at = parse_rfc3339(latest->created_at, "created_at");
      bool old =
          !at.ok() || now.unix_micros - at->unix_micros >= policy_.interval_seconds * 1'000'000;
      if (!force && !old && size - latest->tree_size < policy_.max_entries) return Ok{};
    }
    TxNodes nodes(tx);
    LIAISON_ASSIGN_OR_RETURN(ledger::Hash root,
                             ledger::root_at(nodes, static_cast<std::uint64_t>(size)));
    ledger::Checkpoint c{origin_, static_cast<std::uint64_t>(size), root};
    LIAISON_ASSIGN_OR_RETURN(std::string note, ledger::sign_checkpoint(c, origin_, key_));
    LedgerCheckpointRecord record{size, raw(root), std::move(note), format_rfc3339_micros(now)};
    LIAISON_TRY(tx.insert_ledger_checkpoint(record));
    out = std::move(record);
    return Ok{};
  }));
  if (out) {
    published_size_ = out->tree_size;
    nodes_.fit(static_cast<std::uint64_t>(out->tree_size));
  }
  return out;
}

Result<LedgerCheckpointRecord> LedgerService::publish_now() {
  LIAISON_ASSIGN_OR_RETURN(auto record, publish(/*force=*/true));
  if (record) return *record;
  std::optional<LedgerCheckpointRecord> latest;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(latest, tx.latest_ledger_checkpoint());
    return Ok{};
  }));
  if (!latest) return Error::internal("no checkpoint after publishing one");
  return *latest;
}

void LedgerService::set_witnesses(std::vector<ledger::NoteVerifier> witnesses) {
  witnesses_ = std::move(witnesses);
}

Result<CheckpointView> LedgerService::latest_checkpoint(const Principal& p) {
  LIAISON_TRY(
      authorise(p, Action::kReadLedger, Relation::kForeign, "the ledger is not yours to read"));
  CheckpointView out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto latest, tx.latest_ledger_checkpoint());
    if (!latest) return Error::not_found("no checkpoint has been published yet");
    out.record = std::move(*latest);
    out.note = out.record.note;
    LIAISON_ASSIGN_OR_RETURN(auto cosignatures, tx.ledger_cosignatures(out.record.tree_size));
    for (const auto& c : cosignatures) {
      out.note += c.line + "\n";
      out.witnesses.push_back(c.witness);
    }
    return Ok{};
  }));
  return out;
}

Result<std::vector<std::string>> LedgerService::add_cosignatures(const Principal& p,
                                                                 const std::string& note) {
  LIAISON_TRY(authorise(p, Action::kCosignCheckpoint, Relation::kForeign,
                        "cosignatures are not yours to add"));
  auto opened = ledger::open_checkpoint(note, verifier_, witnesses_);
  if (!opened.ok()) return Error::invalid("note", opened.error().message);
  std::vector<std::string> names;
  for (const auto& name : opened->signers) {
    if (name != verifier_.name) names.push_back(name);
  }
  if (names.empty()) {
    return Error::invalid("note", "carries no cosignature by a witness this hub accepts");
  }
  // The witnesses' lines, as the note has them.
  std::vector<LedgerCosignatureRecord> lines;
  std::string now = format_rfc3339_micros(clock_.now());
  for (const auto& name : names) {
    LIAISON_ASSIGN_OR_RETURN(auto of_witness, ledger::signature_lines(note, name));
    for (auto& line : of_witness) {
      lines.push_back({static_cast<std::int64_t>(opened->checkpoint.size), name, std::move(line),
                       p.user.id, now});
    }
  }
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    auto published = tx.ledger_checkpoint(static_cast<std::int64_t>(opened->checkpoint.size));
    if (!published.ok() || published->root != raw(opened->checkpoint.root)) {
      return Error::invalid("note", "is not a checkpoint this hub published");
    }
    for (const auto& l : lines) LIAISON_TRY(tx.put_ledger_cosignature(l));
    return Ok{};
  }));
  return names;
}

Result<std::vector<PublicEntry>> LedgerService::entries(const Principal& p, std::int64_t start,
                                                        std::int64_t end) {
  LIAISON_TRY(
      authorise(p, Action::kReadLedger, Relation::kForeign, "the ledger is not yours to read"));
  if (start < 0) return Error::invalid("start", "must be 0 or more");
  if (end <= start) return Error::invalid("end", "must be greater than start");
  if (end - start > kMaxEntriesPerPage) {
    return Error::invalid(
        "end", "at most " + std::to_string(kMaxEntriesPerPage) + " entries are served at once");
  }
  std::vector<PublicEntry> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto records, tx.ledger_entries(start, end));
    out.reserve(records.size());
    for (auto& r : records) out.push_back({r.leaf_index, std::move(r.entry)});
    return Ok{};
  }));
  return out;
}

Result<InclusionProof> LedgerService::inclusion(ReadTx& tx, std::int64_t leaf_index,
                                                std::int64_t tree_size, std::int64_t known) {
  if (tree_size < 1) return Error::invalid("tree_size", "must be at least 1");
  if (leaf_index < 0 || leaf_index >= tree_size)
    return Error::invalid("leaf_index", "must be at least 0 and less than tree_size");
  LIAISON_ASSIGN_OR_RETURN(std::int64_t published, published_size(tx, known));
  if (tree_size > published) return too_large("tree_size", published);
  TxNodes nodes(tx, &nodes_);
  InclusionProof out;
  out.leaf_index = leaf_index;
  out.tree_size = tree_size;
  LIAISON_ASSIGN_OR_RETURN(out.leaf_hash, nodes.node(0, static_cast<std::uint64_t>(leaf_index)));
  LIAISON_ASSIGN_OR_RETURN(out.path,
                           ledger::inclusion_proof(nodes, static_cast<std::uint64_t>(leaf_index),
                                                   static_cast<std::uint64_t>(tree_size)));
  return out;
}

Result<std::int64_t> LedgerService::published_size(ReadTx& tx, std::int64_t known) {
  // `known` was read before the transaction's first statement, so this
  // snapshot holds that checkpoint and every entry it covers.
  if (known >= 0) return known;
  LIAISON_ASSIGN_OR_RETURN(auto latest, tx.latest_ledger_checkpoint());
  return latest ? latest->tree_size : 0;
}

Result<InclusionProof> LedgerService::inclusion_by_index(const Principal& p,
                                                         std::int64_t leaf_index,
                                                         std::int64_t tree_size) {
  LIAISON_TRY(
      authorise(p, Action::kReadLedger, Relation::kForeign, "the ledger is not yours to read"));
  InclusionProof out;
  std::int64_t known = published_size_;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, inclusion(tx, leaf_index, tree_size, known));
    return Ok{};
  }));
  return out;
}

Result<InclusionProof> LedgerService::inclusion_by_hash(const Principal& p,
                                                        const ledger::Hash& leaf_hash,
                                                        std::int64_t tree_size) {
  LIAISON_TRY(
      authorise(p, Action::kReadLedger, Relation::kForeign, "the ledger is not yours to read"));
  if (tree_size < 1) return Error::invalid("tree_size", "must be at least 1");
  InclusionProof out;
  std::int64_t known = published_size_;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    auto index = tx.ledger_find_leaf(raw(leaf_hash), tree_size);
    if (!index.ok()) {
      if (index.error().code == ErrorCode::kNotFound) {
        return Error::not_found("no ledger entry in a tree of size " + std::to_string(tree_size) +
                                " has the leaf hash " + ledger::to_hex(leaf_hash));
      }
      return index.take_error();
    }
    LIAISON_ASSIGN_OR_RETURN(out, inclusion(tx, *index, tree_size, known));
    return Ok{};
  }));
  return out;
}

Result<ConsistencyProof> LedgerService::consistency(const Principal& p, std::int64_t first,
                                                    std::int64_t second) {
  LIAISON_TRY(
      authorise(p, Action::kReadLedger, Relation::kForeign, "the ledger is not yours to read"));
  if (first < 1) return Error::invalid("first", "must be at least 1");
  if (second < first) return Error::invalid("second", "must be at least first");
  ConsistencyProof out{first, second, {}};
  std::int64_t known = published_size_;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(std::int64_t published, published_size(tx, known));
    if (second > published) return too_large("second", published);
    TxNodes nodes(tx, &nodes_);
    LIAISON_ASSIGN_OR_RETURN(out.path,
                             ledger::consistency_proof(nodes, static_cast<std::uint64_t>(first),
                                                       static_cast<std::uint64_t>(second)));
    return Ok{};
  }));
  return out;
}

Result<std::vector<RequestLedgerEntry>> LedgerService::entries_of_request(
    ReadTx& tx, const std::string& request_id) {
  LIAISON_ASSIGN_OR_RETURN(auto records,
                           tx.ledger_entries_of_request(request_id, /*with_content=*/false));
  std::vector<RequestLedgerEntry> out;
  if (records.empty()) return out;
  LIAISON_ASSIGN_OR_RETURN(auto latest, tx.latest_ledger_checkpoint());
  out.reserve(records.size());
  for (auto& r : records) {
    bool covered = latest && r.leaf_index < latest->tree_size;
    out.push_back({r.leaf_index, std::move(r.entry), covered});
  }
  return out;
}

Result<ledger::Receipt> LedgerService::receipt(ReadTx& tx, const std::string& request_id,
                                               std::int64_t leaf_index) {
  LIAISON_ASSIGN_OR_RETURN(auto records, tx.ledger_entries(leaf_index, leaf_index + 1));
  if (records.empty() || records[0].request_id != request_id) {
    return Error::not_found("request " + request_id + " has no ledger entry at index " +
                            std::to_string(leaf_index));
  }
  LIAISON_ASSIGN_OR_RETURN(auto latest, tx.latest_ledger_checkpoint());
  if (!latest || latest->tree_size <= leaf_index) {
    return Error::make(ErrorCode::kConflict,
                       "entry " + std::to_string(leaf_index) +
                           " is not in a checkpoint yet; the hub publishes one every " +
                           std::to_string(policy_.interval_seconds) + " seconds at most");
  }
  LIAISON_ASSIGN_OR_RETURN(InclusionProof proof,
                           inclusion(tx, leaf_index, latest->tree_size, latest->tree_size));
  ledger::Receipt out;
  out.entry = std::move(records[0].entry);
  out.leaf_index = static_cast<std::uint64_t>(leaf_index);
  out.salt = std::move(records[0].salt);
  out.content = std::move(records[0].content);
  out.tree_size = static_cast<std::uint64_t>(latest->tree_size);
  out.path = std::move(proof.path);
  out.checkpoint = latest->note;
  out.vkey = verifier_.vkey();
  return out;
}

}  // namespace liaison
