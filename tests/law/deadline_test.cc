// Deadline arithmetic, checked against an independent oracle: the C library's
// own reading of the same time-zone files (localtime_r under TZ), over many
// random instants, including every daylight-saving change and month end in
// the years the sampled instants fall in.
#include "law/deadline.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace liaison::law {
namespace {

Timestamp at(const char* text) { return parse_rfc3339(text, "t").value(); }
std::string text(Timestamp t) { return format_rfc3339(t); }

// The local calendar date and time of day of `t` in `zone`, from the C library.
struct Local {
  std::int64_t day = 0;  // days since 1970-01-01 on the local calendar
  int second_of_day = 0;
  long offset = 0;  // seconds east of UTC
};

class Oracle {
 public:
  explicit Oracle(const std::string& zone) {
    ::setenv("TZ", (":" + zone).c_str(), 1);
    ::tzset();
  }
  ~Oracle() {
    ::unsetenv("TZ");
    ::tzset();
  }
  Oracle(const Oracle&) = delete;
  Oracle& operator=(const Oracle&) = delete;
  static Local local(Timestamp t) {
    std::time_t s = t.seconds();
    std::tm tm{};
    ::localtime_r(&s, &tm);
    Local l;
    l.day = days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                            static_cast<unsigned>(tm.tm_mday));
    l.second_of_day = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    l.offset = tm.tm_gmtoff;
    return l;
  }
};

const std::vector<std::string> kZones = {
    "Europe/Dublin",       "Europe/Paris", "America/New_York",  "Australia/Sydney",
    "Australia/Lord_Howe", "Asia/Tokyo",   "America/Sao_Paulo", "UTC"};

TEST(Deadline, HoursAreElapsedTimeWhateverTheClocksDo) {
  // The night the clocks go back in Ireland, 2026-10-25 02:00 IST -> 01:00 GMT.
  Timestamp received = at("2026-10-24T22:30:00Z");
  auto due = add_period(received, {8, PeriodUnit::kHours}, "Europe/Dublin");
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(text(*due), "2026-10-25T06:30:00Z");
}

TEST(Deadline, CalendarDaysKeepTheLocalTimeAcrossTheAutumnChange) {
  // 14:00 Irish Summer Time (+01:00) on 20 October; 30 October is on GMT.
  auto due = add_period(at("2026-10-20T13:00:00Z"), {10, PeriodUnit::kDays}, "Europe/Dublin");
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(text(*due), "2026-10-30T14:00:00Z");  // 14:00 GMT: ten days and an hour later
}

TEST(Deadline, CalendarDaysKeepTheLocalTimeAcrossTheSpringChange) {
  // 09:00 CET (+01:00) on 25 March 2026; France moves to CEST on 29 March.
  auto due = add_period(at("2026-03-25T08:00:00Z"), {10, PeriodUnit::kDays}, "Europe/Paris");
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(text(*due), "2026-04-04T07:00:00Z");  // 09:00 CEST: ten days less an hour
}

TEST(Deadline, ATimeSkippedInSpringMovesForwardByTheGap) {
  // 02:30 on 29 March 2026 does not exist in Paris: it becomes 03:30 CEST.
  auto due = add_period(at("2026-03-28T01:30:00Z"), {1, PeriodUnit::kDays}, "Europe/Paris");
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(text(*due), "2026-03-29T01:30:00Z");
}

TEST(Deadline, ATimeRepeatedInAutumnTakesTheEarlierInstant) {
  // 02:30 on 25 October 2026 happens twice in Paris: first at 00:30Z (CEST).
  auto due = add_period(at("2026-10-24T00:30:00Z"), {1, PeriodUnit::kDays}, "Europe/Paris");
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(text(*due), "2026-10-25T00:30:00Z");
}

TEST(Deadline, MonthEndsAndLeapDays) {
  EXPECT_EQ(text(*add_period(at("2026-01-31T12:00:00Z"), {1, PeriodUnit::kDays}, "UTC")),
            "2026-02-01T12:00:00Z");
  EXPECT_EQ(text(*add_period(at("2028-02-28T12:00:00Z"), {1, PeriodUnit::kDays}, "UTC")),
            "2028-02-29T12:00:00Z");
  EXPECT_EQ(text(*add_period(at("2026-02-28T12:00:00Z"), {1, PeriodUnit::kDays}, "UTC")),
            "2026-03-01T12:00:00Z");
  EXPECT_EQ(text(*add_period(at("2026-12-31T23:59:59Z"), {60, PeriodUnit::kDays}, "UTC")),
            "2027-03-01T23:59:59Z");
  // Late evening in Sydney is already the next date there.
  EXPECT_EQ(
      text(*add_period(at("2026-01-31T14:00:00Z"), {30, PeriodUnit::kDays}, "Australia/Sydney")),
      "2026-03-02T14:00:00Z");  // 01:00 AEDT on 1 Feb + 30 days = 01:00 AEDT on 3 March
}

TEST(Deadline, DaysOf24HoursIgnoreTheCalendar) {
  auto due =
      add_period(at("2026-10-20T13:00:00Z"), {10, PeriodUnit::kDays, false}, "Europe/Dublin");
  EXPECT_EQ(text(*due), "2026-10-30T13:00:00Z");
  EXPECT_EQ(describe({10, PeriodUnit::kDays, false}), "10 days of 24 hours");
  EXPECT_EQ(describe({1, PeriodUnit::kDays}), "1 day");
  EXPECT_EQ(describe({8, PeriodUnit::kHours}), "8 hours");
}

TEST(Deadline, ResultsAreWholeSecondsInUtc) {
  auto due = add_period(Timestamp{at("2026-05-01T10:00:00Z").unix_micros + 999'999},
                        {8, PeriodUnit::kHours}, "Europe/Dublin");
  EXPECT_EQ(format_rfc3339(*due), "2026-05-01T18:00:00Z");
}

TEST(Deadline, UnknownZonesAndBadAmountsAreRefusedByName) {
  for (const char* zone :
       {"Europe/Atlantis", "", "../etc/passwd", "/usr/share/zoneinfo/UTC", "Europe/Dublin\n"}) {
    auto r = add_period(at("2026-05-01T10:00:00Z"), {1, PeriodUnit::kDays}, zone);
    ASSERT_FALSE(r.ok()) << zone;
    EXPECT_EQ(r.error().issues.at(0).field, "time_zone");
    EXPECT_FALSE(validate_time_zone(zone, "time_zone").ok());
  }
  EXPECT_TRUE(validate_time_zone("Europe/Dublin", "time_zone").ok());
  auto negative = add_period(at("2026-05-01T10:00:00Z"), {-1, PeriodUnit::kDays}, "UTC");
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().issues.at(0).field, "period");
}

// Property: for random instants over 2024-2031 and every zone, a calendar-day
// period lands on the local date `amount` days later at the same local time of
// day, except when that local time does not exist, when it lands the gap later;
// an hour period is exactly that many hours; and later instants never get
// earlier deadlines.
TEST(DeadlineProperty, CalendarDaysAgreeWithTheCLibraryInEveryZone) {
  std::mt19937_64 rng(20261202);
  const std::int64_t lo = at("2024-01-01T00:00:00Z").seconds();
  const std::int64_t hi = at("2031-12-31T00:00:00Z").seconds();
  std::uniform_int_distribution<std::int64_t> instant(lo, hi);
  std::uniform_int_distribution<std::int64_t> amount(0, 120);
  for (const auto& zone : kZones) {
    Oracle oracle(zone);
    for (int i = 0; i < 4000; ++i) {
      Timestamp from = Timestamp::from_seconds(instant(rng));
      Period p{amount(rng), PeriodUnit::kDays};
      auto due = add_period(from, p, zone);
      ASSERT_TRUE(due.ok()) << zone;
      Local a = Oracle::local(from);
      Local b = Oracle::local(*due);
      ASSERT_EQ(b.day, a.day + p.amount) << zone << " " << text(from) << " +" << p.amount;
      if (b.second_of_day != a.second_of_day) {
        // Only a skipped local time may move, and only forward by the gap.
        long gap = b.offset - Oracle::local(Timestamp::from_seconds(due->seconds() - 86400)).offset;
        ASSERT_GT(gap, 0) << zone << " " << text(from);
        ASSERT_EQ(b.second_of_day - a.second_of_day, gap) << zone << " " << text(from);
      }
      // Elapsed time differs from whole days by exactly the change of offset.
      if (b.second_of_day == a.second_of_day) {
        ASSERT_EQ(due->seconds() - from.seconds(), p.amount * 86400 + (a.offset - b.offset))
            << zone << " " << text(from);
      }
      // Hours are elapsed time.
      auto hours = add_period(from, {p.amount, PeriodUnit::kHours}, zone);
      ASSERT_EQ(hours->seconds() - from.seconds(), p.amount * 3600);
    }
  }
}

TEST(DeadlineProperty, LaterReceiptsNeverGetEarlierDeadlines) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> step(1, 6 * 3600);
  for (const auto& zone : kZones) {
    Timestamp from = at("2026-03-01T00:00:00Z");
    Timestamp last_due{0};
    // Walks through spring and autumn changes in both hemispheres.
    while (from < at("2027-01-01T00:00:00Z")) {
      auto due = add_period(from, {10, PeriodUnit::kDays}, zone);
      ASSERT_TRUE(due.ok());
      ASSERT_GE(*due, last_due) << zone << " " << text(from);
      last_due = *due;
      from = Timestamp::from_seconds(from.seconds() + step(rng));
    }
  }
}

TEST(DeadlineProperty, NeverLaterThanTheEndOfTheLastLocalDay) {
  // Under Regulation (EEC, Euratom) No 1182/71 a period of days ends with the
  // last hour of its last day; Liaison's deadline is never later than that.
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::int64_t> instant(at("2025-01-01T00:00:00Z").seconds(),
                                                      at("2029-01-01T00:00:00Z").seconds());
  for (const auto& zone : kZones) {
    Oracle oracle(zone);
    for (int i = 0; i < 2000; ++i) {
      Timestamp from = Timestamp::from_seconds(instant(rng));
      auto due = add_period(from, {10, PeriodUnit::kDays}, zone);
      Local a = Oracle::local(from);
      Local b = Oracle::local(*due);
      ASSERT_LE(b.day, a.day + 10) << zone << " " << text(from);
    }
  }
}

TEST(DeadlinePauses, AClarificationPauseMovesTheDeadline) {
  Timestamp received = at("2026-09-01T10:00:00Z");
  Period ten{10, PeriodUnit::kDays};
  // Paused two days for a clarification on the third day.
  std::vector<Pause> pauses = {{at("2026-09-03T10:00:00Z"), at("2026-09-05T10:00:00Z")}};
  auto due = deadline_after_pauses(received, ten, "UTC", pauses);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ(text(**due), "2026-09-13T10:00:00Z");
}

TEST(DeadlinePauses, AnOpenPauseStopsTheClock) {
  auto due = deadline_after_pauses(at("2026-09-01T10:00:00Z"), {10, PeriodUnit::kDays}, "UTC",
                                   {{at("2026-09-02T10:00:00Z"), std::nullopt}});
  ASSERT_TRUE(due.ok());
  EXPECT_FALSE(due->has_value());
}

TEST(DeadlinePauses, PausesAfterTheDeadlineOrOverlappingCountOnce) {
  Timestamp received = at("2026-09-01T10:00:00Z");
  std::vector<Pause> pauses = {
      {at("2026-09-02T00:00:00Z"), at("2026-09-02T12:00:00Z")},  // 12 h
      {at("2026-09-02T06:00:00Z"), at("2026-09-02T18:00:00Z")},  // 6 h more after overlap
      {at("2026-09-20T00:00:00Z"), std::nullopt},                // after the deadline: ignored
  };
  auto due = deadline_after_pauses(received, {8, PeriodUnit::kDays}, "UTC", pauses);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ(text(**due), "2026-09-10T04:00:00Z");  // 8 days + 18 hours
  // A pause that pushes the deadline past a later pause's start brings it in.
  std::vector<Pause> chained = {{at("2026-09-02T00:00:00Z"), at("2026-09-10T00:00:00Z")},
                                {at("2026-09-12T00:00:00Z"), at("2026-09-13T00:00:00Z")}};
  auto later = deadline_after_pauses(received, {8, PeriodUnit::kDays}, "UTC", chained);
  EXPECT_EQ(text(**later), "2026-09-18T10:00:00Z");  // 8 days + 8 days + 1 day
  auto bad = deadline_after_pauses(received, {8, PeriodUnit::kDays}, "UTC",
                                   {{at("2026-09-03T00:00:00Z"), at("2026-09-02T00:00:00Z")}});
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace liaison::law
