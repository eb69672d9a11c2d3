// A thin RAII layer over the SQLite C API: a connection with a cache of
// prepared statements, and a statement with typed bind and column access.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace liaison::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, const std::optional<std::string>& v);
  Statement& bind(int i, const std::optional<std::int64_t>& v);
  Statement& bind_null(int i);
  // Raw bytes, stored as a BLOB (hashes, salts); read back with text().
  Statement& bind_blob(int i, const std::string& bytes);

  // SQLITE_ROW: true; SQLITE_DONE: false; anything else: an error.
  Result<bool> step();
  // Runs to completion, for statements without results.
  Status run();

  std::string text(int col) const;
  std::optional<std::string> optional_text(int col) const;
  std::int64_t integer(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Executes SQL without results (may hold several statements).
  Status exec(const std::string& sql);
  // A cached prepared statement; reset when the returned Statement dies.
  Result<std::unique_ptr<Statement>> prepare(const char* sql);
  sqlite3* raw() { return db_; }
  std::string last_error() const { return sqlite3_errmsg(db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> cache_;  // keyed by the SQL literal's address
};

Error sqlite_error(sqlite3* db, const std::string& what);

}  // namespace liaison::sqlite
