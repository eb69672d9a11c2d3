#include "evidence/manifest.h"

#include <nlohmann/json.hpp>

#include "core/request_json.h"
#include "evidence/format.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

using nlohmann::json;
namespace fields = trust::fields;

namespace {

constexpr std::size_t kMaxNameBytes = 1024;
constexpr std::size_t kMaxComponentBytes = 255;
constexpr std::size_t kMaxMediaTypeBytes = 127;
constexpr std::size_t kMaxDescriptionBytes = 4096;
constexpr std::size_t kMaxReferenceBytes = 128;

json org_json(const trust::OrgRef& o) {
  return {{"country", o.country}, {"endpoint_uid", o.endpoint_uid}, {"name", o.name}};
}

Result<trust::OrgRef> org_from_json(const json& j, const std::string& path, OrgKind kind) {
  LIAISON_TRY(fields::object_with(j, path, {"country", "endpoint_uid", "name"}));
  trust::OrgRef o;
  o.kind = kind;
  LIAISON_ASSIGN_OR_RETURN(o.country, fields::string(j, "country", path, 2));
  if (o.country.size() != 2 || o.country[0] < 'A' || o.country[0] > 'Z' || o.country[1] < 'A' ||
      o.country[1] > 'Z') {
    return fields::bad(fields::join(path, "country"), "must be an ISO 3166-1 alpha-2 code");
  }
  LIAISON_ASSIGN_OR_RETURN(o.endpoint_uid, fields::string(j, "endpoint_uid", path, 128));
  LIAISON_ASSIGN_OR_RETURN(o.name, fields::string(j, "name", path, 400));
  return o;
}

// The line must be exactly what we would write for the object it holds: a
// second spelling of the same statement would be a second signed text.
Result<json> parse_canonical(std::string_view line, const std::string& path) {
  auto parsed = parse_json_text(line);
  if (!parsed.ok()) return fields::bad(path, "not JSON: " + parsed.error().message);
  if (!parsed->is_object()) return fields::bad(path, "must be a JSON object");
  auto canonical = trust::canonical_json(*parsed);
  if (!canonical.ok() || *canonical != line) {
    return fields::bad(path,
                       "not in canonical form (RFC 8785: no whitespace, members sorted, "
                       "minimal escapes)");
  }
  return std::move(parsed).value();
}

Result<std::string> hex_member(const json& j, std::string_view name, const std::string& path,
                               std::size_t digits) {
  LIAISON_ASSIGN_OR_RETURN(std::string v, fields::string(j, name, path, digits));
  if (!trust::is_lower_hex(v, digits)) {
    return fields::bad(fields::join(path, name),
                       "must be " + std::to_string(digits) + " lower-case hex digits");
  }
  return v;
}

Result<std::uint64_t> unsigned_member(const json& j, std::string_view name, const std::string& path,
                                      std::uint64_t min, std::uint64_t max) {
  LIAISON_ASSIGN_OR_RETURN(std::int64_t v,
                           fields::integer(j, name, path, static_cast<std::int64_t>(min),
                                           static_cast<std::int64_t>(max)));
  return static_cast<std::uint64_t>(v);
}

// A string member that may be empty, unlike fields::string.
Result<std::string> text_member(const json& j, std::string_view name, const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, fields::require(j, name, path));
  if (!v->is_string()) return fields::bad(fields::join(path, name), "must be a string");
  return v->get<std::string>();
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool is_restricted_name_char(char c) {
  // RFC 6838 §4.2 restricted-name-chars, lower case only.
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '#' || c == '$' ||
         c == '&' || c == '-' || c == '^' || c == '_' || c == '.' || c == '+';
}

bool valid_restricted_name(std::string_view s) {
  if (s.empty() || s.size() > 127) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  for (char c : s) {
    if (!is_restricted_name_char(c)) return false;
  }
  return true;
}

}  // namespace

Status validate_name(std::string_view name, const std::string& field) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return fields::bad(field, "must be 1 to 1024 bytes, not " + std::to_string(name.size()));
  }
  if (!trust::valid_utf8(name)) return fields::bad(field, "is not valid UTF-8");
  std::size_t start = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size()) {
      auto c = static_cast<unsigned char>(name[i]);
      if (c == '\\') {
        return fields::bad(field, "contains a backslash at byte " + std::to_string(i) +
                                      "; components are separated by '/'");
      }
      if (is_control(c)) {
        return fields::bad(field, "contains a control character at byte " + std::to_string(i));
      }
      if (c != '/') continue;
    }
    std::string_view component = name.substr(start, i - start);
    if (component.empty()) {
      return fields::bad(field, start == 0 ? "must be a relative path (it begins with '/')"
                                : i == name.size()
                                    ? "must not end with '/'"
                                    : "has an empty component at byte " + std::to_string(start));
    }
    if (component.size() > kMaxComponentBytes) {
      return fields::bad(field,
                         "has a component longer than 255 bytes at byte " + std::to_string(start));
    }
    if (component == "." || component == "..") {
      return fields::bad(field, "has a '" + std::string(component) + "' component at byte " +
                                    std::to_string(start));
    }
    start = i + 1;
  }
  return Ok{};
}

Status validate_media_type(std::string_view media_type, const std::string& field) {
  std::size_t slash = media_type.find('/');
  if (media_type.size() > kMaxMediaTypeBytes || slash == std::string_view::npos ||
      !valid_restricted_name(media_type.substr(0, slash)) ||
      !valid_restricted_name(media_type.substr(slash + 1))) {
    return fields::bad(field,
                       "must be type/subtype in lower case (RFC 6838), at most 127 bytes, such "
                       "as application/octet-stream");
  }
  return Ok{};
}

Status validate_description(std::string_view description, const std::string& field) {
  if (description.size() > kMaxDescriptionBytes) {
    return fields::bad(field, "is longer than 4096 bytes");
  }
  if (!trust::valid_utf8(description)) return fields::bad(field, "is not valid UTF-8");
  return Ok{};
}

Status validate_reference(std::string_view reference, const std::string& field) {
  if (reference.empty() || reference.size() > kMaxReferenceBytes) {
    return fields::bad(field, "must be 1 to 128 bytes");
  }
  if (!trust::valid_utf8(reference)) return fields::bad(field, "is not valid UTF-8");
  for (char c : reference) {
    if (is_control(static_cast<unsigned char>(c))) {
      return fields::bad(field, "must be printable text (it has a control character)");
    }
  }
  return Ok{};
}

Result<std::string> encode_statement(const Statement& s) {
  json recipients = json::array();
  for (const RecipientRef& r : s.recipients) {
    recipients.push_back(
        {{"key_id", r.key_id}, {"name", r.name}, {"organisation", org_json(r.organisation)}});
  }
  json j = {{"liaison_evidence", 1},
            {"package_id", s.package_id},
            {"request_id", s.request_id},
            {"reference", s.reference},
            {"producer", org_json(s.producer)},
            {"created_at", format_rfc3339(s.created_at)},
            {"aead", aead_name(s.aead)},
            {"chunk_size", s.chunk_size},
            {"header_sha256", s.header_sha256},
            {"recipients", std::move(recipients)},
            {"item_count", s.item_count},
            {"total_size", s.total_size},
            {"merkle_root", s.merkle_root},
            {"signer_key_id", s.signer_key_id}};
  return trust::canonical_json(j);
}

Result<std::string> encode_item(const Item& item) {
  json j = {{"index", item.index}, {"name", item.name},     {"media_type", item.media_type},
            {"size", item.size},   {"sha256", item.sha256}, {"description", item.description}};
  return trust::canonical_json(j);
}

Result<std::string> encode_signature(const SignatureBlock& sig) {
  json certs = json::array();
  for (const trust::Certificate& c : sig.certificates) certs.push_back(trust::to_json(c));
  json j = {{"key_id", sig.key_id},
            {"signature", trust::base64url_encode(sig.signature)},
            {"certificates", std::move(certs)}};
  return trust::canonical_json(j);
}

Result<Statement> decode_statement(std::string_view line, const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(json j, parse_canonical(line, path));
  LIAISON_TRY(fields::object_with(
      j, path,
      {"aead", "chunk_size", "created_at", "header_sha256", "item_count", "liaison_evidence",
       "merkle_root", "package_id", "producer", "recipients", "reference", "request_id",
       "signer_key_id", "total_size"}));
  LIAISON_TRY(fields::version(j, "liaison_evidence", path));
  Statement s;
  LIAISON_ASSIGN_OR_RETURN(s.package_id, fields::string(j, "package_id", path, 36));
  LIAISON_TRY(uuid_bytes(s.package_id, fields::join(path, "package_id")));
  LIAISON_ASSIGN_OR_RETURN(s.request_id, fields::string(j, "request_id", path, 36));
  LIAISON_TRY(uuid_bytes(s.request_id, fields::join(path, "request_id")));
  LIAISON_ASSIGN_OR_RETURN(s.reference, text_member(j, "reference", path));
  LIAISON_TRY(validate_reference(s.reference, fields::join(path, "reference")));
  LIAISON_ASSIGN_OR_RETURN(const json* producer, fields::require(j, "producer", path));
  LIAISON_ASSIGN_OR_RETURN(
      s.producer, org_from_json(*producer, fields::join(path, "producer"), OrgKind::kProvider));
  LIAISON_ASSIGN_OR_RETURN(s.created_at, fields::timestamp(j, "created_at", path));
  if (s.created_at.unix_micros % 1'000'000 != 0) {
    return fields::bad(fields::join(path, "created_at"), "must be whole seconds");
  }
  LIAISON_ASSIGN_OR_RETURN(std::string aead, fields::string(j, "aead", path, 32));
  auto a = aead_from_name(aead);
  if (!a) {
    return fields::bad(fields::join(path, "aead"), "must be aes-256-gcm or xchacha20poly1305");
  }
  s.aead = *a;
  LIAISON_ASSIGN_OR_RETURN(std::uint64_t chunk,
                           unsigned_member(j, "chunk_size", path, std::uint64_t{1} << kMinChunkLog2,
                                           std::uint64_t{1} << kMaxChunkLog2));
  if ((chunk & (chunk - 1)) != 0) {
    return fields::bad(fields::join(path, "chunk_size"), "must be a power of two");
  }
  s.chunk_size = static_cast<std::uint32_t>(chunk);
  LIAISON_ASSIGN_OR_RETURN(s.header_sha256, hex_member(j, "header_sha256", path, 64));
  LIAISON_ASSIGN_OR_RETURN(const json* recipients, fields::require(j, "recipients", path));
  std::string rpath = fields::join(path, "recipients");
  if (!recipients->is_array() || recipients->empty() || recipients->size() > kMaxRecipients) {
    return fields::bad(rpath, "must be an array of 1 to 64 recipients");
  }
  for (std::size_t i = 0; i < recipients->size(); ++i) {
    const json& r = (*recipients)[i];
    std::string at = rpath + "/" + std::to_string(i);
    LIAISON_TRY(fields::object_with(r, at, {"key_id", "name", "organisation"}));
    RecipientRef ref;
    LIAISON_ASSIGN_OR_RETURN(ref.key_id, hex_member(r, "key_id", at, 32));
    LIAISON_ASSIGN_OR_RETURN(ref.name, fields::string(r, "name", at, 400));
    LIAISON_ASSIGN_OR_RETURN(const json* org, fields::require(r, "organisation", at));
    LIAISON_ASSIGN_OR_RETURN(ref.organisation, org_from_json(*org, fields::join(at, "organisation"),
                                                             OrgKind::kAuthority));
    s.recipients.push_back(std::move(ref));
  }
  LIAISON_ASSIGN_OR_RETURN(s.item_count, unsigned_member(j, "item_count", path, 1, kMaxItems));
  LIAISON_ASSIGN_OR_RETURN(s.total_size, unsigned_member(j, "total_size", path, 0, kMaxItemSize));
  LIAISON_ASSIGN_OR_RETURN(s.merkle_root, hex_member(j, "merkle_root", path, 64));
  LIAISON_ASSIGN_OR_RETURN(s.signer_key_id, hex_member(j, "signer_key_id", path, 32));
  return s;
}

Result<Item> decode_item(std::string_view line, std::uint64_t expected_index,
                         const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(json j, parse_canonical(line, path));
  LIAISON_TRY(fields::object_with(
      j, path, {"description", "index", "media_type", "name", "sha256", "size"}));
  Item item;
  LIAISON_ASSIGN_OR_RETURN(item.index, unsigned_member(j, "index", path, 0, kMaxItems - 1));
  if (item.index != expected_index) {
    return fields::bad(fields::join(path, "index"),
                       "is " + std::to_string(item.index) + " where item " +
                           std::to_string(expected_index) + " belongs (items are in order)");
  }
  LIAISON_ASSIGN_OR_RETURN(item.name, text_member(j, "name", path));
  LIAISON_TRY(validate_name(item.name, fields::join(path, "name")));
  LIAISON_ASSIGN_OR_RETURN(item.media_type, text_member(j, "media_type", path));
  LIAISON_TRY(validate_media_type(item.media_type, fields::join(path, "media_type")));
  LIAISON_ASSIGN_OR_RETURN(item.size, unsigned_member(j, "size", path, 0, kMaxItemSize));
  LIAISON_ASSIGN_OR_RETURN(item.sha256, hex_member(j, "sha256", path, 64));
  LIAISON_ASSIGN_OR_RETURN(item.description, text_member(j, "description", path));
  LIAISON_TRY(validate_description(item.description, fields::join(path, "description")));
  return item;
}

Result<SignatureBlock> decode_signature(std::string_view line, const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(json j, parse_canonical(line, path));
  LIAISON_TRY(fields::object_with(j, path, {"certificates", "key_id", "signature"}));
  SignatureBlock sig;
  LIAISON_ASSIGN_OR_RETURN(sig.key_id, hex_member(j, "key_id", path, 32));
  LIAISON_ASSIGN_OR_RETURN(sig.signature,
                           fields::base64url(j, "signature", path, trust::kSignatureBytes));
  LIAISON_ASSIGN_OR_RETURN(const json* certs, fields::require(j, "certificates", path));
  std::string cpath = fields::join(path, "certificates");
  if (!certs->is_array() || certs->size() != 2) {
    return fields::bad(cpath,
                       "must be an array of two certificates: the signer's, then its "
                       "organisation's");
  }
  for (std::size_t i = 0; i < certs->size(); ++i) {
    LIAISON_ASSIGN_OR_RETURN(
        trust::Certificate c,
        trust::certificate_from_json((*certs)[i], cpath + "/" + std::to_string(i)));
    sig.certificates.push_back(std::move(c));
  }
  return sig;
}

std::string signing_input(std::string_view statement_line) {
  std::string out(kSignatureContext);
  out += statement_line;
  return out;
}

Status check_signature(const Statement& statement, std::string_view statement_line,
                       const SignatureBlock& sig, const std::string& path) {
  if (sig.key_id != statement.signer_key_id) {
    return fields::bad(
        fields::join(path, "key_id"),
        "is " + sig.key_id + ", but the statement's signer_key_id is " + statement.signer_key_id);
  }
  std::string cpath = fields::join(path, "certificates");
  if (sig.certificates.size() != 2) {
    return fields::bad(cpath, "must be the signer's certificate and its organisation's");
  }
  const trust::Certificate& signer = sig.certificates[0];
  const trust::Certificate& org = sig.certificates[1];
  auto same_org = [&](const trust::Certificate& c) {
    return c.organisation && c.organisation->same_identity(statement.producer) &&
           c.organisation->name == statement.producer.name;
  };
  if (signer.kind != trust::CertKind::kUser) {
    return fields::bad(cpath + "/0", "must be a user certificate, not " +
                                         std::string(trust::cert_kind_name(signer.kind)));
  }
  if (signer.key_id() != sig.key_id) {
    return fields::bad(cpath + "/0",
                       "certifies key " + signer.key_id() + ", not the signer's " + sig.key_id);
  }
  if (!same_org(signer)) {
    return fields::bad(cpath + "/0/organisation", "is not the statement's producer");
  }
  if (org.kind != trust::CertKind::kOrganisation || !same_org(org)) {
    return fields::bad(cpath + "/1", "must be the certificate of the producing organisation");
  }
  if (signer.issuer_key_id != org.key_id()) {
    return fields::bad(cpath + "/1", "did not issue the signer's certificate (its key is " +
                                         org.key_id() + ", the issuer's " + signer.issuer_key_id +
                                         ")");
  }
  // The organisation's own certificate needs the root to check; but whether
  // it signed the signer's is known from the two alone.
  if (!trust::certificate_signature_valid(signer, org.public_key)) {
    return fields::bad(cpath + "/0",
                       "is not signed by the organisation certificate that follows "
                       "it: it was altered");
  }
  if (!trust::verify_signature(signer.public_key, signing_input(statement_line), sig.signature)) {
    return fields::bad(fields::join(path, "signature"),
                       "does not verify with the key of the signer's certificate");
  }
  return Ok{};
}

}  // namespace liaison::evidence
