// The part every command that works through a hub's HTTP API shares: where the
// hub is, whose token to send, and how the hub's answers become output or one
// CliError line with an exit code that means something.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/hub_client.h"

namespace CLI {
class App;
}

namespace liaison::cli {

struct Remote {
  std::string hub = "http://127.0.0.1:8080";
  std::string token;
  bool json_out = false;
};

// --hub (LIAISON_HUB), --token (LIAISON_TOKEN) and --json on `cmd`.
void add_remote(CLI::App* cmd, Remote& r);

// A client for `r`; a missing token is a usage error.
HubClient client(const Remote& r);

// Sends and returns the parsed body (null for an empty one), or throws a
// CliError with the hub's problem as one line.
nlohmann::json call(HubClient& c, const std::string& method, const std::string& path,
                    const std::string& body = "", const http::Headers& headers = {});

// A provider's id from its id, or its endpoint id or name as the hub lists
// them, so that nobody has to copy a UUID by hand; a usage error otherwise.
std::string resolve_provider(HubClient& c, const std::string& given);
// The same for an organisation of `kind` ("authority"), named in `flag`.
std::string resolve_organisation(HubClient& c, const std::string& given, const std::string& kind,
                                 const std::string& flag, const std::string& hint = "");
// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(const std::string& s);

}  // namespace liaison::cli
