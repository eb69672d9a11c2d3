// SHA-256 over several byte strings at once, for the ledger's hashes. The
// tree hashes tens of millions of 65-byte inputs when it is rebuilt or
// audited; one reused OpenSSL context per thread makes each about three times
// cheaper than the one-shot SHA256(), which fetches the algorithm every call.
#pragma once

#include <initializer_list>
#include <string_view>

#include "ledger/merkle.h"

namespace liaison::ledger::internal {

// SHA-256 of the concatenation of `parts`, without building it.
Hash sha256_of(std::initializer_list<std::string_view> parts);

}  // namespace liaison::ledger::internal
