// Numbered schema migrations for the SQLite backend.
//
// Migration N is applied once, in a transaction with the bump of
// PRAGMA user_version to N. Never edit a released migration: add the next one.
// The SQL is kept to what PostgreSQL also accepts, except where noted.
#pragma once

#include <vector>

namespace liaison::sqlite {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

const std::vector<Migration>& migrations();

}  // namespace liaison::sqlite
