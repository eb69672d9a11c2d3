// Sealing packages (docs/evidence-format.md). One pass over the inputs: the
// manifest's space is reserved (every value in it has a length known before
// any item is read), the items are encrypted after it while a second thread
// hashes them and writes their lines, and the statement and its signature
// fill the front once the Merkle root is known.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/uuid.h"
#include "evidence/chunk_cipher.h"
#include "evidence/digest.h"
#include "evidence/file.h"
#include "evidence/format.h"
#include "evidence/manifest.h"
#include "evidence/pipeline.h"
#include "evidence/recipients.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

namespace fields = trust::fields;

namespace {

constexpr std::size_t kBlockBytes = 4 << 20;
constexpr std::size_t kLineFlushBytes = 1 << 20;
const std::string kZeroHash(64, '0');

std::string input_path(std::size_t i) { return "inputs/" + std::to_string(i); }

Status check_signer(const trust::SecretKey& key, const std::vector<trust::Certificate>& chain) {
  if (chain.size() != 2) {
    return fields::bad("signer_chain",
                       "must be the signer's user certificate and its organisation's certificate");
  }
  const trust::Certificate& user = chain[0];
  const trust::Certificate& org = chain[1];
  if (user.kind != trust::CertKind::kUser || !user.organisation) {
    return fields::bad("signer_chain/0", "must be a user certificate, not " +
                                             std::string(trust::cert_kind_name(user.kind)));
  }
  if (user.public_key != key.public_key()) {
    return fields::bad("signer_chain/0", "certifies key " + user.key_id() +
                                             ", not the signing key " + key.public_key().key_id());
  }
  if (org.kind != trust::CertKind::kOrganisation || !org.organisation ||
      *org.organisation != *user.organisation || user.issuer_key_id != org.key_id()) {
    return fields::bad("signer_chain/1",
                       "must be the certificate of the organisation that issued signer_chain/0");
  }
  return Ok{};
}

struct NameKey {
  ledger::Hash hash;
  std::size_t index;
};

Status check_inputs(const std::vector<SealInput>& inputs) {
  if (inputs.empty() || inputs.size() > kMaxItems) {
    return fields::bad(
        "inputs", "a package holds 1 to 1,000,000 items, not " + std::to_string(inputs.size()));
  }
  std::vector<NameKey> names;
  names.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const SealInput& in = inputs[i];
    LIAISON_TRY(validate_name(in.name, input_path(i) + "/name"));
    LIAISON_TRY(validate_media_type(in.media_type, input_path(i) + "/media_type"));
    LIAISON_TRY(validate_description(in.description, input_path(i) + "/description"));
    names.push_back({Sha256::of(in.name), i});
  }
  std::sort(names.begin(), names.end(), [](const NameKey& a, const NameKey& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.index < b.index;
  });
  for (std::size_t k = 1; k < names.size(); ++k) {
    if (names[k].hash == names[k - 1].hash) {
      return fields::bad(input_path(names[k].index) + "/name",
                         "is the name of inputs/" + std::to_string(names[k - 1].index) +
                             " again; names are unique within a package");
    }
  }
  return Ok{};
}

Result<std::vector<std::uint64_t>> input_sizes(const std::vector<SealInput>& inputs) {
  std::vector<std::uint64_t> sizes;
  sizes.reserve(inputs.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    struct stat st {};
    if (::stat(inputs[i].path.c_str(), &st) != 0) {
      return io_error(input_path(i) + ": cannot stat " + inputs[i].path);
    }
    if (!S_ISREG(st.st_mode)) {
      return fields::bad(input_path(i) + "/path", inputs[i].path + " is not a regular file");
    }
    auto size = static_cast<std::uint64_t>(st.st_size);
    total += size;
    if (size > kMaxItemSize || total > kMaxItemSize) {
      return fields::bad(input_path(i) + "/path", "the items would hold more than 2^53 - 1 bytes");
    }
    sizes.push_back(size);
  }
  return sizes;
}

// Reads up to `size` bytes, fewer only at the end of the file.
Result<std::size_t> read_some(int fd, unsigned char* buf, std::size_t size,
                              const std::string& path) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, buf + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read " + path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

Item item_of(const SealInput& in, std::uint64_t index, std::uint64_t size, std::string sha256) {
  return Item{index, in.name, in.media_type, size, std::move(sha256), in.description};
}

// The GCM chunks of the block being sealed, which the writer shares with the
// reader whenever the reader would otherwise wait for a free block: then
// writing is the slower side (on a machine whose page cache is slow to grow,
// much slower), and the reader's spare time goes to encryption. GCM chunks
// are independent given their numbers; a secretstream's are not, so XChaCha
// items are sealed by the writer alone.
class SharedChunks {
 public:
  SharedChunks(std::uint32_t chunk, std::size_t overhead) : chunk_(chunk), overhead_(overhead) {}

  // The writer: seals every chunk of `b` into `out` with whatever help it
  // gets, and returns once all are done.
  void seal(const Block& b, const ItemKey& key, unsigned char* out, ChunkSealer& sealer,
            BlockRing& ring) {
    {
      std::lock_guard lock(mu_);
      block_ = &b;
      key_ = &key;
      out_ = out;
      chunks_ = b.size == 0 ? 1 : (b.size - 1) / chunk_ + 1;
      next_ = 0;
    }
    ring.wake_producer();
    seal_claimed(sealer);
    // Every chunk is claimed now, so no helper can start; wait for those
    // still sealing theirs.
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return helpers_ == 0; });
    block_ = nullptr;
  }

  // The reader, while it waits: seals chunks of the shared block, if any are
  // left; whether it sealed any.
  bool help(ChunkSealer& sealer) {
    {
      std::lock_guard lock(mu_);
      if (block_ == nullptr || next_ >= chunks_) return false;
      ++helpers_;
    }
    sealer.begin(*key_, nullptr);
    bool sealed = seal_claimed(sealer);
    {
      std::lock_guard lock(mu_);
      --helpers_;
    }
    idle_.notify_one();
    return sealed;
  }

 private:
  bool seal_claimed(ChunkSealer& sealer) {
    bool any = false;
    for (std::size_t k; (k = next_.fetch_add(1)) < chunks_; any = true) {
      std::size_t from = k * chunk_;
      std::size_t size = std::min<std::size_t>(chunk_, block_->size - from);
      sealer.seal_at(block_->first_chunk + k, block_->data.get() + from, size,
                     block_->item_ends && k + 1 == chunks_, out_ + k * (chunk_ + overhead_));
    }
    return any;
  }

  const std::size_t chunk_, overhead_;
  std::mutex mu_;
  std::condition_variable idle_;
  // Set under mu_ before helpers may start, and kept until they are done.
  const Block* block_ = nullptr;
  const ItemKey* key_ = nullptr;
  unsigned char* out_ = nullptr;
  std::size_t chunks_ = 0;
  std::atomic<std::size_t> next_{0};
  int helpers_ = 0;
};

}  // namespace

Result<PackageInfo> seal_package(const std::vector<SealInput>& inputs,
                                 const std::vector<trust::Certificate>& recipients,
                                 const trust::SecretKey& signer_key,
                                 const std::vector<trust::Certificate>& signer_chain,
                                 const SealOptions& options, const std::string& out_path) {
  // Everything is checked before the output file exists.
  if (options.chunk_log2 < kMinChunkLog2 || options.chunk_log2 > kMaxChunkLog2) {
    return fields::bad("options/chunk_log2", "must be 10 to 24");
  }
  if (options.aead != Aead::kAes256Gcm && options.aead != Aead::kXChaCha20Poly1305) {
    return fields::bad("options/aead", "unknown AEAD");
  }
  LIAISON_TRY(uuid_bytes(options.request_id, "options/request_id"));
  LIAISON_TRY(validate_reference(options.reference, "options/reference"));
  std::string package_id = options.package_id;
  if (package_id.empty()) {
    std::string random = trust::random_bytes(16);
    std::array<std::uint8_t, 16> bytes{};
    std::copy(random.begin(), random.end(), bytes.begin());
    package_id = uuid_v4_from_bytes(bytes);
  }
  LIAISON_ASSIGN_OR_RETURN(std::string package_id_bytes,
                           uuid_bytes(package_id, "options/package_id"));
  if (!options.package_key.empty() && options.package_key.size() != kPackageKeyBytes) {
    return fields::bad("options/package_key", "must be 32 bytes");
  }
  PackageKey package_key(options.package_key.empty() ? trust::random_bytes(kPackageKeyBytes)
                                                     : options.package_key);
  LIAISON_TRY(check_signer(signer_key, signer_chain));
  LIAISON_TRY(check_inputs(inputs));
  LIAISON_ASSIGN_OR_RETURN(std::vector<std::uint64_t> sizes, input_sizes(inputs));
  LIAISON_ASSIGN_OR_RETURN(std::vector<Stanza> stanzas,
                           seal_stanzas(recipients, package_key, options.vector_seed));

  Header header;
  header.aead = options.aead;
  header.chunk_log2 = options.chunk_log2;
  header.package_id = package_id_bytes;
  header.stanzas = std::move(stanzas);
  const std::string header_bytes = encode_header(header);
  const std::uint32_t chunk = header.chunk_size();

  PackageInfo info;
  Statement& st = info.statement;
  st.package_id = package_id;
  st.request_id = options.request_id;
  st.reference = options.reference;
  st.producer = *signer_chain[0].organisation;
  st.producer.kind = OrgKind::kProvider;
  st.created_at = options.created_at.floor_seconds();
  st.aead = options.aead;
  st.chunk_size = chunk;
  st.header_sha256 = ledger::to_hex(Sha256::of(header_bytes));
  for (const trust::Certificate& r : recipients) {
    trust::OrgRef org = *r.organisation;
    org.kind = OrgKind::kAuthority;
    st.recipients.push_back({r.key_id(), r.subject_name, org});
  }
  st.item_count = inputs.size();
  for (std::uint64_t s : sizes) st.total_size += s;
  st.merkle_root = kZeroHash;
  st.signer_key_id = signer_key.public_key().key_id();
  info.signature.key_id = st.signer_key_id;
  info.signature.signature = std::string(trust::kSignatureBytes, '\0');
  info.signature.certificates = signer_chain;

  // The manifest's length, from lines with placeholder hashes and signature
  // of the same lengths as the real ones.
  LIAISON_ASSIGN_OR_RETURN(std::string statement_line, encode_statement(st));
  std::uint64_t item_lines_bytes = 0, ciphertext_bytes = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    LIAISON_ASSIGN_OR_RETURN(std::string line,
                             encode_item(item_of(inputs[i], i, sizes[i], kZeroHash)));
    item_lines_bytes += line.size() + 1;
    ciphertext_bytes += item_ciphertext_size(st.aead, chunk, sizes[i]);
  }
  LIAISON_ASSIGN_OR_RETURN(std::string signature_line, encode_signature(info.signature));
  info.header_bytes = header_bytes.size();
  const std::uint64_t item_lines_offset = info.header_bytes + statement_line.size() + 1;
  const std::uint64_t signature_offset = item_lines_offset + item_lines_bytes;
  info.items_offset = signature_offset + signature_line.size() + 1;
  info.package_bytes = info.file_bytes = info.items_offset + ciphertext_bytes;

  LIAISON_ASSIGN_OR_RETURN(NewFile out, NewFile::create(out_path));
  LIAISON_TRY(write_at(out.fd(), header_bytes.data(), header_bytes.size(), 0, out_path));

  // A second thread reads each input, hands each block on to be encrypted
  // and written here, and meanwhile hashes it; once an item is hashed it
  // writes the item's line into the reserved space and folds its leaf into
  // the tree, in order.
  const std::size_t block_bytes = std::max<std::size_t>(kBlockBytes, chunk);
  BlockRing ring(block_bytes > kBlockBytes ? 2 : 4, block_bytes);
  ledger::CompactTree tree;
  std::uint64_t lines_written_to = item_lines_offset;
  const std::size_t overhead = chunk_overhead(st.aead);
  SharedChunks shared(chunk, overhead);
  auto read_and_hash = [&]() -> Status {
    Sha256 sha;
    ChunkSealer helper(st.aead);
    std::function<bool()> help;
    if (st.aead == Aead::kAes256Gcm) help = [&] { return shared.help(helper); };
    std::string pending_lines;
    auto flush_lines = [&]() -> Status {
      LIAISON_TRY(write_at(out.fd(), pending_lines.data(), pending_lines.size(), lines_written_to,
                           out_path));
      lines_written_to += pending_lines.size();
      pending_lines.clear();
      return Ok{};
    };
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string& path = inputs[i].path;
      Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!in.ok()) return io_error(input_path(i) + ": cannot open " + path);
      ::posix_fadvise(in.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
      const std::uint64_t chunks = chunk_count(sizes[i], chunk);
      std::uint64_t remaining = sizes[i];
      for (std::uint64_t j = 0; j < chunks;) {
        std::uint64_t m = std::min<std::uint64_t>(block_bytes / chunk, chunks - j);
        std::size_t plain = static_cast<std::size_t>(std::min<std::uint64_t>(m * chunk, remaining));
        Block* b = ring.acquire(help);
        if (b == nullptr) return Ok{};  // the writer stopped, and says why
        LIAISON_ASSIGN_OR_RETURN(std::size_t got, read_some(in.get(), b->data.get(), plain, path));
        if (got != plain) {
          return fields::bad(input_path(i) + "/path",
                             path + " changed size while it was read: it was " +
                                 std::to_string(sizes[i]) + " bytes, and ended at byte " +
                                 std::to_string(sizes[i] - remaining + got));
        }
        b->item = i;
        b->item_begins = j == 0;
        b->item_ends = j + m == chunks;
        b->first_chunk = j;
        b->size = plain;
        ring.publish();
        sha.update(b->data.get(), plain);
        remaining -= plain;
        j += m;
      }
      struct stat after {};
      if (::fstat(in.get(), &after) != 0) return io_error("cannot stat " + path);
      if (static_cast<std::uint64_t>(after.st_size) != sizes[i]) {
        return fields::bad(input_path(i) + "/path",
                           path + " changed size while it was read: it was " +
                               std::to_string(sizes[i]) + " bytes, and is now " +
                               std::to_string(after.st_size));
      }
      LIAISON_ASSIGN_OR_RETURN(
          std::string line,
          encode_item(item_of(inputs[i], i, sizes[i], ledger::to_hex(sha.finish()))));
      tree.append(ledger::leaf_hash(line));
      pending_lines += line;
      pending_lines += '\n';
      if (pending_lines.size() >= kLineFlushBytes) LIAISON_TRY(flush_lines());
    }
    return flush_lines();
  };
  std::thread reader([&] {
    Status s = read_and_hash();
    if (s.ok()) {
      ring.close();
    } else {
      ring.stop(s.take_error());
    }
  });
  // Joins the reader on every way out, so nothing it uses goes first.
  struct Joiner {
    BlockRing& ring;
    std::thread& thread;
    ~Joiner() {
      if (thread.joinable()) {
        ring.stop(Error::internal("sealing was abandoned"));
        thread.join();
      }
    }
  } joiner{ring, reader};

  const std::size_t prefix = item_prefix_bytes(st.aead);
  auto sealed = std::make_unique_for_overwrite<unsigned char[]>(
      (block_bytes / chunk) * (chunk + overhead) + prefix);
  ChunkSealer sealer(st.aead);
  ItemKey key;
  std::uint64_t offset = info.items_offset, done = 0, reported = 0;
  while (Block* b = ring.take()) {
    std::size_t pending = 0;
    if (b->item_begins) {
      derive_item_key(package_key.bytes(), package_id_bytes, b->item, key);
      if (options.vector_seed.empty()) {
        sealer.begin(key, sealed.get());
      } else {
        std::string seed = options.vector_seed + "stream";
        for (int s = 7; s >= 0; --s) seed += static_cast<char>(b->item >> (8 * s));
        std::string header = trust::sha256(seed);
        sealer.begin(key, sealed.get(), reinterpret_cast<const unsigned char*>(header.data()));
      }
      pending = prefix;
    }
    // A block holds whole chunks, but for an item's last; an empty item has
    // one empty chunk.
    std::size_t chunks_here = b->size == 0 ? 1 : (b->size - 1) / chunk + 1;
    if (st.aead == Aead::kAes256Gcm) {
      shared.seal(*b, key, sealed.get() + pending, sealer, ring);
      pending += b->size + chunks_here * overhead;
    } else {
      std::size_t from = 0;
      for (std::size_t k = 0; k < chunks_here; ++k) {
        std::size_t size = std::min<std::size_t>(chunk, b->size - from);
        sealer.seal(b->data.get() + from, size, b->item_ends && k + 1 == chunks_here,
                    sealed.get() + pending);
        from += size;
        pending += size + overhead;
      }
    }
    done += b->size;
    ring.release(0);
    Status written = write_at(out.fd(), sealed.get(), pending, offset, out_path);
    if (!written.ok()) {
      ring.stop(written.take_error());
      break;
    }
    offset += pending;
    if (options.progress && done - reported >= (std::uint64_t{64} << 20)) {
      options.progress(done, st.total_size);
      reported = done;
    }
  }
  reader.join();
  LIAISON_TRY(ring.status());
  if (lines_written_to != signature_offset || offset != info.package_bytes) {
    return Error::internal("the manifest's reserved space does not match what was written");
  }

  st.merkle_root = ledger::to_hex(tree.root());
  LIAISON_ASSIGN_OR_RETURN(info.statement_line, encode_statement(st));
  info.statement_sha256 = ledger::to_hex(Sha256::of(info.statement_line));
  info.signature.signature = signer_key.sign(signing_input(info.statement_line));
  LIAISON_ASSIGN_OR_RETURN(signature_line, encode_signature(info.signature));
  if (info.statement_line.size() != statement_line.size() ||
      signature_offset + signature_line.size() + 1 != info.items_offset) {
    return Error::internal("the manifest's reserved space does not match what was written");
  }
  std::string front = info.statement_line + "\n";
  std::string back = signature_line + "\n";
  LIAISON_TRY(write_at(out.fd(), front.data(), front.size(), info.header_bytes, out_path));
  LIAISON_TRY(write_at(out.fd(), back.data(), back.size(), signature_offset, out_path));
  if (options.progress) options.progress(done, st.total_size);
  LIAISON_TRY(out.commit());
  return info;
}

}  // namespace liaison::evidence
