// The two encodings of an HI-1 message over HTTP: XML, and the JSON encoding
// of the same model, chosen by the Content-Type the sender declares. A
// response goes back in the encoding its request came in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "etsi/json_schema.h"
#include "etsi/message.h"
#include "etsi/xml_signature.h"
#include "etsi/xml_tree.h"
#include "etsi/xsd.h"

namespace liaison::api {

enum class Hi1Encoding { kXml, kJson };

// application/xml, text/xml and any +xml type are XML; application/json and
// any +json type are JSON; anything else is none.
std::optional<Hi1Encoding> hi1_encoding_of(std::string_view content_type);
const char* hi1_content_type(Hi1Encoding encoding);

// The largest message taken: 8 MiB, a warrant's scan included.
inline constexpr std::size_t kMaxHi1MessageBytes = std::size_t{8} * 1024 * 1024;

// Reads one message, or the Annex D error that rejects it: ValidationError
// for a body that is not a well-formed document, MessageTooLarge past the
// bounds. With `xsd`, a message that reads but does not validate against
// ETSI's schemas (a JSON one as the XML it stands for) comes back with its
// ValidationError beside it, so that its answer can still echo its header.
struct Hi1Reading {
  std::optional<etsi::XmlElement> message;
  std::optional<etsi::Hi1Error> error;
};
// With `signatures`, a message that validates is then held to the hub's
// XML-signature policy (etsi/xml_signature.h), its refusal returned the
// same way.
Hi1Reading read_hi1(std::string_view body, Hi1Encoding encoding,
                    const etsi::XsdValidator* xsd = nullptr,
                    const etsi::XmlSignaturePolicy* signatures = nullptr);

std::string write_hi1(const etsi::XmlElement& message, Hi1Encoding encoding,
                      const etsi::JsonSchemas& schemas);

}  // namespace liaison::api
