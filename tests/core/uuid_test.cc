#include "core/uuid.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_matchers.h"

namespace liaison {
namespace {

using ::liaison::testing::FailsOn;

TEST(UuidTest, AcceptsCanonicalForm) {
  auto u = parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f", "provider_id");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, "3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f");
}

TEST(UuidTest, NormalisesUpperCase) {
  auto u = parse_uuid("3F2C6A1E-8D4B-4C1A-9E7F-0A1B2C3D4E5F", "provider_id");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, "3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f");
}

TEST(UuidTest, RejectsWrongLength) {
  EXPECT_THAT(parse_uuid("", "id"), FailsOn("id", "36 characters"));
  EXPECT_THAT(parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5", "id"),
              FailsOn("id", "36 characters"));
  EXPECT_THAT(parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f0", "id"),
              FailsOn("id", "36 characters"));
  EXPECT_THAT(parse_uuid("{3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f}", "id"),
              FailsOn("id", "36 characters"));
  EXPECT_THAT(parse_uuid("3f2c6a1e8d4b4c1a9e7f0a1b2c3d4e5f", "id"), FailsOn("id", "36 characters"));
}

TEST(UuidTest, RejectsMisplacedHyphens) {
  EXPECT_THAT(parse_uuid("3f2c6a1e8-d4b-4c1a-9e7f-0a1b2c3d4e5f", "id"), FailsOn("id", "hyphen"));
  EXPECT_THAT(parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f00a1b2c3d4e5f", "id"), FailsOn("id", "hyphen"));
  EXPECT_THAT(parse_uuid("3f2c6a1e_8d4b_4c1a_9e7f_0a1b2c3d4e5f", "id"), FailsOn("id", "hyphen"));
}

TEST(UuidTest, RejectsNonHex) {
  EXPECT_THAT(parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5g", "id"),
              FailsOn("id", "non-hexadecimal"));
  EXPECT_THAT(parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e-f", "id"),
              FailsOn("id", "non-hexadecimal"));
  EXPECT_THAT(parse_uuid("3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5 ", "id"),
              FailsOn("id", "non-hexadecimal"));
}

TEST(UuidTest, V4FromBytesSetsVersionAndVariant) {
  std::array<std::uint8_t, 16> ones;
  ones.fill(0xff);
  EXPECT_EQ(uuid_v4_from_bytes(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");

  std::array<std::uint8_t, 16> zeros{};
  EXPECT_EQ(uuid_v4_from_bytes(zeros), "00000000-0000-4000-8000-000000000000");

  std::array<std::uint8_t, 16> counting{};
  for (std::size_t i = 0; i < counting.size(); ++i)
    counting[i] = static_cast<std::uint8_t>(i * 0x11);
  EXPECT_EQ(uuid_v4_from_bytes(counting), "00112233-4455-4677-8899-aabbccddeeff");
}

TEST(UuidTest, V4OutputParsesAsItself) {
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(0xa5 ^ (i * 37));
  std::string u = uuid_v4_from_bytes(b);
  auto parsed = parse_uuid(u, "id");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, u);
  EXPECT_EQ(u[14], '4');
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);
}

}  // namespace
}  // namespace liaison

namespace liaison {
namespace {

TEST(UuidV7Test, CarriesTheTimeAndVersionAndSortsByTime) {
  std::array<std::uint8_t, 16> r;
  r.fill(0xff);
  // 2026-11-02T09:15:00Z in milliseconds.
  std::string a = uuid_v7_from(1793610900000ull, r);
  // 48 bits of milliseconds, version 7, variant 10, the rest random.
  EXPECT_EQ(a, "01a19b8a-6220-7fff-bfff-ffffffffffff");
  EXPECT_TRUE(parse_uuid(a, "id").ok());
  r.fill(0x00);
  std::string later = uuid_v7_from(1793610900001ull, r);
  EXPECT_LT(a, later) << "a later millisecond sorts later whatever the random bits";
}

TEST(UuidTest, ASeedAlwaysNamesTheSameUuidAndAnotherSeedAnother) {
  std::string a = uuid_from_seed("hi1-link/org-1");
  EXPECT_EQ(a, uuid_from_seed("hi1-link/org-1"));
  EXPECT_NE(a, uuid_from_seed("hi1-link/org-2"));
  auto parsed = parse_uuid(a, "id");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, a);
  EXPECT_EQ(a[14], '4');  // version 4
}

}  // namespace
}  // namespace liaison
