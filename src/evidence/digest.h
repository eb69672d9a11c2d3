// SHA-256 for streams of any size: one OpenSSL context, reused item after
// item. OpenSSL 3 picks its SHA-NI code where the CPU has it, which is about
// three times faster than a portable implementation; fetching the algorithm
// once rather than per digest keeps small items cheap too.
#pragma once

#include <memory>
#include <string_view>

#include "ledger/merkle.h"

struct evp_md_ctx_st;

namespace liaison::evidence {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void reset();
  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // The digest of everything since the last reset; resets.
  ledger::Hash finish();

  static ledger::Hash of(std::string_view data);

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

}  // namespace liaison::evidence
