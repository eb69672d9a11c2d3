#include "service/request_service.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/attachment_name.h"
#include "core/request_json.h"
#include "core/uuid.h"
#include "service/cursor.h"

namespace liaison {

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr std::int64_t kDefaultPreservationDays =
    90;  // Budapest Convention Art. 16(2): up to 90 days
constexpr std::size_t kMaxMessageBytes = 20000;

Result<Timestamp> parse_time_field(const std::string& v, const std::string& field) {
  return parse_rfc3339(v, field);
}

}  // namespace

Relation relation_of(const Actor& actor) {
  switch (actor.side) {
    case Side::kIssuer:
      return Relation::kOwn;
    case Side::kProvider:
      return Relation::kAddressed;
    case Side::kValidator:
      return Relation::kValidating;
    case Side::kHub:
      break;
  }
  return Relation::kForeign;
}

namespace {

// The ledger's name for a timeline event.
std::string ledger_type_of(const RequestEvent& e) {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {"created", "request.created"},
      {"signed", "request.signed"},
      {"validation_requested", "request.validation_requested"},
      {"hi1_forwarded", "request.forwarded"},
      {"hi1_forward_refused", "request.forward_refused"},
      {"hi1_remote_status", "request.remote_status"},
      {"hi1_follows_preservation", "request.follows_preservation"},
      {"hi1_followed_by_production", "request.followed_by_production"},
      {"hi1_delivered", "evidence.delivered"},
      {"hi1_delivery_refused", "evidence.delivery_refused"},
      {"submit", "request.submitted"},
      {"quarantine", "request.quarantined"},
      {"acknowledge", "request.acknowledged"},
      {"request_clarification", "request.clarification_requested"},
      {"clarify", "request.clarified"},
      {"accept", "request.accepted"},
      {"reject", "request.rejected"},
      {"cancel", "request.cancelled"},
      {"preserve", "request.preserved"},
      {"extend", "request.extended"},
      {"release", "request.released"},
      {"produce", "request.produced"},
      {"not_available", "request.not_available"},
      {"expire", "request.expired"},
      {"follow_up", "request.follow_up"},
      {"follow_up_overdue", "request.follow_up_overdue"},
      {"user_notification_permitted", "request.user_notification_permitted"},
      {"notify_user", "request.user_notified"},
      {"hold_created", "hold.created"},
      {"hold_renewed", "hold.renewed"},
      {"hold_released", "hold.released"},
      {"hold_expired", "hold.expired"},
      {"message", "message.sent"},
      {"evidence_download", "evidence.downloaded"},
      {"attachment", "attachment.added"},
  };
  if (auto it = kTypes.find(e.type); it != kTypes.end()) return it->second;
  return "request." + e.type;
}

nlohmann::json attachment_content(const Attachment& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"media_type", a.media_type},
          {"size", a.size},
          {"sha256", a.sha256},
          {"purpose", attachment_purpose_name(a.purpose)},
          {"created_at", a.created_at}};
}

// What an entry commits to about the request: its identity, state and the
// draft as it now stands (targets included, which is why only a commitment
// to it is public).
nlohmann::json request_content(const Request& r) {
  return {{"id", r.id},
          {"reference", r.reference},
          {"status", request_status_name(r.status)},
          {"version", r.version},
          {"issuer_org_id", r.issuer_org_id},
          {"draft", encode_draft(r.draft)}};
}

}  // namespace

std::optional<Actor> actor_for(const Principal& p, const Request& r) {
  if (!p.org) return std::nullopt;
  if (p.org->id == r.issuer_org_id) return Actor{Side::kIssuer, p.user.roles};
  // The provider sees what was sent to it: not drafts, and not drafts the
  // authority cancelled before ever submitting them.
  // Nor what failed verification on receipt: a quarantined request never
  // reaches the provider's queue.
  if (p.org->id == r.draft.provider_org_id && r.status != RequestStatus::kDraft &&
      r.status != RequestStatus::kQuarantined && r.submitted_at) {
    return Actor{Side::kProvider, p.user.roles};
  }
  // The authority asked to validate sees the draft it is to co-sign; once
  // sent, the case is the issuer's and the provider's.
  if (r.validator_org_id && p.org->id == *r.validator_org_id && r.status == RequestStatus::kDraft) {
    return Actor{Side::kValidator, p.user.roles};
  }
  return std::nullopt;
}

Status RequestService::record(WriteTx& tx, const RequestEvent& event, const Request& r,
                              const nlohmann::json& subject, std::optional<std::string> key_id,
                              const std::optional<std::string>& ledger_type) {
  LIAISON_TRY(tx.insert_event(event));
  std::string type = ledger_type.value_or(ledger_type_of(event));
  LIAISON_ASSIGN_OR_RETURN(Timestamp at, parse_rfc3339(event.at, "at"));
  nlohmann::json content = {{"event",
                             {{"type", event.type},
                              {"from", event.from_status},
                              {"to", event.to_status},
                              {"actor_user_id", event.actor_user_id},
                              {"actor_org_id", event.actor_org_id},
                              {"at", event.at},
                              {"note", event.note},
                              {"object_id", event.object_id ? nlohmann::json(*event.object_id)
                                                            : nlohmann::json(nullptr)}}},
                            {"request", request_content(r)}};
  for (auto it = subject.begin(); it != subject.end(); ++it) content[it.key()] = it.value();
  return ledger_.append(tx, {type, r.id, event.actor_org_id.empty() ? "hub" : event.actor_org_id,
                             std::move(key_id), at, std::move(content)});
}

Result<Request> RequestService::load_visible(ReadTx& tx, const Principal& p,
                                             const std::string& id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(id, "id"));
  auto r = tx.get_request(uuid);
  std::optional<Actor> actor = r.ok() ? actor_for(p, r.value()) : std::nullopt;
  if (!actor || !permits(Action::kReadRequest, caller_of(p), relation_of(*actor)))
    return Error::not_found("request " + id + " not found");
  return r;
}

Result<Organisation> RequestService::organisation(ReadTx& tx, const std::string& id) {
  {
    std::shared_lock lock(orgs_mu_);
    if (auto it = orgs_.find(id); it != orgs_.end()) return it->second;
  }
  LIAISON_ASSIGN_OR_RETURN(Organisation org, tx.get_org(id));
  std::unique_lock lock(orgs_mu_);
  orgs_.emplace(id, org);
  return org;
}

Result<RequestView> RequestService::view_of(ReadTx& tx, const Principal& p, Request r,
                                            bool with_signatures) {
  RequestView v;
  LIAISON_ASSIGN_OR_RETURN(v.issuer, organisation(tx, r.issuer_org_id));
  LIAISON_ASSIGN_OR_RETURN(v.provider, organisation(tx, r.draft.provider_org_id));
  if (auto actor = actor_for(p, r)) v.allowed_actions = allowed_actions(r, *actor);
  if (r.validator_org_id) {
    LIAISON_ASSIGN_OR_RETURN(v.validator, organisation(tx, *r.validator_org_id));
  }
  if (with_signatures) {
    auto stored = tx.get_request_signatures(r.id);
    if (stored.ok()) {
      // Who signed and the call-back contact a provider confirms an emergency
      // with, from the summary stored beside the envelope, so a read does not
      // parse the envelope; the report once received.
      nlohmann::json summary = nlohmann::json::parse(stored->summary_json, nullptr, false);
      if (summary.is_object()) {
        v.signatures = summary.value("signers", nlohmann::json::array());
        auto callback = summary.find("callback");
        if (callback != summary.end() && callback->is_object()) v.callback = *callback;
      }
      v.digest = stored->digest;
      if (stored->report_json) v.verification_text = std::move(stored->report_json);
    } else if (stored.error().code != ErrorCode::kNotFound) {
      return stored.take_error();
    }
    if (r.status == RequestStatus::kDraft) {
      std::vector<SignerFact> signers;
      if (v.signatures) signers = signer_facts(*v.signatures);
      LIAISON_ASSIGN_OR_RETURN(v.signature_needs, signature_needs(tx, r, signers));
    }
  }
  v.request = std::move(r);
  return v;
}

Result<Created<RequestView>> RequestService::create(const Principal& p, const nlohmann::json& body,
                                                    const std::optional<IdempotencyKey>& key) {
  LIAISON_TRY(authorise(p, Action::kCreateRequest, Relation::kOwn,
                        "only officers and supervisors of an authority create requests"));
  Timestamp now = clock_.now();
  LIAISON_ASSIGN_OR_RETURN(DecodedDraft decoded, decode_request_draft(body, now));
  Request r;
  r.id = random_uuid();
  r.draft = std::move(decoded.draft);
  r.warnings = std::move(decoded.warnings);
  r.status = RequestStatus::kDraft;
  r.issuer_org_id = p.org->id;
  r.created_by = p.user.id;
  r.created_at = r.updated_at = format_rfc3339_micros(now);
  std::string year_text = r.created_at.substr(0, 4);
  int year = std::stoi(year_text);

  Created<RequestView> out;
  std::string resource_id = r.id;
  Organisation provider_org;
  // The route is decided in a read transaction, before the write: the law
  // engine is the dearest step of a creation, and inside the write it would
  // hold up every other writer. The decision is the one the hub's directory
  // gave a moment before the commit, as for a signed request. Its error is
  // kept, not returned, so that a replay of a request already created still
  // answers with that request.
  Status filed = store_.read([&](ReadTx& tx) -> Status {
    auto provider = tx.get_org(r.draft.provider_org_id);
    if (!provider.ok() || provider->kind != OrgKind::kProvider) {
      return Error::invalid("provider_id", "no provider organisation with this id on this hub");
    }
    provider_org = std::move(provider.value());
    if (routes_ != nullptr) LIAISON_TRY(file_under_route(tx, *p.org, provider_org, r, now));
    return Ok{};
  });
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto replay, find_replay(tx, p.user.id, key, "request"));
    if (replay) {
      resource_id = *replay;
      out.replayed = true;
      return Ok{};
    }
    if (!filed.ok()) return filed.error();
    LIAISON_ASSIGN_OR_RETURN(std::int64_t number, tx.next_request_number(r.issuer_org_id, year));
    r.reference = fmt::format("{}-{}-{}-{:06}", p.org->country, p.org->endpoint_uid, year, number);
    LIAISON_TRY(tx.insert_request(r, number, year));
    LIAISON_TRY(record(tx,
                       {0, r.id, "created", "", request_status_name(r.status), p.user.id, p.org->id,
                        r.created_at, "", std::nullopt},
                       r));
    return remember(tx, p.user.id, key, "request", r.id, r.created_at);
  }));
  if (out.replayed) {
    LIAISON_ASSIGN_OR_RETURN(out.value, get(p, resource_id));
    return out;
  }
  // The view of what was just committed, without reading it back: the row
  // holds exactly r (the stored draft decodes to the same fields), its issuer
  // is the caller's organisation, and organisations never change.
  out.value.issuer = *p.org;
  out.value.provider = std::move(provider_org);
  if (auto actor = actor_for(p, r)) out.value.allowed_actions = allowed_actions(r, *actor);
  LIAISON_TRY(read_ledger(out.value, r.id));
  out.value.request = std::move(r);
  return out;
}

Status RequestService::check_extension(ReadTx& tx, const std::string& request_id,
                                       const law::PreservationRule& rule,
                                       const std::string& route_name, Timestamp current_end,
                                       Timestamp new_end) const {
  if (rule.max_extensions) {
    LIAISON_ASSIGN_OR_RETURN(auto events, tx.list_events(request_id));
    int done =
        static_cast<int>(std::count_if(events.begin(), events.end(), [](const RequestEvent& e) {
          return e.type == request_action_name(RequestAction::kExtend);
        }));
    if (done >= *rule.max_extensions) {
      return Error::invalid("preserved_until",
                            route_name + " allows " + std::to_string(*rule.max_extensions) +
                                " extension(s) of a preservation, and this one has had " +
                                std::to_string(done) +
                                "; a production request keeps the data preserved instead");
    }
  }
  LIAISON_ASSIGN_OR_RETURN(Timestamp limit, law::add_period(current_end, *rule.extension, "UTC"));
  if (new_end > limit) {
    return Error::invalid("preserved_until", route_name + " extends a preservation by at most " +
                                                 law::period_text(*rule.extension) + ": until " +
                                                 format_rfc3339(limit) + " at the latest");
  }
  return Ok{};
}

Status RequestService::file_under_route(ReadTx& tx, const Organisation& issuer,
                                        const Organisation& provider, Request& r,
                                        Timestamp now) const {
  LIAISON_ASSIGN_OR_RETURN(RouteDecision decision,
                           routes_->decide(tx, issuer, provider, r.draft, now));
  const law::Route& route = decision.route.route;
  const law::Validation& v = decision.validation;
  if (!v.ok()) {
    Error e = Error::invalid(v.errors.front().field, v.errors.front().message);
    e.message = "the request does not meet what " + route.name +
                " requires: " + v.errors.front().field + ": " + v.errors.front().message;
    for (std::size_t i = 1; i < v.errors.size(); ++i) {
      e.issues.push_back({v.errors[i].field, v.errors[i].message});
    }
    return e;
  }
  r.draft.route = route.id;
  if (decision.chosen_by_hub) {
    r.warnings.push_back({"route", "filed under " + route.name +
                                       ", the best route open to this request; name another "
                                       "with \"route\" (GET /api/v1/routes lists them)"});
  }
  if (!issuer.authority_type && issuer.kind == OrgKind::kAuthority) {
    r.warnings.push_back({"route",
                          "the issuing organisation's type of authority is not recorded, so it "
                          "is taken as police: every route's validation rules apply"});
  }
  // The identifier checks may have said the same of a field already: once is enough.
  for (const auto& w : v.warnings) {
    bool said = std::any_of(r.warnings.begin(), r.warnings.end(),
                            [&](const Warning& x) { return x.field == w.field; });
    if (!said) r.warnings.push_back({w.field, w.message});
  }
  return Ok{};
}

Status RequestService::read_ledger(RequestView& v, const std::string& request_id) {
  return store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(v.ledger, ledger_.entries_of_request(tx, request_id));
    return Ok{};
  });
}

Result<RequestView> RequestService::get(const Principal& p, const std::string& id,
                                        bool parse_report) {
  RequestView out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    std::string request_id = r.id;
    LIAISON_ASSIGN_OR_RETURN(out, view_of(tx, p, std::move(r), /*with_signatures=*/true));
    LIAISON_ASSIGN_OR_RETURN(out.ledger, ledger_.entries_of_request(tx, request_id));
    LIAISON_ASSIGN_OR_RETURN(out.holds, tx.list_holds_of_request(request_id));
    return Ok{};
  }));
  if (parse_report && out.verification_text) {
    out.verification = nlohmann::json::parse(*out.verification_text, nullptr, false);
    out.verification_text.reset();
  }
  return out;
}

Result<std::vector<ledger::Receipt>> RequestService::receipts(const Principal& p,
                                                              const std::string& id) {
  std::vector<ledger::Receipt> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    LIAISON_ASSIGN_OR_RETURN(auto entries, ledger_.entries_of_request(tx, r.id));
    for (const auto& e : entries) {
      if (!e.in_checkpoint) continue;
      LIAISON_ASSIGN_OR_RETURN(auto receipt, ledger_.receipt(tx, r.id, e.leaf_index));
      out.push_back(std::move(receipt));
    }
    return Ok{};
  }));
  return out;
}

Result<ListResult> RequestService::list(const Principal& p, const ListQuery& q) {
  Relation reach =
      p.org && p.org->kind == OrgKind::kProvider ? Relation::kAddressed : Relation::kOwn;
  LIAISON_TRY(authorise(p, Action::kReadRequest, reach, "hub administrators do not see requests"));
  RequestFilter f;
  if (p.org->kind == OrgKind::kProvider) {
    f.provider_org_id = p.org->id;
    f.include_drafts = false;
  } else {
    f.issuer_org_id = p.org->id;
    f.or_validator_org_id = p.org->id;
  }
  for (std::size_t i = 0; i < q.statuses.size(); ++i) {
    auto s = request_status_from_name(q.statuses[i]);
    if (!s) return Error::invalid("status", "unknown status '" + q.statuses[i] + "'");
    f.statuses.push_back(*s);
  }
  if (q.provider_id) {
    LIAISON_ASSIGN_OR_RETURN(std::string provider, parse_uuid(*q.provider_id, "provider_id"));
    // A provider asking for another provider's requests gets none: the filter
    // narrows what the caller may see, it never widens it.
    if (f.provider_org_id && *f.provider_org_id != provider) return ListResult{};
    f.provider_org_id = provider;
  }
  if (q.kind) {
    f.kind = request_kind_from_name(*q.kind);
    if (!f.kind) return Error::invalid("kind", "unknown kind '" + *q.kind + "'");
  }
  if (q.deadline_before) {
    LIAISON_ASSIGN_OR_RETURN(Timestamp t, parse_time_field(*q.deadline_before, "deadline_before"));
    // Deadlines are whole seconds; rounding the bound up keeps "before" exact.
    f.deadline_before = format_rfc3339(t.ceil_seconds());
  }
  if (q.cursor) {
    LIAISON_ASSIGN_OR_RETURN(f.after_seq, decode_cursor(*q.cursor));
  }
  f.limit = q.limit.value_or(kDefaultPageSize);
  if (f.limit < 1 || f.limit > kMaxPageSize) {
    return Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxPageSize));
  }
  ListResult out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(RequestPage page, tx.list_requests(f));
    for (auto& r : page.items) {
      LIAISON_ASSIGN_OR_RETURN(RequestView v, view_of(tx, p, std::move(r)));
      out.items.push_back(std::move(v));
    }
    if (page.next_after_seq) out.next_cursor = encode_cursor(*page.next_after_seq);
    return Ok{};
  }));
  return out;
}

Result<RequestView> RequestService::act(const Principal& p, const std::string& id,
                                        const ActionInput& in) {
  Timestamp now = clock_.now();
  std::string now_text = format_rfc3339_micros(now);
  if (in.note.size() > kMaxMessageBytes) {
    return Error::invalid("note", "is longer than " + std::to_string(kMaxMessageBytes) + " bytes");
  }
  // Submission is receipt, with its own path: see request_signing.cc.
  if (in.action == RequestAction::kSubmit && !in.preserved_until) return submit(p, id, in);
  std::optional<Timestamp> preserved_until;
  if (in.preserved_until) {
    LIAISON_ASSIGN_OR_RETURN(Timestamp t, parse_time_field(*in.preserved_until, "preserved_until"));
    if (t <= now) return Error::invalid("preserved_until", "is in the past");
    preserved_until = t;
  }
  std::string request_id;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    request_id = r.id;
    auto actor = actor_for(p, r);
    // Order of refusals: a caller whose side or role may never take the
    // action learns only that; one acting on a stale view learns that next,
    // before what the current state allows (RFC 9110 §13.2.2).
    auto rule_or = check_transition(r, in.action, *actor);
    if (!rule_or.ok() && rule_or.error().code == ErrorCode::kForbidden) return rule_or.take_error();
    if (in.if_match && *in.if_match != r.version) {
      return Error::make(ErrorCode::kPreconditionFailed,
                         "the request is at version " + std::to_string(r.version) + ", not " +
                             std::to_string(*in.if_match) + "; reload it and try again");
    }
    if (!rule_or.ok()) return rule_or.take_error();
    const TransitionRule* rule = rule_or.value();
    if (rule->needs_note && in.note.empty()) {
      return Error::invalid("note", std::string("is required to ") +
                                        request_action_name(in.action) +
                                        ": say what you ask, answer or why");
    }
    // A provider ending a preservation it was asked for says why, since the
    // authority did not ask for the end.
    if (in.action == RequestAction::kRelease && actor->side == Side::kProvider && in.note.empty()) {
      return Error::invalid("note",
                            "is required when the provider releases a preservation: say why the "
                            "data is no longer kept");
    }
    if (rule->needs_production) {
      LIAISON_ASSIGN_OR_RETURN(auto atts, tx.list_attachments(r.id));
      bool produced = std::any_of(atts.begin(), atts.end(), [](const Attachment& a) {
        return a.purpose == AttachmentPurpose::kProduction;
      });
      if (!produced) {
        return Error::invalid("packages",
                              "upload the produced data as a sealed evidence package ('liaison "
                              "evidence seal', then 'evidence upload') before marking the "
                              "request produced");
      }
    }
    if (in.preserved_until && in.action != RequestAction::kPreserve &&
        in.action != RequestAction::kExtend) {
      return Error::invalid("preserved_until", "applies only to preserve and extend");
    }
    // Never here: a submission that got this far would skip verification.
    if (in.action == RequestAction::kSubmit) return Error::internal("submission skipped receipt");
    // The preservation period and extensions the route allows, if it says.
    const law::PreservationRule* preservation = nullptr;
    std::string route_name;
    if (routes_ != nullptr && !r.draft.route.empty()) {
      if (const law::Route* route = routes_->book().route(r.draft.route);
          route != nullptr && route->preservation) {
        preservation = &*route->preservation;
        route_name = route->name;
      }
    }
    if (in.action == RequestAction::kPreserve) {
      Timestamp until{now.unix_micros + kDefaultPreservationDays * 86400 * 1'000'000};
      if (preservation != nullptr && preservation->period) {
        LIAISON_ASSIGN_OR_RETURN(until, law::add_period(now, *preservation->period, "UTC"));
      }
      if (preserved_until) until = *preserved_until;
      r.preserved_until = format_rfc3339(until.floor_seconds());
    } else if (in.action == RequestAction::kExtend) {
      if (!preserved_until)
        return Error::invalid("preserved_until", "is required to extend a preservation");
      if (r.preserved_until) {
        LIAISON_ASSIGN_OR_RETURN(Timestamp current,
                                 parse_rfc3339(*r.preserved_until, "preserved_until"));
        if (preserved_until->floor_seconds() <= current) {
          return Error::invalid("preserved_until",
                                "must be later than the current end, " + *r.preserved_until);
        }
        if (preservation != nullptr && preservation->extension) {
          LIAISON_TRY(check_extension(tx, r.id, *preservation, route_name, current,
                                      preserved_until->floor_seconds()));
        }
      }
      r.preserved_until = format_rfc3339(preserved_until->floor_seconds());
    }
    if (in.action == RequestAction::kFollowUp) {
      if (!r.follow_up_due) {
        return Error::make(ErrorCode::kIllegalTransition,
                           "no follow-up legal process is due on this request");
      }
      if (r.follow_up_done_at) {
        return Error::make(ErrorCode::kIllegalTransition,
                           "the follow-up legal process was recorded at " + *r.follow_up_done_at);
      }
      r.follow_up_done_at = now_text;
    }
    if (in.action == RequestAction::kProduce && r.draft.kind == RequestKind::kEmergencyDisclosure) {
      // Data went out ahead of the ordinary process, which is now owed.
      LIAISON_ASSIGN_OR_RETURN(auto policy, tx.get_signing_policy(r.issuer_org_id));
      std::int64_t hours = policy ? policy->follow_up_hours : SigningPolicy{}.follow_up_hours;
      r.follow_up_due =
          format_rfc3339(Timestamp::from_seconds(now.floor_seconds().seconds() + hours * 3600));
    }
    if (in.action == RequestAction::kRequestClarification || in.action == RequestAction::kClarify) {
      LIAISON_TRY(clarification_clock(tx, r, in.action, now));
    }
    if (in.action == RequestAction::kNotifyUser) {
      r.user_notified_at = now_text;
      r.user_notified_by = p.user.id;
    }
    std::string from = request_status_name(r.status);
    std::int64_t expected = r.version;
    if (!rule->keeps_status) r.status = rule->to;
    r.version += 1;
    r.updated_at = now_text;
    if (in.action == RequestAction::kSubmit) r.submitted_at = now_text;
    LIAISON_TRY(tx.update_request(r, expected));
    std::optional<std::string> message_id;
    if (rule->needs_note) {
      // Questions, answers and grounds also belong in the conversation.
      Message m{random_uuid(), r.id, p.user.id, p.org->id, in.note, now_text};
      LIAISON_TRY(tx.insert_message(m));
      message_id = m.id;
    }
    LIAISON_TRY(
        record(tx,
               {0, r.id, request_action_name(in.action), from, request_status_name(r.status),
                p.user.id, p.org->id, now_text, in.note, message_id},
               r));
    return follow_with_holds(tx, in.action, r, p.user.id, p.org->id, now_text, in.note);
  }));
  return get(p, request_id);
}

Result<std::vector<RequestEvent>> RequestService::events(const Principal& p,
                                                         const std::string& id) {
  std::vector<RequestEvent> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_events(r.id));
    return Ok{};
  }));
  return out;
}

Result<Created<Message>> RequestService::post_message(const Principal& p,
                                                      const std::string& request_id,
                                                      const std::string& body,
                                                      const std::optional<IdempotencyKey>& key) {
  if (body.empty()) return Error::invalid("body", "must not be empty");
  if (body.size() > kMaxMessageBytes) {
    return Error::invalid("body", "is longer than " + std::to_string(kMaxMessageBytes) + " bytes");
  }
  std::string now = format_rfc3339_micros(clock_.now());
  Created<Message> out;
  out.value = Message{random_uuid(), "", p.user.id, p.org ? p.org->id : "", body, now};
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    auto actor = actor_for(p, r);
    LIAISON_TRY(authorise(p, Action::kWriteMessage, relation_of(*actor),
                          "your roles do not allow writing messages"));
    LIAISON_ASSIGN_OR_RETURN(auto replay, find_replay(tx, p.user.id, key, "message"));
    if (replay) {
      LIAISON_ASSIGN_OR_RETURN(out.value, tx.get_message(*replay));
      out.replayed = true;
      return Ok{};
    }
    out.value.request_id = r.id;
    LIAISON_TRY(tx.insert_message(out.value));
    std::string status = request_status_name(r.status);
    LIAISON_TRY(record(
        tx, {0, r.id, "message", status, status, p.user.id, p.org->id, now, "", out.value.id}, r,
        {{"message",
          {{"id", out.value.id},
           {"author_user_id", out.value.author_user_id},
           {"body", out.value.body},
           {"created_at", out.value.created_at}}}}));
    return remember(tx, p.user.id, key, "message", out.value.id, now);
  }));
  return out;
}

Result<std::vector<Message>> RequestService::messages(const Principal& p,
                                                      const std::string& request_id) {
  std::vector<Message> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_messages(r.id));
    return Ok{};
  }));
  return out;
}

Result<Created<Attachment>> RequestService::add_attachment(
    const Principal& p, const std::string& request_id, const NewAttachment& in,
    const std::optional<IdempotencyKey>& key) {
  // The upload is consumed whatever happens, so a refused upload leaves no file behind.
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::remove(path.c_str()); }
  } cleanup{in.temp_file};

  auto purpose = attachment_purpose_from_name(in.purpose.empty() ? "document" : in.purpose);
  if (!purpose) return Error::invalid("purpose", "must be document");
  if (*purpose == AttachmentPurpose::kProduction) {
    return Error::invalid("purpose",
                          "produced data travels only as a sealed evidence package (POST "
                          "/api/v1/requests/{id}/packages/uploads; liaison evidence upload), "
                          "never in the clear");
  }
  if (!is_attachment_file_name(in.name)) {
    return Error::invalid("name",
                          "must be a file name of 1-255 characters, not starting with '.', without "
                          "'/', '\\' or control characters");
  }
  if (!is_media_type(in.media_type)) {
    return Error::invalid("media_type", "must be a media type such as application/pdf");
  }
  // Authorise before spending I/O on hashing the upload.
  LIAISON_ASSIGN_OR_RETURN(RequestView view, get(p, request_id));
  auto actor = actor_for(p, view.request);
  LIAISON_TRY(authorise(p, Action::kAttachDocument, relation_of(*actor),
                        "your roles do not allow adding attachments"));
  if (*purpose == AttachmentPurpose::kProduction) {
    LIAISON_TRY(authorise(p, Action::kAttachProduction, relation_of(*actor),
                          "only the provider's analysts add produced data"));
  }
  // Refuse what the state will refuse before the bytes are stored.
  if (is_final(view.request.status) || (*purpose == AttachmentPurpose::kProduction &&
                                        view.request.status != RequestStatus::kAccepted)) {
    return Error::make(ErrorCode::kIllegalTransition,
                       *purpose == AttachmentPurpose::kProduction
                           ? "produced data can be attached only to an accepted request"
                           : std::string("cannot attach to a request that is ") +
                                 request_status_name(view.request.status));
  }
  LIAISON_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.adopt(in.temp_file));
  std::string now = format_rfc3339_micros(clock_.now());
  Created<Attachment> out;
  out.value = Attachment{random_uuid(), view.request.id, p.user.id,   p.org->id, in.name,
                         in.media_type, blob.size,       blob.sha256, *purpose,  now};
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    LIAISON_ASSIGN_OR_RETURN(auto replay, find_replay(tx, p.user.id, key, "attachment"));
    if (replay) {
      LIAISON_ASSIGN_OR_RETURN(out.value, tx.get_attachment(*replay));
      out.replayed = true;
      return Ok{};
    }
    if (is_final(r.status)) {
      Error e = Error::make(
          ErrorCode::kIllegalTransition,
          std::string("cannot attach to a request that is ") + request_status_name(r.status));
      return e;
    }
    if (*purpose == AttachmentPurpose::kProduction && r.status != RequestStatus::kAccepted) {
      return Error::make(ErrorCode::kIllegalTransition,
                         "produced data can be attached only to an accepted request");
    }
    LIAISON_TRY(tx.insert_attachment(out.value));
    std::string status = request_status_name(r.status);
    LIAISON_TRY(record(tx,
                       {0, r.id, "attachment", status, status, p.user.id, p.org->id, now,
                        out.value.name, out.value.id},
                       r, {{"attachment", attachment_content(out.value)}}, std::nullopt,
                       "attachment.added"));
    return remember(tx, p.user.id, key, "attachment", out.value.id, now);
  }));
  return out;
}

Result<std::vector<Attachment>> RequestService::attachments(const Principal& p,
                                                            const std::string& request_id) {
  std::vector<Attachment> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_attachments(r.id));
    return Ok{};
  }));
  return out;
}

Result<Attachment> RequestService::attachment(const Principal& p, const std::string& request_id,
                                              const std::string& attachment_id) {
  LIAISON_ASSIGN_OR_RETURN(std::string aid, parse_uuid(attachment_id, "attachment_id"));
  Attachment att;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
    auto a = tx.get_attachment(aid);
    if (!a.ok() || a->request_id != r.id)
      return Error::not_found("attachment " + attachment_id + " not found");
    att = std::move(a.value());
    return Ok{};
  }));
  return att;
}

Result<std::pair<Attachment, std::string>> RequestService::open_attachment(
    const Principal& p, const std::string& request_id, const std::string& attachment_id) {
  LIAISON_ASSIGN_OR_RETURN(Attachment att, attachment(p, request_id, attachment_id));
  if (att.size == 0) return open_attachment_range(p, request_id, attachment_id, 0, 0);
  return open_attachment_range(p, request_id, attachment_id, 0, att.size - 1);
}

Result<std::pair<Attachment, std::string>> RequestService::open_attachment_range(
    const Principal& p, const std::string& request_id, const std::string& attachment_id,
    std::uint64_t first, std::uint64_t last) {
  LIAISON_ASSIGN_OR_RETURN(Attachment att, attachment(p, request_id, attachment_id));
  if (!blobs_.exists(att.sha256)) {
    return Error::make(ErrorCode::kUnavailable,
                       "the attachment's bytes are missing from the blob store");
  }
  // Who fetched produced data, which bytes, when and with which credential is
  // part of the record a court may ask for: recorded before the bytes are
  // served, so a download is never unrecorded (a transfer that then fails is
  // recorded all the same).
  if (att.purpose == AttachmentPurpose::kProduction) {
    std::string now = format_rfc3339_micros(clock_.now());
    LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, request_id));
      auto package = tx.get_evidence_package_of_attachment(att.id);
      if (!package.ok() && package.error().code != ErrorCode::kNotFound) {
        return package.take_error();
      }
      CustodyEvent e;
      e.request_id = r.id;
      if (package.ok()) e.package_id = package->id;
      e.kind = "download";
      e.user_id = p.user.id;
      e.org_id = p.org ? p.org->id : "";
      if (!p.token_id.empty()) e.token_id = p.token_id;
      if (att.size > 0) {
        e.first_byte = first;
        e.last_byte = last;
      }
      e.detail = nlohmann::json({{"attachment_id", att.id},
                                 {"bytes", att.size == 0 ? 0 : last - first + 1},
                                 {"of", att.size}})
                     .dump();
      e.at = now;
      LIAISON_ASSIGN_OR_RETURN(e.seq, tx.insert_custody_event(e));
      std::string status = request_status_name(r.status);
      return record(tx,
                    {0, r.id, "evidence_download", status, status, p.user.id,
                     p.org ? p.org->id : "", now, att.name, att.id},
                    r, {{"attachment", attachment_content(att)}, {"custody", custody_content(e)}});
    }));
  }
  return std::make_pair(att, blobs_.path_of(att.sha256));
}

Result<int> RequestService::expire_preservations() {
  Timestamp now = clock_.now();
  std::string now_micros = format_rfc3339_micros(now);
  int expired = 0;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    RequestFilter f;
    f.statuses = {RequestStatus::kPreserved};
    f.limit = 1000;
    for (;;) {
      LIAISON_ASSIGN_OR_RETURN(RequestPage page, tx.list_requests(f));
      for (auto& r : page.items) {
        if (!r.preserved_until) continue;
        LIAISON_ASSIGN_OR_RETURN(Timestamp until,
                                 parse_rfc3339(*r.preserved_until, "preserved_until"));
        if (until > now) continue;
        Actor hub{Side::kHub, {}};
        LIAISON_ASSIGN_OR_RETURN(const TransitionRule* rule,
                                 check_transition(r, RequestAction::kExpire, hub));
        std::int64_t expected = r.version;
        r.status = rule->to;
        r.version += 1;
        r.updated_at = now_micros;
        LIAISON_TRY(tx.update_request(r, expected));
        LIAISON_TRY(record(tx,
                           {0, r.id, "expire", "preserved", "expired", "hub", "hub", now_micros,
                            "preservation period ended " + *r.preserved_until, std::nullopt},
                           r));
        LIAISON_TRY(follow_with_holds(tx, RequestAction::kExpire, r, "hub", "hub", now_micros, ""));
        ++expired;
      }
      if (!page.next_after_seq) break;
      f.after_seq = page.next_after_seq;
    }
    return Ok{};
  }));
  return expired;
}

Result<int> RequestService::escalate_follow_ups() {
  Timestamp at = clock_.now();
  std::string now = format_rfc3339_micros(at);
  // follow_up_due is whole seconds, "…:00Z", and the store compares text:
  // against the instant rounded up to the second in that same form, "due < now"
  // holds exactly when the due time has passed, fractions included.
  std::string bound = format_rfc3339(at.ceil_seconds());
  int escalated = 0;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto due, tx.list_follow_ups_due(bound));
    for (auto& r : due) {
      std::int64_t expected = r.version;
      r.follow_up_escalated_at = now;
      r.version += 1;
      r.updated_at = now;
      LIAISON_TRY(tx.update_request(r, expected));
      std::string status = request_status_name(r.status);
      LIAISON_TRY(record(tx,
                         {0, r.id, "follow_up_overdue", status, status, "hub", "hub", now,
                          "the legal process owed after this emergency disclosure was due at " +
                              *r.follow_up_due + " and has not been recorded",
                          std::nullopt},
                         r));
      ++escalated;
    }
    return Ok{};
  }));
  return escalated;
}

}  // namespace liaison
