#include "etsi/xml_tree.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "etsi/namespaces.h"

namespace liaison::etsi {

namespace {

// The resources libxml2 may load: the schemas registered by name, held in
// memory. Nothing else is loaded, whatever a document or schema says, so no
// DTD, entity or schema ever comes from the network or the file system.
std::mutex resources_mu;
std::map<std::string, std::string>& resources() {
  static std::map<std::string, std::string> kResources;
  return kResources;
}

xmlParserInputPtr registered_only(const char* url, const char*, xmlParserCtxtPtr ctxt) {
  if (url == nullptr || ctxt == nullptr) return nullptr;
  std::lock_guard lock(resources_mu);
  auto it = resources().find(url);
  if (it == resources().end()) return nullptr;
  // Entries are never removed or changed, so the text outlives the parse.
  return xmlNewStringInputStream(ctxt, reinterpret_cast<const xmlChar*>(it->second.c_str()));
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct XmlCharFree {
  void operator()(xmlChar* s) const { xmlFree(s); }
};

std::string as_string(const xmlChar* s) {
  return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
}

bool all_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

class Converter {
 public:
  Converter(xmlDoc* doc, const XmlLimits& limits) : doc_(doc), limits_(limits) {}

  Result<XmlElement> element(xmlNode* node, int depth) {
    if (depth > limits_.max_depth) {
      return Error::invalid("depth", "elements are nested deeper than " +
                                         std::to_string(limits_.max_depth) + " levels");
    }
    if (++elements_ > limits_.max_elements) {
      return Error::invalid("elements", "the document has more than " +
                                            std::to_string(limits_.max_elements) + " elements");
    }
    XmlElement out;
    LIAISON_ASSIGN_OR_RETURN(std::string ns, namespace_of(node->ns));
    out.name = {std::move(ns), as_string(node->name)};
    for (xmlAttr* a = node->properties; a != nullptr; a = a->next) {
      LIAISON_ASSIGN_OR_RETURN(std::string attribute_ns, namespace_of(a->ns));
      QName name{std::move(attribute_ns), as_string(a->name)};
      std::unique_ptr<xmlChar, XmlCharFree> raw(xmlNodeListGetString(doc_, a->children, 1));
      std::string value = as_string(raw.get());
      if (name.ns == kXsiNamespace && name.local == "type") {
        LIAISON_ASSIGN_OR_RETURN(QName type, resolve(node, value));
        out.type = std::move(type);
      } else {
        out.attributes.push_back({std::move(name), std::move(value)});
      }
    }
    std::string text;
    for (xmlNode* c = node->children; c != nullptr; c = c->next) {
      switch (c->type) {
        case XML_ELEMENT_NODE: {
          LIAISON_ASSIGN_OR_RETURN(XmlElement child, element(c, depth + 1));
          out.children.push_back(std::move(child));
          break;
        }
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          text += as_string(c->content);
          break;
        case XML_ENTITY_REF_NODE:
          return Error::invalid("xml", "the entity reference &" + as_string(c->name) +
                                           "; is not defined (documents carry no DTD)");
        default:  // comments and processing instructions carry nothing
          break;
      }
    }
    if (out.children.empty() || !all_space(text)) out.text = std::move(text);
    return out;
  }

 private:
  // libxml2 gives a reference in a namespace declaration back as written
  // ("&#38;"), not as the character it stands for, so such a name would not
  // survive being written again; no namespace of the standard has one.
  static Result<std::string> namespace_of(const xmlNs* ns) {
    if (ns == nullptr) return std::string();
    std::string href = as_string(ns->href);
    if (href.find_first_of("&<") != std::string::npos) {
      return Error::invalid("xml", "the namespace name \"" + href +
                                       "\" holds a character reference, which is not accepted");
    }
    return href;
  }

  Result<QName> resolve(xmlNode* node, const std::string& value) {
    std::string_view v = trim(value);
    auto colon = v.find(':');
    std::string prefix = colon == std::string_view::npos ? "" : std::string(v.substr(0, colon));
    std::string local(colon == std::string_view::npos ? v : v.substr(colon + 1));
    xmlNs* ns = xmlSearchNs(
        doc_, node, prefix.empty() ? nullptr : reinterpret_cast<const xmlChar*>(prefix.c_str()));
    if (ns == nullptr && !prefix.empty()) {
      return Error::invalid("xml", "xsi:type \"" + std::string(v) + "\" on <" +
                                       as_string(node->name) + "> uses the prefix \"" + prefix +
                                       "\", which is not declared");
    }
    if (local.empty()) {
      return Error::invalid("xml", "xsi:type on <" + as_string(node->name) + "> names no type");
    }
    if (xmlValidateNCName(reinterpret_cast<const xmlChar*>(local.c_str()), 0) != 0) {
      return Error::invalid("xml", "xsi:type \"" + std::string(v) + "\" on <" +
                                       as_string(node->name) + "> is not a qualified name");
    }
    LIAISON_ASSIGN_OR_RETURN(std::string type_ns, namespace_of(ns));
    return QName{std::move(type_ns), std::move(local)};
  }

  xmlDoc* doc_;
  const XmlLimits& limits_;
  std::size_t elements_ = 0;
};

void escape(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        if (attribute) {
          out += "&quot;";
        } else {
          out += c;
        }
        break;
      case '\r':
        out += "&#13;";
        break;
      // A parser turns a literal newline or tab in an attribute into a space.
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
}

// The prefixes a tree is written with: the standard's own where it has one,
// all declared on the root. The root's namespace is the default one, as in
// the standard's examples, unless something is in no namespace: an
// unprefixed name would then be ambiguous, so every namespace gets its prefix.
class PrefixPlan {
 public:
  explicit PrefixPlan(const XmlElement& root) {
    collect(root);
    if (!any_unqualified_ && root.name.ns != kXmlNamespace) {
      default_ns_ = root.name.ns;
      // An attribute is never in the default namespace: one in the root's
      // namespace keeps that namespace's prefix as well.
      if (!attribute_namespaces_.count(default_ns_)) prefixes_.erase(default_ns_);
    }
  }

  const std::string& default_namespace() const { return default_ns_; }
  const std::map<std::string, std::string>& prefixes() const { return prefixes_; }
  const std::string& prefix(const std::string& ns) const { return prefixes_.at(ns); }

  // A name as written: unprefixed in the default namespace, else prefixed.
  std::string qualified(const QName& n) const {
    if (n.ns.empty() || n.ns == default_ns_) return n.local;
    return prefixes_.at(n.ns) + ":" + n.local;
  }

 private:
  void note(const std::string& ns) {
    if (ns.empty() || prefixes_.count(ns)) return;
    const std::string* known = standard_prefix(ns);
    std::string prefix = known != nullptr ? *known : "ns" + std::to_string(++unknown_);
    prefixes_.emplace(ns, prefix);
  }

  void collect(const XmlElement& e) {
    note(e.name.ns);
    if (e.name.ns.empty()) any_unqualified_ = true;
    if (e.type) {
      note(std::string(kXsiNamespace));
      note(e.type->ns);
      if (e.type->ns.empty()) any_unqualified_ = true;
    }
    for (const auto& a : e.attributes) {
      note(a.name.ns);
      attribute_namespaces_.insert(a.name.ns);
    }
    for (const auto& c : e.children) collect(c);
  }

  std::map<std::string, std::string> prefixes_;
  std::set<std::string> attribute_namespaces_;
  std::string default_ns_;
  bool any_unqualified_ = false;
  int unknown_ = 0;
};

class Writer {
 public:
  explicit Writer(const XmlElement& root) : plan_(root) {}

  std::string run(const XmlElement& root) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    write(out, root, true, 0);
    return out;
  }

 private:
  void write(std::string& out, const XmlElement& e, bool root, int depth) {
    std::string name = plan_.qualified(e.name);
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    out += '<' + name;
    if (root) {
      if (!plan_.default_namespace().empty()) {
        out += " xmlns=\"";
        escape(out, plan_.default_namespace(), true);
        out += '"';
      }
      for (const auto& [ns, prefix] : plan_.prefixes()) {
        if (ns == kXmlNamespace) continue;  // bound without a declaration
        out += " xmlns:" + prefix + "=\"";
        escape(out, ns, true);
        out += '"';
      }
    }
    if (e.type) {
      out += " xsi:type=\"";
      escape(out, plan_.qualified(*e.type), true);
      out += '"';
    }
    for (const auto& a : e.attributes) {
      out +=
          ' ' + (a.name.ns.empty() ? a.name.local : plan_.prefix(a.name.ns) + ":" + a.name.local);
      out += "=\"";
      escape(out, a.value, true);
      out += '"';
    }
    if (e.children.empty() && e.text.empty()) {
      out += "/>\n";
      return;
    }
    out += '>';
    if (e.children.empty()) {
      escape(out, e.text, false);
    } else {
      out += '\n';
      if (!e.text.empty()) escape(out, e.text, false);
      for (const auto& c : e.children) write(out, c, false, depth + 1);
      out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
    out += "</" + name + ">\n";
  }

  PrefixPlan plan_;
};

// libxml2's document for a tree, made node by node with the prefixes
// write_xml would use; text and attribute values go in as they are, since
// the tree API does no entity decoding.
class LibxmlBuilder {
 public:
  explicit LibxmlBuilder(const XmlElement& root) : plan_(root) {}

  LibxmlDocumentPtr run(const XmlElement& root) {
    LibxmlDocumentPtr doc(xmlNewDoc(BAD_CAST "1.0"));
    if (!doc) return doc;
    xmlNode* top = xmlNewDocNode(doc.get(), nullptr, text(root.name.local), nullptr);
    if (top == nullptr) return nullptr;
    xmlDocSetRootElement(doc.get(), top);
    if (!plan_.default_namespace().empty()) {
      default_ = xmlNewNs(top, text(plan_.default_namespace()), nullptr);
    }
    for (const auto& [ns, prefix] : plan_.prefixes()) {
      namespaces_[ns] = ns == kXmlNamespace ? xmlSearchNsByHref(doc.get(), top, XML_XML_NAMESPACE)
                                            : xmlNewNs(top, text(ns), text(prefix));
    }
    if (!fill(doc.get(), top, root)) return nullptr;
    return doc;
  }

 private:
  static const xmlChar* text(const std::string& s) {
    return reinterpret_cast<const xmlChar*>(s.c_str());
  }

  xmlNs* ns_of(const std::string& ns) const {
    if (ns.empty()) return nullptr;
    if (ns == plan_.default_namespace()) return default_;
    return namespaces_.at(ns);
  }

  bool fill(xmlDoc* doc, xmlNode* node, const XmlElement& e) {
    xmlSetNs(node, ns_of(e.name.ns));
    if (e.type) {
      std::string value = plan_.qualified(*e.type);
      if (xmlNewNsProp(node, namespaces_.at(std::string(kXsiNamespace)), BAD_CAST "type",
                       text(value)) == nullptr)
        return false;
    }
    for (const auto& a : e.attributes) {
      xmlNs* ns = a.name.ns.empty() ? nullptr : namespaces_.at(a.name.ns);
      if (xmlNewNsProp(node, ns, text(a.name.local), text(a.value)) == nullptr) return false;
    }
    if (!e.text.empty()) {
      xmlNode* t = xmlNewDocTextLen(doc, text(e.text), static_cast<int>(e.text.size()));
      if (t == nullptr || xmlAddChild(node, t) == nullptr) return false;
    }
    for (const auto& c : e.children) {
      xmlNode* child = xmlNewDocNode(doc, nullptr, text(c.name.local), nullptr);
      if (child == nullptr || xmlAddChild(node, child) == nullptr) return false;
      if (!fill(doc, child, c)) return false;
    }
    return true;
  }

  PrefixPlan plan_;
  xmlNs* default_ = nullptr;
  std::map<std::string, xmlNs*> namespaces_;
};

std::string name_text(const QName& n) { return n.ns.empty() ? n.local : clark_name(n); }

bool attributes_equal(std::vector<XmlAttribute> a, std::vector<XmlAttribute> b) {
  auto order = [](const XmlAttribute& x, const XmlAttribute& y) {
    return std::tie(x.name.ns, x.name.local, x.value) < std::tie(y.name.ns, y.name.local, y.value);
  };
  std::sort(a.begin(), a.end(), order);
  std::sort(b.begin(), b.end(), order);
  return a == b;
}

bool equivalent_at(const XmlElement& a, const XmlElement& b, const std::string& path,
                   std::string* where) {
  auto differ = [&](const std::string& what) {
    if (where != nullptr) *where = path + ": " + what;
    return false;
  };
  if (a.name != b.name) return differ(name_text(a.name) + " against " + name_text(b.name));
  if (a.type != b.type) {
    return differ("xsi:type " + (a.type ? clark_name(*a.type) : "none") + " against " +
                  (b.type ? clark_name(*b.type) : "none"));
  }
  if (!attributes_equal(a.attributes, b.attributes)) return differ("the attributes differ");
  if (trim(a.text) != trim(b.text)) {
    return differ("text \"" + std::string(trim(a.text)) + "\" against \"" +
                  std::string(trim(b.text)) + "\"");
  }
  if (a.children.size() != b.children.size()) {
    return differ(std::to_string(a.children.size()) + " children against " +
                  std::to_string(b.children.size()));
  }
  for (std::size_t i = 0; i < a.children.size(); ++i) {
    std::string child = path + "/" + a.children[i].name.local + "[" + std::to_string(i) + "]";
    if (!equivalent_at(a.children[i], b.children[i], child, where)) return false;
  }
  return true;
}

}  // namespace

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(registered_only);
  });
}

void register_xml_resource(const std::string& url, std::string text) {
  init_libxml();
  std::lock_guard lock(resources_mu);
  resources().emplace(url, std::move(text));
}

std::string XmlElement::value() const { return std::string(trim(text)); }

std::string value_of(const XmlElement* e) { return e == nullptr ? std::string() : e->value(); }

XmlElement make_element(QName name, std::string text) {
  XmlElement e;
  e.name = std::move(name);
  e.text = std::move(text);
  return e;
}

XmlElement make_element(QName name, std::vector<XmlElement> children) {
  XmlElement e;
  e.name = std::move(name);
  e.children = std::move(children);
  return e;
}

const XmlElement* XmlElement::child(std::string_view ns, std::string_view local) const {
  for (const auto& c : children) {
    if (c.name.ns == ns && c.name.local == local) return &c;
  }
  return nullptr;
}

std::vector<const XmlElement*> XmlElement::children_named(std::string_view ns,
                                                          std::string_view local) const {
  std::vector<const XmlElement*> out;
  for (const auto& c : children) {
    if (c.name.ns == ns && c.name.local == local) out.push_back(&c);
  }
  return out;
}

std::string clark_name(const QName& name) { return "{" + name.ns + "}" + name.local; }

Result<XmlElement> parse_xml(std::string_view bytes, const XmlLimits& limits) {
  return parse_xml(bytes, limits, {});
}

Result<XmlElement> parse_xml(std::string_view bytes, const XmlLimits& limits,
                             const std::function<void(LibxmlDocument&)>& inspect) {
  if (bytes.size() > limits.max_bytes) {
    return Error::invalid("size", "the message is " + std::to_string(bytes.size()) +
                                      " bytes; at most " + std::to_string(limits.max_bytes) +
                                      " are accepted");
  }
  // Refused before libxml2 reads a byte of it: a DTD is the door to entity
  // expansion and external entities, and no TS 103 120 message has one.
  if (bytes.find("<!DOCTYPE") != std::string_view::npos ||
      bytes.find("<!ENTITY") != std::string_view::npos) {
    return Error::invalid("dtd", "document type declarations are not accepted");
  }
  init_libxml();
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Error::internal("libxml2 could not make a parser");
  const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                      XML_PARSE_NOWARNING | XML_PARSE_NSCLEAN;
  std::unique_ptr<xmlDoc, DocFree> doc(xmlCtxtReadMemory(
      ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options));
  if (!doc || ctxt->wellFormed == 0 || ctxt->nsWellFormed == 0) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string message = e != nullptr && e->message != nullptr ? e->message : "not well-formed";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    std::string line = e != nullptr && e->line > 0 ? "line " + std::to_string(e->line) + ": " : "";
    return Error::invalid("xml", "not well-formed XML: " + line + message);
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return Error::invalid("dtd", "document type declarations are not accepted");
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return Error::invalid("xml", "the document has no root element");
  if (inspect) inspect(*doc);
  return Converter(doc.get(), limits).element(root, 1);
}

std::string write_xml(const XmlElement& root) { return Writer(root).run(root); }

void LibxmlDocumentFree::operator()(LibxmlDocument* doc) const { xmlFreeDoc(doc); }

LibxmlDocumentPtr to_libxml(const XmlElement& root) {
  init_libxml();
  return LibxmlBuilder(root).run(root);
}

bool equivalent(const XmlElement& a, const XmlElement& b, std::string* where) {
  return equivalent_at(a, b, "/" + a.name.local, where);
}

}  // namespace liaison::etsi
