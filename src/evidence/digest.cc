#include "evidence/digest.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace liaison::evidence {

namespace {

const EVP_MD* sha256_md() {
  // Fetched once and kept for the life of the process.
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  if (md == nullptr) std::abort();
  return md;
}

}  // namespace

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) std::abort();
  reset();
}

Sha256::~Sha256() = default;

void Sha256::reset() {
  if (EVP_DigestInit_ex(ctx_.get(), sha256_md(), nullptr) != 1) std::abort();
}

void Sha256::update(const void* data, std::size_t size) {
  if (size != 0 && EVP_DigestUpdate(ctx_.get(), data, size) != 1) std::abort();
}

ledger::Hash Sha256::finish() {
  ledger::Hash out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) != 1 || len != out.size()) std::abort();
  reset();
  return out;
}

ledger::Hash Sha256::of(std::string_view data) {
  thread_local Sha256 sha;
  sha.update(data);
  return sha.finish();
}

}  // namespace liaison::evidence
