#include "trust/recovery_codes.h"

#include "trust/base32.h"
#include "trust/encoding.h"

namespace liaison::trust {

namespace {
constexpr std::size_t kCodeBytes = 10;  // 80 bits: sixteen base32 characters exactly
constexpr std::size_t kCodeCharacters = 16;
}  // namespace

std::vector<std::string> new_recovery_codes() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kRecoveryCodeCount; ++i) {
    std::string plain = base32_encode(random_bytes(kCodeBytes));
    std::string shown;
    for (std::size_t k = 0; k < plain.size(); ++k) {
      if (k > 0 && k % 4 == 0) shown += '-';
      shown += plain[k];
    }
    out.push_back(std::move(shown));
  }
  return out;
}

std::optional<std::string> normalise_recovery_code(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    if (ch == '-' || ch == ' ' || ch == '\t') continue;
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    bool base32 = (ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7');
    if (!base32 || out.size() == kCodeCharacters) return std::nullopt;
    out += ch;
  }
  if (out.size() != kCodeCharacters) return std::nullopt;
  return out;
}

std::optional<std::string> recovery_code_hash(std::string_view typed) {
  auto canonical = normalise_recovery_code(typed);
  if (!canonical) return std::nullopt;
  return hex_encode(sha256(*canonical));
}

}  // namespace liaison::trust
