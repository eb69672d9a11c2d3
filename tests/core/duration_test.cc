#include "core/duration.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

TEST(DurationTest, Iso8601DaysHoursMinutesSeconds) {
  EXPECT_EQ(parse_iso8601_duration("PT48H", "within").value(), 48 * 3600);
  EXPECT_EQ(parse_iso8601_duration("P2D", "within").value(), 2 * 86400);
  EXPECT_EQ(parse_iso8601_duration("P1DT12H", "within").value(), 36 * 3600);
  EXPECT_EQ(parse_iso8601_duration("PT90M", "within").value(), 5400);
  EXPECT_EQ(parse_iso8601_duration("PT1H30M15S", "within").value(), 5415);
  EXPECT_EQ(parse_iso8601_duration("P1W", "within").value(), 7 * 86400);
  EXPECT_EQ(parse_iso8601_duration("PT0S", "within").value(), 0);
}

TEST(DurationTest, Iso8601RefusalsNameTheField) {
  for (const char* bad :
       {"",      "P",      "PT",    "48",    "48h",    "P1Y",    "P1M",   "PT1D", "P1H",
        "P1DT",  "PT1M1H", "P1D1D", "PT-1H", "PT1.5H", "P1WT1H", "P1W1D", "pt1h", "PT1234567890H",
        "PT1H ", " PT1H"}) {
    auto r = parse_iso8601_duration(bad, "within");
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.error().issues.size(), 1u);
    EXPECT_EQ(r.error().issues[0].field, "within") << bad;
  }
}

TEST(DurationTest, ShortFormsForTheCommandLine) {
  EXPECT_EQ(parse_short_duration("48h", "--within").value(), 48 * 3600);
  EXPECT_EQ(parse_short_duration("7d", "--within").value(), 7 * 86400);
  EXPECT_EQ(parse_short_duration("90m", "--within").value(), 5400);
  EXPECT_EQ(parse_short_duration("30s", "--within").value(), 30);
  EXPECT_EQ(parse_short_duration("PT2H", "--within").value(), 7200);
  for (const char* bad : {"", "h", "48", "48H", "4 8h", "48hh", "-1h", "1w"}) {
    auto r = parse_short_duration(bad, "--within");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().issues.at(0).field, "--within");
  }
}

TEST(DurationTest, FormatsReadBackToTheSameSeconds) {
  EXPECT_EQ(format_iso8601_duration(172800), "P2D");
  EXPECT_EQ(format_iso8601_duration(5400), "PT1H30M");
  EXPECT_EQ(format_iso8601_duration(0), "PT0S");
  for (std::int64_t s : {1LL, 59LL, 61LL, 3600LL, 86399LL, 86401LL, 90061LL, 31622400LL}) {
    EXPECT_EQ(parse_iso8601_duration(format_iso8601_duration(s), "x").value(), s);
  }
}

}  // namespace
}  // namespace liaison
