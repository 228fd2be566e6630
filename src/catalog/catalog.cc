// The chip catalog: precisions, the catalog CSV format, --specs parsing and name lookup.
#include "tollgate/catalog.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "catalog/parse_util.h"
#include "core/csv.h"
#include "core/io.h"

namespace tollgate {

const std::array<PrecisionInfo, 10>& AllPrecisions() {
  // Bit lengths: Technical Note 1 to 3A090 (88 FR 73458) multiplies by the "bit length of the
  // operation". TF32 operates on 19-bit values (1 sign, 8 exponent, 10 mantissa bits); see
  // docs/classification.md for why 19 and not 32.
  static const std::array<PrecisionInfo, 10> kAll = {{
      {Precision::kFp64, "fp64", 64},
      {Precision::kFp32, "fp32", 32},
      {Precision::kTf32, "tf32", 19},
      {Precision::kFp16, "fp16", 16},
      {Precision::kBf16, "bf16", 16},
      {Precision::kInt16, "int16", 16},
      {Precision::kFp8, "fp8", 8},
      {Precision::kInt8, "int8", 8},
      {Precision::kFp4, "fp4", 4},
      {Precision::kInt4, "int4", 4},
  }};
  return kAll;
}

std::optional<Precision> PrecisionFromName(std::string_view name) {
  std::string lower = catalog_internal::Lower(catalog_internal::Trim(name));
  for (const auto& p : AllPrecisions())
    if (lower == p.name) return p.precision;
  return std::nullopt;
}

const PrecisionInfo& InfoFor(Precision p) {
  for (const auto& i : AllPrecisions())
    if (i.precision == p) return i;
  return AllPrecisions()[0];  // unreachable: every enumerator is in the table
}

std::string_view ChipKindName(ChipKind k) {
  switch (k) {
    case ChipKind::kIc:
      return "ic";
    case ChipKind::kSystem:
      return "system";
    case ChipKind::kHbm:
      return "hbm";
  }
  return "ic";
}

const std::optional<double>& Chip::Throughput(Precision p) const {
  switch (p) {
    case Precision::kFp64:
      return fp64;
    case Precision::kFp32:
      return fp32;
    case Precision::kTf32:
      return tf32;
    case Precision::kFp16:
      return fp16;
    case Precision::kBf16:
      return bf16;
    case Precision::kInt16:
      return int16;
    case Precision::kFp8:
      return fp8;
    case Precision::kInt8:
      return int8;
    case Precision::kFp4:
      return fp4;
    case Precision::kInt4:
      return int4;
  }
  return fp64;
}

std::optional<double>& Chip::MutableThroughput(Precision p) {
  return const_cast<std::optional<double>&>(static_cast<const Chip*>(this)->Throughput(p));
}

bool Chip::HasAnyThroughput() const {
  for (const auto& p : AllPrecisions())
    if (Throughput(p.precision)) return true;
  return false;
}

std::optional<double> Chip::HbmBandwidthDensity() const {
  if (memory_bandwidth_density) return memory_bandwidth_density;
  if (dram_bandwidth_gbs && hbm_stack_area_mm2 && *hbm_stack_area_mm2 > 0)
    return *dram_bandwidth_gbs / *hbm_stack_area_mm2;
  return std::nullopt;
}

std::string Chip::DisplayName() const {
  if (vendor.empty()) return model.empty() ? id : model;
  if (model.empty()) return vendor + " " + id;
  return vendor + " " + model;
}

std::string NormalizeChipName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Catalog CSV format.

namespace {

using catalog_internal::NumberError;
using catalog_internal::ParseNumber;
using catalog_internal::SplitList;
using catalog_internal::Trim;

// The columns of data/catalog.csv, in order (WriteCatalogCsv writes them in this order;
// ParseCatalogCsv finds them by name and requires all of them).
const std::vector<std::string>& CatalogColumns() {
  static const std::vector<std::string> kCols = {"id",
                                                 "vendor",
                                                 "model",
                                                 "aliases",
                                                 "family",
                                                 "kind",
                                                 "release_date",
                                                 "datacenter",
                                                 "fp64",
                                                 "fp32",
                                                 "tf32",
                                                 "fp16",
                                                 "bf16",
                                                 "int16",
                                                 "fp8",
                                                 "int8",
                                                 "fp4",
                                                 "int4",
                                                 "die_area_mm2",
                                                 "memory_gb",
                                                 "dram_bandwidth_gbs",
                                                 "io_bandwidth_gbs",
                                                 "published_tpp",
                                                 "memory_bandwidth_density",
                                                 "hbm_stack_area_mm2",
                                                 "ic_id",
                                                 "ic_count",
                                                 "sources",
                                                 "notes"};
  return kCols;
}

size_t ColumnIndex(std::string_view name) {
  const auto& cols = CatalogColumns();
  return static_cast<size_t>(std::find(cols.begin(), cols.end(), name) - cols.begin());
}

std::string FormatNumber(double v) {
  // Shortest text that reads back to the same double.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string OptNum(const std::optional<double>& v) { return v ? FormatNumber(*v) : ""; }

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::optional<ChipKind> KindFromName(std::string_view s) {
  std::string l = catalog_internal::Lower(Trim(s));
  if (l == "ic") return ChipKind::kIc;
  if (l == "system") return ChipKind::kSystem;
  if (l == "hbm") return ChipKind::kHbm;
  return std::nullopt;
}

std::optional<bool> BoolFromText(std::string_view s) {
  std::string l = catalog_internal::Lower(Trim(s));
  if (l == "yes" || l == "true" || l == "1" || l == "y") return true;
  if (l == "no" || l == "false" || l == "0" || l == "n") return false;
  return std::nullopt;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  }
  return id.front() != '-' && id.back() != '-';
}

}  // namespace

Result<std::vector<Chip>> ParseCatalogCsv(std::string_view data, const std::string& file,
                                          const CatalogOptions& options) {
  if (data.size() > options.max_file_bytes)
    return ResourceExhausted(file + ": catalog is " + std::to_string(data.size()) +
                             " bytes; the limit is " + std::to_string(options.max_file_bytes) +
                             " (CatalogOptions::max_file_bytes)");
  csv::Options copts;
  copts.max_field_bytes = options.max_field_bytes;
  csv::Reader reader(data, file, copts);
  std::vector<Diagnostic> errors;
  csv::Record rec;
  Diagnostic err;
  csv::Header header;
  bool have_header = false;
  std::vector<Chip> chips;
  std::vector<int> idx;
  size_t rows = 0;

  while (true) {
    auto step = reader.Next(&rec, &err);
    if (step == csv::Reader::Step::kEnd) break;
    if (step == csv::Reader::Step::kError) {
      errors.push_back(err);
      continue;
    }
    if (!rec.fields.empty() && !rec.fields[0].value.empty() && rec.fields[0].value[0] == '#')
      continue;  // comment line
    if (!have_header) {
      header = csv::Header(rec);
      have_header = true;
      for (const auto& col : CatalogColumns()) {
        int i = header.Index(col);
        if (i < 0) {
          Diagnostic d = csv::RecordError(file, rec);
          d.message = "catalog header lacks column '" + col + "'";
          d.hint = "expected the columns: " + Join(CatalogColumns(), ",");
          return Status::FromDiagnostic(StatusCode::kParseError, d);
        }
        idx.push_back(i);
      }
      continue;
    }
    if (++rows > options.max_rows)
      return ResourceExhausted(file + ": more than " + std::to_string(options.max_rows) +
                               " catalog rows (CatalogOptions::max_rows)");
    size_t before = errors.size();
    auto field = [&](size_t col) -> const csv::Field* {
      int i = idx[col];
      if (i < 0 || static_cast<size_t>(i) >= rec.fields.size()) return nullptr;
      return &rec.fields[i];
    };
    auto text = [&](size_t col) -> std::string {
      const csv::Field* f = field(col);
      return f ? std::string(Trim(f->value)) : std::string();
    };
    auto fail = [&](size_t col, std::string msg, std::string hint = "") {
      const csv::Field* f = field(col);
      csv::Field missing;
      missing.line = rec.line;
      missing.column = 1;
      errors.push_back(csv::FieldError(file, rec, f ? *f : missing, CatalogColumns()[col],
                                       std::move(msg), std::move(hint)));
    };
    if (rec.fields.size() != header.size()) {
      Diagnostic d = csv::RecordError(file, rec);
      d.message = "row has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                  std::to_string(header.size());
      errors.push_back(d);
      continue;
    }
    Chip c;
    c.origin = file + ":" + std::to_string(rec.line);
    size_t col = 0;
    c.id = text(col);
    if (!ValidId(c.id))
      fail(col, "invalid id '" + c.id + "'",
           "expected a slug of lower-case letters, digits and '-', e.g. nvidia-h200-sxm");
    c.vendor = text(++col);
    c.model = text(++col);
    if (c.model.empty()) fail(col, "model is empty", "expected the vendor's model name");
    c.aliases = SplitList(text(++col), ';');
    if (c.aliases.size() > options.max_aliases)
      fail(col, std::to_string(c.aliases.size()) + " aliases; the limit is " +
                    std::to_string(options.max_aliases) + " (CatalogOptions::max_aliases)");
    c.family = text(++col);
    {
      std::string k = text(++col);
      auto kind = KindFromName(k);
      if (!kind)
        fail(col, "unknown kind '" + k + "'", "expected ic, system or hbm");
      else
        c.kind = *kind;
    }
    {
      std::string d = text(++col);
      if (!d.empty()) {
        auto date = Date::Parse(d);
        if (!date.ok())
          fail(col, "invalid release_date '" + d + "': " + date.status().message(),
               "expected YYYY-MM-DD");
        else
          c.release_date = *date;
      }
    }
    {
      std::string dc = text(++col);
      if (!dc.empty()) {
        auto b = BoolFromText(dc);
        if (!b)
          fail(col, "invalid datacenter '" + dc + "'", "expected yes or no (empty = unknown)");
        else
          c.datacenter = b;
      }
    }
    auto number = [&](size_t at, std::optional<double>* out) {
      std::string v = text(at);
      if (v.empty()) return;
      double d = 0;
      NumberError e = ParseNumber(v, &d);
      if (e == NumberError::kNotANumber)
        fail(at, "'" + v + "' is not a number", "expected a decimal number or empty (unknown)");
      else if (e == NumberError::kNotFinite)
        fail(at, "'" + v + "' is not a finite number", "expected a decimal number");
      else if (e == NumberError::kNegative)
        fail(at, v + " is negative", "expected a number >= 0 or empty (unknown)");
      else
        *out = d;
    };
    for (const auto& p : AllPrecisions()) number(++col, &c.MutableThroughput(p.precision));
    number(++col, &c.die_area_mm2);
    number(++col, &c.memory_gb);
    number(++col, &c.dram_bandwidth_gbs);
    number(++col, &c.io_bandwidth_gbs);
    number(++col, &c.published_tpp);
    number(++col, &c.memory_bandwidth_density);
    number(++col, &c.hbm_stack_area_mm2);
    c.ic_id = text(++col);
    {
      std::optional<double> n;
      size_t at = ++col;
      number(at, &n);
      if (n) {
        if (*n < 1 || *n != std::floor(*n) || *n > 1e6)
          fail(at, "ic_count '" + text(at) + "' is not a whole number of ICs",
               "expected an integer from 1 to 1000000");
        else
          c.ic_count = static_cast<int>(*n);
      }
    }
    c.sources = SplitList(text(++col), '|');
    if (c.sources.empty())
      fail(col, "row has no source", "every catalog row must cite at least one source");
    if (c.sources.size() > options.max_sources)
      fail(col, std::to_string(c.sources.size()) + " sources; the limit is " +
                    std::to_string(options.max_sources) + " (CatalogOptions::max_sources)");
    c.notes = text(++col);
    if (c.kind == ChipKind::kSystem && c.ic_id.empty())
      fail(ColumnIndex("ic_id"), "a system row needs ic_id (the IC it contains)");
    if (c.kind != ChipKind::kSystem && (!c.ic_id.empty() || c.ic_count))
      fail(ColumnIndex("ic_id"), "ic_id / ic_count are only for kind=system rows");
    if (c.die_area_mm2 && *c.die_area_mm2 == 0)
      fail(ColumnIndex("die_area_mm2"), "die_area_mm2 is 0",
           "expected a positive area or empty (unknown)");
    if (errors.size() == before) chips.push_back(std::move(c));
  }
  if (!have_header && errors.empty()) {
    Diagnostic d;
    d.file = file;
    d.message = "catalog is empty (no header row)";
    return Status::FromDiagnostic(StatusCode::kParseError, d);
  }
  if (!errors.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(errors));
  return chips;
}

std::string WriteCatalogCsv(const std::vector<Chip>& chips) {
  std::string out = Join(CatalogColumns(), ",") + "\n";
  for (const Chip& c : chips) {
    std::vector<std::string> f;
    f.push_back(c.id);
    f.push_back(c.vendor);
    f.push_back(c.model);
    f.push_back(Join(c.aliases, ";"));
    f.push_back(c.family);
    f.push_back(std::string(ChipKindName(c.kind)));
    f.push_back(c.release_date ? c.release_date->ToString() : "");
    f.push_back(c.datacenter ? (*c.datacenter ? "yes" : "no") : "");
    for (const auto& p : AllPrecisions()) f.push_back(OptNum(c.Throughput(p.precision)));
    f.push_back(OptNum(c.die_area_mm2));
    f.push_back(OptNum(c.memory_gb));
    f.push_back(OptNum(c.dram_bandwidth_gbs));
    f.push_back(OptNum(c.io_bandwidth_gbs));
    f.push_back(OptNum(c.published_tpp));
    f.push_back(OptNum(c.memory_bandwidth_density));
    f.push_back(OptNum(c.hbm_stack_area_mm2));
    f.push_back(c.ic_id);
    f.push_back(c.ic_count ? std::to_string(*c.ic_count) : "");
    f.push_back(Join(c.sources, " | "));
    f.push_back(c.notes);
    for (size_t i = 0; i < f.size(); ++i) {
      if (i) out += ',';
      out += csv::Escape(f[i]);
    }
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// --specs

Result<Chip> ChipFromSpecs(std::string_view specs) {
  Chip c;
  c.id = "specs";
  c.model = "chip given by --specs";
  c.origin = "--specs";
  c.sources.push_back("--specs (given on the command line)");
  std::set<std::string> seen;
  bool kind_given = false;
  for (const std::string& item : SplitList(specs, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos) return InvalidArgument("--specs: '" + item + "' is not key=value");
    std::string key = catalog_internal::Lower(Trim(std::string_view(item).substr(0, eq)));
    std::string value(Trim(std::string_view(item).substr(eq + 1)));
    if (!seen.insert(key).second) return InvalidArgument("--specs: key '" + key + "' given twice");
    if (value.empty()) return InvalidArgument("--specs: " + key + " has no value");
    auto num = [&](std::optional<double>* out) -> Status {
      double d = 0;
      NumberError e = ParseNumber(value, &d);
      if (e == NumberError::kNotANumber)
        return InvalidArgument("--specs: " + key + ": '" + value + "' is not a number");
      if (e == NumberError::kNotFinite)
        return InvalidArgument("--specs: " + key + ": '" + value + "' is not a finite number");
      if (e == NumberError::kNegative)
        return InvalidArgument("--specs: " + key + ": " + value + " is negative (must be >= 0)");
      *out = d;
      return Status::Ok();
    };
    if (auto p = PrecisionFromName(key)) {
      TG_RETURN_IF_ERROR(num(&c.MutableThroughput(*p)));
    } else if (key == "die_area_mm2" || key == "die_area") {
      TG_RETURN_IF_ERROR(num(&c.die_area_mm2));
      if (*c.die_area_mm2 == 0)
        return InvalidArgument("--specs: die_area_mm2: 0 is not a die area (must be > 0)");
    } else if (key == "memory_gb") {
      TG_RETURN_IF_ERROR(num(&c.memory_gb));
    } else if (key == "dram_bandwidth_gbs" || key == "dram_bw") {
      TG_RETURN_IF_ERROR(num(&c.dram_bandwidth_gbs));
    } else if (key == "io_bandwidth_gbs" || key == "io_bw") {
      TG_RETURN_IF_ERROR(num(&c.io_bandwidth_gbs));
    } else if (key == "published_tpp") {
      TG_RETURN_IF_ERROR(num(&c.published_tpp));
    } else if (key == "memory_bandwidth_density") {
      TG_RETURN_IF_ERROR(num(&c.memory_bandwidth_density));
    } else if (key == "hbm_stack_area_mm2") {
      TG_RETURN_IF_ERROR(num(&c.hbm_stack_area_mm2));
    } else if (key == "ic_count") {
      std::optional<double> n;
      TG_RETURN_IF_ERROR(num(&n));
      if (*n < 1 || *n != std::floor(*n) || *n > 1e6)
        return InvalidArgument("--specs: ic_count: '" + value + "' is not a whole number >= 1");
      c.ic_count = static_cast<int>(*n);
    } else if (key == "datacenter" || key == "dc") {
      auto b = BoolFromText(value);
      if (!b) return InvalidArgument("--specs: datacenter: '" + value + "' is not yes or no");
      c.datacenter = b;
    } else if (key == "kind") {
      auto k = KindFromName(value);
      if (!k) return InvalidArgument("--specs: kind: '" + value + "' is not ic, system or hbm");
      c.kind = *k;
      kind_given = true;
    } else if (key == "name" || key == "model") {
      c.model = value;
    } else if (key == "id") {
      c.id = value;
    } else if (key == "vendor") {
      c.vendor = value;
    } else if ((key.rfind("fp", 0) == 0 || key.rfind("int", 0) == 0 || key.rfind("bf", 0) == 0 ||
                key.rfind("tf", 0) == 0) &&
               key.size() <= 6) {
      std::string known;
      for (const auto& p : AllPrecisions())
        known += std::string(known.empty() ? "" : ", ") + p.name;
      return InvalidArgument("--specs: unknown precision '" + key + "' (known: " + known + ")");
    } else {
      return InvalidArgument(
          "--specs: unknown key '" + key +
          "' (known: a precision such as fp16 or int8, die_area_mm2, memory_gb, "
          "dram_bandwidth_gbs, io_bandwidth_gbs, published_tpp, datacenter, kind, "
          "memory_bandwidth_density, hbm_stack_area_mm2, ic_count, name, vendor)");
    }
  }
  (void)kind_given;
  if (c.kind == ChipKind::kSystem)
    return InvalidArgument(
        "--specs: kind=system is not supported; give the contained IC's specs with kind=ic");
  if (c.kind == ChipKind::kIc && !c.HasAnyThroughput())
    return InvalidArgument(
        "--specs: no throughput given; at least one dense TOPS figure (e.g. fp16=989.4 or "
        "int8=1979) is needed to compute TPP");
  if (c.kind == ChipKind::kHbm && !c.HbmBandwidthDensity())
    return InvalidArgument(
        "--specs: an hbm item needs memory_bandwidth_density, or dram_bandwidth_gbs and "
        "hbm_stack_area_mm2");
  if (c.kind == ChipKind::kIc && !c.datacenter)
    return InvalidArgument(
        "--specs: datacenter is required (yes or no): whether the item is designed or "
        "marketed for use in datacenters decides Note 2 to 3A090");
  return c;
}

// ---------------------------------------------------------------------------------------
// Catalog

Result<Catalog> Catalog::FromChips(std::vector<Chip> chips, const CatalogOptions& options) {
  if (chips.size() > options.max_rows)
    return ResourceExhausted("catalog has " + std::to_string(chips.size()) +
                             " chips; the limit is " + std::to_string(options.max_rows) +
                             " (CatalogOptions::max_rows)");
  std::vector<Diagnostic> errors;
  auto error = [&](const Chip& c, std::string msg) {
    Diagnostic d;
    auto colon = c.origin.rfind(':');
    if (colon != std::string::npos) {
      d.file = c.origin.substr(0, colon);
      d.line = std::atoi(c.origin.c_str() + colon + 1);
    } else {
      d.file = c.origin;
    }
    d.message = "chip '" + c.id + "': " + std::move(msg);
    errors.push_back(std::move(d));
  };
  std::unordered_map<std::string, size_t> by_id;
  for (size_t i = 0; i < chips.size(); ++i) {
    if (!by_id.emplace(chips[i].id, i).second)
      error(chips[i], "duplicate id (first at " + chips[by_id[chips[i].id]].origin + ")");
    if (chips[i].aliases.size() > options.max_aliases)
      error(chips[i], "more than " + std::to_string(options.max_aliases) + " aliases");
  }
  // An alias may be shared (Find reports the ambiguity) but may not be another chip's id.
  for (const Chip& c : chips) {
    for (const auto& a : c.aliases) {
      auto it = by_id.find(a);
      if (it != by_id.end() && chips[it->second].id != c.id)
        error(c, "alias '" + a + "' is the id of another chip");
    }
  }
  // Systems take their IC's specs where their own are empty.
  for (Chip& c : chips) {
    if (c.kind != ChipKind::kSystem) continue;
    auto it = by_id.find(c.ic_id);
    if (it == by_id.end()) {
      error(c, "ic_id '" + c.ic_id + "' is not in the catalog");
      continue;
    }
    const Chip& ic = chips[it->second];
    if (ic.kind != ChipKind::kIc) {
      error(c, "ic_id '" + c.ic_id + "' is not an IC (kind " + std::string(ChipKindName(ic.kind)) +
                   ")");
      continue;
    }
    for (const auto& p : AllPrecisions())
      if (!c.Throughput(p.precision)) c.MutableThroughput(p.precision) = ic.Throughput(p.precision);
    if (!c.die_area_mm2) c.die_area_mm2 = ic.die_area_mm2;
    if (!c.memory_gb) c.memory_gb = ic.memory_gb;
    if (!c.dram_bandwidth_gbs) c.dram_bandwidth_gbs = ic.dram_bandwidth_gbs;
    if (!c.io_bandwidth_gbs) c.io_bandwidth_gbs = ic.io_bandwidth_gbs;
    if (!c.datacenter) c.datacenter = ic.datacenter;
    if (!c.published_tpp) c.published_tpp = ic.published_tpp;
  }
  if (!errors.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(errors));
  Catalog cat;
  cat.chips_ = std::move(chips);
  for (size_t i = 0; i < cat.chips_.size(); ++i) {
    const Chip& c = cat.chips_[i];
    std::vector<std::string> keys = {c.id, c.model, c.vendor + c.model};
    for (const auto& a : c.aliases) {
      keys.push_back(a);
      keys.push_back(c.vendor + a);
    }
    for (const auto& k : keys) {
      auto& v = cat.index_[NormalizeChipName(k)];
      if (v.empty() || v.back() != i) v.push_back(i);
    }
  }
  return cat;
}

Result<Catalog> Catalog::LoadFile(const std::string& path, const CatalogOptions& options) {
  TG_ASSIGN_OR_RETURN(std::string data, ReadFileToString(path, options.max_file_bytes));
  TG_ASSIGN_OR_RETURN(std::vector<Chip> chips, ParseCatalogCsv(data, path, options));
  return FromChips(std::move(chips), options);
}

Result<Catalog> Catalog::LoadBundled() { return LoadFile(BundledDataRoot() + "/data/catalog.csv"); }

Result<const Chip*> Catalog::Find(std::string_view query) const {
  std::string q = NormalizeChipName(query);
  if (q.empty()) return InvalidArgument("empty item name");
  // 1. exact id.
  for (const Chip& c : chips_)
    if (c.id == query) return &c;
  // 2. normalized id, alias, model, "vendor model" (index built by FromChips).
  std::vector<const Chip*> hits;
  if (auto it = index_.find(q); it != index_.end())
    for (size_t i : it->second) hits.push_back(&chips_[i]);
  if (hits.size() == 1) return hits[0];
  if (hits.size() > 1) {
    std::string list;
    for (const Chip* c : hits) list += std::string(list.empty() ? "" : ", ") + c->id;
    return InvalidArgument("'" + std::string(query) + "' is ambiguous: it fits " + list +
                           "; use one of these ids");
  }
  // 3. Not found: suggest names that contain the query (or that it contains).
  std::vector<std::string> near;
  for (const Chip& c : chips_) {
    std::string n = NormalizeChipName(c.vendor + c.model);
    if (n.find(q) != std::string::npos || NormalizeChipName(c.id).find(q) != std::string::npos)
      near.push_back(c.id);
    if (near.size() >= 8) break;
  }
  std::string msg = "unknown item '" + std::string(query) + "'";
  if (!near.empty()) {
    msg += " (did you mean: ";
    for (size_t i = 0; i < near.size(); ++i) msg += (i ? ", " : "") + near[i];
    msg += "?)";
  } else {
    msg += " (see 'tollgate catalog list')";
  }
  return NotFound(msg);
}

}  // namespace tollgate
