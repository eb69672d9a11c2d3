#include "cli/sweeps.h"

#include <CLI/CLI.hpp>

#include "cli/output.h"

namespace liaison::cli {

std::vector<SweepOutcome> run_sweeps(RequestService& requests, const ReminderPolicy& policy) {
  std::vector<SweepOutcome> out;
  auto run = [&](const char* task, Result<int> r) {
    out.push_back(r.ok() ? SweepOutcome{task, Ok{}, r.value()}
                         : SweepOutcome{task, r.take_error(), 0});
  };
  // Expiry first, so no reminder is made for a preservation that just ended.
  run("preservations_expired", requests.expire_preservations());
  run("follow_ups_escalated", requests.escalate_follow_ups());
  run("user_notifications_permitted", requests.permit_user_notifications());
  run("reminders_made", requests.make_reminders(policy));
  return out;
}

void ReminderFlags::add_to(CLI::App* cmd) {
  cmd->add_option("--remind-response-hours", response_hours,
                  "Remind a provider this many hours before a response is due")
      ->capture_default_str();
  cmd->add_option("--remind-emergency-hours", emergency_hours,
                  "... and this many before an emergency disclosure is due")
      ->capture_default_str();
  cmd->add_option("--remind-preservation-days", preservation_days,
                  "Remind the authority this many days before a preservation ends")
      ->capture_default_str();
  cmd->add_option("--remind-follow-up-hours", follow_up_hours,
                  "Remind the authority this many hours before an emergency follow-up is due")
      ->capture_default_str();
}

ReminderPolicy ReminderFlags::policy() const {
  const std::pair<const char*, std::int64_t> flags[] = {
      {"--remind-response-hours", response_hours},
      {"--remind-emergency-hours", emergency_hours},
      {"--remind-preservation-days", preservation_days},
      {"--remind-follow-up-hours", follow_up_hours}};
  for (const auto& [name, value] : flags) {
    if (value < 0 || value > std::int64_t{366} * 24) {
      throw CliError(kExitUsage, std::string(name) + " must be between 0 and 8784");
    }
  }
  return {response_hours * 3600, emergency_hours * 3600, preservation_days * 86400,
          follow_up_hours * 3600};
}

}  // namespace liaison::cli
