// The X.509 certificates a hub trusts for each HI-1 endpoint: whose XML
// signature it takes as that sender's (xml_signature.h), and whose TLS client
// certificate it takes as that endpoint's system (mutual TLS on POST /hi1).
//
// Read from a folder with one PEM file per endpoint, COUNTRY-ENDPOINT_ID.pem
// (NL-NPCU.pem), holding the leaf certificates or the issuing ones trusted
// for it. A certificate is trusted for an endpoint when it is one of them or
// is issued by one, and is valid now; the machine's own CAs never count.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct x509_st;        // OpenSSL's X509
struct x509_store_st;  // OpenSSL's X509_STORE

namespace liaison::etsi {

class EndpointCertificates {
 public:
  // Errors name the folder or the file, and why.
  static Result<EndpointCertificates> load(const std::string& dir);
  // From PEM texts in hand, by endpoint ("CC/UID").
  static EndpointCertificates of(
      const std::map<std::string, std::vector<std::string>>& pems_by_endpoint);

  bool knows(const std::string& endpoint) const { return trusted_.count(endpoint) > 0; }
  // Whether `leaf` is trusted for `endpoint` ("CC/UID").
  bool trusts(const std::string& endpoint, x509_st* leaf) const;
  // The endpoints ("CC/UID") a DER certificate is trusted for; none for
  // bytes that are no certificate.
  std::vector<std::string> endpoints_trusting(std::string_view der) const;

 private:
  // "CC/UID" -> a store of its certificates, built once: every check of a
  // message or a connection verifies against it. Copies share the stores,
  // which OpenSSL lets threads verify against at once.
  std::map<std::string, std::shared_ptr<x509_store_st>> trusted_;
};

}  // namespace liaison::etsi
