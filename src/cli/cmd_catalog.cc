// PLACEHOLDER: replaced by the catalog/classification work.
#include <ostream>

#include "cli/commands.h"

namespace tollgate::cli {
static int NotYet(std::ostream& err) {
  err << "tollgate: not built yet\n";
  return kExitUsage;
}
int RunCatalog(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
int RunClassify(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
int RunCompare(const Args&, std::ostream&, std::ostream& err) { return NotYet(err); }
}  // namespace tollgate::cli
