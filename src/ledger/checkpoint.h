// Signed checkpoints in the C2SP signed-note format (c2sp.org/signed-note,
// c2sp.org/tlog-checkpoint).
//
// The note's text is three lines, each ending in a newline:
//   <origin>
//   <tree size, decimal, no leading zeros>
//   <root hash, standard base64 with padding>
// then an empty line and one signature line per signer:
//   — <key name> <base64(key hash (4 bytes) || Ed25519 signature (64 bytes))>
// where the key hash is the first 4 bytes of SHA-256(key name || "\n" || 0x01 ||
// public key), and the signature is over the text (the three lines). The hub
// signs with its own key, named after the origin; witnesses add their lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ledger/merkle.h"
#include "trust/keys.h"

namespace liaison::ledger {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
};

// The text a checkpoint's signers sign.
std::string checkpoint_text(const Checkpoint& c);

// A note signer's or verifier's public half: a name and an Ed25519 key.
struct NoteVerifier {
  std::string name;  // no spaces, no "+", not empty
  trust::PublicKey key;

  std::uint32_t key_hash() const;  // big-endian first 4 bytes of the hash above
  // The verifier key string: <name>+<key hash, 8 hex digits>+<base64(0x01 || key)>.
  std::string vkey() const;
  // Parses a verifier key string, checking that its key hash matches.
  static Result<NoteVerifier> parse_vkey(std::string_view vkey);
};

// True when `name` can name a note key: not empty, valid UTF-8, and without
// Unicode spaces, "+" or control characters.
bool valid_key_name(std::string_view name);

// The signature line `key` makes over `text`, without the trailing newline.
// `name` must be a valid key name.
std::string note_signature_line(std::string_view text, const std::string& name,
                                const trust::SecretKey& key);

// The whole note: text, empty line, the hub's signature line. Refused when the
// origin or the key name could not be read back.
Result<std::string> sign_checkpoint(const Checkpoint& c, const std::string& key_name,
                                    const trust::SecretKey& key);
// Adds one more signature line (a witness's cosignature) to a signed note.
// Only the note's form is checked here; a witness opens it with
// open_checkpoint first. Refused when the note is malformed, already carries
// a line by this key, or would exceed the signature limit.
Result<std::string> add_cosignature(std::string_view note, const std::string& key_name,
                                    const trust::SecretKey& key);

// The signature lines of a well-formed note made by the key named `name`, in
// order, each without its newline: what a hub keeps of a witness's cosignature.
Result<std::vector<std::string>> signature_lines(std::string_view note, std::string_view name);

struct OpenedNote {
  Checkpoint checkpoint;
  std::string text;                     // the signed text
  std::vector<std::string> signers;     // names of lines that verified against a known key
  std::vector<std::string> unverified;  // names of the other lines, untouched
};

// Parses a note, checks the signature line of `verifier` (required) and of
// each `others` that has a line (witnesses), and returns the checkpoint.
// Errors name the problem: malformed text, no line for the verifier, a bad
// signature, a size or root that does not parse. Strict: at most 100
// signature lines, no extension lines after the root, and the origin must be
// the verifier's name (the hub's key is named after its log). A line whose
// name and key hash match no known key is kept in `unverified`; a line from a
// known key that does not verify refuses the whole note.
Result<OpenedNote> open_checkpoint(std::string_view note, const NoteVerifier& verifier,
                                   const std::vector<NoteVerifier>& others = {});

}  // namespace liaison::ledger
