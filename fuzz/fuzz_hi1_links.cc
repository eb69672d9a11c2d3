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
    const bool https = l.url.rfind("https://", 0) == 0;
    if ((!https && l.url.rfind("http://", 0) != 0) || l.organisation.country.size() != 2 ||
        l.peer.unique_id.empty())
      std::abort();
    // A link authenticates with a token or a client certificate with its
    // key; TLS files are absolute, and only on an https link.
    if (l.tls_certificate.empty() != l.tls_key.empty()) std::abort();
    if (l.token.empty() && l.tls_certificate.empty()) std::abort();
    for (const std::string* file : {&l.tls_ca, &l.tls_certificate, &l.tls_key}) {
      if (!file->empty() && (!https || file->front() != '/')) std::abort();
    }
  }
  return 0;
}
