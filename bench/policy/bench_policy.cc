// Decisions per second on one core for the bundled US policy, in process, screening excluded.
//
// The mix: 4,096 order lines built from realistic item specs (catalog values), 16
// destinations, US and Taiwan ship-from, local and Chinese-headquartered parties, six end uses
// and dates spread evenly from 2022-07 to 2026-08, so every version and most rules are hit.
// Facts are built once; each iteration decides one line (full Decision: rules, obligations
// with exact amounts, conditions, explanation).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include "tollgate/policy.h"

namespace {

using tollgate::Date;
using tollgate::Facts;
using tollgate::PolicySet;

struct Item {
  const char* id;
  const char* vendor;
  const char* family;
  const char* kind;
  int datacenter;  // -1 unknown
  const char* tpp;
  const char* pd;
  const char* dram;
  const char* io;
  const char* release;
  const char* hbm_density;
};

const Item kItems[] = {
    {"nvidia-h200-sxm", "NVIDIA", "Hopper", "ic", 1, "15832", "19.45", "4800", "900", "2024-11-18",
     nullptr},
    {"nvidia-h100-sxm5-80gb", "NVIDIA", "Hopper", "ic", 1, "15832", "19.45", "3350", "900",
     "2022-09-20", nullptr},
    {"nvidia-h800-sxm5", "NVIDIA", "Hopper", "ic", 1, "15832", "19.45", "3360", "400", "2023-03-21",
     nullptr},
    {"nvidia-h20", "NVIDIA", "Hopper", "ic", 1, "2368", "2.91", "4000", "900", "2023-11-09",
     nullptr},
    {"nvidia-b200", "NVIDIA", "Blackwell", "ic", 1, "36000", "22", "8000", "1800", "2024-11-15",
     nullptr},
    {"nvidia-rtx-4090", "NVIDIA", "Ada", "ic", 0, "5286", "8.69", "1008", "64", "2022-09-20",
     nullptr},
    {"nvidia-l20", "NVIDIA", "Ada", "ic", 1, "1912", "3.14", "864", "64", "2023-11-16", nullptr},
    {"amd-mi325x", "AMD", "CDNA 3", "ic", 1, "20919", "20.57", "6000", "896", "2024-10-10",
     nullptr},
    {"amd-mi308x", "AMD", "CDNA 3", "ic", 1, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"intel-gaudi2", "Intel", "Gaudi", "ic", 1, "7200", nullptr, "2450", "600", "2022-05-10",
     nullptr},
    {"nvidia-hgx-h200", "NVIDIA", "Hopper", "system", 1, "15832", "19.45", "4800", "900", nullptr,
     nullptr},
    {"samsung-hbm3e-12h", "Samsung", "HBM3E", "hbm", -1, nullptr, nullptr, "1280", nullptr,
     "2024-02-27", "11.5"},
};
const char* kDest[] = {"CN", "CN", "CN", "HK", "MO", "AE", "SA", "VN",
                       "MY", "SG", "JP", "DE", "US", "RU", "IR", "IL"};
const char* kUse[] = {"commercial", "commercial", "datacenter",
                      "research",   "military",   "supercomputer"};

std::vector<std::pair<Facts, Date>> BuildMix(size_t n) {
  std::mt19937 rng(42);
  auto pick = [&](size_t k) { return std::uniform_int_distribution<size_t>(0, k - 1)(rng); };
  std::vector<std::pair<Facts, Date>> out;
  out.reserve(n);
  Date first = *Date::Parse("2022-07-01");
  for (size_t i = 0; i < n; ++i) {
    const Item& it = kItems[pick(std::size(kItems))];
    Facts f;
    (void)f.SetString("item.id", it.id);
    (void)f.SetString("item.vendor", it.vendor);
    (void)f.SetString("item.family", it.family);
    (void)f.SetString("item.kind", it.kind);
    if (it.datacenter >= 0) (void)f.SetBool("item.datacenter", it.datacenter == 1);
    if (it.tpp) (void)f.SetNumber("item.tpp", it.tpp);
    if (it.pd) (void)f.SetNumber("item.pd", it.pd);
    if (it.dram) (void)f.SetNumber("item.dram_bandwidth", it.dram);
    if (it.io) (void)f.SetNumber("item.io_bandwidth", it.io);
    if (it.release) (void)f.SetDate("item.release_date", *Date::Parse(it.release));
    if (it.hbm_density) (void)f.SetNumber("item.hbm_density", it.hbm_density);
    const char* dest = kDest[pick(std::size(kDest))];
    (void)f.SetString("destination", dest);
    (void)f.SetString("consignee.country", dest);
    (void)f.SetString("end_user.country", dest);
    const char* hq = pick(4) == 0 ? "CN" : dest;
    (void)f.SetString("consignee.hq", hq);
    (void)f.SetString("end_user.hq", hq);
    (void)f.SetString("ship_from", pick(3) == 0 ? "TW" : "US");
    (void)f.SetString("end_use", kUse[pick(std::size(kUse))]);
    if (pick(10) == 0) (void)f.SetString("order.licence", "D123456");
    int qty = 1 + static_cast<int>(pick(500));
    (void)f.SetNumber("order.quantity", tollgate::Decimal::FromInt(qty));
    (void)f.SetNumber("order.value", tollgate::Decimal::FromInt(qty * 31250));
    (void)f.SetNumber("order.customs_value", tollgate::Decimal::FromInt(qty * 25000));
    (void)f.SetString("order.currency", pick(5) == 0 ? "EUR" : "USD");
    Date d = first.AddDays(static_cast<int64_t>(pick(1520)));
    (void)f.SetDate("order.date", d);
    out.emplace_back(std::move(f), d);
  }
  return out;
}

const PolicySet& Policy() {
  static const PolicySet* p = [] {
    auto r = PolicySet::LoadBundled();
    if (!r.ok()) {
      std::cerr << r.status().ToString() << "\n";
      std::exit(1);
    }
    return new PolicySet(std::move(r).value());
  }();
  return *p;
}

const std::vector<std::pair<Facts, Date>>& Mix() {
  static const auto* m = new std::vector<std::pair<Facts, Date>>(BuildMix(4096));
  return *m;
}

// Arg: how many distinct lines cycle (256 stay in cache, as in a pipeline that decides each
// line right after building its facts; 4096 lines ≈ 30 MB of facts, mostly cache misses).
void BM_Decide(benchmark::State& state) {
  const PolicySet& p = Policy();
  const auto& mix = Mix();
  const size_t mask = static_cast<size_t>(state.range(0)) - 1;
  size_t i = 0, licences = 0;
  for (auto _ : state) {
    const auto& [f, d] = mix[i++ & mask];
    tollgate::Decision dec = p.Decide(f, d);
    licences += dec.decision == "licence";
    benchmark::DoNotOptimize(dec);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["licence_share"] =
      static_cast<double>(licences) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Decide)->Arg(256)->Arg(4096);

void BM_DecideReference(benchmark::State& state) {
  const PolicySet& p = Policy();
  const auto& mix = Mix();
  size_t i = 0;
  for (auto _ : state) {
    const auto& [f, d] = mix[i++ & 4095];
    benchmark::DoNotOptimize(p.DecideReference(f, d));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DecideReference);

void BM_ClassifyEccn(benchmark::State& state) {
  const PolicySet& p = Policy();
  const auto& mix = Mix();
  size_t i = 0;
  for (auto _ : state) {
    const auto& [f, d] = mix[i++ & 4095];
    benchmark::DoNotOptimize(p.ClassifyEccn(f, d));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ClassifyEccn);

void BM_LoadBundled(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(PolicySet::LoadBundled());
}
BENCHMARK(BM_LoadBundled)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
