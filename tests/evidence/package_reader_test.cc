// Every region of a package altered, cut or extended, and where the readers
// say the fault is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence/format.h"
#include "evidence/package.h"
#include "evidence_fixture.h"

namespace liaison::evidence {
namespace {

using testing::copy_with_flip;
using testing::field_of;
using ::testing::HasSubstr;
using testing::MemorySink;
using testing::options;
using testing::pattern;
using testing::pki;
using testing::read_file;
using testing::Workspace;
using testing::write_file;

class Tampering : public ::testing::TestWithParam<Aead> {
 protected:
  void SetUp() override {
    // Item 0: 3 chunks of 1 KiB; item 1: 4 chunks, the last short; item 2:
    // empty. Items 0 and 1's first chunks are the same size, for swapping.
    contents = {pattern(3072, "zero"), pattern(3500, "one"), ""};
    inputs = {ws.input("mail/zero.eml", contents[0]), ws.input("mail/one.eml", contents[1]),
              ws.input("empty", contents[2])};
    auto sealed = ws.seal(inputs, "good.lep", options(GetParam(), 10));
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    info = *sealed;
    good = ws.path("good.lep").string();
    bad = ws.path("bad.lep").string();
    bytes = read_file(good);
  }

  std::uint64_t chunk_offset(std::uint64_t item, std::uint64_t chunk) const {
    std::uint64_t offset = info.items_offset;
    for (std::uint64_t i = 0; i < item; ++i) {
      offset += item_ciphertext_size(GetParam(), 1024, contents[i].size());
    }
    return offset + item_prefix_bytes(GetParam()) + chunk * (1024 + chunk_overhead(GetParam()));
  }
  std::uint64_t item_lines_offset() const {
    return info.header_bytes + info.statement_line.size() + 1;
  }
  std::uint64_t signature_offset() const {
    std::uint64_t at = bytes.rfind('\n', info.items_offset - 2);
    return at + 1;
  }

  Result<PackageInfo> inspect_bad() { return inspect_package(bad); }
  Result<PackageInfo> open_bad(MemorySink* sink = nullptr) {
    return open_package(bad, pki().police_unit_key, sink);
  }
  std::string flipped_field(std::uint64_t offset, std::uint8_t mask = 0x01) {
    copy_with_flip(good, bad, offset, mask);
    return field_of(inspect_bad());
  }
  std::string with_byte(std::uint64_t offset, char value) {
    std::string b = bytes;
    b[offset] = value;
    write_file(bad, b);
    return field_of(inspect_bad());
  }

  Workspace ws;
  std::vector<std::string> contents;
  std::vector<SealInput> inputs;
  PackageInfo info;
  std::string good, bad, bytes;
};

TEST_P(Tampering, TheGoodPackageOpens) {
  MemorySink sink;
  ASSERT_TRUE(open_package(good, pki().police_unit_key, &sink).ok());
  EXPECT_EQ(sink.items.size(), 3u);
}

TEST_P(Tampering, HeaderFixedFields) {
  EXPECT_EQ(flipped_field(0), "header/magic");
  EXPECT_EQ(flipped_field(18), "header/magic");
  EXPECT_EQ(with_byte(20, 9), "header/aead");
  EXPECT_EQ(with_byte(20, 0), "header/aead");
  EXPECT_EQ(with_byte(20, GetParam() == Aead::kAes256Gcm ? 2 : 1), "header/aead");
  EXPECT_EQ(with_byte(21, 9), "header/chunk_size");
  EXPECT_EQ(with_byte(21, 25), "header/chunk_size");
  EXPECT_EQ(with_byte(21, 11), "header/chunk_size");
  EXPECT_EQ(flipped_field(22), "header/package_id");
  EXPECT_EQ(flipped_field(37), "header/package_id");
  EXPECT_EQ(with_byte(39, 0), "header/recipients");
  EXPECT_EQ(with_byte(38, 1), "header/recipients");  // 257
  auto r = inspect_bad();
  EXPECT_THAT(r.error().message, HasSubstr("257"));
}

TEST_P(Tampering, RecipientStanza) {
  // The stanzas are covered by the statement's header_sha256.
  EXPECT_EQ(flipped_field(40), "header");           // the key id
  EXPECT_EQ(flipped_field(40 + 16 + 5), "header");  // the sealed box
  EXPECT_EQ(flipped_field(40 + 95), "header");
  auto r = inspect_bad();
  EXPECT_THAT(r.error().message, HasSubstr("header_sha256"));
}

TEST_P(Tampering, StatementLine) {
  std::uint64_t at = info.header_bytes;
  EXPECT_EQ(flipped_field(at), "manifest/statement");  // '{' is no longer JSON
  // A changed value that still parses: the signature no longer verifies.
  std::size_t ref = info.statement_line.find("EX-2026-0042");
  ASSERT_NE(ref, std::string::npos);
  EXPECT_EQ(flipped_field(at + ref + 1), "manifest/signature/signature");
  // A member renamed.
  std::size_t name = info.statement_line.find("\"reference\"");
  EXPECT_EQ(flipped_field(at + name + 2), "manifest/statement");
  // Whitespace where canonical JSON has none.
  std::size_t colon = info.statement_line.find(':');
  write_file(bad, bytes.substr(0, at + colon + 1) + " " + bytes.substr(at + colon + 1));
  EXPECT_EQ(field_of(inspect_bad()), "manifest/statement");
  EXPECT_THAT(inspect_bad().error().message, HasSubstr("canonical"));
  // The line's newline: the statement runs on into the first item line.
  EXPECT_EQ(flipped_field(at + info.statement_line.size(), 0x20), "manifest/statement");
}

TEST_P(Tampering, ItemLines) {
  std::uint64_t at = item_lines_offset();
  std::string lines = bytes.substr(at, signature_offset() - at);
  std::size_t second = lines.find('\n') + 1;
  EXPECT_EQ(flipped_field(at + second), "manifest/items/1");  // '{'
  // A name changed to another valid name: only the Merkle root tells.
  std::size_t name = lines.find("one.eml");
  EXPECT_EQ(flipped_field(at + name), "manifest/statement/merkle_root");
  // A name changed to a bad one.
  std::size_t slash = lines.find("mail/one");
  EXPECT_EQ(with_byte(at + slash, '/'), "manifest/items/1/name");
  // A hash digit in upper case.
  std::size_t sha = lines.find("\"sha256\":\"", second) + 10;
  std::string b = bytes;
  std::size_t hex = lines.find_first_of("abcdef", sha);
  b[at + hex] = static_cast<char>(b[at + hex] - 'a' + 'A');
  write_file(bad, b);
  EXPECT_EQ(field_of(inspect_bad()), "manifest/items/1/sha256");
  // A size changed: the sizes no longer sum to total_size.
  std::size_t size = lines.find("\"size\":3500");
  EXPECT_EQ(with_byte(at + size + 8, '4'), "manifest/statement/total_size");
}

TEST_P(Tampering, SignatureLine) {
  std::uint64_t at = signature_offset();
  std::string line = bytes.substr(at, info.items_offset - at - 1);
  std::size_t sig = line.rfind("\"signature\":\"") + 13;
  std::string b = bytes;
  b[at + sig + 3] = b[at + sig + 3] == 'A' ? 'B' : 'A';
  write_file(bad, b);
  EXPECT_EQ(field_of(inspect_bad()), "manifest/signature/signature");
  EXPECT_EQ(flipped_field(at), "manifest/signature") << at << " " << line.substr(0, 40);
  std::size_t key_id = line.rfind("\"key_id\":\"") + 10;
  EXPECT_EQ(with_byte(at + key_id, line[key_id] == '0' ? '1' : '0'), "manifest/signature/key_id");
  // Inside the signer's certificate: its organisation's signature fails.
  std::size_t subject = line.find("Eva Voorbeeld");
  EXPECT_EQ(flipped_field(at + subject), "manifest/signature/certificates/0");
}

TEST_P(Tampering, ChunkCiphertextAndTag) {
  copy_with_flip(good, bad, chunk_offset(1, 2) + 100);
  ASSERT_TRUE(inspect_bad().ok());  // without a key, nothing shows
  MemorySink sink;
  auto r = open_bad(&sink);
  EXPECT_EQ(field_of(r), "items/1/chunks/2");
  EXPECT_THAT(r.error().message, HasSubstr("altered"));
  EXPECT_TRUE(sink.aborted);
  ASSERT_EQ(sink.items.size(), 2u);
  EXPECT_TRUE(sink.items[0].finished);
  EXPECT_FALSE(sink.items[1].finished);
  // Only authenticated chunks reached the sink (whole blocks of them).
  EXPECT_EQ(sink.items[1].data, contents[1].substr(0, sink.items[1].data.size()));
  EXPECT_LE(sink.items[1].data.size(), 2048u);

  // The last byte of item 0's second chunk is its tag.
  copy_with_flip(good, bad, chunk_offset(0, 2) - 1);
  EXPECT_EQ(field_of(open_bad()), "items/0/chunks/1");
  // The empty item's only chunk is all tag.
  copy_with_flip(good, bad, chunk_offset(2, 0) + 3);
  EXPECT_EQ(field_of(open_bad()), "items/2/chunks/0");
  if (GetParam() == Aead::kXChaCha20Poly1305) {
    // The stream header of item 1.
    copy_with_flip(good, bad, chunk_offset(1, 0) - 3);
    EXPECT_EQ(field_of(open_bad()), "items/1/chunks/0");
  }
}

TEST_P(Tampering, TwoChunksSwapped) {
  std::string b = bytes;
  std::size_t full = 1024 + chunk_overhead(GetParam());
  std::string first = b.substr(chunk_offset(0, 0), full);
  std::string second = b.substr(chunk_offset(0, 1), full);
  b.replace(chunk_offset(0, 0), full, second);
  b.replace(chunk_offset(0, 1), full, first);
  write_file(bad, b);
  auto r = open_bad();
  EXPECT_EQ(field_of(r), "items/0/chunks/0");
  if (GetParam() == Aead::kAes256Gcm) {
    EXPECT_THAT(r.error().message, HasSubstr("is chunk 1"));
  }
}

TEST_P(Tampering, ChunkFromAnotherItem) {
  std::string b = bytes;
  std::size_t full = 1024 + chunk_overhead(GetParam());
  b.replace(chunk_offset(1, 1), full, bytes.substr(chunk_offset(0, 1), full));
  write_file(bad, b);
  auto r = open_bad();
  EXPECT_EQ(field_of(r), "items/1/chunks/1");
  EXPECT_THAT(r.error().message, HasSubstr("another item or package"));
}

TEST_P(Tampering, ChunkFromAnotherPackage) {
  // The same inputs sealed again: same sizes, another package key.
  ASSERT_TRUE(ws.seal(inputs, "other.lep", options(GetParam(), 10)).ok());
  std::string other = read_file(ws.path("other.lep"));
  std::string b = bytes;
  std::size_t full = 1024 + chunk_overhead(GetParam());
  b.replace(chunk_offset(0, 2), full, other.substr(chunk_offset(0, 2), full));
  write_file(bad, b);
  auto r = open_bad();
  EXPECT_EQ(field_of(r), "items/0/chunks/2");
  EXPECT_THAT(r.error().message, HasSubstr("another item or package"));
}

TEST_P(Tampering, Truncated) {
  auto truncated_at = [&](std::uint64_t size) {
    write_file(bad, bytes.substr(0, size));
    return field_of(inspect_bad());
  };
  EXPECT_EQ(truncated_at(0), "header");
  EXPECT_EQ(truncated_at(30), "header");
  EXPECT_EQ(truncated_at(60), "header/recipients");
  EXPECT_EQ(truncated_at(info.header_bytes + 10), "manifest/statement");
  EXPECT_EQ(truncated_at(item_lines_offset() + 5), "manifest/items/0");
  EXPECT_EQ(truncated_at(signature_offset() + 5), "manifest/signature");
  EXPECT_EQ(truncated_at(info.items_offset), "items/0");
  EXPECT_THAT(inspect_bad().error().message, HasSubstr("missing"));
  EXPECT_EQ(truncated_at(chunk_offset(1, 3) + 7), "items/1/chunks/3");
  EXPECT_THAT(inspect_bad().error().message, HasSubstr("truncated"));
  EXPECT_EQ(truncated_at(bytes.size() - 1), "items/2/chunks/0");
}

TEST_P(Tampering, AppendedBytes) {
  write_file(bad, bytes + "x");
  auto r = inspect_bad();
  EXPECT_EQ(field_of(r), "file");
  EXPECT_THAT(r.error().message, HasSubstr("not a registration"));
  write_file(bad, bytes + "liaison-evidence-registration/v1\n{}\n");
  EXPECT_EQ(field_of(inspect_bad()), "registration");
}

TEST_P(Tampering, WrongRecipientKey) {
  auto r = open_package(good, pki().court_unit_key, nullptr);
  EXPECT_EQ(field_of(r), "recipients");
  EXPECT_THAT(r.error().message, HasSubstr(pki().court_unit.key_id()));
  EXPECT_THAT(r.error().message, HasSubstr(pki().police_unit.key_id()));
  EXPECT_THAT(r.error().message, HasSubstr("Digitale Recherche"));
  EXPECT_THAT(r.error().message, HasSubstr("Politie Eenheid Voorbeeld"));
}

TEST_P(Tampering, FileThatIsNotAPackage) {
  auto r = inspect_package(ws.path("missing.lep").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  write_file(bad, "");
  EXPECT_EQ(field_of(inspect_bad()), "header");
}

INSTANTIATE_TEST_SUITE_P(Aeads, Tampering,
                         ::testing::Values(Aead::kAes256Gcm, Aead::kXChaCha20Poly1305),
                         [](const ::testing::TestParamInfo<Aead>& info) {
                           return std::string(info.param == Aead::kAes256Gcm ? "Gcm" : "XChaCha");
                         });

}  // namespace
}  // namespace liaison::evidence
