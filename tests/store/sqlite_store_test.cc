// SQLite-specific behaviour, and the SQLite instantiation of the Store contract.
#include "store/sqlite/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "store/sqlite/migrations.h"
#include "store/store_contract.h"
#include "support/test_support.h"

namespace liaison {
namespace store_contract {

namespace {
std::unique_ptr<Store> make_sqlite_store(const std::filesystem::path& dir) {
  // Few readers, so the contract's concurrent tests also exercise waiting for
  // a free reader connection.
  auto opened = open_sqlite_store((dir / "liaison.db").string(),
                                  SqliteOptions{.readers = 3, .max_batch = 64});
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().message;
    return nullptr;
  }
  return std::move(opened).value();
}
}  // namespace

LIAISON_INSTANTIATE_STORE_CONTRACT(Sqlite, make_sqlite_store);

}  // namespace store_contract

namespace {

using ::testing::HasSubstr;

// Reads one integer or text PRAGMA through a connection of our own, so the
// checks do not rely on the code under test to report on itself.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (err ? err : "?");
    }
    sqlite3_free(err);
  }

 private:
  sqlite3* db_ = nullptr;
};

int last_migration() { return sqlite::migrations().back().version; }

Organisation sample_org() {
  return Organisation{"00000000-0000-4000-8000-000000000001",
                      OrgKind::kAuthority,
                      "Example Police",
                      "DE",
                      "police.example",
                      "2024-01-02T03:04:05Z"};
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string db_path() const { return (dir_.path() / "liaison.db").string(); }
  liaison::testing::TempDir dir_;
};

TEST_F(SqliteStoreTest, FreshDatabaseIsInWalModeAtTheLatestSchema) {
  auto store = open_sqlite_store(db_path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  RawDb raw(db_path());
  // WAL is a property of the file, so any connection reports it.
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(last_migration()));
}

// Numbers only ever go up. Migration 8 belongs to work merged separately, so
// until it is in the list may skip it; after that this insists on 1, 2, 3, ...
TEST_F(SqliteStoreTest, MigrationsAreNumberedUpwards) {
  const auto& all = sqlite::migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, all[i - 1].version + 1) << all[i].description;
  }
}

// A hub created before token scopes existed: its administrators' tokens keep
// the admin scope, everyone else's get read and write.
TEST_F(SqliteStoreTest, TokensFromBeforeScopesKeepWhatTheirHoldersCouldDo) {
  {
    RawDb raw(db_path());
    raw.exec(std::string("BEGIN;") + sqlite::migrations().front().sql +
             "PRAGMA user_version = 1; COMMIT;");
    raw.exec(
        "INSERT INTO organisations VALUES ('00000000-0000-4000-8000-000000000001', 'authority', "
        "'Police', 'DE', 'police.example', '2024-01-01T00:00:00Z');"
        "INSERT INTO users VALUES ('00000000-0000-4000-8000-000000000010', NULL, 'Root', "
        "'root@hub.example.org', '', 1, 0, '2024-01-01T00:00:00Z');"
        "INSERT INTO users VALUES ('00000000-0000-4000-8000-000000000011', "
        "'00000000-0000-4000-8000-000000000001', 'Ada', 'ada@police.example.org', "
        "'officer,org_admin', 0, 0, '2024-01-01T00:00:00Z');"
        "INSERT INTO users VALUES ('00000000-0000-4000-8000-000000000012', "
        "'00000000-0000-4000-8000-000000000001', 'Olivia', 'olivia@police.example.org', "
        "'officer', 0, 0, '2024-01-01T00:00:00Z');"
        "INSERT INTO api_tokens VALUES ('00000000-0000-4000-8000-000000000020', "
        "'00000000-0000-4000-8000-000000000010', 'root', 'h-root', '2024-01-01T00:00:00Z', NULL, "
        "NULL);"
        "INSERT INTO api_tokens VALUES ('00000000-0000-4000-8000-000000000021', "
        "'00000000-0000-4000-8000-000000000011', 'ada', 'h-ada', '2024-01-01T00:00:00Z', NULL, "
        "NULL);"
        "INSERT INTO api_tokens VALUES ('00000000-0000-4000-8000-000000000022', "
        "'00000000-0000-4000-8000-000000000012', 'olivia', 'h-olivia', "
        "'2024-01-01T00:00:00Z', NULL, NULL);");
  }
  auto store = open_sqlite_store(db_path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto scopes_of = [&](const std::string& hash) {
    std::string out;
    Status s = (*store)->read([&](ReadTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(TokenRecord t, tx.get_token_by_hash(hash));
      out = t.scopes.to_string();
      return Ok{};
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return out;
  };
  EXPECT_EQ(scopes_of("h-root"), "read,write,admin");
  EXPECT_EQ(scopes_of("h-ada"), "read,write,admin");
  EXPECT_EQ(scopes_of("h-olivia"), "read,write");
}

TEST_F(SqliteStoreTest, CommittedWriteIsVisibleToAnotherConnection) {
  auto store = open_sqlite_store(db_path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->write([](WriteTx& tx) { return tx.insert_org(sample_org()); }).ok());
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT name FROM organisations"), "Example Police");
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndDoesNotRerunMigrations) {
  {
    auto store = open_sqlite_store(db_path());
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->write([](WriteTx& tx) { return tx.insert_org(sample_org()); }).ok());
  }
  {
    // A table the migrations know nothing about: re-running them from scratch
    // on a rebuilt file would lose it, and re-running them in place would fail.
    RawDb raw(db_path());
    raw.exec("CREATE TABLE reopen_marker (x INTEGER); INSERT INTO reopen_marker VALUES (7)");
  }
  auto store = open_sqlite_store(db_path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Status s = (*store)->read([](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Organisation o, tx.get_org(sample_org().id));
    EXPECT_EQ(o.name, "Example Police");
    return Ok{};
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(last_migration()));
  EXPECT_EQ(raw.text("SELECT x FROM reopen_marker"), "7");
}

TEST_F(SqliteStoreTest, DatabaseFromANewerVersionIsRefused) {
  {
    RawDb raw(db_path());
    raw.exec("PRAGMA user_version = " + std::to_string(last_migration() + 1));
  }
  auto store = open_sqlite_store(db_path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr("newer"));
  // Refusing must not have touched the schema.
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(last_migration() + 1));
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_master WHERE name = 'organisations'"), "0");
}

TEST_F(SqliteStoreTest, UnopenablePathIsUnavailable) {
  auto store = open_sqlite_store((dir_.path() / "missing-dir" / "liaison.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

TEST_F(SqliteStoreTest, IntegrityCheckPassesOnAFreshDatabase) {
  auto store = open_sqlite_store(db_path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Status s = (*store)->check_integrity();
  EXPECT_TRUE(s.ok()) << s.error().message;
}

TEST_F(SqliteStoreTest, ReadersCannotWrite) {
  // Readers are query_only: a write smuggled through a ReadTx (by casting)
  // must fail rather than race the writer thread.
  auto store = open_sqlite_store(db_path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  bool smuggled = false;
  Status s = (*store)->read([&](ReadTx& tx) -> Status {
    auto* w = dynamic_cast<WriteTx*>(&tx);
    if (w == nullptr) return Ok{};  // no write methods to reach
    smuggled = true;
    return w->insert_org(sample_org());
  });
  if (smuggled) {
    EXPECT_FALSE(s.ok());
  }
  Status gone = (*store)->read([](ReadTx& tx) -> Status {
    auto got = tx.get_org(sample_org().id);
    EXPECT_FALSE(got.ok());
    return Ok{};
  });
  EXPECT_TRUE(gone.ok());
}

}  // namespace
}  // namespace liaison

namespace liaison {
namespace {

Organisation example_org(const std::string& id, const std::string& endpoint) {
  return Organisation{id,   OrgKind::kProvider, "Example " + endpoint,
                      "IE", endpoint,           "2026-01-01T00:00:00Z"};
}

// A read of one store nested inside a read of another must leave the outer
// store's transaction in place for reads that follow it.
TEST(SqliteNestedReads, AReadOfAnotherStoreDoesNotDetachTheOuterSnapshot) {
  testing::TempDir dir;
  auto a = open_sqlite_store((dir.path() / "a.db").string());
  auto b = open_sqlite_store((dir.path() / "b.db").string());
  ASSERT_TRUE(a.ok() && b.ok());
  Store& sa = *a.value();
  Store& sb = *b.value();
  ASSERT_TRUE(sa.write([](WriteTx& tx) {
                  return tx.insert_org(example_org("00000000-0000-7000-8000-000000000001", "A1"));
                }).ok());
  std::size_t seen_after_b = 0;
  Status s = sa.read([&](ReadTx& outer) -> Status {
    LIAISON_TRY(outer.list_orgs());  // the snapshot starts at the first read
    LIAISON_TRY(
        sb.read([](ReadTx& tx) { return tx.list_orgs().ok() ? Status() : Error::internal("b"); }));
    std::thread writer([&] {
      EXPECT_TRUE(sa.write([](WriteTx& tx) {
                      return tx.insert_org(
                          example_org("00000000-0000-7000-8000-000000000002", "A2"));
                    }).ok());
    });
    writer.join();
    return sa.read([&](ReadTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(auto orgs, tx.list_orgs());
      seen_after_b = orgs.size();
      return Ok{};
    });
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(seen_after_b, 1u) << "the nested read of A must still join A's snapshot";
}

}  // namespace
}  // namespace liaison
