// Statement renderings, the event export format and the importers (decided lines as JSON
// Lines, licences as CSV).
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/csv.h"
#include "ledger/codec.h"
#include "tollgate/ledger.h"

namespace tollgate {

using ledger::Json;

namespace {

std::string Pad(const std::string& s, size_t w, bool right = false) {
  // Width in UTF-8 code points, so names with accents line up.
  size_t cps = 0;
  for (unsigned char c : s) cps += (c & 0xC0) != 0x80;
  if (cps >= w) return s;
  std::string fill(w - cps, ' ');
  return right ? fill + s : s + fill;
}

// "1234567.80" -> "1,234,567.80" (display only).
std::string Grouped(const Decimal& d) {
  std::string s = d.ToString();
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  size_t dot = s.find('.');
  std::string intpart = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot);
  std::string out;
  for (size_t i = 0; i < intpart.size(); ++i) {
    if (i && (intpart.size() - i) % 3 == 0) out += ',';
    out += intpart[i];
  }
  return (neg ? "-" : "") + out + frac;
}

std::string KindLabel(const std::string& k) {
  return k == "tariff" ? "tariff (s232)" : k == "revenue_share" ? "revenue share" : k;
}

}  // namespace

std::string FormatStatementTable(const Statement& s) {
  // Column widths fit the longest exporter and item (names are never cut).
  size_t we = 8, wi = 4;
  auto width = [](const std::string& v) {
    size_t n = 0;
    for (unsigned char c : v) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& r : s.rows) {
    we = std::max(we, width(r.exporter));
    wi = std::max(wi, width(r.item));
  }
  for (const auto& t : s.totals) we = std::max(we, width(t.exporter));
  for (const auto& r : s.remittances) we = std::max(we, width(r.exporter));
  std::ostringstream o;
  o << "Statement " << s.period << " (" << s.from.ToString() << " to " << s.to.ToString() << ")"
    << (s.exporter.empty() ? "" : ", exporter " + s.exporter) << "\n";
  o << "Drawn from ledger checkpoint " << s.checkpoint_seq << " " << s.checkpoint_hash << "\n";
  o << "Amounts in USD, rounded half-even to the cent per line; payee US Treasury.\n\n";
  o << Pad("exporter", we) << " " << Pad("item", wi) << " " << Pad("dest", 4) << " "
    << Pad("kind", 14) << " " << Pad("lines", 6, true) << " " << Pad("units", 9, true) << " "
    << Pad("base USD", 18, true) << " " << Pad("owed USD", 16, true) << "\n";
  for (const auto& r : s.rows) {
    o << Pad(r.exporter, we) << " " << Pad(r.item, wi) << " " << Pad(r.destination, 4) << " "
      << Pad(KindLabel(r.kind), 14) << " " << Pad(std::to_string(r.lines), 6, true) << " "
      << Pad(std::to_string(r.quantity), 9, true) << " "
      << Pad(Grouped(r.base_usd.amount), 18, true) << " "
      << Pad(Grouped(r.owed_usd.amount), 16, true) << "\n";
  }
  if (s.rows.empty()) o << "(no accruals in the period)\n";
  o << "\nRemittances in the period:\n";
  for (const auto& r : s.remittances) {
    o << "  " << r.date.ToString() << "  " << Pad(r.id, 10) << " " << Pad(r.exporter, we) << " "
      << Pad(KindLabel(r.kind), 14) << " " << Pad(Grouped(r.amount.amount), 16, true) << "  "
      << r.reference << "\n";
  }
  if (s.remittances.empty()) o << "  (none)\n";
  o << "\n"
    << Pad("exporter", we) << " " << Pad("share owed", 16, true) << " "
    << Pad("tariff owed", 16, true) << " " << Pad("remitted", 16, true) << " "
    << Pad("balance due", 16, true) << "\n";
  for (const auto& t : s.totals) {
    o << Pad(t.exporter, we) << " " << Pad(Grouped(t.share_owed.amount), 16, true) << " "
      << Pad(Grouped(t.tariff_owed.amount), 16, true) << " "
      << Pad(Grouped(t.remitted.amount), 16, true) << " "
      << Pad(Grouped(t.balance_due.amount), 16, true) << "\n";
  }
  o << "\nTotal owed in period: " << Grouped(s.total_owed.amount)
    << " USD; remitted: " << Grouped(s.total_remitted.amount) << " USD; balance due at "
    << s.to.ToString() << ": " << Grouped(s.total_balance_due.amount) << " USD\n";
  return o.str();
}

std::string FormatStatementCsv(const Statement& s) {
  std::ostringstream o;
  auto e = [](const std::string& v) { return csv::Escape(v); };
  o << "section,period,exporter,item,destination,kind,lines,quantity,base_usd,amount_usd,"
       "date,id,reference,checkpoint_seq,checkpoint_hash\n";
  const std::string cp = std::to_string(s.checkpoint_seq) + "," + s.checkpoint_hash;
  for (const auto& r : s.rows) {
    o << "accrual," << s.period << "," << e(r.exporter) << "," << e(r.item) << "," << r.destination
      << "," << r.kind << "," << r.lines << "," << r.quantity << "," << r.base_usd.amount.ToString()
      << "," << r.owed_usd.amount.ToString() << ",,,," << cp << "\n";
  }
  for (const auto& r : s.remittances) {
    o << "remittance," << s.period << "," << e(r.exporter) << ",,," << r.kind << ",,,,"
      << r.amount.amount.ToString() << "," << r.date.ToString() << "," << e(r.id) << ","
      << e(r.reference) << "," << cp << "\n";
  }
  for (const auto& t : s.totals) {
    o << "owed_share," << s.period << "," << e(t.exporter) << ",,,revenue_share,,,,"
      << t.share_owed.amount.ToString() << ",,,," << cp << "\n";
    o << "owed_tariff," << s.period << "," << e(t.exporter) << ",,,tariff,,,,"
      << t.tariff_owed.amount.ToString() << ",,,," << cp << "\n";
    o << "remitted," << s.period << "," << e(t.exporter) << ",,,,,,,"
      << t.remitted.amount.ToString() << ",,,," << cp << "\n";
    o << "balance_due," << s.period << "," << e(t.exporter) << ",,,,,,,"
      << t.balance_due.amount.ToString() << "," << s.to.ToString() << ",,," << cp << "\n";
  }
  return o.str();
}

std::string FormatStatementJson(const Statement& s) {
  Json rows = Json::array();
  for (const auto& r : s.rows) {
    rows.push_back({{"exporter", r.exporter},
                    {"item", r.item},
                    {"destination", r.destination},
                    {"kind", r.kind},
                    {"lines", r.lines},
                    {"quantity", r.quantity},
                    {"base_usd", r.base_usd.amount.ToString()},
                    {"owed_usd", r.owed_usd.amount.ToString()}});
  }
  Json rems = Json::array();
  for (const auto& r : s.remittances) {
    rems.push_back({{"id", r.id},
                    {"exporter", r.exporter},
                    {"kind", r.kind},
                    {"amount_usd", r.amount.amount.ToString()},
                    {"date", r.date.ToString()},
                    {"reference", r.reference}});
  }
  Json totals = Json::array();
  for (const auto& t : s.totals) {
    totals.push_back({{"exporter", t.exporter},
                      {"share_owed_usd", t.share_owed.amount.ToString()},
                      {"tariff_owed_usd", t.tariff_owed.amount.ToString()},
                      {"remitted_usd", t.remitted.amount.ToString()},
                      {"balance_due_usd", t.balance_due.amount.ToString()}});
  }
  Json j{{"period", s.period},
         {"from", s.from.ToString()},
         {"to", s.to.ToString()},
         {"exporter", s.exporter.empty() ? Json(nullptr) : Json(s.exporter)},
         {"rows", rows},
         {"remittances", rems},
         {"totals", totals},
         {"total_owed_usd", s.total_owed.amount.ToString()},
         {"total_remitted_usd", s.total_remitted.amount.ToString()},
         {"total_balance_due_usd", s.total_balance_due.amount.ToString()},
         {"checkpoint", {{"seq", s.checkpoint_seq}, {"hash", s.checkpoint_hash}}},
         {"generated_at", s.generated_at}};
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string EventToJsonLine(const LedgerEvent& e) {
  Json j{{"seq", e.seq},   {"kind", e.kind},      {"time", e.time}, {"prev_hash", e.prev_hash},
         {"hash", e.hash}, {"payload", e.payload}};
  return ledger::Dump(j);
}

namespace {

// Splits text into lines with 1-based numbers; reports an overlong line.
template <typename Fn>
Status ForEachLine(std::string_view text, const std::string& file, const ImportOptions& opt,
                   std::vector<Diagnostic>& bad, Fn&& fn) {
  if (text.size() > opt.max_bytes) {
    return ResourceExhausted(file + ": " + std::to_string(text.size()) +
                             " bytes exceeds the limit of " + std::to_string(opt.max_bytes));
  }
  size_t pos = 0, count = 0;
  int line = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (++count > opt.max_records) {
      return ResourceExhausted(file + ": more than " + std::to_string(opt.max_records) +
                               " records");
    }
    Status s;
    if (l.size() > opt.max_line_bytes) {
      s = ResourceExhausted("line of " + std::to_string(l.size()) + " bytes exceeds the limit of " +
                            std::to_string(opt.max_line_bytes));
    } else {
      s = fn(l, line);
    }
    if (!s.ok()) {
      Diagnostic d;
      d.file = file;
      d.line = line;
      d.message = s.message();
      d.source_line = std::string(l.substr(0, 160));
      bad.push_back(std::move(d));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<LedgerEvent>> ParseEventExport(std::string_view text, const std::string& file,
                                                  const ImportOptions& opt) {
  std::vector<LedgerEvent> out;
  std::vector<Diagnostic> bad;
  TG_RETURN_IF_ERROR(ForEachLine(text, file, opt, bad, [&](std::string_view l, int) -> Status {
    TG_ASSIGN_OR_RETURN(Json j, ledger::ParseJson(l, opt.max_line_bytes));
    if (!j.is_object()) return InvalidArgument("expected a JSON object");
    LedgerEvent e;
    TG_ASSIGN_OR_RETURN(e.seq, ledger::GetInt(j, "seq", ""));
    TG_ASSIGN_OR_RETURN(e.kind, ledger::GetString(j, "kind", ""));
    TG_ASSIGN_OR_RETURN(e.time, ledger::GetString(j, "time", ""));
    TG_ASSIGN_OR_RETURN(e.prev_hash, ledger::GetString(j, "prev_hash", ""));
    TG_ASSIGN_OR_RETURN(e.hash, ledger::GetString(j, "hash", ""));
    TG_ASSIGN_OR_RETURN(e.payload, ledger::GetString(j, "payload", ""));
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  if (!bad.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(bad));
  return out;
}

Result<std::vector<DecidedLine>> ParseDecidedLinesJsonl(std::string_view text,
                                                        const std::string& file,
                                                        const ImportOptions& opt) {
  std::vector<DecidedLine> out;
  std::vector<Diagnostic> bad;
  TG_RETURN_IF_ERROR(ForEachLine(text, file, opt, bad, [&](std::string_view l, int) -> Status {
    TG_ASSIGN_OR_RETURN(Json j, ledger::ParseJson(l, opt.max_line_bytes));
    TG_ASSIGN_OR_RETURN(DecidedLine d, ledger::DecidedLineFromJson(j, ""));
    out.push_back(std::move(d));
    return Status::Ok();
  }));
  if (!bad.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(bad));
  return out;
}

Result<std::vector<Licence>> ParseLicenceCsv(std::string_view text, const std::string& file,
                                             const ImportOptions& opt) {
  if (text.size() > opt.max_bytes) {
    return ResourceExhausted(file + ": " + std::to_string(text.size()) +
                             " bytes exceeds the limit of " + std::to_string(opt.max_bytes));
  }
  csv::Options co;
  co.max_field_bytes = opt.max_line_bytes;
  co.max_fields = 64;
  csv::Reader reader(text, file, co);
  csv::Record rec;
  Diagnostic err;
  std::vector<Diagnostic> bad;
  std::vector<Licence> out;
  csv::Header header;
  bool have_header = false;
  static const char* kCols[] = {"number",     "holder",    "items",     "eccns", "destinations",
                                "consignees", "end_users", "quantity",  "value", "currency",
                                "valid_from", "valid_to",  "conditions"};
  int idx[13];
  size_t count = 0;
  while (true) {
    auto step = reader.Next(&rec, &err);
    if (step == csv::Reader::Step::kEnd) break;
    if (step == csv::Reader::Step::kError) {
      bad.push_back(err);
      continue;
    }
    if (!have_header) {
      header = csv::Header(rec);
      have_header = true;
      for (int i = 0; i < 13; ++i) {
        idx[i] = header.Index(kCols[i]);
        bool optional = i == 3 || i == 5 || i == 6 || i == 12 || i == 2;
        if (idx[i] < 0 && !optional) {
          Diagnostic d = csv::RecordError(file, rec);
          d.message = std::string("missing column '") + kCols[i] + "'";
          d.hint =
              "expected header: number,holder,items,eccns,destinations,consignees,"
              "end_users,quantity,value,currency,valid_from,valid_to,conditions";
          return Status::FromDiagnostic(StatusCode::kParseError, d);
        }
      }
      continue;
    }
    if (++count > opt.max_records) {
      return ResourceExhausted(file + ": more than " + std::to_string(opt.max_records) +
                               " licences");
    }
    static const csv::Field kEmpty;
    auto cell = [&](int i) -> const csv::Field& {
      if (idx[i] < 0 || static_cast<size_t>(idx[i]) >= rec.fields.size()) return kEmpty;
      return rec.fields[idx[i]];
    };
    auto fail = [&](int i, const std::string& msg) {
      const csv::Field& f = cell(i);
      csv::Field at = f;
      if (at.line == 0) {
        at.line = rec.line;
        at.column = 1;
      }
      bad.push_back(csv::FieldError(file, rec, at, kCols[i], msg));
    };
    auto list = [&](int i) {
      std::vector<std::string> v;
      const std::string& s = cell(i).value;
      size_t p = 0;
      while (p <= s.size() && !s.empty()) {
        size_t q = s.find(';', p);
        if (q == std::string::npos) q = s.size();
        std::string item = s.substr(p, q - p);
        size_t a = item.find_first_not_of(' '), b = item.find_last_not_of(' ');
        if (a != std::string::npos) v.push_back(item.substr(a, b - a + 1));
        p = q + 1;
      }
      return v;
    };
    Licence l;
    size_t before = bad.size();
    l.number = cell(0).value;
    if (l.number.empty()) fail(0, "licence number is empty");
    l.holder = cell(1).value;
    if (l.holder.empty()) fail(1, "holder is empty");
    l.items = list(2);
    l.eccns = list(3);
    if (l.items.empty() && l.eccns.empty()) fail(2, "names no items and no ECCNs");
    for (const auto& d : list(4)) {
      auto c = Country::Parse(d);
      if (!c.ok()) {
        fail(4, c.status().message());
      } else {
        l.destinations.push_back(*c);
      }
    }
    if (l.destinations.empty() && bad.size() == before) fail(4, "names no destination");
    l.consignees = list(5);
    l.end_users = list(6);
    {
      const std::string& q = cell(7).value;
      char* end = nullptr;
      long long v = q.empty() ? 0 : std::strtoll(q.c_str(), &end, 10);
      if (q.empty() || *end != '\0' || v <= 0 || v > 1000000000000LL) {
        fail(7, "quantity '" + q + "': expected a whole number of units > 0");
      } else {
        l.quantity = v;
      }
    }
    auto cur = Currency::Parse(cell(9).value);
    if (!cur.ok()) fail(9, cur.status().message());
    auto val = Decimal::Parse(cell(8).value);
    if (!val.ok()) {
      fail(8, val.status().message());
    } else if (cur.ok()) {
      l.value = Money{*val, *cur};
    }
    auto from = Date::Parse(cell(10).value);
    if (!from.ok()) fail(10, from.status().message());
    auto to = Date::Parse(cell(11).value);
    if (!to.ok()) fail(11, to.status().message());
    if (from.ok() && to.ok()) {
      l.valid_from = *from;
      l.valid_to = *to;
      if (*to < *from) fail(11, "valid_to is before valid_from");
    }
    l.conditions = list(12);
    if (bad.size() == before) out.push_back(std::move(l));
  }
  if (!have_header) return ParseError(file + ": empty file (expected a header row)");
  if (!bad.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(bad));
  return out;
}

}  // namespace tollgate
