#include "ledger/digest.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace liaison::ledger::internal {

namespace {

[[noreturn]] void fail(const char* what) {
  // Only allocation failure gets here; a ledger that cannot hash cannot go on.
  std::fprintf(stderr, "liaison ledger: %s failed\n", what);
  std::abort();
}

const EVP_MD* sha256_md() {
  // Fetched once and kept for the life of the process.
  static const EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) fail("EVP_MD_fetch(SHA256)");
    return m;
  }();
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

EVP_MD_CTX* thread_ctx() {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) fail("EVP_MD_CTX_new");
  return ctx.get();
}

}  // namespace

Hash sha256_of(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = thread_ctx();
  if (EVP_DigestInit_ex(ctx, sha256_md(), nullptr) != 1) fail("EVP_DigestInit_ex");
  for (std::string_view p : parts) {
    if (EVP_DigestUpdate(ctx, p.data(), p.size()) != 1) fail("EVP_DigestUpdate");
  }
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
    fail("EVP_DigestFinal_ex");
  }
  return out;
}

}  // namespace liaison::ledger::internal
