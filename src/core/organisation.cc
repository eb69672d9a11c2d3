#include "core/organisation.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/name_list.h"

namespace liaison {

namespace {
// ISO 3166-1 alpha-2 officially assigned codes, plus XK (Kosovo, user-assigned
// but used by the EU and ETSI profiles) and XX (the placeholder ETSI examples use).
constexpr std::array<std::string_view, 251> kCountries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", "XK", "XX"};
}  // namespace

const char* org_kind_name(OrgKind kind) {
  switch (kind) {
    case OrgKind::kAuthority:
      return "authority";
    case OrgKind::kProvider:
      return "provider";
    case OrgKind::kCentralAuthority:
      return "central_authority";
  }
  return "authority";
}

std::optional<OrgKind> org_kind_from_name(std::string_view name) {
  if (name == "authority") return OrgKind::kAuthority;
  if (name == "provider") return OrgKind::kProvider;
  if (name == "central_authority") return OrgKind::kCentralAuthority;
  return std::nullopt;
}

const char* authority_type_name(AuthorityType type) {
  switch (type) {
    case AuthorityType::kPolice:
      return "police";
    case AuthorityType::kProsecutor:
      return "prosecutor";
    case AuthorityType::kJudge:
      return "judge";
    case AuthorityType::kCentralAuthority:
      return "central_authority";
  }
  return "police";
}

std::optional<AuthorityType> authority_type_from_name(std::string_view name) {
  for (auto t : {AuthorityType::kPolice, AuthorityType::kProsecutor, AuthorityType::kJudge,
                 AuthorityType::kCentralAuthority}) {
    if (name == authority_type_name(t)) return t;
  }
  return std::nullopt;
}

std::string authority_list_text(const std::vector<AuthorityType>& types) {
  return words_list(types, authority_type_name);
}

Status validate_country(std::string_view code, const std::string& field) {
  if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
      !std::isupper(static_cast<unsigned char>(code[1]))) {
    return Error::invalid(field,
                          "country must be an ISO 3166-1 alpha-2 code in upper case, such as NL");
  }
  if (std::find(kCountries.begin(), kCountries.end(), code) == kCountries.end()) {
    return Error::invalid(field,
                          "'" + std::string(code) + "' is not an assigned ISO 3166-1 alpha-2 code");
  }
  return Ok{};
}

Status validate_endpoint_uid(std::string_view uid, const std::string& field) {
  if (uid.empty() || uid.size() > 64) {
    return Error::invalid(field, "endpoint id must be 1-64 characters");
  }
  for (char c : uid) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return Error::invalid(field,
                            "endpoint id may contain only letters, digits, '.', '_' and '-'");
    }
  }
  return Ok{};
}

}  // namespace liaison
