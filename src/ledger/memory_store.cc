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
