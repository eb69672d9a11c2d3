#include "ledger/entry.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/request_json.h"
#include "ledger/digest.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::ledger {

namespace {

using nlohmann::json;
namespace fields = trust::fields;

// Far above any real entry (about 300 bytes), and low enough that a hostile
// log cannot make an auditor parse megabytes per leaf.
constexpr std::size_t kMaxEntryBytes = 1024;
constexpr std::string_view kCommitmentDomain = "liaison-ledger-v1";
constexpr std::size_t kKeyIdHexDigits = 32;

bool is_lower_hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// The canonical (lower-case) text of a UUID, as core/uuid.h writes it.
bool is_lower_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !is_lower_hex_digit(s[i])) return false;
  }
  return true;
}

bool known_type(std::string_view t) {
  const auto& all = event_types();
  return std::find(all.begin(), all.end(), t) != all.end();
}

// The checks decode_entry makes of the values, shared with encode_entry.
Status check_type(const std::string& t) {
  if (!known_type(t)) return fields::bad("type", "\"" + t + "\" is not a ledger event type");
  return Ok{};
}
Status check_request_id(const std::optional<std::string>& id) {
  if (id && !is_lower_uuid(*id)) return fields::bad("request_id", "must be a lower-case UUID");
  return Ok{};
}
Status check_org(const std::string& org) {
  if (org != "hub" && !is_lower_uuid(org)) {
    return fields::bad("org", "must be a lower-case UUID or \"hub\"");
  }
  return Ok{};
}
Status check_key_id(const std::optional<std::string>& id) {
  if (id && !trust::is_lower_hex(*id, kKeyIdHexDigits)) {
    return fields::bad("key_id", "must be 32 lower-case hex digits (a key id)");
  }
  return Ok{};
}

Result<std::string> time_text(Timestamp t) {
  std::string text = format_rfc3339_micros(t);
  auto back = parse_rfc3339(text, "time");
  // Instants outside years 0000-9999 have no RFC 3339 form to read back.
  if (!back.ok() || *back != t)
    return fields::bad("time", "is outside the years RFC 3339 can write");
  return text;
}

// The RFC 8785 form of a checked entry. Every value has been checked to be
// ASCII of the kinds [0-9a-z.:_TZ-], which JSON writes without escapes, and
// the members are in JCS order, so plain concatenation is the canonical form;
// it is several times cheaper than building and canonicalising a JSON value,
// which matters to an auditor reading millions of entries. A test holds it
// equal to trust::canonical_json.
std::string canonical_bytes(const Entry& e, std::string_view time) {
  auto string_or_null = [](std::string& out, const std::optional<std::string>& s) {
    if (s) {
      out += '"';
      out += *s;
      out += '"';
    } else {
      out += "null";
    }
  };
  std::string out;
  out.reserve(320);
  out += R"({"commitment":")";
  out += to_hex(e.commitment);
  out += R"(","key_id":)";
  string_or_null(out, e.key_id);
  out += R"(,"org":")";
  out += e.org;
  out += R"(","request_id":)";
  string_or_null(out, e.request_id);
  out += R"(,"time":")";
  out += time;
  out += R"(","type":")";
  out += e.type;
  out += R"(","v":1})";
  return out;
}

Result<std::optional<std::string>> nullable_string(const json& obj, std::string_view name) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, fields::require(obj, name, ""));
  if (v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    return fields::bad(std::string(name),
                       std::string("must be a string or null, not ") + v->type_name());
  }
  return std::optional<std::string>(v->get<std::string>());
}

// The one spelling an entry may have, scanned without a JSON parser: an
// auditor reads millions. Nothing is accepted here that the full decoder
// below would refuse: the values are checked alike and the bytes compared with
// their canonical form. Anything else goes to the full decoder, which says
// what is wrong.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool literal(std::string_view l) {
    if (s_.substr(pos_, l.size()) != l) return false;
    pos_ += l.size();
    return true;
  }
  // A string without escapes (the checked values need none), quotes consumed.
  std::optional<std::string> string() {
    if (!literal("\"")) return std::nullopt;
    auto end = s_.find_first_of("\"\\", pos_);
    if (end == std::string_view::npos || s_[end] != '"') return std::nullopt;
    std::string out(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }
  // A string or null.
  std::optional<std::optional<std::string>> nullable() {
    if (literal("null")) return std::optional<std::string>();
    auto v = string();
    if (!v) return std::nullopt;
    return std::optional<std::string>(std::move(*v));
  }
  bool at_end() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::optional<Entry> scan_canonical(std::string_view bytes) {
  Scanner in(bytes);
  Entry e;
  if (!in.literal(R"({"commitment":)")) return std::nullopt;
  auto commitment = in.string();
  if (!commitment || !in.literal(R"(,"key_id":)")) return std::nullopt;
  auto key_id = in.nullable();
  if (!key_id || !in.literal(R"(,"org":)")) return std::nullopt;
  auto org = in.string();
  if (!org || !in.literal(R"(,"request_id":)")) return std::nullopt;
  auto request_id = in.nullable();
  if (!request_id || !in.literal(R"(,"time":)")) return std::nullopt;
  auto time = in.string();
  if (!time || !in.literal(R"(,"type":)")) return std::nullopt;
  auto type = in.string();
  if (!type || !in.literal(R"(,"v":1})") || !in.at_end()) return std::nullopt;
  e.type = std::move(*type);
  e.request_id = std::move(*request_id);
  e.org = std::move(*org);
  e.key_id = std::move(*key_id);
  if (!check_type(e.type).ok() || !check_request_id(e.request_id).ok() || !check_org(e.org).ok() ||
      !check_key_id(e.key_id).ok())
    return std::nullopt;
  auto t = parse_rfc3339(*time, "time");
  if (!t.ok() || format_rfc3339_micros(*t) != *time) return std::nullopt;
  e.time = *t;
  if (!trust::is_lower_hex(*commitment, 64)) return std::nullopt;
  auto c = hash_from_hex(*commitment, "commitment");
  if (!c.ok()) return std::nullopt;
  e.commitment = *c;
  // Every member matched its literal, in order, and every value is in the one
  // form canonical_bytes writes, so these bytes are the canonical ones.
  return e;
}

}  // namespace

const std::vector<std::string>& event_types() {
  static const std::vector<std::string> kTypes = {
      "request.created",
      "request.signed",
      "request.submitted",
      "request.received",
      "request.quarantined",
      "request.acknowledged",
      "request.clarification_requested",
      "request.clarified",
      "request.accepted",
      "request.rejected",
      "request.cancelled",
      "request.preserved",
      "request.extended",
      "request.released",
      "request.produced",
      "request.not_available",
      "request.expired",
      "request.follow_up",
      "request.follow_up_overdue",
      "request.user_notification_permitted",
      "request.user_notified",
      "hold.created",
      "hold.renewed",
      "hold.released",
      "hold.expired",
      "message.sent",
      "attachment.added",
      "evidence.upload_started",
      "evidence.upload_part",
      "evidence.refused",
      "evidence.produced",
      "evidence.downloaded",
      "evidence.verified",
      "certificate.added",
      "root.added",
      "root.distrusted",
      "revocation.published",
      "user.created",
      "user.disabled",
      "user.enabled",
      "key.certified",
      "directory.entry_created",
      "directory.entry_updated",
      // Appended, not grouped: test vectors index this list.
      "request.validation_requested",
      "request.forwarded",
      "request.forward_refused",
      "request.remote_status",
      "evidence.delivered",
      "evidence.delivery_refused",
      "request.follows_preservation",
      "request.followed_by_production",
  };
  return kTypes;
}

Result<std::string> encode_entry(const Entry& e) {
  LIAISON_TRY(check_type(e.type));
  LIAISON_TRY(check_request_id(e.request_id));
  LIAISON_TRY(check_org(e.org));
  LIAISON_TRY(check_key_id(e.key_id));
  LIAISON_ASSIGN_OR_RETURN(std::string time, time_text(e.time));
  return canonical_bytes(e, time);
}

Result<Entry> decode_entry(std::string_view bytes) {
  if (bytes.size() > kMaxEntryBytes) {
    return fields::bad("entry", "is longer than " + std::to_string(kMaxEntryBytes) + " bytes");
  }
  if (auto fast = scan_canonical(bytes)) return *std::move(fast);
  auto parsed = parse_json_text(bytes);
  if (!parsed.ok()) return fields::bad("entry", parsed.error().message);
  const json& j = *parsed;
  LIAISON_TRY(fields::object_with(
      j, "", {"commitment", "key_id", "org", "request_id", "time", "type", "v"}));
  LIAISON_TRY(fields::version(j, "v", ""));
  Entry e;
  LIAISON_ASSIGN_OR_RETURN(e.type, fields::string(j, "type", "", 64));
  LIAISON_TRY(check_type(e.type));
  LIAISON_ASSIGN_OR_RETURN(e.request_id, nullable_string(j, "request_id"));
  LIAISON_TRY(check_request_id(e.request_id));
  LIAISON_ASSIGN_OR_RETURN(e.org, fields::string(j, "org", "", 64));
  LIAISON_TRY(check_org(e.org));
  LIAISON_ASSIGN_OR_RETURN(e.key_id, nullable_string(j, "key_id"));
  LIAISON_TRY(check_key_id(e.key_id));
  LIAISON_ASSIGN_OR_RETURN(std::string time, fields::string(j, "time", "", 64));
  auto t = parse_rfc3339(time, "time");
  if (!t.ok() || format_rfc3339_micros(*t) != time) {
    return fields::bad("time",
                       "must be UTC with six fractional digits, as 2026-01-02T03:04:05.000000Z");
  }
  e.time = *t;
  LIAISON_ASSIGN_OR_RETURN(std::string commitment, fields::string(j, "commitment", "", 64));
  auto c = hash_from_hex(commitment, "commitment");
  if (!c.ok()) return fields::bad("commitment", "must be 64 lower-case hex digits");
  e.commitment = *c;
  // The leaf hash is over these bytes: two spellings of one entry would be
  // two leaves, so only the canonical one is an entry.
  if (canonical_bytes(e, time) != bytes) {
    return fields::bad("entry",
                       "is not in canonical form (RFC 8785, no whitespace, members sorted)");
  }
  return e;
}

std::string new_salt() { return trust::random_bytes(kSaltBytes); }

Result<Hash> commit(std::string_view salt, std::string_view content) {
  if (salt.size() != kSaltBytes) {
    return fields::bad("salt", "must be " + std::to_string(kSaltBytes) + " bytes, not " +
                                   std::to_string(salt.size()));
  }
  static constexpr char kSeparator = 0x00;
  return internal::sha256_of({kCommitmentDomain, std::string_view(&kSeparator, 1), salt, content});
}

}  // namespace liaison::ledger
