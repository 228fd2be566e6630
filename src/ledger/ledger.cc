// The Ledger: validates commands against replayed state and appends chained events.
#include "tollgate/ledger.h"

#include <openssl/evp.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "ledger/canonical.h"
#include "ledger/codec.h"
#include "ledger/state.h"
#include "ledger/stores.h"

namespace tollgate {

using ledger::Json;
using ledger::LedgerState;

namespace {

constexpr char kCanonicalPrefix[] = "tollgate-ledger-v1\n";

std::string SystemClock() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<Decimal> RoundCents(const Decimal& d) { return d.Rescale(2, Rounding::kHalfEven); }

Money Usd(const Decimal& d) {
  Money m;
  m.amount = d;
  return m;  // Currency() is USD
}

std::string PeriodLabel(const std::string& period, Date d) {
  char buf[16];
  if (period == "month") {
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year(), d.month());
  } else if (period == "year") {
    std::snprintf(buf, sizeof buf, "%04d", d.year());
  } else {
    std::snprintf(buf, sizeof buf, "%04dQ%d", d.year(), (d.month() - 1) / 3 + 1);
  }
  return buf;
}

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool ContainsIgnoreCase(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v) {
    if (EqualsIgnoreCase(x, s)) return true;
  }
  return false;
}

// A new event built under the head lock, applied to the state only after commit.
struct Pending {
  std::string kind;
  std::string payload;
  std::function<void(LedgerState&, int64_t seq)> apply;
};

}  // namespace

namespace {

// Writes the 64 hex digits of the event's hash to out, hashing the canonical bytes without
// building them (docs/ledger-format.md).
void HashEventHex(EVP_MD_CTX* ctx, const LedgerEventView& e, char* out) {
  unsigned char digest[32];
  unsigned int n = 0;
  // Everything before the payload in one buffer (one digest update instead of eight); a
  // row whose kind or time is implausibly long (tampered) takes the slow path.
  char head[sizeof(kCanonicalPrefix) + 256];
  char* const limit = head + sizeof head;
  std::memcpy(head, kCanonicalPrefix, sizeof(kCanonicalPrefix) - 1);
  char* p = head + sizeof(kCanonicalPrefix) - 1;
  auto [end, ec] = std::to_chars(p, head + 32 + sizeof(kCanonicalPrefix), e.seq);
  (void)ec;
  p = end;
  *p++ = '\n';
  EVP_DigestInit_ex(ctx, ledger::Sha256(), nullptr);
  const size_t rest = e.kind.size() + e.time.size() + e.prev_hash.size() + 3;
  if (rest <= static_cast<size_t>(limit - p)) {
    for (std::string_view part : {e.kind, e.time, e.prev_hash}) {
      std::memcpy(p, part.data(), part.size());
      p += part.size();
      *p++ = '\n';
    }
    EVP_DigestUpdate(ctx, head, static_cast<size_t>(p - head));
  } else {
    EVP_DigestUpdate(ctx, head, static_cast<size_t>(p - head));
    for (std::string_view part : {e.kind, e.time, e.prev_hash}) {
      EVP_DigestUpdate(ctx, part.data(), part.size());
      EVP_DigestUpdate(ctx, "\n", 1);
    }
  }
  EVP_DigestUpdate(ctx, e.payload.data(), e.payload.size());
  EVP_DigestFinal_ex(ctx, digest, &n);
  static const char* kHex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
}

}  // namespace

std::string CanonicalEventBytes(const LedgerEvent& e) {
  std::string out;
  out.reserve(sizeof(kCanonicalPrefix) + 96 + e.kind.size() + e.time.size() + e.payload.size());
  out += kCanonicalPrefix;
  out += std::to_string(e.seq);
  out += '\n';
  out += e.kind;
  out += '\n';
  out += e.time;
  out += '\n';
  out += e.prev_hash;
  out += '\n';
  out += e.payload;
  return out;
}

std::string EventHash(const LedgerEvent& e) {
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx c;  // one per thread: replay hashes every event it applies
  std::string out(64, '0');
  HashEventHex(c.ctx, LedgerEventView(e), out.data());
  return out;
}

Status LedgerStore::ScanRange(int64_t after_seq, int64_t last_seq,
                              const std::function<Status(const LedgerEvent&)>& fn) {
  bool past = false;
  Status s = Scan(after_seq, [&](const LedgerEvent& e) -> Status {
    if (e.seq > last_seq) {
      past = true;
      return Status(StatusCode::kInternal, "stop");
    }
    return fn(e);
  });
  return past ? Status::Ok() : s;
}

Status LedgerStore::ScanViews(int64_t after_seq, int64_t last_seq,
                              const std::function<Status(const LedgerEventView&)>& fn) {
  return ScanRange(after_seq, last_seq,
                   [&](const LedgerEvent& e) { return fn(LedgerEventView(e)); });
}

std::string Ledger::DefaultLocation(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("TOLLGATE_DB"); env && *env) return env;
  return "tollgate.db";
}

namespace {
struct PreparedLine;
}  // namespace

struct Ledger::Impl {
  std::unique_ptr<LedgerStore> store;
  OpenOptions opts;
  std::mutex mu;
  LedgerState state;

  std::string Now() { return opts.clock ? opts.clock() : SystemClock(); }

  // Applies every event appended since the state was last brought up to date.
  Status CatchUp() {
    return store->Scan(
        state.seq, [&](const LedgerEvent& e) { return state.ApplyEvent(e, opts.max_event_bytes); });
  }

  Status CheckField(const std::string& name, const std::string& v, bool required) {
    if (required && v.empty()) return InvalidArgument(name + ": required");
    if (v.size() > opts.max_field_bytes) {
      return ResourceExhausted(name + ": " + std::to_string(v.size()) +
                               " bytes exceeds the limit of " +
                               std::to_string(opts.max_field_bytes));
    }
    return Status::Ok();
  }

  // The stored payload of each line of `batch` that the ledger already holds in format 3
  // (which stores no content hash), keyed by the seq of its event. Reads the events back in
  // one scan per cluster of nearby seqs.
  Status StoredPayloads(const std::vector<PreparedLine>& batch,
                        std::unordered_map<int64_t, std::string>& out);

  // Stateless checks of one decided line (RecordBatch reports every failing line).
  Status ValidateLine(const DecidedLine& l) {
    Status s;
    for (auto [name, value, req] :
         {std::tuple<const char*, const std::string*, bool>{"order_id", &l.order_id, true},
          {"exporter", &l.exporter, true},
          {"item", &l.item, true},
          {"consignee", &l.consignee, false},
          {"end_user", &l.end_user, false},
          {"end_use", &l.end_use, false},
          {"licence", &l.licence, false},
          {"recorded_by", &l.recorded_by, true}}) {
      s = CheckField(name, *value, req);
      if (!s.ok()) return s;
    }
    if (l.input_json.size() > opts.max_input_json_bytes) {
      return ResourceExhausted("input_json: " + std::to_string(l.input_json.size()) +
                               " bytes exceeds the limit of " +
                               std::to_string(opts.max_input_json_bytes));
    }
    if (l.line < 1) return InvalidArgument("line: must be >= 1");
    if (l.quantity <= 0 || l.quantity > 1000000000000LL) {
      return InvalidArgument("quantity: " + std::to_string(l.quantity) +
                             " is not in 1..1000000000000");
    }
    if (l.unit_price.is_negative()) return InvalidArgument("unit_price: negative");
    if (l.destination.empty()) return InvalidArgument("destination: required");
    if (l.usd_rate && (l.usd_rate->is_negative() || l.usd_rate->is_zero())) {
      return InvalidArgument("usd_rate: must be > 0");
    }
    if (!l.decision.order_id.empty() &&
        (l.decision.order_id != l.order_id || l.decision.line != l.line)) {
      return InvalidArgument("decision is for " +
                             ledger::LineKey(l.decision.order_id, l.decision.line));
    }
    const std::string& d = l.decision.decision;
    if (d != "nlr" && d != "exception" && d != "licence" && d != "prohibited" && d != "hold") {
      return InvalidArgument("decision.decision: '" + d +
                             "' is not one of nlr, exception, licence, prohibited, hold");
    }
    return Status::Ok();
  }

  // Runs `build` under the chain-head lock with the state caught up, appends what it built
  // in the same transaction, then applies it to the state.
  template <typename Build>
  Status Write(Build&& build) {
    TG_ASSIGN_OR_RETURN(Checkpoint head, store->BeginAppend());
    auto fail = [&](Status s) {
      store->Rollback();
      return s;
    };
    Status s = CatchUp();
    if (!s.ok()) return fail(s);
    if (state.seq != head.seq || state.hash != head.hash) {
      return fail(Status(StatusCode::kIntegrityError,
                         "the ledger head (event " + std::to_string(head.seq) +
                             ") does not match its events (last is " + std::to_string(state.seq) +
                             "): the ledger was changed outside Tollgate; run 'tollgate "
                             "ledger verify'"));
    }
    std::vector<Pending> pending;
    s = build(pending, state.seq + 1);
    if (!s.ok()) return fail(s);
    if (pending.empty()) {
      store->Rollback();
      return Status::Ok();
    }
    std::vector<LedgerEvent> events;
    events.reserve(pending.size());
    std::string prev = state.hash;
    const std::string now = Now();
    int64_t seq = state.seq;
    for (auto& p : pending) {
      LedgerEvent e;
      e.seq = ++seq;
      e.kind = p.kind;
      e.time = now;
      e.payload = std::move(p.payload);
      e.prev_hash = std::move(prev);
      e.hash = EventHash(e);
      prev = e.hash;
      events.push_back(std::move(e));
    }
    s = store->Append(events);
    if (!s.ok()) return fail(s);
    s = store->Commit();
    if (!s.ok()) return fail(s);
    for (size_t i = 0; i < pending.size(); ++i) {
      pending[i].apply(state, events[i].seq);
      state.Advance(events[i].seq, events[i].hash);
    }
    return Status::Ok();
  }

  // Amounts shown with at least the currency's minor digits ("0.00 USD", not "0 USD").
  static Money Shown(const Decimal& d, Currency c) {
    if (d.scale() < c.minor_units()) {
      if (auto r = d.Rescale(c.minor_units(), Rounding::kHalfEven)) return Money{*r, c};
    }
    return Money{d, c};
  }

  LicenceBalance BalanceOf(const ledger::LicenceState& ls) {
    LicenceBalance b;
    b.licence = ls.licence;
    Currency cur = ls.licence.value.currency;
    b.shipped_quantity = ls.shipped_quantity;
    b.shipped_value = Shown(ls.shipped_value, cur);
    b.reserved_quantity = ls.reserved_quantity;
    b.reserved_value = Shown(ls.reserved_value, cur);
    b.available_quantity = ls.licence.quantity - ls.shipped_quantity - ls.reserved_quantity;
    Decimal avail = ls.licence.value.amount;
    if (auto d = Decimal::CheckedSub(avail, ls.shipped_value)) avail = *d;
    if (auto d = Decimal::CheckedSub(avail, ls.reserved_value)) avail = *d;
    b.available_value = Shown(avail, cur);
    b.licence.value = Shown(b.licence.value.amount, cur);
    return b;
  }
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;
LedgerStore* Ledger::store() { return impl_->store.get(); }

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& url_or_path,
                                             const OpenOptions& options) {
  std::unique_ptr<LedgerStore> store;
  if (url_or_path.rfind("postgresql://", 0) == 0 || url_or_path.rfind("postgres://", 0) == 0) {
    TG_ASSIGN_OR_RETURN(store, ledger::OpenPostgresStore(url_or_path, options.pg_schema));
  } else if (url_or_path == ":memory:") {
    store = std::make_unique<ledger::MemoryStore>();
  } else if (url_or_path.empty()) {
    return InvalidArgument("ledger location is empty");
  } else {
    TG_ASSIGN_OR_RETURN(store, ledger::OpenSqliteStore(url_or_path, options.sqlite_sync_full));
  }
  return OpenStore(std::move(store), options);
}

Result<std::unique_ptr<Ledger>> Ledger::OpenStore(std::unique_ptr<LedgerStore> store,
                                                  const OpenOptions& options) {
  if (!store) return InvalidArgument("no ledger store");
  auto impl = std::make_unique<Impl>();
  impl->store = std::move(store);
  impl->opts = options;
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

// ---------------------------------------------------------------------------------------
// Decided lines

namespace {

struct PreparedLine {
  std::string key;
  std::string payload;
  const DecidedLine* line = nullptr;  // points into the caller's batch
  std::vector<ledger::Accrual> accruals;
  std::vector<Posting> postings;
  std::vector<std::string> rule_texts;  // EncodeRule of each of the decision's rules
  Diagnostic error;                     // set (message non-empty) when the line is invalid
  StatusCode error_code = StatusCode::kOk;
};

// The content hash formats 1 and 2 stored: SHA-256 of {"decision":D,"input":I}.
std::string ContentHash(const std::string& dec, const std::string& in) {
  std::string content;
  content.reserve(dec.size() + in.size() + 24);
  content += "{\"decision\":";
  content += dec;
  content += ",\"input\":";
  content += in;
  content += '}';
  return ledger::Sha256Hex(content);
}

// The format-1 content hash of a line, to compare with lines recorded by earlier versions.
std::string ContentHashFormat1(const DecidedLine& l) {
  std::string in = ledger::FastLineInput(l);
  if (in.empty()) in = ledger::DumpCompact(ledger::LineInputToJson(l));
  std::string dec = ledger::FastDecision(l.decision);
  if (dec.empty()) dec = ledger::DumpCompact(ledger::DecisionToJson(l.decision));
  return ContentHash(dec, in);
}

// The format-2 content hash of a line (rules by id, or in full when the line carried them).
std::string ContentHashFormat2(const DecidedLine& l, bool inline_rules) {
  return ContentHash(ledger::EncodeDecision(l.decision, 2, inline_rules),
                     ledger::EncodeLineInput(l, 2));
}

// What makes two recordings of an order line the same (format 3 stores no content hash):
// the canonical input and decision, with the rules and policy written in full.
std::string FullContent(const DecidedLine& l) {
  std::string out = ledger::EncodeDecision(l.decision, ledger::kLineFormat, true, true);
  out += '\n';
  out += ledger::EncodeLineInput(l, ledger::kLineFormat);
  return out;
}

// A format-3 line.recorded payload without its last member, `recorded_by` (canonical: keys
// in byte order, so it is last when present; a JSON string holds no bare quote).
std::string_view ContentPart(std::string_view payload) {
  const size_t at = payload.rfind(",\"recorded_by\":\"");
  return at == std::string_view::npos ? payload : payload.substr(0, at);
}

// Encodes a line.recorded payload in the current format (docs/ledger-format.md).
void EncodeLinePayload(PreparedLine& p, bool inline_rules, bool inline_policy) {
  const DecidedLine& l = *p.line;
  const std::string in = ledger::EncodeLineInput(l, ledger::kLineFormat);
  const std::string dec =
      ledger::EncodeDecision(l.decision, ledger::kLineFormat, inline_rules, inline_policy);
  p.payload.clear();
  p.payload.reserve(in.size() + dec.size() + 192);
  ledger::CanonicalWriter w(&p.payload, true);
  w.BeginObject();
  w.BeginArray("accruals");
  for (const auto& a : p.accruals) {
    w.BeginObject();
    w.String("amount_usd", a.amount_usd.amount.ToString());
    w.String("base_usd", a.base_usd.amount.ToString());
    w.Int("obligation", a.obligation);
    w.End();
  }
  w.End();
  w.Raw("decision", dec);
  w.Int("format", ledger::kLineFormat);
  w.Raw("input", in);
  w.String("recorded_by", l.recorded_by);
  w.End();
}

// Computes the revenue-share / tariff accruals of a line in USD (docs/ledger-format.md,
// "Rounding"): amount_usd = round_half_even_cents(rate × base × usd_rate), unrounded inputs,
// one rounding at the end; or the obligation's own amount_usd, rounded to the cent.
Status ComputeAccruals(const DecidedLine& l, std::vector<ledger::Accrual>& out) {
  const std::string& d = l.decision.decision;
  if (d != "nlr" && d != "exception" && d != "licence") return Status::Ok();  // no sale
  const bool usd = l.currency.code() == "USD";
  std::optional<Decimal> fx = usd ? std::optional<Decimal>(Decimal::FromInt(1)) : l.usd_rate;
  for (size_t i = 0; i < l.decision.obligations.size(); ++i) {
    const Obligation& o = l.decision.obligations[i];
    if (o.kind != "revenue_share" && o.kind != "tariff") continue;
    std::string where = "decision.obligations[" + std::to_string(i) + "] (" + o.kind + ")";
    std::optional<Decimal> base_value;
    if (o.base == "customs_value") {
      if (!l.customs_value) {
        return InvalidArgument(where +
                               ": base is customs_value but the line has no "
                               "customs_value");
      }
      base_value = *l.customs_value;
    } else {
      base_value = Decimal::CheckedMul(Decimal::FromInt(l.quantity), l.unit_price);
      if (!base_value) return InvalidArgument(where + ": sale value overflows");
    }
    ledger::Accrual a;
    a.obligation = static_cast<int>(i);
    a.kind = o.kind;
    a.rule_id = o.rule_id;
    a.cite = o.cite;
    a.rate = o.rate;
    a.base = o.base.empty() ? "sale_value" : o.base;
    a.payee = o.payee.empty() ? "US Treasury" : o.payee;
    std::optional<Decimal> amount_usd;
    if (o.amount_usd) {
      if (o.amount_usd->currency.code() != "USD") {
        return InvalidArgument(where + ": amount_usd is in " + o.amount_usd->currency.code() +
                               ", expected USD");
      }
      amount_usd = RoundCents(o.amount_usd->amount);
    } else if (fx) {
      std::optional<Decimal> unrounded;
      if (o.rate) {
        unrounded = Decimal::CheckedMul(*o.rate, *base_value);
      } else if (o.amount) {
        unrounded = o.amount->amount;
      } else {
        return InvalidArgument(where + ": has neither rate, amount nor amount_usd");
      }
      if (!unrounded) return InvalidArgument(where + ": amount overflows");
      auto conv = Decimal::CheckedMul(*unrounded, *fx);
      if (!conv) return InvalidArgument(where + ": USD amount overflows");
      amount_usd = RoundCents(*conv);
    } else {
      return InvalidArgument(where + ": no amount_usd and no FX rate (usd_rate) for " +
                             l.currency.code() + " on " + l.date.ToString());
    }
    if (!amount_usd) return InvalidArgument(where + ": amount out of range");
    if (amount_usd->is_negative()) return InvalidArgument(where + ": negative amount");
    std::optional<Decimal> base_usd;
    if (fx) {
      auto conv = Decimal::CheckedMul(*base_value, *fx);
      if (conv) base_usd = RoundCents(*conv);
    } else if (o.rate && !o.rate->is_zero()) {
      // No FX table: infer the USD base from the stated USD amount and the rate.
      base_usd = Decimal::CheckedDiv(*amount_usd, *o.rate, 2, Rounding::kHalfEven);
    }
    a.base_usd = Usd(base_usd ? *base_usd : Decimal());
    a.amount_usd = Usd(*amount_usd);
    out.push_back(std::move(a));
  }
  return Status::Ok();
}

}  // namespace

Status Ledger::Impl::StoredPayloads(const std::vector<PreparedLine>& batch,
                                    std::unordered_map<int64_t, std::string>& out) {
  std::vector<int64_t> need;
  for (const auto& p : batch) {
    auto it = state.lines.find(p.key);
    if (it != state.lines.end() && it->second.format >= 3) need.push_back(it->second.seq);
  }
  std::sort(need.begin(), need.end());
  need.erase(std::unique(need.begin(), need.end()), need.end());
  for (size_t i = 0; i < need.size();) {
    size_t j = i;
    while (j + 1 < need.size() && need[j + 1] - need[j] <= 256) ++j;
    size_t k = i;
    TG_RETURN_IF_ERROR(store->ScanRange(need[i] - 1, need[j], [&](const LedgerEvent& e) -> Status {
      while (k <= j && need[k] < e.seq) ++k;
      if (k > j || need[k] != e.seq) return Status::Ok();
      out[e.seq] = e.payload;
      return Status::Ok();
    }));
    i = j + 1;
  }
  for (int64_t seq : need) {
    if (!out.count(seq)) {
      return Status(StatusCode::kIntegrityError,
                    "event " + std::to_string(seq) + " (a recorded line) could not be read back");
    }
  }
  return Status::Ok();
}

Result<RecordReport> Ledger::RecordBatch(const std::vector<DecidedLine>& lines) {
  return Record(lines, true);
}

Result<RecordReport> Ledger::PreviewBatch(const std::vector<DecidedLine>& lines) {
  return Record(lines, false);
}

const OpenOptions& Ledger::options() const { return impl_->opts; }

Result<RecordReport> Ledger::Record(const std::vector<DecidedLine>& lines, bool write) {
  Impl& im = *impl_;
  if (lines.size() > im.opts.max_batch_lines) {
    return ResourceExhausted("batch of " + std::to_string(lines.size()) +
                             " lines exceeds the limit of " +
                             std::to_string(im.opts.max_batch_lines) + " lines per batch");
  }
  // Stateless validation and encoding outside the lock, on several threads for large
  // batches; every bad line is reported.
  std::vector<PreparedLine> prepared(lines.size());
  auto prepare = [&](size_t i) {
    const DecidedLine& l = lines[i];
    PreparedLine& p = prepared[i];
    p.key = ledger::LineKey(l.order_id, l.line);
    p.line = &l;
    Status s = im.ValidateLine(l);
    if (s.ok()) s = ComputeAccruals(l, p.accruals);
    if (s.ok()) {
      EncodeLinePayload(p, false, false);
      p.postings = ledger::AccrualPostings(p.accruals);
      p.rule_texts.reserve(l.decision.rules.size());
      for (const auto& r : l.decision.rules) p.rule_texts.push_back(ledger::EncodeRule(r));
      if (p.payload.size() > im.opts.max_event_bytes) {
        s = ResourceExhausted("encoded event of " + std::to_string(p.payload.size()) +
                              " bytes exceeds the limit of " +
                              std::to_string(im.opts.max_event_bytes));
      }
    }
    if (!s.ok()) {
      p.error.message =
          "order line " + p.key + " (batch item " + std::to_string(i + 1) + "): " + s.message();
      p.error_code = s.code();
    }
  };
  const size_t threads =
      lines.size() < 512 ? 1 : std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  if (threads == 1) {
    for (size_t i = 0; i < lines.size(); ++i) prepare(i);
  } else {
    std::vector<std::thread> pool;
    const size_t per = (lines.size() + threads - 1) / threads;
    for (size_t t = 1; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (size_t i = t * per; i < std::min(lines.size(), (t + 1) * per); ++i) prepare(i);
      });
    }
    for (size_t i = 0; i < std::min(lines.size(), per); ++i) prepare(i);
    for (auto& th : pool) th.join();
  }
  std::vector<Diagnostic> bad;
  StatusCode bad_code = StatusCode::kInvalidArgument;
  for (auto& p : prepared) {
    if (p.error.message.empty()) continue;
    if (p.error_code == StatusCode::kResourceExhausted) bad_code = p.error_code;
    bad.push_back(std::move(p.error));
  }
  if (!bad.empty()) {
    bad.back().hint = std::to_string(bad.size()) + " of " + std::to_string(lines.size()) +
                      " lines are invalid; nothing was recorded";
    return Status::FromDiagnostics(bad_code, std::move(bad));
  }

  RecordReport report;
  std::lock_guard<std::mutex> lock(im.mu);
  Status s = im.Write([&](std::vector<Pending>& out, int64_t) -> Status {
    report = RecordReport();
    // Rules and policies: a format-3 line names its rules by id and its policy by hash. Each
    // policy hash and each (policy hash, rule id) not yet in the ledger is registered by a
    // policy.rules event, written before the batch's lines. A line whose rule or policy
    // differs from the one registered under the same id or hash (possible only when two
    // policies share a hash) carries it in full instead. Lines already present register
    // nothing.
    struct Registration {
      const PolicyRef* policy = nullptr;
      std::map<std::string, std::string> rules;  // id -> canonical text
    };
    std::map<std::string, Registration> fresh;  // policy hash -> what this batch registers
    auto registered_rule = [&](const std::string& hash,
                               const std::string& id) -> const std::string* {
      if (auto k = im.state.rule_texts.find({hash, id}); k != im.state.rule_texts.end()) {
        return &k->second.canonical;
      }
      if (auto h = fresh.find(hash); h != fresh.end()) {
        if (auto k = h->second.rules.find(id); k != h->second.rules.end()) return &k->second;
      }
      return nullptr;
    };
    auto registered_policy = [&](const std::string& hash) -> const PolicyRef* {
      if (auto k = im.state.policies.find(hash); k != im.state.policies.end()) return &k->second;
      if (auto h = fresh.find(hash); h != fresh.end() && h->second.policy) {
        return h->second.policy;
      }
      return nullptr;
    };
    std::unordered_map<int64_t, std::string> stored;
    TG_RETURN_IF_ERROR(im.StoredPayloads(prepared, stored));
    // Is `p` the line stored in format 3 by event `seq`? Yes when the payloads are the same
    // bytes but for who recorded them (the usual case: the same job run again); otherwise
    // both are compared in full, the stored one read back (encodings can differ, e.g. rules
    // written in full by one recording and by id by the other).
    auto same_as_stored = [&](int64_t seq, const PreparedLine& p) -> Result<bool> {
      const std::string& payload = stored[seq];
      if (ContentPart(payload) == ContentPart(p.payload)) return true;
      auto line = im.state.RecordedLine(payload, im.opts.max_event_bytes);
      if (!line.ok()) {
        return Status(StatusCode::kIntegrityError,
                      "event " + std::to_string(seq) + ": " + line.status().message());
      }
      return FullContent(*line) == FullContent(*p.line);
    };
    std::vector<Pending> line_events;
    std::unordered_map<std::string, const PreparedLine*> in_batch;
    std::vector<Diagnostic> conflicts;
    for (auto& p : prepared) {
      const Decision& d = p.line->decision;
      bool rules_differ = false;
      for (size_t i = 0; i < d.rules.size(); ++i) {
        const std::string* known = registered_rule(d.policy.hash, d.rules[i].id);
        rules_differ = rules_differ || (known && *known != p.rule_texts[i]);
      }
      const PolicyRef* known_policy =
          d.policy.hash.empty() ? nullptr : registered_policy(d.policy.hash);
      const bool policy_differs = known_policy && (known_policy->name != d.policy.name ||
                                                   known_policy->version != d.policy.version);
      if (rules_differ || policy_differs) EncodeLinePayload(p, rules_differ, policy_differs);
      // Recorded before? Compared in the format it was recorded in.
      std::optional<bool> same;
      std::string where;
      if (auto it = im.state.lines.find(p.key); it != im.state.lines.end()) {
        const ledger::LineState& ls = it->second;
        where = "event " + std::to_string(ls.seq);
        if (ls.format == 1) {
          same = ContentHashFormat1(*p.line) == ls.content_hash;
        } else if (ls.format == 2) {
          same = ContentHashFormat2(*p.line, rules_differ) == ls.content_hash;
        } else {
          TG_ASSIGN_OR_RETURN(same, same_as_stored(ls.seq, p));
        }
      } else if (auto b = in_batch.find(p.key); b != in_batch.end()) {
        where = "earlier in this batch";
        same = FullContent(*b->second->line) == FullContent(*p.line);
      }
      if (same) {
        if (*same) {
          ++report.already_present;
          report.already_present_keys.push_back(p.key);
        } else {
          Diagnostic diag;
          diag.message =
              "order line " + p.key + " is already recorded (" + where + ") with different content";
          diag.hint =
              "a recorded line is never changed; record the correction under a new "
              "order id or line number";
          conflicts.push_back(std::move(diag));
        }
        continue;
      }
      if (!rules_differ) {
        for (size_t i = 0; i < d.rules.size(); ++i) {
          if (registered_rule(d.policy.hash, d.rules[i].id)) continue;
          fresh[d.policy.hash].rules.emplace(d.rules[i].id, p.rule_texts[i]);
        }
      }
      if (!d.policy.hash.empty() && !known_policy) fresh[d.policy.hash].policy = &d.policy;
      if (auto f = fresh.find(d.policy.hash); f != fresh.end() && !f->second.policy) {
        f->second.policy = &d.policy;  // new rules of a policy registered earlier
      }
      in_batch[p.key] = &p;
      ++report.recorded;
      const PreparedLine* pp = &p;
      line_events.push_back(
          Pending{ledger::kLineRecorded, std::move(p.payload), [pp](LedgerState& st, int64_t seq) {
                    st.ApplyLine(seq, *pp->line, "", pp->accruals, pp->postings);
                  }});
    }
    for (auto& [hash, reg] : fresh) {
      std::vector<std::string> texts;
      for (auto& [id, text] : reg.rules) texts.push_back(text);
      const PolicyRef ref = *reg.policy;
      // {"policy":{...},"rules":[...]}: the rules are already canonical objects, in id order;
      // a policy registered without rules has no "rules" member (canonical: [] is left out).
      std::string payload = "{\"policy\":";
      ledger::CanonicalWriter pw(&payload, true);
      pw.BeginObject();
      pw.String("hash", ref.hash);
      pw.String("name", ref.name);
      pw.String("version", ref.version);
      pw.End();
      if (!texts.empty()) {
        payload += ",\"rules\":[";
        for (size_t i = 0; i < texts.size(); ++i) {
          if (i) payload += ',';
          payload += texts[i];
        }
        payload += ']';
      }
      payload += '}';
      out.push_back(Pending{ledger::kPolicyRules, std::move(payload),
                            [ref, texts](LedgerState& st, int64_t) { st.ApplyRules(ref, texts); }});
    }
    for (auto& e : line_events) out.push_back(std::move(e));
    if (!conflicts.empty()) {
      return Status::FromDiagnostics(StatusCode::kConflict, std::move(conflicts));
    }
    if (!write) out.clear();  // a preview: nothing is appended (Write rolls back)
    return Status::Ok();
  });
  if (!s.ok()) return s;
  report.head_seq = im.state.seq;
  report.head_hash = im.state.hash;
  return report;
}

// ---------------------------------------------------------------------------------------
// Reviews

Status Ledger::RecordReview(const Review& review) {
  Impl& im = *impl_;
  Review r = review;
  TG_RETURN_IF_ERROR(im.CheckField("party", r.party, true));
  TG_RETURN_IF_ERROR(im.CheckField("list", r.list, true));
  TG_RETURN_IF_ERROR(im.CheckField("entry_id", r.entry_id, true));
  TG_RETURN_IF_ERROR(im.CheckField("reason", r.reason, true));
  TG_RETURN_IF_ERROR(im.CheckField("reviewer", r.reviewer, true));
  if (r.action != "clear" && r.action != "confirm") {
    return InvalidArgument("action: '" + r.action + "' is not 'clear' or 'confirm'");
  }
  if (r.time.empty()) r.time = im.Now();
  TG_RETURN_IF_ERROR(im.CheckField("time", r.time, true));
  std::lock_guard<std::mutex> lock(im.mu);
  return im.Write([&](std::vector<Pending>& out, int64_t) -> Status {
    Json j{{"party", r.party},   {"list", r.list},     {"entry_id", r.entry_id},
           {"action", r.action}, {"reason", r.reason}, {"reviewer", r.reviewer},
           {"time", r.time}};
    out.push_back(Pending{ledger::kReviewRecorded, ledger::DumpCompact(j),
                          [r](LedgerState& st, int64_t) { st.ApplyReview(r); }});
    return Status::Ok();
  });
}

Result<std::vector<Review>> Ledger::Reviews() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  return impl_->state.reviews;
}

Result<bool> Ledger::IsCleared(const std::string& party, const std::string& list,
                               const std::string& entry_id) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  auto it = impl_->state.latest_review.find(ledger::ReviewKey(party, list, entry_id));
  return it != impl_->state.latest_review.end() && it->second == "clear";
}

// ---------------------------------------------------------------------------------------
// Licences

Status Ledger::AddLicence(const Licence& l, const std::string& by) {
  Impl& im = *impl_;
  TG_RETURN_IF_ERROR(im.CheckField("number", l.number, true));
  TG_RETURN_IF_ERROR(im.CheckField("holder", l.holder, true));
  TG_RETURN_IF_ERROR(im.CheckField("by", by, true));
  for (const auto& v : {l.items, l.eccns, l.consignees, l.end_users, l.conditions}) {
    for (const auto& s : v) TG_RETURN_IF_ERROR(im.CheckField("licence list entry", s, true));
  }
  if (l.items.empty() && l.eccns.empty()) {
    return InvalidArgument("licence " + l.number + ": names no items and no ECCNs");
  }
  if (l.destinations.empty()) {
    return InvalidArgument("licence " + l.number + ": names no destination");
  }
  if (l.quantity <= 0) return InvalidArgument("licence " + l.number + ": quantity must be > 0");
  if (l.value.amount.is_negative() || l.value.amount.is_zero()) {
    return InvalidArgument("licence " + l.number + ": value must be > 0");
  }
  if (l.valid_to < l.valid_from) {
    return InvalidArgument("licence " + l.number + ": valid_to " + l.valid_to.ToString() +
                           " is before valid_from " + l.valid_from.ToString());
  }
  std::lock_guard<std::mutex> lock(im.mu);
  return im.Write([&](std::vector<Pending>& out, int64_t) -> Status {
    const std::string enc = ledger::DumpCompact(ledger::LicenceToJson(l));
    if (auto it = im.state.licences.find(l.number); it != im.state.licences.end()) {
      if (ledger::DumpCompact(ledger::LicenceToJson(it->second.licence)) == enc)
        return Status::Ok();
      return Conflict("licence " + l.number + " is already recorded with different terms");
    }
    out.push_back(Pending{ledger::kLicenceAdded,
                          "{\"by\":" + ledger::DumpCompact(Json(by)) + ",\"licence\":" + enc + "}",
                          [l](LedgerState& st, int64_t) { st.ApplyLicence(l); }});
    return Status::Ok();
  });
}

Result<LicenceBalance> Ledger::GetLicence(const std::string& number) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  auto it = impl_->state.licences.find(number);
  if (it == impl_->state.licences.end()) return NotFound("no licence '" + number + "'");
  return impl_->BalanceOf(it->second);
}

Result<std::vector<LicenceBalance>> Ledger::ListLicences() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  std::vector<LicenceBalance> out;
  for (const auto& [n, ls] : impl_->state.licences) out.push_back(impl_->BalanceOf(ls));
  return out;
}

Result<std::vector<Reservation>> Ledger::Reservations(const std::string& licence) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  std::vector<Reservation> out;
  for (const auto& [id, r] : impl_->state.reservations) {
    if (licence.empty() || r.licence == licence) out.push_back(r);
  }
  return out;
}

namespace {

std::string BalanceText(const LicenceBalance& b) {
  return "authorised " + std::to_string(b.licence.quantity) + " units / " +
         b.licence.value.ToString() + ", shipped " + std::to_string(b.shipped_quantity) + " / " +
         b.shipped_value.ToString() + ", reserved " + std::to_string(b.reserved_quantity) + " / " +
         b.reserved_value.ToString() + ", available " + std::to_string(b.available_quantity) +
         " / " + b.available_value.ToString();
}

}  // namespace

Result<Reservation> Ledger::Reserve(const ReservationRequest& req) {
  Impl& im = *impl_;
  TG_RETURN_IF_ERROR(im.CheckField("licence", req.licence, true));
  TG_RETURN_IF_ERROR(im.CheckField("reservation id", req.reservation_id, false));
  TG_RETURN_IF_ERROR(im.CheckField("order_id", req.order_id, false));
  TG_RETURN_IF_ERROR(im.CheckField("by", req.by, true));
  TG_RETURN_IF_ERROR(im.CheckField("note", req.note, false));
  if (req.quantity <= 0) return InvalidArgument("reservation quantity must be > 0");
  if (req.value.amount.is_negative()) return InvalidArgument("reservation value is negative");
  Reservation made;
  std::lock_guard<std::mutex> lock(im.mu);
  Status s = im.Write([&](std::vector<Pending>& out, int64_t seq) -> Status {
    auto it = im.state.licences.find(req.licence);
    if (it == im.state.licences.end()) return NotFound("no licence '" + req.licence + "'");
    LicenceBalance b = im.BalanceOf(it->second);
    if (!(req.value.currency == b.licence.value.currency)) {
      return InvalidArgument("reservation value is in " + req.value.currency.code() +
                             " but licence " + req.licence + " is in " +
                             b.licence.value.currency.code());
    }
    Reservation r;
    r.id = req.reservation_id.empty() ? "R-" + std::to_string(seq) : req.reservation_id;
    if (im.state.reservations.count(r.id)) {
      return Conflict("reservation '" + r.id + "' already exists");
    }
    if (req.quantity > b.available_quantity || req.value.amount > b.available_value.amount) {
      return FailedPrecondition("licence " + req.licence + ": reserving " +
                                std::to_string(req.quantity) + " units / " + req.value.ToString() +
                                " would take the balance below zero (" + BalanceText(b) + ")");
    }
    r.licence = req.licence;
    r.quantity = req.quantity;
    r.value = req.value;
    r.order_id = req.order_id;
    r.line = req.line;
    Json j{{"id", r.id},
           {"licence", r.licence},
           {"quantity", r.quantity},
           {"value", ledger::MoneyToJson(r.value)},
           {"order_id", r.order_id},
           {"line", r.line},
           {"by", req.by},
           {"note", req.note}};
    made = r;
    out.push_back(Pending{ledger::kLicenceReserved, ledger::DumpCompact(j),
                          [r](LedgerState& st, int64_t) { st.ApplyReserve(r); }});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return made;
}

Status Ledger::Release(const std::string& id, const std::string& by, const std::string& reason) {
  Impl& im = *impl_;
  TG_RETURN_IF_ERROR(im.CheckField("reservation id", id, true));
  TG_RETURN_IF_ERROR(im.CheckField("by", by, true));
  TG_RETURN_IF_ERROR(im.CheckField("reason", reason, true));
  std::lock_guard<std::mutex> lock(im.mu);
  return im.Write([&](std::vector<Pending>& out, int64_t) -> Status {
    auto it = im.state.reservations.find(id);
    if (it == im.state.reservations.end()) return NotFound("no reservation '" + id + "'");
    if (!it->second.open) {
      return FailedPrecondition("reservation '" + id + "' is already released or used");
    }
    Json j{{"id", id}, {"by", by}, {"reason", reason}};
    out.push_back(Pending{ledger::kLicenceReleased, ledger::DumpCompact(j),
                          [id](LedgerState& st, int64_t) { st.ApplyRelease(id); }});
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------
// Shipments and caps

Result<ShipmentReceipt> Ledger::Ship(const ShipmentRequest& req) {
  Impl& im = *impl_;
  TG_RETURN_IF_ERROR(im.CheckField("order_id", req.order_id, true));
  TG_RETURN_IF_ERROR(im.CheckField("shipment id", req.shipment_id, false));
  TG_RETURN_IF_ERROR(im.CheckField("licence", req.licence, false));
  TG_RETURN_IF_ERROR(im.CheckField("reservation id", req.reservation_id, false));
  TG_RETURN_IF_ERROR(im.CheckField("by", req.by, true));
  if (req.quantity < 0) return InvalidArgument("shipment quantity is negative");
  ShipmentReceipt receipt;
  std::lock_guard<std::mutex> lock(im.mu);
  Status s = im.Write([&](std::vector<Pending>& out, int64_t seq) -> Status {
    const std::string key = ledger::LineKey(req.order_id, req.line);
    auto lit = im.state.lines.find(key);
    if (lit == im.state.lines.end()) {
      return NotFound("order line " + key +
                      " is not in the ledger; record its decision first (tollgate check "
                      "--record)");
    }
    const ledger::LineState& line = lit->second;
    if (line.decision != "nlr" && line.decision != "exception" && line.decision != "licence") {
      return FailedPrecondition("order line " + key + " was decided '" + line.decision +
                                "' and may not ship");
    }
    const int64_t remaining = line.quantity - line.shipped;
    const int64_t q = req.quantity == 0 ? remaining : req.quantity;
    if (remaining <= 0) return FailedPrecondition("order line " + key + " has shipped in full");
    if (q > remaining) {
      return FailedPrecondition("order line " + key + ": shipment of " + std::to_string(q) +
                                " units exceeds the unshipped quantity " +
                                std::to_string(remaining) + " (ordered " +
                                std::to_string(line.quantity) + ")");
    }
    const Date date = req.date == Date() ? line.date : req.date;
    ledger::ShipmentRecord rec;
    rec.id = req.shipment_id.empty() ? "S-" + std::to_string(seq) : req.shipment_id;
    if (im.state.shipments.count(rec.id)) {
      return Conflict("shipment '" + rec.id + "' already exists");
    }
    rec.order_id = req.order_id;
    rec.line = req.line;
    rec.quantity = q;
    rec.date = date;
    auto value = Decimal::CheckedMul(Decimal::FromInt(q), line.unit_price);
    if (!value) return InvalidArgument("shipment value overflows");
    rec.value = Money{*value, line.currency}.RoundedToMinor();
    rec.licence = req.licence.empty() ? line.licence : req.licence;
    rec.reservation_id = req.reservation_id;
    if (line.decision == "licence" && rec.licence.empty()) {
      return FailedPrecondition("order line " + key +
                                " requires a licence; name one with --licence");
    }
    std::optional<LicenceBalance> after;
    if (!rec.licence.empty()) {
      auto li = im.state.licences.find(rec.licence);
      if (li == im.state.licences.end()) return NotFound("no licence '" + rec.licence + "'");
      const Licence& lic = li->second.licence;
      const std::string pre = "licence " + lic.number + " does not cover order line " + key;
      if (date < lic.valid_from || lic.valid_to < date) {
        return FailedPrecondition(pre + ": ship date " + date.ToString() +
                                  " is outside its validity " + lic.valid_from.ToString() + " to " +
                                  lic.valid_to.ToString());
      }
      if (!EqualsIgnoreCase(lic.holder, line.exporter)) {
        return FailedPrecondition(pre + ": the holder is '" + lic.holder + "', the exporter is '" +
                                  line.exporter + "'");
      }
      bool item_ok = ContainsIgnoreCase(lic.items, line.item) ||
                     (!line.eccn.empty() && ContainsIgnoreCase(lic.eccns, line.eccn));
      if (!item_ok) {
        return FailedPrecondition(pre + ": item '" + line.item + "' (ECCN '" + line.eccn +
                                  "') is not among its items or ECCNs");
      }
      bool dest_ok = false;
      for (const auto& c : lic.destinations) dest_ok = dest_ok || c == line.destination;
      if (!dest_ok) {
        return FailedPrecondition(pre + ": destination " + line.destination.code() +
                                  " is not authorised");
      }
      if (!lic.consignees.empty() && !ContainsIgnoreCase(lic.consignees, line.consignee)) {
        return FailedPrecondition(pre + ": consignee '" + line.consignee + "' is not named on it");
      }
      if (!lic.end_users.empty() && !ContainsIgnoreCase(lic.end_users, line.end_user)) {
        return FailedPrecondition(pre + ": end user '" + line.end_user + "' is not named on it");
      }
      // Value drawn in the licence's currency.
      Decimal drawn = rec.value.amount;
      if (!(lic.value.currency == line.currency)) {
        if (lic.value.currency.code() == "USD" && line.usd_rate) {
          auto conv = Decimal::CheckedMul(*value, *line.usd_rate);
          if (!conv) return InvalidArgument("shipment value overflows");
          drawn = *RoundCents(*conv);
        } else {
          return FailedPrecondition(pre + ": the licence value is in " + lic.value.currency.code() +
                                    ", the line in " + line.currency.code() +
                                    " with no FX rate to compare");
        }
      }
      LicenceBalance b = im.BalanceOf(li->second);
      int64_t avail_q = b.available_quantity;
      Decimal avail_v = b.available_value.amount;
      if (!rec.reservation_id.empty()) {
        auto r = im.state.reservations.find(rec.reservation_id);
        if (r == im.state.reservations.end()) {
          return NotFound("no reservation '" + rec.reservation_id + "'");
        }
        if (!r->second.open) {
          return FailedPrecondition("reservation '" + rec.reservation_id +
                                    "' is already released or used");
        }
        if (r->second.licence != lic.number) {
          return FailedPrecondition("reservation '" + rec.reservation_id + "' is on licence " +
                                    r->second.licence + ", not " + lic.number);
        }
        avail_q += r->second.quantity;  // the reservation is consumed by this shipment
        avail_v = *Decimal::CheckedAdd(avail_v, r->second.value.amount);
      }
      if (q > avail_q || drawn > avail_v) {
        return FailedPrecondition("licence " + lic.number + ": shipment " + rec.id + " of " +
                                  std::to_string(q) + " units / " +
                                  Money{drawn, lic.value.currency}.ToString() +
                                  " would take the balance below zero (" + BalanceText(b) + ")");
      }
      rec.value = Money{drawn, lic.value.currency};
    }
    // Volume caps: explicit caps for the item and destination, and those the decision set.
    std::vector<VolumeCap> caps = line.caps;
    for (const auto& c : im.state.caps) {
      if (EqualsIgnoreCase(c.item, line.item) && c.destination == line.destination) {
        caps.push_back(c);
      }
    }
    for (const auto& c : caps) {
      auto [m0, m1] = ledger::PeriodMonths(c.period, date);
      int64_t used = 0, ref = 0;
      for (int m = m0; m <= m1; ++m) {
        auto u = im.state.shipped_by_month.find({line.item, line.destination.code(), m});
        if (u != im.state.shipped_by_month.end()) used += u->second;
        auto r = im.state.shipped_by_month.find({line.item, c.reference.code(), m});
        if (r != im.state.shipped_by_month.end()) ref += r->second;
      }
      auto limit = Decimal::CheckedMul(c.ratio, Decimal::FromInt(ref));
      if (!limit || Decimal::FromInt(used + q) > *limit) {
        return FailedPrecondition("volume cap: shipping " + std::to_string(q) + " units of " +
                                  line.item + " to " + line.destination.code() + " would bring " +
                                  PeriodLabel(c.period, date) + " to " + std::to_string(used + q) +
                                  " units, above " + c.ratio.ToString() + " x " +
                                  std::to_string(ref) + " units shipped to " + c.reference.code() +
                                  (limit ? " (limit " + limit->ToString() + ")" : "") +
                                  (c.cite.empty() ? "" : " [" + c.cite + "]"));
      }
    }
    Json j{{"id", rec.id},
           {"order_id", rec.order_id},
           {"line", rec.line},
           {"quantity", rec.quantity},
           {"value", ledger::MoneyToJson(rec.value)},
           {"date", rec.date.ToString()},
           {"licence", rec.licence},
           {"reservation_id", rec.reservation_id},
           {"item", line.item},
           {"destination", line.destination.code()},
           {"by", req.by}};
    receipt.shipment_id = rec.id;
    receipt.quantity = rec.quantity;
    receipt.value = rec.value;
    receipt.licence = rec.licence;
    receipt.seq = seq;
    out.push_back(Pending{ledger::kShipmentRecorded, ledger::DumpCompact(j),
                          [rec](LedgerState& st, int64_t) { st.ApplyShipment(rec); }});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!receipt.licence.empty()) {
    auto it = im.state.licences.find(receipt.licence);
    if (it != im.state.licences.end()) receipt.balance_after = im.BalanceOf(it->second);
  }
  return receipt;
}

Status Ledger::SetCap(const VolumeCap& cap, const std::string& by) {
  Impl& im = *impl_;
  TG_RETURN_IF_ERROR(im.CheckField("item", cap.item, true));
  TG_RETURN_IF_ERROR(im.CheckField("by", by, true));
  TG_RETURN_IF_ERROR(im.CheckField("cite", cap.cite, false));
  if (cap.destination.empty() || cap.reference.empty()) {
    return InvalidArgument("volume cap needs a destination and a reference country");
  }
  if (cap.destination == cap.reference) {
    return InvalidArgument("volume cap destination and reference are both " +
                           cap.destination.code());
  }
  if (cap.ratio.is_negative()) return InvalidArgument("volume cap ratio is negative");
  if (cap.period != "quarter" && cap.period != "month" && cap.period != "year") {
    return InvalidArgument("volume cap period '" + cap.period + "' is not quarter, month or year");
  }
  std::lock_guard<std::mutex> lock(im.mu);
  return im.Write([&](std::vector<Pending>& out, int64_t) -> Status {
    Json j{{"item", cap.item},
           {"destination", cap.destination.code()},
           {"reference", cap.reference.code()},
           {"ratio", cap.ratio.ToString()},
           {"period", cap.period},
           {"cite", cap.cite},
           {"by", by}};
    out.push_back(Pending{ledger::kCapSet, ledger::DumpCompact(j),
                          [cap](LedgerState& st, int64_t) { st.ApplyCap(cap); }});
    return Status::Ok();
  });
}

Status Ledger::RecordRemittance(const Remittance& rem) {
  Impl& im = *impl_;
  TG_RETURN_IF_ERROR(im.CheckField("exporter", rem.exporter, true));
  TG_RETURN_IF_ERROR(im.CheckField("id", rem.id, false));
  TG_RETURN_IF_ERROR(im.CheckField("reference", rem.reference, false));
  TG_RETURN_IF_ERROR(im.CheckField("by", rem.by, true));
  if (rem.kind != "revenue_share" && rem.kind != "tariff") {
    return InvalidArgument("remittance kind '" + rem.kind + "' is not revenue_share or tariff");
  }
  if (rem.amount.currency.code() != "USD") {
    return InvalidArgument("remittances are in USD, not " + rem.amount.currency.code());
  }
  auto cents = RoundCents(rem.amount.amount);
  if (!cents || !(*cents == rem.amount.amount)) {
    return InvalidArgument("remittance amount " + rem.amount.amount.ToString() +
                           " has fractions of a cent");
  }
  if (rem.amount.amount.is_negative() || rem.amount.amount.is_zero()) {
    return InvalidArgument("remittance amount must be > 0");
  }
  std::lock_guard<std::mutex> lock(im.mu);
  return im.Write([&](std::vector<Pending>& out, int64_t seq) -> Status {
    Remittance r = rem;
    r.amount = Usd(*cents);
    if (r.id.empty()) r.id = "M-" + std::to_string(seq);
    if (im.state.remittances.count(r.id)) {
      return Conflict("remittance '" + r.id + "' already exists");
    }
    Decimal owed;
    if (auto it = im.state.outstanding.find({r.exporter, r.kind});
        it != im.state.outstanding.end()) {
      owed = it->second;
    }
    if (r.amount.amount > owed) {
      return FailedPrecondition("remittance " + r.id + " of " + r.amount.ToString() +
                                " exceeds the outstanding " + r.kind + " payable of " + r.exporter +
                                " (" + Usd(owed).ToString() + ")");
    }
    std::vector<Posting> postings{Posting{"payable:us_treasury:" + r.kind, r.amount},
                                  Posting{"cash", Usd(r.amount.amount.Negated())}};
    Json j{{"id", r.id},
           {"exporter", r.exporter},
           {"kind", r.kind},
           {"amount", ledger::MoneyToJson(r.amount)},
           {"date", r.date.ToString()},
           {"reference", r.reference},
           {"by", r.by},
           {"postings", ledger::PostingsToJson(postings)}};
    out.push_back(
        Pending{ledger::kRemittanceRecorded, ledger::DumpCompact(j),
                [r, postings](LedgerState& st, int64_t) { st.ApplyRemittance(r, postings); }});
    return Status::Ok();
  });
}

Result<Money> Ledger::AccountBalance(const std::string& account) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  auto it = impl_->state.accounts.find(account);
  return Usd(it == impl_->state.accounts.end() ? Decimal() : it->second);
}

// ---------------------------------------------------------------------------------------
// Statements

namespace {

Result<std::pair<Date, Date>> ParsePeriod(const std::string& p) {
  auto bad = [&]() {
    return InvalidArgument("period '" + p + "': expected YYYYQn (2026Q1), YYYY-MM or YYYY");
  };
  auto digits = [&](size_t from, size_t n) {
    if (p.size() < from + n) return -1;
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (p[i] < '0' || p[i] > '9') return -1;
      v = v * 10 + (p[i] - '0');
    }
    return v;
  };
  int y = digits(0, 4);
  if (y < 1 || y > 9998) return bad();
  int m0, m1;
  if (p.size() == 4) {
    m0 = 1;
    m1 = 12;
  } else if (p.size() == 6 && (p[4] == 'Q' || p[4] == 'q')) {
    int q = digits(5, 1);
    if (q < 1 || q > 4) return bad();
    m0 = 3 * q - 2;
    m1 = 3 * q;
  } else if (p.size() == 7 && p[4] == '-') {
    m0 = m1 = digits(5, 2);
    if (m0 < 1 || m0 > 12) return bad();
  } else {
    return bad();
  }
  Date from = *Date::FromYmd(y, m0, 1);
  Date to =
      m1 == 12 ? Date::FromYmd(y + 1, 1, 1)->AddDays(-1) : Date::FromYmd(y, m1 + 1, 1)->AddDays(-1);
  return std::make_pair(from, to);
}

void Add(Money& m, const Decimal& d) {
  if (auto s = Decimal::CheckedAdd(m.amount, d)) m.amount = *s;
}

}  // namespace

Result<Statement> Ledger::BuildStatement(const StatementQuery& q) {
  TG_ASSIGN_OR_RETURN(auto range, ParsePeriod(q.period));
  std::lock_guard<std::mutex> lock(impl_->mu);
  TG_RETURN_IF_ERROR(impl_->CatchUp());
  const LedgerState& st = impl_->state;
  Statement out;
  out.period = q.period;
  out.from = range.first;
  out.to = range.second;
  out.exporter = q.exporter;
  out.checkpoint_seq = st.seq;
  out.checkpoint_hash = st.hash;
  out.generated_at = impl_->Now();
  std::map<std::tuple<std::string, std::string, std::string, std::string>, StatementRow> rows;
  std::map<std::string, StatementExporterTotal> totals;
  auto total = [&](const std::string& exp) -> StatementExporterTotal& {
    auto& t = totals[exp];
    t.exporter = exp;
    return t;
  };
  for (const auto& a : st.accruals) {
    if (!q.exporter.empty() && a.exporter != q.exporter) continue;
    if (out.to < a.date) continue;
    auto& t = total(a.exporter);
    Add(t.balance_due, a.accrual.amount_usd.amount);
    if (a.date < out.from) continue;
    auto& r = rows[{a.exporter, a.item, a.destination, a.accrual.kind}];
    r.exporter = a.exporter;
    r.item = a.item;
    r.destination = a.destination;
    r.kind = a.accrual.kind;
    r.lines += 1;
    r.quantity += a.quantity;
    Add(r.base_usd, a.accrual.base_usd.amount);
    Add(r.owed_usd, a.accrual.amount_usd.amount);
    Add(a.accrual.kind == "tariff" ? t.tariff_owed : t.share_owed, a.accrual.amount_usd.amount);
    Add(out.total_owed, a.accrual.amount_usd.amount);
  }
  for (const auto& [id, r] : st.remittances) {
    if (!q.exporter.empty() && r.exporter != q.exporter) continue;
    if (out.to < r.date) continue;
    auto& t = total(r.exporter);
    Add(t.balance_due, r.amount.amount.Negated());
    if (r.date < out.from) continue;
    Add(t.remitted, r.amount.amount);
    Add(out.total_remitted, r.amount.amount);
    out.remittances.push_back(r);
  }
  std::sort(out.remittances.begin(), out.remittances.end(),
            [](const Remittance& a, const Remittance& b) {
              return std::tie(a.date, a.exporter, a.id) < std::tie(b.date, b.exporter, b.id);
            });
  auto cents = [](Money& m) {
    if (m.amount.scale() < 2) {
      if (auto r = m.amount.Rescale(2, Rounding::kHalfEven)) m.amount = *r;
    }
  };
  for (auto& [k, r] : rows) {
    cents(r.base_usd);
    cents(r.owed_usd);
    out.rows.push_back(std::move(r));
  }
  for (auto& [k, t] : totals) {
    cents(t.share_owed);
    cents(t.tariff_owed);
    cents(t.remitted);
    cents(t.balance_due);
  }
  cents(out.total_owed);
  cents(out.total_remitted);
  for (auto& [k, t] : totals) {
    Add(out.total_balance_due, t.balance_due.amount);
    out.totals.push_back(std::move(t));
  }
  cents(out.total_balance_due);
  return out;
}

// ---------------------------------------------------------------------------------------
// Integrity

namespace {

// Hashes events[i] into hex[64*i .. 64*i+63] using up to `threads` threads. Each event's
// hash depends only on its own row, so hashing is parallel; linking stays sequential.
void HashAll(const std::vector<LedgerEvent>& events, std::vector<char>& hex, unsigned threads) {
  hex.resize(events.size() * 64);
  auto work = [&](size_t from, size_t to) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    for (size_t i = from; i < to; ++i)
      HashEventHex(ctx, LedgerEventView(events[i]), hex.data() + 64 * i);
    EVP_MD_CTX_free(ctx);
  };
  if (threads <= 1 || events.size() < 256) {
    work(0, events.size());
    return;
  }
  std::vector<std::thread> pool;
  size_t per = (events.size() + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    size_t from = t * per, to = std::min(events.size(), from + per);
    if (from >= to) break;
    pool.emplace_back(work, from, to);
  }
  for (auto& th : pool) th.join();
}

// Checks events one by one, in the order given, against the chain rules.
class ChainChecker {
 public:
  explicit ChainChecker(size_t max_payload) : max_payload_(max_payload) {
    ctx_ = EVP_MD_CTX_new();
    rep_.head = Checkpoint{0, kGenesisHash};
  }
  // Checks a range that starts after event `after_seq`, whose hash is not known yet: the
  // first event's prev_hash is taken as given (the caller checks that link afterwards).
  ChainChecker(size_t max_payload, int64_t after_seq) : ChainChecker(max_payload) {
    adopt_first_link_ = after_seq > 0;
    if (adopt_first_link_) rep_.head = Checkpoint{after_seq, ""};
  }
  ~ChainChecker() { EVP_MD_CTX_free(ctx_); }
  ChainChecker(const ChainChecker&) = delete;

  // False at the first bad event (the report says which and why). `precomputed` is the
  // event's hex hash when the caller already computed it (parallel verify).
  bool Check(const LedgerEvent& e, const char* precomputed = nullptr) {
    return Check(LedgerEventView(e), precomputed);
  }
  bool Check(const LedgerEventView& e, const char* precomputed = nullptr) {
    const int64_t expected = rep_.head.seq + 1;
    if (e.seq != expected) {
      if (e.seq < expected) {
        return Fail(e.seq, "event " + std::to_string(e.seq) + " appears twice or out of order");
      }
      return Fail(expected, "event " + std::to_string(expected) +
                                " is missing: the next stored event is " + std::to_string(e.seq) +
                                " (an event was deleted)");
    }
    if (adopt_first_link_) {
      adopt_first_link_ = false;
      rep_.head.hash.assign(e.prev_hash);
      first_prev_hash_.assign(e.prev_hash);
    }
    if (precomputed) {
      computed_.assign(precomputed, 64);
    } else {
      HashEventHex(ctx_, e, computed_.data());
    }
    auto label = [&] {
      return "event " + std::to_string(e.seq) + " (" + std::string(e.kind) + ")";
    };
    const bool links = e.prev_hash == rep_.head.hash;
    if (computed_ != e.hash) {
      if (!IsHex64(e.hash)) return Fail(e.seq, label() + ": stored hash is malformed");
      if (!links) {
        return Fail(e.seq, label() + ": does not link to event " + std::to_string(e.seq - 1) +
                               " and its content does not match its hash (an event was "
                               "inserted, or events were reordered)");
      }
      return Fail(e.seq, label() + ": content does not match its hash (the row was modified)");
    }
    if (!links) {
      return Fail(e.seq, label() + ": does not link to event " + std::to_string(e.seq - 1) +
                             " (an event before it was modified, inserted, deleted or "
                             "reordered)");
    }
    if (e.payload.size() > max_payload_) {
      return Fail(e.seq, label() + ": payload exceeds the size limit");
    }
    rep_.head.seq = e.seq;
    rep_.head.hash.assign(e.hash);
    ++rep_.events_checked;
    return true;
  }

  VerifyReport& report() { return rep_; }
  const std::string& first_prev_hash() const { return first_prev_hash_; }

 private:
  bool Fail(int64_t seq, std::string msg) {
    rep_.ok = false;
    rep_.first_bad_seq = seq;
    rep_.problem = std::move(msg);
    return false;
  }

  EVP_MD_CTX* ctx_;
  size_t max_payload_;
  bool adopt_first_link_ = false;
  std::string first_prev_hash_;
  VerifyReport rep_;
  std::string computed_ = std::string(64, '0');
};

}  // namespace

VerifyReport VerifyEvents(const std::vector<LedgerEvent>& events) {
  ChainChecker checker(OpenOptions().max_event_bytes);
  for (const auto& e : events) {
    if (!checker.Check(e)) break;
  }
  return checker.report();
}

namespace {

// Verifies events 1..head.seq on `readers.size()` threads, each reading its own range of
// seq through its own connection and hashing as it reads. True when every range checks out,
// the ranges link up and nothing is stored beyond the head: then `out` is the whole report.
// False when anything is off (or a reader failed): the caller re-runs the sequential check,
// which names the first bad event exactly.
bool VerifyParallel(const std::vector<LedgerStore*>& readers, const Checkpoint& head,
                    size_t max_payload, VerifyReport* out) {
  const size_t n = readers.size();
  const int64_t per = (head.seq + static_cast<int64_t>(n) - 1) / static_cast<int64_t>(n);
  std::vector<std::unique_ptr<ChainChecker>> checkers(n);
  std::vector<Status> status(n);
  std::vector<std::thread> pool;
  auto work = [&](size_t t) {
    const int64_t after = static_cast<int64_t>(t) * per;
    const int64_t last = std::min(head.seq, after + per);
    checkers[t] = std::make_unique<ChainChecker>(max_payload, after);
    ChainChecker& c = *checkers[t];
    status[t] = readers[t]->ScanViews(after, last, [&](const LedgerEventView& e) -> Status {
      if (!c.Check(e)) return Status(StatusCode::kIntegrityError, "stop");
      return Status::Ok();
    });
  };
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  std::string prev = kGenesisHash;
  int64_t count = 0;
  for (size_t t = 0; t < n; ++t) {
    const VerifyReport& r = checkers[t]->report();
    const int64_t after = static_cast<int64_t>(t) * per;
    const int64_t last = std::min(head.seq, after + per);
    if (!status[t].ok() || !r.ok || r.head.seq != last) return false;
    if (last > after && t > 0 && checkers[t]->first_prev_hash() != prev) return false;
    if (last > after) prev = r.head.hash;
    count += r.events_checked;
  }
  if (count != head.seq || prev != head.hash) return false;
  bool beyond = false;
  Status s = readers[0]->ScanRange(head.seq, INT64_MAX, [&](const LedgerEvent&) -> Status {
    beyond = true;
    return Status(StatusCode::kIntegrityError, "stop");
  });
  if (beyond || !s.ok()) return false;
  out->ok = true;
  out->events_checked = count;
  out->head = head;
  return true;
}

}  // namespace

Result<VerifyReport> Ledger::Verify() {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> lock(im.mu);
  // Large ledgers: one reader per core, each over its own range of events.
  const unsigned cores = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  TG_ASSIGN_OR_RETURN(Checkpoint stored_head, im.store->Head());
  if (cores > 1 && stored_head.seq >= 4096) {
    std::vector<std::unique_ptr<LedgerStore>> extra;
    std::vector<LedgerStore*> readers{im.store.get()};
    for (unsigned t = 1; t < cores; ++t) {
      auto r = im.store->OpenReader();
      if (!r.ok() || !*r) break;
      readers.push_back(r->get());
      extra.push_back(std::move(*r));
    }
    VerifyReport fast;
    if (readers.size() > 1 &&
        VerifyParallel(readers, stored_head, im.opts.max_event_bytes, &fast)) {
      return fast;
    }
  }
  ChainChecker checker(im.opts.max_event_bytes);
  const unsigned threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  constexpr size_t kChunk = 8192;
  std::vector<LedgerEvent> chunk;
  std::vector<char> hex;
  chunk.reserve(kChunk);
  auto flush = [&]() -> bool {
    HashAll(chunk, hex, threads);
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (!checker.Check(chunk[i], hex.data() + 64 * i)) return false;
    }
    chunk.clear();
    return true;
  };
  Status s = im.store->Scan(0, [&](const LedgerEvent& e) -> Status {
    chunk.push_back(e);
    if (chunk.size() == kChunk && !flush()) return Status(StatusCode::kIntegrityError, "stop");
    return Status::Ok();
  });
  if (!s.ok() && s.code() != StatusCode::kIntegrityError) return s;
  if (s.ok()) flush();
  VerifyReport rep = checker.report();
  if (rep.ok) {
    TG_ASSIGN_OR_RETURN(Checkpoint head, im.store->Head());
    if (head.seq != rep.head.seq || head.hash != rep.head.hash) {
      rep.ok = false;
      rep.first_bad_seq = std::min(head.seq, rep.head.seq) + 1;
      rep.problem = "the chain holds " + std::to_string(rep.head.seq) +
                    " events but the recorded head is event " + std::to_string(head.seq) +
                    (head.seq > rep.head.seq
                         ? " (events were deleted from the end)"
                         : " (events were appended outside Tollgate, or the head was reset)");
    }
  }
  return rep;
}

Result<Checkpoint> Ledger::GetCheckpoint() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->store->Head();
}

Status Ledger::Export(const std::function<Status(const LedgerEvent&)>& fn) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->store->Scan(0, fn);
}

}  // namespace tollgate
