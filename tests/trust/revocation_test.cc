#include "trust/revocation.h"

#include <gtest/gtest.h>

#include "pki_fixture.h"
#include "trust/canonical_json.h"

namespace liaison::trust {
namespace {

using nlohmann::json;
using testing::days_from_now;
using testing::Pki;

class RevocationTest : public ::testing::Test {
 protected:
  Pki pki;

  RevocationList list(std::int64_t number = 1) {
    RevocationList l;
    l.issuer_name = "Politie Eenheid Voorbeeld";
    l.number = number;
    l.issued_at = days_from_now(0);
    l.entries.push_back(
        {pki.officer.cert.serial, pki.officer.cert.key_id(), days_from_now(-1), "key_compromise"});
    return l;
  }
  RevocationList signed_list(std::int64_t number = 1) {
    return sign_revocation_list(list(number), pki.police.key).value();
  }
  void expect_refused(const json& j, const std::string& field) {
    auto r = revocation_list_from_json(j);
    ASSERT_FALSE(r.ok()) << "accepted " << j.dump();
    EXPECT_EQ(r.error().issues.at(0).field, field) << r.error().message;
  }
};

TEST_F(RevocationTest, SignedListsVerifyAndRoundTrip) {
  RevocationList l = signed_list();
  EXPECT_EQ(l.issuer_key_id, pki.police.cert.key_id());
  EXPECT_TRUE(revocation_list_signature_valid(l, pki.police.cert.public_key));
  EXPECT_FALSE(revocation_list_signature_valid(l, pki.prosecutor.cert.public_key));
  auto back = revocation_list_from_json(json::parse(to_json(l).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, l);
  EXPECT_EQ(back->fingerprint(), l.fingerprint());
}

TEST_F(RevocationTest, SigningInputIsDomainSeparated) {
  RevocationList l = signed_list();
  json j = to_json(l);
  j.erase("signature");
  EXPECT_EQ(revocation_list_signing_input(l),
            std::string("liaison-revocation-list-v1") + '\0' + *canonical_json(j));
}

TEST_F(RevocationTest, AlteredListsDoNotVerify) {
  RevocationList l = signed_list();
  l.entries[0].revoked_at = days_from_now(5);
  EXPECT_FALSE(revocation_list_signature_valid(l, pki.police.cert.public_key));
  l = signed_list();
  l.entries.clear();
  EXPECT_FALSE(revocation_list_signature_valid(l, pki.police.cert.public_key));
}

TEST_F(RevocationTest, EmptyListsAreFine) {
  RevocationList l = list();
  l.entries.clear();
  auto s = sign_revocation_list(l, pki.police.key);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(revocation_list_from_json(to_json(*s)).ok());
}

TEST_F(RevocationTest, RefusesUnknownReasonsDuplicatesAndBadNumbers) {
  RevocationList l = list();
  l.entries[0].reason = "felt like it";
  EXPECT_FALSE(sign_revocation_list(l, pki.police.key).ok());
  l = list();
  l.entries.push_back(l.entries[0]);
  EXPECT_FALSE(sign_revocation_list(l, pki.police.key).ok());
  EXPECT_FALSE(sign_revocation_list(list(0), pki.police.key).ok());

  json j = to_json(signed_list());
  j["entries"][0]["reason"] = "felt like it";
  expect_refused(j, "revocation_list/entries/0/reason");
  j = to_json(signed_list());
  j["entries"].push_back(j["entries"][0]);
  expect_refused(j, "revocation_list/entries/1/serial");
  j = to_json(signed_list());
  j["number"] = 0;
  expect_refused(j, "revocation_list/number");
  j = to_json(signed_list());
  j["number"] = 1.5;
  expect_refused(j, "revocation_list/number");
}

TEST_F(RevocationTest, RefusesUnknownAndMissingFields) {
  json j = to_json(signed_list());
  j["next_update"] = "2026-12-01T00:00:00Z";
  expect_refused(j, "revocation_list/next_update");
  j = to_json(signed_list());
  j["entries"][0].erase("revoked_at");
  expect_refused(j, "revocation_list/entries/0/revoked_at");
  j = to_json(signed_list());
  j["entries"][0]["serial"] = "XYZ";
  expect_refused(j, "revocation_list/entries/0/serial");
}

TEST_F(RevocationTest, ReasonsAreTheDocumentedOnes) {
  for (const char* r :
       {"key_compromise", "superseded", "cessation", "affiliation_changed", "unspecified"}) {
    EXPECT_TRUE(is_revocation_reason(r)) << r;
  }
  EXPECT_FALSE(is_revocation_reason("Key_Compromise"));
}

}  // namespace
}  // namespace liaison::trust
