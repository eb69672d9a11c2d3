#include "service/account_service.h"

#include "core/uuid.h"
#include "service/account_events.h"

namespace liaison {

namespace {

constexpr std::string_view kTokenPrefix = "lsn_";

Error forbidden(const std::string& what) { return Error::make(ErrorCode::kForbidden, what); }

Status check_text(const std::string& v, const std::string& field, std::size_t max) {
  if (v.empty()) return Error::invalid(field, "must not be empty");
  if (v.size() > max)
    return Error::invalid(field, "is longer than " + std::to_string(max) + " characters");
  return Ok{};
}

}  // namespace

Status AccountService::record(WriteTx& tx, const Principal& p, const char* type, const User& user) {
  nlohmann::json content = {
      {"user",
       {{"id", user.id},
        {"org_id", user.org_id ? nlohmann::json(*user.org_id) : nlohmann::json(nullptr)},
        {"name", user.name},
        {"email", user.email},
        {"roles", user.roles.to_string()},
        {"hub_admin", user.hub_admin},
        {"disabled", user.disabled}}},
      {"actor_user_id", p.user.id}};
  return ledger_.append(tx, {type, std::nullopt, p.org ? p.org->id : "hub", std::nullopt,
                             clock_.now(), std::move(content)});
}

Result<Organisation> AccountService::create_org(const Principal& p, const NewOrganisation& in) {
  LIAISON_TRY(authorise(p, Action::kCreateOrganisation, Relation::kForeign,
                        "only hub administrators create organisations"));
  auto kind = org_kind_from_name(in.kind);
  if (!kind) return Error::invalid("kind", "must be authority, provider or central_authority");
  LIAISON_TRY(check_text(in.name, "name", 200));
  LIAISON_TRY(validate_country(in.country, "country"));
  LIAISON_TRY(validate_endpoint_uid(in.endpoint_uid, "endpoint_uid"));
  Organisation org;
  org.id = random_uuid();
  org.kind = *kind;
  org.name = in.name;
  org.country = in.country;
  org.endpoint_uid = in.endpoint_uid;
  org.created_at = format_rfc3339_micros(clock_.now());
  if (*kind == OrgKind::kCentralAuthority) org.authority_type = AuthorityType::kCentralAuthority;
  if (in.authority_type) {
    auto type = authority_type_from_name(*in.authority_type);
    if (*kind == OrgKind::kProvider) {
      return Error::invalid("authority_type", "a provider is not an authority");
    }
    if (!type) {
      return Error::invalid("authority_type",
                            "must be police, prosecutor, judge or central_authority");
    }
    if ((*type == AuthorityType::kCentralAuthority) != (*kind == OrgKind::kCentralAuthority)) {
      return Error::invalid("authority_type",
                            *kind == OrgKind::kCentralAuthority
                                ? "a central authority is central_authority"
                                : "only a central authority is central_authority");
    }
    org.authority_type = type;
  }
  LIAISON_TRY(store_.write([&](WriteTx& tx) { return tx.insert_org(org); }));
  return org;
}

Result<std::vector<Organisation>> AccountService::list_orgs(const Principal&) {
  std::vector<Organisation> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_orgs());
    return Ok{};
  }));
  return out;
}

Result<Organisation> AccountService::get_org(const Principal&, const std::string& id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(id, "id"));
  Organisation out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.get_org(uuid));
    return Ok{};
  }));
  return out;
}

Result<User> AccountService::create_user(const Principal& p, const NewUser& in) {
  LIAISON_ASSIGN_OR_RETURN(std::string org_id, parse_uuid(in.org_id, "id"));
  if (!p.is_hub_admin() && !p.member_of(org_id))
    return Error::not_found("organisation " + in.org_id + " not found");
  LIAISON_TRY(
      authorise(p, Action::kManageUser, relation_to_org(p, org_id),
                "only hub administrators and the organisation's org_admin create its users"));
  LIAISON_TRY(check_text(in.name, "name", 200));
  LIAISON_ASSIGN_OR_RETURN(std::string email, normalise_email(in.email, "email"));
  LIAISON_ASSIGN_OR_RETURN(Roles roles, Roles::parse(in.roles, "roles"));
  if (roles.empty()) return Error::invalid("roles", "a user needs at least one role");
  User user;
  user.id = random_uuid();
  user.org_id = org_id;
  user.name = in.name;
  user.email = email;
  user.roles = roles;
  user.created_at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    auto org = tx.get_org(org_id);
    if (!org.ok()) return Error::invalid("org_id", "no organisation with this id");
    for (const char* name :
         {"officer", "validator", "supervisor", "analyst", "counsel", "org_admin", "auditor"}) {
      auto r = role_from_name(name);
      if (roles.has(*r) && !role_allowed_for(*r, org->kind)) {
        return Error::invalid("roles", std::string("role ") + name + " is not available in a " +
                                           org_kind_name(org->kind) + " organisation");
      }
    }
    LIAISON_TRY(tx.insert_user(user));
    LIAISON_TRY(tx.insert_account_event(account_event::make(
        p, user, account_event::kUserCreated, "roles " + user.roles.to_string(), clock_.now())));
    return record(tx, p, "user.created", user);
  }));
  return user;
}

Result<User> AccountService::create_hub_admin(const Principal& p, const std::string& name,
                                              const std::string& email) {
  LIAISON_TRY(authorise(p, Action::kCreateHubAdmin, Relation::kForeign,
                        "only hub administrators create hub administrators"));
  LIAISON_TRY(check_text(name, "name", 200));
  LIAISON_ASSIGN_OR_RETURN(std::string normalised, normalise_email(email, "email"));
  User user;
  user.id = random_uuid();
  user.name = name;
  user.email = normalised;
  user.hub_admin = true;
  user.created_at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.insert_user(user));
    LIAISON_TRY(tx.insert_account_event(account_event::make(p, user, account_event::kUserCreated,
                                                            "hub administrator", clock_.now())));
    return record(tx, p, "user.created", user);
  }));
  return user;
}

Result<std::vector<User>> AccountService::list_users(const Principal& p,
                                                     const std::string& org_id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(org_id, "id"));
  bool allowed = permits(Action::kListUsers, caller_of(p), relation_to_org(p, uuid));
  // Outsiders learn nothing about another organisation's staff, not even
  // whether the organisation has any.
  if (!allowed) return Error::not_found("organisation " + org_id + " not found");
  std::vector<User> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_TRY(tx.get_org(uuid));
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_users(uuid));
    return Ok{};
  }));
  return out;
}

Status AccountService::may_manage_user(const Principal& p, const User& target) {
  Relation relation = relation_to_user(p, target);
  if (permits(Action::kManageOwnAccount, caller_of(p), relation) ||
      permits(Action::kManageUser, caller_of(p), relation))
    return Ok{};
  return Error::not_found("user " + target.id + " not found");
}

Result<User> AccountService::get_user(const Principal& p, const std::string& id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(id, "id"));
  User out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.get_user(uuid));
    return Ok{};
  }));
  if (!permits(Action::kReadUser, caller_of(p), relation_to_user(p, out)))
    return Error::not_found("user " + out.id + " not found");
  return out;
}

Result<User> AccountService::get_user_by_email(const Principal& p, const std::string& email) {
  LIAISON_ASSIGN_OR_RETURN(std::string normalised, normalise_email(email, "email"));
  User out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    auto u = tx.get_user_by_email(normalised);
    if (!u.ok() && u.error().code == ErrorCode::kNotFound)
      return Error::not_found("no user has the e-mail address " + normalised);
    LIAISON_ASSIGN_OR_RETURN(out, std::move(u));
    return Ok{};
  }));
  if (!permits(Action::kReadUser, caller_of(p), relation_to_user(p, out)))
    return Error::not_found("no user has the e-mail address " + normalised);
  return out;
}

Result<User> AccountService::set_disabled(const Principal& p, const std::string& id,
                                          bool disabled) {
  LIAISON_ASSIGN_OR_RETURN(User target, get_user(p, id));
  if (!p.administers(target)) {
    if (p.user.id == target.id)
      return forbidden("an administrator of the account disables and enables it");
    return Error::not_found("user " + id + " not found");
  }
  // An administrator who disabled themself could not undo it.
  if (p.user.id == target.id) return forbidden("you cannot disable or enable your own account");
  Timestamp now = clock_.now();
  std::string now_s = format_rfc3339_micros(now);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(User current, tx.get_user(target.id));
    if (current.disabled == disabled) return Ok{};
    LIAISON_TRY(tx.set_user_disabled(target.id, disabled));
    std::string detail;
    if (disabled) {
      LIAISON_ASSIGN_OR_RETURN(std::int64_t ended,
                               tx.revoke_sessions_of_user(target.id, now_s, std::nullopt));
      detail = std::to_string(ended) + " session(s) ended";
    }
    LIAISON_TRY(tx.insert_account_event(account_event::make(
        p, target, disabled ? account_event::kUserDisabled : account_event::kUserEnabled, detail,
        now)));
    current.disabled = disabled;
    return record(tx, p, disabled ? "user.disabled" : "user.enabled", current);
  }));
  target.disabled = disabled;
  return target;
}

Result<IssuedToken> AccountService::create_token(const Principal& p, const NewToken& in) {
  LIAISON_ASSIGN_OR_RETURN(User target, get_user(p, in.user_id));
  LIAISON_TRY(may_manage_user(p, target));
  // A token for someone else is the power to act as them: an administrator
  // could read an officer's cases or answer as an analyst. Over the API,
  // users mint only their own; first tokens come from the hub's operator.
  if (p.user.id != target.id && !p.local_operator_session) {
    return forbidden(
        "tokens are minted by their owner; an administrator may revoke them, not mint them");
  }
  LIAISON_TRY(check_text(in.name, "name", 200));
  std::int64_t days = in.expires_in_days.value_or(kDefaultTokenDays);
  if (days < 1 || days > kMaxTokenDays) {
    return Error::invalid("expires_in_days",
                          "must be between 1 and " + std::to_string(kMaxTokenDays));
  }
  Scopes scopes = in.scopes.value_or(Scopes{Scope::kRead, Scope::kWrite});
  if (scopes.empty()) return Error::invalid("scopes", "a token needs at least one scope");
  if (!scopes_allowed_for(target).covers(scopes)) {
    return Error::invalid("scopes",
                          "the admin scope is only for org admins and hub administrators");
  }
  // A token cannot mint a more powerful one than itself.
  if (!p.scopes.covers(scopes)) {
    return forbidden("this token has the scopes " + p.scopes.to_string() +
                     " and cannot mint a token with " + scopes.to_string());
  }
  Timestamp now = clock_.now();
  IssuedToken issued;
  // 256 bits from the CSPRNG: a fast hash is then enough at rest, because
  // there is nothing to guess that a slow hash would protect.
  issued.secret = std::string(kTokenPrefix) + random_base64url(32);
  issued.record.id = random_uuid();
  issued.record.user_id = target.id;
  issued.record.name = in.name;
  issued.record.token_hash = sha256_hex(issued.secret);
  issued.record.created_at = format_rfc3339_micros(now);
  issued.record.expires_at =
      format_rfc3339_micros(Timestamp{now.unix_micros + days * 86400 * 1'000'000});
  issued.record.scopes = scopes;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.insert_token(issued.record));
    return tx.insert_account_event(
        account_event::make(p, target, account_event::kTokenMinted,
                            "token " + issued.record.id + " '" + in.name + "' with " +
                                scopes.to_string() + ", expires " + *issued.record.expires_at,
                            now));
  }));
  return issued;
}

Result<std::vector<TokenRecord>> AccountService::list_tokens(const Principal& p,
                                                             const std::string& user_id) {
  LIAISON_ASSIGN_OR_RETURN(User target, get_user(p, user_id));
  LIAISON_TRY(may_manage_user(p, target));
  std::vector<TokenRecord> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_tokens(target.id));
    return Ok{};
  }));
  return out;
}

Status AccountService::revoke_token(const Principal& p, const std::string& user_id,
                                    const std::string& token_id) {
  LIAISON_ASSIGN_OR_RETURN(User target, get_user(p, user_id));
  LIAISON_TRY(may_manage_user(p, target));
  LIAISON_ASSIGN_OR_RETURN(std::string tid, parse_uuid(token_id, "token_id"));
  std::string now = format_rfc3339_micros(clock_.now());
  return store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto tokens, tx.list_tokens(target.id));
    bool owned = false;
    for (const auto& t : tokens) owned = owned || t.id == tid;
    if (!owned) return Error::not_found("token " + token_id + " not found");
    LIAISON_TRY(tx.revoke_token(tid, now));
    return tx.insert_account_event(
        account_event::make(p, target, account_event::kTokenRevoked, "token " + tid, clock_.now()));
  });
}

Result<Principal> AccountService::authenticate(const std::string& token) {
  auto unauthenticated = [](const std::string& why) {
    return Error::make(ErrorCode::kUnauthenticated, why);
  };
  if (token.rfind(kTokenPrefix, 0) != 0 || token.size() > 128) {
    return unauthenticated("the bearer token is malformed");
  }
  std::string hash = sha256_hex(token);
  Principal p;
  std::string now = format_rfc3339_micros(clock_.now());
  Status s = store_.read([&](ReadTx& tx) -> Status {
    auto holder = tx.get_token_holder(hash);
    if (!holder.ok()) {
      if (holder.error().code == ErrorCode::kNotFound)
        return unauthenticated("the bearer token is not known");
      return holder.take_error();
    }
    const TokenRecord& rec = holder->token;
    if (rec.revoked_at) return unauthenticated("the bearer token was revoked");
    if (rec.expires_at && *rec.expires_at <= now)
      return unauthenticated("the bearer token has expired");
    if (holder->user.disabled) return unauthenticated("the account is disabled");
    p.user = std::move(holder->user);
    p.org = std::move(holder->org);
    p.token_id = rec.id;
    // A token never does more than its holder's roles allow today: an org
    // admin's admin token loses admin with the role.
    Scopes allowed = scopes_allowed_for(p.user);
    for (Scope s : {Scope::kRead, Scope::kWrite, Scope::kAdmin}) {
      if (rec.scopes.has(s) && allowed.has(s)) p.scopes.add(s);
    }
    return Ok{};
  });
  if (!s.ok()) return s.take_error();
  return p;
}

}  // namespace liaison
