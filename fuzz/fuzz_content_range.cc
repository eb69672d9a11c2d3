// Content-Range comes from uploaders: what parses must describe a real part
// of the named total, and print back to the same header.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/content_range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = liaison::parse_content_range(text);
  if (r.ok()) {
    if (r->first > r->last || r->last >= r->total) std::abort();
    std::string again = "bytes " + std::to_string(r->first) + "-" + std::to_string(r->last) + "/" +
                        std::to_string(r->total);
    if (again != text) std::abort();
  }
  return 0;
}
