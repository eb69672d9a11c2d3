// What a person types at login or enrolment: TOTP codes, recovery codes, new
// passwords and base32 secrets. None may crash; a recovery code that is
// accepted must hash the same in its canonical form, and a base32 secret must
// survive a round trip.
#include <cstdint>
#include <string>

#include "trust/base32.h"
#include "trust/password.h"
#include "trust/recovery_codes.h"
#include "trust/totp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)liaison::trust::totp_match("12345678901234567890", text, 1'800'000'000);
  if (auto canonical = liaison::trust::normalise_recovery_code(text)) {
    if (liaison::trust::recovery_code_hash(*canonical) != liaison::trust::recovery_code_hash(text))
      __builtin_trap();
  }
  (void)liaison::trust::check_new_password(text, "someone@example.org", "password");
  if (auto bytes = liaison::trust::base32_decode(text, "secret"); bytes.ok()) {
    auto again = liaison::trust::base32_decode(liaison::trust::base32_encode(*bytes), "secret");
    if (!bytes->empty() && (!again.ok() || *again != *bytes)) __builtin_trap();
  }
  return 0;
}
