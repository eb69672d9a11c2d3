// An HI-1 message as arbitrary bytes: the XML layer must never crash, hang or
// load anything from outside, and whatever it accepts must write back to a
// document it reads as the same tree.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "etsi/xml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto tree = liaison::etsi::parse_xml(bytes);
  if (!tree.ok()) return 0;
  std::string written = liaison::etsi::write_xml(*tree);
  auto again = liaison::etsi::parse_xml(written);
  if (!again.ok() || !liaison::etsi::equivalent(*tree, *again)) std::abort();
  return 0;
}
