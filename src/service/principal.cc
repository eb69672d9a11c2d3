#include "service/principal.h"

namespace liaison {

bool Principal::administers(const User& target) const {
  if (is_hub_admin()) return true;
  return target.org_id && member_of(*target.org_id) && has(Role::kOrgAdmin);
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

Scopes scopes_allowed_for(const User& user) {
  Scopes s{Scope::kRead, Scope::kWrite};
  if (user.hub_admin || user.roles.has(Role::kOrgAdmin)) s.add(Scope::kAdmin);
  return s;
}

}  // namespace liaison
