#include "core/request_deadlines.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

Timestamp at(const char* text) { return parse_rfc3339(text, "t").value(); }

Request request(RequestKind kind, RequestStatus status) {
  Request r;
  r.draft.kind = kind;
  r.status = status;
  return r;
}

TEST(DeadlinesTest, TheResponseIsTheEarlierOfTheHubsAndTheAuthoritys) {
  Request r = request(RequestKind::kProduction, RequestStatus::kAcknowledged);
  EXPECT_TRUE(open_deadlines(r).empty());
  r.draft.deadline = "2026-11-05T00:00:00Z";
  auto d = open_deadlines(r);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, DeadlineKind::kResponse);
  EXPECT_EQ(d[0].at, "2026-11-05T00:00:00Z");
  EXPECT_EQ(d[0].owed_by, Side::kProvider);
  r.due_at = "2026-11-03T00:00:00Z";
  r.due_rule = "emergency: 8 hours from receipt";
  d = open_deadlines(r);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].at, "2026-11-03T00:00:00Z");
  EXPECT_EQ(d[0].rule, "emergency: 8 hours from receipt");
  // Answered: nothing owed any more.
  for (RequestStatus s :
       {RequestStatus::kRejected, RequestStatus::kProduced, RequestStatus::kNotAvailable,
        RequestStatus::kDraft, RequestStatus::kQuarantined, RequestStatus::kCancelled}) {
    r.status = s;
    EXPECT_TRUE(open_deadlines(r).empty()) << request_status_name(s);
  }
}

TEST(DeadlinesTest, EachKindHasItsOwnDebtorAndTheyComeInOrder) {
  Request r = request(RequestKind::kEmergencyDisclosure, RequestStatus::kProduced);
  r.follow_up_due = "2026-11-04T00:00:00Z";
  r.draft.non_disclosure_until = "2026-11-02T00:00:00Z";
  r.user_notification_permitted_at = "2026-11-02T00:00:30.000000Z";
  auto d = open_deadlines(r);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DeadlineKind::kUserNotification);
  EXPECT_EQ(d[0].owed_by, Side::kProvider);
  EXPECT_FALSE(d[0].has_end);
  EXPECT_EQ(d[1].kind, DeadlineKind::kFollowUp);
  EXPECT_EQ(d[1].owed_by, Side::kIssuer);
  r.follow_up_done_at = "2026-11-03T00:00:00Z";
  r.user_notified_at = "2026-11-03T00:00:00Z";
  EXPECT_TRUE(open_deadlines(r).empty());
  Request kept = request(RequestKind::kPreservation, RequestStatus::kPreserved);
  kept.preserved_until = "2026-12-01T00:00:00Z";
  d = open_deadlines(kept);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, DeadlineKind::kPreservationExpiry);
  EXPECT_EQ(d[0].owed_by, Side::kIssuer);
}

TEST(DeadlinesTest, RemindersStartAtTheirLeadAndTurnOverdue) {
  ReminderPolicy policy;
  Request r = request(RequestKind::kProduction, RequestStatus::kSubmitted);
  r.draft.deadline = "2026-11-05T00:00:00Z";
  EXPECT_TRUE(reminders_due(r, at("2026-11-03T23:59:59Z"), policy).empty());
  auto soon = reminders_due(r, at("2026-11-04T00:00:00Z"), policy);
  ASSERT_EQ(soon.size(), 1u);
  EXPECT_EQ(soon[0].kind, ReminderKind::kResponseDueSoon);
  EXPECT_EQ(soon[0].for_side, Side::kProvider);
  EXPECT_EQ(soon[0].due_at, "2026-11-05T00:00:00Z");
  auto late = reminders_due(r, at("2026-11-05T00:00:00Z"), policy);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].kind, ReminderKind::kResponseOverdue);

  // Emergencies have a shorter lead.
  Request e = request(RequestKind::kEmergencyDisclosure, RequestStatus::kAcknowledged);
  e.due_at = "2026-11-01T08:00:00Z";
  EXPECT_TRUE(reminders_due(e, at("2026-11-01T05:59:59Z"), policy).empty());
  EXPECT_EQ(reminders_due(e, at("2026-11-01T06:00:00Z"), policy).at(0).kind,
            ReminderKind::kResponseDueSoon);

  Request kept = request(RequestKind::kPreservation, RequestStatus::kPreserved);
  kept.preserved_until = "2026-12-01T00:00:00Z";
  EXPECT_TRUE(reminders_due(kept, at("2026-11-23T23:59:59Z"), policy).empty());
  auto expiring = reminders_due(kept, at("2026-11-24T00:00:00Z"), policy);
  ASSERT_EQ(expiring.size(), 1u);
  EXPECT_EQ(expiring[0].kind, ReminderKind::kPreservationExpiring);
  EXPECT_EQ(expiring[0].for_side, Side::kIssuer);
  EXPECT_TRUE(reminders_due(kept, at("2026-12-01T00:00:00Z"), policy).empty())
      << "past its end the expiry sweep ends it";

  Request owed = request(RequestKind::kEmergencyDisclosure, RequestStatus::kProduced);
  owed.follow_up_due = "2026-11-03T00:00:00Z";
  EXPECT_EQ(reminders_due(owed, at("2026-11-02T12:00:00Z"), policy).at(0).kind,
            ReminderKind::kFollowUpDueSoon);
  EXPECT_EQ(reminders_due(owed, at("2026-11-03T00:00:00Z"), policy).at(0).kind,
            ReminderKind::kFollowUpOverdue);

  Request told = request(RequestKind::kProduction, RequestStatus::kProduced);
  told.draft.non_disclosure_until = "2026-11-02T00:00:00Z";
  EXPECT_TRUE(reminders_due(told, at("2026-11-03T00:00:00Z"), policy).empty())
      << "no task until the sweep gave it";
  told.user_notification_permitted_at = "2026-11-02T00:00:30Z";
  auto task = reminders_due(told, at("2026-11-03T00:00:00Z"), policy);
  ASSERT_EQ(task.size(), 1u);
  EXPECT_EQ(task[0].kind, ReminderKind::kUserNotificationPermitted);
  EXPECT_EQ(task[0].due_at, "2026-11-02T00:00:00Z");
}

TEST(DeadlinesTest, ReminderKindNamesRoundTrip) {
  for (ReminderKind k :
       {ReminderKind::kResponseDueSoon, ReminderKind::kResponseOverdue,
        ReminderKind::kPreservationExpiring, ReminderKind::kFollowUpDueSoon,
        ReminderKind::kFollowUpOverdue, ReminderKind::kUserNotificationPermitted}) {
    EXPECT_EQ(reminder_kind_from_name(reminder_kind_name(k)), k);
  }
  EXPECT_EQ(reminder_kind_from_name("soon"), std::nullopt);
  EXPECT_EQ(ReminderPolicy{}.max_lead_seconds(), 7 * 86400);
}

}  // namespace
}  // namespace liaison
