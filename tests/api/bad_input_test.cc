// Every class of bad input the HTTP API refuses, with the exact status and a
// problem+json body that names the field. After each refused write, nothing
// has changed.
#include <gtest/gtest.h>

#include <memory>

#include "api/api_helpers.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

class BadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"--max-body-bytes", "8192"});
  }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient officer() { return HubClient(hub_->base_url(), hub_->token("officer")); }
  HubClient analyst() { return HubClient(hub_->base_url(), hub_->token("analyst")); }

  // What the officer's organisation holds: every request id with its version.
  json snapshot() {
    auto client = officer();
    json list = get_json(client, "/api/v1/requests?limit=500");
    json out = json::object();
    for (const auto& r : list["items"]) out[r["id"].get<std::string>()] = r["version"];
    return out;
  }

  ClientResponse post_draft(const std::string& body,
                            const std::string& content_type = "application/json",
                            const http::Headers& extra = {}) {
    return officer().send("POST", "/api/v1/requests", body, content_type, extra);
  }

  static std::unique_ptr<HubProcess> hub_;
};

std::unique_ptr<HubProcess> BadInput::hub_;

TEST_F(BadInput, MalformedJsonIsRefusedWithTheByteOffset) {
  json before = snapshot();
  auto r = post_draft(R"({"kind": "production", )");
  // The code maps parse errors to kInvalidArgument, hence 422 rather than 400;
  // the offending "field" is the whole body, named by the empty string.
  EXPECT_TRUE(IsProblem(r, 400, "malformed-request", "", "malformed JSON at byte"));
  EXPECT_NE(body_of(r)["detail"].get<std::string>().find("malformed JSON at byte 24"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, ABodyThatIsNotAnObjectIsRefused) {
  json before = snapshot();
  EXPECT_TRUE(
      IsProblem(post_draft("[1, 2]"), 422, "validation-failed", "", "must be a JSON object"));
  auto client = officer();
  auto me =
      client.send("POST", "/api/v1/users/" + hub().user_id("officer") + "/tokens", "\"name\"");
  EXPECT_TRUE(IsProblem(me, 422, "validation-failed", "", "must be a JSON object"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, WrongTypesNameTheField) {
  json before = snapshot();
  json draft = hub().example_draft();
  draft["kind"] = 5;
  EXPECT_TRUE(IsProblem(post_draft(draft.dump()), 422, "validation-failed", "kind",
                        "must be a string, not number"));

  draft = hub().example_draft();
  draft["targets"][1]["port"] = "51234";
  draft["max_penalty_months"] = 72.5;
  auto r = post_draft(draft.dump());
  EXPECT_TRUE(
      IsProblem(r, 422, "validation-failed", "targets/1/port", "must be an integer, not string"));
  EXPECT_TRUE(names_field(r, "max_penalty_months", "must be an integer")) << r.body;
  EXPECT_EQ(body_of(r)["errors"].size(), 2u) << r.body;

  // The same for the smaller bodies decoded by JsonBody.
  auto client = officer();
  auto token = client.send("POST", "/api/v1/users/" + hub().user_id("officer") + "/tokens",
                           json{{"name", "laptop"}, {"expires_in_days", "7"}}.dump());
  EXPECT_TRUE(IsProblem(token, 422, "validation-failed", "expires_in_days",
                        "must be an integer, not string"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UnknownFieldsAreRefusedAtTopLevelAndNested) {
  json before = snapshot();
  json draft = hub().example_draft();
  draft["colour"] = "red";
  EXPECT_TRUE(
      IsProblem(post_draft(draft.dump()), 422, "validation-failed", "colour", "unknown field"));

  draft = hub().example_draft();
  draft["targets"][0]["colour"] = "red";
  EXPECT_TRUE(IsProblem(post_draft(draft.dump()), 422, "validation-failed", "targets/0/colour",
                        "unknown field"));

  draft = hub().example_draft();
  draft["legal_basis"]["paragraph"] = "2";
  EXPECT_TRUE(IsProblem(post_draft(draft.dump()), 422, "validation-failed", "legal_basis/paragraph",
                        "unknown field"));
  EXPECT_EQ(snapshot(), before);

  // Action bodies too, and the request does not move.
  auto client = officer();
  json req = create_request(hub(), client);
  auto r = act(client, req, "submit", {{"urgent", true}});
  EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "urgent", "unknown field"));
  json now = get_json(client, request_path(req));
  EXPECT_EQ(now["status"], "draft");
  EXPECT_EQ(now["version"], req["version"]);
}

TEST_F(BadInput, ABodyOverTheLimitIs413) {
  json before = snapshot();
  json draft = hub().example_draft();
  draft["offence_description"] = std::string(9000, 'x');  // the hub runs with --max-body-bytes 8192
  auto r = post_draft(draft.dump());
  EXPECT_TRUE(IsProblem(r, 413, "too-large")) << r.body;
  EXPECT_NE(body_of(r)["detail"].get<std::string>().find("8192"), std::string::npos) << r.body;
  EXPECT_EQ(snapshot(), before);

  // Just under the limit is accepted.
  draft["offence_description"] = std::string(800, 'x');
  ASSERT_LT(draft.dump().size(), 8192u);
  EXPECT_EQ(post_draft(draft.dump()).status, 201);
}

TEST_F(BadInput, AHeaderBlockOverTheLimitIs431) {
  auto client = officer();
  auto r = client.send("GET", "/api/v1/requests", "", "application/json",
                       headers({{"X-Filler", std::string(20 * 1024, 'a')}}));
  EXPECT_TRUE(IsProblem(r, 431, "headers-too-large")) << r.body;
  // A large header under the default 16 KiB limit is fine.
  EXPECT_EQ(client
                .send("GET", "/api/v1/requests", "", "application/json",
                      headers({{"X-Filler", std::string(8 * 1024, 'a')}}))
                .status,
            200);
}

TEST_F(BadInput, BadUuidsInPathsNameTheParameter) {
  auto client = officer();
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests/not-a-uuid"), 422, "validation-failed",
                        "id", "not a UUID"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests/3f2c6a1e_8d4b_4c1a_9e7f_0a1b2c3d4e5f"),
                        422, "validation-failed", "id", "misplaced hyphen"));
  json req = create_request(hub(), client);
  EXPECT_TRUE(IsProblem(client.send("GET", request_path(req) + "/attachments/xyz"), 422,
                        "validation-failed", "attachment_id", "not a UUID"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/users/xyz"), 422, "validation-failed", "id",
                        "not a UUID"));
  EXPECT_TRUE(
      IsProblem(client.send("DELETE", "/api/v1/users/" + hub().user_id("officer") + "/tokens/xyz"),
                422, "validation-failed", "token_id", "not a UUID"));
  // A well-formed UUID that names nothing is 404.
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests/3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f"),
                        404, "not-found"));
  json before = snapshot();
  EXPECT_TRUE(IsProblem(
      client.send("POST", "/api/v1/requests/not-a-uuid/actions", R"({"action":"submit"})"), 422,
      "validation-failed", "id"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UnknownRoutesAndMethods) {
  auto client = officer();
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/nothing-here"), 404, "not-found"));
  auto r = client.send("PUT", "/api/v1/requests", "{}");
  EXPECT_TRUE(IsProblem(r, 405, "method-not-allowed"));
  EXPECT_EQ(r.headers.get("Allow"), std::optional<std::string>("GET, POST"));
}

TEST_F(BadInput, IllegalTransitionsListTheRealOptions) {
  auto officer_client = officer();
  auto analyst_client = analyst();
  json req = create_request(hub(), officer_client);
  json submitted = submit_signed(hub(), req);

  auto again = act(officer_client, req, "submit");
  ASSERT_TRUE(IsProblem(again, 409, "illegal-transition"));
  EXPECT_EQ(body_of(again)["allowed_actions"], json({"cancel"}));

  auto produce = act(analyst_client, req, "produce");
  ASSERT_TRUE(IsProblem(produce, 409, "illegal-transition"));
  EXPECT_EQ(body_of(produce)["allowed_actions"], json({"acknowledge", "reject"}));
  // preserve does not apply to a production request at all.
  act_ok(analyst_client, req, "acknowledge");
  act_ok(analyst_client, req, "accept");
  auto preserve = act(analyst_client, req, "preserve");
  ASSERT_TRUE(IsProblem(preserve, 409, "illegal-transition"));
  EXPECT_EQ(body_of(preserve)["allowed_actions"], json({"reject", "produce", "not_available"}));
  json now = get_json(officer_client, request_path(req));
  EXPECT_EQ(now["status"], "accepted");
  EXPECT_EQ(now["version"], submitted["version"].get<int>() + 2);

  // An action that does not exist, or that only the hub performs.
  EXPECT_TRUE(IsProblem(act(analyst_client, req, "approve"), 422, "validation-failed", "action",
                        "unknown action"));
  EXPECT_TRUE(IsProblem(act(analyst_client, req, "expire"), 422, "validation-failed", "action",
                        "unknown action"));
  // The wrong side is forbidden (it can see the request), not an illegal transition.
  EXPECT_TRUE(IsProblem(act(officer_client, req, "accept"), 403, "forbidden"));
  EXPECT_EQ(get_json(officer_client, request_path(req))["version"], now["version"]);
}

TEST_F(BadInput, ForeignTenantsSeeNothing) {
  auto officer_client = officer();
  json req = create_request(hub(), officer_client);
  std::string path = request_path(req);

  // Another authority.
  HubClient prosecutor(hub().base_url(), hub().token("prosecutor"));
  EXPECT_TRUE(IsProblem(prosecutor.send("GET", path), 404, "not-found"));
  EXPECT_TRUE(IsProblem(prosecutor.send("GET", path + "/events"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(act(prosecutor, req, "clarify", {{"note", "x"}}), 404, "not-found"));
  EXPECT_TRUE(IsProblem(prosecutor.send("POST", path + "/messages", R"({"body":"hello"})"), 404,
                        "not-found"));

  // The addressed provider sees no draft.
  auto analyst_client = analyst();
  EXPECT_TRUE(IsProblem(analyst_client.send("GET", path), 404, "not-found"));
  submit_signed(hub(), req);
  EXPECT_EQ(analyst_client.send("GET", path).status, 200);

  // A provider the request is not addressed to.
  HubClient admin(hub().base_url(), hub().admin_token());
  json other = make_provider(admin, "Other Cloud GmbH", "OTHERCLOUD-BAD");
  auto [user, token] =
      make_user(hub(), admin, other["id"], "analyst@cloud.example.org", {"analyst"});
  HubClient other_analyst(hub().base_url(), token);
  EXPECT_EQ(other_analyst.send("GET", "/api/v1/me").status, 200);
  EXPECT_TRUE(IsProblem(other_analyst.send("GET", path), 404, "not-found"));
  EXPECT_TRUE(IsProblem(other_analyst.send("GET", path + "/messages"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(act(other_analyst, req, "acknowledge"), 404, "not-found"));
  EXPECT_TRUE(
      IsProblem(other_analyst.send("POST", path + "/attachments?name=x.txt", "x", "text/plain"),
                404, "not-found"));
  EXPECT_TRUE(body_of(other_analyst.send("GET", "/api/v1/requests"))["items"].empty());

  json now = get_json(officer_client, path);
  EXPECT_EQ(now["status"], "submitted");
  EXPECT_TRUE(get_json(officer_client, path + "/messages")["items"].empty());
  EXPECT_TRUE(get_json(officer_client, path + "/attachments")["items"].empty());
}

TEST_F(BadInput, MissingTokenIs401WithAChallenge) {
  HubClient anonymous(hub().base_url(), "");
  auto r = anonymous.send("GET", "/api/v1/requests");
  EXPECT_TRUE(IsProblem(r, 401, "unauthenticated"));
  EXPECT_EQ(r.headers.get("WWW-Authenticate"),
            std::optional<std::string>("Bearer realm=\"liaison\""));

  json before = snapshot();
  EXPECT_TRUE(IsProblem(anonymous.send("POST", "/api/v1/requests", hub().example_draft().dump()),
                        401, "unauthenticated"));
  EXPECT_EQ(snapshot(), before);

  // Another scheme is no token either.
  auto basic = anonymous.send("GET", "/api/v1/me", "", "",
                              headers({{"Authorization", "Basic b2ZmaWNlcjpzZWNyZXQ="}}));
  EXPECT_TRUE(IsProblem(basic, 401, "unauthenticated"));
  EXPECT_TRUE(basic.headers.get("WWW-Authenticate").has_value());
}

TEST_F(BadInput, MalformedAndUnknownTokensAre401) {
  for (const std::string& token :
       std::vector<std::string>{"not-a-token", "lsn_", "lsn_" + std::string(200, 'a'),
                                "lsn_AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    HubClient c(hub().base_url(), token);
    auto r = c.send("GET", "/api/v1/me");
    EXPECT_TRUE(IsProblem(r, 401, "unauthenticated")) << token;
    EXPECT_TRUE(r.headers.get("WWW-Authenticate").has_value()) << token;
  }
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  auto lower = HubClient(hub().base_url(), "")
                   .send("GET", "/api/v1/me", "", "",
                         headers({{"Authorization", "bearer " + hub().token("officer")}}));
  EXPECT_EQ(lower.status, 200) << lower.body;
}

TEST_F(BadInput, ARevokedTokenIs401) {
  auto client = officer();
  std::string tokens_path = "/api/v1/users/" + hub().user_id("officer") + "/tokens";
  auto minted = client.send("POST", tokens_path, R"({"name":"revoke-me"})");
  ASSERT_EQ(minted.status, 201) << minted.body;
  json t = body_of(minted);
  HubClient fresh(hub().base_url(), t["token"]);
  ASSERT_EQ(fresh.send("GET", "/api/v1/me").status, 200);

  auto revoked = client.send("DELETE", tokens_path + "/" + t["id"].get<std::string>());
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_TRUE(revoked.body.empty());
  auto r = fresh.send("GET", "/api/v1/me");
  EXPECT_TRUE(IsProblem(r, 401, "unauthenticated"));
  EXPECT_TRUE(IsProblem(fresh.send("POST", "/api/v1/requests", hub().example_draft().dump()), 401,
                        "unauthenticated"));

  // The listing shows it revoked; the officer's demo token still works.
  bool seen = false;
  json tokens = get_json(client, tokens_path);
  for (const auto& item : tokens["items"]) {
    if (item["id"] == t["id"]) {
      seen = true;
      EXPECT_TRUE(item["revoked_at"].is_string()) << item;
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(client.send("GET", "/api/v1/me").status, 200);
  // A token id that is not this user's is 404.
  EXPECT_TRUE(
      IsProblem(client.send("DELETE", tokens_path + "/3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f"), 404,
                "not-found"));
}

TEST_F(BadInput, TokenLifetimesAreBounded) {
  auto client = officer();
  std::string tokens_path = "/api/v1/users/" + hub().user_id("officer") + "/tokens";
  auto minted = client.send("POST", tokens_path, R"({"name":"week","expires_in_days":7})");
  ASSERT_EQ(minted.status, 201) << minted.body;
  json t = body_of(minted);
  ASSERT_TRUE(t["expires_at"].is_string()) << t;
  auto created = parse_rfc3339(t["created_at"].get<std::string>(), "created_at");
  auto expires = parse_rfc3339(t["expires_at"].get<std::string>(), "expires_at");
  ASSERT_TRUE(created.ok() && expires.ok());
  EXPECT_EQ(expires.value().unix_micros - created.value().unix_micros,
            std::int64_t{7} * 86400 * 1'000'000);
  // Without a lifetime, the token expires after 90 days: none lives for ever.
  json dflt = body_of(client.send("POST", tokens_path, R"({"name":"default"})"));
  ASSERT_TRUE(dflt["expires_at"].is_string()) << dflt;
  EXPECT_EQ(parse_rfc3339(dflt["expires_at"].get<std::string>(), "e").value().unix_micros -
                parse_rfc3339(dflt["created_at"].get<std::string>(), "c").value().unix_micros,
            std::int64_t{90} * 86400 * 1'000'000);

  for (int days : {0, -1, 366, 3650}) {
    auto r =
        client.send("POST", tokens_path, json{{"name", "bad"}, {"expires_in_days", days}}.dump());
    EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "expires_in_days", "between 1 and 365"))
        << days;
  }
}

TEST_F(BadInput, WrongContentTypeIsRefused) {
  json before = snapshot();
  std::string draft = hub().example_draft().dump();
  EXPECT_TRUE(IsProblem(post_draft(draft, "text/plain"), 422, "validation-failed", "Content-Type",
                        "must be application/json"));
  EXPECT_TRUE(IsProblem(post_draft(draft, "application/x-www-form-urlencoded"), 422,
                        "validation-failed", "Content-Type"));
  // A different media type that merely starts with "application/json".
  EXPECT_TRUE(
      IsProblem(post_draft(draft, "application/jsonl"), 422, "validation-failed", "Content-Type"));
  EXPECT_TRUE(IsProblem(post_draft(draft, "application/json-seq"), 422, "validation-failed",
                        "Content-Type"));
  EXPECT_EQ(snapshot(), before);

  // Parameters are allowed, and media types are case-insensitive (RFC 9110 §8.3.1).
  EXPECT_EQ(post_draft(draft, "application/json; charset=utf-8").status, 201);
  EXPECT_EQ(post_draft(draft, "Application/JSON").status, 201);
}

TEST_F(BadInput, UnknownQueryParametersAreNamed) {
  auto client = officer();
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?colour=red"), 422, "validation-failed",
                        "colour", "unknown query parameter"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?status=draft&Limit=5"), 422,
                        "validation-failed", "Limit", "unknown query parameter"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/organisations?kind=provider"), 422,
                        "validation-failed", "kind", "unknown query parameter"));
  json before = snapshot();
  EXPECT_TRUE(
      IsProblem(client.send("POST", "/api/v1/requests?dry_run=1", hub().example_draft().dump()),
                422, "validation-failed", "dry_run", "unknown query parameter"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UnknownFilterValuesAreNamed) {
  auto client = officer();
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?status=draft,lost"), 422,
                        "validation-failed", "status", "unknown status 'lost'"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?kind=wiretap"), 422,
                        "validation-failed", "kind", "unknown kind"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?deadline_before=tomorrow"), 422,
                        "validation-failed", "deadline_before"));
  EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?deadline_before=2030-01-01T00:00:00"),
                        422, "validation-failed", "deadline_before"));
}

TEST_F(BadInput, BadCursorsAreRefused) {
  auto client = officer();
  // "bm9wZQ" is base64url for "nope"; "czA" for "s0"; "czE" for "s1" (a cursor shape, valid).
  for (const std::string& cursor :
       std::vector<std::string>{"zzz!", "bm9wZQ", "czA", std::string(80, 'A'), ""}) {
    auto r = client.send("GET", "/api/v1/requests?cursor=" + cursor);
    EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "cursor", "is not a cursor this hub issued"))
        << cursor;
  }
  EXPECT_EQ(client.send("GET", "/api/v1/requests?cursor=czE").status, 200);
}

TEST_F(BadInput, LimitOutOfRangeIsRefused) {
  auto client = officer();
  for (const std::string& limit : std::vector<std::string>{"0", "-1", "501", "100000000000"}) {
    EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?limit=" + limit), 422,
                          "validation-failed", "limit"))
        << limit;
  }
  for (const std::string& limit : std::vector<std::string>{"abc", "5x", "", "+5", "2.5"}) {
    EXPECT_TRUE(IsProblem(client.send("GET", "/api/v1/requests?limit=" + limit), 422,
                          "validation-failed", "limit", "must be an integer"))
        << limit;
  }
  EXPECT_EQ(client.send("GET", "/api/v1/requests?limit=1").status, 200);
  EXPECT_EQ(client.send("GET", "/api/v1/requests?limit=500").status, 200);
}

TEST_F(BadInput, IdempotencyKeysAreValidated) {
  json before = snapshot();
  std::string draft = hub().example_draft().dump();
  auto r =
      post_draft(draft, "application/json", headers({{"Idempotency-Key", std::string(256, 'k')}}));
  EXPECT_TRUE(
      IsProblem(r, 422, "validation-failed", "Idempotency-Key", "must be 1-255 characters"));
  r = post_draft(draft, "application/json", headers({{"Idempotency-Key", "two words"}}));
  EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "Idempotency-Key", "visible ASCII"));
  EXPECT_EQ(snapshot(), before);

  // On actions and messages too, with nothing changed.
  auto client = officer();
  json req = create_request(hub(), client);
  r = client.send("POST", request_path(req) + "/actions", R"({"action":"submit"})",
                  "application/json", headers({{"Idempotency-Key", std::string(256, 'k')}}));
  EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "Idempotency-Key"));
  r = client.send("POST", request_path(req) + "/messages", R"({"body":"hello"})",
                  "application/json", headers({{"Idempotency-Key", std::string(256, 'k')}}));
  EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "Idempotency-Key"));
  EXPECT_EQ(get_json(client, request_path(req))["version"], req["version"]);
  EXPECT_TRUE(get_json(client, request_path(req) + "/messages")["items"].empty());

  // 255 characters is the longest key accepted.
  EXPECT_EQ(
      post_draft(draft, "application/json", headers({{"Idempotency-Key", std::string(255, 'k')}}))
          .status,
      201);
}

TEST_F(BadInput, MalformedIfMatchIsRefused) {
  auto client = officer();
  json req = create_request(hub(), client);
  for (const std::string& etag : std::vector<std::string>{"abc", "\"abc\"", "\"1", "\"\"", "1 2"}) {
    auto r = client.send("POST", request_path(req) + "/actions", R"({"action":"submit"})",
                         "application/json", headers({{"If-Match", etag}}));
    EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "If-Match", "must be one ETag")) << etag;
  }
  json now = get_json(client, request_path(req));
  EXPECT_EQ(now["status"], "draft");
  EXPECT_EQ(now["version"], req["version"]);
}

TEST_F(BadInput, MissingRequiredFieldsAreAllListed) {
  json before = snapshot();
  auto r = post_draft("{}");
  ASSERT_TRUE(IsProblem(r, 422, "validation-failed", "kind", "is required"));
  for (const char* field :
       {"categories", "targets", "legal_basis", "offence_description", "provider_id"}) {
    EXPECT_TRUE(names_field(r, field, "is required")) << field << ": " << r.body;
  }
  // A provider id that is not a provider on this hub.
  json draft = hub().example_draft();
  draft["provider_id"] = hub().org_id("prosecutor");
  EXPECT_TRUE(
      IsProblem(post_draft(draft.dump()), 422, "validation-failed", "provider_id", "no provider"));
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace liaison
