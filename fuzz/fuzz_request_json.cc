// Arbitrary bytes through the whole draft decoding path. Whatever
// decode_request_draft accepts, Liaison stores with encode_draft and must be
// able to load again with decode_stored_draft; a failure there would make a
// request unreadable after it was accepted.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/request_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = liaison::parse_json_text(text);
  if (!body.ok()) return 0;
  // A fixed clock keeps runs reproducible.
  const liaison::Timestamp now =
      liaison::Timestamp::from_seconds(1793610900);  // 2026-11-02T09:15:00Z
  auto decoded = liaison::decode_request_draft(*body, now);
  if (!decoded.ok()) {
    if (decoded.error().issues.empty()) std::abort();  // every refusal names a field
    return 0;
  }
  nlohmann::json stored = liaison::encode_draft(decoded->draft);
  // Storage keeps the text, so go through it.
  auto reread = liaison::parse_json_text(stored.dump());
  if (!reread.ok()) std::abort();
  auto restored = liaison::decode_stored_draft(*reread);
  if (!restored.ok()) {
    std::fprintf(stderr, "stored draft did not load: %s\n", restored.error().message.c_str());
    std::abort();
  }
  if (liaison::encode_draft(*restored) != stored) std::abort();
  // Normalisation is idempotent: the served form decodes to the same draft.
  auto again = liaison::decode_request_draft(stored, now);
  if (!again.ok()) {
    std::fprintf(stderr, "served draft is not accepted back: %s\n", again.error().message.c_str());
    std::abort();
  }
  if (liaison::encode_draft(again->draft) != stored) std::abort();
  return 0;
}
