// Co-signatures from the legal route, through the API: what a police draft
// needs before it may be sent, asking a prosecutor's office to validate it,
// what that office's validator may then see and do, and what receipt finds
// when the validation is missing or comes from the wrong kind of authority.
#include <gtest/gtest.h>

#include "api/api_helpers.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

class Validation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = new HubProcess(); }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }
  static HubProcess& hub() { return *hub_; }
  static HubClient as(const std::string& who) {
    return HubClient(hub_->base_url(), hub_->token(who));
  }
  static HubClient admin() { return HubClient(hub_->base_url(), hub_->admin_token()); }

  static ClientResponse ask(const json& request, const json& org_id) {
    return as("officer").send("PUT", request_path(request) + "/validator",
                              json{{"organisation_id", org_id}}.dump());
  }
  static json authority(const std::string& name, const std::string& country,
                        const std::string& endpoint, const json& type) {
    json body = {
        {"kind", "authority"}, {"name", name}, {"country", country}, {"endpoint_uid", endpoint}};
    if (!type.is_null()) body["authority_type"] = type;
    auto r = admin().send("POST", "/api/v1/organisations", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r);
  }

  static HubProcess* hub_;
};
HubProcess* Validation::hub_ = nullptr;

TEST_F(Validation, APoliceEpocNeedsAProsecutorOrJudgeAndCannotBeSentWithout) {
  json r = create_request(hub(), as("officer"));
  ASSERT_EQ(r["route"], "eu-2023-1543/epoc-subscriber");
  json view = get_json(as("officer"), request_path(r));
  const json& needs = view["signatures_required"];
  EXPECT_EQ(needs["validators"], 1);
  EXPECT_EQ(needs["validator_types"], json({"judge", "prosecutor"}));
  EXPECT_EQ(needs["supervisors"], 0);
  EXPECT_NE(needs["basis"].get<std::string>().find("eu-2023-1543/epoc-subscriber"),
            std::string::npos);
  EXPECT_EQ(needs["ready"], false);
  ASSERT_EQ(needs["missing"].size(), 2u) << needs;  // the officer's signature, the validation
  EXPECT_TRUE(view["validator"].is_null());

  json signed_view = sign_as(hub(), "officer", r);
  EXPECT_EQ(signed_view["signatures_required"]["signed"]["officers"], 1);
  ASSERT_EQ(signed_view["signatures_required"]["missing"].size(), 1u);
  EXPECT_NE(signed_view["signatures_required"]["missing"][0].get<std::string>().find(
                "validator's co-signature by a judge or prosecutor"),
            std::string::npos);

  // Refused while it can still be completed: nothing is sent, nothing is quarantined.
  EXPECT_TRUE(IsProblem(act(as("officer"), r, "submit"), 422, "validation-failed", "signatures",
                        "judge or prosecutor"));
  json still = get_json(as("officer"), request_path(r));
  EXPECT_EQ(still["status"], "draft");
  EXPECT_EQ(still["version"], signed_view["version"]);
  EXPECT_TRUE(still["verification"].is_null());
}

TEST_F(Validation, OnlyAnotherAuthorityOfTheRightKindAndCountryIsAsked) {
  json r = create_request(hub(), as("officer"));
  auto refused = [&](const json& org_id, const std::string& why) {
    EXPECT_TRUE(IsProblem(ask(r, org_id), 422, "validation-failed", "organisation_id", why)) << why;
  };
  refused(hub().org_id("police"), "is the issuing organisation");
  refused(hub().org_id("provider"), "is not an authority");
  refused("01890a5d-ac96-774b-bcce-000000000000", "no organisation with this id");
  refused(authority("Harbour Police", "NL", "HARBPOL", "police")["id"], "registered as police");
  refused(authority("Untyped Office", "NL", "UNTYPED", nullptr)["id"],
          "no recorded kind of authority");
  refused(authority("Example Parquet", "BE", "EXPARQ", "prosecutor")["id"], "is in BE");
  EXPECT_TRUE(IsProblem(as("officer").send("PUT", request_path(r) + "/validator", R"({})"), 422,
                        "validation-failed", "organisation_id", "is required"));
  EXPECT_TRUE(IsProblem(
      as("officer").send("PUT", request_path(r) + "/validator", R"({"organisation_id":7})"), 422,
      "validation-failed", "organisation_id"));
  EXPECT_TRUE(IsProblem(as("officer").send("PUT", request_path(r) + "/validator",
                                           R"({"organisation_id":null,"note":"x"})"),
                        422, "validation-failed", "note", "unknown field"));
  // None of that changed the draft.
  json view = get_json(as("officer"), request_path(r));
  EXPECT_EQ(view["version"], r["version"]);
  EXPECT_TRUE(view["validator"].is_null());

  // A court of the same State is as good as the prosecutor's office.
  json court = authority("Northport District Court", "NL", "NPDC", "judge");
  auto asked = ask(r, court["id"]);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(body_of(asked)["validator"]["endpoint_uid"], "NPDC");
}

TEST_F(Validation, TheAskedValidatorSeesAndCoSignsTheDraftAndNothingElse) {
  HubClient officer = as("officer"), prosecutor = as("prosecutor");
  json r = create_request(hub(), officer);
  sign_as(hub(), "officer", r);
  // Not asked yet: the prosecutor's office does not know the draft exists.
  EXPECT_TRUE(IsProblem(prosecutor.send("GET", request_path(r)), 404, "not-found"));

  auto asked = ask(r, hub().org_id("prosecutor"));
  ASSERT_EQ(asked.status, 200) << asked.body;
  json seen = get_json(prosecutor, request_path(r));
  EXPECT_EQ(seen["validator"]["endpoint_uid"], "NPPO");
  EXPECT_EQ(seen["allowed_actions"], json::array());
  bool listed = false;
  json list = get_json(prosecutor, "/api/v1/requests");
  for (const auto& item : list["items"]) listed = listed || item["id"] == r["id"];
  EXPECT_TRUE(listed);
  // It reads and co-signs; it does not act, write, or choose who validates.
  EXPECT_TRUE(IsProblem(act(prosecutor, r, "cancel"), 403, "forbidden"));
  EXPECT_TRUE(
      IsProblem(prosecutor.send("POST", request_path(r) + "/messages", R"({"body":"looks fine"})"),
                403, "forbidden"));
  EXPECT_TRUE(IsProblem(prosecutor.send("PUT", request_path(r) + "/validator",
                                        json{{"organisation_id", nullptr}}.dump()),
                        403, "forbidden"));
  // Only its validators: a colleague there in another role does not see it.
  auto clerk = make_user(hub(), admin(), hub().org_id("prosecutor"),
                         "office.clerk@prosecution.example.org", {"officer"});
  EXPECT_TRUE(IsProblem(HubClient(hub().base_url(), clerk.second).send("GET", request_path(r)), 404,
                        "not-found"));

  json validated = sign_as(hub(), "prosecutor", r, "validator");
  EXPECT_EQ(validated["signatures_required"]["ready"], true) << validated["signatures_required"];
  EXPECT_EQ(validated["signatures_required"]["signed"]["validators"], 1);
  json sent = act_ok(officer, r, "submit");
  ASSERT_EQ(sent["status"], "submitted") << sent["quarantine_reason"];
  bool validator_verified = false;
  for (const auto& s : sent["verification"]["signers"])
    validator_verified = validator_verified || (s["role"] == "validator" && s["valid"] == true);
  EXPECT_TRUE(validator_verified) << sent["verification"];
  // Sent: the case is the police's and the provider's now.
  EXPECT_TRUE(IsProblem(prosecutor.send("GET", request_path(r)), 404, "not-found"));

  std::vector<std::string> types;
  json events = get_json(officer, request_path(r) + "/events");
  for (const auto& e : events["items"]) types.push_back(e["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"created", "signed", "validation_requested", "signed",
                                             "submit"}));
}

TEST_F(Validation, AskingAgainChangesNothingAndWithdrawingHidesTheDraft) {
  json r = create_request(hub(), as("officer"));
  ASSERT_EQ(ask(r, hub().org_id("prosecutor")).status, 200);
  json once = get_json(as("officer"), request_path(r));
  ASSERT_EQ(ask(r, hub().org_id("prosecutor")).status, 200);
  EXPECT_EQ(get_json(as("officer"), request_path(r))["version"], once["version"]);
  auto withdrawn = ask(r, nullptr);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_TRUE(body_of(withdrawn)["validator"].is_null());
  EXPECT_TRUE(IsProblem(as("prosecutor").send("GET", request_path(r)), 404, "not-found"));
  json events = get_json(as("officer"), request_path(r) + "/events")["items"];
  ASSERT_EQ(events.size(), 3u);
  EXPECT_NE(events[2]["note"].get<std::string>().find("withdrew"), std::string::npos);
  // After submission no one is asked any more.
  json sent = create_request(hub(), as("officer"));
  submit_signed(hub(), sent);
  EXPECT_TRUE(IsProblem(ask(sent, hub().org_id("prosecutor")), 409, "conflict"));
}

TEST_F(Validation, AnEmergencyByThePoliceNeedsItsSupervisorNowAndValidationAfterwards) {
  json r =
      create_request(hub(), as("officer"),
                     {{"kind", "emergency_disclosure"},
                      {"emergency_justification",
                       "A child was taken an hour ago; the account is messaging the parents"}});
  json needs = get_json(as("officer"), request_path(r))["signatures_required"];
  EXPECT_EQ(needs["validators"], 0) << needs;
  EXPECT_EQ(needs["supervisors"], 1);
  bool follow_up_warned = false;
  for (const auto& w : r["warnings"]) {
    follow_up_warned =
        follow_up_warned || (w["field"] == "issuer" &&
                             w["message"].get<std::string>().find("48 hours") != std::string::npos);
  }
  EXPECT_TRUE(follow_up_warned) << r["warnings"];
  json sent = submit_signed(hub(), r);
  EXPECT_EQ(sent["status"], "submitted");
}

TEST_F(Validation, ReceivedWithoutTheRoutesValidationIsQuarantined) {
  json env = testing::fresh_envelope(hub(), create_request(hub(), as("officer")), false);
  auto r = as("officer").send("POST", "/api/v1/requests/signed", env.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  json got = body_of(r);
  EXPECT_EQ(got["status"], "quarantined");
  EXPECT_NE(got["quarantine_reason"].get<std::string>().find(
                "cosignature_missing: the request needs 1 validator signature(s) of a judge or "
                "prosecutor"),
            std::string::npos)
      << got["quarantine_reason"];
  // A signed request that names no route, or one that does not exist, would
  // escape what the route asks: refused, and nothing is stored.
  json unrouted = env;
  unrouted["payload"].erase("route");
  EXPECT_TRUE(IsProblem(as("officer").send("POST", "/api/v1/requests/signed", unrouted.dump()), 422,
                        "validation-failed", "payload/route", "is required"));
  json misrouted = env;
  misrouted["payload"]["route"] = "eu-2023-1543/no-such-route";
  EXPECT_TRUE(IsProblem(as("officer").send("POST", "/api/v1/requests/signed", misrouted.dump()),
                        422, "validation-failed", "route", "there is no route"));
  // With it, the same request arrives.
  json good = testing::fresh_envelope(hub(), create_request(hub(), as("officer")));
  auto ok = as("officer").send("POST", "/api/v1/requests/signed", good.dump());
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(body_of(ok)["status"], "submitted") << body_of(ok)["quarantine_reason"];
}

}  // namespace
}  // namespace liaison
