// Arbitrary bytes, read as JSON, through RFC 8785 canonicalisation. Whatever
// canonical_json writes must read back as JSON and canonicalise to exactly the
// same bytes: a signer and a verifier that disagree about the canonical form
// of one value would disagree about every signature over it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/request_json.h"
#include "trust/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = liaison::parse_json_text(text);
  if (!value.ok()) return 0;
  auto once = liaison::trust::canonical_json(*value);
  if (!once.ok()) {
    if (once.error().issues.empty()) std::abort();  // every refusal names the value
    return 0;
  }
  auto reread = liaison::parse_json_text(*once);
  if (!reread.ok()) {
    std::fprintf(stderr, "canonical output is not JSON: %s\n", once->c_str());
    std::abort();
  }
  auto twice = liaison::trust::canonical_json(*reread);
  if (!twice.ok() || *twice != *once) {
    std::fprintf(stderr, "canonical form is not stable:\n%s\n%s\n", once->c_str(),
                 twice.ok() ? twice->c_str() : twice.error().message.c_str());
    std::abort();
  }
  return 0;
}
