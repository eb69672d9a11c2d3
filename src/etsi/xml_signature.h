// XML signatures on HI-1 messages (TS 103 120 §5, W3C XMLDSig), with xmlsec1:
// one enveloped ds:Signature, the last child of HI1Message, over the whole
// message (Reference URI=""), with the signer's X.509 certificate in KeyInfo.
//
// A signature authenticates the transport: which endpoint's system sent the
// message. It never replaces the signatures on a Liaison request, which the
// hub checks whatever the transport.
//
// Verification is deliberately narrow: only a Reference to the whole
// document, only the enveloped-signature and canonicalisation transforms,
// SHA-256 or stronger, RSA or ECDSA; the key only from the X.509 data in
// KeyInfo, and only a certificate this hub trusts for the message's sender.
// Nothing is ever fetched.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "etsi/endpoint_certificates.h"
#include "etsi/message.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

// A key the hub signs its outgoing messages with: PEM texts.
struct XmlSigningKey {
  std::string private_key_pem;  // RSA or EC (P-256)
  std::string certificate_pem;
};

// The signed form of `xml`, an HI1Message document.
Result<std::string> sign_xml(std::string_view xml, const XmlSigningKey& key);

// What the hub takes: which certificates it trusts for which sender, and
// whether a message must be signed.
class XmlSignaturePolicy {
 public:
  // `dir` holds one PEM file per sender (endpoint_certificates.h). Errors
  // name the file.
  static Result<XmlSignaturePolicy> load(const std::string& dir, bool required);
  // A policy from certificates already in hand.
  static XmlSignaturePolicy of(
      const std::map<std::string, std::vector<std::string>>& pems_by_endpoint, bool required);

  // The refusal of `doc`, or none: a signature that verifies with a
  // certificate trusted for the SenderIdentifier the document names, or no
  // signature where none is required. 3005 RequiredElementMissing for a
  // missing one, 3020 ValidationError for one that does not verify.
  std::optional<Hi1Error> check(LibxmlDocument& doc) const;
  // For a message in the JSON encoding, which carries no XML signature.
  std::optional<Hi1Error> check_unsigned() const;

  bool required() const { return required_; }

 private:
  EndpointCertificates trusted_;
  bool required_ = false;
};

}  // namespace liaison::etsi
