// Arbitrary bytes as a signed checkpoint note, as a verifier key, and as a
// note to cosign. Nothing may crash; every refusal names its field; a note
// that opens must be exactly its checkpoint's text, an empty line and
// signature lines, and must open again after a witness cosigns it; a
// verifier key that parses must be written back byte for byte, since two
// spellings of one key would be two keys to a configuration.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ledger/checkpoint.h"
#include "trust/encoding.h"

namespace {

using namespace liaison;
using namespace liaison::ledger;

constexpr const char* kHub = "ledger.liaison.example";
constexpr const char* kWitness = "witness.example/w1";

// Keys come from fixed seeds, so corpus notes signed with them stay valid.
trust::SecretKey key_for(const std::string& name) {
  auto k = trust::SecretKey::from_seed(trust::sha256("liaison fuzz seed: " + name));
  if (!k.ok()) std::abort();
  return std::move(k).value();
}

struct World {
  trust::SecretKey hub_key = key_for(kHub);
  trust::SecretKey witness_key = key_for(kWitness);
  NoteVerifier hub{kHub, hub_key.public_key()};
  NoteVerifier witness{kWitness, witness_key.public_key()};
};

const World& world() {
  static const World w;
  return w;
}

void refused_well(const Error& e, const char* what) {
  if (e.issues.empty() || e.issues[0].field.empty()) {
    std::fprintf(stderr, "%s refused without naming a field: %s\n", what, e.message.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const World& w = world();
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto vkey = NoteVerifier::parse_vkey(input);
  if (vkey.ok()) {
    if (vkey->vkey() != input) {
      std::fprintf(stderr, "verifier key not written back as read\n");
      std::abort();
    }
  } else {
    refused_well(vkey.error(), "parse_vkey");
  }

  auto opened = open_checkpoint(input, w.hub, {w.witness});
  if (!opened.ok()) {
    refused_well(opened.error(), "open_checkpoint");
  } else {
    const OpenedNote& n = *opened;
    if (n.text != checkpoint_text(n.checkpoint) || !input.starts_with(n.text + "\n") ||
        n.signers.empty() || n.signers[0] != kHub) {
      std::fprintf(stderr, "an opened note is not what it says\n");
      std::abort();
    }
  }

  auto cosigned = add_cosignature(input, kWitness, w.witness_key);
  if (!cosigned.ok()) {
    refused_well(cosigned.error(), "add_cosignature");
  } else if (!cosigned->starts_with(input)) {
    std::abort();
  } else if (opened.ok()) {
    auto again = open_checkpoint(*cosigned, w.hub, {w.witness});
    if (!again.ok() || again->signers.size() != 2) {
      std::fprintf(stderr, "a cosigned note does not open with both signatures\n");
      std::abort();
    }
  }
  return 0;
}
