// Enumerations spelt as names: a constant table of (value, name) pairs and the
// two lookups every vocabulary needs, so each vocabulary is just its table.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace liaison {

template <typename E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& table, E v) {
  for (const auto& [e, n] : table) {
    if (e == v) return n;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> from_name(const std::array<std::pair<E, const char*>, N>& table,
                           std::string_view s) {
  for (const auto& [e, n] : table) {
    if (s == n) return e;
  }
  return std::nullopt;
}

}  // namespace liaison
