#include "trust/trust_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pki_fixture.h"
#include "trust/chain.h"

namespace liaison::trust {
namespace {

using nlohmann::json;
using testing::code_of;
using testing::days_from_now;
using testing::Pki;

std::string code_of_status(const Status& s) {
  return s.ok() ? std::string("(ok)") : trust_failure_of(s.error()).code;
}

class TrustStoreTest : public ::testing::Test {
 protected:
  Pki pki;

  RevocationList list(const SecretKey& key, const std::string& name, std::int64_t number,
                      std::vector<Revocation> entries = {}) {
    RevocationList l;
    l.issuer_name = name;
    l.number = number;
    l.issued_at = days_from_now(0);
    l.entries = std::move(entries);
    return sign_revocation_list(l, key).value();
  }
};

TEST_F(TrustStoreTest, HoldsWhatWasAdded) {
  EXPECT_EQ(pki.store.roots().size(), 2u);
  EXPECT_EQ(pki.store.certificates().size(), 4u);
  ASSERT_NE(pki.store.root(pki.nl_root.key_id()), nullptr);
  EXPECT_EQ(*pki.store.root(pki.nl_root.key_id()), pki.nl_root);
  auto found = pki.store.certificates_for_key(pki.police.cert.key_id());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(*found[0], pki.police.cert);
  EXPECT_TRUE(pki.store.certificates_for_key(std::string(32, '0')).empty());
}

TEST_F(TrustStoreTest, AddsUserCertificatesIssuedByKnownOrganisations) {
  EXPECT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  EXPECT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());  // twice is harmless
  EXPECT_EQ(pki.store.certificates_for_key(pki.officer.cert.key_id()).size(), 1u);
}

TEST_F(TrustStoreTest, AddsRecipientCertificatesIssuedByKnownOrganisations) {
  ASSERT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  ASSERT_TRUE(pki.store.add_certificate(pki.police_recipient.cert).ok());
  auto all = pki.store.certificates();
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.back(), pki.police_recipient.cert) << "recipients come last";
  EXPECT_EQ(all[4], pki.officer.cert);
  // Signed by a root, or by a key the store does not hold, it stays out.
  Certificate c =
      Pki::recipient_certificate(pki.police, SecretKey::generate().public_key(), "Evidence desk");
  EXPECT_EQ(code_of_status(pki.store.add_certificate(
                issue_certificate(c, pki.nl_root_key, "Liaison Root Netherlands").value())),
            "chain_invalid");
  EXPECT_EQ(code_of_status(pki.store.add_certificate(
                issue_certificate(c, testing::key_for("stranger"), "Stranger").value())),
            "chain_untrusted");
}

TEST_F(TrustStoreTest, ListsTheRecipientsOfAnOrganisationValidAtAnInstant) {
  ASSERT_TRUE(pki.store.add_certificate(pki.police_recipient.cert).ok());
  ASSERT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  // A renewed key, valid from tomorrow; one of the prosecutor's; and one in the
  // police unit's name certified by the prosecutor's office.
  Certificate renewed = Pki::recipient_certificate(
      pki.police, testing::key_for("renewed desk").public_key(), "Evidence desk (renewed)");
  renewed.not_before = days_from_now(1);
  renewed = issue_certificate(renewed, pki.police.key, pki.police.ref.name).value();
  ASSERT_TRUE(pki.store.add_certificate(renewed).ok());
  testing::Person om = Pki::make_recipient(pki.prosecutor, "Evidence desk, OM");
  ASSERT_TRUE(pki.store.add_certificate(om.cert).ok());
  Certificate forged = Pki::recipient_certificate(
      pki.police, testing::key_for("forged desk").public_key(), "Evidence desk (forged)");
  forged = issue_certificate(forged, pki.prosecutor.key, pki.prosecutor.ref.name).value();
  ASSERT_TRUE(pki.store.add_certificate(forged).ok()) << "signed by a known organisation";

  auto now = pki.store.recipient_certificates("NL", "NL-POL-EX", days_from_now(0));
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0], pki.police_recipient.cert);
  auto tomorrow = pki.store.recipient_certificates("NL", "NL-POL-EX", days_from_now(2));
  ASSERT_EQ(tomorrow.size(), 2u);
  EXPECT_EQ(tomorrow[0], renewed) << "newest first";
  EXPECT_EQ(tomorrow[1], pki.police_recipient.cert);
  EXPECT_EQ(pki.store.recipient_certificates("NL", "NL-OM-EX", days_from_now(0)).size(), 1u);
  EXPECT_TRUE(pki.store.recipient_certificates("BE", "NL-POL-EX", days_from_now(0)).empty());
  EXPECT_TRUE(pki.store.recipient_certificates("NL", "NL-EXMAIL", days_from_now(0)).empty());

  // Revoked, a key is no longer one to seal to.
  ASSERT_TRUE(pki.store
                  .add_revocation_list(
                      list(pki.police.key, "Politie", 1,
                           {{pki.police_recipient.cert.serial, pki.police_recipient.cert.key_id(),
                             days_from_now(-1), "key_compromise"}}))
                  .ok());
  EXPECT_TRUE(pki.store.recipient_certificates("NL", "NL-POL-EX", days_from_now(0)).empty());
}

TEST_F(TrustStoreTest, RefusesARootThatIsNotARoot) {
  EXPECT_EQ(code_of_status(pki.store.add_root(pki.police.cert)), "chain_invalid");
}

TEST_F(TrustStoreTest, RefusesARootWithABadSelfSignature) {
  Certificate root = pki.nl_root;
  root.not_after = days_from_now(9999);
  EXPECT_EQ(code_of_status(TrustStore().add_root(root)), "signature_invalid");
}

TEST_F(TrustStoreTest, RefusesACertificateFromAnUnknownIssuer) {
  TrustStore only_be;
  ASSERT_TRUE(only_be.add_root(pki.be_root).ok());
  EXPECT_EQ(code_of_status(only_be.add_certificate(pki.police.cert)), "chain_untrusted");
  EXPECT_EQ(code_of_status(only_be.add_certificate(pki.officer.cert)), "chain_untrusted");
}

TEST_F(TrustStoreTest, RefusesRootsAddedAsCertificates) {
  EXPECT_EQ(code_of_status(pki.store.add_certificate(pki.nl_root)), "chain_invalid");
}

TEST_F(TrustStoreTest, RefusesAUserCertificateSignedByARoot) {
  Certificate c =
      Pki::user_certificate(pki.police, SecretKey::generate().public_key(), "Kees",
                            "kees@police.example.org", testing::roles_of({Role::kOfficer}));
  Certificate by_root = issue_certificate(c, pki.nl_root_key, "Liaison Root Netherlands").value();
  EXPECT_EQ(code_of_status(pki.store.add_certificate(by_root)), "chain_invalid");
}

TEST_F(TrustStoreTest, RefusesAnOrganisationCertificateSignedByAnOrganisation) {
  Certificate c = pki.provider.cert;
  c.serial.clear();
  Certificate by_org = issue_certificate(c, pki.police.key, "Politie Eenheid Voorbeeld").value();
  EXPECT_EQ(code_of_status(pki.store.add_certificate(by_org)), "chain_invalid");
}

TEST_F(TrustStoreTest, RefusesACertificateWithABadSignature) {
  Certificate c = pki.officer.cert;
  c.subject_name = "Someone Else";
  EXPECT_EQ(code_of_status(pki.store.add_certificate(c)), "signature_invalid");
}

TEST_F(TrustStoreTest, RevocationListsReplaceOnlyWithHigherNumbers) {
  Revocation r{pki.officer.cert.serial, pki.officer.cert.key_id(), days_from_now(-1), "superseded"};
  ASSERT_TRUE(pki.store.add_revocation_list(list(pki.police.key, "Politie", 3)).ok());
  EXPECT_FALSE(pki.store.revoked(pki.police.cert.key_id(), pki.officer.cert.serial));
  ASSERT_TRUE(pki.store.add_revocation_list(list(pki.police.key, "Politie", 4, {r})).ok());
  auto found = pki.store.revoked(pki.police.cert.key_id(), pki.officer.cert.serial);
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, r);
  EXPECT_EQ(pki.store.revocation_list(pki.police.cert.key_id())->number, 4);
}

TEST_F(TrustStoreTest, RefusesALowerOrEqualRevocationListNumber) {
  ASSERT_TRUE(pki.store.add_revocation_list(list(pki.police.key, "Politie", 4)).ok());
  EXPECT_EQ(code_of_status(pki.store.add_revocation_list(list(pki.police.key, "Politie", 4))),
            "revocation_list_not_newer");
  EXPECT_EQ(code_of_status(pki.store.add_revocation_list(list(pki.police.key, "Politie", 2))),
            "revocation_list_not_newer");
  EXPECT_EQ(pki.store.revocation_list(pki.police.cert.key_id())->number, 4);
}

TEST_F(TrustStoreTest, ANewerListMayNotDropOrPostponeARevocation) {
  Revocation r{pki.officer.cert.serial, pki.officer.cert.key_id(), days_from_now(-2),
               "key_compromise"};
  ASSERT_TRUE(pki.store.add_revocation_list(list(pki.police.key, "Politie", 1, {r})).ok());
  EXPECT_EQ(code_of_status(pki.store.add_revocation_list(list(pki.police.key, "Politie", 2))),
            "revocation_withdrawn");
  Revocation later = r;
  later.revoked_at = days_from_now(-1);
  EXPECT_EQ(
      code_of_status(pki.store.add_revocation_list(list(pki.police.key, "Politie", 2, {later}))),
      "revocation_withdrawn");
  EXPECT_EQ(pki.store.revocation_list(pki.police.cert.key_id())->number, 1);
  // Earlier is allowed: the compromise turned out to have happened sooner.
  Revocation earlier = r;
  earlier.revoked_at = days_from_now(-3);
  EXPECT_TRUE(pki.store.add_revocation_list(list(pki.police.key, "Politie", 2, {earlier})).ok());
  EXPECT_EQ(pki.store.revoked(pki.police.cert.key_id(), pki.officer.cert.serial)->revoked_at,
            earlier.revoked_at);
}

TEST_F(TrustStoreTest, RefusesARevocationListFromAnUnknownKey) {
  SecretKey stranger = SecretKey::generate();
  EXPECT_EQ(code_of_status(pki.store.add_revocation_list(list(stranger, "Stranger", 1))),
            "chain_untrusted");
  // Users do not publish revocation lists.
  ASSERT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  EXPECT_EQ(code_of_status(pki.store.add_revocation_list(list(pki.officer.key, "Jan", 1))),
            "chain_untrusted");
}

TEST_F(TrustStoreTest, RefusesARevocationListNotSignedByTheKeyItNames) {
  RevocationList l = list(pki.police.key, "Politie", 1);
  l.issuer_key_id = pki.prosecutor.cert.key_id();
  EXPECT_EQ(code_of_status(pki.store.add_revocation_list(l)), "signature_invalid");
}

TEST_F(TrustStoreTest, ExportsAndImportsEverything) {
  ASSERT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  ASSERT_TRUE(pki.store.add_certificate(pki.police_recipient.cert).ok());
  Revocation r{pki.supervisor.cert.serial, pki.supervisor.cert.key_id(), days_from_now(-1),
               "cessation"};
  ASSERT_TRUE(pki.store.add_revocation_list(list(pki.police.key, "Politie", 7, {r})).ok());
  json bundle = pki.store.to_json();
  EXPECT_EQ(bundle["liaison_trust_store"], 1);
  auto imported = TrustStore::from_json(json::parse(bundle.dump()));
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->roots(), pki.store.roots());
  EXPECT_EQ(imported->certificates(), pki.store.certificates());
  EXPECT_EQ(imported->revocation_lists(), pki.store.revocation_lists());
  EXPECT_EQ(imported->to_json(), bundle);
  EXPECT_TRUE(imported->revoked(pki.police.cert.key_id(), pki.supervisor.cert.serial));
  EXPECT_TRUE(verify_chain(*imported, pki.officer.cert, {}, days_from_now(0)).ok());
  EXPECT_EQ(imported->recipient_certificates("NL", "NL-POL-EX", days_from_now(0)),
            std::vector<Certificate>{pki.police_recipient.cert});
}

TEST_F(TrustStoreTest, ImportTakesCertificatesInAnyOrder) {
  ASSERT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  ASSERT_TRUE(pki.store.add_certificate(pki.police_recipient.cert).ok());
  json bundle = pki.store.to_json();
  auto& certs = bundle["certificates"];
  std::reverse(certs.begin(), certs.end());
  EXPECT_EQ(certs[0]["kind"], "recipient");
  EXPECT_EQ(certs[1]["kind"], "user");
  EXPECT_TRUE(TrustStore::from_json(bundle).ok());
}

TEST_F(TrustStoreTest, ImportNamesTheEntryThatFails) {
  json bundle = pki.store.to_json();
  bundle["certificates"][1]["subject"]["name"] = "Forged Name";
  auto r = TrustStore::from_json(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(code_of(r), "signature_invalid");
  EXPECT_NE(r.error().message.find("trust_store/certificates/1"), std::string::npos);

  bundle = pki.store.to_json();
  bundle["roots"][0].erase("serial");
  r = TrustStore::from_json(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "trust_store/roots/0/serial");

  bundle = pki.store.to_json();
  bundle["extra"] = 1;
  EXPECT_FALSE(TrustStore::from_json(bundle).ok());
  EXPECT_FALSE(TrustStore::from_json(json::array()).ok());
}

TEST_F(TrustStoreTest, CacheRemembersOnlyExactlyTheVerifiedCertificate) {
  TrustStore& s = pki.store;
  s.forget_verified_signatures();
  EXPECT_EQ(s.verified_signature_count(), 0u);
  EXPECT_TRUE(s.certificate_signature_verified(pki.officer.cert, pki.police.cert.public_key));
  EXPECT_EQ(s.verified_signature_count(), 1u);
  EXPECT_TRUE(s.certificate_signature_verified(pki.officer.cert, pki.police.cert.public_key));
  EXPECT_EQ(s.verified_signature_count(), 1u);
  // The same signature on different content must not hit the cache.
  Certificate forged = pki.officer.cert;
  forged.roles.add(Role::kSupervisor);
  EXPECT_FALSE(s.certificate_signature_verified(forged, pki.police.cert.public_key));
  // Nor the same certificate under another issuer key.
  EXPECT_FALSE(s.certificate_signature_verified(pki.officer.cert, pki.prosecutor.cert.public_key));
  EXPECT_EQ(s.verified_signature_count(), 1u);
}

TEST_F(TrustStoreTest, AddingWarmsTheCacheAndCopiesKeepIt) {
  EXPECT_GE(pki.store.verified_signature_count(), 6u);  // two roots, four organisations
  TrustStore copy = pki.store;
  EXPECT_EQ(copy.verified_signature_count(), pki.store.verified_signature_count());
  copy.forget_verified_signatures();
  EXPECT_EQ(copy.verified_signature_count(), 0u);
  EXPECT_GE(pki.store.verified_signature_count(), 6u);
  EXPECT_TRUE(verify_chain(copy, pki.officer.cert, {}, days_from_now(0)).ok());
  EXPECT_EQ(copy.verified_signature_count(), 2u);
}

// Many verifying threads while another keeps publishing revocation lists.
TEST_F(TrustStoreTest, ConcurrentReadersAndAWriter) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!verify_chain(pki.store, pki.officer.cert, {pki.police.cert}, days_from_now(0)).ok()) {
          ++failures;
        }
        if (i % 50 == 0) pki.store.to_json();
      }
    });
  }
  std::thread writer([&] {
    for (int n = 1; n <= 50 && !stop; ++n) {
      if (!pki.store.add_revocation_list(list(pki.police.key, "Politie", n)).ok()) ++failures;
    }
  });
  for (auto& r : readers) r.join();
  stop = true;
  writer.join();
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace liaison::trust
