// Who is calling: the user behind a token, with their organisation.
#pragma once

#include <optional>
#include <string>

#include "core/organisation.h"
#include "core/user.h"

namespace liaison {

struct Principal {
  User user;
  std::optional<Organisation> org;  // empty for hub administrators
  std::string token_id;             // empty for the local operator
  bool local_operator_session = false;

  bool is_hub_admin() const { return user.hub_admin; }
  bool member_of(const std::string& org_id) const { return org && org->id == org_id; }
  bool has(Role r) const { return user.roles.has(r); }

  // The operator running the CLI on the hub's own machine, with the data
  // directory in hand: a hub administrator by construction.
  static Principal local_operator();
};

}  // namespace liaison
