// The fixed parts of the evidence format (docs/evidence-format.md §1, §3, §5):
// its constants and limits, the binary header, and the arithmetic that says
// where every chunk of every item lies. Everything a reader needs to find its
// way through a package before it decrypts anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "evidence/package.h"

namespace liaison::evidence {

inline constexpr std::string_view kMagic = "liaison-evidence/v1\n";
inline constexpr std::string_view kRegistrationMagic = "liaison-evidence-registration/v1\n";
inline constexpr std::string_view kExhibitMagic = "liaison-exhibit/v1\n";
// What the statement's signature is over, before the statement itself.
inline constexpr std::string_view kSignatureContext{"liaison-evidence-v1\0", 20};
inline constexpr std::string_view kItemKeyInfo = "liaison-evidence-v1 item";

inline constexpr std::size_t kFixedHeaderBytes = 40;  // magic, AEAD, chunk size, id, count
inline constexpr std::size_t kPackageIdBytes = 16;
inline constexpr std::size_t kKeyIdBytes = 16;
inline constexpr std::size_t kSealedBoxBytes = 80;
inline constexpr std::size_t kStanzaBytes = kKeyIdBytes + kSealedBoxBytes;
inline constexpr std::size_t kPackageKeyBytes = 32;
inline constexpr std::size_t kMaxRecipients = 64;

inline constexpr int kMinChunkLog2 = 10;
inline constexpr int kMaxChunkLog2 = 24;

inline constexpr std::size_t kMaxStatementLine = std::size_t{256} << 10;
inline constexpr std::size_t kMaxItemLine = std::size_t{16} << 10;
inline constexpr std::size_t kMaxSignatureLine = std::size_t{256} << 10;
// Not in the format's limits: a receipt holds a checkpoint note and a path of
// at most 64 hashes, far below this.
inline constexpr std::size_t kMaxReceiptLine = std::size_t{256} << 10;
// An exhibit's proof line: at most 64 hashes of 64 hex digits and a little.
inline constexpr std::size_t kMaxProofLine = std::size_t{8} << 10;

inline constexpr std::uint64_t kMaxItems = 1'000'000;
inline constexpr std::uint64_t kMaxItemSize = (std::uint64_t{1} << 53) - 1;

// Per-chunk and per-item ciphertext overheads of each AEAD.
inline constexpr std::size_t kGcmTagBytes = 16;
inline constexpr std::size_t kStreamHeaderBytes = 24;
inline constexpr std::size_t kStreamChunkOverhead = 17;

// One recipient stanza: the recipient key's id (16 raw bytes) and the sealed
// package key.
struct Stanza {
  std::string key_id;      // 16 raw bytes; hex_encode gives the certificate's key id
  std::string sealed_box;  // 80 bytes
};

struct Header {
  Aead aead = Aead::kAes256Gcm;
  int chunk_log2 = 16;
  std::string package_id;  // 16 raw bytes
  std::vector<Stanza> stanzas;

  std::uint32_t chunk_size() const { return std::uint32_t{1} << chunk_log2; }
  std::uint64_t encoded_size() const { return kFixedHeaderBytes + kStanzaBytes * stanzas.size(); }
};

std::string encode_header(const Header& header);

// Decodes the 40 fixed bytes. Returns the header with the recipient count's
// worth of empty stanzas, for decode_stanzas to fill once the caller has read
// them; refusals name "header/magic", "header/aead", "header/chunk_size" or
// "header/recipients".
Result<Header> decode_fixed_header(std::string_view fixed);
// Fills the stanzas from exactly 96 × count bytes.
Status decode_stanzas(std::string_view bytes, Header& header);

// The 16 bytes of a canonical lower-case UUID, and back.
Result<std::string> uuid_bytes(std::string_view uuid, const std::string& field);
std::string uuid_text(std::string_view bytes);

// k = max(1, ceil(size / chunk_size)).
std::uint64_t chunk_count(std::uint64_t size, std::uint32_t chunk_size);
// Bytes an item of `size` takes in the package.
std::uint64_t item_ciphertext_size(Aead aead, std::uint32_t chunk_size, std::uint64_t size);
// Bytes before the first chunk (the secretstream header), and after each
// chunk's plaintext (the tag).
std::size_t item_prefix_bytes(Aead aead);
std::size_t chunk_overhead(Aead aead);

}  // namespace liaison::evidence
