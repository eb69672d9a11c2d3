#include "core/request_lifecycle.h"

#include <algorithm>
#include <array>

namespace liaison {

namespace {

using S = RequestStatus;
using K = RequestKind;
using R = Role;

constexpr std::array<std::pair<RequestAction, const char*>, 14> kActionNames = {{
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
      {RequestAction::kSubmit,
       Side::kIssuer,
       {R::kOfficer, R::kSupervisor},
       {S::kDraft},
       S::kSubmitted,
       {}},
      {RequestAction::kAcknowledge,
       Side::kProvider,
       {R::kAnalyst, R::kCounsel},
       {S::kSubmitted},
       S::kAcknowledged,
       {}},
      {RequestAction::kRequestClarification,
       Side::kProvider,
       {R::kAnalyst, R::kCounsel},
       {S::kAcknowledged, S::kClarified},
       S::kClarificationRequested,
       {},
       /*needs_note=*/true},
      {RequestAction::kClarify,
       Side::kIssuer,
       {R::kOfficer, R::kSupervisor, R::kValidator},
       {S::kClarificationRequested},
       S::kClarified,
       {},
       /*needs_note=*/true},
      {RequestAction::kAccept,
       Side::kProvider,
       {R::kAnalyst, R::kCounsel},
       {S::kAcknowledged, S::kClarified},
       S::kAccepted,
       {}},
      {RequestAction::kReject,
       Side::kProvider,
       {R::kAnalyst, R::kCounsel},
       kOpenBeforeAcceptance,
       S::kRejected,
       {},
       /*needs_note=*/true},
      {RequestAction::kCancel,
       Side::kIssuer,
       {R::kOfficer, R::kSupervisor},
       {S::kDraft, S::kSubmitted, S::kAcknowledged, S::kClarificationRequested, S::kClarified,
        S::kAccepted},
       S::kCancelled,
       {}},
      {RequestAction::kPreserve,
       Side::kProvider,
       {R::kAnalyst},
       {S::kAccepted},
       S::kPreserved,
       {K::kPreservation}},
      {RequestAction::kExtend,
       Side::kIssuer,
       {R::kOfficer, R::kSupervisor},
       {S::kPreserved},
       S::kPreserved,
       {K::kPreservation}},
      {RequestAction::kRelease,
       Side::kIssuer,
       {R::kOfficer, R::kSupervisor},
       {S::kPreserved},
       S::kReleased,
       {K::kPreservation}},
      {RequestAction::kProduce,
       Side::kProvider,
       {R::kAnalyst},
       {S::kAccepted},
       S::kProduced,
       kDisclosureKinds,
       false,
       /*needs_production=*/true},
      {RequestAction::kNotAvailable,
       Side::kProvider,
       {R::kAnalyst, R::kCounsel},
       {S::kAccepted},
       S::kNotAvailable,
       {}},
      {RequestAction::kExpire, Side::kHub, {}, {S::kPreserved}, S::kExpired, {K::kPreservation}},
      // The production order, court order or other process that an emergency
      // disclosure was made ahead of; the note names it.
      {RequestAction::kFollowUp,
       Side::kIssuer,
       {R::kOfficer, R::kSupervisor, R::kValidator},
       {S::kProduced},
       S::kProduced,
       {K::kEmergencyDisclosure},
       /*needs_note=*/true},
  };
  return kRules;
}

namespace {
bool side_and_role_ok(const TransitionRule& rule, const Actor& actor) {
  if (rule.side != actor.side) return false;
  if (rule.side == Side::kHub) return true;
  return std::any_of(rule.roles.begin(), rule.roles.end(),
                     [&](Role r) { return actor.roles.has(r); });
}
bool kind_ok(const TransitionRule& rule, RequestKind kind) {
  return rule.kinds.empty() || contains(rule.kinds, kind);
}
}  // namespace

std::vector<RequestAction> allowed_actions(const Request& request, const Actor& actor) {
  std::vector<RequestAction> out;
  for (const auto& rule : transition_rules()) {
    if (side_and_role_ok(rule, actor) && kind_ok(rule, request.draft.kind) &&
        contains(rule.from, request.status)) {
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
  if (!kind_ok(*rule, request.draft.kind) || !contains(rule->from, request.status)) {
    Error e = Error::make(ErrorCode::kIllegalTransition,
                          std::string("cannot ") + request_action_name(action) + " a " +
                              request_kind_name(request.draft.kind) + " request that is " +
                              request_status_name(request.status));
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
