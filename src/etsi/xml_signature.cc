#include "etsi/xml_signature.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <memory>
#include <mutex>

#include "etsi/namespaces.h"

namespace liaison::etsi {

namespace {

// xmlsec's last error, for the message that explains a failure; its own
// printing to stderr is off.
thread_local std::string last_xmlsec_error;

void remember_error(const char* /*file*/, int /*line*/, const char* /*func*/,
                    const char* /*errorObject*/, const char* errorSubject, int /*reason*/,
                    const char* msg) {
  last_xmlsec_error = std::string(errorSubject != nullptr ? errorSubject : "") +
                      (msg != nullptr ? std::string(": ") + msg : std::string());
}

bool init_xmlsec() {
  static bool ok = [] {
    init_libxml();
    if (xmlSecInit() < 0) return false;
    if (xmlSecCheckVersion() != 1) return false;
    if (xmlSecCryptoAppInit(nullptr) < 0) return false;
    if (xmlSecCryptoInit() < 0) return false;
    xmlSecErrorsSetCallback(remember_error);
    return true;
  }();
  return ok;
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxFree {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};
struct MngrFree {
  void operator()(xmlSecKeysMngr* m) const { xmlSecKeysMngrDestroy(m); }
};
struct KeyFree {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};

const xmlChar* bytes(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.data()); }
xmlSecSize size_of(const std::string& s) { return static_cast<xmlSecSize>(s.size()); }

bool is(const xmlNode* n, std::string_view ns, std::string_view local) {
  return n != nullptr && n->type == XML_ELEMENT_NODE && n->ns != nullptr &&
         ns == reinterpret_cast<const char*>(n->ns->href) &&
         local == reinterpret_cast<const char*>(n->name);
}

const xmlNode* child(const xmlNode* n, std::string_view ns, std::string_view local) {
  for (const xmlNode* c = n != nullptr ? n->children : nullptr; c != nullptr; c = c->next) {
    if (is(c, ns, local)) return c;
  }
  return nullptr;
}

std::string text_of(const xmlNode* n) {
  if (n == nullptr) return "";
  xmlChar* t = xmlNodeGetContent(n);
  std::string out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
  xmlFree(t);
  auto b = out.find_first_not_of(" \t\r\n");
  auto e = out.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

// The signature this profile takes: the last element child of HI1Message.
xmlNode* message_signature(xmlNode* root) {
  xmlNode* last = nullptr;
  for (xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) last = c;
  }
  return is(last, reinterpret_cast<const char*>(xmlSecDSigNs), "Signature") ? last : nullptr;
}

std::string sender_of(const xmlNode* root) {
  const xmlNode* sender =
      child(child(root, kCoreNamespace, "Header"), kCoreNamespace, "SenderIdentifier");
  return text_of(child(sender, kCoreNamespace, "CountryCode")) + "/" +
         text_of(child(sender, kCoreNamespace, "UniqueIdentifier"));
}

// Only what the profile's signatures use: nothing that reaches outside the
// document (XPath, XSLT, base64 of another node) is enabled.
Status restrict(xmlSecDSigCtx& ctx) {
  ctx.enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  // xmlsec keeps klass pointers in a list of void*; it never writes through them.
  if (xmlSecPtrListAdd(&ctx.keyInfoReadCtx.enabledKeyData,
                       const_cast<void*>(static_cast<const void*>(xmlSecKeyDataX509Id))) < 0) {
    return Error::internal("xmlsec: cannot restrict the key data");
  }
  const xmlSecTransformId canonical[] = {xmlSecTransformInclC14NId, xmlSecTransformInclC14N11Id,
                                         xmlSecTransformExclC14NId};
  const xmlSecTransformId signing[] = {xmlSecTransformRsaSha256Id,   xmlSecTransformRsaSha384Id,
                                       xmlSecTransformRsaSha512Id,   xmlSecTransformEcdsaSha256Id,
                                       xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id};
  const xmlSecTransformId digests[] = {xmlSecTransformSha256Id, xmlSecTransformSha384Id,
                                       xmlSecTransformSha512Id};
  bool ok = xmlSecDSigCtxEnableReferenceTransform(&ctx, xmlSecTransformEnvelopedId) >= 0;
  for (auto t : canonical) {
    ok = ok && xmlSecDSigCtxEnableSignatureTransform(&ctx, t) >= 0 &&
         xmlSecDSigCtxEnableReferenceTransform(&ctx, t) >= 0;
  }
  for (auto t : signing) ok = ok && xmlSecDSigCtxEnableSignatureTransform(&ctx, t) >= 0;
  for (auto t : digests) ok = ok && xmlSecDSigCtxEnableReferenceTransform(&ctx, t) >= 0;
  if (!ok) return Error::internal("xmlsec: cannot restrict the transforms");
  return Ok{};
}

}  // namespace

Result<std::string> sign_xml(std::string_view xml, const XmlSigningKey& key) {
  if (!init_xmlsec()) return Error::internal("xmlsec cannot be initialised");
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) return Error::invalid("xml", "is not a document to sign");
  std::unique_ptr<xmlSecKey, KeyFree> k(
      xmlSecCryptoAppKeyLoadMemory(bytes(key.private_key_pem), size_of(key.private_key_pem),
                                   xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr));
  if (!k) return Error::invalid("signing key", "is not a PEM private key xmlsec can use");
  if (xmlSecCryptoAppKeyCertLoadMemory(k.get(), bytes(key.certificate_pem),
                                       size_of(key.certificate_pem), xmlSecKeyDataFormatPem) < 0) {
    return Error::invalid("signing certificate", "is not a PEM certificate");
  }
  const bool rsa = xmlSecKeyGetValue(k.get()) != nullptr &&
                   xmlSecKeyGetValue(k.get())->id == xmlSecOpenSSLKeyDataRsaId;
  xmlNode* sig = xmlSecTmplSignatureCreate(
      doc.get(), xmlSecTransformExclC14NId,
      rsa ? xmlSecTransformRsaSha256Id : xmlSecTransformEcdsaSha256Id, nullptr);
  if (sig == nullptr) return Error::internal("xmlsec: cannot make the signature template");
  xmlAddChild(root, sig);
  xmlNode* ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, nullptr,
                                                 reinterpret_cast<const xmlChar*>(""), nullptr);
  if (ref == nullptr ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) == nullptr ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == nullptr) {
    return Error::internal("xmlsec: cannot make the signature's reference");
  }
  xmlNode* info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
  if (info == nullptr || xmlSecTmplKeyInfoAddX509Data(info) == nullptr) {
    return Error::internal("xmlsec: cannot make the signature's KeyInfo");
  }
  std::unique_ptr<xmlSecDSigCtx, CtxFree> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return Error::internal("xmlsec: cannot make a signing context");
  ctx->signKey = k.release();  // the context owns it now
  if (xmlSecDSigCtxSign(ctx.get(), sig) < 0) {
    return Error::invalid("signing key", "cannot sign: " + last_xmlsec_error);
  }
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc.get(), &out, &size, "UTF-8");
  std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
  xmlFree(out);
  return text;
}

Result<XmlSignaturePolicy> XmlSignaturePolicy::load(const std::string& dir, bool required) {
  LIAISON_ASSIGN_OR_RETURN(EndpointCertificates trusted, EndpointCertificates::load(dir));
  XmlSignaturePolicy p;
  p.trusted_ = std::move(trusted);
  p.required_ = required;
  return p;
}

XmlSignaturePolicy XmlSignaturePolicy::of(
    const std::map<std::string, std::vector<std::string>>& pems_by_endpoint, bool required) {
  XmlSignaturePolicy p;
  p.trusted_ = EndpointCertificates::of(pems_by_endpoint);
  p.required_ = required;
  return p;
}

std::optional<Hi1Error> XmlSignaturePolicy::check_unsigned() const {
  if (!required_) return std::nullopt;
  return Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                  "this hub takes signed messages only, and a message in the JSON encoding carries "
                  "no XML signature: send it as XML with an enveloped ds:Signature"};
}

std::optional<Hi1Error> XmlSignaturePolicy::check(LibxmlDocument& doc) const {
  xmlNode* root = xmlDocGetRootElement(&doc);
  if (root == nullptr) return Hi1Error{Hi1ErrorCode::kValidationError, "the message is empty"};
  xmlNode* sig = message_signature(root);
  if (sig == nullptr) {
    if (!required_) return std::nullopt;
    return Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                    "the message is not signed, and this hub takes signed messages only (an "
                    "enveloped ds:Signature, the last element of HI1Message)"};
  }
  if (!init_xmlsec()) {
    return Hi1Error{Hi1ErrorCode::kTransientTechnicalError, "the hub cannot check signatures now"};
  }
  const std::string sender = sender_of(root);
  if (!trusted_.knows(sender)) {
    return Hi1Error{Hi1ErrorCode::kValidationError,
                    "the message is signed, but this hub trusts no signing certificate for "
                    "SenderIdentifier " +
                        sender};
  }
  std::unique_ptr<xmlSecKeysMngr, MngrFree> mngr(xmlSecKeysMngrCreate());
  if (!mngr || xmlSecCryptoAppDefaultKeysMngrInit(mngr.get()) < 0) {
    return Hi1Error{Hi1ErrorCode::kTransientTechnicalError, "the hub cannot check signatures now"};
  }
  // xmlsec's own certificate store would also trust the system's CAs, so it
  // only extracts the key here; the certificate is checked below against
  // the sender's trusted certificates alone.
  std::unique_ptr<xmlSecDSigCtx, CtxFree> ctx(xmlSecDSigCtxCreate(mngr.get()));
  if (!ctx || !restrict(*ctx).ok()) {
    return Hi1Error{Hi1ErrorCode::kTransientTechnicalError, "the hub cannot check signatures now"};
  }
  ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
  last_xmlsec_error.clear();
  if (xmlSecDSigCtxVerify(ctx.get(), sig) < 0 || ctx->status != xmlSecDSigStatusSucceeded) {
    return Hi1Error{
        Hi1ErrorCode::kValidationError,
        "the message's XML signature does not verify with a certificate trusted for " + sender +
            (last_xmlsec_error.empty() ? std::string() : " (" + last_xmlsec_error + ")")};
  }
  xmlSecKeyDataPtr x509 = ctx->signKey != nullptr
                              ? xmlSecKeyGetData(ctx->signKey, xmlSecOpenSSLKeyDataX509Id)
                              : nullptr;
  X509* leaf = x509 != nullptr ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509) : nullptr;
  if (!trusted_.trusts(sender, leaf)) {
    return Hi1Error{Hi1ErrorCode::kValidationError,
                    "the message's XML signature does not verify with a certificate trusted for " +
                        sender + " (its certificate is not one of them, nor issued by one)"};
  }
  return std::nullopt;
}

}  // namespace liaison::etsi
