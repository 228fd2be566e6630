// Ledger throughput: order lines recorded per second (durability on), verify events per
// second, each against a plain-insert baseline on the same database. Prints one table.
//
//   ledger_bench [--lines N] [--batch B] [--pg URL]
// PostgreSQL runs when --pg or $TOLLGATE_PG_URL is given (a fresh schema, dropped after).
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "ledger/test_util.h"
#include "tollgate/ledger.h"

namespace {

using Clock = std::chrono::steady_clock;
using tollgate::DecidedLine;
using tollgate::Ledger;
using tollgate::OpenOptions;

// CPU seconds used by this process (all threads): the machine the numbers in
// docs/ledger.md come from is shared, so wall-clock rates understate what the code does.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}
double g_record_cpu = 0, g_verify_cpu = 0;
int64_t g_recorded = 0;  // lines Record wrote (0 when re-recording: all already present)

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

std::vector<DecidedLine> MakeLines(int n) {
  std::vector<DecidedLine> out;
  out.reserve(n);
  const char* items[] = {"H20", "H200", "MI308", "B30A"};
  const char* dests[] = {"CN", "US", "AE", "MO"};
  for (int i = 0; i < n; ++i) {
    DecidedLine l = tollgate::ledger::testing::MakeLine("B-" + std::to_string(i / 10), i % 10 + 1,
                                                        1 + i % 97, "11999.99");
    l.item = items[i % 4];
    l.destination = tollgate::ledger::testing::C(dests[(i / 4) % 4]);
    l.input_json = "{\"order_id\":\"" + l.order_id + "\",\"line\":" + std::to_string(l.line) +
                   ",\"item\":\"" + l.item + "\",\"quantity\":" + std::to_string(l.quantity) +
                   ",\"unit_price\":\"11999.99\",\"currency\":\"USD\"}";
    // As the policy engine decides: every obligation comes from a matching rule, listed in
    // the decision's rules with the same citation.
    auto& d = l.decision;
    // A policy hash as the policy engine writes it (sha256: and 64 hex digits).
    d.policy.hash = "sha256:5ab08dd15608e15bdd3f537ec5bd4a8a0ce3fe9e4af67b6c7085ac6c0d32e16c";
    d.rules.clear();
    d.rules.push_back(tollgate::RuleMatch{d.obligations[0].rule_id,
                                          tollgate::Effect::kLicenceCaseByCase,
                                          d.obligations[0].cite, "", "", ""});
    if (i % 3 == 0) {
      l.customs_value = tollgate::ledger::testing::D("9000.00");
      d.obligations.push_back(tollgate::ledger::testing::Tariff("0.25"));
      d.rules.push_back(tollgate::RuleMatch{d.obligations[1].rule_id, tollgate::Effect::kNlr,
                                            d.obligations[1].cite, "", "", ""});
    }
    out.push_back(std::move(l));
  }
  return out;
}

struct Result {
  double record_lps = 0, baseline_rps = 0, verify_eps = 0, baseline_scan_rps = 0;
  double floor_eps = 0;     // SQLite: read + SHA-256 of the same rows on as many threads
  double replay_eps = 0;    // opening: a fresh handle replays the events into its state
  double rerecord_lps = 0;  // then the same batches recorded again (a re-run of the job)
  size_t avg_payload = 0;
  double record_cpu = 0, verify_cpu = 0;
};

// Records all lines in batches; returns lines/s.
double Record(Ledger& l, const std::vector<DecidedLine>& lines, int batch) {
  // The caller's batches exist before timing starts (as in `check --record`).
  std::vector<std::vector<DecidedLine>> parts;
  for (size_t i = 0; i < lines.size(); i += batch) {
    parts.emplace_back(lines.begin() + i, lines.begin() + std::min(lines.size(), i + batch));
  }
  auto t = Clock::now();
  double c0 = CpuSeconds();
  for (const auto& part : parts) {
    auto r = l.RecordBatch(part);
    if (!r.ok()) {
      std::fprintf(stderr, "record failed: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    g_recorded += r->recorded;
  }
  double wall = Seconds(t);
  g_record_cpu = lines.size() / (CpuSeconds() - c0);
  return lines.size() / wall;
}

double VerifyOnce(Ledger& l, int64_t* n, double* cpu_rate) {
  auto t = Clock::now();
  double c0 = CpuSeconds();
  auto v = l.Verify();
  double s = Seconds(t);
  if (!v.ok() || !v->ok) {
    std::fprintf(stderr, "verify failed\n");
    std::exit(1);
  }
  *cpu_rate = v->events_checked / (CpuSeconds() - c0);
  *n = v->events_checked;
  return v->events_checked / s;
}

// Verify as an auditor runs it: a fresh handle on the closed ledger (`tollgate ledger
// verify`), five times; the median run is reported.
double VerifyRate(const std::string& location, const OpenOptions& o, int64_t* n) {
  auto l = Ledger::Open(location, o);
  if (!l.ok()) std::exit(1);
  std::vector<std::pair<double, double>> runs;
  for (int i = 0; i < 5; ++i) {
    double cpu = 0;
    double wall = VerifyOnce(**l, n, &cpu);
    runs.emplace_back(wall, cpu);
  }
  std::sort(runs.begin(), runs.end());
  g_verify_cpu = runs[2].second;
  return runs[2].first;
}

// The floor for any verifier of this format on this machine: read the rows of the ledger
// (as verify does: read-only connections, memory-mapped, one per core, each over its own
// range of seq) and SHA-256 the bytes verify hashes, with no chain logic. Median of three.
double HashFloor(const std::string& path, int64_t events) {
  const int threads =
      static_cast<int>(std::max(1u, std::min(8u, std::thread::hardware_concurrency())));
  std::vector<double> runs;
  for (int rep = 0; rep < 3; ++rep) {
    auto t = Clock::now();
    std::vector<std::thread> pool;
    const int64_t per = (events + threads - 1) / threads;
    for (int k = 0; k < threads; ++k) {
      pool.emplace_back([&, k] {
        sqlite3* db = nullptr;
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
        sqlite3_exec(db, "PRAGMA mmap_size=1073741824", nullptr, nullptr, nullptr);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db,
                           "SELECT kind, recorded_at, payload, prev_hash FROM ledger_events "
                           "WHERE seq > ? AND seq <= ? ORDER BY seq",
                           -1, &st, nullptr);
        sqlite3_bind_int64(st, 1, k * per);
        sqlite3_bind_int64(st, 2, (k + 1) * per);
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // EVP_sha256() locks per call
        unsigned char d[32];
        unsigned int dn = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
          EVP_DigestInit_ex(ctx, md, nullptr);
          for (int c = 0; c < 4; ++c) {
            EVP_DigestUpdate(ctx, sqlite3_column_text(st, c),
                             static_cast<size_t>(sqlite3_column_bytes(st, c)));
          }
          EVP_DigestFinal_ex(ctx, d, &dn);
        }
        EVP_MD_free(md);
        EVP_MD_CTX_free(ctx);
        sqlite3_finalize(st);
        sqlite3_close(db);
      });
    }
    for (auto& th : pool) th.join();
    runs.push_back(events / Seconds(t));
  }
  std::sort(runs.begin(), runs.end());
  return runs[1];
}

// Payloads of the recorded events (the baseline inserts rows of exactly these sizes).
std::vector<tollgate::LedgerEvent> Events(Ledger& l) {
  std::vector<tollgate::LedgerEvent> evs;
  (void)l.Export([&](const tollgate::LedgerEvent& e) {
    evs.push_back(e);
    return tollgate::Status::Ok();
  });
  return evs;
}

Result BenchSqlite(const std::vector<DecidedLine>& lines, int batch, bool full) {
  Result r;
  std::string path = "/tmp/tollgate-ledger-bench-" + std::to_string(getpid()) + ".db";
  std::string base = path + ".baseline.db";
  for (const auto& p : {path, base}) {
    for (const char* suf : {"", "-wal", "-shm"}) std::remove((p + suf).c_str());
  }
  OpenOptions o;
  o.sqlite_sync_full = full;
  auto l = Ledger::Open(path, o);
  if (!l.ok()) std::exit(1);
  r.record_lps = Record(**l, lines, batch);
  r.record_cpu = g_record_cpu;
  l->reset();  // close the writer (SQLite checkpoints its WAL)
  // An auditor verifies a ledger at rest: flush what was just written first, so that the
  // kernel's writeback of 100+ MB does not compete for the CPUs with the timed verify.
  sync();
  int64_t n = 0;
  r.verify_eps = VerifyRate(path, o, &n);
  r.verify_cpu = g_verify_cpu;
  r.floor_eps = HashFloor(path, n);
  // Opening: a fresh handle replays every event (decodes it into the state) on first use.
  auto t0 = Clock::now();
  l = Ledger::Open(path, o);
  if (!l.ok() || !(*l)->AccountBalance("expense:tariff").ok()) std::exit(1);
  r.replay_eps = n / Seconds(t0);
  // A re-run of the whole job (after a crash, or by mistake) on that handle: every line is
  // found already present by reading the stored lines back; nothing is written.
  g_recorded = 0;
  r.rerecord_lps = Record(**l, lines, batch);
  if (g_recorded != 0) {
    std::fprintf(stderr, "re-recording wrote %lld lines\n", static_cast<long long>(g_recorded));
    std::exit(1);
  }
  auto evs = Events(**l);
  size_t total = 0;
  for (const auto& e : evs) total += e.payload.size();
  r.avg_payload = evs.empty() ? 0 : total / evs.size();
  // Baseline: the same rows, same schema and pragmas, prepared INSERTs, same batch size.
  sqlite3* db;
  sqlite3_open(base.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  sqlite3_exec(db, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", nullptr, nullptr,
               nullptr);
  sqlite3_exec(db,
               "CREATE TABLE t (seq INTEGER PRIMARY KEY, kind TEXT, recorded_at TEXT, payload "
               "TEXT, prev_hash TEXT, hash TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?,?,?,?,?,?)", -1, &st, nullptr);
  auto t = Clock::now();
  for (size_t i = 0; i < evs.size(); i += batch) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (size_t j = i; j < std::min(evs.size(), i + batch); ++j) {
      const auto& e = evs[j];
      sqlite3_bind_int64(st, 1, e.seq);
      sqlite3_bind_text(st, 2, e.kind.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 3, e.time.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 4, e.payload.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 5, e.prev_hash.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 6, e.hash.c_str(), -1, SQLITE_STATIC);
      sqlite3_step(st);
      sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  r.baseline_rps = evs.size() / Seconds(t);
  // Baseline for verify: a plain scan of the same rows reading every column.
  sqlite3_stmt* sc;
  sqlite3_prepare_v2(db,
                     "SELECT seq, kind, recorded_at, payload, prev_hash, hash FROM t ORDER BY seq",
                     -1, &sc, nullptr);
  t = Clock::now();
  size_t bytes = 0, rows = 0;
  while (sqlite3_step(sc) == SQLITE_ROW) {
    for (int c = 1; c < 6; ++c) bytes += sqlite3_column_bytes(sc, c);
    ++rows;
  }
  r.baseline_scan_rps = rows / Seconds(t);
  sqlite3_finalize(sc);
  sqlite3_finalize(st);
  sqlite3_close(db);
  l->reset();
  if (std::getenv("LEDGER_BENCH_KEEP")) {  // keep the ledger for profiling `ledger verify`
    std::fprintf(stderr, "kept %s\n", path.c_str());
    path = "/nonexistent";
  }
  for (const auto& p : {path, base}) {
    for (const char* suf : {"", "-wal", "-shm"}) std::remove((p + suf).c_str());
  }
  return r;
}

bool Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) std::fprintf(stderr, "pg: %s\n", PQerrorMessage(c));
  PQclear(r);
  return ok;
}

Result BenchPostgres(const std::string& url, const std::vector<DecidedLine>& lines, int batch) {
  Result r;
  std::string schema = "tg_bench_" + std::to_string(getpid());
  OpenOptions o;
  o.pg_schema = schema;
  auto l = Ledger::Open(url, o);
  if (!l.ok()) {
    std::fprintf(stderr, "%s\n", l.status().ToString().c_str());
    std::exit(1);
  }
  r.record_lps = Record(**l, lines, batch);
  r.record_cpu = g_record_cpu;
  l->reset();
  int64_t n = 0;
  r.verify_eps = VerifyRate(url, o, &n);
  r.verify_cpu = g_verify_cpu;
  l = Ledger::Open(url, o);
  auto evs = Events(**l);
  size_t total = 0;
  for (const auto& e : evs) total += e.payload.size();
  r.avg_payload = evs.empty() ? 0 : total / evs.size();
  l->reset();
  PGconn* c = PQconnectdb(url.c_str());
  Exec(c, "SET search_path TO " + schema);
  Exec(c,
       "CREATE TABLE t (seq BIGINT PRIMARY KEY, kind TEXT, recorded_at TEXT, payload TEXT, "
       "prev_hash TEXT, hash TEXT)");
  // Baseline: plain INSERTs of the same rows (prepared, one statement per row, one
  // transaction per batch): the way an application without a ledger would write them.
  PGresult* prep = PQprepare(c, "ins", "INSERT INTO t VALUES ($1,$2,$3,$4,$5,$6)", 6, nullptr);
  PQclear(prep);
  auto t = Clock::now();
  for (size_t i = 0; i < evs.size(); i += batch) {
    Exec(c, "BEGIN");
    for (size_t j = i; j < std::min(evs.size(), i + batch); ++j) {
      const auto& e = evs[j];
      std::string seq = std::to_string(e.seq);
      const char* vals[6] = {seq.c_str(),       e.kind.c_str(),      e.time.c_str(),
                             e.payload.c_str(), e.prev_hash.c_str(), e.hash.c_str()};
      PGresult* res = PQexecPrepared(c, "ins", 6, vals, nullptr, nullptr, 0);
      PQclear(res);
    }
    Exec(c, "COMMIT");
  }
  r.baseline_rps = evs.size() / Seconds(t);
  t = Clock::now();
  PGresult* res =
      PQexec(c, "SELECT seq, kind, recorded_at, payload, prev_hash, hash FROM t ORDER BY seq");
  size_t rows = PQntuples(res);
  PQclear(res);
  r.baseline_scan_rps = rows / Seconds(t);
  Exec(c, "SET client_min_messages = warning");
  Exec(c, "DROP SCHEMA " + schema + " CASCADE");
  PQfinish(c);
  return r;
}

Result BenchMemory(const std::vector<DecidedLine>& lines, int batch) {
  Result r;
  auto l = Ledger::Open(":memory:");
  r.record_lps = Record(**l, lines, batch);
  r.record_cpu = g_record_cpu;
  int64_t n = 0;
  double cpu = 0;
  r.verify_eps = VerifyOnce(**l, &n, &cpu);
  r.verify_cpu = cpu;
  r.baseline_rps = r.baseline_scan_rps = 0;
  return r;
}

void Print(const char* name, const Result& r, int lines, int batch) {
  if (r.baseline_rps == 0) {  // memory store: no database baseline
    std::printf("%-28s %8d %6d %12.0f %12s %6s %12.0f %12s %6s %8s\n", name, lines, batch,
                r.record_lps, "-", "-", r.verify_eps, "-", "-", "-");
  } else {
    std::printf("%-28s %8d %6d %12.0f %12.0f %6.2f %12.0f %12.0f %6.2f %8zu\n", name, lines, batch,
                r.record_lps, r.baseline_rps, r.record_lps / r.baseline_rps, r.verify_eps,
                r.baseline_scan_rps, r.verify_eps / r.baseline_scan_rps, r.avg_payload);
  }
  std::printf("%-28s %8s %6s %12.0f %12s %6s %12.0f   (per CPU-second, this process)\n", "", "", "",
              r.record_cpu, "", "", r.verify_cpu);
  if (r.rerecord_lps > 0) {
    std::printf("%-28s %8s %6s %12.0f   (the same batches again: all already present)\n", "", "",
                "", r.rerecord_lps);
    std::printf("%-28s %8s %6s %12s %12s %6s %12.0f   (replay on open, events/s)\n", "", "", "", "",
                "", "", r.replay_eps);
  }
  if (r.floor_eps > 0) {
    std::printf("%-28s %8s %6s %12s %12s %6s %12.0f %12s %6.2f   (floor: read + SHA-256 only)\n",
                "", "", "", "", "", "", r.floor_eps, "", r.verify_eps / r.floor_eps);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int n = 100000, batch = 5000, repeat = 5;
  std::string pg = std::getenv("TOLLGATE_PG_URL") ? std::getenv("TOLLGATE_PG_URL") : "";
  std::string verify_only;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--lines") n = std::atoi(argv[i + 1]);
    if (a == "--batch") batch = std::atoi(argv[i + 1]);
    if (a == "--pg") pg = argv[i + 1];
    if (a == "--verify") verify_only = argv[i + 1];
    if (a == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  // --verify LOCATION: verify an existing ledger `repeat` times on one handle and print each
  // rate, each followed (SQLite) by the read + SHA-256 floor (for profiling, with a ledger
  // kept by LEDGER_BENCH_KEEP=1).
  if (!verify_only.empty()) {
    auto l = Ledger::Open(verify_only, OpenOptions());
    if (!l.ok()) {
      std::fprintf(stderr, "%s\n", l.status().ToString().c_str());
      return 1;
    }
    const bool sqlite = verify_only.rfind("postgres", 0) != 0;
    for (int i = 0; i < repeat; ++i) {
      int64_t events = 0;
      double cpu = 0;
      double wall = VerifyOnce(**l, &events, &cpu);
      std::printf("verify %lld events: %.0f events/s, %.0f per CPU-second",
                  static_cast<long long>(events), wall, cpu);
      // The floor right after, so that both see the VM at the same speed.
      if (sqlite)
        std::printf("; floor (read + SHA-256) %.0f rows/s", HashFloor(verify_only, events));
      std::printf("\n");
    }
    return 0;
  }
  auto lines = MakeLines(n);
  std::printf("%-28s %8s %6s %12s %12s %6s %12s %12s %6s %8s\n", "store", "lines", "batch",
              "record l/s", "insert r/s", "ratio", "verify e/s", "scan r/s", "ratio", "bytes/ev");
  if (std::getenv("LEDGER_BENCH_MEMORY"))
    Print("memory (CPU only)", BenchMemory(lines, batch), n, batch);
  Print("sqlite WAL synchronous=FULL", BenchSqlite(lines, batch, true), n, batch);
  Print("sqlite WAL synchronous=NORMAL", BenchSqlite(lines, batch, false), n, batch);
  if (!pg.empty()) Print("postgresql (COPY, fsync on)", BenchPostgres(pg, lines, batch), n, batch);
  return 0;
}
