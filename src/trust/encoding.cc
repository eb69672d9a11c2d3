#include "trust/encoding.h"

#include <openssl/sha.h>
#include <sodium.h>

#include "trust/init.h"

namespace liaison::trust {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(out.find('\0'));
  return out;
}

Result<std::string> base64url_decode(std::string_view text, const std::string& field,
                                     std::size_t expected_size) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, kVariant) != 0 ||
      end != text.data() + text.size()) {
    return Error::invalid(field, "is not base64url without padding");
  }
  out.resize(len);
  if (expected_size != 0 && len != expected_size) {
    return Error::invalid(field, "must decode to " + std::to_string(expected_size) +
                                     " bytes, not " + std::to_string(len));
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
  }
  return out;
}

bool is_lower_hex(std::string_view text, std::size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string sha256(std::string_view data) {
  std::string md(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(md.data()));
  return md;
}

std::string random_bytes(std::size_t n) {
  init();
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace liaison::trust
