// The Cookie request header, which any client may fill with anything: finding
// the session cookie must never crash, and what it finds is part of the input.
#include <cstdint>
#include <string>

#include "http/cookie.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string header(reinterpret_cast<const char*>(data), size);
  liaison::http::Headers headers;
  headers.add("Cookie", header);
  headers.add("cookie", header);
  auto value = liaison::http::cookie_value(headers, "liaison_session");
  if (value && value->size() > header.size()) __builtin_trap();
  return 0;
}
