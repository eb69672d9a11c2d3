#include "ledger/entry_lines.h"

namespace liaison::ledger {

Result<std::vector<std::string_view>> parse_entry_lines(std::string_view body,
                                                        std::uint64_t first) {
  std::vector<std::string_view> out;
  std::uint64_t want = first;
  while (!body.empty()) {
    auto newline = body.find('\n');
    auto space = body.find(' ');
    if (newline == std::string_view::npos || space == std::string_view::npos || space > newline) {
      return Error::invalid("entries", "the lines from entry " + std::to_string(want) +
                                           " on are not \"<index> <entry>\" lines");
    }
    std::string_view index = body.substr(0, space);
    if (index != std::to_string(want)) {
      return Error::invalid("entries", "the hub served entry " + std::string(index.substr(0, 32)) +
                                           " where entry " + std::to_string(want) + " belongs");
    }
    out.push_back(body.substr(space + 1, newline - space - 1));
    body.remove_prefix(newline + 1);
    ++want;
  }
  return out;
}

}  // namespace liaison::ledger
