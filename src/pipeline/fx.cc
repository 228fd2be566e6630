// The FX table (rates to USD by date) and the exact USD conversion.
#include "core/csv.h"
#include "core/io.h"
#include "tollgate/pipeline.h"

namespace tollgate {

namespace {
const char kFxHeader[] = "date,currency,rate_to_usd";
}  // namespace

std::optional<Money> ConvertToUsd(const Money& money, const Decimal& rate_to_usd) {
  // The product keeps up to 18 fraction digits (CheckedMul rounds half-even beyond that);
  // the single rounding that matters is the final one, half-even to the cent.
  auto p = Decimal::CheckedMul(money.amount, rate_to_usd);
  if (!p) return std::nullopt;
  auto r = p->Rescale(2, Rounding::kHalfEven);
  if (!r) return std::nullopt;
  auto usd = Currency::Parse("USD");
  return Money{*r, *usd};
}

Result<FxTable> FxTable::Parse(std::string_view data, const std::string& file) {
  csv::HeadedReader in(data, file);
  csv::Record rec;
  Diagnostic derr;
  FxTable table;
  std::vector<Diagnostic> errors;
  auto step = in.ReadHeader(&derr);
  if (step == csv::Reader::Step::kError)
    return Status::FromDiagnostic(StatusCode::kParseError, derr);
  {
    std::string got;
    for (size_t i = 0; i < in.header().names().size(); ++i) {
      got += (i ? "," : "") + in.header().names()[i];
    }
    if (got != kFxHeader) {
      Diagnostic d;
      d.file = file;
      d.line = 1;
      d.column = 1;
      d.source_line = step == csv::Reader::Step::kRecord ? in.header_record().source_line : "";
      d.message = "unexpected FX file header";
      d.hint = std::string("expected the header ") + kFxHeader;
      return Status::FromDiagnostic(StatusCode::kParseError, std::move(d));
    }
  }
  std::map<std::pair<std::string, Date>, int> seen;
  while ((step = in.Next(&rec, &derr)) != csv::Reader::Step::kEnd) {
    if (step == csv::Reader::Step::kError) {  // malformed, or not 3 fields
      errors.push_back(derr);
      continue;
    }
    const auto& fd = rec.fields[0];
    const auto& fc = rec.fields[1];
    const auto& fr = rec.fields[2];
    auto date = Date::Parse(fd.value);
    auto cur = Currency::Parse(fc.value);
    auto rate = Decimal::Parse(fr.value);
    bool ok = true;
    if (!date.ok()) {
      errors.push_back(csv::FieldError(file, rec, fd, "date", "invalid date '" + fd.value + "'",
                                       "expected an ISO 8601 date YYYY-MM-DD"));
      ok = false;
    }
    if (!cur.ok()) {
      errors.push_back(csv::FieldError(file, rec, fc, "currency",
                                       "unknown currency '" + fc.value + "'",
                                       "expected an ISO 4217 code such as CNY, EUR"));
      ok = false;
    }
    if (!rate.ok()) {
      errors.push_back(csv::FieldError(file, rec, fr, "rate_to_usd",
                                       "invalid rate '" + fr.value + "'",
                                       "expected an exact decimal such as 0.1389"));
      ok = false;
    } else if (rate->is_negative() || rate->is_zero()) {
      errors.push_back(csv::FieldError(file, rec, fr, "rate_to_usd",
                                       "non-positive rate '" + fr.value + "'",
                                       "expected US dollars per unit of the currency, > 0"));
      ok = false;
    }
    if (!ok) continue;
    auto key = std::make_pair(cur->code(), *date);
    auto [it, inserted] = seen.emplace(key, rec.line);
    if (!inserted) {
      errors.push_back(csv::FieldError(file, rec, fd, "date",
                                       "duplicate rate for " + cur->code() + " on " +
                                           date->ToString() + "; first given on line " +
                                           std::to_string(it->second),
                                       "expected one rate per currency and date"));
      continue;
    }
    table.rates_[cur->code()][*date] = *rate;
  }
  if (!errors.empty()) return Status::FromDiagnostics(StatusCode::kParseError, std::move(errors));
  return table;
}

Result<FxTable> FxTable::Load(const std::string& path) {
  TG_ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
  return Parse(data, path);
}

Result<FxTable::Rate> FxTable::RateOn(const Currency& currency, Date date) const {
  if (currency.code() == "USD") return Rate{date, Decimal::FromInt(1)};
  auto it = rates_.find(currency.code());
  if (it == rates_.end() || it->second.empty())
    return NotFound("no FX rate for " + currency.code() + " in the FX table");
  auto r = it->second.upper_bound(date);
  if (r == it->second.begin())
    return NotFound("no FX rate for " + currency.code() + " on or before " + date.ToString() +
                    " (earliest is " + it->second.begin()->first.ToString() + ")");
  --r;
  return Rate{r->first, r->second};
}

Result<Money> FxTable::ToUsd(const Money& money, Date date) const {
  TG_ASSIGN_OR_RETURN(Rate rate, RateOn(money.currency, date));
  auto usd = ConvertToUsd(money, rate.rate_to_usd);
  if (!usd)
    return InvalidArgument("amount " + money.ToString() + " is too large to convert to USD");
  return *usd;
}

size_t FxTable::size() const {
  size_t n = 0;
  for (const auto& [c, m] : rates_) n += m.size();
  return n;
}

}  // namespace tollgate
