// Organisations: the authorities, providers and central authorities on a hub.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison {

enum class OrgKind { kAuthority, kProvider, kCentralAuthority };

const char* org_kind_name(OrgKind kind);
std::optional<OrgKind> org_kind_from_name(std::string_view name);

struct Organisation {
  std::string id;  // UUID
  OrgKind kind = OrgKind::kAuthority;
  std::string name;
  std::string country;       // ISO 3166-1 alpha-2
  std::string endpoint_uid;  // ETSI EndpointID UniqueIdentifier, unique within the country
  std::string created_at;    // RFC 3339 UTC
};

// ISO 3166-1 alpha-2, upper case, and an assigned code (or XX for tests).
Status validate_country(std::string_view code, const std::string& field);
// ETSI TS 103 280 LongString-like: 1-64 characters from [A-Za-z0-9._-].
Status validate_endpoint_uid(std::string_view uid, const std::string& field);

}  // namespace liaison
