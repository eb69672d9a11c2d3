#include "core/scope.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

TEST(ScopesTest, ParseAndPrintInAFixedOrder) {
  auto s = Scopes::parse("admin, read", "scopes");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->has(Scope::kRead));
  EXPECT_FALSE(s->has(Scope::kWrite));
  EXPECT_TRUE(s->has(Scope::kAdmin));
  EXPECT_EQ(s->to_string(), "read,admin");
  EXPECT_EQ((Scopes{Scope::kWrite, Scope::kRead}).to_string(), "read,write");
  EXPECT_TRUE(Scopes::parse("", "scopes")->empty());
}

TEST(ScopesTest, UnknownScopesAreNamed) {
  auto s = Scopes::parse("read,delete", "scope");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().issues.at(0).field, "scope");
  EXPECT_NE(s.error().message.find("'delete'"), std::string::npos);
}

TEST(ScopesTest, CoversMeansEveryScopeOfTheOther) {
  Scopes all{Scope::kRead, Scope::kWrite, Scope::kAdmin};
  Scopes rw{Scope::kRead, Scope::kWrite};
  EXPECT_TRUE(all.covers(rw));
  EXPECT_FALSE(rw.covers(all));
  EXPECT_TRUE(rw.covers(rw));
  EXPECT_TRUE(rw.covers(Scopes{}));
  EXPECT_FALSE(Scopes{Scope::kRead}.covers(Scopes{Scope::kWrite}));
}

}  // namespace
}  // namespace liaison
