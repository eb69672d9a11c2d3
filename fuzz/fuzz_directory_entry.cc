// Provider directory entries as they arrive from outside: TOML files and JSON
// bodies (src/directory/). The first byte chooses the parser ('t' for TOML,
// anything else JSON), the rest is the document. Every refusal must name a
// field, and whatever is accepted must survive the hub's own round trip: the
// JSON it stores and serves decodes to the same entry.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "directory/entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  bool toml = data[0] == 't';
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto entry = toml ? liaison::directory::parse_entry_toml(text, "fuzz.toml")
                    : liaison::directory::parse_entry_json(text, "fuzz.json");
  if (!entry.ok()) {
    if (entry.error().issues.empty()) std::abort();  // every refusal names a field
    return 0;
  }
  // What the hub stores is the text of to_json; it must read back the same.
  std::string stored = liaison::directory::to_json(*entry).dump();
  auto again = liaison::directory::parse_entry_json(stored);
  if (!again.ok()) {
    std::fprintf(stderr, "stored entry did not load: %s\n", again.error().message.c_str());
    std::abort();
  }
  if (!(*again == *entry)) std::abort();
  if (liaison::directory::to_json(*again).dump() != stored) std::abort();
  return 0;
}
