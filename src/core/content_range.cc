#include "core/content_range.h"

#include <optional>

namespace liaison {

namespace {

constexpr std::uint64_t kMaxValue = (std::uint64_t{1} << 53) - 1;

// Consumes a decimal number from the front of `s`.
std::optional<std::uint64_t> take_number(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > 16 || (n > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  if (v > kMaxValue) return std::nullopt;
  s.remove_prefix(n);
  return v;
}

bool take(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Result<ContentRange> parse_content_range(std::string_view header) {
  const auto bad = [] {
    return Error::invalid("Content-Range",
                          "must be \"bytes FIRST-LAST/TOTAL\" with FIRST <= LAST < TOTAL");
  };
  constexpr std::string_view kUnit = "bytes ";
  if (header.substr(0, kUnit.size()) != kUnit) return bad();
  std::string_view s = header.substr(kUnit.size());
  auto first = take_number(s);
  if (!first || !take(s, '-')) return bad();
  auto last = take_number(s);
  if (!last || !take(s, '/')) return bad();
  auto total = take_number(s);
  if (!total || !s.empty() || *first > *last || *last >= *total) return bad();
  return ContentRange{*first, *last, *total};
}

}  // namespace liaison
