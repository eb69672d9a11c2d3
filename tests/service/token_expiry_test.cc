// Token lifetimes and scopes, with a clock the test controls: a token works
// until its expires_at and not from that instant on, every token has one, and
// a token carries no scope its holder's roles or its minter lack.
#include <gtest/gtest.h>

#include "service/account_service.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace liaison {
namespace {

class FakeClock final : public Clock {
 public:
  Timestamp now() const override { return now_; }
  void set(Timestamp t) { now_ = t; }
  void advance_micros(std::int64_t us) { now_.unix_micros += us; }

 private:
  Timestamp now_ = Timestamp::from_seconds(1'800'000'000);  // 2027-01-15
};

constexpr std::int64_t kDay = std::int64_t{86400} * 1'000'000;

class TokenExpiry : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite_store((dir_.path() / "liaison.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened.value());
    ledger_ = std::make_unique<LedgerService>(
        *store_, clock_, std::move(trust::SecretKey::from_seed(std::string(32, 'L'))).value(),
        "test/ledger");
    accounts_ = std::make_unique<AccountService>(*store_, clock_, *ledger_);
    auto admin =
        accounts_->create_hub_admin(Principal::local_operator(), "Admin", "admin@hub.example.org");
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    admin_ = admin.value();
  }

  IssuedToken mint(std::optional<int> days) {
    auto t = accounts_->create_token(Principal::local_operator(),
                                     {admin_.id, "test", days, std::nullopt});
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.value();
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LedgerService> ledger_;
  std::unique_ptr<AccountService> accounts_;
  User admin_;
};

TEST_F(TokenExpiry, ATokenExpiresAtItsExpiresAt) {
  Timestamp start = clock_.now();
  IssuedToken t = mint(1);
  ASSERT_TRUE(t.record.expires_at.has_value());
  EXPECT_EQ(*t.record.expires_at, format_rfc3339_micros(Timestamp{start.unix_micros + kDay}));

  auto p = accounts_->authenticate(t.secret);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p.value().user.id, admin_.id);
  EXPECT_EQ(p.value().token_id, t.record.id);

  clock_.set(Timestamp{start.unix_micros + kDay - 1});
  EXPECT_TRUE(accounts_->authenticate(t.secret).ok()) << "one microsecond before expiry";

  clock_.set(Timestamp{start.unix_micros + kDay});
  auto expired = accounts_->authenticate(t.secret);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(expired.error().message, "the bearer token has expired");

  clock_.advance_micros(365 * kDay);
  EXPECT_FALSE(accounts_->authenticate(t.secret).ok());
}

TEST_F(TokenExpiry, ATokenWithoutALifetimeExpiresAfterNinetyDays) {
  Timestamp start = clock_.now();
  IssuedToken t = mint(std::nullopt);
  ASSERT_TRUE(t.record.expires_at.has_value());
  EXPECT_EQ(*t.record.expires_at, format_rfc3339_micros(Timestamp{start.unix_micros + 90 * kDay}));
  clock_.advance_micros(90 * kDay - 1);
  EXPECT_TRUE(accounts_->authenticate(t.secret).ok());
  clock_.advance_micros(1);
  auto expired = accounts_->authenticate(t.secret);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().message, "the bearer token has expired");
}

TEST_F(TokenExpiry, LifetimesAreBoundedToAYear) {
  for (int days : {0, -5, 366, 3650}) {
    auto t = accounts_->create_token(Principal::local_operator(),
                                     {admin_.id, "bad", days, std::nullopt});
    ASSERT_FALSE(t.ok()) << days;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(t.error().issues.size(), 1u);
    EXPECT_EQ(t.error().issues[0].field, "expires_in_days");
    EXPECT_NE(t.error().message.find("between 1 and 365"), std::string::npos);
  }
  IssuedToken longest = mint(365);
  clock_.advance_micros(365 * kDay - 1);
  EXPECT_TRUE(accounts_->authenticate(longest.secret).ok());
  clock_.advance_micros(1);
  EXPECT_FALSE(accounts_->authenticate(longest.secret).ok());
}

class TokenScopes : public TokenExpiry {
 protected:
  void SetUp() override {
    TokenExpiry::SetUp();
    Principal op = Principal::local_operator();
    auto org = accounts_->create_org(op, {"authority", "Northport Police", "NL", "NPCU"});
    ASSERT_TRUE(org.ok()) << org.error().message;
    auto officer =
        accounts_->create_user(op, {org->id, "Olivia", "olivia@police.example.org", "officer"});
    auto org_admin =
        accounts_->create_user(op, {org->id, "Ada", "ada@police.example.org", "org_admin"});
    ASSERT_TRUE(officer.ok() && org_admin.ok());
    officer_ = officer.value();
    org_admin_ = org_admin.value();
  }

  Result<IssuedToken> mint_for(const Principal& p, const User& u, std::optional<Scopes> scopes) {
    return accounts_->create_token(p, {u.id, "scoped", std::nullopt, scopes});
  }

  User officer_, org_admin_;
};

TEST_F(TokenScopes, ReadAndWriteUnlessAskedOtherwise) {
  auto t = mint_for(Principal::local_operator(), officer_, std::nullopt);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->record.scopes, (Scopes{Scope::kRead, Scope::kWrite}));
  auto p = accounts_->authenticate(t->secret);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->scopes, (Scopes{Scope::kRead, Scope::kWrite}));

  auto read_only = mint_for(Principal::local_operator(), officer_, Scopes{Scope::kRead});
  ASSERT_TRUE(read_only.ok()) << read_only.error().message;
  EXPECT_EQ(accounts_->authenticate(read_only->secret)->scopes, Scopes{Scope::kRead});

  auto none = mint_for(Principal::local_operator(), officer_, Scopes{});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().issues.at(0).field, "scopes");
}

TEST_F(TokenScopes, AdminOnlyForAdministrators) {
  Scopes all{Scope::kRead, Scope::kWrite, Scope::kAdmin};
  auto officer = mint_for(Principal::local_operator(), officer_, all);
  ASSERT_FALSE(officer.ok());
  EXPECT_EQ(officer.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(officer.error().issues.at(0).field, "scopes");
  auto admin = mint_for(Principal::local_operator(), org_admin_, all);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_EQ(accounts_->authenticate(admin->secret)->scopes, all);
  auto hub_admin = mint_for(Principal::local_operator(), admin_, all);
  ASSERT_TRUE(hub_admin.ok()) << hub_admin.error().message;
}

TEST_F(TokenScopes, ATokenCannotMintAMorePowerfulOne) {
  auto weak =
      mint_for(Principal::local_operator(), org_admin_, Scopes{Scope::kRead, Scope::kWrite});
  ASSERT_TRUE(weak.ok());
  Principal caller = accounts_->authenticate(weak->secret).value();
  auto stronger = mint_for(caller, org_admin_, Scopes{Scope::kRead, Scope::kWrite, Scope::kAdmin});
  ASSERT_FALSE(stronger.ok());
  EXPECT_EQ(stronger.error().code, ErrorCode::kForbidden);
  auto same = mint_for(caller, org_admin_, Scopes{Scope::kRead});
  EXPECT_TRUE(same.ok()) << same.error().message;
}

TEST_F(TokenScopes, ADisabledAccountsTokensStopAndResumeWithIt) {
  auto t = mint_for(Principal::local_operator(), officer_, std::nullopt);
  ASSERT_TRUE(t.ok());
  Principal admin = accounts_
                        ->authenticate(mint_for(Principal::local_operator(), org_admin_,
                                                Scopes{Scope::kRead, Scope::kWrite, Scope::kAdmin})
                                           ->secret)
                        .value();
  ASSERT_TRUE(accounts_->set_disabled(admin, officer_.id, true).ok());
  auto refused = accounts_->authenticate(t->secret);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().message, "the account is disabled");
  ASSERT_TRUE(accounts_->set_disabled(admin, officer_.id, false).ok());
  EXPECT_TRUE(accounts_->authenticate(t->secret).ok());

  // Not one's own account, and not another organisation's.
  EXPECT_EQ(accounts_->set_disabled(admin, org_admin_.id, true).error().code,
            ErrorCode::kForbidden);
  Principal officer = accounts_->authenticate(t->secret).value();
  EXPECT_EQ(accounts_->set_disabled(officer, org_admin_.id, true).error().code,
            ErrorCode::kNotFound);
}

TEST_F(TokenExpiry, RevocationWinsOverLifetime) {
  IssuedToken t = mint(30);
  ASSERT_TRUE(accounts_->revoke_token(Principal::local_operator(), admin_.id, t.record.id).ok());
  auto r = accounts_->authenticate(t.secret);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message, "the bearer token was revoked");
}

}  // namespace
}  // namespace liaison
