// Attacks on the chain of trust behind a request, one test each: what a
// provider must never act on is quarantined (or refused before anything is
// stored) with a stable code the provider's tools can match, and nothing else
// changes. The clock is fake, so certificate validity, revocation times and
// the freshness window can be hit to the second.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/request_json.h"
#include "core/uuid.h"
#include "service/account_service.h"
#include "service/request_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/evidence_support.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace liaison {
namespace {

using nlohmann::json;

class FakeClock final : public Clock {
 public:
  Timestamp now() const override { return now_; }
  void set(std::string_view rfc3339) { now_ = parse_rfc3339(rfc3339, "now").value(); }
  void advance(std::int64_t seconds) { now_ = Timestamp::from_seconds(now_.seconds() + seconds); }

 private:
  Timestamp now_ = Timestamp::from_seconds(1'790'000'000);
};

template <typename T>
T must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return std::move(r).value();
}

template <typename T>
std::optional<ErrorCode> refusal(const Result<T>& r) {
  if (r.ok()) return std::nullopt;
  return r.error().code;
}

// The duty desk the police unit's organisation certificate vouches for.
const trust::Contact kDutyDesk{"phone", "+3225550100"};

json production_body() {
  return {{"kind", "production"},
          {"categories", {"SubscriberData"}},
          {"targets",
           {{{"kind", "email"}, {"value", "suspect@example.org"}},
            {{"kind", "ip"},
             {"value", "192.0.2.44"},
             {"port", 51234},
             {"observed_at", "2026-10-30T09:15:00Z"}}}},
          {"legal_basis",
           {{"instrument", "Second Additional Protocol to the Budapest Convention"},
            {"article", "Art. 7"}}},
          {"offence_description", "Invoice fraud with forged invoices sent from one mailbox"}};
}

json emergency_body() {
  return {{"kind", "emergency_disclosure"},
          {"categories", {"SubscriberData"}},
          {"targets", {{{"kind", "email"}, {"value", "threat@example.org"}}}},
          {"legal_basis",
           {{"instrument", "Second Additional Protocol to the Budapest Convention"},
            {"article", "Art. 9"}}},
          {"offence_description", "Threat to kill posted from this mailbox"},
          {"emergency_justification",
           "A named person was threatened with death for tonight; the sender must be found"}};
}

std::vector<std::string> codes_of(const json& verification) {
  std::vector<std::string> out;
  for (const auto& f : verification.at("failures")) out.push_back(f.at("code"));
  return out;
}

// quarantine_reason as the hub writes it from the report's failures.
std::string reason_of(const json& verification) {
  std::string out;
  for (const auto& f : verification.at("failures")) {
    out += (out.empty() ? "" : "; ") + f.at("code").get<std::string>() + ": " +
           f.at("detail").get<std::string>();
  }
  return out;
}

class SignedRequestAttacks : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.set("2026-11-01T00:00:00Z");
    store_ = must(open_sqlite_store((dir_.path() / "db").string()));
    blobs_ = std::make_unique<BlobStore>(must(BlobStore::open((dir_.path() / "blobs").string())));
    ledger_ = std::make_unique<LedgerService>(
        *store_, clock_, must(trust::SecretKey::from_seed(std::string(32, 'L'))), "test/ledger");
    accounts_ = std::make_unique<AccountService>(*store_, clock_, *ledger_);
    trust_ = std::make_unique<TrustService>(*store_, clock_, *ledger_);
    requests_ =
        std::make_unique<RequestService>(*store_, *blobs_, clock_, *trust_, rule_, *ledger_);
    auto op = Principal::local_operator();
    police_ = must(accounts_->create_org(op, {"authority", "Example Police", "BE", "EXPOL"}));
    prosecutor_ =
        must(accounts_->create_org(op, {"authority", "Example Prosecution", "BE", "EXPROS"}));
    police_south_ =
        must(accounts_->create_org(op, {"authority", "Example Police South", "BE", "EXPOLS"}));
    provider_ = must(accounts_->create_org(op, {"provider", "Example Host", "DE", "EXHOST"}));
    officer_ = user_in(police_, "Olga Peeters", "olga@police.example.org", "officer");
    supervisor_ = user_in(police_, "Sven Jacobs", "sven@police.example.org", "supervisor");
    validator_ = user_in(prosecutor_, "Vera Maes", "vera@prosecution.example.org", "validator");
    south_officer_ = user_in(police_south_, "Omar Claes", "omar@south.example.org", "officer");
    south_supervisor_ =
        user_in(police_south_, "Saskia Wouters", "saskia@south.example.org", "supervisor");
    analyst_ = user_in(provider_, "Ari Schmidt", "ari@host.example.org", "analyst");
    admin_ =
        principal(must(accounts_->create_hub_admin(op, "Hanna Admin", "hanna@hub.example.org")));

    pki_ = std::make_unique<testing::TestPki>(clock_.now());
    police_ca_ = pki_->organisation(police_, {kDutyDesk});
    prosecutor_ca_ = pki_->organisation(prosecutor_);
    south_ca_ = pki_->organisation(police_south_);
    must(trust_->add_root(op, trust::to_json(pki_->root().cert)));
    for (const auto* ca : {&police_ca_, &prosecutor_ca_, &south_ca_})
      must(trust_->add_certificate(op, trust::to_json(ca->cert)));
    officer_sig_ = pki_->user(police_ca_, officer_.user, testing::roles_of({Role::kOfficer}));
    supervisor_sig_ =
        pki_->user(police_ca_, supervisor_.user, testing::roles_of({Role::kSupervisor}));
    validator_sig_ =
        pki_->user(prosecutor_ca_, validator_.user, testing::roles_of({Role::kValidator}));
    south_officer_sig_ =
        pki_->user(south_ca_, south_officer_.user, testing::roles_of({Role::kOfficer}));
    south_supervisor_sig_ =
        pki_->user(south_ca_, south_supervisor_.user, testing::roles_of({Role::kSupervisor}));
    for (const auto* s : {&officer_sig_, &supervisor_sig_, &validator_sig_, &south_officer_sig_,
                          &south_supervisor_sig_})
      must(trust_->add_certificate(op, trust::to_json(s->cert)));
  }

  // Seals `content` as the provider's analyst for the police's recipient key
  // and uploads it in one part, as the provider's side would.
  void upload_package(const std::string& id, const std::string& content) {
    auto op = Principal::local_operator();
    testing::TestPki host_pki(clock_.now(), "DE");
    must(trust_->add_root(op, trust::to_json(host_pki.root().cert)));
    testing::TestIssuer host_ca = host_pki.organisation(provider_);
    must(trust_->add_certificate(op, trust::to_json(host_ca.cert)));
    testing::TestSigner analyst_sig =
        host_pki.user(host_ca, analyst_.user, testing::roles_of({Role::kAnalyst}));
    must(trust_->add_certificate(op, trust::to_json(analyst_sig.cert)));
    testing::TestRecipient police_box =
        testing::recipient_of(police_ca_.key, police_ca_.cert, pki_->at(-1), pki_->at(300));
    must(trust_->add_certificate(op, trust::to_json(police_box.cert)));
    RequestView v = must(requests_->get(analyst_, id));
    auto file = dir_.path() / ("package-" + id);
    auto sealed = must(testing::seal_files(file, {{"subscriber.csv", content}}, id,
                                           v.request.reference, {police_box.cert}, analyst_sig.key,
                                           {analyst_sig.cert, analyst_sig.org_cert}, clock_.now()));
    std::string temp = blobs_->new_temp_path();
    std::filesystem::copy_file(file, temp);
    auto upload = must(requests_->start_package_upload(analyst_, id, sealed.file_bytes, {}));
    UploadOutcome done = must(requests_->put_package_part(
        analyst_, id, upload.value.id, {temp, 0, sealed.file_bytes - 1, sealed.file_bytes}));
    ASSERT_TRUE(done.package.has_value());
  }

  Principal principal(const User& u) {
    IssuedToken t = must(accounts_->create_token(Principal::local_operator(),
                                                 {u.id, "t", std::nullopt, std::nullopt}));
    return must(accounts_->authenticate(t.secret));
  }

  Principal user_in(const Organisation& org, const std::string& name, const std::string& email,
                    const std::string& roles) {
    return principal(
        must(accounts_->create_user(Principal::local_operator(), {org.id, name, email, roles})));
  }

  // A request as the police unit's own system holds it before signing; the
  // hub has never seen it.
  Request unsent(const json& body = production_body()) {
    json b = body;
    b["provider_id"] = provider_.id;
    Request r;
    r.id = random_uuid();
    r.draft = must(decode_request_draft(b, clock_.now())).draft;
    r.issuer_org_id = police_.id;
    return r;
  }

  json payload(const Request& r, const std::optional<trust::Contact>& callback = std::nullopt,
               const std::string& nonce = trust::new_request_nonce()) {
    return testing::payload_of(r, police_, provider_, clock_.now(), callback, nonce);
  }

  json signed_by(const json& payload,
                 const std::vector<std::pair<const testing::TestSigner*, std::string>>& by) {
    return testing::envelope_of(payload, by, clock_.now());
  }

  json officer_envelope(const json& payload) {
    return signed_by(payload, {{&officer_sig_, "officer"}});
  }

  // Received from the police unit's own system, as POST /requests/signed does.
  RequestView received(const json& envelope) {
    return must(requests_->receive_signed(officer_, envelope, std::nullopt)).value;
  }

  std::string draft(const json& body = production_body()) {
    json b = body;
    b["provider_id"] = provider_.id;
    return must(requests_->create(officer_, b, std::nullopt)).value.request.id;
  }

  json draft_payload(const std::string& id,
                     const std::optional<trust::Contact>& callback = std::nullopt) {
    return payload(must(requests_->get(officer_, id)).request, callback);
  }

  std::vector<std::string> provider_sees() {
    std::vector<std::string> ids;
    for (const auto& v : must(requests_->list(analyst_, {})).items) ids.push_back(v.request.id);
    return ids;
  }

  // Quarantined with exactly `codes`, in the stored report and the reason; kept
  // as received; invisible to the provider; listed for the hub administrator.
  void expect_quarantined(const std::string& id, const std::vector<std::string>& codes,
                          const std::optional<json>& envelope = std::nullopt) {
    SCOPED_TRACE("request " + id);
    RequestView v = must(requests_->get(officer_, id));
    EXPECT_EQ(v.request.status, RequestStatus::kQuarantined);
    ASSERT_TRUE(v.verification.has_value());
    const json& report = *v.verification;
    EXPECT_FALSE(report.at("ok").get<bool>());
    EXPECT_EQ(codes_of(report), codes) << report.dump(2);
    ASSERT_TRUE(v.request.quarantine_reason.has_value());
    EXPECT_EQ(*v.request.quarantine_reason, reason_of(report));
    EXPECT_EQ(v.request.quarantine_reason->rfind(codes.at(0) + ": ", 0), 0u)
        << *v.request.quarantine_reason;
    EXPECT_TRUE(v.request.submitted_at.has_value()) << "a quarantined request was received";
    EXPECT_FALSE(v.request.due_at.has_value());
    if (envelope) {
      EXPECT_EQ(must(requests_->signed_envelope(officer_, id)), *envelope);
    }
    auto events = must(requests_->events(officer_, id));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, "quarantine");
    EXPECT_EQ(events.back().to_status, "quarantined");
    EXPECT_EQ(events.back().note, *v.request.quarantine_reason);

    // The provider never learns it exists.
    EXPECT_EQ(refusal(requests_->get(analyst_, id)), ErrorCode::kNotFound);
    EXPECT_EQ(refusal(requests_->events(analyst_, id)), ErrorCode::kNotFound);
    EXPECT_EQ(refusal(requests_->signed_envelope(analyst_, id)), ErrorCode::kNotFound);
    auto listed = provider_sees();
    EXPECT_EQ(std::count(listed.begin(), listed.end(), id), 0);

    // The hub administrator reviews it, with the same reason and report.
    auto held = must(requests_->quarantine(admin_, 500));
    auto entry = std::find_if(held.begin(), held.end(),
                              [&](const QuarantineEntry& e) { return e.request.id == id; });
    ASSERT_NE(entry, held.end()) << "not in the quarantine";
    EXPECT_EQ(entry->request.quarantine_reason, v.request.quarantine_reason);
    ASSERT_TRUE(entry->verification.has_value());
    EXPECT_EQ(codes_of(*entry->verification), codes);
  }

  // The signer's own entry in the report.
  static const json& signer(const json& report, std::size_t i) {
    return report.at("signers").at(i);
  }

  // A refusal before receipt: invalid input naming `field`.
  template <typename T>
  static void expect_refused(const Result<T>& r, const std::string& field) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().message;
    ASSERT_FALSE(r.error().issues.empty()) << r.error().message;
    EXPECT_EQ(r.error().issues.at(0).field, field) << r.error().message;
  }

  // A draft exactly as it was: still a draft, same version and timeline, the
  // same signatures (or none), and nothing new held or sent.
  struct DraftState {
    std::int64_t version;
    std::size_t events;
    std::optional<json> envelope;
    std::size_t held;
    std::vector<std::string> at_provider;
  };
  DraftState state_of(const std::string& id) {
    RequestView v = must(requests_->get(officer_, id));
    EXPECT_EQ(v.request.status, RequestStatus::kDraft);
    auto env = requests_->signed_envelope(officer_, id);
    return {v.request.version, must(requests_->events(officer_, id)).size(),
            env.ok() ? std::optional<json>(*env) : std::nullopt,
            must(requests_->quarantine(admin_, 500)).size(), provider_sees()};
  }
  void expect_unchanged(const std::string& id, const DraftState& before) {
    DraftState now = state_of(id);
    EXPECT_EQ(now.version, before.version);
    EXPECT_EQ(now.events, before.events);
    EXPECT_EQ(now.envelope, before.envelope);
    EXPECT_EQ(now.held, before.held);
    EXPECT_EQ(now.at_provider, before.at_provider);
    EXPECT_FALSE(must(requests_->get(officer_, id)).verification.has_value());
  }

  // A user certificate with exact validity, for the new-key counter.
  testing::TestSigner certified(const testing::TestIssuer& org, const User& u, Roles roles,
                                Timestamp not_before) {
    testing::TestSigner out;
    out.cert.kind = trust::CertKind::kUser;
    out.cert.subject_name = u.name;
    out.cert.subject_email = u.email;
    out.cert.public_key = out.key.public_key();
    out.cert.organisation = *org.cert.organisation;
    out.cert.roles = roles;
    out.cert.country = org.cert.country;
    out.cert.not_before = not_before;
    out.cert.not_after = pki_->at(300);
    out.cert = must(trust::issue_certificate(out.cert, org.key, org.cert.subject_name));
    out.org_cert = org.cert;
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<LedgerService> ledger_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<TrustService> trust_;
  OrganisationPolicyRule rule_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<testing::TestPki> pki_;
  testing::TestIssuer police_ca_, prosecutor_ca_, south_ca_;
  testing::TestSigner officer_sig_, supervisor_sig_, validator_sig_, south_officer_sig_,
      south_supervisor_sig_;
  Organisation police_, prosecutor_, police_south_, provider_;
  Principal officer_, supervisor_, validator_, south_officer_, south_supervisor_, analyst_, admin_;
};

// 1. Signature bytes made with a key that is not the certificate's.
TEST_F(SignedRequestAttacks, ForgedSignatureIsQuarantinedAsSignatureInvalid) {
  json p = payload(unsent());
  trust::SecretKey forger = trust::SecretKey::generate();
  trust::SignedRequest env;
  env.payload = p;
  env.signatures.push_back(trust::sign_request(p, "officer", forger, officer_sig_.cert,
                                               {officer_sig_.org_cert}, clock_.now()));
  json envelope = trust::to_json(env);
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"signature_invalid"}, envelope);
  const json& report = *v.verification;
  EXPECT_FALSE(signer(report, 0).at("valid").get<bool>());
  EXPECT_EQ(signer(report, 0).at("failures"), json({"signature_invalid"}));
  EXPECT_EQ(signer(report, 0).at("key_id"), officer_sig_.cert.key_id());
}

TEST_F(SignedRequestAttacks, ForgedSignatureOnADraftIsRefusedAndNothingIsStored) {
  std::string id = draft();
  DraftState before = state_of(id);
  json p = draft_payload(id);
  testing::TestSigner forged;  // a fresh key behind the officer's certificate
  forged.cert = officer_sig_.cert;
  forged.org_cert = officer_sig_.org_cert;
  expect_refused(requests_->add_signature(
                     officer_, id, testing::signature_body(p, forged, "officer", clock_.now())),
                 "trust:signature_invalid");
  expect_unchanged(id, before);
}

// 2. Signed by the right person, then altered: one target swapped for another.
TEST_F(SignedRequestAttacks, PayloadAlteredAfterSigningIsQuarantinedAsSignatureInvalid) {
  json envelope = officer_envelope(payload(unsent()));
  ASSERT_EQ(envelope["payload"]["targets"][0]["value"], "suspect@example.org");
  envelope["payload"]["targets"][0]["value"] = "bystander@example.org";
  RequestView v = received(envelope);
  // The hub holds the request as it arrived, altered target and all.
  EXPECT_EQ(v.request.draft.targets.at(0).value, "bystander@example.org");
  expect_quarantined(v.request.id, {"signature_invalid"}, envelope);
  EXPECT_NE(signer(*v.verification, 0).at("failures"), json::array());
}

TEST_F(SignedRequestAttacks, CoSignatureOverADifferentPayloadIsRefusedAndNothingIsStored) {
  std::string id = draft();
  json p = draft_payload(id);
  must(requests_->add_signature(officer_, id,
                                testing::signature_body(p, officer_sig_, "officer", clock_.now())));
  DraftState before = state_of(id);
  ASSERT_TRUE(before.envelope.has_value());

  // A supervisor co-signing the request with a target the officer did not sign.
  json altered = p;
  altered["targets"][0]["value"] = "bystander@example.org";
  auto swapped = requests_->add_signature(
      supervisor_, id,
      testing::signature_body(altered, supervisor_sig_, "supervisor", clock_.now()));
  expect_refused(swapped, "payload");
  EXPECT_NE(swapped.error().message.find("targets"), std::string::npos) << swapped.error().message;
  expect_unchanged(id, before);

  // The same request under another nonce is still not what the officer signed.
  json renonced = draft_payload(id);
  auto other = requests_->add_signature(
      supervisor_, id,
      testing::signature_body(renonced, supervisor_sig_, "supervisor", clock_.now()));
  expect_refused(other, "payload");
  EXPECT_NE(other.error().message.find("officer signed"), std::string::npos)
      << other.error().message;
  expect_unchanged(id, before);
}

// 3. An attacker's own root, vouching for a copy of the police unit and its officer.
TEST_F(SignedRequestAttacks, ChainToAnUnknownRootIsQuarantinedAsChainUntrusted) {
  testing::TestPki attacker(clock_.now());
  ASSERT_EQ(attacker.root().cert.subject_name, pki_->root().cert.subject_name);
  testing::TestIssuer fake_police = attacker.organisation(police_, {kDutyDesk});
  testing::TestSigner fake_officer =
      attacker.user(fake_police, officer_.user, testing::roles_of({Role::kOfficer}));
  json envelope = signed_by(payload(unsent()), {{&fake_officer, "officer"}});
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"chain_untrusted"}, envelope);
  EXPECT_EQ(signer(*v.verification, 0).at("failures"), json({"chain_untrusted"}));
}

TEST_F(SignedRequestAttacks, ChainToAnUnknownRootIsRefusedWhenSigningADraft) {
  testing::TestPki attacker(clock_.now());
  testing::TestIssuer fake_police = attacker.organisation(police_);
  testing::TestSigner fake_officer =
      attacker.user(fake_police, officer_.user, testing::roles_of({Role::kOfficer}));
  std::string id = draft();
  DraftState before = state_of(id);
  expect_refused(requests_->add_signature(officer_, id,
                                          testing::signature_body(draft_payload(id), fake_officer,
                                                                  "officer", clock_.now())),
                 "trust:chain_untrusted");
  expect_unchanged(id, before);
  EXPECT_EQ(refusal(requests_->signed_envelope(officer_, id)), ErrorCode::kNotFound);
}

// 4. Certificates outside their validity when the signature was made.
TEST_F(SignedRequestAttacks, ExpiredCertificateIsQuarantined) {
  testing::TestSigner lapsed =
      pki_->user(police_ca_, officer_.user, testing::roles_of({Role::kOfficer}), std::nullopt,
                 /*age_days=*/30, /*valid_days=*/-1);
  ASSERT_LT(lapsed.cert.not_after, clock_.now());
  json envelope = signed_by(payload(unsent()), {{&lapsed, "officer"}});
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"certificate_expired"}, envelope);
}

TEST_F(SignedRequestAttacks, NotYetValidCertificateIsQuarantined) {
  testing::TestSigner early =
      pki_->user(police_ca_, officer_.user, testing::roles_of({Role::kOfficer}), std::nullopt,
                 /*age_days=*/-1, /*valid_days=*/300);
  ASSERT_GT(early.cert.not_before, clock_.now());
  json envelope = signed_by(payload(unsent()), {{&early, "officer"}});
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"certificate_not_yet_valid"}, envelope);
}

// 5. The police unit revokes the officer's certificate at T.
TEST_F(SignedRequestAttacks, KeyRevokedBeforeSigningIsQuarantined) {
  Timestamp t = Timestamp::from_seconds(clock_.now().seconds() + 3600);
  clock_.set(format_rfc3339(t));
  must(trust_->add_revocation_list(admin_,
                                   pki_->revocation_list(police_ca_, 1, {&officer_sig_.cert}, t)));
  // At the instant of revocation the key is already revoked.
  json at_t = officer_envelope(payload(unsent()));
  expect_quarantined(received(at_t).request.id, {"key_revoked"}, at_t);

  clock_.advance(3600);
  json after = officer_envelope(payload(unsent()));
  RequestView v = received(after);
  expect_quarantined(v.request.id, {"key_revoked"}, after);
  EXPECT_EQ(signer(*v.verification, 0).at("failures"), json({"key_revoked"}));
  EXPECT_NE(v.request.quarantine_reason->find("key_compromise"), std::string::npos);
}

TEST_F(SignedRequestAttacks, SignatureMadeBeforeRevocationStandsAndReportsTheRevocation) {
  Timestamp t = Timestamp::from_seconds(clock_.now().seconds() + 3600);
  clock_.set(format_rfc3339(Timestamp::from_seconds(t.seconds() - 1)));
  json before = officer_envelope(payload(unsent()));
  // Received a day later, after the revocation, well inside the 7-day window.
  clock_.advance(86400);
  must(trust_->add_revocation_list(admin_,
                                   pki_->revocation_list(police_ca_, 1, {&officer_sig_.cert}, t)));
  RequestView v = received(before);
  EXPECT_EQ(v.request.status, RequestStatus::kSubmitted)
      << v.request.quarantine_reason.value_or("");
  ASSERT_TRUE(v.verification.has_value());
  const json& report = *v.verification;
  EXPECT_TRUE(report.at("ok").get<bool>());
  EXPECT_EQ(report.at("failures"), json::array());
  EXPECT_TRUE(signer(report, 0).at("valid").get<bool>());
  EXPECT_EQ(signer(report, 0).at("revoked_later_at"), format_rfc3339(t));
  ASSERT_EQ(report.at("notes").size(), 1u);
  EXPECT_NE(report.at("notes")[0].get<std::string>().find("the signature stands"),
            std::string::npos);
  // The provider has it, and sees the same report.
  RequestView at_provider = must(requests_->get(analyst_, v.request.id));
  EXPECT_EQ(signer(*at_provider.verification, 0).at("revoked_later_at"), format_rfc3339(t));
  EXPECT_TRUE(must(requests_->quarantine(admin_, 500)).empty());
}

// 6. Replays.
TEST_F(SignedRequestAttacks, ReplayedEnvelopeIsQuarantinedNamingTheFirstRequest) {
  json envelope = officer_envelope(payload(unsent()));
  RequestView first = received(envelope);
  ASSERT_EQ(first.request.status, RequestStatus::kSubmitted)
      << first.request.quarantine_reason.value_or("");
  clock_.advance(60);
  RequestView again = received(envelope);
  EXPECT_NE(again.request.id, first.request.id);
  EXPECT_NE(again.request.reference, first.request.reference);
  // Both the nonce and the request id were seen before.
  expect_quarantined(again.request.id, {"replayed", "replayed"}, envelope);
  for (const auto& f : again.verification->at("failures")) {
    EXPECT_NE(f.at("detail").get<std::string>().find(first.request.reference), std::string::npos)
        << f.at("detail");
  }
  EXPECT_NE(again.request.quarantine_reason->find("this nonce"), std::string::npos);
  EXPECT_NE(again.request.quarantine_reason->find("this request"), std::string::npos);
  // The first is untouched, and the provider sees only it.
  RequestView original = must(requests_->get(analyst_, first.request.id));
  EXPECT_EQ(original.request.status, RequestStatus::kSubmitted);
  EXPECT_EQ(original.request.version, first.request.version);
  EXPECT_EQ(provider_sees(), std::vector<std::string>{first.request.id});
}

TEST_F(SignedRequestAttacks, ReplayedNonceUnderANewRequestIdIsQuarantined) {
  std::string nonce = trust::new_request_nonce();
  RequestView first = received(officer_envelope(payload(unsent(), std::nullopt, nonce)));
  ASSERT_EQ(first.request.status, RequestStatus::kSubmitted);
  Request other = unsent();
  json envelope = officer_envelope(payload(other, std::nullopt, nonce));
  RequestView again = received(envelope);
  // A new request id is taken as given; only the nonce gives it away.
  EXPECT_EQ(again.request.id, other.id);
  expect_quarantined(again.request.id, {"replayed"}, envelope);
  std::string detail = again.verification->at("failures")[0].at("detail");
  EXPECT_NE(detail.find("this nonce"), std::string::npos) << detail;
  EXPECT_NE(detail.find(first.request.reference), std::string::npos) << detail;
  EXPECT_EQ(provider_sees(), std::vector<std::string>{first.request.id});
}

// 7. People certified by, or belonging to, another police unit.
TEST_F(SignedRequestAttacks, UserCertificateNamingUnitAButIssuedByUnitBIsQuarantined) {
  testing::TestSigner crossed = pki_->user(
      south_ca_, officer_.user, testing::roles_of({Role::kOfficer}), testing::ref_of(police_));
  ASSERT_EQ(crossed.cert.organisation->endpoint_uid, "EXPOL");
  json envelope = signed_by(payload(unsent()), {{&crossed, "officer"}});
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"organisation_mismatch"}, envelope);

  // Signing a draft with it is refused just the same.
  std::string id = draft();
  DraftState before = state_of(id);
  expect_refused(requests_->add_signature(
                     officer_, id,
                     testing::signature_body(draft_payload(id), crossed, "officer", clock_.now())),
                 "trust:organisation_mismatch");
  expect_unchanged(id, before);
}

TEST_F(SignedRequestAttacks, OfficerOfUnitBSigningUnitARequestIsQuarantinedAsIssuerMismatch) {
  json envelope = signed_by(payload(unsent()), {{&south_officer_sig_, "officer"}});
  RequestView v = received(envelope);  // sent by unit A's own account
  expect_quarantined(v.request.id, {"issuer_mismatch"}, envelope);
  EXPECT_TRUE(signer(*v.verification, 0).at("failures") == json({"issuer_mismatch"}));

  // Unit B's account cannot send unit A's requests at all.
  auto sent = requests_->receive_signed(south_officer_, envelope, std::nullopt);
  expect_refused(sent, "payload/issuer");
}

// 8. An emergency "confirmed" by a supervisor of another police unit.
TEST_F(SignedRequestAttacks, EmergencyConfirmedByAForeignSupervisorIsQuarantined) {
  json envelope = signed_by(payload(unsent(emergency_body()), kDutyDesk),
                            {{&officer_sig_, "officer"}, {&south_supervisor_sig_, "supervisor"}});
  RequestView v = received(envelope);
  // The foreign supervisor does not count, so no supervisor confirmed it.
  expect_quarantined(
      v.request.id,
      {"cosigner_foreign", "emergency_supervisor_foreign", "emergency_supervisor_missing"},
      envelope);
  EXPECT_TRUE(signer(*v.verification, 0).at("valid").get<bool>());
  EXPECT_EQ(signer(*v.verification, 1).at("failures"),
            json({"cosigner_foreign", "emergency_supervisor_foreign"}));
}

// 9. An emergency without a supervisor's confirmation.
TEST_F(SignedRequestAttacks, EmergencyWithoutSupervisorIsQuarantined) {
  json envelope = officer_envelope(payload(unsent(emergency_body()), kDutyDesk));
  expect_quarantined(received(envelope).request.id, {"emergency_supervisor_missing"}, envelope);

  // Submitted from a draft on this hub, it is refused before it goes
  // anywhere, and stays a draft for the supervisor to co-sign.
  std::string id = draft(emergency_body());
  must(requests_->add_signature(officer_, id,
                                testing::signature_body(draft_payload(id, kDutyDesk), officer_sig_,
                                                        "officer", clock_.now())));
  auto sent =
      requests_->act(officer_, id, {RequestAction::kSubmit, "", std::nullopt, std::nullopt});
  ASSERT_FALSE(sent.ok());
  ASSERT_FALSE(sent.error().issues.empty());
  EXPECT_EQ(sent.error().issues[0].field, "signatures");
  EXPECT_NE(sent.error().message.find("supervisor's co-signature"), std::string::npos)
      << sent.error().message;
  RequestView still = must(requests_->get(officer_, id));
  EXPECT_EQ(still.request.status, RequestStatus::kDraft);
  ASSERT_TRUE(still.signature_needs.has_value());
  EXPECT_EQ(still.signature_needs->supervisors, 1);
  EXPECT_EQ(still.signature_needs->supervisors_signed, 0);
}

// 10. Call-back contacts, co-signature policy and freshness.
TEST_F(SignedRequestAttacks, EmergencyCallbackNotInTheOrganisationCertificateIsQuarantined) {
  trust::Contact attacker_phone{"phone", "+3225550199"};
  json envelope = signed_by(payload(unsent(emergency_body()), attacker_phone),
                            {{&officer_sig_, "officer"}, {&supervisor_sig_, "supervisor"}});
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"emergency_callback_unvouched"}, envelope);
  EXPECT_NE(v.request.quarantine_reason->find("+3225550199"), std::string::npos);
}

TEST_F(SignedRequestAttacks, PolicyRequiringAValidatorQuarantinesARequestWithoutOne) {
  must(trust_->set_policy(admin_, police_.id, SigningPolicy{police_.id, 1, 0, 48, "", ""}));
  json envelope = officer_envelope(payload(unsent()));
  RequestView v = received(envelope);
  expect_quarantined(v.request.id, {"cosignature_missing"}, envelope);
  EXPECT_NE(v.request.quarantine_reason->find("1 validator"), std::string::npos);
  // A supervisor is not a validator.
  json wrong_role =
      signed_by(payload(unsent()), {{&officer_sig_, "officer"}, {&supervisor_sig_, "supervisor"}});
  expect_quarantined(received(wrong_role).request.id, {"cosignature_missing"}, wrong_role);
}

TEST_F(SignedRequestAttacks, ValidatorCoSignatureSatisfiesThePolicy) {
  must(trust_->set_policy(admin_, police_.id, SigningPolicy{police_.id, 1, 0, 48, "", ""}));
  json envelope =
      signed_by(payload(unsent()), {{&officer_sig_, "officer"}, {&validator_sig_, "validator"}});
  RequestView v = received(envelope);
  EXPECT_EQ(v.request.status, RequestStatus::kSubmitted)
      << v.request.quarantine_reason.value_or("");
  EXPECT_FALSE(v.request.quarantine_reason.has_value());
  EXPECT_TRUE(v.verification->at("ok").get<bool>());
  EXPECT_TRUE(signer(*v.verification, 1).at("valid").get<bool>());
  EXPECT_EQ(signer(*v.verification, 1).at("organisation").at("endpoint_uid"), "EXPROS");
  EXPECT_EQ(provider_sees(), std::vector<std::string>{v.request.id});
}

TEST_F(SignedRequestAttacks, RequestSignedMoreThanSevenDaysBeforeReceiptIsQuarantinedAsStale) {
  json old = officer_envelope(payload(unsent()));
  json exactly = officer_envelope(payload(unsent()));
  clock_.advance(7 * 86400);
  // Seven days to the second is still fresh.
  EXPECT_EQ(received(exactly).request.status, RequestStatus::kSubmitted);
  clock_.advance(1);
  RequestView v = received(old);
  // Both the payload's issued_at and the officer's signature are too old.
  expect_quarantined(v.request.id, {"stale", "stale"}, old);
  EXPECT_EQ(signer(*v.verification, 0).at("failures"), json({"stale"}));
}

// 11. The emergency path end to end, and the follow-up it owes.
TEST_F(SignedRequestAttacks, EmergencyIsDueInEightHoursAndItsFollowUpEscalatesOnce) {
  std::string id = draft(emergency_body());
  json p = draft_payload(id, kDutyDesk);
  must(requests_->add_signature(officer_, id,
                                testing::signature_body(p, officer_sig_, "officer", clock_.now())));
  clock_.advance(120);
  must(requests_->add_signature(
      supervisor_, id, testing::signature_body(p, supervisor_sig_, "supervisor", clock_.now())));
  clock_.set("2026-11-01T00:05:00Z");
  RequestView sent =
      must(requests_->act(officer_, id, {RequestAction::kSubmit, "", std::nullopt, std::nullopt}));
  ASSERT_EQ(sent.request.status, RequestStatus::kSubmitted)
      << sent.request.quarantine_reason.value_or("");
  EXPECT_EQ(sent.request.due_at, "2026-11-01T08:05:00Z");
  EXPECT_NE(sent.request.due_rule.find("8 hours"), std::string::npos);
  EXPECT_TRUE(sent.verification->at("ok").get<bool>());
  EXPECT_EQ(sent.verification->at("signers").size(), 2u);

  clock_.set("2026-11-01T01:00:00Z");
  for (auto a : {RequestAction::kAcknowledge, RequestAction::kAccept})
    must(requests_->act(analyst_, id, {a, "", std::nullopt, std::nullopt}));
  upload_package(id, "subscriber,threat@example.org,Jan Example\n");
  clock_.set("2026-11-01T02:30:00Z");
  RequestView produced =
      must(requests_->act(analyst_, id, {RequestAction::kProduce, "", std::nullopt, std::nullopt}));
  EXPECT_EQ(produced.request.status, RequestStatus::kProduced);
  EXPECT_EQ(produced.request.follow_up_due, "2026-11-03T02:30:00Z");
  EXPECT_FALSE(produced.request.follow_up_escalated_at.has_value());

  clock_.set("2026-11-03T02:29:59Z");
  EXPECT_EQ(must(requests_->escalate_follow_ups()), 0);
  clock_.set("2026-11-03T02:30:00Z");
  EXPECT_EQ(must(requests_->escalate_follow_ups()), 0) << "due, but not yet overdue";
  // Half a second late is late.
  clock_.set("2026-11-03T02:30:00.5Z");
  EXPECT_EQ(must(requests_->escalate_follow_ups()), 1);
  auto events = must(requests_->events(analyst_, id));
  EXPECT_EQ(events.back().type, "follow_up_overdue");
  EXPECT_EQ(events.back().actor_org_id, "hub");
  EXPECT_NE(events.back().note.find("2026-11-03T02:30:00Z"), std::string::npos);
  RequestView late = must(requests_->get(officer_, id));
  EXPECT_EQ(late.request.follow_up_escalated_at, "2026-11-03T02:30:00.500000Z");
  clock_.advance(3600);
  EXPECT_EQ(must(requests_->escalate_follow_ups()), 0) << "escalated once only";
  EXPECT_EQ(must(requests_->events(officer_, id)).size(), events.size());

  auto no_note =
      requests_->act(officer_, id, {RequestAction::kFollowUp, "", std::nullopt, std::nullopt});
  expect_refused(no_note, "note");
  RequestView done = must(
      requests_->act(officer_, id,
                     {RequestAction::kFollowUp, "European Production Order EPOC-2026-17 issued",
                      std::nullopt, std::nullopt}));
  EXPECT_EQ(done.request.status, RequestStatus::kProduced);
  EXPECT_EQ(done.request.follow_up_done_at, format_rfc3339_micros(clock_.now()));
  auto again =
      requests_->act(officer_, id, {RequestAction::kFollowUp, "again", std::nullopt, std::nullopt});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kIllegalTransition);
}

// 12. What a provider's analyst weighs besides the signatures.
TEST_F(SignedRequestAttacks, AnomalyCountersDescribeTheRequesterAndNewKeys) {
  // A quarantined request does not make the requester known to the provider.
  json forged = officer_envelope(payload(unsent()));
  forged["payload"]["offence_description"] = "Altered after signing";
  ASSERT_EQ(received(forged).request.status, RequestStatus::kQuarantined);

  RequestView first = received(officer_envelope(payload(unsent())));
  ASSERT_EQ(first.request.status, RequestStatus::kSubmitted);
  const json& a1 = first.verification->at("anomalies");
  EXPECT_TRUE(a1.at("first_time_requester").get<bool>());
  EXPECT_EQ(a1.at("window_days"), 30);
  EXPECT_EQ(a1.at("requests_in_window"), 1);
  EXPECT_EQ(a1.at("emergency_in_window"), 0);
  EXPECT_EQ(a1.at("new_keys"), json::array()) << "certified 30 days before signing";

  clock_.advance(600);
  RequestView second =
      received(signed_by(payload(unsent(emergency_body()), kDutyDesk),
                         {{&officer_sig_, "officer"}, {&supervisor_sig_, "supervisor"}}));
  ASSERT_EQ(second.request.status, RequestStatus::kSubmitted)
      << second.request.quarantine_reason.value_or("");
  const json& a2 = second.verification->at("anomalies");
  EXPECT_FALSE(a2.at("first_time_requester").get<bool>());
  EXPECT_EQ(a2.at("requests_in_window"), 2);
  EXPECT_EQ(a2.at("emergency_in_window"), 1);
  EXPECT_DOUBLE_EQ(a2.at("emergency_rate").get<double>(), 0.5);

  // An officer certified ten minutes before signing.
  User newcomer = must(
      accounts_->create_user(Principal::local_operator(),
                             {police_.id, "Nina Dubois", "nina@police.example.org", "officer"}));
  testing::TestSigner fresh = certified(police_ca_, newcomer, testing::roles_of({Role::kOfficer}),
                                        Timestamp::from_seconds(clock_.now().seconds() - 600));
  Timestamp signed_at = clock_.now();
  RequestView third = received(signed_by(payload(unsent()), {{&fresh, "officer"}}));
  ASSERT_EQ(third.request.status, RequestStatus::kSubmitted)
      << third.request.quarantine_reason.value_or("");
  const json& a3 = third.verification->at("anomalies");
  EXPECT_EQ(a3.at("requests_in_window"), 3);
  EXPECT_EQ(a3.at("emergency_in_window"), 1);
  ASSERT_EQ(a3.at("new_keys").size(), 1u) << a3.dump(2);
  EXPECT_EQ(a3.at("new_keys")[0].at("key_id"), fresh.cert.key_id());
  EXPECT_EQ(a3.at("new_keys")[0].at("name"), "Nina Dubois");
  EXPECT_EQ(a3.at("new_keys")[0].at("certified_at"), format_rfc3339(fresh.cert.not_before));
  EXPECT_EQ(a3.at("new_keys")[0].at("signed_at"), format_rfc3339(signed_at));
  EXPECT_EQ(signed_at.seconds() - fresh.cert.not_before.seconds(), 600);
}

// The window is counted in whole UTC days: the day 30 days before receipt
// and every day since.
TEST_F(SignedRequestAttacks, AnomalyWindowCountsTheThirtyDaysBeforeReceiptInWholeDays) {
  RequestView first = received(officer_envelope(payload(unsent())));
  ASSERT_EQ(first.request.submitted_at, "2026-11-01T00:00:00.000000Z");
  clock_.advance(30 * 86400);
  RequestView second = received(officer_envelope(payload(unsent())));
  EXPECT_EQ(second.verification->at("anomalies").at("requests_in_window"), 2)
      << "a request received exactly 30 days before is in the window";
  clock_.set("2026-12-01T23:59:59Z");
  RequestView third = received(officer_envelope(payload(unsent())));
  EXPECT_EQ(third.verification->at("anomalies").at("requests_in_window"), 3)
      << "its day, 2026-11-01, is still the window's first";
  clock_.set("2026-12-02T00:00:00Z");
  RequestView fourth = received(officer_envelope(payload(unsent())));
  EXPECT_EQ(fourth.verification->at("anomalies").at("requests_in_window"), 3)
      << "from 2026-12-02 the first request has left the window";
}

}  // namespace
}  // namespace liaison
