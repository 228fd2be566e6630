#include "ledger/test_util.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "ledger/stores.h"

namespace tollgate::ledger::testing {
namespace {

std::atomic<int> g_counter{0};

}  // namespace

TestBackend::TestBackend(const std::string& kind) : kind_(kind) {
  int n = g_counter++;
  if (kind == "memory") {
    location_ = ":memory:";
  } else if (kind == "sqlite") {
    const char* tmp = std::getenv("TMPDIR");
    location_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/tollgate-ledger-test-" +
                std::to_string(getpid()) + "-" + std::to_string(n) + ".db";
    std::remove(location_.c_str());
    std::remove((location_ + "-wal").c_str());
    std::remove((location_ + "-shm").c_str());
  } else {
    const char* url = std::getenv("TOLLGATE_PG_URL");
    if (!url || !*url) {
      available_ = false;
      return;
    }
    location_ = url;
    schema_ = "tg_test_" + std::to_string(getpid()) + "_" + std::to_string(n);
  }
}

TestBackend::~TestBackend() {
  if (kind_ == "sqlite") {
    std::remove(location_.c_str());
    std::remove((location_ + "-wal").c_str());
    std::remove((location_ + "-shm").c_str());
  } else if (kind_ == "postgres" && available_) {
    Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").ok();
  }
}

OpenOptions TestBackend::Options() const {
  OpenOptions o;
  o.pg_schema = schema_;
  o.clock = FixedClock;
  return o;
}

Result<std::unique_ptr<Ledger>> TestBackend::Open() { return Ledger::Open(location_, Options()); }

Status TestBackend::Exec(const std::string& sql) {
  if (kind_ == "sqlite") {
    sqlite3* db = nullptr;
    if (sqlite3_open(location_.c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      return IoError("open " + location_);
    }
    char* msg = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    std::string m = msg ? msg : "";
    sqlite3_free(msg);
    sqlite3_close(db);
    if (rc != SQLITE_OK) return IoError(m);
    return Status::Ok();
  }
  if (kind_ == "postgres") {
    PGconn* c = PQconnectdb(location_.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      PQfinish(c);
      return IoError("connect");
    }
    std::string full =
        "SET client_min_messages = warning; SET search_path TO " + schema_ + "; " + sql;
    PGresult* r = PQexec(c, full.c_str());
    auto st = PQresultStatus(r);
    std::string m = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return IoError(m);
    return Status::Ok();
  }
  return InvalidArgument("no SQL on the memory backend");
}

Result<std::unique_ptr<LedgerStore>> TestBackend::OpenRawStore(int max_version) {
  if (kind_ == "sqlite") return OpenSqliteStore(location_, true, max_version);
  if (kind_ == "postgres") return OpenPostgresStore(location_, schema_, max_version);
  return InvalidArgument("no raw store for memory");
}

Decimal D(const std::string& s) { return Decimal::Parse(s).value(); }
Date Day(const std::string& s) { return Date::Parse(s).value(); }
Country C(const std::string& s) { return Country::Parse(s).value(); }
std::string FixedClock() { return "2026-03-31T12:00:00Z"; }

Obligation RevenueShare(const std::string& rate) {
  Obligation o;
  o.kind = "revenue_share";
  o.rule_id = "cn-15pct-share";
  o.cite = "Reuters 2025-08-11 (reported arrangement; no published instrument)";
  o.rate = D(rate);
  o.base = "sale_value";
  o.payee = "US Treasury";
  return o;
}

Obligation Tariff(const std::string& rate) {
  Obligation o;
  o.kind = "tariff";
  o.rule_id = "s232-semis";
  o.cite = "Proclamation of 2026-01-14 (Section 232), HTSUS 9903.79.01";
  o.rate = D(rate);
  o.base = "customs_value";
  o.payee = "US Treasury";
  return o;
}

Obligation VolumeCapObligation(const std::string& ratio, const std::string& reference) {
  Obligation o;
  o.kind = "volume_cap";
  o.rule_id = "cn-50pct-cap";
  o.cite = "91 FR 1684 (reported condition, UNVERIFIED wording)";
  o.cap_ratio = D(ratio);
  o.cap_reference = reference;
  o.cap_period = "quarter";
  return o;
}

DecidedLine MakeLine(const std::string& order_id, int line, int64_t quantity,
                     const std::string& unit_price) {
  DecidedLine l;
  l.order_id = order_id;
  l.line = line;
  l.date = Day("2026-02-10");
  l.exporter = "Acme";
  l.item = "H20";
  l.quantity = quantity;
  l.unit_price = D(unit_price);
  l.currency = Currency::Parse("USD").value();
  l.ship_from = C("US");
  l.destination = C("CN");
  l.consignee = "Shenzhen Compute Ltd";
  l.consignee_country = C("CN");
  l.end_user = "Shenzhen Compute Ltd";
  l.end_user_country = C("CN");
  l.end_use = "datacenter";
  l.input_json = "{\"order_id\":\"" + order_id + "\",\"line\":" + std::to_string(line) + "}";
  l.recorded_by = "test";
  Decision& d = l.decision;
  d.order_id = order_id;
  d.line = line;
  d.decision = "licence";
  d.review = "case_by_case";
  d.eccn = "3A090.a";
  d.effect = Effect::kLicenceCaseByCase;
  d.policy = PolicyRef{"us", "2026-01-15", "sha256:abc"};
  d.rules.push_back(RuleMatch{"cn-h20", Effect::kLicenceCaseByCase, "91 FR 1684", "", "", ""});
  d.obligations.push_back(RevenueShare("0.15"));
  d.explanation = "licence required";
  return l;
}

}  // namespace tollgate::ledger::testing
