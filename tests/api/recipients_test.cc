// Recipient certificates through the API of a real hub: who may add one, and
// how the trust store lists them.
#include <gtest/gtest.h>

#include <set>

#include "api/api_helpers.h"
#include "core/time.h"
#include "service/environment.h"
#include "trust/certificate.h"
#include "trust/keys.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

const trust::OrgRef kPolice{"NL", "NPCU", "Northport Police, Cybercrime Unit", OrgKind::kAuthority};

class Recipients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = std::make_unique<HubProcess>(); }
  static void TearDownTestSuite() { hub_.reset(); }

  HubClient as(const std::string& who) {
    return HubClient(hub_->base_url(), who == "hub_admin" ? hub_->admin_token() : hub_->token(who));
  }

  // A new recipient key of the police unit, certified with the unit's key.
  static trust::Certificate police_recipient(const std::string& name) {
    trust::Certificate c;
    c.kind = trust::CertKind::kRecipient;
    c.subject_name = name;
    c.public_key = trust::SecretKey::generate().public_key();
    c.organisation = kPolice;
    c.country = "NL";
    c.not_before = Timestamp::from_seconds(SystemClock().now().seconds() - 60);
    c.not_after = Timestamp::from_seconds(SystemClock().now().seconds() + 86400);
    return trust::issue_certificate(c, testing::demo_key(*hub_, "police-organisation"),
                                    kPolice.name)
        .value();
  }

  static std::unique_ptr<HubProcess> hub_;
};

std::unique_ptr<HubProcess> Recipients::hub_;

TEST_F(Recipients, TheOrganisationsAdminAddsOneAndItIsListedAsARecipient) {
  trust::Certificate c = police_recipient("Evidence desk, Northport Police");
  auto r = as("police_admin").send("POST", "/api/v1/trust/certificates", trust::to_json(c).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body_of(r)["kind"], "recipient");
  EXPECT_EQ(body_of(r)["fingerprint"], c.fingerprint());

  json all = get_json(as("analyst"), "/api/v1/trust/certificates");
  bool listed = false;
  for (const auto& i : all["items"]) {
    if (i["fingerprint"] == c.fingerprint()) listed = i["kind"] == "recipient";
  }
  EXPECT_TRUE(listed) << all.dump();
  // The whole store, as exported for offline use, carries it too.
  json bundle = get_json(as("analyst"), "/api/v1/trust");
  bool exported = false;
  for (const auto& i : bundle["certificates"]) exported = exported || i == trust::to_json(c);
  EXPECT_TRUE(exported);
}

TEST_F(Recipients, AHubAdministratorMayAddOne) {
  trust::Certificate c = police_recipient("Evidence desk (added by the hub)");
  auto r = as("hub_admin").send("POST", "/api/v1/trust/certificates", trust::to_json(c).dump());
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(Recipients, AnotherOrganisationsAdminMayNot) {
  trust::Certificate c = police_recipient("Evidence desk (sent by the provider)");
  auto r =
      as("provider_admin").send("POST", "/api/v1/trust/certificates", trust::to_json(c).dump());
  EXPECT_TRUE(IsProblem(r, 403, "forbidden")) << r.body;
  // Nor may a member of the organisation without the org_admin role.
  auto officer = as("officer").send("POST", "/api/v1/trust/certificates", trust::to_json(c).dump());
  EXPECT_GE(officer.status, 403) << officer.body;
  EXPECT_LT(officer.status, 404) << officer.body;
}

TEST_F(Recipients, ACertificateNamingThePoliceButSignedByAnotherKeyIsRefused) {
  trust::Certificate c = police_recipient("Evidence desk (forged)");
  c = trust::issue_certificate(c, trust::SecretKey::generate(), kPolice.name).value();
  auto r = as("police_admin").send("POST", "/api/v1/trust/certificates", trust::to_json(c).dump());
  EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "trust:chain_untrusted")) << r.body;
}

TEST_F(Recipients, TheListFiltersByKindAndOrganisation) {
  const std::string police = hub_->org_id("police");
  json recipients = get_json(as("officer"), "/api/v1/trust/certificates?kind=recipient");
  ASSERT_GE(recipients["items"].size(), 2u) << "the demo certified one per authority";
  std::set<std::string> endpoints;
  for (const auto& i : recipients["items"]) {
    EXPECT_EQ(i["kind"], "recipient");
    endpoints.insert(i["certificate"]["organisation"]["endpoint_uid"].get<std::string>());
  }
  EXPECT_EQ(endpoints, (std::set<std::string>{"NPCU", "NPPO"}));

  json ours =
      get_json(as("officer"), "/api/v1/trust/certificates?kind=recipient&organisation=" + police);
  ASSERT_GE(ours["items"].size(), 1u);
  for (const auto& i : ours["items"]) {
    EXPECT_EQ(i["certificate"]["organisation"]["endpoint_uid"], "NPCU");
    EXPECT_EQ(i["kind"], "recipient");
  }
  // The organisation filter alone takes the unit's own certificate and its people too.
  json everything = get_json(as("officer"), "/api/v1/trust/certificates?organisation=" + police);
  std::set<std::string> kinds;
  for (const auto& i : everything["items"]) kinds.insert(i["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"organisation", "user", "recipient"}));
  // The provider holds no recipient key in the demo.
  json none = get_json(as("officer"), "/api/v1/trust/certificates?kind=recipient&organisation=" +
                                          hub_->org_id("provider"));
  EXPECT_TRUE(none["items"].empty());
}

TEST_F(Recipients, BadFiltersNameTheParameter) {
  EXPECT_TRUE(IsProblem(as("officer").send("GET", "/api/v1/trust/certificates?kind=person"), 422,
                        "validation-failed", "kind"));
  EXPECT_TRUE(IsProblem(as("officer").send("GET", "/api/v1/trust/certificates?organisation=x"), 422,
                        "validation-failed", "organisation"));
  EXPECT_TRUE(IsProblem(as("officer").send("GET",
                                           "/api/v1/trust/certificates?organisation="
                                           "01890a5d-ac96-774b-bcce-b302099a8057"),
                        422, "validation-failed", "organisation", "no organisation"));
}

}  // namespace
}  // namespace liaison
