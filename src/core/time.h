// Instants in UTC, and RFC 3339 text for them.
//
// Liaison stores every instant in UTC. Input must carry an explicit offset
// ("Z" or "+01:00"): a local time without one is ambiguous, and for IP
// attribution an hour's error names the wrong subscriber.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison {

struct Timestamp {
  std::int64_t unix_micros = 0;
  auto operator<=>(const Timestamp&) const =
      default;  // NOLINT(modernize-use-nullptr): a clang-tidy 14 false positive

  static Timestamp from_seconds(std::int64_t s) { return Timestamp{s * 1'000'000}; }
  std::int64_t seconds() const { return unix_micros / 1'000'000; }
  // Whole seconds, rounding towards the past or the future. Deadlines and
  // periods are kept in whole seconds, so their text sorts like their instants.
  Timestamp floor_seconds() const {
    std::int64_t r = unix_micros % 1'000'000;
    return Timestamp{unix_micros - (r < 0 ? r + 1'000'000 : r)};
  }
  Timestamp ceil_seconds() const {
    Timestamp f = floor_seconds();
    return f.unix_micros == unix_micros ? f : Timestamp{f.unix_micros + 1'000'000};
  }
};

// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)". `field` names the input in errors.
Result<Timestamp> parse_rfc3339(std::string_view text, std::string_view field);

// True when `text` is a well-formed RFC 3339 date-time except that it has no offset.
bool is_local_datetime_without_offset(std::string_view text);

// Formats in UTC with "Z"; fractional seconds only when non-zero.
std::string format_rfc3339(Timestamp t);
// Formats in UTC with exactly six fractional digits, so that stored instants
// sort correctly as text.
std::string format_rfc3339_micros(Timestamp t);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace liaison
