// Round trips through seal_package, inspect_package and open_package.
#include "evidence/package.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence/format.h"
#include "evidence_fixture.h"

namespace liaison::evidence {
namespace {

using ::testing::HasSubstr;
using testing::MemorySink;
using testing::options;
using testing::pattern;
using testing::pki;
using testing::Workspace;

struct Case {
  Aead aead;
  int chunk_log2;
};

class RoundTrip : public ::testing::TestWithParam<Case> {
 protected:
  // Seals `contents`, checks what inspect and open say, and returns the info.
  PackageInfo round_trip(const std::vector<std::string>& contents,
                         const std::vector<std::string>& names = {}) {
    std::vector<SealInput> inputs;
    for (std::size_t i = 0; i < contents.size(); ++i) {
      inputs.push_back(ws.input(
          names.empty() ? "dir/sub/file-" + std::to_string(i) + ".bin" : names[i], contents[i]));
    }
    auto sealed = ws.seal(inputs, "p.lep", options(GetParam().aead, GetParam().chunk_log2));
    EXPECT_TRUE(sealed.ok()) << sealed.error().message;
    if (!sealed.ok()) return {};
    std::string path = ws.path("p.lep").string();
    auto inspected = inspect_package(path);
    EXPECT_TRUE(inspected.ok()) << inspected.error().message;
    if (!inspected.ok()) return {};
    EXPECT_EQ(inspected->statement_line, sealed->statement_line);
    EXPECT_EQ(inspected->statement_sha256, sealed->statement_sha256);
    EXPECT_EQ(inspected->items_offset, sealed->items_offset);
    EXPECT_EQ(inspected->package_bytes, sealed->package_bytes);
    EXPECT_EQ(inspected->file_bytes, std::filesystem::file_size(path));
    EXPECT_FALSE(inspected->registration);
    const Statement& st = inspected->statement;
    EXPECT_EQ(st.item_count, contents.size());
    EXPECT_EQ(st.aead, GetParam().aead);
    EXPECT_EQ(st.chunk_size, 1u << GetParam().chunk_log2);
    EXPECT_EQ(st.created_at, testing::kSealedAt);
    EXPECT_EQ(st.producer, pki().provider);
    EXPECT_EQ(st.recipients.size(), 1u);
    if (st.recipients.size() != 1) return {};
    EXPECT_EQ(st.recipients[0].key_id, pki().police_unit.key_id());
    EXPECT_EQ(st.recipients[0].name, "Digitale Recherche");
    EXPECT_EQ(st.recipients[0].organisation, pki().police);
    EXPECT_EQ(inspected->signature.certificates, pki().signer_chain());

    std::uint64_t expected_bytes = inspected->items_offset, total = 0;
    for (const std::string& c : contents) {
      expected_bytes += item_ciphertext_size(st.aead, st.chunk_size, c.size());
      total += c.size();
    }
    EXPECT_EQ(inspected->package_bytes, expected_bytes);
    EXPECT_EQ(st.total_size, total);

    MemorySink sink;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
    auto opened = open_package(
        path, pki().police_unit_key, &sink,
        [&](std::uint64_t done, std::uint64_t all) { progress.emplace_back(done, all); });
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_FALSE(sink.aborted);
    EXPECT_EQ(sink.items.size(), contents.size());
    for (std::size_t i = 0; i < contents.size() && i < sink.items.size(); ++i) {
      EXPECT_EQ(sink.items[i].data, contents[i]) << "item " << i;
      EXPECT_TRUE(sink.items[i].finished);
      EXPECT_EQ(sink.items[i].item.index, i);
      EXPECT_EQ(sink.items[i].item.name, inputs[i].name);
      EXPECT_EQ(sink.items[i].item.size, contents[i].size());
      EXPECT_EQ(sink.items[i].item.sha256, trust::hex_encode(trust::sha256(contents[i])));
    }
    EXPECT_FALSE(progress.empty());
    if (!progress.empty()) {
      EXPECT_EQ(progress.back(), std::make_pair(total, total));
    }
    // Verifying alone (no sink) agrees.
    EXPECT_TRUE(open_package(path, pki().police_unit_key, nullptr).ok());
    return *inspected;
  }

  Workspace ws;
};

TEST_P(RoundTrip, ItemsOfManySizes) {
  std::size_t c = std::size_t{1} << GetParam().chunk_log2;
  round_trip({pattern(100000, "a"), "", pattern(c, "b"), pattern(c + 1, "c"), pattern(c - 1, "d"),
              pattern(1, "e"), pattern(3 * c, "f"), pattern(5 * c + 17, "g")});
}

TEST_P(RoundTrip, OneEmptyItem) { round_trip({""}); }

TEST_P(RoundTrip, AcrossTheReadBlocks) {
  // Sizes around the 4 MiB blocks the pipeline reads and hashes in.
  std::size_t block = 4 << 20;
  round_trip({pattern(block, "a"), pattern(block + 1, "b"), pattern(block - 1, "c"),
              pattern(2 * block + 4096, "d")});
}

TEST_P(RoundTrip, ManySmallItems) {
  std::vector<std::string> contents, names;
  for (int i = 0; i < 2000; ++i) {
    contents.push_back(pattern(static_cast<std::size_t>(i % 37) * 29, "item " + std::to_string(i)));
    names.push_back("mailbox/" + std::to_string(i / 100) + "/message-" + std::to_string(i) +
                    ".eml");
  }
  round_trip(contents, names);
}

INSTANTIATE_TEST_SUITE_P(Aeads, RoundTrip,
                         ::testing::Values(Case{Aead::kAes256Gcm, 16}, Case{Aead::kAes256Gcm, 10},
                                           Case{Aead::kXChaCha20Poly1305, 16},
                                           Case{Aead::kXChaCha20Poly1305, 10}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.aead == Aead::kAes256Gcm ? "Gcm"
                                                                                  : "XChaCha") +
                                  "Chunk" + std::to_string(info.param.chunk_log2);
                         });

TEST(Package, SealedForSeveralRecipientsEachOpens) {
  Workspace ws;
  std::string data = pattern(5000, "x");
  auto sealed = ws.seal({ws.input("a.txt", data, "text/plain")}, "p.lep", options(),
                        {pki().police_unit, pki().court_unit});
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->statement.recipients.size(), 2u);
  EXPECT_EQ(sealed->header_bytes, kFixedHeaderBytes + 2 * kStanzaBytes);
  for (const trust::SecretKey* key : {&pki().police_unit_key, &pki().court_unit_key}) {
    MemorySink sink;
    auto opened = open_package(ws.path("p.lep").string(), *key, &sink);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    ASSERT_EQ(sink.items.size(), 1u);
    EXPECT_EQ(sink.items[0].data, data);
    EXPECT_EQ(sink.items[0].item.media_type, "text/plain");
  }
}

TEST(Package, FixedIdAndKeyGiveTheSameItemsTwice) {
  Workspace ws;
  SealOptions o = options();
  o.package_id = "6f9c2d4e-1a3b-4c5d-8e7f-0a1b2c3d4e5f";
  o.package_key = std::string(32, '\x42');
  std::vector<SealInput> in = {ws.input("a", pattern(70000, "a"))};
  auto first = ws.seal(in, "1.lep", o);
  auto second = ws.seal(in, "2.lep", o);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->statement.package_id, o.package_id);
  // The stanzas hold fresh ephemeral keys; everything after the manifest is
  // the same.
  std::string a = testing::read_file(ws.path("1.lep")), b = testing::read_file(ws.path("2.lep"));
  EXPECT_EQ(a.substr(first->items_offset), b.substr(second->items_offset));
}

TEST(Package, FindItemByNameAndIndex) {
  Workspace ws;
  auto sealed = ws.seal(
      {ws.input("a/one.txt", "1"), ws.input("b/two.txt", "22"), ws.input("7", "seven")}, "p.lep");
  ASSERT_TRUE(sealed.ok());
  std::string p = ws.path("p.lep").string();
  auto two = find_item(p, "b/two.txt");
  ASSERT_TRUE(two.ok()) << two.error().message;
  EXPECT_EQ(two->index, 1u);
  EXPECT_EQ(two->size, 2u);
  auto first = find_item(p, "0");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->name, "a/one.txt");
  // All digits is an index, whatever an item is named.
  auto seven = find_item(p, "7");
  EXPECT_FALSE(seven.ok());
  auto missing = find_item(p, "c/three.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, ::testing::Not(HasSubstr("one.txt")));
  EXPECT_THAT(missing.error().message, ::testing::Not(HasSubstr("two.txt")));
}

TEST(Package, AeadNames) {
  EXPECT_STREQ(aead_name(Aead::kAes256Gcm), "aes-256-gcm");
  EXPECT_STREQ(aead_name(Aead::kXChaCha20Poly1305), "xchacha20poly1305");
  EXPECT_EQ(aead_from_name("aes-256-gcm"), Aead::kAes256Gcm);
  EXPECT_EQ(aead_from_name("xchacha20poly1305"), Aead::kXChaCha20Poly1305);
  EXPECT_EQ(aead_from_name("AES-256-GCM"), std::nullopt);
  Aead preferred = preferred_aead();
  EXPECT_TRUE(preferred == Aead::kAes256Gcm || preferred == Aead::kXChaCha20Poly1305);
}

}  // namespace
}  // namespace liaison::evidence
