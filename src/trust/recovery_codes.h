// Recovery codes: the way back in when the authenticator is lost. Each is 80
// random bits shown as four groups of four base32 characters
// ("ABCD-EFGH-IJKL-MNOP"), usable once.
//
// Only the SHA-256 of a code is stored. Eighty bits from the CSPRNG leave
// nothing to guess that a slow hash would protect, the same reasoning as for
// API tokens, and a fast hash lets login look a code up directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liaison::trust {

inline constexpr std::size_t kRecoveryCodeCount = 10;

// kRecoveryCodeCount new codes, formatted for people.
std::vector<std::string> new_recovery_codes();

// The canonical form of a code as typed: upper case, without dashes or
// whitespace; nullopt unless that is sixteen base32 characters.
std::optional<std::string> normalise_recovery_code(std::string_view typed);

// Lower-case hex SHA-256 of the canonical form, as stored; nullopt when
// `typed` is not a recovery code at all.
std::optional<std::string> recovery_code_hash(std::string_view typed);

}  // namespace liaison::trust
