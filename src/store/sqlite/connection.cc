#include "store/sqlite/connection.h"

namespace liaison::sqlite {

Error sqlite_error(sqlite3* db, const std::string& what) {
  int code = sqlite3_extended_errcode(db);
  ErrorCode ec = ErrorCode::kInternal;
  if ((code & 0xff) == SQLITE_CONSTRAINT) ec = ErrorCode::kConflict;
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_FULL ||
      (code & 0xff) == SQLITE_IOERR) {
    ec = ErrorCode::kUnavailable;
  }
  return Error::make(ec, what + ": " + sqlite3_errmsg(db));
}

Statement& Statement::bind(int i, const std::string& v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_blob(int i, const std::string& bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, *v) : bind_null(i);
}
Statement& Statement::bind(int i, const std::optional<std::int64_t>& v) {
  return v ? bind(i, *v) : bind_null(i);
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(sqlite3_db_handle(stmt_), "statement failed");
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r.ok()) return r.take_error();
    if (!r.value()) return Ok{};
  }
}

std::string Statement::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
std::optional<std::string> Statement::optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
std::int64_t Statement::integer(int col) const { return sqlite3_column_int64(stmt_, col); }
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Connection> conn(new Connection(db));  // NOLINT: private constructor
  if (rc != SQLITE_OK) {
    return Error::make(ErrorCode::kUnavailable,
                       "cannot open database " + path + ": " + sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  // Durability: WAL with synchronous=FULL fsyncs the log on every commit, so
  // an acknowledged write survives power loss, not just a process crash.
  LIAISON_TRY(conn->exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"));
  if (!read_only) LIAISON_TRY(conn->exec("PRAGMA journal_mode=WAL;"));
  return conn;
}

Connection::~Connection() {
  for (auto& [_, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status Connection::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    Error e = sqlite_error(db_, "SQL failed");
    e.message = "SQL failed: " + msg;
    return e;
  }
  return Ok{};
}

Result<std::unique_ptr<Statement>> Connection::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return sqlite_error(db_, std::string("cannot prepare ") + sql);
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return std::make_unique<Statement>(it->second);
}

}  // namespace liaison::sqlite
