// The test vectors in tests/vectors/evidence/ (see its README): made again
// from their inputs and compared byte for byte, checked as an independent
// reader would check them, and the negative vectors refused where the index
// says.
//
// LIAISON_REGENERATE_VECTORS=1 writes the vectors instead of comparing them,
// for when the format changes on purpose.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "evidence/format.h"
#include "evidence/package.h"
#include "evidence_fixture.h"
#include "trust/encoding.h"

namespace liaison::evidence {
namespace {

using nlohmann::json;
using testing::field_of;
using testing::MemorySink;
using testing::pattern;
using testing::pki;
using testing::read_file;
using testing::seed_for;
using testing::write_file;

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(LIAISON_SOURCE_DIR) / "tests/vectors/evidence";

bool regenerating() {
  const char* v = std::getenv("LIAISON_REGENERATE_VECTORS");
  return v != nullptr && std::string(v) == "1";
}

struct VectorItem {
  std::string name, media_type, description, content;
};

std::vector<VectorItem> vector_items() {
  return {{"empty.bin", "application/octet-stream", "an empty file", ""},
          {"notes/readme.txt", "text/plain", "what the production holds",
           "Produced for request EX-2026-0042: one mailbox.\n"},
          {"mail/inbox.mbox", "application/mbox", "2600 bytes: three chunks of 1 KiB",
           pattern(2600, "vector inbox")}};
}

SealOptions vector_options(Aead aead) {
  SealOptions o = testing::options(aead, 10);
  o.package_id = "5b3f1c2e-8d4a-4e6f-9a7b-1c2d3e4f5a6b";
  o.package_key = trust::sha256("liaison evidence vector: package key");
  o.vector_seed = trust::sha256("liaison evidence vector: vector seed");
  return o;
}

std::string hex(std::string_view s) { return trust::hex_encode(s); }

// Makes the vector for `aead` in `dir`: <name>.lep, <name>-item2.exhibit and
// <name>.json.
void make_vector(const fs::path& dir, const std::string& name, Aead aead) {
  testing::Workspace ws;
  std::vector<SealInput> inputs;
  json items = json::array();
  for (const VectorItem& v : vector_items()) {
    SealInput in = ws.input(v.name, v.content, v.media_type);
    in.description = v.description;
    inputs.push_back(in);
    items.push_back({{"name", v.name},
                     {"media_type", v.media_type},
                     {"description", v.description},
                     {"content_hex", hex(v.content)},
                     {"sha256", hex(trust::sha256(v.content))}});
  }
  SealOptions o = vector_options(aead);
  fs::path package = dir / (name + ".lep");
  fs::remove(package);
  auto sealed = seal_package(inputs, {pki().police_unit, pki().court_unit}, pki().officer_key,
                             pki().signer_chain(), o, package.string());
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  fs::path exhibit = dir / (name + "-item2.exhibit");
  fs::remove(exhibit);
  ASSERT_TRUE(write_exhibit(package.string(), 2, pki().police_unit_key, exhibit.string()).ok());
  const PackageInfo& info = *sealed;
  json j = {{"description", "docs/evidence-format.md test vector; see README.md"},
            {"inputs",
             {{"aead", aead_name(aead)},
              {"chunk_log2", o.chunk_log2},
              {"package_id", o.package_id},
              {"package_key_hex", hex(o.package_key)},
              {"vector_seed_hex", hex(o.vector_seed)},
              {"request_id", o.request_id},
              {"reference", o.reference},
              {"created_at", format_rfc3339(o.created_at)},
              {"signer_seed_hex", hex(seed_for("provider officer"))},
              {"recipient_seeds_hex",
               {hex(seed_for("police evidence unit")), hex(seed_for("court registry"))}},
              {"signer_certificates",
               {trust::to_json(pki().officer), trust::to_json(pki().provider_cert)}},
              {"recipient_certificates",
               {trust::to_json(pki().police_unit), trust::to_json(pki().court_unit)}},
              {"root_certificate", trust::to_json(pki().root)},
              {"items", items}}},
            {"expected",
             {{"header_bytes", info.header_bytes},
              {"header_sha256", info.statement.header_sha256},
              {"statement_sha256", info.statement_sha256},
              {"merkle_root", info.statement.merkle_root},
              {"items_offset", info.items_offset},
              {"package_bytes", info.package_bytes},
              {"package_sha256", hex(trust::sha256(read_file(package)))},
              {"exhibit_sha256", hex(trust::sha256(read_file(exhibit)))}}}};
  write_file(dir / (name + ".json"), j.dump(2) + "\n");
}

struct Negative {
  std::string file, check, field, what;
};

// Tampered copies of the GCM vector, each with the field its refusal names.
std::vector<Negative> make_negatives(const fs::path& dir, const fs::path& vectors) {
  std::string good = read_file(vectors / "gcm.lep");
  std::string exhibit = read_file(vectors / "gcm-item2.exhibit");
  auto info = inspect_package((vectors / "gcm.lep").string());
  EXPECT_TRUE(info.ok());
  if (!info.ok()) return {};
  const std::uint64_t item2 =
      info->items_offset + 16 + item_ciphertext_size(Aead::kAes256Gcm, 1024, 48);
  const std::uint64_t full = 1024 + 16;
  std::vector<Negative> out;
  auto add = [&](const std::string& file, const std::string& bytes, const std::string& check,
                 const std::string& field, const std::string& what) {
    write_file(dir / file, bytes);
    out.push_back({file, check, field, what});
  };
  std::string b = good;
  b[40 + 16 + 40] ^= 1;
  add("stanza-altered.lep", b, "inspect", "header", "a byte of the first sealed box flipped");
  b = good;
  std::size_t readme = b.find("readme.txt");
  b[readme] = 'R';
  add("item-line-altered.lep", b, "inspect", "manifest/statement/merkle_root",
      "item 1's name changed to notes/Readme.txt");
  b = good;
  b[item2 + full + 100] ^= 1;
  add("chunk-altered.lep", b, "open", "items/2/chunks/1", "a ciphertext byte of item 2 chunk 1");
  b = good;
  std::string c0 = b.substr(item2, full), c1 = b.substr(item2 + full, full);
  b.replace(item2, full, c1);
  b.replace(item2 + full, full, c0);
  add("chunks-swapped.lep", b, "open", "items/2/chunks/0", "item 2's chunks 0 and 1 swapped");
  add("truncated.lep", good.substr(0, good.size() - 10), "inspect", "items/2/chunks/2",
      "the last 10 bytes cut off");
  add("trailing-bytes.lep", good + "\n", "inspect", "file", "a newline appended");
  b = exhibit;
  b[b.size() - 1] ^= 1;
  add("exhibit-plaintext-altered.exhibit", b, "verify_exhibit", "exhibit/plaintext",
      "the exhibit's last plaintext byte flipped");
  return out;
}

void compare_dirs(const fs::path& made, const fs::path& committed) {
  for (const auto& entry : fs::recursive_directory_iterator(made)) {
    if (!entry.is_regular_file()) continue;
    fs::path rel = fs::relative(entry.path(), made);
    ASSERT_TRUE(fs::exists(committed / rel)) << rel;
    EXPECT_TRUE(read_file(entry.path()) == read_file(committed / rel))
        << rel << " differs from the committed vector";
  }
}

TEST(Vectors, RegeneratedByteForByte) {
  liaison::testing::TempDir tmp;
  fs::path out = regenerating() ? kVectors : tmp.path();
  fs::create_directories(out / "negative");
  make_vector(out, "gcm", Aead::kAes256Gcm);
  make_vector(out, "xchacha", Aead::kXChaCha20Poly1305);
  // gcm.lep registered with a receipt from a made-up ledger of five entries.
  fs::path registered = out / "gcm-registered.lep";
  write_file(registered, read_file(out / "gcm.lep"));
  auto info = inspect_package(registered.string());
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(
      append_registration(registered.string(), testing::receipt_for(registration_content(*info)))
          .ok());
  std::vector<Negative> negatives = make_negatives(out / "negative", out);
  json index = json::array();
  for (const Negative& n : negatives) {
    index.push_back({{"file", n.file}, {"check", n.check}, {"field", n.field}, {"what", n.what}});
  }
  write_file(out / "negative/index.json", index.dump(2) + "\n");
  if (!regenerating()) compare_dirs(out, kVectors);
}

class Vector : public ::testing::TestWithParam<std::string> {};

TEST_P(Vector, ChecksAsItsJsonSays) {
  std::string name = GetParam();
  json j = json::parse(read_file(kVectors / (name + ".json")));
  const json& expected = j["expected"];
  std::string package = (kVectors / (name + ".lep")).string();
  std::string bytes = read_file(package);
  EXPECT_EQ(hex(trust::sha256(bytes)), expected["package_sha256"]);
  auto info = inspect_package(package);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->statement_sha256, expected["statement_sha256"]);
  EXPECT_EQ(info->statement.merkle_root, expected["merkle_root"]);
  EXPECT_EQ(info->statement.header_sha256, expected["header_sha256"]);
  EXPECT_EQ(info->package_bytes, expected["package_bytes"].get<std::uint64_t>());
  EXPECT_EQ(hex(trust::sha256(bytes.substr(0, info->header_bytes))), expected["header_sha256"]);

  // Each recipient's stanza opens with its key, from its seed.
  const json& items = j["inputs"]["items"];
  for (const json& seed : j["inputs"]["recipient_seeds_hex"]) {
    std::string raw = ledger::testing::unhex(seed.get<std::string>());
    trust::SecretKey key = trust::SecretKey::from_seed(raw).value();
    MemorySink sink;
    auto opened = open_package(package, key, &sink);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    ASSERT_EQ(sink.items.size(), items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      EXPECT_EQ(hex(sink.items[i].data), items[i]["content_hex"]);
      EXPECT_EQ(sink.items[i].item.name, items[i]["name"]);
    }
  }
  if (name == "gcm") {
    auto registered = inspect_package((kVectors / "gcm-registered.lep").string());
    ASSERT_TRUE(registered.ok()) << registered.error().message;
    ASSERT_TRUE(registered->registration);
    EXPECT_EQ(registered->registration->content, registration_content(*info));
    EXPECT_EQ(registered->package_bytes, info->package_bytes);
  }
  auto exhibit = verify_exhibit((kVectors / (name + "-item2.exhibit")).string());
  ASSERT_TRUE(exhibit.ok()) << exhibit.error().message;
  EXPECT_EQ(exhibit->item.sha256, items[2]["sha256"]);
}

INSTANTIATE_TEST_SUITE_P(Evidence, Vector, ::testing::Values("gcm", "xchacha"));

TEST(Vectors, NegativesAreRefusedWhereTheIndexSays) {
  json index = json::parse(read_file(kVectors / "negative/index.json"));
  ASSERT_FALSE(index.empty());
  for (const json& n : index) {
    std::string file = (kVectors / "negative" / n["file"].get<std::string>()).string();
    std::string check = n["check"], field;
    if (check == "inspect") field = field_of(inspect_package(file));
    if (check == "open") field = field_of(open_package(file, pki().police_unit_key, nullptr));
    if (check == "verify_exhibit") field = field_of(verify_exhibit(file));
    EXPECT_EQ(field, n["field"]) << n["file"];
    if (check == "open") {
      EXPECT_TRUE(inspect_package(file).ok()) << n["file"];
    }
  }
}

}  // namespace
}  // namespace liaison::evidence
