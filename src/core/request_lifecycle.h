// The request state machine (ARCHITECTURE §4) and its mapping to ETSI.
//
// Every action is a row in one table: from which states, for which kinds, and
// what it needs. Who may take it (side and roles) is the authorisation
// matrix's business (core/permissions.h), which check_transition asks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request.h"
#include "core/request_action.h"
#include "core/result.h"
#include "core/user.h"

namespace liaison {

// kValidator: the authority the issuer asked to validate the request.
enum class Side { kIssuer, kProvider, kValidator, kHub };

struct TransitionRule {
  RequestAction action;
  std::vector<RequestStatus> from;  // any of these
  RequestStatus to;
  std::vector<RequestKind> kinds;  // empty: any kind
  bool needs_note = false;         // a question, answer or grounds
  bool needs_production = false;   // at least one production attachment
  bool keeps_status = false;       // a step recorded on the request that leaves its status
  // Only while the user-notification task is open: the gag order lapsed and
  // the provider has not yet recorded telling the user.
  bool needs_user_notification_task = false;
};

const std::vector<TransitionRule>& transition_rules();

// Who is acting, as far as the state machine cares.
struct Actor {
  Side side = Side::kIssuer;
  Roles roles;
};

// Finds the rule for `action` and checks side, role, kind and state.
// Errors: kForbidden when the actor's side or roles never allow the action,
// kIllegalTransition (with the allowed actions) when the state does not.
Result<const TransitionRule*> check_transition(const Request& request, RequestAction action,
                                               const Actor& actor);

// Actions this actor could take on this request now.
std::vector<RequestAction> allowed_actions(const Request& request, const Actor& actor);

// True once the request has reached an end state.
bool is_final(RequestStatus s);

// ETSI TS 103 120 status of the task that represents this request: an
// LPTaskStatus for preservation requests, an LDTaskStatus otherwise.
struct EtsiStatus {
  const char* dictionary;  // "LDTaskStatus" or "LPTaskStatus"
  const char* value;
};
EtsiStatus etsi_status(RequestKind kind, RequestStatus status);

}  // namespace liaison
