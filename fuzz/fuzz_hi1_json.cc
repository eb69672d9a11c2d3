// An HI-1 message in the JSON encoding as arbitrary bytes: reading it must
// never crash or hang, and whatever it accepts must be a tree that XML can
// carry: written as XML, it reads back as the same tree.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "etsi/json_tree.h"
#include "etsi/xml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto message = nlohmann::ordered_json::parse(data, data + size, nullptr, false);
  if (message.is_discarded()) return 0;
  auto tree = liaison::etsi::tree_from_json(message);
  if (!tree.ok()) return 0;
  auto again = liaison::etsi::parse_xml(liaison::etsi::write_xml(*tree));
  if (!again.ok() || !liaison::etsi::equivalent(*tree, *again)) std::abort();
  return 0;
}
