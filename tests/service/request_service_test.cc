// RequestService rules that need control of time: preservations expire when
// their period runs out, and not before.
#include "service/request_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "service/account_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace liaison {
namespace {

class FakeClock final : public Clock {
 public:
  Timestamp now() const override { return now_; }
  void set(std::string_view rfc3339) { now_ = parse_rfc3339(rfc3339, "now").value(); }

 private:
  Timestamp now_ = Timestamp::from_seconds(1'790'000'000);
};

template <typename T>
T must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return std::move(r).value();
}

class RequestServiceTest : public ::testing::Test {
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
    provider_ = must(accounts_->create_org(op, {"provider", "Example Host", "DE", "EXHOST"}));
    officer_ = principal(must(
        accounts_->create_user(op, {police_.id, "Olga", "olga@police.example.org", "officer"})));
    analyst_ = principal(
        must(accounts_->create_user(op, {provider_.id, "Ari", "ari@host.example.org", "analyst"})));
    pki_ = std::make_unique<testing::TestPki>(clock_.now());
    auto police_ca = pki_->organisation(police_);
    must(trust_->add_root(op, trust::to_json(pki_->root().cert)));
    must(trust_->add_certificate(op, trust::to_json(police_ca.cert)));
    signer_ = std::make_unique<testing::TestSigner>(
        pki_->user(police_ca, officer_.user, testing::roles_of({Role::kOfficer})));
  }

  // Signs as the officer and submits, as the CLI would.
  void submit(const std::string& id) {
    Request r = must(requests_->get(officer_, id)).request;
    auto payload = testing::payload_of(r, police_, provider_, clock_.now());
    must(requests_->add_signature(
        officer_, id, testing::signature_body(payload, *signer_, "officer", clock_.now())));
    auto sent = must(
        requests_->act(officer_, id, {RequestAction::kSubmit, "", std::nullopt, std::nullopt}));
    EXPECT_EQ(sent.request.status, RequestStatus::kSubmitted)
        << sent.request.quarantine_reason.value_or("");
  }

  Principal principal(const User& u) {
    IssuedToken t = must(accounts_->create_token(Principal::local_operator(),
                                                 {u.id, "t", std::nullopt, std::nullopt}));
    return must(accounts_->authenticate(t.secret));
  }

  std::string preserved_request(const std::string& until) {
    nlohmann::json draft = {
        {"kind", "preservation"},
        {"categories", {"TrafficData"}},
        {"targets", {{{"kind", "domain"}, {"value", "bad.example.org"}}}},
        {"legal_basis", {{"instrument", "Budapest Convention"}, {"article", "Art. 29"}}},
        {"offence_description", "Botnet command and control"},
        {"provider_id", provider_.id}};
    auto r = must(requests_->create(officer_, draft, std::nullopt)).value.request;
    submit(r.id);
    must(requests_->act(analyst_, r.id,
                        {RequestAction::kAcknowledge, "", std::nullopt, std::nullopt}));
    must(requests_->act(analyst_, r.id, {RequestAction::kAccept, "", std::nullopt, std::nullopt}));
    must(requests_->act(analyst_, r.id, {RequestAction::kPreserve, "", until, std::nullopt}));
    return r.id;
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
  std::unique_ptr<testing::TestSigner> signer_;
  Organisation police_, provider_;
  Principal officer_, analyst_;
};

TEST_F(RequestServiceTest, PreservationExpiresOnlyOnceItsPeriodHasRunOut) {
  std::string id = preserved_request("2026-12-01T00:00:00Z");
  clock_.set("2026-11-30T23:59:59Z");
  EXPECT_EQ(must(requests_->expire_preservations()), 0);
  EXPECT_EQ(must(requests_->get(officer_, id)).request.status, RequestStatus::kPreserved);

  clock_.set("2026-12-01T00:00:01Z");
  EXPECT_EQ(must(requests_->expire_preservations()), 1);
  auto view = must(requests_->get(officer_, id));
  EXPECT_EQ(view.request.status, RequestStatus::kExpired);
  EXPECT_STREQ(etsi_status(view.request.draft.kind, view.request.status).value, "Expired");
  auto events = must(requests_->events(officer_, id));
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[events.size() - 2].type, "expire");
  EXPECT_EQ(events[events.size() - 2].actor_org_id, "hub");
  EXPECT_EQ(events.back().type, "hold_expired");
  EXPECT_EQ(events.back().actor_org_id, "hub");
  EXPECT_EQ(must(requests_->expire_preservations()), 0)
      << "an expired request does not expire twice";
}

TEST_F(RequestServiceTest, ExtendingPushesExpiryBack) {
  std::string id = preserved_request("2026-12-01T00:00:00Z");
  must(requests_->act(officer_, id,
                      {RequestAction::kExtend, "", "2027-01-01T00:00:00Z", std::nullopt}));
  clock_.set("2026-12-15T00:00:00Z");
  EXPECT_EQ(must(requests_->expire_preservations()), 0);
  auto earlier = requests_->act(officer_, id,
                                {RequestAction::kExtend, "", "2026-12-20T00:00:00Z", std::nullopt});
  ASSERT_FALSE(earlier.ok());
  EXPECT_EQ(earlier.error().issues.at(0).field, "preserved_until");
}

TEST_F(RequestServiceTest, PreserveWithoutADateDefaultsToNinetyDays) {
  nlohmann::json draft = {
      {"kind", "preservation"},
      {"categories", {"SubscriberData"}},
      {"targets", {{{"kind", "email"}, {"value", "x@example.org"}}}},
      {"legal_basis", {{"instrument", "Budapest Convention"}, {"article", "Art. 29"}}},
      {"offence_description", "Extortion"},
      {"provider_id", provider_.id}};
  auto r = must(requests_->create(officer_, draft, std::nullopt)).value.request;
  submit(r.id);
  for (auto [who, action] : {std::pair{&analyst_, RequestAction::kAcknowledge},
                             {&analyst_, RequestAction::kAccept},
                             {&analyst_, RequestAction::kPreserve}}) {
    must(requests_->act(*who, r.id, {action, "", std::nullopt, std::nullopt}));
  }
  EXPECT_EQ(must(requests_->get(officer_, r.id)).request.preserved_until, "2027-01-30T00:00:00Z");
}

// The hold follows its preservation: made with it, renewed with it, expired
// with it, and the sweep does not touch it twice.
TEST_F(RequestServiceTest, TheHoldExpiresWithItsPreservation) {
  std::string id = preserved_request("2026-12-01T00:00:00Z");
  auto view = must(requests_->get(officer_, id));
  ASSERT_EQ(view.holds.size(), 1u);
  LegalHold hold = view.holds[0];
  EXPECT_EQ(hold.status, HoldStatus::kActive);
  EXPECT_EQ(hold.expires_at, "2026-12-01T00:00:00Z");
  EXPECT_EQ(hold.scope.accounts.at(0).value, "bad.example.org");
  EXPECT_EQ(hold.scope.categories, std::vector<DataCategory>{DataCategory::kTrafficData});
  must(requests_->act(officer_, id,
                      {RequestAction::kExtend, "", "2026-12-15T00:00:00Z", std::nullopt}));
  clock_.set("2026-12-01T00:00:01Z");
  EXPECT_EQ(must(requests_->expire_preservations()), 0) << "extended";
  clock_.set("2026-12-14T23:59:59Z");
  EXPECT_EQ(must(requests_->expire_preservations()), 0) << "not before its end";
  EXPECT_EQ(must(requests_->get_hold(analyst_, hold.id)).status, HoldStatus::kActive);
  clock_.set("2026-12-15T00:00:00Z");
  EXPECT_EQ(must(requests_->expire_preservations()), 1);
  LegalHold expired = must(requests_->get_hold(analyst_, hold.id));
  EXPECT_EQ(expired.status, HoldStatus::kExpired);
  EXPECT_EQ(expired.expired_at, "2026-12-15T00:00:00.000000Z");
  ASSERT_EQ(expired.renewals.size(), 1u);
  EXPECT_EQ(expired.renewals[0].previous_expiry, "2026-12-01T00:00:00Z");
  EXPECT_EQ(expired.renewals[0].new_expiry, "2026-12-15T00:00:00Z");
  // A hold that ran out is not released.
  auto late = requests_->release_hold(analyst_, hold.id, "done");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kIllegalTransition);
  EXPECT_EQ(must(requests_->expire_preservations()), 0);
  auto events = must(requests_->events(officer_, id));
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const RequestEvent& e) { return e.type == "hold_expired"; }),
            1);
}

TEST_F(RequestServiceTest, TheUserNotificationTaskComesOnceTheGagHasPassed) {
  nlohmann::json draft = {
      {"kind", "production"},
      {"categories", {"SubscriberData"}},
      {"targets", {{{"kind", "email"}, {"value", "x@example.org"}}}},
      {"legal_basis", {{"instrument", "Budapest Convention"}, {"article", "Art. 18"}}},
      {"offence_description", "Extortion"},
      {"non_disclosure_until", "2026-11-10T00:00:00Z"},
      {"provider_id", provider_.id}};
  auto r = must(requests_->create(officer_, draft, std::nullopt)).value.request;
  EXPECT_EQ(must(requests_->permit_user_notifications()), 0);
  clock_.set("2026-11-11T00:00:00Z");
  EXPECT_EQ(must(requests_->permit_user_notifications()), 0)
      << "a draft never reached the provider";
  clock_.set("2026-11-01T00:00:00Z");
  submit(r.id);
  clock_.set("2026-11-10T00:00:00Z");
  EXPECT_EQ(must(requests_->permit_user_notifications()), 0)
      << "the instant itself is still gagged";
  clock_.set("2026-11-10T00:00:00.000001Z");
  EXPECT_EQ(must(requests_->permit_user_notifications()), 1);
  EXPECT_EQ(must(requests_->permit_user_notifications()), 0);
  auto view = must(requests_->get(analyst_, r.id));
  EXPECT_EQ(view.request.user_notification_permitted_at, "2026-11-10T00:00:00.000001Z");
  EXPECT_EQ(view.request.status, RequestStatus::kSubmitted);
  EXPECT_EQ(must(requests_->events(officer_, r.id)).back().type, "user_notification_permitted");
  auto told = must(requests_->act(
      analyst_, r.id, {RequestAction::kNotifyUser, "told by letter", std::nullopt, std::nullopt}));
  EXPECT_EQ(told.request.user_notified_by, analyst_.user.id);
  EXPECT_EQ(told.request.status, RequestStatus::kSubmitted);
}

TEST_F(RequestServiceTest, RemindersComeOnceEachAtTheirLeadTime) {
  std::string id = preserved_request("2026-12-01T00:00:00Z");
  ReminderPolicy policy;  // seven days before a preservation ends
  clock_.set("2026-11-23T23:59:59Z");
  EXPECT_EQ(must(requests_->make_reminders(policy)), 0);
  clock_.set("2026-11-24T00:00:00Z");
  EXPECT_EQ(must(requests_->make_reminders(policy)), 1);
  EXPECT_EQ(must(requests_->make_reminders(policy)), 0);
  auto mine = must(requests_->reminders(officer_, true));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].kind, "preservation_expiring");
  EXPECT_EQ(mine[0].request_id, id);
  EXPECT_EQ(mine[0].due_at, "2026-12-01T00:00:00Z");
  EXPECT_TRUE(must(requests_->reminders(analyst_, false)).empty());
  // Extended: a new expiry is a new reminder when its time comes.
  must(requests_->act(officer_, id,
                      {RequestAction::kExtend, "", "2026-12-20T00:00:00Z", std::nullopt}));
  EXPECT_EQ(must(requests_->make_reminders(policy)), 0);
  clock_.set("2026-12-13T00:00:00Z");
  EXPECT_EQ(must(requests_->make_reminders(policy)), 1);
  EXPECT_EQ(must(requests_->reminders(officer_, true)).size(), 2u);
  // The due list agrees, and an ended preservation is due no more.
  auto due = must(requests_->due(officer_, 86400LL * 30));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].deadline.kind, DeadlineKind::kPreservationExpiry);
  EXPECT_FALSE(due[0].overdue);
  must(requests_->act(officer_, id, {RequestAction::kRelease, "", std::nullopt, std::nullopt}));
  EXPECT_TRUE(must(requests_->due(officer_, 86400LL * 30)).empty());
}

TEST_F(RequestServiceTest, ExpiredTokenIsRefused) {
  User u = must(accounts_->create_user(Principal::local_operator(),
                                       {police_.id, "Tim", "tim@police.example.org", "officer"}));
  IssuedToken t =
      must(accounts_->create_token(Principal::local_operator(), {u.id, "short", 1, std::nullopt}));
  EXPECT_TRUE(accounts_->authenticate(t.secret).ok());
  clock_.set("2026-11-02T00:00:01Z");
  auto r = accounts_->authenticate(t.secret);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(r.error().message.find("expired"), std::string::npos);
}

}  // namespace
}  // namespace liaison
