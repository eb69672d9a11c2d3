// Any text parse_rfc3339 accepts must format to text that parses back to
// the same instant: stored timestamps are re-read on every load.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool local = liaison::is_local_datetime_without_offset(text);
  auto t = liaison::parse_rfc3339(text, "t");
  if (!t.ok()) {
    if (t.error().issues.size() != 1 || t.error().issues[0].field != "t") std::abort();
    return 0;
  }
  // A text with an offset is never also "local without offset".
  if (local) std::abort();
  std::string formatted = liaison::format_rfc3339(*t);
  auto again = liaison::parse_rfc3339(formatted, "t");
  if (!again.ok() || again->unix_micros != t->unix_micros) {
    std::fprintf(stderr, "round trip failed: %s -> %s\n", std::string(text).c_str(),
                 formatted.c_str());
    std::abort();
  }
  // Formatting is canonical: the second format is byte-identical.
  if (liaison::format_rfc3339(*again) != formatted) std::abort();
  return 0;
}
