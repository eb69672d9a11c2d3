#include "trust/init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace liaison::trust {

void init() {
  // A function-local static: C++ runs its initialiser exactly once, even when
  // many threads arrive together, and afterwards init() is a guard check.
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("libsodium could not be initialised\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace liaison::trust
