#include "law/deadline.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace liaison::law {
namespace {

using std::chrono::seconds;

// Longer than any period in law, short enough that no arithmetic overflows.
constexpr std::int64_t kMaxDays = std::int64_t{100} * 366;
constexpr std::int64_t kMicrosPerSecond = 1'000'000;

Result<const date::time_zone*> find_zone(std::string_view zone, const std::string& field) {
  // The database names zones with letters, digits, '/', '_', '-' and '+'; a
  // name with anything else, or a relative path, is no zone at all.
  bool plain = !zone.empty() && zone.size() <= 64 && zone.front() != '/' &&
               zone.find("..") == std::string_view::npos &&
               std::all_of(zone.begin(), zone.end(), [](char c) {
                 return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
               });
  if (plain) {
    try {
      return date::locate_zone(std::string(zone));
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): reported below
    }
  }
  return Error::invalid(field, "\"" + std::string(zone) +
                                   "\" is not a time zone in the time-zone database "
                                   "(for example \"Europe/Dublin\" or \"UTC\")");
}

Status check_amount(const Period& p) {
  std::int64_t limit = p.unit == PeriodUnit::kHours ? kMaxDays * 24 : kMaxDays;
  if (p.amount < 0 || p.amount > limit) {
    return Error::invalid("period", "must be between 0 and " + std::to_string(limit));
  }
  return Ok{};
}

}  // namespace

std::string describe(const Period& p) {
  std::string n = std::to_string(p.amount);
  if (p.unit == PeriodUnit::kHours) return n + (p.amount == 1 ? " hour" : " hours");
  std::string days = n + (p.amount == 1 ? " day" : " days");
  return p.calendar ? days : days + " of 24 hours";
}

Status validate_time_zone(std::string_view zone, const std::string& field) {
  LIAISON_ASSIGN_OR_RETURN(auto found, find_zone(zone, field));
  (void)found;
  return Ok{};
}

Result<Timestamp> add_period(Timestamp from, const Period& period, std::string_view zone) {
  LIAISON_TRY(check_amount(period));
  Timestamp start = from.floor_seconds();
  if (period.unit == PeriodUnit::kHours) {
    return Timestamp{start.unix_micros + period.amount * 3600 * kMicrosPerSecond};
  }
  if (!period.calendar) {
    return Timestamp{start.unix_micros + period.amount * 86400 * kMicrosPerSecond};
  }
  LIAISON_ASSIGN_OR_RETURN(const date::time_zone* tz, find_zone(zone, "time_zone"));
  try {
    date::sys_seconds instant{seconds(start.seconds())};
    date::local_seconds local = tz->to_local(instant);
    date::local_days day = date::floor<date::days>(local);
    date::local_seconds target = day + date::days(period.amount) + (local - day);
    // For a time that exists once, first is its offset. In a gap (spring),
    // first is the offset before it, so the same subtraction lands the
    // length of the gap later on the local clock. For a time that occurs
    // twice (autumn), first is the earlier of the two.
    date::local_info info = tz->get_info(target);
    date::sys_seconds due{target.time_since_epoch() - info.first.offset};
    return Timestamp::from_seconds(due.time_since_epoch().count());
  } catch (const std::exception& e) {
    return Error::internal(std::string("time-zone arithmetic failed: ") + e.what());
  }
}

Result<std::optional<Timestamp>> deadline_after_pauses(Timestamp from, const Period& period,
                                                       std::string_view zone,
                                                       std::vector<Pause> pauses) {
  LIAISON_ASSIGN_OR_RETURN(Timestamp due, add_period(from, period, zone));
  std::sort(pauses.begin(), pauses.end(),
            [](const Pause& a, const Pause& b) { return a.start < b.start; });
  // The clock stood still from the start of a pause to its end; overlapping
  // pauses count once, and time before `from` does not count at all.
  Timestamp counted_until = from.floor_seconds();
  for (const Pause& pause : pauses) {
    if (pause.end && *pause.end < pause.start) {
      return Error::invalid("pauses", "a pause ends before it starts");
    }
    if (pause.start >= due) break;
    if (!pause.end) return std::optional<Timestamp>{};
    Timestamp start = std::max(pause.start, counted_until);
    if (*pause.end > start) {
      due.unix_micros += pause.end->unix_micros - start.unix_micros;
      counted_until = *pause.end;
    }
  }
  return std::optional<Timestamp>{due.floor_seconds()};
}

}  // namespace liaison::law
