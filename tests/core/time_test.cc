#include "core/time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_matchers.h"

namespace liaison {
namespace {

using ::liaison::testing::FailsOn;
using ::testing::HasSubstr;

// Expected values computed independently with `date -u -d ... +%s`.
constexpr std::int64_t k20261102T0915Z = 1793610900;

std::int64_t seconds_of(std::string_view text) {
  auto t = parse_rfc3339(text, "t");
  EXPECT_TRUE(t.ok()) << text << ": " << (t.ok() ? "" : t.error().message);
  return t.ok() ? t->seconds() : -1;
}

TEST(Rfc3339Test, UtcDesignatorGivesThatInstant) {
  EXPECT_EQ(seconds_of("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(seconds_of("2000-01-01T00:00:00Z"), 946684800);
  EXPECT_EQ(seconds_of("2026-11-02T09:15:00Z"), k20261102T0915Z);
  EXPECT_EQ(seconds_of("2026-11-02t09:15:00z"), k20261102T0915Z);  // RFC 3339 allows lower case
}

TEST(Rfc3339Test, PositiveOffsetIsSubtracted) {
  EXPECT_EQ(seconds_of("2026-11-02T10:15:00+01:00"), k20261102T0915Z);
}

TEST(Rfc3339Test, NegativeOffsetWithMinutesIsAdded) {
  EXPECT_EQ(seconds_of("2026-11-02T10:15:00-05:30"), 1793634300);  // 15:45Z
  EXPECT_EQ(seconds_of("2026-11-02T03:45:00-05:30"), k20261102T0915Z);
}

TEST(Rfc3339Test, OffsetCanCrossMidnightAndYear) {
  EXPECT_EQ(seconds_of("2000-01-01T00:30:00+01:00"), 946684800 - 1800);
}

TEST(Rfc3339Test, FractionalSecondsKeepMicroseconds) {
  auto t = parse_rfc3339("2026-11-02T09:15:00.123456Z", "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->unix_micros, k20261102T0915Z * 1'000'000 + 123456);

  auto short_frac = parse_rfc3339("2026-11-02T09:15:00.5Z", "t");
  ASSERT_TRUE(short_frac.ok());
  EXPECT_EQ(short_frac->unix_micros, k20261102T0915Z * 1'000'000 + 500000);

  // Digits beyond microseconds are truncated, not rounded into the next second.
  auto long_frac = parse_rfc3339("2026-11-02T09:15:00.9999999999Z", "t");
  ASSERT_TRUE(long_frac.ok());
  EXPECT_EQ(long_frac->unix_micros, k20261102T0915Z * 1'000'000 + 999999);
}

TEST(Rfc3339Test, DecimalPointNeedsDigits) {
  EXPECT_THAT(parse_rfc3339("2026-11-02T09:15:00.Z", "deadline"), FailsOn("deadline", "digits"));
}

TEST(Rfc3339Test, LeapDayOnlyInLeapYears) {
  EXPECT_EQ(seconds_of("2024-02-29T00:00:00Z"), 1709164800);
  EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z", "t").ok());  // divisible by 400
  EXPECT_THAT(parse_rfc3339("2026-02-29T00:00:00Z", "t"), FailsOn("t", "day does not exist"));
  EXPECT_THAT(parse_rfc3339("1900-02-29T00:00:00Z", "t"), FailsOn("t", "day does not exist"));
  EXPECT_THAT(parse_rfc3339("2026-04-31T00:00:00Z", "t"), FailsOn("t", "day does not exist"));
}

TEST(Rfc3339Test, OutOfRangeFieldsAreNamed) {
  EXPECT_THAT(parse_rfc3339("2026-13-01T00:00:00Z", "t"), FailsOn("t", "month"));
  EXPECT_THAT(parse_rfc3339("2026-00-01T00:00:00Z", "t"), FailsOn("t", "month"));
  EXPECT_THAT(parse_rfc3339("2026-01-00T00:00:00Z", "t"), FailsOn("t", "day"));
  EXPECT_THAT(parse_rfc3339("2026-01-01T24:00:00Z", "t"), FailsOn("t", "hour"));
  EXPECT_THAT(parse_rfc3339("2026-01-01T00:60:00Z", "t"), FailsOn("t", "minute"));
  EXPECT_THAT(parse_rfc3339("2026-01-01T00:00:61Z", "t"), FailsOn("t", "second"));
  EXPECT_THAT(parse_rfc3339("2026-01-01T00:00:00+24:00", "t"), FailsOn("t", "offset out of range"));
  EXPECT_THAT(parse_rfc3339("2026-01-01T00:00:00+01:60", "t"), FailsOn("t", "offset out of range"));
}

TEST(Rfc3339Test, LeapSecondStaysInItsMinute) {
  auto t = parse_rfc3339("2016-12-31T23:59:60Z", "t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(format_rfc3339(*t), "2016-12-31T23:59:59Z");
}

TEST(Rfc3339Test, MissingOffsetIsAnErrorNamingTheOffset) {
  auto t = parse_rfc3339("2026-11-02T10:15:00", "targets/0/observed_at");
  EXPECT_THAT(t, FailsOn("targets/0/observed_at", "no UTC offset"));
}

TEST(Rfc3339Test, MalformedTextIsRejected) {
  EXPECT_THAT(parse_rfc3339("", "t"), FailsOn("t", "RFC 3339"));
  EXPECT_THAT(parse_rfc3339("2026-11-02", "t"), FailsOn("t", "a date alone is not enough"));
  EXPECT_THAT(parse_rfc3339("2026/11/02T10:15:00Z", "t"), FailsOn("t", "RFC 3339"));
  EXPECT_THAT(parse_rfc3339("2026-11-02X10:15:00Z", "t"), FailsOn("t", "'T'"));
  EXPECT_THAT(parse_rfc3339("2026-11-02T10-15-00Z", "t"), FailsOn("t", "HH:MM:SS"));
  EXPECT_THAT(parse_rfc3339("2026-11-02T10:15:00+0100", "t"), FailsOn("t", "UTC offset"));
  EXPECT_THAT(parse_rfc3339("2026-11-02T10:15:00+01", "t"), FailsOn("t", "UTC offset"));
  EXPECT_THAT(parse_rfc3339("2026-11-02T10:15:00 CET", "t"), FailsOn("t", "unexpected text"));
  EXPECT_THAT(parse_rfc3339("2026-11-02T10:15:00Zjunk", "t"), FailsOn("t", "unexpected text"));
  EXPECT_THAT(parse_rfc3339("2026-11-02T10:15:00+01:00junk", "t"), FailsOn("t", "unexpected text"));
  EXPECT_THAT(parse_rfc3339("+026-11-02T10:15:00Z", "t"), FailsOn("t", "RFC 3339"));
}

TEST(Rfc3339Test, LocalDateTimeWithoutOffsetIsRecognised) {
  EXPECT_TRUE(is_local_datetime_without_offset("2026-11-02T10:15:00"));
  EXPECT_TRUE(is_local_datetime_without_offset("2026-11-02 10:15:00.25"));
  EXPECT_FALSE(is_local_datetime_without_offset("2026-11-02T10:15:00Z"));
  EXPECT_FALSE(is_local_datetime_without_offset("2026-11-02T10:15:00+01:00"));
  EXPECT_FALSE(
      is_local_datetime_without_offset("2026-02-30T10:15:00"));  // malformed, not merely local
  EXPECT_FALSE(is_local_datetime_without_offset("yesterday"));
  EXPECT_FALSE(is_local_datetime_without_offset(""));
}

TEST(Rfc3339Test, FormatIsUtcWithFractionOnlyWhenNeeded) {
  EXPECT_EQ(format_rfc3339(Timestamp::from_seconds(k20261102T0915Z)), "2026-11-02T09:15:00Z");
  EXPECT_EQ(format_rfc3339(Timestamp{k20261102T0915Z * 1'000'000 + 5}),
            "2026-11-02T09:15:00.000005Z");
  EXPECT_EQ(format_rfc3339(Timestamp{0}), "1970-01-01T00:00:00Z");
  // Before the epoch the fraction must still count forwards from the whole second.
  EXPECT_EQ(format_rfc3339(Timestamp{-1}), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(Timestamp::from_seconds(-86400)), "1969-12-31T00:00:00Z");
}

TEST(Rfc3339Test, FormatThenParseRoundTrips) {
  for (std::string_view text :
       {"2026-11-02T10:15:00+01:00", "2024-02-29T23:59:59.999999-05:30", "1969-07-20T20:17:40Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1900-03-01T00:00:00.1+14:00"}) {
    auto t = parse_rfc3339(text, "t");
    ASSERT_TRUE(t.ok()) << text;
    auto again = parse_rfc3339(format_rfc3339(*t), "t");
    ASSERT_TRUE(again.ok()) << text << " -> " << format_rfc3339(*t);
    EXPECT_EQ(again->unix_micros, t->unix_micros) << text;
  }
}

// fuzz_rfc3339's round-trip check failed here: an offset moved the instant out of
// the years 0000-9999, and the formatted text ("-001-12-31T23:59:00Z") no longer parsed.
TEST(Rfc3339Test, OffsetMayNotLeaveTheFourDigitYears) {
  EXPECT_THAT(parse_rfc3339("0000-01-01T00:00:00+00:01", "t"), FailsOn("t", "years 0000-9999"));
  EXPECT_THAT(parse_rfc3339("9999-12-31T23:59:59-00:01", "t"), FailsOn("t", "years 0000-9999"));
  for (std::string_view edge : {"0000-01-01T00:00:00Z", "0000-01-01T00:00:00-01:00",
                                "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59+01:00"}) {
    auto t = parse_rfc3339(edge, "t");
    ASSERT_TRUE(t.ok()) << edge;
    auto again = parse_rfc3339(format_rfc3339(*t), "t");
    ASSERT_TRUE(again.ok()) << edge << " -> " << format_rfc3339(*t);
    EXPECT_EQ(again->unix_micros, t->unix_micros);
  }
}

TEST(Rfc3339Test, DaysFromCivilMatchesKnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
}

}  // namespace
}  // namespace liaison
