// Factories for the LedgerStore implementations and the schema they share. Internal.
//
// Schema history (forward-only; docs/ledger-format.md):
//   v1  ledger_events(seq, kind, recorded_at, payload, prev_hash, hash) + schema_version
//   v2  ledger_head: one row (seq, hash) that writers lock to serialise chain appends and
//       that lets verify detect events deleted from the end
#ifndef TOLLGATE_LEDGER_STORES_H_
#define TOLLGATE_LEDGER_STORES_H_

#include <memory>
#include <string>
#include <vector>

#include "tollgate/ledger.h"

namespace tollgate::ledger {

inline constexpr int kSchemaVersion = 2;

// An in-memory store. `events()` gives tests raw access (tamper tests).
class MemoryStore : public LedgerStore {
 public:
  Status Migrate() override { return Status::Ok(); }
  Result<int> SchemaVersion() override { return kSchemaVersion; }
  Result<Checkpoint> BeginAppend() override;
  Status Append(const std::vector<LedgerEvent>& events) override;
  Status Commit() override;
  void Rollback() override;
  Status Scan(int64_t after_seq, const std::function<Status(const LedgerEvent&)>& fn) override;
  Status ScanRange(int64_t after_seq, int64_t last_seq,
                   const std::function<Status(const LedgerEvent&)>& fn) override;
  Result<std::unique_ptr<LedgerStore>> OpenReader() override;
  Result<Checkpoint> Head() override { return head_; }
  std::string Describe() const override { return ":memory:"; }

  std::vector<LedgerEvent>& events() { return events_; }
  Checkpoint& head() { return head_; }

 private:
  std::vector<LedgerEvent> events_;
  Checkpoint head_{0, kGenesisHash};
  bool in_tx_ = false;
  size_t tx_start_ = 0;
  Checkpoint tx_head_;
};

// What the SQL stores (SQLite, PostgreSQL) share: the forward-only migrations, applied in one
// transaction (a database newer than this binary is refused, never downgraded), and reading
// events as copies of the rows their ScanViews returns.
class SqlStore : public LedgerStore {
 public:
  explicit SqlStore(int max_version) : max_version_(max_version) {}
  Status Migrate() final;
  // Both read through ScanViews (each store's one query) and copy each row.
  Status Scan(int64_t after_seq, const std::function<Status(const LedgerEvent&)>& fn) final;
  Status ScanRange(int64_t after_seq, int64_t last_seq,
                   const std::function<Status(const LedgerEvent&)>& fn) final;

  // Runs one or more statements (no result rows needed).
  virtual Status Exec(const std::string& sql) = 0;

 protected:
  struct Dialect {
    const char* begin;                  // starts the migration transaction
    std::string lock;                   // run first inside it ("" for none)
    const char* create_schema_version;  // CREATE TABLE IF NOT EXISTS schema_version ...
    const char* const* migrations;      // migrations[v] takes the schema from v to v + 1
    std::string where;                  // "sqlite PATH" / "postgresql URL", for messages
  };
  virtual Dialect dialect() const = 0;

  int max_version_;  // < kSchemaVersion only in tests of upgrades from older versions
};

// SQLite file in WAL mode. `max_version` < kSchemaVersion stops migrations early (tests of
// upgrades from older versions).
Result<std::unique_ptr<LedgerStore>> OpenSqliteStore(const std::string& path, bool sync_full,
                                                     int max_version = kSchemaVersion);
// PostgreSQL via libpq. `schema` may be empty.
Result<std::unique_ptr<LedgerStore>> OpenPostgresStore(const std::string& url,
                                                       const std::string& schema,
                                                       int max_version = kSchemaVersion);

}  // namespace tollgate::ledger

#endif  // TOLLGATE_LEDGER_STORES_H_
