// tollgate policy: static checks, tests, listing and one-off decisions for a policy directory.
#include <iostream>
#include <ostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "tollgate/policy.h"

namespace tollgate::cli {

namespace {

const char* kUsage =
    "usage: tollgate policy check DIR [--strict]\n"
    "       tollgate policy test DIR [--tests TESTDIR] [--filter TEXT]\n"
    "       tollgate policy versions DIR\n"
    "       tollgate policy print DIR\n"
    "       tollgate policy decide DIR --date DATE [--trace] NAME=VALUE...";

std::vector<FlagSpec> Specs() {
  return {
      {"strict", false, "treat warnings (shadowed rules) as errors", "", false},
      {"tests", true, "directory of *.tgt test files (default DIR/tests)", "TESTDIR", false},
      {"filter", true, "run only tests whose name contains TEXT", "TEXT", false},
      {"date", true, "decide as of this date (policy decide)", "DATE", false},
      {"trace", false, "print every rule tried and why (policy decide)", "", false},
  };
}

int LoadOrFail(const std::string& dir, const LoadOptions& o, std::ostream& err,
               std::optional<PolicySet>* out, bool findings_exit) {
  auto p = PolicySet::LoadDir(dir, o);
  if (!p.ok()) {
    const Status& s = p.status();
    if (s.diagnostics().empty()) return Fail(s, err);
    for (const auto& d : s.diagnostics()) err << d.ToString() << "\n";
    err << "policy " << dir << ": " << s.diagnostics().size()
        << (s.diagnostics().size() == 1 ? " error" : " errors") << "\n";
    // Static-check findings are exit 1 for `policy check`; a limit or a missing directory is
    // bad input (2).
    if (findings_exit && s.code() != StatusCode::kResourceExhausted) return kExitFindings;
    return ExitCodeFor(s);
  }
  out->emplace(std::move(p).value());
  return kExitOk;
}

// Null item figures make every comparison on them false, so the classify rules answer "not
// 3A090/4A090" for an item whose figures were not given (docs/integration.md, D1-D4). As the
// pipeline does for catalog items whose specs do not decide the ECCN (docs/pipeline.md), the
// item is decided again with each missing figure at its most restrictive value; when that is
// stricter, the answer rests on the missing figures and `policy decide` says so.
std::string MissingSpecsNote(const PolicySet& policy, const Facts& facts, Date date,
                             const Decision& d) {
  const Value* kind = facts.Find("item.kind");
  if (!d.eccn.empty() || !kind || kind->is_null) return "";  // classified, or no item given
  // The missing figures, each with its most restrictive value.
  std::vector<std::pair<const char*, bool>> missing;  // (name, is the datacenter flag)
  for (const char* name : {"item.tpp", "item.pd", "item.io_bandwidth", "item.dram_bandwidth",
                           "item.hbm_density", "item.datacenter"}) {
    const Value* v = facts.Find(name);
    if (v && v->is_null) missing.emplace_back(name, std::string_view(name) == "item.datacenter");
  }
  auto decide_with = [&](const std::vector<bool>& worst) {
    Facts f = facts;
    for (size_t i = 0; i < missing.size(); ++i) {
      if (!worst[i]) continue;
      if (missing[i].second) {
        (void)f.SetBool(missing[i].first, true);
      } else {
        (void)f.SetNumber(missing[i].first, Decimal::FromInt(1000000000));
      }
    }
    return policy.Decide(f, date);
  };
  std::vector<bool> worst(missing.size(), true);
  Decision strict = decide_with(worst);
  if (missing.empty() || static_cast<int>(strict.effect) <= static_cast<int>(d.effect)) return "";
  // Name only the figures that matter: drop each one whose worst value is not needed for the
  // stricter answer.
  for (size_t i = 0; i < missing.size(); ++i) {
    worst[i] = false;
    if (static_cast<int>(decide_with(worst).effect) < static_cast<int>(strict.effect)) {
      worst[i] = true;
    }
  }
  std::string names;
  for (size_t i = 0; i < missing.size(); ++i) {
    if (worst[i]) names += (names.empty() ? "" : ", ") + std::string(missing[i].first);
  }
  const bool one = names.find(',') == std::string::npos;
  return "warning: this answer rests on item figures that were not given (" + names + "); with " +
         (one ? "it at its most restrictive value" : "them at their most restrictive values") +
         " the decision is " + strict.decision +
         (strict.eccn.empty() ? "" : " (" + strict.eccn + ")") +
         ": classify the item before relying on it";
}

}  // namespace

int RunPolicy(const Args& args, std::ostream& out, std::ostream& err) {
  auto specs = Specs();
  auto flags = Flags::Parse(args, specs);
  if (!flags.ok()) {
    err << "tollgate policy: " << flags.status().message() << "\n" << kUsage << "\n";
    return kExitUsage;
  }
  if (flags->help()) {
    out << HelpText(kUsage,
                    "Check a policy directory statically, run its tests, list its "
                    "versions and hashes, print it canonically, or decide one set of "
                    "facts.",
                    specs);
    return kExitOk;
  }
  const auto& pos = flags->positional();
  if (pos.size() < 2) {
    err << kUsage << "\n";
    return kExitUsage;
  }
  const std::string& sub = pos[0];
  const std::string& dir = pos[1];
  LoadOptions lo;
  lo.warnings_as_errors = flags->Has("strict");
  std::optional<PolicySet> policy;

  if (sub == "check") {
    if (pos.size() != 2) {
      err << kUsage << "\n";
      return kExitUsage;
    }
    int rc = LoadOrFail(dir, lo, err, &policy, true);
    if (rc != kExitOk) return rc;
    for (const auto& w : policy->warnings()) err << w.ToString() << "\n";
    size_t rules = 0;
    for (const auto& v : policy->versions()) rules = std::max(rules, v.rules.size());
    size_t nv = policy->versions().size();
    out << "policy " << policy->name() << ": " << nv << (nv == 1 ? " version (" : " versions (")
        << policy->versions().front().effective.ToString() << " to "
        << policy->versions().back().effective.ToString() << "), up to " << rules
        << " rules in force, " << policy->warnings().size()
        << (policy->warnings().size() == 1 ? " warning" : " warnings") << ": OK\n";
    return kExitOk;
  }
  if (sub == "test") {
    int rc = LoadOrFail(dir, lo, err, &policy, true);
    if (rc != kExitOk) return rc;
    PolicyTestOptions to;
    to.filter = flags->GetOr("filter", "");
    std::string tests = flags->GetOr("tests", dir + "/tests");
    PolicyTestReport rep = RunPolicyTests(*policy, tests, to);
    for (const auto& f : rep.failures) err << f.ToString() << "\n";
    out << "policy " << policy->name() << ": " << rep.passed << "/" << rep.tests
        << " tests passed in " << rep.files << (rep.files == 1 ? " file" : " files");
    if (!rep.failures.empty())
      out << ", " << rep.failures.size() << (rep.failures.size() == 1 ? " failure" : " failures");
    out << "\n";
    return rep.ok() ? kExitOk : kExitFindings;
  }
  if (sub == "versions") {
    int rc = LoadOrFail(dir, lo, err, &policy, false);
    if (rc != kExitOk) return rc;
    for (const auto& v : policy->versions()) {
      size_t uncertain = 0;
      for (const auto& r : v.rules) uncertain += r.uncertain.empty() ? 0 : 1;
      out << v.effective.ToString() << "  " << v.id << "  " << v.hash << "  " << v.rules.size()
          << " rules (" << uncertain << " uncertain)  " << v.title << "\n";
    }
    return kExitOk;
  }
  if (sub == "print") {
    int rc = LoadOrFail(dir, lo, err, &policy, false);
    if (rc != kExitOk) return rc;
    out << policy->Print();
    return kExitOk;
  }
  if (sub == "decide") {
    auto date_text = flags->Get("date");
    if (!date_text) {
      err << "tollgate policy decide: --date is required\n";
      return kExitUsage;
    }
    auto date = Date::Parse(*date_text);
    if (!date.ok()) {
      err << "tollgate policy decide: --date: " << date.status().message() << "\n";
      return kExitUsage;
    }
    int rc = LoadOrFail(dir, lo, err, &policy, false);
    if (rc != kExitOk) return rc;
    Facts facts;
    (void)facts.SetDate("order.date", *date);
    for (size_t i = 2; i < pos.size(); ++i) {
      size_t eq = pos[i].find('=');
      if (eq == std::string::npos) {
        err << "tollgate policy decide: expected NAME=VALUE, got '" << pos[i] << "'\n";
        return kExitUsage;
      }
      Status s = facts.SetFromText(pos[i].substr(0, eq), pos[i].substr(eq + 1));
      if (!s.ok()) {
        err << "tollgate policy decide: " << s.message() << "\n";
        return kExitUsage;
      }
    }
    DecisionTrace t = policy->DecideTraced(facts, *date);
    const std::string note = MissingSpecsNote(*policy, facts, *date, t.decision);
    if (flags->Has("trace")) {
      out << t.ToString();
      if (!note.empty()) out << note << "\n";
    } else {
      const Decision& d = t.decision;
      out << "decision: " << d.decision;
      if (!d.review.empty()) out << ", review " << d.review;
      if (!d.exception.empty()) out << ", exception " << d.exception;
      out << "\neccn: " << (d.eccn.empty() ? "-" : d.eccn) << "\n";
      for (const auto& r : d.rules)
        out << "rule: " << r.id << " (" << EffectName(r.effect) << ") " << r.cite << "\n";
      for (const auto& o : d.obligations) {
        if (!o.rate) continue;
        out << "obligation: " << o.kind << " " << o.name << " " << o.rate->ToString() << " of "
            << o.base << " to " << o.payee;
        if (o.amount) out << " = " << o.amount->ToString();
        out << "\n";
      }
      for (const auto& c : d.conditions) out << "condition: " << c << "\n";
      out << "explanation: " << d.explanation << "\n";
      if (!note.empty()) out << note << "\n";
    }
    return kExitOk;
  }
  err << "tollgate policy: unknown subcommand '" << sub << "'\n" << kUsage << "\n";
  return kExitUsage;
}

}  // namespace tollgate::cli
