#include "pipeline/order.h"

#include <cctype>

namespace tollgate {

namespace {

constexpr std::array<std::string_view, kOrderFieldCount> kFieldNames = {
    "order_id",    "line",
    "date",        "exporter",
    "item",        "quantity",
    "unit_price",  "currency",
    "ship_from",   "destination",
    "consignee",   "consignee_country",
    "end_user",    "end_user_country",
    "end_user_hq", "end_use",
    "licence",     "customs_value"};

constexpr std::array<std::string_view, 8> kEndUseNames = {
    "commercial",    "datacenter", "research", "government", "military", "military_intelligence",
    "supercomputer", "advanced_ic"};

}  // namespace

std::string_view EndUseName(EndUse e) { return kEndUseNames[static_cast<size_t>(e)]; }

std::optional<EndUse> ParseEndUse(std::string_view text) {
  for (size_t i = 0; i < kEndUseNames.size(); ++i)
    if (kEndUseNames[i] == text) return static_cast<EndUse>(i);
  return std::nullopt;
}

std::string_view OrderFieldName(OrderField f) { return kFieldNames[static_cast<size_t>(f)]; }

std::string_view OrderCsvHeader() {
  static const std::string kHeader = [] {
    std::string h;
    for (size_t i = 0; i < kFieldNames.size(); ++i) {
      if (i) h += ',';
      h += kFieldNames[i];
    }
    return h;
  }();
  return kHeader;
}

std::optional<Money> OrderLine::SaleValue() const {
  auto v = Decimal::CheckedMul(Decimal::FromInt(quantity), unit_price);
  if (!v) return std::nullopt;
  return Money{*v, currency};
}

Diagnostic OrderLine::FieldDiagnostic(OrderField f, std::string message, std::string hint) const {
  Diagnostic d;
  d.file = file;
  d.line = source_line;
  d.column = columns[static_cast<size_t>(f)];
  d.field = std::string(OrderFieldName(f));
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.source_line = source_text;
  return d;
}

namespace pipeline_internal {

Diagnostic LineDiagnostic(const std::string& file, int line, int column,
                          const std::string& source_text, std::string message, std::string hint) {
  Diagnostic d;
  d.file = file;
  d.line = line;
  d.column = column;
  d.source_line = source_text;
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

const char kCountryHint[] = "expected an ISO 3166-1 alpha-2 country code such as CN, AE, SG";
const char kDecimalHint[] = "expected an exact decimal number such as 1234.50";

}  // namespace

bool ValidateOrderLine(const RawLine& raw, const std::string& file, int source_line,
                       const std::string& source_text, OrderLine* out,
                       std::vector<Diagnostic>* errors) {
  OrderLine l;
  l.file = file;
  l.source_line = source_line;
  l.source_text = source_text;
  for (int i = 0; i < kOrderFieldCount; ++i) l.columns[static_cast<size_t>(i)] = raw[i].column;
  const size_t errors_before = errors->size();
  auto err = [&](OrderField f, std::string msg, std::string hint) {
    errors->push_back(l.FieldDiagnostic(f, std::move(msg), std::move(hint)));
  };
  auto value = [&](OrderField f) { return Trim(raw[static_cast<size_t>(f)].value); };
  // Required text fields.
  auto required = [&](OrderField f, const char* hint) -> std::optional<std::string> {
    std::string v = value(f);
    if (v.empty()) {
      err(f, std::string("missing ") + std::string(OrderFieldName(f)), hint);
      return std::nullopt;
    }
    return v;
  };
  auto country = [&](OrderField f, Country* c) {
    auto v = required(f, kCountryHint);
    if (!v) return;
    auto r = Country::Parse(*v);
    if (!r.ok()) {
      err(f, "unknown country '" + *v + "'", kCountryHint);
      return;
    }
    *c = *r;
  };
  auto whole = [](const std::string& v, int64_t* n) {
    if (v.empty() || v.size() > 18) return false;
    int64_t x = 0;
    for (char c : v) {
      if (c < '0' || c > '9') return false;
      x = x * 10 + (c - '0');
    }
    *n = x;
    return true;
  };

  if (auto v = required(OrderField::kOrderId, "expected a non-empty order id")) l.order_id = *v;
  if (auto v = required(OrderField::kLine, "expected a line number, a whole number >= 1")) {
    int64_t n = 0;
    if (!whole(*v, &n) || n < 1 || n > 1'000'000'000) {
      err(OrderField::kLine, "invalid line number '" + *v + "'",
          "expected a line number, a whole number >= 1");
    } else {
      l.line = static_cast<int>(n);
    }
  }
  if (auto v = required(OrderField::kDate, "expected an ISO 8601 date YYYY-MM-DD")) {
    auto d = Date::Parse(*v);
    if (!d.ok()) {
      err(OrderField::kDate, "invalid date '" + *v + "'", "expected an ISO 8601 date YYYY-MM-DD");
    } else {
      l.date = *d;
    }
  }
  if (auto v = required(OrderField::kExporter, "expected the exporter's name")) l.exporter = *v;
  if (auto v = required(OrderField::kItem, "expected a catalog id or alias")) l.item = *v;
  if (auto v = required(OrderField::kQuantity, "expected a whole number >= 0")) {
    int64_t n = 0;
    if (!v->empty() && (*v)[0] == '-') {
      err(OrderField::kQuantity, "negative quantity '" + *v + "'", "expected a whole number >= 0");
    } else if (!whole(*v, &n)) {
      err(OrderField::kQuantity, "invalid quantity '" + *v + "'",
          "expected a whole number >= 0 (at most 18 digits)");
    } else {
      l.quantity = n;
    }
  }
  if (auto v = required(OrderField::kUnitPrice, kDecimalHint)) {
    auto d = Decimal::Parse(*v);
    if (!d.ok()) {
      err(OrderField::kUnitPrice, "invalid unit_price '" + *v + "'", kDecimalHint);
    } else if (d->is_negative()) {
      err(OrderField::kUnitPrice, "negative unit_price '" + *v + "'",
          "expected a decimal number >= 0");
    } else {
      l.unit_price = *d;
    }
  }
  if (auto v = required(OrderField::kCurrency, "expected an ISO 4217 code such as USD, CNY, EUR")) {
    auto c = Currency::Parse(*v);
    if (!c.ok()) {
      err(OrderField::kCurrency, "unknown currency '" + *v + "'",
          "expected an ISO 4217 code such as USD, CNY, EUR");
    } else {
      l.currency = *c;
    }
  }
  country(OrderField::kShipFrom, &l.ship_from);
  country(OrderField::kDestination, &l.destination);
  if (auto v = required(OrderField::kConsignee, "expected the consignee's name")) l.consignee = *v;
  country(OrderField::kConsigneeCountry, &l.consignee_country);
  if (auto v = required(OrderField::kEndUser, "expected the end user's name")) l.end_user = *v;
  country(OrderField::kEndUserCountry, &l.end_user_country);
  country(OrderField::kEndUserHq, &l.end_user_hq);
  {
    const char* hint =
        "expected one of commercial, datacenter, research, government, military, "
        "military_intelligence, supercomputer, advanced_ic";
    if (auto v = required(OrderField::kEndUse, hint)) {
      auto e = ParseEndUse(*v);
      if (!e) {
        err(OrderField::kEndUse, "unknown end_use '" + *v + "'", hint);
      } else {
        l.end_use = *e;
      }
    }
  }
  l.licence = value(OrderField::kLicence);
  {
    std::string v = value(OrderField::kCustomsValue);
    if (!v.empty()) {
      auto d = Decimal::Parse(v);
      if (!d.ok()) {
        err(OrderField::kCustomsValue, "invalid customs_value '" + v + "'",
            "expected an exact decimal number such as 1234.50, or empty");
      } else if (d->is_negative()) {
        err(OrderField::kCustomsValue, "negative customs_value '" + v + "'",
            "expected a decimal number >= 0, or empty");
      } else {
        l.customs_value = *d;
      }
    }
  }
  if (errors->size() != errors_before) return false;
  // quantity × unit_price must be representable (and so must its rounding).
  auto sale = l.SaleValue();
  if (!sale || !sale->amount.Rescale(l.currency.minor_units(), Rounding::kHalfEven)) {
    err(OrderField::kUnitPrice,
        "sale value " + std::to_string(l.quantity) + " x " + l.unit_price.ToString() +
            " is too large",
        "expected a sale value below 10^30");
    return false;
  }
  *out = std::move(l);
  return true;
}

bool DuplicateChecker::Add(const OrderLine& l, std::vector<Diagnostic>* errors) {
  auto [it, inserted] = seen_.emplace(std::make_pair(l.order_id, l.line), l.source_line);
  if (inserted) return true;
  errors->push_back(l.FieldDiagnostic(OrderField::kLine,
                                      "duplicate order line (" + l.order_id + ", " +
                                          std::to_string(l.line) + "); first seen on line " +
                                          std::to_string(it->second),
                                      "expected each (order_id, line) pair once"));
  return false;
}

}  // namespace pipeline_internal
}  // namespace tollgate
