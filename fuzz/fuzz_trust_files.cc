// The files people exchange to build trust, as arbitrary bytes: a certificate,
// a revocation list, a trust-store bundle (`liaison trust import`, `request
// verify --trust-store`), and the header of a key file. Nothing may crash or
// hang; whatever decodes must re-encode to JSON that decodes to the same value.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "trust/certificate.h"
#include "trust/key_file.h"
#include "trust/revocation.h"
#include "trust/trust_store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace liaison::trust;  // NOLINT
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return 0;
  if (auto c = certificate_from_json(j); c.ok()) {
    auto again = certificate_from_json(to_json(*c));
    if (!again.ok() || !(*again == *c)) std::abort();
  }
  if (auto l = revocation_list_from_json(j); l.ok()) {
    auto again = revocation_list_from_json(to_json(*l));
    if (!again.ok() || !(*again == *l)) std::abort();
  }
  if (auto s = TrustStore::from_json(j); s.ok()) {
    if (!TrustStore::from_json(s->to_json()).ok()) std::abort();
  }
  // A key file is refused before any key derivation unless its header is
  // sound; keep the fuzzer from paying for Argon2id on the rare file that is.
  if (j.is_object() && j.value("opslimit", 0) == 0) (void)open_key_file(text, "passphrase");
  return 0;
}
