// The request use cases: draft, send, answer, talk, attach, complete.
//
// Every method checks who is asking before anything else. An authority sees
// only the requests its organisation issued; a provider only those addressed
// to it, and never drafts. Anything a caller may not see is reported as
// kNotFound, so its existence does not leak. Every state change writes the
// request and its timeline event in one transaction.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/hold.h"
#include "core/request.h"
#include "core/request_deadlines.h"
#include "core/request_lifecycle.h"
#include "law/deadline.h"
#include "service/cosignature_rule.h"
#include "service/environment.h"
#include "service/idempotency.h"
#include "service/ledger_service.h"
#include "service/principal.h"
#include "service/route_service.h"
#include "service/trust_service.h"
#include "store/blob_store.h"
#include "store/store.h"
#include "trust/signed_request.h"

namespace liaison {

// A request as one caller sees it.
// One signature as SignatureNeeds counts it.
struct SignerFact {
  std::string role;
  std::string key_id;
  std::optional<trust::OrgRef> organisation;  // unknown in summaries stored before it was kept
};
// From the signers a view shows (`signatures` of a request's representation).
std::vector<SignerFact> signer_facts(const nlohmann::json& signers);

// What a draft needs signed before it may be submitted: the rule
// (CoSignatureRule, plus a supervisor for an emergency), what the signatures
// so far give, and what is missing, in words.
struct SignatureNeeds {
  int validators = 0;
  std::vector<AuthorityType> validator_types;  // empty: a validator of any kind
  int supervisors = 0;
  std::string basis;  // where the co-signature requirement comes from
  int officers_signed = 0;
  int validators_signed = 0;  // distinct keys, of the kind the rule names
  int supervisors_signed = 0;
  std::vector<std::string> missing;  // empty: ready to submit
};

struct RequestView {
  Request request;
  Organisation issuer;
  Organisation provider;
  std::optional<Organisation> validator;       // the authority asked to validate it
  std::vector<RequestAction> allowed_actions;  // for this caller, now
  // What the hub found when it verified the signatures on receipt: signers,
  // chains, failures, anomaly counters. None before submission.
  std::optional<nlohmann::json> verification;
  // The same report as stored JSON text, when read from storage: served as it
  // is, since parsing and re-writing it would cost more than the rest of a GET.
  std::optional<std::string> verification_text;
  // Who has signed so far (role, name, key id, time), and the payload digest
  // they signed. None before the first signature.
  std::optional<nlohmann::json> signatures;
  std::string digest;
  // For emergencies: the signed call-back contact ({"kind", "value"}).
  std::optional<nlohmann::json> callback;
  // The request's ledger entries, each with its inclusion proof once a
  // checkpoint covers it: the parties' receipts, as the view shows them.
  std::vector<RequestLedgerEntry> ledger;
  // The legal holds its preservation made (single views only).
  std::vector<LegalHold> holds;
  // Drafts, single views: the signatures still needed.
  std::optional<SignatureNeeds> signature_needs;
};

struct ActionInput {
  RequestAction action = RequestAction::kAcknowledge;
  std::string note;                            // question, answer or grounds
  std::optional<std::string> preserved_until;  // preserve / extend
  std::optional<std::int64_t> if_match;        // expected version
};

struct NewAttachment {
  std::string temp_file;  // in the blob store's temp dir; consumed
  std::string name;
  std::string media_type;
  std::string purpose;  // "document" or "production"
};

// One part of a resumable package upload: bytes [first, last] of `total`,
// streamed by the server to `temp_file` (consumed).
struct UploadPart {
  std::string temp_file;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t total = 0;
  // The package came over an HI-1 federation link from the provider's own
  // hub, which gave the request a reference of its own: the manifest then
  // names that reference, and the request id alone binds it to this request
  // (the report records both references).
  bool federated = false;
};

// A registered package as the parties see it, with its chain of custody.
struct PackageView {
  EvidencePackage package;
  Attachment attachment;
  std::vector<CustodyEvent> custody;
  // Who each custodian is, by user id: a chain of custody shown to a court
  // names people, not identifiers.
  std::map<std::string, std::string> custodian_names;
};

// Where an upload stands after a part; `package` once the last part arrived
// and the package was registered.
struct UploadOutcome {
  EvidenceUpload upload;
  std::optional<PackageView> package;
};

// A party's report of its own check of a package (`liaison evidence verify`).
struct VerificationReport {
  std::string result;   // "verified" or "failed"
  std::string checked;  // "structure" (without a key) or "contents" (decrypted)
  std::optional<std::string> statement_sha256;
  std::optional<std::string> detail;
  std::optional<std::string> tool;
};

struct ListQuery {
  std::vector<std::string> statuses;
  std::optional<std::string> kind;
  std::optional<std::string> provider_id;  // an authority narrowing its list to one provider
  std::optional<std::string> deadline_before;
  std::optional<std::string> cursor;
  std::optional<int> limit;
};

struct ListResult {
  std::vector<RequestView> items;
  std::optional<std::string> next_cursor;
};

struct HoldQuery {
  std::optional<std::string> status;
  std::optional<std::string> expiring_before;  // RFC 3339
  std::optional<std::string> cursor;
  std::optional<int> limit;
};

struct HoldList {
  std::vector<LegalHold> items;
  std::optional<std::string> next_cursor;
};

// One open deadline of one request, in a caller's list of what is due.
struct DueItem {
  std::string request_id;
  std::string reference;
  RequestKind request_kind = RequestKind::kProduction;
  RequestStatus status = RequestStatus::kSubmitted;
  RequestDeadline deadline;
  bool overdue = false;
};

// A quarantined request as hub administrators see it: who sent it to whom
// and why it was held, but not its targets, which are none of their business.
struct QuarantineEntry {
  Request request;
  Organisation issuer;
  Organisation provider;
  std::optional<nlohmann::json> verification;
  // The same report as stored JSON text, when read from storage: served as it
  // is, since parsing and re-writing it would cost more than the rest of a GET.
  std::optional<std::string> verification_text;
  // Who has signed so far (role, name, key id, time), and the payload digest
  // they signed. None before the first signature.
  std::optional<nlohmann::json> signatures;
  std::string digest;
  // For emergencies: the signed call-back contact ({"kind", "value"}).
  std::optional<nlohmann::json> callback;
  // The request's ledger entries, each with its inclusion proof once a
  // checkpoint covers it: the parties' receipts, as the view shows them.
  std::vector<RequestLedgerEntry> ledger;
};

// What verifying a request on receipt found, before it is recorded.
struct Receipt {
  trust::VerificationReport report;
  std::string nonce;
  std::string signed_request_id;
  bool emergency = false;
  nlohmann::json new_keys;   // signers certified less than an hour before they signed
  nlohmann::json signers;    // who signed, as the request's representation lists them
  std::string summary_json;  // signers and call-back, stored for every read
  std::string envelope_json;
  std::string digest_hex;
  nlohmann::json report_json;  // set by record_receipt: what is stored and shown
  bool replayed = false;       // set by record_receipt
};

class RequestService {
 public:
  RequestService(Store& store, BlobStore& blobs, const Clock& clock, TrustService& trust,
                 const CoSignatureRule& cosignatures, LedgerService& ledger,
                 const RouteService* routes = nullptr)
      : store_(store),
        blobs_(blobs),
        clock_(clock),
        trust_(trust),
        cosignatures_(cosignatures),
        ledger_(ledger),
        routes_(routes) {}

  Result<Created<RequestView>> create(const Principal& p, const nlohmann::json& body,
                                      const std::optional<IdempotencyKey>& key);
  // With `parse_report` false the verification report stays the text it was
  // stored as (verification_text), for callers that only pass it on.
  Result<RequestView> get(const Principal& p, const std::string& id, bool parse_report = true);
  // A self-contained receipt for each of the request's ledger entries that the
  // latest checkpoint covers, for the parties to keep (ledger/receipt.h).
  Result<std::vector<ledger::Receipt>> receipts(const Principal& p, const std::string& id);
  Result<ListResult> list(const Principal& p, const ListQuery& q);
  Result<RequestView> act(const Principal& p, const std::string& id, const ActionInput& in);

  Result<std::vector<RequestEvent>> events(const Principal& p, const std::string& id);

  Result<Created<Message>> post_message(const Principal& p, const std::string& request_id,
                                        const std::string& body,
                                        const std::optional<IdempotencyKey>& key);
  Result<std::vector<Message>> messages(const Principal& p, const std::string& request_id);

  Result<Created<Attachment>> add_attachment(const Principal& p, const std::string& request_id,
                                             const NewAttachment& in,
                                             const std::optional<IdempotencyKey>& key);
  Result<std::vector<Attachment>> attachments(const Principal& p, const std::string& request_id);
  // The attachment's record and the path of its bytes, for streaming out.
  Result<std::pair<Attachment, std::string>> open_attachment(const Principal& p,
                                                             const std::string& request_id,
                                                             const std::string& attachment_id);

  // The attachment's record alone, to size a byte range before opening it.
  Result<Attachment> attachment(const Principal& p, const std::string& request_id,
                                const std::string& attachment_id);
  // As open_attachment, for the bytes [first, last] of a production: the
  // range goes into the chain of custody.
  Result<std::pair<Attachment, std::string>> open_attachment_range(const Principal& p,
                                                                   const std::string& request_id,
                                                                   const std::string& attachment_id,
                                                                   std::uint64_t first,
                                                                   std::uint64_t last);

  // --- Evidence packages (request_evidence.cc) ---
  // A provider's analyst announces a sealed package of `size` bytes for an
  // accepted request, then sends it in parts, in order, resuming after
  // package_upload() says how much arrived. When the last byte is in, the hub
  // checks the package (docs/evidence-format.md §8 steps 1–6, the signer's
  // chain to the request's provider, the request it names, and that the
  // requesting authority is a recipient), stores it as a production
  // attachment and appends its "evidence.produced" ledger entry. Every step is
  // in the request's chain of custody.
  Result<Created<EvidenceUpload>> start_package_upload(const Principal& p,
                                                       const std::string& request_id,
                                                       std::uint64_t size,
                                                       const std::optional<IdempotencyKey>& key);
  Result<EvidenceUpload> package_upload(const Principal& p, const std::string& request_id,
                                        const std::string& upload_id);
  Result<UploadOutcome> put_package_part(const Principal& p, const std::string& request_id,
                                         const std::string& upload_id, const UploadPart& part);
  Result<std::vector<PackageView>> packages(const Principal& p, const std::string& request_id);
  Result<PackageView> package(const Principal& p, const std::string& request_id,
                              const std::string& package_id);
  // A party's own check of a package it holds (the command line's `evidence
  // verify` report), added to the chain of custody.
  Result<CustodyEvent> report_verification(const Principal& p, const std::string& request_id,
                                           const std::string& package_id,
                                           const VerificationReport& report);

  // --- Federation over HI-1 (request_federation.cc) ---
  // The hub's own steps for a federation link, on behalf of its organisation
  // `org_id` (the issuer forwarding, the provider delivering back): a
  // timeline event both sides see and its ledger entry, leaving the status
  // as it is. `type` is one of hi1_forwarded, hi1_forward_refused,
  // hi1_remote_status, hi1_delivered and hi1_delivery_refused.
  Status record_link_event(const std::string& request_id, const std::string& org_id,
                           const std::string& type, const std::string& note,
                           const nlohmann::json& subject);
  // The signed request as it travels, for the hub to forward it (no caller:
  // the link acts for the issuer, whose request it is).
  Result<std::string> envelope_for_link(const std::string& request_id);
  // The account a federation link acts as for `org`: "HI-1 federation
  // link", created disabled on first use, so nobody can log in as it
  // (request_federation.cc). A peer hub's messages over mutual TLS act as it.
  Result<Principal> link_account(const Organisation& org, Role role);
  // A step the provider took on its own hub, as that hub reports it over
  // HI-1, taken here for the provider organisation `provider` (the one the
  // request is addressed to): first the acknowledgement and acceptance the
  // provider's hub gave without saying so, then `in.action`.
  Result<RequestView> act_for_peer(const Organisation& provider, const std::string& request_id,
                                   const ActionInput& in);
  // Brings a request the caller's organisation received over HI-1 to
  // accepted, acknowledging and accepting it as needed, so a delivery can be
  // registered against it.
  Status accept_for_delivery(const Principal& p, const std::string& request_id);
  // A whole package delivered over HI-1 (the file at `path`, consumed),
  // registered as an upload of one part is, then the request produced.
  Result<PackageView> register_delivered_package(const Principal& p, const std::string& request_id,
                                                 const std::string& path);

  // --- Signatures (request_signing.cc) ---
  // Adds a signature to a draft. `body` is {"payload": …, "signature": …}:
  // the officer signs first and fixes the payload (its nonce and time); a new
  // officer signature starts over. Co-signers sign the same payload. The hub
  // checks that the payload is exactly this request and that the signature
  // and its chain verify here, so a signer learns of a problem at once.
  Result<RequestView> add_signature(const Principal& p, const std::string& id,
                                    const nlohmann::json& body);
  // Names the authority that validates a draft (a prosecutor's office, a
  // court: one of the kinds its route names), whose validators may then read
  // and co-sign it; none withdraws the request. The issuer's officers and
  // supervisors ask, before submission.
  Result<RequestView> ask_validation(const Principal& p, const std::string& id,
                                     const std::optional<std::string>& validator_org_id);
  // The signed request as it travels: payload and signatures, for export and
  // offline verification. kNotFound before the first signature.
  Result<nlohmann::json> signed_envelope(const Principal& p, const std::string& id);
  // Receives a complete signed request from an authority's own system: it is
  // created and verified at once, and is either submitted or quarantined.
  // `also`, when given, writes in the same transaction, once the request is
  // stored (HI-1 keeps the task the request came in).
  using AlsoWrite = std::function<Status(WriteTx&, const Request&)>;
  Result<Created<RequestView>> receive_signed(const Principal& p, std::string envelope_text,
                                              const std::optional<IdempotencyKey>& key,
                                              const AlsoWrite& also = {});
  // The same from a parsed envelope (kept as its compact JSON text).
  Result<Created<RequestView>> receive_signed(const Principal& p, const nlohmann::json& envelope,
                                              const std::optional<IdempotencyKey>& key) {
    return receive_signed(p, envelope.dump(), key);
  }
  // Quarantined requests, newest first (hub administrators only).
  Result<std::vector<QuarantineEntry>> quarantine(const Principal& p, int limit);

  // Moves preserved requests whose preservation ran out to "expired". Returns how many.
  Result<int> expire_preservations();
  // Escalates emergency disclosures whose follow-up legal process is overdue:
  // each gets a timeline event both sides see, once. Returns how many.
  Result<int> escalate_follow_ups();

  // --- Legal holds, deadlines and reminders (request_holds.cc) ---
  // The caller's organisation's holds (a provider's own; an authority's on
  // the requests it issued), newest first.
  Result<HoldList> list_holds(const Principal& p, const HoldQuery& q);
  Result<LegalHold> get_hold(const Principal& p, const std::string& id);
  // The provider releases a hold, saying why; its preservation request moves
  // to released with it (the request's `release`, taken by the provider).
  Result<LegalHold> release_hold(const Principal& p, const std::string& id,
                                 const std::string& reason);
  // The caller's organisation's open deadlines that have passed or fall within
  // `within_seconds` from now, and open user-notification tasks; earliest first.
  Result<std::vector<DueItem>> due(const Principal& p, std::int64_t within_seconds);
  // The caller's organisation's reminders, earliest deadline first.
  Result<std::vector<Reminder>> reminders(const Principal& p, bool undelivered_only);
  // Marks a reminder delivered; marking it again changes nothing.
  Result<Reminder> mark_reminder_delivered(const Principal& p, const std::string& id);
  // Gives the provider its user-notification task on every request whose gag
  // order ended, once (not on cancelled ones). Returns how many.
  Result<int> permit_user_notifications();
  // Makes the reminders the open deadlines call for, each once. Returns how many.
  Result<int> make_reminders(const ReminderPolicy& policy);

 private:
  Result<Request> load_visible(ReadTx& tx, const Principal& p, const std::string& id);
  // Records on `r` the legal route it is filed under and the route's warnings,
  // or fails with every error the route's validation found.
  // An extension of a preservation within what its route allows: how many
  // extensions, and how long each may be.
  Status check_extension(ReadTx& tx, const std::string& request_id,
                         const law::PreservationRule& rule, const std::string& route_name,
                         Timestamp current_end, Timestamp new_end) const;
  Status file_under_route(ReadTx& tx, const Organisation& issuer, const Organisation& provider,
                          Request& r, Timestamp now) const;
  // Fills a view's ledger entries, for a view built from what was just committed.
  Status read_ledger(RequestView& v, const std::string& request_id);
  // Writes a timeline event and its ledger entry, in the caller's transaction.
  // The entry commits to the event, the request as it now stands, and
  // `subject` (the message, attachment or signature the event is about).
  // `ledger_type` overrides the ledger event type the timeline event maps to.
  Status record(WriteTx& tx, const RequestEvent& event, const Request& r,
                const nlohmann::json& subject = nlohmann::json::object(),
                std::optional<std::string> key_id = std::nullopt,
                const std::optional<std::string>& ledger_type = std::nullopt);
  Result<Organisation> organisation(ReadTx& tx, const std::string& id);
  // Lists leave out signatures and verification, which only a single request shows.
  Result<RequestView> view_of(ReadTx& tx, const Principal& p, Request r,
                              bool with_signatures = false);
  // Receipt in two steps. verify_receipt checks the signatures, chains,
  // validity, revocation and co-signatures outside any write (it is the
  // expensive part); `signed_id` is the request id the payload must name.
  // record_receipt then, inside the write, checks for replay, counts the
  // anomaly signals, and moves `r` (in memory; the caller writes it) to
  // submitted or quarantined.
  Result<Receipt> verify_receipt(const Request& r, const trust::SignedRequest& envelope,
                                 const std::string& signed_id, Timestamp now);
  Status record_receipt(WriteTx& tx, Request& r, Receipt& receipt, Timestamp now,
                        const std::string& now_text);
  // The provider's deadline from the request's route, counted from `now` in
  // the provider's time zone (the emergency period when `emergency`), with
  // the rule that produced it.
  // `pauses` move it later by the time the clock stood still.
  Status set_provider_deadline(ReadTx& tx, Request& r, bool emergency, Timestamp now,
                               std::vector<law::Pause> pauses = {});
  // Where the route says so, a question to the authority stops the provider's
  // clock and its answer restarts it: the deadline moves by the time paused.
  Status clarification_clock(ReadTx& tx, Request& r, RequestAction action, Timestamp now);
  // Writes what record_receipt decided: the replay memory, the activity
  // counters and the signatures with their report. `r` must be stored first.
  Status store_receipt(WriteTx& tx, const Request& r, const Receipt& receipt,
                       const std::string& now_text);
  Result<RequestView> submit(const Principal& p, const std::string& id, const ActionInput& in);
  // The signatures `r` needs and which of them `signers` give (request_validation.cc).
  Result<SignatureNeeds> signature_needs(ReadTx& tx, const Request& r,
                                         const std::vector<SignerFact>& signers);
  Result<trust::OrgRef> org_ref(ReadTx& tx, const std::string& org_id);
  // The hold side of a preservation step, in the caller's transaction: a new
  // hold on preserve, a renewal on extend, a release on release, an expiry on
  // expire. `r` is the request as it now stands; `reason` the release note.
  Status follow_with_holds(WriteTx& tx, RequestAction action, const Request& r,
                           const std::string& user_id, const std::string& org_id,
                           const std::string& now_text, const std::string& reason);
  // Writes a custody event and its ledger entry, in the caller's transaction.
  Status record_custody(WriteTx& tx, CustodyEvent& event, const std::string& ledger_type);
  std::shared_ptr<std::mutex> upload_lock(const std::string& upload_id);
  Store& store_;
  BlobStore& blobs_;
  const Clock& clock_;
  TrustService& trust_;
  const CoSignatureRule& cosignatures_;
  LedgerService& ledger_;
  // The legal routes; without them (tests of other rules) a request is filed
  // under no route and only the organisation's signing policy applies.
  const RouteService* routes_;
  // Organisations are never changed once created, and every request view
  // names two of them: they are served from memory after the first read.
  std::shared_mutex orgs_mu_;
  std::unordered_map<std::string, Organisation> orgs_;
  // One part of an upload at a time: parts append to one partial file.
  std::mutex uploads_mu_;
  std::unordered_map<std::string, std::weak_ptr<std::mutex>> upload_locks_;
};

// How a caller relates to a request, or nothing if it may not see it.
std::optional<Actor> actor_for(const Principal& p, const Request& r);
// A custody event as its ledger entry commits to it.
nlohmann::json custody_content(const CustodyEvent& event);
// How a request stands to an actor: issued by its organisation, or addressed to it.
Relation relation_of(const Actor& actor);

}  // namespace liaison
