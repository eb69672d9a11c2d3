// Organisations: the authorities, providers and central authorities on a hub.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace liaison {

enum class OrgKind { kAuthority, kProvider, kCentralAuthority };

const char* org_kind_name(OrgKind kind);
std::optional<OrgKind> org_kind_from_name(std::string_view name);

// What kind of authority an organisation is, which decides what it may issue
// on its own and what needs another authority's validation (EU 2023/1543
// Art. 4: a prosecutor may issue a production order for subscriber data, and
// only a judge one for traffic or content data). The law engine uses the same
// names. A central authority (and 24/7 point of contact) is always
// kCentralAuthority; providers have none.
enum class AuthorityType { kPolice, kProsecutor, kJudge, kCentralAuthority };

const char* authority_type_name(AuthorityType type);  // "police", "prosecutor", …
std::optional<AuthorityType> authority_type_from_name(std::string_view name);
// "prosecutor or judge"; "police, prosecutor or judge"
std::string authority_list_text(const std::vector<AuthorityType>& types);

struct Organisation {
  std::string id;  // UUID
  OrgKind kind = OrgKind::kAuthority;
  std::string name;
  std::string country;       // ISO 3166-1 alpha-2
  std::string endpoint_uid;  // ETSI EndpointID UniqueIdentifier, unique within the country
  std::string created_at;    // RFC 3339 UTC
  // Authorities: police, prosecutor or judge; none when not recorded, in which
  // case the hub cannot tell which routes the organisation may issue under
  // alone. Central authorities: always kCentralAuthority.
  std::optional<AuthorityType> authority_type = std::nullopt;
};

// ISO 3166-1 alpha-2, upper case, and an assigned code (or XX for tests).
Status validate_country(std::string_view code, const std::string& field);
// ETSI TS 103 280 LongString-like: 1-64 characters from [A-Za-z0-9._-].
Status validate_endpoint_uid(std::string_view uid, const std::string& field);

}  // namespace liaison
