// The official JSON schemas of TS 103 120, as the JSON encoding needs them:
// which elements are arrays, which values are numbers or booleans, and what
// each xsi:type's content is. Writing JSON from the tree asks them; reading
// JSON does not need them (json_tree.h).
//
// The schemas refer to one another by $id ("ts_103120_Task_2020_09#/$defs/…")
// and build types from allOf, oneOf and anyOf; a lookup searches through all
// of these. A reference to a schema not loaded (TS 103 280's simple types)
// stands for a string.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

// What a schema says a value is.
enum class JsonKind { kString, kInteger, kNumber, kBoolean, kObject, kUnknown };

class JsonSchemas {
 public:
  // A place in one of the schemas.
  struct Node {
    const nlohmann::json* schema = nullptr;  // null: nothing is known
    std::string base;                        // the $id its relative references resolve in
  };
  // A property of an element: whether it repeats, and what each value is.
  struct Property {
    bool array = false;
    Node item;
  };

  // Every *.schema.json under `dir` (data/etsi/ts103120: the schemas and the
  // dictionaries' schema).
  static Result<JsonSchemas> load(const std::filesystem::path& dir);
  // The same from the files' texts, for tests and the fuzzer.
  static Result<JsonSchemas> from_texts(const std::vector<std::string>& texts);

  Node message() const;                // HI1Message
  Node type(const QName& type) const;  // the definition an xsi:type names, or nothing
  std::optional<Property> property(const Node& node, const std::string& key) const;
  JsonKind kind(const Node& node) const;

 private:
  Node resolve(Node node, int depth = 0) const;
  JsonKind kind_at(const Node& node, int depth) const;
  const nlohmann::json* find_property(const Node& node, const std::string& key, Node& holder,
                                      int depth) const;

  std::map<std::string, nlohmann::json> by_id_;
};

// The schema $id of a TS 103 120 namespace: ".../common/2020/09/Task" is
// "ts_103120_Task_2020_09".
std::string schema_id_of(const std::string& ns);

}  // namespace liaison::etsi
