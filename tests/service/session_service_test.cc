// Interactive login, with a clock the test controls: passwords, TOTP and
// recovery codes, lockout and the per-address limit, and how sessions end.
#include "service/session_service.h"

#include <gtest/gtest.h>

#include <set>

#include "service/account_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"
#include "trust/base32.h"
#include "trust/encoding.h"
#include "trust/password.h"
#include "trust/totp.h"

namespace liaison {
namespace {

class FakeClock final : public Clock {
 public:
  Timestamp now() const override { return now_; }
  void advance_seconds(std::int64_t s) { now_.unix_micros += s * 1'000'000; }
  std::int64_t seconds() const { return now_.seconds(); }

 private:
  Timestamp now_ = Timestamp::from_seconds(1'800'000'010);  // 10 s into a TOTP step
};

constexpr const char* kAddress = "192.0.2.10";

class SessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite_store((dir_.path() / "liaison.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened.value());
    ledger_ = std::make_unique<LedgerService>(
        *store_, clock_, must(trust::SecretKey::from_seed(std::string(32, 'L'))), "test/ledger");
    accounts_ = std::make_unique<AccountService>(*store_, clock_, *ledger_);
    policy_.password_cost = trust::password_cost_from_name("min", "cost").value();
    sessions_ = make_sessions();
    Principal op = Principal::local_operator();
    org_ = must(accounts_->create_org(op, {"authority", "Northport Police", "NL", "NPCU"}));
    olivia_ = must(accounts_->create_user(op, {org_.id, "Olivia Brandt", kOlivia, "officer"}));
    ada_ = must(accounts_->create_user(
        op, {org_.id, "Ada Kramer", "ada.kramer@police.example.org", "org_admin"}));
    ASSERT_TRUE(sessions_->set_password(op, olivia_.id, kPassword, std::nullopt).ok());
  }

  std::unique_ptr<SessionService> make_sessions() {
    return std::make_unique<SessionService>(*store_, clock_,
                                            trust::SecretBox::with_key(key_).value(), policy_);
  }

  template <typename T>
  T must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.error().message;
    return std::move(r).value();
  }

  // The user as they call the API with a token of their own.
  Principal as(const User& u, Scopes scopes = {Scope::kRead, Scope::kWrite}) {
    IssuedToken t = must(
        accounts_->create_token(Principal::local_operator(), {u.id, "t", std::nullopt, scopes}));
    return must(accounts_->authenticate(t.secret));
  }

  // Enrols and confirms Olivia's authenticator; returns its secret bytes.
  std::string enrol_olivia() {
    Principal self = as(olivia_);
    TotpEnrolment e = must(sessions_->begin_totp_enrolment(self, olivia_.id));
    std::string secret = must(trust::base32_decode(e.secret, "secret"));
    recovery_codes_ = must(sessions_->confirm_totp(self, olivia_.id, code_at(secret, 0)));
    return secret;
  }

  // The code of the step `steps` away from now.
  std::string code_at(const std::string& secret, int steps) {
    return trust::totp_code(secret, clock_.seconds() + 30 * steps);
  }

  Result<IssuedSession> login(const std::string& password, std::optional<std::string> totp,
                              std::optional<std::string> recovery = std::nullopt,
                              const std::string& email = kOlivia,
                              const std::string& address = kAddress) {
    return sessions_->login({email, password, std::move(totp), std::move(recovery), address});
  }

  std::size_t session_rows(const User& u) {
    std::size_t n = 0;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Status {
                      LIAISON_ASSIGN_OR_RETURN(auto all, tx.list_sessions(u.id));
                      n = all.size();
                      return Ok{};
                    })
                    .ok());
    return n;
  }

  std::vector<std::string> event_types(const User& u) {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Status {
                      LIAISON_ASSIGN_OR_RETURN(auto all, tx.list_account_events(u.id));
                      for (const auto& e : all) out.push_back(e.type);
                      return Ok{};
                    })
                    .ok());
    return out;
  }

  static constexpr const char* kOlivia = "olivia.brandt@police.example.org";
  static constexpr const char* kPassword = "correct horse battery staple";

  testing::TempDir dir_;
  FakeClock clock_;
  std::string key_ = trust::random_bytes(32);
  SessionPolicy policy_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LedgerService> ledger_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<SessionService> sessions_;
  Organisation org_;
  User olivia_, ada_;
  std::vector<std::string> recovery_codes_;
};

void expect_generic_failure(const Result<IssuedSession>& r, const std::string& what) {
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << what;
  EXPECT_EQ(r.error().message, "the e-mail address, password or code is wrong") << what;
}

TEST_F(SessionServiceTest, InteractiveLoginNeedsAConfirmedAuthenticator) {
  auto r = login(kPassword, "123456");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_NE(r.error().message.find("password and a confirmed TOTP authenticator"),
            std::string::npos)
      << r.error().message;
  // Only someone with the right password learns that.
  expect_generic_failure(login("a wrong password!", "123456"), "wrong password");
  EXPECT_EQ(session_rows(olivia_), 0u);

  // A pending enrolment is not enough either.
  ASSERT_TRUE(sessions_->begin_totp_enrolment(as(olivia_), olivia_.id).ok());
  EXPECT_EQ(login(kPassword, "123456").error().code, ErrorCode::kForbidden);
}

TEST_F(SessionServiceTest, EnrolmentIsTheHoldersAndConfirmedOnceWithACurrentCode) {
  Principal self = as(olivia_);
  EXPECT_EQ(sessions_->begin_totp_enrolment(as(ada_), olivia_.id).error().code,
            ErrorCode::kForbidden)
      << "an administrator does not hold the user's authenticator";
  EXPECT_EQ(sessions_->confirm_totp(self, olivia_.id, "123456").error().code, ErrorCode::kConflict)
      << "nothing pending yet";
  TotpEnrolment e = must(sessions_->begin_totp_enrolment(self, olivia_.id));
  EXPECT_EQ(e.uri.rfind("otpauth://totp/Liaison:olivia.brandt%40police.example.org?secret=" +
                            e.secret + "&issuer=Liaison",
                        0),
            0u)
      << e.uri;
  std::string secret = must(trust::base32_decode(e.secret, "secret"));
  EXPECT_EQ(secret.size(), 20u);

  auto wrong = sessions_->confirm_totp(self, olivia_.id, code_at(secret, 3));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().issues.at(0).field, "code");
  auto codes = must(sessions_->confirm_totp(self, olivia_.id, code_at(secret, 0)));
  EXPECT_EQ(codes.size(), 10u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);

  EXPECT_EQ(sessions_->confirm_totp(self, olivia_.id, code_at(secret, 1)).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(sessions_->begin_totp_enrolment(self, olivia_.id).error().code, ErrorCode::kConflict)
      << "an active authenticator is replaced only through an administrator's reset";
  // The code that confirmed the enrolment does not log in as well.
  expect_generic_failure(login(kPassword, code_at(secret, 0)), "the confirming code");
  EXPECT_TRUE(login(kPassword, code_at(secret, 1)).ok());
}

TEST_F(SessionServiceTest, ALoginCreatesASessionThatAuthenticates) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  EXPECT_EQ(s.secret.size(), 43u);  // 256 bits, base64url
  EXPECT_EQ(s.record.session_hash, sha256_hex(s.secret));
  EXPECT_EQ(s.record.csrf_hash, sha256_hex(s.csrf_token));
  EXPECT_EQ(s.record.remote_address, kAddress);
  EXPECT_EQ(s.user.id, olivia_.id);
  ASSERT_TRUE(s.org.has_value());

  Principal p = must(sessions_->authenticate_session(s.secret));
  EXPECT_EQ(p.user.id, olivia_.id);
  EXPECT_TRUE(p.via_session());
  EXPECT_EQ(p.session_id, s.record.id);
  EXPECT_EQ(p.scopes, (Scopes{Scope::kRead, Scope::kWrite}));
  EXPECT_TRUE(sessions_->csrf_matches(p, s.csrf_token));
  EXPECT_FALSE(sessions_->csrf_matches(p, s.csrf_token + "x"));
  EXPECT_FALSE(sessions_->csrf_matches(p, ""));
  EXPECT_FALSE(sessions_->csrf_matches(as(olivia_), s.csrf_token)) << "a token has no CSRF token";
  EXPECT_EQ(sessions_->authenticate_session(s.secret + "x").error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(sessions_->authenticate_session("").error().code, ErrorCode::kUnauthenticated);
}

TEST_F(SessionServiceTest, EveryFailureAnswersTheSame) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  expect_generic_failure(login("a wrong password!", code_at(secret, 0)), "wrong password");
  expect_generic_failure(login(kPassword, "000000"), "wrong code");
  expect_generic_failure(login(kPassword, "12345"), "malformed code");
  expect_generic_failure(login(kPassword, std::nullopt, "AAAA-AAAA-AAAA-AAAA"), "unknown recovery");
  expect_generic_failure(
      login(kPassword, code_at(secret, 0), std::nullopt, "nobody@police.example.org"),
      "unknown e-mail");
  expect_generic_failure(login(kPassword, code_at(secret, 0), std::nullopt, "not an e-mail"),
                         "malformed e-mail");
  EXPECT_EQ(session_rows(olivia_), 0u);
  EXPECT_TRUE(login(kPassword, code_at(secret, 0)).ok());
}

TEST_F(SessionServiceTest, ATotpCodeIsAcceptedOncePerStep) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  std::string code = code_at(secret, 0);
  ASSERT_TRUE(login(kPassword, code).ok());
  expect_generic_failure(login(kPassword, code), "the same code again");
  // The previous step's code is inside the window, but older than the one used.
  expect_generic_failure(login(kPassword, code_at(secret, -1)), "an older step's code");
  // The next step's code is still within the window, and newer.
  ASSERT_TRUE(login(kPassword, code_at(secret, 1)).ok());
  EXPECT_EQ(session_rows(olivia_), 2u);
}

TEST_F(SessionServiceTest, ARecoveryCodeWorksOnceInAnySpelling) {
  enrol_olivia();
  ASSERT_EQ(recovery_codes_.size(), 10u);
  std::string code = recovery_codes_[3];
  std::string sloppy;
  for (char c : code) {
    if (c != '-') sloppy += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  IssuedSession s = must(login(kPassword, std::nullopt, sloppy));
  EXPECT_TRUE(sessions_->authenticate_session(s.secret).ok());
  expect_generic_failure(login(kPassword, std::nullopt, code), "the used code");
  EXPECT_TRUE(login(kPassword, std::nullopt, recovery_codes_[4]).ok());
  auto both = login(kPassword, "123456", recovery_codes_[5]);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, ErrorCode::kInvalidArgument);
  auto types = event_types(olivia_);
  EXPECT_EQ(std::count(types.begin(), types.end(), "recovery_code_used"), 2);
}

TEST_F(SessionServiceTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  for (int i = 0; i < 5; ++i)
    expect_generic_failure(login("wrong password #" + std::to_string(i), code_at(secret, 0)),
                           "failure " + std::to_string(i));
  std::size_t rows = session_rows(olivia_);
  auto locked = login(kPassword, code_at(secret, 0));
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(locked.error().message.find("locked"), std::string::npos) << locked.error().message;
  EXPECT_EQ(locked.error().retry_after_seconds, 15 * 60);
  EXPECT_EQ(session_rows(olivia_), rows) << "a locked account gets no session";
  auto types = event_types(olivia_);
  EXPECT_EQ(std::count(types.begin(), types.end(), "login_failed"), 5);
  EXPECT_EQ(std::count(types.begin(), types.end(), "login_locked"), 1);

  clock_.advance_seconds(15 * 60 - 1);
  EXPECT_NE(login(kPassword, code_at(secret, 0)).error().message.find("locked"), std::string::npos);
  clock_.advance_seconds(1);
  ASSERT_TRUE(login(kPassword, code_at(secret, 0)).ok()) << "the lock has run out";
}

TEST_F(SessionServiceTest, ASuccessStartsTheCountAgain) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  for (int i = 0; i < 4; ++i)
    expect_generic_failure(login("wrong password!", code_at(secret, 0)), "x");
  ASSERT_TRUE(login(kPassword, code_at(secret, 0)).ok());
  for (int i = 0; i < 4; ++i)
    expect_generic_failure(login("wrong password!", code_at(secret, 1)), "y");
  EXPECT_TRUE(login(kPassword, code_at(secret, 1)).ok()) << "four after a success do not lock";
}

TEST_F(SessionServiceTest, TwentyFailuresFromOneAddressInTenMinutesAreTheLimit) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  // Unknown accounts, so no lockout gets in the way.
  for (int i = 0; i < 20; ++i) {
    expect_generic_failure(login(kPassword, "123456", std::nullopt,
                                 "nobody" + std::to_string(i) + "@police.example.org"),
                           "attempt " + std::to_string(i));
    clock_.advance_seconds(10);
  }
  auto limited = login(kPassword, code_at(secret, 0));
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(limited.error().retry_after_seconds, 10 * 60 - 20 * 10);
  EXPECT_EQ(session_rows(olivia_), 0u);
  // Another address is not limited.
  ASSERT_TRUE(login(kPassword, code_at(secret, 0), std::nullopt, kOlivia, "192.0.2.11").ok());
  // Once the oldest failure is ten minutes old, one more attempt may try.
  clock_.advance_seconds(10 * 60 - 20 * 10);
  EXPECT_TRUE(login(kPassword, code_at(secret, 1)).ok());
}

TEST_F(SessionServiceTest, ASessionEndsAfterThirtyIdleMinutes) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  clock_.advance_seconds(29 * 60);
  ASSERT_TRUE(sessions_->authenticate_session(s.secret).ok());
  clock_.advance_seconds(29 * 60);  // 58 minutes in, 29 since last use
  ASSERT_TRUE(sessions_->authenticate_session(s.secret).ok());
  clock_.advance_seconds(30 * 60);
  auto idle = sessions_->authenticate_session(s.secret);
  ASSERT_FALSE(idle.ok());
  EXPECT_EQ(idle.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(idle.error().message.find("without use"), std::string::npos);
}

TEST_F(SessionServiceTest, ASessionEndsTwelveHoursAfterLoginHoweverBusy) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  for (int i = 0; i < 12 * 3; ++i) {
    clock_.advance_seconds(20 * 60 - (i == 12 * 3 - 1 ? 1 : 0));
    ASSERT_TRUE(sessions_->authenticate_session(s.secret).ok()) << i;
  }
  clock_.advance_seconds(1);
  auto expired = sessions_->authenticate_session(s.secret);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().message, "the session has expired");
}

TEST_F(SessionServiceTest, LastUseSurvivesARestartOnceFlushed) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  clock_.advance_seconds(20 * 60);
  ASSERT_TRUE(sessions_->authenticate_session(s.secret).ok());
  ASSERT_TRUE(sessions_->flush_activity().ok());
  sessions_ = make_sessions();  // a restarted hub remembers nothing in memory
  clock_.advance_seconds(20 * 60);
  EXPECT_TRUE(sessions_->authenticate_session(s.secret).ok())
      << "20 minutes after the last use, which was written out";
}

TEST_F(SessionServiceTest, LogoutEndsOnlyThatSession) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession first = must(login(kPassword, code_at(secret, 0)));
  IssuedSession second = must(login(kPassword, code_at(secret, 1)));
  Principal p = must(sessions_->authenticate_session(first.secret));
  ASSERT_TRUE(sessions_->logout(p).ok());
  auto ended = sessions_->authenticate_session(first.secret);
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().message, "the session has ended");
  EXPECT_TRUE(sessions_->authenticate_session(second.secret).ok());
  EXPECT_EQ(sessions_->logout(p).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(sessions_->logout(as(olivia_)).error().code, ErrorCode::kNotFound)
      << "a token has no session to end";
}

TEST_F(SessionServiceTest, ChangingOnesOwnPasswordNeedsTheCurrentOne) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession mine = must(login(kPassword, code_at(secret, 0)));
  IssuedSession other = must(login(kPassword, code_at(secret, 1)));
  Principal self = must(sessions_->authenticate_session(mine.secret));
  const std::string next = "a new long passphrase";

  auto missing = sessions_->set_password(self, olivia_.id, next, std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().issues.at(0).field, "current_password");
  auto wrong = sessions_->set_password(self, olivia_.id, next, std::string("not my password"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kForbidden);
  auto weak = sessions_->set_password(self, olivia_.id, "short", std::string(kPassword));
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().issues.at(0).field, "password");
  auto email = sessions_->set_password(self, olivia_.id, kOlivia, std::string(kPassword));
  ASSERT_FALSE(email.ok());
  EXPECT_EQ(email.error().issues.at(0).field, "password");

  ASSERT_TRUE(sessions_->set_password(self, olivia_.id, next, std::string(kPassword)).ok());
  EXPECT_TRUE(sessions_->authenticate_session(mine.secret).ok()) << "the caller's session stays";
  EXPECT_FALSE(sessions_->authenticate_session(other.secret).ok()) << "the others end";
  clock_.advance_seconds(60);
  expect_generic_failure(login(kPassword, code_at(secret, 0)), "the old password");
  // The failure above used up nothing: the same step's code still signs in.
  EXPECT_TRUE(login(next, code_at(secret, 0)).ok());
}

TEST_F(SessionServiceTest, WrongCurrentPasswordsCountTowardsTheLockout) {
  std::string secret = enrol_olivia();
  Principal self = as(olivia_);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sessions_
                  ->set_password(self, olivia_.id, "a new long passphrase",
                                 std::string("guess number ") + std::to_string(i))
                  .error()
                  .code,
              ErrorCode::kForbidden);
  }
  auto fifth = sessions_->set_password(self, olivia_.id, "a new long passphrase",
                                       std::string("guess number 5"));
  ASSERT_FALSE(fifth.ok());
  EXPECT_NE(fifth.error().message.find("locked"), std::string::npos) << fifth.error().message;
  clock_.advance_seconds(30);
  EXPECT_NE(login(kPassword, code_at(secret, 0)).error().message.find("locked"), std::string::npos);
}

TEST_F(SessionServiceTest, AdministratorsSetPasswordsWithinTheirReach) {
  Principal admin = as(ada_, {Scope::kRead, Scope::kWrite, Scope::kAdmin});
  ASSERT_TRUE(
      sessions_->set_password(admin, olivia_.id, "set by the org admin", std::nullopt).ok());
  // Another organisation's administrator does not even see the account.
  Principal op = Principal::local_operator();
  Organisation other = must(accounts_->create_org(op, {"provider", "Example Mail", "IE", "EXM"}));
  User peter = must(accounts_->create_user(
      op, {other.id, "Peter Quinn", "peter.quinn@mail.example.org", "org_admin"}));
  EXPECT_EQ(sessions_->set_password(as(peter), olivia_.id, "set by a stranger", std::nullopt)
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(
      sessions_->set_password(as(olivia_), ada_.id, "set by an officer", std::nullopt).error().code,
      ErrorCode::kNotFound);
  auto types = event_types(olivia_);
  EXPECT_EQ(std::count(types.begin(), types.end(), "password_set"), 2);
}

TEST_F(SessionServiceTest, AnAdministratorsResetForcesANewEnrolment) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  EXPECT_EQ(sessions_->reset_totp(as(olivia_), olivia_.id).error().code, ErrorCode::kForbidden);
  ASSERT_TRUE(sessions_->reset_totp(as(ada_), olivia_.id).ok());
  EXPECT_FALSE(sessions_->authenticate_session(s.secret).ok()) << "its sessions end";
  EXPECT_EQ(login(kPassword, code_at(secret, 1)).error().code, ErrorCode::kForbidden)
      << "no authenticator now";
  EXPECT_EQ(login(kPassword, std::nullopt, recovery_codes_[0]).error().code, ErrorCode::kForbidden)
      << "the recovery codes went with it";
  std::string again = enrol_olivia();
  EXPECT_NE(again, secret);
  clock_.advance_seconds(30);
  EXPECT_TRUE(login(kPassword, code_at(again, 0)).ok());
}

TEST_F(SessionServiceTest, ADisabledAccountCannotLogInAndItsSessionsEnd) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  Principal admin = as(ada_, {Scope::kRead, Scope::kWrite, Scope::kAdmin});
  ASSERT_TRUE(accounts_->set_disabled(admin, olivia_.id, true).ok());
  EXPECT_FALSE(sessions_->authenticate_session(s.secret).ok());
  expect_generic_failure(login(kPassword, code_at(secret, 1)), "disabled");
  ASSERT_TRUE(accounts_->set_disabled(admin, olivia_.id, false).ok());
  EXPECT_FALSE(sessions_->authenticate_session(s.secret).ok()) << "ended, not suspended";
  EXPECT_TRUE(login(kPassword, code_at(secret, 1)).ok());
}

TEST_F(SessionServiceTest, ASealedSecretCopiedToAnotherAccountDoesNotOpen) {
  std::string secret = enrol_olivia();
  Principal op = Principal::local_operator();
  ASSERT_TRUE(sessions_->set_password(op, ada_.id, kPassword, std::nullopt).ok());
  // Someone with write access to the database copies Olivia's sealed secret,
  // whose codes they can produce, into Ada's row.
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Status {
                    LIAISON_ASSIGN_OR_RETURN(Credentials theirs, tx.get_credentials(olivia_.id));
                    LIAISON_ASSIGN_OR_RETURN(Credentials c, tx.get_credentials(ada_.id));
                    c.totp_secret_sealed = theirs.totp_secret_sealed;
                    c.totp_confirmed_at = theirs.totp_confirmed_at;
                    return tx.put_credentials(c);
                  })
                  .ok());
  clock_.advance_seconds(30);
  expect_generic_failure(
      login(kPassword, code_at(secret, 0), std::nullopt, "ada.kramer@police.example.org"),
      "a secret sealed for another account");
}

TEST_F(SessionServiceTest, AHashOfAnotherCostIsUpgradedAtLogin) {
  std::string secret = enrol_olivia();
  auto stored_hash = [&] {
    std::string h;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Status {
                      LIAISON_ASSIGN_OR_RETURN(Credentials c, tx.get_credentials(olivia_.id));
                      h = c.password_hash.value_or("");
                      return Ok{};
                    })
                    .ok());
    return h;
  };
  std::string before = stored_hash();
  EXPECT_NE(before.find("m=8,t=1"), std::string::npos) << before;
  policy_.password_cost = trust::standard_password_cost();
  sessions_ = make_sessions();
  clock_.advance_seconds(30);
  ASSERT_TRUE(login(kPassword, code_at(secret, 0)).ok());
  std::string after = stored_hash();
  EXPECT_NE(after.find("m=65536,t=3"), std::string::npos) << after;
  EXPECT_TRUE(trust::verify_password(after, kPassword));
}

TEST_F(SessionServiceTest, EveryStepIsRecorded) {
  std::string secret = enrol_olivia();
  clock_.advance_seconds(30);
  expect_generic_failure(login("a wrong password!", code_at(secret, 0)), "wrong");
  IssuedSession s = must(login(kPassword, code_at(secret, 0)));
  ASSERT_TRUE(sessions_->logout(must(sessions_->authenticate_session(s.secret))).ok());
  std::vector<std::string> want = {"user_created",    "password_set",   "token_minted",
                                   "totp_enrolled",   "totp_confirmed", "login_failed",
                                   "login_succeeded", "session_ended"};
  EXPECT_EQ(event_types(olivia_), want);
}

}  // namespace
}  // namespace liaison
