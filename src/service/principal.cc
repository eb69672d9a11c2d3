#include "service/principal.h"

namespace liaison {

bool Principal::administers(const User& target) const {
  return permits(Action::kManageUser, caller_of(*this), relation_to_user(*this, target));
}

Caller caller_of(const Principal& p) {
  Caller c;
  c.hub_admin = p.is_hub_admin();
  if (p.org) c.org_kind = p.org->kind;
  c.roles = p.user.roles;
  return c;
}

Relation relation_to_org(const Principal& p, const std::string& org_id) {
  return p.member_of(org_id) ? Relation::kOwn : Relation::kForeign;
}

Relation relation_to_user(const Principal& p, const User& target) {
  if (p.user.id == target.id) return Relation::kSelf;
  if (target.org_id && p.member_of(*target.org_id)) return Relation::kOwn;
  return Relation::kForeign;
}

Status authorise(const Principal& p, Action action, Relation relation, const std::string& refusal) {
  if (permits(action, caller_of(p), relation)) return Ok{};
  return Error::make(ErrorCode::kForbidden, refusal);
}

Principal Principal::local_operator() {
  Principal p;
  p.user.id = "local-operator";
  p.user.name = "local operator";
  p.user.hub_admin = true;
  p.scopes = Scopes{Scope::kRead, Scope::kWrite, Scope::kAdmin};
  p.local_operator_session = true;
  return p;
}

Principal Principal::federation_link(const Organisation& org, Role role) {
  Principal p;
  p.user.id = "hi1-link";
  p.user.name = "HI-1 federation link";
  p.user.org_id = org.id;
  p.user.roles.add(role);
  p.org = org;
  p.scopes = Scopes{Scope::kRead, Scope::kWrite};
  return p;
}

Scopes scopes_allowed_for(const User& user) {
  Scopes s{Scope::kRead, Scope::kWrite};
  if (user.hub_admin || user.roles.has(Role::kOrgAdmin)) s.add(Scope::kAdmin);
  return s;
}

}  // namespace liaison
