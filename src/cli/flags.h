// A small command-line flag parser shared by all subcommands.
//
// Accepts `--name value`, `--name=value`, boolean `--name`, and positional arguments; `--`
// ends flags. Unknown flags and missing values are usage errors (exit 2) naming the flag.
#ifndef TOLLGATE_CLI_FLAGS_H_
#define TOLLGATE_CLI_FLAGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tollgate/status.h"

namespace tollgate::cli {

struct FlagSpec {
  std::string name;  // without dashes, e.g. "as-of"
  bool takes_value = true;
  std::string help;        // one line for --help
  std::string value_name;  // e.g. "DATE"
  bool repeatable = false;
};

class Flags {
 public:
  // Parses args (after the subcommand words). `--help` / `-h` sets help().
  static Result<Flags> Parse(const std::vector<std::string>& args,
                             const std::vector<FlagSpec>& specs);

  bool help() const { return help_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  bool help_ = false;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Renders "usage: ...\n\nsummary\n\noptions:\n  --name VALUE  help".
std::string HelpText(const std::string& usage, const std::string& summary,
                     const std::vector<FlagSpec>& specs);

}  // namespace tollgate::cli

#endif  // TOLLGATE_CLI_FLAGS_H_
