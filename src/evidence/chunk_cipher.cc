#include "evidence/chunk_cipher.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "evidence/format.h"
#include "trust/init.h"

namespace liaison::evidence {

namespace {

// Failures below mean OpenSSL itself is broken (out of memory, a missing
// provider); nothing sealed or opened could then be trusted.
void check(int rc) {
  if (rc != 1) std::abort();
}

const EVP_CIPHER* aes_gcm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (cipher == nullptr) std::abort();
  return cipher;
}

EVP_KDF* hkdf() {
  static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) std::abort();
  return kdf;
}

// BE88(chunk) || flag.
std::array<unsigned char, 12> gcm_nonce(std::uint64_t chunk, bool last) {
  std::array<unsigned char, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<unsigned char>(chunk >> (8 * i));
  nonce[11] = last ? 1 : 0;
  return nonce;
}

CipherCtx new_gcm_context() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) std::abort();
  return ctx;
}

}  // namespace

Aead preferred_aead() {
  trust::init();
  return crypto_aead_aes256gcm_is_available() != 0 ? Aead::kAes256Gcm : Aead::kXChaCha20Poly1305;
}

void CipherCtxFree::operator()(evp_cipher_ctx_st* ctx) const { EVP_CIPHER_CTX_free(ctx); }

void derive_item_key(std::string_view package_key, std::string_view package_id_bytes,
                     std::uint64_t index, ItemKey& out) {
  std::string info(kItemKeyInfo);
  for (int i = 7; i >= 0; --i) info += static_cast<char>(index >> (8 * i));
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(hkdf()),
                                                                &EVP_KDF_CTX_free);
  if (!ctx) std::abort();
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(package_key.data()),
                                        package_key.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SALT, const_cast<char*>(package_id_bytes.data()), package_id_bytes.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
      OSSL_PARAM_construct_end()};
  check(EVP_KDF_derive(ctx.get(), out.data(), ItemKey::size(), params));
}

ChunkSealer::ChunkSealer(Aead aead) : aead_(aead) {
  trust::init();
  if (aead_ == Aead::kAes256Gcm) gcm_ = new_gcm_context();
}

void ChunkSealer::begin(const ItemKey& key, unsigned char* prefix,
                        const unsigned char* fixed_header) {
  next_chunk_ = 0;
  if (aead_ == Aead::kAes256Gcm) {
    check(EVP_EncryptInit_ex(gcm_.get(), aes_gcm(), nullptr, key.data(), nullptr));
  } else if (fixed_header == nullptr) {
    crypto_secretstream_xchacha20poly1305_init_push(&stream_, prefix, key.data());
  } else {
    // init_push is init_pull from a random header: both derive the same
    // state from header and key, so pulling's set-up gives a pushing state
    // for a header of our choosing.
    std::copy_n(fixed_header, kStreamHeaderBytes, prefix);
    crypto_secretstream_xchacha20poly1305_init_pull(&stream_, prefix, key.data());
  }
}

void ChunkSealer::seal_at(std::uint64_t chunk, const unsigned char* in, std::size_t size, bool last,
                          unsigned char* out) {
  auto nonce = gcm_nonce(chunk, last);
  // Only the nonce changes: the key schedule stays in the context.
  check(EVP_EncryptInit_ex(gcm_.get(), nullptr, nullptr, nullptr, nonce.data()));
  int len = 0;
  if (size != 0) check(EVP_EncryptUpdate(gcm_.get(), out, &len, in, static_cast<int>(size)));
  int tail = 0;
  check(EVP_EncryptFinal_ex(gcm_.get(), out + len, &tail));
  check(EVP_CIPHER_CTX_ctrl(gcm_.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, out + size));
}

void ChunkSealer::seal(const unsigned char* in, std::size_t size, bool last, unsigned char* out) {
  std::uint64_t chunk = next_chunk_++;
  if (aead_ == Aead::kAes256Gcm) {
    seal_at(chunk, in, size, last, out);
    return;
  }
  unsigned char tag = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                           : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  if (crypto_secretstream_xchacha20poly1305_push(&stream_, out, nullptr, in, size, nullptr, 0,
                                                 tag) != 0) {
    std::abort();
  }
}

ChunkOpener::ChunkOpener(Aead aead) : aead_(aead) {
  trust::init();
  if (aead_ == Aead::kAes256Gcm) gcm_ = new_gcm_context();
}

void ChunkOpener::begin(const ItemKey& key, const unsigned char* prefix, std::uint64_t chunks) {
  next_chunk_ = 0;
  chunks_ = chunks;
  if (aead_ == Aead::kAes256Gcm) {
    check(EVP_DecryptInit_ex(gcm_.get(), aes_gcm(), nullptr, key.data(), nullptr));
  } else {
    // Only fails for a key of the wrong size, which ItemKey cannot be; a
    // forged header shows when the first chunk fails to authenticate.
    crypto_secretstream_xchacha20poly1305_init_pull(&stream_, prefix, key.data());
  }
}

bool ChunkOpener::gcm_open_at(const unsigned char* in, std::size_t size, std::uint64_t chunk,
                              bool last, unsigned char* out) {
  if (size < kGcmTagBytes) return false;
  std::size_t plain = size - kGcmTagBytes;
  auto nonce = gcm_nonce(chunk, last);
  check(EVP_DecryptInit_ex(gcm_.get(), nullptr, nullptr, nullptr, nonce.data()));
  int len = 0;
  if (plain != 0) check(EVP_DecryptUpdate(gcm_.get(), out, &len, in, static_cast<int>(plain)));
  // The tag is only read, but OpenSSL's interface takes a mutable pointer.
  check(EVP_CIPHER_CTX_ctrl(gcm_.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes,
                            const_cast<unsigned char*>(in + plain)));
  int tail = 0;
  return EVP_DecryptFinal_ex(gcm_.get(), out + len, &tail) > 0;
}

std::optional<ChunkFailure> ChunkOpener::open(const unsigned char* in, std::size_t size,
                                              unsigned char* out) {
  std::uint64_t chunk = next_chunk_++;
  bool last = chunk + 1 == chunks_;
  if (aead_ == Aead::kAes256Gcm) return open_at(chunk, in, size, out);
  unsigned char tag = 0;
  if (size < kStreamChunkOverhead || crypto_secretstream_xchacha20poly1305_pull(
                                         &stream_, out, nullptr, &tag, in, size, nullptr, 0) != 0) {
    return ChunkFailure{
        "does not authenticate: its bytes were altered, chunks of this item were reordered, "
        "dropped or repeated before it, or it comes from another item or package"};
  }
  bool marked_last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  if (marked_last && !last) {
    return ChunkFailure{
        "authenticates, but is marked as the item's last chunk while the manifest "
        "gives the item more chunks"};
  }
  if (!marked_last && last) {
    return ChunkFailure{
        "authenticates, but is not marked as the item's last chunk: the item "
        "continues beyond the size the manifest gives"};
  }
  return std::nullopt;
}

std::optional<ChunkFailure> ChunkOpener::open_at(std::uint64_t chunk, const unsigned char* in,
                                                 std::size_t size, unsigned char* out) {
  if (gcm_open_at(in, size, chunk, chunk + 1 == chunks_, out)) return std::nullopt;
  return diagnose_gcm(chunk, in, size, out);
}

// Only called once a chunk has failed, so it may afford to try other
// positions of the item: a chunk that authenticates at one of them was
// certainly moved within the item; one that authenticates nowhere was altered
// or comes from another item or package (which its key cannot tell apart).
ChunkFailure ChunkOpener::diagnose_gcm(std::uint64_t chunk, const unsigned char* in,
                                       std::size_t size, unsigned char* out) {
  bool last = chunk + 1 == chunks_;
  if (gcm_open_at(in, size, chunk, !last, out)) {
    return ChunkFailure{last
                            ? "authenticates, but is not marked as the item's last chunk: the item "
                              "continues beyond the size the manifest gives"
                            : "authenticates, but is marked as the item's last chunk while the "
                              "manifest gives the item more chunks"};
  }
  // Bound the search to about 64 MiB of trial decryption.
  std::uint64_t budget =
      std::clamp<std::uint64_t>((std::uint64_t{64} << 20) / (size + 1), 16, 4096);
  std::uint64_t tried = std::min(chunks_, budget);
  for (std::uint64_t j = 0; j < tried; ++j) {
    if (j == chunk) continue;
    if (gcm_open_at(in, size, j, j + 1 == chunks_, out)) {
      return ChunkFailure{"is chunk " + std::to_string(j) +
                          " of this item, out of place: the item's chunks were reordered"};
    }
  }
  std::string searched = tried == chunks_
                             ? "any position of this item"
                             : "any of the item's first " + std::to_string(tried) + " positions";
  return ChunkFailure{"does not authenticate at " + searched +
                      ": its bytes were altered, or it comes from another item or package"};
}

}  // namespace liaison::evidence
