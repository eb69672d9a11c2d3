// The Store contract suite. Backends instantiate it in their own files (see
// store_contract.h); these tests only use the Store interface.
#include "store/store_contract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <set>
#include <stdexcept>
#include <thread>

#include "store/store.h"

namespace liaison::store_contract {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string message_of(const Status& s) { return s.ok() ? "OK" : s.error().message; }

template <typename T>
std::string message_of(const Result<T>& r) {
  return r.ok() ? "OK" : r.error().message;
}

std::vector<std::string> ids_of(const std::vector<Request>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.id);
  return out;
}

void expect_same_request(const Request& got, const Request& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.reference, want.reference);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.issuer_org_id, want.issuer_org_id);
  EXPECT_EQ(got.created_by, want.created_by);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
  EXPECT_EQ(got.submitted_at, want.submitted_at);
  EXPECT_EQ(got.preserved_until, want.preserved_until);
  EXPECT_EQ(got.version, want.version);
  ASSERT_EQ(got.warnings.size(), want.warnings.size());
  for (std::size_t i = 0; i < got.warnings.size(); ++i) {
    EXPECT_EQ(got.warnings[i].field, want.warnings[i].field);
    EXPECT_EQ(got.warnings[i].message, want.warnings[i].message);
  }
  const RequestDraft& g = got.draft;
  const RequestDraft& w = want.draft;
  EXPECT_EQ(g.kind, w.kind);
  EXPECT_EQ(g.categories, w.categories);
  EXPECT_EQ(g.targets, w.targets);
  EXPECT_EQ(g.period, w.period);
  EXPECT_EQ(g.legal_basis, w.legal_basis);
  EXPECT_EQ(g.case_type, w.case_type);
  EXPECT_EQ(g.offence_description, w.offence_description);
  EXPECT_EQ(g.max_penalty_months, w.max_penalty_months);
  EXPECT_EQ(g.non_disclosure_until, w.non_disclosure_until);
  EXPECT_EQ(g.emergency_justification, w.emergency_justification);
  EXPECT_EQ(g.deadline, w.deadline);
  EXPECT_EQ(g.provider_org_id, w.provider_org_id);
  EXPECT_EQ(g.issuer_reference, w.issuer_reference);
}

// --- organisations ---

TEST_P(StoreContract, InsertedOrganisationsCanBeReadBack) {
  Organisation police = add_org(OrgKind::kAuthority, "DE", "police.example");
  Organisation provider = add_org(OrgKind::kProvider, "IE", "mail-provider");

  auto got = read([&](ReadTx& tx) { return tx.get_org(provider.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->id, provider.id);
  EXPECT_EQ(got->kind, OrgKind::kProvider);
  EXPECT_EQ(got->name, provider.name);
  EXPECT_EQ(got->country, "IE");
  EXPECT_EQ(got->endpoint_uid, "mail-provider");
  EXPECT_EQ(got->created_at, provider.created_at);

  auto all = read([&](ReadTx& tx) { return tx.list_orgs(); });
  ASSERT_TRUE(all.ok()) << message_of(all);
  std::vector<std::string> ids;
  for (const auto& o : *all) ids.push_back(o.id);
  EXPECT_THAT(ids, UnorderedElementsAre(police.id, provider.id));
}

TEST_P(StoreContract, UnknownOrganisationIsNotFound) {
  auto got = read([&](ReadTx& tx) { return tx.get_org(test_uuid(999999)); });
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContract, DuplicateCountryAndEndpointIsAConflictOnEndpointUid) {
  add_org(OrgKind::kAuthority, "DE", "police.example");
  Organisation dup = make_org(OrgKind::kProvider, "DE", "police.example");
  Status s = write([&](WriteTx& tx) { return tx.insert_org(dup); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  ASSERT_FALSE(s.error().issues.empty());
  EXPECT_EQ(s.error().issues[0].field, "endpoint_uid");
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_org(dup.id); }).error().code,
            ErrorCode::kNotFound);

  // The endpoint id is only unique within a country.
  Organisation elsewhere = make_org(OrgKind::kAuthority, "FR", "police.example");
  Status other = write([&](WriteTx& tx) { return tx.insert_org(elsewhere); });
  EXPECT_TRUE(other.ok()) << message_of(other);
}

// --- users ---

TEST_P(StoreContract, UsersCanBeReadByIdByEmailAndByOrganisation) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  Organisation b = add_org(OrgKind::kProvider, "IE", "provider.example");
  User alice = add_user(a.id, "alice@police.example.org");
  User bob = add_user(a.id, "bob@police.example.org");
  User carol = add_user(b.id, "carol@provider.example.org");

  auto got = read([&](ReadTx& tx) { return tx.get_user(alice.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->org_id, a.id);
  EXPECT_EQ(got->email, alice.email);
  EXPECT_EQ(got->name, alice.name);
  EXPECT_EQ(got->roles, alice.roles);
  EXPECT_FALSE(got->hub_admin);
  EXPECT_FALSE(got->disabled);
  EXPECT_EQ(got->created_at, alice.created_at);

  auto by_email =
      read([&](ReadTx& tx) { return tx.get_user_by_email("carol@provider.example.org"); });
  ASSERT_TRUE(by_email.ok()) << message_of(by_email);
  EXPECT_EQ(by_email->id, carol.id);

  auto in_a = read([&](ReadTx& tx) { return tx.list_users(a.id); });
  ASSERT_TRUE(in_a.ok()) << message_of(in_a);
  std::vector<std::string> ids;
  for (const auto& u : *in_a) ids.push_back(u.id);
  EXPECT_THAT(ids, UnorderedElementsAre(alice.id, bob.id));

  auto everyone = read([&](ReadTx& tx) { return tx.list_users(std::nullopt); });
  ASSERT_TRUE(everyone.ok()) << message_of(everyone);
  EXPECT_EQ(everyone->size(), 3u);

  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_user_by_email("nobody@example.org"); }).error().code,
      ErrorCode::kNotFound);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_user(test_uuid(999999)); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreContract, DuplicateEmailIsAConflict) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  add_user(a.id, "alice@police.example.org");
  User dup = make_user(a.id, "alice@police.example.org");
  Status s = write([&](WriteTx& tx) { return tx.insert_user(dup); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  ASSERT_FALSE(s.error().issues.empty());
  EXPECT_EQ(s.error().issues[0].field, "email");
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_user(dup.id); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreContract, HubAdministratorHasNoOrganisation) {
  User admin = add_user(std::nullopt, "admin@hub.example.org");
  auto got = read([&](ReadTx& tx) { return tx.get_user(admin.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_FALSE(got->org_id.has_value());
  EXPECT_TRUE(got->hub_admin);
  EXPECT_TRUE(got->roles.empty());
}

TEST_P(StoreContract, DisabledFlagAndRolesRoundTrip) {
  Organisation b = add_org(OrgKind::kProvider, "IE", "provider.example");
  User u = make_user(b.id, "counsel@provider.example.org");
  u.roles = Roles{};
  u.roles.add(Role::kCounsel);
  u.roles.add(Role::kAuditor);
  u.disabled = true;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_user(u); }).ok());
  auto got = read([&](ReadTx& tx) { return tx.get_user(u.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->roles, u.roles);
  EXPECT_TRUE(got->disabled);
}

// --- tokens ---

TEST_P(StoreContract, TokenHolderBringsTheUserAndTheirOrganisation) {
  Organisation a = add_org(OrgKind::kAuthority, "FR", "gendarmerie.example");
  User officer = add_user(a.id, "claire@gendarmerie.example.org");
  User admin = add_user(std::nullopt, "root@hub.example.org");
  TokenRecord t1{next_id(),    officer.id,  "laptop", std::string(64, 'd'), "2024-01-01T00:00:00Z",
                 std::nullopt, std::nullopt};
  TokenRecord t2{next_id(),
                 admin.id,
                 "ops",
                 std::string(64, 'e'),
                 "2024-01-01T00:00:00Z",
                 std::nullopt,
                 "2024-06-01T00:00:00Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_token(t1));
                return tx.insert_token(t2);
              }).ok());

  auto h = read([&](ReadTx& tx) { return tx.get_token_holder(std::string(64, 'd')); });
  ASSERT_TRUE(h.ok()) << message_of(h);
  EXPECT_EQ(h->token.id, t1.id);
  EXPECT_EQ(h->user.id, officer.id);
  EXPECT_EQ(h->user.email, officer.email);
  EXPECT_EQ(h->user.roles, officer.roles);
  ASSERT_TRUE(h->org.has_value());
  EXPECT_EQ(h->org->id, a.id);
  EXPECT_EQ(h->org->country, "FR");
  EXPECT_EQ(h->org->kind, OrgKind::kAuthority);

  auto hub = read([&](ReadTx& tx) { return tx.get_token_holder(std::string(64, 'e')); });
  ASSERT_TRUE(hub.ok()) << message_of(hub);
  EXPECT_TRUE(hub->user.hub_admin);
  EXPECT_FALSE(hub->org.has_value());
  EXPECT_EQ(hub->token.revoked_at, "2024-06-01T00:00:00Z");

  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_token_holder(std::string(64, '0')); }).error().code,
      ErrorCode::kNotFound);
}

TEST_P(StoreContract, TokensCanBeFoundByHashListedAndRevokedOnce) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  User alice = add_user(a.id, "alice@police.example.org");
  User bob = add_user(a.id, "bob@police.example.org");
  TokenRecord t1{next_id(),
                 alice.id,
                 "laptop",
                 std::string(64, 'a'),
                 "2024-01-01T00:00:00Z",
                 "2025-01-01T00:00:00Z",
                 std::nullopt};
  TokenRecord t2{next_id(),    alice.id,    "ci", std::string(64, 'b'), "2024-01-02T00:00:00Z",
                 std::nullopt, std::nullopt};
  TokenRecord t3{next_id(),    bob.id,      "bob", std::string(64, 'c'), "2024-01-03T00:00:00Z",
                 std::nullopt, std::nullopt};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_token(t1));
                LIAISON_TRY(tx.insert_token(t2));
                return tx.insert_token(t3);
              }).ok());

  auto by_hash = read([&](ReadTx& tx) { return tx.get_token_by_hash(std::string(64, 'a')); });
  ASSERT_TRUE(by_hash.ok()) << message_of(by_hash);
  EXPECT_EQ(by_hash->id, t1.id);
  EXPECT_EQ(by_hash->user_id, alice.id);
  EXPECT_EQ(by_hash->name, "laptop");
  EXPECT_EQ(by_hash->created_at, t1.created_at);
  EXPECT_EQ(by_hash->expires_at, t1.expires_at);
  EXPECT_FALSE(by_hash->revoked_at.has_value());
  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_token_by_hash(std::string(64, 'f')); }).error().code,
      ErrorCode::kNotFound);

  auto listed = read([&](ReadTx& tx) { return tx.list_tokens(alice.id); });
  ASSERT_TRUE(listed.ok()) << message_of(listed);
  std::vector<std::string> ids;
  for (const auto& t : *listed) ids.push_back(t.id);
  EXPECT_THAT(ids, UnorderedElementsAre(t1.id, t2.id));

  Status revoked =
      write([&](WriteTx& tx) { return tx.revoke_token(t1.id, "2024-02-01T00:00:00Z"); });
  ASSERT_TRUE(revoked.ok()) << message_of(revoked);
  auto after = read([&](ReadTx& tx) { return tx.get_token_by_hash(std::string(64, 'a')); });
  ASSERT_TRUE(after.ok()) << message_of(after);
  EXPECT_EQ(after->revoked_at, "2024-02-01T00:00:00Z");

  // Revoking again must not move the recorded revocation time.
  Status again = write([&](WriteTx& tx) { return tx.revoke_token(t1.id, "2024-03-01T00:00:00Z"); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_token_by_hash(std::string(64, 'a')); })->revoked_at,
      "2024-02-01T00:00:00Z");

  Status unknown = write(
      [&](WriteTx& tx) { return tx.revoke_token(test_uuid(999999), "2024-03-01T00:00:00Z"); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContract, TokenScopesRoundTrip) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  User admin = add_user(a.id, "admin@police.example.org");
  TokenRecord t{next_id(),
                admin.id,
                "admin",
                std::string(64, 'a'),
                "2024-01-01T00:00:00Z",
                std::nullopt,
                std::nullopt,
                Scopes{Scope::kRead, Scope::kAdmin}};
  TokenRecord plain{
      next_id(),    admin.id,    "plain", std::string(64, 'b'), "2024-01-02T00:00:00Z",
      std::nullopt, std::nullopt};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_token(t));
                return tx.insert_token(plain);
              }).ok());
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_token_by_hash(t.token_hash); })->scopes,
            (Scopes{Scope::kRead, Scope::kAdmin}));
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_token_holder(t.token_hash); })->token.scopes,
            (Scopes{Scope::kRead, Scope::kAdmin}));
  auto listed = read([&](ReadTx& tx) { return tx.list_tokens(admin.id); });
  ASSERT_TRUE(listed.ok()) << message_of(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(1).scopes, (Scopes{Scope::kRead, Scope::kWrite}));
}

// --- credentials and sessions ---

TEST_P(StoreContract, CredentialsAreAbsentUntilPutAndThenReplacedWhole) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  User u = add_user(a.id, "alice@police.example.org");
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_credentials(u.id); }).error().code,
            ErrorCode::kNotFound);

  Credentials c;
  c.user_id = u.id;
  c.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";
  c.password_changed_at = "2024-01-01T00:00:00.000000Z";
  c.totp_secret_sealed = "c2VhbGVk";
  c.totp_confirmed_at = "2024-01-01T00:01:00.000000Z";
  c.totp_last_step = 56'800'000;
  c.failed_logins = 3;
  c.locked_until = "2024-01-01T00:15:00.000000Z";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_credentials(c); }).ok());
  auto got = read([&](ReadTx& tx) { return tx.get_credentials(u.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->user_id, u.id);
  EXPECT_EQ(got->password_hash, c.password_hash);
  EXPECT_EQ(got->password_changed_at, c.password_changed_at);
  EXPECT_EQ(got->totp_secret_sealed, c.totp_secret_sealed);
  EXPECT_EQ(got->totp_confirmed_at, c.totp_confirmed_at);
  EXPECT_EQ(got->totp_last_step, c.totp_last_step);
  EXPECT_EQ(got->failed_logins, 3);
  EXPECT_EQ(got->locked_until, c.locked_until);

  // Putting again replaces every field, absent ones included.
  Credentials reset;
  reset.user_id = u.id;
  reset.password_hash = "$argon2id$other";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_credentials(reset); }).ok());
  got = read([&](ReadTx& tx) { return tx.get_credentials(u.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->password_hash, "$argon2id$other");
  EXPECT_FALSE(got->totp_secret_sealed.has_value());
  EXPECT_FALSE(got->totp_confirmed_at.has_value());
  EXPECT_FALSE(got->totp_last_step.has_value());
  EXPECT_EQ(got->failed_logins, 0);
  EXPECT_FALSE(got->locked_until.has_value());

  Credentials orphan;
  orphan.user_id = test_uuid(999999);
  EXPECT_FALSE(write([&](WriteTx& tx) { return tx.put_credentials(orphan); }).ok())
      << "credentials need their user";
}

TEST_P(StoreContract, RecoveryCodesAreUsedOnceAndReplacedTogether) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  User u = add_user(a.id, "alice@police.example.org");
  User other = add_user(a.id, "bob@police.example.org");
  const std::string h1(64, '1'), h2(64, '2'), h3(64, '3');
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.replace_recovery_codes(u.id, {h1, h2, h3});
              }).ok());
  auto codes = read([&](ReadTx& tx) { return tx.list_recovery_codes(u.id); });
  ASSERT_TRUE(codes.ok()) << message_of(codes);
  ASSERT_EQ(codes->size(), 3u);
  for (const auto& c : *codes) EXPECT_FALSE(c.used_at.has_value());

  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.use_recovery_code(u.id, h2, "2024-05-01T00:00:00Z");
              }).ok());
  Status again =
      write([&](WriteTx& tx) { return tx.use_recovery_code(u.id, h2, "2024-05-02T00:00:00Z"); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  Status theirs = write(
      [&](WriteTx& tx) { return tx.use_recovery_code(other.id, h1, "2024-05-02T00:00:00Z"); });
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.error().code, ErrorCode::kNotFound);
  codes = read([&](ReadTx& tx) { return tx.list_recovery_codes(u.id); });
  ASSERT_TRUE(codes.ok());
  int used = 0;
  for (const auto& c : *codes) {
    if (c.code_hash == h2) {
      EXPECT_EQ(c.used_at, "2024-05-01T00:00:00Z");
      ++used;
    } else {
      EXPECT_FALSE(c.used_at.has_value());
    }
  }
  EXPECT_EQ(used, 1);

  const std::string h4(64, '4');
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.replace_recovery_codes(u.id, {h4}); }).ok());
  codes = read([&](ReadTx& tx) { return tx.list_recovery_codes(u.id); });
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ(codes->at(0).code_hash, h4);
  EXPECT_FALSE(write([&](WriteTx& tx) {
                 return tx.use_recovery_code(u.id, h1, "2024-05-03T00:00:00Z");
               }).ok())
      << "replaced codes are gone";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.replace_recovery_codes(u.id, {}); }).ok());
  EXPECT_TRUE(read([&](ReadTx& tx) { return tx.list_recovery_codes(u.id); })->empty());
}

TEST_P(StoreContract, SessionsAreFoundByHashTouchedForwardAndEndedOnce) {
  Organisation a = add_org(OrgKind::kProvider, "IE", "mail.example");
  User u = add_user(a.id, "ana@mail.example.org");
  SessionRecord s{next_id(),
                  u.id,
                  std::string(64, 's'),
                  std::string(64, 'c'),
                  "2024-01-01T10:00:00.000000Z",
                  "2024-01-01T10:00:00.000000Z",
                  "2024-01-01T22:00:00.000000Z",
                  std::nullopt,
                  "192.0.2.10"};
  SessionRecord second = s;
  second.id = next_id();
  second.session_hash = std::string(64, 't');
  second.created_at = second.last_seen_at = "2024-01-01T11:00:00.000000Z";
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_session(s));
                return tx.insert_session(second);
              }).ok());

  auto h = read([&](ReadTx& tx) { return tx.get_session_holder(s.session_hash); });
  ASSERT_TRUE(h.ok()) << message_of(h);
  EXPECT_EQ(h->session.id, s.id);
  EXPECT_EQ(h->session.user_id, u.id);
  EXPECT_EQ(h->session.csrf_hash, s.csrf_hash);
  EXPECT_EQ(h->session.created_at, s.created_at);
  EXPECT_EQ(h->session.expires_at, s.expires_at);
  EXPECT_EQ(h->session.remote_address, "192.0.2.10");
  EXPECT_FALSE(h->session.revoked_at.has_value());
  EXPECT_EQ(h->user.email, u.email);
  ASSERT_TRUE(h->org.has_value());
  EXPECT_EQ(h->org->id, a.id);
  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_session_holder(std::string(64, '0')); }).error().code,
      ErrorCode::kNotFound);

  SessionRecord clash = s;
  clash.id = next_id();
  Status dup = write([&](WriteTx& tx) { return tx.insert_session(clash); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.touch_session(s.id, "2024-01-01T10:20:00.000000Z");
              }).ok());
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.touch_session(s.id, "2024-01-01T10:05:00.000000Z");
              }).ok());
  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_session_holder(s.session_hash); })->session.last_seen_at,
      "2024-01-01T10:20:00.000000Z")
      << "last_seen_at only moves forward";

  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.revoke_session(s.id, "2024-01-01T10:30:00.000000Z");
              }).ok());
  Status twice =
      write([&](WriteTx& tx) { return tx.revoke_session(s.id, "2024-01-01T10:40:00.000000Z"); });
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_session_holder(s.session_hash); })->session.revoked_at,
      "2024-01-01T10:30:00.000000Z");

  auto listed = read([&](ReadTx& tx) { return tx.list_sessions(u.id); });
  ASSERT_TRUE(listed.ok()) << message_of(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0).id, s.id);
  EXPECT_EQ(listed->at(1).id, second.id);
}

TEST_P(StoreContract, AllSessionsOfAUserEndButTheOneKept) {
  Organisation a = add_org(OrgKind::kProvider, "IE", "mail.example");
  User u = add_user(a.id, "ana@mail.example.org");
  User other = add_user(a.id, "carl@mail.example.org");
  std::vector<SessionRecord> sessions;
  char hash = 'a';
  for (const User* who : {&u, &u, &u, &other}) {
    sessions.push_back({next_id(), who->id, std::string(64, hash++), std::string(64, 'c'),
                        "2024-01-01T10:00:00.000000Z", "2024-01-01T10:00:00.000000Z",
                        "2024-01-01T22:00:00.000000Z", std::nullopt, "192.0.2.10"});
  }
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                for (const auto& s : sessions) LIAISON_TRY(tx.insert_session(s));
                return tx.revoke_session(sessions[2].id, "2024-01-01T10:10:00.000000Z");
              }).ok());
  std::int64_t ended = -1;
  ASSERT_TRUE(
      write([&](WriteTx& tx) -> Status {
        LIAISON_ASSIGN_OR_RETURN(
            ended, tx.revoke_sessions_of_user(u.id, "2024-01-01T11:00:00.000000Z", sessions[1].id));
        return Ok{};
      }).ok());
  EXPECT_EQ(ended, 1) << "only the first: the second is kept, the third had ended already";
  auto mine = read([&](ReadTx& tx) { return tx.list_sessions(u.id); });
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->at(0).revoked_at, "2024-01-01T11:00:00.000000Z");
  EXPECT_FALSE(mine->at(1).revoked_at.has_value());
  EXPECT_EQ(mine->at(2).revoked_at, "2024-01-01T10:10:00.000000Z");
  EXPECT_FALSE(
      read([&](ReadTx& tx) { return tx.list_sessions(other.id); })->at(0).revoked_at.has_value());

  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_ASSIGN_OR_RETURN(
                    ended,
                    tx.revoke_sessions_of_user(u.id, "2024-01-01T12:00:00.000000Z", std::nullopt));
                return Ok{};
              }).ok());
  EXPECT_EQ(ended, 1);
}

TEST_P(StoreContract, UsersCanBeDisabledAndEnabled) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  User u = add_user(a.id, "alice@police.example.org");
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.set_user_disabled(u.id, true); }).ok());
  EXPECT_TRUE(read([&](ReadTx& tx) { return tx.get_user(u.id); })->disabled);
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.set_user_disabled(u.id, false); }).ok());
  EXPECT_FALSE(read([&](ReadTx& tx) { return tx.get_user(u.id); })->disabled);
  Status unknown =
      write([&](WriteTx& tx) { return tx.set_user_disabled(test_uuid(999999), true); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContract, AccountEventsListPerSubjectInOrder) {
  Organisation a = add_org(OrgKind::kAuthority, "DE", "police.example");
  User u = add_user(a.id, "alice@police.example.org");
  User admin = add_user(a.id, "admin@police.example.org");
  AccountEvent first{0,
                     "2024-01-01T10:00:00.000000Z",
                     admin.id,
                     u.id,
                     a.id,
                     "password_set",
                     "by an administrator",
                     "192.0.2.7"};
  AccountEvent anonymous{0,
                         "2024-01-01T10:01:00.000000Z",
                         std::nullopt,
                         std::nullopt,
                         std::nullopt,
                         "login_failed",
                         "no account has this e-mail address",
                         "192.0.2.8"};
  AccountEvent second{0,
                      "2024-01-01T10:02:00.000000Z",
                      u.id,
                      u.id,
                      a.id,
                      "login_succeeded",
                      "with a TOTP code",
                      "192.0.2.9"};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_account_event(first));
                LIAISON_TRY(tx.insert_account_event(anonymous));
                return tx.insert_account_event(second);
              }).ok());
  auto events = read([&](ReadTx& tx) { return tx.list_account_events(u.id); });
  ASSERT_TRUE(events.ok()) << message_of(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->at(0).type, "password_set");
  EXPECT_EQ(events->at(0).actor_user_id, admin.id);
  EXPECT_EQ(events->at(0).org_id, a.id);
  EXPECT_EQ(events->at(0).detail, "by an administrator");
  EXPECT_EQ(events->at(0).remote_address, "192.0.2.7");
  EXPECT_EQ(events->at(1).type, "login_succeeded");
  EXPECT_LT(events->at(0).seq, events->at(1).seq);
  EXPECT_TRUE(read([&](ReadTx& tx) { return tx.list_account_events(admin.id); })->empty());
}

// --- requests ---

TEST_P(StoreRequests, FullDraftRoundTrips) {
  Request r = make_request(police_, provider_, officer_, RequestStatus::kAccepted);
  r.draft.kind = RequestKind::kEmergencyDisclosure;
  r.draft.categories = {DataCategory::kSubscriberData, DataCategory::kTrafficData,
                        DataCategory::kStoredContentData};
  r.draft.targets = {
      Identifier{IdentifierKind::kEmail, "suspect@example.org", {}, {}, {}},
      Identifier{IdentifierKind::kPhone, "+4915100000000", {}, {}, {}},
      Identifier{IdentifierKind::kIpAddress, "192.0.2.17", 44321, "2024-02-28T21:13:05Z", {}},
      Identifier{
          IdentifierKind::kIpAddress, "2001:db8::17", std::nullopt, "2024-02-28T21:14:00Z", {}},
      Identifier{IdentifierKind::kDomain, "shop.example.org", {}, {}, {}},
      Identifier{IdentifierKind::kUsername, "made_up_user", {}, {}, {}},
      Identifier{IdentifierKind::kCryptoAddress,
                 "bc1qexampleexampleexampleexample0000",
                 {},
                 {},
                 "bitcoin"},
  };
  r.draft.period = Period{"2024-02-01T00:00:00Z", "2024-02-29T23:59:59Z"};
  r.draft.legal_basis = {"EU 2023/1543", "Art. 5", "AG Example 12 Gs 345/24"};
  r.draft.case_type = "Cybercrime";
  r.draft.offence_description =
      "Threats sent from a made-up account; \"quoted\" text and ümlauts survive";
  r.draft.max_penalty_months = 60;
  r.draft.non_disclosure_until = "2024-12-31T00:00:00Z";
  r.draft.emergency_justification = "Imminent threat to life";
  r.draft.deadline = "2024-03-02T10:00:00Z";
  r.draft.issuer_reference = "AZ 4711/24";
  r.preserved_until = "2024-06-01T00:00:00Z";
  r.version = 3;
  r.warnings = {{"targets/3/port", "an IPv6 address without a port may be shared"},
                {"targets/2", "check the time zone"}};
  r = add_request(r);

  auto got = read([&](ReadTx& tx) { return tx.get_request(r.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  expect_same_request(*got, r);
}

TEST_P(StoreRequests, MinimalDraftRoundTripsWithOptionalFieldsAbsent) {
  Request r = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  auto got = read([&](ReadTx& tx) { return tx.get_request(r.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  expect_same_request(*got, r);
  EXPECT_FALSE(got->draft.period.has_value());
  EXPECT_FALSE(got->draft.deadline.has_value());
  EXPECT_FALSE(got->submitted_at.has_value());
}

TEST_P(StoreRequests, UnknownRequestIsNotFound) {
  auto got = read([&](ReadTx& tx) { return tx.get_request(test_uuid(999999)); });
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreRequests, RequestNumbersCountPerIssuerAndYear) {
  auto next = [&](const Organisation& issuer, int year) {
    std::int64_t n = -1;
    Status s = write([&](WriteTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(n, tx.next_request_number(issuer.id, year));
      return Ok{};
    });
    EXPECT_TRUE(s.ok()) << message_of(s);
    return n;
  };
  EXPECT_EQ(next(police_, 2024), 1);
  // Asking does not consume a number; inserting does.
  EXPECT_EQ(next(police_, 2024), 1);
  add_request(make_request(police_, provider_, officer_));
  EXPECT_EQ(next(police_, 2024), 2);
  add_request(make_request(police_, provider_, officer_));
  EXPECT_EQ(next(police_, 2024), 3);
  EXPECT_EQ(next(other_police_, 2024), 1);
  EXPECT_EQ(next(police_, 2025), 1);
  add_request(make_request(police_, provider_, officer_), 2025);
  EXPECT_EQ(next(police_, 2025), 2);
  EXPECT_EQ(next(police_, 2024), 3);
}

TEST_P(StoreRequests, NumbersTakenInOneWriteAreSeenByTheNext) {
  // Two requests created in one transaction must not get the same number.
  Request a = make_request(police_, provider_, officer_);
  Request b = make_request(police_, provider_, officer_);
  std::int64_t na = 0, nb = 0;
  Status s = write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(na, tx.next_request_number(police_.id, 2024));
    a.reference = "XX-A-" + std::to_string(na);
    LIAISON_TRY(tx.insert_request(a, na, 2024));
    LIAISON_ASSIGN_OR_RETURN(nb, tx.next_request_number(police_.id, 2024));
    b.reference = "XX-B-" + std::to_string(nb);
    return tx.insert_request(b, nb, 2024);
  });
  ASSERT_TRUE(s.ok()) << message_of(s);
  EXPECT_EQ(na, 1);
  EXPECT_EQ(nb, 2);
}

TEST_P(StoreRequests, UpdateWithCurrentVersionSucceedsAndBumps) {
  Request r = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  ASSERT_EQ(r.version, 1);

  Request changed = r;
  changed.status = RequestStatus::kSubmitted;
  changed.submitted_at = "2024-03-01T11:00:00Z";
  changed.updated_at = "2024-03-01T11:00:00Z";
  changed.draft.deadline = "2024-04-01T00:00:00Z";
  changed.draft.offence_description = "Amended description";
  changed.warnings = {{"deadline", "short deadline"}};
  changed.version = 2;
  Status s = write([&](WriteTx& tx) { return tx.update_request(changed, 1); });
  ASSERT_TRUE(s.ok()) << message_of(s);

  auto got = read([&](ReadTx& tx) { return tx.get_request(r.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  expect_same_request(*got, changed);
  EXPECT_EQ(got->version, 2);
}

TEST_P(StoreRequests, UpdateWithStaleVersionFailsAndChangesNothing) {
  Request r = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  Request v2 = r;
  v2.status = RequestStatus::kSubmitted;
  v2.submitted_at = "2024-03-01T11:00:00Z";
  v2.version = 2;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_request(v2, 1); }).ok());

  // A second editor who still holds version 1.
  Request stale = r;
  stale.status = RequestStatus::kCancelled;
  stale.draft.offence_description = "Should never be stored";
  stale.version = 2;
  Status s = write([&](WriteTx& tx) { return tx.update_request(stale, 1); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kPreconditionFailed);

  auto got = read([&](ReadTx& tx) { return tx.get_request(r.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  expect_same_request(*got, v2);
}

TEST_P(StoreRequests, ListFiltersByIssuerOrProvider) {
  Request mine = add_request(make_request(police_, provider_, officer_));
  Request mine_other_provider = add_request(make_request(police_, other_provider_, officer_));
  Request theirs = add_request(make_request(other_police_, provider_, other_officer_));

  RequestFilter by_issuer;
  by_issuer.issuer_org_id = police_.id;
  auto page = read([&](ReadTx& tx) { return tx.list_requests(by_issuer); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), UnorderedElementsAre(mine.id, mine_other_provider.id));

  RequestFilter by_provider;
  by_provider.provider_org_id = provider_.id;
  page = read([&](ReadTx& tx) { return tx.list_requests(by_provider); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), UnorderedElementsAre(mine.id, theirs.id));

  RequestFilter nobody;
  nobody.provider_org_id = police_.id;
  page = read([&](ReadTx& tx) { return tx.list_requests(nobody); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->next_after_seq.has_value());
}

TEST_P(StoreRequests, ListCanHideDraftsAndQuarantine) {
  Request draft = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  Request sent = add_request(make_request(police_, provider_, officer_, RequestStatus::kSubmitted));
  Request held =
      add_request(make_request(police_, provider_, officer_, RequestStatus::kQuarantined));

  RequestFilter f;
  f.issuer_org_id = police_.id;
  f.include_drafts = true;
  auto page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), UnorderedElementsAre(draft.id, sent.id, held.id));

  f.include_drafts = false;
  page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), ElementsAre(sent.id));
}

TEST_P(StoreRequests, ListFiltersByStatusesAndKind) {
  Request submitted =
      add_request(make_request(police_, provider_, officer_, RequestStatus::kSubmitted));
  Request accepted =
      add_request(make_request(police_, provider_, officer_, RequestStatus::kAccepted));
  Request rejected =
      add_request(make_request(police_, provider_, officer_, RequestStatus::kRejected));
  Request preservation = make_request(police_, provider_, officer_, RequestStatus::kAccepted);
  preservation.draft.kind = RequestKind::kPreservation;
  preservation = add_request(preservation);

  RequestFilter f;
  f.issuer_org_id = police_.id;
  f.statuses = {RequestStatus::kSubmitted, RequestStatus::kRejected};
  auto page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), UnorderedElementsAre(submitted.id, rejected.id));

  f.statuses = {RequestStatus::kAccepted};
  f.kind = RequestKind::kProduction;
  page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), ElementsAre(accepted.id));

  f.statuses.clear();
  f.kind = RequestKind::kPreservation;
  page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), ElementsAre(preservation.id));

  // A status that no request has matches nothing rather than everything.
  f.kind.reset();
  f.statuses = {RequestStatus::kExpired};
  page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_TRUE(page->items.empty());
}

TEST_P(StoreRequests, ListFiltersByDeadlineAndSkipsRequestsWithout) {
  Request soon = make_request(police_, provider_, officer_);
  soon.draft.deadline = "2024-05-01T00:00:00Z";
  soon = add_request(soon);
  Request later = make_request(police_, provider_, officer_);
  later.draft.deadline = "2024-06-01T00:00:00Z";
  later = add_request(later);
  add_request(make_request(police_, provider_, officer_));  // no deadline at all

  RequestFilter f;
  f.issuer_org_id = police_.id;
  f.deadline_before = "2024-06-01T00:00:00Z";
  auto page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), ElementsAre(soon.id));

  f.deadline_before = "2024-07-01T00:00:00Z";
  page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), UnorderedElementsAre(soon.id, later.id));
}

TEST_P(StoreRequests, ListFollowsAnUpdatedDeadline) {
  // The deadline filter must see the deadline as it is now, not as created.
  Request r = make_request(police_, provider_, officer_);
  r.draft.deadline = "2024-09-01T00:00:00Z";
  r = add_request(r);
  Request moved = r;
  moved.draft.deadline = "2024-04-01T00:00:00Z";
  moved.version = 2;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_request(moved, 1); }).ok());

  RequestFilter f;
  f.issuer_org_id = police_.id;
  f.deadline_before = "2024-05-01T00:00:00Z";
  auto page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok()) << message_of(page);
  EXPECT_THAT(ids_of(page->items), ElementsAre(r.id));
}

TEST_P(StoreRequests, CursorPagesNewestFirstWithoutGapsOrDuplicates) {
  std::vector<std::string> inserted;
  for (int i = 0; i < 5; ++i)
    inserted.push_back(add_request(make_request(police_, provider_, officer_)).id);
  // Another issuer's rows interleave in the global order but not in the pages.
  add_request(make_request(other_police_, provider_, other_officer_));
  std::vector<std::string> newest_first(inserted.rbegin(), inserted.rend());

  RequestFilter f;
  f.issuer_org_id = police_.id;
  f.limit = 2;
  std::vector<std::size_t> sizes;
  std::vector<std::string> seen;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = read([&](ReadTx& tx) { return tx.list_requests(f); });
    ASSERT_TRUE(page.ok()) << message_of(page);
    sizes.push_back(page->items.size());
    for (const auto& r : page->items) seen.push_back(r.id);
    if (!page->next_after_seq) break;
    f.after_seq = page->next_after_seq;
  }
  EXPECT_THAT(sizes, ElementsAre(2u, 2u, 1u));
  EXPECT_EQ(seen, newest_first);
}

TEST_P(StoreRequests, LastFullPageHasNoCursor) {
  // With exactly limit*n rows the client must not be sent to an empty page.
  for (int i = 0; i < 4; ++i) add_request(make_request(police_, provider_, officer_));
  RequestFilter f;
  f.issuer_org_id = police_.id;
  f.limit = 2;
  auto first = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(first.ok()) << message_of(first);
  ASSERT_TRUE(first->next_after_seq.has_value());
  f.after_seq = first->next_after_seq;
  auto second = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(second.ok()) << message_of(second);
  EXPECT_EQ(second->items.size(), 2u);
  EXPECT_FALSE(second->next_after_seq.has_value());
}

TEST_P(StoreRequests, CountsRequestsByStatus) {
  add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  add_request(make_request(police_, provider_, officer_, RequestStatus::kSubmitted));
  add_request(make_request(other_police_, provider_, other_officer_, RequestStatus::kSubmitted));
  add_request(make_request(police_, other_provider_, officer_, RequestStatus::kProduced));

  auto counts = read([&](ReadTx& tx) { return tx.count_requests_by_status(); });
  ASSERT_TRUE(counts.ok()) << message_of(counts);
  EXPECT_THAT(*counts,
              UnorderedElementsAre(Pair("draft", 1), Pair("submitted", 2), Pair("produced", 1)));
}

TEST_P(StoreContract, CountOnAnEmptyStoreIsEmpty) {
  auto counts = read([&](ReadTx& tx) { return tx.count_requests_by_status(); });
  ASSERT_TRUE(counts.ok()) << message_of(counts);
  EXPECT_TRUE(counts->empty());
}

// --- timeline, messages, attachments ---

TEST_P(StoreRequests, EventsListInInsertionOrderPerRequest) {
  Request r = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  Request other = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  auto event = [&](const Request& req, std::string type, std::string from, std::string to,
                   std::optional<std::string> object) {
    return RequestEvent{0,
                        req.id,
                        std::move(type),
                        std::move(from),
                        std::move(to),
                        officer_.id,
                        police_.id,
                        "2024-03-01T10:00:00Z",
                        "note " + req.id.substr(30),
                        std::move(object)};
  };
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_event(event(r, "created", "", "draft", std::nullopt)));
                LIAISON_TRY(tx.insert_event(event(other, "created", "", "draft", std::nullopt)));
                return tx.insert_event(event(r, "submit", "draft", "submitted", std::nullopt));
              }).ok());
  // Same timestamp as the earlier events: order must come from insertion.
  std::string msg_id = next_id();
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.insert_event(event(r, "message", "submitted", "submitted", msg_id));
              }).ok());

  auto events = read([&](ReadTx& tx) { return tx.list_events(r.id); });
  ASSERT_TRUE(events.ok()) << message_of(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].type, "created");
  EXPECT_EQ((*events)[1].type, "submit");
  EXPECT_EQ((*events)[2].type, "message");
  EXPECT_LT((*events)[0].seq, (*events)[1].seq);
  EXPECT_LT((*events)[1].seq, (*events)[2].seq);
  const RequestEvent& e = (*events)[1];
  EXPECT_EQ(e.request_id, r.id);
  EXPECT_EQ(e.from_status, "draft");
  EXPECT_EQ(e.to_status, "submitted");
  EXPECT_EQ(e.actor_user_id, officer_.id);
  EXPECT_EQ(e.actor_org_id, police_.id);
  EXPECT_EQ(e.at, "2024-03-01T10:00:00Z");
  EXPECT_EQ(e.note, "note " + r.id.substr(30));
  EXPECT_FALSE(e.object_id.has_value());
  EXPECT_EQ((*events)[2].object_id, msg_id);

  auto others = read([&](ReadTx& tx) { return tx.list_events(other.id); });
  ASSERT_TRUE(others.ok()) << message_of(others);
  EXPECT_EQ(others->size(), 1u);
}

TEST_P(StoreRequests, MessagesListInOrderAndCanBeFetched) {
  User analyst = add_user(provider_.id, "analyst@provider.example.org");
  Request r = add_request(make_request(police_, provider_, officer_));
  Message m1{next_id(), r.id, officer_.id, police_.id, "Please hurry.", "2024-03-01T10:00:00Z"};
  Message m2{
      next_id(), r.id, analyst.id, provider_.id, "Which account exactly?", "2024-03-01T11:00:00Z"};
  Message m3{
      next_id(), r.id, officer_.id, police_.id, "The one at example.org.", "2024-03-01T11:00:00Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_message(m1));
                LIAISON_TRY(tx.insert_message(m2));
                return tx.insert_message(m3);
              }).ok());

  auto listed = read([&](ReadTx& tx) { return tx.list_messages(r.id); });
  ASSERT_TRUE(listed.ok()) << message_of(listed);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id, m1.id);
  EXPECT_EQ((*listed)[1].id, m2.id);
  EXPECT_EQ((*listed)[2].id, m3.id);

  auto got = read([&](ReadTx& tx) { return tx.get_message(m2.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->request_id, r.id);
  EXPECT_EQ(got->author_user_id, analyst.id);
  EXPECT_EQ(got->author_org_id, provider_.id);
  EXPECT_EQ(got->body, m2.body);
  EXPECT_EQ(got->created_at, m2.created_at);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_message(test_uuid(999999)); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreRequests, AttachmentsListInOrderAndCanBeFetched) {
  Request r = add_request(make_request(police_, provider_, officer_));
  Attachment a1{next_id(),
                r.id,
                officer_.id,
                police_.id,
                "order.pdf",
                "application/pdf",
                1234,
                std::string(64, '1'),
                AttachmentPurpose::kDocument,
                "2024-03-01T10:00:00Z"};
  // Sizes above 4 GiB must survive the round trip.
  Attachment a2{next_id(),
                r.id,
                officer_.id,
                police_.id,
                "export.zip",
                "application/zip",
                5'000'000'000ull,
                std::string(64, '2'),
                AttachmentPurpose::kProduction,
                "2024-03-01T10:00:00Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_attachment(a1));
                return tx.insert_attachment(a2);
              }).ok());

  auto listed = read([&](ReadTx& tx) { return tx.list_attachments(r.id); });
  ASSERT_TRUE(listed.ok()) << message_of(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, a1.id);
  EXPECT_EQ((*listed)[1].id, a2.id);

  auto got = read([&](ReadTx& tx) { return tx.get_attachment(a2.id); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->request_id, r.id);
  EXPECT_EQ(got->uploader_user_id, officer_.id);
  EXPECT_EQ(got->uploader_org_id, police_.id);
  EXPECT_EQ(got->name, "export.zip");
  EXPECT_EQ(got->media_type, "application/zip");
  EXPECT_EQ(got->size, 5'000'000'000ull);
  EXPECT_EQ(got->sha256, a2.sha256);
  EXPECT_EQ(got->purpose, AttachmentPurpose::kProduction);
  EXPECT_EQ(got->created_at, a2.created_at);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_attachment(test_uuid(999999)); }).error().code,
            ErrorCode::kNotFound);
}

// --- idempotency ---

TEST_P(StoreContract, IdempotencyKeysAreUniquePerPrincipal) {
  IdempotencyRecord rec{test_uuid(500), "key-1",        std::string(64, 'e'),
                        "request",      test_uuid(501), "2024-03-01T10:00:00Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_idempotency(rec); }).ok());

  auto got = read([&](ReadTx& tx) { return tx.get_idempotency(rec.principal_id, "key-1"); });
  ASSERT_TRUE(got.ok()) << message_of(got);
  EXPECT_EQ(got->principal_id, rec.principal_id);
  EXPECT_EQ(got->key, "key-1");
  EXPECT_EQ(got->fingerprint, rec.fingerprint);
  EXPECT_EQ(got->resource_kind, "request");
  EXPECT_EQ(got->resource_id, rec.resource_id);
  EXPECT_EQ(got->created_at, rec.created_at);

  IdempotencyRecord dup = rec;
  dup.fingerprint = std::string(64, 'd');
  Status s = write([&](WriteTx& tx) { return tx.insert_idempotency(dup); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_idempotency(rec.principal_id, "key-1"); })->fingerprint,
      rec.fingerprint);

  // The same key from someone else is a different key.
  IdempotencyRecord other = rec;
  other.principal_id = test_uuid(502);
  EXPECT_TRUE(write([&](WriteTx& tx) { return tx.insert_idempotency(other); }).ok());

  EXPECT_EQ(
      read([&](ReadTx& tx) { return tx.get_idempotency(rec.principal_id, "key-2"); }).error().code,
      ErrorCode::kNotFound);
}

// --- transactions ---

TEST_P(StoreContract, WriteThatReturnsAnErrorLeavesNothingBehind) {
  Organisation o = make_org(OrgKind::kAuthority, "DE", "police.example");
  Status s = write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.insert_org(o));
    return Error::invalid("name", "changed my mind");
  });
  ASSERT_FALSE(s.ok());
  // The caller's own error comes back unchanged, not a generic one.
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "changed my mind");
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_org(o.id); }).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContract, WriteThatFailsPartWayLeavesNothingBehind) {
  add_org(OrgKind::kAuthority, "DE", "police.example");
  Organisation first = make_org(OrgKind::kProvider, "IE", "provider.example");
  Organisation clash = make_org(OrgKind::kProvider, "DE", "police.example");
  Status s = write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.insert_org(first));
    return tx.insert_org(clash);
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_org(first.id); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreContract, WriteThatThrowsIsInternalAndLeavesNothingBehind) {
  Organisation o = make_org(OrgKind::kAuthority, "DE", "police.example");
  Status s = write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.insert_org(o));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_org(o.id); }).error().code, ErrorCode::kNotFound);

  // The store keeps working afterwards.
  Organisation next = add_org(OrgKind::kAuthority, "DE", "other.example");
  EXPECT_TRUE(read([&](ReadTx& tx) { return tx.get_org(next.id); }).ok());
}

TEST_P(StoreContract, WriteThatThrowsANonStandardExceptionIsInternal) {
  // Anything can be thrown through user code; it must not take the store down.
  Organisation o = make_org(OrgKind::kAuthority, "DE", "police.example");
  Status s = write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.insert_org(o));
    throw 42;
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_org(o.id); }).error().code, ErrorCode::kNotFound);
  Organisation next = add_org(OrgKind::kAuthority, "DE", "other.example");
  EXPECT_TRUE(read([&](ReadTx& tx) { return tx.get_org(next.id); }).ok());
}

TEST_P(StoreContract, ReadThatThrowsIsInternalAndTheStoreKeepsReading) {
  Organisation o = add_org(OrgKind::kAuthority, "DE", "police.example");
  Status s = store().read([](ReadTx&) -> Status { throw std::runtime_error("boom"); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  Status odd = store().read([](ReadTx&) -> Status { throw 42; });
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().code, ErrorCode::kInternal);
  // Many more reads than any pool is likely to hold: none may have leaked.
  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(read([&](ReadTx& tx) { return tx.get_org(o.id); }).ok());
  }
}

TEST_P(StoreContract, ReadErrorIsPassedThrough) {
  Status s =
      store().read([](ReadTx&) -> Status { return Error::make(ErrorCode::kForbidden, "no"); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kForbidden);
}

TEST_P(StoreContract, ConcurrentWritersAllSucceedAndAreAllVisible) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::vector<std::vector<Organisation>> orgs(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      orgs[t].push_back(
          make_org(OrgKind::kProvider, "XX", "t" + std::to_string(t) + "-" + std::to_string(i)));
    }
  }
  std::atomic<int> failures{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (const auto& o : orgs[t]) {
        if (!store().write([&](WriteTx& tx) { return tx.insert_org(o); }).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  auto all = read([&](ReadTx& tx) { return tx.list_orgs(); });
  ASSERT_TRUE(all.ok()) << message_of(all);
  std::set<std::string> stored;
  for (const auto& o : *all) stored.insert(o.id);
  EXPECT_EQ(stored.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const auto& per : orgs) {
    for (const auto& o : per) EXPECT_TRUE(stored.count(o.id)) << o.endpoint_uid;
  }
}

TEST_P(StoreContract, FailingWriterAmongConcurrentOnesLosesOnlyItsOwnWrites) {
  // Several rounds so that, with a batching backend, failing jobs are very
  // likely to share a commit with successful ones.
  constexpr int kRounds = 20;
  constexpr int kThreads = 8;
  std::vector<Organisation> good, bad;
  std::atomic<int> unexpected{0};
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Organisation> round_good, round_bad;
    for (int t = 0; t < kThreads; ++t) {
      std::string uid = "r" + std::to_string(round) + "-t" + std::to_string(t);
      round_good.push_back(make_org(OrgKind::kProvider, "XX", uid));
      round_bad.push_back(make_org(OrgKind::kProvider, "XX", uid + "-bad"));
    }
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        if (t % 3 == 1) {
          // Writes, then fails: its insert must vanish, nobody else's.
          Status s = store().write([&](WriteTx& tx) -> Status {
            LIAISON_TRY(tx.insert_org(round_bad[t]));
            return Error::make(ErrorCode::kConflict, "deliberate failure");
          });
          if (s.ok() || s.error().message != "deliberate failure") ++unexpected;
        } else if (t % 3 == 2) {
          Status s = store().write([&](WriteTx& tx) -> Status {
            LIAISON_TRY(tx.insert_org(round_bad[t]));
            throw std::runtime_error("deliberate throw");
          });
          if (s.ok() || s.error().code != ErrorCode::kInternal) ++unexpected;
        }
        Status s = store().write([&](WriteTx& tx) { return tx.insert_org(round_good[t]); });
        if (!s.ok()) ++unexpected;
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
      good.push_back(round_good[t]);
      if (t % 3 != 0) bad.push_back(round_bad[t]);
    }
  }
  EXPECT_EQ(unexpected.load(), 0);

  auto all = read([&](ReadTx& tx) { return tx.list_orgs(); });
  ASSERT_TRUE(all.ok()) << message_of(all);
  std::set<std::string> stored;
  for (const auto& o : *all) stored.insert(o.id);
  for (const auto& o : good) EXPECT_TRUE(stored.count(o.id)) << "lost " << o.endpoint_uid;
  for (const auto& o : bad) EXPECT_FALSE(stored.count(o.id)) << "kept " << o.endpoint_uid;
  EXPECT_EQ(stored.size(), good.size());
}

TEST_P(StoreContract, ConcurrentReadersSeeCommittedWrites) {
  // A write that has returned OK is visible to every later read, whichever
  // connection serves it.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  std::atomic<int> missing{0};
  std::vector<std::thread> threads;
  std::atomic<int> counter{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        int n = counter++;
        Organisation o;
        o.id = test_uuid(100000 + static_cast<std::uint64_t>(n));
        o.kind = OrgKind::kAuthority;
        o.name = "Reader check " + std::to_string(n);
        o.country = "XX";
        o.endpoint_uid = "rc-" + std::to_string(n);
        o.created_at = "2024-01-01T00:00:00Z";
        if (!store().write([&](WriteTx& tx) { return tx.insert_org(o); }).ok()) {
          ++missing;
          continue;
        }
        if (!read([&](ReadTx& tx) { return tx.get_org(o.id); }).ok()) ++missing;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(missing.load(), 0);
}

}  // namespace
}  // namespace liaison::store_contract

namespace liaison::store_contract {
namespace {

TEST_P(StoreContract, AReadInsideAReadJoinsItsSnapshot) {
  add_org(OrgKind::kAuthority, "NL", "police.example");
  std::size_t outer_count = 0, inner_count = 0;
  Status s = store().read([&](ReadTx& outer) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto before, outer.list_orgs());
    outer_count = before.size();
    // A write commits from another thread while the outer read is open...
    std::thread writer([&] { add_org(OrgKind::kProvider, "IE", "provider.example"); });
    writer.join();
    // ...and the nested read still sees the outer read's snapshot.
    return store().read([&](ReadTx& inner) -> Status {
      LIAISON_ASSIGN_OR_RETURN(auto orgs, inner.list_orgs());
      inner_count = orgs.size();
      return Ok{};
    });
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(outer_count, 1u);
  EXPECT_EQ(inner_count, 1u);
  auto after = read([&](ReadTx& tx) { return tx.list_orgs(); });
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 2u) << "a new read sees the committed write";
}

}  // namespace
}  // namespace liaison::store_contract
