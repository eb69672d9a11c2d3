#include "trust/chain.h"

#include <gtest/gtest.h>

#include "pki_fixture.h"

namespace liaison::trust {
namespace {

using testing::code_of;
using testing::days_from_now;
using testing::Org;
using testing::Pki;
using testing::roles_of;

class ChainTest : public ::testing::Test {
 protected:
  Pki pki;

  Result<VerifiedSigner> verify(const Certificate& leaf, std::vector<Certificate> chain,
                                Timestamp at = days_from_now(0)) {
    return verify_chain(pki.store, leaf, chain, at);
  }

  void revoke(const SecretKey& issuer, const std::string& issuer_name, const Certificate& c,
              Timestamp at, std::int64_t number = 1) {
    RevocationList l;
    l.issuer_name = issuer_name;
    l.number = number;
    l.issued_at = days_from_now(0);
    l.entries.push_back({c.serial, c.key_id(), at, "key_compromise"});
    ASSERT_TRUE(pki.store.add_revocation_list(sign_revocation_list(l, issuer).value()).ok());
  }

  // A certificate for a new key, as `org` issues it, with changes applied.
  template <typename F>
  Certificate user_from(const Org& org, F change) {
    Certificate c =
        Pki::user_certificate(org, SecretKey::generate().public_key(), "Kees Smit",
                              "kees.smit@police.example.org", roles_of({Role::kOfficer}));
    change(c);
    return issue_certificate(c, org.key, org.ref.name).value();
  }
};

TEST_F(ChainTest, UserOrganisationRoot) {
  auto r = verify(pki.officer.cert, {pki.police.cert});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->leaf, pki.officer.cert);
  EXPECT_EQ(r->organisation, pki.police.cert);
  EXPECT_EQ(r->root, pki.nl_root);
  EXPECT_FALSE(r->revoked_later_at);
}

TEST_F(ChainTest, OrganisationCertificateFromTheStoreWhenNotPresented) {
  EXPECT_TRUE(verify(pki.officer.cert, {}).ok());
}

TEST_F(ChainTest, OrganisationCertificateFromThePresentedChainWhenNotStored) {
  TrustStore roots_only;
  ASSERT_TRUE(roots_only.add_root(pki.nl_root).ok());
  EXPECT_TRUE(verify_chain(roots_only, pki.officer.cert, {pki.police.cert}, days_from_now(0)).ok());
  EXPECT_EQ(code_of(verify_chain(roots_only, pki.officer.cert, {}, days_from_now(0))),
            "chain_untrusted");
}

TEST_F(ChainTest, SignatureInvalidOnTheLeaf) {
  Certificate c = pki.officer.cert;
  c.roles.add(Role::kSupervisor);  // a self-promotion the organisation never signed
  auto r = verify(c, {pki.police.cert});
  EXPECT_EQ(code_of(r), "signature_invalid");
  EXPECT_NE(r.error().message.find("Jan de Vries"), std::string::npos);
}

TEST_F(ChainTest, SignatureInvalidOnThePresentedOrganisation) {
  TrustStore roots_only;
  ASSERT_TRUE(roots_only.add_root(pki.nl_root).ok());
  Certificate org = pki.police.cert;
  org.emergency_contacts[0].value = "+31205550199";
  EXPECT_EQ(code_of(verify_chain(roots_only, pki.officer.cert, {org}, days_from_now(0))),
            "signature_invalid");
}

TEST_F(ChainTest, ChainUntrustedWhenTheRootIsNotInTheStore) {
  TrustStore other;
  ASSERT_TRUE(other.add_root(pki.be_root).ok());
  EXPECT_EQ(code_of(verify_chain(other, pki.officer.cert, {pki.police.cert}, days_from_now(0))),
            "chain_untrusted");
}

TEST_F(ChainTest, ChainUntrustedWhenTheIssuerIsUnknown) {
  SecretKey rogue_root_key = testing::key_for("rogue root");
  Org rogue = Pki::make_org({"NL", "NL-ROGUE", "Rogue Unit", OrgKind::kAuthority}, {},
                            rogue_root_key, "Rogue Root");
  Certificate c =
      Pki::make_person(rogue, "Mallory", "mallory@rogue.example.org", roles_of({Role::kOfficer}))
          .cert;
  EXPECT_EQ(code_of(verify(c, {})), "chain_untrusted");
  EXPECT_EQ(code_of(verify(c, {rogue.cert})), "chain_untrusted");
}

TEST_F(ChainTest, ChainInvalidWhenTheLeafIsNotAUser) {
  EXPECT_EQ(code_of(verify(pki.police.cert, {})), "chain_invalid");
  EXPECT_EQ(code_of(verify(pki.nl_root, {})), "chain_invalid");
}

TEST_F(ChainTest, ChainInvalidWhenARootIssuesAUserDirectly) {
  Certificate c = Pki::user_certificate(pki.police, SecretKey::generate().public_key(), "Kees",
                                        "kees@police.example.org", roles_of({Role::kOfficer}));
  Certificate by_root = issue_certificate(c, pki.nl_root_key, "Liaison Root Netherlands").value();
  EXPECT_EQ(code_of(verify(by_root, {})), "chain_invalid");
}

TEST_F(ChainTest, ChainInvalidWhenAUserIssuesAUser) {
  ASSERT_TRUE(pki.store.add_certificate(pki.officer.cert).ok());
  Org as_org{pki.police.ref, testing::key_for("person Jan de Vries"), pki.officer.cert};
  Certificate c =
      Pki::make_person(as_org, "Kees", "kees@police.example.org", roles_of({Role::kOfficer})).cert;
  EXPECT_EQ(code_of(verify(c, {pki.officer.cert})), "chain_invalid");
}

TEST_F(ChainTest, CertificateExpired) {
  auto r = verify(pki.officer.cert, {}, days_from_now(366));
  EXPECT_EQ(code_of(r), "certificate_expired");
  EXPECT_NE(r.error().message.find(pki.officer.cert.serial), std::string::npos);
}

TEST_F(ChainTest, OrganisationCertificateExpired) {
  Certificate leaf =
      user_from(pki.police, [](Certificate& c) { c.not_after = days_from_now(900); });
  EXPECT_EQ(code_of(verify(leaf, {}, days_from_now(800))), "certificate_expired");
}

TEST_F(ChainTest, CertificateNotYetValid) {
  EXPECT_EQ(code_of(verify(pki.officer.cert, {}, days_from_now(-31))), "certificate_not_yet_valid");
}

TEST_F(ChainTest, ValidityIsInclusiveAtBothEnds) {
  EXPECT_TRUE(verify(pki.officer.cert, {}, pki.officer.cert.not_before).ok());
  EXPECT_TRUE(verify(pki.officer.cert, {}, pki.officer.cert.not_after).ok());
}

TEST_F(ChainTest, CountryMismatch) {
  // The Dutch root certifies a Belgian organisation: not its to vouch for.
  Org foreign = Pki::make_org({"BE", "BE-ODD-EX", "Odd Unit", OrgKind::kAuthority}, {},
                              pki.nl_root_key, "Liaison Root Netherlands");
  Certificate c =
      Pki::make_person(foreign, "Els", "els@odd.example.org", roles_of({Role::kOfficer})).cert;
  EXPECT_EQ(code_of(verify(c, {foreign.cert})), "country_mismatch");
}

TEST_F(ChainTest, OrganisationMismatch) {
  // The prosecutor's office certifies someone as a member of the police unit.
  Certificate c = Pki::user_certificate(pki.police, SecretKey::generate().public_key(), "Kees",
                                        "kees@police.example.org", roles_of({Role::kOfficer}));
  Certificate cross = issue_certificate(c, pki.prosecutor.key, pki.prosecutor.ref.name).value();
  auto r = verify(cross, {pki.prosecutor.cert});
  EXPECT_EQ(code_of(r), "organisation_mismatch");
  EXPECT_NE(r.error().message.find("another organisation"), std::string::npos);
}

TEST_F(ChainTest, UserNamingAnotherKindOfOrganisationIsAMismatch) {
  // A provider's key certifies a "validator" by naming its own identity as an
  // authority: the kind must be the certifying organisation's.
  Org provider = Pki::make_org({"NL", "NL-EXMAIL", "Example Mail B.V.", OrgKind::kProvider}, {},
                               pki.nl_root_key, "Liaison Root Netherlands");
  Certificate c = Pki::user_certificate(provider, SecretKey::generate().public_key(), "Vera",
                                        "vera@mail.example.org", roles_of({Role::kAnalyst}));
  c.organisation->kind = OrgKind::kAuthority;
  c.roles = roles_of({Role::kValidator});
  Certificate issued = issue_certificate(c, provider.key, provider.ref.name).value();
  EXPECT_EQ(code_of(verify(issued, {provider.cert})), "organisation_mismatch");
}

TEST_F(ChainTest, KeyRevokedBeforeTheInstant) {
  revoke(pki.police.key, "Politie Eenheid Voorbeeld", pki.officer.cert, days_from_now(-2));
  auto r = verify(pki.officer.cert, {}, days_from_now(0));
  EXPECT_EQ(code_of(r), "key_revoked");
  EXPECT_NE(r.error().message.find("key_compromise"), std::string::npos);
}

TEST_F(ChainTest, KeyRevokedAtTheInstantItself) {
  revoke(pki.police.key, "Politie Eenheid Voorbeeld", pki.officer.cert, days_from_now(0));
  EXPECT_EQ(code_of(verify(pki.officer.cert, {}, days_from_now(0))), "key_revoked");
}

TEST_F(ChainTest, OrganisationRevokedByTheRoot) {
  revoke(pki.nl_root_key, "Liaison Root Netherlands", pki.police.cert, days_from_now(-1));
  EXPECT_EQ(code_of(verify(pki.officer.cert, {})), "key_revoked");
}

TEST_F(ChainTest, RevokedLaterStillVerifiesAndSaysWhen) {
  revoke(pki.police.key, "Politie Eenheid Voorbeeld", pki.officer.cert, days_from_now(3));
  revoke(pki.nl_root_key, "Liaison Root Netherlands", pki.police.cert, days_from_now(2));
  auto r = verify(pki.officer.cert, {}, days_from_now(0));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->revoked_later_at);
  EXPECT_EQ(*r->revoked_later_at, days_from_now(2));  // the earliest in the chain
}

TEST_F(ChainTest, RevocationByAnotherIssuerDoesNotCount) {
  // The prosecutor's list names the officer's serial; only the police unit can revoke it.
  revoke(pki.prosecutor.key, "Openbaar Ministerie Voorbeeld", pki.officer.cert, days_from_now(-1));
  EXPECT_TRUE(verify(pki.officer.cert, {}).ok());
}

TEST_F(ChainTest, PrefersARenewedOrganisationCertificateValidAtTheInstant) {
  Certificate old_org = pki.police.cert;
  old_org.serial.clear();
  old_org.not_before = days_from_now(-800);
  old_org.not_after = days_from_now(-700);
  old_org = issue_certificate(old_org, pki.nl_root_key, "Liaison Root Netherlands").value();
  EXPECT_TRUE(verify(pki.officer.cert, {old_org}).ok());
  EXPECT_EQ(code_of(verify_chain(pki.store, pki.officer.cert, {old_org}, days_from_now(-750))),
            "certificate_not_yet_valid");  // the rest of the chain did not exist yet
}

// --- recipient certificates: the keys evidence packages are sealed to ---

TEST_F(ChainTest, RecipientOrganisationRoot) {
  const Certificate& leaf = pki.police_recipient.cert;
  auto r = verify_recipient_chain(pki.store, leaf, {}, days_from_now(0));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->leaf, leaf);
  EXPECT_EQ(r->organisation, pki.police.cert);
  EXPECT_EQ(r->root, pki.nl_root);
  // The organisation certificate may come with it instead of from the store.
  TrustStore roots_only;
  ASSERT_TRUE(roots_only.add_root(pki.nl_root).ok());
  EXPECT_TRUE(verify_recipient_chain(roots_only, leaf, {pki.police.cert}, days_from_now(0)).ok());
}

TEST_F(ChainTest, RecipientChainRefusesOtherKinds) {
  auto r = verify_recipient_chain(pki.store, pki.officer.cert, {}, days_from_now(0));
  EXPECT_EQ(code_of(r), "chain_invalid");
  EXPECT_NE(r.error().message.find("not a recipient certificate"), std::string::npos);
  EXPECT_EQ(code_of(verify_recipient_chain(pki.store, pki.police.cert, {}, days_from_now(0))),
            "chain_invalid");
}

TEST_F(ChainTest, RecipientCertifiedByAnotherOrganisationIsAMismatch) {
  // The prosecutor's office certifies a recipient key in the police unit's name.
  Certificate c = Pki::recipient_certificate(pki.police, SecretKey::generate().public_key(),
                                             "Evidence desk (forged)");
  Certificate cross = issue_certificate(c, pki.prosecutor.key, pki.prosecutor.ref.name).value();
  auto r = verify_recipient_chain(pki.store, cross, {}, days_from_now(0));
  EXPECT_EQ(code_of(r), "organisation_mismatch");
  EXPECT_NE(r.error().message.find("a recipient certified by another organisation"),
            std::string::npos);
}

TEST_F(ChainTest, RecipientRevoked) {
  revoke(pki.police.key, "Politie Eenheid Voorbeeld", pki.police_recipient.cert, days_from_now(-1));
  auto r = verify_recipient_chain(pki.store, pki.police_recipient.cert, {}, days_from_now(0));
  EXPECT_EQ(code_of(r), "key_revoked");
  // Revoked after the instant, it still verifies then, and says when.
  auto before = verify_recipient_chain(pki.store, pki.police_recipient.cert, {}, days_from_now(-2));
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->revoked_later_at, days_from_now(-1));
}

TEST_F(ChainTest, RecipientExpiredOrNotYetValid) {
  EXPECT_EQ(
      code_of(verify_recipient_chain(pki.store, pki.police_recipient.cert, {}, days_from_now(366))),
      "certificate_expired");
  EXPECT_EQ(
      code_of(verify_recipient_chain(pki.store, pki.police_recipient.cert, {}, days_from_now(-31))),
      "certificate_not_yet_valid");
}

TEST_F(ChainTest, ARecipientCertificateNeverVerifiesAsASigner) {
  auto r = verify(pki.police_recipient.cert, {pki.police.cert});
  EXPECT_EQ(code_of(r), "chain_invalid");
  EXPECT_NE(r.error().message.find("recipient keys receive sealed evidence and never sign"),
            std::string::npos);
}

}  // namespace
}  // namespace liaison::trust
