// Legal holds, the user-notification task, deadlines and reminders: the parts
// of RequestService that follow a request's preservation and its clocks.
#include <algorithm>

#include "core/uuid.h"
#include "service/cursor.h"
#include "service/request_service.h"

namespace liaison {

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kMaxReminders = 500;
constexpr std::int64_t kMaxWindowSeconds = 366 * 86400;

nlohmann::json hold_content(const LegalHold& h) {
  return {{"id", h.id},
          {"provider_org_id", h.provider_org_id},
          {"issuer_org_id", h.issuer_org_id},
          {"request_id", h.request_id},
          {"scope", encode_hold_scope(h.scope)},
          {"created_at", h.created_at},
          {"expires_at", h.expires_at},
          {"status", hold_status_name(h.status)}};
}

// How a hold stands to the caller, or nothing when the caller may not see it.
std::optional<Relation> hold_relation(const Principal& p, const LegalHold& h) {
  if (!p.org) return std::nullopt;
  if (p.org->id == h.provider_org_id) return Relation::kAddressed;
  if (p.org->id == h.issuer_org_id) return Relation::kOwn;
  return std::nullopt;
}

Timestamp plus_seconds(Timestamp t, std::int64_t seconds) {
  return Timestamp{t.unix_micros + seconds * 1'000'000};
}

}  // namespace

Status RequestService::follow_with_holds(WriteTx& tx, RequestAction action, const Request& r,
                                         const std::string& user_id, const std::string& org_id,
                                         const std::string& now_text, const std::string& reason) {
  if (action != RequestAction::kPreserve && action != RequestAction::kExtend &&
      action != RequestAction::kRelease && action != RequestAction::kExpire) {
    return Ok{};
  }
  std::string status = request_status_name(r.status);
  auto event = [&](const char* type, const LegalHold& h, std::string note) {
    return RequestEvent{0,       r.id,   type,     status,          status,
                        user_id, org_id, now_text, std::move(note), h.id};
  };
  if (action == RequestAction::kPreserve) {
    LegalHold h;
    h.id = random_uuid();
    h.provider_org_id = r.draft.provider_org_id;
    h.issuer_org_id = r.issuer_org_id;
    h.request_id = r.id;
    h.scope = hold_scope_of(r.draft);
    h.created_at = now_text;
    h.created_by = user_id;
    h.expires_at = r.preserved_until.value_or("");
    LIAISON_TRY(tx.insert_hold(h));
    return record(tx, event("hold_created", h, "kept until " + h.expires_at), r,
                  {{"hold", hold_content(h)}});
  }
  LIAISON_ASSIGN_OR_RETURN(auto holds, tx.list_holds_of_request(r.id));
  for (auto& h : holds) {
    if (h.status != HoldStatus::kActive) continue;
    nlohmann::json subject = nlohmann::json::object();
    RequestEvent e;
    if (action == RequestAction::kExtend) {
      HoldRenewal renewal{now_text, h.expires_at, r.preserved_until.value_or(h.expires_at), user_id,
                          org_id};
      h.expires_at = renewal.new_expiry;
      LIAISON_TRY(tx.insert_hold_renewal(h.id, renewal));
      subject["renewal"] = {{"at", renewal.at},
                            {"previous_expiry", renewal.previous_expiry},
                            {"new_expiry", renewal.new_expiry},
                            {"by_user_id", renewal.by_user_id},
                            {"by_org_id", renewal.by_org_id}};
      e = event("hold_renewed", h,
                "kept until " + renewal.new_expiry + " instead of " + renewal.previous_expiry);
    } else if (action == RequestAction::kRelease) {
      h.status = HoldStatus::kReleased;
      h.released_at = now_text;
      h.released_by = user_id;
      if (!reason.empty()) h.release_reason = reason;
      e = event("hold_released", h, reason);
    } else {
      h.status = HoldStatus::kExpired;
      h.expired_at = now_text;
      e = event("hold_expired", h, "the hold ran out at " + h.expires_at);
    }
    LIAISON_TRY(tx.update_hold(h));
    subject["hold"] = hold_content(h);
    LIAISON_TRY(record(tx, e, r, subject));
  }
  return Ok{};
}

Result<HoldList> RequestService::list_holds(const Principal& p, const HoldQuery& q) {
  Relation reach =
      p.org && p.org->kind == OrgKind::kProvider ? Relation::kAddressed : Relation::kOwn;
  LIAISON_TRY(authorise(p, Action::kReadHold, reach, "hub administrators do not see holds"));
  HoldFilter f;
  if (p.org->kind == OrgKind::kProvider) {
    f.provider_org_id = p.org->id;
  } else {
    f.issuer_org_id = p.org->id;
  }
  if (q.status) {
    f.status = hold_status_from_name(*q.status);
    if (!f.status) {
      return Error::invalid(
          "status", "unknown status '" + *q.status + "'; holds are active, released or expired");
    }
  }
  if (q.expiring_before) {
    LIAISON_ASSIGN_OR_RETURN(Timestamp t, parse_rfc3339(*q.expiring_before, "expiring_before"));
    // Expiries are whole seconds; rounding the bound up keeps "before" exact.
    f.expiring_before = format_rfc3339(t.ceil_seconds());
  }
  if (q.cursor) {
    LIAISON_ASSIGN_OR_RETURN(f.after_seq, decode_cursor(*q.cursor));
  }
  f.limit = q.limit.value_or(kDefaultPageSize);
  if (f.limit < 1 || f.limit > kMaxPageSize) {
    return Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxPageSize));
  }
  HoldList out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(HoldPage page, tx.list_holds(f));
    out.items = std::move(page.items);
    if (page.next_after_seq) out.next_cursor = encode_cursor(*page.next_after_seq);
    return Ok{};
  }));
  return out;
}

Result<LegalHold> RequestService::get_hold(const Principal& p, const std::string& id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(id, "id"));
  LegalHold out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    auto h = tx.get_hold(uuid);
    if (!h.ok() && h.error().code != ErrorCode::kNotFound) return h.take_error();
    std::optional<Relation> relation = h.ok() ? hold_relation(p, h.value()) : std::nullopt;
    if (!relation || !permits(Action::kReadHold, caller_of(p), *relation))
      return Error::not_found("hold " + id + " not found");
    out = std::move(h.value());
    return Ok{};
  }));
  return out;
}

Result<LegalHold> RequestService::release_hold(const Principal& p, const std::string& id,
                                               const std::string& reason) {
  constexpr std::size_t kMaxReasonBytes = 20000;
  if (reason.size() > kMaxReasonBytes) {
    return Error::invalid("reason", "is longer than " + std::to_string(kMaxReasonBytes) + " bytes");
  }
  LIAISON_ASSIGN_OR_RETURN(LegalHold hold, get_hold(p, id));
  Timestamp now = clock_.now();
  std::string now_text = format_rfc3339_micros(now);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(LegalHold h, tx.get_hold(hold.id));
    LIAISON_ASSIGN_OR_RETURN(Request r, tx.get_request(h.request_id));
    // The authority reads the holds on its requests; it ends a preservation
    // with the request's own `release`.
    if (hold_relation(p, h) != Relation::kAddressed ||
        !permits(RequestAction::kRelease, caller_of(p), Relation::kAddressed)) {
      return Error::make(ErrorCode::kForbidden,
                         "only the provider's analysts and counsel release a hold; the "
                         "requesting authority releases the preservation with the request's "
                         "release action");
    }
    if (h.status != HoldStatus::kActive) {
      return Error::make(ErrorCode::kIllegalTransition,
                         std::string("the hold is ") + hold_status_name(h.status) +
                             (h.released_at  ? " since " + *h.released_at
                              : h.expired_at ? " since " + *h.expired_at
                                             : std::string()));
    }
    if (reason.empty()) {
      return Error::invalid("reason", "is required: say why the data is no longer kept");
    }
    auto actor = actor_for(p, r);
    auto rule = actor ? check_transition(r, RequestAction::kRelease, *actor)
                      : Result<const TransitionRule*>(Error::internal("no actor"));
    if (rule.ok()) {
      // The usual path: the hold's preservation request is released with it,
      // and follow_with_holds releases the hold.
      std::string from = request_status_name(r.status);
      std::int64_t expected = r.version;
      r.status = rule.value()->to;
      r.version += 1;
      r.updated_at = now_text;
      LIAISON_TRY(tx.update_request(r, expected));
      LIAISON_TRY(record(tx,
                         {0, r.id, "release", from, request_status_name(r.status), p.user.id,
                          p.org->id, now_text, reason, std::nullopt},
                         r));
      return follow_with_holds(tx, RequestAction::kRelease, r, p.user.id, p.org->id, now_text,
                               reason);
    }
    // A hold whose request is no longer preserved (which the steps above never
    // leave behind): the provider's word that it no longer keeps the data is
    // recorded all the same, and the request stays as it is.
    h.status = HoldStatus::kReleased;
    h.released_at = now_text;
    h.released_by = p.user.id;
    h.release_reason = reason;
    LIAISON_TRY(tx.update_hold(h));
    std::string status = request_status_name(r.status);
    return record(
        tx,
        {0, r.id, "hold_released", status, status, p.user.id, p.org->id, now_text, reason, h.id}, r,
        {{"hold", hold_content(h)}});
  }));
  return get_hold(p, hold.id);
}

Result<std::vector<DueItem>> RequestService::due(const Principal& p, std::int64_t within_seconds) {
  Relation reach =
      p.org && p.org->kind == OrgKind::kProvider ? Relation::kAddressed : Relation::kOwn;
  LIAISON_TRY(authorise(p, Action::kReadRequest, reach, "hub administrators do not see requests"));
  if (within_seconds < 0 || within_seconds > kMaxWindowSeconds) {
    return Error::invalid("within", "must be between PT0S and P366D");
  }
  Timestamp now = clock_.now();
  Timestamp bound = plus_seconds(now, within_seconds);
  DeadlineFilter f;
  if (p.org->kind == OrgKind::kProvider) {
    f.provider_org_id = p.org->id;
  } else {
    f.issuer_org_id = p.org->id;
  }
  // Deadlines are whole seconds, compared as text: "at < bound" on the bound
  // rounded up, and "at <= bound" below on the instant.
  f.before = format_rfc3339(Timestamp{bound.unix_micros + 1}.ceil_seconds());
  std::vector<DueItem> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto requests, tx.list_requests_with_deadlines(f));
    for (const auto& r : requests) {
      if (!actor_for(p, r)) continue;
      for (auto& d : open_deadlines(r)) {
        auto at = parse_rfc3339(d.at, "at");
        if (!at.ok()) continue;
        if (d.has_end && at.value() > bound) continue;
        bool overdue = d.has_end && at.value() <= now;
        out.push_back({r.id, r.reference, r.draft.kind, r.status, std::move(d), overdue});
      }
    }
    return Ok{};
  }));
  std::stable_sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
    if (a.deadline.at != b.deadline.at) return a.deadline.at < b.deadline.at;
    return a.reference < b.reference;
  });
  return out;
}

Result<std::vector<Reminder>> RequestService::reminders(const Principal& p, bool undelivered_only) {
  LIAISON_TRY(authorise(p, Action::kReadReminders, Relation::kOwn,
                        "reminders belong to an organisation; hub administrators have none"));
  std::vector<Reminder> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_reminders(p.org->id, undelivered_only, kMaxReminders));
    return Ok{};
  }));
  return out;
}

Result<Reminder> RequestService::mark_reminder_delivered(const Principal& p,
                                                         const std::string& id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(id, "id"));
  std::string now_text = format_rfc3339_micros(clock_.now());
  Reminder out;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    auto reminder = tx.get_reminder(uuid);
    if (!reminder.ok() && reminder.error().code != ErrorCode::kNotFound)
      return reminder.take_error();
    if (!reminder.ok() || !p.org || reminder->org_id != p.org->id ||
        !permits(Action::kReadReminders, caller_of(p), Relation::kOwn)) {
      return Error::not_found("reminder " + id + " not found");
    }
    LIAISON_TRY(authorise(p, Action::kMarkReminderDelivered, Relation::kOwn,
                          "only the organisation's admins mark reminders delivered"));
    out = std::move(reminder.value());
    if (out.delivered_at) return Ok{};
    LIAISON_TRY(tx.mark_reminder_delivered(out.id, now_text, p.user.id));
    out.delivered_at = now_text;
    out.delivered_by = p.user.id;
    return Ok{};
  }));
  return out;
}

Result<int> RequestService::permit_user_notifications() {
  Timestamp at = clock_.now();
  std::string now = format_rfc3339_micros(at);
  // As in escalate_follow_ups: against the instant rounded up, "until < bound"
  // holds exactly when the gag order's end has passed.
  std::string bound = format_rfc3339(at.ceil_seconds());
  int permitted = 0;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto lapsed, tx.list_gags_lapsed(bound));
    for (auto& r : lapsed) {
      std::int64_t expected = r.version;
      r.user_notification_permitted_at = now;
      r.version += 1;
      r.updated_at = now;
      LIAISON_TRY(tx.update_request(r, expected));
      std::string status = request_status_name(r.status);
      LIAISON_TRY(record(
          tx,
          {0, r.id, "user_notification_permitted", status, status, "hub", "hub", now,
           "the non-disclosure order ran until " + r.draft.non_disclosure_until.value_or("") +
               ": the provider may now tell the user, and records when it did "
               "with notify_user",
           std::nullopt},
          r));
      ++permitted;
    }
    return Ok{};
  }));
  return permitted;
}

Result<int> RequestService::make_reminders(const ReminderPolicy& policy) {
  Timestamp now = clock_.now();
  std::string now_text = format_rfc3339_micros(now);
  DeadlineFilter f;
  f.before = format_rfc3339(plus_seconds(now, policy.max_lead_seconds() + 1).ceil_seconds());
  int made = 0;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto requests, tx.list_requests_with_deadlines(f));
    for (const auto& r : requests) {
      for (const auto& due : reminders_due(r, now, policy)) {
        Reminder m{random_uuid(),
                   r.id,
                   due.for_side == Side::kIssuer ? r.issuer_org_id : r.draft.provider_org_id,
                   reminder_kind_name(due.kind),
                   due.due_at,
                   now_text,
                   std::nullopt,
                   std::nullopt};
        LIAISON_ASSIGN_OR_RETURN(bool stored, tx.insert_reminder(m));
        if (stored) ++made;
      }
    }
    return Ok{};
  }));
  return made;
}

}  // namespace liaison
