// Opaque list cursors: what a client passes back to get the next page.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace liaison {

// A cursor for "rows older than seq".
std::string encode_cursor(std::int64_t seq);
// Decodes a cursor from a client; anything this hub did not issue is an error naming "cursor".
Result<std::int64_t> decode_cursor(const std::string& cursor);

}  // namespace liaison
