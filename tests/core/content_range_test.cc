#include "core/content_range.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

TEST(ContentRangeTest, ReadsAPartOfAKnownTotal) {
  auto r = parse_content_range("bytes 0-1023/4096");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->first, 0u);
  EXPECT_EQ(r->last, 1023u);
  EXPECT_EQ(r->total, 4096u);
  EXPECT_EQ(r->length(), 1024u);
  auto last = parse_content_range("bytes 4095-4095/4096");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->length(), 1u);
  auto big = parse_content_range("bytes 0-9007199254740990/9007199254740991");
  ASSERT_TRUE(big.ok());
}

TEST(ContentRangeTest, RefusesAnythingElseNamingTheHeader) {
  for (const char* bad :
       {"", "bytes", "bytes 0-1/", "bytes 0-1/*", "bytes */100", "bytes 1-0/10", "bytes 0-10/10",
        "bytes 00-1/10", "bytes -1-2/10", "bytes +1-2/10", "bytes 0-1/10 ", " bytes 0-1/10",
        "Bytes 0-1/10", "bytes  0-1/10", "items 0-1/10", "bytes 0-1/9007199254740992",
        "bytes 0x1-2/10", "bytes 0-1,2-3/10"}) {
    auto r = parse_content_range(bad);
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.error().issues.size(), 1u);
    EXPECT_EQ(r.error().issues[0].field, "Content-Range") << bad;
  }
}

}  // namespace
}  // namespace liaison
