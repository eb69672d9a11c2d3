#include "etsi/endpoint_certificates.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace liaison::etsi {

namespace {

Result<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error::invalid(p.string(), "cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A store holding every certificate in `pems`; null if OpenSSL has no memory.
std::shared_ptr<X509_STORE> store_of(const std::vector<std::string>& pems) {
  std::shared_ptr<X509_STORE> store(X509_STORE_new(), X509_STORE_free);
  if (!store) return store;
  for (const auto& pem : pems) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(store.get(), cert);
      X509_free(cert);
    }
  }
  ERR_clear_error();
  return store;
}

// Whether `leaf` is one of the certificates in `store`, or is issued by
// one, and valid now.
bool trusted_for(X509* leaf, X509_STORE* store) {
  if (store == nullptr) return false;
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, nullptr) != 1) return false;
  // An endpoint's own self-signed certificate is trusted as it is.
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_PARTIAL_CHAIN);
  const bool ok = X509_verify_cert(ctx.get()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace

Result<EndpointCertificates> EndpointCertificates::load(const std::string& dir) {
  std::map<std::string, std::vector<std::string>> trusted;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error::invalid(dir, "is not a folder of certificates");
  }
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".pem") continue;
    std::string stem = e.path().stem().string();
    if (stem.size() < 4 || stem[2] != '-') {
      return Error::invalid(
          e.path().string(),
          "must be named COUNTRY-ENDPOINT_ID.pem, for the endpoint it is trusted for");
    }
    LIAISON_ASSIGN_OR_RETURN(std::string pem, read_text(e.path()));
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return Error::invalid(e.path().string(), "holds no PEM certificate");
    }
    trusted[stem.substr(0, 2) + "/" + stem.substr(3)].push_back(std::move(pem));
  }
  if (ec) return Error::invalid(dir, "cannot be read");
  return of(trusted);
}

EndpointCertificates EndpointCertificates::of(
    const std::map<std::string, std::vector<std::string>>& pems_by_endpoint) {
  EndpointCertificates out;
  for (const auto& [endpoint, pems] : pems_by_endpoint) out.trusted_[endpoint] = store_of(pems);
  return out;
}

bool EndpointCertificates::trusts(const std::string& endpoint, x509_st* leaf) const {
  auto it = trusted_.find(endpoint);
  return leaf != nullptr && it != trusted_.end() && trusted_for(leaf, it->second.get());
}

std::vector<std::string> EndpointCertificates::endpoints_trusting(std::string_view der) const {
  std::vector<std::string> out;
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> leaf(
      d2i_X509(nullptr, &bytes, static_cast<long>(der.size())), X509_free);
  ERR_clear_error();
  if (!leaf || bytes != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return out;
  }
  for (const auto& [endpoint, store] : trusted_) {
    if (trusted_for(leaf.get(), store.get())) out.push_back(endpoint);
  }
  return out;
}

}  // namespace liaison::etsi
