// `tollgate catalog`, `tollgate classify` and `tollgate compare`: thin front ends over the
// catalog and classify libraries (include/tollgate/catalog.h, classify.h).
#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "tollgate/catalog.h"
#include "tollgate/classify.h"

namespace tollgate::cli {
namespace {

// "15,832" / "19.45": thousands separators, fixed decimals, trailing zeros kept.
std::string Grouped(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  std::string sign;
  if (!s.empty() && s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  size_t dot = s.find('.');
  std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot);
  std::string out;
  for (size_t i = 0; i < ip.size(); ++i) {
    if (i && (ip.size() - i) % 3 == 0) out += ',';
    out += ip[i];
  }
  return sign + out + fp;
}

// Shortest decimal text: "989.4", "15832".
std::string Plain(double v) {
  double r = std::round(v * 1e6) / 1e6;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", r);
  return buf;
}

std::string OptGrouped(const std::optional<double>& v, int decimals, const char* none = "-") {
  return v ? Grouped(*v, decimals) : none;
}

// Fewest decimals (up to 2) that show the value without loss: 15,832 / 4,988.8 / 20,919.2.
std::string TppText(double v) {
  double r = std::round(v * 100) / 100;
  if (r == std::floor(r)) return Grouped(r, 0);
  if (std::round(v * 10) / 10 == r) return Grouped(r, 1);
  return Grouped(r, 2);
}

Result<Catalog> LoadCatalog(const Flags& f) {
  if (auto path = f.Get("catalog")) return Catalog::LoadFile(*path);
  return Catalog::LoadBundled();
}

Result<ThresholdTable> LoadTable(const Flags& f) {
  if (auto path = f.Get("thresholds")) return ThresholdTable::LoadFile(*path);
  return ThresholdTable::LoadBundled();
}

Result<Date> AsOf(const Flags& f) {
  if (auto d = f.Get("as-of")) {
    auto r = Date::Parse(*d);
    if (!r.ok()) return InvalidArgument("--as-of: " + r.status().message());
    return *r;
  }
  return TodayUtc();
}

Status CheckFormat(const std::string& fmt, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (fmt == a) return Status::Ok();
    list += std::string(list.empty() ? "" : ", ") + a;
  }
  return InvalidArgument("--format: unknown format '" + fmt + "' (expected " + list + ")");
}

// A plain text table with left-aligned columns.
std::string Table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& right_align = {}) {
  std::vector<size_t> w(head.size());
  auto width = [](const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // UTF-8 code points
    return n;
  };
  for (size_t i = 0; i < head.size(); ++i) w[i] = width(head[i]);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  auto line = [&](const std::vector<std::string>& r) {
    std::string out;
    for (size_t i = 0; i < r.size(); ++i) {
      size_t pad = w[i] - width(r[i]);
      bool right = i < right_align.size() && right_align[i];
      if (right)
        out += std::string(pad, ' ') + r[i];
      else
        out += r[i] + (i + 1 < r.size() ? std::string(pad, ' ') : "");
      if (i + 1 < r.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(head);
  std::vector<std::string> dashes;
  for (size_t x : w) dashes.push_back(std::string(x, '-'));
  out += line(dashes);
  for (const auto& r : rows) out += line(r);
  return out;
}

nlohmann::ordered_json NumJ(const std::optional<double>& v) {
  if (!v) return nullptr;
  double r = std::round(*v * 1e6) / 1e6;
  if (std::fabs(r) < 9e15 && r == std::floor(r)) return static_cast<int64_t>(r);
  return r;
}

nlohmann::ordered_json ChipJson(const Chip& c) {
  nlohmann::ordered_json j;
  j["id"] = c.id;
  j["vendor"] = c.vendor;
  j["model"] = c.model;
  j["aliases"] = c.aliases;
  j["family"] = c.family;
  j["kind"] = std::string(ChipKindName(c.kind));
  j["release_date"] = c.release_date ? nlohmann::ordered_json(c.release_date->ToString())
                                     : nlohmann::ordered_json(nullptr);
  j["datacenter"] =
      c.datacenter ? nlohmann::ordered_json(*c.datacenter) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json t;
  for (const auto& p : AllPrecisions()) t[p.name] = NumJ(c.Throughput(p.precision));
  j["dense_tops"] = t;
  j["die_area_mm2"] = NumJ(c.die_area_mm2);
  j["memory_gb"] = NumJ(c.memory_gb);
  j["dram_bandwidth_gbs"] = NumJ(c.dram_bandwidth_gbs);
  j["io_bandwidth_gbs"] = NumJ(c.io_bandwidth_gbs);
  j["published_tpp"] = NumJ(c.published_tpp);
  if (c.kind == ChipKind::kHbm) {
    j["memory_bandwidth_density"] = NumJ(c.memory_bandwidth_density);
    j["hbm_stack_area_mm2"] = NumJ(c.hbm_stack_area_mm2);
  }
  if (c.kind == ChipKind::kSystem) {
    j["ic_id"] = c.ic_id;
    j["ic_count"] = c.ic_count ? nlohmann::ordered_json(*c.ic_count) : nullptr;
  }
  j["sources"] = c.sources;
  j["notes"] = c.notes;
  return j;
}

std::string YesNo(const std::optional<bool>& b) { return b ? (*b ? "yes" : "no") : "?"; }

std::string EccnCell(const Classification& c) {
  if (!c.eccn_determined) return "undetermined";
  return c.eccn.empty() ? "-" : c.eccn;
}

std::string ZoneCell(const Classification& c) {
  if (c.kind == ChipKind::kHbm) return "n/a";
  if (c.zone_basis.empty()) return "n/a";  // no zone rule in force on the date
  return YesNo(c.case_by_case_zone);
}

std::string BandCell(const Classification& c) {
  if (c.kind == ChipKind::kHbm) return "n/a";
  if (!c.sec232_band) return "?";
  if (c.band_basis.empty()) return "n/a";  // no band rule in force on the date
  return *c.sec232_band == 0 ? "-" : std::to_string(*c.sec232_band);
}

std::string BasisLine(const BasisItem& b) {
  std::string v = b.metric == "ic_eccn" ? (b.value_text.empty() ? "unknown" : b.value_text)
                                        : (b.value ? Plain(*b.value) : "unknown");
  std::string met = b.met ? (*b.met ? "yes" : "no") : "unknown";
  return b.rule + ": " + b.metric + " " + v + " " + b.op + " " + b.threshold + " -> " + met +
         "  [" + b.citation + "]";
}

void PrintClassificationTable(const Classification& c, std::ostream& out) {
  auto row = [&](const std::string& k, const std::string& v) {
    out << std::left << std::setw(16) << k << v << "\n";
  };
  row("item", c.item + " (" + c.name + ")");
  row("as of", c.as_of.ToString());
  std::string tpp = c.tpp                      ? TppText(*c.tpp)
                    : c.kind == ChipKind::kHbm ? std::string("n/a (HBM stack)")
                                               : "unknown (" + c.tpp_error + ")";
  if (c.published_tpp)
    tpp += "  (published " + TppText(*c.published_tpp) +
           (c.tpp_mismatch ? "; DIFFERS by more than 1%)" : ")");
  row("TPP", tpp);
  if (c.ic_count && c.system_tpp)
    row("system", std::to_string(*c.ic_count) + " ICs, " + TppText(*c.system_tpp) +
                      " TPP in total (information only; 3A090 applies per IC)");
  if (c.kind == ChipKind::kHbm)
    row("HBM density", c.hbm_density ? Plain(*c.hbm_density) + " GB/s/mm2" : "unknown");
  else
    row("PD", c.pd    ? Grouped(*c.pd, 2)
              : c.tpp ? "unknown (no applicable die area)"
                      : "unknown (TPP unknown)");
  std::string eccn = EccnCell(c);
  if (!c.eccn_determined) eccn += " (" + c.undetermined_reason + ")";
  if (c.eccn_determined && c.eccn.empty()) eccn = "none (not 3A090/4A090)";
  row("ECCN", eccn);
  row("datacenter", c.kind == ChipKind::kHbm ? "n/a" : YesNo(c.datacenter));
  for (const auto& b : c.basis) row("  basis", BasisLine(b));
  row("2026 zone", ZoneCell(c));
  for (const auto& b : c.zone_basis) row("  basis", BasisLine(b));
  row("Sec. 232 band", BandCell(c));
  for (const auto& b : c.band_basis) row("  basis", BasisLine(b));
  for (const auto& s : c.sources) row("source", s);
}

std::vector<std::string> ClassRow(const Classification& c, const Chip& chip) {
  return {c.item,
          chip.vendor,
          c.tpp ? TppText(*c.tpp) + (c.tpp_mismatch ? "*" : "") : "?",
          c.pd ? Grouped(*c.pd, 2) : "-",
          EccnCell(c),
          c.kind == ChipKind::kHbm ? "n/a" : YesNo(c.datacenter),
          ZoneCell(c),
          BandCell(c)};
}

// ---------------------------------------------------------------------------------------

const std::vector<FlagSpec>& CatalogFlags() {
  static const std::vector<FlagSpec> k = {
      {"format", true, "table|csv|json (list), table|json (show), epoch (import)", "FMT"},
      {"catalog", true, "catalog CSV to use instead of the bundled data/catalog.csv", "FILE"},
      {"strict", false, "import: load nothing if any row is bad", ""},
      {"out", true, "import: write the imported chips as a catalog CSV to FILE", "FILE"},
  };
  return k;
}

int CatalogList(const Flags& f, std::ostream& out, std::ostream& err) {
  std::string fmt = f.GetOr("format", "table");
  if (auto s = CheckFormat(fmt, {"table", "csv", "json"}); !s.ok()) return Fail(s, err);
  auto cat = LoadCatalog(f);
  if (!cat.ok()) return Fail(cat.status(), err);
  if (fmt == "csv") {
    out << WriteCatalogCsv(cat->chips());
    return kExitOk;
  }
  if (fmt == "json") {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& c : cat->chips()) a.push_back(ChipJson(c));
    out << a.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : cat->chips()) {
    auto fp16 = c.fp16 ? c.fp16 : c.bf16;
    rows.push_back({c.id, c.vendor, c.model, c.family, std::string(ChipKindName(c.kind)),
                    YesNo(c.datacenter), OptGrouped(fp16, 1), OptGrouped(c.fp8, 1),
                    OptGrouped(c.int8, 1), OptGrouped(c.memory_gb, 0),
                    OptGrouped(c.dram_bandwidth_gbs, 0)});
  }
  out << Table({"ID", "VENDOR", "MODEL", "FAMILY", "KIND", "DC", "FP16", "FP8", "INT8", "MEM GB",
                "DRAM GB/s"},
               rows, {false, false, false, false, false, false, true, true, true, true, true});
  out << cat->chips().size() << " items; throughput in dense TOPS/TFLOPS; '-' = unknown\n";
  return kExitOk;
}

int CatalogShow(const Flags& f, std::ostream& out, std::ostream& err) {
  std::string fmt = f.GetOr("format", "table");
  if (auto s = CheckFormat(fmt, {"table", "json"}); !s.ok()) return Fail(s, err);
  if (f.positional().size() != 2)
    return Fail(InvalidArgument("usage: tollgate catalog show ITEM [--format table|json]"), err);
  auto cat = LoadCatalog(f);
  if (!cat.ok()) return Fail(cat.status(), err);
  auto chip = cat->Find(f.positional()[1]);
  if (!chip.ok()) return Fail(chip.status(), err);
  const Chip& c = **chip;
  if (fmt == "json") {
    out << ChipJson(c).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << "\n";
    return kExitOk;
  }
  auto row = [&](const std::string& k, const std::string& v) {
    out << std::left << std::setw(20) << k << v << "\n";
  };
  row("id", c.id);
  row("vendor", c.vendor);
  row("model", c.model);
  std::string al;
  for (const auto& a : c.aliases) al += (al.empty() ? "" : ", ") + a;
  row("aliases", al.empty() ? "-" : al);
  row("family", c.family.empty() ? "-" : c.family);
  row("kind", std::string(ChipKindName(c.kind)));
  row("release date", c.release_date ? c.release_date->ToString() : "-");
  row("datacenter", YesNo(c.datacenter));
  for (const auto& p : AllPrecisions())
    if (c.Throughput(p.precision))
      row(std::string(p.name) + " (dense)", Plain(*c.Throughput(p.precision)) + " TOPS");
  auto opt = [&](const char* k, const std::optional<double>& v, const char* unit) {
    row(k, v ? Plain(*v) + unit : "-");
  };
  opt("die area", c.die_area_mm2, " mm2");
  opt("memory", c.memory_gb, " GB");
  opt("DRAM bandwidth", c.dram_bandwidth_gbs, " GB/s");
  opt("I/O bandwidth", c.io_bandwidth_gbs, " GB/s (bidirectional)");
  opt("published TPP", c.published_tpp, "");
  if (c.kind == ChipKind::kHbm) {
    opt("bandwidth density", c.memory_bandwidth_density, " GB/s/mm2");
    opt("stack area", c.hbm_stack_area_mm2, " mm2");
  }
  if (c.kind == ChipKind::kSystem)
    row("contains", (c.ic_count ? std::to_string(*c.ic_count) + " x " : "") + c.ic_id);
  for (const auto& s : c.sources) row("source", s);
  row("notes", c.notes.empty() ? "-" : c.notes);
  return kExitOk;
}

int CatalogImport(const Flags& f, std::ostream& out, std::ostream& err) {
  std::string fmt = f.GetOr("format", "");
  if (fmt != "epoch")
    return Fail(InvalidArgument("catalog import: --format epoch is required (the only importer)"),
                err);
  if (f.positional().size() != 2)
    return Fail(InvalidArgument(
                    "usage: tollgate catalog import --format epoch FILE [--strict] [--out FILE]"),
                err);
  EpochImportOptions opts;
  opts.strict = f.Has("strict");
  auto r = ImportEpochFile(f.positional()[1], opts);
  if (!r.ok()) return Fail(r.status(), err);
  size_t errors = 0;
  for (const auto& d : r->diagnostics) {
    err << d.ToString() << "\n";
    if (d.severity == Diagnostic::Severity::kError) ++errors;
  }
  if (auto path = f.Get("out")) {
    std::ofstream o(*path, std::ios::binary);
    o << WriteCatalogCsv(r->chips);
    o.close();
    if (!o) return Fail(IoError("cannot write '" + *path + "'"), err);
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : r->chips) {
      auto tpp = ComputeTpp(c);
      rows.push_back({c.id, c.vendor, tpp.ok() ? TppText(*tpp) : "?",
                      c.published_tpp ? TppText(*c.published_tpp) : "-",
                      OptGrouped(c.dram_bandwidth_gbs, 0)});
    }
    out << Table({"ID", "VENDOR", "TPP", "EPOCH TPP", "DRAM GB/s"}, rows,
                 {false, false, true, true, true});
  }
  out << "imported " << r->chips.size() << " chips from " << f.positional()[1] << " ("
      << r->rows_read << " rows, " << r->rows_skipped << " skipped)\n";
  return errors > 0 ? kExitFindings : kExitOk;
}

}  // namespace

int RunCatalog(const Args& args, std::ostream& out, std::ostream& err) {
  auto flags = Flags::Parse(args, CatalogFlags());
  if (!flags.ok()) return Fail(flags.status(), err);
  const std::string usage =
      "tollgate catalog list [--format table|csv|json]\n"
      "       tollgate catalog show ITEM [--format table|json]\n"
      "       tollgate catalog import --format epoch FILE [--strict] [--out FILE]";
  if (flags->help() || flags->positional().empty()) {
    (flags->help() ? out : err) << HelpText(
        usage,
        "List or show the chips of the bundled catalog (data/catalog.csv), or import Epoch "
        "AI's\n\"Data on Machine Learning Hardware\" CSV as published. A bad import row is "
        "reported as\nfile:line:col and skipped (exit 1); with --strict nothing loads (exit 2).",
        CatalogFlags());
    return flags->help() ? kExitOk : kExitUsage;
  }
  const std::string& sub = flags->positional()[0];
  if (sub == "list") {
    if (flags->positional().size() != 1)
      return Fail(InvalidArgument("catalog list takes no arguments"), err);
    return CatalogList(*flags, out, err);
  }
  if (sub == "show") return CatalogShow(*flags, out, err);
  if (sub == "import") return CatalogImport(*flags, out, err);
  return Fail(
      InvalidArgument("unknown catalog subcommand '" + sub + "' (expected list, show or import)"),
      err);
}

int RunClassify(const Args& args, std::ostream& out, std::ostream& err) {
  static const std::vector<FlagSpec> kFlags = {
      {"as-of", true, "classify under the rules in force on DATE (default: today, UTC)", "DATE"},
      {"format", true, "table|json, or table|csv|json with --all", "FMT"},
      {"all", false, "classify every item of the catalog", ""},
      {"specs", true, "a chip not in the catalog, e.g. fp16=989.4,die_area_mm2=814,datacenter=yes",
       "K=V,..."},
      {"catalog", true, "catalog CSV instead of the bundled one", "FILE"},
      {"thresholds", true, "threshold table instead of data/classification/thresholds.csv", "FILE"},
  };
  auto flags = Flags::Parse(args, kFlags);
  if (!flags.ok()) return Fail(flags.status(), err);
  if (flags->help()) {
    out << HelpText("tollgate classify ITEM|--all|--specs K=V,... [--as-of DATE] [--format FMT]",
                    "Compute TPP, performance density and the ECCN (3A090/4A090) of a chip as of "
                    "a date,\nwith the 2026 case-by-case zone (91 FR 1684) and the Section 232 "
                    "band, and the\nthresholds that decided (data/classification/thresholds.csv).",
                    kFlags);
    return kExitOk;
  }
  bool all = flags->Has("all");
  bool specs = flags->Has("specs");
  size_t modes = (all ? 1 : 0) + (specs ? 1 : 0) + (flags->positional().empty() ? 0 : 1);
  if (modes != 1 || flags->positional().size() > 1)
    return Fail(InvalidArgument("give exactly one of ITEM, --all or --specs (see --help)"), err);
  std::string fmt = flags->GetOr("format", "table");
  if (auto s =
          all ? CheckFormat(fmt, {"table", "csv", "json"}) : CheckFormat(fmt, {"table", "json"});
      !s.ok())
    return Fail(s, err);
  auto as_of = AsOf(*flags);
  if (!as_of.ok()) return Fail(as_of.status(), err);
  auto table = LoadTable(*flags);
  if (!table.ok()) return Fail(table.status(), err);

  if (!all) {
    Chip from_specs;
    const Chip* chip = nullptr;
    Result<Catalog> cat = Catalog();
    if (specs) {
      auto c = ChipFromSpecs(*flags->Get("specs"));
      if (!c.ok()) return Fail(c.status(), err);
      from_specs = std::move(*c);
      chip = &from_specs;
    } else {
      cat = LoadCatalog(*flags);
      if (!cat.ok()) return Fail(cat.status(), err);
      auto found = cat->Find(flags->positional()[0]);
      if (!found.ok()) return Fail(found.status(), err);
      chip = *found;
    }
    auto c = Classify(*chip, *as_of, *table);
    if (!c.ok()) return Fail(c.status(), err);
    if (fmt == "json")
      out << ClassificationToJson(*c) << "\n";
    else
      PrintClassificationTable(*c, out);
    return kExitOk;
  }

  auto cat = LoadCatalog(*flags);
  if (!cat.ok()) return Fail(cat.status(), err);
  std::vector<Classification> results;
  for (const auto& chip : cat->chips()) {
    auto c = Classify(chip, *as_of, *table);
    if (!c.ok()) return Fail(c.status(), err);
    results.push_back(std::move(*c));
  }
  if (fmt == "json") {
    out << "[\n";
    for (size_t i = 0; i < results.size(); ++i) {
      std::string j = ClassificationToJson(results[i], 2);
      // Indent the object by two spaces inside the array.
      std::string ind = "  ";
      for (char ch : j) {
        ind += ch;
        if (ch == '\n') ind += "  ";
      }
      out << ind << (i + 1 < results.size() ? ",\n" : "\n");
    }
    out << "]\n";
    return kExitOk;
  }
  if (fmt == "csv") {
    out << "item,vendor,tpp,pd,eccn,eccn_determined,datacenter,case_by_case_zone,sec232_band,"
           "published_tpp,tpp_mismatch\n";
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& c = results[i];
      const auto& chip = cat->chips()[i];
      auto opt = [](const std::optional<double>& v) { return v ? Plain(*v) : std::string(); };
      auto ob = [](const std::optional<bool>& v) {
        return v ? std::string(*v ? "true" : "false") : std::string();
      };
      out << c.item << "," << chip.vendor << "," << opt(c.tpp) << "," << opt(c.pd) << "," << c.eccn
          << "," << (c.eccn_determined ? "true" : "false") << "," << ob(c.datacenter) << ","
          << ob(c.case_by_case_zone) << ","
          << (c.sec232_band ? (*c.sec232_band ? std::to_string(*c.sec232_band) : "") : "?") << ","
          << opt(c.published_tpp) << "," << (c.tpp_mismatch ? "true" : "false") << "\n";
    }
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < results.size(); ++i) rows.push_back(ClassRow(results[i], cat->chips()[i]));
  out << "Classification as of " << as_of->ToString() << " (" << results.size() << " items"
      << (flags->Has("thresholds") ? "; thresholds: " + table->file() : std::string()) << ")\n";
  out << Table({"ITEM", "VENDOR", "TPP", "PD", "ECCN", "DC", "2026 ZONE", "232 BAND"}, rows,
               {false, false, true, true, false, false, false, false});
  out << "TPP = max dense TOPS x bit length; PD = TPP / applicable die area ('-' = die area "
         "unknown);\nDC = designed or marketed for datacenters; 2026 ZONE = TPP < 21,000 and "
         "DRAM < 6,500 GB/s\n(91 FR 1684); 232 BAND = Section 232 tariff band; '?' = specs "
         "missing; n/a = not in force\non this date; * = differs by more than 1% from a "
         "published TPP (see 'tollgate classify ITEM').\n";
  return kExitOk;
}

int RunCompare(const Args& args, std::ostream& out, std::ostream& err) {
  static const std::vector<FlagSpec> kFlags = {
      {"format", true, "table|json", "FMT"},
      {"catalog", true, "catalog CSV instead of the bundled one", "FILE"},
  };
  auto flags = Flags::Parse(args, kFlags);
  if (!flags.ok()) return Fail(flags.status(), err);
  if (flags->help()) {
    out << HelpText("tollgate compare A B [--format table|json]",
                    "Ratios analysts quote between two chips: TPP, dense FP16/BF16, FP8, INT8, "
                    "memory\ncapacity and DRAM bandwidth (A / B: how many B one A is worth).",
                    kFlags);
    return kExitOk;
  }
  if (flags->positional().size() != 2)
    return Fail(InvalidArgument("usage: tollgate compare A B"), err);
  std::string fmt = flags->GetOr("format", "table");
  if (auto s = CheckFormat(fmt, {"table", "json"}); !s.ok()) return Fail(s, err);
  auto cat = LoadCatalog(*flags);
  if (!cat.ok()) return Fail(cat.status(), err);
  auto a = cat->Find(flags->positional()[0]);
  if (!a.ok()) return Fail(a.status(), err);
  auto b = cat->Find(flags->positional()[1]);
  if (!b.ok()) return Fail(b.status(), err);
  const Chip& A = **a;
  const Chip& B = **b;
  auto tpp = [](const Chip& c) -> std::optional<double> {
    auto t = ComputeTpp(c);
    return t.ok() ? std::optional<double>(*t) : std::nullopt;
  };
  auto f16 = [](const Chip& c) -> std::optional<double> {
    if (c.fp16 && c.bf16) return std::max(*c.fp16, *c.bf16);
    return c.fp16 ? c.fp16 : c.bf16;
  };
  struct Metric {
    const char* name;
    std::optional<double> a, b;
    int decimals;
  };
  std::vector<Metric> ms = {
      {"TPP", tpp(A), tpp(B), 0},
      {"FP16/BF16 dense TFLOPS", f16(A), f16(B), 1},
      {"FP8 dense TFLOPS", A.fp8, B.fp8, 1},
      {"INT8 dense TOPS", A.int8, B.int8, 1},
      {"memory GB", A.memory_gb, B.memory_gb, 0},
      {"DRAM bandwidth GB/s", A.dram_bandwidth_gbs, B.dram_bandwidth_gbs, 0},
  };
  auto ratio = [](const Metric& m) -> std::optional<double> {
    if (!m.a || !m.b || *m.b == 0) return std::nullopt;
    return *m.a / *m.b;
  };
  if (fmt == "json") {
    nlohmann::ordered_json j;
    j["a"] = A.id;
    j["b"] = B.id;
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& m : ms) {
      nlohmann::ordered_json x;
      x["metric"] = m.name;
      x["a"] = NumJ(m.a);
      x["b"] = NumJ(m.b);
      auto r = ratio(m);
      x["ratio"] = r ? nlohmann::ordered_json(std::round(*r * 10000) / 10000) : nullptr;
      arr.push_back(x);
    }
    j["ratios"] = arr;
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : ms) {
    auto r = ratio(m);
    rows.push_back({m.name, OptGrouped(m.a, m.decimals), OptGrouped(m.b, m.decimals),
                    r ? Grouped(*r, 2) + "x" : "-"});
  }
  out << "A = " << A.id << " (" << A.DisplayName() << ")\nB = " << B.id << " (" << B.DisplayName()
      << ")\n";
  out << Table({"METRIC", "A", "B", "A/B"}, rows, {false, true, true, true});
  return kExitOk;
}

}  // namespace tollgate::cli
