// Arbitrary bytes as a page of entry lines from a hub. The parser must never
// read past the input, must number what it returns from the first index on,
// and every refusal names its field.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ledger/entry_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto lines = liaison::ledger::parse_entry_lines(input, 7);
  if (!lines.ok()) {
    if (lines.error().issues.empty()) std::abort();
    return 0;
  }
  // What was accepted rebuilds the input exactly.
  std::string again;
  std::uint64_t i = 7;
  for (auto e : *lines) again += std::to_string(i++) + " " + std::string(e) + "\n";
  if (again != input) std::abort();
  return 0;
}
