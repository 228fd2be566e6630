// PostgreSQL store via libpq. Writers serialise on the single ledger_head row
// (SELECT ... FOR UPDATE) inside a READ COMMITTED transaction: the second writer waits until
// the first commits, then sees its events and the new head. Migrations take a transaction
// advisory lock so two processes opening a fresh database do not race.
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "ledger/stores.h"

namespace tollgate::ledger {
namespace {

constexpr int64_t kMigrationLockKey = 0x546f6c6c67617465;  // "Tollgate"

const char* const kPgMigrations[] = {
    // v1
    "CREATE TABLE IF NOT EXISTS ledger_events ("
    "  seq BIGINT PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  recorded_at TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL)",
    // v2
    "CREATE TABLE ledger_head ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq BIGINT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "INSERT INTO ledger_head (id, seq, hash) SELECT 1, COALESCE(MAX(seq), 0),"
    "  COALESCE((SELECT hash FROM ledger_events ORDER BY seq DESC LIMIT 1),"
    "  '0000000000000000000000000000000000000000000000000000000000000000')"
    "  FROM ledger_events",
};
static_assert(sizeof(kPgMigrations) / sizeof(kPgMigrations[0]) == kSchemaVersion);

// Strips the password from a URL for messages.
std::string Redact(const std::string& url) {
  auto at = url.find('@');
  auto scheme = url.find("://");
  if (at == std::string::npos || scheme == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(const PgResult&) = delete;
  PGresult* get() const { return r_; }

 private:
  PGresult* r_;
};

class PostgresStore final : public SqlStore {
 public:
  PostgresStore(PGconn* c, std::string url, std::string schema, int max_version)
      : SqlStore(max_version),
        conn_(c),
        raw_url_(url),
        url_(Redact(url)),
        schema_(std::move(schema)) {}
  ~PostgresStore() override {
    if (in_tx_) Exec("ROLLBACK").ok();
    PQfinish(conn_);
  }

  Status Error(const std::string& what) {
    std::string m = PQerrorMessage(conn_);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return IoError("postgresql " + url_ + ": " + what + ": " + m);
  }

  Status Exec(const std::string& sql) override {
    PgResult r(PQexec(conn_, sql.c_str()));
    auto st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Error(sql.substr(0, 60));
    return Status::Ok();
  }

  Dialect dialect() const override {
    return {"BEGIN", "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")",
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at "
            "TIMESTAMPTZ NOT NULL DEFAULT now())",
            kPgMigrations, "postgresql " + url_};
  }

  Result<int> SchemaVersion() override {
    PgResult r(PQexec(conn_, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Error("reading schema_version");
    return std::atoi(PQgetvalue(r.get(), 0, 0));
  }

  Result<Checkpoint> BeginAppend() override {
    TG_RETURN_IF_ERROR(Exec("BEGIN"));
    in_tx_ = true;
    PgResult r(PQexec(conn_, "SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) {
      Status s = PQresultStatus(r.get()) == PGRES_TUPLES_OK
                     ? IoError("postgresql " + url_ + ": ledger_head row is missing")
                     : Error("locking ledger_head");
      Rollback();
      return s;
    }
    return Checkpoint{std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10),
                      PQgetvalue(r.get(), 0, 1)};
  }

  static void CopyEscape(const std::string& s, std::string& out) {
    for (char c : s) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          out += c;
      }
    }
  }

  Status Append(const std::vector<LedgerEvent>& events) override {
    if (events.empty()) return Status::Ok();
    {
      PgResult r(PQexec(conn_,
                        "COPY ledger_events (seq, kind, recorded_at, payload, prev_hash, hash) "
                        "FROM STDIN"));
      if (PQresultStatus(r.get()) != PGRES_COPY_IN) return Error("starting COPY");
    }
    std::string buf;
    buf.reserve(1 << 20);
    for (const auto& e : events) {
      buf += std::to_string(e.seq);
      buf += '\t';
      CopyEscape(e.kind, buf);
      buf += '\t';
      CopyEscape(e.time, buf);
      buf += '\t';
      CopyEscape(e.payload, buf);
      buf += '\t';
      CopyEscape(e.prev_hash, buf);
      buf += '\t';
      CopyEscape(e.hash, buf);
      buf += '\n';
      if (buf.size() > (1 << 20)) {
        if (PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) {
          return Error("sending COPY data");
        }
        buf.clear();
      }
    }
    if (!buf.empty() && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) {
      return Error("sending COPY data");
    }
    if (PQputCopyEnd(conn_, nullptr) != 1) return Error("ending COPY");
    Status s;
    while (PGresult* r = PQgetResult(conn_)) {
      PgResult holder(r);
      if (PQresultStatus(r) != PGRES_COMMAND_OK && s.ok()) {
        const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (state && std::string(state) == "23505") {
          s = Conflict("postgresql " + url_ + ": event already exists (another writer?)");
        } else {
          s = Error("COPY into ledger_events");
        }
      }
    }
    TG_RETURN_IF_ERROR(s);
    const auto& last = events.back();
    return Exec("UPDATE ledger_head SET seq = " + std::to_string(last.seq) + ", hash = '" +
                last.hash + "' WHERE id = 1");
  }

  Status Commit() override {
    Status s = Exec("COMMIT");
    in_tx_ = false;
    return s;
  }

  void Rollback() override {
    if (in_tx_) Exec("ROLLBACK").ok();
    in_tx_ = false;
  }

  Status ScanViews(int64_t after_seq, int64_t last_seq,
                   const std::function<Status(const LedgerEventView&)>& fn) override {
    // Keyset pagination: bounded memory, no cursor (works inside or outside a transaction).
    // The views point into the page's result, valid while the callback runs.
    constexpr int kPage = 20000;
    int64_t last = after_seq;
    LedgerEventView v;
    while (last < last_seq) {
      std::string sql =
          "SELECT seq, kind, recorded_at, payload, prev_hash, hash FROM ledger_events "
          "WHERE seq > " +
          std::to_string(last) + " AND seq <= " + std::to_string(last_seq) +
          " ORDER BY seq LIMIT " + std::to_string(kPage);
      PgResult r(PQexec(conn_, sql.c_str()));
      if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Error("scanning events");
      const int n = PQntuples(r.get());
      auto col = [&](int row, int c) {
        return std::string_view(PQgetvalue(r.get(), row, c),
                                static_cast<size_t>(PQgetlength(r.get(), row, c)));
      };
      for (int i = 0; i < n; ++i) {
        v.seq = std::strtoll(PQgetvalue(r.get(), i, 0), nullptr, 10);
        v.kind = col(i, 1);
        v.time = col(i, 2);
        v.payload = col(i, 3);
        v.prev_hash = col(i, 4);
        v.hash = col(i, 5);
        TG_RETURN_IF_ERROR(fn(v));
        last = v.seq;
      }
      if (n < kPage) break;
    }
    return Status::Ok();
  }

  Result<Checkpoint> Head() override {
    PgResult r(PQexec(conn_, "SELECT seq, hash FROM ledger_head WHERE id = 1"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Error("reading ledger_head");
    if (PQntuples(r.get()) != 1) {
      return IoError("postgresql " + url_ + ": ledger_head row is missing");
    }
    return Checkpoint{std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10),
                      PQgetvalue(r.get(), 0, 1)};
  }

  std::string Describe() const override { return url_; }

  // Another connection to the same database and schema, for a verify thread; nullptr (one
  // thread) when the server refuses another connection.
  Result<std::unique_ptr<LedgerStore>> OpenReader() override {
    PGconn* c = PQconnectdb(raw_url_.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      PQfinish(c);
      return std::unique_ptr<LedgerStore>();
    }
    auto reader = std::make_unique<PostgresStore>(c, raw_url_, schema_, max_version_);
    TG_RETURN_IF_ERROR(reader->Exec("SET client_min_messages = warning"));
    if (!schema_.empty()) TG_RETURN_IF_ERROR(reader->Exec("SET search_path TO " + schema_));
    return std::unique_ptr<LedgerStore>(std::move(reader));
  }

 private:
  PGconn* conn_;
  std::string raw_url_;  // with the password, to open readers; never printed
  std::string url_;
  std::string schema_;
  bool in_tx_ = false;
};

bool ValidSchemaName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !(s[0] >= '0' && s[0] <= '9');
}

}  // namespace

Result<std::unique_ptr<LedgerStore>> OpenPostgresStore(const std::string& url,
                                                       const std::string& schema, int max_version) {
  if (!schema.empty() && !ValidSchemaName(schema)) {
    return InvalidArgument("postgresql schema name '" + schema +
                           "': expected lower-case letters, digits and _ (max 63)");
  }
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = PQerrorMessage(c);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    PQfinish(c);
    return IoError("cannot connect to " + Redact(url) + ": " + m);
  }
  auto store = std::make_unique<PostgresStore>(c, url, schema, max_version);
  TG_RETURN_IF_ERROR(store->Exec("SET client_min_messages = warning"));
  if (!schema.empty()) {
    // Two processes may race to create the schema; the advisory lock makes it safe.
    TG_RETURN_IF_ERROR(store->Exec("BEGIN"));
    Status s =
        store->Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
    if (s.ok()) s = store->Exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    if (!s.ok()) {
      store->Exec("ROLLBACK").ok();
      return s;
    }
    TG_RETURN_IF_ERROR(store->Exec("COMMIT"));
    TG_RETURN_IF_ERROR(store->Exec("SET search_path TO " + schema));
  }
  TG_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<LedgerStore>(std::move(store));
}

}  // namespace tollgate::ledger
