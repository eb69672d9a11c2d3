#include "core/request_lifecycle.h"

#include <algorithm>
#include <array>

#include "core/permissions.h"

namespace liaison {

namespace {

using S = RequestStatus;
using K = RequestKind;

constexpr std::array<std::pair<RequestAction, const char*>, 15> kActionNames = {{
    {RequestAction::kSubmit, "submit"},
    {RequestAction::kAcknowledge, "acknowledge"},
    {RequestAction::kRequestClarification, "request_clarification"},
    {RequestAction::kClarify, "clarify"},
    {RequestAction::kAccept, "accept"},
    {RequestAction::kReject, "reject"},
    {RequestAction::kCancel, "cancel"},
    {RequestAction::kPreserve, "preserve"},
    {RequestAction::kExtend, "extend"},
    {RequestAction::kRelease, "release"},
    {RequestAction::kProduce, "produce"},
    {RequestAction::kNotAvailable, "not_available"},
    {RequestAction::kExpire, "expire"},
    {RequestAction::kFollowUp, "follow_up"},
    {RequestAction::kNotifyUser, "notify_user"},
}};

const std::vector<S> kOpenBeforeAcceptance = {
    S::kSubmitted, S::kAcknowledged, S::kClarificationRequested, S::kClarified, S::kAccepted};
const std::vector<K> kDisclosureKinds = {K::kProduction, K::kEmergencyDisclosure,
                                         K::kDomainRegistration};

template <typename T>
bool contains(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

const char* request_action_name(RequestAction a) {
  for (const auto& [action, name] : kActionNames) {
    if (action == a) return name;
  }
  return "unknown";
}

std::optional<RequestAction> request_action_from_name(std::string_view s) {
  for (const auto& [action, name] : kActionNames) {
    if (s == name) return action;
  }
  return std::nullopt;
}

const std::vector<TransitionRule>& transition_rules() {
  static const std::vector<TransitionRule> kRules = {
      {RequestAction::kSubmit, {S::kDraft}, S::kSubmitted, {}},
      {RequestAction::kAcknowledge, {S::kSubmitted}, S::kAcknowledged, {}},
      {RequestAction::kRequestClarification,
       {S::kAcknowledged, S::kClarified},
       S::kClarificationRequested,
       {},
       /*needs_note=*/true},
      {RequestAction::kClarify,
       {S::kClarificationRequested},
       S::kClarified,
       {},
       /*needs_note=*/true},
      {RequestAction::kAccept, {S::kAcknowledged, S::kClarified}, S::kAccepted, {}},
      {RequestAction::kReject,
       kOpenBeforeAcceptance,
       S::kRejected,
       {},
       /*needs_note=*/true},
      {RequestAction::kCancel,
       {S::kDraft, S::kSubmitted, S::kAcknowledged, S::kClarificationRequested, S::kClarified,
        S::kAccepted},
       S::kCancelled,
       {}},
      {RequestAction::kPreserve, {S::kAccepted}, S::kPreserved, {K::kPreservation}},
      {RequestAction::kExtend, {S::kPreserved}, S::kPreserved, {K::kPreservation}},
      {RequestAction::kRelease, {S::kPreserved}, S::kReleased, {K::kPreservation}},
      {RequestAction::kProduce,
       {S::kAccepted},
       S::kProduced,
       kDisclosureKinds,
       false,
       /*needs_production=*/true},
      {RequestAction::kNotAvailable, {S::kAccepted}, S::kNotAvailable, {}},
      {RequestAction::kExpire, {S::kPreserved}, S::kExpired, {K::kPreservation}},
      // The production order, court order or other process that an emergency
      // disclosure was made ahead of; the note names it.
      {RequestAction::kFollowUp,
       {S::kProduced},
       S::kProduced,
       {K::kEmergencyDisclosure},
       /*needs_note=*/true},
      // Telling the user is allowed in any state the request reached after it
      // was sent, as long as the task is open; the note says how and when.
      {RequestAction::kNotifyUser,
       {S::kSubmitted, S::kAcknowledged, S::kClarificationRequested, S::kClarified, S::kAccepted,
        S::kPreserved, S::kProduced, S::kNotAvailable, S::kRejected, S::kCancelled, S::kExpired,
        S::kReleased},
       S::kSubmitted,  // unused: keeps_status
       {},
       /*needs_note=*/true,
       /*needs_production=*/false,
       /*keeps_status=*/true,
       /*needs_user_notification_task=*/true},
  };
  return kRules;
}

namespace {
// The matrix decides who; an actor on the issuing side acts on its own
// organisation's request, one on the provider side on a request addressed to it.
bool side_and_role_ok(const TransitionRule& rule, const Actor& actor) {
  Caller caller;
  caller.roles = actor.roles;
  Relation relation = Relation::kOwn;
  switch (actor.side) {
    case Side::kHub:
      caller.hub = true;
      break;
    case Side::kIssuer:
      caller.org_kind = OrgKind::kAuthority;
      break;
    case Side::kProvider:
      caller.org_kind = OrgKind::kProvider;
      relation = Relation::kAddressed;
      break;
    case Side::kValidator:
      caller.org_kind = OrgKind::kAuthority;
      relation = Relation::kValidating;
      break;
  }
  return permits(rule.action, caller, relation);
}
bool kind_ok(const TransitionRule& rule, RequestKind kind) {
  return rule.kinds.empty() || contains(rule.kinds, kind);
}
bool state_ok(const TransitionRule& rule, const Request& r) {
  if (!contains(rule.from, r.status)) return false;
  return !rule.needs_user_notification_task ||
         (r.user_notification_permitted_at.has_value() && !r.user_notified_at.has_value());
}
}  // namespace

std::vector<RequestAction> allowed_actions(const Request& request, const Actor& actor) {
  std::vector<RequestAction> out;
  for (const auto& rule : transition_rules()) {
    if (side_and_role_ok(rule, actor) && kind_ok(rule, request.draft.kind) &&
        state_ok(rule, request)) {
      out.push_back(rule.action);
    }
  }
  return out;
}

Result<const TransitionRule*> check_transition(const Request& request, RequestAction action,
                                               const Actor& actor) {
  const TransitionRule* rule = nullptr;
  for (const auto& r : transition_rules()) {
    if (r.action == action) rule = &r;
  }
  if (rule == nullptr) return Error::internal("no rule for action");
  if (!side_and_role_ok(*rule, actor)) {
    return Error::make(ErrorCode::kForbidden,
                       std::string("your organisation's side or your roles do not "
                                   "allow the action '") +
                           request_action_name(action) + "'");
  }
  if (!kind_ok(*rule, request.draft.kind) || !state_ok(*rule, request)) {
    std::string why = std::string("cannot ") + request_action_name(action) + " a " +
                      request_kind_name(request.draft.kind) + " request that is " +
                      request_status_name(request.status);
    if (rule->needs_user_notification_task && contains(rule->from, request.status)) {
      why += request.user_notified_at
                 ? ": the user notification was recorded at " + *request.user_notified_at
                 : std::string(": the user may not be told yet: ") +
                       (request.draft.non_disclosure_until
                            ? "the non-disclosure order runs until " +
                                  *request.draft.non_disclosure_until
                            : "the request carries no non-disclosure order, so the provider's "
                              "own user-notification policy applies");
    }
    Error e = Error::make(ErrorCode::kIllegalTransition, why);
    for (auto a : allowed_actions(request, actor)) e.allowed.emplace_back(request_action_name(a));
    return e;
  }
  return rule;
}

bool is_final(RequestStatus s) {
  return s == S::kProduced || s == S::kNotAvailable || s == S::kRejected || s == S::kCancelled ||
         s == S::kExpired || s == S::kReleased || s == S::kQuarantined;
}

EtsiStatus etsi_status(RequestKind kind, RequestStatus status) {
  // The one table from Liaison states to the ETSI dictionaries. Liaison's
  // finer provider-side steps (acknowledged, clarification) are all still
  // "awaiting" in ETSI terms.
  struct Row {
    S status;
    const char* ld;  // LDTaskStatus
    const char* lp;  // LPTaskStatus
  };
  static constexpr Row kTable[] = {
      {S::kDraft, "AwaitingApproval", "AwaitingPreservation"},
      {S::kSubmitted, "AwaitingDisclosure", "AwaitingPreservation"},
      {S::kAcknowledged, "AwaitingDisclosure", "AwaitingPreservation"},
      {S::kClarificationRequested, "AwaitingDisclosure", "AwaitingPreservation"},
      {S::kClarified, "AwaitingDisclosure", "AwaitingPreservation"},
      {S::kAccepted, "AwaitingDisclosure", "AwaitingPreservation"},
      {S::kPreserved, "Invalid", "Preserved"},
      {S::kProduced, "Disclosed", "Invalid"},
      {S::kNotAvailable, "DisclosureNotAvailable", "PreservationNotAvailable"},
      {S::kRejected, "Rejected", "Rejected"},
      {S::kCancelled, "Cancelled", "Cancelled"},
      {S::kExpired, "Invalid", "Expired"},
      // ETSI has no "released": the authority withdrawing a preservation is a cancellation.
      {S::kReleased, "Invalid", "Cancelled"},
      {S::kQuarantined, "Invalid", "Invalid"},
  };
  bool lp = kind == K::kPreservation;
  for (const auto& row : kTable) {
    if (row.status == status) return {lp ? "LPTaskStatus" : "LDTaskStatus", lp ? row.lp : row.ld};
  }
  return {lp ? "LPTaskStatus" : "LDTaskStatus", "Error"};
}

}  // namespace liaison
