#include "ledger/checkpoint.h"

#include <algorithm>

#include "core/base64.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"

namespace liaison::ledger {

namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr std::size_t kMaxSignatures = 100;
constexpr char kEd25519 = 0x01;  // the signed-note signature type of Ed25519
constexpr std::size_t kKeyHashBytes = 4;

Error bad_note(std::string reason) { return Error::invalid("checkpoint", std::move(reason)); }
Error bad_vkey(std::string reason) { return Error::invalid("vkey", std::move(reason)); }

std::string hash_hex(std::uint32_t h) {
  std::string be(kKeyHashBytes, '\0');
  for (std::size_t i = 0; i < kKeyHashBytes; ++i) {
    be[i] = static_cast<char>((h >> (8 * (3 - i))) & 0xff);
  }
  return trust::hex_encode(be);
}

std::uint32_t read_be32(std::string_view b) {
  std::uint32_t h = 0;
  for (std::size_t i = 0; i < kKeyHashBytes; ++i) h = h << 8 | static_cast<std::uint8_t>(b[i]);
  return h;
}

std::uint32_t key_hash_of(std::string_view name, std::string_view key) {
  std::string input;
  input.reserve(name.size() + 2 + key.size());
  input.append(name).append("\n").append(1, kEd25519).append(key);
  return read_be32(trust::sha256(input));
}

// The code point at `s[i]` of valid UTF-8, advancing `i`.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int extra = b < 0x80 ? 0 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
  char32_t cp = extra == 0 ? b : b & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  i += 1 + extra;
  return cp;
}

// Unicode's White_Space property, which Go's unicode.IsSpace (the reference
// implementation of signed notes) tests for.
bool is_unicode_space(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
         c == 0x3000;
}

// The note format admits valid UTF-8 with no control character but newline.
bool valid_note_chars(std::string_view s, bool allow_newline) {
  if (!trust::valid_utf8(s)) return false;
  return std::none_of(s.begin(), s.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && !(allow_newline && c == '\n')) || u == 0x7f;
  });
}

struct SignatureLine {
  std::string_view line;  // the whole line, without its newline
  std::string_view name;
  std::uint32_t key_hash = 0;
  std::string signature;  // after the key hash
};

struct ParsedNote {
  std::string_view text;
  std::vector<SignatureLine> lines;
};

// The note's form (c2sp.org/signed-note), without verifying anything.
Result<ParsedNote> parse_note(std::string_view note) {
  if (!valid_note_chars(note, true)) {
    return bad_note("the note must be UTF-8 without control characters other than newline");
  }
  std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return bad_note("the note has no empty line between its text and its signatures");
  }
  ParsedNote out;
  out.text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) return bad_note("the note has no signature lines");
  if (sigs.back() != '\n')
    return bad_note("the note's last signature line does not end in a newline");
  while (!sigs.empty()) {
    std::size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    std::string_view whole = line;
    sigs.remove_prefix(eol + 1);
    std::string which = "signature line " + std::to_string(out.lines.size() + 1);
    if (out.lines.size() == kMaxSignatures) {
      return bad_note("the note has more than " + std::to_string(kMaxSignatures) +
                      " signature lines");
    }
    if (!line.starts_with(kSigPrefix)) {
      return bad_note(which + " does not start with an em dash (U+2014) and a space");
    }
    line.remove_prefix(kSigPrefix.size());
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos)
      return bad_note(which + " has no space after the key name");
    SignatureLine s;
    s.line = whole;
    s.name = line.substr(0, space);
    if (!valid_key_name(s.name)) return bad_note(which + " has an invalid key name");
    auto raw = liaison::base64_decode(line.substr(space + 1), "signature");
    if (!raw.ok()) return bad_note(which + " (" + std::string(s.name) + ") is not base64");
    if (raw->size() <= kKeyHashBytes) {
      return bad_note(which + " (" + std::string(s.name) + ") is too short to be a signature");
    }
    s.key_hash = read_be32(*raw);
    s.signature = raw->substr(kKeyHashBytes);
    out.lines.push_back(std::move(s));
  }
  return out;
}

// The three lines of c2sp.org/tlog-checkpoint, nothing after them.
Result<Checkpoint> parse_checkpoint_text(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    if (eol == std::string_view::npos) return bad_note("the checkpoint text must end in a newline");
    lines.push_back(text.substr(0, eol));
    text.remove_prefix(eol + 1);
  }
  if (lines.size() != 3) {
    return bad_note("the checkpoint text must be three lines (origin, tree size, root hash), not " +
                    std::to_string(lines.size()));
  }
  Checkpoint c;
  if (lines[0].empty()) return bad_note("the checkpoint's origin line is empty");
  c.origin = std::string(lines[0]);
  std::string_view size = lines[1];
  bool digits = !size.empty() && std::all_of(size.begin(), size.end(),
                                             [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!digits || (size.size() > 1 && size[0] == '0')) {
    return bad_note("the checkpoint's tree size must be a decimal number without leading zeros");
  }
  for (char ch : size) {
    auto d = static_cast<std::uint64_t>(ch - '0');
    if (c.size > (UINT64_MAX - d) / 10) return bad_note("the checkpoint's tree size is too large");
    c.size = c.size * 10 + d;
  }
  auto root = hash_from_base64(lines[2], "root hash");
  if (!root.ok()) return bad_note("the checkpoint's " + root.error().message);
  c.root = *root;
  return c;
}

}  // namespace

bool valid_key_name(std::string_view name) {
  if (name.empty() || !valid_note_chars(name, false)) return false;
  for (std::size_t i = 0; i < name.size();) {
    char32_t c = next_code_point(name, i);
    if (c == '+' || is_unicode_space(c)) return false;
  }
  return true;
}

std::string checkpoint_text(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" + to_base64(c.root) + "\n";
}

std::uint32_t NoteVerifier::key_hash() const { return key_hash_of(name, key.bytes); }

std::string NoteVerifier::vkey() const {
  return name + "+" + hash_hex(key_hash()) + "+" +
         liaison::base64_encode(std::string(1, kEd25519) + key.bytes);
}

Result<NoteVerifier> NoteVerifier::parse_vkey(std::string_view vkey) {
  // The key's base64 may itself hold "+": only the first two separate.
  std::size_t p1 = vkey.find('+');
  std::size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return bad_vkey("a verifier key is <name>+<key hash>+<base64 key>");
  }
  std::string_view name = vkey.substr(0, p1);
  std::string_view hash = vkey.substr(p1 + 1, p2 - p1 - 1);
  if (!valid_key_name(name)) return bad_vkey("the verifier key's name is not a valid key name");
  if (!trust::is_lower_hex(hash, 2 * kKeyHashBytes)) {
    return bad_vkey("the verifier key's hash must be 8 lower-case hex digits");
  }
  auto raw = liaison::base64_decode(vkey.substr(p2 + 1), "key");
  if (!raw.ok()) return bad_vkey("the verifier key's key is not standard base64 with padding");
  if (raw->empty() || (*raw)[0] != kEd25519) {
    return bad_vkey("the verifier key is not an Ed25519 key (type 0x01)");
  }
  if (raw->size() != 1 + trust::kPublicKeyBytes) {
    return bad_vkey("the verifier key's Ed25519 key must be 32 bytes, not " +
                    std::to_string(raw->size() - 1));
  }
  NoteVerifier v{std::string(name), trust::PublicKey{raw->substr(1)}};
  if (hash_hex(v.key_hash()) != hash) {
    return bad_vkey("the verifier key's hash " + std::string(hash) + " does not match its key (" +
                    hash_hex(v.key_hash()) + ")");
  }
  return v;
}

std::string note_signature_line(std::string_view text, const std::string& name,
                                const trust::SecretKey& key) {
  std::uint32_t h = key_hash_of(name, key.public_key().bytes);
  std::string sig(kKeyHashBytes, '\0');
  for (std::size_t i = 0; i < kKeyHashBytes; ++i) {
    sig[i] = static_cast<char>((h >> (8 * (3 - i))) & 0xff);
  }
  sig += key.sign(text);
  return std::string(kSigPrefix) + name + " " + liaison::base64_encode(sig);
}

Result<std::string> sign_checkpoint(const Checkpoint& c, const std::string& key_name,
                                    const trust::SecretKey& key) {
  if (c.origin.empty() || !valid_note_chars(c.origin, false)) {
    return Error::invalid("origin",
                          "the origin must be non-empty UTF-8 without control characters");
  }
  if (!valid_key_name(key_name)) {
    return Error::invalid("key_name", "\"" + key_name + "\" is not a valid note key name");
  }
  std::string text = checkpoint_text(c);
  return text + "\n" + note_signature_line(text, key_name, key) + "\n";
}

Result<std::string> add_cosignature(std::string_view note, const std::string& key_name,
                                    const trust::SecretKey& key) {
  LIAISON_ASSIGN_OR_RETURN(ParsedNote parsed, parse_note(note));
  LIAISON_TRY(parse_checkpoint_text(parsed.text));
  if (!valid_key_name(key_name)) {
    return Error::invalid("key_name", "\"" + key_name + "\" is not a valid note key name");
  }
  std::uint32_t h = key_hash_of(key_name, key.public_key().bytes);
  for (const SignatureLine& l : parsed.lines) {
    if (l.name == key_name && l.key_hash == h) {
      return bad_note("the note is already signed by " + key_name + "+" + hash_hex(h));
    }
  }
  if (parsed.lines.size() >= kMaxSignatures) {
    return bad_note("the note already has " + std::to_string(kMaxSignatures) + " signature lines");
  }
  return std::string(note) + note_signature_line(parsed.text, key_name, key) + "\n";
}

Result<std::vector<std::string>> signature_lines(std::string_view note, std::string_view name) {
  LIAISON_ASSIGN_OR_RETURN(ParsedNote parsed, parse_note(note));
  std::vector<std::string> out;
  for (const auto& l : parsed.lines) {
    if (l.name == name) out.emplace_back(l.line);
  }
  return out;
}

Result<OpenedNote> open_checkpoint(std::string_view note, const NoteVerifier& verifier,
                                   const std::vector<NoteVerifier>& others) {
  LIAISON_ASSIGN_OR_RETURN(ParsedNote parsed, parse_note(note));
  LIAISON_ASSIGN_OR_RETURN(Checkpoint c, parse_checkpoint_text(parsed.text));

  std::vector<const NoteVerifier*> known{&verifier};
  for (const NoteVerifier& o : others) known.push_back(&o);
  std::vector<std::uint32_t> hashes;
  hashes.reserve(known.size());
  for (const NoteVerifier* k : known) hashes.push_back(k->key_hash());
  for (std::size_t i = 0; i < known.size(); ++i) {
    for (std::size_t j = i + 1; j < known.size(); ++j) {
      if (known[i]->name == known[j]->name && hashes[i] == hashes[j] &&
          known[i]->key != known[j]->key) {
        return Error::invalid("verifiers", "two known keys share the name and key hash " +
                                               known[i]->name + "+" + hash_hex(hashes[i]));
      }
    }
  }

  OpenedNote out;
  out.text = std::string(parsed.text);
  bool hub_signed = false;
  for (const SignatureLine& line : parsed.lines) {
    std::size_t k = 0;
    while (k < known.size() && !(known[k]->name == line.name && hashes[k] == line.key_hash)) ++k;
    if (k == known.size()) {
      out.unverified.emplace_back(line.name);
      continue;
    }
    if (!trust::verify_signature(known[k]->key, parsed.text, line.signature)) {
      return bad_note("the signature by " + known[k]->name + "+" + hash_hex(hashes[k]) +
                      " does not verify");
    }
    if (k == 0) hub_signed = true;
    if (std::find(out.signers.begin(), out.signers.end(), line.name) == out.signers.end()) {
      out.signers.emplace_back(line.name);
    }
  }
  if (!hub_signed) {
    return bad_note("the note has no signature line by " + verifier.name + "+" +
                    hash_hex(hashes[0]));
  }
  if (c.origin != verifier.name) {
    return bad_note("the checkpoint's origin \"" + c.origin + "\" is not the name of its key (" +
                    verifier.name + ")");
  }
  out.checkpoint = std::move(c);
  return out;
}

}  // namespace liaison::ledger
