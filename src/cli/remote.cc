#include "cli/remote.h"

#include <CLI/CLI.hpp>
#include <cctype>

#include "cli/output.h"

namespace liaison::cli {

using nlohmann::json;

void add_remote(CLI::App* cmd, Remote& r) {
  cmd->add_option("--hub", r.hub, "Hub base URL")->envname("LIAISON_HUB")->capture_default_str();
  cmd->add_option("--token", r.token, "API token (prefer the LIAISON_TOKEN variable)")
      ->envname("LIAISON_TOKEN");
  cmd->add_flag("--json", r.json_out, "Print the hub's JSON instead of a table");
}

HubClient client(const Remote& r) {
  if (r.token.empty())
    throw CliError(kExitUsage, "no API token: set LIAISON_TOKEN or pass --token");
  return HubClient(r.hub, r.token);
}

json call(HubClient& c, const std::string& method, const std::string& path, const std::string& body,
          const http::Headers& headers) {
  ClientResponse resp;
  try {
    resp = c.send(method, path, body, "application/json", headers);
  } catch (const std::exception& e) {
    throw CliError(kExitUnavailable, e.what());
  }
  if (resp.status >= 400)
    throw CliError(exit_code_for_http(resp.status), describe_problem(resp.status, resp.body));
  if (resp.body.empty()) return json();
  auto j = json::parse(resp.body, nullptr, false);
  if (j.is_discarded()) throw CliError(kExitFailure, "the hub sent a response that is not JSON");
  return j;
}

std::string url_encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

// --provider takes the provider's id, or its endpoint id or name as the hub
// lists them, so that nobody has to copy a UUID by hand.
std::string resolve_organisation(HubClient& c, const std::string& given, const std::string& kind,
                                 const std::string& flag, const std::string& hint) {
  if (given.size() == 36 && given[8] == '-') return given;
  nlohmann::json orgs = call(c, "GET", "/api/v1/organisations");
  std::vector<nlohmann::json> matches;
  auto lower = [](std::string v) {
    for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return v;
  };
  for (const auto& o : orgs["items"]) {
    if (o.value("kind", "") != kind) continue;
    if (lower(o.value("endpoint_uid", "")) == lower(given) ||
        lower(o.value("name", "")) == lower(given)) {
      matches.push_back(o);
    }
  }
  if (matches.size() == 1) return matches[0]["id"];
  throw CliError(kExitUsage,
                 flag + " '" + given + "' " +
                     (matches.empty() ? "names no " + kind + " on this hub"
                                      : "names more than one " + kind + "; give its id") +
                     hint);
}

std::string resolve_provider(HubClient& c, const std::string& given) {
  return resolve_organisation(c, given, "provider", "--provider",
                              " (see 'liaison request providers')");
}

}  // namespace liaison::cli
