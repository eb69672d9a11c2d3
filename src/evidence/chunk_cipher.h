// The encryption of items in chunks (docs/evidence-format.md §5).
//
// Every item has its own key, derived from the package key with HKDF-SHA256,
// and is encrypted as a sequence of chunks whose position, and whether each is
// the last, are bound into its authentication: AES-256-GCM with the chunk
// number and a last-chunk flag as the nonce, or a libsodium secretstream
// whose state carries the position and whose final tag marks the end. A
// sealer or opener handles one item at a time and is reused from item to
// item, so its cipher context is set up once per thread.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "evidence/package.h"

struct evp_cipher_ctx_st;

namespace liaison::evidence {

// A 32-byte key, wiped when it goes.
class ItemKey {
 public:
  ItemKey() = default;
  ~ItemKey() { sodium_memzero(bytes_, sizeof bytes_); }
  ItemKey(const ItemKey&) = delete;
  ItemKey& operator=(const ItemKey&) = delete;

  const unsigned char* data() const { return bytes_; }
  unsigned char* data() { return bytes_; }
  static constexpr std::size_t size() { return 32; }

 private:
  unsigned char bytes_[32] = {};
};

// K_i = HKDF-SHA256(package key, salt = package id, info = "… item" || BE64(i)).
void derive_item_key(std::string_view package_key, std::string_view package_id_bytes,
                     std::uint64_t index, ItemKey& out);

struct CipherCtxFree {
  void operator()(evp_cipher_ctx_st* ctx) const;
};
using CipherCtx = std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree>;

class ChunkSealer {
 public:
  explicit ChunkSealer(Aead aead);

  // Starts an item. Writes item_prefix_bytes(aead) bytes (the secretstream
  // header; nothing for GCM) to `prefix`: a random header, or for test
  // vectors the 24 bytes at `fixed_header`.
  void begin(const ItemKey& key, unsigned char* prefix,
             const unsigned char* fixed_header = nullptr);
  // Encrypts the next chunk: `size` bytes from `in` to `size` +
  // chunk_overhead(aead) bytes at `out`, which must not overlap `in`.
  void seal(const unsigned char* in, std::size_t size, bool last, unsigned char* out);
  // AES-256-GCM only: encrypts chunk number `chunk` of the item, in any
  // order, so that two threads can share an item's chunks.
  void seal_at(std::uint64_t chunk, const unsigned char* in, std::size_t size, bool last,
               unsigned char* out);

 private:
  Aead aead_;
  CipherCtx gcm_;
  std::uint64_t next_chunk_ = 0;
  crypto_secretstream_xchacha20poly1305_state stream_{};
};

// Why a chunk did not open. What the cryptography can tell apart: a chunk
// that authenticates nowhere (altered, or from another item or package), one
// that belongs elsewhere in this item (reordered), and one whose last-chunk
// mark disagrees with the manifest.
struct ChunkFailure {
  std::string reason;
};

class ChunkOpener {
 public:
  explicit ChunkOpener(Aead aead);

  // Starts an item whose chunk count is `chunks`; `prefix` is its
  // item_prefix_bytes(aead) bytes.
  void begin(const ItemKey& key, const unsigned char* prefix, std::uint64_t chunks);
  // Decrypts and authenticates the next chunk of `size` ciphertext bytes
  // (tag included) into `out`. Nothing written to `out` may be used unless
  // this returns nullopt.
  std::optional<ChunkFailure> open(const unsigned char* in, std::size_t size, unsigned char* out);
  // AES-256-GCM only: decrypts and authenticates chunk number `chunk` of the
  // item, in any order, so that two threads can share an item's chunks.
  std::optional<ChunkFailure> open_at(std::uint64_t chunk, const unsigned char* in,
                                      std::size_t size, unsigned char* out);

 private:
  bool gcm_open_at(const unsigned char* in, std::size_t size, std::uint64_t chunk, bool last,
                   unsigned char* out);
  ChunkFailure diagnose_gcm(std::uint64_t chunk, const unsigned char* in, std::size_t size,
                            unsigned char* out);

  Aead aead_;
  CipherCtx gcm_;
  std::uint64_t next_chunk_ = 0;
  std::uint64_t chunks_ = 0;
  crypto_secretstream_xchacha20poly1305_state stream_{};
};

}  // namespace liaison::evidence
