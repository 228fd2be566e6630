// bench_screening LISTS_ROOT [--queries N] [--write-queries FILE] [--names-out FILE]
//
// Loads LISTS_ROOT/ofac_sdn_2021-07 and LISTS_ROOT/ofac_nonsdn_cons_2025-12, builds the
// index over every name and alias, and screens N queries on one thread: half are listed
// names with a typo, a dropped word or unchanged, half are made-up company and person names
// (most are not on the lists, as in real order flow). Prints screens/s, p50/p99 latency,
// index build time and memory. --write-queries and --names-out feed the Python
// brute-force baseline (brute_force_jw.py) the same queries and names.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tollgate/screening.h"

namespace {

long MaxRssKb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

long CurrentRssKb() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * 4;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_screening LISTS_ROOT [--queries N] [--write-queries F]\n");
    return 2;
  }
  std::string root = argv[1];
  size_t n_queries = 20000;
  std::string write_queries, names_out;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--queries")) n_queries = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--write-queries")) write_queries = argv[i + 1];
    if (!std::strcmp(argv[i], "--names-out")) names_out = argv[i + 1];
  }
  using Clock = std::chrono::steady_clock;
  const long rss_start = CurrentRssKb();
  std::vector<tollgate::ListEntry> entries;
  auto t0 = Clock::now();
  for (const char* sub : {"/ofac_sdn_2021-07", "/ofac_nonsdn_cons_2025-12"}) {
    tollgate::LoadReport rep;
    auto idx = tollgate::ListIndex::LoadDir(root + sub, &rep);
    if (!idx.ok()) {
      std::fprintf(stderr, "%s\n", idx.status().ToString().c_str());
      return 2;
    }
    for (const auto& e : idx->entries()) entries.push_back(e);
  }
  auto t1 = Clock::now();
  // Warm the normaliser tables so build time is the index only.
  (void)tollgate::ScoreNamePair("warm up", "warm up");
  auto t2 = Clock::now();
  auto index = tollgate::ListIndex::FromEntries(entries);
  auto t3 = Clock::now();
  const long rss_after = CurrentRssKb();

  std::vector<std::string> names;
  for (const auto& e : index.entries()) {
    names.push_back(e.name);
    for (const auto& a : e.aliases) names.push_back(a);
  }
  if (!names_out.empty()) {
    std::ofstream out(names_out);
    for (const auto& n : names) out << n << "\n";
  }

  std::mt19937 rng(42);
  const char* first[] = {"Global", "Pacific", "Golden", "Eastern", "United",
                         "Star",   "Blue",    "Sino",   "Euro",    "Delta",
                         "Apex",   "Summit",  "Royal",  "Silver",  "Nova"};
  const char* second[] = {"Trading",  "Logistics", "Electronics", "Machinery", "Textiles", "Foods",
                          "Shipping", "Chemicals", "Software",    "Metals",    "Optics"};
  const char* forms[] = {"Co Ltd", "LLC", "GmbH", "Inc", "Limited", "SA", ""};
  const char* given[] = {"James",  "Wei",  "Maria", "Ahmed", "Olga",    "Chen",
                         "Fatima", "Ivan", "Lucas", "Aisha", "Hiroshi", "Elena"};
  const char* family[] = {"Smith", "Wang",  "Garcia", "Hassan", "Petrova", "Li",
                          "Khan",  "Novak", "Silva",  "Tanaka", "Mueller", "Okafor"};
  std::vector<std::string> queries;
  for (size_t i = 0; i < n_queries; ++i) {
    std::string q;
    if (i % 2 == 0) {
      q = names[rng() % names.size()];
      switch (rng() % 3) {
        case 0:
          if (q.size() > 4) q[1 + rng() % (q.size() - 2)] = 'e';
          break;
        case 1:
          if (auto sp = q.find(' '); sp != std::string::npos) q = q.substr(sp + 1);
          break;
        default:
          break;
      }
    } else if (i % 4 == 1) {
      q = std::string(first[rng() % 15]) + " " + second[rng() % 11] + " " + forms[rng() % 7];
    } else {
      q = std::string(given[rng() % 12]) + " " + family[rng() % 12];
    }
    queries.push_back(q);
  }
  if (!write_queries.empty()) {
    std::ofstream out(write_queries);
    for (const auto& q : queries) out << q << "\n";
  }

  // Thread CPU time per query as well as wall time: on a shared machine (load average above
  // the core count) wall-clock latency includes time the thread was preempted.
  auto cpu_us = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
  };
  std::vector<double> lat, cpu;
  lat.reserve(queries.size());
  cpu.reserve(queries.size());
  size_t total_hits = 0;
  // One warm-up pass over 1000 queries (thread-local scratch, ICU on first non-ASCII).
  for (size_t i = 0; i < std::min<size_t>(1000, queries.size()); ++i) {
    total_hits += index.Screen(queries[i], "").size();
  }
  total_hits = 0;
  auto s0 = Clock::now();
  const double c0 = cpu_us();
  for (const auto& q : queries) {
    auto a = Clock::now();
    const double ca = cpu_us();
    total_hits += index.Screen(q, "").size();
    cpu.push_back(cpu_us() - ca);
    auto b = Clock::now();
    lat.push_back(std::chrono::duration<double, std::micro>(b - a).count());
  }
  const double cpu_total_s = (cpu_us() - c0) / 1e6;
  auto s1 = Clock::now();
  if (std::getenv("BENCH_SLOWEST")) {
    std::vector<std::pair<double, size_t>> order;
    for (size_t i = 0; i < lat.size(); ++i) order.emplace_back(lat[i], i);
    std::sort(order.rbegin(), order.rend());
    for (size_t k = 0; k < 15 && k < order.size(); ++k) {
      auto r = index.TryScreen(queries[order[k].second], "");
      std::printf("slow %.0f us candidates %zu: %s\n", order[k].first, r.ok() ? r->candidates : 0,
                  queries[order[k].second].c_str());
    }
  }
  std::sort(lat.begin(), lat.end());
  std::sort(cpu.begin(), cpu.end());
  const double secs = std::chrono::duration<double>(s1 - s0).count();
  auto pct = [&](double p) { return lat[std::min(lat.size() - 1, size_t(p * lat.size()))]; };
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::printf("entries %zu, names indexed %zu (names+aliases as published: %zu)\n",
              index.entries().size(), index.name_count(), names.size());
  std::printf("list parse time %.1f ms, index build time %.1f ms\n", ms(t0, t1), ms(t2, t3));
  std::printf("index memory (estimate) %.1f MB, process RSS growth %.1f MB, max RSS %.1f MB\n",
              index.MemoryBytes() / 1e6, (rss_after - rss_start) / 1024.0, MaxRssKb() / 1024.0);
  std::printf(
      "queries %zu on one thread: %.0f screens/s, p50 %.1f us, p99 %.1f us, max %.1f "
      "us, hits %zu (threshold %.2f)\n",
      queries.size(), queries.size() / secs, pct(0.50), pct(0.99), lat.back(), total_hits,
      tollgate::kDefaultScreenThreshold);
  auto cpct = [&](double p) { return cpu[std::min(cpu.size() - 1, size_t(p * cpu.size()))]; };
  std::printf(
      "same run in thread CPU time: %.0f screens/s per core, p50 %.1f us, p99 %.1f us, "
      "max %.1f us\n",
      queries.size() / cpu_total_s, cpct(0.50), cpct(0.99), cpu.back());
  std::printf("load average at end: %s", [] {
    static char buf[64] = "?\n";
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
      if (!std::fgets(buf, sizeof buf, f)) std::snprintf(buf, sizeof buf, "?\n");
      std::fclose(f);
    }
    return buf;
  }());
  std::printf("SCREENS_PER_SEC %.0f\n", queries.size() / cpu_total_s);
  return 0;
}
