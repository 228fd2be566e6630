// tollgate: the command-line front door. Thin: parses the subcommand and dispatches.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace tollgate::cli {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kParseError:
    case StatusCode::kResourceExhausted:
      return kExitUsage;
    case StatusCode::kIoError:
      return kExitIo;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kConflict:
      return kExitRefused;
    case StatusCode::kIntegrityError:
      return kExitIntegrity;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

int Fail(const Status& s, std::ostream& err) {
  if (s.diagnostics().empty()) {
    err << "tollgate: error: " << s.message() << "\n";
  } else {
    err << s.ToString() << "\n";
  }
  return ExitCodeFor(s);
}

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> kCommands = {
      {"catalog", "list, show and import chips in the catalog", RunCatalog},
      {"classify", "compute TPP, PD and ECCN of a chip as of a date", RunClassify},
      {"compare", "ratios between two chips (TPP, FP16, FP8, INT8, memory, bandwidth)", RunCompare},
      {"check", "decide order lines under the policy in force on their dates", RunCheck},
      {"explain", "print the full decision trace of one order line", RunExplain},
      {"policy", "check a policy directory statically, or run its tests", RunPolicy},
      {"screen", "screen names against restricted-party lists", RunScreen},
      {"ledger", "verify, checkpoint or export the tamper-evident ledger", RunLedger},
      {"licence", "add, show, list, reserve and release licences", RunLicence},
      {"ship", "record shipments against decided lines and licences", RunShip},
      {"statement", "revenue-share and tariff statement for a period", RunStatement},
      {"review", "clear or confirm a screening hit", RunReview},
  };
  return kCommands;
}

}  // namespace tollgate::cli

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: tollgate <command> [options]\n\n"
         "Tollgate decides whether shipments of advanced AI chips may go, under which rule,\n"
         "on what conditions and with what share to the US government, and keeps a\n"
         "tamper-evident ledger of it.\n\ncommands:\n";
  for (const auto& c : tollgate::cli::AllCommands()) {
    std::string n = c.name;
    out << "  " << n << std::string(n.size() < 11 ? 11 - n.size() : 1, ' ') << c.summary << "\n";
  }
  out << "\nRun 'tollgate <command> --help' for a command's options.\n"
         "Exit codes: 0 ok, 1 findings, 2 bad usage or input, 3 I/O or database error,\n"
         "4 refused (balance, cap, conflict), 5 ledger integrity failure, 70 internal error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tollgate::cli;  // NOLINT(google-build-using-namespace)
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintUsage(std::cerr);
    return kExitUsage;
  }
  const std::string& cmd = args[0];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    PrintUsage(std::cout);
    return kExitOk;
  }
  if (cmd == "--version" || cmd == "version") {
    std::cout << "tollgate " << TOLLGATE_VERSION << "\n";
    return kExitOk;
  }
  for (const auto& c : AllCommands()) {
    if (cmd == c.name) {
      std::vector<std::string> rest(args.begin() + 1, args.end());
      return c.run(rest, std::cout, std::cerr);
    }
  }
  std::cerr << "tollgate: unknown command '" << cmd << "'\n\n";
  PrintUsage(std::cerr);
  return kExitUsage;
}
