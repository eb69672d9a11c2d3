#include "core/organisation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_matchers.h"

namespace liaison {
namespace {

using ::liaison::testing::FailsOn;

TEST(CountryTest, AcceptsAssignedCodesAndPlaceholders) {
  for (std::string_view code : {"NL", "DE", "US", "IE", "XK", "XX"}) {
    EXPECT_TRUE(validate_country(code, "country").ok()) << code;
  }
}

TEST(CountryTest, RejectsLowerCaseAndWrongLength) {
  EXPECT_THAT(validate_country("nl", "country"), FailsOn("country", "upper case"));
  EXPECT_THAT(validate_country("Nl", "country"), FailsOn("country", "upper case"));
  EXPECT_THAT(validate_country("NLD", "country"), FailsOn("country", "alpha-2"));
  EXPECT_THAT(validate_country("N", "country"), FailsOn("country", "alpha-2"));
  EXPECT_THAT(validate_country("", "country"), FailsOn("country", "alpha-2"));
  EXPECT_THAT(validate_country("N1", "country"), FailsOn("country", "alpha-2"));
}

TEST(CountryTest, RejectsUnassignedCodes) {
  EXPECT_THAT(validate_country("ZZ", "org/country"),
              FailsOn("org/country", "'ZZ' is not an assigned"));
  // UK is reserved, not assigned: the United Kingdom is GB.
  EXPECT_THAT(validate_country("UK", "country"), FailsOn("country", "not an assigned"));
  EXPECT_THAT(validate_country("EU", "country"), FailsOn("country", "not an assigned"));
}

TEST(EndpointUidTest, AcceptsLetterDigitDotUnderscoreHyphen) {
  EXPECT_TRUE(validate_endpoint_uid("NL.Police-Unit_7", "endpoint_uid").ok());
  EXPECT_TRUE(validate_endpoint_uid("a", "endpoint_uid").ok());
  EXPECT_TRUE(validate_endpoint_uid(std::string(64, 'x'), "endpoint_uid").ok());
}

TEST(EndpointUidTest, RejectsEmptyTooLongAndOtherCharacters) {
  EXPECT_THAT(validate_endpoint_uid("", "endpoint_uid"), FailsOn("endpoint_uid", "1-64"));
  EXPECT_THAT(validate_endpoint_uid(std::string(65, 'x'), "endpoint_uid"),
              FailsOn("endpoint_uid", "1-64"));
  for (std::string_view bad : {"unit 7", "unit/7", "unit:7", "unit@example.org", "\xc3\xa9quipe"}) {
    EXPECT_THAT(validate_endpoint_uid(bad, "endpoint_uid"), FailsOn("endpoint_uid", "only letters"))
        << bad;
  }
}

TEST(OrgKindTest, NamesRoundTrip) {
  for (auto k : {OrgKind::kAuthority, OrgKind::kProvider, OrgKind::kCentralAuthority}) {
    auto back = org_kind_from_name(org_kind_name(k));
    ASSERT_TRUE(back.has_value()) << org_kind_name(k);
    EXPECT_EQ(*back, k);
  }
  EXPECT_STREQ(org_kind_name(OrgKind::kCentralAuthority), "central_authority");
  EXPECT_EQ(org_kind_from_name("Provider"), std::nullopt);
  EXPECT_EQ(org_kind_from_name(""), std::nullopt);
}

}  // namespace
}  // namespace liaison
