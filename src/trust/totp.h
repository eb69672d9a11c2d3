// Time-based one-time passwords (RFC 6238), the second factor of interactive
// login: HMAC-SHA-1, six digits, 30-second steps from the Unix epoch, which is
// what every authenticator app assumes when it scans an otpauth:// URI.
//
// Codes are computed by liboath. Validation accepts the step before and after
// the current one, for clocks that drift and people who type slowly, and
// returns the step a code matched: a caller that remembers the last accepted
// step can then refuse the same code a second time within the window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

inline constexpr unsigned kTotpDigits = 6;
inline constexpr unsigned kTotpStepSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits, as RFC 4226 recommends

// A new random secret of kTotpSecretBytes.
std::string new_totp_secret();

// otpauth://totp/Liaison:<email>?secret=…&issuer=Liaison&algorithm=SHA1&digits=6&period=30
// with the label percent-encoded.
std::string totp_uri(std::string_view secret, std::string_view email);

// The time step that contains `unix_seconds`.
std::int64_t totp_step(std::int64_t unix_seconds);

// The code for `unix_seconds`, with `digits` digits (6 for Liaison; the RFC's
// test vectors use 8).
std::string totp_code(std::string_view secret, std::int64_t unix_seconds,
                      unsigned digits = kTotpDigits);

// The step `code` belongs to, if it is the code of the step containing
// `unix_seconds` or of a step `window` steps either side; nullopt otherwise,
// including for anything that is not `kTotpDigits` digits.
std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code,
                                       std::int64_t unix_seconds, unsigned window = 1);

}  // namespace liaison::trust
