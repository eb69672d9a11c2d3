// Legal holds, gag orders and the user-notification task, deadlines and
// reminders over HTTP, against a real hub. The hub's own sweep runs only when
// it starts; the tests run `liaison sweep` on its data directory when they
// want the sweeps to have happened.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>

#include "api/api_helpers.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

std::string seconds_from_now(std::int64_t seconds) {
  return format_rfc3339(
      Timestamp::from_seconds(static_cast<std::int64_t>(std::time(nullptr)) + seconds));
}
std::string days_from_now(int days) { return seconds_from_now(days * 86400LL); }

class Holds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"--expiry-interval", "3600"});
    HubClient admin(hub_->base_url(), hub_->admin_token());
    json other = make_provider(admin, "Other Cloud GmbH", "OTHERCLOUD-HOLDS");
    other_analyst_ =
        make_user(*hub_, admin, other["id"], "analyst@holds.example.com", json{"analyst"}).second;
  }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) {
    if (who == "other_analyst") return HubClient(hub_->base_url(), other_analyst_);
    return HubClient(hub_->base_url(), hub_->token(who));
  }

  // Runs the hub's sweeps once, as `serve` does periodically.
  json sweep(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"sweep", "--data", hub().data_dir().string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = testing::run_liaison(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  json submitted(const json& patch = json::object()) {
    json r = create_request(hub(), as("officer"), patch);
    submit_signed(hub(), r);
    return get_json(as("officer"), request_path(r));
  }

  json accepted(const json& patch = json::object()) {
    json r = submitted(patch);
    act_ok(as("analyst"), r, "acknowledge");
    return act_ok(as("analyst"), r, "accept");
  }

  // A preservation request the provider preserved until `until`.
  json preserved(const std::string& until) {
    json r = accepted(
        {{"kind", "preservation"},
         {"period", {{"start", "2026-10-01T00:00:00Z"}, {"end", "2026-10-31T00:00:00Z"}}}});
    return act_ok(as("analyst"), r, "preserve", {{"preserved_until", until}});
  }

  std::vector<std::string> event_types(const json& r) {
    std::vector<std::string> out;
    json events = get_json(as("officer"), request_path(r) + "/events");
    for (const auto& e : events["items"]) out.push_back(e["type"]);
    return out;
  }

  std::vector<std::string> ledger_types(const json& r) {
    std::vector<std::string> out;
    json view = get_json(as("officer"), request_path(r));
    for (const auto& e : view["ledger"]) {
      json entry = json::parse(e["entry"].get<std::string>());
      out.push_back(entry["type"]);
    }
    return out;
  }

  static std::unique_ptr<HubProcess> hub_;
  static std::string other_analyst_;
};

std::unique_ptr<HubProcess> Holds::hub_;
std::string Holds::other_analyst_;

std::string hold_path(const json& hold) { return "/api/v1/holds/" + hold["id"].get<std::string>(); }

TEST_F(Holds, PreserveMakesAHoldWithTheRequestsScope) {
  std::string until = days_from_now(30);
  json r = preserved(until);
  ASSERT_EQ(r["holds"].size(), 1u) << r;
  json hold = r["holds"][0];
  EXPECT_EQ(hold["status"], "active");
  EXPECT_EQ(hold["expires_at"], until);
  EXPECT_EQ(hold["request_id"], r["id"]);
  EXPECT_EQ(hold["provider_org_id"], hub().org_id("provider"));
  EXPECT_EQ(hold["issuer_org_id"], hub().org_id("police"));
  EXPECT_EQ(hold["created_by"], hub().user_id("analyst"));
  EXPECT_EQ(hold["scope"]["categories"], r["categories"]);
  ASSERT_EQ(hold["scope"]["accounts"].size(), r["targets"].size());
  EXPECT_EQ(hold["scope"]["accounts"][0]["kind"], "email");
  EXPECT_EQ(hold["scope"]["accounts"][0]["value"], "suspect.mailbox@example.org");
  EXPECT_EQ(hold["scope"]["period"],
            json({{"start", "2026-10-01T00:00:00Z"}, {"end", "2026-10-31T00:00:00Z"}}));
  EXPECT_TRUE(hold["renewals"].empty());
  EXPECT_EQ(get_json(as("analyst"), hold_path(hold)), hold);

  auto types = event_types(r);
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(std::vector<std::string>(types.end() - 2, types.end()),
            (std::vector<std::string>{"preserve", "hold_created"}));
  auto ledger = ledger_types(r);
  EXPECT_EQ(std::vector<std::string>(ledger.end() - 2, ledger.end()),
            (std::vector<std::string>{"request.preserved", "hold.created"}));
}

TEST_F(Holds, ExtendRenewsAndReleaseThroughTheRequestReleases) {
  std::string until = days_from_now(30), later = days_from_now(60);
  json r = preserved(until);
  json extended = act_ok(as("officer"), r, "extend", {{"preserved_until", later}});
  json hold = extended["holds"][0];
  EXPECT_EQ(hold["status"], "active");
  EXPECT_EQ(hold["expires_at"], later);
  ASSERT_EQ(hold["renewals"].size(), 1u);
  EXPECT_EQ(hold["renewals"][0]["previous_expiry"], until);
  EXPECT_EQ(hold["renewals"][0]["new_expiry"], later);
  EXPECT_EQ(hold["renewals"][0]["by_user_id"], hub().user_id("officer"));
  EXPECT_EQ(hold["renewals"][0]["by_org_id"], hub().org_id("police"));

  json released = act_ok(as("officer"), r, "release");
  EXPECT_EQ(released["status"], "released");
  hold = released["holds"][0];
  EXPECT_EQ(hold["status"], "released");
  EXPECT_EQ(hold["released_by"], hub().user_id("officer"));
  EXPECT_TRUE(hold["release_reason"].is_null());
  EXPECT_TRUE(hold["released_at"].is_string());

  auto types = event_types(r);
  EXPECT_EQ(std::vector<std::string>(types.end() - 5, types.end()),
            (std::vector<std::string>{"hold_created", "extend", "hold_renewed", "release",
                                      "hold_released"}));
  auto ledger = ledger_types(r);
  EXPECT_EQ(std::vector<std::string>(ledger.end() - 4, ledger.end()),
            (std::vector<std::string>{"request.extended", "hold.renewed", "request.released",
                                      "hold.released"}));
}

TEST_F(Holds, TheProviderReleasesAHoldWithAReasonAndThePreservationEndsWithIt) {
  json r = preserved(days_from_now(30));
  json hold = r["holds"][0];
  std::string path = hold_path(hold) + "/release";
  // Who may not: the authority (which reads it), provider staff without the role, strangers.
  EXPECT_TRUE(
      IsProblem(as("officer").send("POST", path, R"({"reason":"done"})"), 403, "forbidden"));
  EXPECT_TRUE(
      IsProblem(as("provider_admin").send("POST", path, R"({"reason":"done"})"), 403, "forbidden"));
  EXPECT_TRUE(
      IsProblem(as("other_analyst").send("POST", path, R"({"reason":"done"})"), 404, "not-found"));
  EXPECT_TRUE(
      IsProblem(as("prosecutor").send("POST", path, R"({"reason":"done"})"), 404, "not-found"));
  // Bad input names the field.
  EXPECT_TRUE(IsProblem(as("counsel").send("POST", path, "{}"), 422, "validation-failed", "reason",
                        "is required"));
  EXPECT_TRUE(IsProblem(as("counsel").send("POST", path, R"({"reason":""})"), 422,
                        "validation-failed", "reason", "is required"));
  EXPECT_TRUE(IsProblem(as("counsel").send("POST", path, R"({"reason":7})"), 422,
                        "validation-failed", "reason"));
  EXPECT_TRUE(IsProblem(as("counsel").send("POST", path, R"({"reason":"x","why":"y"})"), 422,
                        "validation-failed", "why"));
  EXPECT_EQ(get_json(as("officer"), request_path(r))["status"], "preserved");

  auto ok = as("counsel").send(
      "POST", path, R"({"reason":"the production order was answered; nothing more to keep"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  json released = body_of(ok);
  EXPECT_EQ(released["status"], "released");
  EXPECT_EQ(released["released_by"], hub().user_id("counsel"));
  EXPECT_EQ(released["release_reason"], "the production order was answered; nothing more to keep");
  json now = get_json(as("officer"), request_path(r));
  EXPECT_EQ(now["status"], "released");
  EXPECT_EQ(now["holds"][0], released);

  // Released once: again is an illegal transition, and nothing changes.
  EXPECT_TRUE(IsProblem(as("analyst").send("POST", path, R"({"reason":"again"})"), 409,
                        "illegal-transition"));
  auto types = event_types(r);
  EXPECT_EQ(std::vector<std::string>(types.end() - 2, types.end()),
            (std::vector<std::string>{"release", "hold_released"}));
  json events = get_json(as("officer"), request_path(r) + "/events");
  EXPECT_EQ(events["items"].back()["actor_org_id"], hub().org_id("provider"));
  EXPECT_EQ(events["items"].back()["note"],
            "the production order was answered; nothing more to keep");
  auto ledger = ledger_types(r);
  EXPECT_EQ(ledger.back(), "hold.released");
}

TEST_F(Holds, AProviderReleasingThroughTheRequestSaysWhy) {
  json r = preserved(days_from_now(30));
  EXPECT_TRUE(
      IsProblem(act(as("analyst"), r, "release"), 422, "validation-failed", "note", "say why"));
  json released = act_ok(as("analyst"), r, "release", {{"note", "the account was closed"}});
  EXPECT_EQ(released["holds"][0]["status"], "released");
  EXPECT_EQ(released["holds"][0]["release_reason"], "the account was closed");
}

TEST_F(Holds, OnlyThePartiesSeeAHoldAndListsFilter) {
  json soon = preserved(days_from_now(10));
  json late = preserved(days_from_now(80));
  json s = soon["holds"][0], l = late["holds"][0];
  // The provider and the issuing authority see it; the others are told it does not exist.
  for (const char* who : {"analyst", "counsel", "provider_admin", "officer", "police_admin"})
    EXPECT_EQ(as(who).send("GET", hold_path(s)).status, 200) << who;
  for (const char* who : {"other_analyst", "prosecutor"})
    EXPECT_TRUE(IsProblem(as(who).send("GET", hold_path(s)), 404, "not-found")) << who;
  EXPECT_TRUE(IsProblem(HubClient(hub().base_url(), hub().admin_token()).send("GET", hold_path(s)),
                        404, "not-found"));
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", "/api/v1/holds/not-a-uuid"), 422,
                        "validation-failed", "id"));

  auto ids = [&](const std::string& who, const std::string& query) {
    std::set<std::string> out;
    json page = get_json(as(who), "/api/v1/holds?limit=500" + query);
    for (const auto& h : page["items"]) out.insert(h["id"].get<std::string>());
    return out;
  };
  std::string si = s["id"], li = l["id"];
  for (const char* who : {"analyst", "officer"}) {
    auto all = ids(who, "");
    EXPECT_TRUE(all.count(si) && all.count(li)) << who;
    auto expiring = ids(who, "&status=active&expiring_before=" + days_from_now(30));
    EXPECT_TRUE(expiring.count(si)) << who;
    EXPECT_FALSE(expiring.count(li)) << who;
  }
  EXPECT_TRUE(ids("other_analyst", "").empty());
  EXPECT_TRUE(ids("prosecutor", "").empty());
  EXPECT_FALSE(ids("analyst", "&status=released").count(si));
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", "/api/v1/holds?status=kept"), 422,
                        "validation-failed", "status"));
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", "/api/v1/holds?expiring_before=soon"), 422,
                        "validation-failed", "expiring_before"));
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", "/api/v1/holds?sort=asc"), 422,
                        "validation-failed", "sort"));
  EXPECT_TRUE(
      IsProblem(HubClient(hub().base_url(), hub().admin_token()).send("GET", "/api/v1/holds"), 403,
                "forbidden"));

  // Pages follow the cursor, newest first, without repeats.
  json first = get_json(as("analyst"), "/api/v1/holds?limit=1");
  ASSERT_EQ(first["items"].size(), 1u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  json second = get_json(as("analyst"),
                         "/api/v1/holds?limit=1&cursor=" + first["next_cursor"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_NE(first["items"][0]["id"], second["items"][0]["id"]);
  EXPECT_EQ(first["items"][0]["id"], l["id"]);
}

TEST_F(Holds, TheUserNotificationTaskAppearsOnceTheGagLapsesAndOnlyOnce) {
  json lapsing = accepted({{"non_disclosure_until", seconds_from_now(-60)}});
  json gagged = accepted({{"non_disclosure_until", days_from_now(30)}});
  json ungagged = accepted();
  json cancelled = submitted({{"non_disclosure_until", seconds_from_now(-60)}});
  act_ok(as("officer"), cancelled, "cancel");

  // Before the sweep: the task does not exist, and notify_user is refused with what is allowed.
  EXPECT_EQ(lapsing["user_notification"],
            json({{"permitted_at", nullptr}, {"notified_at", nullptr}, {"notified_by", nullptr}}));
  EXPECT_TRUE(ungagged["user_notification"].is_null());
  auto early = act(as("analyst"), lapsing, "notify_user", {{"note", "told"}});
  ASSERT_TRUE(IsProblem(early, 409, "illegal-transition"));
  EXPECT_EQ(body_of(early)["allowed_actions"], json({"reject", "produce", "not_available"}));

  sweep();
  sweep();  // a second sweep gives no second task
  json now = get_json(as("analyst"), request_path(lapsing));
  ASSERT_TRUE(now["user_notification"]["permitted_at"].is_string()) << now;
  EXPECT_TRUE(now["user_notification"]["notified_at"].is_null());
  EXPECT_EQ(now["allowed_actions"], json({"reject", "produce", "not_available", "notify_user"}));
  EXPECT_EQ(now["status"], "accepted");
  auto types = event_types(lapsing);
  EXPECT_EQ(std::count(types.begin(), types.end(), "user_notification_permitted"), 1);
  auto ledger = ledger_types(lapsing);
  EXPECT_EQ(std::count(ledger.begin(), ledger.end(), "request.user_notification_permitted"), 1);
  // The authority sees the task, but it is the provider's to do.
  EXPECT_TRUE(
      IsProblem(act(as("officer"), lapsing, "notify_user", {{"note", "x"}}), 403, "forbidden"));

  for (const json* r : {&gagged, &ungagged}) {
    json v = get_json(as("analyst"), request_path(*r));
    EXPECT_TRUE(v["user_notification"].is_null() ||
                v["user_notification"]["permitted_at"].is_null())
        << v;
    EXPECT_TRUE(IsProblem(act(as("analyst"), *r, "notify_user", {{"note", "x"}}), 409,
                          "illegal-transition"));
  }
  json withdrawn = get_json(as("analyst"), request_path(cancelled));
  EXPECT_TRUE(withdrawn["user_notification"]["permitted_at"].is_null())
      << "a request cancelled before its gag lapsed gets no task";

  // Marking it done needs a note, then records who and when, once.
  EXPECT_TRUE(
      IsProblem(act(as("analyst"), lapsing, "notify_user"), 422, "validation-failed", "note"));
  json done = act_ok(as("counsel"), lapsing, "notify_user",
                     {{"note", "told the account holder by e-mail on the provider's form"}});
  EXPECT_EQ(done["status"], "accepted");
  EXPECT_TRUE(done["user_notification"]["notified_at"].is_string());
  EXPECT_EQ(done["user_notification"]["notified_by"], hub().user_id("counsel"));
  EXPECT_TRUE(IsProblem(act(as("analyst"), lapsing, "notify_user", {{"note", "again"}}), 409,
                        "illegal-transition"));
  types = event_types(lapsing);
  EXPECT_EQ(types.back(), "notify_user");
  EXPECT_EQ(ledger_types(lapsing).back(), "request.user_notified");
}

TEST_F(Holds, TheDueListShowsWhatIsOverdueOrDueInTheWindowEarliestFirst) {
  json in10 = submitted({{"deadline", seconds_from_now(10LL * 3600)}});
  json in30 = submitted({{"deadline", seconds_from_now(30LL * 3600)}});
  json in100 = submitted({{"deadline", seconds_from_now(100LL * 3600)}});
  json kept = preserved(days_from_now(3));

  auto refs = [&](const std::string& who, const std::string& within) {
    std::vector<std::string> out;
    json page = get_json(as(who), "/api/v1/deadlines" + within);
    for (const auto& d : page["items"]) out.push_back(d["reference"].get<std::string>());
    return out;
  };
  auto position = [](const std::vector<std::string>& v, const json& r) {
    return std::find(v.begin(), v.end(), r["reference"].get<std::string>()) - v.begin();
  };
  for (const char* who : {"officer", "analyst"}) {
    auto dflt = refs(who, "");
    EXPECT_LT(position(dflt, in10), position(dflt, in30)) << who;
    EXPECT_EQ(position(dflt, in100), static_cast<long>(dflt.size())) << who << ": not in 48 h";
    EXPECT_EQ(position(dflt, kept), static_cast<long>(dflt.size())) << who;
    auto week = refs(who, "?within=P7D");
    EXPECT_LT(position(week, in10), position(week, in30)) << who;
    EXPECT_LT(position(week, in30), position(week, kept)) << who;
    EXPECT_LT(position(week, kept), position(week, in100)) << who;
    auto hours = refs(who, "?within=PT12H");
    EXPECT_LT(position(hours, in10), static_cast<long>(hours.size())) << who;
    EXPECT_EQ(position(hours, in30), static_cast<long>(hours.size())) << who;
  }
  json page = get_json(as("officer"), "/api/v1/deadlines?within=P7D");
  EXPECT_EQ(page["within"], "P7D");
  for (const auto& d : page["items"]) {
    if (d["reference"] == in10["reference"]) {
      EXPECT_EQ(d["kind"], "response");
      EXPECT_EQ(d["owed_by"], "provider");
      EXPECT_EQ(d["overdue"], false);
      EXPECT_EQ(d["at"], in10["deadline"]);
      EXPECT_EQ(d["due_rule"], "the deadline the issuing authority set in the request");
    }
    if (d["reference"] == kept["reference"]) {
      EXPECT_EQ(d["kind"], "preservation_expiry");
      EXPECT_EQ(d["owed_by"], "authority");
      EXPECT_EQ(d["at"], kept["preserved_until"]);
    }
  }
  // Nobody else's deadlines.
  EXPECT_TRUE(get_json(as("other_analyst"), "/api/v1/deadlines?within=P30D")["items"].empty());
  EXPECT_TRUE(get_json(as("prosecutor"), "/api/v1/deadlines?within=P30D")["items"].empty());
  EXPECT_TRUE(
      IsProblem(HubClient(hub().base_url(), hub().admin_token()).send("GET", "/api/v1/deadlines"),
                403, "forbidden"));
  for (const char* bad : {"48", "PT", "P1Y", "PT-1H", "P2DT", "48h"}) {
    EXPECT_TRUE(IsProblem(as("officer").send("GET", std::string("/api/v1/deadlines?within=") + bad),
                          422, "validation-failed", "within"))
        << bad;
  }
  EXPECT_TRUE(IsProblem(as("officer").send("GET", "/api/v1/deadlines?within=P400D"), 422,
                        "validation-failed", "within", "P366D"));
}

TEST_F(Holds, TheSweepMakesEachReminderOnceForTheOrganisationItConcerns) {
  json due_soon = submitted({{"deadline", seconds_from_now(30LL * 3600)}});
  json kept = preserved(days_from_now(3));
  json lapsed = accepted({{"non_disclosure_until", seconds_from_now(-60)}});

  // With a 48-hour lead the 30-hour deadline is due soon; the preservation is
  // within the default seven days of its end.
  sweep({"--remind-response-hours", "48"});
  json repeat = sweep({"--remind-response-hours", "48"});
  EXPECT_EQ(repeat["reminders_made"], 0) << repeat;

  auto reminders_of = [&](const std::string& who, const json& r) {
    std::vector<json> out;
    json page = get_json(as(who), "/api/v1/reminders");
    for (const auto& m : page["items"]) {
      if (m["request_id"] == r["id"]) out.push_back(m);
    }
    return out;
  };
  auto provider_side = reminders_of("analyst", due_soon);
  ASSERT_EQ(provider_side.size(), 1u);
  EXPECT_EQ(provider_side[0]["kind"], "response_due_soon");
  EXPECT_EQ(provider_side[0]["due_at"], due_soon["deadline"]);
  EXPECT_EQ(provider_side[0]["org_id"], hub().org_id("provider"));
  EXPECT_TRUE(reminders_of("officer", due_soon).empty()) << "the response is the provider's";

  auto authority_side = reminders_of("officer", kept);
  ASSERT_EQ(authority_side.size(), 1u);
  EXPECT_EQ(authority_side[0]["kind"], "preservation_expiring");
  EXPECT_EQ(authority_side[0]["due_at"], kept["preserved_until"]);
  EXPECT_TRUE(reminders_of("analyst", kept).empty());

  auto task = reminders_of("analyst", lapsed);
  ASSERT_EQ(task.size(), 1u);
  EXPECT_EQ(task[0]["kind"], "user_notification_permitted");
  EXPECT_TRUE(reminders_of("other_analyst", lapsed).empty());

  // Delivery: the organisation's admin marks it; case staff and others may not.
  std::string path =
      "/api/v1/reminders/" + provider_side[0]["id"].get<std::string>() + "/delivered";
  EXPECT_TRUE(IsProblem(as("analyst").send("POST", path, ""), 403, "forbidden"));
  EXPECT_TRUE(IsProblem(as("officer").send("POST", path, ""), 404, "not-found"));
  EXPECT_TRUE(IsProblem(as("other_analyst").send("POST", path, ""), 404, "not-found"));
  auto marked = as("provider_admin").send("POST", path, "{}");
  ASSERT_EQ(marked.status, 200) << marked.body;
  json delivered = body_of(marked);
  EXPECT_TRUE(delivered["delivered_at"].is_string());
  EXPECT_EQ(delivered["delivered_by"], hub().user_id("provider_admin"));
  auto again = as("provider_admin").send("POST", path, "");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(body_of(again)["delivered_at"], delivered["delivered_at"]) << "marked once";

  bool listed = false;
  json undelivered = get_json(as("analyst"), "/api/v1/reminders?undelivered=true");
  for (const auto& m : undelivered["items"]) listed = listed || m["id"] == delivered["id"];
  EXPECT_FALSE(listed) << "a delivered reminder is not undelivered";
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", "/api/v1/reminders?undelivered=yes"), 422,
                        "validation-failed", "undelivered"));
  EXPECT_TRUE(
      IsProblem(HubClient(hub().base_url(), hub().admin_token()).send("GET", "/api/v1/reminders"),
                403, "forbidden"));
}

}  // namespace
}  // namespace liaison
