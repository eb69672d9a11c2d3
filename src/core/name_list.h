// Lists of names: read from the comma-separated form roles and scopes are
// written in ("officer, org_admin"), and written as a sentence says them
// ("judge, prosecutor or police").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace liaison {

// The items, trimmed of spaces, empty ones skipped.
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

// "a, b or c" (with `last` " or "), each item as `word` names it.
template <typename T, typename Word>
std::string words_list(const std::vector<T>& items, Word word, const char* last = " or ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last : ", ";
    out += word(items[i]);
  }
  return out;
}

}  // namespace liaison
