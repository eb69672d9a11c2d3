#include "evidence/package.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence_fixture.h"

namespace liaison::evidence {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // NOLINT(google-build-using-namespace)

class RoundTrip : public ::testing::TestWithParam<Aead> {};

TEST_P(RoundTrip, SealsInspectsAndOpens) {
  Workspace ws;
  std::vector<std::string> contents = {pattern(100000, "a"), "", pattern(65536, "b"),
                                       pattern(65537, "c"), pattern(1, "d")};
  std::vector<SealInput> inputs;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    inputs.push_back(ws.input("dir/file-" + std::to_string(i) + ".bin", contents[i]));
  }
  auto sealed = ws.seal(inputs, "p.lep", options(GetParam()));
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  auto inspected = inspect_package(ws.path("p.lep").string());
  ASSERT_TRUE(inspected.ok()) << inspected.error().message;
  EXPECT_EQ(inspected->statement_line, sealed->statement_line);
  EXPECT_EQ(inspected->package_bytes, sealed->package_bytes);
  EXPECT_EQ(inspected->file_bytes, std::filesystem::file_size(ws.path("p.lep")));
  MemorySink sink;
  auto opened = open_package(ws.path("p.lep").string(), pki().police_unit_key, &sink);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  ASSERT_EQ(sink.items.size(), contents.size());
  for (std::size_t i = 0; i < contents.size(); ++i) {
    EXPECT_EQ(sink.items[i].data, contents[i]) << i;
    EXPECT_TRUE(sink.items[i].finished);
    EXPECT_EQ(sink.items[i].item.name, inputs[i].name);
  }
}

INSTANTIATE_TEST_SUITE_P(Aeads, RoundTrip,
                         ::testing::Values(Aead::kAes256Gcm, Aead::kXChaCha20Poly1305));

}  // namespace
}  // namespace liaison::evidence
