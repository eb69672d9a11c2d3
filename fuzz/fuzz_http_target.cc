// Request targets from the network: path and query decoding must never crash,
// and a decoded path is never longer than the target it came from.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  liaison::http::Request req;
  if (liaison::http::parse_target(target, req)) {
    if (req.path.size() > target.size()) std::abort();
    for (const auto& [name, value] : req.query) {
      if (name.size() + value.size() > target.size()) std::abort();
    }
  }
  (void)liaison::http::percent_decode(target, true);
  return 0;
}
