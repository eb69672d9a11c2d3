// An HI-1 message with whatever ds:Signature it carries: checking it against
// the hub's signature policy must never crash, hang or reach outside the
// message, and never accept a signature no trusted key made.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "etsi/xml_signature.h"
#include "etsi/xml_tree.h"

namespace {

// A certificate for a key made here and thrown away: nothing the fuzzer
// writes can be signed with it, so nothing may verify.
std::string orphan_certificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("hi1.example.org"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* text = nullptr;
  long size = BIO_get_mem_data(bio, &text);
  std::string pem(text, static_cast<std::size_t>(size));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace liaison::etsi;  // NOLINT
  static const XmlSignaturePolicy kPolicy = XmlSignaturePolicy::of(
      {{"NL/NPCU", {orphan_certificate()}}, {"XX/ACTOR1", {orphan_certificate()}}}, true);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto tree = parse_xml(bytes, {}, [](LibxmlDocument& doc) {
    // Required, so an unsigned message is refused too: every outcome is a refusal.
    if (!kPolicy.check(doc).has_value()) std::abort();
  });
  (void)tree;
  return 0;
}
