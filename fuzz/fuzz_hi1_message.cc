// An HI-1 request message as arbitrary XML: reading its header and actions,
// mapping its tasks, unpacking a signed-request document or one to attach,
// reading a delivery and showing an object as GET would must never crash or
// hang, whatever the objects hold.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/namespaces.h"
#include "etsi/xml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace liaison::etsi;  // NOLINT
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto tree = parse_xml(bytes);
  if (!tree.ok()) return 0;
  RequestReading reading = read_request(*tree);
  if (reading.error) return 0;
  const std::string core(kCoreNamespace);
  const XmlElement* authorisation = nullptr;
  for (const auto& action : reading.actions) {
    const XmlElement* object = action.body.child(core, "HI1Object");
    if (object == nullptr) continue;
    if (object->type && object->type->local == "AuthorisationObject") authorisation = object;
    MappingOutcome m = map_task(*object, authorisation);
    // An outcome is one or the other, never both or neither.
    if (m.mapped.has_value() == m.error.has_value()) std::abort();
    if (auto doc = signed_request_document(*object)) {
      if (doc->envelope_text.has_value() == doc->error.has_value()) std::abort();
    }
    // A document to attach is refused or has bytes and a safe file name.
    if (auto doc = attached_document(*object); doc && !doc->error) {
      const std::string& n = doc->name;
      if (doc->bytes.empty() || n.empty() || n.size() > 300 || n.front() == '.' ||
          n.find_first_of("/\\") != std::string::npos || doc->media_type.empty())
        std::abort();
    }
    // A delivery reads as a part or is refused, and a part writes back as
    // the same part.
    DeliveryReading delivery = read_delivery(*object);
    if (delivery.part.has_value() == delivery.error.has_value()) std::abort();
    if (delivery.part) {
      DeliveryReading again = read_delivery(delivery_object(*delivery.part));
      if (!again.part || again.part->data != delivery.part->data ||
          again.part->sequence != delivery.part->sequence)
        std::abort();
    }
    XmlElement held = object_as_held(
        *object, 2, "2026-12-02T10:00:00Z",
        TaskState{liaison::RequestStatus::kQuarantined, "why", "2027-01-01T00:00:00Z"});
    (void)write_xml(held);
  }
  return 0;
}
