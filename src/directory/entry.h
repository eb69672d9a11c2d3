// A provider directory entry: who a service provider is, where it is
// established, how to reach it and what its policies are, so that an
// authority's officer and the route advisor can choose the lawful route to it
// (docs/directory.md).
//
// Entries arrive from outside (TOML files shipped with the hub, JSON over the
// API), so decoding is strict: unknown keys, wrong types and invalid values
// are all reported, each with the JSON path of the field
// ("preservation_policy/days") and the reason, in one error. TOML and JSON
// decode through the same checks, so a file and an API body are refused for
// the same reasons.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request.h"
#include "core/result.h"

namespace liaison::directory {

// Directive (EU) 2023/1544: the legal representative a provider not
// established in the Union designates in a member state.
struct LegalRepresentative {
  std::string name;
  std::string country;  // an EU member state, ISO 3166-1 alpha-2
  std::optional<std::string> email;
  bool operator==(const LegalRepresentative&) const = default;
};

// How to reach the provider; at least one of these is set.
struct Contact {
  // The provider's organisation on this hub, when it receives requests here.
  std::optional<std::string> hub_org_id;
  // "CC-ENDPOINTUID": a provider on another Liaison hub (ETSI EndpointID).
  std::optional<std::string> hub_endpoint;
  std::optional<std::string> portal_url;  // https only
  std::optional<std::string> email;
  std::optional<std::string> emergency_phone;  // E.164, "+" and digits
  bool operator==(const Contact&) const = default;
};

struct PreservationPolicy {
  std::int64_t days = 0;  // how long it preserves on request, at least 1
  bool extendable = false;
  std::optional<std::int64_t> extension_days;  // only when extendable
  std::string notes;
  bool operator==(const PreservationPolicy&) const = default;
};

struct EmergencyPolicy {
  bool accepts_foreign = false;       // answers emergency requests from foreign authorities
  std::optional<std::int64_t> hours;  // its own stated response target
  std::string notes;
  bool operator==(const EmergencyPolicy&) const = default;
};

struct ForeignRequests {
  // Discloses non-content data directly to foreign authorities on their own
  // legal process (the 18 U.S.C. 2702(c)(6) practice of US providers).
  bool voluntary_non_content = false;
  std::string notes;
  bool operator==(const ForeignRequests&) const = default;
};

struct UserNotificationPolicy {
  bool notifies_users = false;
  std::string notes;
  bool operator==(const UserNotificationPolicy&) const = default;
};

struct Entry {
  std::string id;        // stable slug: [a-z0-9][a-z0-9-]{1,62}
  bool example = false;  // a made-up entry shipped as an example, not a real provider
  std::string name;
  std::string legal_entity;
  std::string establishment_country;  // ISO 3166-1 alpha-2
  std::string time_zone;              // IANA name, such as Europe/Dublin
  std::optional<LegalRepresentative> eu_legal_representative;
  Contact contact;
  std::vector<DataCategory> data_categories;  // what it holds, by ETSI name
  std::string retention_notes;
  PreservationPolicy preservation_policy;
  EmergencyPolicy emergency_policy;
  ForeignRequests foreign_requests;
  UserNotificationPolicy user_notification_policy;
  std::vector<std::string> languages;  // ISO 639-1 codes it accepts requests in
  // Set by the hub when it stores the entry; what a client sends is ignored.
  std::string updated_at;    // RFC 3339 UTC
  std::int64_t version = 0;  // 1 when created, bumped by each edit: the ETag
  std::string updated_by;    // a user id, or "hub" for entries it seeded
  bool operator==(const Entry&) const = default;
};

// `id` as a directory slug: 2-63 characters of [a-z0-9-], not starting with '-'.
Status validate_entry_id(std::string_view id, const std::string& field);

// Decodes and validates an entry from JSON. Errors name each field by its
// JSON path; `file`, when given, prefixes the message (not the fields).
Result<Entry> entry_from_json(const nlohmann::json& j, std::string_view file = {});
// Parses JSON text, then entry_from_json.
Result<Entry> parse_entry_json(std::string_view text, std::string_view file = {});
// Parses a TOML document, then the same checks as entry_from_json. A syntax
// error names the line and column.
Result<Entry> parse_entry_toml(std::string_view text, std::string_view file = {});

// The entry as the hub serves and stores it: every field, absent optional
// fields as null. entry_from_json(to_json(e)) == e for every valid entry.
nlohmann::json to_json(const Entry& e);

// True when `category` is among the entry's data categories.
bool holds(const Entry& e, DataCategory category);

}  // namespace liaison::directory
