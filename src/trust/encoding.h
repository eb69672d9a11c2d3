// Byte encodings used by every trust format: base64url without padding
// (RFC 4648 §5) for keys and signatures, lower-case hex for digests, and
// SHA-256 itself. Bytes travel as std::string; they are not text.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

std::string base64url_encode(std::string_view bytes);
// Strict: no padding, no whitespace, only the URL-safe alphabet. When
// `expected_size` is non-zero the decoded length must equal it.
Result<std::string> base64url_decode(std::string_view text, const std::string& field,
                                     std::size_t expected_size = 0);

std::string hex_encode(std::string_view bytes);
// True when `text` is exactly `size` characters of lower-case hex, the form
// hex_encode writes (serials, key ids).
bool is_lower_hex(std::string_view text, std::size_t size);

// The 32-byte SHA-256 of `data`.
std::string sha256(std::string_view data);

// `n` bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t n);

// Compares two byte strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace liaison::trust
