// The storage interface. One interface, several backends (SQLite now,
// PostgreSQL later), one contract test suite.
//
// All access happens inside a transaction callback. Reads see a consistent
// snapshot. Writes are serialised and durable when write() returns OK: the
// SQLite backend batches concurrent writes into one commit (group commit), so
// a write callback must only touch the WriteTx it is given, and must not wait
// for other writes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/request.h"
#include "core/result.h"
#include "core/user.h"
#include "store/records.h"

namespace liaison {

class ReadTx {
 public:
  virtual ~ReadTx() = default;
  virtual Result<Organisation> get_org(const std::string& id) = 0;
  virtual Result<std::vector<Organisation>> list_orgs() = 0;
  virtual Result<User> get_user(const std::string& id) = 0;
  virtual Result<User> get_user_by_email(const std::string& email) = 0;
  virtual Result<std::vector<User>> list_users(const std::optional<std::string>& org_id) = 0;
  virtual Result<TokenRecord> get_token_by_hash(const std::string& token_hash) = 0;
  // The token, its user and their organisation; kNotFound when no token has this hash.
  virtual Result<TokenHolder> get_token_holder(const std::string& token_hash) = 0;
  virtual Result<std::vector<TokenRecord>> list_tokens(const std::string& user_id) = 0;
  virtual Result<Request> get_request(const std::string& id) = 0;

  // --- Ledger ---
  // How many entries the log holds.
  virtual Result<std::int64_t> ledger_size() = 0;
  // The leaves are stored in tiles of kLedgerTileLeaves: the leaf hashes of
  // leaves [tile * 8, tile * 8 + 8), concatenated (32 raw bytes each; fewer in
  // the last tile). kNotFound past the log's end.
  static constexpr std::int64_t kLedgerTileLeaves = 8;
  static constexpr int kLedgerTileHeight = 3;
  virtual Result<std::string> ledger_tile(std::int64_t tile) = 0;
  // The hash of the complete subtree (level, index), level >= kLedgerTileHeight,
  // as 32 raw bytes; the levels below are hashed from tiles. kNotFound when absent.
  virtual Result<std::string> ledger_node(int level, std::int64_t index) = 0;
  // Calls `fn` with every stored node from `min_level` up, in key order: for
  // loading the upper levels into memory at once.
  virtual Status for_each_ledger_node(
      int min_level,
      const std::function<void(int level, std::int64_t index, const std::string& hash)>& fn) = 0;
  // Entries [start, end), in order.
  virtual Result<std::vector<LedgerEntryRecord>> ledger_entries(std::int64_t start,
                                                                std::int64_t end) = 0;
  // A request's entries in order; without content, salt and content are empty.
  virtual Result<std::vector<LedgerEntryRecord>> ledger_entries_of_request(
      const std::string& request_id, bool with_content) = 0;
  // The index of the first leaf with this hash (32 raw bytes) among the first
  // `size` leaves; kNotFound when none has it. A sequential scan of the tiles.
  virtual Result<std::int64_t> ledger_find_leaf(const std::string& leaf_hash,
                                                std::int64_t size) = 0;
  virtual Result<std::optional<LedgerCheckpointRecord>> latest_ledger_checkpoint() = 0;
  // kNotFound unless a checkpoint of exactly this size was published.
  virtual Result<LedgerCheckpointRecord> ledger_checkpoint(std::int64_t tree_size) = 0;
  // The witnesses' cosignatures of the checkpoint of this size, by witness name.
  virtual Result<std::vector<LedgerCosignatureRecord>> ledger_cosignatures(
      std::int64_t tree_size) = 0;
  virtual Result<RequestPage> list_requests(const RequestFilter& filter) = 0;
  virtual Result<std::vector<RequestEvent>> list_events(const std::string& request_id) = 0;
  virtual Result<std::vector<Message>> list_messages(const std::string& request_id) = 0;
  virtual Result<Message> get_message(const std::string& id) = 0;
  virtual Result<std::vector<Attachment>> list_attachments(const std::string& request_id) = 0;
  virtual Result<Attachment> get_attachment(const std::string& id) = 0;
  // --- Evidence packages ---
  virtual Result<EvidenceUpload> get_evidence_upload(const std::string& id) = 0;
  virtual Result<std::vector<EvidencePackage>> list_evidence_packages(
      const std::string& request_id) = 0;
  virtual Result<EvidencePackage> get_evidence_package(const std::string& id) = 0;
  // kNotFound unless the attachment is a registered package.
  virtual Result<EvidencePackage> get_evidence_package_of_attachment(
      const std::string& attachment_id) = 0;
  // A request's custody events, oldest first.
  virtual Result<std::vector<CustodyEvent>> list_custody_events(const std::string& request_id) = 0;
  virtual Result<IdempotencyRecord> get_idempotency(const std::string& principal_id,
                                                    const std::string& key) = 0;
  // Number of requests per status, for /metrics.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> count_requests_by_status() = 0;

  // --- Trust: certificates, revocation lists, signatures, replay memory ---
  virtual Result<std::vector<StoredCertificate>> list_certificates() = 0;
  virtual Result<std::vector<StoredRevocationList>> list_revocation_lists() = 0;
  // kNotFound when the request carries no signatures yet.
  virtual Result<RequestSignatures> get_request_signatures(const std::string& request_id) = 0;
  // Empty when the organisation has no policy of its own.
  virtual Result<std::optional<SigningPolicy>> get_signing_policy(const std::string& org_id) = 0;
  // The request that first used this nonce or signed request id, if any.
  virtual Result<std::optional<std::string>> find_seen(const std::string& value) = 0;
  // Activity of `issuer_org_id` on days from `since_day` (YYYY-MM-DD, UTC),
  // and its first request to `provider_org_id`.
  virtual Result<IssuerActivity> issuer_activity(const std::string& issuer_org_id,
                                                 const std::string& provider_org_id,
                                                 const std::string& since_day) = 0;
  // Emergency requests whose follow-up legal process is due before `at` and
  // neither done nor escalated yet.
  virtual Result<std::vector<Request>> list_follow_ups_due(const std::string& at) = 0;
  // --- Holds, deadlines, reminders ---
  // A hold with its renewals; kNotFound when there is none with this id.
  virtual Result<LegalHold> get_hold(const std::string& id) = 0;
  // Newest first, with their renewals.
  virtual Result<HoldPage> list_holds(const HoldFilter& filter) = 0;
  virtual Result<std::vector<LegalHold>> list_holds_of_request(const std::string& request_id) = 0;
  // Requests with an open deadline before filter.before (core/request_deadlines.h
  // says which are open; this only narrows), oldest first.
  virtual Result<std::vector<Request>> list_requests_with_deadlines(
      const DeadlineFilter& filter) = 0;
  // Requests sent to their provider whose gag order ended before `at`, that
  // are not cancelled and have no user-notification task yet.
  virtual Result<std::vector<Request>> list_gags_lapsed(const std::string& at) = 0;
  // An organisation's reminders, oldest due first; only undelivered ones when asked.
  virtual Result<std::vector<Reminder>> list_reminders(const std::string& org_id,
                                                       bool undelivered_only, int limit) = 0;
  virtual Result<Reminder> get_reminder(const std::string& id) = 0;
  // --- HI-1 objects ---
  // kNotFound when `owner_org_id` created no object with this id.
  virtual Result<Hi1ObjectRecord> get_hi1_object(const std::string& owner_org_id,
                                                 const std::string& object_id) = 0;
  virtual Result<std::vector<Hi1ObjectRecord>> list_hi1_objects(const Hi1ObjectFilter& filter) = 0;
  // --- HI-1 federation ---
  // The transfer of `kind` for the task `task_object_id` towards `peer`;
  // kNotFound when there is none.
  virtual Result<Hi1Transfer> find_hi1_transfer(Hi1TransferKind kind, const std::string& peer,
                                                const std::string& task_object_id) = 0;
  // Transfers still pending or sent, oldest first.
  virtual Result<std::vector<Hi1Transfer>> list_open_hi1_transfers(int limit) = 0;
  // Requests `issuer_org_id` sent to `provider_org_id` (submitted, so
  // verified, and not drafts or quarantined) that were never forwarded.
  virtual Result<std::vector<std::string>> list_requests_to_forward(
      const std::string& issuer_org_id, const std::string& provider_org_id, int limit) = 0;
  // Productions of requests `sender_org_id` sent `provider_org_id` here over
  // HI-1, and such requests answered "not available", with no delivery back yet.
  virtual Result<std::vector<Hi1DeliveryDue>> list_hi1_deliveries_due(
      const std::string& sender_org_id, const std::string& provider_org_id, int limit) = 0;
  // kNotFound when `owner_org_id` started no delivery with this id here.
  virtual Result<Hi1InboundDelivery> get_hi1_inbound_delivery(const std::string& owner_org_id,
                                                              const std::string& delivery_id) = 0;
  // --- Credentials and sessions ---
  // Passwords, second factors and sessions live beside the user record; reads
  // of users never touch them. kNotFound when the user has no credentials yet.
  virtual Result<Credentials> get_credentials(const std::string& user_id) = 0;
  virtual Result<std::vector<RecoveryCodeRecord>> list_recovery_codes(
      const std::string& user_id) = 0;
  // The session, its user and their organisation; kNotFound when no session
  // has this hash, whatever its state.
  virtual Result<SessionHolder> get_session_holder(const std::string& session_hash) = 0;
  virtual Result<std::vector<SessionRecord>> list_sessions(const std::string& user_id) = 0;
  // The events about one account, oldest first.
  virtual Result<std::vector<AccountEvent>> list_account_events(
      const std::string& subject_user_id) = 0;
  // --- Provider directory ---
  // kNotFound when there is no entry with this id.
  virtual Result<DirectoryEntryRecord> get_directory_entry(const std::string& id) = 0;
  // The entry whose contact.hub_org_id is `org_id`, if any.
  virtual Result<std::optional<DirectoryEntryRecord>> find_directory_entry_of_org(
      const std::string& org_id) = 0;
  virtual Result<DirectoryPage> list_directory_entries(const DirectoryFilter& filter) = 0;
  // Every version of an entry, oldest first; empty when there is no such entry.
  virtual Result<std::vector<DirectoryRevisionRecord>> list_directory_revisions(
      const std::string& id) = 0;
};

class WriteTx : public ReadTx {
 public:
  virtual Status insert_org(const Organisation& org) = 0;
  virtual Status insert_user(const User& user) = 0;
  virtual Status insert_token(const TokenRecord& token) = 0;
  virtual Status revoke_token(const std::string& id, const std::string& at) = 0;
  // Next number in the issuing organisation's reference sequence for a year.
  virtual Result<std::int64_t> next_request_number(const std::string& issuer_org_id, int year) = 0;
  virtual Status insert_request(const Request& request, std::int64_t number, int year) = 0;
  // Replaces the mutable parts of a request. Fails with kPreconditionFailed
  // unless the stored version equals expected_version.
  virtual Status update_request(const Request& request, std::int64_t expected_version) = 0;
  virtual Status insert_event(const RequestEvent& event) = 0;
  virtual Status insert_message(const Message& message) = 0;
  virtual Status insert_attachment(const Attachment& attachment) = 0;
  virtual Status insert_idempotency(const IdempotencyRecord& record) = 0;
  virtual Status insert_evidence_upload(const EvidenceUpload& upload) = 0;
  // Moves `received` from `expected_received` to upload.received and sets the
  // state, package id and time; kConflict when another part moved it first.
  virtual Status update_evidence_upload(const EvidenceUpload& upload,
                                        std::uint64_t expected_received) = 0;
  // kConflict when a package with this id is registered already.
  virtual Status insert_evidence_package(const EvidencePackage& package) = 0;
  // Appends; the seq given is ignored and the stored one returned.
  virtual Result<std::int64_t> insert_custody_event(const CustodyEvent& event) = 0;

  // --- Holds and reminders ---
  // Stores a new hold (its renewals are ignored: add them with insert_hold_renewal).
  virtual Status insert_hold(const LegalHold& hold) = 0;
  // Replaces a hold's expiry, status and release or expiry fields.
  virtual Status update_hold(const LegalHold& hold) = 0;
  virtual Status insert_hold_renewal(const std::string& hold_id, const HoldRenewal& renewal) = 0;
  // Stores a reminder unless one for the same request, kind and due_at exists;
  // true when it was stored.
  virtual Result<bool> insert_reminder(const Reminder& reminder) = 0;
  // Sets delivered_at and delivered_by; kNotFound when there is no such reminder.
  virtual Status mark_reminder_delivered(const std::string& id, const std::string& at,
                                         const std::string& by_user_id) = 0;

  // --- HI-1 objects ---
  // kConflict when the owner has an object with this id already.
  virtual Status insert_hi1_object(const Hi1ObjectRecord& object) = 0;
  // Replaces the request, generation, XML and last change; kNotFound when there
  // is no such object.
  virtual Status update_hi1_object(const Hi1ObjectRecord& object) = 0;
  // kConflict when the request has a transfer of this kind for this package already.
  virtual Status insert_hi1_transfer(const Hi1Transfer& transfer) = 0;
  // Replaces everything but the kind, request, package and creation time.
  virtual Status update_hi1_transfer(const Hi1Transfer& transfer) = 0;
  // Inserts or replaces.
  virtual Status put_hi1_inbound_delivery(const Hi1InboundDelivery& delivery) = 0;

  // --- Ledger ---
  // Appends at entry.leaf_index, which must be the current size, and adds its
  // leaf hash to its tile.
  virtual Status insert_ledger_entry(const LedgerEntryRecord& entry) = 0;
  // Stores a complete subtree's hash (level >= kLedgerTileHeight).
  virtual Status put_ledger_node(int level, std::int64_t index, const std::string& hash) = 0;
  virtual Status insert_ledger_checkpoint(const LedgerCheckpointRecord& checkpoint) = 0;
  // Stores a witness's cosignature; one it made already is kept as it was.
  virtual Status put_ledger_cosignature(const LedgerCosignatureRecord& cosignature) = 0;

  // --- Trust ---
  // kConflict when a certificate with this fingerprint is already stored.
  virtual Status insert_certificate(const StoredCertificate& cert) = 0;
  // Marks a stored root certificate as an anchor, or no longer one.
  virtual Status set_trusted_root(const std::string& fingerprint, bool trusted) = 0;
  // Stores an issuer's list; kConflict unless its number is higher than the stored one's.
  virtual Status put_revocation_list(const StoredRevocationList& list) = 0;
  virtual Status put_request_signatures(const RequestSignatures& signatures) = 0;
  virtual Status put_signing_policy(const SigningPolicy& policy) = 0;
  // Counts a request received from `issuer_org_id` on `day`, and remembers
  // the first one it sent to `provider_org_id`.
  virtual Status record_issuer_activity(const std::string& issuer_org_id,
                                        const std::string& provider_org_id, const std::string& day,
                                        bool emergency, const std::string& request_id,
                                        const std::string& at) = 0;
  // Remembers a nonce or signed request id; kConflict when already seen.
  virtual Status insert_seen(const std::string& value, const std::string& request_id,
                             const std::string& at) = 0;
  // --- Credentials and sessions ---
  // Inserts or replaces the user's whole credentials row. The user must exist.
  virtual Status put_credentials(const Credentials& credentials) = 0;
  // Replaces every recovery code of the user with these unused ones; an empty
  // list removes them all.
  virtual Status replace_recovery_codes(const std::string& user_id,
                                        const std::vector<std::string>& code_hashes) = 0;
  // Marks an unused code used. kNotFound when the user has no unused code
  // with this hash, so a code is used once even by concurrent logins.
  virtual Status use_recovery_code(const std::string& user_id, const std::string& code_hash,
                                   const std::string& at) = 0;
  virtual Status insert_session(const SessionRecord& session) = 0;
  // Moves last_seen_at forward; an older time changes nothing.
  virtual Status touch_session(const std::string& id, const std::string& last_seen_at) = 0;
  // Ends an active session. kNotFound when there is no such session or it
  // has already ended, which leaves the recorded end as it was.
  virtual Status revoke_session(const std::string& id, const std::string& at) = 0;
  // Ends every active session of the user but `except_id`; returns how many.
  virtual Result<std::int64_t> revoke_sessions_of_user(
      const std::string& user_id, const std::string& at,
      const std::optional<std::string>& except_id) = 0;
  virtual Status set_user_disabled(const std::string& user_id, bool disabled) = 0;
  virtual Status insert_account_event(const AccountEvent& event) = 0;
  // --- Provider directory ---
  // Both record the entry as a revision too, so no version goes unrecorded.
  // kConflict when an entry with this id exists, or another names the same
  // hub organisation (the error's field says which).
  virtual Status insert_directory_entry(const DirectoryEntryRecord& entry) = 0;
  // Replaces the entry with entry.version, which must be expected_version + 1.
  // kPreconditionFailed unless the stored version is expected_version;
  // kNotFound when there is none; kConflict as for insert.
  virtual Status update_directory_entry(const DirectoryEntryRecord& entry,
                                        std::int64_t expected_version) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in a read transaction: one consistent snapshot, taken at its
  // first read. A read() called from inside fn, on the same thread, joins
  // that transaction.
  virtual Status read(const std::function<Status(ReadTx&)>& fn) = 0;
  // Runs fn in a write transaction. If fn returns an error, nothing it wrote
  // is kept. OK means committed and durable.
  virtual Status write(const std::function<Status(WriteTx&)>& fn) = 0;
  // Checks the database's own consistency (PRAGMA integrity_check for SQLite).
  virtual Status check_integrity() = 0;
};

}  // namespace liaison
