#include <algorithm>

#include "ledger/stores.h"

namespace tollgate::ledger {

Result<Checkpoint> MemoryStore::BeginAppend() {
  if (in_tx_) return Internal("memory store: nested transaction");
  in_tx_ = true;
  tx_start_ = events_.size();
  tx_head_ = head_;
  return head_;
}

Status MemoryStore::Append(const std::vector<LedgerEvent>& events) {
  if (!in_tx_) return Internal("memory store: append outside a transaction");
  for (const auto& e : events) {
    if (!events_.empty() && e.seq <= events_.back().seq) {
      return Conflict("memory store: duplicate seq " + std::to_string(e.seq));
    }
    events_.push_back(e);
    head_ = Checkpoint{e.seq, e.hash};
  }
  return Status::Ok();
}

Status MemoryStore::Commit() {
  if (!in_tx_) return Internal("memory store: commit outside a transaction");
  in_tx_ = false;
  return Status::Ok();
}

void MemoryStore::Rollback() {
  if (!in_tx_) return;
  events_.resize(tx_start_);
  head_ = tx_head_;
  in_tx_ = false;
}

Status MemoryStore::Scan(int64_t after_seq, const std::function<Status(const LedgerEvent&)>& fn) {
  // Events are in seq order unless a test tampered with them; scan in stored order sorted by
  // seq, as a database would (ORDER BY seq).
  std::vector<const LedgerEvent*> order;
  order.reserve(events_.size());
  for (const auto& e : events_) {
    if (e.seq > after_seq) order.push_back(&e);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const LedgerEvent* a, const LedgerEvent* b) { return a->seq < b->seq; });
  for (const LedgerEvent* e : order) TG_RETURN_IF_ERROR(fn(*e));
  return Status::Ok();
}

}  // namespace tollgate::ledger

namespace tollgate::ledger {
namespace {

// A reader over a MemoryStore's events for another thread; valid while the Ledger holds its
// mutex (Verify), since nothing appends then.
class MemoryReader : public LedgerStore {
 public:
  explicit MemoryReader(MemoryStore* store) : store_(store) {}
  Status Migrate() override { return Status::Ok(); }
  Result<int> SchemaVersion() override { return kSchemaVersion; }
  Result<Checkpoint> BeginAppend() override {
    return Status(StatusCode::kFailedPrecondition, "read-only");
  }
  Status Append(const std::vector<LedgerEvent>&) override {
    return Status(StatusCode::kFailedPrecondition, "read-only");
  }
  Status Commit() override { return Status::Ok(); }
  void Rollback() override {}
  Status Scan(int64_t after_seq, const std::function<Status(const LedgerEvent&)>& fn) override {
    return store_->Scan(after_seq, fn);
  }
  Status ScanRange(int64_t after_seq, int64_t last_seq,
                   const std::function<Status(const LedgerEvent&)>& fn) override {
    return store_->ScanRange(after_seq, last_seq, fn);
  }
  Result<Checkpoint> Head() override { return store_->Head(); }
  std::string Describe() const override { return ":memory: (reader)"; }

 private:
  MemoryStore* store_;
};

}  // namespace

Status MemoryStore::ScanRange(int64_t after_seq, int64_t last_seq,
                              const std::function<Status(const LedgerEvent&)>& fn) {
  if (last_seq <= after_seq) return Status::Ok();
  // Fast path: events stored in seq order 1, 2, 3, ... (always, unless a test tampered).
  const size_t n = events_.size();
  bool dense = true;
  if (n > 0 && after_seq >= 0 && static_cast<uint64_t>(after_seq) < n) {
    const size_t from = static_cast<size_t>(after_seq);
    const size_t to = std::min(n, static_cast<size_t>(std::max(last_seq, after_seq)));
    dense = events_[from].seq == after_seq + 1 && events_[to - 1].seq == static_cast<int64_t>(to);
    if (dense) {
      for (size_t i = from; i < to; ++i) TG_RETURN_IF_ERROR(fn(events_[i]));
      return Status::Ok();
    }
  }
  return LedgerStore::ScanRange(after_seq, last_seq, fn);
}

Result<std::unique_ptr<LedgerStore>> MemoryStore::OpenReader() {
  return std::unique_ptr<LedgerStore>(std::make_unique<MemoryReader>(this));
}

}  // namespace tollgate::ledger
