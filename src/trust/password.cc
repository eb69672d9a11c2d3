#include "trust/password.h"

#include <sodium.h>

#include <cctype>

namespace liaison::trust {

namespace {

void init_sodium() {
  static const int once = sodium_init();
  (void)once;
}

// Characters of valid UTF-8 text, or npos when it is not valid UTF-8
// (overlong forms, surrogates and values past U+10FFFF included).
std::size_t utf8_characters(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return std::string_view::npos;
    std::uint32_t cp = len == 1 ? c : c & (0xff >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return std::string_view::npos;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return std::string_view::npos;
    i += len;
  }
  return count;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

PasswordCost standard_password_cost() { return {3, std::size_t{64} << 20}; }

Result<PasswordCost> password_cost_from_name(std::string_view name, const std::string& field) {
  if (name == "standard") return standard_password_cost();
  if (name == "moderate")
    return PasswordCost{crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  if (name == "min") return PasswordCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  return Error::invalid(field, "must be standard, moderate or min");
}

Status check_new_password(std::string_view password, std::string_view email,
                          const std::string& field) {
  std::size_t n = utf8_characters(password);
  if (n == std::string_view::npos) return Error::invalid(field, "is not valid UTF-8");
  if (n < kMinPasswordCharacters) {
    return Error::invalid(
        field, "must be at least " + std::to_string(kMinPasswordCharacters) + " characters long");
  }
  if (n > kMaxPasswordCharacters) {
    return Error::invalid(
        field, "must be at most " + std::to_string(kMaxPasswordCharacters) + " characters long");
  }
  if (equal_ignoring_ascii_case(password, email))
    return Error::invalid(field, "must not be the account's e-mail address");
  return Ok{};
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost.opslimit, cost.memlimit) != 0)
    return Error::make(ErrorCode::kUnavailable, "not enough memory to hash the password");
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
  init_sodium();
  // Four bytes per character is the most UTF-8 needs; anything longer cannot
  // be a password this hub accepted, and need not cost a hash to refuse.
  if (password.size() > 4 * kMaxPasswordCharacters || hash.size() >= crypto_pwhash_STRBYTES)
    return false;
  std::string terminated(hash);  // libsodium reads up to the NUL
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view hash, PasswordCost cost) {
  init_sodium();
  std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost.opslimit, cost.memlimit) != 0;
}

}  // namespace liaison::trust
