// The official XSDs, loaded from data/etsi: ETSI's examples validate, what
// Liaison writes validates, and a broken message is told where it breaks.
#include "etsi/xsd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "etsi/csp_config.h"
#include "etsi/emitted_messages.h"
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

TEST(Xsd, EverythingLiaisonEmitsValidates) {
  auto emitted = fixtures::messages_liaison_emits();
  std::string why;
  ASSERT_EQ(fixtures::forwarded_request_objects(&why).size(), 3u) << why;
  ASSERT_GE(emitted.size(), 10u);
  for (const auto& m : emitted) {
    SCOPED_TRACE(m.name);
    std::string xml = write_xml(m.message);
    Status s = validator().validate(xml);
    EXPECT_TRUE(s.ok()) << s.error().message << "\n" << xml;
  }
}

TEST(Xsd, TheCspConfigurationAdvertisesTheFormatsTheMappingTakes) {
  Header request = fixtures::police_request();
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

// A tree (what the JSON encoding is read into) is validated on the document
// built from it, and the verdict is the XML's.
TEST(Xsd, ATreeIsJudgedAsItsXml) {
  std::vector<XmlElement> trees;
  for (const auto& m : fixtures::messages_liaison_emits()) trees.push_back(m.message);
  for (const auto& e : fs::directory_iterator(kEtsi / "ts103120/examples/xml")) {
    if (e.path().extension() != ".xml") continue;
    auto tree = parse_xml(read(e.path()));
    ASSERT_TRUE(tree.ok()) << e.path();
    trees.push_back(std::move(tree).value());
  }
  auto broken = parse_xml(read(kEtsi / "ts103120/examples/xml/request2.xml"));
  ASSERT_TRUE(broken.ok());
  std::function<bool(XmlElement&)> spoil = [&](XmlElement& e) {
    if (e.name.local == "ActionIdentifier") {
      e.text = "one";
      return true;
    }
    for (auto& c : e.children)
      if (spoil(c)) return true;
    return false;
  };
  ASSERT_TRUE(spoil(*broken));
  trees.push_back(*broken);
  for (const auto& tree : trees) {
    Status as_tree = validator().validate(tree);
    Status as_xml = validator().validate(write_xml(tree));
    EXPECT_EQ(as_tree.ok(), as_xml.ok()) << write_xml(tree);
  }
  Status s = validator().validate(*broken);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("ActionIdentifier"));
  EXPECT_THAT(s.error().message, HasSubstr("'one'"));
}

TEST(Xsd, SchemasThatAreNotThereDoNotLoad) {
  auto v = XsdValidator::load("/nonexistent/etsi");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.error().message, HasSubstr("/nonexistent/etsi"));
}

}  // namespace
}  // namespace liaison::etsi
