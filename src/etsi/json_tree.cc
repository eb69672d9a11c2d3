#include "etsi/json_tree.h"

#include <libxml/uri.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace liaison::etsi {

namespace {

using json = nlohmann::ordered_json;

// Prefix declarations in scope: "" is the default namespace.
using Scope = std::map<std::string, std::string, std::less<>>;

// An XML name (without a colon): what a key must be to become an element.
bool xml_name(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
  auto rest = [&](unsigned char c) { return start(c) || std::isdigit(c) || c == '-' || c == '.'; };
  if (!start(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [&](char c) { return rest(static_cast<unsigned char>(c)); });
}

// XML 1.0 carries no control characters but tab, newline and carriage return.
bool xml_text(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
  });
}

// A JSON path one key further down.
std::string joined(const std::string& path, const std::string& key) {
  if (path.empty()) return key;
  std::string out = path;
  out += '/';
  out += key;
  return out;
}

// A namespace name XML accepts: an absolute URI, as libxml2 reads them.
bool namespace_uri(const std::string& s) {
  xmlURIPtr uri = xmlParseURI(s.c_str());
  bool ok = uri != nullptr && uri->scheme != nullptr;
  if (uri != nullptr) xmlFreeURI(uri);
  return ok && s.find('\0') == std::string::npos;
}

bool embeds_json(const QName& name) {
  return name.ns == kDeliveryNamespace && (name.local == "JSONData" || name.local == "JSONSchema");
}

class Reader {
 public:
  explicit Reader(const JsonLimits& limits) : limits_(limits) {}

  Result<XmlElement> element(QName name, const json& value, const Scope& outer,
                             const std::string& path, int depth) {
    if (depth > limits_.max_depth) {
      return Error::invalid(
          path, "is nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    if (++elements_ > limits_.max_elements) {
      return Error::invalid(
          path, "the message has more than " + std::to_string(limits_.max_elements) + " elements");
    }
    XmlElement out;
    out.name = std::move(name);
    if (embeds_json(out.name)) {
      out.text = value.dump();
      return out;
    }
    switch (value.type()) {
      case json::value_t::string:
        out.text = value.get<std::string>();
        if (!xml_text(out.text)) {
          return Error::invalid(path, "contains a control character XML cannot carry");
        }
        return out;
      case json::value_t::boolean:
        out.text = value.get<bool>() ? "true" : "false";
        return out;
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
      case json::value_t::number_float:
        out.text = value.dump();
        return out;
      case json::value_t::object:
        break;
      default:
        return Error::invalid(path, "must be an object, a string, a number or a boolean");
    }
    Scope scope = outer;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      if (key == "@xmlns" || key.rfind("@xmlns:", 0) == 0) {
        if (!it->is_string() || ((key != "@xmlns" || !it->get<std::string>().empty()) &&
                                 !namespace_uri(it->get<std::string>()))) {
          return Error::invalid(joined(path, key), "must be a namespace URI");
        }
        scope[key == "@xmlns" ? "" : key.substr(7)] = it->get<std::string>();
      }
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      std::string at = joined(path, key);
      if (key == "@xmlns" || key.rfind("@xmlns:", 0) == 0) continue;
      if (key.empty()) return Error::invalid(at, "an empty key names nothing");
      if (key[0] == '@') {
        if (!it->is_string()) return Error::invalid(at, "an attribute must be a string");
        if (!xml_text(it->get<std::string>())) {
          return Error::invalid(at, "contains a control character XML cannot carry");
        }
        LIAISON_ASSIGN_OR_RETURN(QName attr, resolve(key.substr(1), scope, at, true));
        if (attr.ns == kXsiNamespace && attr.local == "type") {
          LIAISON_ASSIGN_OR_RETURN(QName type, type_name(it->get<std::string>(), scope, at));
          out.type = std::move(type);
        } else {
          out.attributes.push_back({std::move(attr), it->get<std::string>()});
        }
        continue;
      }
      LIAISON_ASSIGN_OR_RETURN(QName child, resolve(key, scope, at, false));
      if (it->is_array()) {
        if (it->empty())
          return Error::invalid(at, "an empty array stands for no element; leave it out");
        for (std::size_t i = 0; i < it->size(); ++i) {
          if ((*it)[i].is_array())
            return Error::invalid(at + "/" + std::to_string(i), "arrays do not nest");
          LIAISON_ASSIGN_OR_RETURN(XmlElement c, element(child, (*it)[i], scope,
                                                         at + "/" + std::to_string(i), depth + 1));
          out.children.push_back(std::move(c));
        }
      } else {
        LIAISON_ASSIGN_OR_RETURN(XmlElement c, element(child, *it, scope, at, depth + 1));
        out.children.push_back(std::move(c));
      }
    }
    return out;
  }

 private:
  // "task:Reference" through the declarations in scope, then the standard's
  // own prefixes. An attribute without a prefix is in no namespace; an
  // element without one is in the default namespace.
  Result<QName> resolve(const std::string& qualified, const Scope& scope, const std::string& at,
                        bool attribute) {
    auto colon = qualified.find(':');
    std::string prefix = colon == std::string::npos ? "" : qualified.substr(0, colon);
    std::string local = colon == std::string::npos ? qualified : qualified.substr(colon + 1);
    if (!xml_name(local) || (!prefix.empty() && !xml_name(prefix))) {
      return Error::invalid(at, "\"" + qualified + "\" is not an XML name");
    }
    if (prefix.empty() && attribute) return QName{"", local};
    if (auto it = scope.find(prefix); it != scope.end()) return QName{it->second, local};
    if (const std::string* ns = standard_namespace(prefix)) return QName{*ns, local};
    return Error::invalid(at, "uses the prefix \"" + prefix + "\", which is not declared");
  }

  Result<QName> type_name(const std::string& value, const Scope& scope, const std::string& at) {
    if (!value.empty() && value[0] == '{') {
      auto close = value.find('}');
      if (close == std::string::npos || close + 1 == value.size()) {
        return Error::invalid(at, "must be a type name such as {namespace}LDTaskObject");
      }
      std::string ns = value.substr(1, close - 1);
      if (!namespace_uri(ns))
        return Error::invalid(at, "names a type in \"" + ns + "\", which is not a namespace URI");
      std::string local = value.substr(close + 1);
      if (!xml_name(local)) return Error::invalid(at, "\"" + local + "\" is not an XML name");
      return QName{std::move(ns), std::move(local)};
    }
    return resolve(value, scope, at, false);
  }

  const JsonLimits& limits_;
  std::size_t elements_ = 0;
};

}  // namespace

Result<XmlElement> tree_from_json(const nlohmann::ordered_json& message, const JsonLimits& limits) {
  if (!message.is_object()) return Error::invalid("", "an HI-1 message is a JSON object");
  Scope scope;
  return Reader(limits).element(QName{std::string(kCoreNamespace), "HI1Message"}, message, scope,
                                "", 1);
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
    for (const auto& [ns, prefix] : declared_) out["@xmlns:" + prefix] = ns;
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
