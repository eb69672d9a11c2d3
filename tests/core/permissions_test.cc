#include "core/permissions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace liaison {
namespace {

using A = Action;
using T = RequestAction;

constexpr A kAllActions[] = {A::kReadOrganisations,
                             A::kCreateOrganisation,
                             A::kListUsers,
                             A::kReadUser,
                             A::kManageUser,
                             A::kCreateHubAdmin,
                             A::kManageOwnAccount,
                             A::kReadTrust,
                             A::kChooseRoots,
                             A::kCertifyOrganisation,
                             A::kCertifyUser,
                             A::kCertifyRecipient,
                             A::kPublishRevocations,
                             A::kReadSigningPolicy,
                             A::kSetSigningPolicy,
                             A::kReviewQuarantine,
                             A::kCreateRequest,
                             A::kReadRequest,
                             A::kSignRequest,
                             A::kAskValidation,
                             A::kWriteMessage,
                             A::kAttachDocument,
                             A::kAttachProduction,
                             A::kReportVerification,
                             A::kReadLedger,
                             A::kCosignCheckpoint,
                             A::kReadDirectory,
                             A::kCreateDirectoryEntry,
                             A::kUpdateDirectoryEntry,
                             A::kReadHold,
                             A::kReadReminders,
                             A::kMarkReminderDelivered};
constexpr T kAllTransitions[] = {T::kSubmit,  T::kAcknowledge, T::kRequestClarification,
                                 T::kClarify, T::kAccept,      T::kReject,
                                 T::kCancel,  T::kPreserve,    T::kExtend,
                                 T::kRelease, T::kProduce,     T::kNotAvailable,
                                 T::kExpire,  T::kFollowUp,    T::kNotifyUser};
constexpr Relation kAllRelations[] = {Relation::kSelf, Relation::kOwn, Relation::kAddressed,
                                      Relation::kForeign};

Caller member(OrgKind kind, std::initializer_list<Role> roles) {
  Caller c;
  c.org_kind = kind;
  for (Role r : roles) c.roles.add(r);
  return c;
}
Caller every_role(OrgKind kind) {
  return member(kind, {Role::kOfficer, Role::kValidator, Role::kSupervisor, Role::kAnalyst,
                       Role::kCounsel, Role::kOrgAdmin, Role::kAuditor});
}
Caller hub_admin() {
  Caller c;
  c.hub_admin = true;
  return c;
}
Caller hub_timer() {
  Caller c;
  c.hub = true;
  return c;
}

bool permits_anything(const Permission& row, const Caller& c) {
  for (Relation rel : kAllRelations) {
    if (row.transition ? permits(*row.transition, c, rel) : permits(row.action, c, rel))
      return true;
  }
  return false;
}

TEST(PermissionsTest, OneRowPerActionAndPerTransitionWithUniqueNames) {
  std::set<std::string> names;
  std::set<A> actions;
  std::set<T> transitions;
  for (const auto& row : permission_table()) {
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_FALSE(row.grants.empty()) << row.name;
    if (row.transition) {
      EXPECT_EQ(row.action, A::kTransition);
      EXPECT_TRUE(transitions.insert(*row.transition).second) << row.name;
      EXPECT_EQ(std::string(row.name),
                std::string("requests.") + request_action_name(*row.transition));
    } else {
      EXPECT_TRUE(actions.insert(row.action).second) << row.name;
    }
  }
  EXPECT_EQ(actions.size(), std::size(kAllActions));
  EXPECT_EQ(transitions.size(), std::size(kAllTransitions));
  for (A a : kAllActions) EXPECT_STRNE(permission_for(a).name, "unknown");
  for (T t : kAllTransitions) EXPECT_STRNE(permission_for(t).name, "unknown");
}

TEST(PermissionsTest, SomeoneWithoutOrganisationOrAdminRightsGetsOnlyWhatEveryoneGets) {
  Caller nobody;
  std::vector<std::string> granted;
  for (const auto& row : permission_table()) {
    if (permits_anything(row, nobody)) granted.emplace_back(row.name);
  }
  EXPECT_THAT(granted, ::testing::UnorderedElementsAre(
                           "organisations.read", "users.read", "account.manage_own", "trust.read",
                           "ledger.read", "ledger.cosign", "directory.read"));
  // ... and users.read and account.manage_own only on their own account.
  EXPECT_FALSE(permits(A::kManageOwnAccount, nobody, Relation::kOwn));
  EXPECT_FALSE(permits(A::kReadUser, nobody, Relation::kForeign));
}

TEST(PermissionsTest, HubAdministratorsRunTheHubButSeeNoCase) {
  for (A a : {A::kCreateRequest, A::kReadRequest, A::kSignRequest, A::kWriteMessage,
              A::kAttachDocument, A::kAttachProduction}) {
    for (Relation rel : kAllRelations) EXPECT_FALSE(permits(a, hub_admin(), rel));
  }
  for (T t : kAllTransitions) EXPECT_FALSE(permits_anything(permission_for(t), hub_admin()));
  for (A a : {A::kCreateOrganisation, A::kCreateHubAdmin, A::kChooseRoots, A::kCertifyOrganisation,
              A::kReviewQuarantine}) {
    EXPECT_TRUE(permits(a, hub_admin(), Relation::kForeign));
    EXPECT_FALSE(permits_anything(permission_for(a), every_role(OrgKind::kAuthority)));
    EXPECT_FALSE(permits_anything(permission_for(a), every_role(OrgKind::kProvider)));
  }
}

TEST(PermissionsTest, OnlyTheHubExpiresAndTheHubDoesNothingElse) {
  for (const auto& row : permission_table()) {
    bool expected = row.transition == T::kExpire;
    EXPECT_EQ(permits_anything(row, hub_timer()), expected) << row.name;
    if (expected) {
      EXPECT_FALSE(permits_anything(row, every_role(OrgKind::kAuthority)));
      EXPECT_FALSE(permits_anything(row, hub_admin()));
    }
  }
}

TEST(PermissionsTest, AuthoritiesActOnTheirOwnRequestsAndProvidersOnThoseSentToThem) {
  Caller officer = member(OrgKind::kAuthority, {Role::kOfficer});
  Caller analyst = member(OrgKind::kProvider, {Role::kAnalyst});
  EXPECT_TRUE(permits(A::kCreateRequest, officer, Relation::kOwn));
  EXPECT_TRUE(permits(A::kReadRequest, officer, Relation::kOwn));
  EXPECT_FALSE(permits(A::kReadRequest, officer, Relation::kForeign));
  EXPECT_FALSE(permits(A::kReadRequest, officer, Relation::kAddressed));
  EXPECT_TRUE(permits(A::kReadRequest, analyst, Relation::kAddressed));
  EXPECT_FALSE(permits(A::kReadRequest, analyst, Relation::kOwn));
  EXPECT_FALSE(permits(A::kReadRequest, analyst, Relation::kForeign));
  // A provider never issues and an authority never produces, whatever roles it hands out.
  Caller provider = every_role(OrgKind::kProvider);
  Caller authority = every_role(OrgKind::kAuthority);
  for (A a : {A::kCreateRequest, A::kSignRequest})
    EXPECT_FALSE(permits_anything(permission_for(a), provider));
  for (T t : {T::kSubmit, T::kCancel, T::kExtend, T::kClarify, T::kFollowUp})
    EXPECT_FALSE(permits_anything(permission_for(t), provider));
  // Either side ends a preservation: the authority withdraws it, the
  // provider's analysts and counsel release its hold.
  EXPECT_TRUE(permits(T::kRelease, officer, Relation::kOwn));
  EXPECT_TRUE(permits(T::kRelease, analyst, Relation::kAddressed));
  EXPECT_TRUE(
      permits(T::kRelease, member(OrgKind::kProvider, {Role::kCounsel}), Relation::kAddressed));
  EXPECT_FALSE(
      permits(T::kRelease, member(OrgKind::kProvider, {Role::kOrgAdmin}), Relation::kAddressed));
  EXPECT_FALSE(permits(T::kRelease, analyst, Relation::kForeign));
  // Telling the user is the provider's.
  EXPECT_TRUE(permits(T::kNotifyUser, analyst, Relation::kAddressed));
  EXPECT_FALSE(permits_anything(permission_for(T::kNotifyUser), authority));
  // Holds: the provider's own and the issuing authority's; reminders: the organisation's own.
  EXPECT_TRUE(permits(A::kReadHold, analyst, Relation::kAddressed));
  EXPECT_TRUE(permits(A::kReadHold, officer, Relation::kOwn));
  EXPECT_FALSE(permits(A::kReadHold, officer, Relation::kForeign));
  EXPECT_FALSE(permits_anything(permission_for(A::kReadHold), hub_admin()));
  EXPECT_TRUE(permits(A::kReadReminders, analyst, Relation::kOwn));
  EXPECT_FALSE(permits(A::kMarkReminderDelivered, analyst, Relation::kOwn));
  EXPECT_TRUE(permits(A::kMarkReminderDelivered, member(OrgKind::kProvider, {Role::kOrgAdmin}),
                      Relation::kOwn));
  EXPECT_FALSE(permits_anything(permission_for(A::kAttachProduction), authority));
  for (T t : {T::kAcknowledge, T::kAccept, T::kReject, T::kPreserve, T::kProduce, T::kNotAvailable,
              T::kRequestClarification})
    EXPECT_FALSE(permits_anything(permission_for(t), authority));
  // Central authorities issue like any authority.
  EXPECT_TRUE(permits(A::kCreateRequest, member(OrgKind::kCentralAuthority, {Role::kOfficer}),
                      Relation::kOwn));
}

TEST(PermissionsTest, RolesNarrowWhatAMemberMayDo) {
  Caller auditor = member(OrgKind::kAuthority, {Role::kAuditor});
  EXPECT_TRUE(permits(A::kReadRequest, auditor, Relation::kOwn));
  EXPECT_TRUE(permits(A::kListUsers, auditor, Relation::kOwn));
  for (A a : {A::kCreateRequest, A::kSignRequest, A::kWriteMessage, A::kAttachDocument,
              A::kManageUser, A::kSetSigningPolicy, A::kCertifyUser, A::kCertifyRecipient})
    EXPECT_FALSE(permits(a, auditor, Relation::kOwn)) << permission_for(a).name;
  Caller validator = member(OrgKind::kAuthority, {Role::kValidator});
  EXPECT_TRUE(permits(A::kSignRequest, validator, Relation::kOwn));
  EXPECT_FALSE(permits(A::kCreateRequest, validator, Relation::kOwn));
  EXPECT_FALSE(permits(T::kSubmit, validator, Relation::kOwn));
  EXPECT_TRUE(permits(T::kClarify, validator, Relation::kOwn));
  EXPECT_FALSE(permits(A::kAskValidation, validator, Relation::kOwn));
  // Asked to validate another authority's request, a validator reads and
  // co-signs it, and does nothing else; nobody else in its organisation may.
  EXPECT_TRUE(permits(A::kReadRequest, validator, Relation::kValidating));
  EXPECT_TRUE(permits(A::kSignRequest, validator, Relation::kValidating));
  for (A a : {A::kCreateRequest, A::kAskValidation, A::kWriteMessage, A::kAttachDocument,
              A::kAttachProduction, A::kReportVerification, A::kReadHold}) {
    EXPECT_FALSE(permits(a, validator, Relation::kValidating)) << permission_for(a).name;
  }
  for (T t : kAllTransitions) {
    EXPECT_FALSE(permits(t, validator, Relation::kValidating)) << permission_for(t).name;
  }
  Caller colleague = member(OrgKind::kAuthority, {Role::kOfficer, Role::kSupervisor});
  EXPECT_FALSE(permits(A::kReadRequest, colleague, Relation::kValidating));
  EXPECT_FALSE(permits(A::kSignRequest, colleague, Relation::kValidating));
  Caller counsel = member(OrgKind::kProvider, {Role::kCounsel});
  EXPECT_TRUE(permits(T::kReject, counsel, Relation::kAddressed));
  EXPECT_FALSE(permits(T::kProduce, counsel, Relation::kAddressed));
  EXPECT_FALSE(permits(A::kAttachProduction, counsel, Relation::kAddressed));
  Caller admin = member(OrgKind::kProvider, {Role::kOrgAdmin});
  EXPECT_TRUE(permits(A::kManageUser, admin, Relation::kOwn));
  EXPECT_FALSE(permits(A::kManageUser, admin, Relation::kForeign));
  EXPECT_FALSE(permits(A::kReadRequest, admin, Relation::kOwn));  // not addressed to it
}

// docs/security.md carries the table as the code states it, row for row.
TEST(PermissionsTest, TheDocumentedMatrixIsTheTable) {
  std::ifstream in(std::string(LIAISON_SOURCE_DIR) + "/docs/security.md");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (const auto& row : permission_table()) {
    std::string line = "| `" + std::string(row.name) + "` | " + describe_grants(row) + " |";
    EXPECT_NE(doc.find(line), std::string::npos) << "docs/security.md lacks the row\n" << line;
  }
}

// The directory is public; a provider's org admin keeps only its own
// organisation's entry, hub administrators any; authorities never edit.
TEST(PermissionsTest, DirectoryEntriesAreEditedByTheirProvidersOrgAdminOrTheHub) {
  Caller provider_admin;
  provider_admin.org_kind = OrgKind::kProvider;
  provider_admin.roles.add(Role::kOrgAdmin);
  Caller analyst;
  analyst.org_kind = OrgKind::kProvider;
  analyst.roles.add(Role::kAnalyst);
  Caller police_admin;
  police_admin.org_kind = OrgKind::kAuthority;
  police_admin.roles.add(Role::kOrgAdmin);
  for (A a : {A::kCreateDirectoryEntry, A::kUpdateDirectoryEntry}) {
    EXPECT_TRUE(permits(a, provider_admin, Relation::kOwn));
    EXPECT_FALSE(permits(a, provider_admin, Relation::kForeign));
    EXPECT_FALSE(permits(a, analyst, Relation::kOwn));
    EXPECT_FALSE(permits(a, police_admin, Relation::kOwn));
    EXPECT_TRUE(permits(a, hub_admin(), Relation::kForeign));
    EXPECT_FALSE(permits(a, hub_timer(), Relation::kForeign));
  }
  EXPECT_TRUE(permits(A::kReadDirectory, analyst, Relation::kForeign));
  EXPECT_TRUE(permits(A::kReadDirectory, police_admin, Relation::kForeign));
}

}  // namespace
}  // namespace liaison
