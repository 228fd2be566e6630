// The attribute schema and Facts.
#include <algorithm>
#include <unordered_map>

#include "tollgate/policy.h"

namespace tollgate {

std::string_view AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kBool:
      return "bool";
    case AttrType::kNumber:
      return "number";
    case AttrType::kString:
      return "string";
    case AttrType::kDate:
      return "date";
    case AttrType::kStringSet:
      return "set";
  }
  return "?";
}

Schema::Schema() {
  auto add = [&](std::string name, AttrType t, std::string unit, std::string doc) -> AttrInfo& {
    AttrInfo a;
    a.name = std::move(name);
    a.type = t;
    a.unit = std::move(unit);
    a.doc = std::move(doc);
    attrs_.push_back(std::move(a));
    return attrs_.back();
  };
  using T = AttrType;
  add("item.id", T::kString, "", "catalog id of the item");
  add("item.vendor", T::kString, "", "vendor (NVIDIA, AMD, Intel, Huawei, ...)");
  add("item.family", T::kString, "", "product family (H20, H200, B200, MI308, ...)");
  add("item.name", T::kString, "", "model name as in the catalog");
  add("item.kind", T::kString, "", "ic, system or hbm").domain = {"ic", "system", "hbm"};
  add("item.datacenter", T::kBool, "", "designed or marketed for use in datacenters");
  add("item.tpp", T::kNumber, "", "total processing performance (dense), 3A090 TN 1");
  add("item.published_tpp", T::kNumber, "", "TPP as published by the vendor or BIS");
  add("item.pd", T::kNumber, "", "performance density: TPP / applicable die area (may be null)");
  add("item.dram_bandwidth", T::kNumber, "GB/s", "total DRAM bandwidth");
  add("item.io_bandwidth", T::kNumber, "GB/s", "aggregate bidirectional I/O transfer rate");
  add("item.die_area", T::kNumber, "mm2", "applicable die area");
  add("item.memory", T::kNumber, "GB", "memory capacity");
  add("item.hbm_density", T::kNumber, "GB/s/mm2", "HBM memory bandwidth density");
  for (const char* p : {"fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "fp4", "int8", "int4"})
    add(std::string("item.") + p, T::kNumber, "TOPS", std::string("dense ") + p + " TOPS");
  add("item.release_date", T::kDate, "", "first commercial availability / release");
  add("item.eccn_table", T::kString, "", "ECCN computed by the pipeline's classifier");
  add("item.eccn", T::kString, "", "ECCN computed by the policy's classify rules").computed = true;
  add("destination", T::kString, "", "country of ultimate destination").country = true;
  add("ship_from", T::kString, "", "country the goods are exported or reexported from").country =
      true;
  add("consignee.name", T::kString, "", "consignee name");
  add("consignee.country", T::kString, "", "consignee country").country = true;
  add("consignee.hq", T::kString, "", "consignee headquarters / ultimate parent country").country =
      true;
  add("consignee.lists", T::kStringSet, "", "restricted-party lists the consignee is on");
  add("end_user.name", T::kString, "", "end user name");
  add("end_user.country", T::kString, "", "end user country").country = true;
  add("end_user.hq", T::kString, "", "end user headquarters / ultimate parent country").country =
      true;
  add("end_user.lists", T::kStringSet, "", "restricted-party lists the end user is on");
  add("end_use", T::kString, "", "declared end use").domain = {
      "commercial",    "datacenter", "research", "government", "military", "military_intelligence",
      "supercomputer", "advanced_ic"};
  add("order.date", T::kDate, "", "order line date");
  add("order.exporter", T::kString, "", "exporter");
  add("order.quantity", T::kNumber, "", "units on the line");
  add("order.value", T::kNumber, "", "quantity x unit price, exact, in order.currency");
  add("order.currency", T::kString, "", "ISO 4217 currency of the order");
  add("order.customs_value", T::kNumber, "", "US customs value of the line (may be null)");
  add("order.licence", T::kString, "", "licence number held (may be empty)");
}

const Schema& Schema::Default() {
  static const Schema* s = new Schema();
  return *s;
}

int Schema::Slot(std::string_view name) const {
  // Built once (thread-safe static); the names live as long as the schema.
  static const auto* index = [this] {
    auto* m = new std::unordered_map<std::string_view, int>();
    for (size_t i = 0; i < attrs_.size(); ++i) (*m)[attrs_[i].name] = static_cast<int>(i);
    return m;
  }();
  auto it = index->find(name);
  return it == index->end() ? -1 : it->second;
}

std::string Value::ToString() const {
  if (is_null) return "null";
  switch (type) {
    case AttrType::kBool:
      return b ? "true" : "false";
    case AttrType::kNumber:
      return num.ToString();
    case AttrType::kString: {
      std::string o = "\"";
      for (char c : str) {
        if (c == '"' || c == '\\') o += '\\';
        o += c;
      }
      return o + "\"";
    }
    case AttrType::kDate:
      return date.ToString();
    case AttrType::kStringSet: {
      std::string o = "{";
      for (size_t i = 0; i < set.size(); ++i) o += (i ? ", " : "") + set[i];
      return o + "}";
    }
  }
  return "?";
}

// ---------------------------------------------------------------------------------------

namespace {

// value × 10^9 × 2 (+1 when digits beyond 10^-9 were cut). Values whose key would not fit in
// 126 bits are clamped; Decimal's 10^36 limit keeps us far from that.
__int128 NumKeyOf(const Decimal& d) {
  __int128 c = d.coefficient();
  int s = d.scale();
  bool inexact = false;
  if (s <= 9) {
    for (int i = s; i < 9; ++i) c *= 10;
  } else {
    __int128 div = 1;
    for (int i = 9; i < s; ++i) div *= 10;
    __int128 q = c / div, r = c % div;
    if (r != 0) {
      inexact = true;
      if (r < 0) --q;  // floor
    }
    c = q;
  }
  return c * 2 + (inexact ? 1 : 0);
}

Status TypeError(std::string_view name, const AttrInfo& a, std::string_view given) {
  std::string msg = "attribute " + std::string(name) + " is a " + std::string(AttrTypeName(a.type));
  if (!a.unit.empty()) msg += " in " + a.unit;
  return InvalidArgument(msg + ", not " + std::string(given));
}

}  // namespace

uint64_t Facts::ShortStringKey(std::string_view s) {
  if (s.size() > 7) return 0;
  // Bytes in order, then the length in the top byte, so "" and "\0" differ and no key is 0.
  uint64_t k = 0;
  for (size_t i = 0; i < s.size(); ++i)
    k |= static_cast<uint64_t>(static_cast<uint8_t>(s[i])) << (8 * i);
  return k | (static_cast<uint64_t>(s.size() + 1) << 56);
}

Facts::Facts() {
  const Schema& s = Schema::Default();
  values_.resize(static_cast<size_t>(s.size()));
  num_keys_.assign(static_cast<size_t>(s.size()), 0);
  str_keys_.assign(static_cast<size_t>(s.size()), 0);
  ints_.assign(static_cast<size_t>(s.size()), 0);
  null_bits_.assign((static_cast<size_t>(s.size()) + 63) / 64, ~uint64_t{0});
  for (int i = 0; i < s.size(); ++i) values_[static_cast<size_t>(i)].type = s.info(i).type;
}

const Value* Facts::Find(std::string_view name) const {
  int slot = Schema::Default().Slot(name);
  return slot < 0 ? nullptr : &values_[static_cast<size_t>(slot)];
}

void Facts::SetValue(int slot, Value v) {
  if (v.type == AttrType::kNumber && !v.is_null)
    num_keys_[static_cast<size_t>(slot)] = NumKeyOf(v.num);
  if (v.type == AttrType::kString)
    str_keys_[static_cast<size_t>(slot)] = v.is_null ? 0 : ShortStringKey(v.str);
  if (v.type == AttrType::kBool) ints_[static_cast<size_t>(slot)] = v.b ? 1 : 0;
  if (v.type == AttrType::kDate) ints_[static_cast<size_t>(slot)] = v.date.days_since_epoch();
  uint64_t bit = uint64_t{1} << (slot & 63);
  if (v.is_null)
    null_bits_[static_cast<size_t>(slot) >> 6] |= bit;
  else
    null_bits_[static_cast<size_t>(slot) >> 6] &= ~bit;
  values_[static_cast<size_t>(slot)] = std::move(v);
}

static Result<int> Lookup(std::string_view name, AttrType want, std::string_view given) {
  const Schema& s = Schema::Default();
  int slot = s.Slot(name);
  if (slot < 0) return InvalidArgument("unknown attribute '" + std::string(name) + "'");
  const AttrInfo& a = s.info(slot);
  if (a.computed)
    return InvalidArgument("attribute " + std::string(name) +
                           " is computed by the policy's classify rules and cannot be set");
  if (a.type != want) return TypeError(name, a, given);
  return slot;
}

Status Facts::SetBool(std::string_view name, bool v) {
  TG_ASSIGN_OR_RETURN(int slot, Lookup(name, AttrType::kBool, "a bool"));
  Value x;
  x.type = AttrType::kBool;
  x.is_null = false;
  x.b = v;
  SetValue(slot, std::move(x));
  return Status::Ok();
}

Status Facts::SetNumber(std::string_view name, const Decimal& v) {
  TG_ASSIGN_OR_RETURN(int slot, Lookup(name, AttrType::kNumber, "a number"));
  Value x;
  x.type = AttrType::kNumber;
  x.is_null = false;
  x.num = v;
  SetValue(slot, std::move(x));
  return Status::Ok();
}

Status Facts::SetNumber(std::string_view name, std::string_view text) {
  auto d = Decimal::Parse(text);
  if (!d.ok())
    return InvalidArgument("attribute " + std::string(name) + ": invalid number '" +
                           std::string(text) + "': " + d.status().message());
  return SetNumber(name, *d);
}

Status Facts::SetString(std::string_view name, std::string_view v) {
  TG_ASSIGN_OR_RETURN(int slot, Lookup(name, AttrType::kString, "a string"));
  const AttrInfo& a = Schema::Default().info(slot);
  Value x;
  x.type = AttrType::kString;
  x.is_null = false;
  if (a.country) {
    auto c = Country::Parse(v);
    if (!c.ok())
      return InvalidArgument("attribute " + std::string(name) + ": '" + std::string(v) +
                             "' is not an ISO 3166-1 alpha-2 country code");
    x.str = c->code();
  } else {
    x.str = std::string(v);
    if (!a.domain.empty() && std::find(a.domain.begin(), a.domain.end(), x.str) == a.domain.end()) {
      std::string allowed;
      for (const auto& d : a.domain) allowed += (allowed.empty() ? "" : ", ") + d;
      return InvalidArgument("attribute " + std::string(name) + ": '" + x.str + "' is not one of " +
                             allowed);
    }
  }
  SetValue(slot, std::move(x));
  return Status::Ok();
}

Status Facts::SetDate(std::string_view name, Date v) {
  TG_ASSIGN_OR_RETURN(int slot, Lookup(name, AttrType::kDate, "a date"));
  Value x;
  x.type = AttrType::kDate;
  x.is_null = false;
  x.date = v;
  SetValue(slot, std::move(x));
  return Status::Ok();
}

Status Facts::SetSet(std::string_view name, std::vector<std::string> v) {
  TG_ASSIGN_OR_RETURN(int slot, Lookup(name, AttrType::kStringSet, "a set"));
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  Value x;
  x.type = AttrType::kStringSet;
  x.is_null = false;
  x.set = std::move(v);
  SetValue(slot, std::move(x));
  return Status::Ok();
}

Status Facts::SetNull(std::string_view name) {
  const Schema& s = Schema::Default();
  int slot = s.Slot(name);
  if (slot < 0) return InvalidArgument("unknown attribute '" + std::string(name) + "'");
  Value x;
  x.type = s.info(slot).type;
  SetValue(slot, std::move(x));
  return Status::Ok();
}

Status Facts::SetFromText(std::string_view name, std::string_view text) {
  const Schema& s = Schema::Default();
  int slot = s.Slot(name);
  if (slot < 0) return InvalidArgument("unknown attribute '" + std::string(name) + "'");
  if (text == "null") return SetNull(name);
  switch (s.info(slot).type) {
    case AttrType::kBool:
      if (text == "true") return SetBool(name, true);
      if (text == "false") return SetBool(name, false);
      return InvalidArgument("attribute " + std::string(name) + ": expected true or false, got '" +
                             std::string(text) + "'");
    case AttrType::kNumber:
      return SetNumber(name, text);
    case AttrType::kString:
      return SetString(name, text);
    case AttrType::kDate: {
      auto d = Date::Parse(text);
      if (!d.ok())
        return InvalidArgument("attribute " + std::string(name) + ": " + d.status().message());
      return SetDate(name, *d);
    }
    case AttrType::kStringSet: {
      std::vector<std::string> members;
      size_t b = 0;
      while (b <= text.size()) {
        size_t e = text.find(',', b);
        if (e == std::string_view::npos) e = text.size();
        std::string_view m = text.substr(b, e - b);
        while (!m.empty() && m.front() == ' ') m.remove_prefix(1);
        while (!m.empty() && m.back() == ' ') m.remove_suffix(1);
        if (!m.empty()) members.emplace_back(m);
        b = e + 1;
      }
      return SetSet(name, std::move(members));
    }
  }
  return Status::Ok();
}

}  // namespace tollgate
