// Interactive login over HTTP against a real hub: the cookie and its
// attributes, TOTP and recovery codes, lockout, the per-address limit, CSRF,
// scopes, disabled accounts and logout. Every test gets its own hub, since
// they all come from 127.0.0.1 and the per-address limit counts them together.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <utility>

#include "api/api_helpers.h"
#include "support/x509_support.h"
#include "trust/base32.h"
#include "trust/totp.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The current code of a base32 secret, `steps` steps from now.
std::string code_for(const std::string& base32, int steps = 0) {
  return trust::totp_code(trust::base32_decode(base32, "secret").value(),
                          unix_now() + 30 * static_cast<std::int64_t>(steps));
}

// The session cookie's value from a Set-Cookie header.
std::string session_cookie(const ClientResponse& r) {
  std::string set = r.headers.get("Set-Cookie").value_or("");
  const std::string prefix = "liaison_session=";
  if (set.rfind(prefix, 0) != 0) return "";
  return set.substr(prefix.size(), set.find(';') - prefix.size());
}

struct Session {
  std::string cookie;
  std::string csrf;
};

class Sessions : public ::testing::Test {
 protected:
  void SetUp() override { hub_ = std::make_unique<HubProcess>(); }

  HubProcess& hub() { return *hub_; }
  const json& user(const std::string& who) { return hub().demo()["users"][who]; }
  HubClient as(const std::string& who) { return HubClient(hub().base_url(), hub().token(who)); }
  HubClient anonymous() { return HubClient(hub().base_url(), ""); }

  ClientResponse login(const json& body) {
    return anonymous().send("POST", "/api/v1/session", body.dump());
  }
  ClientResponse login_as(const std::string& who, int steps = 0) {
    return login({{"email", user(who)["email"]},
                  {"password", user(who)["password"]},
                  {"totp_code", code_for(user(who)["totp_secret"], steps)}});
  }
  Session session_of(const ClientResponse& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    return {session_cookie(r), body_of(r).value("csrf_token", "")};
  }

  // A request with the session cookie and, when given, a CSRF token.
  ClientResponse with_cookie(const Session& s, const std::string& method, const std::string& path,
                             const std::string& body = "",
                             std::optional<std::string> csrf = std::nullopt) {
    http::Headers h;
    h.set("Cookie", "liaison_session=" + s.cookie);
    if (csrf) h.set("X-CSRF-Token", *csrf);
    return anonymous().send(method, path, body, "application/json", h);
  }

  // One number from the hub's database, read beside the running hub.
  std::int64_t count(const std::string& sql) {
    sqlite3* db = nullptr;
    std::string path = (hub().data_dir() / "liaison.db").string();
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    std::int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }
  std::int64_t sessions_of(const std::string& who) {
    return count("SELECT count(*) FROM sessions WHERE user_id = '" +
                 user(who)["id"].get<std::string>() + "'");
  }
  std::size_t requests_seen_by(const std::string& who) {
    return get_json(as(who), "/api/v1/requests?limit=500")["items"].size();
  }

  std::unique_ptr<HubProcess> hub_;
};

const char* kWrong = "the e-mail address, password or code is wrong";

TEST_F(Sessions, LoginSetsAProtectedCookieAndReturnsTheCsrfToken) {
  auto r = login_as("officer");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string cookie = session_cookie(r);
  EXPECT_EQ(cookie.size(), 43u) << "256 bits, base64url";
  EXPECT_EQ(r.headers.get("Set-Cookie"),
            "liaison_session=" + cookie + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
  EXPECT_EQ(r.headers.get("Set-Cookie")->find("Secure"), std::string::npos)
      << "the hub speaks plain HTTP: no Secure unless told it is behind TLS";
  json body = body_of(r);
  ASSERT_TRUE(body["csrf_token"].is_string());
  EXPECT_NE(body["csrf_token"], cookie);
  EXPECT_EQ(body["user"]["id"], user("officer")["id"]);
  EXPECT_EQ(body["user"]["organisation"]["id"], hub().org_id("police"));
  EXPECT_TRUE(body["expires_at"].is_string());
  EXPECT_EQ(body["idle_timeout_seconds"], 1800);
  // The hub keeps neither secret, only their hashes.
  EXPECT_EQ(count("SELECT count(*) FROM sessions WHERE session_hash = '" + cookie +
                  "' OR csrf_hash = '" + body["csrf_token"].get<std::string>() + "'"),
            0);
  EXPECT_EQ(sessions_of("officer"), 1);

  Session s{cookie, body["csrf_token"]};
  auto who = with_cookie(s, "GET", "/api/v1/session");
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(body_of(who)["authenticated_by"], "session");
  EXPECT_EQ(body_of(who)["user"]["id"], user("officer")["id"]);
  EXPECT_EQ(body_of(who)["scopes"], json({"read", "write"}));
  EXPECT_EQ(body_of(who)["session"]["remote_address"], "127.0.0.1");
  EXPECT_EQ(with_cookie(s, "GET", "/api/v1/me").status, 200);
  EXPECT_EQ(with_cookie(s, "GET", "/api/v1/requests").status, 200);
}

TEST_F(Sessions, AnAdministratorsSessionHasTheAdminScope) {
  Session s = session_of(login_as("police_admin"));
  EXPECT_EQ(body_of(with_cookie(s, "GET", "/api/v1/session"))["scopes"],
            json({"read", "write", "admin"}));
}

// The demo officer logs in to `hub` through `client`; the Set-Cookie header
// must be the session cookie marked Secure.
void expect_a_secure_cookie(HubClient client, const HubProcess& hub) {
  const json& officer = hub.demo()["users"]["officer"];
  auto r = client.send("POST", "/api/v1/session",
                       json{{"email", officer["email"]},
                            {"password", officer["password"]},
                            {"totp_code", code_for(officer["totp_secret"])}}
                           .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.get("Set-Cookie"), "liaison_session=" + session_cookie(r) +
                                             "; HttpOnly; SameSite=Strict; Path=/; "
                                             "Max-Age=43200; Secure");
}

TEST(SessionCookie, IsSecureWhenTheHubIsToldItIsBehindTls) {
  HubProcess hub({"--secure-cookies"});
  expect_a_secure_cookie(HubClient(hub.base_url(), ""), hub);
}

TEST(SessionCookie, IsSecureWhenTheHubServesHttpsItself) {
  testing::TempDir dir;
  auto server = testing::make_signing_key("hub.example.org", false, false, "IP:127.0.0.1");
  for (const auto& [name, pem] : {std::pair{"server.pem", server.certificate_pem},
                                  std::pair{"server.key", server.private_key_pem}}) {
    std::ofstream(dir.path() / name) << pem;
    std::filesystem::permissions(dir.path() / name, std::filesystem::perms::owner_read |
                                                        std::filesystem::perms::owner_write);
  }
  const std::string cert = (dir.path() / "server.pem").string();
  HubProcess hub({"--tls-cert", cert, "--tls-key", (dir.path() / "server.key").string()});
  expect_a_secure_cookie(HubClient(hub.base_url(), "", {cert, "", ""}), hub);
}

TEST_F(Sessions, WrongPasswordWrongCodeAndAReusedCodeAreRefusedAlike) {
  const json& o = user("officer");
  std::string code = code_for(o["totp_secret"]);
  auto wrong_password =
      login({{"email", o["email"]}, {"password", "not the password"}, {"totp_code", code}});
  EXPECT_TRUE(IsProblem(wrong_password, 401, "unauthenticated"));
  EXPECT_EQ(body_of(wrong_password)["detail"], kWrong);
  EXPECT_FALSE(wrong_password.headers.get("Set-Cookie").has_value());

  std::string other = code == "000000" ? "000001" : "000000";
  auto wrong_code =
      login({{"email", o["email"]}, {"password", o["password"]}, {"totp_code", other}});
  EXPECT_TRUE(IsProblem(wrong_code, 401, "unauthenticated"));
  EXPECT_EQ(body_of(wrong_code)["detail"], kWrong);

  auto unknown = login(
      {{"email", "nobody@police.example.org"}, {"password", o["password"]}, {"totp_code", code}});
  EXPECT_EQ(body_of(unknown)["detail"], kWrong);
  EXPECT_EQ(sessions_of("officer"), 0);

  ASSERT_EQ(login({{"email", o["email"]}, {"password", o["password"]}, {"totp_code", code}}).status,
            201);
  // The same code again, well within its 30 seconds: refused like any wrong code.
  auto replay = login({{"email", o["email"]}, {"password", o["password"]}, {"totp_code", code}});
  EXPECT_TRUE(IsProblem(replay, 401, "unauthenticated"));
  EXPECT_EQ(body_of(replay)["detail"], kWrong);
  EXPECT_EQ(sessions_of("officer"), 1);
  // The next step's code is new.
  EXPECT_EQ(login_as("officer", 1).status, 201);
  EXPECT_EQ(sessions_of("officer"), 2);
}

TEST_F(Sessions, ARecoveryCodeWorksOnce) {
  const json& o = user("analyst");
  std::string code = o["recovery_codes"][0];
  json body = {{"email", o["email"]}, {"password", o["password"]}, {"recovery_code", code}};
  Session s = session_of(login(body));
  EXPECT_EQ(with_cookie(s, "GET", "/api/v1/me").status, 200);
  auto again = login(body);
  EXPECT_TRUE(IsProblem(again, 401, "unauthenticated"));
  EXPECT_EQ(body_of(again)["detail"], kWrong);
  EXPECT_EQ(sessions_of("analyst"), 1);
  // In lower case and without dashes, another one works.
  std::string next = o["recovery_codes"][1];
  std::string sloppy;
  for (char c : next) {
    if (c != '-') sloppy += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  body["recovery_code"] = sloppy;
  EXPECT_EQ(login(body).status, 201);
  EXPECT_EQ(count("SELECT count(*) FROM recovery_codes WHERE used_at IS NOT NULL AND user_id = '" +
                  o["id"].get<std::string>() + "'"),
            2);
}

TEST_F(Sessions, TheSixthAttemptIsLockedEvenWithTheRightPassword) {
  const json& o = user("counsel");
  for (int i = 0; i < 5; ++i) {
    auto r = login({{"email", o["email"]},
                    {"password", "guess number " + std::to_string(i)},
                    {"totp_code", code_for(o["totp_secret"])}});
    EXPECT_TRUE(IsProblem(r, 401, "unauthenticated")) << i;
    EXPECT_EQ(body_of(r)["detail"], kWrong) << i;
  }
  auto sixth = login_as("counsel");
  EXPECT_TRUE(IsProblem(sixth, 401, "unauthenticated"));
  std::string detail = body_of(sixth)["detail"];
  EXPECT_NE(detail.find("locked"), std::string::npos) << detail;
  EXPECT_NE(detail.find("until 20"), std::string::npos) << detail;
  auto retry = sixth.headers.get("Retry-After");
  ASSERT_TRUE(retry.has_value());
  EXPECT_GT(std::stoi(*retry), 890);
  EXPECT_LE(std::stoi(*retry), 900);
  EXPECT_FALSE(sixth.headers.get("Set-Cookie").has_value());
  // Nothing came of it: no session, and the lock is on the account.
  EXPECT_EQ(sessions_of("counsel"), 0);
  EXPECT_EQ(
      count("SELECT count(*) FROM credentials WHERE locked_until IS NOT NULL AND user_id = '" +
            o["id"].get<std::string>() + "'"),
      1);
  EXPECT_EQ(count("SELECT count(*) FROM account_events WHERE type = 'login_locked' AND "
                  "subject_user_id = '" +
                  o["id"].get<std::string>() + "'"),
            1);
  // Other accounts are not affected.
  EXPECT_EQ(login_as("analyst").status, 201);
}

TEST(SessionLockout, FollowsTheHubsSettings) {
  HubProcess hub({"--max-failed-logins", "2", "--lockout-minutes", "1"});
  const json& o = hub.demo()["users"]["analyst"];
  HubClient anonymous(hub.base_url(), "");
  auto attempt = [&](const std::string& password) {
    return anonymous.send("POST", "/api/v1/session",
                          json{{"email", o["email"]},
                               {"password", password},
                               {"totp_code", code_for(o["totp_secret"])}}
                              .dump());
  };
  EXPECT_EQ(body_of(attempt("guess one"))["detail"], kWrong);
  EXPECT_EQ(body_of(attempt("guess two"))["detail"], kWrong);
  auto third = attempt(o["password"]);
  EXPECT_TRUE(IsProblem(third, 401, "unauthenticated"));
  EXPECT_NE(body_of(third)["detail"].get<std::string>().find("locked"), std::string::npos);
  EXPECT_LE(std::stoi(third.headers.get("Retry-After").value_or("0")), 60);
}

TEST_F(Sessions, TwentyFailuresFromOneAddressMake429) {
  const json& o = user("prosecutor");
  for (int i = 0; i < 20; ++i) {
    auto r = login({{"email", "guess" + std::to_string(i) + "@prosecution.example.org"},
                    {"password", "some password"},
                    {"totp_code", "123456"}});
    ASSERT_TRUE(IsProblem(r, 401, "unauthenticated")) << i;
  }
  auto limited = login_as("prosecutor");
  EXPECT_TRUE(IsProblem(limited, 429, "rate-limited"));
  auto retry = limited.headers.get("Retry-After");
  ASSERT_TRUE(retry.has_value());
  EXPECT_GT(std::stoi(*retry), 500);
  EXPECT_LE(std::stoi(*retry), 600);
  EXPECT_EQ(sessions_of("prosecutor"), 0);
  // The per-address limit leaves the account itself unlocked, and tokens work.
  EXPECT_EQ(
      count("SELECT count(*) FROM credentials WHERE locked_until IS NOT NULL AND user_id = '" +
            o["id"].get<std::string>() + "'"),
      0);
  EXPECT_EQ(as("prosecutor").send("GET", "/api/v1/me").status, 200);
}

TEST_F(Sessions, ADisabledUserCannotLogInAndTheirTokenAndSessionStop) {
  Session s = session_of(login_as("officer"));
  std::string path = "/api/v1/users/" + user("officer")["id"].get<std::string>();
  auto disabled = as("police_admin").send("PATCH", path, R"({"disabled":true})");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(body_of(disabled)["disabled"], true);

  EXPECT_TRUE(IsProblem(as("officer").send("GET", "/api/v1/me"), 401, "unauthenticated"));
  EXPECT_TRUE(IsProblem(with_cookie(s, "GET", "/api/v1/me"), 401, "unauthenticated"));
  auto login = login_as("officer", 1);
  EXPECT_TRUE(IsProblem(login, 401, "unauthenticated"));
  EXPECT_EQ(body_of(login)["detail"], kWrong);

  ASSERT_EQ(as("police_admin").send("PATCH", path, R"({"disabled":false})").status, 200);
  EXPECT_EQ(as("officer").send("GET", "/api/v1/me").status, 200) << "the token works again";
  EXPECT_TRUE(IsProblem(with_cookie(s, "GET", "/api/v1/me"), 401, "unauthenticated"))
      << "the session ended for good";
  EXPECT_EQ(login_as("officer", 1).status, 201);
  // Another organisation's administrator cannot, nor can anyone on themself.
  EXPECT_TRUE(IsProblem(as("provider_admin").send("PATCH", path, R"({"disabled":true})"), 404,
                        "not-found"));
  EXPECT_TRUE(
      IsProblem(as("police_admin")
                    .send("PATCH", "/api/v1/users/" + user("police_admin")["id"].get<std::string>(),
                          R"({"disabled":true})"),
                403, "forbidden"));
  EXPECT_TRUE(IsProblem(as("police_admin").send("PATCH", path, R"({"disabled":"yes"})"), 422,
                        "validation-failed", "disabled"));
}

// A token minted on the hub's machine with the given scopes.
std::string mint(const HubProcess& hub, const std::string& user_id, const std::string& scope) {
  auto t = testing::run_liaison(
      {"token", "create", "--data", hub.data_dir().string(), "--user", user_id, "--scope", scope});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  std::string token = t.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
  return token;
}

TEST_F(Sessions, AReadOnlyTokenReadsButCannotWrite) {
  HubClient reader(hub().base_url(), mint(hub(), user("officer")["id"], "read"));
  std::size_t before = requests_seen_by("officer");
  auto r = reader.send("POST", "/api/v1/requests", hub().example_draft().dump());
  EXPECT_TRUE(IsProblem(r, 403, "insufficient-scope"));
  EXPECT_EQ(body_of(r)["required_scope"], "write");
  EXPECT_EQ(requests_seen_by("officer"), before) << "nothing was created";
  EXPECT_EQ(reader.send("GET", "/api/v1/requests").status, 200);
  EXPECT_EQ(body_of(reader.send("GET", "/api/v1/session"))["scopes"], json({"read"}));
  // Nor can it mint itself a stronger token.
  auto stronger =
      reader.send("POST", "/api/v1/users/" + user("officer")["id"].get<std::string>() + "/tokens",
                  R"({"name":"escalate"})");
  EXPECT_TRUE(IsProblem(stronger, 403, "insufficient-scope"));
}

TEST_F(Sessions, AnAdminRouteRefusesATokenWithoutAdmin) {
  HubClient writer(hub().base_url(), mint(hub(), user("police_admin")["id"], "read,write"));
  std::string users = "/api/v1/organisations/" + hub().org_id("police") + "/users";
  std::size_t before = get_json(as("police_admin"), users)["items"].size();
  auto r = writer.send(
      "POST", users,
      json{{"name", "Nina"}, {"email", "nina@police.example.org"}, {"roles", {"officer"}}}.dump());
  EXPECT_TRUE(IsProblem(r, 403, "insufficient-scope"));
  EXPECT_EQ(body_of(r)["required_scope"], "admin");
  EXPECT_EQ(get_json(as("police_admin"), users)["items"].size(), before);
  // The same administrator's admin token may.
  EXPECT_EQ(
      as("police_admin")
          .send("POST", users,
                json{{"name", "Nina"}, {"email", "nina@police.example.org"}, {"roles", {"officer"}}}
                    .dump())
          .status,
      201);
  // admin is for administrators only.
  auto t = testing::run_liaison({"token", "create", "--data", hub().data_dir().string(), "--user",
                                 user("officer")["id"], "--scope", "read,write,admin"});
  EXPECT_EQ(t.exit_code, 3);
  EXPECT_NE(t.err.find("admin scope"), std::string::npos) << t.err;
}

TEST_F(Sessions, ACookieAuthenticatedChangeNeedsTheSessionsCsrfToken) {
  Session s = session_of(login_as("officer"));
  std::string draft = hub().example_draft().dump();
  std::size_t before = requests_seen_by("officer");

  EXPECT_TRUE(
      IsProblem(with_cookie(s, "POST", "/api/v1/requests", draft), 403, "csrf-token-missing"));
  EXPECT_TRUE(IsProblem(with_cookie(s, "POST", "/api/v1/requests", draft, std::string("")), 403,
                        "csrf-token-missing"));
  EXPECT_TRUE(IsProblem(with_cookie(s, "POST", "/api/v1/requests", draft, s.csrf + "x"), 403,
                        "csrf-token-invalid"));
  // Another session's token is no better.
  Session other = session_of(login_as("supervisor"));
  EXPECT_TRUE(IsProblem(with_cookie(s, "POST", "/api/v1/requests", draft, other.csrf), 403,
                        "csrf-token-invalid"));
  EXPECT_TRUE(IsProblem(with_cookie(s, "DELETE", "/api/v1/session"), 403, "csrf-token-missing"));
  EXPECT_EQ(requests_seen_by("officer"), before) << "nothing was created";
  EXPECT_EQ(with_cookie(s, "GET", "/api/v1/session").status, 200) << "nor did the session end";

  auto created = with_cookie(s, "POST", "/api/v1/requests", draft, s.csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body_of(created)["created_by"], user("officer")["id"]);
  EXPECT_EQ(requests_seen_by("officer"), before + 1);
  // Bearer tokens need none: browsers never attach them on their own.
  EXPECT_EQ(as("officer").send("POST", "/api/v1/requests", draft).status, 201);
}

TEST_F(Sessions, LogoutEndsTheSession) {
  Session s = session_of(login_as("officer"));
  Session other = session_of(login_as("officer", 1));
  auto out = with_cookie(s, "DELETE", "/api/v1/session", "", s.csrf);
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(out.headers.get("Set-Cookie"),
            "liaison_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  auto after = with_cookie(s, "GET", "/api/v1/session");
  EXPECT_TRUE(IsProblem(after, 401, "unauthenticated"));
  EXPECT_NE(body_of(after)["detail"].get<std::string>().find("ended"), std::string::npos);
  EXPECT_TRUE(
      IsProblem(with_cookie(s, "DELETE", "/api/v1/session", "", s.csrf), 401, "unauthenticated"));
  EXPECT_EQ(with_cookie(other, "GET", "/api/v1/session").status, 200) << "only that session ended";
  EXPECT_TRUE(IsProblem(anonymous().send("GET", "/api/v1/session"), 401, "unauthenticated"));
}

TEST_F(Sessions, ANewUserEnrolsAnAuthenticatorAndAnAdministratorResetsIt) {
  auto [nina, token] = make_user(hub(), as("police_admin"), hub().org_id("police"),
                                 "nina.berg@police.example.org", {"officer"});
  HubClient self(hub().base_url(), token);
  std::string path = "/api/v1/users/" + nina["id"].get<std::string>();
  const std::string password = "Nina's own passphrase";
  ASSERT_EQ(self.send("PUT", path + "/password", json{{"password", password}}.dump()).status, 204);
  json credentials = {{"email", "nina.berg@police.example.org"}, {"password", password}};

  credentials["totp_code"] = "123456";
  auto no_factor = login(credentials);
  EXPECT_TRUE(IsProblem(no_factor, 403, "enrolment-required"));
  EXPECT_NE(body_of(no_factor)["detail"].get<std::string>().find("authenticator"),
            std::string::npos);

  EXPECT_TRUE(IsProblem(as("police_admin").send("POST", path + "/totp", ""), 403, "forbidden"));
  auto begun = self.send("POST", path + "/totp", "");
  ASSERT_EQ(begun.status, 201) << begun.body;
  std::string secret = body_of(begun)["secret"];
  EXPECT_EQ(body_of(begun)["otpauth_uri"].get<std::string>().rfind(
                "otpauth://totp/Liaison:nina.berg%40police.example.org?secret=" + secret, 0),
            0u);
  EXPECT_TRUE(IsProblem(self.send("POST", path + "/totp/confirm", R"({"code":"12345"})"), 422,
                        "validation-failed", "code"));
  auto confirmed =
      self.send("POST", path + "/totp/confirm", json{{"code", code_for(secret)}}.dump());
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(body_of(confirmed)["recovery_codes"].size(), 10u);
  EXPECT_TRUE(IsProblem(self.send("POST", path + "/totp", ""), 409, "conflict"));

  credentials["totp_code"] = code_for(secret, 1);
  Session s = session_of(login(credentials));

  // The administrator resets it: the session ends and login needs a new enrolment.
  EXPECT_TRUE(IsProblem(self.send("DELETE", path + "/totp"), 403, "insufficient-scope"));
  ASSERT_EQ(as("police_admin").send("DELETE", path + "/totp").status, 204);
  EXPECT_TRUE(IsProblem(with_cookie(s, "GET", "/api/v1/me"), 401, "unauthenticated"));
  credentials["totp_code"] = code_for(secret, 1);
  EXPECT_TRUE(IsProblem(login(credentials), 403, "enrolment-required"));
  EXPECT_EQ(self.send("POST", path + "/totp", "").status, 201) << "enrolment is open again";
}

// The way a person with only the password their administrator gave them
// signs in for the first time, in a browser, with no API token.
TEST_F(Sessions, ANewUserEnrolsAtFirstSignInAndReplacesTheGivenPassword) {
  auto [nina, token] = make_user(hub(), as("police_admin"), hub().org_id("police"),
                                 "nina.berg@police.example.org", {"officer"});
  std::string path = "/api/v1/users/" + nina["id"].get<std::string>();
  const std::string given = "handed over at the desk";
  ASSERT_EQ(as("police_admin").send("PUT", path + "/password", json{{"password", given}}.dump())
                .status,
            204);
  json who = {{"email", "nina.berg@police.example.org"}, {"password", given}};
  auto begin = [&](const json& body) {
    return anonymous().send("POST", "/api/v1/session/enrolment", body.dump());
  };
  auto confirm = [&](json body) {
    return anonymous().send("POST", "/api/v1/session/enrolment/confirm", body.dump());
  };

  // A wrong password is the login's one answer, and counts like one.
  json wrong = who;
  wrong["password"] = "not what was handed over";
  auto refused = begin(wrong);
  EXPECT_TRUE(IsProblem(refused, 401, "unauthenticated"));
  EXPECT_EQ(body_of(refused)["detail"], kWrong);
  EXPECT_EQ(count("SELECT failed_logins FROM credentials WHERE user_id = '" +
                  nina["id"].get<std::string>() + "'"),
            1);

  auto first = begin(who);
  ASSERT_EQ(first.status, 201) << first.body;
  std::string stale = body_of(first)["secret"];
  auto second = begin(who);
  ASSERT_EQ(second.status, 201) << second.body;
  std::string secret = body_of(second)["secret"];
  EXPECT_NE(secret, stale);
  EXPECT_EQ(body_of(second)["otpauth_uri"].get<std::string>().rfind(
                "otpauth://totp/Liaison:nina.berg%40police.example.org?secret=" + secret, 0),
            0u);

  const std::string own = "Nina's very own passphrase";
  json body = who;
  body["totp_code"] = code_for(stale);
  body["new_password"] = own;
  EXPECT_TRUE(IsProblem(confirm(body), 422, "validation-failed", "totp_code"))
      << "only the latest secret shown can be confirmed";
  body["totp_code"] = code_for(secret);
  body["new_password"] = given;
  EXPECT_TRUE(IsProblem(confirm(body), 422, "validation-failed", "new_password", "differ"));
  body.erase("new_password");
  EXPECT_TRUE(IsProblem(confirm(body), 422, "validation-failed", "new_password"));
  EXPECT_EQ(count("SELECT count(*) FROM sessions WHERE user_id = '" +
                  nina["id"].get<std::string>() + "'"),
            0)
      << "nothing came of the refusals";
  EXPECT_EQ(count("SELECT count(*) FROM credentials WHERE totp_confirmed_at IS NOT NULL AND "
                  "user_id = '" +
                  nina["id"].get<std::string>() + "'"),
            0);

  body["new_password"] = own;
  auto enrolled = confirm(body);
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  EXPECT_EQ(body_of(enrolled)["recovery_codes"].size(), 10u);
  EXPECT_EQ(body_of(enrolled)["user"]["id"], nina["id"]);
  Session s = session_of(enrolled);
  EXPECT_EQ(with_cookie(s, "GET", "/api/v1/me").status, 200);
  EXPECT_NE(enrolled.headers.get("Set-Cookie")->find("HttpOnly; SameSite=Strict"),
            std::string::npos);

  // The code that confirmed cannot sign in again, nor can the given password;
  // the account's authenticator is not replaced this way.
  json next = {{"email", who["email"]}, {"password", own}, {"totp_code", code_for(secret)}};
  EXPECT_TRUE(IsProblem(login(next), 401, "unauthenticated"));
  next["password"] = given;
  next["totp_code"] = code_for(secret, 1);
  EXPECT_TRUE(IsProblem(login(next), 401, "unauthenticated"));
  EXPECT_TRUE(IsProblem(begin({{"email", who["email"]}, {"password", own}}), 409, "conflict"));
  EXPECT_TRUE(IsProblem(begin(who), 401, "unauthenticated"));
  next["password"] = own;
  EXPECT_EQ(login(next).status, 201);
  EXPECT_EQ(count("SELECT count(*) FROM account_events WHERE type = 'totp_confirmed' AND "
                  "subject_user_id = '" +
                  nina["id"].get<std::string>() + "'"),
            1);
}

TEST_F(Sessions, EnrolmentAtSignInIsLockedOutLikeLogin) {
  auto [nina, token] = make_user(hub(), as("police_admin"), hub().org_id("police"),
                                 "nina.berg@police.example.org", {"officer"});
  const std::string given = "handed over at the desk";
  ASSERT_EQ(as("police_admin")
                .send("PUT", "/api/v1/users/" + nina["id"].get<std::string>() + "/password",
                      json{{"password", given}}.dump())
                .status,
            204);
  for (int i = 0; i < 5; ++i) {
    auto r = anonymous().send(
        "POST", "/api/v1/session/enrolment",
        json{{"email", "nina.berg@police.example.org"}, {"password", "guess " + std::to_string(i)}}
            .dump());
    EXPECT_TRUE(IsProblem(r, 401, "unauthenticated")) << i;
  }
  auto locked = anonymous().send(
      "POST", "/api/v1/session/enrolment",
      json{{"email", "nina.berg@police.example.org"}, {"password", given}}.dump());
  EXPECT_TRUE(IsProblem(locked, 401, "unauthenticated"));
  EXPECT_NE(body_of(locked)["detail"].get<std::string>().find("locked"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM credentials WHERE totp_secret_sealed IS NOT NULL AND "
                  "user_id = '" +
                  nina["id"].get<std::string>() + "'"),
            0);
}

TEST_F(Sessions, ChangingOnesOwnPasswordTakesTheCurrentOne) {
  const json& o = user("officer");
  std::string path = "/api/v1/users/" + o["id"].get<std::string>() + "/password";
  const std::string next = "a brand new passphrase";
  EXPECT_TRUE(IsProblem(as("officer").send("PUT", path, json{{"password", next}}.dump()), 422,
                        "validation-failed", "current_password"));
  EXPECT_TRUE(
      IsProblem(as("officer").send(
                    "PUT", path,
                    json{{"password", next}, {"current_password", "not the current one"}}.dump()),
                403, "forbidden"));
  EXPECT_TRUE(IsProblem(
      as("officer").send(
          "PUT", path, json{{"password", "too short"}, {"current_password", o["password"]}}.dump()),
      422, "validation-failed", "password", "at least 12"));
  ASSERT_EQ(
      as("officer")
          .send("PUT", path, json{{"password", next}, {"current_password", o["password"]}}.dump())
          .status,
      204);
  auto old = login_as("officer");
  EXPECT_TRUE(IsProblem(old, 401, "unauthenticated"));
  EXPECT_EQ(
      login({{"email", o["email"]}, {"password", next}, {"totp_code", code_for(o["totp_secret"])}})
          .status,
      201);
}

}  // namespace
}  // namespace liaison
