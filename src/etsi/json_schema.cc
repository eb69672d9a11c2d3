#include "etsi/json_schema.h"

#include <fstream>
#include <sstream>

namespace liaison::etsi {

namespace {

using nlohmann::json;

constexpr int kMaxDepth = 24;  // the schemas nest a few levels; more is a cycle

}  // namespace

std::string schema_id_of(const std::string& ns) {
  // "http://uri.etsi.org/03120/common/2020/09/Task" -> "ts_103120_Task_2020_09"
  const std::string prefix = "http://uri.etsi.org/";
  if (ns.rfind(prefix, 0) != 0) return "";
  std::vector<std::string> parts;
  std::stringstream in(ns.substr(prefix.size()));
  for (std::string p; std::getline(in, p, '/');) parts.push_back(p);
  if (parts.size() == 5 && parts[1] == "common") {
    return "ts_1" + parts[0] + "_" + parts[4] + "_" + parts[2] + "_" + parts[3];
  }
  if (parts.size() == 4 && parts[1] == "common") {
    return "ts_1" + parts[0] + "_" + parts[2] + "_" + parts[3];
  }
  return "";
}

Result<JsonSchemas> JsonSchemas::from_texts(const std::vector<std::string>& texts) {
  JsonSchemas out;
  for (const auto& text : texts) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("$id") || !j["$id"].is_string()) {
      return Error::invalid("schema", "is not a JSON schema with an $id");
    }
    std::string id = j["$id"].get<std::string>();
    out.by_id_.emplace(std::move(id), std::move(j));
  }
  if (out.by_id_.count("ts_103120_Core_2019_10") == 0) {
    return Error::invalid("schema", "the Core schema (ts_103120_Core_2019_10) is missing");
  }
  return out;
}

Result<JsonSchemas> JsonSchemas::load(const std::filesystem::path& dir) {
  std::vector<std::string> texts;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() < 12 || name.substr(name.size() - 12) != ".schema.json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
  }
  if (ec) return Error::invalid("schema", dir.string() + ": " + ec.message());
  auto out = from_texts(texts);
  if (!out.ok()) {
    Error e = out.error();
    e.message = dir.string() + ": " + e.message;
    return e;
  }
  return out;
}

JsonSchemas::Node JsonSchemas::message() const {
  const json& core = by_id_.at("ts_103120_Core_2019_10");
  return {&core["$defs"]["HI1Message"], "ts_103120_Core_2019_10"};
}

JsonSchemas::Node JsonSchemas::type(const QName& type) const {
  auto it = by_id_.find(schema_id_of(type.ns));
  if (it == by_id_.end()) return {};
  auto defs = it->second.find("$defs");
  if (defs == it->second.end() || !defs->contains(type.local)) return {};
  return {&(*defs)[type.local], it->first};
}

JsonSchemas::Node JsonSchemas::resolve(Node node, int depth) const {
  while (node.schema != nullptr && node.schema->is_object() && depth++ < kMaxDepth) {
    auto ref = node.schema->find("$ref");
    if (ref == node.schema->end() || !ref->is_string()) return node;
    std::string target = ref->get<std::string>();
    auto hash = target.find('#');
    std::string id = hash == 0 ? node.base : target.substr(0, hash);
    std::string pointer = hash == std::string::npos ? "" : target.substr(hash + 1);
    auto doc = by_id_.find(id);
    if (doc == by_id_.end()) return {};
    const json* at = &doc->second;
    // Only "/$defs/Name" pointers occur in these schemas.
    const std::string defs = "/$defs/";
    if (pointer.rfind(defs, 0) == 0) {
      auto d = at->find("$defs");
      if (d == at->end() || !d->contains(pointer.substr(defs.size()))) return {};
      at = &(*d)[pointer.substr(defs.size())];
    } else if (!pointer.empty()) {
      return {};
    }
    node = {at, id};
  }
  return depth >= kMaxDepth ? Node{} : node;
}

const json* JsonSchemas::find_property(const Node& start, const std::string& key, Node& holder,
                                       int depth) const {
  if (depth > kMaxDepth) return nullptr;
  Node node = resolve(start);
  if (node.schema == nullptr || !node.schema->is_object()) return nullptr;
  auto props = node.schema->find("properties");
  if (props != node.schema->end() && props->is_object()) {
    auto p = props->find(key);
    if (p != props->end()) {
      holder = node;
      return &*p;
    }
  }
  for (const char* combinator : {"allOf", "oneOf", "anyOf"}) {
    auto list = node.schema->find(combinator);
    if (list == node.schema->end() || !list->is_array()) continue;
    for (const auto& member : *list) {
      if (const json* found = find_property({&member, node.base}, key, holder, depth + 1)) {
        return found;
      }
    }
  }
  return nullptr;
}

std::optional<JsonSchemas::Property> JsonSchemas::property(const Node& node,
                                                           const std::string& key) const {
  Node holder;
  const json* p = find_property(node, key, holder, 0);
  if (p == nullptr) return std::nullopt;
  Node value = resolve({p, holder.base});
  Property out;
  if (value.schema != nullptr && value.schema->value("type", "") == "array") {
    out.array = true;
    auto items = value.schema->find("items");
    out.item = items == value.schema->end() ? Node{} : resolve({&*items, value.base});
  } else {
    out.item = value;
  }
  return out;
}

JsonKind JsonSchemas::kind(const Node& node) const { return kind_at(node, 0); }

JsonKind JsonSchemas::kind_at(const Node& start, int depth) const {
  if (depth > kMaxDepth) return JsonKind::kUnknown;
  Node node = resolve(start);
  if (node.schema == nullptr || !node.schema->is_object()) return JsonKind::kUnknown;
  std::string type = node.schema->value("type", "");
  if (type == "string") return JsonKind::kString;
  if (type == "integer") return JsonKind::kInteger;
  if (type == "number") return JsonKind::kNumber;
  if (type == "boolean") return JsonKind::kBoolean;
  if (type == "object" || node.schema->contains("properties")) return JsonKind::kObject;
  // A choice of types: what its members agree on.
  for (const char* combinator : {"allOf", "oneOf", "anyOf"}) {
    auto list = node.schema->find(combinator);
    if (list == node.schema->end() || !list->is_array() || list->empty()) continue;
    JsonKind first = kind_at({&(*list)[0], node.base}, depth + 1);
    if (first != JsonKind::kUnknown) return first;
  }
  return JsonKind::kUnknown;
}

}  // namespace liaison::etsi
