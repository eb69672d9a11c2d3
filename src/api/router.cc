#include "api/router.h"

namespace liaison::api {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end;
  }
  return out;
}

bool match_path(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                PathParams& params) {
  if (pattern.size() != path.size()) return false;
  PathParams found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      found[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

Scopes scopes_needed(const std::string& method, ScopeRule rule, bool caller_is_subject) {
  Scopes needed{method == "GET" || method == "HEAD" ? Scope::kRead : Scope::kWrite};
  if (rule == ScopeRule::kAdmin || (rule == ScopeRule::kAdminUnlessSelf && !caller_is_subject))
    needed.add(Scope::kAdmin);
  return needed;
}

}  // namespace liaison::api
