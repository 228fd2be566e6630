// Tollgate peer for the policy benchmark: decides every request of a CSV file
// (id,eccn,destination,end_use) under a policy directory, prints "id,allow|deny" per request
// (allow = no licence required) and timings to stderr: decide-only (facts built beforehand)
// and build+decide (facts built inside the timed loop, as the peers do with their requests).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/io.h"
#include "tollgate/policy.h"

using tollgate::Facts;

namespace {

bool Fill(Facts* f, const std::vector<tollgate::csv::Field>& r) {
  return f->SetString("item.eccn_table", r[1].value).ok() &&
         f->SetString("destination", r[2].value).ok() && f->SetString("end_use", r[3].value).ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: tollgate_peer POLICY_DIR REQUESTS.csv\n";
    return 2;
  }
  auto policy = tollgate::PolicySet::LoadDir(argv[1]);
  if (!policy.ok()) {
    std::cerr << policy.status().ToString() << "\n";
    return 2;
  }
  auto text = tollgate::ReadFileToString(argv[2]);
  if (!text.ok()) {
    std::cerr << text.status().ToString() << "\n";
    return 2;
  }
  tollgate::csv::Reader reader(*text, argv[2]);
  tollgate::csv::Record rec;
  tollgate::Diagnostic err;
  std::vector<std::vector<tollgate::csv::Field>> rows;
  bool header = true;
  while (true) {
    auto s = reader.Next(&rec, &err);
    if (s == tollgate::csv::Reader::Step::kEnd) break;
    if (s == tollgate::csv::Reader::Step::kError || rec.fields.size() != 4) {
      std::cerr << "bad request line " << rec.line << "\n";
      return 2;
    }
    if (header) {
      header = false;
      continue;
    }
    rows.push_back(rec.fields);
  }
  const auto as_of = *tollgate::Date::Parse("2026-01-01");
  std::vector<Facts> facts(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!Fill(&facts[i], rows[i])) {
      std::cerr << "bad request " << rows[i][0].value << "\n";
      return 2;
    }
  }
  std::vector<char> allow(rows.size());
  // Decide-only, several passes for a stable figure.
  const int kPasses = 20;
  auto t0 = std::chrono::steady_clock::now();
  for (int p = 0; p < kPasses; ++p)
    for (size_t i = 0; i < rows.size(); ++i)
      allow[i] = policy->Decide(facts[i], as_of).effect == tollgate::Effect::kNlr;
  double decide_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Build + decide.
  t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < rows.size(); ++i) {
    Facts f;
    Fill(&f, rows[i]);
    allow[i] = policy->Decide(f, as_of).effect == tollgate::Effect::kNlr;
  }
  double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i)
    out += rows[i][0].value + (allow[i] ? ",allow\n" : ",deny\n");
  std::fwrite(out.data(), 1, out.size(), stdout);
  double n = static_cast<double>(rows.size());
  std::fprintf(stderr,
               "tollgate decisions=%zu decide_only_per_sec=%.0f build_and_decide_per_sec=%.0f\n",
               rows.size(), n * kPasses / decide_s, n / build_s);
  return 0;
}
