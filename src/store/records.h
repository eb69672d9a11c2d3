// Plain records the Store reads and writes, beside the domain types of core/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hold.h"
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

// A resumable upload of an evidence package. The bytes received so far are
// in a partial file of the blob store's temp folder, named by the upload id;
// `received` counts only bytes that were fsync'd before it was stored.
enum class UploadState { kOpen, kCompleted, kRefused };
const char* upload_state_name(UploadState s);
struct EvidenceUpload {
  std::string id;
  std::string request_id;
  std::string user_id;
  std::string org_id;
  std::uint64_t size = 0;      // the whole package, as announced
  std::uint64_t received = 0;  // bytes [0, received) are on disk
  UploadState state = UploadState::kOpen;
  std::optional<std::string> package_id;  // once completed
  std::string created_at;
  std::string updated_at;
};

// A registered evidence package: an attachment of purpose production whose
// bytes are a package the hub checked (docs/evidence-format.md).
struct EvidencePackage {
  std::string id;  // the package id of its header and statement
  std::string request_id;
  std::string attachment_id;
  std::string statement;         // the signed statement line
  std::string statement_sha256;  // hex
  std::string signer_key_id;
  std::uint64_t item_count = 0;
  std::uint64_t total_size = 0;     // plaintext bytes of all items
  std::uint64_t package_bytes = 0;  // the stored file
  std::string registered_at;
};

// One link of an evidence package's chain of custody: who did what with its
// bytes, when, with which credential.
struct CustodyEvent {
  std::int64_t seq = 0;
  std::string request_id;
  std::optional<std::string> package_id;  // none for an upload not yet complete
  std::optional<std::string> upload_id;
  std::string kind;  // upload_started, upload_part, registered, download, verification
  std::string user_id;
  std::string org_id;
  std::optional<std::string> token_id;                 // the API token used, when one was
  std::optional<std::uint64_t> first_byte, last_byte;  // inclusive range, for parts and downloads
  std::optional<std::string> outcome;                  // verification: "verified" or "failed"
  std::string detail;                                  // JSON: the report or what was transferred
  std::string at;
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
  // With issuer_org_id: also the drafts whose issuers asked this
  // organisation to validate them.
  std::optional<std::string> or_validator_org_id;
  bool include_drafts = true;  // false: only what reached the provider (no drafts, no quarantine)
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

// Which holds a caller may list: exactly one of provider/issuer is set by the
// service from the caller's organisation; the rest are user filters.
struct HoldFilter {
  std::optional<std::string> provider_org_id;
  std::optional<std::string> issuer_org_id;
  std::optional<HoldStatus> status;
  std::optional<std::string> expiring_before;  // whole-second RFC 3339 UTC: expires_at < this
  std::optional<std::int64_t> after_seq;       // cursor: rows older than this
  int limit = 50;
};

struct HoldPage {
  std::vector<LegalHold> items;
  std::optional<std::int64_t> next_after_seq;
};

// Requests with a deadline before `before` (or an open user-notification
// task), among those issued by or addressed to one organisation, or all.
struct DeadlineFilter {
  std::optional<std::string> issuer_org_id;
  std::optional<std::string> provider_org_id;  // only what reached the provider
  std::string before;                          // whole-second RFC 3339 UTC
  int limit = 1000;
};

// A reminder of a deadline for one organisation, made once by the sweep and
// marked delivered by whatever sends it on.
struct Reminder {
  std::string id;
  std::string request_id;
  std::string org_id;  // whom it is for
  std::string kind;    // reminder_kind_name (core/request_deadlines.h)
  std::string due_at;  // the deadline it is about
  std::string created_at;
  std::optional<std::string> delivered_at;
  std::optional<std::string> delivered_by;  // user id
  bool operator==(const Reminder&) const = default;
};

// --- Trust ---
// The store keeps trust objects as the JSON their issuers signed; the few
// columns beside it are for lookups. Verifying them is the trust module's job.

// A certificate in the hub's trust store. Roots become anchors only when
// `trusted_root` is set, which only a hub administrator does.
struct StoredCertificate {
  std::string fingerprint;  // hex SHA-256 of the signed certificate
  std::string key_id;
  std::string serial;
  std::string kind;  // root, organisation, user, recipient
  bool trusted_root = false;
  std::string subject_name;
  std::string country;
  std::optional<std::string> org_country;
  std::optional<std::string> org_endpoint_uid;
  std::string not_before;
  std::string not_after;
  std::string issuer_key_id;
  std::string certificate_json;
  std::string added_by;  // user id
  std::string added_at;
};

// The newest revocation list an issuer has published.
struct StoredRevocationList {
  std::string issuer_key_id;
  std::int64_t number = 0;
  std::string issued_at;
  std::string list_json;
  std::string added_by;
  std::string added_at;
};

// A request's signatures as they travel (the signed envelope), and what the
// hub found when it verified them on receipt.
struct RequestSignatures {
  std::string request_id;
  std::string envelope_json;
  std::string digest;  // hex SHA-256 of the canonical payload
  std::string updated_at;
  std::optional<bool> verified_ok;  // none until the request is received
  std::optional<std::string> report_json;
  std::optional<std::string> verified_at;
  // Who signed and the emergency call-back contact, small enough to read on
  // every GET without parsing the envelope: {"signers": [...], "callback": …}.
  std::string summary_json = "{}";
};

// How many co-signatures an organisation's requests need, until the law
// engine derives them from the route.
struct SigningPolicy {
  std::string org_id;
  std::int64_t validators = 0;
  std::int64_t supervisors = 0;
  std::int64_t follow_up_hours = 48;  // EU 2023/1543 Art. 4(5): validation within 48 hours
  std::string updated_by;
  std::string updated_at;
};

// One entry of the tamper-evident ledger, with what only the parties get:
// the salt and the content its commitment binds.
struct LedgerEntryRecord {
  std::int64_t leaf_index = 0;  // 0-based position in the log
  std::string entry;            // canonical JSON, the leaf's bytes
  std::string leaf_hash;        // 32 raw bytes
  std::string salt;             // 32 raw bytes
  std::string content;          // canonical JSON
  std::optional<std::string> request_id;
  std::string created_at;
};

// A signed tree head the hub published.
struct LedgerCheckpointRecord {
  std::int64_t tree_size = 0;
  std::string root;  // 32 raw bytes
  std::string note;  // the C2SP signed note
  std::string created_at;
};

// A witness's cosignature of a checkpoint: its signature line in the note.
struct LedgerCosignatureRecord {
  std::int64_t tree_size = 0;
  std::string witness;  // the witness key's name
  std::string line;     // "— <name> <base64>", without the newline
  std::string added_by;
  std::string added_at;
};

// An issuing organisation's recent activity, for the providers' anomaly
// counters. Only requests received without failure count.
struct IssuerActivity {
  std::int64_t received = 0;   // requests received from it since the window's first day
  std::int64_t emergency = 0;  // of which emergency disclosures
  // The first request it sent this provider, if any.
  std::optional<std::string> first_request_to_provider;
};

// --- Provider directory ---
// The store keeps each entry as the JSON the directory module wrote
// (directory/entry.h) and, beside it, the few columns listings filter on;
// decoding and validating entries is the directory module's job.

struct DirectoryEntryRecord {
  std::string id;  // the entry's slug
  std::int64_t version = 0;
  std::string name;
  std::string legal_entity;
  std::string establishment_country;
  std::vector<std::string> categories;    // ETSI names of the data it holds
  std::optional<std::string> hub_org_id;  // at most one entry per hub organisation
  std::string entry_json;                 // the whole entry as of this version
  std::string updated_by;                 // user id, or "hub"
  std::string updated_at;
};

// One version of an entry, as it was written: every create and edit is one.
struct DirectoryRevisionRecord {
  std::string entry_id;
  std::int64_t version = 0;
  std::string entry_json;
  std::string updated_by;
  std::string updated_at;
};

// Which entries a listing returns; empty fields match all. Entries come in
// the order they were first stored.
struct DirectoryFilter {
  std::optional<std::string> country;
  std::optional<std::string> category;  // an ETSI name
  // Case-insensitive (ASCII) substring of the name or the legal entity.
  std::optional<std::string> text;
  std::optional<std::int64_t> after_seq;  // cursor: rows stored after this one
  int limit = 50;
};

struct DirectoryPage {
  std::vector<DirectoryEntryRecord> items;
  std::optional<std::int64_t> next_after_seq;
};

// --- HI-1 (ETSI TS 103 120) ---
// An HI-1 object a sender created here, kept as it arrived. Object
// identifiers are the sender's, so they are unique per sending
// organisation, not across the hub.
struct Hi1ObjectRecord {
  std::string owner_org_id;               // the organisation whose endpoint sent it
  std::string object_id;                  // its ObjectIdentifier, a lower-case UUID
  std::string object_type;                // "{namespace}Local" of its xsi:type
  std::vector<std::string> associated;    // AssociatedObjects, in order
  std::optional<std::string> request_id;  // the Liaison request a task became
  std::int64_t generation = 1;            // 1, then one more per update
  std::string xml;                        // the HI1Object element, as Liaison writes it
  std::string created_at;
  std::string last_changed;  // RFC 3339 UTC, whole seconds
  bool operator==(const Hi1ObjectRecord&) const = default;
};

// One sender's objects, oldest first; the rest are the LIST filters.
struct Hi1ObjectFilter {
  std::string owner_org_id;
  std::optional<std::string> object_type;
  std::optional<std::string> changed_since;    // last_changed >= this
  std::optional<std::string> associated_with;  // objects that list this one
  int limit = 1000;
};

// Federation between two hubs over HI-1: one piece of work this hub does
// towards a peer hub. On an authority's hub, a request forwarded to the
// provider's hub and followed there (kForward); on a provider's hub, a
// production or a "no data" answer delivered back (kDeliver).
enum class Hi1TransferKind { kForward, kDeliver };
enum class Hi1TransferState {
  kPending,  // not yet accepted by the peer: tried again at next_attempt_at
  kSent,     // accepted; a forwarded task is followed until its status is final
  kDone,
  kRefused,  // the peer refused it for good (last_error says why)
};
const char* hi1_transfer_kind_name(Hi1TransferKind k);
const char* hi1_transfer_state_name(Hi1TransferState s);
std::optional<Hi1TransferKind> hi1_transfer_kind_from_name(std::string_view s);
std::optional<Hi1TransferState> hi1_transfer_state_from_name(std::string_view s);

struct Hi1Transfer {
  std::string id;
  Hi1TransferKind kind = Hi1TransferKind::kForward;
  std::string request_id;
  std::string package_id;      // kDeliver: the package; empty for "the data does not exist"
  std::string peer;            // the remote organisation's endpoint, "CC/ENDPOINT_ID"
  std::string task_object_id;  // the HI-1 task that stands for the request
  Hi1TransferState state = Hi1TransferState::kPending;
  std::string remote_status;       // kForward: the task's status at the provider, as last read
  std::string delivery_id;         // kDeliver: its DeliveryID
  std::int64_t next_sequence = 1;  // kDeliver: the next DeliveryObject's SequenceNumber
  std::uint64_t sent_bytes = 0;    // kDeliver: bytes of the package delivered so far
  std::int64_t attempts = 0;       // failed attempts since the last success
  std::optional<std::string> last_error;
  std::string next_attempt_at;  // RFC 3339 UTC (microseconds)
  std::string created_at;
  std::string updated_at;
  bool operator==(const Hi1Transfer&) const = default;
};

// A production a provider's hub is delivering here in parts over HI-1
// (DeliveryObjects sharing one DeliveryID), until the last part completes it.
struct Hi1InboundDelivery {
  std::string owner_org_id;  // the provider whose endpoint sends it
  std::string delivery_id;
  std::string request_id;
  std::int64_t next_sequence = 1;
  std::uint64_t received = 0;
  std::optional<std::string> package_id;  // once registered
  std::string created_at;
  std::string updated_at;
  bool operator==(const Hi1InboundDelivery&) const = default;
};

// Work for a provider's hub: a production of a request that came over HI-1,
// or such a request answered "not available", not yet delivered back.
struct Hi1DeliveryDue {
  std::string request_id;
  std::string package_id;  // empty: the data does not exist
  std::string task_object_id;
  bool operator==(const Hi1DeliveryDue&) const = default;
};

}  // namespace liaison
