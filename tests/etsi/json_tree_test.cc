// The JSON encoding read into the same tree as the XML one: each of ETSI's
// examples that exists in both encodings reads as the same message.
#include "etsi/json_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "support/test_support.h"

namespace liaison::etsi {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using ::testing::HasSubstr;

const fs::path kExamples = fs::path(LIAISON_SOURCE_DIR) / "data/etsi/ts103120/examples";

std::string read(const fs::path& p) { return testing::slurp(p); }

std::string field_of(const Error& e) { return e.issues.empty() ? "" : e.issues[0].field; }

TEST(JsonTree, ExamplesInBothEncodingsAreTheSameMessage) {
  int pairs = 0;
  for (const auto& e : fs::directory_iterator(kExamples / "json")) {
    fs::path xml = kExamples / "xml" / e.path().filename().replace_extension(".xml");
    auto parsed = json::parse(read(e.path()), nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << e.path();
    SCOPED_TRACE(e.path().filename().string());
    auto from_json = tree_from_json(parsed.dump());
    ASSERT_TRUE(from_json.ok()) << from_json.error().message;
    if (!fs::exists(xml)) continue;
    auto from_xml = parse_xml(read(xml));
    ASSERT_TRUE(from_xml.ok()) << from_xml.error().message;
    std::string where;
    bool same = equivalent(*from_json, *from_xml, &where);
    // Two of ETSI's pairs differ in content, each in one place: request1's JSON
    // leaves out the LI task's ServiceType and TargetIdentifierSubtype, and
    // request4's JSON the LD task's RequestType.
    static const std::map<std::string, std::string> kEtsiDifferences = {
        {"request1.json", "/HI1Object[0]/TargetIdentifier[5]: 1 children against 3"},
        {"request4.json", "/HI1Object[0]/RequestDetails[5]: 3 children against 4"},
    };
    if (auto known = kEtsiDifferences.find(e.path().filename().string());
        known != kEtsiDifferences.end()) {
      EXPECT_FALSE(same);
      EXPECT_THAT(where, HasSubstr(known->second));
    } else {
      EXPECT_TRUE(same) << where;
    }
    ++pairs;
  }
  EXPECT_GE(pairs, 12);
}

const JsonSchemas& schemas() {
  static const JsonSchemas kSchemas = [] {
    auto s = JsonSchemas::load(fs::path(LIAISON_SOURCE_DIR) / "data/etsi/ts103120");
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return std::move(s).value();
  }();
  return kSchemas;
}

json without_declarations(json j) {
  for (auto it = j.begin(); it != j.end();) {
    if (it.key().rfind("@xmlns", 0) == 0) {
      it = j.erase(it);
    } else {
      ++it;
    }
  }
  return j;
}

TEST(JsonTree, WrittenAsJsonEveryExampleReadsBackAsTheSameMessage) {
  for (const auto& e : fs::directory_iterator(kExamples / "xml")) {
    if (e.path().extension() != ".xml") continue;
    SCOPED_TRACE(e.path().filename().string());
    auto tree = parse_xml(read(e.path()));
    ASSERT_TRUE(tree.ok()) << tree.error().message;
    json written = json_from_tree(*tree, schemas());
    auto back = tree_from_json(written.dump());
    ASSERT_TRUE(back.ok()) << back.error().message << "\n" << written.dump(2);
    std::string where;
    EXPECT_TRUE(equivalent(*tree, *back, &where)) << where << "\n" << written.dump(2);
  }
}

// The schemas decide arrays, numbers and booleans: written from the XML,
// each example is ETSI's own JSON example, key for key and type for type.
TEST(JsonTree, WrittenAsJsonTheXmlExamplesAreEtsisJsonExamples) {
  int compared = 0;
  for (const auto& e : fs::directory_iterator(kExamples / "json")) {
    std::string name = e.path().filename().string();
    fs::path xml = kExamples / "xml" / e.path().filename().replace_extension(".xml");
    if (!fs::exists(xml) || name == "request1.json" || name == "request4.json") continue;
    SCOPED_TRACE(name);
    auto tree = parse_xml(read(xml));
    ASSERT_TRUE(tree.ok());
    json ours = without_declarations(json_from_tree(*tree, schemas()));
    json theirs = without_declarations(json::parse(read(e.path())));
    EXPECT_EQ(ours, theirs) << "ours:\n" << ours.dump(2) << "\ntheirs:\n" << theirs.dump(2);
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

TEST(JsonTree, PrefixesResolveThroughDeclarationsOrTheStandardsOwn) {
  json m = {{"@xmlns:t", "http://uri.etsi.org/03120/common/2020/09/Task"},
            {"Header", {{"TransactionIdentifier", "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e"}}},
            {"Payload",
             {{"HI1Object",
               {{"@xsi:type", "{http://uri.etsi.org/03120/common/2020/09/Task}LDTaskObject"},
                {"t:Reference", "XX-ACTOR01-1"},
                {"task:Flags", {{"task:LDTaskFlag", json::array({"IsEmergency", "IsTest"})}}},
                {"Generation", 2},
                {"delivery:LastSequence", true}}}}}};
  auto tree = tree_from_json(m.dump());
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  const XmlElement* object =
      tree->child(kCoreNamespace, "Payload")->child(kCoreNamespace, "HI1Object");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->type, (QName{std::string(kTaskNamespace), "LDTaskObject"}));
  EXPECT_EQ(object->child(kTaskNamespace, "Reference")->text, "XX-ACTOR01-1");
  EXPECT_EQ(object->child(kTaskNamespace, "Flags")->children.size(), 2u);
  EXPECT_EQ(object->child(kCoreNamespace, "Generation")->text, "2");
  EXPECT_EQ(object->child(kDeliveryNamespace, "LastSequence")->text, "true");
}

TEST(JsonTree, EmbeddedJsonDataStaysJson) {
  auto parsed = json::parse(read(kExamples / "json/request5-JSON-Delivery.json"));
  auto tree = tree_from_json(parsed.dump());
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  std::string text = read(kExamples / "json/request5-JSON-Delivery.json");
  // Found wherever it sits: its text is the embedded object, compact.
  std::function<const XmlElement*(const XmlElement&)> find =
      [&](const XmlElement& e) -> const XmlElement* {
    if (e.name == QName{std::string(kDeliveryNamespace), "JSONData"}) return &e;
    for (const auto& c : e.children)
      if (const XmlElement* f = find(c)) return f;
    return nullptr;
  };
  const XmlElement* data = find(*tree);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(json::parse(data->text),
            json({{"field1", "this is native JSON embedded data"}, {"field2", 1234}}));
}

TEST(JsonTree, WhatCannotBeAnElementIsRefusedWithItsPath) {
  auto refused = [](const json& m, const std::string& field, const std::string& why) {
    auto r = tree_from_json(m.dump());
    ASSERT_FALSE(r.ok()) << m.dump();
    EXPECT_EQ(field_of(r.error()), field) << m.dump();
    EXPECT_THAT(r.error().message, HasSubstr(why)) << m.dump();
  };
  refused(json::array(), "", "JSON object");
  refused({{"Header", nullptr}}, "Header", "must be an object, a string");
  refused({{"Header", {{"x:Thing", "1"}}}}, "Header/x:Thing", "prefix \"x\"");
  refused({{"Payload", {{"A", json::array({json::array({"1"})})}}}}, "Payload/A/0", "do not nest");
  refused({{"Payload", {{"A", json::array()}}}}, "Payload/A", "empty array");
  refused({{"Payload", {{"HI1Object", {{"@xsi:type", "{urn:x"}}}}}}, "Payload/HI1Object/@xsi:type",
          "type name");
  refused({{"Payload", {{"@id", 7}}}}, "Payload/@id", "attribute must be a string");
  refused({{"Payload", {{"1st", "x"}}}}, "Payload/1st", "not an XML name");
  refused({{"Payload", {{"a b", "x"}}}}, "Payload/a b", "not an XML name");
  refused({{"Payload", {{"A", "bell\u0007"}}}}, "Payload/A", "control character");
  refused({{"@xmlns:p", ""}, {"p:A", "x"}}, "@xmlns:p", "namespace URI");
  // What XML would refuse as a namespace name (found by fuzz_hi1_json).
  refused({{"@xmlns:p", "(ttp://uri.etsi.org/03120/common/2020/09/Task"}, {"p:A", "x"}}, "@xmlns:p",
          "namespace URI");
  refused({{"@xmlns:p", "relative/path"}, {"p:A", "x"}}, "@xmlns:p", "namespace URI");
  // What XML would have to write as a reference, which libxml2 reads back as
  // the reference (found by fuzz_hi1_json).
  refused({{"@xmlns:p", "urn:a&b"}, {"p:A", "x"}}, "@xmlns:p", "namespace URI");
  refused({{"@xmlns:p", "urn:a b"}, {"p:A", "x"}}, "@xmlns:p", "namespace URI");
  refused({{"@xmlns:xml", "urn:x"}, {"A", "x"}}, "@xmlns:xml", "reserved");
  refused({{"@xmlns:p", "http://www.w3.org/XML/1998/namespace"}, {"p:A", "x"}}, "@xmlns:p",
          "reserved");
  // A name XML takes, in full: "\u00bb" is no name character (found by fuzz_hi1_json).
  refused({{"Payload", {{"a\u00bbb", "x"}}}}, "Payload/a\u00bbb", "not an XML name");
  refused({{"Payload", {{"HI1Object", {{"@xsi:type", "{not a uri}Thing"}}}}}},
          "Payload/HI1Object/@xsi:type", "not a namespace URI");
  refused({{"Payload", {{"HI1Object", {{"@xsi:type", "{urn:x}1bad"}}}}}},
          "Payload/HI1Object/@xsi:type", "not an XML name");
  // What is refused before a tree is made: text that is not JSON, a key given
  // twice (two things said of one element), nesting beyond the parser's reach.
  auto refused_text = [](const std::string& text, const std::string& field,
                         const std::string& why) {
    auto r = tree_from_json(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(field_of(r.error()), field) << text;
    EXPECT_THAT(r.error().message, HasSubstr(why)) << text;
  };
  refused_text("{\"Header\": ", "json", "is not JSON");
  refused_text("{\"Header\": \"\xff\"}", "json", "is not JSON");
  refused_text(R"({"Header": {"TransactionIdentifier": "a", "TransactionIdentifier": "b"}})",
               "Header/TransactionIdentifier", "appears twice");
  refused_text(std::string(2000, '[') + std::string(2000, ']'), "depth", "nested deeper");
  json deep = "x";
  for (int i = 0; i < 60; ++i) deep = json{{"A", deep}};
  auto r = tree_from_json(deep.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("nested deeper than 48 levels"));
}

}  // namespace
}  // namespace liaison::etsi
