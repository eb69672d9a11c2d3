#include "core/permissions.h"

#include <algorithm>

namespace liaison {

namespace {

using A = Action;
using P = Party;
using R = Role;
using T = RequestAction;

const std::vector<R> kIssuers = {R::kOfficer, R::kSupervisor};
const std::vector<R> kAuthorityCaseStaff = {R::kOfficer, R::kValidator, R::kSupervisor};
const std::vector<R> kProviderCaseStaff = {R::kAnalyst, R::kCounsel};
const std::vector<R> kAdmins = {R::kOrgAdmin};
const std::vector<R> kStaffReaders = {R::kOrgAdmin, R::kAuditor};

const Grant kHubAdminAnywhere{P::kHubAdmin, {}, Reach::kAny};

Permission row(Action a, const char* name, std::vector<Grant> grants) {
  return {a, std::nullopt, name, std::move(grants)};
}
Permission step(T t, const char* name, std::vector<Grant> grants) {
  return {A::kTransition, t, name, std::move(grants)};
}
Permission authority_step(T t, const char* name, const std::vector<R>& roles) {
  return step(t, name, {{P::kAuthority, roles, Reach::kOwn}});
}
Permission provider_step(T t, const char* name, const std::vector<R>& roles) {
  return step(t, name, {{P::kProvider, roles, Reach::kAddressed}});
}

bool party_matches(Party party, const Caller& c) {
  switch (party) {
    case P::kHub:
      return c.hub;
    case P::kHubAdmin:
      return !c.hub && c.hub_admin;
    case P::kAuthority:
      return !c.hub &&
             (c.org_kind == OrgKind::kAuthority || c.org_kind == OrgKind::kCentralAuthority);
    case P::kProvider:
      return !c.hub && c.org_kind == OrgKind::kProvider;
    case P::kAnyMember:
      return !c.hub && c.org_kind.has_value();
    case P::kAnyone:
      return !c.hub;
  }
  return false;
}

bool reach_covers(Reach reach, Relation relation) {
  switch (reach) {
    case Reach::kAny:
      return true;
    case Reach::kOwn:
      return relation == Relation::kOwn || relation == Relation::kSelf;
    case Reach::kAddressed:
      return relation == Relation::kAddressed;
    case Reach::kValidating:
      return relation == Relation::kValidating;
    case Reach::kSelf:
      return relation == Relation::kSelf;
  }
  return false;
}

bool grants_cover(const Permission& p, const Caller& c, Relation relation) {
  return std::any_of(p.grants.begin(), p.grants.end(), [&](const Grant& g) {
    bool role_ok = g.roles.empty() || std::any_of(g.roles.begin(), g.roles.end(),
                                                  [&](Role r) { return c.roles.has(r); });
    return party_matches(g.party, c) && role_ok && reach_covers(g.reach, relation);
  });
}

}  // namespace

const std::vector<Permission>& permission_table() {
  static const std::vector<Permission> kTable = {
      // organisations and accounts
      row(A::kReadOrganisations, "organisations.read", {{P::kAnyone, {}, Reach::kAny}}),
      row(A::kCreateOrganisation, "organisations.create", {kHubAdminAnywhere}),
      row(A::kListUsers, "users.list",
          {kHubAdminAnywhere, {P::kAnyMember, kStaffReaders, Reach::kOwn}}),
      row(A::kReadUser, "users.read",
          {kHubAdminAnywhere,
           {P::kAnyMember, kStaffReaders, Reach::kOwn},
           {P::kAnyone, {}, Reach::kSelf}}),
      row(A::kManageUser, "users.manage",
          {kHubAdminAnywhere, {P::kAnyMember, kAdmins, Reach::kOwn}}),
      row(A::kCreateHubAdmin, "hub_admins.create", {kHubAdminAnywhere}),
      row(A::kManageOwnAccount, "account.manage_own", {{P::kAnyone, {}, Reach::kSelf}}),
      // trust
      row(A::kReadTrust, "trust.read", {{P::kAnyone, {}, Reach::kAny}}),
      row(A::kChooseRoots, "trust.choose_roots", {kHubAdminAnywhere}),
      row(A::kCertifyOrganisation, "trust.certify_organisation", {kHubAdminAnywhere}),
      row(A::kCertifyUser, "trust.certify_user",
          {kHubAdminAnywhere, {P::kAnyMember, kAdmins, Reach::kOwn}}),
      row(A::kCertifyRecipient, "trust.certify_recipient",
          {kHubAdminAnywhere, {P::kAnyMember, kAdmins, Reach::kOwn}}),
      row(A::kPublishRevocations, "trust.publish_revocations",
          {kHubAdminAnywhere, {P::kAnyMember, kAdmins, Reach::kOwn}}),
      row(A::kReadSigningPolicy, "signing_policy.read",
          {kHubAdminAnywhere, {P::kAnyMember, {}, Reach::kOwn}}),
      row(A::kSetSigningPolicy, "signing_policy.set",
          {kHubAdminAnywhere, {P::kAnyMember, kAdmins, Reach::kOwn}}),
      row(A::kReviewQuarantine, "quarantine.review", {kHubAdminAnywhere}),
      // the ledger: what it holds proves itself, so anyone may read and cosign
      row(A::kReadLedger, "ledger.read", {{P::kAnyone, {}, Reach::kAny}}),
      row(A::kCosignCheckpoint, "ledger.cosign", {{P::kAnyone, {}, Reach::kAny}}),
      // the provider directory: public to every caller; a provider's org
      // admin keeps its own organisation's entry, hub administrators any
      row(A::kReadDirectory, "directory.read", {{P::kAnyone, {}, Reach::kAny}}),
      row(A::kCreateDirectoryEntry, "directory.create",
          {kHubAdminAnywhere, {P::kProvider, kAdmins, Reach::kOwn}}),
      row(A::kUpdateDirectoryEntry, "directory.update",
          {kHubAdminAnywhere, {P::kProvider, kAdmins, Reach::kOwn}}),
      // requests: hub administrators run the hub and never see a case
      row(A::kCreateRequest, "requests.create", {{P::kAuthority, kIssuers, Reach::kOwn}}),
      // A validating authority's validators read and co-sign what they were
      // asked to validate; they take no step and write to no one.
      row(A::kReadRequest, "requests.read",
          {{P::kAuthority, {}, Reach::kOwn},
           {P::kAuthority, {R::kValidator}, Reach::kValidating},
           {P::kProvider, {}, Reach::kAddressed}}),
      row(A::kSignRequest, "requests.sign",
          {{P::kAuthority, kAuthorityCaseStaff, Reach::kOwn},
           {P::kAuthority, {R::kValidator}, Reach::kValidating}}),
      row(A::kAskValidation, "requests.ask_validation", {{P::kAuthority, kIssuers, Reach::kOwn}}),
      row(A::kWriteMessage, "requests.message",
          {{P::kAuthority, kAuthorityCaseStaff, Reach::kOwn},
           {P::kProvider, kProviderCaseStaff, Reach::kAddressed}}),
      row(A::kAttachDocument, "requests.attach_document",
          {{P::kAuthority, kAuthorityCaseStaff, Reach::kOwn},
           {P::kProvider, kProviderCaseStaff, Reach::kAddressed}}),
      row(A::kAttachProduction, "requests.attach_production",
          {{P::kProvider, {R::kAnalyst}, Reach::kAddressed}}),
      row(A::kReportVerification, "requests.report_verification",
          {{P::kAuthority, kAuthorityCaseStaff, Reach::kOwn},
           {P::kProvider, kProviderCaseStaff, Reach::kAddressed}}),
      // holds: the provider keeping the data and the authority that asked for it
      row(A::kReadHold, "holds.read",
          {{P::kAuthority, {}, Reach::kOwn}, {P::kProvider, {}, Reach::kAddressed}}),
      // reminders are an organisation's own; marking one delivered is what a
      // delivery integration set up by the organisation's admin does
      row(A::kReadReminders, "reminders.read", {{P::kAnyMember, {}, Reach::kOwn}}),
      row(A::kMarkReminderDelivered, "reminders.mark_delivered",
          {{P::kAnyMember, kAdmins, Reach::kOwn}}),
      // the state machine's steps
      authority_step(T::kSubmit, "requests.submit", kIssuers),
      provider_step(T::kAcknowledge, "requests.acknowledge", kProviderCaseStaff),
      provider_step(T::kRequestClarification, "requests.request_clarification", kProviderCaseStaff),
      authority_step(T::kClarify, "requests.clarify", kAuthorityCaseStaff),
      provider_step(T::kAccept, "requests.accept", kProviderCaseStaff),
      provider_step(T::kReject, "requests.reject", kProviderCaseStaff),
      authority_step(T::kCancel, "requests.cancel", kIssuers),
      provider_step(T::kPreserve, "requests.preserve", {R::kAnalyst}),
      authority_step(T::kExtend, "requests.extend", kIssuers),
      // Either side ends a preservation: the authority withdraws it, the
      // provider releases its hold (with a reason: docs/architecture.md).
      step(T::kRelease, "requests.release",
           {{P::kAuthority, kIssuers, Reach::kOwn},
            {P::kProvider, kProviderCaseStaff, Reach::kAddressed}}),
      provider_step(T::kProduce, "requests.produce", {R::kAnalyst}),
      provider_step(T::kNotAvailable, "requests.not_available", kProviderCaseStaff),
      step(T::kExpire, "requests.expire", {{P::kHub, {}, Reach::kAny}}),
      authority_step(T::kFollowUp, "requests.follow_up", kAuthorityCaseStaff),
      provider_step(T::kNotifyUser, "requests.notify_user", kProviderCaseStaff),
  };
  return kTable;
}

std::string describe_grants(const Permission& row) {
  std::string out;
  for (const Grant& g : row.grants) {
    if (!out.empty()) out += "; ";
    switch (g.party) {
      case P::kHub:
        out += "the hub itself";
        break;
      case P::kHubAdmin:
        out += "hub admin";
        break;
      case P::kAuthority:
        out += "authority";
        break;
      case P::kProvider:
        out += "provider";
        break;
      case P::kAnyMember:
        out += "any organisation";
        break;
      case P::kAnyone:
        out += "anyone";
        break;
    }
    if (g.roles.empty()) {
      if (g.party != P::kHub && g.party != P::kHubAdmin && g.party != P::kAnyone)
        out += " any role";
    } else {
      out += ' ';
      for (std::size_t i = 0; i < g.roles.size(); ++i) {
        out += (i == 0 ? "" : "/") + std::string(role_name(g.roles[i]));
      }
    }
    switch (g.reach) {
      case Reach::kAny:
        break;
      case Reach::kOwn:
        out += " on own";
        break;
      case Reach::kAddressed:
        out += " on addressed";
        break;
      case Reach::kValidating:
        out += " on validating";
        break;
      case Reach::kSelf:
        out += " on self";
        break;
    }
  }
  return out;
}

const Permission& permission_for(Action action) {
  for (const auto& p : permission_table()) {
    if (p.action == action && !p.transition) return p;
  }
  // Every action has a row (tests/core/permissions_test.cc); an empty row grants nothing.
  static const Permission kNone{action, std::nullopt, "unknown", {}};
  return kNone;
}

const Permission& permission_for(RequestAction transition) {
  for (const auto& p : permission_table()) {
    if (p.transition == transition) return p;
  }
  static const Permission kNone{A::kTransition, transition, "unknown", {}};
  return kNone;
}

bool permits(Action action, const Caller& caller, Relation relation) {
  return grants_cover(permission_for(action), caller, relation);
}

bool permits(RequestAction transition, const Caller& caller, Relation relation) {
  return grants_cover(permission_for(transition), caller, relation);
}

}  // namespace liaison
