// Small JSON bodies of the API (organisations, users, tokens, actions,
// messages): strict reading must never crash, and an accepted body yields
// typed values or field errors, never exceptions.
#include <cstdint>
#include <string>

#include "api/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto body =
      liaison::api::JsonBody::parse(text, {"action", "note", "preserved_until", "expires_in_days"});
  if (!body.ok()) return 0;
  (void)body->required_string("action");
  (void)body->optional_string("note");
  (void)body->optional_string("preserved_until");
  (void)body->optional_integer("expires_in_days");
  return 0;
}
