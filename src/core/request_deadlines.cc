#include "core/request_deadlines.h"

#include <algorithm>
#include <array>

namespace liaison {

namespace {

constexpr std::array<std::pair<ReminderKind, const char*>, 6> kReminderNames = {{
    {ReminderKind::kResponseDueSoon, "response_due_soon"},
    {ReminderKind::kResponseOverdue, "response_overdue"},
    {ReminderKind::kPreservationExpiring, "preservation_expiring"},
    {ReminderKind::kFollowUpDueSoon, "follow_up_due_soon"},
    {ReminderKind::kFollowUpOverdue, "follow_up_overdue"},
    {ReminderKind::kUserNotificationPermitted, "user_notification_permitted"},
}};

// Stored instants are whole-second UTC text; a corrupt one is skipped rather
// than stopping every other reminder.
std::optional<Timestamp> instant(const std::string& text) {
  auto t = parse_rfc3339(text, "at");
  if (!t.ok()) return std::nullopt;
  return t.value();
}

}  // namespace

const char* deadline_kind_name(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kResponse:
      return "response";
    case DeadlineKind::kPreservationExpiry:
      return "preservation_expiry";
    case DeadlineKind::kFollowUp:
      return "follow_up";
    case DeadlineKind::kUserNotification:
      return "user_notification";
  }
  return "response";
}

const char* reminder_kind_name(ReminderKind k) {
  for (const auto& [kind, name] : kReminderNames) {
    if (kind == k) return name;
  }
  return "unknown";
}

std::optional<ReminderKind> reminder_kind_from_name(std::string_view s) {
  for (const auto& [kind, name] : kReminderNames) {
    if (s == name) return kind;
  }
  return std::nullopt;
}

bool awaits_response(RequestStatus s) {
  using S = RequestStatus;
  return s == S::kSubmitted || s == S::kAcknowledged || s == S::kClarificationRequested ||
         s == S::kClarified || s == S::kAccepted;
}

std::int64_t ReminderPolicy::max_lead_seconds() const {
  return std::max({response_lead_seconds, emergency_lead_seconds, preservation_lead_seconds,
                   follow_up_lead_seconds});
}

std::vector<RequestDeadline> open_deadlines(const Request& r) {
  std::vector<RequestDeadline> out;
  if (awaits_response(r.status)) {
    // The earlier of the hub's computed deadline and the authority's own.
    if (r.due_at && (!r.draft.deadline || *r.due_at <= *r.draft.deadline)) {
      out.push_back(
          {DeadlineKind::kResponse, *r.due_at, Side::kProvider,
           r.due_rule.empty() ? "the response deadline the hub set at receipt" : r.due_rule});
    } else if (r.draft.deadline) {
      out.push_back({DeadlineKind::kResponse, *r.draft.deadline, Side::kProvider,
                     "the deadline the issuing authority set in the request"});
    }
  }
  if (r.status == RequestStatus::kPreserved && r.preserved_until) {
    out.push_back({DeadlineKind::kPreservationExpiry, *r.preserved_until, Side::kIssuer,
                   "the preservation ends then unless the issuing authority extends it "
                   "(Budapest Convention Art. 16(2): up to 90 days, renewable)"});
  }
  if (r.follow_up_due && !r.follow_up_done_at) {
    out.push_back({DeadlineKind::kFollowUp, *r.follow_up_due, Side::kIssuer,
                   "the ordinary legal process owed after an emergency disclosure, within the "
                   "issuing authority's follow-up period (EU 2023/1543 Art. 4(5): 48 hours)"});
  }
  if (r.user_notification_permitted_at && !r.user_notified_at) {
    out.push_back({DeadlineKind::kUserNotification,
                   r.draft.non_disclosure_until.value_or(*r.user_notification_permitted_at),
                   Side::kProvider,
                   "the non-disclosure order has ended: the provider may now tell the user, and "
                   "records when it did",
                   /*has_end=*/false});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RequestDeadline& a, const RequestDeadline& b) { return a.at < b.at; });
  return out;
}

std::vector<ReminderDue> reminders_due(const Request& r, Timestamp now,
                                       const ReminderPolicy& policy) {
  std::vector<ReminderDue> out;
  for (const auto& d : open_deadlines(r)) {
    auto at = instant(d.at);
    if (!at) continue;
    auto lead = [&](std::int64_t seconds) {
      return Timestamp{at->unix_micros - seconds * 1'000'000};
    };
    switch (d.kind) {
      case DeadlineKind::kResponse: {
        std::int64_t seconds = r.draft.kind == RequestKind::kEmergencyDisclosure
                                   ? policy.emergency_lead_seconds
                                   : policy.response_lead_seconds;
        if (now >= *at) {
          out.push_back({ReminderKind::kResponseOverdue, Side::kProvider, d.at});
        } else if (now >= lead(seconds)) {
          out.push_back({ReminderKind::kResponseDueSoon, Side::kProvider, d.at});
        }
        break;
      }
      case DeadlineKind::kPreservationExpiry:
        // Once it has passed the expiry sweep ends the preservation: nothing to remind.
        if (now < *at && now >= lead(policy.preservation_lead_seconds)) {
          out.push_back({ReminderKind::kPreservationExpiring, Side::kIssuer, d.at});
        }
        break;
      case DeadlineKind::kFollowUp:
        if (now >= *at) {
          out.push_back({ReminderKind::kFollowUpOverdue, Side::kIssuer, d.at});
        } else if (now >= lead(policy.follow_up_lead_seconds)) {
          out.push_back({ReminderKind::kFollowUpDueSoon, Side::kIssuer, d.at});
        }
        break;
      case DeadlineKind::kUserNotification:
        out.push_back({ReminderKind::kUserNotificationPermitted, Side::kProvider, d.at});
        break;
    }
  }
  return out;
}

}  // namespace liaison
