#include "http/cookie.h"

#include <strings.h>

namespace liaison::http {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<std::string> cookie_value(const Headers& headers, std::string_view name) {
  for (const auto& [header, value] : headers.all()) {
    // Several Cookie headers may arrive (HTTP/2 proxies split them); read all.
    if (strcasecmp(header.c_str(), "Cookie") != 0) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      std::string_view v = trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  }
  return std::nullopt;
}

std::string set_cookie(std::string_view name, std::string_view value, const CookieAttributes& a) {
  std::string out = std::string(name) + "=" + std::string(value) +
                    "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                    std::to_string(a.max_age_seconds < 0 ? 0 : a.max_age_seconds);
  if (a.secure) out += "; Secure";
  return out;
}

}  // namespace liaison::http
