// RFC 4648 base32 (A-Z, 2-7): the alphabet people type TOTP secrets and
// recovery codes in, since it has no 0/O or 1/l to confuse and survives being
// read aloud. Encoded upper case without padding.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

std::string base32_encode(std::string_view bytes);
// Tolerates lower case, spaces and padding, as people copy secrets.
Result<std::string> base32_decode(std::string_view text, const std::string& field);

}  // namespace liaison::trust
