#include "core/user.h"

#include <array>

#include "core/name_list.h"

namespace liaison {

namespace {
constexpr std::array<std::pair<Role, const char*>, 7> kRoleNames = {{
    {Role::kOfficer, "officer"},
    {Role::kValidator, "validator"},
    {Role::kSupervisor, "supervisor"},
    {Role::kAnalyst, "analyst"},
    {Role::kCounsel, "counsel"},
    {Role::kOrgAdmin, "org_admin"},
    {Role::kAuditor, "auditor"},
}};
}  // namespace

const char* role_name(Role r) {
  for (const auto& [role, name] : kRoleNames) {
    if (role == r) return name;
  }
  return "unknown";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (const auto& [role, n] : kRoleNames) {
    if (name == n) return role;
  }
  return std::nullopt;
}

bool role_allowed_for(Role r, OrgKind kind) {
  switch (r) {
    case Role::kOfficer:
    case Role::kValidator:
    case Role::kSupervisor:
      return kind == OrgKind::kAuthority || kind == OrgKind::kCentralAuthority;
    case Role::kAnalyst:
    case Role::kCounsel:
      return kind == OrgKind::kProvider;
    case Role::kOrgAdmin:
    case Role::kAuditor:
      return true;
  }
  return false;
}

std::string Roles::to_string() const {
  std::string out;
  for (const auto& [role, name] : kRoleNames) {
    if (has(role)) {
      if (!out.empty()) out += ',';
      out += name;
    }
  }
  return out;
}

Result<Roles> Roles::parse(std::string_view list, const std::string& field) {
  Roles roles;
  for (std::string_view name : split_name_list(list)) {
    auto r = role_from_name(name);
    if (!r) {
      return Error::invalid(field, "unknown role '" + std::string(name) +
                                       "'; roles are officer, validator, supervisor, analyst, "
                                       "counsel, org_admin, auditor");
    }
    roles.add(*r);
  }
  return roles;
}

}  // namespace liaison
