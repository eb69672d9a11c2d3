// Typed target identifiers: what a request asks about.
//
// Every identifier is validated and normalised when it enters Liaison, so that
// a provider never receives "+49 (0)151-..." or an IP address with no time.
// Problems that make an identifier unusable are errors; problems that make it
// weak (an IP address without port or offset) are warnings the officer sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace liaison {

enum class IdentifierKind {
  kEmail,
  kPhone,    // E.164
  kAccount,  // a provider's account id or a profile URL
  kUsername,
  kDomain,
  kIpAddress,      // IPv4 or IPv6, ideally with port and observation time
  kCryptoAddress,  // a blockchain address on a named network
};

const char* identifier_kind_name(IdentifierKind kind);
std::optional<IdentifierKind> identifier_kind_from_name(std::string_view name);
// All kind names, for error messages and documentation.
std::string identifier_kind_names();

struct Identifier {
  IdentifierKind kind = IdentifierKind::kEmail;
  std::string value;  // normalised
  // IP addresses only.
  std::optional<std::uint16_t> port;
  std::optional<std::string> observed_at;  // RFC 3339 in UTC, or as given when it lacked an offset
  // Crypto addresses only: "bitcoin", "ethereum", or another network name.
  std::optional<std::string> network;

  bool operator==(const Identifier&) const = default;
};

// Input as it arrives from outside, before validation.
struct IdentifierInput {
  std::string kind;
  std::string value;
  std::optional<std::int64_t> port;
  std::optional<std::string> observed_at;
  std::optional<std::string> network;
};

struct Warning {
  std::string field;
  std::string message;
};

// Validates and normalises one identifier. `field` prefixes error paths, e.g.
// "targets/0". Warnings are appended to `warnings`.
Result<Identifier> parse_identifier(const IdentifierInput& input, const std::string& field,
                                    std::vector<Warning>& warnings);

// Individual format checks, exposed for tests and fuzzing. Each returns the
// normalised value or an error naming `field`.
Result<std::string> normalise_email(std::string_view v, const std::string& field);
Result<std::string> normalise_e164(std::string_view v, const std::string& field);
Result<std::string> normalise_domain(std::string_view v, const std::string& field);
Result<std::string> normalise_ip(std::string_view v, const std::string& field);
Result<std::string> normalise_crypto_address(std::string_view network, std::string_view v,
                                             const std::string& field);

}  // namespace liaison
