// The ledger: a tamper-evident record of decided order lines, licences and their use,
// shipments, volume caps, revenue-share / tariff accruals (double entry, exact USD),
// remittances and screening reviews.
//
// Design in one paragraph (details in docs/ledger-format.md and docs/ledger.md): the ledger is
// an append-only sequence of events, each chained to the previous one by SHA-256 over a
// canonical encoding. Events are the only thing stored (plus a one-row chain head); every
// balance, posting and statement is derived by replaying them. A `LedgerStore` keeps the
// events (SQLite, PostgreSQL, memory); the `Ledger` validates commands against the replayed
// state, appends the resulting events in one store transaction that holds the chain head
// exclusively, and applies them to its in-memory state only after the commit. Before every
// write it catches up with events other processes appended, so several processes (or
// servers) may write to one PostgreSQL database and still keep a single chain and correct
// balances.
//
// Errors: every fallible call returns Status / Result. Codes used:
//   kInvalidArgument  malformed input (field named in the message)
//   kNotFound         unknown licence, reservation, order line
//   kFailedPrecondition  refused by state: licence balance, validity, scope, volume cap
//   kConflict         the same (order_id, line) recorded with different content; duplicate id
//   kIoError          database failure (message carries the driver's text)
//   kIntegrityError   the chain does not verify (Verify reports instead of failing)
//   kResourceExhausted   a limit in OpenOptions was hit
//
// Thread-safety: a Ledger is internally synchronised; one object may be shared by threads.
// Several Ledger objects (or processes) may open the same database.
#ifndef TOLLGATE_LEDGER_H_
#define TOLLGATE_LEDGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/core.h"
#include "tollgate/decision.h"
#include "tollgate/status.h"

namespace tollgate {

// ---------------------------------------------------------------------------------------
// Inputs

// One decided order line, as the pipeline hands it to the ledger. All strings are UTF-8.
struct DecidedLine {
  std::string order_id;
  int line = 0;
  Date date;  // the order line's date (drives FX date and statement period)
  std::string exporter;
  std::string item;      // catalog id
  int64_t quantity = 0;  // units, > 0
  Decimal unit_price;    // in `currency`
  Currency currency;
  Country ship_from;
  Country destination;
  std::string consignee;
  Country consignee_country;
  std::string end_user;
  Country end_user_country;
  Country end_user_hq;  // may be empty
  std::string end_use;
  std::string licence;                   // licence number named on the order, "" if none
  std::optional<Decimal> customs_value;  // in `currency`; base of the Section 232 tariff
  std::string input_json;  // the canonical input as the pipeline parsed it (stored verbatim)
  Decision decision;
  // USD per one unit of `currency` on `date` (from the user's FX table). Used for an
  // obligation whose amount_usd is not set; not needed when currency is USD.
  std::optional<Decimal> usd_rate;
  std::string recorded_by;  // user or service name; required
};

struct RecordReport {
  int recorded = 0;         // lines newly stored
  int already_present = 0;  // identical lines found already recorded (idempotency)
  std::vector<std::string> already_present_keys;  // "ORDER/LINE"
  int64_t head_seq = 0;                           // chain head after the batch
  std::string head_hash;
};

// A screening review of one hit: a person clears (false positive) or confirms it.
struct Review {
  std::string party;  // the party name as screened
  std::string list;   // e.g. "bis_entity_list"
  std::string entry_id;
  std::string action;    // "clear" or "confirm"
  std::string reason;    // required
  std::string reviewer;  // required
  std::string time;      // RFC 3339 UTC; filled by the ledger clock when empty
};

// An export licence. Quantity and value are authorised totals; the balance is what remains
// after shipments and open reservations.
struct Licence {
  std::string number;                   // unique, e.g. "D1234567"
  std::string holder;                   // the exporter
  std::vector<std::string> items;       // catalog ids covered (either items or eccns)
  std::vector<std::string> eccns;       // ECCNs covered, e.g. "3A090.a"
  std::vector<Country> destinations;    // at least one
  std::vector<std::string> consignees;  // empty = any
  std::vector<std::string> end_users;   // empty = any
  int64_t quantity = 0;                 // authorised units (> 0)
  Money value;                          // authorised value (> 0)
  Date valid_from;
  Date valid_to;                        // inclusive
  std::vector<std::string> conditions;  // free text, printed on statements and `show`
};

struct LicenceBalance {
  Licence licence;
  int64_t shipped_quantity = 0;
  Money shipped_value;
  int64_t reserved_quantity = 0;  // open reservations
  Money reserved_value;
  int64_t available_quantity = 0;  // quantity - shipped - reserved
  Money available_value;
};

struct ReservationRequest {
  std::string licence;
  std::string reservation_id;  // "" = generated ("R-<seq>")
  int64_t quantity = 0;
  Money value;
  std::string order_id;  // optional: what it is for
  int line = 0;
  std::string by;
  std::string note;
};

struct Reservation {
  std::string id;
  std::string licence;
  int64_t quantity = 0;
  Money value;
  std::string order_id;
  int line = 0;
  bool open = true;
};

// A shipment of (part of) a decided line. Shipments draw down the licence named here (or the
// line's own licence) and count towards volume caps of the line's item and period.
struct ShipmentRequest {
  std::string shipment_id;  // unique; "" = generated ("S-<seq>")
  std::string order_id;
  int line = 0;
  int64_t quantity = 0;        // 0 = the whole remaining quantity of the line
  Date date;                   // ship date; default (1970-01-01) = the line's date
  std::string licence;         // "" = the licence on the decided line, if any
  std::string reservation_id;  // optional: consume this reservation instead of fresh balance
  std::string by;
};

struct ShipmentReceipt {
  std::string shipment_id;
  int64_t quantity = 0;
  Money value;
  std::string licence;
  std::optional<LicenceBalance> balance_after;
  int64_t seq = 0;
};

// Volume cap: shipments of `item` to `destination` in each `period` may not exceed
// `ratio` × shipments of the same item to `reference` in the same period (quantity).
// E.g. {H200, CN, US, 0.5, quarter}: the reported 50% condition of the January 2026 rule
// (91 FR 1684 commentary; UNVERIFIED wording, see docs/ledger.md).
struct VolumeCap {
  std::string item;
  Country destination;
  Country reference;
  Decimal ratio;
  std::string period = "quarter";  // "quarter", "month" or "year"
  std::string cite;
};

// A payment to the US Treasury settling part of a payable.
struct Remittance {
  std::string id;  // unique; "" = generated ("M-<seq>")
  std::string exporter;
  std::string kind;  // "revenue_share" or "tariff"
  Money amount;      // USD only
  Date date;
  std::string reference;  // bank / pay.gov reference
  std::string by;
};

// A double-entry posting line. Postings of one event sum to zero per currency.
struct Posting {
  std::string account;  // "expense:revenue_share", "payable:us_treasury:revenue_share", ...
  Money amount;         // debit positive, credit negative
};

// ---------------------------------------------------------------------------------------
// Statements

struct StatementQuery {
  std::string period;    // "2026Q1", "2026-03" or "2026"
  std::string exporter;  // "" = all
};

struct StatementRow {
  std::string exporter;
  std::string item;
  std::string destination;  // ISO code
  std::string kind;         // "revenue_share" or "tariff"
  int lines = 0;
  int64_t quantity = 0;
  Money base_usd;  // sale or customs value converted to USD
  Money owed_usd;  // accrued in the period
};

struct StatementExporterTotal {
  std::string exporter;
  Money share_owed;   // revenue share accrued in the period
  Money tariff_owed;  // tariff accrued in the period
  Money remitted;     // remittances dated in the period
  Money balance_due;  // all accruals up to period end minus all remittances up to it
};

struct Statement {
  std::string period;
  Date from;
  Date to;  // inclusive
  std::string exporter;
  std::vector<StatementRow> rows;              // sorted exporter, item, destination, kind
  std::vector<Remittance> remittances;         // dated in the period
  std::vector<StatementExporterTotal> totals;  // per exporter
  Money total_owed;
  Money total_remitted;
  Money total_balance_due;
  int64_t checkpoint_seq = 0;  // the chain head the statement was drawn from
  std::string checkpoint_hash;
  std::string generated_at;
};

// ---------------------------------------------------------------------------------------
// Integrity

struct Checkpoint {
  int64_t seq = 0;   // number of events (events are numbered 1..seq)
  std::string hash;  // hex SHA-256 of the last event; 64 zeros for an empty ledger
};

struct VerifyReport {
  bool ok = true;
  int64_t events_checked = 0;
  Checkpoint head;            // as recomputed from the events
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // "event 17 (line.recorded O-1/2): content does not match ..."
};

// One stored event (as exported).
struct LedgerEvent {
  int64_t seq = 0;
  std::string kind;     // "line.recorded", "licence.added", ...
  std::string time;     // RFC 3339 UTC
  std::string payload;  // canonical JSON
  std::string prev_hash;
  std::string hash;
};

// A stored event seen in place (valid only during the callback that receives it): lets
// verify hash rows without copying them out of the database.
struct LedgerEventView {
  int64_t seq = 0;
  std::string_view kind;
  std::string_view time;
  std::string_view payload;
  std::string_view prev_hash;
  std::string_view hash;

  LedgerEventView() = default;
  explicit LedgerEventView(const LedgerEvent& e)
      : seq(e.seq),
        kind(e.kind),
        time(e.time),
        payload(e.payload),
        prev_hash(e.prev_hash),
        hash(e.hash) {}
};

// ---------------------------------------------------------------------------------------
// Store interface (implementations: src/ledger/{sqlite,postgres,memory}_store.cc)

// Raw event storage. Not thread-safe; the Ledger serialises access. Begin/Commit/Rollback
// bracket a write transaction that holds the chain head exclusively against other writers
// (other connections, other processes).
class LedgerStore {
 public:
  virtual ~LedgerStore() = default;
  // Creates or migrates the schema to the current version (forward only).
  virtual Status Migrate() = 0;
  virtual Result<int> SchemaVersion() = 0;
  // Starts a write transaction and returns the chain head, locked until Commit/Rollback.
  virtual Result<Checkpoint> BeginAppend() = 0;
  // Appends events (seq, prev_hash, hash already set) and moves the head. Inside BeginAppend.
  virtual Status Append(const std::vector<LedgerEvent>& events) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // Calls fn for every event with seq > after_seq, in stored seq order. Stops at fn's error.
  virtual Status Scan(int64_t after_seq, const std::function<Status(const LedgerEvent&)>& fn) = 0;
  // Calls fn for every event with after_seq < seq <= last_seq, in seq order. The default
  // filters Scan; stores override it with a bounded query (parallel verify reads ranges).
  virtual Status ScanRange(int64_t after_seq, int64_t last_seq,
                           const std::function<Status(const LedgerEvent&)>& fn);
  // ScanRange without copies: the view points into the store's buffers. The default wraps
  // ScanRange.
  virtual Status ScanViews(int64_t after_seq, int64_t last_seq,
                           const std::function<Status(const LedgerEventView&)>& fn);
  // A second connection to the same database for a reader thread (parallel verify), or
  // nullptr when the store has none; verify then reads on one thread.
  virtual Result<std::unique_ptr<LedgerStore>> OpenReader() {
    return std::unique_ptr<LedgerStore>();
  }
  // The head row (what the store believes the head to be).
  virtual Result<Checkpoint> Head() = 0;
  virtual std::string Describe() const = 0;  // "sqlite:/path" or "postgresql://host/db"
};

// ---------------------------------------------------------------------------------------

struct OpenOptions {
  // PostgreSQL only: tables live in this schema (created if missing); "" = the default
  // search_path. Tests use a unique schema per run.
  std::string pg_schema;
  // SQLite only: PRAGMA synchronous FULL (true) or NORMAL (false) in WAL mode.
  bool sqlite_sync_full = true;
  // Returns the current time as RFC 3339 UTC ("2026-03-01T12:00:00Z"). Default: system clock.
  std::function<std::string()> clock;
  // Limits on hostile input.
  size_t max_batch_lines = 100000;      // lines per RecordBatch call
  size_t max_field_bytes = 1024;        // any single string field of a command
  size_t max_input_json_bytes = 65536;  // DecidedLine::input_json
  size_t max_event_bytes = 1 << 20;     // a stored event's payload (checked when reading)
};

class Ledger {
 public:
  // Opens (creating on first use, migrating forward) the ledger at `url_or_path`:
  //   "postgresql://..." or "postgres://..."  PostgreSQL via libpq;
  //   ":memory:"                                an in-memory store (tests);
  //   anything else                             an SQLite file (WAL).
  // Replays every stored event to rebuild state: cost O(events) at open.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& url_or_path,
                                              const OpenOptions& options = {});
  // Same over a caller-supplied store (takes ownership).
  static Result<std::unique_ptr<Ledger>> OpenStore(std::unique_ptr<LedgerStore> store,
                                                   const OpenOptions& options = {});
  // The database named by --db, else $TOLLGATE_DB, else "tollgate.db".
  static std::string DefaultLocation(const std::string& flag_value);

  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Records decided lines in ONE transaction, all or nothing. Identical lines already stored
  // are skipped and counted; the same (order_id, line) with different content fails the
  // whole batch with kConflict naming it. Each new line becomes one "line.recorded" event
  // carrying inputs, decision and the USD accruals of its revenue_share / tariff obligations
  // (their double-entry postings follow from them); rule texts not yet in the ledger are
  // registered first by a "policy.rules" event (docs/ledger-format.md).
  Result<RecordReport> RecordBatch(const std::vector<DecidedLine>& lines);
  // What RecordBatch would do, without writing: the same errors (every invalid line; a line
  // recorded before with different content) or the report of what it would record and find
  // already present. Callers that split a job into several batches check them all first.
  Result<RecordReport> PreviewBatch(const std::vector<DecidedLine>& lines);
  // The OpenOptions this ledger was opened with (limits).
  const OpenOptions& options() const;

  Status RecordReview(const Review& review);
  Result<std::vector<Review>> Reviews();
  // True when the latest review of (party, list, entry_id) is "clear". Party names compare
  // after trimming and case folding of ASCII.
  Result<bool> IsCleared(const std::string& party, const std::string& list,
                         const std::string& entry_id);

  Status AddLicence(const Licence& licence, const std::string& by);
  Result<LicenceBalance> GetLicence(const std::string& number);
  Result<std::vector<LicenceBalance>> ListLicences();
  Result<Reservation> Reserve(const ReservationRequest& request);
  Status Release(const std::string& reservation_id, const std::string& by,
                 const std::string& reason);
  Result<std::vector<Reservation>> Reservations(const std::string& licence);

  // Records a shipment; refused (kFailedPrecondition, nothing written) when it would take a
  // licence balance below zero, the licence does not cover the line or date, the line was
  // not decided shippable, or a volume cap would be exceeded.
  Result<ShipmentReceipt> Ship(const ShipmentRequest& request);
  Status SetCap(const VolumeCap& cap, const std::string& by);
  Status RecordRemittance(const Remittance& remittance);

  Result<Statement> BuildStatement(const StatementQuery& query);

  // Checks the whole chain; never fails on a bad chain (the report says so), only on I/O.
  Result<VerifyReport> Verify();
  Result<Checkpoint> GetCheckpoint();
  // Calls fn for every event in order (after checking nothing; run Verify for that).
  Status Export(const std::function<Status(const LedgerEvent&)>& fn);

  // Sum of every posting to `account` (all currencies must be USD). For tests and audits.
  Result<Money> AccountBalance(const std::string& account);

  LedgerStore* store();  // for tests (tamper tests reach around the ledger)

 private:
  struct Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  Result<RecordReport> Record(const std::vector<DecidedLine>& lines, bool write);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------
// Formats and importers (src/ledger/formats.cc, pdf.cc, import.cc). Pure functions.

// Statement renderings. Table: fixed-width text for a terminal; CSV: one row per
// (exporter, item, destination, kind), then remittances and totals, with a `section`
// column; JSON: one object (amounts as decimal strings).
std::string FormatStatementTable(const Statement& s);
std::string FormatStatementCsv(const Statement& s);
std::string FormatStatementJson(const Statement& s);
// Writes an A4 PDF (cairo): header with period, exporter and checkpoint, the table, a bar
// chart of owed vs remitted per exporter, and the totals. kIoError if the file cannot be
// written.
Status WriteStatementPdf(const Statement& s, const std::string& path);

// One exported event as a JSON line: {"seq":..,"kind":..,"time":..,"prev_hash":..,
// "hash":..,"payload":"<canonical JSON text>"} (payload kept as text so the hash can be
// recomputed from the export alone).
std::string EventToJsonLine(const LedgerEvent& e);

struct ImportOptions {
  size_t max_bytes = size_t{256} << 20;  // whole input
  size_t max_records = 1000000;          // lines / rows
  size_t max_line_bytes = 1 << 20;       // one JSON line or CSV field
};

// Parses an export (JSON Lines from `ledger export`). Every bad line is reported with
// file:line. Used by `ledger verify --file` to check an export offline.
Result<std::vector<LedgerEvent>> ParseEventExport(std::string_view text, const std::string& file,
                                                  const ImportOptions& options = {});
// Verifies a chain of events held in memory (an export): same checks and messages as
// Ledger::Verify, without the head-row comparison.
VerifyReport VerifyEvents(const std::vector<LedgerEvent>& events);

// Decided lines as JSON Lines: {"input":{...},"decision":{...},"recorded_by":"..."} per line
// (the payload form of line.recorded; docs/ledger-format.md). Every bad line reported.
Result<std::vector<DecidedLine>> ParseDecidedLinesJsonl(std::string_view text,
                                                        const std::string& file,
                                                        const ImportOptions& options = {});

// Licences from CSV with header: number,holder,items,eccns,destinations,consignees,
// end_users,quantity,value,currency,valid_from,valid_to,conditions. List cells separate
// entries with ';'. Every bad cell reported as file:line:col.
Result<std::vector<Licence>> ParseLicenceCsv(std::string_view text, const std::string& file,
                                             const ImportOptions& options = {});

// Canonical encoding and hashing of one event (docs/ledger-format.md). Exposed for auditors'
// tools and tests.
std::string CanonicalEventBytes(const LedgerEvent& e);
std::string EventHash(const LedgerEvent& e);  // hex SHA-256 of CanonicalEventBytes
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

}  // namespace tollgate

#endif  // TOLLGATE_LEDGER_H_
