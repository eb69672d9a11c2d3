#include "core/time.h"

#include <fmt/format.h>

#include <cctype>

namespace liaison {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly n digits at pos.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

struct Parsed {
  std::int64_t micros_local = 0;  // as written, before applying the offset
  std::optional<int> offset_minutes;
  std::size_t end = 0;
};

// Parses the date-time part; returns an error reason or empty on success.
std::string parse_parts(std::string_view s, Parsed& p) {
  int y, mo, d, h, mi, sec;
  if (s.size() == 10 && digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, mo) && s[7] == '-' &&
      digits(s, 8, 2, d)) {
    return "a date alone is not enough: add the time and UTC offset, such as " + std::string(s) +
           "T00:00:00Z";
  }
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d)) {
    return "expected an RFC 3339 date-time such as 2026-11-02T10:15:00Z";
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return "expected 'T' between date and time";
  if (!digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, sec)) {
    return "expected the time as HH:MM:SS";
  }
  if (mo < 1 || mo > 12) return "month must be 01-12";
  if (d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))) {
    return "day does not exist in that month";
  }
  if (h > 23) return "hour must be 00-23";
  if (mi > 59) return "minute must be 00-59";
  if (sec > 60) return "second must be 00-60";
  if (sec == 60) sec = 59;  // leap second: keep the instant within the minute
  std::size_t pos = 19;
  std::int64_t frac_micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    std::int64_t scale = 100000;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (scale > 0) frac_micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return "expected digits after the decimal point";
  }
  std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  p.micros_local =
      ((days * 86400) + std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + sec) * 1'000'000 +
      frac_micros;
  if (pos == s.size()) {
    p.end = pos;
    return {};
  }
  if (s[pos] == 'Z' || s[pos] == 'z') {
    p.offset_minutes = 0;
    p.end = pos + 1;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om)) {
      return "expected a UTC offset such as +01:00";
    }
    if (oh > 23 || om > 59) return "UTC offset out of range";
    p.offset_minutes = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    p.end = pos + 6;
  } else {
    return "unexpected text after the time";
  }
  if (p.end != s.size()) return "unexpected text after the UTC offset";
  return {};
}

}  // namespace

Result<Timestamp> parse_rfc3339(std::string_view text, std::string_view field) {
  Parsed p;
  if (std::string reason = parse_parts(text, p); !reason.empty()) {
    return Error::invalid(std::string(field), reason);
  }
  if (!p.offset_minutes) {
    return Error::invalid(std::string(field),
                          "the date-time has no UTC offset; add 'Z' or an offset such as +01:00");
  }
  Timestamp t{p.micros_local - std::int64_t{*p.offset_minutes} * 60 * 1'000'000};
  // format_rfc3339 writes four-digit years; an offset must not push the
  // instant past them, or the stored text could not be read back.
  static const std::int64_t kMin = days_from_civil(0, 1, 1) * 86400 * 1'000'000;
  static const std::int64_t kMax = days_from_civil(10000, 1, 1) * 86400 * 1'000'000;
  if (t.unix_micros < kMin || t.unix_micros >= kMax) {
    return Error::invalid(std::string(field),
                          "the instant in UTC falls outside the years 0000-9999");
  }
  return t;
}

bool is_local_datetime_without_offset(std::string_view text) {
  Parsed p;
  return parse_parts(text, p).empty() && !p.offset_minutes;
}

namespace {
std::string format_impl(Timestamp t, bool always_fraction) {
  std::int64_t micros = t.unix_micros;
  std::int64_t secs = micros >= 0 ? micros / 1'000'000 : (micros - 999'999) / 1'000'000;
  std::int64_t frac = micros - secs * 1'000'000;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  Civil c = civil_from_days(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.y, c.m, c.d, rem / 3600,
                                (rem / 60) % 60, rem % 60);
  if (frac != 0 || always_fraction) out += fmt::format(".{:06}", frac);
  out += 'Z';
  return out;
}
}  // namespace

std::string format_rfc3339(Timestamp t) { return format_impl(t, false); }
std::string format_rfc3339_micros(Timestamp t) { return format_impl(t, true); }

}  // namespace liaison
