// What the ledger commands (`ledger`, `witness`) ask a hub for in common.
#pragma once

#include <cstdint>
#include <vector>

#include "cli/hub_client.h"
#include "ledger/merkle.h"

namespace liaison::cli {

// The hub's RFC 9162 consistency proof from the tree of `first` entries to
// the tree of `second`; a hash that does not parse is a CliError.
std::vector<ledger::Hash> fetch_consistency_proof(HubClient& c, std::uint64_t first,
                                                  std::uint64_t second);

}  // namespace liaison::cli
