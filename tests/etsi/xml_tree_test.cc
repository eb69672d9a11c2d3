// The XML layer under the HI-1 codec: ETSI's own examples read and write back
// element for element, names are namespaces rather than prefixes, and the
// documents an attacker would send are refused before they cost anything.
#include "etsi/xml_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libxml/tree.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace liaison::etsi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kExamples = fs::path(LIAISON_SOURCE_DIR) / "data/etsi/ts103120/examples/xml";
constexpr const char* kCore = "http://uri.etsi.org/03120/common/2019/10/Core";
constexpr const char* kAuth = "http://uri.etsi.org/03120/common/2020/09/Authorisation";

std::string read(const fs::path& p) { return testing::slurp(p); }

std::vector<fs::path> examples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kExamples)) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string field_of(const Error& e) { return e.issues.empty() ? "" : e.issues[0].field; }

TEST(XmlTree, EveryOfficialExampleReadsAndWritesBackElementForElement) {
  auto files = examples();
  ASSERT_GE(files.size(), 18u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    auto first = parse_xml(read(f));
    ASSERT_TRUE(first.ok()) << first.error().message;
    std::string written = write_xml(*first);
    auto again = parse_xml(written);
    ASSERT_TRUE(again.ok()) << again.error().message << "\n" << written;
    std::string where;
    EXPECT_TRUE(equivalent(*first, *again, &where)) << where << "\n" << written;
    // Writing is stable: what was written once is written the same again.
    EXPECT_EQ(write_xml(*again), written);
  }
}

TEST(XmlTree, NamesAreNamespacesAndTypesAreResolved) {
  auto doc = parse_xml(read(kExamples / "request1.xml"));
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->name, (QName{kCore, "HI1Message"}));
  const XmlElement* header = doc->child(kCore, "Header");
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(header->child(kCore, "TransactionIdentifier")->text,
            "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e");
  const XmlElement* requests =
      doc->child(kCore, "Payload")->child(kCore, "RequestPayload")->child(kCore, "ActionRequests");
  auto actions = requests->children_named(kCore, "ActionRequest");
  ASSERT_EQ(actions.size(), 2u);
  const XmlElement* object = actions[0]->child(kCore, "CREATE")->child(kCore, "HI1Object");
  ASSERT_TRUE(object->type.has_value());
  EXPECT_EQ(*object->type, (QName{kAuth, "AuthorisationObject"}));
  EXPECT_EQ(clark_name(*object->type), std::string("{") + kAuth + "}AuthorisationObject");
  EXPECT_EQ(object->child(kAuth, "AuthorisationReference")->text, "W000001");
}

TEST(XmlTree, PrefixesDoNotMatter) {
  std::string a = R"(<m:Message xmlns:m="urn:example:m" xmlns:x="urn:example:x"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <m:Item xsi:type="x:Thing" x:flag="1"><x:Value>7 &amp; 8</x:Value></m:Item></m:Message>)";
  std::string b = R"(<Message xmlns="urn:example:m" xmlns:q="urn:example:x"
      xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <Item q:flag="1" i:type="q:Thing"><q:Value>7 &amp; 8</q:Value></Item></Message>)";
  auto pa = parse_xml(a);
  auto pb = parse_xml(b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  std::string where;
  EXPECT_TRUE(equivalent(*pa, *pb, &where)) << where;
  EXPECT_EQ(pa->children[0].children[0].text, "7 & 8");
  // And a real difference is found, with where it is.
  auto pc = parse_xml(R"(<Message xmlns="urn:example:m" xmlns:q="urn:example:x"
      xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <Item q:flag="1" i:type="q:Thing"><q:Value>7 and 8</q:Value></Item></Message>)");
  ASSERT_TRUE(pc.ok());
  EXPECT_FALSE(equivalent(*pa, *pc, &where));
  EXPECT_THAT(where, HasSubstr("/Message/Item[0]/Value[0]"));
}

TEST(XmlTree, TextIsEscapedOnTheWayOut) {
  XmlElement root{{kCore, "HI1Message"}, std::nullopt, {}, "", {}};
  root.children.push_back(
      {{kCore, "Note"}, std::nullopt, {{{"", "by"}, "\"A&B\" <x>\n\t"}}, "a < b & c > d\r\n", {}});
  std::string out = write_xml(root);
  EXPECT_THAT(out, HasSubstr("a &lt; b &amp; c &gt; d&#13;\n"));
  EXPECT_THAT(out, HasSubstr("by=\"&quot;A&amp;B&quot; &lt;x&gt;&#10;&#9;\""));
  auto back = parse_xml(out);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->children[0].text, "a < b & c > d\r\n");
  EXPECT_EQ(back->children[0].attributes[0].value, "\"A&B\" <x>\n\t");
}

TEST(XmlTree, AnElementInNoNamespaceIsWrittenSo) {
  XmlElement root{{kCore, "HI1Message"}, std::nullopt, {}, "", {}};
  XmlElement plain{{"", "Plain"}, std::nullopt, {}, "", {}};
  plain.children.push_back({{kCore, "Inner"}, std::nullopt, {}, "x", {}});
  root.children.push_back(plain);
  auto back = parse_xml(write_xml(root));
  ASSERT_TRUE(back.ok()) << back.error().message;
  std::string where;
  EXPECT_TRUE(equivalent(root, *back, &where)) << where << "\n" << write_xml(root);
}

TEST(XmlTree, AnAttributeInTheRootsNamespaceKeepsItsPrefix) {
  XmlElement root{{kCore, "HI1Message"}, std::nullopt, {{{kCore, "flag"}, "1"}}, "", {}};
  root.children.push_back({{kCore, "Inner"}, std::nullopt, {{{kCore, "flag"}, "2"}}, "x", {}});
  auto back = parse_xml(write_xml(root));
  ASSERT_TRUE(back.ok()) << back.error().message;
  std::string where;
  EXPECT_TRUE(equivalent(root, *back, &where)) << where << "\n" << write_xml(root);
}

// The document a tree is validated on is the one its XML would give: libxml2's
// own serialisation of it reads back as the tree.
std::string serialised(LibxmlDocument& doc) {
  xmlChar* bytes = nullptr;
  int size = 0;
  xmlDocDumpMemory(&doc, &bytes, &size);
  std::string out(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  xmlFree(bytes);
  return out;
}

TEST(XmlTree, TheLibxmlDocumentOfATreeIsTheTree) {
  std::vector<XmlElement> trees;
  for (const auto& path : examples()) {
    auto tree = parse_xml(read(path));
    ASSERT_TRUE(tree.ok()) << path;
    trees.push_back(std::move(tree).value());
  }
  XmlElement odd{
      {kCore, "HI1Message"}, std::nullopt, {{{kCore, "flag"}, "\"A&B\" <x>\n\t"}}, "", {}};
  odd.children.push_back({{"", "Plain"}, QName{"", "Untyped"}, {}, "a < b & c > d\r\n", {}});
  odd.children.push_back({{kAuth, "AuthorisationReference"},
                          std::nullopt,
                          {{{"http://www.w3.org/XML/1998/namespace", "lang"}, "en"}},
                          "W-1",
                          {}});
  trees.push_back(odd);
  for (const auto& tree : trees) {
    LibxmlDocumentPtr doc = to_libxml(tree);
    ASSERT_TRUE(doc);
    std::string text = serialised(*doc);
    auto back = parse_xml(text);
    ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
    std::string where;
    EXPECT_TRUE(equivalent(tree, *back, &where)) << where << "\n" << text;
  }
}

// libxml2 keeps "&#38;" in a namespace declaration as those five characters:
// read so, the name would change each time it is written (found by
// fuzz_hi1_json).
TEST(XmlTree, ANamespaceNameWithAReferenceIsRefused) {
  for (const char* doc :
       {R"(<a xmlns="urn:x&amp;y"><b/></a>)",
        R"(<p:a xmlns:p="urn:x"><b xmlns:q="urn:q&#38;r" q:c="1"/></p:a>)",
        R"(<a xmlns="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance")"
        R"( xmlns:t="urn:t&amp;"><b xsi:type="t:T"/></a>)"}) {
    auto r = parse_xml(doc);
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(field_of(r.error()), "xml");
    EXPECT_THAT(r.error().message, HasSubstr("character reference")) << doc;
  }
}

// The xml prefix is bound in every document and may not be declared: an
// xml:lang (or any xml: attribute) is written undeclared (found by
// fuzz_hi1_xml).
TEST(XmlTree, TheXmlNamespaceIsNeverDeclared) {
  auto doc = parse_xml(R"(<a xmlns="urn:example:a" xml:lang="en"><b xml:space="preserve"/></a>)");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  std::string out = write_xml(*doc);
  EXPECT_THAT(out, ::testing::Not(HasSubstr("XML/1998/namespace")));
  auto back = parse_xml(out);
  ASSERT_TRUE(back.ok()) << back.error().message << "\n" << out;
  std::string where;
  EXPECT_TRUE(equivalent(*doc, *back, &where)) << where;
}

// A type's local name is a name: "task:A:B" or "task:A/B" would be read
// differently once written (found by fuzz_hi1_xml).
TEST(XmlTree, ATypeThatIsNoQualifiedNameIsRefused) {
  for (const char* type : {"t:A:B", "t:A/B", "t:1A"}) {
    std::string doc = std::string(R"(<a xmlns="urn:example:a" xmlns:t="urn:example:t" )") +
                      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><b xsi:type=")" +
                      type + R"("/></a>)";
    auto r = parse_xml(doc);
    ASSERT_FALSE(r.ok()) << type;
    EXPECT_THAT(r.error().message, HasSubstr("not a qualified name")) << type;
  }
}

TEST(XmlTree, ATypeInNoNamespaceKeepsItsMeaning) {
  auto doc = parse_xml(R"(<m:a xmlns:m="urn:example:m" )"
                       R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)"
                       R"(<m:b xsi:type="Plain"/></m:a>)");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ(doc->children[0].type, (QName{"", "Plain"}));
  auto back = parse_xml(write_xml(*doc));
  ASSERT_TRUE(back.ok()) << back.error().message;
  std::string where;
  EXPECT_TRUE(equivalent(*doc, *back, &where)) << where << "\n" << write_xml(*doc);
}

TEST(XmlTree, EntityExpansionIsRefusedBeforeParsing) {
  std::string laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<HI1Message xmlns="http://uri.etsi.org/03120/common/2019/10/Core">&lol2;</HI1Message>)";
  auto r = parse_xml(laughs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(field_of(r.error()), "dtd");
}

TEST(XmlTree, ExternalEntitiesAndDtdsAreNeverLoaded) {
  for (const std::string& doc :
       {std::string(R"(<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
                    R"(<m>&x;</m>)"),
        std::string(R"(<?xml version="1.0"?><!DOCTYPE m SYSTEM "http://192.0.2.1/evil.dtd"><m/>)"),
        std::string(
            R"(<?xml version="1.0"?><!DOCTYPE m PUBLIC "-//X//Y" "file:///etc/passwd"><m/>)")}) {
    auto r = parse_xml(doc);
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(field_of(r.error()), "dtd") << doc;
  }
  // An XInclude is not processed either: it stays an element like any other.
  auto inc = parse_xml(R"(<m xmlns:xi="http://www.w3.org/2001/XInclude">)"
                       R"(<xi:include href="file:///etc/passwd" parse="text"/></m>)");
  ASSERT_TRUE(inc.ok());
  ASSERT_EQ(inc->children.size(), 1u);
  EXPECT_EQ(inc->children[0].name.local, "include");
  EXPECT_TRUE(inc->children[0].text.empty());
}

TEST(XmlTree, MalformedDocumentsSayWhereAndWhy) {
  auto r = parse_xml("<HI1Message>\n<Header>\n</HI1Message>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(field_of(r.error()), "xml");
  EXPECT_THAT(r.error().message, HasSubstr("line 3"));
  for (const char* bad : {"", "not xml", "<a><b></a>", "<a>&undefined;</a>", "<a/><b/>",
                          "<a xmlns:p=\"urn:x\"><p:b/><q:c/></a>"}) {
    auto e = parse_xml(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(field_of(e.error()), "xml") << bad;
  }
  auto undeclared = parse_xml(R"(<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
                              R"(xsi:type="nope:Thing"/>)");
  ASSERT_FALSE(undeclared.ok());
  EXPECT_THAT(undeclared.error().message, HasSubstr("prefix \"nope\", which is not declared"));
}

TEST(XmlTree, SizeDepthAndCountAreBounded) {
  XmlLimits small;
  small.max_bytes = 100;
  auto big = parse_xml(std::string(200, ' ') + "<a/>", small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(field_of(big.error()), "size");

  std::string deep;
  for (int i = 0; i < 60; ++i) deep += "<a>";
  for (int i = 0; i < 60; ++i) deep += "</a>";
  auto d = parse_xml(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(field_of(d.error()), "depth");

  XmlLimits few;
  few.max_elements = 10;
  std::string many = "<a>";
  for (int i = 0; i < 20; ++i) many += "<b/>";
  many += "</a>";
  auto m = parse_xml(many, few);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(field_of(m.error()), "elements");
  EXPECT_TRUE(parse_xml(many).ok());
}

}  // namespace
}  // namespace liaison::etsi
