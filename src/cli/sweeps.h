// The hub's periodic work on requests, as `serve` runs it every
// --expiry-interval seconds and `liaison sweep` runs it once: end the
// preservations (and holds) that ran out, escalate overdue emergency
// follow-ups, give providers their user-notification tasks once gag orders
// lapse, and make the reminders the open deadlines call for.
#pragma once

#include <string>
#include <vector>

#include "core/request_deadlines.h"
#include "service/request_service.h"

namespace CLI {
class App;
}

namespace liaison::cli {

struct SweepOutcome {
  std::string task;  // preservations_expired, follow_ups_escalated, ...
  Status status;
  int count = 0;
};

// Runs every sweep in order; one that fails does not stop the next.
std::vector<SweepOutcome> run_sweeps(RequestService& requests, const ReminderPolicy& policy);

// The reminder lead times as command-line options, in hours and days.
struct ReminderFlags {
  std::int64_t response_hours = ReminderPolicy{}.response_lead_seconds / 3600;
  std::int64_t emergency_hours = ReminderPolicy{}.emergency_lead_seconds / 3600;
  std::int64_t preservation_days = ReminderPolicy{}.preservation_lead_seconds / 86400;
  std::int64_t follow_up_hours = ReminderPolicy{}.follow_up_lead_seconds / 3600;

  void add_to(CLI::App* cmd);
  // The policy, or a usage error naming the flag that is negative.
  ReminderPolicy policy() const;
};

}  // namespace liaison::cli
