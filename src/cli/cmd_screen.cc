// PLACEHOLDER: replaced by the screening work.
#include <ostream>

#include "cli/commands.h"

namespace tollgate::cli {
int RunScreen(const Args&, std::ostream&, std::ostream& err) {
  err << "tollgate: not built yet\n";
  return kExitUsage;
}
}  // namespace tollgate::cli
