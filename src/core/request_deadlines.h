// What is due on a request, and when each side should be reminded of it.
//
// A request carries up to four deadlines: the provider's response (`due_at`
// as the hub computed it at receipt, or the authority's own `deadline` when
// that is earlier), the end of a preservation (`preserved_until`), the legal
// process an authority owes after an emergency disclosure (`follow_up_due`),
// and the user-notification task once a gag order lapsed. These functions
// only read the request; the service stores and lists what they find.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request.h"
#include "core/request_lifecycle.h"
#include "core/time.h"

namespace liaison {

enum class DeadlineKind { kResponse, kPreservationExpiry, kFollowUp, kUserNotification };
const char* deadline_kind_name(DeadlineKind k);

struct RequestDeadline {
  DeadlineKind kind = DeadlineKind::kResponse;
  std::string at;  // whole-second RFC 3339 UTC
  Side owed_by = Side::kProvider;
  std::string rule;  // why it is due then, in words
  // The user-notification task has no end: it is open from `at` until done,
  // and is never overdue.
  bool has_end = true;
};

// The provider still owes its answer in these states.
bool awaits_response(RequestStatus s);

// The deadlines open on the request now, earliest first.
std::vector<RequestDeadline> open_deadlines(const Request& r);

enum class ReminderKind {
  kResponseDueSoon,
  kResponseOverdue,
  kPreservationExpiring,
  kFollowUpDueSoon,
  kFollowUpOverdue,
  kUserNotificationPermitted,
};
const char* reminder_kind_name(ReminderKind k);
std::optional<ReminderKind> reminder_kind_from_name(std::string_view s);

// How long before a deadline "due soon" starts, per kind.
struct ReminderPolicy {
  std::int64_t response_lead_seconds = std::int64_t{24} * 3600;  // deadlines counted in days
  std::int64_t emergency_lead_seconds = std::int64_t{2} * 3600;  // emergencies, due within 8 hours
  std::int64_t preservation_lead_seconds = std::int64_t{7} * 86400;  // time to ask for an extension
  std::int64_t follow_up_lead_seconds =
      std::int64_t{12} * 3600;  // of the 48 hours after a disclosure
  // The longest lead: how far ahead a sweep has to look.
  std::int64_t max_lead_seconds() const;
};

struct ReminderDue {
  ReminderKind kind = ReminderKind::kResponseDueSoon;
  Side for_side = Side::kProvider;  // kIssuer: the authority; kProvider: the provider
  std::string due_at;               // the deadline it is about
};

// The reminders the request calls for at `now`. A deadline that has passed
// calls for its "overdue" reminder only.
std::vector<ReminderDue> reminders_due(const Request& r, Timestamp now,
                                       const ReminderPolicy& policy);

}  // namespace liaison
