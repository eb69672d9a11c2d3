#include "etsi/xsd.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "etsi/namespaces.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

namespace {

constexpr const char* kBase = "liaison-etsi:/";

// Stand-ins for the schemas ETSI's set here lacks: the names a message uses,
// with any content.
struct Stub {
  const char* ns;
  const char* file;
  const char* body;
};

const char* kAnyContent =
    "<xs:sequence><xs:any namespace=\"##any\" processContents=\"lax\" minOccurs=\"0\" "
    "maxOccurs=\"unbounded\"/></xs:sequence><xs:anyAttribute processContents=\"lax\"/>";

std::string object_stub(const std::string& object) {
  return "<xs:complexType name=\"" + object +
         "\"><xs:complexContent><xs:extension base=\"core:HI1Object\">" + kAnyContent +
         "</xs:extension></xs:complexContent></xs:complexType>";
}

std::vector<std::pair<std::string, std::string>> stubs() {
  auto schema = [](const std::string& ns, const std::string& body, bool core) {
    return std::string(
               "<?xml version=\"1.0\"?><xs:schema xmlns:xs=\"http://www.w3.org/2001/"
               "XMLSchema\" xmlns:core=\"") +
           std::string(kCoreNamespace) + "\" xmlns:t=\"" + ns + "\" targetNamespace=\"" + ns +
           "\" elementFormDefault=\"qualified\">" +
           (core ? "<xs:import namespace=\"" + std::string(kCoreNamespace) + "\"/>" : "") + body +
           "</xs:schema>";
  };
  std::string any = std::string("<xs:complexType name=\"Any\" mixed=\"true\">") + kAnyContent +
                    "</xs:complexType>";
  return {
      {"http://www.w3.org/2000/09/xmldsig#",
       schema("http://www.w3.org/2000/09/xmldsig#",
              any + "<xs:element name=\"Signature\" type=\"t:Any\"/>", false)},
      {"http://uri.etsi.org/03280/common/2019/10/Dictionaries",
       schema("http://uri.etsi.org/03280/common/2019/10/Dictionaries",
              "<xs:complexType name=\"Dictionaries\">" + std::string(kAnyContent) +
                  "</xs:complexType>",
              false)},
      {std::string(kAuthorisationNamespace),
       schema(std::string(kAuthorisationNamespace), object_stub("AuthorisationObject"), true)},
      {std::string(kDocumentNamespace),
       schema(std::string(kDocumentNamespace), object_stub("DocumentObject"), true)},
      {std::string(kNotificationNamespace),
       schema(std::string(kNotificationNamespace), object_stub("NotificationObject"), true)},
      {"http://uri.etsi.org/03120/common/2022/07/TrafficPolicy",
       schema("http://uri.etsi.org/03120/common/2022/07/TrafficPolicy",
              object_stub("TrafficPolicyObject") + object_stub("TrafficRuleObject"), true)},
  };
}

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error::invalid("xsd", p.string() + " cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The namespace a schema file is for, from its targetNamespace.
std::string target_namespace(const std::string& text) {
  auto at = text.find("targetNamespace=\"");
  if (at == std::string::npos) return "";
  at += 17;
  return text.substr(at, text.find('"', at) - at);
}

struct ErrorList {
  std::vector<std::string> lines;
};

void collect(void* data, xmlErrorPtr e) {
  auto* list = static_cast<ErrorList*>(data);
  if (e == nullptr || list->lines.size() >= 5) return;
  std::string m = e->message != nullptr ? e->message : "invalid";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  list->lines.push_back((e->line > 0 ? "line " + std::to_string(e->line) + ": " : "") + m);
}

}  // namespace

struct XsdValidator::Schema {
  xmlSchemaPtr schema = nullptr;
  ~Schema() {
    if (schema != nullptr) xmlSchemaFree(schema);
  }
};

Result<XsdValidator> XsdValidator::load(const std::filesystem::path& etsi_dir,
                                        const std::vector<std::filesystem::path>& extra) {
  init_libxml();
  std::vector<std::pair<std::string, std::string>> imports;  // namespace, url
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(etsi_dir / "ts103120/schema/xsd", ec)) {
    if (e.path().extension() == ".xsd") files.push_back(e.path());
  }
  if (ec)
    return Error::invalid("xsd", (etsi_dir / "ts103120/schema/xsd").string() + ": " + ec.message());
  files.push_back(etsi_dir / "ts103280/TS_103_280.xsd");
  files.insert(files.end(), extra.begin(), extra.end());
  for (const auto& f : files) {
    LIAISON_ASSIGN_OR_RETURN(std::string text, read_file(f));
    std::string url = std::string(kBase) + f.filename().string();
    imports.emplace_back(target_namespace(text), url);
    register_xml_resource(url, std::move(text));
  }
  for (auto& [ns, text] : stubs()) {
    std::string url =
        std::string(kBase) + "stub/" + std::to_string(std::hash<std::string>{}(ns)) + ".xsd";
    imports.emplace_back(ns, url);
    register_xml_resource(url, std::move(text));
  }
  std::string driver =
      "<?xml version=\"1.0\"?><xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
      "targetNamespace=\"urn:liaison:etsi-driver\">";
  for (const auto& [ns, url] : imports) {
    driver.append("<xs:import namespace=\"").append(ns).append("\" schemaLocation=\"");
    driver.append(url).append("\"/>");
  }
  driver += "</xs:schema>";

  ErrorList errors;
  xmlSchemaParserCtxtPtr pctxt =
      xmlSchemaNewMemParserCtxt(driver.data(), static_cast<int>(driver.size()));
  if (pctxt == nullptr) return Error::internal("libxml2 could not make a schema parser");
  xmlSchemaSetParserStructuredErrors(pctxt, collect, &errors);
  xmlSchemaPtr schema = xmlSchemaParse(pctxt);
  xmlSchemaFreeParserCtxt(pctxt);
  if (schema == nullptr) {
    std::string why = errors.lines.empty() ? "the schemas do not load" : errors.lines.front();
    return Error::invalid("xsd",
                          "the ETSI schemas in " + etsi_dir.string() + " do not load: " + why);
  }
  XsdValidator out;
  auto holder = std::make_shared<Schema>();
  holder->schema = schema;
  out.schema_ = std::move(holder);
  return out;
}

Status XsdValidator::validate(const std::string& xml) const {
  init_libxml();
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return Error::invalid("xsd", "not well-formed XML");
  Status s = validate(*doc);
  xmlFreeDoc(doc);
  return s;
}

Status XsdValidator::validate(const XmlElement& tree) const {
  LibxmlDocumentPtr doc = to_libxml(tree);
  if (!doc) return Error::internal("libxml2 could not build the document to validate");
  return validate(*doc);
}

Status XsdValidator::validate(LibxmlDocument& doc) const {
  ErrorList errors;
  xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema_->schema);
  if (vctxt == nullptr) return Error::internal("libxml2 could not make a schema validator");
  xmlSchemaSetValidStructuredErrors(vctxt, collect, &errors);
  int rc = xmlSchemaValidateDoc(vctxt, &doc);
  xmlSchemaFreeValidCtxt(vctxt);
  if (rc == 0) return Ok{};
  std::string why;
  for (const auto& l : errors.lines) why += (why.empty() ? "" : "; ") + l;
  return Error::invalid("xsd", "does not validate against TS 103 120: " +
                                   (why.empty() ? std::string("invalid") : why));
}

}  // namespace liaison::etsi
