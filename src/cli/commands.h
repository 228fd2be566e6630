// The subcommand table of the `tollgate` executable. Each subcommand is a function that
// receives its arguments (after the subcommand word) and the output streams, and returns a
// process exit code (see docs/cli.md):
//   0 success; 1 the command ran and found problems (verify failed, policy tests failed,
//   lines held or refused); 2 bad usage or bad input; 3 I/O or database error;
//   4 refused by state (licence balance, volume cap, conflict); 5 ledger integrity failure;
//   70 internal error.
#ifndef TOLLGATE_CLI_COMMANDS_H_
#define TOLLGATE_CLI_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "tollgate/status.h"

namespace tollgate::cli {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIo = 3;
constexpr int kExitRefused = 4;
constexpr int kExitIntegrity = 5;
constexpr int kExitInternal = 70;

using Args = std::vector<std::string>;
using CommandFn = int (*)(const Args& args, std::ostream& out, std::ostream& err);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

// Maps a Status to the exit code above.
int ExitCodeFor(const Status& s);
// Prints s to err (every diagnostic) and returns ExitCodeFor(s).
int Fail(const Status& s, std::ostream& err);

// Implemented in cmd_*.cc, one file per part.
int RunCatalog(const Args&, std::ostream&, std::ostream&);    // cmd_catalog.cc
int RunClassify(const Args&, std::ostream&, std::ostream&);   // cmd_catalog.cc
int RunCompare(const Args&, std::ostream&, std::ostream&);    // cmd_catalog.cc
int RunPolicy(const Args&, std::ostream&, std::ostream&);     // cmd_policy.cc
int RunCheck(const Args&, std::ostream&, std::ostream&);      // cmd_check.cc
int RunExplain(const Args&, std::ostream&, std::ostream&);    // cmd_check.cc
int RunScreen(const Args&, std::ostream&, std::ostream&);     // cmd_screen.cc
int RunLedger(const Args&, std::ostream&, std::ostream&);     // cmd_ledger.cc
int RunLicence(const Args&, std::ostream&, std::ostream&);    // cmd_ledger.cc
int RunShip(const Args&, std::ostream&, std::ostream&);       // cmd_ledger.cc
int RunStatement(const Args&, std::ostream&, std::ostream&);  // cmd_ledger.cc
int RunReview(const Args&, std::ostream&, std::ostream&);     // cmd_ledger.cc

const std::vector<Command>& AllCommands();

}  // namespace tollgate::cli

#endif  // TOLLGATE_CLI_COMMANDS_H_
