// Test helpers shared by the ledger tests and benchmark: backends (memory, SQLite,
// PostgreSQL) with raw SQL access for tamper tests, and builders of decided lines.
#ifndef TOLLGATE_LEDGER_TEST_UTIL_H_
#define TOLLGATE_LEDGER_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "tollgate/ledger.h"

namespace tollgate::ledger::testing {

// One database for one test. Creates a fresh SQLite file or PostgreSQL schema; removes it in
// the destructor.
class TestBackend {
 public:
  // kind: "memory", "sqlite" or "postgres". For postgres, available() is false when
  // TOLLGATE_PG_URL is unset.
  explicit TestBackend(const std::string& kind);
  ~TestBackend();

  bool available() const { return available_; }
  bool persistent() const { return kind_ != "memory"; }
  const std::string& kind() const { return kind_; }
  const std::string& location() const { return location_; }
  OpenOptions Options() const;
  // Opens a ledger over this backend. For memory, always the same store (first call creates).
  Result<std::unique_ptr<Ledger>> Open();
  // Runs raw SQL against the database (SQLite / PostgreSQL); not for memory.
  Status Exec(const std::string& sql);
  // Opens the raw store stopping migrations at `max_version` (migration tests).
  Result<std::unique_ptr<LedgerStore>> OpenRawStore(int max_version);

 private:
  std::string kind_;
  std::string location_;
  std::string schema_;
  bool available_ = true;
};

// A decided line with sensible defaults: exporter "Acme", item "H20", destination CN,
// decision "licence" with a 15% revenue share on the sale value.
DecidedLine MakeLine(const std::string& order_id, int line, int64_t quantity = 10,
                     const std::string& unit_price = "12000.00");
Obligation RevenueShare(const std::string& rate);
Obligation Tariff(const std::string& rate);
Obligation VolumeCapObligation(const std::string& ratio, const std::string& reference);
Decimal D(const std::string& s);
Date Day(const std::string& s);
Country C(const std::string& s);
std::string FixedClock();

}  // namespace tollgate::ledger::testing

#endif  // TOLLGATE_LEDGER_TEST_UTIL_H_
