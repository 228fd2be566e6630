#include "cli/flags.h"

#include <algorithm>

namespace tollgate::cli {

Result<Flags> Flags::Parse(const std::vector<std::string>& args,
                           const std::vector<FlagSpec>& specs) {
  Flags f;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_positional || a.size() < 2 || a[0] != '-' || a == "-") {
      f.positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      f.help_ = true;
      continue;
    }
    if (a.rfind("--", 0) != 0)
      return InvalidArgument("unknown option '" + a + "' (options start with --; see --help)");
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto spec =
        std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) { return s.name == name; });
    if (spec == specs.end()) return InvalidArgument("unknown option '--" + name + "' (see --help)");
    if (spec->takes_value) {
      if (!value) {
        if (i + 1 >= args.size())
          return InvalidArgument("option '--" + name + "' needs a value (" +
                                 (spec->value_name.empty() ? "VALUE" : spec->value_name) + ")");
        value = args[++i];
      }
    } else if (value) {
      return InvalidArgument("option '--" + name + "' takes no value");
    } else {
      value = "true";
    }
    auto& slot = f.values_[name];
    if (!slot.empty() && !spec->repeatable)
      return InvalidArgument("option '--" + name + "' given more than once");
    slot.push_back(*value);
  }
  return f;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Flags::GetOr(const std::string& name, const std::string& fallback) const {
  auto v = Get(name);
  return v ? *v : fallback;
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string HelpText(const std::string& usage, const std::string& summary,
                     const std::vector<FlagSpec>& specs) {
  std::string out = "usage: " + usage + "\n\n" + summary + "\n\noptions:\n";
  size_t width = 6;
  {
    std::vector<std::string> lefts;
    for (const auto& s : specs) {
      std::string l = "--" + s.name;
      if (s.takes_value) l += " " + (s.value_name.empty() ? std::string("VALUE") : s.value_name);
      width = std::max(width, l.size());
      lefts.push_back(l);
    }
    for (size_t i = 0; i < specs.size(); ++i)
      out += "  " + lefts[i] + std::string(width - lefts[i].size() + 2, ' ') + specs[i].help + "\n";
  }
  out += "  --help" + std::string(width > 6 ? width - 6 + 2 : 2, ' ') + "show this help\n";
  return out;
}

}  // namespace tollgate::cli
