#include "core/request_lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace liaison {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using A = RequestAction;
using S = RequestStatus;
using K = RequestKind;

constexpr A kAllActions[] = {A::kSubmit,  A::kAcknowledge, A::kRequestClarification,
                             A::kClarify, A::kAccept,      A::kReject,
                             A::kCancel,  A::kPreserve,    A::kExtend,
                             A::kRelease, A::kProduce,     A::kNotAvailable,
                             A::kExpire,  A::kFollowUp,    A::kNotifyUser};
constexpr S kAllStatuses[] = {
    S::kDraft,        S::kSubmitted,  S::kAcknowledged, S::kClarificationRequested,
    S::kClarified,    S::kAccepted,   S::kPreserved,    S::kProduced,
    S::kNotAvailable, S::kRejected,   S::kCancelled,    S::kExpired,
    S::kReleased,     S::kQuarantined};
constexpr K kAllKinds[] = {K::kPreservation, K::kProduction, K::kEmergencyDisclosure,
                           K::kDomainRegistration};

Actor officer() {
  Actor a{Side::kIssuer, {}};
  a.roles.add(Role::kOfficer);
  return a;
}
Actor whole_authority() {
  Actor a{Side::kIssuer, {}};
  a.roles.add(Role::kOfficer);
  a.roles.add(Role::kValidator);
  a.roles.add(Role::kSupervisor);
  return a;
}
Actor analyst() {
  Actor a{Side::kProvider, {}};
  a.roles.add(Role::kAnalyst);
  return a;
}
Actor whole_provider() {
  Actor a{Side::kProvider, {}};
  a.roles.add(Role::kAnalyst);
  a.roles.add(Role::kCounsel);
  return a;
}
Actor hub() { return Actor{Side::kHub, {}}; }

Request make(K kind, S status) {
  Request r;
  r.draft.kind = kind;
  r.status = status;
  return r;
}

// Applies an action that must be legal, moving the request to the rule's target.
void apply(Request& r, A action, const Actor& actor) {
  auto rule = check_transition(r, action, actor);
  ASSERT_TRUE(rule.ok()) << request_action_name(action) << " from " << request_status_name(r.status)
                         << ": " << rule.error().message;
  r.status = (*rule)->to;
}

// The state machine written out independently of the implementation's
// table (ARCHITECTURE §4), so a change to either shows up here.
struct Expected {
  Side side;
  std::set<S> from;
  S to;
  std::set<K> kinds;          // empty: all
  bool provider_too = false;  // the provider may take it as well
};
const std::map<A, Expected>& expected_table() {
  static const std::set<S> kOpen = {S::kSubmitted, S::kAcknowledged, S::kClarificationRequested,
                                    S::kClarified, S::kAccepted};
  static const std::map<A, Expected> t = {
      {A::kSubmit, {Side::kIssuer, {S::kDraft}, S::kSubmitted, {}}},
      {A::kAcknowledge, {Side::kProvider, {S::kSubmitted}, S::kAcknowledged, {}}},
      {A::kRequestClarification,
       {Side::kProvider, {S::kAcknowledged, S::kClarified}, S::kClarificationRequested, {}}},
      {A::kClarify, {Side::kIssuer, {S::kClarificationRequested}, S::kClarified, {}}},
      {A::kAccept, {Side::kProvider, {S::kAcknowledged, S::kClarified}, S::kAccepted, {}}},
      {A::kReject, {Side::kProvider, kOpen, S::kRejected, {}}},
      {A::kCancel,
       {Side::kIssuer,
        {S::kDraft, S::kSubmitted, S::kAcknowledged, S::kClarificationRequested, S::kClarified,
         S::kAccepted},
        S::kCancelled,
        {}}},
      {A::kPreserve, {Side::kProvider, {S::kAccepted}, S::kPreserved, {K::kPreservation}}},
      {A::kExtend, {Side::kIssuer, {S::kPreserved}, S::kPreserved, {K::kPreservation}}},
      // Either side: the authority withdraws, the provider releases its hold.
      {A::kRelease, {Side::kIssuer, {S::kPreserved}, S::kReleased, {K::kPreservation}, true}},
      {A::kProduce,
       {Side::kProvider,
        {S::kAccepted},
        S::kProduced,
        {K::kProduction, K::kEmergencyDisclosure, K::kDomainRegistration}}},
      {A::kNotAvailable, {Side::kProvider, {S::kAccepted}, S::kNotAvailable, {}}},
      {A::kExpire, {Side::kHub, {S::kPreserved}, S::kExpired, {K::kPreservation}}},
      {A::kFollowUp, {Side::kIssuer, {S::kProduced}, S::kProduced, {K::kEmergencyDisclosure}}},
      // Legal only while the user-notification task is open, which no
      // request made here has: see TellingTheUserNeedsTheTask.
      {A::kNotifyUser, {Side::kProvider, {}, S::kSubmitted, {}}},
  };
  return t;
}

bool expected_legal(A action, K kind, S status) {
  const auto& e = expected_table().at(action);
  return e.from.count(status) && (e.kinds.empty() || e.kinds.count(kind));
}

Actor actor_for(Side side) {
  switch (side) {
    case Side::kIssuer:
      return whole_authority();
    case Side::kProvider:
      return whole_provider();
    case Side::kValidator: {
      // A validating authority with every role: it still takes no step.
      Actor a = whole_authority();
      a.side = Side::kValidator;
      return a;
    }
    case Side::kHub:
      return hub();
  }
  return hub();
}

std::vector<std::string> expected_allowed(Side side, K kind, S status) {
  std::vector<std::string> out;
  for (A a : kAllActions) {
    const Expected& e = expected_table().at(a);
    bool by_side = e.side == side || (e.provider_too && side == Side::kProvider);
    if (by_side && expected_legal(a, kind, status)) {
      out.emplace_back(request_action_name(a));
    }
  }
  return out;
}

TEST(LifecycleTest, ActionNamesRoundTrip) {
  for (A a : kAllActions) EXPECT_EQ(request_action_from_name(request_action_name(a)), a);
  EXPECT_EQ(request_action_from_name("approve"), std::nullopt);
}

TEST(LifecycleTest, OneRulePerAction) {
  std::set<A> seen;
  for (const auto& rule : transition_rules()) EXPECT_TRUE(seen.insert(rule.action).second);
  EXPECT_EQ(seen.size(), std::size(kAllActions));
}

TEST(LifecycleTest, ProductionHappyPathWithClarification) {
  Request r = make(K::kProduction, S::kDraft);
  apply(r, A::kSubmit, officer());
  EXPECT_EQ(r.status, S::kSubmitted);
  apply(r, A::kAcknowledge, analyst());
  EXPECT_EQ(r.status, S::kAcknowledged);
  apply(r, A::kRequestClarification, analyst());
  EXPECT_EQ(r.status, S::kClarificationRequested);
  apply(r, A::kClarify, officer());
  EXPECT_EQ(r.status, S::kClarified);
  apply(r, A::kAccept, analyst());
  EXPECT_EQ(r.status, S::kAccepted);
  apply(r, A::kProduce, analyst());
  EXPECT_EQ(r.status, S::kProduced);
  EXPECT_TRUE(is_final(r.status));
  EXPECT_THAT(allowed_actions(r, whole_authority()), IsEmpty());
  EXPECT_THAT(allowed_actions(r, whole_provider()), IsEmpty());
}

TEST(LifecycleTest, PreservationHappyPathUntilRelease) {
  Request r = make(K::kPreservation, S::kDraft);
  apply(r, A::kSubmit, officer());
  apply(r, A::kAcknowledge, analyst());
  apply(r, A::kAccept, analyst());
  apply(r, A::kPreserve, analyst());
  EXPECT_EQ(r.status, S::kPreserved);
  EXPECT_FALSE(is_final(r.status));
  apply(r, A::kExtend, officer());
  EXPECT_EQ(r.status, S::kPreserved);
  apply(r, A::kRelease, officer());
  EXPECT_EQ(r.status, S::kReleased);
  EXPECT_TRUE(is_final(r.status));
}

TEST(LifecycleTest, EmergencyDisclosureLeavesTheFollowUpToTheAuthority) {
  Request r = make(K::kEmergencyDisclosure, S::kDraft);
  apply(r, A::kSubmit, officer());
  apply(r, A::kAcknowledge, analyst());
  apply(r, A::kAccept, analyst());
  apply(r, A::kProduce, analyst());
  EXPECT_THAT(allowed_actions(r, whole_provider()), IsEmpty());
  EXPECT_THAT(allowed_actions(r, whole_authority()), ElementsAre(A::kFollowUp));
  apply(r, A::kFollowUp, officer());
  EXPECT_EQ(r.status, S::kProduced);
  // Only emergency disclosures owe a follow-up.
  EXPECT_EQ(
      check_transition(make(K::kProduction, S::kProduced), A::kFollowUp, officer()).error().code,
      ErrorCode::kIllegalTransition);
}

TEST(LifecycleTest, QuarantinedRequestsAllowNothing) {
  for (K k : kAllKinds) {
    for (Side side : {Side::kIssuer, Side::kProvider, Side::kValidator, Side::kHub}) {
      EXPECT_THAT(allowed_actions(make(k, S::kQuarantined), actor_for(side)), IsEmpty());
    }
  }
  EXPECT_EQ(etsi_status(K::kProduction, S::kQuarantined).value, std::string("Invalid"));
}

TEST(LifecycleTest, HubExpiresAPreservation) {
  Request r = make(K::kPreservation, S::kPreserved);
  apply(r, A::kExpire, hub());
  EXPECT_EQ(r.status, S::kExpired);
  EXPECT_TRUE(is_final(r.status));
}

TEST(LifecycleTest, RulesNeedingNotesAndProductions) {
  std::set<A> notes, productions;
  for (const auto& rule : transition_rules()) {
    if (rule.needs_note) notes.insert(rule.action);
    if (rule.needs_production) productions.insert(rule.action);
  }
  EXPECT_EQ(notes, (std::set<A>{A::kRequestClarification, A::kClarify, A::kReject, A::kFollowUp,
                                A::kNotifyUser}));
  EXPECT_EQ(productions, (std::set<A>{A::kProduce}));
}

// Every (action, kind, state): legal exactly where the table says, and
// otherwise kIllegalTransition listing what this actor could do instead.
TEST(LifecycleTest, EveryActionKindStateCombination) {
  for (A action : kAllActions) {
    const Expected& e = expected_table().at(action);
    Side side = e.side;
    Actor actor = actor_for(side);
    for (K kind : kAllKinds) {
      for (S status : kAllStatuses) {
        SCOPED_TRACE(std::string(request_action_name(action)) + " on " + request_kind_name(kind) +
                     " " + request_status_name(status));
        auto r = check_transition(make(kind, status), action, actor);
        if (expected_legal(action, kind, status)) {
          ASSERT_TRUE(r.ok()) << r.error().message;
          EXPECT_EQ((*r)->to, e.to);
          EXPECT_EQ((*r)->action, action);
        } else {
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.error().code, ErrorCode::kIllegalTransition);
          EXPECT_THAT(r.error().message,
                      HasSubstr(std::string("cannot ") + request_action_name(action)));
          EXPECT_THAT(r.error().message, HasSubstr(request_status_name(status)));
          EXPECT_THAT(r.error().allowed, ElementsAreArray(expected_allowed(side, kind, status)));
        }
      }
    }
  }
}

TEST(LifecycleTest, AllowedActionsMatchTable) {
  for (Side side : {Side::kIssuer, Side::kProvider, Side::kValidator, Side::kHub}) {
    for (K kind : kAllKinds) {
      for (S status : kAllStatuses) {
        std::vector<std::string> got;
        for (A a : allowed_actions(make(kind, status), actor_for(side)))
          got.emplace_back(request_action_name(a));
        EXPECT_EQ(got, expected_allowed(side, kind, status))
            << request_kind_name(kind) << " " << request_status_name(status);
      }
    }
  }
}

// notify_user: in any state a sent request reaches, but only while the task
// is open, and it leaves the status as it was.
TEST(LifecycleTest, TellingTheUserNeedsTheTask) {
  for (S status : kAllStatuses) {
    Request r = make(K::kProduction, status);
    r.draft.non_disclosure_until = "2026-01-01T00:00:00Z";
    SCOPED_TRACE(request_status_name(status));
    auto before = check_transition(r, A::kNotifyUser, analyst());
    ASSERT_FALSE(before.ok());
    EXPECT_EQ(before.error().code, ErrorCode::kIllegalTransition);
    r.user_notification_permitted_at = "2026-01-01T00:01:00Z";
    auto open = check_transition(r, A::kNotifyUser, analyst());
    bool sent = status != S::kDraft && status != S::kQuarantined;
    EXPECT_EQ(open.ok(), sent);
    if (sent) {
      EXPECT_TRUE((*open)->keeps_status);
      EXPECT_THAT(before.error().message, HasSubstr("runs until 2026-01-01T00:00:00Z"));
      auto actions = allowed_actions(r, analyst());
      EXPECT_EQ(std::count(actions.begin(), actions.end(), A::kNotifyUser), 1);
    }
    r.user_notified_at = "2026-01-02T00:00:00Z";
    auto done = check_transition(r, A::kNotifyUser, analyst());
    ASSERT_FALSE(done.ok());
    if (sent) {
      EXPECT_THAT(done.error().message, HasSubstr("was recorded at 2026-01-02"));
    }
    EXPECT_EQ(check_transition(r, A::kNotifyUser, officer()).error().code, ErrorCode::kForbidden);
  }
  Request ungagged = make(K::kProduction, S::kAccepted);
  EXPECT_THAT(check_transition(ungagged, A::kNotifyUser, analyst()).error().message,
              HasSubstr("no non-disclosure order"));
}

TEST(LifecycleTest, IllegalTransitionListsRealOptions) {
  auto r = check_transition(make(K::kProduction, S::kAcknowledged), A::kProduce, analyst());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIllegalTransition);
  EXPECT_THAT(r.error().allowed, ElementsAre("request_clarification", "accept", "reject"));
}

TEST(LifecycleTest, ProduceOnPreservationIsIllegalEvenWhenAccepted) {
  auto r = check_transition(make(K::kPreservation, S::kAccepted), A::kProduce, analyst());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIllegalTransition);
  EXPECT_THAT(r.error().message, HasSubstr("preservation"));
  EXPECT_THAT(r.error().allowed, ElementsAre("reject", "preserve", "not_available"));
}

TEST(LifecycleTest, PreserveOnProductionIsIllegal) {
  auto r = check_transition(make(K::kProduction, S::kAccepted), A::kPreserve, analyst());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIllegalTransition);
  EXPECT_THAT(r.error().allowed, ElementsAre("reject", "produce", "not_available"));
}

TEST(LifecycleTest, WrongSideIsForbiddenWhateverTheState) {
  // Side is checked before state: a provider must not learn the request's
  // state from the kind of refusal it gets.
  for (S status : kAllStatuses) {
    auto r = check_transition(make(K::kProduction, status), A::kSubmit, whole_provider());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << request_status_name(status);
    EXPECT_THAT(r.error().message, HasSubstr("'submit'"));
    EXPECT_THAT(r.error().allowed, IsEmpty());
  }
  EXPECT_EQ(
      check_transition(make(K::kProduction, S::kSubmitted), A::kAcknowledge, whole_authority())
          .error()
          .code,
      ErrorCode::kForbidden);
  EXPECT_EQ(check_transition(make(K::kPreservation, S::kPreserved), A::kExpire, whole_authority())
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      check_transition(make(K::kPreservation, S::kPreserved), A::kRelease, hub()).error().code,
      ErrorCode::kForbidden);
}

TEST(LifecycleTest, WrongRoleIsForbidden) {
  Actor validator{Side::kIssuer, {}};
  validator.roles.add(Role::kValidator);
  EXPECT_EQ(check_transition(make(K::kProduction, S::kDraft), A::kSubmit, validator).error().code,
            ErrorCode::kForbidden);
  // A validator may answer a clarification, though.
  EXPECT_TRUE(
      check_transition(make(K::kProduction, S::kClarificationRequested), A::kClarify, validator)
          .ok());

  Actor counsel{Side::kProvider, {}};
  counsel.roles.add(Role::kCounsel);
  EXPECT_EQ(check_transition(make(K::kProduction, S::kAccepted), A::kProduce, counsel).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      check_transition(make(K::kPreservation, S::kAccepted), A::kPreserve, counsel).error().code,
      ErrorCode::kForbidden);
  EXPECT_TRUE(check_transition(make(K::kProduction, S::kAccepted), A::kNotAvailable, counsel).ok());

  Actor admin{Side::kIssuer, {}};
  admin.roles.add(Role::kOrgAdmin);
  admin.roles.add(Role::kAuditor);
  for (A a : kAllActions) {
    auto r = check_transition(make(K::kProduction, S::kDraft), a, admin);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << request_action_name(a);
  }
  Actor nobody{Side::kProvider, {}};
  EXPECT_EQ(
      check_transition(make(K::kProduction, S::kSubmitted), A::kAcknowledge, nobody).error().code,
      ErrorCode::kForbidden);
}

TEST(LifecycleTest, FinalStates) {
  std::set<S> finals;
  for (S s : kAllStatuses) {
    if (is_final(s)) finals.insert(s);
  }
  EXPECT_EQ(finals, (std::set<S>{S::kProduced, S::kNotAvailable, S::kRejected, S::kCancelled,
                                 S::kExpired, S::kReleased, S::kQuarantined}));
  // A final state has no way out for anyone. The one action left on a final
  // request is the authority recording the legal process it owes after an
  // emergency disclosure, which does not change the state.
  for (S s : finals) {
    for (K k : kAllKinds) {
      for (Side side : {Side::kIssuer, Side::kProvider, Side::kValidator, Side::kHub}) {
        auto allowed = allowed_actions(make(k, s), actor_for(side));
        if (s == S::kProduced && k == K::kEmergencyDisclosure && side == Side::kIssuer) {
          EXPECT_THAT(allowed, ElementsAre(A::kFollowUp));
        } else {
          EXPECT_THAT(allowed, IsEmpty()) << request_status_name(s);
        }
      }
    }
  }
}

std::pair<std::string, std::string> etsi(K kind, S status) {
  auto e = etsi_status(kind, status);
  return {e.dictionary, e.value};
}

TEST(EtsiStatusTest, DisclosureKindsUseLdTaskStatus) {
  for (K k : {K::kProduction, K::kEmergencyDisclosure, K::kDomainRegistration}) {
    using P = std::pair<std::string, std::string>;
    EXPECT_EQ(etsi(k, S::kSubmitted), P("LDTaskStatus", "AwaitingDisclosure"));
    EXPECT_EQ(etsi(k, S::kClarificationRequested), P("LDTaskStatus", "AwaitingDisclosure"));
    EXPECT_EQ(etsi(k, S::kProduced), P("LDTaskStatus", "Disclosed"));
    EXPECT_EQ(etsi(k, S::kNotAvailable), P("LDTaskStatus", "DisclosureNotAvailable"));
    EXPECT_EQ(etsi(k, S::kPreserved), P("LDTaskStatus", "Invalid"));
    EXPECT_EQ(etsi(k, S::kCancelled), P("LDTaskStatus", "Cancelled"));
    EXPECT_EQ(etsi(k, S::kRejected), P("LDTaskStatus", "Rejected"));
  }
}

TEST(EtsiStatusTest, PreservationUsesLpTaskStatus) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(etsi(K::kPreservation, S::kSubmitted), P("LPTaskStatus", "AwaitingPreservation"));
  EXPECT_EQ(etsi(K::kPreservation, S::kAccepted), P("LPTaskStatus", "AwaitingPreservation"));
  EXPECT_EQ(etsi(K::kPreservation, S::kProduced), P("LPTaskStatus", "Invalid"));
  EXPECT_EQ(etsi(K::kPreservation, S::kNotAvailable),
            P("LPTaskStatus", "PreservationNotAvailable"));
  EXPECT_EQ(etsi(K::kPreservation, S::kPreserved), P("LPTaskStatus", "Preserved"));
  EXPECT_EQ(etsi(K::kPreservation, S::kCancelled), P("LPTaskStatus", "Cancelled"));
  EXPECT_EQ(etsi(K::kPreservation, S::kReleased), P("LPTaskStatus", "Cancelled"));
  EXPECT_EQ(etsi(K::kPreservation, S::kExpired), P("LPTaskStatus", "Expired"));
}

TEST(EtsiStatusTest, EveryStatusIsMapped) {
  for (K k : kAllKinds) {
    for (S s : kAllStatuses) {
      EXPECT_STRNE(etsi_status(k, s).value, "Error") << request_status_name(s);
    }
  }
}

}  // namespace
}  // namespace liaison
