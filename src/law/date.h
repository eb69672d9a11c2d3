// Calendar dates, as the rule files state them: signatures, ratifications,
// entry into force, the date a request is made. No time of day and no zone:
// a treaty enters into force on a date, not at an instant.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace liaison::law {

struct Date {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  auto operator<=>(const Date&) const =
      default;  // NOLINT(modernize-use-nullptr): a clang-tidy 14 false positive
};

// "2026-08-18". `field` names the input in errors.
Result<Date> parse_date(std::string_view text, const std::string& field);
std::string format_date(const Date& d);
bool is_valid_date(int year, unsigned month, unsigned day);

// The UTC date of an instant.
Date date_of(Timestamp t);

// The first day of the month that follows `months` whole months after `from`:
// the treaty formula ("the first day of the month following the expiration of
// a period of three months after the date of ..."): 2024-07-29 and 3 months
// give 2024-11-01; so do 2024-07-01 and 2024-07-31.
Date first_of_month_after(const Date& from, int months);

}  // namespace liaison::law
