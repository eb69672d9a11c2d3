// The hub's secret key: 32 random bytes in <data>/keys/hub-secrets.key that
// seal the secrets the hub must read back, such as TOTP secrets
// (trust/secret_box.h). The database holds only what the key sealed, so a
// copy of the database alone reveals no second factor.
//
// Back the key up with the database: without it, every enrolled
// authenticator must be reset.
#pragma once

#include <string>

#include "core/result.h"

namespace liaison {

inline constexpr const char* kHubSecretKeyFile = "keys/hub-secrets.key";

// Reads the key at `path`, creating it first if there is none: random bytes,
// mode 0600 in a 0700 directory, fsync'd, and renamed into place without ever
// replacing a key another process created meanwhile. A key file of the wrong
// size, or readable by anyone but its owner, is refused.
Result<std::string> load_or_create_hub_secret_key(const std::string& path);

}  // namespace liaison
