#include "core/scope.h"

#include <array>
#include <utility>

#include "core/name_list.h"

namespace liaison {

namespace {
constexpr std::array<std::pair<Scope, const char*>, 3> kScopeNames = {{
    {Scope::kRead, "read"},
    {Scope::kWrite, "write"},
    {Scope::kAdmin, "admin"},
}};
}  // namespace

const char* scope_name(Scope s) {
  for (const auto& [scope, name] : kScopeNames) {
    if (scope == s) return name;
  }
  return "unknown";
}

std::string Scopes::to_string() const {
  std::string out;
  for (const auto& [scope, name] : kScopeNames) {
    if (has(scope)) {
      if (!out.empty()) out += ',';
      out += name;
    }
  }
  return out;
}

Result<Scopes> Scopes::parse(std::string_view list, const std::string& field) {
  Scopes out;
  for (std::string_view name : split_name_list(list)) {
    bool known = false;
    for (const auto& [scope, n] : kScopeNames) {
      if (name == n) {
        out.add(scope);
        known = true;
      }
    }
    if (!known) {
      return Error::invalid(
          field, "unknown scope '" + std::string(name) + "'; scopes are read, write, admin");
    }
  }
  return out;
}

}  // namespace liaison
