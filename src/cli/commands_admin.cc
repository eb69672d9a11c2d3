// Local administration: commands that open the hub's data directory directly,
// as its operator, the way a database's own admin tools do. They need no
// token, only access to the directory.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/representation.h"
#include "cli/cli.h"
#include "cli/demo_pki.h"
#include "cli/hub_runtime.h"
#include "cli/output.h"

namespace liaison::cli {

namespace {

struct Common {
  std::string data_dir = "data";
  bool json = false;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("--data", c.data_dir, "Hub data directory")
      ->envname("LIAISON_DATA")
      ->capture_default_str();
  cmd->add_flag("--json", c.json, "Print JSON instead of a table");
}

template <typename T>
T check(Result<T> r) {
  if (!r.ok()) fail(r.error());
  return std::move(r).value();
}

std::unique_ptr<HubRuntime> open_hub(const Common& c, bool create = false) {
  return check(HubRuntime::open(c.data_dir, create));
}

void write_private_file(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out) throw CliError(kExitFailure, "cannot write " + path);
  }
  ::chmod(tmp.c_str(), 0600);
  std::rename(tmp.c_str(), path.c_str());
}

// --- demo -----------------------------------------------------------------

struct DemoUser {
  const char* key;
  const char* name;
  const char* email;
  const char* roles;
};

struct DemoOrg {
  const char* key;
  const char* kind;
  const char* name;
  const char* country;
  const char* endpoint;
  std::vector<DemoUser> users;
};

const std::vector<DemoOrg>& demo_orgs() {
  static const std::vector<DemoOrg> kOrgs = {
      {"police",
       "authority",
       "Northport Police, Cybercrime Unit",
       "NL",
       "NPCU",
       {{"officer", "Olivia Brandt", "olivia.brandt@police.example.org", "officer"},
        {"supervisor", "Sam de Wit", "sam.dewit@police.example.org", "supervisor,officer"},
        {"police_admin", "Ada Kramer", "ada.kramer@police.example.org", "org_admin"}}},
      {"prosecutor",
       "authority",
       "Northport Public Prosecutor's Office",
       "NL",
       "NPPO",
       {{"prosecutor", "Victor Hale", "victor.hale@prosecution.example.org", "validator"}}},
      {"provider",
       "provider",
       "Example Mail Ltd",
       "IE",
       "EXMAIL",
       {{"analyst", "Ana Lindqvist", "ana.lindqvist@mail.example.org", "analyst"},
        {"counsel", "Carl Moreau", "carl.moreau@mail.example.org", "counsel"},
        {"provider_admin", "Peter Quinn", "peter.quinn@mail.example.org", "org_admin"}}},
  };
  return kOrgs;
}

void run_demo(const Common& c, bool if_missing) {
  using nlohmann::json;
  std::string tokens_path = c.data_dir + "/demo-tokens.json";
  if (HubRuntime::exists(c.data_dir)) {
    if (if_missing) {
      std::cout << "Using the existing hub in " << c.data_dir << " (demo tokens: " << tokens_path
                << ")\n";
      return;
    }
    throw CliError(kExitConflict,
                   "a hub already exists in " + c.data_dir + "; use another --data directory");
  }
  auto hub = open_hub(c, true);
  Principal op = Principal::local_operator();
  nlohmann::json out = {{"hub_admin", nullptr},
                        {"organisations", nlohmann::json::object()},
                        {"users", nlohmann::json::object()}};
  User admin =
      check(hub->accounts().create_hub_admin(op, "Hub Administrator", "admin@hub.example.org"));
  IssuedToken admin_token =
      check(hub->accounts().create_token(op, {admin.id, "demo", std::nullopt}));
  out["hub_admin"] = {{"id", admin.id}, {"email", admin.email}, {"token", admin_token.secret}};
  for (const auto& o : demo_orgs()) {
    Organisation org =
        check(hub->accounts().create_org(op, {o.kind, o.name, o.country, o.endpoint}));
    out["organisations"][o.key] = {{"id", org.id}, {"name", org.name}};
    for (const auto& u : o.users) {
      User user = check(hub->accounts().create_user(op, {org.id, u.name, u.email, u.roles}));
      IssuedToken t = check(hub->accounts().create_token(op, {user.id, "demo", std::nullopt}));
      out["users"][u.key] = {{"id", user.id},         {"name", user.name}, {"email", user.email},
                             {"organisation", o.key}, {"roles", u.roles},  {"token", t.secret}};
    }
  }
  // Signing keys for the people who sign requests; the police unit's
  // certificate vouches for its duty desk as the emergency call-back contact.
  auto roles = [](std::initializer_list<Role> list) {
    Roles r;
    for (Role x : list) r.add(x);
    return r;
  };
  std::vector<DemoAuthority> authorities = {
      {"police",
       {"NL", "NPCU", "Northport Police, Cybercrime Unit", OrgKind::kAuthority},
       {{"phone", "+31205550100"}, {"email", "duty.desk@police.example.org"}},
       {{"officer", "Olivia Brandt", "olivia.brandt@police.example.org", roles({Role::kOfficer})},
        {"supervisor", "Sam de Wit", "sam.dewit@police.example.org",
         roles({Role::kSupervisor, Role::kOfficer})}}},
      {"prosecutor",
       {"NL", "NPPO", "Northport Public Prosecutor's Office", OrgKind::kAuthority},
       {},
       {{"prosecutor", "Victor Hale", "victor.hale@prosecution.example.org",
         roles({Role::kValidator})}}},
  };
  json pki = create_demo_pki(*hub, authorities);
  out["key_passphrase"] = pki["key_passphrase"];
  for (const auto& [who, path] : pki["keys"].items()) {
    if (out["users"].contains(who)) out["users"][who]["key_file"] = path;
  }
  out["keys"] = pki["keys"];
  write_private_file(tokens_path, out.dump(2) + "\n");

  std::string provider_id = out["organisations"]["provider"]["id"];
  nlohmann::json example = {
      {"kind", "production"},
      {"categories", {"SubscriberData"}},
      {"targets",
       {{{"kind", "email"}, {"value", "suspect.mailbox@example.org"}},
        {{"kind", "ip"},
         {"value", "192.0.2.44"},
         {"port", 51234},
         {"observed_at", "2026-11-02T10:15:00+01:00"}}}},
      {"legal_basis",
       {{"instrument", "Second Additional Protocol to the Budapest Convention"},
        {"article", "Art. 7"},
        {"domestic_reference", "Wetboek van Strafvordering art. 126na"}}},
      {"case_type", "OtherFinancialCrimeOrFraud"},
      {"offence_description",
       "Invoice fraud: a mailbox at Example Mail sent forged invoices to 40 companies."},
      {"max_penalty_months", 72},
      {"provider_id", provider_id},
      {"issuer_reference", "NPCU-2026-0142"}};
  write_private_file(c.data_dir + "/demo-request.json", example.dump(2) + "\n");

  if (c.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "Created a demo hub in " << c.data_dir << ".\n\n";
  Table t({"WHO", "ORGANISATION", "ROLES", "TOKEN"});
  for (const auto& [key, u] : out["users"].items()) {
    t.add({u["name"].get<std::string>(),
           out["organisations"][u["organisation"].get<std::string>()]["name"],
           u["roles"].get<std::string>(), u["token"].get<std::string>()});
  }
  t.add({"Hub Administrator", "(hub)", "hub_admin", admin_token.secret});
  std::cout << t.render() << "\n"
            << "Tokens are shown once; a copy is in " << tokens_path << " (readable only by you).\n"
            << "Try, once the hub runs:\n"
            << "  export LIAISON_TOKEN=" << out["users"]["officer"]["token"].get<std::string>()
            << "\n"
            << "  export LIAISON_KEY_PASSPHRASE=" << out["key_passphrase"].get<std::string>()
            << "   # opens the demo's key files in " << c.data_dir << "/keys\n"
            << "  liaison request create --file " << c.data_dir << "/demo-request.json --sign "
            << c.data_dir << "/keys/officer.key --submit\n"
            << "  curl -H \"Authorization: Bearer $LIAISON_TOKEN\" "
               "http://127.0.0.1:8080/api/v1/requests\n"
            << "(If the hub serves elsewhere, export LIAISON_HUB=http://HOST:PORT for the CLI.)\n";
}

}  // namespace

void add_admin_commands(CLI::App& app) {
  static Common common;

  // init
  auto* init = app.add_subcommand("init", "Create an empty hub with one hub administrator");
  add_common(init, common);
  static std::string admin_email = "admin@hub.example.org";
  static std::string admin_name = "Hub Administrator";
  init->add_option("--admin-email", admin_email, "E-mail of the first hub administrator")
      ->capture_default_str();
  init->add_option("--admin-name", admin_name, "Name of the first hub administrator")
      ->capture_default_str();
  init->callback([] {
    if (HubRuntime::exists(common.data_dir)) {
      throw CliError(kExitConflict, "a hub already exists in " + common.data_dir);
    }
    auto hub = open_hub(common, true);
    Principal op = Principal::local_operator();
    User admin = check(hub->accounts().create_hub_admin(op, admin_name, admin_email));
    IssuedToken t = check(hub->accounts().create_token(op, {admin.id, "initial", std::nullopt}));
    if (common.json) {
      std::cout << nlohmann::json{{"user", api::to_json(admin)}, {"token", t.secret}}.dump(2)
                << "\n";
    } else {
      std::cout << "Created a hub in " << common.data_dir << ".\nHub administrator " << admin.email
                << " token (shown once): " << t.secret << "\n";
    }
  });

  // demo
  auto* demo = app.add_subcommand("demo", "Create a hub with demo organisations, users and tokens");
  add_common(demo, common);
  static bool if_missing = false;
  demo->add_flag("--if-missing", if_missing,
                 "Do nothing if the data directory already holds a hub");
  demo->callback([] { run_demo(common, if_missing); });

  // org
  auto* org = app.add_subcommand("org", "Manage organisations (local administration)");
  org->require_subcommand(1);
  auto* org_create = org->add_subcommand("create", "Create an organisation");
  add_common(org_create, common);
  static NewOrganisation new_org;
  org_create->add_option("--kind", new_org.kind, "authority, provider or central_authority")
      ->required();
  org_create->add_option("--name", new_org.name, "Name")->required();
  org_create->add_option("--country", new_org.country, "ISO 3166-1 alpha-2 country code")
      ->required();
  org_create->add_option("--endpoint", new_org.endpoint_uid, "ETSI endpoint unique identifier")
      ->required();
  org_create->callback([] {
    auto hub = open_hub(common);
    Organisation o = check(hub->accounts().create_org(Principal::local_operator(), new_org));
    if (common.json) {
      std::cout << api::to_json(o).dump(2) << "\n";
    } else {
      std::cout << "Created " << org_kind_name(o.kind) << " " << o.name << " with id " << o.id
                << "\n";
    }
  });
  auto* org_list = org->add_subcommand("list", "List organisations");
  add_common(org_list, common);
  org_list->callback([] {
    auto hub = open_hub(common);
    auto orgs = check(hub->accounts().list_orgs(Principal::local_operator()));
    if (common.json) {
      std::cout << api::list_json(orgs).dump(2) << "\n";
      return;
    }
    Table t({"ID", "KIND", "COUNTRY", "ENDPOINT", "NAME"});
    for (const auto& o : orgs)
      t.add({o.id, org_kind_name(o.kind), o.country, o.endpoint_uid, o.name});
    std::cout << t.render();
  });

  // user
  auto* user = app.add_subcommand("user", "Manage users (local administration)");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user in an organisation");
  add_common(user_create, common);
  static NewUser new_user;
  user_create->add_option("--org", new_user.org_id, "Organisation id")->required();
  user_create->add_option("--name", new_user.name, "Full name")->required();
  user_create->add_option("--email", new_user.email, "E-mail address")->required();
  user_create
      ->add_option("--roles", new_user.roles, "Comma-separated roles, e.g. officer,org_admin")
      ->required();
  user_create->callback([] {
    auto hub = open_hub(common);
    User u = check(hub->accounts().create_user(Principal::local_operator(), new_user));
    if (common.json) {
      std::cout << api::to_json(u).dump(2) << "\n";
    } else {
      std::cout << "Created user " << u.email << " (" << u.roles.to_string() << ") with id " << u.id
                << "\n";
    }
  });
  auto* user_list = user->add_subcommand("list", "List the users of an organisation");
  add_common(user_list, common);
  static std::string list_org;
  user_list->add_option("--org", list_org, "Organisation id")->required();
  user_list->callback([] {
    auto hub = open_hub(common);
    auto users = check(hub->accounts().list_users(Principal::local_operator(), list_org));
    if (common.json) {
      std::cout << api::list_json(users).dump(2) << "\n";
      return;
    }
    Table t({"ID", "EMAIL", "ROLES", "NAME"});
    for (const auto& u : users) t.add({u.id, u.email, u.roles.to_string(), u.name});
    std::cout << t.render();
  });

  // token
  auto* token = app.add_subcommand("token", "Manage API tokens (local administration)");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Mint an API token for a user; shown once");
  add_common(token_create, common);
  static std::string token_user, token_name = "cli";
  static std::int64_t token_days = 0;
  token_create->add_option("--user", token_user, "User id")->required();
  token_create->add_option("--name", token_name, "A label for the token")->capture_default_str();
  static CLI::Option* days_option = token_create->add_option(
      "--expires-in-days", token_days, "Lifetime in days, 1-3650 (default: no expiry)");
  token_create->callback([] {
    auto hub = open_hub(common);
    // Given or not, not zero-or-not: the service refuses 0 and negatives by name.
    std::optional<std::int64_t> days;
    if (days_option->count() > 0) days = token_days;
    IssuedToken t = check(
        hub->accounts().create_token(Principal::local_operator(), {token_user, token_name, days}));
    if (common.json) {
      auto j = api::to_json(t.record);
      j["token"] = t.secret;
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << t.secret << "\n";
    }
  });
  auto* token_list = token->add_subcommand("list", "List a user's tokens (never the secrets)");
  add_common(token_list, common);
  token_list->add_option("--user", token_user, "User id")->required();
  token_list->callback([] {
    auto hub = open_hub(common);
    auto tokens = check(hub->accounts().list_tokens(Principal::local_operator(), token_user));
    if (common.json) {
      std::cout << api::list_json(tokens).dump(2) << "\n";
      return;
    }
    Table t({"ID", "NAME", "CREATED", "EXPIRES", "REVOKED"});
    for (const auto& k : tokens) {
      t.add({k.id, k.name, k.created_at, k.expires_at.value_or("-"), k.revoked_at.value_or("-")});
    }
    std::cout << t.render();
  });
  auto* token_revoke = token->add_subcommand("revoke", "Revoke a token");
  add_common(token_revoke, common);
  static std::string token_id;
  token_revoke->add_option("--user", token_user, "User id")->required();
  token_revoke->add_option("--token", token_id, "Token id")->required();
  token_revoke->callback([] {
    auto hub = open_hub(common);
    auto s = hub->accounts().revoke_token(Principal::local_operator(), token_user, token_id);
    if (!s.ok()) fail(s.error());
    std::cout << "Revoked token " << token_id << "\n";
  });
}

}  // namespace liaison::cli
