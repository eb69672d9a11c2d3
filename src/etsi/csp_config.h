// The answer to GETCSPCONFIG: what this hub takes over HI-1. The target
// formats with the request types each serves (Liaison's own formats with
// their patterns), and the endpoint for preservations and disclosures.
#pragma once

#include <string>

#include "etsi/xml_tree.h"

namespace liaison::etsi {

struct CspConfig {
  std::string last_changed;  // QualifiedDateTime: when this configuration last changed
  std::string endpoint_url;  // where HI-1 messages are posted (…/hi1)
};

// The GETCSPCONFIGResponse element of an ActionResponse.
XmlElement csp_config_response(const CspConfig& config);

}  // namespace liaison::etsi
