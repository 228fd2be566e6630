// PLACEHOLDER: replaced by the order pipeline work.
#include <ostream>

#include "cli/commands.h"

namespace tollgate::cli {
int RunCheck(const Args&, std::ostream&, std::ostream& err) {
  err << "tollgate: not built yet\n";
  return kExitUsage;
}
int RunExplain(const Args&, std::ostream&, std::ostream& err) {
  err << "tollgate: not built yet\n";
  return kExitUsage;
}
}  // namespace tollgate::cli
