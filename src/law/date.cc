#include "law/date.h"

#include <cstdio>

namespace liaison::law {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool is_valid_date(int year, unsigned month, unsigned day) {
  return year >= 1900 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

Result<Date> parse_date(std::string_view t, const std::string& field) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
    }
    return true;
  };
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
      !digits(8, 2)) {
    return Error::invalid(field, "must be a date such as 2026-08-18");
  }
  auto num = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  Date d{num(0, 4), static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2))};
  if (!is_valid_date(d.year, d.month, d.day)) {
    return Error::invalid(field, "'" + std::string(t) + "' is not a calendar date");
  }
  return d;
}

std::string format_date(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

Date date_of(Timestamp t) {
  // Howard Hinnant's civil_from_days.
  std::int64_t s = t.seconds();
  std::int64_t days = s / 86400 - (s % 86400 < 0 ? 1 : 0);
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

Date first_of_month_after(const Date& from, int months) {
  // The period ends in month (from.month + months); the next month starts it.
  int index = from.year * 12 + static_cast<int>(from.month) - 1 + months + 1;
  return Date{index / 12, static_cast<unsigned>(index % 12) + 1, 1};
}

}  // namespace liaison::law
