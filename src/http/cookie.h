// HTTP cookies, as far as the hub uses them: finding one cookie in a request's
// Cookie header (RFC 6265 §5.4), and writing a Set-Cookie value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace liaison::http {

// The value of the cookie `name` in the request's Cookie headers, if any.
std::optional<std::string> cookie_value(const Headers& headers, std::string_view name);

struct CookieAttributes {
  std::int64_t max_age_seconds = 0;  // 0 removes the cookie
  bool secure = false;               // only over HTTPS
};

// "name=value; HttpOnly; SameSite=Strict; Path=/; Max-Age=N" plus "; Secure".
// HttpOnly keeps the value from scripts; SameSite=Strict keeps the browser
// from sending it with requests other sites start.
std::string set_cookie(std::string_view name, std::string_view value, const CookieAttributes& a);

}  // namespace liaison::http
