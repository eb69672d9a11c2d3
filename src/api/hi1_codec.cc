#include "api/hi1_codec.h"

#include <strings.h>

#include "etsi/json_tree.h"

namespace liaison::api {

namespace {

bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && equals_ci(s.substr(s.size() - suffix.size()), suffix);
}

etsi::Hi1Error refusal_of(const Error& e) {
  std::string field = e.issues.empty() ? "" : e.issues.front().field;
  std::string reason = e.issues.empty() ? e.message : e.issues.front().reason;
  bool too_large = field == "size" || field == "elements" || field == "depth";
  return {too_large ? etsi::Hi1ErrorCode::kMessageTooLarge : etsi::Hi1ErrorCode::kValidationError,
          "the message cannot be read: " + (field.empty() ? reason : field + ": " + reason)};
}

}  // namespace

std::optional<Hi1Encoding> hi1_encoding_of(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (equals_ci(type, "application/xml") || equals_ci(type, "text/xml") ||
      ends_with_ci(type, "+xml"))
    return Hi1Encoding::kXml;
  if (equals_ci(type, "application/json") || ends_with_ci(type, "+json")) return Hi1Encoding::kJson;
  return std::nullopt;
}

const char* hi1_content_type(Hi1Encoding encoding) {
  return encoding == Hi1Encoding::kXml ? "application/xml" : "application/json";
}

namespace {

// XML is validated, and its signature checked, while libxml2's document is
// at hand, into `valid` and `signed_ok`.
Hi1Reading read_document(std::string_view body, Hi1Encoding encoding, const etsi::XsdValidator* xsd,
                         const etsi::XmlSignaturePolicy* signatures, std::optional<Status>& valid,
                         std::optional<etsi::Hi1Error>& unsigned_refusal);

}  // namespace

Hi1Reading read_hi1(std::string_view body, Hi1Encoding encoding, const etsi::XsdValidator* xsd,
                    const etsi::XmlSignaturePolicy* signatures) {
  std::optional<Status> valid;
  std::optional<etsi::Hi1Error> signature_refusal;
  Hi1Reading out = read_document(body, encoding, xsd, signatures, valid, signature_refusal);
  if (out.message && signatures != nullptr && encoding == Hi1Encoding::kJson) {
    signature_refusal = signatures->check_unsigned();
  }
  if (!out.message || xsd == nullptr) {
    if (out.message && signature_refusal) out.error = signature_refusal;
    return out;
  }
  // JSON is validated as the XML it stands for.
  if (!valid) valid = xsd->validate(*out.message);
  if (!valid->ok()) {
    const Error& e = valid->error();
    out.error = etsi::Hi1Error{etsi::Hi1ErrorCode::kValidationError,
                               e.issues.empty() ? e.message : e.issues.front().reason};
  } else if (signature_refusal) {
    out.error = signature_refusal;
  }
  return out;
}

namespace {

Hi1Reading read_document(std::string_view body, Hi1Encoding encoding, const etsi::XsdValidator* xsd,
                         const etsi::XmlSignaturePolicy* signatures, std::optional<Status>& valid,
                         std::optional<etsi::Hi1Error>& signature_refusal) {
  Hi1Reading out;
  if (body.size() > kMaxHi1MessageBytes) {
    out.error = etsi::Hi1Error{etsi::Hi1ErrorCode::kMessageTooLarge,
                               "the message is larger than this hub takes (8 MiB)"};
    return out;
  }
  if (encoding == Hi1Encoding::kXml) {
    auto tree = etsi::parse_xml(body, {}, [&](etsi::LibxmlDocument& doc) {
      if (xsd != nullptr) valid = xsd->validate(doc);
      if (signatures != nullptr) signature_refusal = signatures->check(doc);
    });
    if (!tree.ok()) {
      out.error = refusal_of(tree.error());
    } else {
      out.message = std::move(tree).value();
    }
    return out;
  }
  auto tree = etsi::tree_from_json(body);
  if (!tree.ok()) {
    out.error = refusal_of(tree.error());
  } else {
    out.message = std::move(tree).value();
  }
  return out;
}

}  // namespace

std::string write_hi1(const etsi::XmlElement& message, Hi1Encoding encoding,
                      const etsi::JsonSchemas& schemas) {
  if (encoding == Hi1Encoding::kXml) return etsi::write_xml(message);
  return etsi::json_from_tree(message, schemas).dump(2);
}

}  // namespace liaison::api
