// The federation links file as arbitrary bytes: the parser must never crash
// or hang, and every link it accepts must be one the hub can use.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "etsi/peer_links.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto links = liaison::etsi::parse_peer_links(text, "links.toml");
  if (!links.ok()) {
    if (links.error().issues.empty()) std::abort();  // a refusal always says where
    return 0;
  }
  for (const auto& l : *links) {
    if (l.url.rfind("http://", 0) != 0 || l.token.empty() || l.organisation.country.size() != 2 ||
        l.peer.unique_id.empty())
      std::abort();
  }
  return 0;
}
