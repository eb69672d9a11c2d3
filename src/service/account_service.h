// Organisations, users and API tokens, and turning a bearer token back into a
// Principal.
//
// Who may do what: hub administrators manage organisations and any account;
// an organisation's org_admin manages the users and tokens of that
// organisation, and may disable and enable them; every user may mint and
// revoke their own tokens. Everyone authenticated may list organisations, so
// authorities can address providers.
//
// Tokens carry scopes (core/scope.h) and always expire: 90 days unless asked
// otherwise, a year at most. A token never gets a scope its holder's roles do
// not allow, nor one the token or session minting it lacks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/user.h"
#include "service/environment.h"
#include "service/ledger_service.h"
#include "service/principal.h"
#include "store/store.h"

namespace liaison {

struct NewOrganisation {
  std::string kind;
  std::string name;
  std::string country;
  std::string endpoint_uid;
  // Authorities only: police, prosecutor or judge. Central authorities get
  // central_authority whatever is given; providers may not have one.
  std::optional<std::string> authority_type = std::nullopt;
};

struct NewUser {
  std::string org_id;
  std::string name;
  std::string email;
  std::string roles;  // comma-separated
};

inline constexpr std::int64_t kDefaultTokenDays = 90;
inline constexpr std::int64_t kMaxTokenDays = 365;

struct NewToken {
  std::string user_id;
  std::string name;
  std::optional<std::int64_t> expires_in_days;  // none: kDefaultTokenDays
  std::optional<Scopes> scopes;                 // none: read and write
};

// A token as minted: the secret is returned exactly once and never stored.
struct IssuedToken {
  TokenRecord record;
  std::string secret;
};

class AccountService {
 public:
  AccountService(Store& store, const Clock& clock, LedgerService& ledger)
      : store_(store), clock_(clock), ledger_(ledger) {}

  Result<Organisation> create_org(const Principal& p, const NewOrganisation& in);
  Result<std::vector<Organisation>> list_orgs(const Principal& p);
  Result<Organisation> get_org(const Principal& p, const std::string& id);

  Result<User> create_user(const Principal& p, const NewUser& in);
  Result<User> create_hub_admin(const Principal& p, const std::string& name,
                                const std::string& email);
  Result<std::vector<User>> list_users(const Principal& p, const std::string& org_id);
  Result<User> get_user(const Principal& p, const std::string& id);
  Result<User> get_user_by_email(const Principal& p, const std::string& email);
  // Disables or enables an account. A disabled account cannot log in, and its
  // tokens and sessions stop working; disabling also ends its sessions for
  // good, while tokens work again once it is enabled (revoke them to end them).
  Result<User> set_disabled(const Principal& p, const std::string& id, bool disabled);

  Result<IssuedToken> create_token(const Principal& p, const NewToken& in);
  Result<std::vector<TokenRecord>> list_tokens(const Principal& p, const std::string& user_id);
  Status revoke_token(const Principal& p, const std::string& user_id, const std::string& token_id);

  // Resolves "Bearer <token>" material to its Principal. Every failure is
  // kUnauthenticated, with a reason that does not help guess tokens.
  Result<Principal> authenticate(const std::string& token);

 private:
  // The ledger entry of a change to an account, in the caller's transaction.
  Status record(WriteTx& tx, const Principal& p, const char* type, const User& user);
  Status may_manage_user(const Principal& p, const User& target);

  Store& store_;
  const Clock& clock_;
  LedgerService& ledger_;
};

}  // namespace liaison
