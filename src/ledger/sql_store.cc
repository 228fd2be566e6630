// What the SQLite and PostgreSQL stores share (stores.h, SqlStore).
#include <cstdint>
#include <string>

#include "ledger/stores.h"

namespace tollgate::ledger {

Status SqlStore::Scan(int64_t after_seq, const std::function<Status(const LedgerEvent&)>& fn) {
  return ScanRange(after_seq, INT64_MAX, fn);
}

Status SqlStore::ScanRange(int64_t after_seq, int64_t last_seq,
                           const std::function<Status(const LedgerEvent&)>& fn) {
  LedgerEvent e;
  return ScanViews(after_seq, last_seq, [&](const LedgerEventView& v) {
    e.seq = v.seq;
    e.kind.assign(v.kind);
    e.time.assign(v.time);
    e.payload.assign(v.payload);
    e.prev_hash.assign(v.prev_hash);
    e.hash.assign(v.hash);
    return fn(e);
  });
}

Status SqlStore::Migrate() {
  const Dialect d = dialect();
  TG_RETURN_IF_ERROR(Exec(d.begin));
  auto migrate = [&]() -> Status {
    if (!d.lock.empty()) TG_RETURN_IF_ERROR(Exec(d.lock));
    TG_RETURN_IF_ERROR(Exec(d.create_schema_version));
    TG_ASSIGN_OR_RETURN(int v, SchemaVersion());
    if (v > kSchemaVersion) {
      return FailedPrecondition(d.where + ": schema version " + std::to_string(v) +
                                " is newer than this tollgate supports (" +
                                std::to_string(kSchemaVersion) + "); upgrade tollgate");
    }
    for (; v < max_version_; ++v) {
      TG_RETURN_IF_ERROR(Exec(d.migrations[v]));
      TG_RETURN_IF_ERROR(
          Exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(v + 1) + ")"));
    }
    return Status::Ok();
  };
  Status s = migrate();
  if (!s.ok()) {
    Exec("ROLLBACK").ok();
    return s;
  }
  return Exec("COMMIT");
}

}  // namespace tollgate::ledger
