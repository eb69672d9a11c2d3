// Local administration: commands that open the hub's data directory directly,
// as its operator, the way a database's own admin tools do. They need no
// token, only access to the directory.
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/representation.h"
#include "cli/cli.h"
#include "cli/demo_pki.h"
#include "cli/hub_runtime.h"
#include "cli/key_files.h"
#include "cli/output.h"
#include "cli/sweeps.h"

namespace liaison::cli {

namespace {

struct Common {
  std::string data_dir = "var";
  bool json = false;
  std::string password_hash = "standard";
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("--data", c.data_dir, "Hub data directory")
      ->envname("LIAISON_DATA")
      ->capture_default_str();
  cmd->add_flag("--json", c.json, "Print JSON instead of a table");
}

// For the commands that hash passwords.
void add_password_hash(CLI::App* cmd, Common& c) {
  cmd->add_option("--password-hash", c.password_hash,
                  "Argon2id cost of new password hashes: standard, moderate, or min (tests only)")
      ->envname("LIAISON_PASSWORD_HASH")
      ->capture_default_str();
}

template <typename T>
T check(Result<T> r) {
  if (!r.ok()) fail(r.error());
  return std::move(r).value();
}

void check_ok(const Status& s) {
  if (!s.ok()) fail(s.error());
}

std::unique_ptr<HubRuntime> open_hub(const Common& c, bool create = false) {
  HubOptions options;
  options.sessions.password_cost =
      check(trust::password_cost_from_name(c.password_hash, "--password-hash"));
  return check(HubRuntime::open(c.data_dir, create, options));
}

const Scopes kAdminScopes{Scope::kRead, Scope::kWrite, Scope::kAdmin};

// A new password for the operator to hand over: 96 random bits.
std::string demo_password() { return random_base64url(12); }

// Reads a password from the terminal without echo, twice, or else one line of
// standard input, so that it never appears in a command line or history.
std::string read_new_password(const std::string& email) {
  if (::isatty(STDIN_FILENO) == 0) {
    std::string line;
    if (!std::getline(std::cin, line)) throw CliError(kExitUsage, "no password on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  auto prompt = [](const std::string& text) {
    std::cerr << text << std::flush;
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::string line;
    std::getline(std::cin, line);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::cerr << "\n";
    return line;
  };
  std::string first = prompt("New password for " + email + ": ");
  if (prompt("Again: ") != first) throw CliError(kExitUsage, "the two passwords differ");
  return first;
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

// The shipped directory entry of the demo provider (data/providers/example-mail.toml).
constexpr const char* kDemoProviderEntry = "example-mail";

// Seeds the provider directory as `serve` would, with the demo provider's
// entry linked to its organisation here, so requests to it can be routed.
void seed_demo_directory(HubRuntime& hub, const std::string& flag, const std::string& provider_id) {
  std::string folder = flag.empty() ? default_directory_data() : flag;
  std::error_code ec;
  if (flag.empty() && !std::filesystem::is_directory(folder, ec)) return;
  auto added = hub.seed_directory(folder, [&](directory::Entry& e) {
    if (e.id == kDemoProviderEntry) e.contact.hub_org_id = provider_id;
  });
  if (!added.ok()) {
    Error e = added.error();
    e.message = "--directory-data " + folder + ": " + e.message;
    fail(e);
  }
}

void run_demo(const Common& c, bool if_missing, const std::string& directory_data) {
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
  // Everyone gets a token and, to try the interactive login, a password and
  // a confirmed authenticator; administrators' tokens carry the admin scope.
  auto sign_in = [&](const User& user, nlohmann::json& entry) {
    std::string password = demo_password();
    check_ok(hub->sessions().set_password(op, user.id, password, std::nullopt));
    OperatorEnrolment totp = check(hub->sessions().enrol_totp_as_operator(op, user.id));
    entry["password"] = password;
    entry["totp_secret"] = totp.totp.secret;
    entry["totp_uri"] = totp.totp.uri;
    entry["recovery_codes"] = totp.recovery_codes;
  };
  User admin =
      check(hub->accounts().create_hub_admin(op, "Hub Administrator", "admin@hub.example.org"));
  IssuedToken admin_token =
      check(hub->accounts().create_token(op, {admin.id, "demo", std::nullopt, kAdminScopes}));
  out["hub_admin"] = {{"id", admin.id},
                      {"email", admin.email},
                      {"token", admin_token.secret},
                      {"scopes", admin_token.record.scopes.to_string()}};
  sign_in(admin, out["hub_admin"]);
  for (const auto& o : demo_orgs()) {
    // The demo's authorities are named by what they are: "police", "prosecutor".
    std::optional<std::string> type;
    if (std::string_view(o.kind) == "authority") type = o.key;
    Organisation org =
        check(hub->accounts().create_org(op, {o.kind, o.name, o.country, o.endpoint, type}));
    out["organisations"][o.key] = {{"id", org.id}, {"name", org.name}};
    for (const auto& u : o.users) {
      User user = check(hub->accounts().create_user(op, {org.id, u.name, u.email, u.roles}));
      std::optional<Scopes> scopes;
      if (user.roles.has(Role::kOrgAdmin)) scopes = kAdminScopes;
      IssuedToken t =
          check(hub->accounts().create_token(op, {user.id, "demo", std::nullopt, scopes}));
      auto& entry = out["users"][u.key];
      entry = {{"id", user.id},
               {"name", user.name},
               {"email", user.email},
               {"organisation", o.key},
               {"roles", u.roles},
               {"token", t.secret},
               {"scopes", t.record.scopes.to_string()}};
      sign_in(user, entry);
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
         roles({Role::kSupervisor, Role::kOfficer})}},
       "Evidence unit, Northport Police, Cybercrime Unit"},
      {"prosecutor",
       {"NL", "NPPO", "Northport Public Prosecutor's Office", OrgKind::kAuthority},
       {},
       {{"prosecutor", "Victor Hale", "victor.hale@prosecution.example.org",
         roles({Role::kValidator})}},
       "Evidence unit, Northport Public Prosecutor's Office"},
      // The provider signs what it produces: its analyst's key seals evidence.
      {"provider",
       {"IE", "EXMAIL", "Example Mail Ltd", OrgKind::kProvider},
       {},
       {{"analyst", "Ana Lindqvist", "ana.lindqvist@mail.example.org", roles({Role::kAnalyst})}},
       ""},
  };
  json pki = create_demo_pki(*hub, authorities);
  out["key_passphrase"] = pki["key_passphrase"];
  for (const auto& [who, path] : pki["keys"].items()) {
    if (out["users"].contains(who)) out["users"][who]["key_file"] = path;
  }
  out["keys"] = pki["keys"];
  out["recipients"] = pki["recipients"];
  write_new_file(tokens_path, out.dump(2) + "\n");

  std::string provider_id = out["organisations"]["provider"]["id"];
  seed_demo_directory(*hub, directory_data, provider_id);
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
       {{"instrument", "Regulation (EU) 2023/1543"},
        {"article", "Art. 4(1), 5(3)"},
        {"domestic_reference", "Wetboek van Strafvordering art. 126na"}}},
      {"case_type", "OtherFinancialCrimeOrFraud"},
      {"offence_description",
       "Invoice fraud: a mailbox at Example Mail sent forged invoices to 40 companies."},
      {"max_penalty_months", 72},
      {"provider_id", provider_id},
      {"issuer_reference", "NPCU-2026-0142"}};
  write_new_file(c.data_dir + "/demo-request.json", example.dump(2) + "\n");

  if (c.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "Created a demo hub in " << c.data_dir << ".\n\n";
  Table t({"WHO", "ORGANISATION", "ROLES", "TOKEN", "SCOPES"});
  Table logins({"WHO", "E-MAIL", "PASSWORD", "TOTP SECRET"});
  for (const auto& [key, u] : out["users"].items()) {
    t.add({u["name"].get<std::string>(),
           out["organisations"][u["organisation"].get<std::string>()]["name"],
           u["roles"].get<std::string>(), u["token"].get<std::string>(),
           u["scopes"].get<std::string>()});
    logins.add({u["name"].get<std::string>(), u["email"].get<std::string>(),
                u["password"].get<std::string>(), u["totp_secret"].get<std::string>()});
  }
  const auto& a = out["hub_admin"];
  t.add({"Hub Administrator", "(hub)", "hub_admin", admin_token.secret,
         a["scopes"].get<std::string>()});
  logins.add({"Hub Administrator", admin.email, a["password"].get<std::string>(),
              a["totp_secret"].get<std::string>()});
  const auto& officer = out["users"]["officer"];
  std::cout
      << t.render() << "\n"
      << "Interactive login (POST /api/v1/session) takes the password and a current code\n"
      << "from an authenticator app given the TOTP secret (or `oathtool --totp -b SECRET`):\n\n"
      << logins.render() << "\n"
      << "Secrets are shown once; a copy, with otpauth:// URIs and recovery codes, is in\n"
      << tokens_path << " (readable only by you).\n"
      << "Try, once the hub runs:\n"
      << "  export LIAISON_TOKEN=" << officer["token"].get<std::string>() << "\n"
      << "  export LIAISON_KEY_PASSPHRASE=" << out["key_passphrase"].get<std::string>()
      << "   # opens the demo's key files in " << c.data_dir << "/keys\n"
      << "  liaison request create --file " << c.data_dir << "/demo-request.json --sign "
      << c.data_dir << "/keys/officer.key --submit\n"
      << "  curl -H \"Authorization: Bearer $LIAISON_TOKEN\" "
         "http://127.0.0.1:8080/api/v1/requests\n"
      << "  curl -i -H 'Content-Type: application/json' http://127.0.0.1:8080/api/v1/session "
         "-d '{\"email\": \""
      << officer["email"].get<std::string>() << "\", \"password\": \""
      << officer["password"].get<std::string>() << "\", \"totp_code\": \"CODE\"}'\n"
      << "(If the hub serves elsewhere, export LIAISON_HUB=http://HOST:PORT for the CLI.)\n";
}

}  // namespace

void add_admin_commands(CLI::App& app) {
  static Common common;

  // init
  auto* init = app.add_subcommand("init", "Create an empty hub with one hub administrator");
  add_common(init, common);
  add_password_hash(init, common);
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
    IssuedToken t =
        check(hub->accounts().create_token(op, {admin.id, "initial", std::nullopt, kAdminScopes}));
    if (common.json) {
      std::cout << nlohmann::json{{"user", api::to_json(admin)}, {"token", t.secret}}.dump(2)
                << "\n";
    } else {
      std::cout << "Created a hub in " << common.data_dir << ".\nHub administrator " << admin.email
                << " token (shown once): " << t.secret << "\n";
    }
  });

  // demo
  auto* demo = app.add_subcommand(
      "demo", "Create a hub with demo organisations, users, tokens, passwords and authenticators");
  add_common(demo, common);
  add_password_hash(demo, common);
  static bool if_missing = false;
  demo->add_flag("--if-missing", if_missing,
                 "Do nothing if the data directory already holds a hub");
  static std::string directory_data;
  demo->add_option("--directory-data", directory_data,
                   "Folder of provider directory entries (*.toml) to seed; the demo provider's "
                   "entry (example-mail) is linked to its organisation (default: the shipped "
                   "data/providers)");
  demo->callback([] { run_demo(common, if_missing, directory_data); });

  // sweep
  auto* sweep = app.add_subcommand(
      "sweep",
      "Run the hub's periodic sweeps once, now, as `serve` does every --expiry-interval: expire "
      "preservations and holds, escalate emergency follow-ups, permit user notification after "
      "gag orders, make reminders");
  add_common(sweep, common);
  static ReminderFlags sweep_reminders;
  sweep_reminders.add_to(sweep);
  sweep->callback([] {
    ReminderPolicy policy = sweep_reminders.policy();
    auto hub = open_hub(common);
    auto outcomes = run_sweeps(hub->requests(), policy);
    nlohmann::json j = nlohmann::json::object();
    for (const auto& o : outcomes) {
      if (!o.status.ok()) fail(o.status.error());
      j[o.task] = o.count;
    }
    if (common.json) {
      std::cout << j.dump(2) << "\n";
    } else {
      for (const auto& o : outcomes) std::cout << o.task << ": " << o.count << "\n";
    }
  });

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
  org_create->add_option("--authority-type", new_org.authority_type,
                         "Authorities: police, prosecutor or judge");
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
  auto* user_password = user->add_subcommand(
      "password", "Set a user's password; read from the terminal or standard input, never a flag");
  add_common(user_password, common);
  add_password_hash(user_password, common);
  static std::string password_email;
  user_password->add_option("--email", password_email, "The user's e-mail address")->required();
  user_password->callback([] {
    auto hub = open_hub(common);
    Principal op = Principal::local_operator();
    User u = check(hub->accounts().get_user_by_email(op, password_email));
    std::string password = read_new_password(u.email);
    check_ok(hub->sessions().set_password(op, u.id, password, std::nullopt));
    if (common.json) {
      std::cout << nlohmann::json{{"user", api::to_json(u)}, {"password_set", true}}.dump(2)
                << "\n";
    } else {
      std::cout << "Set the password of " << u.email
                << "; any lockout is lifted and their sessions have ended\n";
    }
  });

  // token
  auto* token = app.add_subcommand("token", "Manage API tokens (local administration)");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Mint an API token for a user; shown once");
  add_common(token_create, common);
  static std::string token_user, token_name = "cli", token_scope;
  static std::int64_t token_days = kDefaultTokenDays;
  token_create->add_option("--user", token_user, "User id")->required();
  token_create->add_option("--name", token_name, "A label for the token")->capture_default_str();
  token_create
      ->add_option("--expires-in-days", token_days,
                   "Lifetime in days, 1-" + std::to_string(kMaxTokenDays))
      ->capture_default_str();
  static CLI::Option* scope_option = token_create->add_option(
      "--scope", token_scope,
      "Comma-separated scopes: read, write, admin (admin only for org admins and hub "
      "administrators; default read,write)");
  token_create->callback([] {
    auto hub = open_hub(common);
    std::optional<Scopes> scopes;
    if (scope_option->count() > 0) scopes = check(Scopes::parse(token_scope, "--scope"));
    // The service validates the lifetime, 0 and negatives included.
    IssuedToken t = check(hub->accounts().create_token(
        Principal::local_operator(), {token_user, token_name, token_days, scopes}));
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
    Table t({"ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "REVOKED"});
    for (const auto& k : tokens) {
      t.add({k.id, k.name, k.scopes.to_string(), k.created_at, k.expires_at.value_or("-"),
             k.revoked_at.value_or("-")});
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
