// SQLite store: one file, WAL journal, synchronous FULL (default) or NORMAL.
// Writers serialise with BEGIN IMMEDIATE (SQLite's single writer lock) and a busy timeout.
#include <sqlite3.h>

#include <cstdint>

#include <string>

#include "ledger/stores.h"

namespace tollgate::ledger {
namespace {

// Migrations, in order. Index i brings the schema from version i to i + 1.
const char* const kSqliteMigrations[] = {
    // v1
    "CREATE TABLE IF NOT EXISTS ledger_events ("
    "  seq INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  recorded_at TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);",
    // v2
    "CREATE TABLE ledger_head ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL);"
    "INSERT INTO ledger_head (id, seq, hash) SELECT 1, COALESCE(MAX(seq), 0),"
    "  COALESCE((SELECT hash FROM ledger_events ORDER BY seq DESC LIMIT 1),"
    "  '0000000000000000000000000000000000000000000000000000000000000000')"
    "  FROM ledger_events;",
};
static_assert(sizeof(kSqliteMigrations) / sizeof(kSqliteMigrations[0]) == kSchemaVersion);

// A connection to `path` opened with `flags`, waiting up to 30 s for locks; the error says
// `what` and SQLite's reason.
Result<sqlite3*> OpenConnection(const std::string& path, int flags, const std::string& what) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return IoError(what + ": " + m);
  }
  sqlite3_busy_timeout(db, 30000);
  return db;
}

class SqliteStore final : public SqlStore {
 public:
  SqliteStore(sqlite3* db, std::string path, int max_version)
      : SqlStore(max_version), db_(db), path_(std::move(path)) {}
  ~SqliteStore() override {
    if (insert_) sqlite3_finalize(insert_);
    if (in_tx_) Exec("ROLLBACK").ok();
    sqlite3_close(db_);
  }

  Status Exec(const std::string& sql) override {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : sqlite3_errmsg(db_);
      sqlite3_free(msg);
      return IoError("sqlite " + path_ + ": " + m);
    }
    return Status::Ok();
  }

  Status Error(const char* what) {
    return IoError(std::string("sqlite ") + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
  }

  Dialect dialect() const override {
    return {"BEGIN IMMEDIATE", "",
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at "
            "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
            kSqliteMigrations, "sqlite " + path_};
  }

  Result<int> SchemaVersion() override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version", -1, &st,
                           nullptr) != SQLITE_OK) {
      return Error("reading schema_version");
    }
    int v = 0;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
  }

  Result<Checkpoint> BeginAppend() override {
    TG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
    auto h = Head();
    if (!h.ok()) Rollback();
    return h;
  }

  Status Append(const std::vector<LedgerEvent>& events) override {
    if (!insert_ &&
        sqlite3_prepare_v2(db_,
                           "INSERT INTO ledger_events (seq, kind, recorded_at, payload, "
                           "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &insert_, nullptr) != SQLITE_OK) {
      return Error("preparing insert");
    }
    for (const auto& e : events) {
      sqlite3_bind_int64(insert_, 1, e.seq);
      sqlite3_bind_text(insert_, 2, e.kind.data(), static_cast<int>(e.kind.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert_, 3, e.time.data(), static_cast<int>(e.time.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert_, 4, e.payload.data(), static_cast<int>(e.payload.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert_, 5, e.prev_hash.data(), static_cast<int>(e.prev_hash.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert_, 6, e.hash.data(), static_cast<int>(e.hash.size()), SQLITE_STATIC);
      int rc = sqlite3_step(insert_);
      sqlite3_reset(insert_);
      if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT) {
          return Conflict("sqlite " + path_ + ": event " + std::to_string(e.seq) +
                          " already exists (another writer?)");
        }
        return Error("inserting event");
      }
    }
    if (!events.empty()) {
      const auto& last = events.back();
      TG_RETURN_IF_ERROR(Exec("UPDATE ledger_head SET seq = " + std::to_string(last.seq) +
                              ", hash = '" + last.hash + "' WHERE id = 1"));
    }
    return Status::Ok();
  }

  Status Commit() override {
    Status s = Exec("COMMIT");
    if (!s.ok()) Rollback();
    in_tx_ = false;
    return s;
  }

  void Rollback() override {
    if (in_tx_) Exec("ROLLBACK").ok();
    in_tx_ = false;
  }

  Status ScanViews(int64_t after_seq, int64_t last_seq,
                   const std::function<Status(const LedgerEventView&)>& fn) override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_,
                           "SELECT seq, kind, recorded_at, payload, prev_hash, hash FROM "
                           "ledger_events WHERE seq > ? AND seq <= ? ORDER BY seq",
                           -1, &st, nullptr) != SQLITE_OK) {
      return Error("preparing scan");
    }
    sqlite3_bind_int64(st, 1, after_seq);
    sqlite3_bind_int64(st, 2, last_seq);
    LedgerEventView v;
    auto col = [&](int i) {
      const unsigned char* p = sqlite3_column_text(st, i);
      int n = sqlite3_column_bytes(st, i);
      return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
               : std::string_view();
    };
    Status s;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      v.seq = sqlite3_column_int64(st, 0);
      v.kind = col(1);
      v.time = col(2);
      v.payload = col(3);
      v.prev_hash = col(4);
      v.hash = col(5);
      s = fn(v);
      if (!s.ok()) break;
    }
    if (s.ok() && rc != SQLITE_DONE) s = Error("scanning events");
    sqlite3_finalize(st);
    return s;
  }

  // A read-only connection with memory-mapped I/O, for a verify thread.
  Result<std::unique_ptr<LedgerStore>> OpenReader() override {
    TG_ASSIGN_OR_RETURN(sqlite3 * db,
                        OpenConnection(path_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                       "sqlite " + path_ + ": opening a reader"));
    auto reader = std::make_unique<SqliteStore>(db, path_, max_version_);
    TG_RETURN_IF_ERROR(reader->Exec("PRAGMA mmap_size=1073741824"));
    return std::unique_ptr<LedgerStore>(std::move(reader));
  }

  Result<Checkpoint> Head() override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT seq, hash FROM ledger_head WHERE id = 1", -1, &st,
                           nullptr) != SQLITE_OK) {
      return Error("reading ledger_head");
    }
    Checkpoint c{0, kGenesisHash};
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      c.seq = sqlite3_column_int64(st, 0);
      const unsigned char* p = sqlite3_column_text(st, 1);
      c.hash = p ? reinterpret_cast<const char*>(p) : "";
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return IoError("sqlite " + path_ + ": ledger_head row is missing");
    return c;
  }

  std::string Describe() const override { return "sqlite:" + path_; }

 private:
  sqlite3* db_;
  std::string path_;
  sqlite3_stmt* insert_ = nullptr;
  bool in_tx_ = false;
};

}  // namespace

Result<std::unique_ptr<LedgerStore>> OpenSqliteStore(const std::string& path, bool sync_full,
                                                     int max_version) {
  TG_ASSIGN_OR_RETURN(
      sqlite3 * db,
      OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                     "cannot open ledger database '" + path + "'"));
  auto store = std::make_unique<SqliteStore>(db, path, max_version);
  TG_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL"));
  TG_RETURN_IF_ERROR(
      store->Exec(std::string("PRAGMA synchronous=") + (sync_full ? "FULL" : "NORMAL")));
  TG_RETURN_IF_ERROR(store->Migrate());
  // Reads (replay, verify, export) go through memory-mapped pages instead of read() copies.
  TG_RETURN_IF_ERROR(store->Exec("PRAGMA mmap_size=1073741824"));
  return std::unique_ptr<LedgerStore>(std::move(store));
}

}  // namespace tollgate::ledger
