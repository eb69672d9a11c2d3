#include "ledger/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base64.h"
#include "ledger_fixture.h"

namespace liaison::ledger {
namespace {

using ::testing::ElementsAre;
using testing::hash_of_hex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::key_for;
using testing::kOrigin;
using testing::verifier_for;

constexpr std::string_view kDash = "\xE2\x80\x94";  // U+2014

// The key, verifier keys, text and signature line of golang.org/x/mod's
// sumdb/note/note_test.go (TestNewSigner, TestNewVerifier, TestSign,
// TestVerifierList), the reference implementation of c2sp.org/signed-note.
// Taken as facts.
constexpr std::string_view kGoSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoEnochVkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoSignatureLine =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

trust::SecretKey go_signer() {
  // PRIVATE+KEY+<name>+<hash>+base64(0x01 || Ed25519 seed); the base64 may hold "+".
  std::string_view b64 = kGoSignerKey;
  for (int i = 0; i < 4; ++i) b64.remove_prefix(b64.find('+') + 1);
  std::string raw = liaison::base64_decode(b64, "skey").value();
  EXPECT_EQ(raw.size(), 33u);
  EXPECT_EQ(raw[0], 0x01);
  return trust::SecretKey::from_seed(raw.substr(1)).value();
}

Checkpoint sample_checkpoint() {
  // Size 8 and root of the transparency-dev/merkle test tree (testonly/constants.go).
  return Checkpoint{
      kOrigin, 8, hash_of_hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")};
}

std::string signed_sample() {
  return sign_checkpoint(sample_checkpoint(), kOrigin, key_for(kOrigin)).value();
}

std::string message_of(const Result<OpenedNote>& r) {
  return r.ok() ? std::string("opened") : r.error().message;
}

TEST(NoteVectorsTest, MatchGoSumdbNote) {
  trust::SecretKey key = go_signer();
  NoteVerifier peter{"PeterNeumann", key.public_key()};
  EXPECT_EQ(peter.key_hash(), 0xc74f20a3u);
  EXPECT_EQ(peter.vkey(), kGoPeterVkey);
  EXPECT_EQ(note_signature_line(kGoText, "PeterNeumann", key), kGoSignatureLine);

  auto parsed = NoteVerifier::parse_vkey(kGoPeterVkey);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->name, "PeterNeumann");
  EXPECT_EQ(parsed->key, key.public_key());
  auto enoch = NoteVerifier::parse_vkey(kGoEnochVkey);
  ASSERT_TRUE(enoch.ok()) << enoch.error().message;
  EXPECT_EQ(enoch->key_hash(), 0xaf0cfe78u);
  EXPECT_EQ(enoch->vkey(), kGoEnochVkey);

  // A note, but not a checkpoint: its text is not origin, size and root.
  std::string note = std::string(kGoText) + "\n" + std::string(kGoSignatureLine) + "\n";
  auto opened = open_checkpoint(note, *parsed);
  EXPECT_THAT(message_of(opened), HasSubstr("must be three lines"));
}

TEST(NoteVerifierTest, KeyHashIsTheSignedNoteKeyId) {
  NoteVerifier v = verifier_for(kOrigin);
  std::string digest = trust::sha256(std::string(kOrigin) + "\n\x01" + v.key.bytes);
  std::uint32_t want = 0;
  for (int i = 0; i < 4; ++i) want = want << 8 | static_cast<std::uint8_t>(digest[i]);
  EXPECT_EQ(v.key_hash(), want);
  auto back = NoteVerifier::parse_vkey(v.vkey());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->name, v.name);
  EXPECT_EQ(back->key, v.key);
}

TEST(NoteVerifierTest, EveryManglingOfAVerifierKeyIsRefused) {
  std::string vkey(kGoPeterVkey);
  for (std::size_t i = 0; i <= vkey.size(); ++i) {
    for (std::size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(NoteVerifier::parse_vkey(vkey.substr(i, j - i)).ok()) << vkey.substr(i, j - i);
    }
  }
  for (std::size_t i = 0; i < vkey.size(); ++i) {
    std::string bad = vkey;
    ++bad[i];
    EXPECT_FALSE(NoteVerifier::parse_vkey(bad).ok()) << bad;
  }
  // Also from note_test.go: a key of the wrong length and an unknown
  // algorithm, each with a key hash that matches its bytes. (The first is
  // refused sooner here: its last base64 character has non-zero unused bits,
  // which Go's decoder tolerates.)
  EXPECT_FALSE(NoteVerifier::parse_vkey(
                   "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
                   .ok());
  std::string long_raw = "\x01" + std::string(33, 'k');
  std::string digest = trust::sha256("PeterNeumann\n" + long_raw);
  auto long_key =
      NoteVerifier::parse_vkey("PeterNeumann+" + trust::hex_encode(digest.substr(0, 4)) + "+" +
                               liaison::base64_encode(long_raw));
  ASSERT_FALSE(long_key.ok());
  EXPECT_THAT(long_key.error().message, HasSubstr("must be 32 bytes, not 33"));
  auto other_alg = NoteVerifier::parse_vkey(
      "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  ASSERT_FALSE(other_alg.ok());
  EXPECT_THAT(other_alg.error().message, HasSubstr("not an Ed25519 key"));
  auto wrong_hash = NoteVerifier::parse_vkey(
      "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  ASSERT_FALSE(wrong_hash.ok());
  EXPECT_THAT(wrong_hash.error().message, HasSubstr("does not match its key (c74f20a3)"));
  EXPECT_EQ(wrong_hash.error().issues.at(0).field, "vkey");
}

TEST(NoteVerifierTest, KeyNamesFollowTheNoteRules) {
  EXPECT_TRUE(valid_key_name("ledger.liaison.example"));
  EXPECT_TRUE(valid_key_name("example.com/log42"));
  EXPECT_TRUE(valid_key_name("h\xC3\xA9"));  // é
  EXPECT_FALSE(valid_key_name(""));
  EXPECT_FALSE(valid_key_name("a b"));
  EXPECT_FALSE(valid_key_name("a+b"));
  EXPECT_FALSE(valid_key_name("a\tb"));
  EXPECT_FALSE(valid_key_name("a\nb"));
  EXPECT_FALSE(
      valid_key_name("a\xC2\xA0"
                     "b"));  // U+00A0 no-break space
  EXPECT_FALSE(
      valid_key_name("a\xE3\x80\x80"
                     "b"));  // U+3000 ideographic space
  EXPECT_FALSE(
      valid_key_name("a\xE2\x80\xA8"
                     "b"));  // U+2028 line separator
  EXPECT_FALSE(
      valid_key_name("a\xFF"
                     "b"));  // not UTF-8
}

TEST(CheckpointTest, TextIsOriginSizeAndRoot) {
  EXPECT_EQ(checkpoint_text(sample_checkpoint()),
            "ledger.liaison.example\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
}

TEST(CheckpointTest, SignedNoteOpens) {
  std::string note = signed_sample();
  std::string text = checkpoint_text(sample_checkpoint());
  ASSERT_TRUE(note.starts_with(text + "\n" + std::string(kDash) + " " + kOrigin + " "));
  ASSERT_TRUE(note.ends_with("\n"));
  auto opened = open_checkpoint(note, verifier_for(kOrigin));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->checkpoint.origin, kOrigin);
  EXPECT_EQ(opened->checkpoint.size, 8u);
  EXPECT_EQ(opened->checkpoint.root, sample_checkpoint().root);
  EXPECT_EQ(opened->text, text);
  EXPECT_THAT(opened->signers, ElementsAre(kOrigin));
  EXPECT_THAT(opened->unverified, IsEmpty());
}

TEST(CheckpointTest, EmptyAndLargestTreesRoundTrip) {
  for (std::uint64_t size : {std::uint64_t{0}, ~std::uint64_t{0}}) {
    Checkpoint c{kOrigin, size, size == 0 ? empty_root() : sample_checkpoint().root};
    auto opened = open_checkpoint(sign_checkpoint(c, kOrigin, key_for(kOrigin)).value(),
                                  verifier_for(kOrigin));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->checkpoint.size, size);
  }
}

TEST(CheckpointTest, WitnessCosignatureIsAddedAndVerified) {
  std::string note = signed_sample();
  auto cosigned = add_cosignature(note, "witness.example/w1", key_for("witness.example/w1"));
  ASSERT_TRUE(cosigned.ok()) << cosigned.error().message;
  ASSERT_TRUE(cosigned->starts_with(note));
  EXPECT_TRUE(cosigned->ends_with("\n"));

  auto both =
      open_checkpoint(*cosigned, verifier_for(kOrigin), {verifier_for("witness.example/w1")});
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_THAT(both->signers, ElementsAre(kOrigin, "witness.example/w1"));
  EXPECT_THAT(both->unverified, IsEmpty());

  // Without the witness's key its line is kept, unverified, not an error.
  auto hub_only = open_checkpoint(*cosigned, verifier_for(kOrigin));
  ASSERT_TRUE(hub_only.ok()) << hub_only.error().message;
  EXPECT_THAT(hub_only->signers, ElementsAre(kOrigin));
  EXPECT_THAT(hub_only->unverified, ElementsAre("witness.example/w1"));

  // A witness whose key is expected but has no line is simply absent.
  auto other_witness =
      open_checkpoint(note, verifier_for(kOrigin), {verifier_for("witness.example/w1")});
  ASSERT_TRUE(other_witness.ok());
  EXPECT_THAT(other_witness->signers, ElementsAre(kOrigin));

  auto again = add_cosignature(*cosigned, "witness.example/w1", key_for("witness.example/w1"));
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.error().message, HasSubstr("already signed by witness.example/w1+"));
}

// Each key's lines of a note, as the hub keeps a witness's and a witness
// keeps the hub's.
TEST(CheckpointTest, SignatureLinesAreFoundByKeyName) {
  std::string note = signed_sample();
  std::string cosigned =
      add_cosignature(note, "witness.example/w1", key_for("witness.example/w1")).value();
  auto witness = signature_lines(cosigned, "witness.example/w1");
  ASSERT_TRUE(witness.ok()) << witness.error().message;
  ASSERT_EQ(witness->size(), 1u);
  EXPECT_EQ(cosigned, note + (*witness)[0] + "\n");
  auto hub = signature_lines(cosigned, kOrigin);
  ASSERT_TRUE(hub.ok());
  ASSERT_EQ(hub->size(), 1u);
  EXPECT_TRUE((*hub)[0].starts_with(std::string("\xE2\x80\x94 ") + kOrigin + " "));
  EXPECT_TRUE(signature_lines(cosigned, "nobody.example/x").value().empty());
  EXPECT_FALSE(signature_lines("not a note", kOrigin).ok());
}

TEST(CheckpointTest, AWitnessLineThatDoesNotVerifyRefusesTheNote) {
  std::string note = signed_sample();
  // The line names the witness's key but carries another key's signature.
  std::string forged = note_signature_line(checkpoint_text(sample_checkpoint()),
                                           "witness.example/w1", key_for("not the witness"));
  NoteVerifier witness = verifier_for("witness.example/w1");
  std::string sig = liaison::base64_decode(forged.substr(forged.rfind(' ') + 1), "").value();
  std::uint32_t h = witness.key_hash();
  for (int i = 0; i < 4; ++i) sig[i] = static_cast<char>(h >> (24 - 8 * i));
  std::string line = std::string(kDash) + " witness.example/w1 " + liaison::base64_encode(sig);
  auto opened = open_checkpoint(note + line + "\n", verifier_for(kOrigin), {witness});
  EXPECT_THAT(message_of(opened), HasSubstr("signature by witness.example/w1+"));
  EXPECT_THAT(message_of(opened), HasSubstr("does not verify"));
}

TEST(CheckpointTest, EverySingleByteChangeIsDetected) {
  std::string note =
      add_cosignature(signed_sample(), "witness.example/w1", key_for("witness.example/w1")).value();
  NoteVerifier hub = verifier_for(kOrigin);
  std::vector<NoteVerifier> witnesses = {verifier_for("witness.example/w1")};
  ASSERT_TRUE(open_checkpoint(note, hub, witnesses).ok());
  // Detected: the note no longer opens, or no longer carries both signatures.
  auto detected = [&](const std::string& changed) {
    auto r = open_checkpoint(changed, hub, witnesses);
    return !r.ok() || r->signers.size() != 2;
  };
  for (std::size_t i = 0; i < note.size(); ++i) {
    for (unsigned char x : {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80}) {
      std::string changed = note;
      changed[i] = static_cast<char>(changed[i] ^ x);
      EXPECT_TRUE(detected(changed)) << "byte " << i << " ^ " << int(x);
    }
    std::string removed = note;
    removed.erase(i, 1);
    EXPECT_TRUE(detected(removed)) << "byte " << i << " removed";
    std::string inserted = note;
    inserted.insert(i, 1, note[i]);
    EXPECT_TRUE(detected(inserted)) << "byte " << i << " doubled";
  }
}

TEST(CheckpointTest, WrongKeyIsRefused) {
  std::string note = signed_sample();
  // Same name, other key: the key hash differs, so the line is not its.
  NoteVerifier impostor{kOrigin, key_for("someone else").public_key()};
  auto r = open_checkpoint(note, impostor);
  EXPECT_THAT(message_of(r), HasSubstr("no signature line by ledger.liaison.example+"));
  EXPECT_THAT(message_of(open_checkpoint(note, verifier_for("other.example"))),
              HasSubstr("no signature line by other.example+"));
  // A checkpoint of this origin signed by a key of another name.
  std::string foreign =
      sign_checkpoint(sample_checkpoint(), "other.example", key_for("other.example")).value();
  EXPECT_THAT(message_of(open_checkpoint(foreign, verifier_for("other.example"))),
              HasSubstr("origin \"ledger.liaison.example\" is not the name of its key"));
}

TEST(CheckpointTest, AKnownKeyListedTwiceCountsOnce) {
  NoteVerifier hub = verifier_for(kOrigin);
  auto opened = open_checkpoint(signed_sample(), hub, {hub});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_THAT(opened->signers, ElementsAre(kOrigin));
}

struct Malformed {
  std::string note;
  std::string says;
};

TEST(CheckpointTest, MalformedNotesAreRefusedWithClearErrors) {
  std::string note = signed_sample();
  std::string text = checkpoint_text(sample_checkpoint());
  std::string line = note.substr(text.size() + 1);  // with its newline
  std::string line_body = line.substr(0, line.size() - 1);
  auto with_text = [&](const std::string& t) {
    return t + "\n" + note_signature_line(t, kOrigin, key_for(kOrigin)) + "\n";
  };
  std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  const std::vector<Malformed> cases = {
      {"", "no empty line"},
      {text, "no empty line"},
      {text + "\n", "no signature lines"},
      {text + "\n" + line_body, "does not end in a newline"},
      {text + "\n" + line + "\n", "no signature lines"},
      {text + "\n" + line + "unexpected line\n", "signature line 2 does not start with an em dash"},
      {text + "\n- " + line.substr(kDash.size() + 1), "does not start with an em dash"},
      {text + "\n" + std::string(kDash) + kOrigin + "\n", "does not start with an em dash"},
      {text + "\n" + std::string(kDash) + " " + kOrigin + "\n", "no space after the key name"},
      {text + "\n" + std::string(kDash) + " a+b AAAAAAAA\n", "invalid key name"},
      {text + "\n" + std::string(kDash) + " " + kOrigin + " AAAAAA\n", "is not base64"},
      {text + "\n" + std::string(kDash) + " " + kOrigin + " AAAAAA==\n", "too short"},
      {text + "\n" + std::string(kDash) + " " + kOrigin + " \n", "too short"},
      {"\x01" + note, "without control characters"},
      {"\xff" + note, "UTF-8"},
      {text + "\r\n" + line, "without control characters"},
      {with_text(std::string(kOrigin) + "\n8\n" + root + "\nextension\n"), "three lines"},
      {with_text(std::string(kOrigin) + "\n8\n"), "three lines"},
      {with_text("\n8\n" + root + "\n"), "origin line is empty"},
      {with_text(std::string(kOrigin) + "\n08\n" + root + "\n"), "without leading zeros"},
      {with_text(std::string(kOrigin) + "\n+8\n" + root + "\n"), "without leading zeros"},
      {with_text(std::string(kOrigin) + "\n 8\n" + root + "\n"), "without leading zeros"},
      {with_text(std::string(kOrigin) + "\n\n" + root + "\n"), "without leading zeros"},
      {with_text(std::string(kOrigin) + "\n-1\n" + root + "\n"), "without leading zeros"},
      {with_text(std::string(kOrigin) + "\n18446744073709551616\n" + root + "\n"), "too large"},
      {with_text(std::string(kOrigin) + "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n"),
       "root hash is not standard base64"},
      {with_text(std::string(kOrigin) + "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n"),
       "root hash is not standard base64"},
      {with_text(std::string(kOrigin) + "\n8\nAAAA\n"), "must decode to 32 bytes, not 3"},
  };
  for (const Malformed& m : cases) {
    auto r = open_checkpoint(m.note, verifier_for(kOrigin));
    ASSERT_FALSE(r.ok()) << m.note;
    EXPECT_THAT(r.error().message, HasSubstr(m.says)) << m.note;
    EXPECT_EQ(r.error().issues.at(0).field, "checkpoint");
  }
}

TEST(CheckpointTest, AtMostOneHundredSignatureLines) {
  std::string note = signed_sample();
  std::string text = checkpoint_text(sample_checkpoint());
  std::string hundred = note;
  for (int i = 1; i < 100; ++i) {
    std::string name = "witness.example/" + std::to_string(i);
    hundred += note_signature_line(text, name, key_for(name)) + "\n";
  }
  auto opened = open_checkpoint(hundred, verifier_for(kOrigin));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->unverified.size(), 99u);
  auto full = add_cosignature(hundred, "witness.example/last", key_for("witness.example/last"));
  ASSERT_FALSE(full.ok());
  EXPECT_THAT(full.error().message, HasSubstr("already has 100 signature lines"));
  std::string too_many = hundred + note_signature_line(text, "w", key_for("w")) + "\n";
  EXPECT_THAT(message_of(open_checkpoint(too_many, verifier_for(kOrigin))),
              HasSubstr("more than 100 signature lines"));
}

TEST(CheckpointTest, SigningRefusesWhatCouldNotBeReadBack) {
  Checkpoint c = sample_checkpoint();
  auto bad_name = sign_checkpoint(c, "two words", key_for(kOrigin));
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().issues.at(0).field, "key_name");
  c.origin = "line\nbreak";
  auto bad_origin = sign_checkpoint(c, kOrigin, key_for(kOrigin));
  ASSERT_FALSE(bad_origin.ok());
  EXPECT_EQ(bad_origin.error().issues.at(0).field, "origin");
  c.origin = "";
  EXPECT_FALSE(sign_checkpoint(c, kOrigin, key_for(kOrigin)).ok());

  auto not_a_note = add_cosignature("hello\n", "w", key_for("w"));
  ASSERT_FALSE(not_a_note.ok());
  EXPECT_THAT(not_a_note.error().message, HasSubstr("no empty line"));
  auto bad_witness = add_cosignature(signed_sample(), "w+1", key_for("w"));
  ASSERT_FALSE(bad_witness.ok());
  EXPECT_EQ(bad_witness.error().issues.at(0).field, "key_name");
}

}  // namespace
}  // namespace liaison::ledger
