#include "core/uuid.h"

#include <sodium.h>

#include <cctype>

namespace liaison {

Result<std::string> parse_uuid(std::string_view text, std::string_view field) {
  if (text.size() != 36) {
    return Error::invalid(std::string(field),
                          "not a UUID: expected 36 characters like "
                          "3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f");
  }
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    bool hyphen_pos = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen_pos) {
      if (out[i] != '-') return Error::invalid(std::string(field), "not a UUID: misplaced hyphen");
    } else if (!std::isxdigit(static_cast<unsigned char>(out[i]))) {
      return Error::invalid(std::string(field), "not a UUID: non-hexadecimal character");
    } else {
      out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    }
  }
  return out;
}

namespace {
std::string format_uuid(const std::array<std::uint8_t, 16>& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0f];
  }
  return out;
}
}  // namespace

std::string uuid_v7_from(std::uint64_t unix_ms, const std::array<std::uint8_t, 16>& random) {
  auto b = random;
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(unix_ms >> (8 * (5 - i)));
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x70);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  return format_uuid(b);
}

std::string uuid_v4_from_bytes(const std::array<std::uint8_t, 16>& random) {
  auto b = random;
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  return format_uuid(b);
}

std::string uuid_from_seed(std::string_view seed) {
  std::array<std::uint8_t, 16> bytes{};
  crypto_generichash(bytes.data(), bytes.size(),
                     reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), nullptr, 0);
  return uuid_v4_from_bytes(bytes);
}

}  // namespace liaison
