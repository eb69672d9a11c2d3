// The ledger's figures through the hub's own store and service, for bench/ledger.
//
//   ledger_store_bench appends DIR SECONDS THREADS
//     Durable appends: THREADS threads each commit one ledger entry per
//     write() for SECONDS (group commit batches them), into a fresh SQLite
//     store with synchronous=FULL. Beside it, as the peer, the same writes of
//     one plain append-only row (an account event) without the tree.
//   ledger_store_bench proofs DIR ENTRIES SECONDS
//     Fills a fresh store with ENTRIES synthetic entries and their tree (bulk
//     SQL: the setup is not what is measured), publishes a checkpoint, then
//     asks LedgerService for inclusion proofs of random leaves for SECONDS.
//   ledger_store_bench fill DB ENTRIES
//     Appends ENTRIES synthetic entries and their tree to an existing hub
//     database (for timing `liaison ledger verify` on a big log).
//
// Figures go to stdout as "name value" lines.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "service/ledger_service.h"
#include "store/sqlite/sqlite_store.h"
#include "trust/keys.h"

namespace {

using namespace liaison;  // NOLINT
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::cerr << "ledger_store_bench: " << what << "\n";
  std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r.ok()) die(std::string(what) + ": " + r.error().message);
  return std::move(r).value();
}
void must(const Status& s, const char* what) {
  if (!s.ok()) die(std::string(what) + ": " + s.error().message);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

trust::SecretKey bench_key() {
  return must(trust::SecretKey::from_seed(std::string(32, 'B')), "key");
}

// Runs `threads` loops of `one` for `seconds`; returns completed calls per second.
double rate(int threads, double seconds, const std::function<void()>& one) {
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> done{0};
  std::vector<std::thread> workers;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (!stop) {
        one();
        ++done;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  return static_cast<double>(done) / seconds_since(start);
}

void appends(const std::string& dir, double seconds, int threads) {
  std::filesystem::create_directories(dir);
  auto store = must(open_sqlite_store(dir + "/appends.db"), "open");
  SystemClock clock;
  LedgerService ledger(*store, clock, bench_key(), "bench/ledger");
  // A typical request event's content: the event and the request's identity.
  nlohmann::json content = {
      {"event", {{"type", "acknowledge"}, {"from", "submitted"}, {"to", "acknowledged"}}},
      {"request", {{"id", "01890a5d-ac96-774b-bcce-b302099a8057"}, {"status", "acknowledged"}}}};
  double ledger_rate = rate(threads, seconds, [&] {
    must(store->write([&](WriteTx& tx) {
      return ledger.append(
          tx, {"request.acknowledged", "01890a5d-ac96-774b-bcce-b302099a8057",
               "01890a5d-ac96-774b-bcce-b302099a8058", std::nullopt, clock.now(), content});
    }),
         "append");
  });
  auto plain = must(open_sqlite_store(dir + "/plain.db"), "open");
  double plain_rate = rate(threads, seconds, [&] {
    must(plain->write([&](WriteTx& tx) {
      return tx.insert_account_event(
          {0, format_rfc3339_micros(clock.now()), std::nullopt, std::nullopt, std::nullopt, "bench",
           "a plain append-only row of about the same size, no tree", "192.0.2.1"});
    }),
         "plain write");
  });
  auto size = must(
      [&]() -> Result<std::int64_t> {
        std::int64_t n = 0;
        LIAISON_TRY(store->read([&](ReadTx& tx) -> Status {
          LIAISON_ASSIGN_OR_RETURN(n, tx.ledger_size());
          return Ok{};
        }));
        return n;
      }(),
      "size");
  std::cout << "append_entries_per_s " << static_cast<std::int64_t>(ledger_rate) << "\n"
            << "plain_rows_per_s " << static_cast<std::int64_t>(plain_rate) << "\n"
            << "appended_entries " << size << "\n";
}

// Bulk-appends `count` synthetic entries and their tree straight into the
// database at `path`, continuing whatever tree is there.
void fill(const std::string& path, std::int64_t count) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("cannot open " + path);
  auto exec = [&](const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) die(err ? err : sql);
  };
  auto prepare = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
    return st;
  };
  exec("PRAGMA synchronous = OFF");
  // Resume the tree already there (a demo hub's few entries): replay its leaves.
  ledger::CompactTree tree;
  sqlite3_stmt* leaves_st = prepare("SELECT leaf_hash FROM ledger_entries ORDER BY leaf_index");
  while (sqlite3_step(leaves_st) == SQLITE_ROW) {
    ledger::Hash h{};
    std::memcpy(h.data(), sqlite3_column_blob(leaves_st, 0), h.size());
    tree.append(h);
  }
  sqlite3_finalize(leaves_st);
  auto key = [](int level, std::uint64_t index) {
    return (static_cast<std::int64_t>(level) << 48) | static_cast<std::int64_t>(index);
  };

  sqlite3_stmt* entry_ins = prepare(
      "INSERT INTO ledger_entries (leaf_index, entry, leaf_hash, salt, content, request_id, "
      "created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)");
  sqlite3_stmt* node_ins = prepare("INSERT INTO ledger_nodes (node_key, hash) VALUES (?, ?)");
  sqlite3_stmt* tile_ins = prepare(
      "INSERT INTO ledger_tiles (tile_index, hashes) VALUES (?, ?) ON CONFLICT (tile_index) "
      "DO UPDATE SET hashes = CAST(hashes || excluded.hashes AS BLOB)");
  std::mt19937_64 rng(42);
  std::string salt(ledger::kSaltBytes, 's');
  std::string content = R"({"bench":true})";
  Timestamp now = SystemClock().now();
  exec("BEGIN");
  for (std::int64_t i = 0; i < count; ++i) {
    ledger::Entry e;
    e.type = "message.sent";
    e.request_id = "01890a5d-ac96-774b-bcce-b302099a8057";
    e.org = "01890a5d-ac96-774b-bcce-b302099a8058";
    e.time = now;
    for (auto& b : e.commitment) b = static_cast<std::uint8_t>(rng());
    std::string bytes = must(ledger::encode_entry(e), "encode");
    for (const auto& n : tree.append(ledger::leaf_hash(bytes))) {
      if (n.level == 0) {
        sqlite3_bind_int64(entry_ins, 1, static_cast<std::int64_t>(n.index));
        sqlite3_bind_text(entry_ins, 2, bytes.data(), static_cast<int>(bytes.size()),
                          SQLITE_TRANSIENT);
        sqlite3_bind_blob(entry_ins, 3, n.hash.data(), 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(entry_ins, 4, salt.data(), 32, SQLITE_TRANSIENT);
        sqlite3_bind_text(entry_ins, 5, content.data(), static_cast<int>(content.size()),
                          SQLITE_TRANSIENT);
        sqlite3_bind_text(entry_ins, 6, "2026-12-01T00:00:00.000000Z", -1, SQLITE_STATIC);
        if (sqlite3_step(entry_ins) != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_reset(entry_ins);
        sqlite3_bind_int64(tile_ins, 1, static_cast<std::int64_t>(n.index / 8));
        sqlite3_bind_blob(tile_ins, 2, n.hash.data(), 32, SQLITE_TRANSIENT);
        if (sqlite3_step(tile_ins) != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_reset(tile_ins);
      } else if (n.level >= 3) {  // below, the tiles hold them
        sqlite3_bind_int64(node_ins, 1, key(n.level, n.index));
        sqlite3_bind_blob(node_ins, 2, n.hash.data(), 32, SQLITE_TRANSIENT);
        if (sqlite3_step(node_ins) != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_reset(node_ins);
      }
    }
    if ((i + 1) % 200000 == 0) {
      exec("COMMIT");
      exec("BEGIN");
    }
  }
  exec("COMMIT");
  sqlite3_finalize(entry_ins);
  sqlite3_finalize(node_ins);
  sqlite3_finalize(tile_ins);
  sqlite3_close(db);
}

void proofs(const std::string& dir, std::int64_t entries, double seconds) {
  std::filesystem::create_directories(dir);
  std::string path = dir + "/proofs.db";
  std::filesystem::remove(path);
  { auto created = must(open_sqlite_store(path), "create"); }
  auto fill_start = Clock::now();
  fill(path, entries);
  double fill_seconds = seconds_since(fill_start);
  auto store = must(open_sqlite_store(path), "open");
  SystemClock clock;
  LedgerService ledger(*store, clock, bench_key(), "bench/ledger");
  auto cp = must(ledger.publish_now(), "checkpoint");
  Principal anyone;
  std::atomic<std::uint64_t> seed{1};
  auto one = [&] {
    thread_local std::mt19937_64 rng(seed++);
    std::int64_t leaf = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(entries));
    must(ledger.inclusion_by_index(anyone, leaf, cp.tree_size), "proof");
  };
  // As `liaison serve` does at start: the upper levels into memory.
  auto warm_start = Clock::now();
  std::size_t cached = must(ledger.warm(), "warm");
  std::cout << "proof_cache_nodes " << cached << "\n"
            << "proof_cache_warm_seconds " << seconds_since(warm_start) << "\n";
  double one_thread = rate(1, seconds, one);
  double two_threads = rate(2, seconds, one);
  std::cout << "proof_log_entries " << cp.tree_size << "\n"
            << "proof_fill_seconds " << fill_seconds << "\n"
            << "proofs_per_s_1_thread " << static_cast<std::int64_t>(one_thread) << "\n"
            << "proofs_per_s_2_threads " << static_cast<std::int64_t>(two_threads) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 4 && a[0] == "appends") {
    appends(a[1], std::stod(a[2]), std::stoi(a[3]));
  } else if (a.size() == 4 && a[0] == "proofs") {
    proofs(a[1], std::stoll(a[2]), std::stod(a[3]));
  } else if (a.size() == 3 && a[0] == "fill") {
    fill(a[1], std::stoll(a[2]));
  } else {
    std::cerr << "usage: ledger_store_bench appends DIR SECONDS THREADS\n"
                 "       ledger_store_bench proofs DIR ENTRIES SECONDS\n"
                 "       ledger_store_bench fill DB ENTRIES\n";
    return 2;
  }
  return 0;
}
