// List cursors come back from clients: decoding must refuse what this hub did
// not issue, and what it issued must decode to the same position.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "service/cursor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto seq = liaison::decode_cursor(text);
  if (seq.ok()) {
    if (seq.value() <= 0) std::abort();
    auto again = liaison::decode_cursor(liaison::encode_cursor(seq.value()));
    if (!again.ok() || again.value() != seq.value()) std::abort();
  }
  return 0;
}
