#include "http/range.h"

#include <gtest/gtest.h>

#include <limits>

namespace liaison::http {
namespace {

using Kind = RangeAnswer::Kind;

RangeAnswer partial(std::uint64_t offset, std::uint64_t length) {
  return {Kind::kPartial, {offset, length}};
}
const RangeAnswer kWhole{};
const RangeAnswer kUnsatisfiable{Kind::kUnsatisfiable, {}};

TEST(ByteRange, NoHeaderIsTheWholeFile) { EXPECT_EQ(answer_range(std::nullopt, 1000), kWhole); }

TEST(ByteRange, ARangeFromTheStartMiddleOrEnd) {
  EXPECT_EQ(answer_range("bytes=0-99", 1000), partial(0, 100));
  EXPECT_EQ(answer_range("bytes=500-599", 1000), partial(500, 100));
  EXPECT_EQ(answer_range("bytes=999-999", 1000), partial(999, 1));
  EXPECT_EQ(answer_range("bytes=0-0", 1000), partial(0, 1));
  EXPECT_EQ(answer_range("bytes=0-999", 1000), partial(0, 1000));
}

TEST(ByteRange, AnOpenRangeRunsToTheEnd) {
  EXPECT_EQ(answer_range("bytes=900-", 1000), partial(900, 100));
  EXPECT_EQ(answer_range("bytes=0-", 1000), partial(0, 1000));
}

TEST(ByteRange, ALastPositionBeyondTheEndIsCutToIt) {
  EXPECT_EQ(answer_range("bytes=900-5000", 1000), partial(900, 100));
  EXPECT_EQ(answer_range("bytes=0-99999999999999999999999999", 1000), partial(0, 1000));
}

TEST(ByteRange, ASuffixIsTheLastBytes) {
  EXPECT_EQ(answer_range("bytes=-100", 1000), partial(900, 100));
  EXPECT_EQ(answer_range("bytes=-1", 1000), partial(999, 1));
  EXPECT_EQ(answer_range("bytes=-1000", 1000), partial(0, 1000));
  EXPECT_EQ(answer_range("bytes=-5000", 1000), partial(0, 1000)) << "longer than the file";
}

TEST(ByteRange, AStartAtOrBeyondTheEndIsUnsatisfiable) {
  EXPECT_EQ(answer_range("bytes=1000-", 1000), kUnsatisfiable);
  EXPECT_EQ(answer_range("bytes=1000-1999", 1000), kUnsatisfiable);
  EXPECT_EQ(answer_range("bytes=99999999999999999999999999-", 1000), kUnsatisfiable);
  EXPECT_EQ(answer_range("bytes=-0", 1000), kUnsatisfiable);
}

TEST(ByteRange, TheUnitIsCaseInsensitiveAndListsMayHaveEmptyElementsAndSpaces) {
  EXPECT_EQ(answer_range("Bytes=0-9", 1000), partial(0, 10));
  EXPECT_EQ(answer_range("BYTES=0-9", 1000), partial(0, 10));
  EXPECT_EQ(answer_range("bytes= 0-9 ", 1000), partial(0, 10));
  EXPECT_EQ(answer_range("bytes=,0-9,", 1000), partial(0, 10));
  EXPECT_EQ(answer_range("bytes=\t0-9", 1000), partial(0, 10));
}

TEST(ByteRange, SeveralRangesGetTheWholeFile) {
  EXPECT_EQ(answer_range("bytes=0-9,20-29", 1000), kWhole);
  EXPECT_EQ(answer_range("bytes=0-9, -10", 1000), kWhole);
  EXPECT_EQ(answer_range("bytes=0-9,0-9", 1000), kWhole);
  EXPECT_EQ(answer_range("bytes=5000-,6000-", 1000), kWhole) << "ignored, not refused";
}

TEST(ByteRange, AMalformedHeaderIsIgnored) {
  for (const char* h :
       {"", "bytes", "bytes=", "bytes=,", "bytes=abc", "bytes=5", "bytes=-", "bytes=1-2-3",
        "bytes=10-5", "bytes=+1-2", "bytes=0x10-", "bytes=1 -2", "bytes=- 5", "items=0-9",
        "bytes =0-9", "=0-9", "bytes=0-9,x", "bytes=0-9;q=1", "bytes=\xff-1"}) {
    EXPECT_EQ(answer_range(h, 1000), kWhole) << "'" << h << "'";
  }
}

TEST(ByteRange, AnEmptyFileIsAlwaysSentWhole) {
  EXPECT_EQ(answer_range("bytes=0-0", 0), kWhole);
  EXPECT_EQ(answer_range("bytes=-1", 0), kWhole);
}

TEST(ByteRange, TheLargestPositionsDoNotOverflow) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(answer_range("bytes=18446744073709551614-", kMax), partial(18446744073709551614ULL, 1));
  EXPECT_EQ(answer_range("bytes=-18446744073709551615", kMax), partial(0, kMax));
  EXPECT_EQ(answer_range("bytes=0-18446744073709551616", kMax), partial(0, kMax));
}

TEST(ByteRange, IfRangeNeedsTheSameStrongTag) {
  const std::string etag = "\"3fa8\"";
  EXPECT_TRUE(if_range_allows(std::nullopt, etag));
  EXPECT_TRUE(if_range_allows("\"3fa8\"", etag));
  EXPECT_TRUE(if_range_allows(" \"3fa8\" ", etag));
  EXPECT_FALSE(if_range_allows("\"3fa9\"", etag));
  EXPECT_FALSE(if_range_allows("W/\"3fa8\"", etag)) << "weak tags never match";
  EXPECT_FALSE(if_range_allows("3fa8", etag)) << "an unquoted hash is not an entity tag";
  EXPECT_FALSE(if_range_allows("Mon, 02 Nov 2026 09:15:00 GMT", etag));
  EXPECT_FALSE(if_range_allows("W/\"3fa8\"", "W/\"3fa8\"")) << "nor is a weak tag ours";
}

TEST(ByteRange, ContentRangeValues) {
  EXPECT_EQ(content_range({0, 100}, 1000), "bytes 0-99/1000");
  EXPECT_EQ(content_range({999, 1}, 1000), "bytes 999-999/1000");
  EXPECT_EQ(unsatisfied_content_range(1000), "bytes */1000");
}

}  // namespace
}  // namespace liaison::http
