// Importer for Epoch AI's "Data on Machine Learning Hardware" CSV (CC-BY 4.0).
//
// The file is read exactly as Epoch publishes it: base units (FLOP/s, byte/s, bytes), long
// header names, multi-line quoted notes. Columns are located by header name so a newer copy
// with added or reordered columns still loads.
#include <cctype>
#include <map>
#include <unordered_map>

#include "catalog/parse_util.h"
#include "core/csv.h"
#include "core/io.h"
#include "tollgate/catalog.h"

namespace tollgate {
namespace {

using catalog_internal::NumberError;
using catalog_internal::ParseNumber;
using catalog_internal::Trim;

constexpr const char* kEpochCitation =
    "Epoch AI, 'Data on Machine Learning Hardware', https://epoch.ai/data/machine-learning-"
    "hardware (CC-BY 4.0)";

// How one numeric Epoch column maps to a Chip field.
struct NumericColumn {
  const char* header;
  double divisor;  // base unit -> catalog unit
  std::optional<double> Chip::*field;
};

const std::vector<NumericColumn>& NumericColumns() {
  static const std::vector<NumericColumn> kCols = {
      {"FP64 (double precision) performance (FLOP/s)", 1e12, &Chip::fp64},
      {"FP32 (single precision) performance (FLOP/s)", 1e12, &Chip::fp32},
      {"TF32 (TensorFloat-32) performance (FLOP/s)", 1e12, &Chip::tf32},
      // Tensor-FP16/BF16 is the matrix rate for both 16-bit formats; the plain FP16 column
      // (vector rate) is used only when there is no tensor figure (see below).
      {"Tensor-FP16/BF16 performance (FLOP/s)", 1e12, &Chip::bf16},
      {"INT16 performance (OP/s)", 1e12, &Chip::int16},
      {"INT8 performance (OP/s)", 1e12, &Chip::int8},
      {"INT4/FP4 performance (OP/s)", 1e12, &Chip::int4},
      {"FP8 performance (FLOP/s)", 1e12, &Chip::fp8},
      {"FP4 performance (FLOP/s)", 1e12, &Chip::fp4},
      {"Memory size per board (Byte)", 1e9, &Chip::memory_gb},
      {"Memory bandwidth (byte/s)", 1e9, &Chip::dram_bandwidth_gbs},
      {"Intranode bandwidth (byte/s)", 1e9, &Chip::io_bandwidth_gbs},
      {"Die Size (mm^2)", 1.0, &Chip::die_area_mm2},
      {"Total processing performance (bit-OP/s)", 1e12, &Chip::published_tpp},
  };
  return kCols;
}

constexpr const char* kFp16Vector = "FP16 (half precision) performance (FLOP/s)";

std::string Slug(std::string_view name) {
  std::string out;
  bool dash = false;
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      if (dash && !out.empty()) out.push_back('-');
      out.push_back(static_cast<char>(std::tolower(c)));
      dash = false;
    } else {
      dash = true;
    }
    if (out.size() >= 100) break;
  }
  return out;
}

}  // namespace

Result<ImportResult> ImportEpochCsv(std::string_view data, const std::string& file,
                                    const EpochImportOptions& options) {
  const CatalogOptions& lim = options.limits;
  if (data.size() > lim.max_file_bytes)
    return ResourceExhausted(file + ": file is " + std::to_string(data.size()) +
                             " bytes; the limit is " + std::to_string(lim.max_file_bytes) +
                             " (CatalogOptions::max_file_bytes)");
  csv::Options copts;
  copts.max_field_bytes = lim.max_field_bytes;
  csv::Reader reader(data, file, copts);
  ImportResult out;
  csv::Record rec;
  Diagnostic err;
  csv::Header header;
  bool have_header = false;
  int name_col = -1, vendor_col = -1, type_col = -1, date_col = -1, notes_col = -1, link_col = -1,
      fp16v_col = -1;
  std::vector<int> num_cols;
  std::unordered_map<std::string, int> slug_count;

  while (true) {
    auto step = reader.Next(&rec, &err);
    if (step == csv::Reader::Step::kEnd) break;
    if (step == csv::Reader::Step::kError) {
      if (!have_header) return Status::FromDiagnostic(StatusCode::kParseError, err);
      ++out.rows_read;
      ++out.rows_skipped;
      out.diagnostics.push_back(err);
      continue;
    }
    if (!have_header) {
      header = csv::Header(rec);
      have_header = true;
      name_col = header.Index("Hardware name");
      if (name_col < 0) {
        Diagnostic d;
        d.file = file;
        d.line = rec.line;
        d.column = 1;
        d.source_line = rec.source_line.substr(0, 200);
        d.message = "not an Epoch AI hardware CSV: the header has no 'Hardware name' column";
        d.hint = "expected the file published at https://epoch.ai/data/machine-learning-hardware";
        return Status::FromDiagnostic(StatusCode::kParseError, d);
      }
      vendor_col = header.Index("Manufacturer");
      type_col = header.Index("Type");
      date_col = header.Index("Release date");
      notes_col = header.Index("Notes");
      link_col = header.Index("Link to datasheet");
      fp16v_col = header.Index(kFp16Vector);
      for (const auto& nc : NumericColumns()) num_cols.push_back(header.Index(nc.header));
      continue;
    }
    ++out.rows_read;
    if (out.rows_read > lim.max_rows)
      return ResourceExhausted(file + ": more than " + std::to_string(lim.max_rows) +
                               " rows (CatalogOptions::max_rows)");
    size_t before = out.diagnostics.size();
    auto get = [&](int col) -> const csv::Field* {
      if (col < 0 || static_cast<size_t>(col) >= rec.fields.size()) return nullptr;
      return &rec.fields[col];
    };
    auto bad = [&](int col, std::string msg, std::string hint) {
      const csv::Field* f = get(col);
      csv::Field fallback;
      fallback.line = rec.line;
      fallback.column = 1;
      std::string name = col >= 0 && static_cast<size_t>(col) < header.size() ? header.names()[col]
                                                                              : std::string();
      out.diagnostics.push_back(
          csv::FieldError(file, rec, f ? *f : fallback, name, std::move(msg), std::move(hint)));
    };
    if (rec.fields.size() != header.size()) {
      Diagnostic d = csv::RecordError(file, rec);
      d.message = "row has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                  std::to_string(header.size());
      out.diagnostics.push_back(d);
      ++out.rows_skipped;
      continue;
    }
    Chip c;
    c.origin = file + ":" + std::to_string(rec.line);
    c.kind = ChipKind::kIc;
    std::string name(Trim(get(name_col)->value));
    if (name.empty()) {
      bad(name_col, "empty hardware name", "every row needs a 'Hardware name'");
    }
    c.model = name;
    if (const auto* f = get(vendor_col)) c.vendor = std::string(Trim(f->value));
    if (const auto* f = get(date_col); f && !Trim(f->value).empty()) {
      auto d = Date::Parse(Trim(f->value));
      if (!d.ok())
        bad(date_col, "invalid release date '" + std::string(Trim(f->value)) + "'",
            "expected YYYY-MM-DD");
      else
        c.release_date = *d;
    }
    auto number = [&](int col, double divisor, std::optional<double>* dst) {
      const csv::Field* f = get(col);
      if (!f) return;
      std::string_view v = Trim(f->value);
      if (v.empty()) return;
      double d = 0;
      NumberError e = ParseNumber(v, &d);
      if (e == NumberError::kNotANumber)
        bad(col, "'" + std::string(v) + "' is not a number",
            "expected a number in base units (e.g. 9.894e+14) or empty");
      else if (e == NumberError::kNotFinite)
        bad(col, "'" + std::string(v) + "' is not a finite number", "expected a finite number");
      else if (e == NumberError::kNegative)
        bad(col, std::string(v) + " is negative", "expected a number >= 0 or empty");
      else
        *dst = d / divisor;
    };
    for (size_t i = 0; i < NumericColumns().size(); ++i)
      number(num_cols[i], NumericColumns()[i].divisor, &(c.*(NumericColumns()[i].field)));
    std::optional<double> fp16_vector;
    number(fp16v_col, 1e12, &fp16_vector);
    c.fp16 = c.bf16 ? c.bf16 : fp16_vector;
    if (c.die_area_mm2 && *c.die_area_mm2 == 0) c.die_area_mm2.reset();  // 0 = not recorded

    if (out.diagnostics.size() != before) {
      ++out.rows_skipped;
      continue;
    }
    std::string slug =
        Slug(c.vendor.empty() || Slug(name).rfind(Slug(c.vendor), 0) == 0 ? name
                                                                          : c.vendor + " " + name);
    if (slug.empty()) {
      bad(name_col, "hardware name '" + name + "' has no letters or digits",
          "expected a name such as 'NVIDIA H100 SXM5 80GB'");
      ++out.rows_skipped;
      continue;
    }
    int n = ++slug_count[slug];
    if (n > 1) {
      Diagnostic w;
      w.severity = Diagnostic::Severity::kWarning;
      w.file = file;
      w.line = rec.line;
      w.column = get(name_col)->column;
      w.field = "Hardware name";
      w.message = "name '" + name + "' gives a duplicate id '" + slug + "'; using '" + slug + "-" +
                  std::to_string(n) + "'";
      out.diagnostics.push_back(w);
      slug += "-" + std::to_string(n);
    }
    c.id = slug;
    c.aliases.push_back(name);
    c.sources.push_back(kEpochCitation);
    if (const auto* f = get(link_col)) {
      // Epoch separates several links by newlines or "; ".
      std::string links = f->value;
      for (size_t at = links.find("; "); at != std::string::npos; at = links.find("; ", at))
        links.replace(at, 2, "\n");
      for (const auto& link : catalog_internal::SplitList(links, '\n')) {
        if (c.sources.size() >= lim.max_sources) break;
        c.sources.push_back(link);
      }
    }
    std::string notes;
    if (const auto* f = get(type_col); f && !Trim(f->value).empty())
      notes = "Epoch type: " + std::string(Trim(f->value)) + ". ";
    notes += "Imported from Epoch AI row at line " + std::to_string(rec.line) +
             "; datacenter flag unknown; die size basis as published by Epoch.";
    if (const auto* f = get(notes_col); f && !Trim(f->value).empty())
      notes += " Epoch notes: " + std::string(Trim(f->value));
    c.notes = notes;
    out.chips.push_back(std::move(c));
  }
  if (!have_header) {
    Diagnostic d;
    d.file = file;
    d.message = "file is empty (no header row)";
    return Status::FromDiagnostic(StatusCode::kParseError, d);
  }
  if (options.strict) {
    std::vector<Diagnostic> errors;
    for (const auto& d : out.diagnostics)
      if (d.severity == Diagnostic::Severity::kError) errors.push_back(d);
    if (!errors.empty()) return Status::FromDiagnostics(StatusCode::kParseError, errors);
  }
  return out;
}

Result<ImportResult> ImportEpochFile(const std::string& path, const EpochImportOptions& options) {
  TG_ASSIGN_OR_RETURN(std::string data, ReadFileToString(path, options.limits.max_file_bytes));
  return ImportEpochCsv(data, path, options);
}

}  // namespace tollgate
