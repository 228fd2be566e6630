// tollgate ledger | licence | ship | statement | review: the ledger's command-line face.
// Thin: parses flags, calls the public ledger API, formats results. See docs/ledger.md.
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/csv.h"
#include "core/io.h"
#include "tollgate/ledger.h"

namespace tollgate::cli {
namespace {

const FlagSpec kDbFlag{"db", true,
                       "ledger: SQLite file or postgresql://... (default $TOLLGATE_DB, else "
                       "./tollgate.db)",
                       "DB"};
const FlagSpec kByFlag{"by", true, "who records this (default $USER)", "NAME"};

std::string Who(const Flags& f) {
  if (auto by = f.Get("by")) return *by;
  for (const char* v : {"USER", "LOGNAME"}) {
    if (const char* e = std::getenv(v); e && *e) return e;
  }
  return "tollgate";
}

Result<std::unique_ptr<Ledger>> OpenFromFlags(const Flags& f) {
  OpenOptions o;
  // Test seam: a fixed event time makes hashes reproducible in golden-output tests.
  if (const char* t = std::getenv("TOLLGATE_LEDGER_TIME"); t && *t) {
    std::string fixed = t;
    o.clock = [fixed] { return fixed; };
  }
  return Ledger::Open(Ledger::DefaultLocation(f.GetOr("db", "")), o);
}

// Parses flags or prints help/usage. Returns nullopt-like via rc when it handled the call.
bool ParseOrExit(const Args& args, const std::vector<FlagSpec>& specs, const std::string& usage,
                 const std::string& summary, std::ostream& out, std::ostream& err,
                 std::optional<Flags>* flags, int* rc) {
  auto f = Flags::Parse(args, specs);
  if (!f.ok()) {
    *rc = Fail(f.status(), err);
    err << "usage: " << usage << "\n";
    return false;
  }
  if (f->help()) {
    out << HelpText(usage, summary, specs);
    *rc = kExitOk;
    return false;
  }
  *flags = std::move(f).value();
  return true;
}

Result<int64_t> ParseCount(const std::string& name, const std::string& v, bool allow_zero) {
  char* end = nullptr;
  long long n = v.empty() ? -1 : std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < (allow_zero ? 0 : 1) || n > 1000000000000LL) {
    return InvalidArgument("--" + name + " '" + v + "': expected a whole number" +
                           (allow_zero ? " >= 0" : " > 0"));
  }
  return static_cast<int64_t>(n);
}

Result<Date> ParseDateFlag(const std::string& name, const std::string& v) {
  auto d = Date::Parse(v);
  if (!d.ok()) return InvalidArgument("--" + name + ": " + d.status().message());
  return *d;
}

Result<Money> ParseMoneyFlags(const Flags& f, const std::string& amount_flag,
                              const std::string& currency_default) {
  auto a = f.Get(amount_flag);
  if (!a) return InvalidArgument("--" + amount_flag + " is required");
  auto d = Decimal::Parse(*a);
  if (!d.ok()) return InvalidArgument("--" + amount_flag + ": " + d.status().message());
  auto c = Currency::Parse(f.GetOr("currency", currency_default));
  if (!c.ok()) return InvalidArgument("--currency: " + c.status().message());
  Decimal amount = *d;
  if (amount.scale() < c->minor_units()) {
    if (auto r = amount.Rescale(c->minor_units(), Rounding::kHalfEven)) amount = *r;
  }
  return Money{amount, *c};
}

std::string Join(const std::vector<std::string>& v, const char* sep = "; ") {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) o += (i ? sep : "") + v[i];
  return o;
}

std::string JoinCountries(const std::vector<Country>& v) {
  std::vector<std::string> s;
  for (const auto& c : v) s.push_back(c.code());
  return Join(s, ", ");
}

void PrintLicence(const LicenceBalance& b, std::ostream& out) {
  const Licence& l = b.licence;
  out << "licence      " << l.number << "\n"
      << "holder       " << l.holder << "\n"
      << "items        " << (l.items.empty() ? "-" : Join(l.items, ", ")) << "\n"
      << "eccns        " << (l.eccns.empty() ? "-" : Join(l.eccns, ", ")) << "\n"
      << "destinations " << JoinCountries(l.destinations) << "\n"
      << "consignees   " << (l.consignees.empty() ? "any" : Join(l.consignees)) << "\n"
      << "end users    " << (l.end_users.empty() ? "any" : Join(l.end_users)) << "\n"
      << "valid        " << l.valid_from.ToString() << " to " << l.valid_to.ToString() << "\n"
      << "conditions   " << (l.conditions.empty() ? "-" : Join(l.conditions)) << "\n"
      << "quantity     authorised " << l.quantity << ", shipped " << b.shipped_quantity
      << ", reserved " << b.reserved_quantity << ", available " << b.available_quantity << "\n"
      << "value        authorised " << l.value.ToString() << ", shipped "
      << b.shipped_value.ToString() << ", reserved " << b.reserved_value.ToString()
      << ", available " << b.available_value.ToString() << "\n";
}

std::string LicenceJson(const LicenceBalance& b) {
  const Licence& l = b.licence;
  std::vector<std::string> dest;
  for (const auto& c : l.destinations) dest.push_back(c.code());
  std::ostringstream o;
  // Strings are JSON-escaped (quote, backslash, control characters).
  auto q = [](const std::string& s) {
    std::string r = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') r += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        r += buf;
        continue;
      }
      r += c;
    }
    return r + "\"";
  };
  auto qarr = [&](const std::vector<std::string>& v) {
    std::string r = "[";
    for (size_t i = 0; i < v.size(); ++i) r += (i ? "," : "") + q(v[i]);
    return r + "]";
  };
  o << "{\"number\":" << q(l.number) << ",\"holder\":" << q(l.holder)
    << ",\"items\":" << qarr(l.items) << ",\"eccns\":" << qarr(l.eccns)
    << ",\"destinations\":" << qarr(dest) << ",\"consignees\":" << qarr(l.consignees)
    << ",\"end_users\":" << qarr(l.end_users) << ",\"valid_from\":\"" << l.valid_from.ToString()
    << "\",\"valid_to\":\"" << l.valid_to.ToString() << "\",\"conditions\":" << qarr(l.conditions)
    << ",\"currency\":\"" << l.value.currency.code() << "\",\"quantity\":" << l.quantity
    << ",\"value\":\"" << l.value.amount.ToString()
    << "\",\"shipped_quantity\":" << b.shipped_quantity << ",\"shipped_value\":\""
    << b.shipped_value.amount.ToString() << "\",\"reserved_quantity\":" << b.reserved_quantity
    << ",\"reserved_value\":\"" << b.reserved_value.amount.ToString()
    << "\",\"available_quantity\":" << b.available_quantity << ",\"available_value\":\""
    << b.available_value.amount.ToString() << "\"}";
  return o.str();
}

// ---------------------------------------------------------------------------------------
// tollgate ledger

int LedgerVerify(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {
      kDbFlag,
      {"expect", true, "also check the chain against a checkpoint kept earlier", "SEQ:HASH"},
      {"file", true, "verify an export (ledger export) instead of a database", "FILE"},
      {"format", true, "text (default) or json", "FORMAT"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs, "tollgate ledger verify [--db DB] [--expect SEQ:HASH]",
                   "Checks the whole hash chain and names the first bad event.", out, err, &f,
                   &rc)) {
    return rc;
  }
  std::string fmt = f->GetOr("format", "text");
  if (fmt != "text" && fmt != "json") return Fail(InvalidArgument("--format: text or json"), err);
  VerifyReport rep;
  std::vector<LedgerEvent> events;  // only with --file
  std::unique_ptr<Ledger> ledger;
  if (auto file = f->Get("file")) {
    auto text = ReadFileToString(*file);
    if (!text.ok()) return Fail(text.status(), err);
    auto evs = ParseEventExport(*text, *file);
    if (!evs.ok()) return Fail(evs.status(), err);
    events = std::move(evs).value();
    rep = VerifyEvents(events);
  } else {
    auto l = OpenFromFlags(*f);
    if (!l.ok()) return Fail(l.status(), err);
    ledger = std::move(l).value();
    auto r = ledger->Verify();
    if (!r.ok()) return Fail(r.status(), err);
    rep = *r;
  }
  std::string expect_problem;
  if (auto exp = f->Get("expect"); exp && rep.ok) {
    size_t sep = exp->find_first_of(": ");
    auto seq = sep == std::string::npos ? Result<int64_t>(InvalidArgument("x"))
                                        : ParseCount("expect", exp->substr(0, sep), true);
    if (!seq.ok()) return Fail(InvalidArgument("--expect '" + *exp + "': expected SEQ:HASH"), err);
    std::string hash = exp->substr(sep + 1);
    if (hash.rfind("sha256:", 0) == 0) hash = hash.substr(7);
    std::string found;
    if (*seq == 0) {
      found = kGenesisHash;
    } else if (ledger) {
      Status s = ledger->Export([&](const LedgerEvent& e) {
        if (e.seq == *seq) found = e.hash;
        return Status::Ok();
      });
      if (!s.ok()) return Fail(s, err);
    } else if (*seq <= static_cast<int64_t>(events.size())) {
      found = events[*seq - 1].hash;
    }
    if (found.empty()) {
      expect_problem = "checkpoint " + std::to_string(*seq) + " is beyond the chain (" +
                       std::to_string(rep.head.seq) + " events): events were removed";
    } else if (found != hash) {
      expect_problem = "checkpoint " + std::to_string(*seq) + " does not match: event " +
                       std::to_string(*seq) + " now hashes to " + found + ", expected " + hash +
                       " (the history up to the checkpoint was rewritten)";
    }
  }
  bool ok = rep.ok && expect_problem.empty();
  if (fmt == "json") {
    out << "{\"ok\":" << (ok ? "true" : "false") << ",\"events_checked\":" << rep.events_checked
        << ",\"head\":{\"seq\":" << rep.head.seq << ",\"hash\":\"" << rep.head.hash << "\"}"
        << ",\"first_bad_seq\":" << (rep.ok ? 0 : rep.first_bad_seq) << ",\"problem\":\""
        << (rep.ok ? expect_problem : rep.problem) << "\"}\n";
  } else if (ok) {
    out << "ok: " << rep.events_checked << " events verified; head " << rep.head.seq << " "
        << rep.head.hash << "\n";
  } else if (!rep.ok) {
    out << "FAILED at event " << rep.first_bad_seq << ": " << rep.problem << "\n"
        << "(" << rep.events_checked << " events before it verified)\n";
  } else {
    out << "FAILED: " << expect_problem << "\n";
  }
  return ok ? kExitOk : kExitIntegrity;
}

int LedgerCheckpoint(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {kDbFlag, {"format", true, "text (default) or json", "FORMAT"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs, "tollgate ledger checkpoint [--db DB]",
                   "Prints the number of events and the head hash, as SEQ:HASH.", out, err, &f,
                   &rc)) {
    return rc;
  }
  auto l = OpenFromFlags(*f);
  if (!l.ok()) return Fail(l.status(), err);
  auto cp = (*l)->GetCheckpoint();
  if (!cp.ok()) return Fail(cp.status(), err);
  if (f->GetOr("format", "text") == "json") {
    out << "{\"seq\":" << cp->seq << ",\"hash\":\"" << cp->hash << "\"}\n";
  } else {
    out << cp->seq << ":" << cp->hash << "\n";
  }
  return kExitOk;
}

int LedgerExport(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {kDbFlag,
                                 {"format", true, "jsonl (the only format)", "FORMAT"},
                                 {"out", true, "write to FILE instead of stdout", "FILE"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs, "tollgate ledger export [--db DB] [--format jsonl] [--out FILE]",
                   "Writes every event, one JSON object a line (docs/ledger-format.md).", out, err,
                   &f, &rc)) {
    return rc;
  }
  if (f->GetOr("format", "jsonl") != "jsonl") {
    return Fail(InvalidArgument("--format: only jsonl is supported"), err);
  }
  auto l = OpenFromFlags(*f);
  if (!l.ok()) return Fail(l.status(), err);
  std::ofstream file;
  std::ostream* o = &out;
  if (auto path = f->Get("out")) {
    file.open(*path, std::ios::binary);
    if (!file) return Fail(IoError("cannot write '" + *path + "'"), err);
    o = &file;
  }
  Status s = (*l)->Export([&](const LedgerEvent& e) {
    *o << EventToJsonLine(e) << "\n";
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s, err);
  if (file.is_open() && !file.flush()) return Fail(IoError("write failed"), err);
  return kExitOk;
}

int LedgerRecord(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {
      kDbFlag, kByFlag, {"chunk", true, "lines per transaction (default 1000)", "N"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs, "tollgate ledger record FILE.jsonl [--db DB]",
                   "Records decided lines from JSON Lines ({input, decision, recorded_by} per "
                   "line), in transactions of --chunk lines, all checked before the first is "
                   "written (nothing is recorded if any would be refused); re-running is "
                   "idempotent.",
                   out, err, &f, &rc)) {
    return rc;
  }
  if (f->positional().size() != 1) return Fail(InvalidArgument("expected one FILE"), err);
  const std::string& path = f->positional()[0];
  auto text = ReadFileToString(path);
  if (!text.ok()) return Fail(text.status(), err);
  auto lines = ParseDecidedLinesJsonl(*text, path);
  if (!lines.ok()) return Fail(lines.status(), err);
  auto chunk = ParseCount("chunk", f->GetOr("chunk", "1000"), false);
  if (!chunk.ok()) return Fail(chunk.status(), err);
  const std::string by = Who(*f);
  for (auto& l : *lines) {
    if (l.recorded_by.empty()) l.recorded_by = by;
  }
  auto l = OpenFromFlags(*f);
  if (!l.ok()) return Fail(l.status(), err);
  std::vector<std::vector<DecidedLine>> parts;
  for (size_t i = 0; i < lines->size(); i += *chunk) {
    size_t end = std::min(lines->size(), i + static_cast<size_t>(*chunk));
    parts.emplace_back(lines->begin() + i, lines->begin() + end);
  }
  auto range = [&](size_t k) {
    return std::to_string(k * *chunk + 1) + ".." + std::to_string(k * *chunk + parts[k].size());
  };
  // The file is recorded whole or not at all: every transaction is checked before the first
  // is written (only a concurrent writer can still stop it midway; re-running completes it).
  if (parts.size() > 1) {
    for (size_t k = 0; k < parts.size(); ++k) {
      auto p = (*l)->PreviewBatch(parts[k]);
      if (!p.ok()) {
        err << "tollgate: lines " << range(k) << " of " << path
            << " would be refused; nothing recorded\n";
        return Fail(p.status(), err);
      }
    }
  }
  int recorded = 0, present = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    auto r = (*l)->RecordBatch(parts[k]);
    if (!r.ok()) {
      err << "tollgate: lines " << range(k) << " of " << path << " not recorded (" << recorded
          << " recorded before them)\n";
      return Fail(r.status(), err);
    }
    recorded += r->recorded;
    present += r->already_present;
  }
  auto cp = (*l)->GetCheckpoint();
  out << "recorded " << recorded << " lines, " << present << " already present; checkpoint "
      << (cp.ok() ? std::to_string(cp->seq) + ":" + cp->hash : "?") << "\n";
  return kExitOk;
}

int LedgerCap(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {
      kDbFlag,
      kByFlag,
      {"item", true, "catalog id", "ITEM"},
      {"destination", true, "capped destination (e.g. CN)", "CC"},
      {"reference", true, "reference destination (e.g. US)", "CC"},
      {"ratio", true, "max capped / reference quantity (e.g. 0.5)", "RATIO"},
      {"period", true, "quarter (default), month or year", "PERIOD"},
      {"cite", true, "source of the cap", "TEXT"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs,
                   "tollgate ledger cap --item ITEM --destination CN --reference US --ratio 0.5 "
                   "[--period quarter] [--cite TEXT]",
                   "Sets a volume cap checked when shipments are recorded.", out, err, &f, &rc)) {
    return rc;
  }
  VolumeCap c;
  c.item = f->GetOr("item", "");
  auto dest = Country::Parse(f->GetOr("destination", ""));
  if (!dest.ok()) return Fail(InvalidArgument("--destination: " + dest.status().message()), err);
  auto ref = Country::Parse(f->GetOr("reference", ""));
  if (!ref.ok()) return Fail(InvalidArgument("--reference: " + ref.status().message()), err);
  auto ratio = Decimal::Parse(f->GetOr("ratio", ""));
  if (!ratio.ok()) return Fail(InvalidArgument("--ratio: " + ratio.status().message()), err);
  c.destination = *dest;
  c.reference = *ref;
  c.ratio = *ratio;
  c.period = f->GetOr("period", "quarter");
  c.cite = f->GetOr("cite", "");
  auto l = OpenFromFlags(*f);
  if (!l.ok()) return Fail(l.status(), err);
  Status s = (*l)->SetCap(c, Who(*f));
  if (!s.ok()) return Fail(s, err);
  out << "cap set: " << c.item << " to " << c.destination.code() << " <= " << c.ratio.ToString()
      << " x " << c.reference.code() << " per " << c.period << "\n";
  return kExitOk;
}

int LedgerRemit(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {kDbFlag,
                                 kByFlag,
                                 {"exporter", true, "who paid", "NAME"},
                                 {"kind", true, "revenue_share or tariff", "KIND"},
                                 {"amount", true, "USD amount, e.g. 1500.00", "AMOUNT"},
                                 {"date", true, "payment date", "DATE"},
                                 {"id", true, "remittance id (default M-<seq>)", "ID"},
                                 {"reference", true, "bank or pay.gov reference", "TEXT"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs,
                   "tollgate ledger remit --exporter X --kind tariff --amount 100.00 --date "
                   "2026-04-15 [--reference REF]",
                   "Records a payment to the US Treasury that settles part of a payable.", out, err,
                   &f, &rc)) {
    return rc;
  }
  Remittance r;
  r.exporter = f->GetOr("exporter", "");
  r.kind = f->GetOr("kind", "");
  auto m = ParseMoneyFlags(*f, "amount", "USD");
  if (!m.ok()) return Fail(m.status(), err);
  r.amount = *m;
  auto d = ParseDateFlag("date", f->GetOr("date", ""));
  if (!d.ok()) return Fail(d.status(), err);
  r.date = *d;
  r.id = f->GetOr("id", "");
  r.reference = f->GetOr("reference", "");
  r.by = Who(*f);
  auto l = OpenFromFlags(*f);
  if (!l.ok()) return Fail(l.status(), err);
  Status s = (*l)->RecordRemittance(r);
  if (!s.ok()) return Fail(s, err);
  auto cp = (*l)->GetCheckpoint();
  out << "remittance recorded: " << r.amount.ToString() << " " << r.kind << " for " << r.exporter
      << " on " << r.date.ToString() << "; checkpoint " << (cp.ok() ? std::to_string(cp->seq) : "?")
      << "\n";
  return kExitOk;
}

}  // namespace

int RunLedger(const Args& args, std::ostream& out, std::ostream& err) {
  static const char* kUsage =
      "usage: tollgate ledger <verify|checkpoint|export|record|cap|remit> [options]\n\n"
      "  verify      check the whole hash chain; names the first bad event (exit 5)\n"
      "  checkpoint  print SEQ:HASH of the chain head, for an auditor to keep\n"
      "  export      every event as JSON Lines\n"
      "  record      record decided lines from a JSON Lines file\n"
      "  cap         set a volume cap (e.g. CN <= 0.5 x US per quarter)\n"
      "  remit       record a remittance to the US Treasury\n";
  if (args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    out << kUsage;
    return kExitOk;
  }
  Args rest(args.begin() + 1, args.end());
  if (args[0] == "verify") return LedgerVerify(rest, out, err);
  if (args[0] == "checkpoint") return LedgerCheckpoint(rest, out, err);
  if (args[0] == "export") return LedgerExport(rest, out, err);
  if (args[0] == "record") return LedgerRecord(rest, out, err);
  if (args[0] == "cap") return LedgerCap(rest, out, err);
  if (args[0] == "remit") return LedgerRemit(rest, out, err);
  err << "tollgate ledger: unknown subcommand '" << args[0] << "'\n" << kUsage;
  return kExitUsage;
}

// ---------------------------------------------------------------------------------------
// tollgate licence

int RunLicence(const Args& args, std::ostream& out, std::ostream& err) {
  static const char* kUsage =
      "usage: tollgate licence <add|import|show|list|reserve|release> [options]\n\n"
      "  add      record a licence (see --help)\n"
      "  import   record licences from a CSV file\n"
      "  show     terms and balance of one licence\n"
      "  list     every licence with its balance\n"
      "  reserve  set aside quantity and value for an order\n"
      "  release  give a reservation back\n";
  if (args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string sub = args[0];
  if (sub == "--help" || sub == "-h") {
    out << kUsage;
    return kExitOk;
  }
  Args rest(args.begin() + 1, args.end());
  std::optional<Flags> f;
  int rc;
  if (sub == "add") {
    std::vector<FlagSpec> specs = {
        kDbFlag,
        kByFlag,
        {"number", true, "licence number", "NUMBER"},
        {"holder", true, "exporter holding it", "NAME"},
        {"item", true, "catalog id covered (repeatable)", "ITEM", true},
        {"eccn", true, "ECCN covered (repeatable)", "ECCN", true},
        {"destination", true, "country (repeatable)", "CC", true},
        {"consignee", true, "named consignee (repeatable; none = any)", "NAME", true},
        {"end-user", true, "named end user (repeatable; none = any)", "NAME", true},
        {"quantity", true, "authorised units", "N"},
        {"value", true, "authorised value", "AMOUNT"},
        {"currency", true, "currency of the value (default USD)", "CCY"},
        {"valid-from", true, "first valid day", "DATE"},
        {"valid-to", true, "last valid day", "DATE"},
        {"condition", true, "condition text (repeatable)", "TEXT", true}};
    if (!ParseOrExit(rest, specs,
                     "tollgate licence add --number N --holder X --item H20 --destination CN "
                     "--quantity 100 --value 1200000 --valid-from D --valid-to D",
                     "Records a licence.", out, err, &f, &rc)) {
      return rc;
    }
    Licence l;
    l.number = f->GetOr("number", "");
    l.holder = f->GetOr("holder", "");
    l.items = f->GetAll("item");
    l.eccns = f->GetAll("eccn");
    for (const auto& d : f->GetAll("destination")) {
      auto c = Country::Parse(d);
      if (!c.ok()) return Fail(InvalidArgument("--destination: " + c.status().message()), err);
      l.destinations.push_back(*c);
    }
    l.consignees = f->GetAll("consignee");
    l.end_users = f->GetAll("end-user");
    l.conditions = f->GetAll("condition");
    auto q = ParseCount("quantity", f->GetOr("quantity", ""), false);
    if (!q.ok()) return Fail(q.status(), err);
    l.quantity = *q;
    auto v = ParseMoneyFlags(*f, "value", "USD");
    if (!v.ok()) return Fail(v.status(), err);
    l.value = *v;
    auto from = ParseDateFlag("valid-from", f->GetOr("valid-from", ""));
    if (!from.ok()) return Fail(from.status(), err);
    auto to = ParseDateFlag("valid-to", f->GetOr("valid-to", ""));
    if (!to.ok()) return Fail(to.status(), err);
    l.valid_from = *from;
    l.valid_to = *to;
    auto led = OpenFromFlags(*f);
    if (!led.ok()) return Fail(led.status(), err);
    Status s = (*led)->AddLicence(l, Who(*f));
    if (!s.ok()) return Fail(s, err);
    out << "licence " << l.number << " recorded\n";
    return kExitOk;
  }
  if (sub == "import") {
    std::vector<FlagSpec> specs = {kDbFlag, kByFlag};
    if (!ParseOrExit(rest, specs, "tollgate licence import FILE.csv [--db DB]",
                     "Records licences from CSV (header: number,holder,items,eccns,"
                     "destinations,consignees,end_users,quantity,value,currency,valid_from,"
                     "valid_to,conditions; lists separated by ';').",
                     out, err, &f, &rc)) {
      return rc;
    }
    if (f->positional().size() != 1) return Fail(InvalidArgument("expected one FILE"), err);
    auto text = ReadFileToString(f->positional()[0]);
    if (!text.ok()) return Fail(text.status(), err);
    auto lics = ParseLicenceCsv(*text, f->positional()[0]);
    if (!lics.ok()) return Fail(lics.status(), err);
    auto led = OpenFromFlags(*f);
    if (!led.ok()) return Fail(led.status(), err);
    for (const auto& l : *lics) {
      Status s = (*led)->AddLicence(l, Who(*f));
      if (!s.ok()) return Fail(s, err);
    }
    out << "imported " << lics->size() << " licences\n";
    return kExitOk;
  }
  if (sub == "show" || sub == "list") {
    std::vector<FlagSpec> specs = {kDbFlag, {"format", true, "table (default) or json", "FORMAT"}};
    if (!ParseOrExit(rest, specs,
                     sub == "show" ? "tollgate licence show NUMBER [--format table|json]"
                                   : "tollgate licence list [--format table|json]",
                     "Prints licence terms and balances.", out, err, &f, &rc)) {
      return rc;
    }
    std::string fmt = f->GetOr("format", "table");
    if (fmt != "table" && fmt != "json") {
      return Fail(InvalidArgument("--format: table or json"), err);
    }
    auto led = OpenFromFlags(*f);
    if (!led.ok()) return Fail(led.status(), err);
    if (sub == "show") {
      if (f->positional().size() != 1) return Fail(InvalidArgument("expected one NUMBER"), err);
      auto b = (*led)->GetLicence(f->positional()[0]);
      if (!b.ok()) return Fail(b.status(), err);
      if (fmt == "json") {
        out << LicenceJson(*b) << "\n";
      } else {
        PrintLicence(*b, out);
        auto rs = (*led)->Reservations(b->licence.number);
        if (rs.ok()) {
          for (const auto& r : *rs) {
            out << "reservation  " << r.id << " " << r.quantity << " units / " << r.value.ToString()
                << (r.order_id.empty() ? "" : " for " + r.order_id)
                << (r.open ? " (open)" : " (closed)") << "\n";
          }
        }
      }
      return kExitOk;
    }
    auto all = (*led)->ListLicences();
    if (!all.ok()) return Fail(all.status(), err);
    if (fmt == "json") {
      out << "[";
      for (size_t i = 0; i < all->size(); ++i) out << (i ? "," : "") << LicenceJson((*all)[i]);
      out << "]\n";
      return kExitOk;
    }
    out << std::left << std::setw(14) << "licence" << std::setw(16) << "holder" << std::setw(12)
        << "valid to" << std::right << std::setw(10) << "authorised" << std::setw(10) << "shipped"
        << std::setw(10) << "reserved" << std::setw(10) << "available" << std::setw(20)
        << "available value"
        << "\n";
    for (const auto& b : *all) {
      out << std::left << std::setw(14) << b.licence.number << std::setw(16) << b.licence.holder
          << std::setw(12) << b.licence.valid_to.ToString() << std::right << std::setw(10)
          << b.licence.quantity << std::setw(10) << b.shipped_quantity << std::setw(10)
          << b.reserved_quantity << std::setw(10) << b.available_quantity << std::setw(20)
          << b.available_value.ToString() << "\n";
    }
    return kExitOk;
  }
  if (sub == "reserve") {
    std::vector<FlagSpec> specs = {kDbFlag,
                                   kByFlag,
                                   {"quantity", true, "units", "N"},
                                   {"value", true, "value in the licence currency", "AMOUNT"},
                                   {"currency", true, "default: the licence's", "CCY"},
                                   {"id", true, "reservation id (default R-<seq>)", "ID"},
                                   {"order", true, "order id it is for", "ORDER"},
                                   {"line", true, "order line it is for", "LINE"},
                                   {"note", true, "free text", "TEXT"}};
    if (!ParseOrExit(rest, specs,
                     "tollgate licence reserve NUMBER --quantity N --value AMOUNT [--id ID]",
                     "Sets aside part of a licence's balance.", out, err, &f, &rc)) {
      return rc;
    }
    if (f->positional().size() != 1) return Fail(InvalidArgument("expected one NUMBER"), err);
    auto led = OpenFromFlags(*f);
    if (!led.ok()) return Fail(led.status(), err);
    ReservationRequest r;
    r.licence = f->positional()[0];
    auto lic = (*led)->GetLicence(r.licence);
    if (!lic.ok()) return Fail(lic.status(), err);
    auto q = ParseCount("quantity", f->GetOr("quantity", ""), false);
    if (!q.ok()) return Fail(q.status(), err);
    r.quantity = *q;
    auto v = ParseMoneyFlags(*f, "value", lic->licence.value.currency.code());
    if (!v.ok()) return Fail(v.status(), err);
    r.value = *v;
    r.reservation_id = f->GetOr("id", "");
    r.order_id = f->GetOr("order", "");
    if (auto line = f->Get("line")) {
      auto n = ParseCount("line", *line, false);
      if (!n.ok()) return Fail(n.status(), err);
      r.line = static_cast<int>(*n);
    }
    r.note = f->GetOr("note", "");
    r.by = Who(*f);
    auto made = (*led)->Reserve(r);
    if (!made.ok()) return Fail(made.status(), err);
    auto after = (*led)->GetLicence(r.licence);
    out << "reservation " << made->id << ": " << made->quantity << " units / "
        << made->value.ToString() << " on licence " << r.licence << "; available "
        << (after.ok() ? std::to_string(after->available_quantity) + " units / " +
                             after->available_value.ToString()
                       : "?")
        << "\n";
    return kExitOk;
  }
  if (sub == "release") {
    std::vector<FlagSpec> specs = {kDbFlag, kByFlag, {"reason", true, "why", "TEXT"}};
    if (!ParseOrExit(rest, specs, "tollgate licence release RESERVATION --reason TEXT",
                     "Gives a reservation back to the licence balance.", out, err, &f, &rc)) {
      return rc;
    }
    if (f->positional().size() != 1) {
      return Fail(InvalidArgument("expected one RESERVATION id"), err);
    }
    auto led = OpenFromFlags(*f);
    if (!led.ok()) return Fail(led.status(), err);
    Status s = (*led)->Release(f->positional()[0], Who(*f), f->GetOr("reason", ""));
    if (!s.ok()) return Fail(s, err);
    out << "reservation " << f->positional()[0] << " released\n";
    return kExitOk;
  }
  err << "tollgate licence: unknown subcommand '" << sub << "'\n" << kUsage;
  return kExitUsage;
}

// ---------------------------------------------------------------------------------------
// tollgate ship

int RunShip(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {
      kDbFlag,
      kByFlag,
      {"quantity", true, "units (default: all that remain on the line)", "N"},
      {"date", true, "ship date (default: the line's date)", "DATE"},
      {"licence", true, "licence to draw (default: the line's)", "NUMBER"},
      {"reservation", true, "consume this reservation", "ID"},
      {"id", true, "shipment id (default S-<seq>)", "ID"},
      {"file", true, "CSV of shipments: order_id,line[,quantity,date,licence,reservation,id]",
       "FILE"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs,
                   "tollgate ship ORDER LINE [--quantity N] [--date D] [--licence L] "
                   "[--reservation R] | tollgate ship --file SHIPMENTS.csv",
                   "Records shipments of decided lines; refuses one that would take a licence "
                   "balance below zero or exceed a volume cap (exit 4).",
                   out, err, &f, &rc)) {
    return rc;
  }
  std::vector<ShipmentRequest> reqs;
  std::vector<std::string> where;
  const std::string by = Who(*f);
  if (auto file = f->Get("file")) {
    auto text = ReadFileToString(*file);
    if (!text.ok()) return Fail(text.status(), err);
    csv::Reader reader(*text, *file);
    csv::Record rec;
    Diagnostic d;
    csv::Header header;
    bool have_header = false;
    std::vector<Diagnostic> bad;
    while (true) {
      auto step = reader.Next(&rec, &d);
      if (step == csv::Reader::Step::kEnd) break;
      if (step == csv::Reader::Step::kError) {
        bad.push_back(d);
        continue;
      }
      if (!have_header) {
        header = csv::Header(rec);
        have_header = true;
        if (header.Index("order_id") < 0 || header.Index("line") < 0) {
          Diagnostic h;
          h.file = *file;
          h.line = rec.line;
          h.source_line = rec.source_line;
          h.message = "missing column 'order_id' or 'line'";
          h.hint = "expected header: order_id,line,quantity,date,licence,reservation,id";
          return Fail(Status::FromDiagnostic(StatusCode::kParseError, h), err);
        }
        continue;
      }
      auto get = [&](const char* name) -> const csv::Field* {
        int i = header.Index(name);
        if (i < 0 || static_cast<size_t>(i) >= rec.fields.size()) return nullptr;
        return &rec.fields[i];
      };
      ShipmentRequest r;
      r.by = by;
      r.order_id = get("order_id") ? get("order_id")->value : "";
      size_t before = bad.size();
      if (const auto* fl = get("line")) {
        auto n = ParseCount("line", fl->value, false);
        if (!n.ok()) {
          bad.push_back(csv::FieldError(*file, rec, *fl, "line", "expected a line number > 0"));
        } else {
          r.line = static_cast<int>(*n);
        }
      }
      if (const auto* fq = get("quantity"); fq && !fq->value.empty()) {
        auto n = ParseCount("quantity", fq->value, false);
        if (!n.ok()) {
          bad.push_back(csv::FieldError(*file, rec, *fq, "quantity", "expected units > 0"));
        } else {
          r.quantity = *n;
        }
      }
      if (const auto* fd = get("date"); fd && !fd->value.empty()) {
        auto dt = Date::Parse(fd->value);
        if (!dt.ok()) {
          bad.push_back(csv::FieldError(*file, rec, *fd, "date", dt.status().message()));
        } else {
          r.date = *dt;
        }
      }
      if (const auto* x = get("licence")) r.licence = x->value;
      if (const auto* x = get("reservation")) r.reservation_id = x->value;
      if (const auto* x = get("id")) r.shipment_id = x->value;
      if (bad.size() == before) {
        reqs.push_back(r);
        where.push_back(*file + ":" + std::to_string(rec.line));
      }
    }
    if (!bad.empty()) return Fail(Status::FromDiagnostics(StatusCode::kParseError, bad), err);
  } else {
    if (f->positional().size() != 2) {
      return Fail(InvalidArgument("expected ORDER LINE (or --file FILE)"), err);
    }
    ShipmentRequest r;
    r.order_id = f->positional()[0];
    auto n = ParseCount("line", f->positional()[1], false);
    if (!n.ok())
      return Fail(InvalidArgument("LINE '" + f->positional()[1] + "': expected a line number"),
                  err);
    r.line = static_cast<int>(*n);
    if (auto q = f->Get("quantity")) {
      auto qq = ParseCount("quantity", *q, false);
      if (!qq.ok()) return Fail(qq.status(), err);
      r.quantity = *qq;
    }
    if (auto d = f->Get("date")) {
      auto dd = ParseDateFlag("date", *d);
      if (!dd.ok()) return Fail(dd.status(), err);
      r.date = *dd;
    }
    r.licence = f->GetOr("licence", "");
    r.reservation_id = f->GetOr("reservation", "");
    r.shipment_id = f->GetOr("id", "");
    r.by = by;
    reqs.push_back(r);
    where.push_back("");
  }
  auto led = OpenFromFlags(*f);
  if (!led.ok()) return Fail(led.status(), err);
  int refused = 0, worst = kExitOk;
  for (size_t i = 0; i < reqs.size(); ++i) {
    auto r = (*led)->Ship(reqs[i]);
    if (!r.ok()) {
      ++refused;
      err << (where[i].empty() ? "" : where[i] + ": ") << "refused: " << r.status().message()
          << "\n";
      worst = std::max(worst, ExitCodeFor(r.status()));
      continue;
    }
    out << "shipped " << r->shipment_id << ": " << reqs[i].order_id << "/" << reqs[i].line << " "
        << r->quantity << " units, " << r->value.ToString();
    if (!r->licence.empty()) {
      out << " on licence " << r->licence;
      if (r->balance_after) {
        out << " (available " << r->balance_after->available_quantity << " units / "
            << r->balance_after->available_value.ToString() << ")";
      }
    }
    out << "\n";
  }
  if (reqs.size() > 1) {
    out << reqs.size() - refused << " shipped, " << refused << " refused\n";
  }
  return worst;
}

// ---------------------------------------------------------------------------------------
// tollgate statement

int RunStatement(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {kDbFlag,
                                 {"period", true, "2026Q1, 2026-03 or 2026", "PERIOD"},
                                 {"exporter", true, "only this exporter", "NAME"},
                                 {"format", true, "table (default), csv, json or pdf", "FORMAT"},
                                 {"out", true, "write to FILE (required for pdf)", "FILE"}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs,
                   "tollgate statement --period 2026Q1 [--exporter X] "
                   "[--format table|csv|json|pdf] [--out FILE]",
                   "Revenue share and tariff owed by exporter, product and destination, "
                   "remittances, balance due, and the ledger checkpoint it was drawn from.",
                   out, err, &f, &rc)) {
    return rc;
  }
  auto period = f->Get("period");
  if (!period) return Fail(InvalidArgument("--period is required (e.g. 2026Q1)"), err);
  std::string fmt = f->GetOr("format", "table");
  if (fmt != "table" && fmt != "csv" && fmt != "json" && fmt != "pdf") {
    return Fail(InvalidArgument("--format '" + fmt + "': expected table, csv, json or pdf"), err);
  }
  if (fmt == "pdf" && !f->Has("out")) {
    return Fail(InvalidArgument("--format pdf needs --out FILE.pdf"), err);
  }
  auto led = OpenFromFlags(*f);
  if (!led.ok()) return Fail(led.status(), err);
  auto st = (*led)->BuildStatement({*period, f->GetOr("exporter", "")});
  if (!st.ok()) return Fail(st.status(), err);
  if (fmt == "pdf") {
    Status s = WriteStatementPdf(*st, *f->Get("out"));
    if (!s.ok()) return Fail(s, err);
    out << "wrote " << *f->Get("out") << " (statement " << st->period << ", checkpoint "
        << st->checkpoint_seq << ":" << st->checkpoint_hash << ")\n";
    return kExitOk;
  }
  std::string text = fmt == "csv"    ? FormatStatementCsv(*st)
                     : fmt == "json" ? FormatStatementJson(*st)
                                     : FormatStatementTable(*st);
  if (auto path = f->Get("out")) {
    std::ofstream file(*path, std::ios::binary);
    if (!(file << text) || !file.flush()) {
      return Fail(IoError("cannot write '" + *path + "'"), err);
    }
    return kExitOk;
  }
  out << text;
  return kExitOk;
}

// ---------------------------------------------------------------------------------------
// tollgate review

int RunReview(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<FlagSpec> specs = {kDbFlag,
                                 kByFlag,
                                 {"party", true, "the party name as screened", "NAME"},
                                 {"clear", false, "the hit is a false positive", ""},
                                 {"confirm", false, "the hit is a true match", ""},
                                 {"reason", true, "why (required)", "TEXT"},
                                 {"list", false, "list every review instead", ""}};
  std::optional<Flags> f;
  int rc;
  if (!ParseOrExit(args, specs,
                   "tollgate review LIST:ENTRY_ID --party NAME --clear|--confirm --reason TEXT"
                   " | tollgate review --list",
                   "Records who cleared or confirmed a screening hit, when and why. A cleared "
                   "hit no longer holds lines for that party and entry.",
                   out, err, &f, &rc)) {
    return rc;
  }
  auto led = OpenFromFlags(*f);
  if (f->Has("list")) {
    if (!led.ok()) return Fail(led.status(), err);
    auto all = (*led)->Reviews();
    if (!all.ok()) return Fail(all.status(), err);
    for (const auto& r : *all) {
      out << r.time << "  " << r.action << "  " << r.list << ":" << r.entry_id << "  '" << r.party
          << "'  by " << r.reviewer << ": " << r.reason << "\n";
    }
    return kExitOk;
  }
  if (f->positional().size() != 1) {
    return Fail(InvalidArgument("expected one HIT as LIST:ENTRY_ID (e.g. bis_entity_list:EL-42)"),
                err);
  }
  const std::string& hit = f->positional()[0];
  size_t colon = hit.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == hit.size()) {
    return Fail(InvalidArgument("HIT '" + hit + "': expected LIST:ENTRY_ID"), err);
  }
  if (f->Has("clear") == f->Has("confirm")) {
    return Fail(InvalidArgument("give exactly one of --clear or --confirm"), err);
  }
  if (!led.ok()) return Fail(led.status(), err);
  Review r;
  r.list = hit.substr(0, colon);
  r.entry_id = hit.substr(colon + 1);
  r.party = f->GetOr("party", "");
  r.action = f->Has("clear") ? "clear" : "confirm";
  r.reason = f->GetOr("reason", "");
  r.reviewer = Who(*f);
  Status s = (*led)->RecordReview(r);
  if (!s.ok()) return Fail(s, err);
  out << (r.action == "clear" ? "cleared " : "confirmed ") << r.list << ":" << r.entry_id
      << " for '" << r.party << "'\n";
  return kExitOk;
}

}  // namespace tollgate::cli
