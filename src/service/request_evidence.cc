// RequestService: evidence packages — resumable uploads, registration and
// the chain of custody.
//
// The provider seals on its own side; the hub never sees plaintext. What the
// hub adds is a check that a package is what it claims to be for this
// request (signed by the provider the request is addressed to, naming this
// request, sealed for the requesting authority), a durable copy, and a record
// of every hand that touched the bytes: who uploaded which part, who
// downloaded which range with which credential, and who verified it with
// what result. Each custody event is also a ledger entry, so the record
// itself is tamper-evident.
#include <algorithm>

#include "core/uuid.h"
#include "evidence/package.h"
#include "service/request_service.h"
#include "trust/canonical_json.h"
#include "trust/chain.h"
#include "trust/trust_failure.h"

namespace liaison {

namespace {

using nlohmann::json;

// Far beyond any production seen so far, and below what the byte counters
// and JSON numbers (2^53) carry exactly.
constexpr std::uint64_t kMaxPackageBytes = std::uint64_t{1} << 44;  // 16 TiB
// How far into the future a package's creation time may be: the provider's
// clock against the hub's.
constexpr std::int64_t kClockSkewSeconds = 300;
constexpr std::size_t kMaxReportDetail = 4096;

constexpr const char* kPackageMediaType = "application/vnd.liaison.evidence-package";

json org_json(const trust::OrgRef& o) {
  return {{"country", o.country}, {"endpoint_uid", o.endpoint_uid}, {"name", o.name}};
}

bool same_org(const trust::OrgRef& ref, const Organisation& org) {
  return ref.country == org.country && ref.endpoint_uid == org.endpoint_uid;
}

// The hub's checks of a complete package, beyond its own integrity: who
// signed it, for which request, and for whom it is sealed.
struct PackageCheck {
  evidence::PackageInfo info;
  json report;
};

Result<PackageCheck> check_package(const std::string& path, const Request& r,
                                   const Organisation& issuer, const Organisation& provider,
                                   const trust::TrustStore& store, Timestamp now, bool federated) {
  auto inspected = evidence::inspect_package(path);
  if (!inspected.ok()) {
    Error e = inspected.take_error();
    for (auto& issue : e.issues) issue.field = "package/" + issue.field;
    return e;
  }
  PackageCheck out{std::move(inspected.value()), json::object()};
  const evidence::Statement& s = out.info.statement;
  if (s.request_id != r.id) {
    return Error::invalid("package/manifest/statement/request_id",
                          "the package was sealed for request " + s.request_id + ", not for " +
                              r.reference + " (" + r.id + ")");
  }
  if (s.reference != r.reference && !federated) {
    return Error::invalid("package/manifest/statement/reference",
                          "is " + s.reference + ", but this request's reference is " + r.reference);
  }
  if (s.created_at > Timestamp{now.unix_micros + kClockSkewSeconds * 1'000'000}) {
    return Error::invalid("package/manifest/statement/created_at",
                          "is in the future by the hub's clock");
  }
  const auto& certs = out.info.signature.certificates;
  if (certs.size() != 2) {
    return Error::invalid("package/manifest/signature/certificates",
                          "must be the signer's certificate and its organisation's");
  }
  const trust::Certificate& signer = certs[0];
  if (!signer.organisation || !same_org(*signer.organisation, provider)) {
    return Error::invalid(
        "package/manifest/signature",
        "the package is signed for " +
            (signer.organisation ? signer.organisation->name : std::string("no organisation")) +
            ", not for " + provider.name + ", the provider this request is addressed to");
  }
  if (signer.kind != trust::CertKind::kUser || !signer.roles.has(Role::kAnalyst)) {
    return Error::invalid(
        "package/manifest/signature",
        "the signer's certificate does not certify an analyst of " + provider.name);
  }
  auto chain = trust::verify_chain(store, signer, {certs[1]}, s.created_at);
  if (!chain.ok()) {
    trust::TrustFailure f = trust::trust_failure_of(chain.error());
    return Error::invalid("package/manifest/signature/certificates",
                          "trust:" + f.code + ": " + f.detail);
  }
  json signer_json = {{"name", signer.subject_name},
                      {"key_id", signer.key_id()},
                      {"organisation", org_json(*signer.organisation)},
                      {"chain", "verified at " + format_rfc3339(s.created_at)}};
  if (chain->revoked_later_at) {
    signer_json["revoked_later_at"] = format_rfc3339(*chain->revoked_later_at);
  }

  // At least one recipient must be a recipient key the requesting authority
  // holds, as its certificate in this hub's store says: otherwise the
  // authority would receive a package it cannot open.
  json recipients = json::array();
  bool for_issuer = false;
  for (const auto& ref : s.recipients) {
    bool vouched = false;
    for (const auto& cert : store.certificates_for_key(ref.key_id)) {
      if (cert->kind != trust::CertKind::kRecipient || !cert->organisation ||
          !same_org(*cert->organisation, issuer)) {
        continue;
      }
      if (trust::verify_recipient_chain(store, *cert, {}, now).ok()) vouched = true;
    }
    for_issuer = for_issuer || vouched;
    recipients.push_back({{"key_id", ref.key_id},
                          {"name", ref.name},
                          {"organisation", org_json(ref.organisation)},
                          {"requesting_authority", vouched}});
  }
  if (!for_issuer) {
    std::string known;
    for (const auto& cert :
         store.recipient_certificates(issuer.country, issuer.endpoint_uid, now)) {
      known += (known.empty() ? "" : ", ") + cert.key_id();
    }
    return Error::invalid("package/manifest/statement/recipients",
                          "the package is not sealed for " + issuer.name +
                              ", the requesting authority: seal it to " +
                              (known.empty() ? std::string("a recipient key it has certified "
                                                           "(it has none on this hub yet)")
                                             : "one of its recipient keys (" + known + ")"));
  }
  out.report = {{"checked_by", "hub"},
                {"result", "verified"},
                {"checked", "structure"},
                {"statement_sha256", out.info.statement_sha256},
                {"package_id", s.package_id},
                {"items", s.item_count},
                {"total_size", s.total_size},
                {"signer", std::move(signer_json)},
                {"recipients", std::move(recipients)}};
  if (s.reference != r.reference) out.report["provider_hub_reference"] = s.reference;
  return out;
}

// The names of the people in a chain of custody. A user removed since is
// still named by id.
std::map<std::string, std::string> custodian_names(ReadTx& tx,
                                                   const std::vector<CustodyEvent>& events) {
  std::map<std::string, std::string> out;
  for (const auto& e : events) {
    if (e.user_id.empty() || out.count(e.user_id) > 0) continue;
    auto user = tx.get_user(e.user_id);
    if (user.ok()) out.emplace(e.user_id, user->name);
  }
  return out;
}

// A package's custody: its own events and those of the upload that brought it.
std::vector<CustodyEvent> custody_of(const std::vector<CustodyEvent>& all,
                                     const std::string& package_id) {
  std::optional<std::string> upload_id;
  for (const auto& e : all) {
    if (e.package_id == package_id && e.upload_id) upload_id = e.upload_id;
  }
  std::vector<CustodyEvent> out;
  for (const auto& e : all) {
    if (e.package_id == package_id || (upload_id && e.upload_id == upload_id)) out.push_back(e);
  }
  return out;
}

// The report's values; its shape was checked where it was read.
Status check_report(const VerificationReport& report) {
  if (report.result != "verified" && report.result != "failed") {
    return Error::invalid("result", "must be verified or failed");
  }
  if (report.checked != "structure" && report.checked != "contents") {
    return Error::invalid("checked",
                          "must be structure (without a key) or contents (decrypted with a key)");
  }
  const std::pair<const char*, const std::optional<std::string>*> texts[] = {
      {"statement_sha256", &report.statement_sha256},
      {"detail", &report.detail},
      {"tool", &report.tool}};
  for (const auto& [name, value] : texts) {
    if (*value && (value->value().size() > kMaxReportDetail || !trust::valid_utf8(**value))) {
      return Error::invalid(name, "must be UTF-8 text of at most 4096 bytes");
    }
  }
  return Ok{};
}

json report_json(const VerificationReport& report) {
  json j = {{"result", report.result}, {"checked", report.checked}};
  if (report.statement_sha256) j["statement_sha256"] = *report.statement_sha256;
  if (report.detail) j["detail"] = *report.detail;
  if (report.tool) j["tool"] = *report.tool;
  return j;
}

}  // namespace

nlohmann::json custody_content(const CustodyEvent& e) {
  json j = {{"request_id", e.request_id},
            {"kind", e.kind},
            {"user_id", e.user_id},
            {"org_id", e.org_id},
            {"at", e.at}};
  if (e.package_id) j["package_id"] = *e.package_id;
  if (e.upload_id) j["upload_id"] = *e.upload_id;
  if (e.token_id) j["token_id"] = *e.token_id;
  if (e.first_byte) j["first_byte"] = *e.first_byte;
  if (e.last_byte) j["last_byte"] = *e.last_byte;
  if (e.outcome) j["outcome"] = *e.outcome;
  j["detail"] = json::parse(e.detail, nullptr, false);
  return j;
}

std::shared_ptr<std::mutex> RequestService::upload_lock(const std::string& upload_id) {
  std::lock_guard lock(uploads_mu_);
  for (auto it = upload_locks_.begin(); it != upload_locks_.end();) {
    it = it->second.expired() ? upload_locks_.erase(it) : std::next(it);
  }
  auto& slot = upload_locks_[upload_id];
  auto held = slot.lock();
  if (!held) {
    held = std::make_shared<std::mutex>();
    slot = held;
  }
  return held;
}

Status RequestService::record_custody(WriteTx& tx, CustodyEvent& event,
                                      const std::string& ledger_type) {
  LIAISON_ASSIGN_OR_RETURN(event.seq, tx.insert_custody_event(event));
  LIAISON_ASSIGN_OR_RETURN(Timestamp at, parse_rfc3339(event.at, "at"));
  return ledger_.append(tx, {ledger_type,
                             event.request_id,
                             event.org_id,
                             std::nullopt,
                             at,
                             {{"custody", custody_content(event)}}});
}

Result<Created<EvidenceUpload>> RequestService::start_package_upload(
    const Principal& p, const std::string& request_id, std::uint64_t size,
    const std::optional<IdempotencyKey>& key) {
  if (size == 0 || size > kMaxPackageBytes) {
    return Error::invalid(
        "size", "must be the package's size in bytes, 1 to " + std::to_string(kMaxPackageBytes));
  }
  std::string now = format_rfc3339_micros(clock_.now());
  Created<EvidenceUpload> out;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    auto actor = actor_for(p, r);
    LIAISON_TRY(authorise(p, Action::kAttachProduction, relation_of(*actor),
                          "only the provider's analysts upload produced data"));
    LIAISON_ASSIGN_OR_RETURN(auto replay, find_replay(tx, p.user.id, key, "evidence_upload"));
    if (replay) {
      LIAISON_ASSIGN_OR_RETURN(out.value, tx.get_evidence_upload(*replay));
      out.replayed = true;
      return Ok{};
    }
    if (r.status != RequestStatus::kAccepted) {
      return Error::make(ErrorCode::kIllegalTransition,
                         std::string("evidence can be uploaded only to an accepted request; "
                                     "this one is ") +
                             request_status_name(r.status));
    }
    out.value = EvidenceUpload{random_uuid(),      r.id,         p.user.id, p.org->id, size, 0,
                               UploadState::kOpen, std::nullopt, now,       now};
    LIAISON_TRY(tx.insert_evidence_upload(out.value));
    CustodyEvent e;
    e.request_id = r.id;
    e.upload_id = out.value.id;
    e.kind = "upload_started";
    e.user_id = p.user.id;
    e.org_id = p.org->id;
    if (!p.token_id.empty()) e.token_id = p.token_id;
    e.detail = json({{"size", size}}).dump();
    e.at = now;
    LIAISON_TRY(record_custody(tx, e, "evidence.upload_started"));
    return remember(tx, p.user.id, key, "evidence_upload", out.value.id, now);
  }));
  return out;
}

Result<EvidenceUpload> RequestService::package_upload(const Principal& p,
                                                      const std::string& request_id,
                                                      const std::string& upload_id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uid, parse_uuid(upload_id, "upload_id"));
  EvidenceUpload out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    auto u = tx.get_evidence_upload(uid);
    // Only the uploading organisation sees its uploads in progress.
    if (!u.ok() || u->request_id != r.id || !p.org || u->org_id != p.org->id) {
      return Error::not_found("upload " + upload_id + " not found");
    }
    out = std::move(u.value());
    return Ok{};
  }));
  return out;
}

Result<UploadOutcome> RequestService::put_package_part(const Principal& p,
                                                       const std::string& request_id,
                                                       const std::string& upload_id,
                                                       const UploadPart& part) {
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::remove(path.c_str()); }
  } cleanup{part.temp_file};

  auto lock = upload_lock(upload_id);
  std::lock_guard guard(*lock);
  LIAISON_ASSIGN_OR_RETURN(EvidenceUpload upload, package_upload(p, request_id, upload_id));
  Request r;
  Organisation issuer, provider;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(r, load_visible(tx, p, request_id));
    LIAISON_ASSIGN_OR_RETURN(issuer, organisation(tx, r.issuer_org_id));
    LIAISON_ASSIGN_OR_RETURN(provider, organisation(tx, r.draft.provider_org_id));
    return Ok{};
  }));
  auto actor = actor_for(p, r);
  LIAISON_TRY(authorise(p, Action::kAttachProduction, relation_of(*actor),
                        "only the provider's analysts upload produced data"));
  if (upload.state != UploadState::kOpen) {
    Error e = Error::invalid("upload_id", std::string("this upload is ") +
                                              upload_state_name(upload.state) +
                                              "; start a new one to send another package");
    e.code = ErrorCode::kConflict;
    return e;
  }
  if (part.total != upload.size) {
    return Error::invalid("Content-Range", "the total is " + std::to_string(part.total) +
                                               " bytes, but the upload was announced as " +
                                               std::to_string(upload.size));
  }
  if (part.first != upload.received) {
    Error e =
        Error::invalid("Content-Range", "the hub has bytes 0-" + std::to_string(upload.received) +
                                            " exclusive; send the part starting at " +
                                            std::to_string(upload.received));
    e.code = ErrorCode::kConflict;
    return e;
  }
  if (part.last < part.first || part.last >= part.total) {
    return Error::invalid("Content-Range", "must name bytes within the package");
  }
  const std::string partial = blobs_.partial_path(upload.id);
  LIAISON_TRY(
      blobs_.append_part(upload.id, part.first, part.temp_file, part.last - part.first + 1));

  const std::string now = format_rfc3339_micros(clock_.now());
  CustodyEvent received;
  received.request_id = r.id;
  received.upload_id = upload.id;
  received.kind = "upload_part";
  received.user_id = p.user.id;
  received.org_id = p.org->id;
  if (!p.token_id.empty()) received.token_id = p.token_id;
  received.first_byte = part.first;
  received.last_byte = part.last;
  received.detail = json({{"bytes", part.last - part.first + 1}}).dump();
  received.at = now;

  EvidenceUpload next = upload;
  next.received = part.last + 1;
  next.updated_at = now;
  UploadOutcome out;
  if (next.received < next.size) {
    LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
      LIAISON_TRY(tx.update_evidence_upload(next, upload.received));
      return record_custody(tx, received, "evidence.upload_part");
    }));
    out.upload = next;
    return out;
  }

  // The last part: check the whole package before anyone can rely on it.
  LIAISON_ASSIGN_OR_RETURN(auto store, trust_.snapshot());
  auto checked = check_package(partial, r, issuer, provider, *store, clock_.now(), part.federated);
  if (!checked.ok()) {
    Error refusal = checked.take_error();
    if (refusal.code == ErrorCode::kUnavailable || refusal.code == ErrorCode::kInternal) {
      return refusal;  // the hub's trouble, not the package's: the part can be sent again
    }
    next.state = UploadState::kRefused;
    CustodyEvent refused = received;
    refused.kind = "verification";
    refused.outcome = "failed";
    json detail = {{"checked_by", "hub"}, {"result", "failed"}, {"reason", refusal.message}};
    if (!refusal.issues.empty()) detail["field"] = refusal.issues.front().field;
    refused.detail = detail.dump();
    refused.first_byte.reset();
    refused.last_byte.reset();
    LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
      LIAISON_TRY(tx.update_evidence_upload(next, upload.received));
      LIAISON_TRY(record_custody(tx, received, "evidence.upload_part"));
      return record_custody(tx, refused, "evidence.refused");
    }));
    std::remove(partial.c_str());
    return refusal;
  }
  const evidence::PackageInfo& info = checked->info;
  LIAISON_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.adopt(partial));
  checked->report["package_sha256"] = blob.sha256;

  PackageView view;
  view.attachment = Attachment{random_uuid(),
                               r.id,
                               p.user.id,
                               p.org->id,
                               "evidence-" + info.statement.package_id + ".liaison",
                               kPackageMediaType,
                               blob.size,
                               blob.sha256,
                               AttachmentPurpose::kProduction,
                               now};
  view.package = EvidencePackage{info.statement.package_id, r.id,
                                 view.attachment.id,        info.statement_line,
                                 info.statement_sha256,     info.statement.signer_key_id,
                                 info.statement.item_count, info.statement.total_size,
                                 info.package_bytes,        now};
  next.state = UploadState::kCompleted;
  next.package_id = info.statement.package_id;
  LIAISON_ASSIGN_OR_RETURN(Timestamp at, parse_rfc3339(now, "at"));
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request current, load_visible(tx, p, request_id));
    if (current.status != RequestStatus::kAccepted) {
      return Error::make(ErrorCode::kIllegalTransition,
                         std::string("the request is no longer accepted but ") +
                             request_status_name(current.status));
    }
    LIAISON_TRY(tx.update_evidence_upload(next, upload.received));
    LIAISON_TRY(record_custody(tx, received, "evidence.upload_part"));
    LIAISON_TRY(tx.insert_attachment(view.attachment));
    LIAISON_TRY(tx.insert_evidence_package(view.package));
    std::string status = request_status_name(current.status);
    LIAISON_TRY(tx.insert_event(
        {0, current.id, "evidence_package", status, status, p.user.id, p.org->id, now,
         std::to_string(info.statement.item_count) + " items, package " + info.statement.package_id,
         view.attachment.id}));
    // The entry commits to exactly what the package's registration proves
    // (docs/evidence-format.md §6), so a receipt of it can travel inside
    // the package.
    LIAISON_TRY(ledger_.append(
        tx, {evidence::kRegistrationEntryType, current.id, p.org->id, info.statement.signer_key_id,
             at, json::parse(evidence::registration_content(info))}));
    CustodyEvent registered;
    registered.request_id = current.id;
    registered.package_id = info.statement.package_id;
    registered.upload_id = upload.id;
    registered.kind = "registered";
    registered.user_id = p.user.id;
    registered.org_id = p.org->id;
    if (!p.token_id.empty()) registered.token_id = p.token_id;
    registered.outcome = "verified";
    registered.detail = checked->report.dump();
    registered.at = now;
    // Its ledger entry is the evidence.produced entry above.
    LIAISON_ASSIGN_OR_RETURN(registered.seq, tx.insert_custody_event(registered));
    return Ok{};
  }));
  LIAISON_ASSIGN_OR_RETURN(out.package, package(p, request_id, info.statement.package_id));
  out.upload = next;
  return out;
}

Result<std::vector<PackageView>> RequestService::packages(const Principal& p,
                                                          const std::string& request_id) {
  std::vector<PackageView> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    LIAISON_ASSIGN_OR_RETURN(auto records, tx.list_evidence_packages(r.id));
    LIAISON_ASSIGN_OR_RETURN(auto custody, tx.list_custody_events(r.id));
    for (auto& rec : records) {
      PackageView v;
      LIAISON_ASSIGN_OR_RETURN(v.attachment, tx.get_attachment(rec.attachment_id));
      v.custody = custody_of(custody, rec.id);
      v.custodian_names = custodian_names(tx, v.custody);
      v.package = std::move(rec);
      out.push_back(std::move(v));
    }
    return Ok{};
  }));
  return out;
}

Result<PackageView> RequestService::package(const Principal& p, const std::string& request_id,
                                            const std::string& package_id) {
  LIAISON_ASSIGN_OR_RETURN(std::string pid, parse_uuid(package_id, "package_id"));
  PackageView out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    auto rec = tx.get_evidence_package(pid);
    if (!rec.ok() || rec->request_id != r.id) {
      return Error::not_found("evidence package " + package_id + " not found");
    }
    out.package = std::move(rec.value());
    LIAISON_ASSIGN_OR_RETURN(out.attachment, tx.get_attachment(out.package.attachment_id));
    LIAISON_ASSIGN_OR_RETURN(auto custody, tx.list_custody_events(r.id));
    out.custody = custody_of(custody, out.package.id);
    out.custodian_names = custodian_names(tx, out.custody);
    return Ok{};
  }));
  return out;
}

Result<CustodyEvent> RequestService::report_verification(const Principal& p,
                                                         const std::string& request_id,
                                                         const std::string& package_id,
                                                         const VerificationReport& report) {
  LIAISON_TRY(check_report(report));
  LIAISON_ASSIGN_OR_RETURN(PackageView view, package(p, request_id, package_id));
  if (report.statement_sha256 && *report.statement_sha256 != view.package.statement_sha256) {
    return Error::invalid("statement_sha256",
                          "is not this package's: the report is about another package");
  }
  CustodyEvent out;
  out.request_id = view.package.request_id;
  out.package_id = view.package.id;
  out.kind = "verification";
  out.user_id = p.user.id;
  out.org_id = p.org ? p.org->id : "";
  if (!p.token_id.empty()) out.token_id = p.token_id;
  out.outcome = report.result;
  LIAISON_ASSIGN_OR_RETURN(out.detail, trust::canonical_json(report_json(report)));
  out.at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    auto actor = actor_for(p, r);
    LIAISON_TRY(authorise(p, Action::kReportVerification, relation_of(*actor),
                          "your roles do not allow reporting on evidence"));
    return record_custody(tx, out, "evidence.verified");
  }));
  return out;
}

}  // namespace liaison
