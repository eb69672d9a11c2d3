// RequestService: signatures, receipt verification, quarantine.
//
// A provider acts on a request because of the signatures on it, never
// because of the account that sent it. So every request reaches a provider
// through receive(): the signatures, their chains, validity times and
// revocation are checked against the hub's trust store, the nonce and request
// id against everything seen before, and the co-signatures against the rule
// for the request. What fails any check is quarantined: kept, with the reason,
// for the issuer and hub administrators to see, and never shown to the
// provider.
#include <fmt/format.h>

#include "core/request_json.h"
#include "core/uuid.h"
#include "law/deadline.h"
#include "law/vocabulary.h"
#include "service/request_service.h"
#include "trust/chain.h"
#include "trust/encoding.h"
#include "trust/keys.h"
#include "trust/request_payload.h"

namespace liaison {

namespace {

using nlohmann::json;

constexpr std::int64_t kEmergencyHours = 8;  // EU 2023/1543 Art. 10(4)
constexpr std::int64_t kAnomalyWindowDays = 30;
constexpr std::int64_t kNewKeySeconds = 3600;

Error forbidden(const std::string& what) { return Error::make(ErrorCode::kForbidden, what); }

// The officer's key, for the ledger entry of a received request.
std::optional<std::string> officer_key_id(const Receipt& receipt) {
  for (const auto& s : receipt.report.signers) {
    if (s.role == "officer") return s.key_id;
  }
  return std::nullopt;
}

// A signature states the role it is made in: one the matrix lets sign, and one
// the signer holds.
std::string role_for_signing(const Principal& p, const std::string& role) {
  auto r = role_from_name(role);
  if (!r || !p.has(*r)) return "";
  for (const Grant& g : permission_for(Action::kSignRequest).grants) {
    if (std::find(g.roles.begin(), g.roles.end(), *r) != g.roles.end()) return role;
  }
  return "";
}

// The request a payload describes, in the shape a create body has, so it is
// validated exactly as a draft typed by an officer would be.
// The first difference between two payloads, for an error a developer of an
// authority's system can act on.
std::string first_difference(const json& given, const json& expected) {
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    auto g = given.find(it.key());
    if (g == given.end()) return it.key() + " is missing";
    if (*g != it.value()) return it.key() + " differs from the request as stored";
  }
  for (auto it = given.begin(); it != given.end(); ++it) {
    if (!expected.contains(it.key())) return it.key() + " is not part of a request payload";
  }
  return "";
}

json signer_anomalies(const trust::SignedRequest& env) {
  json out = json::array();
  for (const auto& s : env.signatures) {
    std::int64_t age = s.signed_at.seconds() - s.certificate.not_before.seconds();
    if (age < kNewKeySeconds) {
      out.push_back({{"role", s.role},
                     {"name", s.certificate.subject_name},
                     {"key_id", s.certificate.key_id()},
                     {"certified_at", format_rfc3339(s.certificate.not_before)},
                     {"signed_at", format_rfc3339(s.signed_at)}});
    }
  }
  return out;
}

}  // namespace

json signer_summary(const trust::SignedRequest& env) {
  json out = json::array();
  for (const auto& s : env.signatures) {
    json org = nullptr;
    if (const auto& o = s.certificate.organisation) {
      org = {{"country", o->country}, {"endpoint_uid", o->endpoint_uid}, {"name", o->name}};
    }
    out.push_back({{"role", s.role},
                   {"signed_at", format_rfc3339(s.signed_at)},
                   {"name", s.certificate.subject_name},
                   {"key_id", s.certificate.key_id()},
                   {"organisation", std::move(org)}});
  }
  return out;
}

std::vector<SignerFact> signer_facts(const json& summary) {
  std::vector<SignerFact> out;
  if (!summary.is_array()) return out;
  for (const auto& s : summary) {
    if (!s.is_object()) continue;
    SignerFact f{s.value("role", ""), s.value("key_id", ""), std::nullopt};
    auto org = s.find("organisation");
    if (org != s.end() && org->is_object()) {
      f.organisation = trust::OrgRef{org->value("country", ""), org->value("endpoint_uid", ""),
                                     org->value("name", ""), OrgKind::kAuthority};
    }
    out.push_back(std::move(f));
  }
  return out;
}

// What every read of the request shows of its envelope, stored beside it.
std::string summary_of(const trust::SignedRequest& env) {
  json callback = nullptr;
  auto e = env.payload.find("emergency");
  if (e != env.payload.end() && e->is_object()) {
    auto c = e->find("callback");
    if (c != e->end() && c->is_object()) callback = *c;
  }
  return json{{"signers", signer_summary(env)}, {"callback", callback}}.dump();
}

Result<trust::OrgRef> RequestService::org_ref(ReadTx& tx, const std::string& org_id) {
  LIAISON_ASSIGN_OR_RETURN(Organisation o, organisation(tx, org_id));
  return trust::OrgRef{o.country, o.endpoint_uid, o.name, o.kind};
}

Result<Receipt> RequestService::verify_receipt(const Request& r,
                                               const trust::SignedRequest& envelope,
                                               const std::string& signed_id, Timestamp now) {
  // Everything that costs CPU happens here, on the caller's thread, before
  // the write: the commit thread that every write waits for only records it.
  LIAISON_ASSIGN_OR_RETURN(auto store, trust_.snapshot());
  trust::SignaturePolicy policy;
  trust::OrgRef issuer, provider;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(policy, cosignatures_.required(tx, r));
    LIAISON_ASSIGN_OR_RETURN(issuer, org_ref(tx, r.issuer_org_id));
    LIAISON_ASSIGN_OR_RETURN(provider, org_ref(tx, r.draft.provider_org_id));
    return Ok{};
  }));
  Receipt out;
  out.report = trust::verify_signed_request(*store, envelope, policy, now);

  // The payload must be this request and nothing else: rebuilt from what the
  // hub stores and shows the provider, it has to be identical to what was signed.
  LIAISON_ASSIGN_OR_RETURN(trust::PayloadSummary summary,
                           trust::read_request_payload(envelope.payload));
  Request as_signed = r;
  as_signed.id = signed_id;
  json expected = trust::request_payload(as_signed, issuer, provider, summary.nonce,
                                         summary.issued_at, summary.callback);
  if (expected != envelope.payload) {
    out.report.failures.push_back(
        {"payload_mismatch", "the signed payload is not this request: " +
                                 first_difference(envelope.payload, expected)});
  }
  out.nonce = summary.nonce;
  out.signed_request_id = summary.request_id;
  out.emergency = r.draft.kind == RequestKind::kEmergencyDisclosure;
  out.new_keys = signer_anomalies(envelope);
  out.signers = signer_summary(envelope);
  out.summary_json = summary_of(envelope);
  out.digest_hex = out.report.digest_hex;
  return out;
}

Status RequestService::record_receipt(WriteTx& tx, Request& r, Receipt& receipt, Timestamp now,
                                      const std::string& now_text) {
  trust::VerificationReport& report = receipt.report;
  // Replay: a nonce or a signed request id is accepted once, ever. Checked
  // inside the write, so two copies racing each other cannot both pass.
  std::vector<std::string> memory = {"nonce:" + receipt.nonce,
                                     "request:" + receipt.signed_request_id};
  receipt.replayed = false;
  for (const auto& value : memory) {
    LIAISON_ASSIGN_OR_RETURN(auto first, tx.find_seen(value));
    if (!first) continue;
    receipt.replayed = true;
    auto original = tx.get_request(*first);
    std::string what = value.substr(0, value.find(':'));
    report.failures.push_back({"replayed", "this " + what + " was already received with request " +
                                               (original.ok() ? original->reference : *first) +
                                               "; a signed request is accepted once"});
  }
  report.ok = report.failures.empty();

  // What a provider's analyst weighs besides the signatures.
  // Counted in whole UTC days: from the day 30 days before receipt to today.
  std::string since =
      format_rfc3339(Timestamp::from_seconds(now.seconds() - kAnomalyWindowDays * 86400))
          .substr(0, 10);
  LIAISON_ASSIGN_OR_RETURN(IssuerActivity activity,
                           tx.issuer_activity(r.issuer_org_id, r.draft.provider_org_id, since));
  std::int64_t total = activity.received + (report.ok ? 1 : 0);
  std::int64_t emergencies = activity.emergency + (report.ok && receipt.emergency ? 1 : 0);
  json anomalies = {
      {"window_days", kAnomalyWindowDays},
      {"requests_in_window", total},
      {"emergency_in_window", emergencies},
      {"emergency_rate",
       total > 0 ? static_cast<double>(emergencies) / static_cast<double>(total) : 0.0},
      {"first_time_requester", !activity.first_request_to_provider.has_value()},
      {"new_keys", receipt.new_keys},
  };
  receipt.report_json = trust::to_json(report);
  receipt.report_json["received_at"] = now_text;
  receipt.report_json["anomalies"] = anomalies;

  r.submitted_at = now_text;
  if (report.ok) {
    r.status = RequestStatus::kSubmitted;
    r.quarantine_reason.reset();
    LIAISON_TRY(set_provider_deadline(tx, r, receipt.emergency, now));
  } else {
    r.status = RequestStatus::kQuarantined;
    std::string reason;
    for (const auto& f : report.failures)
      reason += (reason.empty() ? "" : "; ") + f.code + ": " + f.detail;
    r.quarantine_reason = reason;
  }
  return Ok{};
}

Status RequestService::set_provider_deadline(ReadTx& tx, Request& r, bool emergency, Timestamp now,
                                             std::vector<law::Pause> pauses) {
  const law::Route* route =
      routes_ != nullptr && !r.draft.route.empty() ? routes_->book().route(r.draft.route) : nullptr;
  if (route == nullptr) {
    // Filed under no route (a hub without rules): the emergency clock alone.
    if (emergency) {
      r.due_at = format_rfc3339(Timestamp::from_seconds(now.seconds() + kEmergencyHours * 3600));
      r.due_rule = "emergency: 8 hours from receipt (EU 2023/1543 Art. 10(4))";
    }
    return Ok{};
  }
  std::optional<law::Period> period = route->deadlines.response;
  std::string what = "response";
  if (emergency && route->deadlines.emergency) {
    period = route->deadlines.emergency;
    what = "emergency";
  }
  if (!period) {
    // The law sets no number ("expeditiously"): nothing to count down, but
    // the provider is told what the route says.
    r.due_at.reset();
    r.due_rule = route->name + ": no numeric deadline" +
                 (route->deadlines.note.empty() ? "" : " (" + route->deadlines.note + ")");
    return Ok{};
  }
  LIAISON_ASSIGN_OR_RETURN(Organisation provider, tx.get_org(r.draft.provider_org_id));
  LIAISON_ASSIGN_OR_RETURN(ProviderProfile profile, routes_->provider_profile(tx, provider));
  bool paused = !pauses.empty();
  LIAISON_ASSIGN_OR_RETURN(
      std::optional<Timestamp> due,
      law::deadline_after_pauses(now, *period, profile.time_zone, std::move(pauses)));
  r.due_rule = what + ": " + law::period_text(*period) + " from receipt under " + route->name;
  if (period->unit == law::PeriodUnit::kDays && period->calendar) {
    r.due_rule += ", counted on the provider's calendar (" + profile.time_zone + ")";
  }
  if (!due) {
    r.due_at.reset();
    r.due_rule += "; the clock is stopped while the authority answers a clarification";
  } else {
    r.due_at = format_rfc3339(*due);
    if (paused) r.due_rule += ", plus the time it stood still for clarifications";
  }
  return Ok{};
}

Status RequestService::clarification_clock(ReadTx& tx, Request& r, RequestAction action,
                                           Timestamp now) {
  const law::Route* route =
      routes_ != nullptr && !r.draft.route.empty() ? routes_->book().route(r.draft.route) : nullptr;
  if (route == nullptr || !route->clock.pauses_for_clarification || !r.submitted_at) return Ok{};
  // The pauses so far, from the timeline: each question until its answer.
  std::vector<law::Pause> pauses;
  LIAISON_ASSIGN_OR_RETURN(auto events, tx.list_events(r.id));
  const std::string asked = request_action_name(RequestAction::kRequestClarification);
  const std::string answered = request_action_name(RequestAction::kClarify);
  for (const auto& e : events) {
    LIAISON_ASSIGN_OR_RETURN(Timestamp at, parse_rfc3339(e.at, "at"));
    if (e.type == asked && (pauses.empty() || pauses.back().end)) {
      pauses.push_back({at, std::nullopt});
    } else if (e.type == answered && !pauses.empty() && !pauses.back().end) {
      pauses.back().end = at;
    }
  }
  // And the one this action starts or ends.
  if (action == RequestAction::kRequestClarification) {
    if (pauses.empty() || pauses.back().end) pauses.push_back({now, std::nullopt});
  } else if (!pauses.empty() && !pauses.back().end) {
    pauses.back().end = now;
  }
  LIAISON_ASSIGN_OR_RETURN(Timestamp received, parse_rfc3339(*r.submitted_at, "submitted_at"));
  return set_provider_deadline(tx, r, r.draft.kind == RequestKind::kEmergencyDisclosure, received,
                               std::move(pauses));
}

Status RequestService::store_receipt(WriteTx& tx, const Request& r, const Receipt& receipt,
                                     const std::string& now_text) {
  if (receipt.report.ok) {
    LIAISON_TRY(tx.record_issuer_activity(r.issuer_org_id, r.draft.provider_org_id,
                                          now_text.substr(0, 10), receipt.emergency, r.id,
                                          now_text));
  }
  if (!receipt.replayed) {
    LIAISON_TRY(tx.insert_seen("nonce:" + receipt.nonce, r.id, now_text));
    LIAISON_TRY(tx.insert_seen("request:" + receipt.signed_request_id, r.id, now_text));
  }
  return tx.put_request_signatures({r.id, receipt.envelope_json, receipt.digest_hex, now_text,
                                    receipt.report.ok, receipt.report_json.dump(), now_text,
                                    receipt.summary_json});
}

Result<RequestView> RequestService::submit(const Principal& p, const std::string& id,
                                           const ActionInput& in) {
  Timestamp now = clock_.now();
  std::string now_text = format_rfc3339_micros(now);
  Request r;
  std::optional<trust::SignedRequest> envelope;
  std::string envelope_text;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(r, load_visible(tx, p, id));
    auto actor = actor_for(p, r);
    // The same order of refusals as every other action (see act()).
    auto rule = check_transition(r, RequestAction::kSubmit, *actor);
    if (!rule.ok() && rule.error().code == ErrorCode::kForbidden) return rule.take_error();
    if (in.if_match && *in.if_match != r.version) {
      return Error::make(ErrorCode::kPreconditionFailed,
                         "the request is at version " + std::to_string(r.version) + ", not " +
                             std::to_string(*in.if_match) + "; reload it and try again");
    }
    if (!rule.ok()) return rule.take_error();
    // Nothing reaches a provider unsigned.
    auto stored = tx.get_request_signatures(r.id);
    if (!stored.ok()) {
      if (stored.error().code != ErrorCode::kNotFound) return stored.take_error();
      return Error::invalid("signatures",
                            "the request is not signed: sign it (liaison request sign) before "
                            "submitting it");
    }
    LIAISON_ASSIGN_OR_RETURN(envelope,
                             trust::signed_request_from_json(json::parse(stored->envelope_json)));
    envelope_text = std::move(stored->envelope_json);
    // What is plainly missing is said now, while the draft can be completed;
    // receipt checks the rest.
    std::vector<SignerFact> signers;
    for (const auto& sig : envelope->signatures) {
      signers.push_back({sig.role, sig.certificate.key_id(), sig.certificate.organisation});
    }
    LIAISON_ASSIGN_OR_RETURN(SignatureNeeds needs, signature_needs(tx, r, signers));
    if (!needs.missing.empty()) {
      Error e = Error::invalid("signatures", "the request still needs " + needs.missing.front());
      e.message = "the request cannot be submitted yet: it needs " + needs.missing.front();
      for (std::size_t i = 1; i < needs.missing.size(); ++i) {
        e.issues.push_back({"signatures", "the request still needs " + needs.missing[i]});
      }
      return e;
    }
    return Ok{};
  }));
  LIAISON_ASSIGN_OR_RETURN(Receipt receipt, verify_receipt(r, *envelope, r.id, now));
  receipt.envelope_json = std::move(envelope_text);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request current, load_visible(tx, p, id));
    if (current.version != r.version) {
      return Error::make(ErrorCode::kPreconditionFailed,
                         "the request changed while its signatures were being verified; reload "
                         "it and try again");
    }
    std::int64_t expected = current.version;
    LIAISON_TRY(record_receipt(tx, current, receipt, now, now_text));
    current.version += 1;
    current.updated_at = now_text;
    LIAISON_TRY(tx.update_request(current, expected));
    LIAISON_TRY(store_receipt(tx, current, receipt, now_text));
    bool ok = current.status == RequestStatus::kSubmitted;
    return record(tx,
                  {0, current.id, ok ? "submit" : "quarantine", "draft",
                   request_status_name(current.status), p.user.id, p.org->id, now_text,
                   ok ? in.note : current.quarantine_reason.value_or(""), std::nullopt},
                  current, {{"signed_payload_digest", receipt.digest_hex}},
                  officer_key_id(receipt));
  }));
  return get(p, id);
}

Result<RequestView> RequestService::add_signature(const Principal& p, const std::string& id,
                                                  const json& body) {
  if (!body.is_object()) return Error::invalid("", "must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "payload" && it.key() != "signature")
      return Error::invalid(it.key(), "unknown field");
  }
  auto sig_json = body.find("signature");
  if (sig_json == body.end()) return Error::invalid("signature", "is required");
  auto payload_json = body.find("payload");
  Timestamp now = clock_.now();
  std::string now_text = format_rfc3339_micros(now);
  std::string request_id;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    request_id = r.id;
    auto actor = actor_for(p, r);
    LIAISON_TRY(authorise(p, Action::kSignRequest, relation_of(*actor),
                          "only the issuing authority's people sign its requests"));
    std::optional<trust::SignedRequest> existing;
    if (auto stored = tx.get_request_signatures(r.id); stored.ok()) {
      LIAISON_ASSIGN_OR_RETURN(auto env,
                               trust::signed_request_from_json(json::parse(stored->envelope_json)));
      existing = std::move(env);
    }
    json payload;
    if (payload_json != body.end()) {
      payload = *payload_json;
    } else if (existing) {
      payload = existing->payload;
    } else {
      return Error::invalid("payload", "is required with the first signature");
    }
    // Parse the one signature as an envelope entry, with the same strictness.
    LIAISON_ASSIGN_OR_RETURN(
        trust::SignedRequest one,
        trust::signed_request_from_json(
            {{"liaison_signed_request", 1}, {"payload", payload}, {"signatures", {*sig_json}}}));
    trust::RequestSignature sig = std::move(one.signatures.at(0));

    std::string role = role_for_signing(p, sig.role);
    if (role.empty()) {
      return forbidden("you cannot sign as " + sig.role +
                       ": sign as officer, validator or supervisor, in a role you hold");
    }
    if (r.status != RequestStatus::kDraft) {
      return Error::make(ErrorCode::kIllegalTransition,
                         std::string("a request is signed while it is a draft; this one is ") +
                             request_status_name(r.status));
    }
    // A signature binds a person: the certificate must be the caller's own.
    const auto& cert = sig.certificate;
    if (cert.subject_email != std::optional<std::string>(p.user.email) || !cert.organisation ||
        cert.organisation->country != p.org->country ||
        cert.organisation->endpoint_uid != p.org->endpoint_uid) {
      return Error::invalid("signature/certificate",
                            "is not a certificate of yours: it must name your e-mail address and "
                            "your organisation");
    }
    LIAISON_ASSIGN_OR_RETURN(trust::PayloadSummary summary, trust::read_request_payload(payload));
    LIAISON_ASSIGN_OR_RETURN(trust::OrgRef issuer, org_ref(tx, r.issuer_org_id));
    LIAISON_ASSIGN_OR_RETURN(trust::OrgRef provider, org_ref(tx, r.draft.provider_org_id));
    json expected = trust::request_payload(r, issuer, provider, summary.nonce, summary.issued_at,
                                           summary.callback);
    if (expected != payload) {
      return Error::invalid(
          "payload", "is not this request as stored: " + first_difference(payload, expected));
    }
    // Check the signature here and now, so the signer hears of a problem
    // before the request is sent.
    LIAISON_ASSIGN_OR_RETURN(auto store, trust_.snapshot());
    std::string digest = trust::payload_digest(payload);
    if (!trust::verify_signature(cert.public_key,
                                 trust::request_signing_input(sig.role, sig.signed_at, digest),
                                 sig.signature)) {
      return Error::invalid("trust:signature_invalid",
                            "signature_invalid: the signature does not verify over this request "
                            "with the certificate's key");
    }
    auto chain = trust::verify_chain(*store, cert, sig.chain, sig.signed_at);
    if (!chain.ok()) {
      trust::TrustFailure f = trust::trust_failure_of(chain.error());
      return Error::invalid("trust:" + f.code, f.code + ": " + f.detail);
    }
    if (sig.signed_at.seconds() > now.seconds() + 300) {
      return Error::invalid("signature/signed_at", "is in the future; check your clock");
    }

    trust::SignedRequest env;
    std::string note;
    if (role == "officer") {
      // The officer's signature fixes the payload; signing again starts over.
      env.payload = payload;
      note = existing ? "signed again by the officer; earlier signatures were discarded" : "";
    } else {
      if (!existing) return Error::invalid("signature/role", "the officer signs first");
      if (existing->payload != payload)
        return Error::invalid("payload", "differs from the payload the officer signed");
      env = std::move(*existing);
      for (const auto& s : env.signatures) {
        if (s.role == role && s.certificate.key_id() == cert.key_id()) {
          return Error::make(ErrorCode::kConflict,
                             "you have already signed this request as " + role);
        }
      }
    }
    env.signatures.push_back(sig);
    // The representation shows the signatures, so its version moves on.
    std::int64_t expected_version = r.version;
    r.version += 1;
    r.updated_at = now_text;
    LIAISON_TRY(tx.update_request(r, expected_version));
    LIAISON_TRY(tx.put_request_signatures({r.id, trust::to_json(env).dump(),
                                           trust::hex_encode(digest), now_text, std::nullopt,
                                           std::nullopt, std::nullopt, summary_of(env)}));
    std::string status = request_status_name(r.status);
    std::string detail =
        fmt::format("{} signed as {} (key {})", cert.subject_name, role, cert.key_id());
    if (!note.empty()) detail += "; " + note;
    return record(
        tx,
        {0, r.id, "signed", status, status, p.user.id, p.org->id, now_text, detail, std::nullopt},
        r, {{"signature", {{"role", role}, {"payload_digest", trust::hex_encode(digest)}}}},
        cert.key_id());
  }));
  return get(p, request_id);
}

Result<json> RequestService::signed_envelope(const Principal& p, const std::string& id) {
  json out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    auto stored = tx.get_request_signatures(r.id);
    if (!stored.ok()) return Error::not_found("request " + id + " carries no signatures yet");
    out = json::parse(stored->envelope_json);
    return Ok{};
  }));
  return out;
}

Result<Created<RequestView>> RequestService::receive_signed(
    const Principal& p, std::string envelope_text, const std::optional<IdempotencyKey>& key,
    const AlsoWrite& also) {
  LIAISON_TRY(authorise(p, Action::kCreateRequest, Relation::kOwn,
                        "only officers and supervisors of an authority send requests"));
  LIAISON_ASSIGN_OR_RETURN(json body, parse_json_text(envelope_text));
  LIAISON_ASSIGN_OR_RETURN(trust::SignedRequest envelope, trust::signed_request_from_json(body));
  LIAISON_ASSIGN_OR_RETURN(trust::PayloadSummary summary,
                           trust::read_request_payload(envelope.payload));
  // The account only transports the request; the signatures decide whether
  // it is believed. But an authority sends its own requests only.
  if (summary.issuer_country != p.org->country ||
      summary.issuer_endpoint_uid != p.org->endpoint_uid) {
    return Error::invalid("payload/issuer", "is not your organisation");
  }
  Timestamp now = clock_.now();
  std::string now_text = format_rfc3339_micros(now);
  Organisation provider_org;
  bool found = false;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto orgs, tx.list_orgs());
    for (auto& o : orgs) {
      if (o.kind == OrgKind::kProvider && o.country == summary.provider_country &&
          o.endpoint_uid == summary.provider_endpoint_uid) {
        provider_org = std::move(o);
        found = true;
        break;
      }
    }
    return Ok{};
  }));
  if (!found) return Error::invalid("payload/provider", "no provider with this endpoint here");
  json draft_body = trust::draft_body_of(envelope.payload, provider_org.id);
  LIAISON_ASSIGN_OR_RETURN(DecodedDraft decoded, decode_request_draft(draft_body, now));

  Request r;
  r.draft = std::move(decoded.draft);
  r.warnings = std::move(decoded.warnings);
  r.status = RequestStatus::kDraft;
  r.issuer_org_id = p.org->id;
  r.created_by = p.user.id;
  r.created_at = r.updated_at = now_text;
  int year = std::stoi(r.created_at.substr(0, 4));
  // Received whole, it cannot be filed under a route the hub chooses: the
  // route is part of what was signed. One that names none would escape the
  // route's checks and co-signatures, so it is refused like a draft the
  // route refuses.
  if (routes_ != nullptr) {
    if (r.draft.route.empty()) {
      return Error::invalid("payload/route",
                            "is required: a signed request names the legal route it relies on "
                            "(GET /api/v1/routes lists those open to it)");
    }
    LIAISON_TRY(store_.read(
        [&](ReadTx& tx) { return file_under_route(tx, *p.org, provider_org, r, now); }));
  }
  // The request must be what was signed, in the hub's own terms: otherwise
  // the provider would be shown something other than what was signed.
  trust::OrgRef issuer{p.org->country, p.org->endpoint_uid, p.org->name, p.org->kind};
  trust::OrgRef provider{provider_org.country, provider_org.endpoint_uid, provider_org.name,
                         provider_org.kind};
  Request as_signed = r;
  as_signed.id = summary.request_id;
  json rebuilt = trust::request_payload(as_signed, issuer, provider, summary.nonce,
                                        summary.issued_at, summary.callback);
  if (rebuilt != envelope.payload) {
    return Error::invalid("payload", "is not in the canonical form of a request: " +
                                         first_difference(envelope.payload, rebuilt));
  }
  LIAISON_ASSIGN_OR_RETURN(Receipt receipt, verify_receipt(r, envelope, summary.request_id, now));
  // Kept as received: the bytes the authority's system sent are the record.
  receipt.envelope_json = std::move(envelope_text);
  Created<RequestView> out;
  std::string resource_id;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto replay, find_replay(tx, p.user.id, key, "request"));
    if (replay) {
      resource_id = *replay;
      out.replayed = true;
      return Ok{};
    }
    // The signed id becomes the hub's id, unless it is taken: then the
    // request is a replay and gets an id of its own to be quarantined under.
    auto taken = parse_uuid(summary.request_id, "request_id");
    r.id = taken.ok() && !tx.get_request(*taken).ok() ? *taken : random_uuid();
    LIAISON_ASSIGN_OR_RETURN(std::int64_t number, tx.next_request_number(r.issuer_org_id, year));
    r.reference = fmt::format("{}-{}-{}-{:06}", p.org->country, p.org->endpoint_uid, year, number);
    // Received whole: the request is stored in the state receipt gives it,
    // with one timeline event, "submit" or "quarantine".
    LIAISON_TRY(record_receipt(tx, r, receipt, now, now_text));
    LIAISON_TRY(tx.insert_request(r, number, year));
    LIAISON_TRY(store_receipt(tx, r, receipt, now_text));
    bool ok = r.status == RequestStatus::kSubmitted;
    LIAISON_TRY(record(tx,
                       {0, r.id, ok ? "submit" : "quarantine", "", request_status_name(r.status),
                        p.user.id, p.org->id, now_text,
                        ok ? "received signed" : r.quarantine_reason.value_or(""), std::nullopt},
                       r, {{"signed_payload_digest", receipt.digest_hex}}, officer_key_id(receipt),
                       ok ? std::optional<std::string>("request.received") : std::nullopt));
    resource_id = r.id;
    if (also) LIAISON_TRY(also(tx, r));
    return remember(tx, p.user.id, key, "request", r.id, now_text);
  }));
  if (out.replayed) {
    LIAISON_ASSIGN_OR_RETURN(out.value, get(p, resource_id));
    return out;
  }
  // The view of what was just committed, without reading it back (as create does).
  out.value.issuer = *p.org;
  out.value.provider = std::move(provider_org);
  if (auto actor = actor_for(p, r)) out.value.allowed_actions = allowed_actions(r, *actor);
  out.value.verification = std::move(receipt.report_json);
  out.value.signatures = std::move(receipt.signers);
  if (summary.callback)
    out.value.callback = json{{"kind", summary.callback->kind}, {"value", summary.callback->value}};
  LIAISON_TRY(read_ledger(out.value, r.id));
  out.value.digest = receipt.digest_hex;
  out.value.request = std::move(r);
  return out;
}

Result<std::vector<QuarantineEntry>> RequestService::quarantine(const Principal& p, int limit) {
  LIAISON_TRY(authorise(p, Action::kReviewQuarantine, Relation::kForeign,
                        "only hub administrators review the quarantine"));
  if (limit < 1 || limit > 500) return Error::invalid("limit", "must be between 1 and 500");
  std::vector<QuarantineEntry> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    RequestFilter f;
    f.statuses = {RequestStatus::kQuarantined};
    f.limit = limit;
    LIAISON_ASSIGN_OR_RETURN(RequestPage page, tx.list_requests(f));
    for (auto& r : page.items) {
      QuarantineEntry e;
      LIAISON_ASSIGN_OR_RETURN(e.issuer, organisation(tx, r.issuer_org_id));
      LIAISON_ASSIGN_OR_RETURN(e.provider, organisation(tx, r.draft.provider_org_id));
      if (auto s = tx.get_request_signatures(r.id); s.ok() && s->report_json)
        e.verification = json::parse(*s->report_json, nullptr, false);
      e.request = std::move(r);
      out.push_back(std::move(e));
    }
    return Ok{};
  }));
  return out;
}

}  // namespace liaison
