// Signed requests over HTTP against the demo hub: what does not verify is
// quarantined, kept from the provider and shown to the hub administrator
// without its targets; what verifies reaches the provider with its report, and
// its envelope verifies offline with the CLI and the hub's trust bundle.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "api/api_helpers.h"
#include "core/uuid.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

class Quarantine : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = std::make_unique<HubProcess>(); }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) { return HubClient(hub_->base_url(), hub_->token(who)); }
  HubClient admin() { return HubClient(hub_->base_url(), hub_->admin_token()); }

  // A whole signed request as the police unit's own system would send it,
  // signed now by the demo officer's key: the payload comes from a draft the
  // hub built (then cancelled), under a request id and nonce of its own.
  json envelope(const json& patch = json::object()) {
    HubClient officer = as("officer");
    return testing::fresh_envelope(hub(), create_request(hub(), officer, patch));
  }

  json send_signed(const json& env, int status = 201) {
    auto r = as("officer").send("POST", "/api/v1/requests/signed", env.dump());
    EXPECT_EQ(r.status, status) << r.body;
    return body_of(r);
  }

  static std::vector<std::string> codes_of(const json& verification) {
    std::vector<std::string> out;
    for (const auto& f : verification.at("failures")) out.push_back(f.at("code"));
    return out;
  }

  static bool lists(const json& page, const std::string& id) {
    for (const auto& item : page.at("items"))
      if (item.at("id") == id) return true;
    return false;
  }

  // Quarantined with `codes`: hidden from the provider, held for the hub admin.
  void expect_quarantined(const json& r, const std::vector<std::string>& codes) {
    SCOPED_TRACE(r.dump());
    EXPECT_EQ(r["status"], "quarantined");
    EXPECT_EQ(r["etsi_status"]["value"], "Invalid");
    ASSERT_TRUE(r["quarantine_reason"].is_string());
    for (const auto& code : codes)
      EXPECT_NE(r["quarantine_reason"].get<std::string>().find(code + ": "), std::string::npos);
    ASSERT_TRUE(r["verification"].is_object());
    EXPECT_EQ(r["verification"]["ok"], false);
    EXPECT_EQ(codes_of(r["verification"]), codes);
    // The issuer sees the same as stored.
    json stored = get_json(as("officer"), request_path(r));
    EXPECT_EQ(stored["status"], "quarantined");
    EXPECT_EQ(stored["quarantine_reason"], r["quarantine_reason"]);

    HubClient analyst = as("analyst");
    EXPECT_TRUE(IsProblem(analyst.send("GET", request_path(r)), 404, "not-found"));
    EXPECT_TRUE(IsProblem(analyst.send("GET", request_path(r) + "/signed"), 404, "not-found"));
    EXPECT_FALSE(lists(get_json(analyst, "/api/v1/requests?limit=500"), r["id"]));

    json held = get_json(admin(), "/api/v1/quarantine?limit=500");
    const json* entry = nullptr;
    for (const auto& item : held["items"])
      if (item["id"] == r["id"]) entry = &item;
    ASSERT_NE(entry, nullptr) << held.dump();
    EXPECT_EQ((*entry)["quarantine_reason"], r["quarantine_reason"]);
    EXPECT_EQ((*entry)["reference"], r["reference"]);
    EXPECT_EQ((*entry)["issuer"]["id"], hub().org_id("police"));
    EXPECT_EQ(codes_of((*entry)["verification"]), codes);
    // Hub administrators have no business with what is asked about whom.
    EXPECT_FALSE(entry->contains("targets"));
    EXPECT_FALSE(entry->contains("offence_description"));
    EXPECT_EQ(entry->dump().find("suspect.mailbox@example.org"), std::string::npos);
  }

  // Runs `liaison request verify` on `envelope` with the hub's trust bundle.
  testing::ProcessResult verify_offline(const json& envelope) {
    std::string file = (dir_.path() / (random_uuid() + ".json")).string();
    std::string bundle = (dir_.path() / "trust.json").string();
    std::ofstream(file) << envelope.dump(2);
    std::ofstream(bundle) << get_json(as("analyst"), "/api/v1/trust").dump(2);
    return testing::run_liaison({"request", "verify", file, "--trust-store", bundle});
  }

  testing::TempDir dir_;
  static std::unique_ptr<HubProcess> hub_;
};

std::unique_ptr<HubProcess> Quarantine::hub_;

TEST_F(Quarantine, UnsignedSubmitIsRefusedAndTheRequestStaysADraft) {
  HubClient officer = as("officer");
  json draft = create_request(hub(), officer);
  EXPECT_TRUE(IsProblem(act(officer, draft, "submit"), 422, "validation-failed", "signatures",
                        "not signed"));
  json now = get_json(officer, request_path(draft));
  EXPECT_EQ(now["status"], "draft");
  EXPECT_EQ(now["version"], draft["version"]);
  EXPECT_TRUE(now["verification"].is_null());
  EXPECT_TRUE(IsProblem(officer.send("GET", request_path(draft) + "/signed"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(as("analyst").send("GET", request_path(draft)), 404, "not-found"));
}

TEST_F(Quarantine, AlteredEnvelopeIsQuarantinedAndHiddenFromTheProvider) {
  json env = envelope();
  json& targets = env["payload"]["targets"];
  ASSERT_EQ(targets[0]["value"], "suspect.mailbox@example.org") << targets;
  targets[0]["value"] = "someone.else@example.org";
  json r = send_signed(env);
  // Neither the officer's signature nor the prosecutor's covers what arrived,
  // so the route's validation is missing as well.
  expect_quarantined(r, {"signature_invalid", "signature_invalid", "cosignature_missing"});
  EXPECT_EQ(r["verification"]["signers"][0]["failures"], json({"signature_invalid"}));
  EXPECT_EQ(r["verification"]["signers"][1]["failures"], json({"signature_invalid"}));
}

TEST_F(Quarantine, ForgedSignatureIsQuarantinedAndHiddenFromTheProvider) {
  json env = envelope();
  // Signature bytes by a key that is not the certificate's.
  auto parsed = trust::signed_request_from_json(env);
  ASSERT_TRUE(parsed.ok());
  auto& sig = parsed->signatures[0];
  sig = trust::sign_request(parsed->payload, "officer", trust::SecretKey::generate(),
                            sig.certificate, sig.chain, sig.signed_at);
  json r = send_signed(trust::to_json(*parsed));
  expect_quarantined(r, {"signature_invalid"});
}

TEST_F(Quarantine, ReplayedEnvelopeIsQuarantinedAsReplayed) {
  json env = envelope();
  json first = send_signed(env);
  ASSERT_EQ(first["status"], "submitted") << first;
  json again = send_signed(env);
  EXPECT_NE(again["id"], first["id"]);
  // The nonce and the request id were both seen with the first request.
  expect_quarantined(again, {"replayed", "replayed"});
  EXPECT_NE(again["quarantine_reason"].get<std::string>().find(first["reference"]),
            std::string::npos);
  EXPECT_EQ(get_json(as("analyst"), request_path(first))["status"], "submitted");
}

TEST_F(Quarantine, ValidEnvelopeReachesTheProviderAndVerifiesOffline) {
  // A provider new to the police unit, so this is its first request there.
  json provider = make_provider(admin(), "Example Chat GmbH", "EXCHAT");
  std::string token =
      make_user(hub(), admin(), provider["id"], "analyst@chat.example.org", {"analyst"}).second;
  HubClient analyst(hub().base_url(), token);
  json sent = send_signed(envelope({{"provider_id", provider["id"]}}));
  ASSERT_EQ(sent["status"], "submitted") << sent;
  EXPECT_TRUE(sent["quarantine_reason"].is_null());

  json seen = get_json(analyst, request_path(sent));
  EXPECT_EQ(seen["status"], "submitted");
  EXPECT_EQ(seen["verification"]["ok"], true);
  EXPECT_EQ(seen["verification"]["failures"], json::array());
  EXPECT_EQ(seen["verification"]["signers"][0]["valid"], true);
  EXPECT_EQ(seen["verification"]["anomalies"]["first_time_requester"], true);
  EXPECT_EQ(seen["verification"]["anomalies"]["new_keys"], json::array());
  EXPECT_TRUE(lists(get_json(analyst, "/api/v1/requests"), sent["id"]));

  json signed_env = get_json(analyst, request_path(sent) + "/signed");
  EXPECT_EQ(signed_env["liaison_signed_request"], 1);
  auto ok = verify_offline(signed_env);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;

  // The second request to the same provider is no longer a first.
  json next = send_signed(envelope({{"provider_id", provider["id"]}}));
  EXPECT_EQ(
      get_json(analyst, request_path(next))["verification"]["anomalies"]["first_time_requester"],
      false);

  // An altered envelope, as the hub kept it, fails offline too.
  json altered = signed_env;
  altered["payload"]["targets"][0]["value"] = "someone.else@example.org";
  json held = send_signed(altered);
  ASSERT_EQ(held["status"], "quarantined");
  json kept = get_json(as("officer"), request_path(held) + "/signed");
  EXPECT_EQ(kept["payload"]["targets"][0]["value"], "someone.else@example.org");
  auto bad = verify_offline(kept);
  EXPECT_EQ(bad.exit_code, 3) << bad.out << bad.err;
  EXPECT_NE((bad.out + bad.err).find("signature_invalid"), std::string::npos) << bad.out << bad.err;
}

}  // namespace
}  // namespace liaison
