// The authorisation matrix: which role of which kind of organisation may take
// which action, and on whose things.
//
// This is the one table. Services ask `permits` before they act; the request
// state machine (request_lifecycle.h) asks it who may take a transition and
// keeps only the states and kinds. Anything not granted here is refused.
//
// What the table does not hold is what only the data can tell: a bearer
// token's scopes (the route table), whether a certificate names the caller's
// own organisation, and whether a request's state allows the step.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/request_action.h"
#include "core/user.h"

namespace liaison {

enum class Action {
  // organisations and accounts
  kReadOrganisations,   // the hub's directory of organisations
  kCreateOrganisation,  //
  kListUsers,           // an organisation's staff
  kReadUser,            //
  kManageUser,          // create, change, disable, reset an authenticator
  kCreateHubAdmin,      //
  kManageOwnAccount,    // own password, authenticator and tokens
  // trust
  kReadTrust,            // roots, certificates, revocation lists
  kChooseRoots,          // add or distrust a root
  kCertifyOrganisation,  // add an organisation certificate
  kCertifyUser,          // add a user certificate
  kCertifyRecipient,     // add a recipient certificate (a key evidence is sealed to)
  kPublishRevocations,   //
  kReadSigningPolicy,    //
  kSetSigningPolicy,     //
  kReviewQuarantine,     //
  // the ledger
  kReadLedger,        // entries, checkpoints, proofs (commitments only)
  kCosignCheckpoint,  // a witness's cosignature, which proves itself
  // the provider directory
  kReadDirectory,         // who providers are and how to reach them
  kCreateDirectoryEntry,  //
  kUpdateDirectoryEntry,  //
  // requests
  kCreateRequest,  // a draft, or a request received signed
  kReadRequest,    // view, events, messages, attachments
  kSignRequest,    // add a signature or co-signature
  kAskValidation,  // name the authority that validates a draft (a prosecutor's office, a court)
  kWriteMessage,   //
  kAttachDocument,
  kAttachProduction,    // upload a sealed evidence package
  kReportVerification,  // add one's check of a package to its chain of custody
  // legal holds and reminders
  kReadHold,               // a hold: the provider's own, or one on a request the authority issued
  kReadReminders,          // the organisation's reminders of deadlines
  kMarkReminderDelivered,  // a delivery worker's note that a reminder went out
  kTransition,             // one of the state machine's actions: see RequestAction
};

// Who is calling, as far as the matrix cares.
enum class Party {
  kHub,        // the hub itself: timers, never a person
  kHubAdmin,   // a hub administrator (belongs to no organisation)
  kAuthority,  // a member of an authority or a central authority
  kProvider,   // a member of a service provider
  kAnyMember,  // a member of any organisation
  kAnyone,     // any authenticated person, hub administrators included
};

// What a grant reaches.
enum class Reach {
  kAny,  // anything of its kind
  kOwn,  // the caller's organisation's: its users, policy, requests it issued, its directory entry
  kAddressed,   // requests addressed to the caller's organisation, once sent
  kValidating,  // drafts whose issuer asked the caller's organisation to validate them
  kSelf,        // the caller's own account
};

// How the thing acted on stands to the caller.
enum class Relation {
  kSelf,        // the caller's own account
  kOwn,         // belongs to the caller's organisation, or was issued by it
  kAddressed,   // a request sent to the caller's organisation
  kValidating,  // a draft the caller's organisation was asked to validate
  kForeign,     // none of these
};

struct Grant {
  Party party;
  std::vector<Role> roles;  // any of these; empty: any role
  Reach reach;
};

struct Permission {
  Action action;
  std::optional<RequestAction> transition;  // set for kTransition rows
  const char* name;                         // as docs/security.md spells it
  std::vector<Grant> grants;
};

// Every row: one per action, one per state-machine transition.
const std::vector<Permission>& permission_table();

struct Caller {
  bool hub = false;  // the hub's own timers
  bool hub_admin = false;
  std::optional<OrgKind> org_kind;
  Roles roles;
};

// True when a grant of `action` (or of `transition`) covers this caller acting
// on something that stands in `relation` to them.
bool permits(Action action, const Caller& caller, Relation relation);
bool permits(RequestAction transition, const Caller& caller, Relation relation);

// The grants of a row in words, as docs/security.md shows them:
// "authority officer/supervisor on own; provider analyst on addressed".
std::string describe_grants(const Permission& row);

// The row for an action, or for a transition.
const Permission& permission_for(Action action);
const Permission& permission_for(RequestAction transition);

}  // namespace liaison
