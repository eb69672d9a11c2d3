// Comma-separated lists of names, as roles and scopes are written
// ("officer, org_admin"): the items, trimmed of spaces, empty ones skipped.
#pragma once

#include <string_view>
#include <vector>

namespace liaison {

inline std::vector<std::string_view> split_name_list(std::string_view list) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) out.push_back(name);
    start = end + 1;
  }
  return out;
}

}  // namespace liaison
