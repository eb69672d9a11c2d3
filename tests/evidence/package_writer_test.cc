// What seal_package refuses, and that a refused or failed seal leaves no file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "evidence/package.h"
#include "evidence_fixture.h"

namespace liaison::evidence {
namespace {

using testing::field_of;
using ::testing::HasSubstr;
using testing::options;
using testing::pattern;
using testing::pki;
using testing::Workspace;

class Seal : public ::testing::Test {
 protected:
  Result<PackageInfo> seal(const std::vector<SealInput>& inputs,
                           const std::vector<trust::Certificate>& recipients,
                           const SealOptions& o = options()) {
    return seal_package(inputs, recipients, pki().officer_key, pki().signer_chain(), o, out());
  }
  Result<PackageInfo> seal_named(const std::vector<std::string>& names) {
    std::vector<SealInput> inputs;
    inputs.reserve(names.size());
    for (const std::string& n : names) inputs.push_back(ws.input(n, "x"));
    return seal(inputs, {pki().police_unit});
  }
  std::string out() const { return ws.path("out.lep").string(); }
  bool out_exists() const { return std::filesystem::exists(ws.path("out.lep")); }

  Workspace ws;
};

TEST_F(Seal, OnlyRecipientCertificatesAreRecipients) {
  SealInput in = ws.input("a", "data");
  auto r = seal({in}, {pki().police_cert});
  EXPECT_EQ(field_of(r), "recipients/0");
  EXPECT_THAT(r.error().message, HasSubstr("organisation certificate"));
  EXPECT_EQ(field_of(seal({in}, {pki().police_unit, pki().officer})), "recipients/1");
  EXPECT_EQ(field_of(seal({in}, {pki().root})), "recipients/0");
  EXPECT_EQ(field_of(seal({in}, {})), "recipients");
  auto dup = seal({in}, {pki().police_unit, pki().court_unit, pki().police_unit});
  EXPECT_EQ(field_of(dup), "recipients/2");
  EXPECT_THAT(dup.error().message, HasSubstr("recipients/0"));
  std::vector<trust::Certificate> many(65, pki().police_unit);
  EXPECT_EQ(field_of(seal({in}, many)), "recipients");
  EXPECT_FALSE(out_exists());
}

TEST_F(Seal, TheSignerChainMustFitTheKey) {
  SealInput in = ws.input("a", "data");
  auto with_chain = [&](const trust::SecretKey& key, const std::vector<trust::Certificate>& chain) {
    return field_of(seal_package({in}, {pki().police_unit}, key, chain, options(), out()));
  };
  EXPECT_EQ(with_chain(pki().officer_key, {pki().officer}), "signer_chain");
  EXPECT_EQ(with_chain(pki().police_unit_key, pki().signer_chain()), "signer_chain/0");
  EXPECT_EQ(with_chain(pki().officer_key, {pki().provider_cert, pki().officer}), "signer_chain/0");
  EXPECT_EQ(with_chain(pki().officer_key, {pki().officer, pki().police_cert}), "signer_chain/1");
  EXPECT_EQ(with_chain(pki().officer_key, {pki().officer, pki().officer}), "signer_chain/1");
  EXPECT_FALSE(out_exists());
}

TEST_F(Seal, NamesAreRelativePathsWithoutTricks) {
  for (const std::string& name : {std::string(".."), std::string("a/../b"), std::string("./a"),
                                  std::string("/etc/passwd"), std::string("a\\b"),
                                  std::string("a\x01"
                                              "b"),
                                  std::string("a\nb"), std::string("a\x7f"), std::string("a/"),
                                  std::string("a//b"), std::string(""), std::string(1025, 'a'),
                                  std::string(256, 'a') + "/b", std::string("\xff\xfe")}) {
    EXPECT_EQ(field_of(seal_named({name})), "inputs/0/name") << name;
  }
  EXPECT_EQ(field_of(seal_named({"a/b", "c", "a/b"})), "inputs/2/name");
  EXPECT_TRUE(seal_named({"a/b/c/d.txt", std::string(255, 'x') + "/" + std::string(255, 'y'),
                          "caf\xc3\xa9.txt", ".hidden", "a..b"})
                  .ok());
}

TEST_F(Seal, MediaTypesAndDescriptions) {
  auto with = [&](std::string media_type, std::string description) {
    SealInput in = ws.input("a", "data", std::move(media_type));
    in.description = std::move(description);
    std::filesystem::remove(ws.path("out.lep"));
    return field_of(seal({in}, {pki().police_unit}));
  };
  EXPECT_EQ(with("text/plain", std::string(4096, 'd')), "ok");
  EXPECT_EQ(with("message/rfc822", "the mailbox, exported"), "ok");
  EXPECT_EQ(with("application/vnd.example+json", ""), "ok");
  EXPECT_EQ(with("Text/Plain", ""), "inputs/0/media_type");
  EXPECT_EQ(with("text", ""), "inputs/0/media_type");
  EXPECT_EQ(with("text/", ""), "inputs/0/media_type");
  EXPECT_EQ(with("text/plain; charset=utf-8", ""), "inputs/0/media_type");
  EXPECT_EQ(with("text/" + std::string(123, 'a'), ""), "inputs/0/media_type");
  EXPECT_EQ(with("text/plain", std::string(4097, 'd')), "inputs/0/description");
  EXPECT_EQ(with("text/plain", "\xc3"), "inputs/0/description");
}

TEST_F(Seal, OptionsAreChecked) {
  SealInput in = ws.input("a", "data");
  auto with = [&](auto change) {
    SealOptions o = options();
    change(o);
    return field_of(seal({in}, {pki().police_unit}, o));
  };
  EXPECT_EQ(with([](SealOptions& o) { o.request_id = "0191A7E2-4C1D-7B3E-9F00-1234567890AB"; }),
            "options/request_id");
  EXPECT_EQ(with([](SealOptions& o) { o.request_id = ""; }), "options/request_id");
  EXPECT_EQ(with([](SealOptions& o) { o.reference = ""; }), "options/reference");
  EXPECT_EQ(with([](SealOptions& o) { o.reference = std::string(129, 'r'); }), "options/reference");
  EXPECT_EQ(with([](SealOptions& o) { o.reference = "EX\t1"; }), "options/reference");
  EXPECT_EQ(with([](SealOptions& o) { o.chunk_log2 = 9; }), "options/chunk_log2");
  EXPECT_EQ(with([](SealOptions& o) { o.chunk_log2 = 25; }), "options/chunk_log2");
  EXPECT_EQ(with([](SealOptions& o) { o.package_key = std::string(31, 'k'); }),
            "options/package_key");
  EXPECT_EQ(with([](SealOptions& o) { o.package_id = "not-a-uuid"; }), "options/package_id");
  EXPECT_EQ(field_of(seal({}, {pki().police_unit})), "inputs");
  EXPECT_FALSE(out_exists());
}

TEST_F(Seal, CreatedAtIsWholeSeconds) {
  SealOptions o = options();
  o.created_at = Timestamp{testing::kSealedAt.unix_micros + 999'999};
  auto r = seal({ws.input("a", "x")}, {pki().police_unit}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statement.created_at, testing::kSealedAt);
  EXPECT_THAT(r->statement_line, HasSubstr("\"created_at\":\"2026-12-01T09:30:00Z\""));
}

TEST_F(Seal, NeverOverwritesAFile) {
  testing::write_file(ws.path("out.lep"), "precious");
  auto r = seal({ws.input("a", "x")}, {pki().police_unit});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(testing::read_file(ws.path("out.lep")), "precious");
}

TEST_F(Seal, MissingInputsAndDirectories) {
  SealInput missing{ws.path("nothing-here").string(), "a", "application/octet-stream", ""};
  auto r = seal({ws.input("b", "x"), missing}, {pki().police_unit});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("inputs/1"));
  SealInput dir{ws.path("").string(), "d", "application/octet-stream", ""};
  EXPECT_EQ(field_of(seal({dir}, {pki().police_unit})), "inputs/0/path");
  EXPECT_FALSE(out_exists());
}

// The progress callback runs on the sealing thread while the next input has
// not been opened yet (the reader is at most 16 MiB ahead of it), so it can
// change that input mid-seal deterministically.
TEST_F(Seal, AnInputThatChangesSizeFailsTheSealAndLeavesNoFile) {
  SealInput big = ws.input("big", pattern(100 << 20, "big"));
  SealInput small = ws.input("small", pattern(5000, "small"));
  for (bool shrink : {true, false}) {
    testing::write_file(small.path, pattern(5000, "small"));
    SealOptions o = options();
    bool changed = false;
    o.progress = [&](std::uint64_t done, std::uint64_t) {
      if (changed || done < (64u << 20)) return;
      changed = true;
      if (shrink) {
        std::filesystem::resize_file(small.path, 100);
      } else {
        testing::write_file(small.path, pattern(6000, "small"));
      }
    };
    auto r = seal({big, small}, {pki().police_unit}, o);
    ASSERT_TRUE(changed);
    EXPECT_EQ(field_of(r), "inputs/1/path");
    EXPECT_THAT(r.error().message, HasSubstr("changed size while it was read"));
    EXPECT_THAT(r.error().message, HasSubstr(small.path));
    EXPECT_FALSE(out_exists());
  }
}

}  // namespace
}  // namespace liaison::evidence
