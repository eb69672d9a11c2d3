#include "trust/oath.h"

#include <liboath/oath.h>

#include <mutex>

namespace liaison::trust {

void init_oath() {
  static std::once_flag once;
  std::call_once(once, [] { (void)oath_init(); });
}

}  // namespace liaison::trust
