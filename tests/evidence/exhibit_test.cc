// Exhibits: one item out of a package, proving itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence/format.h"
#include "evidence/package.h"
#include "evidence_fixture.h"
#include "trust/canonical_json.h"

namespace liaison::evidence {
namespace {

using testing::copy_with_flip;
using testing::field_of;
using ::testing::HasSubstr;
using testing::options;
using testing::pattern;
using testing::pki;
using testing::read_file;
using testing::Workspace;
using testing::write_file;

class Exhibits : public ::testing::TestWithParam<Aead> {
 protected:
  void seal(std::size_t items) {
    for (std::size_t i = 0; i < items; ++i) {
      contents.push_back(pattern(i == 2 ? 0 : 1000 * i + 3000, "item " + std::to_string(i)));
      inputs.push_back(ws.input("export/item-" + std::to_string(i) + ".json", contents.back(),
                                "application/json"));
    }
    auto sealed = ws.seal(inputs, "p.lep", options(GetParam(), 10));
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    info = *sealed;
  }
  std::string package() const { return ws.path("p.lep").string(); }
  std::string exhibit(std::uint64_t i) const {
    return ws.path("exhibit-" + std::to_string(i)).string();
  }

  Workspace ws;
  std::vector<std::string> contents;
  std::vector<SealInput> inputs;
  PackageInfo info;
};

TEST_P(Exhibits, EveryItemOfAFiveItemPackage) {
  seal(5);
  for (std::uint64_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(write_exhibit(package(), i, pki().police_unit_key, exhibit(i)).ok()) << i;
    auto v = verify_exhibit(exhibit(i));
    ASSERT_TRUE(v.ok()) << i << ": " << v.error().message;
    EXPECT_EQ(v->item.index, i);
    EXPECT_EQ(v->item.name, inputs[i].name);
    EXPECT_EQ(v->item.size, contents[i].size());
    EXPECT_EQ(v->statement.merkle_root, info.statement.merkle_root);
    EXPECT_EQ(v->signature.certificates, pki().signer_chain());
    EXPECT_FALSE(v->registration);
    std::string bytes = read_file(exhibit(i));
    EXPECT_EQ(bytes.substr(v->plaintext_offset), contents[i]);
    EXPECT_TRUE(bytes.starts_with("liaison-exhibit/v1\n" + info.statement_line + "\n"));
    // Nothing of the other items but their number.
    for (std::uint64_t j = 0; j < 5; ++j) {
      if (j != i) {
        EXPECT_THAT(bytes, ::testing::Not(HasSubstr(inputs[j].name)));
      }
    }
  }
}

TEST_P(Exhibits, TheOnlyItemOfAPackage) {
  seal(1);
  ASSERT_TRUE(write_exhibit(package(), 0, pki().police_unit_key, exhibit(0)).ok());
  auto v = verify_exhibit(exhibit(0));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_THAT(read_file(exhibit(0)), HasSubstr("{\"leaf_index\":0,\"path\":[],\"tree_size\":1}\n"));
}

TEST_P(Exhibits, AlteredExhibitsAreRefused) {
  seal(5);
  ASSERT_TRUE(write_exhibit(package(), 3, pki().police_unit_key, exhibit(3)).ok());
  std::string good = read_file(exhibit(3));
  auto v = verify_exhibit(exhibit(3));
  ASSERT_TRUE(v.ok());
  std::string bad = ws.path("bad").string();
  auto flipped = [&](std::size_t offset) {
    copy_with_flip(exhibit(3), bad, offset);
    return field_of(verify_exhibit(bad));
  };
  std::size_t statement = good.find('\n') + 1;
  std::size_t signature = good.find('\n', statement) + 1;
  std::size_t item = good.find('\n', signature) + 1;
  std::size_t proof = good.find('\n', item) + 1;
  std::size_t registration = good.find('\n', proof) + 1;
  EXPECT_EQ(registration + 5, v->plaintext_offset);  // "null\n"

  EXPECT_EQ(flipped(0), "exhibit/magic");
  EXPECT_EQ(flipped(statement + good.substr(statement).find("EX-2026") + 1),
            "exhibit/signature/signature");
  EXPECT_EQ(flipped(signature + good.substr(signature).rfind("\"signature\":\"") + 20),
            "exhibit/signature/signature");
  EXPECT_EQ(flipped(item + good.substr(item).find("item-3") + 1), "exhibit/proof");
  EXPECT_EQ(flipped(item + good.substr(item).find("\"size\":") + 8), "exhibit/proof");
  std::size_t path_hex = proof + good.substr(proof).find("[\"") + 2;
  std::string b = good;
  b[path_hex] = b[path_hex] == '0' ? '1' : '0';
  write_file(bad, b);
  EXPECT_EQ(field_of(verify_exhibit(bad)), "exhibit/proof");
  EXPECT_EQ(flipped(proof + good.substr(proof).find("\"leaf_index\":3") + 13),
            "exhibit/item/index");
  EXPECT_EQ(flipped(v->plaintext_offset), "exhibit/plaintext");
  EXPECT_EQ(flipped(good.size() - 1), "exhibit/plaintext");
  write_file(bad, good + "x");
  EXPECT_EQ(field_of(verify_exhibit(bad)), "exhibit/plaintext");
  write_file(bad, good.substr(0, good.size() - 1));
  EXPECT_EQ(field_of(verify_exhibit(bad)), "exhibit/plaintext");
  write_file(bad, good.substr(0, proof + 10));
  EXPECT_EQ(field_of(verify_exhibit(bad)), "exhibit/proof");
  // The statement swapped for another package's.
  ASSERT_TRUE(ws.seal(inputs, "other.lep", options(GetParam(), 10)).ok());
  ASSERT_TRUE(write_exhibit(ws.path("other.lep").string(), 3, pki().police_unit_key,
                            ws.path("other-exhibit").string())
                  .ok());
  std::string other = read_file(ws.path("other-exhibit"));
  std::size_t other_item = other.find('\n', other.find('\n', other.find('\n') + 1) + 1) + 1;
  write_file(bad, other.substr(0, other_item) + good.substr(item));
  EXPECT_EQ(field_of(verify_exhibit(bad)), "ok");  // same inputs: the same items and root
  write_file(bad, good.substr(0, statement) + other.substr(statement, signature - statement) +
                      good.substr(signature));
  EXPECT_EQ(field_of(verify_exhibit(bad)), "exhibit/signature/signature");
}

TEST_P(Exhibits, ExportingNeedsARecipientKeyAndAnItem) {
  seal(2);
  auto r = write_exhibit(package(), 0, pki().court_unit_key, exhibit(0));
  EXPECT_EQ(field_of(r), "recipients");
  EXPECT_FALSE(std::filesystem::exists(exhibit(0)));
  auto missing = write_exhibit(package(), 2, pki().police_unit_key, exhibit(2));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(exhibit(2)));
}

TEST_P(Exhibits, AnAlteredItemIsNotExported) {
  seal(3);
  std::uint64_t item1 = info.items_offset +
                        item_ciphertext_size(GetParam(), 1024, contents[0].size()) +
                        item_prefix_bytes(GetParam()) + 10;
  std::string p = ws.path("altered.lep").string();
  copy_with_flip(package(), p, item1);
  // Item 0 is untouched and still exports; item 1 fails and leaves nothing.
  EXPECT_TRUE(write_exhibit(p, 0, pki().police_unit_key, exhibit(0)).ok());
  auto r = write_exhibit(p, 1, pki().police_unit_key, exhibit(1));
  EXPECT_EQ(field_of(r), "items/1/chunks/0");
  EXPECT_FALSE(std::filesystem::exists(exhibit(1)));
}

TEST_P(Exhibits, CarriesTheRegistration) {
  seal(2);
  ledger::Receipt receipt = testing::receipt_for(registration_content(info));
  ASSERT_TRUE(append_registration(package(), receipt).ok());
  ASSERT_TRUE(write_exhibit(package(), 1, pki().police_unit_key, exhibit(1)).ok());
  auto v = verify_exhibit(exhibit(1));
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_TRUE(v->registration);
  EXPECT_EQ(v->registration->content, registration_content(info));
  // A receipt for another package, put in its place.
  PackageInfo other = info;
  other.statement_sha256 = std::string(64, 'a');
  std::string good = read_file(exhibit(1));
  std::string theirs =
      trust::canonical_json(ledger::to_json(testing::receipt_for(registration_content(other))))
          .value();
  std::size_t start = good.find("{\"checkpoint\"");
  std::size_t end = good.find('\n', start);
  std::string bad = ws.path("bad").string();
  write_file(bad, good.substr(0, start) + theirs + good.substr(end));
  EXPECT_EQ(field_of(verify_exhibit(bad)), "exhibit/registration/content");
}

INSTANTIATE_TEST_SUITE_P(Aeads, Exhibits,
                         ::testing::Values(Aead::kAes256Gcm, Aead::kXChaCha20Poly1305),
                         [](const ::testing::TestParamInfo<Aead>& info) {
                           return std::string(info.param == Aead::kAes256Gcm ? "Gcm" : "XChaCha");
                         });

}  // namespace
}  // namespace liaison::evidence
