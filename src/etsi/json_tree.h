// The JSON encoding of TS 103 120, read into the same tree as the XML one.
//
// The standard's JSON mirrors its XML: a key is an element's qualified name
// ("task:Reference"; unprefixed for the Core namespace), an array is an
// element repeated, "@xsi:type" names a type as "{namespace}Local", other "@"
// keys are attributes, and "@xmlns…" keys declare prefixes as XML does.
// The root object is the HI1Message element itself. Reading needs no schema:
// prefixes resolve through the declarations in scope, and otherwise through
// the prefixes the standard's own schemas use. Numbers and booleans become
// the text XML would carry ("0", "true").
//
// Embedded JSON data (Delivery's JSONData and JSONSchema) is native JSON, with
// no XML form: its element keeps the compact JSON text.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"
#include "etsi/json_schema.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

struct JsonLimits {
  int max_depth = 48;
  std::size_t max_elements = 100'000;
};

// Reads the message's text (with simdjson: this is the hub's inbound path).
// Errors are kInvalidArgument naming the JSON path of what is wrong
// ("Payload/RequestPayload/ActionRequests/ActionRequest/0/GET"), or "json"
// for text that is not JSON and "depth" for JSON nested beyond what the
// parser takes. Keys are read in their order, which is the order of the
// elements, and a key given twice in one object is refused.
Result<XmlElement> tree_from_json(std::string_view text, const JsonLimits& limits = {});

// The JSON encoding of an HI1Message tree. The schemas say which elements are
// arrays and which values are numbers or booleans; where they say nothing
// (content of someone else's namespace), a repeated element is an array and
// every value a string. Every namespace used is declared on the root object
// with the standard's prefix (Core as the default), as ETSI's examples do.
nlohmann::ordered_json json_from_tree(const XmlElement& message, const JsonSchemas& schemas);

}  // namespace liaison::etsi
