// Durations as clients and the command line write them (`within=PT48H`,
// `--within 48h`): what parses is non-negative, formats to an ISO 8601
// duration that reads back to the same seconds, and a refusal names its field.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool iso : {true, false}) {
    auto r = iso ? liaison::parse_iso8601_duration(text, "within")
                 : liaison::parse_short_duration(text, "within");
    if (!r.ok()) {
      if (r.error().issues.size() != 1 || r.error().issues[0].field != "within") std::abort();
      continue;
    }
    if (*r < 0) std::abort();
    auto again = liaison::parse_iso8601_duration(liaison::format_iso8601_duration(*r), "within");
    if (!again.ok() || *again != *r) std::abort();
  }
  return 0;
}
