#include "http/range.h"

#include <algorithm>
#include <limits>

namespace liaison::http {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// 1*DIGIT. Saturates rather than fails: a position past 2^64 - 1 lies beyond
// any file just as 2^64 - 1 does, and RFC 9110 sets no limit on digits.
std::optional<std::uint64_t> digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    v = v > (kMax - d) / 10 ? kMax : v * 10 + d;
  }
  return v;
}

// One range-spec: "first-last", "first-", or "-suffix".
struct Spec {
  bool suffix = false;
  std::uint64_t first = 0;            // or the suffix length
  std::optional<std::uint64_t> last;  // int-range only
};

std::optional<Spec> parse_spec(std::string_view s) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  Spec spec;
  if (dash == 0) {
    auto n = digits(s.substr(1));
    if (!n) return std::nullopt;
    spec.suffix = true;
    spec.first = *n;
    return spec;
  }
  auto first = digits(s.substr(0, dash));
  if (!first) return std::nullopt;
  spec.first = *first;
  std::string_view rest = s.substr(dash + 1);
  if (!rest.empty()) {
    auto last = digits(rest);
    // A last position before the first makes the range-spec invalid (§14.1.1).
    if (!last || *last < *first) return std::nullopt;
    spec.last = *last;
  }
  return spec;
}

RangeAnswer resolve(const Spec& spec, std::uint64_t size) {
  RangeAnswer a;
  if (spec.suffix) {
    if (spec.first == 0) {
      a.kind = RangeAnswer::Kind::kUnsatisfiable;
      return a;
    }
    const std::uint64_t length = std::min(spec.first, size);
    a.kind = RangeAnswer::Kind::kPartial;
    a.range = {size - length, length};
    return a;
  }
  if (spec.first >= size) {
    a.kind = RangeAnswer::Kind::kUnsatisfiable;
    return a;
  }
  const std::uint64_t last = spec.last ? std::min(*spec.last, size - 1) : size - 1;
  a.kind = RangeAnswer::Kind::kPartial;
  a.range = {spec.first, last - spec.first + 1};
  return a;
}

}  // namespace

RangeAnswer answer_range(std::optional<std::string_view> range_header, std::uint64_t size) {
  const RangeAnswer whole;
  if (!range_header || size == 0) return whole;
  const std::string_view h = *range_header;
  const auto eq = h.find('=');
  if (eq == std::string_view::npos || !iequals(h.substr(0, eq), "bytes")) return whole;
  const std::string_view set = h.substr(eq + 1);
  std::optional<Spec> only;
  std::size_t start = 0;
  for (;;) {
    const auto comma = set.find(',', start);
    const std::string_view element = trim_ows(set.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    // Empty list elements are allowed and skipped (RFC 9110 §5.6.1).
    if (!element.empty()) {
      auto spec = parse_spec(element);
      if (!spec) return whole;
      // Several ranges get the whole file; no need to read further.
      if (only) return whole;
      only = spec;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!only) return whole;
  return resolve(*only, size);
}

bool if_range_allows(std::optional<std::string_view> if_range, std::string_view etag) {
  if (!if_range) return true;
  // Strong comparison: both tags strong and the same characters (§8.8.3.2).
  return !etag.empty() && etag.front() == '"' && trim_ows(*if_range) == etag;
}

std::string content_range(const ByteRange& range, std::uint64_t size) {
  return "bytes " + std::to_string(range.offset) + "-" +
         std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size);
}

std::string unsatisfied_content_range(std::uint64_t size) {
  return "bytes */" + std::to_string(size);
}

}  // namespace liaison::http
