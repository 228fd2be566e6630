// Adapters that bind the pipeline's seams (ItemResolver, PolicyEngine, PartyScreener) to
// the real Tollgate parts: the catalog and classifier, the policy engine, the screening
// index and the ledger. Private to the CLI and server (not a public header).
//
// A part that is not in this build (its folder has no CMakeLists.txt yet) makes the
// corresponding factory fail with kFailedPrecondition "... is not available in this build".
//
// Thread-safety: the adapters are immutable after construction and safe to share.
#ifndef TOLLGATE_PIPELINE_BACKENDS_H_
#define TOLLGATE_PIPELINE_BACKENDS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tollgate/pipeline.h"

namespace tollgate::backends {

// The bundled catalog (data/catalog.csv), or `catalog_file` when not empty; classification
// with the bundled threshold table.
Result<std::unique_ptr<ItemResolver>> MakeCatalogResolver(const std::string& catalog_file = "");

// The policy in `dir`, or the bundled US policy when `dir` is empty.
Result<std::unique_ptr<PolicyEngine>> MakePolicyEngine(const std::string& dir);

// Fuzzy screening over the lists under `dir` (bundled lists when empty). Hits below
// `threshold` are dropped by the index. `loaded` receives one line per loaded file.
Result<std::unique_ptr<PartyScreener>> MakeListScreener(const std::string& dir, double threshold,
                                                        std::vector<std::string>* loaded);
// The default screening threshold of the screening part (kDefaultScreenThreshold).
double DefaultScreenThreshold();

// A ledger session for `check --record` and for cleared screening reviews.
class LedgerSession {
 public:
  virtual ~LedgerSession() = default;
  // True when a reviewer's latest review of (party, list, entry) is "clear".
  virtual bool IsCleared(const PartyHit& hit) = 0;
  // Records every decided line (idempotent): in one transaction when there are at most
  // `chunk` lines (0: the ledger's limit per batch), otherwise in transactions of `chunk`
  // lines after every one of them was checked, so that nothing is recorded when any line
  // would be refused. Returns a one-line report.
  virtual Result<std::string> Record(const std::vector<LineDecision>& lines, const FxTable* fx,
                                     const std::string& recorded_by, size_t chunk) = 0;
};
// Opens `location` ("" = the ledger's default location).
Result<std::unique_ptr<LedgerSession>> OpenLedger(const std::string& location);

// The canonical JSON of an order line's inputs (what the ledger stores verbatim).
std::string OrderLineToJson(const OrderLine& line);

}  // namespace tollgate::backends

#endif  // TOLLGATE_PIPELINE_BACKENDS_H_
