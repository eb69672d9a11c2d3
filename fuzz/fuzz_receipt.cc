// Arbitrary bytes as a receipt, as a court or auditor would receive one:
// JSON, strict decoding, then every check, with and without a pinned hub key.
// Nothing may crash; whatever decodes must survive to_json unchanged; every
// refusal names its field; a receipt that checks must hold an entry whose
// commitment its salt and content give.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/request_json.h"
#include "ledger/receipt.h"
#include "trust/encoding.h"

namespace {

using namespace liaison;
using namespace liaison::ledger;

constexpr const char* kHub = "ledger.liaison.example";

const NoteVerifier& hub() {
  static const NoteVerifier v = [] {
    auto k = trust::SecretKey::from_seed(trust::sha256(std::string("liaison fuzz seed: ") + kHub));
    if (!k.ok()) std::abort();
    return NoteVerifier{kHub, k->public_key()};
  }();
  return v;
}

bool same(const Receipt& a, const Receipt& b) {
  return a.entry == b.entry && a.leaf_index == b.leaf_index && a.salt == b.salt &&
         a.content == b.content && a.tree_size == b.tree_size && a.path == b.path &&
         a.checkpoint == b.checkpoint && a.vkey == b.vkey;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = parse_json_text(text);
  if (!body.ok()) return 0;
  auto receipt = receipt_from_json(*body);
  if (!receipt.ok()) {
    if (receipt.error().issues.empty()) std::abort();
    return 0;
  }
  auto again = receipt_from_json(to_json(*receipt));
  if (!again.ok() || !same(*again, *receipt)) {
    std::fprintf(stderr, "a decoded receipt does not decode again after to_json\n");
    std::abort();
  }
  for (bool pin : {false, true}) {
    auto checked = check_receipt(*receipt, pin ? std::optional<NoteVerifier>(hub()) : std::nullopt);
    if (!checked.ok()) {
      if (checked.error().issues.empty()) std::abort();
      continue;
    }
    auto c = commit(receipt->salt, receipt->content);
    if (!c.ok() || *c != checked->entry.commitment ||
        checked->checkpoint.size != receipt->tree_size) {
      std::fprintf(stderr, "a receipt checked that should not have\n");
      std::abort();
    }
  }
  return 0;
}
