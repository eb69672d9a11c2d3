// Arbitrary bytes as a ledger entry. The leaf hash is taken over the bytes,
// so decode_entry must accept only the one canonical spelling of each entry:
// whatever decodes must encode back to exactly the input. Every refusal
// names its field, as the auditor reports it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "ledger/entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto entry = liaison::ledger::decode_entry(input);
  if (!entry.ok()) {
    if (entry.error().issues.empty()) std::abort();
    return 0;
  }
  auto again = liaison::ledger::encode_entry(*entry);
  if (!again.ok() || *again != input) {
    std::fprintf(stderr, "a decoded entry does not encode back to its bytes\n");
    std::abort();
  }
  return 0;
}
