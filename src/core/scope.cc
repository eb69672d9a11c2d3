#include "core/scope.h"

#include <array>
#include <utility>

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
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
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
    start = end + 1;
  }
  return out;
}

}  // namespace liaison
