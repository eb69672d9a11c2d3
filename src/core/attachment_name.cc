#include "core/attachment_name.h"

#include <algorithm>
#include <cctype>

namespace liaison {

bool is_attachment_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 && name.front() != '.' &&
         name.find_first_of("/\\") == std::string_view::npos &&
         std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool is_media_type(std::string_view type) {
  auto ok_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
  };
  const auto slash = type.find('/');
  if (type.size() > 127 || slash == std::string_view::npos || slash == 0 ||
      slash + 1 == type.size())
    return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (i != slash && !ok_char(type[i])) return false;
  }
  return true;
}

}  // namespace liaison
