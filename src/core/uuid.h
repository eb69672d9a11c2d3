// RFC 9562 UUIDs, in their canonical lower-case text form.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison {

// Parses the 36-character hyphenated form; accepts upper case, returns lower case.
Result<std::string> parse_uuid(std::string_view text, std::string_view field);

// A version 4 UUID from 16 random bytes (the caller supplies the randomness).
std::string uuid_v4_from_bytes(const std::array<std::uint8_t, 16>& random);

}  // namespace liaison
