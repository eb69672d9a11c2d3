#include "ledger/entry_lines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace liaison::ledger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string reason(const Result<std::vector<std::string_view>>& r) {
  return r.ok() || r.error().issues.empty() ? "" : r.error().issues[0].reason;
}

TEST(EntryLinesTest, NumberedLinesFromTheFirstIndexOn) {
  auto r = parse_entry_lines("4 {\"a\"}\n5 {\"b\"}\n", 4);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(*r, ElementsAre("{\"a\"}", "{\"b\"}"));
  EXPECT_TRUE(parse_entry_lines("", 9).value().empty());
}

TEST(EntryLinesTest, AGapOrAnEntryOutOfPlaceNamesTheExpectedIndex) {
  EXPECT_THAT(reason(parse_entry_lines("4 a\n6 b\n", 4)),
              HasSubstr("served entry 6 where entry 5"));
  EXPECT_THAT(reason(parse_entry_lines("05 a\n", 5)), HasSubstr("where entry 5 belongs"));
  EXPECT_THAT(reason(parse_entry_lines("4 a\n5 b", 4)), HasSubstr("from entry 5 on"));
  EXPECT_THAT(reason(parse_entry_lines("4a\n", 4)), HasSubstr("from entry 4 on"));
}

}  // namespace
}  // namespace liaison::ledger
