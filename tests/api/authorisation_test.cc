// Who may call what: every route against every kind of caller, and the rules
// behind the matrix (tenancy, auditors, org admins, token secrets, scopes).
// Each caller uses a token with the scopes its role needs: read and write for
// everyone, and admin as well for org admins and the hub administrator.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>

#include "api/api.h"
#include "api/api_helpers.h"
#include "cli/hub_runtime.h"
#include "trust/certificate.h"
#include "trust/request_payload.h"
#include "trust/revocation.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

// Every route, as the route table spells it.
const std::vector<std::string> kRoutes = {
    "GET /health/live",
    "GET /health/ready",
    "GET /metrics",
    "POST /api/v1/session",
    "POST /api/v1/session/enrolment",
    "POST /api/v1/session/enrolment/confirm",
    "GET /api/v1/session",
    "DELETE /api/v1/session",
    "GET /api/v1/me",
    "GET /api/v1/organisations",
    "GET /api/v1/routes",
    "POST /api/v1/organisations",
    "POST /hi1",
    "GET /api/v1/organisations/{id}",
    "GET /api/v1/organisations/{id}/users",
    "POST /api/v1/organisations/{id}/users",
    "GET /api/v1/users/{id}",
    "PATCH /api/v1/users/{id}",
    "PUT /api/v1/users/{id}/password",
    "POST /api/v1/users/{id}/totp",
    "POST /api/v1/users/{id}/totp/confirm",
    "DELETE /api/v1/users/{id}/totp",
    "GET /api/v1/users/{id}/tokens",
    "POST /api/v1/users/{id}/tokens",
    "DELETE /api/v1/users/{id}/tokens/{token_id}",
    "GET /api/v1/organisations/{id}/signing-policy",
    "PUT /api/v1/organisations/{id}/signing-policy",
    "GET /api/v1/trust",
    "GET /api/v1/trust/certificates",
    "POST /api/v1/trust/certificates",
    "POST /api/v1/trust/roots",
    "DELETE /api/v1/trust/roots/{fingerprint}",
    "GET /api/v1/trust/revocations",
    "POST /api/v1/trust/revocations",
    "GET /api/v1/quarantine",
    "GET /api/v1/transparency",
    "GET /api/v1/ledger/checkpoint",
    "POST /api/v1/ledger/cosignatures",
    "GET /api/v1/ledger/entries",
    "GET /api/v1/ledger/proof/inclusion",
    "GET /api/v1/ledger/proof/consistency",
    "GET /api/v1/directory",
    "POST /api/v1/directory",
    "GET /api/v1/directory/{id}",
    "PUT /api/v1/directory/{id}",
    "GET /api/v1/directory/{id}/revisions",
    "GET /api/v1/requests",
    "POST /api/v1/requests",
    "POST /api/v1/requests/signed",
    "GET /api/v1/requests/{id}",
    "POST /api/v1/requests/{id}/actions",
    "POST /api/v1/requests/{id}/signatures",
    "PUT /api/v1/requests/{id}/validator",
    "GET /api/v1/requests/{id}/signed",
    "GET /api/v1/requests/{id}/receipts",
    "GET /api/v1/requests/{id}/events",
    "GET /api/v1/requests/{id}/messages",
    "POST /api/v1/requests/{id}/messages",
    "GET /api/v1/requests/{id}/attachments",
    "POST /api/v1/requests/{id}/attachments",
    "GET /api/v1/requests/{id}/attachments/{attachment_id}",
    "GET /api/v1/requests/{id}/attachments/{attachment_id}/content",
    "GET /api/v1/requests/{id}/packages",
    "GET /api/v1/requests/{id}/packages/{package_id}",
    "POST /api/v1/requests/{id}/packages/{package_id}/verifications",
    "POST /api/v1/requests/{id}/packages/uploads",
    "GET /api/v1/requests/{id}/packages/uploads/{upload_id}",
    "PUT /api/v1/requests/{id}/packages/uploads/{upload_id}",
    "GET /api/v1/holds",
    "GET /api/v1/holds/{id}",
    "POST /api/v1/holds/{id}/release",
    "GET /api/v1/deadlines",
    "GET /api/v1/reminders",
    "POST /api/v1/reminders/{id}/delivered",
};

// The callers, in the column order of the matrix below.
const std::vector<std::string> kPrincipals = {
    "officer", "supervisor",     "police_admin", "auditor",       "prosecutor", "analyst",
    "counsel", "provider_admin", "hub_admin",    "other_analyst", "none"};

TEST(RouteTable, TheMatrixCoversEveryRoute) {
  testing::TempDir dir;
  auto hub = cli::HubRuntime::open((dir.path() / "hub").string(), true);
  ASSERT_TRUE(hub.ok()) << hub.error().message;
  cli::HubRuntime& rt = *hub.value();
  api::Api api({rt.store(), rt.blobs(), rt.accounts(), rt.sessions(), rt.requests(), rt.trust(),
                rt.ledger(), rt.directory(), "test"});
  EXPECT_EQ(api.route_list(), kRoutes);
}

class Authorisation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<HubProcess>();
    HubProcess& h = *hub_;
    for (const auto& name : kPrincipals) {
      if (name == "none") {
        tokens_[name] = "";
      } else if (name == "hub_admin") {
        tokens_[name] = h.admin_token();
      } else if (h.demo()["users"].contains(name)) {
        tokens_[name] = h.token(name);
      }
    }
    HubClient admin(h.base_url(), h.admin_token());
    other_provider_ = make_provider(admin, "Other Cloud GmbH", "OTHERCLOUD-AUTH");
    auto [other_user, other_token] =
        make_user(h, admin, other_provider_["id"], "analyst@cloud.example.org", {"analyst"});
    tokens_["other_analyst"] = other_token;

    // An auditor in the police, created and given a token by its org admin.
    HubClient police_admin(h.base_url(), h.token("police_admin"));
    auto [auditor, auditor_token] =
        make_user(h, police_admin, h.org_id("police"), "auditor@police.example.org", {"auditor"});
    auditor_ = auditor;
    tokens_["auditor"] = auditor_token;
    // Someone for the administrators to disable and enable.
    auto [managed, managed_token] = make_user(h, police_admin, h.org_id("police"),
                                              "managed.officer@police.example.org", {"officer"});
    managed_ = managed;
  }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) { return HubClient(hub_->base_url(), tokens_.at(who)); }

  static std::unique_ptr<HubProcess> hub_;
  static std::map<std::string, std::string> tokens_;
  static json other_provider_;
  static json auditor_;
  static json managed_;
};

std::unique_ptr<HubProcess> Authorisation::hub_;
std::map<std::string, std::string> Authorisation::tokens_;
json Authorisation::other_provider_;
json Authorisation::auditor_;
json Authorisation::managed_;

struct Call {
  std::string path;
  std::string body;
  std::string content_type = "application/json";
  http::Headers extra = {};
};

struct RouteCase {
  std::string route;                             // as in kRoutes
  std::function<Call(const std::string&)> call;  // for one principal
  std::vector<int> expected;                     // in kPrincipals order
};

// A 403 for a token without the scope the route needs, apart from the 403 of
// a role that may not act.
constexpr int kInsufficientScope = -403;
// A 409 for an action the request's state does not allow, apart from other conflicts.
constexpr int kIllegalTransition = -409;

std::string problem_type_for(int status) {
  switch (status) {
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case kInsufficientScope:
      return "insufficient-scope";
    case kIllegalTransition:
      return "illegal-transition";
    case 404:
      return "not-found";
    case 409:
      return "conflict";
    case 412:
      return "precondition-failed";
    case 422:
      return "validation-failed";
    default:
      return "?";
  }
}

// A new self-signed root, as a central authority would publish it.
trust::Certificate fresh_root(const std::string& name) {
  trust::SecretKey key = trust::SecretKey::generate();
  trust::Certificate c;
  c.kind = trust::CertKind::kRoot;
  c.subject_name = name;
  c.public_key = key.public_key();
  c.country = "NL";
  c.not_before = Timestamp::from_seconds(SystemClock().now().seconds() - 60);
  c.not_after = Timestamp::from_seconds(SystemClock().now().seconds() + 86400);
  return std::move(trust::issue_certificate(c, key, name)).value();
}

TEST_F(Authorisation, EveryRouteForEveryPrincipal) {
  HubClient officer = as("officer");
  json req = create_request(hub(), officer);
  json late_signature = testing::signature_body_for(hub(), "officer", req);
  submit_signed(hub(), req);
  json to_validate = create_request(hub(), officer);
  std::string rp = request_path(req);
  auto upload = officer.send("POST", rp + "/attachments?name=warrant.pdf", "%PDF-1.4 demo",
                             "application/pdf");
  ASSERT_EQ(upload.status, 201) << upload.body;
  std::string att = body_of(upload)["id"];
  std::string police = hub().org_id("police");
  std::string officer_id = hub().user_id("officer");
  HubClient admin = as("hub_admin");
  int counter = 0;

  // A hold its authority released already, and a preservation near its end
  // whose reminder the sweep gave the police.
  auto preserved = [&](int days) {
    json p = create_request(hub(), officer, {{"kind", "preservation"}});
    submit_signed(hub(), p);
    act_ok(as("analyst"), p, "acknowledge");
    act_ok(as("analyst"), p, "accept");
    return act_ok(as("analyst"), p, "preserve",
                  {{"preserved_until", format_rfc3339(Timestamp::from_seconds(
                                           SystemClock().now().seconds() + days * 86400LL))}});
  };
  json released_hold = preserved(30)["holds"][0];
  json expiring = preserved(3);
  act_ok(officer,
         get_json(officer, "/api/v1/requests/" + released_hold["request_id"].get<std::string>()),
         "release");
  std::string hp = "/api/v1/holds/" + released_hold["id"].get<std::string>();
  auto swept = testing::run_liaison({"sweep", "--data", hub().data_dir().string()});
  ASSERT_EQ(swept.exit_code, 0) << swept.err;
  std::string reminder;
  json police_reminders = get_json(as("police_admin"), "/api/v1/reminders");
  for (const auto& m : police_reminders["items"]) {
    if (m["request_id"] == expiring["id"]) reminder = m["id"];
  }
  ASSERT_FALSE(reminder.empty()) << police_reminders;

  auto get = [](std::string path) { return [path](const std::string&) { return Call{path, ""}; }; };
  const int A = 200, C = 201, D = 204, U = 401, F = 403, N = 404, X = 409, P = 412, V = 422;
  const int S = kInsufficientScope;
  const int T = kIllegalTransition;
  //                                 off sup pad aud pro ana cou prv hub oth none
  const std::vector<int> all_ok = {A, A, A, A, A, A, A, A, A, A, A};
  const std::vector<int> authed = {A, A, A, A, A, A, A, A, A, A, U};
  const std::vector<int> parties = {A, A, A, A, N, A, A, A, N, N, U};

  std::vector<RouteCase> cases = {
      {"GET /health/live", get("/health/live"), all_ok},
      {"GET /health/ready", get("/health/ready"), all_ok},
      {"GET /metrics", get("/metrics"), all_ok},
      // Logging in is open to all; a body without a password is refused alike.
      {"POST /api/v1/session",
       [&](const std::string&) {
         return Call{"/api/v1/session", R"({"email":"olivia.brandt@police.example.org"})"};
       },
       {V, V, V, V, V, V, V, V, V, V, V}},
      // So is enrolling at first sign-in, which proves the password first;
      // a body without every field is refused alike.
      {"POST /api/v1/session/enrolment",
       [&](const std::string&) {
         return Call{"/api/v1/session/enrolment",
                     R"({"email":"olivia.brandt@police.example.org"})"};
       },
       {V, V, V, V, V, V, V, V, V, V, V}},
      {"POST /api/v1/session/enrolment/confirm",
       [&](const std::string&) {
         return Call{"/api/v1/session/enrolment/confirm",
                     R"({"email":"olivia.brandt@police.example.org","password":"not hers",)"
                     R"("totp_code":"123456"})"};
       },
       {V, V, V, V, V, V, V, V, V, V, V}},
      {"GET /api/v1/session", get("/api/v1/session"), authed},
      // A bearer token has no session to end.
      {"DELETE /api/v1/session", get("/api/v1/session"), {N, N, N, N, N, N, N, N, N, N, U}},
      {"GET /api/v1/me", get("/api/v1/me"), authed},
      {"GET /api/v1/organisations", get("/api/v1/organisations"), authed},
      // Anyone signed in may ask which routes the law opens.
      {"GET /api/v1/routes",
       get("/api/v1/routes?requesting_country=NL&authority_type=police&provider_country=IE"
           "&category=SubscriberData&kind=production"),
       authed},
      {"POST /api/v1/organisations",
       [&](const std::string&) {
         return Call{"/api/v1/organisations",
                     json{{"kind", "provider"},
                          {"name", "Matrix Provider"},
                          {"country", "FR"},
                          {"endpoint_uid", "MATRIX" + std::to_string(++counter)}}
                         .dump()};
       },
       // Only administrators' tokens carry admin; of those, only the hub's may.
       {S, S, F, S, S, S, S, F, C, S, U}},
      // HI-1 answers in its own terms: a message from anyone signed in gets
      // an HI-1 response, which refuses whoever is not the sending authority.
      {"POST /hi1",
       [&](const std::string&) {
         return Call{"/hi1",
                     R"(<HI1Message xmlns="http://uri.etsi.org/03120/common/2019/10/Core"/>)",
                     "application/xml"};
       },
       {A, A, A, A, A, A, A, A, A, A, U}},
      {"GET /api/v1/organisations/{id}", get("/api/v1/organisations/" + police), authed},
      {"GET /api/v1/organisations/{id}/users",
       get("/api/v1/organisations/" + police + "/users"),
       {N, N, A, A, N, N, N, N, A, N, U}},
      {"POST /api/v1/organisations/{id}/users",
       [&](const std::string& who) {
         return Call{
             "/api/v1/organisations/" + police + "/users",
             json{{"name", "New Officer"},
                  {"email", "new." + who + std::to_string(++counter) + "@police.example.org"},
                  {"roles", {"officer"}}}
                 .dump()};
       },
       {S, S, C, S, S, S, S, N, C, S, U}},
      {"GET /api/v1/users/{id}",
       get("/api/v1/users/" + officer_id),
       {A, N, A, A, N, N, N, N, A, N, U}},
      {"PATCH /api/v1/users/{id}",
       [&](const std::string&) {
         return Call{"/api/v1/users/" + managed_["id"].get<std::string>(), R"({"disabled":false})"};
       },
       {S, S, A, S, S, S, S, N, A, S, U}},
      {"PUT /api/v1/users/{id}/password",
       [&](const std::string& who) {
         json body = {{"password", "a matrix password set by " + who}};
         // The account holder proves the current password; administrators need not.
         if (who == "officer")
           body["current_password"] = hub().demo()["users"]["officer"]["password"];
         return Call{"/api/v1/users/" + officer_id + "/password", body.dump()};
       },
       {D, S, D, S, S, S, S, N, D, S, U}},
      // The officer's authenticator is active already: a new enrolment waits
      // for an administrator's reset. Administrators never enrol for others.
      {"POST /api/v1/users/{id}/totp",
       [&](const std::string&) {
         return Call{"/api/v1/users/" + officer_id + "/totp", "{}"};
       },
       {X, N, F, N, N, N, N, N, F, N, U}},
      {"POST /api/v1/users/{id}/totp/confirm",
       [&](const std::string&) {
         return Call{"/api/v1/users/" + officer_id + "/totp/confirm", R"({"code":"000000"})"};
       },
       {X, N, F, N, N, N, N, N, F, N, U}},
      {"DELETE /api/v1/users/{id}/totp",
       [&](const std::string&) {
         return Call{"/api/v1/users/" + officer_id + "/totp", ""};
       },
       {S, S, D, S, S, S, S, N, D, S, U}},
      {"GET /api/v1/users/{id}/tokens",
       get("/api/v1/users/" + officer_id + "/tokens"),
       {A, N, A, N, N, N, N, N, A, N, U}},
      {"POST /api/v1/users/{id}/tokens",
       [&](const std::string&) {
         return Call{"/api/v1/users/" + officer_id + "/tokens", R"({"name":"matrix"})"};
       },
       // Administrators may see and revoke the officer's tokens, never mint one.
       {C, N, F, N, N, N, N, N, F, N, U}},
      {"DELETE /api/v1/users/{id}/tokens/{token_id}",
       [&](const std::string&) {
         // A fresh token of the officer's for every caller to try to revoke.
         auto t = officer.send("POST", "/api/v1/users/" + officer_id + "/tokens",
                               R"({"name":"to-revoke"})");
         EXPECT_EQ(t.status, 201) << t.body;
         return Call{
             "/api/v1/users/" + officer_id + "/tokens/" + body_of(t)["id"].get<std::string>(), ""};
       },
       // Someone else's token needs admin; an administrator of another
       // organisation has it, but does not see the officer.
       {D, S, D, S, S, S, S, N, D, S, U}},
      {"GET /api/v1/organisations/{id}/signing-policy",
       get("/api/v1/organisations/" + police + "/signing-policy"),
       {A, A, A, A, N, N, N, N, A, N, U}},
      {"PUT /api/v1/organisations/{id}/signing-policy",
       [&](const std::string&) {
         return Call{"/api/v1/organisations/" + police + "/signing-policy",
                     R"({"validators":0,"supervisors":0})"};
       },
       // Changing policy is an administrator's: tokens without the admin scope stop first.
       {S, S, A, S, S, S, S, N, A, S, U}},
      {"GET /api/v1/trust", get("/api/v1/trust"), authed},
      {"GET /api/v1/trust/certificates", get("/api/v1/trust/certificates"), authed},
      {"POST /api/v1/trust/certificates",
       // A new police officer's certificate, signed with the police unit's key.
       [&](const std::string& who) {
         trust::Certificate c;
         c.kind = trust::CertKind::kUser;
         c.subject_name = "Matrix Officer";
         c.subject_email = "matrix." + who + std::to_string(++counter) + "@police.example.org";
         c.public_key = trust::SecretKey::generate().public_key();
         c.organisation =
             trust::OrgRef{"NL", "NPCU", "Northport Police, Cybercrime Unit", OrgKind::kAuthority};
         c.roles.add(Role::kOfficer);
         c.country = "NL";
         c.not_before = Timestamp::from_seconds(SystemClock().now().seconds() - 60);
         c.not_after = Timestamp::from_seconds(SystemClock().now().seconds() + 86400);
         auto issued = trust::issue_certificate(c, testing::demo_key(hub(), "police-organisation"),
                                                "Northport Police, Cybercrime Unit");
         return Call{"/api/v1/trust/certificates", trust::to_json(issued.value()).dump()};
       },
       {S, S, C, S, S, S, S, F, C, S, U}},
      {"POST /api/v1/trust/roots",
       [&](const std::string& who) {
         return Call{"/api/v1/trust/roots",
                     trust::to_json(fresh_root("Matrix Root " + who)).dump()};
       },
       {S, S, F, S, S, S, S, F, C, S, U}},
      {"DELETE /api/v1/trust/roots/{fingerprint}",
       // A root the hub administrator added for each caller to try to remove.
       [&](const std::string& who) {
         trust::Certificate root = fresh_root("Doomed Root " + who);
         EXPECT_EQ(admin.send("POST", "/api/v1/trust/roots", trust::to_json(root).dump()).status,
                   201);
         return Call{"/api/v1/trust/roots/" + root.fingerprint(), ""};
       },
       {S, S, F, S, S, S, S, F, D, S, U}},
      {"GET /api/v1/trust/revocations", get("/api/v1/trust/revocations"), authed},
      {"POST /api/v1/trust/revocations",
       // The police unit's next (empty) list; it proves itself by its signature.
       [&](const std::string&) {
         const trust::SecretKey& key = testing::demo_key(hub(), "police-organisation");
         trust::RevocationList l;
         l.issuer_key_id = key.public_key().key_id();
         l.issuer_name = "Northport Police, Cybercrime Unit";
         l.number = ++counter;
         l.issued_at = Timestamp::from_seconds(SystemClock().now().seconds());
         return Call{"/api/v1/trust/revocations",
                     trust::to_json(trust::sign_revocation_list(l, key).value()).dump()};
       },
       {S, S, C, S, S, S, S, C, C, S, U}},
      {"GET /api/v1/quarantine", get("/api/v1/quarantine"), {F, F, F, F, F, F, F, F, A, F, U}},
      // Aggregates with small counts banded: anyone signed in may read them.
      {"GET /api/v1/transparency", get("/api/v1/transparency"), authed},
      // The ledger holds commitments, not content: every authenticated caller may audit it.
      {"GET /api/v1/ledger/checkpoint", get("/api/v1/ledger/checkpoint"), authed},
      // A cosignature proves itself: anyone may post one, and this one is no note.
      {"POST /api/v1/ledger/cosignatures",
       [&](const std::string&) {
         return Call{"/api/v1/ledger/cosignatures", R"({"note":"not a note"})"};
       },
       {V, V, V, V, V, V, V, V, V, V, U}},
      {"GET /api/v1/ledger/entries", get("/api/v1/ledger/entries?start=0&end=2"), authed},
      {"GET /api/v1/ledger/proof/inclusion",
       get("/api/v1/ledger/proof/inclusion?leaf_index=0&tree_size=1"), authed},
      {"GET /api/v1/ledger/proof/consistency",
       get("/api/v1/ledger/proof/consistency?first=1&second=1"), authed},
            // The directory is public; its writes are administrators'. The demo
      // provider's entry (example-mail) names the provider organisation, so
      // its org admin may edit it, and may not create a second entry for it.
      {"GET /api/v1/directory", get("/api/v1/directory"), authed},
      {"POST /api/v1/directory",
       [&](const std::string& who) {
         json e = get_json(admin, "/api/v1/directory/example-cloud");
         e["id"] = "matrix-" + std::to_string(++counter);
         if (who == "provider_admin") e["contact"]["hub_org_id"] = hub().org_id("provider");
         return Call{"/api/v1/directory", e.dump()};
       },
       {S, S, F, S, S, S, S, X, C, S, U}},
      {"GET /api/v1/directory/{id}", get("/api/v1/directory/example-mail"), authed},
      {"PUT /api/v1/directory/{id}",
       [&](const std::string& who) {
         json e = get_json(admin, "/api/v1/directory/example-mail");
         e["retention_notes"] = "edited in the matrix by " + who;
         return Call{"/api/v1/directory/example-mail", e.dump(), "application/json",
                     headers({{"If-Match", "*"}})};
       },
       {S, S, F, S, S, S, S, A, A, S, U}},
      {"GET /api/v1/directory/{id}/revisions", get("/api/v1/directory/example-mail/revisions"),
       authed},
      {"GET /api/v1/requests", get("/api/v1/requests"), {A, A, A, A, A, A, A, A, F, A, U}},
      {"POST /api/v1/requests",
       [&](const std::string&) {
         return Call{"/api/v1/requests", hub().example_draft().dump()};
       },
       {C, C, F, F, F, F, F, F, F, F, U}},
      {"POST /api/v1/requests/signed",
       // A whole signed request from the police unit's own system, new each time.
       [&](const std::string&) {
         json draft = create_request(hub(), officer);
         json body = testing::signature_body_for(hub(), "officer", draft);
         EXPECT_EQ(officer.send("POST", request_path(draft) + "/actions", R"({"action":"cancel"})")
                       .status,
                   200);
         json payload = body["payload"];
         payload["request_id"] = random_uuid();
         payload["nonce"] = trust::new_request_nonce();
         trust::SignedRequest env;
         env.payload = payload;
         auto sig = trust::signed_request_from_json({{"liaison_signed_request", 1},
                                                     {"payload", payload},
                                                     {"signatures", {body["signature"]}}});
         EXPECT_TRUE(sig.ok());
         env.signatures.push_back(
             trust::sign_request(payload, "officer", testing::demo_key(hub(), "officer"),
                                 sig->signatures[0].certificate, sig->signatures[0].chain,
                                 Timestamp::from_seconds(SystemClock().now().seconds())));
         return Call{"/api/v1/requests/signed", trust::to_json(env).dump()};
       },
       {C, C, F, F, F, F, F, F, F, F, U}},
      {"GET /api/v1/requests/{id}", get(rp), parties},
      {"POST /api/v1/requests/{id}/actions",
       // A stale If-Match: whoever may cancel gets 412, and nothing moves.
       [&](const std::string&) {
         return Call{rp + "/actions", R"({"action":"cancel"})", "application/json", if_match(0)};
       },
       {P, P, F, F, N, F, F, F, N, N, U}},
      {"POST /api/v1/requests/{id}/signatures",
       // Signing a request already sent: its signers learn it is too late.
       [&](const std::string&) {
         return Call{rp + "/signatures", late_signature.dump()};
       },
       {T, T, F, F, N, F, F, F, N, N, U}},
      // The issuer's officers and supervisors ask; once asked, the prosecutor's
      // validator sees the draft but may not choose who validates it.
      {"PUT /api/v1/requests/{id}/validator",
       [&](const std::string&) {
         return Call{request_path(to_validate) + "/validator",
                     json{{"organisation_id", hub().org_id("prosecutor")}}.dump()};
       },
       {A, A, F, F, F, N, N, N, N, N, U}},
      {"GET /api/v1/requests/{id}/signed", get(rp + "/signed"), parties},
      // Receipts carry salts and content: the parties' only.
      {"GET /api/v1/requests/{id}/receipts", get(rp + "/receipts"), parties},
      {"GET /api/v1/requests/{id}/events", get(rp + "/events"), parties},
      {"GET /api/v1/requests/{id}/messages", get(rp + "/messages"), parties},
      {"POST /api/v1/requests/{id}/messages",
       [&](const std::string&
               who) { return Call{rp + "/messages", json{{"body", "from " + who}}.dump()}; },
       {C, C, F, F, N, C, C, F, N, N, U}},
      {"GET /api/v1/requests/{id}/attachments", get(rp + "/attachments"), parties},
      {"POST /api/v1/requests/{id}/attachments",
       [&](const std::string&
               who) { return Call{rp + "/attachments?name=" + who + ".txt", "note", "text/plain"}; },
       {C, C, F, F, N, C, C, F, N, N, U}},
      {"GET /api/v1/requests/{id}/attachments/{attachment_id}", get(rp + "/attachments/" + att),
       parties},
      {"GET /api/v1/requests/{id}/attachments/{attachment_id}/content",
       get(rp + "/attachments/" + att + "/content"), parties},
      // The packages' own matrix, with real packages, is in evidence_test.cc;
      // here a request without one: nothing to find, for anyone.
      {"GET /api/v1/requests/{id}/packages", get(rp + "/packages"), parties},
      {"GET /api/v1/requests/{id}/packages/{package_id}", get(rp + "/packages/" + random_uuid()),
       {N, N, N, N, N, N, N, N, N, N, U}},
      {"POST /api/v1/requests/{id}/packages/{package_id}/verifications",
       [&](const std::string&) {
         return Call{rp + "/packages/" + random_uuid() + "/verifications",
                     R"({"result":"verified","checked":"structure"})"};
       },
       {N, N, N, N, N, N, N, N, N, N, U}},
      // Only the provider's analysts upload, and only to an accepted request.
      {"POST /api/v1/requests/{id}/packages/uploads",
       [&](const std::string&) { return Call{rp + "/packages/uploads", R"({"size":100})"}; },
       {F, F, F, F, N, T, F, F, N, N, U}},
      {"GET /api/v1/requests/{id}/packages/uploads/{upload_id}",
       get(rp + "/packages/uploads/" + random_uuid()), {N, N, N, N, N, N, N, N, N, N, U}},
      {"PUT /api/v1/requests/{id}/packages/uploads/{upload_id}",
       [&](const std::string&) {
         return Call{rp + "/packages/uploads/" + random_uuid(), "abcd",
                     "application/octet-stream", headers({{"Content-Range", "bytes 0-3/4"}})};
       },
       {N, N, N, N, N, N, N, N, N, N, U}},
      {"GET /api/v1/holds", get("/api/v1/holds"), {A, A, A, A, A, A, A, A, F, A, U}},
      {"GET /api/v1/holds/{id}", get(hp), parties},
      // Released already: the provider's case staff learn that; the
      // authority, which only reads holds, and other roles may not release.
      {"POST /api/v1/holds/{id}/release",
       [&](const std::string&) { return Call{hp + "/release", R"({"reason":"done"})"}; },
       {F, F, F, F, N, T, T, F, N, N, U}},
      {"GET /api/v1/deadlines", get("/api/v1/deadlines?within=P1D"),
       {A, A, A, A, A, A, A, A, F, A, U}},
      {"GET /api/v1/reminders", get("/api/v1/reminders"), {A, A, A, A, A, A, A, A, F, A, U}},
      // The police's reminder: its org admin marks it delivered (again and again, harmlessly).
      {"POST /api/v1/reminders/{id}/delivered",
       [&](const std::string&) { return Call{"/api/v1/reminders/" + reminder + "/delivered", ""}; },
       {F, F, A, F, N, N, N, N, N, N, U}},
  };

  std::vector<std::string> covered;
  for (const auto& c : cases) covered.push_back(c.route);
  ASSERT_EQ(covered, kRoutes);

  for (const auto& c : cases) {
    ASSERT_EQ(c.expected.size(), kPrincipals.size()) << c.route;
    std::string method = c.route.substr(0, c.route.find(' '));
    for (std::size_t i = 0; i < kPrincipals.size(); ++i) {
      const std::string& who = kPrincipals[i];
      Call call = c.call(who);
      auto r = as(who).send(method, call.path, call.body, call.content_type, call.extra);
      int want = c.expected[i];
      if (want >= 400 || want == kInsufficientScope || want == kIllegalTransition) {
        int status = want == kInsufficientScope ? 403 : want == kIllegalTransition ? 409 : want;
        EXPECT_TRUE(IsProblem(r, status, problem_type_for(want))) << c.route << " as " << who;
        if (want == 401) {
          EXPECT_TRUE(r.headers.get("WWW-Authenticate").has_value()) << c.route;
        }
      } else {
        EXPECT_EQ(r.status, want) << c.route << " as " << who << ": " << r.body;
      }
    }
  }

  // The refused and stale writes left the request where it was.
  json now = get_json(officer, rp);
  EXPECT_EQ(now["status"], "submitted");
  std::size_t messages = get_json(officer, rp + "/messages")["items"].size();
  EXPECT_EQ(messages, 4u);  // officer, supervisor, analyst, counsel
  EXPECT_EQ(get_json(officer, rp + "/attachments")["items"].size(),
            5u);  // the warrant and four notes
}

TEST_F(Authorisation, ListingsShowOnlyWhatTheCallerMaySee) {
  HubClient officer = as("officer");
  json draft = create_request(hub(), officer);
  json sent = create_request(hub(), officer);
  submit_signed(hub(), sent);
  json withdrawn = create_request(hub(), officer);  // cancelled before it was ever sent
  act_ok(officer, withdrawn, "cancel");

  auto ids = [&](const std::string& who) {
    std::set<std::string> out;
    auto r = as(who).send("GET", "/api/v1/requests?limit=500");
    EXPECT_EQ(r.status, 200) << who << ": " << r.body;
    json body = body_of(r);
    for (const auto& item : body["items"]) out.insert(item["id"].get<std::string>());
    return out;
  };
  std::string d = draft["id"], s = sent["id"];
  for (const char* who : {"officer", "supervisor", "police_admin", "auditor"}) {
    EXPECT_TRUE(ids(who).count(d) && ids(who).count(s)) << who;
  }
  std::string w = withdrawn["id"];
  for (const char* who : {"analyst", "counsel", "provider_admin"}) {
    EXPECT_FALSE(ids(who).count(d)) << who << " sees a draft";
    EXPECT_FALSE(ids(who).count(w)) << who << " sees a draft cancelled before it was sent";
    EXPECT_TRUE(IsProblem(as(who).send("GET", request_path(withdrawn)), 404, "not-found")) << who;
    EXPECT_TRUE(ids(who).count(s)) << who;
  }
  EXPECT_TRUE(ids("auditor").count(w));
  // The prosecutor's office sees the drafts it is asked to validate, while
  // they are drafts: not the one it validated once that was sent.
  json asked = create_request(hub(), officer);
  ASSERT_EQ(officer
                .send("PUT", request_path(asked) + "/validator",
                      json{{"organisation_id", hub().org_id("prosecutor")}}.dump())
                .status,
            200);
  std::set<std::string> validating = ids("prosecutor");
  EXPECT_TRUE(validating.count(asked["id"].get<std::string>()));
  EXPECT_FALSE(validating.count(d) || validating.count(s) || validating.count(w));
  EXPECT_TRUE(IsProblem(as("prosecutor").send("GET", request_path(sent)), 404, "not-found"));
  EXPECT_TRUE(ids("other_analyst").empty());
  // Hub administrators run the hub; they read no evidence requests.
  EXPECT_TRUE(IsProblem(as("hub_admin").send("GET", "/api/v1/requests"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(as("hub_admin").send("GET", request_path(sent)), 404, "not-found"));
  // A filter does not widen what is visible.
  auto r = as("analyst").send("GET", "/api/v1/requests?status=draft");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(body_of(r)["items"].empty()) << r.body;
}

TEST_F(Authorisation, AuditorsReadButDoNotWrite) {
  HubClient officer = as("officer");
  HubClient auditor = as("auditor");
  json req = create_request(hub(), officer);
  std::string rp = request_path(req);
  EXPECT_EQ(auditor.send("GET", rp).status, 200);
  EXPECT_EQ(body_of(auditor.send("GET", rp))["allowed_actions"], json::array());
  EXPECT_EQ(auditor.send("GET", rp + "/events").status, 200);
  EXPECT_EQ(
      auditor.send("GET", "/api/v1/organisations/" + hub().org_id("police") + "/users").status,
      200);

  EXPECT_TRUE(IsProblem(auditor.send("POST", "/api/v1/requests", hub().example_draft().dump()), 403,
                        "forbidden"));
  EXPECT_TRUE(IsProblem(act(auditor, req, "submit"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(act(auditor, req, "cancel"), 403, "forbidden"));
  EXPECT_TRUE(
      IsProblem(auditor.send("POST", rp + "/messages", R"({"body":"audit"})"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(auditor.send("POST", rp + "/attachments?name=a.txt", "a", "text/plain"),
                        403, "forbidden"));
  // Managing users takes the admin scope, which no auditor's token carries.
  EXPECT_TRUE(IsProblem(
      auditor.send(
          "POST", "/api/v1/organisations/" + hub().org_id("police") + "/users",
          json{{"name", "X"}, {"email", "x@police.example.org"}, {"roles", {"officer"}}}.dump()),
      403, "insufficient-scope"));
  // Auditors may see accounts but not manage their tokens.
  EXPECT_EQ(auditor.send("GET", "/api/v1/users/" + hub().user_id("officer")).status, 200);
  EXPECT_TRUE(
      IsProblem(auditor.send("GET", "/api/v1/users/" + hub().user_id("officer") + "/tokens"), 404,
                "not-found"));

  json now = get_json(officer, rp);
  EXPECT_EQ(now["status"], "draft");
  EXPECT_EQ(now["version"], req["version"]);
  EXPECT_TRUE(get_json(officer, rp + "/messages")["items"].empty());
  EXPECT_TRUE(get_json(officer, rp + "/attachments")["items"].empty());
}

TEST_F(Authorisation, OrgAdminsManageOnlyTheirOwnOrganisation) {
  HubClient police_admin = as("police_admin");
  HubClient provider_admin = as("provider_admin");
  std::string police = hub().org_id("police");
  std::string provider = hub().org_id("provider");
  json analyst_body = {{"name", "Ann"}, {"email", "ann@mail.example.org"}, {"roles", {"analyst"}}};

  EXPECT_TRUE(IsProblem(police_admin.send("POST", "/api/v1/organisations/" + provider + "/users",
                                          analyst_body.dump()),
                        404, "not-found"));
  EXPECT_TRUE(IsProblem(police_admin.send("GET", "/api/v1/organisations/" + provider + "/users"),
                        404, "not-found"));
  EXPECT_TRUE(IsProblem(police_admin.send("GET", "/api/v1/users/" + hub().user_id("analyst")), 404,
                        "not-found"));
  EXPECT_TRUE(
      IsProblem(police_admin.send("POST", "/api/v1/users/" + hub().user_id("analyst") + "/tokens",
                                  R"({"name":"stolen"})"),
                404, "not-found"));
  EXPECT_TRUE(
      IsProblem(provider_admin.send("GET", "/api/v1/users/" + hub().user_id("officer") + "/tokens"),
                404, "not-found"));

  // A role the organisation's kind does not have.
  EXPECT_TRUE(IsProblem(
      police_admin.send("POST", "/api/v1/organisations/" + police + "/users", analyst_body.dump()),
      422, "validation-failed", "roles", "not available in a authority organisation"));
  json unknown_role = {
      {"name", "Root"}, {"email", "root@police.example.org"}, {"roles", {"hub_admin"}}};
  EXPECT_TRUE(IsProblem(
      police_admin.send("POST", "/api/v1/organisations/" + police + "/users", unknown_role.dump()),
      422, "validation-failed", "roles", "unknown role"));

  // Their own organisation works, and the new user is the org's.
  auto created = provider_admin.send("POST", "/api/v1/organisations/" + provider + "/users",
                                     analyst_body.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body_of(created)["org_id"], provider);
  EXPECT_EQ(body_of(created)["roles"], json({"analyst"}));
  // Org admins do not create organisations.
  EXPECT_TRUE(IsProblem(provider_admin.send("POST", "/api/v1/organisations",
                                            json{{"kind", "provider"},
                                                 {"name", "Shadow"},
                                                 {"country", "IE"},
                                                 {"endpoint_uid", "SHADOW"}}
                                                .dump()),
                        403, "forbidden"));
}

TEST_F(Authorisation, UsersManageOnlyTheirOwnTokens) {
  HubClient supervisor = as("supervisor");
  std::string own = "/api/v1/users/" + hub().user_id("supervisor") + "/tokens";
  auto minted = supervisor.send("POST", own, R"({"name":"mine"})");
  ASSERT_EQ(minted.status, 201) << minted.body;
  EXPECT_EQ(body_of(minted)["user_id"], hub().user_id("supervisor"));

  std::string officers = "/api/v1/users/" + hub().user_id("officer") + "/tokens";
  EXPECT_TRUE(
      IsProblem(supervisor.send("POST", officers, R"({"name":"theirs"})"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(supervisor.send("GET", officers), 404, "not-found"));
  HubClient officer = as("officer");
  json officer_tokens = get_json(officer, officers);
  ASSERT_FALSE(officer_tokens["items"].empty());
  std::string officer_token_id = officer_tokens["items"][0]["id"];
  // Revoking someone else's token takes the admin scope, which the
  // supervisor's token lacks; the answer says nothing of the token.
  EXPECT_TRUE(IsProblem(supervisor.send("DELETE", officers + "/" + officer_token_id), 403,
                        "insufficient-scope"));
  // Not even by naming the token under one's own user.
  EXPECT_TRUE(IsProblem(supervisor.send("DELETE", own + "/" + officer_token_id), 404, "not-found"));
  EXPECT_EQ(officer.send("GET", "/api/v1/me").status, 200);
}

TEST_F(Authorisation, TokenSecretsAreShownOnceAndNeverListed) {
  HubClient officer = as("officer");
  std::string path = "/api/v1/users/" + hub().user_id("officer") + "/tokens";
  auto minted = officer.send("POST", path, R"({"name":"once"})");
  ASSERT_EQ(minted.status, 201);
  json t = body_of(minted);
  ASSERT_TRUE(t["token"].is_string());
  EXPECT_EQ(t["token"].get<std::string>().rfind("lsn_", 0), 0u);
  EXPECT_FALSE(t.contains("token_hash"));
  std::string secret = t["token"];

  for (const auto& who : {"officer", "police_admin", "hub_admin"}) {
    auto list = as(who).send("GET", path);
    ASSERT_EQ(list.status, 200) << who;
    json items = body_of(list)["items"];
    ASSERT_GE(items.size(), 2u);
    for (const auto& item : items) {
      EXPECT_FALSE(item.contains("token")) << item;
      EXPECT_FALSE(item.contains("token_hash")) << item;
      EXPECT_FALSE(item.contains("secret")) << item;
    }
    EXPECT_EQ(list.body.find(secret), std::string::npos);
    EXPECT_EQ(list.body.find(secret.substr(4)), std::string::npos);
  }
  auto me = HubClient(hub().base_url(), secret).send("GET", "/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.body.find(secret), std::string::npos);
  EXPECT_EQ(body_of(me)["id"], hub().user_id("officer"));
}

TEST_F(Authorisation, EachCallersTokenCarriesTheScopesItsRoleNeeds) {
  const std::map<std::string, json> want = {
      {"officer", {"read", "write"}},
      {"supervisor", {"read", "write"}},
      {"police_admin", {"read", "write", "admin"}},
      {"auditor", {"read", "write"}},
      {"prosecutor", {"read", "write"}},
      {"analyst", {"read", "write"}},
      {"counsel", {"read", "write"}},
      {"provider_admin", {"read", "write", "admin"}},
      {"hub_admin", {"read", "write", "admin"}},
      {"other_analyst", {"read", "write"}},
  };
  for (const auto& [who, scopes] : want) {
    json session = get_json(as(who), "/api/v1/session");
    EXPECT_EQ(session["authenticated_by"], "token") << who;
    EXPECT_EQ(session["scopes"], scopes) << who;
  }
}

}  // namespace
}  // namespace liaison
