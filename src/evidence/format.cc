#include "evidence/format.h"

#include <array>

#include "core/uuid.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

namespace fields = trust::fields;

const char* aead_name(Aead aead) {
  return aead == Aead::kXChaCha20Poly1305 ? "xchacha20poly1305" : "aes-256-gcm";
}

std::optional<Aead> aead_from_name(std::string_view name) {
  if (name == "aes-256-gcm") return Aead::kAes256Gcm;
  if (name == "xchacha20poly1305") return Aead::kXChaCha20Poly1305;
  return std::nullopt;
}

std::string encode_header(const Header& header) {
  std::string out;
  out.reserve(header.encoded_size());
  out += kMagic;
  out += static_cast<char>(header.aead);
  out += static_cast<char>(header.chunk_log2);
  out += header.package_id;
  out += static_cast<char>(header.stanzas.size() >> 8);
  out += static_cast<char>(header.stanzas.size() & 0xff);
  for (const Stanza& s : header.stanzas) {
    out += s.key_id;
    out += s.sealed_box;
  }
  return out;
}

Result<Header> decode_fixed_header(std::string_view fixed) {
  if (fixed.size() < kFixedHeaderBytes) {
    return fields::bad("header", "truncated: the file has " + std::to_string(fixed.size()) +
                                     " bytes, fewer than the header's fixed " +
                                     std::to_string(kFixedHeaderBytes));
  }
  if (fixed.substr(0, kMagic.size()) != kMagic) {
    return fields::bad("header/magic", "not an evidence package (bytes 0-19 are not \"" +
                                           std::string(kMagic.substr(0, kMagic.size() - 1)) +
                                           "\" and a newline)");
  }
  Header h;
  auto aead = static_cast<std::uint8_t>(fixed[20]);
  if (aead != static_cast<std::uint8_t>(Aead::kAes256Gcm) &&
      aead != static_cast<std::uint8_t>(Aead::kXChaCha20Poly1305)) {
    return fields::bad("header/aead", "unknown AEAD " + std::to_string(aead) +
                                          " at byte 20 (1 is AES-256-GCM, 2 XChaCha20-Poly1305)");
  }
  h.aead = static_cast<Aead>(aead);
  int log2 = static_cast<std::uint8_t>(fixed[21]);
  if (log2 < kMinChunkLog2 || log2 > kMaxChunkLog2) {
    return fields::bad("header/chunk_size", "chunk size 2^" + std::to_string(log2) +
                                                " at byte 21 is outside 2^10 to 2^24");
  }
  h.chunk_log2 = log2;
  h.package_id = std::string(fixed.substr(22, kPackageIdBytes));
  std::size_t count = (static_cast<std::size_t>(static_cast<std::uint8_t>(fixed[38])) << 8) |
                      static_cast<std::uint8_t>(fixed[39]);
  if (count < 1 || count > kMaxRecipients) {
    return fields::bad("header/recipients", std::to_string(count) +
                                                " recipients at bytes 38-39; there must be 1 to " +
                                                std::to_string(kMaxRecipients));
  }
  h.stanzas.resize(count);
  return h;
}

Status decode_stanzas(std::string_view bytes, Header& header) {
  if (bytes.size() != kStanzaBytes * header.stanzas.size()) {
    return fields::bad("header/recipients",
                       "truncated: " + std::to_string(header.stanzas.size()) + " stanzas need " +
                           std::to_string(kStanzaBytes * header.stanzas.size()) +
                           " bytes after byte 40, the file has " + std::to_string(bytes.size()));
  }
  for (std::size_t i = 0; i < header.stanzas.size(); ++i) {
    std::string_view s = bytes.substr(i * kStanzaBytes, kStanzaBytes);
    header.stanzas[i].key_id = std::string(s.substr(0, kKeyIdBytes));
    header.stanzas[i].sealed_box = std::string(s.substr(kKeyIdBytes));
  }
  return Ok{};
}

Result<std::string> uuid_bytes(std::string_view uuid, const std::string& field) {
  auto parsed = parse_uuid(uuid, field);
  if (!parsed.ok() || *parsed != uuid) {
    return fields::bad(field, "must be a UUID in lower case (8-4-4-4-12 hex digits)");
  }
  std::string out;
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    if (uuid[i] == '-') continue;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    out += static_cast<char>((nibble(uuid[i]) << 4) | nibble(uuid[i + 1]));
    ++i;
  }
  return out;
}

std::string uuid_text(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto b = static_cast<std::uint8_t>(bytes[i]);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::uint64_t chunk_count(std::uint64_t size, std::uint32_t chunk_size) {
  return size == 0 ? 1 : (size - 1) / chunk_size + 1;
}

std::size_t item_prefix_bytes(Aead aead) {
  return aead == Aead::kXChaCha20Poly1305 ? kStreamHeaderBytes : 0;
}

std::size_t chunk_overhead(Aead aead) {
  return aead == Aead::kXChaCha20Poly1305 ? kStreamChunkOverhead : kGcmTagBytes;
}

std::uint64_t item_ciphertext_size(Aead aead, std::uint32_t chunk_size, std::uint64_t size) {
  return item_prefix_bytes(aead) + size + chunk_overhead(aead) * chunk_count(size, chunk_size);
}

}  // namespace liaison::evidence
