// The JSON encoding Liaison writes, checked against ETSI's official JSON
// schemas. Four namespaces (Authorisation, Document, Notification,
// TrafficPolicy) have no XSD in ETSI's set, so their content is only checked
// here. The check is Debian's python3-jsonschema, run by
// check_json_schema.py next to this file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "etsi/emitted_messages.h"
#include "etsi/json_schema.h"
#include "etsi/json_tree.h"
#include "support/test_support.h"

namespace liaison::etsi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using json = nlohmann::ordered_json;

const fs::path kEtsi = fs::path(LIAISON_SOURCE_DIR) / "data/etsi";

const JsonSchemas& schemas() {
  static const JsonSchemas kSchemas = [] {
    auto s = JsonSchemas::load(kEtsi / "ts103120");
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return std::move(s).value();
  }();
  return kSchemas;
}

// Runs the checker on the given documents, one file each.
testing::ProcessResult check(const testing::TempDir& dir, const std::vector<json>& documents) {
  std::vector<std::string> argv = {
      LIAISON_PYTHON, std::string(LIAISON_SOURCE_DIR) + "/tests/etsi/check_json_schema.py",
      kEtsi.string()};
  for (std::size_t i = 0; i < documents.size(); ++i) {
    fs::path file = dir.path() / ("message-" + std::to_string(i) + ".json");
    std::ofstream(file) << documents[i].dump(2);
    argv.push_back(file.string());
  }
  return testing::run_process(argv);
}

TEST(OfficialJsonSchema, EverythingLiaisonEmitsValidates) {
  auto emitted = fixtures::messages_liaison_emits();
  ASSERT_GE(emitted.size(), 10u);
  std::vector<json> documents;
  std::string names;
  for (const auto& m : emitted) {
    documents.push_back(json_from_tree(m.message, schemas()));
    names += "message-" + std::to_string(documents.size() - 1) + ": " + m.name + "\n";
  }
  testing::TempDir dir;
  auto r = check(dir, documents);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err << names;
}

TEST(OfficialJsonSchema, EtsisExamplesAndLiaisonsRewritesOfThemValidate) {
  std::vector<json> documents;
  for (const auto& e : fs::directory_iterator(kEtsi / "ts103120/examples/json")) {
    if (e.path().extension() != ".json") continue;
    json original = json::parse(testing::slurp(e.path()));
    auto tree = tree_from_json(original.dump());
    ASSERT_TRUE(tree.ok()) << e.path() << ": " << tree.error().message;
    documents.push_back(std::move(original));
    documents.push_back(json_from_tree(*tree, schemas()));
  }
  ASSERT_GE(documents.size(), 30u);
  testing::TempDir dir;
  auto r = check(dir, documents);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// The check can fail, and says where: content the Authorisation and Document
// schemas do not allow is caught even though the XSD stubs admit it.
TEST(OfficialJsonSchema, ContentTheSchemasDoNotAllowIsFoundAndNamed) {
  std::string why;
  auto objects = fixtures::forwarded_request_objects(&why);
  ASSERT_EQ(objects.size(), 3u) << why;
  json good = json_from_tree(fixtures::forwarded_request_message(objects), schemas());
  json& actions = good["Payload"]["RequestPayload"]["ActionRequests"]["ActionRequest"];
  ASSERT_EQ(actions.size(), 3u);

  json foreign_key = good;
  foreign_key["Payload"]["RequestPayload"]["ActionRequests"]["ActionRequest"][0]["CREATE"]
             ["HI1Object"]["auth:Warrant"] = "W-1";
  json wrong_type = good;
  json& document = wrong_type["Payload"]["RequestPayload"]["ActionRequests"]["ActionRequest"][1]
                             ["CREATE"]["HI1Object"];
  ASSERT_TRUE(document.contains("doc:DocumentBody")) << document.dump(2);
  document["doc:DocumentBody"]["doc:Contents"] = "not base64!";

  testing::TempDir dir;
  auto r = check(dir, {foreign_key, wrong_type});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("message-0.json: Payload/RequestPayload/ActionRequests/"
                               "ActionRequest/0/CREATE/HI1Object: "));
  EXPECT_THAT(r.out, HasSubstr("'auth:Warrant' was unexpected"));
  EXPECT_THAT(r.out, HasSubstr("message-1.json: Payload/RequestPayload/ActionRequests/"
                               "ActionRequest/1/CREATE/HI1Object/doc:DocumentBody/doc:Contents: "));
}

TEST(OfficialJsonSchema, SchemasThatAreNotThereAreReported) {
  testing::TempDir dir;
  auto r = testing::run_process(
      {LIAISON_PYTHON, std::string(LIAISON_SOURCE_DIR) + "/tests/etsi/check_json_schema.py",
       (dir.path() / "nothing").string(), (dir.path() / "m.json").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot read the schemas"));
}

}  // namespace
}  // namespace liaison::etsi
