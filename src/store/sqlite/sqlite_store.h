// The embedded SQLite backend of Store.
//
// One writer connection, owned by a commit thread that batches concurrent
// write() calls into one transaction (group commit: one fsync for many
// writes, each isolated by a savepoint), and a pool of reader connections
// that read WAL snapshots without blocking the writer.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace liaison {

struct SqliteOptions {
  int readers = 8;
  int max_batch = 256;                  // most writes folded into one commit
  int checkpoint_interval_ms = 50;      // how often a background checkpoint copies the WAL back
  int wal_autocheckpoint_pages = 1000;  // WAL size at which the writer checkpoints and restarts it
};

// Opens (creating if needed) the database at `path` and applies migrations.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 SqliteOptions options = {});

}  // namespace liaison
