// Federation links: which peer hubs this hub speaks HI-1 to, and for whom.
//
// A link joins an organisation on this hub to an organisation on a peer
// hub: the peer's HI-1 endpoint and the bearer token that hub gave the local
// organisation's system. On an authority's hub a link to a provider forwards
// the authority's requests to that provider there; on a provider's hub a
// link to an authority delivers productions back. The file is the hub
// operator's configuration, like a TLS key: it holds bearer tokens, so the
// hub refuses one that others can read (docs/etsi.md, "Federation").
//
//   [[link]]
//   organisation = "NL/NPCU"         # COUNTRY/ENDPOINT_ID of an organisation here
//   peer = "XX/EXAMPLEMAIL"          # the organisation on the peer hub
//   url = "http://hub.example.org/hi1"
//   token = "lsn_..."
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "etsi/message.h"

namespace liaison::etsi {

struct PeerLink {
  EndpointId organisation;  // on this hub
  EndpointId peer;          // on the peer hub
  std::string url;          // the peer hub's HI-1 endpoint, http:// or https://host:port/path
  std::string token;        // the bearer token the peer hub gave `organisation`, or ""
  // Over https: the CA certificates (PEM file) the peer hub's certificate must
  // chain to (empty: the machine's), and the client certificate and key
  // (PEM files) `organisation`'s system presents for mutual TLS, which
  // authenticates the link without a token. Absolute paths.
  std::string tls_ca;
  std::string tls_certificate;
  std::string tls_key;
  bool operator==(const PeerLink&) const = default;
};

// The links a TOML text states, or every problem in it, each issue naming
// its field ("link[2].url") and the reason. `name` is the file's name, for
// messages.
Result<std::vector<PeerLink>> parse_peer_links(std::string_view text, const std::string& name);

// "COUNTRY/ENDPOINT_ID", as links and transfers name endpoints.
std::string endpoint_text(const EndpointId& e);

}  // namespace liaison::etsi
