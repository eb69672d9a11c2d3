// Byte ranges of a download (RFC 9110 §14): which part of a file of known
// size a GET with a Range header asks for, and how to answer it.
//
// Pure and Beast-free, so handlers, tests and the fuzzers can use it. The
// policy, which docs/api.md states for the routes that use it:
//   - one range, "bytes=a-b", "bytes=a-" or "bytes=-n": 206 with exactly it
//     (b beyond the end is cut to the end; n beyond the size is the whole file);
//   - several ranges: the whole file with 200, which RFC 9110 allows (a server
//     MAY ignore Range), rather than a multipart/byteranges body;
//   - one range that starts at or beyond the end, or "bytes=-0": 416 with
//     "Content-Range: bytes */size";
//   - a header that is not a valid bytes range set, or another unit: ignored, 200;
//   - an empty file: always sent whole, since it has no byte to point at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liaison::http {

// `length` bytes from `offset`; never empty when part of a 206.
struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;

  bool operator==(const ByteRange&) const = default;
};

struct RangeAnswer {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };
  Kind kind = Kind::kWhole;
  ByteRange range;  // for kPartial: within [0, size)

  bool operator==(const RangeAnswer&) const = default;
};

// The answer to `range_header` (the Range field's value, or nullopt when the
// request has none) for a representation of `size` bytes.
RangeAnswer answer_range(std::optional<std::string_view> range_header, std::uint64_t size);

// Whether an If-Range field lets the Range apply (RFC 9110 §13.1.5): when it
// is absent, or is exactly the representation's strong entity tag `etag`
// (quoted, as in ETag). A weak tag or a date never matches, since nothing
// here has a Last-Modified: the whole representation is sent instead.
bool if_range_allows(std::optional<std::string_view> if_range, std::string_view etag);

// "bytes 0-99/1000" for a 206; "bytes */1000" for a 416.
std::string content_range(const ByteRange& range, std::uint64_t size);
std::string unsatisfied_content_range(std::uint64_t size);

}  // namespace liaison::http
