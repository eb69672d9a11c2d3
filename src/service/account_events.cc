#include "service/account_events.h"

namespace liaison::account_event {

AccountEvent make(const Principal& actor, const User& subject, const char* type, std::string detail,
                  Timestamp at) {
  AccountEvent e;
  e.at = format_rfc3339_micros(at);
  e.actor_user_id = actor.user.id;
  e.subject_user_id = subject.id;
  e.org_id = subject.org_id;
  e.type = type;
  e.detail = std::move(detail);
  e.remote_address = actor.remote_address;
  return e;
}

AccountEvent anonymous(const std::optional<User>& subject, const char* type, std::string detail,
                       const std::string& remote_address, Timestamp at) {
  AccountEvent e;
  e.at = format_rfc3339_micros(at);
  if (subject) {
    e.subject_user_id = subject->id;
    e.org_id = subject->org_id;
  }
  e.type = type;
  e.detail = std::move(detail);
  e.remote_address = remote_address;
  return e;
}

}  // namespace liaison::account_event
