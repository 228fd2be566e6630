// Adapter: catalog and classifier (see backends.h). One translation unit per part: the
// parts' public headers are not all compatible with each other in one unit.
#include "pipeline/backends.h"

#include <charconv>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#if TOLLGATE_HAVE_CATALOG && TOLLGATE_HAVE_CLASSIFY
#include "tollgate/catalog.h"
#include "tollgate/classify.h"
#endif

namespace tollgate::backends {

namespace {

[[maybe_unused]] Status Unavailable(const std::string& what) {
  return FailedPrecondition(what + " is not available in this build");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Catalog + classification

#if TOLLGATE_HAVE_CATALOG && TOLLGATE_HAVE_CLASSIFY
namespace {

// A double from the catalog as an exact decimal: the shortest decimal that round-trips to
// the same double (so 4988.8 stays 4988.8 and no threshold comparison shifts).
std::optional<Decimal> DoubleToDecimal(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  if (res.ec != std::errc()) return std::nullopt;
  std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
  auto d = Decimal::Parse(text);
  if (d.ok()) return *d;
  // More than 18 fraction digits (tiny values): round to 12 places.
  std::snprintf(buf, sizeof(buf), "%.12f", v);
  d = Decimal::Parse(buf);
  if (d.ok()) return *d;
  return std::nullopt;
}

class CatalogResolver : public ItemResolver {
 public:
  explicit CatalogResolver(Catalog c) : catalog_(std::move(c)) {}

  // Classification is pure in (item, date), and order books repeat both, so results are
  // memoised (bounded; cleared when full). The mutex keeps the resolver thread-safe.
  Result<ResolvedItem> Resolve(std::string_view item, Date as_of) const override {
    std::string key = std::string(item) + '\x1f' + as_of.ToString();
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = cache_.find(key);
      if (it != cache_.end()) return it->second;
    }
    auto r = ResolveUncached(item, as_of);
    if (r.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (cache_.size() >= kMaxCached) cache_.clear();
      cache_.emplace(std::move(key), *r);
    }
    return r;
  }

 private:
  static constexpr size_t kMaxCached = 4096;

  Result<ResolvedItem> ResolveUncached(std::string_view item, Date as_of) const {
    auto found = catalog_.Find(item);
    if (!found.ok()) return found.status();
    const Chip& chip = **found;
    ResolvedItem r;
    r.id = chip.id;
    r.name = chip.DisplayName();
    r.vendor = chip.vendor;
    auto num = [&](const char* name, const std::optional<double>& v) {
      if (!v) return;
      if (auto d = DoubleToDecimal(*v)) r.attributes[name] = *d;
    };
    r.attributes["item.family"] = chip.family;
    r.attributes["item.kind"] = std::string(ChipKindName(chip.kind));
    if (chip.datacenter) r.attributes["item.datacenter"] = *chip.datacenter;
    num("item.published_tpp", chip.published_tpp);
    num("item.dram_bandwidth", chip.dram_bandwidth_gbs);
    num("item.io_bandwidth", chip.io_bandwidth_gbs);
    num("item.die_area", chip.die_area_mm2);
    num("item.memory", chip.memory_gb);
    num("item.hbm_density", chip.HbmBandwidthDensity());
    num("item.fp64", chip.fp64);
    num("item.fp32", chip.fp32);
    num("item.tf32", chip.tf32);
    num("item.fp16", chip.fp16);
    num("item.bf16", chip.bf16);
    num("item.fp8", chip.fp8);
    num("item.fp4", chip.fp4);
    num("item.int8", chip.int8);
    num("item.int4", chip.int4);
    if (chip.release_date) r.attributes["item.release_date"] = *chip.release_date;
    auto cl = Classify(chip, as_of);
    if (cl.ok()) {
      num("item.tpp", cl->tpp);
      num("item.pd", cl->pd);
      r.eccn = cl->eccn;
      if (!cl->eccn_determined)
        r.unclassified_reason =
            cl->undetermined_reason.empty() ? "specs incomplete" : cl->undetermined_reason;
    } else {
      // Invalid specs: fall back to the TPP formula alone; the policy sees no pd.
      auto tpp = ComputeTpp(chip);
      if (tpp.ok()) num("item.tpp", *tpp);
      r.unclassified_reason = cl.status().message();
    }
    return r;
  }

  Catalog catalog_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, ResolvedItem> cache_;
};

}  // namespace

Result<std::unique_ptr<ItemResolver>> MakeCatalogResolver(const std::string& catalog_file) {
  auto c = catalog_file.empty() ? Catalog::LoadBundled() : Catalog::LoadFile(catalog_file);
  if (!c.ok()) return c.status();
  return std::unique_ptr<ItemResolver>(new CatalogResolver(std::move(c).value()));
}
#else
Result<std::unique_ptr<ItemResolver>> MakeCatalogResolver(const std::string&) {
  return Unavailable("the chip catalog and classifier");
}
#endif

}  // namespace tollgate::backends
