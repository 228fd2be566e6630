// `tollgate check` and `tollgate explain`: order lines in, decisions out (docs/pipeline.md).
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <set>
#include <tuple>

#include "cli/commands.h"
#include "cli/flags.h"
#include "pipeline/backends.h"
#include "tollgate/pipeline.h"

namespace tollgate::cli {

namespace {

std::vector<FlagSpec> CommonSpecs() {
  return {
      {"as-of", true,
       "decide every line under the policy in force on DATE (default: each "
       "line's own date)",
       "DATE"},
      {"policy", true, "policy directory (default: the bundled US policy)", "DIR"},
      {"catalog", true, "catalog CSV file (default: the bundled catalog)", "FILE"},
      {"fx", true, "FX table CSV date,currency,rate_to_usd: adds USD amounts", "FILE"},
      {"parties", true, "exact-match party list CSV name,list,entry_id (instead of --lists)",
       "FILE"},
      {"lists", true, "restricted-party lists to screen against (default: the bundled lists)",
       "DIR"},
      {"threshold", true, "screening score at or above which a hit holds the line", "T"},
      {"no-screen", false, "do not screen parties", ""},
      {"db", true, "ledger (SQLite path or postgresql://...): cleared reviews, --record", "DB"},
      {"max-lines", true, "refuse order files with more data lines (default 1000000)", "N"},
      {"verbose", false, "say on stderr which lists, policy and FX table were loaded", ""},
  };
}

struct Loaded {
  OrderBatch batch;
  std::unique_ptr<ItemResolver> items;
  std::unique_ptr<PolicyEngine> policy;
  std::unique_ptr<PartyScreener> screener;
  std::unique_ptr<FxTable> fx;
  std::unique_ptr<backends::LedgerSession> ledger;
  PipelineContext ctx;
};

void PrintDiagnostics(const std::vector<Diagnostic>& ds, std::ostream& err) {
  for (const auto& d : ds) err << d.ToString() << "\n";
}

// Loads orders and everything the pipeline needs. Returns an exit code on failure (already
// reported), 0 on success.
// Reads flag `name` (when given) as a whole number >= 1 into *out; false (reported) when it
// is not one.
bool PositiveFlag(const Flags& flags, const char* name, size_t* out, std::ostream& err) {
  auto v = flags.Get(name);
  if (!v) return true;
  char* end = nullptr;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || n < 1) {
    err << "tollgate: error: --" << name << ": invalid value '" << *v
        << "' (expected a whole number >= 1)\n";
    return false;
  }
  *out = static_cast<size_t>(n);
  return true;
}

int Load(const Flags& flags, bool want_ledger, Loaded* L, std::ostream& err) {
  OrderReadOptions ropts;
  if (!PositiveFlag(flags, "max-lines", &ropts.max_lines, err)) return kExitUsage;
  auto batch = ReadOrdersFile(flags.positional()[0], ropts);
  if (!batch.ok()) return Fail(batch.status(), err);
  L->batch = std::move(batch).value();

  if (auto a = flags.Get("as-of")) {
    auto d = Date::Parse(*a);
    if (!d.ok()) {
      err << "tollgate: error: --as-of: " << d.status().message() << "\n";
      return kExitUsage;
    }
    L->ctx.as_of = *d;
  }
  auto items = backends::MakeCatalogResolver(flags.GetOr("catalog", ""));
  if (!items.ok()) return Fail(items.status(), err);
  L->items = std::move(items).value();
  auto policy = backends::MakePolicyEngine(flags.GetOr("policy", ""));
  if (!policy.ok()) return Fail(policy.status(), err);
  L->policy = std::move(policy).value();
  if (auto fx = flags.Get("fx")) {
    auto t = FxTable::Load(*fx);
    if (!t.ok()) return Fail(t.status(), err);
    L->fx = std::make_unique<FxTable>(std::move(t).value());
    if (flags.Has("verbose"))
      err << "tollgate: FX table " << *fx << " (" << L->fx->size() << " rates)\n";
  }
  double threshold = backends::DefaultScreenThreshold();
  if (auto t = flags.Get("threshold")) {
    char* end = nullptr;
    threshold = std::strtod(t->c_str(), &end);
    if (t->empty() || *end != '\0' || !(threshold >= 0 && threshold <= 1)) {
      err << "tollgate: error: --threshold: invalid value '" << *t
          << "' (expected a number between 0 and 1)\n";
      return kExitUsage;
    }
  }
  if (flags.Has("parties") && flags.Has("lists")) {
    err << "tollgate: error: give either --parties or --lists, not both\n";
    return kExitUsage;
  }
  if (auto p = flags.Get("parties")) {
    auto list = ExactPartyList::Load(*p);
    if (!list.ok()) return Fail(list.status(), err);
    if (flags.Has("verbose"))
      err << "tollgate: exact party list " << *p << " (" << list->size() << " names)\n";
    L->screener = std::make_unique<ExactPartyList>(std::move(list).value());
    threshold = 0;  // exact matches score 1.0
  } else if (!flags.Has("no-screen")) {
    std::vector<std::string> loaded;
    auto s = backends::MakeListScreener(flags.GetOr("lists", ""), threshold, &loaded);
    if (s.ok()) {
      L->screener = std::move(s).value();
      if (flags.Has("verbose"))
        for (const auto& l : loaded) err << "tollgate: screening list " << l << "\n";
    } else if (flags.Has("lists") || s.status().code() != StatusCode::kFailedPrecondition) {
      return Fail(s.status(), err);
    } else {
      err << "tollgate: warning: " << s.status().message()
          << "; parties are not screened (use --parties FILE)\n";
    }
  }
  L->ctx.hold_threshold = threshold;
  if (want_ledger || flags.Has("db")) {
    auto l = backends::OpenLedger(flags.GetOr("db", ""));
    if (!l.ok()) return Fail(l.status(), err);
    L->ledger = std::move(l).value();
    backends::LedgerSession* session = L->ledger.get();
    L->ctx.is_cleared = [session](const PartyHit& h) { return session->IsCleared(h); };
  }
  L->ctx.items = L->items.get();
  L->ctx.policy = L->policy.get();
  L->ctx.screener = L->screener.get();
  L->ctx.fx = L->fx.get();
  return 0;
}

const char kCheckUsage[] = "tollgate check ORDERS [options]";
const char kCheckSummary[] =
    "Decides every order line (CSV or JSON Lines) under the policy in force on its date.\n"
    "Output: one JSON object per line (--format jsonl, the default), CSV or a table;\n"
    "--summary prints lines by decision and the share and tariff owed per exporter instead.\n"
    "Exit: 0 all lines decided, none held; 1 some line held for screening review;\n"
    "2 bad usage or bad order lines (with --strict nothing is decided); 3 I/O error.";

}  // namespace

int RunCheck(const Args& args, std::ostream& out, std::ostream& err) {
  auto specs = CommonSpecs();
  specs.push_back({"format", true, "output format: jsonl (default), csv or table", "FORMAT"});
  specs.push_back({"strict", false, "decide nothing if any line is bad (exit 2)", ""});
  specs.push_back({"summary", false, "print the summary instead of the lines", ""});
  specs.push_back({"record", false, "record every decided line in the ledger (--db)", ""});
  specs.push_back({"by", true, "who records (default $USER)", "NAME"});
  specs.push_back({"chunk", true,
                   "--record in transactions of at most N lines, all checked before any is "
                   "written (default: one transaction, up to the ledger's 100000)",
                   "N"});
  auto flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail(flags.status(), err);
  if (flags->help()) {
    out << HelpText(kCheckUsage, kCheckSummary, specs);
    return kExitOk;
  }
  if (flags->positional().size() != 1) {
    err << "tollgate: error: check takes exactly one order file\nusage: " << kCheckUsage << "\n";
    return kExitUsage;
  }
  const std::string format = flags->GetOr("format", flags->Has("summary") ? "table" : "jsonl");
  if (format != "jsonl" && format != "csv" && format != "table") {
    err << "tollgate: error: --format: unknown format '" << format
        << "' (expected table, jsonl or csv)\n";
    return kExitUsage;
  }
  size_t chunk = 0;  // --record: lines per transaction (0: one, up to the ledger's limit)
  if (!PositiveFlag(*flags, "chunk", &chunk, err)) return kExitUsage;
  const bool strict = flags->Has("strict");
  Loaded L;
  if (int rc = Load(*flags, flags->Has("record"), &L, err); rc != 0) return rc;
  if (strict && !L.batch.errors.empty()) {
    PrintDiagnostics(L.batch.errors, err);
    err << "tollgate: " << L.batch.errors.size()
        << " error(s) in the order file; nothing decided (--strict)\n";
    return kExitUsage;
  }
  DecideBatchResult result = DecideBatch(L.batch.lines, L.ctx);
  std::vector<Diagnostic> errors = L.batch.errors;
  errors.insert(errors.end(), result.errors.begin(), result.errors.end());
  // Reader and pipeline errors together, in file order.
  std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  if (strict && !errors.empty()) {
    PrintDiagnostics(errors, err);
    err << "tollgate: " << errors.size() << " error(s); nothing decided (--strict)\n";
    return kExitUsage;
  }
  // Lines with several bad fields produce several diagnostics; count lines once.
  std::set<std::pair<std::string, int>> bad_lines;
  for (const auto& d : errors) bad_lines.insert({d.file, d.line});

  if (flags->Has("summary")) {
    Summary s = Summarize(result.decided, static_cast<int>(bad_lines.size()));
    out << (format == "jsonl" ? SummaryToJson(s) + "\n" : SummaryToText(s));
  } else if (format == "jsonl") {
    for (const auto& d : result.decided) out << DecisionToJson(d) << "\n";
  } else if (format == "csv") {
    out << DecisionCsvHeader() << "\n";
    for (const auto& d : result.decided) out << DecisionToCsv(d) << "\n";
  } else {
    out << DecisionsToTable(result.decided);
  }
  PrintDiagnostics(errors, err);
  if (!errors.empty())
    err << "tollgate: " << bad_lines.size() << " bad line(s) not decided; " << result.decided.size()
        << " decided\n";

  // The ledger takes the order file whole or not at all: with a bad line nothing is recorded
  // (the good lines are still decided and printed above).
  if (flags->Has("record") && !errors.empty()) {
    err << "tollgate: nothing recorded: the order file has " << bad_lines.size()
        << " bad line(s); fix them and run again (recording is idempotent)\n";
  } else if (flags->Has("record") && !result.decided.empty()) {
    const char* user = std::getenv("USER");
    std::string by = flags->GetOr("by", user && *user ? user : "tollgate");
    auto rep = L.ledger->Record(result.decided, L.fx.get(), by, chunk);
    if (!rep.ok()) return Fail(rep.status(), err);
    err << "tollgate: " << *rep << "\n";
  }
  if (!errors.empty()) return kExitUsage;
  for (const auto& d : result.decided)
    if (d.decision.decision == "hold") return kExitFindings;
  return kExitOk;
}

int RunExplain(const Args& args, std::ostream& out, std::ostream& err) {
  auto specs = CommonSpecs();
  specs.push_back({"line", true, "the line to explain", "ORDER_ID:LINE"});
  const char usage[] = "tollgate explain ORDERS --line ORDER_ID:LINE [options]";
  auto flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail(flags.status(), err);
  if (flags->help()) {
    out << HelpText(usage,
                    "Prints the full decision trace of one order line: its attributes, the "
                    "screening result,\neach rule tried and why it matched or not, the winner "
                    "and the obligations.",
                    specs);
    return kExitOk;
  }
  if (flags->positional().size() != 1 || !flags->Has("line")) {
    err << "tollgate: error: explain takes one order file and --line ORDER_ID:LINE\nusage: "
        << usage << "\n";
    return kExitUsage;
  }
  const std::string want = *flags->Get("line");
  const size_t colon = want.rfind(':');
  int want_line = 0;
  if (colon == std::string::npos || colon == 0 || colon + 1 >= want.size() ||
      want.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
      want.size() - colon > 10) {
    err << "tollgate: error: --line: invalid value '" << want
        << "' (expected ORDER_ID:LINE, e.g. PO-1001:2)\n";
    return kExitUsage;
  }
  want_line = std::atoi(want.c_str() + colon + 1);
  const std::string want_order = want.substr(0, colon);
  Loaded L;
  if (int rc = Load(*flags, false, &L, err); rc != 0) return rc;
  for (const auto& l : L.batch.lines) {
    if (l.order_id != want_order || l.line != want_line) continue;
    auto text = ExplainLine(l, L.ctx);
    if (!text.ok()) return Fail(text.status(), err);
    out << *text;
    return kExitOk;
  }
  // Not among the good lines: maybe it was a bad line.
  for (const auto& d : L.batch.errors) {
    if (d.source_line.find(want_order) != std::string::npos) {
      err << d.ToString() << "\n";
    }
  }
  err << "tollgate: error: no valid order line " << want_order << ":" << want_line << " in "
      << flags->positional()[0] << "\n";
  return kExitUsage;
}

}  // namespace tollgate::cli
