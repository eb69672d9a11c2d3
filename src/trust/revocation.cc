#include "trust/revocation.h"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "trust/canonical_json.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::trust {

using nlohmann::json;

namespace {

constexpr std::string_view kSigningContext = "liaison-revocation-list-v1";
// JCS numbers are doubles; list numbers stay exact below 2^53.
constexpr std::int64_t kMaxNumber = std::int64_t{1} << 53;
constexpr std::size_t kMaxEntries = 100000;

constexpr std::array<std::string_view, 5> kReasons = {"key_compromise", "superseded", "cessation",
                                                      "affiliation_changed", "unspecified"};

Status validate(const RevocationList& list, const std::string& path) {
  if (!is_lower_hex(list.issuer_key_id, 32)) {
    return fields::bad(path + "/issuer/key_id", "must be 32 lower-case hex characters");
  }
  if (list.issuer_name.empty() || list.issuer_name.size() > 200 || !valid_utf8(list.issuer_name)) {
    return fields::bad(path + "/issuer/name", "must be 1-200 bytes of UTF-8");
  }
  if (list.number < 1 || list.number > kMaxNumber) {
    return fields::bad(path + "/number", "must be between 1 and 2^53");
  }
  if (list.entries.size() > kMaxEntries) {
    return fields::bad(path + "/entries", "at most " + std::to_string(kMaxEntries) + " entries");
  }
  std::unordered_set<std::string_view> serials;
  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    const Revocation& r = list.entries[i];
    std::string epath = path + "/entries/" + std::to_string(i);
    if (!is_lower_hex(r.serial, 32)) {
      return fields::bad(epath + "/serial", "must be 32 lower-case hex characters");
    }
    if (!is_lower_hex(r.key_id, 32)) {
      return fields::bad(epath + "/key_id", "must be 32 lower-case hex characters");
    }
    if (!is_revocation_reason(r.reason)) {
      return fields::bad(epath + "/reason",
                         "must be key_compromise, superseded, cessation, affiliation_changed or "
                         "unspecified");
    }
    if (r.revoked_at != r.revoked_at.floor_seconds()) {
      return fields::bad(epath + "/revoked_at", "must be whole seconds");
    }
    if (!serials.insert(r.serial).second) {
      return fields::bad(epath + "/serial", "is listed twice");
    }
  }
  if (list.issued_at != list.issued_at.floor_seconds()) {
    return fields::bad(path + "/issued_at", "must be whole seconds");
  }
  return Ok{};
}

Result<std::string> signing_input(const RevocationList& list) {
  json j = to_json(list);
  j.erase("signature");
  LIAISON_ASSIGN_OR_RETURN(std::string canonical, canonical_json(j));
  std::string out;
  out.reserve(kSigningContext.size() + 1 + canonical.size());
  out += kSigningContext;
  out += '\0';
  out += canonical;
  return out;
}

}  // namespace

bool is_revocation_reason(std::string_view reason) {
  return std::find(kReasons.begin(), kReasons.end(), reason) != kReasons.end();
}

std::string RevocationList::fingerprint() const {
  auto canonical = canonical_json(to_json(*this));
  return canonical.ok() ? hex_encode(sha256(*canonical)) : std::string();
}

json to_json(const RevocationList& list) {
  json entries = json::array();
  for (const auto& r : list.entries) {
    entries.push_back({{"serial", r.serial},
                       {"key_id", r.key_id},
                       {"revoked_at", format_rfc3339(r.revoked_at)},
                       {"reason", r.reason}});
  }
  return {{"liaison_revocation_list", 1},
          {"issuer", {{"key_id", list.issuer_key_id}, {"name", list.issuer_name}}},
          {"number", list.number},
          {"issued_at", format_rfc3339(list.issued_at)},
          {"entries", std::move(entries)},
          {"signature", base64url_encode(list.signature)}};
}

Result<RevocationList> revocation_list_from_json(const json& j, const std::string& path) {
  LIAISON_TRY(fields::object_with(
      j, path,
      {"liaison_revocation_list", "issuer", "number", "issued_at", "entries", "signature"}));
  LIAISON_TRY(fields::version(j, "liaison_revocation_list", path));
  RevocationList list;
  LIAISON_ASSIGN_OR_RETURN(const json* issuer, fields::require(j, "issuer", path));
  const std::string ipath = path + "/issuer";
  LIAISON_TRY(fields::object_with(*issuer, ipath, {"key_id", "name"}));
  LIAISON_ASSIGN_OR_RETURN(list.issuer_key_id, fields::string(*issuer, "key_id", ipath, 64));
  LIAISON_ASSIGN_OR_RETURN(list.issuer_name, fields::string(*issuer, "name", ipath, 200));
  LIAISON_ASSIGN_OR_RETURN(list.number, fields::integer(j, "number", path, 1, kMaxNumber));
  LIAISON_ASSIGN_OR_RETURN(list.issued_at, fields::timestamp(j, "issued_at", path));
  LIAISON_ASSIGN_OR_RETURN(const json* entries, fields::require(j, "entries", path));
  if (!entries->is_array()) return fields::bad(path + "/entries", "must be an array");
  if (entries->size() > kMaxEntries) {
    return fields::bad(path + "/entries", "at most " + std::to_string(kMaxEntries) + " entries");
  }
  list.entries.reserve(entries->size());
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const json& e = (*entries)[i];
    std::string epath = path + "/entries/" + std::to_string(i);
    LIAISON_TRY(fields::object_with(e, epath, {"serial", "key_id", "revoked_at", "reason"}));
    Revocation r;
    LIAISON_ASSIGN_OR_RETURN(r.serial, fields::string(e, "serial", epath, 64));
    LIAISON_ASSIGN_OR_RETURN(r.key_id, fields::string(e, "key_id", epath, 64));
    LIAISON_ASSIGN_OR_RETURN(r.revoked_at, fields::timestamp(e, "revoked_at", epath));
    LIAISON_ASSIGN_OR_RETURN(r.reason, fields::string(e, "reason", epath, 64));
    list.entries.push_back(std::move(r));
  }
  LIAISON_ASSIGN_OR_RETURN(list.signature,
                           fields::base64url(j, "signature", path, kSignatureBytes));
  LIAISON_TRY(validate(list, path));
  return list;
}

std::string revocation_list_signing_input(const RevocationList& list) {
  auto input = signing_input(list);
  return input.ok() ? std::move(input).value() : std::string();
}

Result<RevocationList> sign_revocation_list(RevocationList list, const SecretKey& issuer_key) {
  list.issuer_key_id = issuer_key.public_key().key_id();
  list.issued_at = list.issued_at.floor_seconds();
  for (auto& r : list.entries) r.revoked_at = r.revoked_at.floor_seconds();
  LIAISON_TRY(validate(list, "revocation_list"));
  LIAISON_ASSIGN_OR_RETURN(std::string input, signing_input(list));
  list.signature = issuer_key.sign(input);
  return list;
}

bool revocation_list_signature_valid(const RevocationList& list, const PublicKey& issuer_key) {
  if (issuer_key.key_id() != list.issuer_key_id) return false;
  auto input = signing_input(list);
  return input.ok() && verify_signature(issuer_key, *input, list.signature);
}

}  // namespace liaison::trust
