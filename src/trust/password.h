// Passwords: Argon2id hashes in libsodium's self-describing string form
// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), and the rules a new
// password must meet.
//
// The string carries its own cost, so a hash made at one cost still verifies
// after the hub's cost changes; password_needs_rehash() tells the caller to
// upgrade it at the next successful login, the only time the password is known.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

// How much work one hash costs: Argon2id passes and memory in bytes.
struct PasswordCost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;
};

// The default, "standard": three passes over 64 MiB, about half a second on
// one core. libsodium's MODERATE (256 MiB) takes several seconds on a small
// server, and a hub hashes on behalf of everyone who logs in.
PasswordCost standard_password_cost();
// "standard", "moderate" (libsodium's MODERATE) or "min" (libsodium's
// minimum: for tests only, never for real passwords).
Result<PasswordCost> password_cost_from_name(std::string_view name, const std::string& field);

inline constexpr std::size_t kMinPasswordCharacters = 12;
inline constexpr std::size_t kMaxPasswordCharacters = 1024;

// Whether `password` may be chosen by the owner of `email`: valid UTF-8 of
// 12 to 1024 characters, and not the e-mail address itself. Errors name `field`.
Status check_new_password(std::string_view password, std::string_view email,
                          const std::string& field);

// A fresh Argon2id hash with a random salt. Fails only when the system cannot
// give the memory the cost asks for.
Result<std::string> hash_password(std::string_view password, PasswordCost cost);

// Whether `password` matches `hash`. Anything that is not a hash this module
// made, and any password longer than the maximum, simply does not match.
bool verify_password(std::string_view hash, std::string_view password);

// Whether `hash` was made at a cost other than `cost`.
bool password_needs_rehash(std::string_view hash, PasswordCost cost);

}  // namespace liaison::trust
