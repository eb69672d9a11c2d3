// The Content-Range header of an upload part (RFC 9110 §14.4):
// "bytes FIRST-LAST/TOTAL", an inclusive range of a body of TOTAL bytes.
//
// Resumable evidence uploads send a package in parts, each naming where it
// belongs; the hub appends a part only where the bytes so far end, so a part
// sent twice or out of order is refused instead of corrupting the package.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace liaison {

struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t total = 0;

  std::uint64_t length() const { return last - first + 1; }
};

// Strict: "bytes", one space, decimal digits without signs or leading
// zeros (but "0"), first <= last < total, and no value beyond 2^53. An
// unknown total ("*") is refused: a package's size is announced first.
// Errors name the field "Content-Range".
Result<ContentRange> parse_content_range(std::string_view header);

}  // namespace liaison
