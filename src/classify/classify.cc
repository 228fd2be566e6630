// TPP, PD and dated classification against the threshold table.
#include "tollgate/classify.h"

#include <cmath>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/parse_util.h"
#include "core/csv.h"
#include "core/io.h"

namespace tollgate {
namespace {

using catalog_internal::Lower;
using catalog_internal::NumberError;
using catalog_internal::ParseNumber;
using catalog_internal::Trim;

const std::set<std::string>& NumericMetrics() {
  static const std::set<std::string> kM = {
      "tpp",       "pd", "io_bandwidth_gbs", "dram_bandwidth_gbs", "memory_bandwidth_density",
      "datacenter"};
  return kM;
}

std::string FormatThreshold(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Tri-state comparison.
std::optional<bool> Compare(std::optional<double> value, const std::string& op, double t) {
  if (!value) return std::nullopt;
  double v = *value;
  if (op == ">=") return v >= t;
  if (op == ">") return v > t;
  if (op == "<=") return v <= t;
  if (op == "<") return v < t;
  if (op == "=") return v == t;
  return std::nullopt;
}

struct Metrics {
  std::optional<double> tpp, pd, io, dram, density, datacenter;
  std::string ic_eccn;
  bool ic_eccn_known = false;

  std::optional<double> Get(const std::string& m) const {
    if (m == "tpp") return tpp;
    if (m == "pd") return pd;
    if (m == "io_bandwidth_gbs") return io;
    if (m == "dram_bandwidth_gbs") return dram;
    if (m == "memory_bandwidth_density") return density;
    if (m == "datacenter") return datacenter;
    return std::nullopt;
  }
};

struct Clause {
  std::string rule, kind, result, applies_to;
  std::vector<const ThresholdRow*> rows;
};

// Groups the rows in force on `d` into clauses (same rule id), in file order.
std::vector<Clause> ActiveClauses(const ThresholdTable& t, Date d) {
  std::vector<Clause> out;
  out.reserve(24);
  for (const auto& r : t.rows()) {
    if (!r.ActiveOn(d)) continue;
    // Rules are few (tens); a linear search beats a map here.
    Clause* c = nullptr;
    for (auto it = out.rbegin(); it != out.rend(); ++it)
      if (it->rule == r.rule) {
        c = &*it;
        break;
      }
    if (!c) {
      out.push_back(Clause{r.rule, r.kind, r.result, r.applies_to, {}});
      c = &out.back();
    }
    c->rows.push_back(&r);
  }
  return out;
}

// Evaluates a clause (a conjunction): false if any condition is false, true if all are true,
// otherwise unknown.
std::optional<bool> Evaluate(const Clause& c, const Metrics& m, std::vector<BasisItem>* basis) {
  bool any_false = false, any_unknown = false;
  for (const ThresholdRow* r : c.rows) {
    BasisItem b;
    b.rule = r->rule;
    b.kind = r->kind;
    b.metric = r->metric;
    b.op = r->op;
    b.threshold = r->value;
    b.citation = r->citation;
    if (r->metric == "ic_eccn") {
      b.value_text = m.ic_eccn_known ? (m.ic_eccn.empty() ? "none" : m.ic_eccn) : "";
      if (m.ic_eccn_known) b.met = (m.ic_eccn == r->value);
    } else {
      b.value = m.Get(r->metric);
      b.met = Compare(b.value, r->op, *r->number);
    }
    if (!b.met)
      any_unknown = true;
    else if (!*b.met)
      any_false = true;
    basis->push_back(std::move(b));
  }
  if (any_false) return false;
  if (any_unknown) return std::nullopt;
  return true;
}

struct EccnOutcome {
  std::string eccn;
  bool determined = true;
  std::string reason;
  std::vector<BasisItem> basis;
};

std::string MissingInputs(const std::vector<BasisItem>& basis) {
  std::set<std::string> missing;
  for (const auto& b : basis)
    if (!b.met) missing.insert(b.metric);
  std::string out;
  for (const auto& m : missing) out += (out.empty() ? "" : ", ") + m;
  return out;
}

// Runs the exclusion and ECCN clauses for `target` ("ic" or "hbm" or "system").
EccnOutcome DecideEccn(const std::vector<Clause>& clauses, const std::string& target,
                       const Metrics& m) {
  EccnOutcome out;
  // Exclusions (Note 2 to 3A090) first.
  std::vector<BasisItem> excl_basis;
  bool excl_unknown = false;
  for (const Clause& c : clauses) {
    if (c.kind != "exclude" || c.applies_to != target) continue;
    std::vector<BasisItem> b;
    auto r = Evaluate(c, m, &b);
    if (r && *r) {
      out.basis = std::move(b);
      return out;  // excluded: not controlled under this ECCN family
    }
    if (!r) excl_unknown = true;
    excl_basis.insert(excl_basis.end(), b.begin(), b.end());
  }
  std::vector<BasisItem> all;
  bool unknown_before = false;
  std::vector<std::string> possible;
  for (const Clause& c : clauses) {
    if (c.kind != "eccn" || c.applies_to != target) continue;
    std::vector<BasisItem> b;
    auto r = Evaluate(c, m, &b);
    if (r && *r) {
      if (unknown_before || excl_unknown) {
        possible.push_back(c.result);
        out.determined = false;
        all.insert(all.end(), b.begin(), b.end());
        all.insert(all.end(), excl_basis.begin(), excl_basis.end());
        out.basis = std::move(all);
        std::string p;
        std::set<std::string> uniq;
        for (const auto& x : possible)
          if (uniq.insert(x).second) p += (p.empty() ? "" : " or ") + x;
        out.reason = "specs do not decide between " + p +
                     " and not controlled; missing: " + MissingInputs(out.basis);
        return out;
      }
      out.eccn = c.result;
      out.basis = std::move(b);
      return out;
    }
    if (!r) {
      unknown_before = true;
      possible.push_back(c.result);
    }
    all.insert(all.end(), b.begin(), b.end());
  }
  all.insert(all.end(), excl_basis.begin(), excl_basis.end());
  out.basis = std::move(all);
  if (unknown_before) {
    out.determined = false;
    std::string p;
    std::set<std::string> uniq;
    for (const auto& x : possible)
      if (uniq.insert(x).second) p += (p.empty() ? "" : " or ") + x;
    out.reason =
        "specs do not decide whether the item is " + p + "; missing: " + MissingInputs(out.basis);
  }
  return out;
}

Status ValidateNumbers(const Chip& chip) {
  auto check = [&](const char* name, const std::optional<double>& v) -> Status {
    if (!v) return Status::Ok();
    if (!std::isfinite(*v))
      return InvalidArgument(chip.id + ": " + name + " is not a finite number");
    if (*v < 0)
      return InvalidArgument(chip.id + ": " + name + " " + FormatThreshold(*v) + " is negative");
    return Status::Ok();
  };
  TG_RETURN_IF_ERROR(check("die_area_mm2", chip.die_area_mm2));
  TG_RETURN_IF_ERROR(check("memory_gb", chip.memory_gb));
  TG_RETURN_IF_ERROR(check("dram_bandwidth_gbs", chip.dram_bandwidth_gbs));
  TG_RETURN_IF_ERROR(check("io_bandwidth_gbs", chip.io_bandwidth_gbs));
  TG_RETURN_IF_ERROR(check("published_tpp", chip.published_tpp));
  TG_RETURN_IF_ERROR(check("memory_bandwidth_density", chip.memory_bandwidth_density));
  TG_RETURN_IF_ERROR(check("hbm_stack_area_mm2", chip.hbm_stack_area_mm2));
  return Status::Ok();
}

Status ValidateThroughput(const Chip& chip) {
  for (const auto& p : AllPrecisions()) {
    const auto& v = chip.Throughput(p.precision);
    if (!v) continue;
    if (!std::isfinite(*v))
      return InvalidArgument(chip.id + ": " + p.name + " throughput is not a finite number");
    if (*v < 0)
      return InvalidArgument(chip.id + ": " + p.name + " throughput " + FormatThreshold(*v) +
                             " is negative");
  }
  return Status::Ok();
}

}  // namespace

Result<double> ComputeTpp(const Chip& chip) {
  TG_RETURN_IF_ERROR(ValidateThroughput(chip));
  std::optional<double> best;
  for (const auto& p : AllPrecisions()) {
    const auto& v = chip.Throughput(p.precision);
    if (!v) continue;
    double t = *v * p.bits;  // Technical Note 1 to 3A090 (88 FR 73458): TOPS x bit length
    if (!best || t > *best) best = t;
  }
  if (!best)
    return InvalidArgument(chip.id + ": no dense throughput figure; TPP cannot be computed");
  return *best;
}

std::optional<double> ComputePd(const Chip& chip) {
  if (!chip.die_area_mm2 || !(*chip.die_area_mm2 > 0) || !std::isfinite(*chip.die_area_mm2))
    return std::nullopt;
  auto tpp = ComputeTpp(chip);
  if (!tpp.ok()) return std::nullopt;
  // Technical Note 4 to 3A090 (88 FR 73458): PD = TPP / applicable die area.
  return *tpp / *chip.die_area_mm2;
}

// ---------------------------------------------------------------------------------------
// ThresholdTable

Result<ThresholdTable> ThresholdTable::Parse(std::string_view data, const std::string& file) {
  static const std::vector<std::string> kCols = {
      "rule",         "kind",   "result", "applies_to", "effective_from",
      "effective_to", "metric", "op",     "value",      "citation"};
  csv::Reader reader(data, file);
  csv::Record rec;
  Diagnostic err;
  csv::Header header;
  bool have_header = false;
  std::vector<int> idx;
  std::vector<Diagnostic> errors;
  ThresholdTable table;
  table.file_ = file;
  std::map<std::string, const ThresholdRow*> first_of_rule;
  while (true) {
    auto step = reader.Next(&rec, &err);
    if (step == csv::Reader::Step::kEnd) break;
    if (step == csv::Reader::Step::kError) {
      errors.push_back(err);
      continue;
    }
    if (!rec.fields.empty() && !rec.fields[0].value.empty() && rec.fields[0].value[0] == '#')
      continue;
    if (!have_header) {
      header = csv::Header(rec);
      have_header = true;
      for (const auto& c : kCols) {
        int i = header.Index(c);
        if (i < 0) {
          Diagnostic d;
          d.file = file;
          d.line = rec.line;
          d.column = 1;
          d.source_line = rec.source_line;
          d.message = "threshold table header lacks column '" + c + "'";
          return Status::FromDiagnostic(StatusCode::kParseError, d);
        }
        idx.push_back(i);
      }
      continue;
    }
    if (rec.fields.size() != header.size()) {
      Diagnostic d;
      d.file = file;
      d.line = rec.line;
      d.column = 1;
      d.source_line = rec.source_line;
      d.message = "row has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                  std::to_string(header.size());
      errors.push_back(d);
      continue;
    }
    size_t before = errors.size();
    auto f = [&](size_t c) -> const csv::Field& { return rec.fields[idx[c]]; };
    auto v = [&](size_t c) { return std::string(Trim(f(c).value)); };
    auto fail = [&](size_t c, std::string msg, std::string hint) {
      errors.push_back(csv::FieldError(file, rec, f(c), kCols[c], std::move(msg), std::move(hint)));
    };
    ThresholdRow r;
    r.line = rec.line;
    r.rule = v(0);
    if (r.rule.empty()) fail(0, "empty rule id", "expected e.g. 3A090.a.1");
    r.kind = Lower(v(1));
    if (r.kind != "eccn" && r.kind != "exclude" && r.kind != "zone" && r.kind != "band")
      fail(1, "unknown kind '" + v(1) + "'", "expected eccn, exclude, zone or band");
    r.result = v(2);
    if ((r.kind == "eccn" || r.kind == "band") && r.result.empty())
      fail(2, "empty result", "eccn rows give the ECCN (3A090.a), band rows the band (1 or 2)");
    r.applies_to = Lower(v(3));
    if (r.applies_to != "ic" && r.applies_to != "system" && r.applies_to != "hbm")
      fail(3, "unknown applies_to '" + v(3) + "'", "expected ic, system or hbm");
    auto from = Date::Parse(v(4));
    if (!from.ok())
      fail(4, "invalid effective_from '" + v(4) + "'", "expected YYYY-MM-DD");
    else
      r.effective_from = *from;
    if (!v(5).empty()) {
      auto to = Date::Parse(v(5));
      if (!to.ok())
        fail(5, "invalid effective_to '" + v(5) + "'", "expected YYYY-MM-DD or empty");
      else if (from.ok() && *to < *from)
        fail(5, "effective_to " + v(5) + " is before effective_from " + v(4),
             "expected an end on or after the start");
      else
        r.effective_to = *to;
    }
    r.metric = v(6);
    bool numeric = NumericMetrics().count(r.metric) > 0;
    if (!numeric && r.metric != "ic_eccn")
      fail(6, "unknown metric '" + r.metric + "'",
           "expected tpp, pd, io_bandwidth_gbs, dram_bandwidth_gbs, memory_bandwidth_density, "
           "datacenter or ic_eccn");
    r.op = v(7);
    if (r.op != ">=" && r.op != ">" && r.op != "<=" && r.op != "<" && r.op != "=")
      fail(7, "unknown operator '" + r.op + "'", "expected >=, >, <=, < or =");
    if (r.metric == "ic_eccn" && r.op != "=") fail(7, "ic_eccn only supports '='", "expected =");
    r.value = v(8);
    if (numeric) {
      double d = 0;
      if (ParseNumber(r.value, &d) != NumberError::kOk)
        fail(8, "threshold '" + r.value + "' is not a non-negative number",
             "expected e.g. 4800 or 5.92");
      else
        r.number = d;
    } else if (r.value.empty()) {
      fail(8, "empty value", "expected an ECCN such as 3A090.a");
    }
    r.citation = v(9);
    if (r.citation.empty())
      fail(9, "threshold has no citation",
           "every threshold cites its FR page, CFR section or "
           "announcement");
    if (errors.size() != before) continue;
    table.rows_.push_back(std::move(r));
  }
  // Rows of one rule must agree on kind, result, applies_to and dates.
  for (const auto& r : table.rows_) {
    auto [it, fresh] = first_of_rule.emplace(r.rule, &r);
    if (fresh) continue;
    const ThresholdRow& a = *it->second;
    if (a.kind != r.kind || a.result != r.result || a.applies_to != r.applies_to ||
        a.effective_from != r.effective_from || a.effective_to != r.effective_to) {
      Diagnostic d;
      d.file = file;
      d.line = r.line;
      d.column = 1;
      d.message = "rule '" + r.rule + "' disagrees with its first row (line " +
                  std::to_string(a.line) + ") on kind, result, applies_to or dates";
      errors.push_back(d);
    }
  }
  if (!errors.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(errors));
  if (table.rows_.empty()) return ParseError(file + ": threshold table has no rows");
  return table;
}

Result<ThresholdTable> ThresholdTable::LoadFile(const std::string& path) {
  TG_ASSIGN_OR_RETURN(std::string data, ReadFileToString(path, size_t{4} << 20));
  return Parse(data, path);
}

Result<ThresholdTable> ThresholdTable::LoadBundled() {
  return LoadFile(BundledDataRoot() + "/data/classification/thresholds.csv");
}

// ---------------------------------------------------------------------------------------
// Classify

Result<Classification> Classify(const Chip& chip, Date as_of, const ThresholdTable& table) {
  TG_RETURN_IF_ERROR(ValidateNumbers(chip));
  TG_RETURN_IF_ERROR(ValidateThroughput(chip));
  Classification c;
  c.item = chip.id;
  c.name = chip.DisplayName();
  c.as_of = as_of;
  c.kind = chip.kind;
  c.datacenter = chip.datacenter;
  c.published_tpp = chip.published_tpp;
  c.sources = chip.sources;
  c.ic_count = chip.ic_count;

  Metrics m;
  if (chip.HasAnyThroughput()) {
    auto tpp = ComputeTpp(chip);
    if (!tpp.ok()) return tpp.status();
    c.tpp = *tpp;
    c.pd = ComputePd(chip);
  } else if (chip.kind != ChipKind::kHbm) {
    c.tpp_error = "no dense throughput figure in the specs";
  }
  if (chip.kind == ChipKind::kHbm) c.hbm_density = chip.HbmBandwidthDensity();
  if (c.tpp && c.published_tpp && *c.published_tpp > 0)
    c.tpp_mismatch = std::fabs(*c.tpp - *c.published_tpp) > 0.01 * *c.published_tpp;
  if (c.tpp && c.ic_count) c.system_tpp = *c.tpp * *c.ic_count;

  m.tpp = c.tpp;
  m.pd = c.pd;
  m.io = chip.io_bandwidth_gbs;
  m.dram = chip.dram_bandwidth_gbs;
  m.density = c.hbm_density;
  if (chip.datacenter) m.datacenter = *chip.datacenter ? 1.0 : 0.0;

  std::vector<Clause> clauses = ActiveClauses(table, as_of);
  if (chip.kind == ChipKind::kHbm) {
    EccnOutcome o = DecideEccn(clauses, "hbm", m);
    c.eccn = o.eccn;
    c.eccn_determined = o.determined;
    c.undetermined_reason = o.reason;
    c.basis = std::move(o.basis);
  } else {
    EccnOutcome ic = DecideEccn(clauses, "ic", m);
    if (chip.kind == ChipKind::kSystem) {
      if (!ic.determined) {
        c.eccn_determined = false;
        c.undetermined_reason = "contained IC: " + ic.reason;
        c.basis = std::move(ic.basis);
      } else {
        m.ic_eccn = ic.eccn;
        m.ic_eccn_known = true;
        EccnOutcome sys = DecideEccn(clauses, "system", m);
        c.eccn = sys.eccn;
        c.basis = std::move(ic.basis);
        if (!sys.eccn.empty()) {
          // The system's own condition (contains a 3A090 IC) plus the IC's basis.
          for (auto& b : sys.basis) c.basis.push_back(std::move(b));
        }
      }
    } else {
      c.eccn = ic.eccn;
      c.eccn_determined = ic.determined;
      c.undetermined_reason = ic.reason;
      c.basis = std::move(ic.basis);
    }
    // Jan 15, 2026 review zone and Section 232 bands: per-IC metrics (a system is an
    // "article containing" the IC).
    bool zone_rules = false, any_zone_unknown = false;
    for (const Clause& cl : clauses) {
      if (cl.kind != "zone" || cl.applies_to != "ic") continue;
      zone_rules = true;
      auto r = Evaluate(cl, m, &c.zone_basis);
      if (r && *r) c.case_by_case_zone = true;
      if (!r) any_zone_unknown = true;
    }
    if (!c.case_by_case_zone) {
      if (!zone_rules)
        c.case_by_case_zone = false;
      else if (!any_zone_unknown)
        c.case_by_case_zone = false;
    }
    bool any_band_unknown = false;
    for (const Clause& cl : clauses) {
      if (cl.kind != "band" || cl.applies_to != "ic") continue;
      std::vector<BasisItem> b;
      auto r = Evaluate(cl, m, &b);
      if (r && *r && !c.sec232_band) {
        c.sec232_band = std::atoi(cl.result.c_str());
        c.band_basis = b;  // the band that matched
      }
      if (!r) any_band_unknown = true;
      if (!(r && *r) && (!c.sec232_band))
        c.band_basis.insert(c.band_basis.end(), b.begin(), b.end());
    }
    if (!c.sec232_band && !any_band_unknown) c.sec232_band = 0;
  }
  if (chip.kind == ChipKind::kHbm) {
    c.case_by_case_zone = false;
    c.sec232_band = 0;
  }
  return c;
}

Result<Classification> Classify(const Chip& chip, Date as_of) {
  static const Result<ThresholdTable>* bundled =
      new Result<ThresholdTable>(ThresholdTable::LoadBundled());
  if (!bundled->ok()) return bundled->status();
  return Classify(chip, as_of, bundled->value());
}

Date TodayUtc() {
  std::time_t now = std::time(nullptr);
  return Date::FromDays(static_cast<int64_t>(now) / 86400);
}

// ---------------------------------------------------------------------------------------
// JSON

namespace {

nlohmann::json Num(std::optional<double> v) {
  if (!v) return nullptr;
  double r = std::round(*v * 1e6) / 1e6;  // 6 decimals: no binary noise, exact for integers
  if (std::fabs(r) < 9e15 && r == std::floor(r)) return static_cast<int64_t>(r);
  return r;
}

nlohmann::ordered_json BasisJson(const std::vector<BasisItem>& items) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& b : items) {
    nlohmann::ordered_json j;
    j["rule"] = b.rule;
    j["metric"] = b.metric;
    j["op"] = b.op;
    double t = 0;
    if (ParseNumber(b.threshold, &t) == NumberError::kOk)
      j["threshold"] = Num(t);
    else
      j["threshold"] = b.threshold;
    if (b.metric == "ic_eccn")
      j["value"] = b.value_text.empty() ? nlohmann::ordered_json(nullptr)
                                        : nlohmann::ordered_json(b.value_text);
    else
      j["value"] = Num(b.value);
    j["met"] = b.met ? nlohmann::ordered_json(*b.met) : nlohmann::ordered_json(nullptr);
    j["citation"] = b.citation;
    a.push_back(std::move(j));
  }
  return a;
}

}  // namespace

std::string ClassificationToJson(const Classification& c, int indent) {
  nlohmann::ordered_json j;
  j["item"] = c.item;
  j["name"] = c.name;
  j["kind"] = std::string(ChipKindName(c.kind));
  j["as_of"] = c.as_of.ToString();
  j["tpp"] = Num(c.tpp);
  if (!c.tpp_error.empty()) j["tpp_error"] = c.tpp_error;
  j["pd"] = Num(c.pd);
  if (c.kind == ChipKind::kHbm) j["memory_bandwidth_density"] = Num(c.hbm_density);
  j["eccn"] = c.eccn.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.eccn);
  j["eccn_determined"] = c.eccn_determined;
  if (!c.undetermined_reason.empty()) j["undetermined_reason"] = c.undetermined_reason;
  j["datacenter"] = c.datacenter ? nlohmann::json(*c.datacenter) : nlohmann::json(nullptr);
  j["basis"] = BasisJson(c.basis);
  j["case_by_case_zone"] =
      c.case_by_case_zone ? nlohmann::json(*c.case_by_case_zone) : nlohmann::json(nullptr);
  j["zone_basis"] = BasisJson(c.zone_basis);
  j["sec232_band"] = (c.sec232_band && *c.sec232_band > 0) ? nlohmann::json(*c.sec232_band)
                                                           : nlohmann::json(nullptr);
  j["sec232_determined"] = c.sec232_band.has_value();
  j["band_basis"] = BasisJson(c.band_basis);
  j["published_tpp"] = Num(c.published_tpp);
  j["tpp_mismatch"] = c.tpp_mismatch;
  if (c.ic_count) {
    j["ic_count"] = *c.ic_count;
    j["system_tpp"] = Num(c.system_tpp);
  }
  j["sources"] = c.sources;
  // Wrap to plain json for dump with error handler.
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace tollgate
