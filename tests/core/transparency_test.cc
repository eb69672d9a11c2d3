#include "core/transparency.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

SentRequest sent(std::string id, std::string at, std::string country, std::string kind,
                 std::int64_t accounts = 1, std::string provider = "mail") {
  return {std::move(id), std::move(at), std::move(country), std::move(provider), std::move(kind),
          accounts};
}

TEST(Transparency, HalfYearsSplitAtTheFirstOfJuly) {
  EXPECT_EQ(half_year_of("2026-01-01T00:00:00.000000Z"), "2026-H1");
  EXPECT_EQ(half_year_of("2026-06-30T23:59:59.999999Z"), "2026-H1");
  EXPECT_EQ(half_year_of("2026-07-01T00:00:00.000000Z"), "2026-H2");
  EXPECT_EQ(half_year_of("2026-12-31T23:59:59Z"), "2026-H2");
  EXPECT_EQ(half_year_of("2026-13-01T00:00:00Z"), "");
  EXPECT_EQ(half_year_of("2026-00-01T00:00:00Z"), "");
  EXPECT_EQ(half_year_of("26-1"), "");
  EXPECT_EQ(half_year_of("2026/07/01"), "");
}

TEST(Transparency, CountsFromOneToFourAreABand) {
  EXPECT_EQ(published(0), Figure(std::int64_t{0}));
  for (std::int64_t n = 1; n <= 4; ++n) EXPECT_EQ(published(n), Figure(std::string("1-4"))) << n;
  EXPECT_EQ(published(5), Figure(std::int64_t{5}));
  EXPECT_EQ(published(1234), Figure(std::int64_t{1234}));
}

TEST(Transparency, RowsArePerHalfYearCountryAndKind) {
  TransparencyTally t;
  for (int i = 0; i < 6; ++i) {
    t.add(sent("nl-" + std::to_string(i), "2026-09-0" + std::to_string(i + 1) + "T10:00:00Z", "NL",
               "production", 2));
  }
  t.add(sent("nl-old", "2026-03-01T10:00:00Z", "NL", "production"));
  t.add(sent("de-1", "2026-09-01T10:00:00Z", "DE", "preservation", 3));
  for (int i = 0; i < 4; ++i) t.mark_produced("nl-" + std::to_string(i));
  t.mark_produced("nl-5");
  t.mark_produced("not-counted");  // ignored

  auto rows = t.rows(std::nullopt);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].period, "2026-H1");
  EXPECT_EQ(rows[0].requests, Figure(std::string("1-4")));
  EXPECT_FALSE(rows[0].produced_share) << "no share of a banded count";
  EXPECT_EQ(rows[1].period, "2026-H2");
  EXPECT_EQ(rows[1].country, "DE");
  EXPECT_EQ(rows[1].kind, "preservation");
  EXPECT_EQ(rows[1].accounts, Figure(std::string("1-4")));
  EXPECT_EQ(rows[2].country, "NL");
  EXPECT_EQ(rows[2].requests, Figure(std::int64_t{6}));
  EXPECT_EQ(rows[2].accounts, Figure(std::int64_t{12}));
  EXPECT_EQ(rows[2].with_data_produced, Figure(std::int64_t{5}));
  ASSERT_TRUE(rows[2].produced_share);
  EXPECT_DOUBLE_EQ(*rows[2].produced_share, 5.0 / 6.0);
}

TEST(Transparency, ARequestCountsOnceAndAProviderSeesItsOwn) {
  TransparencyTally t;
  t.add(sent("a", "2026-09-01T10:00:00Z", "NL", "production", 1, "mail"));
  t.add(sent("a", "2026-10-01T10:00:00Z", "NL", "production", 7, "mail"));
  t.add(sent("b", "2026-09-01T10:00:00Z", "NL", "production", 1, "cloud"));
  EXPECT_EQ(t.requests(), 2u);
  auto mail = t.rows(std::string("mail"));
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].accounts, Figure(std::string("1-4"))) << "the replay did not add 7";
  EXPECT_TRUE(t.rows(std::string("nobody")).empty());
}

TEST(Transparency, AShareOfNoneProducedIsZero) {
  TransparencyTally t;
  for (int i = 0; i < 5; ++i)
    t.add(sent(std::to_string(i), "2026-09-01T10:00:00Z", "NL", "emergency_disclosure"));
  auto rows = t.rows(std::nullopt);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].with_data_produced, Figure(std::int64_t{0}));
  ASSERT_TRUE(rows[0].produced_share);
  EXPECT_EQ(*rows[0].produced_share, 0.0);
}

TEST(Transparency, CsvHasAHeaderBandsAndQuotedFields) {
  TransparencyTally t;
  for (int i = 0; i < 5; ++i)
    t.add(sent(std::to_string(i), "2026-09-01T10:00:00Z", "NL", "production", 1));
  t.mark_produced("0");
  t.add(sent("x", "2026-09-01T10:00:00Z", "A,\"B\"", "production"));
  EXPECT_EQ(transparency_csv(t.rows(std::nullopt)),
            "period,country,kind,requests,accounts_specified,with_data_produced,produced_share\r\n"
            "2026-H2,\"A,\"\"B\"\"\",production,1-4,1-4,0,\r\n"
            "2026-H2,NL,production,5,5,1-4,\r\n");
}

}  // namespace
}  // namespace liaison
