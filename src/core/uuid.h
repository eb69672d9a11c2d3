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

// The same UUID for the same `seed`: its 16 bytes are the seed's BLAKE2b
// hash, marked version 4. For identifiers that a retried step must name
// again, never for ones that must be unguessable.
std::string uuid_from_seed(std::string_view seed);

// A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then
// 74 random bits from `random` (its first 6 bytes are ignored). Ids made later
// sort later, so new rows land at the end of every index on them instead of
// on a random page, which keeps each commit's writes small.
std::string uuid_v7_from(std::uint64_t unix_ms, const std::array<std::uint8_t, 16>& random);

}  // namespace liaison
