// PLACEHOLDER: replaced by the policy-language work.
#include <ostream>

#include "cli/commands.h"

namespace tollgate::cli {
int RunPolicy(const Args&, std::ostream&, std::ostream& err) {
  err << "tollgate: not built yet\n";
  return kExitUsage;
}
}  // namespace tollgate::cli
