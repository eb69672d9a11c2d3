#include "trust/totp.h"

#include <liboath/oath.h>
#include <sodium.h>

#include "trust/base32.h"
#include "trust/encoding.h"
#include "trust/oath.h"

namespace liaison::trust {

namespace {

// liboath asks its callback whether a candidate code equals the one given;
// comparing in constant time keeps the answer's timing from leaking digits.
int constant_time_strcmp(void* handle, const char* candidate) {
  const auto* code = static_cast<const std::string*>(handle);
  std::string_view c(candidate);
  return c.size() == code->size() && sodium_memcmp(c.data(), code->data(), c.size()) == 0 ? 0 : 1;
}

}  // namespace

std::string new_totp_secret() { return random_bytes(kTotpSecretBytes); }

std::string totp_uri(std::string_view secret, std::string_view email) {
  // RFC 3986 unreserved characters stay; everything else, the '@' and the
  // ':' that would split the label included, is percent-encoded.
  auto encode = [](std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0x0f];
      }
    }
    return out;
  };
  return "otpauth://totp/Liaison:" + encode(email) + "?secret=" + base32_encode(secret) +
         "&issuer=Liaison&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

std::int64_t totp_step(std::int64_t unix_seconds) {
  std::int64_t step = unix_seconds / kTotpStepSeconds;
  return unix_seconds < 0 && unix_seconds % kTotpStepSeconds != 0 ? step - 1 : step;
}

std::string totp_code(std::string_view secret, std::int64_t unix_seconds, unsigned digits) {
  init_oath();
  char out[16] = {};
  if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(unix_seconds),
                         kTotpStepSeconds, OATH_TOTP_DEFAULT_START_TIME, digits, out) != OATH_OK) {
    return "";
  }
  return out;
}

std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code,
                                       std::int64_t unix_seconds, unsigned window) {
  init_oath();
  if (code.size() != kTotpDigits) return std::nullopt;
  for (char ch : code) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  std::string given(code);
  int position = 0;
  std::uint64_t counter = 0;
  int rc =
      oath_totp_validate3_callback(secret.data(), secret.size(), static_cast<time_t>(unix_seconds),
                                   kTotpStepSeconds, OATH_TOTP_DEFAULT_START_TIME, kTotpDigits,
                                   window, &position, &counter, constant_time_strcmp, &given);
  if (rc < 0) return std::nullopt;
  return static_cast<std::int64_t>(counter);
}

}  // namespace liaison::trust
