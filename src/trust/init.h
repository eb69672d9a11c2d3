// Initialisation of libsodium for the trust module.
//
// libsodium must be initialised once before use: sodium_init() picks the
// fastest implementation of each primitive for this CPU and seeds the random
// generator. Every function of this module that needs libsodium calls init()
// itself, so callers never have to; calling it again costs one load.
#pragma once

namespace liaison::trust {

// Thread-safe and idempotent. Aborts if libsodium cannot be initialised,
// because no key, signature or random number would then be trustworthy.
void init();

}  // namespace liaison::trust
