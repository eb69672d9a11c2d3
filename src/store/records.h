// Plain records the Store reads and writes, beside the domain types of core/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/request.h"
#include "core/scope.h"
#include "core/user.h"

namespace liaison {

// An API token as stored: only the SHA-256 of the secret, never the secret.
struct TokenRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_hash;  // hex SHA-256 of the whole token string
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
  Scopes scopes{Scope::kRead, Scope::kWrite};
};

// A token with the user who holds it and their organisation: everything
// authentication needs, read in one query.
struct TokenHolder {
  TokenRecord token;
  User user;
  std::optional<Organisation> org;  // none for hub administrators
};

// What a user signs in with, kept apart from the user record so that reading
// users never reads secrets. Instants are RFC 3339 UTC text like everywhere.
struct Credentials {
  std::string user_id;
  std::optional<std::string> password_hash;  // Argon2id string (trust/password.h)
  std::optional<std::string> password_changed_at;
  // The TOTP secret sealed under the hub's key (trust/secret_box.h), base64url.
  // Present and unconfirmed while an enrolment is pending.
  std::optional<std::string> totp_secret_sealed;
  std::optional<std::string> totp_confirmed_at;
  // The newest time step a code was accepted for; no code of this step or an
  // earlier one is accepted again.
  std::optional<std::int64_t> totp_last_step;
  std::int64_t failed_logins = 0;  // consecutive failures since the last success
  std::optional<std::string> locked_until;
};

// One single-use recovery code, as the SHA-256 of its canonical form.
struct RecoveryCodeRecord {
  std::string user_id;
  std::string code_hash;
  std::optional<std::string> used_at;
};

// An interactive session, known by the SHA-256 of its cookie value and of its
// CSRF token; neither secret is stored.
struct SessionRecord {
  std::string id;
  std::string user_id;
  std::string session_hash;
  std::string csrf_hash;
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;  // the absolute end; the idle end follows from last_seen_at
  std::optional<std::string> revoked_at;
  std::string remote_address;
};

// A session with its user and their organisation, as authentication needs them.
struct SessionHolder {
  SessionRecord session;
  User user;
  std::optional<Organisation> org;
};

// Something that happened to an account: a login, a password set, a token
// minted. Written in the transaction of the change it records.
struct AccountEvent {
  std::int64_t seq = 0;  // global order
  std::string at;
  std::optional<std::string> actor_user_id;    // none for anonymous login attempts
  std::optional<std::string> subject_user_id;  // none when no account matched
  std::optional<std::string> org_id;           // the subject's organisation
  std::string type;
  std::string detail;
  std::string remote_address;  // empty for local administration
};

// One step in a request's timeline.
struct RequestEvent {
  std::int64_t seq = 0;  // global order
  std::string request_id;
  std::string type;  // "created", an action name, "message", "attachment"
  std::string from_status;
  std::string to_status;
  std::string actor_user_id;
  std::string actor_org_id;
  std::string at;
  std::string note;
  std::optional<std::string> object_id;  // message or attachment the event is about
};

struct Message {
  std::string id;
  std::string request_id;
  std::string author_user_id;
  std::string author_org_id;
  std::string body;
  std::string created_at;
};

enum class AttachmentPurpose { kDocument, kProduction };
const char* attachment_purpose_name(AttachmentPurpose p);
std::optional<AttachmentPurpose> attachment_purpose_from_name(std::string_view s);

struct Attachment {
  std::string id;
  std::string request_id;
  std::string uploader_user_id;
  std::string uploader_org_id;
  std::string name;
  std::string media_type;
  std::uint64_t size = 0;
  std::string sha256;  // hex; also the blob's address
  AttachmentPurpose purpose = AttachmentPurpose::kDocument;
  std::string created_at;
};

// What an Idempotency-Key produced the first time it was used.
struct IdempotencyRecord {
  std::string principal_id;
  std::string key;
  std::string fingerprint;  // hash of method, path and body
  std::string resource_kind;
  std::string resource_id;
  std::string created_at;
};

// Which requests a caller may list. Exactly one of issuer/provider is set by
// the service from the caller's organisation; the rest are user filters.
struct RequestFilter {
  std::optional<std::string> issuer_org_id;
  std::optional<std::string> provider_org_id;
  bool include_drafts = true;
  std::vector<RequestStatus> statuses;
  std::optional<RequestKind> kind;
  std::optional<std::string> deadline_before;  // RFC 3339 UTC
  std::optional<std::int64_t> after_seq;       // cursor: list rows older than this
  int limit = 50;
};

struct RequestPage {
  std::vector<Request> items;
  std::optional<std::int64_t> next_after_seq;
};

}  // namespace liaison
