// Users and their roles. A user belongs to exactly one organisation; hub
// administrators belong to none and cannot act on requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/organisation.h"
#include "core/result.h"

namespace liaison {

enum class Role : std::uint8_t {
  kOfficer,     // authority: drafts and sends requests
  kValidator,   // authority: prosecutor or judge who approves
  kSupervisor,  // authority: confirms emergencies
  kAnalyst,     // provider: triages and answers
  kCounsel,     // provider: legal review
  kOrgAdmin,    // any: manages the organisation's users
  kAuditor,     // any: read-only
};

// A set of roles as a bit mask, cheap to copy and compare.
class Roles {
 public:
  Roles() = default;
  void add(Role r) { bits_ |= bit(r); }
  bool has(Role r) const { return (bits_ & bit(r)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool operator==(const Roles&) const = default;
  // Comma-separated names, in declaration order ("officer,org_admin").
  std::string to_string() const;
  // Parses a comma-separated list; errors name the unknown role.
  static Result<Roles> parse(std::string_view list, const std::string& field);

 private:
  static std::uint32_t bit(Role r) { return 1u << static_cast<unsigned>(r); }
  std::uint32_t bits_ = 0;
};

const char* role_name(Role r);
std::optional<Role> role_from_name(std::string_view name);

// Roles an organisation of this kind may hand out.
bool role_allowed_for(Role r, OrgKind kind);

struct User {
  std::string id;                     // UUID
  std::optional<std::string> org_id;  // empty for hub administrators
  std::string name;
  std::string email;
  Roles roles;
  bool hub_admin = false;
  bool disabled = false;
  std::string created_at;
};

}  // namespace liaison
