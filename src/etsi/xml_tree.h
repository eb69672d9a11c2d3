// An XML document as a value: elements with their namespace, local name,
// attributes, text and children, read and written with libxml2.
//
// ETSI TS 103 120 messages arrive from other systems, so reading is
// defensive: no DTD is accepted (which rules out entity expansion, the
// "billion laughs" and external entities), nothing is ever fetched from the
// network or the file system, and size, depth and element count are bounded.
// What comes back is independent of prefixes: a name is its namespace URI and
// local part, and an xsi:type is resolved to the same.
//
// Writing uses the prefixes the ETSI examples use for the TS 103 120
// namespaces, so what Liaison emits reads like the standard's own examples.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "etsi/namespaces.h"

struct _xmlDoc;  // NOLINT(bugprone-reserved-identifier): libxml2's document (libxml/tree.h)

namespace liaison::etsi {

// A namespace-qualified name; `ns` is empty for a name in no namespace.
struct QName {
  std::string ns;
  std::string local;
  bool operator==(const QName&) const = default;
};

struct XmlAttribute {
  QName name;
  std::string value;
  bool operator==(const XmlAttribute&) const = default;
};

struct XmlElement {
  QName name;
  // The element's xsi:type, resolved against the namespaces in scope. It is
  // kept here rather than among the attributes: it says what the element is.
  std::optional<QName> type;
  std::vector<XmlAttribute> attributes;  // namespace declarations and xsi:type excluded
  // Character data. Whitespace between child elements is not kept; the text of
  // an element without children is kept exactly.
  std::string text;
  std::vector<XmlElement> children;

  // The text without surrounding whitespace: a simple value as the schemas
  // read it.
  std::string value() const;

  // The first child with this namespace and local name, or null.
  const XmlElement* child(std::string_view ns, std::string_view local) const;
  // All children with this name, in document order.
  std::vector<const XmlElement*> children_named(std::string_view ns, std::string_view local) const;
};

// The value of `e`, or "" when there is no such element.
std::string value_of(const XmlElement* e);

// An element with text, and one with children.
XmlElement make_element(QName name, std::string text);
XmlElement make_element(QName name, std::vector<XmlElement> children);

struct XmlLimits {
  std::size_t max_bytes = std::size_t{8} * 1024 * 1024;
  int max_depth = 48;
  std::size_t max_elements = 100'000;
};

// Parses one document. Errors are kInvalidArgument with a field naming what
// is wrong: "xml" (not well-formed, with libxml2's line and message), "dtd"
// (a document type declaration), "size", "depth" or "elements".
Result<XmlElement> parse_xml(std::string_view bytes, const XmlLimits& limits = {});

// The same, with `inspect` given libxml2's own document once it is known to
// be well-formed and free of a DTD, before it is turned into a tree: so that a
// message is validated against the XSDs (xsd.h) without being parsed twice.
using LibxmlDocument = ::_xmlDoc;
Result<XmlElement> parse_xml(std::string_view bytes, const XmlLimits& limits,
                             const std::function<void(LibxmlDocument&)>& inspect);

// Serialises `root` as a UTF-8 document with an XML declaration. Every
// namespace used is declared on the root element.
std::string write_xml(const XmlElement& root);

// libxml2's document for `root`, built node by node with the namespaces
// write_xml declares: what a tree read from JSON is validated on, without
// being written out and parsed again. Null when libxml2 runs out of memory.
struct LibxmlDocumentFree {
  void operator()(LibxmlDocument* doc) const;
};
using LibxmlDocumentPtr = std::unique_ptr<LibxmlDocument, LibxmlDocumentFree>;
LibxmlDocumentPtr to_libxml(const XmlElement& root);

// Element-for-element equivalence: the same names, types, attributes (in any
// order) and children (in order), and the same text once surrounding
// whitespace is set aside. On a difference, `where` gets its path and what
// differs.
bool equivalent(const XmlElement& a, const XmlElement& b, std::string* where = nullptr);

// libxml2 set up as this module uses it: its loader of external resources
// serves only what was registered here, from memory. Called by every entry
// point; register_xml_resource adds one (a schema, under the URL that
// imports name it). Registered resources are never removed.
void init_libxml();
void register_xml_resource(const std::string& url, std::string text);

// "{namespace}local", the notation the ETSI JSON encoding uses for xsi:type.
std::string clark_name(const QName& name);

}  // namespace liaison::etsi
