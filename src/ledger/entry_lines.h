// The entries of a page of the log as lines, as GET /api/v1/ledger/entries
// serves them to auditors (Accept: text/plain): "<leaf_index> <entry>\n" for
// each entry in order, with nothing to unescape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace liaison::ledger {

// The entries' bytes (views into `body`), checked to be numbered from `first`
// on, one after another. An error names the index expected where the lines
// went wrong: a line that is not "<index> <entry>", or an entry out of place.
Result<std::vector<std::string_view>> parse_entry_lines(std::string_view body, std::uint64_t first);

}  // namespace liaison::ledger
