#include "etsi/json_tree.h"

#include <libxml/tree.h>
#include <libxml/uri.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

namespace liaison::etsi {

namespace {

// Prefix declarations in scope: "" is the default namespace.
using Scope = std::map<std::string, std::string, std::less<>>;

// An XML name without a colon (an NCName): what a key must be to become an
// element. libxml2 decides, so that what is read here is what XML accepts,
// characters beyond ASCII included.
bool xml_name(std::string_view s) {
  if (s.empty() || s.find('\0') != std::string_view::npos) return false;
  std::string copy(s);
  return xmlValidateNCName(reinterpret_cast<const xmlChar*>(copy.c_str()), 0) == 0;
}

// XML 1.0 carries no control characters but tab, newline and carriage return.
bool xml_text(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
  });
}

// Where a value is in the message, kept as the chain of keys and indexes that
// leads to it and written out only when something there is wrong
// ("Payload/RequestPayload/ActionRequests/ActionRequest/0/GET").
struct JsonPath {
  const JsonPath* up = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  JsonPath at(std::string_view k) const { return {this, k, 0, false}; }
  JsonPath item(std::size_t i) const { return {this, {}, i, true}; }

  std::string text() const {
    std::string out = up == nullptr ? std::string() : up->text();
    std::string step = is_index ? std::to_string(index) : std::string(key);
    if (up == nullptr && !is_index && key.empty()) return out;
    if (!out.empty()) out += '/';
    return out + step;
  }
};

// A namespace name XML accepts: an absolute URI, as libxml2 reads them, with
// nothing XML would have to write as a reference (libxml2 reads a reference
// in a namespace declaration back as the reference, not the character).
bool namespace_uri(std::string_view s) {
  if (s.find_first_of(std::string_view("&<>\"'\0", 6)) != std::string_view::npos) return false;
  if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; }))
    return false;
  std::string copy(s);
  xmlURIPtr uri = xmlParseURI(copy.c_str());
  bool ok = uri != nullptr && uri->scheme != nullptr;
  if (uri != nullptr) xmlFreeURI(uri);
  return ok;
}

bool embeds_json(const QName& name) {
  return name.ns == kDeliveryNamespace && (name.local == "JSONData" || name.local == "JSONSchema");
}

bool declares_namespace(std::string_view key) {
  return key == "@xmlns" || key.substr(0, 7) == "@xmlns:";
}

class Reader {
 public:
  explicit Reader(const JsonLimits& limits) : limits_(limits) {}

  Result<XmlElement> element(QName name, simdjson::dom::element value, const Scope& outer,
                             const JsonPath& path, int depth) {
    if (depth > limits_.max_depth) {
      return Error::invalid(
          path.text(), "is nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    if (++elements_ > limits_.max_elements) {
      return Error::invalid(path.text(), "the message has more than " +
                                             std::to_string(limits_.max_elements) + " elements");
    }
    XmlElement out;
    out.name = std::move(name);
    if (embeds_json(out.name)) {
      out.text = simdjson::minify(value);
      return out;
    }
    using simdjson::dom::element_type;
    switch (value.type()) {
      case element_type::STRING:
        out.text = std::string(value.get_string().value_unsafe());
        if (!xml_text(out.text)) {
          return Error::invalid(path.text(), "contains a control character XML cannot carry");
        }
        return out;
      case element_type::BOOL:
        out.text = value.get_bool().value_unsafe() ? "true" : "false";
        return out;
      case element_type::INT64:
        out.text = std::to_string(value.get_int64().value_unsafe());
        return out;
      case element_type::UINT64:
        out.text = std::to_string(value.get_uint64().value_unsafe());
        return out;
      case element_type::DOUBLE:
        // As JSON writes it back: the shortest text that reads as the same number.
        out.text = nlohmann::json(value.get_double().value_unsafe()).dump();
        return out;
      case element_type::OBJECT:
        break;
      default:
        return Error::invalid(path.text(), "must be an object, a string, a number or a boolean");
    }
    simdjson::dom::object object = value.get_object().value_unsafe();
    // Keys in order, each once: the order of elements is part of the message,
    // and a key given twice would say two things about one element.
    std::vector<std::string_view> seen;
    std::optional<Scope> own;
    for (auto field : object) {
      if (std::find(seen.begin(), seen.end(), field.key) != seen.end()) {
        return Error::invalid(path.at(field.key).text(), "the key appears twice in one object");
      }
      seen.push_back(field.key);
      if (!declares_namespace(field.key)) continue;
      std::string_view uri;
      if (field.value.get_string().get(uri) != simdjson::SUCCESS ||
          ((field.key != "@xmlns" || !uri.empty()) && !namespace_uri(uri))) {
        return Error::invalid(path.at(field.key).text(), "must be a namespace URI");
      }
      // As in XML: the xml prefix is bound once and for all, and neither it,
      // xmlns, nor their namespaces may be declared.
      if (field.key == "@xmlns:xml" || field.key == "@xmlns:xmlns" || uri == kXmlNamespace ||
          uri == kXmlnsNamespace) {
        return Error::invalid(path.at(field.key).text(),
                              "declares a reserved prefix or namespace (xml, xmlns)");
      }
      if (!own) own = outer;
      (*own)[std::string(field.key == "@xmlns" ? std::string_view() : field.key.substr(7))] =
          std::string(uri);
    }
    const Scope& scope = own ? *own : outer;
    for (auto field : object) {
      std::string_view key = field.key;
      if (declares_namespace(key)) continue;
      JsonPath at = path.at(key);
      if (key.empty()) return Error::invalid(at.text(), "an empty key names nothing");
      if (key[0] == '@') {
        std::string_view attribute_value;
        if (field.value.get_string().get(attribute_value) != simdjson::SUCCESS) {
          return Error::invalid(at.text(), "an attribute must be a string");
        }
        if (!xml_text(attribute_value)) {
          return Error::invalid(at.text(), "contains a control character XML cannot carry");
        }
        LIAISON_ASSIGN_OR_RETURN(QName attr, resolve(key.substr(1), scope, at, true));
        if (attr.ns == kXsiNamespace && attr.local == "type") {
          LIAISON_ASSIGN_OR_RETURN(QName type, type_name(attribute_value, scope, at));
          out.type = std::move(type);
        } else {
          out.attributes.push_back({std::move(attr), std::string(attribute_value)});
        }
        continue;
      }
      LIAISON_ASSIGN_OR_RETURN(QName child, resolve(key, scope, at, false));
      simdjson::dom::array items;
      if (field.value.get_array().get(items) == simdjson::SUCCESS) {
        if (items.begin() == items.end())
          return Error::invalid(at.text(), "an empty array stands for no element; leave it out");
        std::size_t i = 0;
        for (simdjson::dom::element item : items) {
          JsonPath item_at = at.item(i++);
          if (item.is_array()) return Error::invalid(item_at.text(), "arrays do not nest");
          LIAISON_ASSIGN_OR_RETURN(XmlElement c, element(child, item, scope, item_at, depth + 1));
          out.children.push_back(std::move(c));
        }
      } else {
        LIAISON_ASSIGN_OR_RETURN(XmlElement c, element(child, field.value, scope, at, depth + 1));
        out.children.push_back(std::move(c));
      }
    }
    return out;
  }

 private:
  // "task:Reference" through the declarations in scope, then the standard's
  // own prefixes. An attribute without a prefix is in no namespace; an
  // element without one is in the default namespace.
  static Result<QName> resolve(std::string_view qualified, const Scope& scope, const JsonPath& at,
                               bool attribute) {
    auto colon = qualified.find(':');
    std::string_view prefix = colon == std::string_view::npos ? "" : qualified.substr(0, colon);
    std::string_view local =
        colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
    if (!xml_name(local) || (!prefix.empty() && !xml_name(prefix))) {
      return Error::invalid(at.text(), "\"" + std::string(qualified) + "\" is not an XML name");
    }
    if (prefix.empty() && attribute) return QName{"", std::string(local)};
    if (auto it = scope.find(prefix); it != scope.end()) {
      return QName{it->second, std::string(local)};
    }
    if (const std::string* ns = standard_namespace(prefix)) return QName{*ns, std::string(local)};
    return Error::invalid(at.text(),
                          "uses the prefix \"" + std::string(prefix) + "\", which is not declared");
  }

  static Result<QName> type_name(std::string_view value, const Scope& scope, const JsonPath& at) {
    if (!value.empty() && value[0] == '{') {
      auto close = value.find('}');
      if (close == std::string_view::npos || close + 1 == value.size()) {
        return Error::invalid(at.text(), "must be a type name such as {namespace}LDTaskObject");
      }
      std::string_view ns = value.substr(1, close - 1);
      if (!namespace_uri(ns)) {
        return Error::invalid(
            at.text(), "names a type in \"" + std::string(ns) + "\", which is not a namespace URI");
      }
      std::string_view local = value.substr(close + 1);
      if (!xml_name(local)) {
        return Error::invalid(at.text(), "\"" + std::string(local) + "\" is not an XML name");
      }
      return QName{std::string(ns), std::string(local)};
    }
    return resolve(value, scope, at, false);
  }

  const JsonLimits& limits_;
  std::size_t elements_ = 0;
};

}  // namespace

Result<XmlElement> tree_from_json(std::string_view text, const JsonLimits& limits) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root); error != simdjson::SUCCESS) {
    if (error == simdjson::DEPTH_ERROR) {
      return Error::invalid("depth", "the JSON is nested deeper than " +
                                         std::to_string(simdjson::DEFAULT_MAX_DEPTH) + " levels");
    }
    return Error::invalid("json", std::string("is not JSON: ") + simdjson::error_message(error));
  }
  if (!root.is_object()) return Error::invalid("", "an HI-1 message is a JSON object");
  Scope scope;
  return Reader(limits).element(QName{std::string(kCoreNamespace), "HI1Message"}, root, scope,
                                JsonPath{}, 1);
}

}  // namespace liaison::etsi

namespace liaison::etsi {

namespace {

class JsonWriter {
 public:
  explicit JsonWriter(const JsonSchemas& schemas) : schemas_(schemas) {}

  nlohmann::ordered_json run(const XmlElement& root) {
    nlohmann::ordered_json body = object(root, schemas_.message());
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["@xmlns"] = std::string(kCoreNamespace);
    for (const auto& [ns, prefix] : declared_) {
      if (ns != kXmlNamespace) out["@xmlns:" + prefix] = ns;  // "xml" is bound undeclared
    }
    for (auto& [key, value] : body.items()) out[key] = std::move(value);
    return out;
  }

 private:
  std::string prefix_for(const std::string& ns) {
    if (ns == kCoreNamespace) return "";
    if (auto it = declared_.find(ns); it != declared_.end()) return it->second;
    const std::string* known = standard_prefix(ns);
    std::string prefix = known != nullptr ? *known : "ns" + std::to_string(++unknown_);
    declared_.emplace(ns, prefix);
    return prefix;
  }

  std::string key_of(const QName& name) {
    if (name.ns.empty()) return name.local;
    std::string prefix = prefix_for(name.ns);
    return prefix.empty() ? name.local : prefix + ":" + name.local;
  }

  nlohmann::ordered_json scalar(const std::string& text, JsonKind kind) {
    if (kind == JsonKind::kBoolean && (text == "true" || text == "false")) return text == "true";
    if (kind == JsonKind::kInteger || kind == JsonKind::kNumber) {
      auto n = nlohmann::ordered_json::parse(text, nullptr, false);
      if (!n.is_discarded() && n.is_number() &&
          (kind == JsonKind::kNumber || !n.is_number_float()) && n.dump() == text) {
        return n;
      }
    }
    return text;
  }

  nlohmann::ordered_json value(const XmlElement& e, const JsonSchemas::Node& node) {
    if (embeds_json(e.name)) {
      auto embedded = nlohmann::ordered_json::parse(e.text, nullptr, false);
      if (!embedded.is_discarded()) return embedded;
      return e.text;
    }
    JsonKind kind = schemas_.kind(node);
    bool leaf = e.children.empty() && e.attributes.empty() && !e.type;
    if (leaf && kind != JsonKind::kObject) return scalar(e.text, kind);
    return object(e, node);
  }

  nlohmann::ordered_json object(const XmlElement& e, JsonSchemas::Node node) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (e.type) {
      out["@" + key_of({std::string(kXsiNamespace), "type"})] = clark_name(*e.type);
      JsonSchemas::Node typed = schemas_.type(*e.type);
      if (typed.schema != nullptr) node = typed;
    }
    for (const auto& a : e.attributes) out["@" + key_of(a.name)] = a.value;
    // Siblings of one name are one key: an array where the schema says so
    // or where the element repeats.
    std::map<std::string, int> count;
    for (const auto& c : e.children) ++count[key_of(c.name)];
    for (const auto& c : e.children) {
      std::string key = key_of(c.name);
      auto property = schemas_.property(node, key);
      JsonSchemas::Node item = property ? property->item : JsonSchemas::Node{};
      nlohmann::ordered_json v = value(c, item);
      bool array = (property && property->array) || count[key] > 1;
      if (!array) {
        out[key] = std::move(v);
      } else {
        if (!out.contains(key)) out[key] = nlohmann::ordered_json::array();
        out[key].push_back(std::move(v));
      }
    }
    return out;
  }

  const JsonSchemas& schemas_;
  std::map<std::string, std::string> declared_;
  int unknown_ = 0;
};

}  // namespace

nlohmann::ordered_json json_from_tree(const XmlElement& message, const JsonSchemas& schemas) {
  return JsonWriter(schemas).run(message);
}

}  // namespace liaison::etsi
