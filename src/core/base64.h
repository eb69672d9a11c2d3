// Standard base64 with padding (RFC 4648 §4), the alphabet C2SP signed notes
// use and XML's base64Binary; the rest of Liaison writes base64url
// (trust/encoding.h).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison {

std::string base64_encode(std::string_view bytes);
// Strict: padding required, no whitespace, and the unused bits of the last
// character zero, so every byte string has exactly one spelling and a note
// cannot be altered without altering what it decodes to.
Result<std::string> base64_decode(std::string_view text, const std::string& field);

}  // namespace liaison
