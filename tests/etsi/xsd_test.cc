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

TEST(Xsd, TheObjectsLiaisonSendsAndTheTasksItAnswersWithValidate) {
  nlohmann::json payload = {
      {"request_id", "01900000-0000-7000-8000-000000000001"},
      {"kind", "production"},
      {"issuer", {{"country", "NL"}, {"endpoint_uid", "NPCU"}}},
      {"provider", {{"country", "IE"}, {"endpoint_uid", "EXMAIL"}}},
      {"categories", {"TrafficData"}},
      {"targets",
       {{{"kind", "ip"}, {"value", "2001:db8::1"}, {"observed_at", "2026-11-02T09:15:00Z"}},
        {{"kind", "crypto"}, {"network", "bitcoin"}, {"value", "bc1qexample"}}}},
      {"legal_basis",
       {{"instrument", "Budapest Convention"},
        {"article", "Art. 18"},
        {"domestic_reference", "W-1"}}},
      {"period", {{"start", "2026-10-01T00:00:00Z"}, {"end", "2026-11-01T00:00:00Z"}}},
      {"case_type", "Cybercrime"},
      {"offence_description", "Intrusion into a hospital's network."},
      {"deadline", "2026-12-20T00:00:00Z"},
      {"issuer_reference", ""}};
  auto objects = objects_for_signed_request(
      payload, "{}",
      {"7dbbc880-8750-4d3c-abe7-ea4a17646045", "1fd7a4a2-8c2c-4bd2-9f49-0a3b3a8a7c11",
       "2b36a78b-b628-416d-bd22-404e68a0cd36"});
  ASSERT_TRUE(objects.ok()) << objects.error().message;
  std::vector<ActionRequest> actions;
  for (const auto& o : *objects) {
    actions.push_back({actions.size(), Verb::kCreate, action_element(Verb::kCreate, {o})});
  }
  Header h = police_request();
  h.timestamp = "2026-12-02T10:00:00.000000Z";
  XmlElement m = request_message(h, actions);
  Status s = validator().validate(write_xml(m));
  EXPECT_TRUE(s.ok()) << s.error().message << "\n" << write_xml(m);

  // The task as GET shows it, with the status its request is in.
  for (RequestStatus st : {RequestStatus::kSubmitted, RequestStatus::kQuarantined}) {
    XmlElement held = object_as_held((*objects)[2], 2, "2026-12-02T10:00:00Z",
                                     TaskState{st, "refused on receipt: replayed", std::nullopt});
    XmlElement answer =
        response_message(h, {"IE", "EXMAIL"}, {"NL", "NPCU"}, "", "2026-12-02T10:00:01.000000Z",
                         {{0, core_element("GETResponse", {held}), std::nullopt}}, std::nullopt);
    s = validator().validate(write_xml(answer));
    EXPECT_TRUE(s.ok()) << s.error().message << "\n" << write_xml(answer);
  }
}

TEST(Xsd, TheDeliveriesAndCancellationsAHubSendsItsPeerValidate) {
  // From the provider back to the authority: a package part, and "no data".
  Header back = police_request();
  std::swap(back.sender, back.receiver);
  DeliveryPart part;
  part.object_id = "71ff52ca-bcea-4fa3-b34e-1b89dcfb0d9e";
  part.country = "IE";
  part.owner = "EXMAIL";
  part.task_id = "2b36a78b-b628-416d-bd22-404e68a0cd36";
  part.ldid = "NL-NPCU-2026-0042";
  part.delivery_id = "d1079830-8e9a-4731-8fb7-36b9b961eb72";
  part.sequence = 2;
  part.last = false;
  part.data = std::string("LIAISON-EVIDENCE\0\x01\xff", 19);
  part.package_id = "0b0e4a4e-6f0e-4b59-9d1c-2f7a0e5f3a11";
  DeliveryPart none = part;
  none.data.reset();
  none.sequence = 1;
  none.last = true;
  std::vector<ActionRequest> actions;
  for (const auto& p : {part, none}) {
    actions.push_back({actions.size(), Verb::kDeliver,
                       action_element(Verb::kDeliver,
                                      {core_text("Identifier", p.object_id), delivery_object(p)})});
  }
  back.timestamp = "2026-12-02T10:00:00.000000Z";
  std::string xml = write_xml(request_message(back, actions));
  Status s = validator().validate(xml);
  EXPECT_TRUE(s.ok()) << s.error().message << "\n" << xml;

  // The authority's hub withdrawing a task it forwarded.
  Header out = police_request();
  out.timestamp = "2026-12-02T10:00:00.000000Z";
  for (bool preservation : {false, true}) {
    XmlElement cancel =
        task_cancellation("2b36a78b-b628-416d-bd22-404e68a0cd36", preservation, "NL", "NPCU");
    xml = write_xml(
        request_message(out, {{0, Verb::kUpdate, action_element(Verb::kUpdate, {cancel})}}));
    s = validator().validate(xml);
    EXPECT_TRUE(s.ok()) << s.error().message << "\n" << xml;
  }
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
