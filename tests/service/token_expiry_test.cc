// Token lifetimes, with a clock the test controls: a token works until its
// expires_at and not from that instant on.
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
    accounts_ = std::make_unique<AccountService>(*store_, clock_);
    auto admin =
        accounts_->create_hub_admin(Principal::local_operator(), "Admin", "admin@hub.example.org");
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    admin_ = admin.value();
  }

  IssuedToken mint(std::optional<int> days) {
    auto t = accounts_->create_token(Principal::local_operator(), {admin_.id, "test", days});
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.value();
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
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

TEST_F(TokenExpiry, ATokenWithoutLifetimeDoesNotExpire) {
  IssuedToken t = mint(std::nullopt);
  EXPECT_FALSE(t.record.expires_at.has_value());
  clock_.advance_micros(3650 * kDay);
  EXPECT_TRUE(accounts_->authenticate(t.secret).ok());
}

TEST_F(TokenExpiry, LifetimesAreBounded) {
  for (int days : {0, -5, 3651}) {
    auto t = accounts_->create_token(Principal::local_operator(), {admin_.id, "bad", days});
    ASSERT_FALSE(t.ok()) << days;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(t.error().issues.size(), 1u);
    EXPECT_EQ(t.error().issues[0].field, "expires_in_days");
  }
  IssuedToken longest = mint(3650);
  clock_.advance_micros(3650 * kDay - 1);
  EXPECT_TRUE(accounts_->authenticate(longest.secret).ok());
  clock_.advance_micros(1);
  EXPECT_FALSE(accounts_->authenticate(longest.secret).ok());
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
