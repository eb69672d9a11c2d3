#include "core/duration.h"

#include <cctype>
#include <string>

namespace liaison {

namespace {

// Each part is at most nine digits, so no sum of parts overflows.
constexpr std::size_t kMaxDigits = 9;

Error bad(std::string_view field, std::string_view text, const char* expected) {
  return Error::invalid(std::string(field),
                        "'" + std::string(text.substr(0, 40)) + "' is not " + expected);
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<std::int64_t> parse_iso8601_duration(std::string_view text, std::string_view field) {
  constexpr const char* kExpected =
      "an ISO 8601 duration such as PT48H, P2D or P1DT12H (days, hours, minutes, seconds)";
  if (text.size() < 3 || text[0] != 'P') return bad(field, text, kExpected);
  std::int64_t total = 0;
  bool in_time = false;
  bool any = false;
  // The designators allowed next, in order: D, then after T: H, M, S.
  std::string_view date_units = "WD";
  std::string_view time_units = "HMS";
  bool weeks = false;
  std::size_t i = 1;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (in_time || i + 1 == text.size() || weeks) return bad(field, text, kExpected);
      in_time = true;
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == start || i - start > kMaxDigits || i == text.size()) {
      return bad(field, text, kExpected);
    }
    std::int64_t n = std::stoll(std::string(text.substr(start, i - start)));
    char unit = text[i++];
    std::string_view& allowed = in_time ? time_units : date_units;
    auto at = allowed.find(unit);
    if (at == std::string_view::npos) return bad(field, text, kExpected);
    allowed.remove_prefix(at + 1);
    switch (unit) {
      case 'W':
        weeks = true;
        date_units = "";
        total += n * 7 * 86400;
        break;
      case 'D':
        total += n * 86400;
        break;
      case 'H':
        total += n * 3600;
        break;
      case 'M':
        total += n * 60;
        break;
      case 'S':
        total += n;
        break;
      default:
        return bad(field, text, kExpected);
    }
    any = true;
  }
  if (!any || (weeks && in_time)) return bad(field, text, kExpected);
  return total;
}

Result<std::int64_t> parse_short_duration(std::string_view text, std::string_view field) {
  if (!text.empty() && text[0] == 'P') return parse_iso8601_duration(text, field);
  constexpr const char* kExpected = "a duration such as 48h, 2d, 90m or PT48H";
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0 || i > kMaxDigits || i + 1 != text.size()) return bad(field, text, kExpected);
  std::int64_t n = std::stoll(std::string(text.substr(0, i)));
  switch (text[i]) {
    case 'd':
      return n * 86400;
    case 'h':
      return n * 3600;
    case 'm':
      return n * 60;
    case 's':
      return n;
    default:
      return bad(field, text, kExpected);
  }
}

std::string format_iso8601_duration(std::int64_t seconds) {
  if (seconds <= 0) return "PT0S";
  std::string out = "P";
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (days > 0) out += std::to_string(days) + "D";
  if (rest > 0) {
    out += "T";
    if (rest / 3600 > 0) out += std::to_string(rest / 3600) + "H";
    if (rest % 3600 / 60 > 0) out += std::to_string(rest % 3600 / 60) + "M";
    if (rest % 60 > 0) out += std::to_string(rest % 60) + "S";
  }
  return out;
}

}  // namespace liaison
