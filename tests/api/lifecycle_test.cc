// The request lifecycle over HTTP: preservation, rejection, cancellation,
// production rules, messages, idempotency, ETags, pagination and filters.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <set>

#include "api/api_helpers.h"
#include "support/demo_evidence.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

std::string days_from_now(int days) {
  return format_rfc3339(
      Timestamp::from_seconds(static_cast<std::int64_t>(std::time(nullptr)) + days * 86400LL));
}

class Lifecycle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = std::make_unique<HubProcess>(); }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) { return HubClient(hub_->base_url(), hub_->token(who)); }

  // A request the provider has accepted.
  json accepted(const json& patch = json::object()) {
    HubClient officer = as("officer");
    HubClient analyst = as("analyst");
    json r = create_request(hub(), officer, patch);
    submit_signed(hub(), r);
    act_ok(analyst, r, "acknowledge");
    return act_ok(analyst, r, "accept");
  }

  static std::unique_ptr<HubProcess> hub_;
};

std::unique_ptr<HubProcess> Lifecycle::hub_;

TEST_F(Lifecycle, PreserveExtendRelease) {
  HubClient officer = as("officer");
  HubClient analyst = as("analyst");
  json r = accepted({{"kind", "preservation"}});
  ASSERT_EQ(r["status"], "accepted");
  EXPECT_EQ(r["etsi_status"],
            json({{"dictionary", "LPTaskStatus"}, {"value", "AwaitingPreservation"}}));
  // An accepted preservation cannot be "produced".
  EXPECT_TRUE(IsProblem(act(analyst, r, "produce"), 409, "illegal-transition"));

  // Preservation dates must be in the future.
  EXPECT_TRUE(IsProblem(act(analyst, r, "preserve", {{"preserved_until", "2001-01-01T00:00:00Z"}}),
                        422, "validation-failed", "preserved_until", "is in the past"));
  EXPECT_TRUE(IsProblem(act(analyst, r, "preserve", {{"preserved_until", "next month"}}), 422,
                        "validation-failed", "preserved_until"));
  // Counsel may accept but not preserve.
  EXPECT_TRUE(IsProblem(act(as("counsel"), r, "preserve"), 403, "forbidden"));

  std::string until = days_from_now(30);
  json preserved = act_ok(analyst, r, "preserve", {{"preserved_until", until}});
  EXPECT_EQ(preserved["status"], "preserved");
  EXPECT_EQ(preserved["preserved_until"], until);
  EXPECT_EQ(preserved["etsi_status"]["value"], "Preserved");
  EXPECT_EQ(get_json(officer, request_path(r))["allowed_actions"], json({"extend", "release"}));

  // Extending needs a later date; the provider cannot extend.
  EXPECT_TRUE(IsProblem(act(officer, r, "extend"), 422, "validation-failed", "preserved_until",
                        "is required"));
  EXPECT_TRUE(IsProblem(act(officer, r, "extend", {{"preserved_until", days_from_now(10)}}), 422,
                        "validation-failed", "preserved_until",
                        "must be later than the current end"));
  EXPECT_TRUE(IsProblem(act(officer, r, "extend", {{"preserved_until", until}}), 422,
                        "validation-failed", "preserved_until", "must be later"));
  EXPECT_TRUE(IsProblem(act(analyst, r, "extend", {{"preserved_until", days_from_now(60)}}), 403,
                        "forbidden"));
  EXPECT_EQ(get_json(officer, request_path(r))["version"], preserved["version"]);

  // The request's route (an EPOC-PR: 60 days, one extension of 30) bounds it.
  EXPECT_TRUE(IsProblem(act(officer, r, "extend", {{"preserved_until", days_from_now(80)}}), 422,
                        "validation-failed", "preserved_until", "by at most 30 days"));
  std::string later = days_from_now(55);
  json extended = act_ok(officer, r, "extend", {{"preserved_until", later}});
  EXPECT_EQ(extended["status"], "preserved");
  EXPECT_EQ(extended["preserved_until"], later);
  EXPECT_EQ(extended["version"], preserved["version"].get<int>() + 1);
  EXPECT_TRUE(IsProblem(act(officer, r, "extend", {{"preserved_until", days_from_now(58)}}), 422,
                        "validation-failed", "preserved_until", "allows 1 extension"));
  // preserved_until belongs to preserve and extend only.
  EXPECT_TRUE(IsProblem(act(officer, r, "release", {{"preserved_until", days_from_now(90)}}), 422,
                        "validation-failed", "preserved_until",
                        "applies only to preserve and extend"));

  json released = act_ok(officer, r, "release");
  EXPECT_EQ(released["status"], "released");
  EXPECT_EQ(released["allowed_actions"], json::array());
  EXPECT_EQ(get_json(analyst, request_path(r))["allowed_actions"], json::array());
  EXPECT_EQ(released["etsi_status"]["value"], "Cancelled");
  auto again = act(officer, r, "release");
  ASSERT_TRUE(IsProblem(again, 409, "illegal-transition"));
  EXPECT_EQ(body_of(again)["allowed_actions"], json::array());

  std::vector<std::string> types;
  json events = get_json(officer, request_path(r) + "/events");
  for (const auto& e : events["items"]) types.push_back(e["type"]);
  // Each preservation step is followed by its hold's (holds_test.cc).
  EXPECT_EQ(types,
            (std::vector<std::string>{"created", "signed", "validation_requested", "signed",
                                      "submit", "acknowledge", "accept", "preserve", "hold_created",
                                      "extend", "hold_renewed", "release", "hold_released"}));
}

TEST_F(Lifecycle, PreserveWithoutADateTakesTheRoutesPeriod) {
  json r = accepted({{"kind", "preservation"}});
  json preserved = act_ok(as("analyst"), r, "preserve");
  auto until = parse_rfc3339(preserved["preserved_until"].get<std::string>(), "preserved_until");
  ASSERT_TRUE(until.ok()) << preserved;
  std::int64_t days =
      (until.value().seconds() - static_cast<std::int64_t>(std::time(nullptr))) / 86400;
  // Filed under an EPOC-PR, whose obligation lasts 60 days (EU 2023/1543 Art. 11(1)).
  EXPECT_EQ(r["route"], "eu-2023-1543/epoc-pr");
  EXPECT_TRUE(days == 59 || days == 60) << preserved["preserved_until"];
}

TEST_F(Lifecycle, RejectNeedsGrounds) {
  HubClient officer = as("officer");
  HubClient counsel = as("counsel");
  json r = create_request(hub(), officer);
  json submitted = submit_signed(hub(), r);

  EXPECT_TRUE(IsProblem(act(counsel, r, "reject"), 422, "validation-failed", "note",
                        "is required to reject"));
  EXPECT_TRUE(
      IsProblem(act(counsel, r, "reject", {{"note", ""}}), 422, "validation-failed", "note"));
  EXPECT_TRUE(IsProblem(act(counsel, r, "reject", {{"note", 42}}), 422, "validation-failed", "note",
                        "must be a string"));
  EXPECT_TRUE(IsProblem(act(counsel, r, "reject", {{"note", std::string(20001, 'n')}}), 422,
                        "validation-failed", "note", "longer than"));
  EXPECT_EQ(get_json(officer, request_path(r))["version"], submitted["version"]);

  std::string grounds = "The order names no legal basis valid in Ireland.";
  json rejected = act_ok(counsel, r, "reject", {{"note", grounds}});
  EXPECT_EQ(rejected["status"], "rejected");
  json messages = get_json(officer, request_path(r) + "/messages");
  ASSERT_EQ(messages["items"].size(), 1u);
  EXPECT_EQ(messages["items"][0]["body"], grounds);
  EXPECT_EQ(messages["items"][0]["author_org_id"], hub().org_id("provider"));
  json events = get_json(officer, request_path(r) + "/events");
  EXPECT_EQ(events["items"].back()["type"], "reject");
  EXPECT_EQ(events["items"].back()["note"], grounds);
  EXPECT_EQ(events["items"].back()["object_id"], messages["items"][0]["id"]);
}

TEST_F(Lifecycle, OfficerCancels) {
  HubClient officer = as("officer");
  json draft = create_request(hub(), officer);
  EXPECT_EQ(act_ok(officer, draft, "cancel")["status"], "cancelled");
  // A cancelled draft never reaches the provider.
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", request_path(draft)), 404, "not-found"));

  json sent = create_request(hub(), officer);
  submit_signed(hub(), sent);
  act_ok(as("analyst"), sent, "acknowledge");
  json cancelled = act_ok(officer, sent, "cancel");
  EXPECT_EQ(cancelled["status"], "cancelled");
  EXPECT_EQ(cancelled["allowed_actions"], json::array());
  EXPECT_EQ(get_json(as("analyst"), request_path(sent))["status"], "cancelled");
  EXPECT_TRUE(IsProblem(act(as("analyst"), sent, "accept"), 409, "illegal-transition"));
  // Nothing is attached to a finished request.
  EXPECT_TRUE(IsProblem(
      officer.send("POST", request_path(sent) + "/attachments?name=late.txt", "late", "text/plain"),
      409, "illegal-transition"));
}

TEST_F(Lifecycle, ProduceNeedsASealedPackage) {
  HubClient analyst = as("analyst");
  json r = accepted();
  auto produce = act(analyst, r, "produce");
  EXPECT_TRUE(IsProblem(produce, 422, "validation-failed", "packages", "evidence package"));
  // A document is not produced data.
  ASSERT_EQ(analyst
                .send("POST", request_path(r) + "/attachments?name=cover.txt", "cover letter",
                      "text/plain")
                .status,
            201);
  EXPECT_TRUE(IsProblem(act(analyst, r, "produce"), 422, "validation-failed", "packages"));
  // Produced data in the clear is refused, whoever sends it, with the way to do it.
  for (const char* who : {"analyst", "counsel", "officer"}) {
    EXPECT_TRUE(IsProblem(
        as(who).send("POST", request_path(r) + "/attachments?name=d.csv&purpose=production",
                     "a,b\n", "text/csv"),
        422, "validation-failed", "purpose", "sealed evidence package"))
        << who;
  }
  EXPECT_TRUE(
      IsProblem(analyst.send("POST", request_path(r) + "/attachments?name=d.csv&purpose=evidence",
                             "a,b\n", "text/csv"),
                422, "validation-failed", "purpose"));
  json now = get_json(analyst, request_path(r));
  EXPECT_EQ(now["status"], "accepted");
  EXPECT_EQ(now["version"], r["version"]);
  EXPECT_EQ(get_json(analyst, request_path(r) + "/attachments")["items"].size(), 1u);

  json package = testing::produce_package(hub(), r);
  ASSERT_TRUE(package.is_object());
  EXPECT_EQ(package["attachment"]["purpose"], "production");
  EXPECT_EQ(act_ok(analyst, r, "produce")["status"], "produced");
}

TEST_F(Lifecycle, PackagesOnlyOnAnAcceptedRequest) {
  HubClient officer = as("officer");
  json r = create_request(hub(), officer);
  submit_signed(hub(), r);
  auto early =
      as("analyst").send("POST", request_path(r) + "/packages/uploads", R"({"size": 1000})");
  EXPECT_TRUE(IsProblem(early, 409, "illegal-transition"));
  EXPECT_TRUE(get_json(officer, request_path(r) + "/attachments")["items"].empty());
  EXPECT_TRUE(get_json(officer, request_path(r) + "/packages")["items"].empty());
}

TEST_F(Lifecycle, BothSidesTalkButAuditorsDoNot) {
  HubClient officer = as("officer");
  HubClient police_admin = as("police_admin");
  auto [auditor_user, auditor_token] =
      make_user(hub(), police_admin, hub().org_id("police"), "auditor.lifecycle@police.example.org",
                {"auditor"});
  HubClient auditor(hub().base_url(), auditor_token);
  json r = create_request(hub(), officer);
  submit_signed(hub(), r);
  std::string path = request_path(r) + "/messages";

  auto m1 = officer.send("POST", path, R"({"body":"Please treat this as urgent."})");
  ASSERT_EQ(m1.status, 201) << m1.body;
  EXPECT_EQ(body_of(m1)["author_user_id"], hub().user_id("officer"));
  auto m2 = as("analyst").send("POST", path, R"({"body":"Noted; we will answer within 10 days."})");
  ASSERT_EQ(m2.status, 201) << m2.body;
  EXPECT_EQ(body_of(m2)["author_org_id"], hub().org_id("provider"));

  EXPECT_TRUE(
      IsProblem(auditor.send("POST", path, R"({"body":"I am watching."})"), 403, "forbidden"));
  EXPECT_TRUE(
      IsProblem(as("provider_admin").send("POST", path, R"({"body":"admin"})"), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(officer.send("POST", path, R"({"body":""})"), 422, "validation-failed",
                        "body", "must not be empty"));
  EXPECT_TRUE(IsProblem(officer.send("POST", path, R"({})"), 422, "validation-failed", "body",
                        "is required"));
  EXPECT_TRUE(IsProblem(officer.send("POST", path, json{{"body", std::string(20001, 'm')}}.dump()),
                        422, "validation-failed", "body", "longer than"));

  json list = get_json(auditor, path);
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["id"], body_of(m1)["id"]);
  EXPECT_EQ(list["items"][1]["id"], body_of(m2)["id"]);
  EXPECT_EQ(get_json(officer, request_path(r))["status"], "submitted");
}

TEST_F(Lifecycle, IdempotentCreate) {
  HubClient officer = as("officer");
  auto count = [&] { return get_json(officer, "/api/v1/requests?limit=500")["items"].size(); };
  std::size_t before = count();
  std::string draft = hub().example_draft().dump();
  auto key = headers({{"Idempotency-Key", "create-7f3e2a"}});

  auto first = officer.send("POST", "/api/v1/requests", draft, "application/json", key);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.headers.get("Idempotent-Replayed").has_value());
  auto second = officer.send("POST", "/api/v1/requests", draft, "application/json", key);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.headers.get("Idempotent-Replayed"), std::optional<std::string>("true"));
  EXPECT_EQ(body_of(second)["id"], body_of(first)["id"]);
  EXPECT_EQ(second.headers.get("Location"), first.headers.get("Location"));
  EXPECT_EQ(second.headers.get("ETag"), first.headers.get("ETag"));
  EXPECT_EQ(count(), before + 1);

  // The same key with a different body is a conflict, and creates nothing.
  json changed = hub().example_draft();
  changed["issuer_reference"] = "NPCU-2026-0143";
  auto third = officer.send("POST", "/api/v1/requests", changed.dump(), "application/json", key);
  EXPECT_TRUE(
      IsProblem(third, 409, "conflict", "Idempotency-Key", "already used for a different request"));
  EXPECT_EQ(count(), before + 1);

  // Keys belong to their user: the supervisor's same key is a new request.
  auto other = as("supervisor").send("POST", "/api/v1/requests", draft, "application/json", key);
  EXPECT_EQ(other.status, 201) << other.body;
  EXPECT_NE(body_of(other)["id"], body_of(first)["id"]);
  EXPECT_EQ(count(), before + 2);
}

TEST_F(Lifecycle, IdempotentMessage) {
  HubClient officer = as("officer");
  json r = create_request(hub(), officer);
  std::string path = request_path(r) + "/messages";
  auto key = headers({{"Idempotency-Key", "msg-1"}});
  auto first = officer.send("POST", path, R"({"body":"one"})", "application/json", key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto second = officer.send("POST", path, R"({"body":"one"})", "application/json", key);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.headers.get("Idempotent-Replayed"), std::optional<std::string>("true"));
  EXPECT_EQ(body_of(second)["id"], body_of(first)["id"]);
  EXPECT_TRUE(IsProblem(officer.send("POST", path, R"({"body":"two"})", "application/json", key),
                        409, "conflict", "Idempotency-Key"));
  // A key used for a message cannot be replayed as a request either.
  EXPECT_TRUE(IsProblem(officer.send("POST", "/api/v1/requests", hub().example_draft().dump(),
                                     "application/json", key),
                        409, "conflict", "Idempotency-Key"));
  EXPECT_EQ(get_json(officer, path)["items"].size(), 1u);
}

TEST_F(Lifecycle, ETagsAndIfMatch) {
  HubClient officer = as("officer");
  json r = create_request(hub(), officer);
  json signed_once = sign_as(hub(), "officer", r);
  EXPECT_EQ(signed_once["version"], r["version"].get<int>() + 1) << "a signature is a change";
  // Its route needs a prosecutor's validation: asking and co-signing are changes too.
  r = testing::validate_by_prosecutor(hub(), signed_once);
  EXPECT_EQ(r["version"], signed_once["version"].get<int>() + 2);
  auto got = officer.send("GET", request_path(r));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.headers.get("ETag"),
            std::optional<std::string>("\"" + std::to_string(r["version"].get<int>()) + "\""));
  EXPECT_EQ(got.headers.get("Content-Type"), std::optional<std::string>("application/json"));
  EXPECT_EQ(got.headers.get("Cache-Control"), std::optional<std::string>("no-store"));

  std::int64_t v = r["version"];
  auto stale = officer.send("POST", request_path(r) + "/actions", R"({"action":"submit"})",
                            "application/json", if_match(v + 1));
  EXPECT_TRUE(IsProblem(stale, 412, "precondition-failed"));
  stale = officer.send("POST", request_path(r) + "/actions", R"({"action":"submit"})",
                       "application/json", if_match(v - 1));
  EXPECT_TRUE(IsProblem(stale, 412, "precondition-failed"));
  json unchanged = get_json(officer, request_path(r));
  EXPECT_EQ(unchanged["status"], "draft");
  EXPECT_EQ(unchanged["version"], v);
  // created, signed, validation_requested, signed
  EXPECT_EQ(get_json(officer, request_path(r) + "/events")["items"].size(), 4u);

  auto ok = officer.send("POST", request_path(r) + "/actions", R"({"action":"submit"})",
                         "application/json", if_match(v));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.headers.get("ETag"),
            std::optional<std::string>("\"" + std::to_string(v + 1) + "\""));
  EXPECT_EQ(body_of(ok)["version"], v + 1);
  // If-Match compares strongly (RFC 9110 §13.1.1): a weak ETag never matches,
  // and "*" matches whatever the current version is.
  auto weak = officer.send("POST", request_path(r) + "/actions", R"({"action":"cancel"})",
                           "application/json",
                           headers({{"If-Match", "W/\"" + std::to_string(v + 1) + "\""}}));
  EXPECT_TRUE(IsProblem(weak, 412, "precondition-failed"));
  EXPECT_EQ(get_json(officer, request_path(r))["status"], "submitted");
  auto any = officer.send("POST", request_path(r) + "/actions", R"({"action":"cancel"})",
                          "application/json", headers({{"If-Match", "*"}}));
  EXPECT_EQ(any.status, 200) << any.body;
  EXPECT_EQ(any.headers.get("ETag"),
            std::optional<std::string>("\"" + std::to_string(v + 2) + "\""));
}

TEST(LifecyclePaging, SevenRequestsInPagesOfThree) {
  HubProcess hub;
  HubClient officer(hub.base_url(), hub.token("officer"));
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) created.insert(create_request(hub, officer)["id"].get<std::string>());
  ASSERT_EQ(created.size(), 7u);

  std::vector<std::size_t> sizes;
  std::vector<std::string> seen;
  std::string query = "/api/v1/requests?limit=3";
  for (int page = 0; page < 5; ++page) {
    json body = get_json(officer, query);
    sizes.push_back(body["items"].size());
    for (const auto& item : body["items"]) seen.push_back(item["id"]);
    if (body["next_cursor"].is_null()) break;
    query = "/api/v1/requests?limit=3&cursor=" + body["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
  EXPECT_EQ(seen.size(), 7u);  // no duplicates

  // A page that ends exactly at the last request has no next cursor, or an empty next page.
  json all = get_json(officer, "/api/v1/requests?limit=7");
  EXPECT_EQ(all["items"].size(), 7u);
  if (!all["next_cursor"].is_null()) {
    EXPECT_TRUE(get_json(officer, "/api/v1/requests?cursor=" +
                                      all["next_cursor"].get<std::string>())["items"]
                    .empty());
  }
}

TEST(LifecycleFilters, StatusKindAndDeadline) {
  HubProcess hub;
  HubClient officer(hub.base_url(), hub.token("officer"));
  std::string soon = days_from_now(10);
  std::string late = days_from_now(20);
  json draft_soon = create_request(hub, officer, {{"deadline", soon}});
  json sent_late = create_request(hub, officer, {{"deadline", late}});
  submit_signed(hub, sent_late);
  json preservation = create_request(hub, officer, {{"kind", "preservation"}});
  submit_signed(hub, preservation);
  json cancelled = create_request(hub, officer);
  act_ok(officer, cancelled, "cancel");

  auto ids = [&](const std::string& query) {
    std::set<std::string> out;
    json list = get_json(officer, "/api/v1/requests" + query);
    for (const auto& item : list["items"]) out.insert(item["id"]);
    return out;
  };
  auto id = [](const json& r) { return r["id"].get<std::string>(); };

  EXPECT_EQ(ids("?status=draft"), std::set<std::string>{id(draft_soon)});
  EXPECT_EQ(ids("?status=submitted"), (std::set<std::string>{id(sent_late), id(preservation)}));
  EXPECT_EQ(ids("?status=draft,cancelled"), (std::set<std::string>{id(draft_soon), id(cancelled)}));
  EXPECT_EQ(ids("?kind=preservation"), std::set<std::string>{id(preservation)});
  EXPECT_EQ(ids("?kind=production&status=submitted"), std::set<std::string>{id(sent_late)});
  // Once submitted, the provider's deadline under the request's route (an
  // EPOC: 10 days) comes before the authority's own 20 days.
  EXPECT_EQ(ids("?deadline_before=" + days_from_now(15)),
            (std::set<std::string>{id(draft_soon), id(sent_late)}));
  EXPECT_EQ(ids("?deadline_before=" + days_from_now(30)),
            (std::set<std::string>{id(draft_soon), id(sent_late)}));
  EXPECT_TRUE(ids("?deadline_before=" + days_from_now(5)).empty());
  EXPECT_TRUE(ids("?kind=emergency_disclosure").empty());
  EXPECT_EQ(ids("").size(), 4u);
}

}  // namespace
}  // namespace liaison
