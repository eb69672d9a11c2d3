#include "core/user.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_matchers.h"

namespace liaison {
namespace {

using ::liaison::testing::FailsOn;

constexpr Role kAllRoles[] = {Role::kOfficer, Role::kValidator, Role::kSupervisor, Role::kAnalyst,
                              Role::kCounsel, Role::kOrgAdmin,  Role::kAuditor};

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(role_from_name(role_name(r)), r) << role_name(r);
  EXPECT_EQ(role_from_name("Officer"), std::nullopt);
  EXPECT_EQ(role_from_name("admin"), std::nullopt);
}

TEST(RolesTest, ParseAndToStringRoundTripInDeclarationOrder) {
  auto r = Roles::parse("org_admin, officer", "roles");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->has(Role::kOfficer));
  EXPECT_TRUE(r->has(Role::kOrgAdmin));
  EXPECT_FALSE(r->has(Role::kValidator));
  EXPECT_EQ(r->to_string(), "officer,org_admin");

  auto again = Roles::parse(r->to_string(), "roles");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

TEST(RolesTest, AllRolesRoundTrip) {
  Roles all;
  for (Role r : kAllRoles) all.add(r);
  EXPECT_EQ(all.to_string(), "officer,validator,supervisor,analyst,counsel,org_admin,auditor");
  auto back = Roles::parse(all.to_string(), "roles");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
}

TEST(RolesTest, EmptyListsAndDuplicates) {
  auto empty = Roles::parse("", "roles");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(empty->to_string(), "");

  auto dup = Roles::parse("analyst,,analyst , ", "roles");
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->to_string(), "analyst");
}

TEST(RolesTest, UnknownRoleIsNamedInTheError) {
  EXPECT_THAT(Roles::parse("officer,detective", "users/3/roles"),
              FailsOn("users/3/roles", "unknown role 'detective'"));
  EXPECT_THAT(Roles::parse("OFFICER", "roles"), FailsOn("roles", "unknown role 'OFFICER'"));
}

TEST(RoleAllowedTest, AuthorityRolesOnlyForAuthorities) {
  for (Role r : {Role::kOfficer, Role::kValidator, Role::kSupervisor}) {
    EXPECT_TRUE(role_allowed_for(r, OrgKind::kAuthority)) << role_name(r);
    EXPECT_TRUE(role_allowed_for(r, OrgKind::kCentralAuthority)) << role_name(r);
    EXPECT_FALSE(role_allowed_for(r, OrgKind::kProvider)) << role_name(r);
  }
}

TEST(RoleAllowedTest, ProviderRolesOnlyForProviders) {
  for (Role r : {Role::kAnalyst, Role::kCounsel}) {
    EXPECT_TRUE(role_allowed_for(r, OrgKind::kProvider)) << role_name(r);
    EXPECT_FALSE(role_allowed_for(r, OrgKind::kAuthority)) << role_name(r);
    EXPECT_FALSE(role_allowed_for(r, OrgKind::kCentralAuthority)) << role_name(r);
  }
}

TEST(RoleAllowedTest, AdminAndAuditorEverywhere) {
  for (Role r : {Role::kOrgAdmin, Role::kAuditor}) {
    for (auto k : {OrgKind::kAuthority, OrgKind::kProvider, OrgKind::kCentralAuthority}) {
      EXPECT_TRUE(role_allowed_for(r, k)) << role_name(r) << " " << org_kind_name(k);
    }
  }
}

}  // namespace
}  // namespace liaison
