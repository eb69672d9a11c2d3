// Deadline arithmetic: a legal period added to an instant, the way the rules
// count it, with every result in UTC.
//
// A period in hours is elapsed time: 8 hours after receipt is 28,800 seconds
// later, whatever the clocks do. A period in calendar days is counted on the
// provider's local calendar: 10 days after a receipt at 14:00 in Dublin ends
// at 14:00 Dublin time ten dates later, so across a daylight-saving change it
// is ten days plus or minus an hour of elapsed time. Liaison never extends a
// period for weekends or public holidays: the deadline it shows is never later
// than the one the law sets (docs/law.md, "Deadlines").
//
// A clock can pause (while the authority owes a clarification, where the
// route says so): the deadline moves later by the time spent paused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace liaison::law {

enum class PeriodUnit { kHours, kDays };

struct Period {
  std::int64_t amount = 0;
  PeriodUnit unit = PeriodUnit::kDays;
  // Days only: counted on the local calendar (true) or as multiples of 24
  // hours of elapsed time (false).
  bool calendar = true;
  bool operator==(const Period&) const = default;
};

// "10 days", "8 hours", "1 day".
std::string describe(const Period& p);

// An interval during which a clock stood still; `end` empty while it still does.
struct Pause {
  Timestamp start;
  std::optional<Timestamp> end;
};

// Checks that `zone` names a time zone in the system's time-zone database
// ("Europe/Dublin", "UTC"). `field` names the input in errors.
Status validate_time_zone(std::string_view zone, const std::string& field);

// `from` plus `period`, counted in `zone`. Local times that do not exist (the
// hour skipped in spring) move forward by the length of the gap; local times
// that occur twice (the hour repeated in autumn) take the earlier instant.
// The result is rounded down to whole seconds.
Result<Timestamp> add_period(Timestamp from, const Period& period, std::string_view zone);

// As add_period, then later by every pause that began before the deadline it
// had reached so far. None while a pause is still open: the clock is stopped.
Result<std::optional<Timestamp>> deadline_after_pauses(Timestamp from, const Period& period,
                                                       std::string_view zone,
                                                       std::vector<Pause> pauses);

}  // namespace liaison::law
