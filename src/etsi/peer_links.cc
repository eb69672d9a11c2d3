#include "etsi/peer_links.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace liaison::etsi {

namespace {

constexpr std::size_t kMaxLinks = 1000;

bool is_endpoint(const std::string& text, EndpointId& out) {
  auto slash = text.find('/');
  if (slash != 2 || text.size() < 4 || text.size() > 258) return false;
  std::string country = text.substr(0, 2);
  std::string uid = text.substr(3);
  if (!std::all_of(country.begin(), country.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return false;
  if (!std::all_of(uid.begin(), uid.end(), [](char c) { return c > ' ' && c < 0x7f && c != '/'; }))
    return false;
  out = {country, uid};
  return true;
}

}  // namespace

std::string endpoint_text(const EndpointId& e) { return e.country + "/" + e.unique_id; }

Result<std::vector<PeerLink>> parse_peer_links(std::string_view text, const std::string& name) {
  Error problems = Error::invalid(name, "is not a valid list of HI-1 peer links");
  problems.issues.clear();
  auto add = [&](const std::string& field, const std::string& reason) {
    problems.issues.push_back({field, reason});
  };
  // Endpoints, URLs and tokens are ASCII, and so the file must be: this also
  // keeps the TOML reader off characters it mishandles outside strings.
  std::size_t line = 1;
  for (char c : text) {
    if (c == '\n') ++line;
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') {
      add("line " + std::to_string(line),
          "holds a character outside ASCII; write the file in ASCII");
      return problems;
    }
  }
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    add("line " + std::to_string(e.source().begin.line), std::string(e.description()));
    return problems;
  }
  std::vector<PeerLink> out;
  for (const auto& [key, node] : root) {
    if (key.str() != "link") add(std::string(key.str()), "is not a setting of this file");
  }
  const toml::node* links = root.get("link");
  if (links != nullptr && !links->is_array_of_tables()) {
    add("link", "must be a list of tables, written [[link]]");
    return problems;
  }
  const toml::array* list = links != nullptr ? links->as_array() : nullptr;
  if (list != nullptr && list->size() > kMaxLinks) {
    add("link", "holds more than " + std::to_string(kMaxLinks) + " links");
    return problems;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; list != nullptr && i < list->size(); ++i) {
    const toml::table& t = *list->get(i)->as_table();
    const std::string at = "link[" + std::to_string(i + 1) + "]";
    for (const auto& [key, node] : t) {
      std::string k(key.str());
      if (k != "organisation" && k != "peer" && k != "url" && k != "token" && k != "tls_ca" &&
          k != "tls_certificate" && k != "tls_key")
        add(std::string(at).append(".").append(k), "is not a setting of a link");
    }
    auto text_of = [&](const char* field, bool required = true) -> std::string {
      const toml::node* n = t.get(field);
      if (n == nullptr) {
        if (required) add(at + "." + field, "is required");
        return "";
      }
      if (!n->is_string()) {
        add(at + "." + field, "must be a string");
        return "";
      }
      return n->as_string()->get();
    };
    PeerLink link;
    std::string organisation = text_of("organisation");
    std::string peer = text_of("peer");
    link.url = text_of("url");
    link.tls_ca = text_of("tls_ca", false);
    link.tls_certificate = text_of("tls_certificate", false);
    link.tls_key = text_of("tls_key", false);
    // Mutual TLS authenticates the link; without it a token must.
    link.token = text_of("token", link.tls_certificate.empty());
    bool ok = true;
    const bool https = link.url.rfind("https://", 0) == 0;
    for (const auto& [field, file] :
         {std::pair<const char*, const std::string*>{"tls_ca", &link.tls_ca},
          {"tls_certificate", &link.tls_certificate},
          {"tls_key", &link.tls_key}}) {
      if (file->empty()) continue;
      if (!https) {
        add(at + "." + field, "is for an https:// link only");
        ok = false;
      } else if (file->front() != '/') {
        add(at + "." + field, "must be an absolute path");
        ok = false;
      }
    }
    if (link.tls_certificate.empty() != link.tls_key.empty()) {
      add(at + (link.tls_key.empty() ? ".tls_key" : ".tls_certificate"),
          "goes with " + std::string(link.tls_key.empty() ? "tls_certificate" : "tls_key") +
              ": a client certificate and its key");
      ok = false;
    }
    if (!organisation.empty() && !is_endpoint(organisation, link.organisation)) {
      add(at + ".organisation", "must be COUNTRY/ENDPOINT_ID, such as NL/NPCU");
      ok = false;
    }
    if (!peer.empty() && !is_endpoint(peer, link.peer)) {
      add(at + ".peer", "must be COUNTRY/ENDPOINT_ID, such as XX/EXAMPLEMAIL");
      ok = false;
    }
    if (!link.url.empty() &&
        ((!https && link.url.rfind("http://", 0) != 0) || link.url.size() <= (https ? 8u : 7u) ||
         std::any_of(link.url.begin(), link.url.end(),
                     [](char c) { return c <= ' ' || c >= 0x7f; }))) {
      add(at + ".url", "must be an http:// or https:// URL");
      ok = false;
    }
    if (!link.token.empty() && std::any_of(link.token.begin(), link.token.end(),
                                           [](char c) { return c <= ' ' || c >= 0x7f; })) {
      add(at + ".token", "must be printable ASCII without spaces");
      ok = false;
    }
    if (organisation.empty() || peer.empty() || link.url.empty() ||
        (link.token.empty() && link.tls_certificate.empty()))
      ok = false;
    if (ok && !seen.insert({organisation, peer}).second) {
      add(at, std::string("links ")
                  .append(organisation)
                  .append(" to ")
                  .append(peer)
                  .append(" a second time"));
      ok = false;
    }
    if (ok) out.push_back(std::move(link));
  }
  if (!problems.issues.empty()) return problems;
  return out;
}

}  // namespace liaison::etsi
