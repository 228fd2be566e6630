// Fuzzes the event-export importer and the event decoder: parse JSON Lines as events,
// verify them as a chain, and replay each payload into a ledger state (what a writer does
// when it catches up). Must never crash, hang or leak on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ledger/state.h"
#include "tollgate/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tollgate::ImportOptions opt;
  opt.max_bytes = 1 << 20;
  opt.max_records = 1000;
  opt.max_line_bytes = 1 << 16;
  auto events = tollgate::ParseEventExport(text, "fuzz", opt);
  if (!events.ok()) return 0;
  (void)tollgate::VerifyEvents(*events);
  tollgate::ledger::LedgerState state;
  for (auto e : *events) {
    // Re-link and re-hash so the decoder (not just the chain check) sees every payload.
    e.seq = state.seq + 1;
    e.prev_hash = state.hash;
    e.hash = tollgate::EventHash(e);
    if (!state.ApplyEvent(e, 1 << 16).ok()) break;
  }
  return 0;
}
