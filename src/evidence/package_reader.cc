// Reading packages: the checks of docs/evidence-format.md §8 in its order, and
// decryption through the hashing pipeline.
#include <fcntl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "evidence/chunk_cipher.h"
#include "evidence/digest.h"
#include "evidence/layout.h"
#include "evidence/manifest.h"
#include "evidence/pipeline.h"
#include "ledger/merkle.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

namespace fields = trust::fields;

namespace {

constexpr std::size_t kBlockBytes = 4 << 20;

std::string item_path(std::uint64_t i) { return "manifest/items/" + std::to_string(i); }
std::string chunk_path(std::uint64_t i, std::uint64_t j) {
  return "items/" + std::to_string(i) + "/chunks/" + std::to_string(j);
}

// The first 16 bytes of a name's SHA-256 stand for it in the duplicate check:
// 16 bytes an item, rather than the names themselves, and no two names share
// one by accident.
struct NameKey {
  std::array<std::uint8_t, 16> hash;
  std::uint64_t index;
};

// Names that appear twice, found by sorting their hashes.
Status check_unique_names(std::vector<NameKey>& keys, const std::string& prefix) {
  std::sort(keys.begin(), keys.end(), [](const NameKey& a, const NameKey& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.index < b.index;
  });
  std::optional<std::pair<std::uint64_t, std::uint64_t>> first;  // (later, earlier)
  for (std::size_t k = 1; k < keys.size(); ++k) {
    if (keys[k].hash != keys[k - 1].hash) continue;
    std::pair<std::uint64_t, std::uint64_t> dup{keys[k].index, keys[k - 1].index};
    if (!first || dup.first < first->first) first = dup;
  }
  if (first) {
    return fields::bad(prefix + std::to_string(first->first) + "/name",
                       "is the name of item " + std::to_string(first->second) +
                           " again; names are unique within a package");
  }
  return Ok{};
}

NameKey name_key(std::string_view name, std::uint64_t index) {
  ledger::Hash h = Sha256::of(name);
  NameKey k{{}, index};
  std::copy_n(h.begin(), k.hash.size(), k.hash.begin());
  return k;
}

// The chunks of one block of ciphertext, opened by the caller with help from
// the hashing thread: hashing is faster than reading, decrypting and handing
// the plaintext to the sink (whose writes to fresh pages can be slow), so the
// hasher would otherwise wait for each block; instead it opens chunks of the
// next block while the caller does. The mirror of sealing's SharedChunks
// (package_writer.cc). GCM chunks are independent given their numbers; a
// secretstream's are not, so XChaCha items are opened by the caller alone.
class SharedOpening {
 public:
  SharedOpening(std::uint32_t chunk, std::size_t overhead) : chunk_(chunk), overhead_(overhead) {}

  struct Failure {
    std::uint64_t chunk;  // the item's chunk number
    ChunkFailure why;
  };

  // The caller: opens the block's `m` chunks, the item's chunks from
  // `first` on, `plain` bytes of plaintext in all, from `in` into `out`,
  // with whatever help it gets; returns once all are done. The first chunk
  // that failed, in the item's order, so that the error is the one a lone
  // opener would have found.
  std::optional<Failure> open(const ItemKey& key, std::uint64_t item_chunks, std::uint64_t first,
                              std::size_t m, std::size_t plain, const unsigned char* in,
                              unsigned char* out, ChunkOpener& opener, HashPipeline& pipe) {
    {
      std::lock_guard lock(mu_);
      key_ = &key;
      item_chunks_ = item_chunks;
      first_ = first;
      chunks_ = m;
      plain_ = plain;
      in_ = in;
      out_ = out;
      failure_.reset();
      next_ = 0;
      open_ = true;
    }
    pipe.wake_hasher();
    open_claimed(opener);
    // Every chunk is claimed now, so no helper can start; wait for those
    // still opening theirs.
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return helpers_ == 0; });
    open_ = false;
    return std::move(failure_);
  }

  // The hashing thread, while it waits: opens chunks of the shared block,
  // if any are left; whether it opened any.
  bool help(ChunkOpener& opener) {
    {
      std::lock_guard lock(mu_);
      if (!open_ || next_ >= chunks_) return false;
      ++helpers_;
    }
    opener.begin(*key_, nullptr, item_chunks_);
    bool opened = open_claimed(opener);
    {
      std::lock_guard lock(mu_);
      --helpers_;
    }
    idle_.notify_one();
    return opened;
  }

 private:
  bool open_claimed(ChunkOpener& opener) {
    bool any = false;
    for (std::size_t k; (k = next_.fetch_add(1)) < chunks_; any = true) {
      std::size_t from = k * chunk_;
      std::size_t size = std::min<std::size_t>(chunk_, plain_ - from);
      auto failed =
          opener.open_at(first_ + k, in_ + k * (chunk_ + overhead_), size + overhead_, out_ + from);
      if (failed) {
        std::lock_guard lock(mu_);
        if (!failure_ || first_ + k < failure_->chunk) {
          failure_ = Failure{first_ + k, std::move(*failed)};
        }
      }
    }
    return any;
  }

  const std::size_t chunk_, overhead_;
  std::mutex mu_;
  std::condition_variable idle_;
  // Set under mu_ before helpers may start, and kept until they are done.
  const ItemKey* key_ = nullptr;
  std::uint64_t item_chunks_ = 0, first_ = 0;
  std::size_t chunks_ = 0, plain_ = 0;
  const unsigned char* in_ = nullptr;
  unsigned char* out_ = nullptr;
  bool open_ = false;
  std::atomic<std::size_t> next_{0};
  int helpers_ = 0;
  std::optional<Failure> failure_;  // under mu_
};

}  // namespace

Result<Layout> read_layout(int fd, const std::string& path) {
  Layout layout;
  PackageInfo& info = layout.info;
  LIAISON_ASSIGN_OR_RETURN(info.file_bytes, file_size(fd, path));
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  // 1. The header.
  std::string fixed(kFixedHeaderBytes, '\0');
  LIAISON_ASSIGN_OR_RETURN(std::size_t got, read_at(fd, fixed.data(), fixed.size(), 0, path));
  fixed.resize(got);
  LIAISON_ASSIGN_OR_RETURN(layout.header, decode_fixed_header(fixed));
  Header& header = layout.header;
  std::string stanzas(kStanzaBytes * header.stanzas.size(), '\0');
  LIAISON_ASSIGN_OR_RETURN(got,
                           read_at(fd, stanzas.data(), stanzas.size(), kFixedHeaderBytes, path));
  stanzas.resize(got);
  LIAISON_TRY(decode_stanzas(stanzas, header));
  info.header_bytes = header.encoded_size();

  // 2 and 3. The statement, and the header against it.
  LineReader lines(fd, info.header_bytes, info.file_bytes, path);
  LIAISON_ASSIGN_OR_RETURN(info.statement_line,
                           lines.next(kMaxStatementLine, "manifest/statement"));
  LIAISON_ASSIGN_OR_RETURN(info.statement,
                           decode_statement(info.statement_line, "manifest/statement"));
  info.statement_sha256 = ledger::to_hex(Sha256::of(info.statement_line));
  const Statement& st = info.statement;
  if (uuid_bytes(st.package_id, "package_id").value() != header.package_id) {
    return fields::bad("header/package_id", "is " + uuid_text(header.package_id) +
                                                " at bytes 22-37, but the statement's "
                                                "package_id is " +
                                                st.package_id);
  }
  if (st.aead != header.aead) {
    return fields::bad("header/aead", std::string("is ") + aead_name(header.aead) +
                                          " at byte 20, but the statement says " +
                                          aead_name(st.aead));
  }
  if (st.chunk_size != header.chunk_size()) {
    return fields::bad("header/chunk_size", "is " + std::to_string(header.chunk_size()) +
                                                " at byte 21, but the statement says " +
                                                std::to_string(st.chunk_size));
  }
  if (st.recipients.size() != header.stanzas.size()) {
    return fields::bad("header/recipients", "the header has " +
                                                std::to_string(header.stanzas.size()) +
                                                " recipient stanzas, the statement lists " +
                                                std::to_string(st.recipients.size()));
  }
  std::string header_bytes = fixed + stanzas;
  std::string header_sha = ledger::to_hex(Sha256::of(header_bytes));
  if (header_sha != st.header_sha256) {
    return fields::bad("header", "its SHA-256 (bytes 0-" + std::to_string(info.header_bytes - 1) +
                                     ") is " + header_sha + ", not the statement's header_sha256 " +
                                     st.header_sha256 + ": the header was altered");
  }
  for (std::size_t i = 0; i < st.recipients.size(); ++i) {
    if (trust::hex_encode(header.stanzas[i].key_id) != st.recipients[i].key_id) {
      return fields::bad("manifest/statement/recipients/" + std::to_string(i) + "/key_id",
                         "is not the key id of the header's stanza " + std::to_string(i));
    }
  }

  // 4. The item lines.
  layout.item_lines_offset = lines.offset();
  ledger::CompactTree tree;
  std::vector<NameKey> names;
  names.reserve(static_cast<std::size_t>(st.item_count));
  std::uint64_t total = 0, ciphertext = 0;
  for (std::uint64_t i = 0; i < st.item_count; ++i) {
    std::string at = item_path(i);
    LIAISON_ASSIGN_OR_RETURN(std::string line, lines.next(kMaxItemLine, at));
    LIAISON_ASSIGN_OR_RETURN(Item item, decode_item(line, i, at));
    tree.append(ledger::leaf_hash(line));
    names.push_back(name_key(item.name, i));
    total += item.size;  // each at most 2^53 - 1, so this cannot wrap
    if (total > st.total_size) {
      return fields::bad("manifest/statement/total_size",
                         "is " + std::to_string(st.total_size) + ", but items 0 to " +
                             std::to_string(i) + " alone hold " + std::to_string(total) + " bytes");
    }
    ciphertext += item_ciphertext_size(st.aead, st.chunk_size, item.size);
  }
  if (total != st.total_size) {
    return fields::bad("manifest/statement/total_size", "is " + std::to_string(st.total_size) +
                                                            ", but the items hold " +
                                                            std::to_string(total) + " bytes");
  }
  LIAISON_TRY(check_unique_names(names, "manifest/items/"));
  names = {};
  std::string root = ledger::to_hex(tree.root());
  if (root != st.merkle_root) {
    return fields::bad("manifest/statement/merkle_root",
                       "is not the Merkle root of the item lines (" + root +
                           "): an item line or the statement was altered");
  }

  // 5. The signature.
  LIAISON_ASSIGN_OR_RETURN(std::string sig_line,
                           lines.next(kMaxSignatureLine, "manifest/signature"));
  LIAISON_ASSIGN_OR_RETURN(info.signature, decode_signature(sig_line, "manifest/signature"));
  LIAISON_TRY(check_signature(st, info.statement_line, info.signature, "manifest/signature"));

  // 6. The file's length.
  info.items_offset = lines.offset();
  info.package_bytes = info.items_offset + ciphertext;
  if (info.file_bytes < info.package_bytes) return truncation_error(fd, path, layout);
  if (info.file_bytes > info.package_bytes) {
    LIAISON_ASSIGN_OR_RETURN(
        info.registration, read_registration(fd, path, info.package_bytes, info.file_bytes, info));
  }
  return layout;
}

Error truncation_error(int fd, const std::string& path, const Layout& layout) {
  const PackageInfo& info = layout.info;
  const Statement& st = info.statement;
  LineReader lines(fd, layout.item_lines_offset, info.items_offset, path);
  std::uint64_t offset = info.items_offset;
  const std::uint64_t end = info.file_bytes;
  const std::uint64_t prefix = item_prefix_bytes(st.aead);
  const std::uint64_t full = st.chunk_size + chunk_overhead(st.aead);
  for (std::uint64_t i = 0; i < st.item_count; ++i) {
    auto line = lines.next(kMaxItemLine, item_path(i));
    if (!line.ok()) return line.take_error();
    auto item = decode_item(*line, i, item_path(i));
    if (!item.ok()) return item.take_error();
    std::uint64_t size = item_ciphertext_size(st.aead, st.chunk_size, item->size);
    if (end < offset + size) {
      std::string at = "the file ends at byte " + std::to_string(end);
      if (end == offset) {
        return fields::bad("items/" + std::to_string(i),
                           "missing: " + at + ", where this item begins");
      }
      if (end < offset + prefix) {
        return fields::bad("items/" + std::to_string(i),
                           "truncated: " + at + ", within the item's 24-byte stream header");
      }
      std::uint64_t into = end - offset - prefix;
      std::uint64_t j = into / full;
      if (into % full == 0) {
        return fields::bad(chunk_path(i, j), "missing: " + at + ", where this chunk begins");
      }
      return fields::bad(chunk_path(i, j), "truncated: " + at + ", " + std::to_string(into % full) +
                                               " bytes into this chunk");
    }
    offset += size;
  }
  return fields::bad("file", "truncated: the file ends at byte " + std::to_string(end) +
                                 ", before the end of its items at byte " +
                                 std::to_string(info.package_bytes));
}

Status decrypt_items(int fd, const std::string& path, const Layout& layout,
                     const PackageKey& package_key, const NextItem& next, ItemSink* sink,
                     const Progress& progress) {
  const Statement& st = layout.info.statement;
  const std::uint32_t chunk = st.chunk_size;
  const std::size_t overhead = chunk_overhead(st.aead);
  const std::size_t prefix = item_prefix_bytes(st.aead);
  const std::size_t block_bytes = std::max<std::size_t>(kBlockBytes, chunk);
  const std::size_t chunks_per_block = block_bytes / chunk;
  auto ciphertext = std::make_unique_for_overwrite<unsigned char[]>(
      chunks_per_block * (chunk + overhead) + prefix);

  const bool gcm = st.aead == Aead::kAes256Gcm;
  SharedOpening shared(chunk, overhead);
  ChunkOpener helper(st.aead);  // the hashing thread's
  std::function<bool()> help;
  if (gcm) help = [&] { return shared.help(helper); };
  HashPipeline pipe(
      block_bytes > kBlockBytes ? 2 : 4, block_bytes,
      [](const Block& last, const ledger::Hash& digest) -> Status {
        if (digest == last.expected) return Ok{};
        return fields::bad("items/" + std::to_string(last.item),
                           "the plaintext's SHA-256 is " + ledger::to_hex(digest) + ", not the " +
                               ledger::to_hex(last.expected) +
                               " of its line: the producer sealed other data than "
                               "it described");
      },
      std::move(help));
  ChunkOpener opener(st.aead);
  ItemKey key;
  std::uint64_t done = 0, reported = 0;

  // Everything that can fail after an item's sink has begun comes through
  // here, so that the sink is always told.
  auto fail = [&](Error e) -> Status {
    if (sink) sink->abort();
    return e;
  };
  for (;;) {
    LIAISON_ASSIGN_OR_RETURN(std::optional<PlannedItem> planned, next());
    if (!planned) break;
    const Item& item = planned->item;
    const std::uint64_t i = item.index;
    LIAISON_ASSIGN_OR_RETURN(ledger::Hash expected, ledger::hash_from_hex(item.sha256, "sha256"));
    derive_item_key(package_key.bytes(), layout.header.package_id, i, key);
    const std::uint64_t chunks = chunk_count(item.size, chunk);
    std::uint64_t offset = planned->offset;
    auto short_read = [&](std::uint64_t j) {
      return fields::bad(chunk_path(i, j),
                         "truncated: the file ended while it was read (it "
                         "changed since it was checked)");
    };
    if (prefix != 0) {
      LIAISON_ASSIGN_OR_RETURN(std::size_t n, read_at(fd, ciphertext.get(), prefix, offset, path));
      if (n != prefix) return short_read(0);
      offset += prefix;
    }
    opener.begin(key, ciphertext.get(), chunks);
    if (sink) LIAISON_TRY(sink->begin(item));
    std::uint64_t remaining = item.size;
    for (std::uint64_t j = 0; j < chunks;) {
      std::uint64_t m = std::min<std::uint64_t>(chunks_per_block, chunks - j);
      std::size_t plain = static_cast<std::size_t>(std::min<std::uint64_t>(m * chunk, remaining));
      std::size_t bytes = plain + static_cast<std::size_t>(m) * overhead;
      auto n = read_at(fd, ciphertext.get(), bytes, offset, path);
      if (!n.ok()) return fail(n.take_error());
      if (*n != bytes) return fail(short_read(j));
      Block* b = pipe.acquire();
      if (b == nullptr) return fail(pipe.finish().take_error());
      b->item = i;
      b->item_begins = j == 0;
      b->item_ends = j + m == chunks;
      b->expected = expected;
      if (gcm) {
        if (auto failed = shared.open(key, chunks, j, static_cast<std::size_t>(m), plain,
                                      ciphertext.get(), b->data.get(), opener, pipe)) {
          return fail(fields::bad(chunk_path(i, failed->chunk), failed->why.reason));
        }
      }
      std::size_t in = 0, out = 0;
      for (std::uint64_t k = 0; !gcm && k < m; ++k) {
        std::size_t size = std::min<std::size_t>(chunk, plain - out);
        if (auto failure =
                opener.open(ciphertext.get() + in, size + overhead, b->data.get() + out)) {
          return fail(fields::bad(chunk_path(i, j + k), failure->reason));
        }
        in += size + overhead;
        out += size;
      }
      b->size = plain;
      pipe.publish();
      if (sink) {
        Status s =
            sink->write(std::string_view(reinterpret_cast<const char*>(b->data.get()), plain));
        if (!s.ok()) return fail(s.take_error());
      }
      offset += bytes;
      remaining -= plain;
      j += m;
      done += plain;
      if (progress && done - reported >= (std::uint64_t{64} << 20)) {
        progress(done, st.total_size);
        reported = done;
      }
    }
    if (sink) {
      Status hashed = pipe.wait_for_item(i);
      if (!hashed.ok()) return fail(hashed.take_error());
      LIAISON_TRY(sink->finish());
    }
  }
  LIAISON_TRY(pipe.finish());
  if (progress) progress(done, st.total_size);
  return Ok{};
}

Result<PackageInfo> inspect_package(const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(Fd fd, open_for_reading(path));
  LIAISON_ASSIGN_OR_RETURN(Layout layout, read_layout(fd.get(), path));
  return std::move(layout.info);
}

Result<PackageInfo> open_package(const std::string& path, const trust::SecretKey& recipient,
                                 ItemSink* sink, const Progress& progress) {
  LIAISON_ASSIGN_OR_RETURN(Fd fd, open_for_reading(path));
  LIAISON_ASSIGN_OR_RETURN(Layout layout, read_layout(fd.get(), path));
  const Statement& st = layout.info.statement;
  LIAISON_ASSIGN_OR_RETURN(PackageKey key, open_stanza(layout.header, st.recipients, recipient));

  // The item lines are read a second time, beside the items, rather than
  // kept from the first pass; their root is taken again so that a manifest
  // changed in between is noticed.
  LineReader lines(fd.get(), layout.item_lines_offset, layout.info.items_offset, path);
  ledger::CompactTree tree;
  std::uint64_t index = 0, offset = layout.info.items_offset;
  NextItem next = [&]() -> Result<std::optional<PlannedItem>> {
    if (index == st.item_count) return std::optional<PlannedItem>();
    LIAISON_ASSIGN_OR_RETURN(std::string line, lines.next(kMaxItemLine, item_path(index)));
    LIAISON_ASSIGN_OR_RETURN(Item item, decode_item(line, index, item_path(index)));
    tree.append(ledger::leaf_hash(line));
    PlannedItem planned{std::move(item), offset};
    offset += item_ciphertext_size(st.aead, st.chunk_size, planned.item.size);
    ++index;
    return std::optional<PlannedItem>(std::move(planned));
  };
  LIAISON_TRY(decrypt_items(fd.get(), path, layout, key, next, sink, progress));
  if (ledger::to_hex(tree.root()) != st.merkle_root) {
    return fields::bad("file", "the manifest changed while the package was read");
  }
  return std::move(layout.info);
}

Result<Item> find_item(const std::string& package_path, std::string_view name) {
  LIAISON_ASSIGN_OR_RETURN(Fd fd, open_for_reading(package_path));
  LIAISON_ASSIGN_OR_RETURN(Layout layout, read_layout(fd.get(), package_path));
  const Statement& st = layout.info.statement;
  bool by_index = !name.empty() && std::all_of(name.begin(), name.end(),
                                               [](char c) { return c >= '0' && c <= '9'; });
  // No package has ten million items, so longer numbers name none.
  std::uint64_t wanted = by_index && name.size() <= 7 ? std::stoull(std::string(name)) : kMaxItems;
  LineReader lines(fd.get(), layout.item_lines_offset, layout.info.items_offset, package_path);
  for (std::uint64_t i = 0; i < st.item_count; ++i) {
    LIAISON_ASSIGN_OR_RETURN(std::string line, lines.next(kMaxItemLine, item_path(i)));
    LIAISON_ASSIGN_OR_RETURN(Item item, decode_item(line, i, item_path(i)));
    if (by_index ? i == wanted : item.name == name) return item;
  }
  if (by_index) {
    return Error::not_found("the package has no item " + std::string(name) + " (it has " +
                            std::to_string(st.item_count) + " items)");
  }
  return Error::not_found("the package has no item named " + std::string(name));
}

}  // namespace liaison::evidence
