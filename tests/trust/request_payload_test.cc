#include "trust/request_payload.h"

#include <gtest/gtest.h>

#include "pki_fixture.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"

namespace liaison::trust {
namespace {

using nlohmann::json;
using testing::days_from_now;
using testing::Pki;

class RequestPayloadTest : public ::testing::Test {
 protected:
  Pki pki;
  void expect_refused(const json& p, const std::string& field) {
    auto r = read_request_payload(p);
    ASSERT_FALSE(r.ok()) << "accepted " << p.dump();
    EXPECT_EQ(r.error().issues.at(0).field, field) << r.error().message;
  }
};

TEST_F(RequestPayloadTest, HasExactlyTheSignedFields) {
  json p = pki.payload(pki.production_request());
  std::vector<std::string> names;
  for (const auto& [k, _] : p.items()) names.push_back(k);
  EXPECT_EQ(names, (std::vector<std::string>{"case_type", "categories", "deadline", "emergency",
                                             "issued_at", "issuer", "issuer_reference", "kind",
                                             "legal_basis", "liaison_request", "max_penalty_months",
                                             "non_disclosure_until", "nonce", "offence_description",
                                             "period", "provider", "request_id", "targets"}));
  EXPECT_EQ(p["liaison_request"], 1);
  EXPECT_EQ(p["request_id"], "01890a5d-ac96-774b-bcce-b302099a8057");
  EXPECT_EQ(p["kind"], "production");
  EXPECT_EQ(p["issuer"], (json{{"country", "NL"}, {"endpoint_uid", "NL-POL-EX"}}));
  EXPECT_EQ(p["provider"], (json{{"country", "NL"}, {"endpoint_uid", "NL-EXMAIL"}}));
  EXPECT_EQ(p["categories"], (json{"SubscriberData", "TrafficData"}));
  EXPECT_EQ(p["legal_basis"]["article"], "Art. 18(1)(b)");
  EXPECT_EQ(p["period"]["start"], "2026-10-01T00:00:00Z");
  EXPECT_EQ(p["max_penalty_months"], 72);
  EXPECT_TRUE(p["non_disclosure_until"].is_null());
  EXPECT_TRUE(p["deadline"].is_null());
  EXPECT_TRUE(p["emergency"].is_null());
  EXPECT_EQ(p["nonce"], "AAECAwQFBgcICQoLDA0ODw");
  EXPECT_EQ(p["issued_at"], "2026-11-02T09:15:00Z");
}

TEST_F(RequestPayloadTest, TargetsKeepEveryDetailTheyHave) {
  json p = pki.payload(pki.production_request());
  EXPECT_EQ(p["targets"][0], (json{{"kind", "email"}, {"value", "suspect@example.org"}}));
  EXPECT_EQ(p["targets"][1], (json{{"kind", "ip"},
                                   {"value", "192.0.2.10"},
                                   {"port", 51234},
                                   {"observed_at", "2026-10-30T20:04:05Z"}}));
}

TEST_F(RequestPayloadTest, EmergencyCarriesJustificationAndCallback) {
  Contact cb{"phone", "+31205550100"};
  json p = pki.payload(pki.emergency_request(), cb);
  EXPECT_EQ(p["kind"], "emergency_disclosure");
  EXPECT_EQ(p["emergency"]["justification"],
            "A person has announced a suicide attempt tonight from this account");
  EXPECT_EQ(p["emergency"]["callback"], (json{{"kind", "phone"}, {"value", "+31205550100"}}));
  json without = pki.payload(pki.emergency_request());
  EXPECT_TRUE(without["emergency"]["callback"].is_null());
}

TEST_F(RequestPayloadTest, DigestIsSha256OfTheCanonicalJson) {
  json p = pki.payload(pki.production_request());
  std::string d = payload_digest(p);
  EXPECT_EQ(d.size(), 32u);
  EXPECT_EQ(d, sha256(*canonical_json(p)));
  // Independent of how the JSON text was laid out.
  EXPECT_EQ(payload_digest(json::parse(p.dump(4))), d);
}

TEST_F(RequestPayloadTest, DigestChangesWithAnyField) {
  json p = pki.payload(pki.production_request());
  std::string d = payload_digest(p);
  json q = p;
  q["targets"][1]["port"] = 51235;
  EXPECT_NE(payload_digest(q), d);
  q = p;
  q["categories"] = {"TrafficData", "SubscriberData"};  // order matters
  EXPECT_NE(payload_digest(q), d);
}

TEST_F(RequestPayloadTest, DigestIsEmptyWithoutACanonicalForm) {
  json p = pki.payload(pki.production_request());
  p["max_penalty_months"] = std::int64_t{1} << 60;
  EXPECT_TRUE(payload_digest(p).empty());
}

TEST_F(RequestPayloadTest, SummaryReadsWhatVerificationNeeds) {
  auto s =
      read_request_payload(pki.payload(pki.emergency_request(), Contact{"phone", "+31205550100"}));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->request_id, "01890a5d-ac96-774b-bcce-b302099a8057");
  EXPECT_EQ(s->issuer_endpoint_uid, "NL-POL-EX");
  EXPECT_EQ(s->provider_endpoint_uid, "NL-EXMAIL");
  EXPECT_EQ(s->issued_at, days_from_now(0));
  EXPECT_TRUE(s->emergency);
  ASSERT_TRUE(s->callback);
  EXPECT_EQ(s->callback->value, "+31205550100");
  auto plain = read_request_payload(pki.payload(pki.production_request()));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->emergency);
}

TEST_F(RequestPayloadTest, SummaryRefusesPayloadsNotAsSpecified) {
  json good = pki.payload(pki.production_request());
  json p = good;
  p["status"] = "accepted";
  expect_refused(p, "payload/status");
  p = good;
  p.erase("nonce");
  expect_refused(p, "payload/nonce");
  p = good;
  p["nonce"] = "short";
  expect_refused(p, "payload/nonce");
  p = good;
  p["kind"] = "subpoena";
  expect_refused(p, "payload/kind");
  p = good;
  p["issuer"] = {{"country", "NL"}};
  expect_refused(p, "payload/issuer/endpoint_uid");
  p = good;
  p["targets"] = "suspect@example.org";
  expect_refused(p, "payload/targets");
  p = good;
  p["issued_at"] = "2026-11-02T10:15:00+01:00";
  expect_refused(p, "payload/issued_at");
  p = good;
  p["emergency"] = {{"justification", 5}, {"callback", nullptr}};
  expect_refused(p, "payload/emergency/justification");
  p = good;
  p["liaison_request"] = 2;
  expect_refused(p, "payload/liaison_request");
}

TEST_F(RequestPayloadTest, NoncesAreFresh) {
  std::string a = new_request_nonce();
  EXPECT_EQ(base64url_decode(a, "nonce")->size(), 16u);
  EXPECT_NE(a, new_request_nonce());
}

}  // namespace
}  // namespace liaison::trust
