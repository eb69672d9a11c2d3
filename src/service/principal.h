// Who is calling: the user behind a token or a session, with their
// organisation, and what this request may do.
#pragma once

#include <optional>
#include <string>

#include "core/organisation.h"
#include "core/permissions.h"
#include "core/result.h"
#include "core/scope.h"
#include "core/user.h"

namespace liaison {

struct Principal {
  User user;
  std::optional<Organisation> org;  // empty for hub administrators
  std::string token_id;             // set when a bearer token authenticated the request
  std::string session_id;           // set when a session cookie did
  std::string csrf_hash;            // the session's CSRF token, hashed; with session_id
  // The token's scopes, narrowed to what the user's roles allow today; for a
  // session, everything the roles allow.
  Scopes scopes;
  std::string remote_address;  // recorded with account events; empty locally
  bool local_operator_session = false;

  bool is_hub_admin() const { return user.hub_admin; }
  bool member_of(const std::string& org_id) const { return org && org->id == org_id; }
  bool has(Role r) const { return user.roles.has(r); }
  bool via_session() const { return !session_id.empty(); }
  // Hub administrators administer every account; an organisation's org_admin
  // the accounts of that organisation, their own included.
  bool administers(const User& target) const;

  // The operator running the CLI on the hub's own machine, with the data
  // directory in hand: a hub administrator by construction.
  static Principal local_operator();
  // The hub itself acting on a federation link for `org`, with `role`: what
  // the organisation's own hub reported over HI-1, or a step it took there.
  // It holds no token; the link's peer authenticated the report.
  static Principal federation_link(const Organisation& org, Role role);
};

// The caller as the authorisation matrix sees them.
Caller caller_of(const Principal& p);
// How an organisation, or a user, stands to the caller.
Relation relation_to_org(const Principal& p, const std::string& org_id);
Relation relation_to_user(const Principal& p, const User& target);

// Ok when the matrix grants `action` on something in `relation` to the
// caller; otherwise forbidden, with `refusal` as the reason shown.
Status authorise(const Principal& p, Action action, Relation relation, const std::string& refusal);

// Every scope `user`'s roles allow: read and write for anyone, admin only for
// hub administrators and org admins.
Scopes scopes_allowed_for(const User& user);

}  // namespace liaison
