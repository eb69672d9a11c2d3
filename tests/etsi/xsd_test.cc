// The official XSDs, loaded from data/etsi: ETSI's examples validate, what
// Liaison writes validates, and a broken message is told where it breaks.
#include "etsi/xsd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "etsi/csp_config.h"
#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/xml_tree.h"
#include "support/test_support.h"

namespace liaison::etsi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kEtsi = fs::path(LIAISON_SOURCE_DIR) / "data/etsi";

std::string read(const fs::path& p) { return testing::slurp(p); }

const XsdValidator& validator() {
  static const XsdValidator kValidator = [] {
    // With the schema of the content one example delivers.
    auto v = XsdValidator::load(kEtsi, {kEtsi / "ts103120/examples/xml/FooServiceSchema.xsd"});
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    return std::move(v).value();
  }();
  return kValidator;
}

// The header of a request from the demo police unit to the demo provider.
Header police_request() {
  Header h;
  h.sender = {"NL", "NPCU"};
  h.receiver = {"IE", "EXMAIL"};
  h.transaction_id = "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e";
  h.national_profile_owner = "EU";
  h.national_profile_version = "v1.0";
  return h;
}

TEST(Xsd, EtsisExamplesAndTheirRewritesValidate) {
  for (const auto& e : fs::directory_iterator(kEtsi / "ts103120/examples/xml")) {
    if (e.path().extension() != ".xml") continue;
    SCOPED_TRACE(e.path().filename().string());
    std::string text = read(e.path());
    Status original = validator().validate(text);
    auto tree = parse_xml(text);
    ASSERT_TRUE(tree.ok());
    Status rewritten = validator().validate(write_xml(*tree));
    EXPECT_TRUE(original.ok()) << original.error().message;
    EXPECT_TRUE(rewritten.ok()) << (original.ok() ? "" : original.error().message) << " / "
                                << (rewritten.ok() ? "" : rewritten.error().message);
  }
}

TEST(Xsd, ResponsesLiaisonBuildsValidate) {
  Header request = police_request();
  XmlElement rejected = response_message(
      request, {"IE", "EXMAIL"}, {"NL", "NPCU"}, "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e",
      "2026-12-02T10:00:01.000000Z", {},
      Hi1Error{Hi1ErrorCode::kVersionNotSupported, "ETSIVersion V1.2.1 is not supported"});
  Status s = validator().validate(write_xml(rejected));
  EXPECT_TRUE(s.ok()) << s.error().message << "\n" << write_xml(rejected);
  // A request whose header could not be read is answered in full too.
  XmlElement headless =
      response_message(std::nullopt, {"IE", "EXMAIL"}, {"NL", "NPCU"},
                       "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e", "2026-12-02T10:00:01.000000Z", {},
                       Hi1Error{Hi1ErrorCode::kRequiredElementMissing, "Header is missing"});
  s = validator().validate(write_xml(headless));
  EXPECT_TRUE(s.ok()) << s.error().message << "\n" << write_xml(headless);
  XmlElement answered = response_message(
      request, {"IE", "EXMAIL"}, {"NL", "NPCU"}, "", "2026-12-02T10:00:01.000000Z",
      {{0, std::nullopt, Hi1Error{Hi1ErrorCode::kGetObjectNotFound, "no such object"}}},
      std::nullopt);
  s = validator().validate(write_xml(answered));
  EXPECT_TRUE(s.ok()) << s.error().message << "\n" << write_xml(answered);
}

TEST(Xsd, TheCspConfigurationAdvertisesTheFormatsTheMappingTakes) {
  Header request = police_request();
  XmlElement config = csp_config_response({"2026-12-01T00:00:00Z", "https://hub.example.org/hi1"});
  XmlElement response =
      response_message(request, {"IE", "EXMAIL"}, {"NL", "NPCU"}, "", "2026-12-02T10:00:01.000000Z",
                       {{0, config, std::nullopt}}, std::nullopt);
  std::string xml = write_xml(response);
  Status s = validator().validate(xml);
  EXPECT_TRUE(s.ok()) << s.error().message << "\n" << xml;
  const std::string core(kCoreNamespace), cfg(kConfigNamespace);
  auto targeting =
      config.child(core, "TargetingConfigurations")->children_named(cfg, "TargetingConfiguration");
  ASSERT_EQ(targeting.size(), target_formats().size());
  for (const XmlElement* t : targeting) {
    EXPECT_NE(
        identifier_kind_for(t->child(cfg, "FormatOwner")->text, t->child(cfg, "FormatName")->text),
        nullptr);
  }
  // Liaison's own formats come with their patterns.
  auto defined = config.child(core, "TargetFormatTypeDefinitions")
                     ->child(cfg, "TargetFormatTypeDefinitionEntries")
                     ->children_named(cfg, "TargetFormatTypeDefinitionEntry");
  EXPECT_EQ(defined.size(), 5u);
  EXPECT_EQ(defined[0]->child(cfg, "FormatName")->text, "IPAddressPort");
}

TEST(Xsd, AnInvalidMessageIsToldWhere) {
  std::string text = read(kEtsi / "ts103120/examples/xml/request2.xml");
  std::string broken = text;
  broken.replace(broken.find("<ActionIdentifier>1</ActionIdentifier>"),
                 std::string("<ActionIdentifier>1</ActionIdentifier>").size(),
                 "<ActionIdentifier>one</ActionIdentifier>");
  Status s = validator().validate(broken);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("line"));
  EXPECT_THAT(s.error().message, HasSubstr("ActionIdentifier"));
}

TEST(Xsd, SchemasThatAreNotThereDoNotLoad) {
  auto v = XsdValidator::load("/nonexistent/etsi");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.error().message, HasSubstr("/nonexistent/etsi"));
}

}  // namespace
}  // namespace liaison::etsi
