// liboath wants oath_init() called once per process before any other call;
// every use of liboath in this module goes through init_oath() first.
#pragma once

namespace liaison::trust {

void init_oath();

}  // namespace liaison::trust
