// Decoding of request targets ("/path?query"), kept apart from the server so
// it can be tested and fuzzed without a socket.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace liaison::http {

// Decodes %XX escapes (and '+' as space in queries). Malformed escapes are
// kept literally: rejecting them would break clients that send a bare '%',
// and gains nothing, since routes match decoded text.
std::string percent_decode(std::string_view s, bool plus_as_space);

// Fills req.path and req.query from an origin-form target. False when the
// target is not origin-form (it must start with '/').
bool parse_target(std::string_view target, Request& req);

}  // namespace liaison::http
