// PLACEHOLDER: replaced by the ledger work.
#include <ostream>

#include "cli/commands.h"

namespace tollgate::cli {
static int NotYet(std::ostream& err) {
  err << "tollgate: not built yet\n";
  return kExitUsage;
}
int RunLedger(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
int RunLicence(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
int RunShip(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
int RunStatement(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
int RunReview(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
}  // namespace tollgate::cli
