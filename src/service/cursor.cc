#include "service/cursor.h"

#include <sodium.h>

#include <charconv>

namespace liaison {

std::string encode_cursor(std::int64_t seq) {
  std::string raw = "s" + std::to_string(seq);
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

Result<std::int64_t> decode_cursor(const std::string& cursor) {
  std::string raw(cursor.size(), '\0');
  std::size_t len = 0;
  Error bad = Error::invalid("cursor", "is not a cursor this hub issued");
  if (cursor.empty() || cursor.size() > 64 ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), cursor.data(),
                        cursor.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return bad;
  }
  raw.resize(len);
  std::int64_t seq = 0;
  if (raw.size() < 2 || raw[0] != 's') return bad;
  auto [ptr, ec] = std::from_chars(raw.data() + 1, raw.data() + raw.size(), seq);
  if (ec != std::errc() || ptr != raw.data() + raw.size() || seq <= 0) return bad;
  return seq;
}

}  // namespace liaison
