#include "core/user.h"

#include <array>

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
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
      auto r = role_from_name(name);
      if (!r) {
        return Error::invalid(field, "unknown role '" + std::string(name) +
                                         "'; roles are officer, validator, supervisor, analyst, "
                                         "counsel, org_admin, auditor");
      }
      roles.add(*r);
    }
    start = end + 1;
  }
  return roles;
}

}  // namespace liaison
