// An HI-1 message in the JSON encoding as arbitrary bytes: reading it must
// never crash or hang, and whatever it accepts must be a tree that XML can
// carry: written as XML, it reads back as the same tree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "etsi/json_tree.h"
#include "etsi/xml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto tree =
      liaison::etsi::tree_from_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!tree.ok()) return 0;
  auto again = liaison::etsi::parse_xml(liaison::etsi::write_xml(*tree));
  if (!again.ok() || !liaison::etsi::equivalent(*tree, *again)) std::abort();
  return 0;
}
