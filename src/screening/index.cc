// ListIndex: loading, the candidate index, screening, brute force, diff and re-screening.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "core/io.h"
#include "screening/importers.h"
#include "screening/normalize.h"
#include "screening/score.h"
#include "screening/similarity.h"
#include "tollgate/screening.h"

namespace tollgate {

using screening::NameRep;
using screening::RepToken;
using screening::TokenKind;

std::string_view PartyTypeName(PartyType t) {
  switch (t) {
    case PartyType::kEntity:
      return "entity";
    case PartyType::kIndividual:
      return "individual";
    case PartyType::kVessel:
      return "vessel";
    case PartyType::kAircraft:
      return "aircraft";
  }
  return "entity";
}

namespace {

struct Posting {
  uint32_t name;
  uint32_t pos;
};

struct IndexedName {
  uint32_t entry;
  int32_t alias;  // index into entry.aliases, -1 for the primary name
  NameRep rep;
  float nonanchor_weight = 0;  // weight of tokens the index cannot find (initials)
};

// The strings a listed name is screened under: the name itself, the part before "; and any
// successor..." style clauses, the name without parentheses, and the parenthesised part
// ("... 13th Research Institute (CETC 13)" -> "CETC 13").
std::vector<std::string> NameVariants(const std::string& name) {
  std::vector<std::string> out{name};
  std::string base = name;
  size_t semi = base.find(';');
  if (semi != std::string::npos) {
    base = base.substr(0, semi);
    out.push_back(base);
  }
  std::string outside, inside;
  int depth = 0;
  std::vector<std::string> parts;
  for (char c : base) {
    if (c == '(') {
      if (depth++ == 0) inside.clear();
      continue;
    }
    if (c == ')' && depth > 0) {
      if (--depth == 0) parts.push_back(inside);
      continue;
    }
    (depth > 0 ? inside : outside).push_back(c);
  }
  if (!parts.empty()) {
    out.push_back(outside);
    for (auto& p : parts) out.push_back(p);
  }
  return out;
}

}  // namespace

struct ListIndex::Impl {
  std::vector<ListEntry> entries;
  std::vector<IndexedName> names;
  std::unordered_map<std::string, uint32_t> vocab;
  std::vector<RepToken> vocab_tok;
  std::vector<uint32_t> vocab_df;
  std::vector<std::vector<Posting>> postings;
  std::unordered_map<std::string, std::vector<uint32_t>> delete_index;
  std::unordered_map<std::string, std::vector<uint32_t>> phonetic_index;
  std::unordered_map<std::string, std::vector<uint32_t>> joined_index;
  std::map<std::pair<std::string, std::string>, size_t, std::less<>> by_key;
  double log_n = 1;

  // Rarity of a token in (0,1]: 1 for a token no listed name uses, lower for common ones
  // ("al", "mohammed", "trading"), floor 0.35. Inverse document frequency over names.
  double Rarity(const std::string& text) const {
    auto it = vocab.find(text);
    const double df = it == vocab.end() ? 0 : vocab_df[it->second];
    const double idf = std::log((names.size() + 1.0) / (df + 1.0));
    return std::clamp(0.35 + 0.65 * idf / log_n, 0.35, 1.0);
  }
  NameRep QueryRep(const screening::NormalizedName& n) const {
    return screening::MakeRep(n, [&](const std::string& t) { return Rarity(t); });
  }
  void Build();
  Result<ScreenResult> Run(std::string_view name, std::string_view country,
                           const ScreenOptions& options, bool brute_force, bool strict) const;
  size_t Memory() const;
};

void ListIndex::Impl::Build() {
  const auto& normalizer = screening::Normalizer::Default();
  struct Pending {
    uint32_t entry;
    int32_t alias;
    screening::NormalizedName n;
  };
  std::vector<Pending> pending;
  for (uint32_t ei = 0; ei < entries.size(); ++ei) {
    const ListEntry& e = entries[ei];
    by_key.emplace(std::make_pair(e.list, e.id), ei);
    std::set<std::string> seen;  // identical normalised variants of one entry count once
    auto add = [&](const std::string& text, int32_t alias) {
      for (const auto& v : NameVariants(text)) {
        screening::NormalizedName n = normalizer.Normalize(v);
        if (n.tokens.empty() && n.joined.empty()) continue;
        std::string key = n.joined + "|";
        for (const auto& t : n.tokens) key += t.text + " ";
        for (const auto& l : n.legal) key += l.compare + ",";
        if (!seen.insert(key).second) continue;
        pending.push_back(Pending{ei, alias, std::move(n)});
      }
    };
    add(e.name, -1);
    for (size_t a = 0; a < e.aliases.size(); ++a) add(e.aliases[a], static_cast<int32_t>(a));
  }
  // Document frequencies over names.
  for (const auto& p : pending) {
    std::set<std::string> distinct;
    for (size_t i = 0; i < p.n.tokens.size() && i < screening::kMaxNameTokens; ++i) {
      distinct.insert(p.n.tokens[i].text);
    }
    for (const auto& t : distinct) {
      auto [it, inserted] = vocab.emplace(t, static_cast<uint32_t>(vocab_tok.size()));
      if (inserted) {
        RepToken rt;
        rt.text = t;
        rt.phonetic = screening::PhoneticKey(t);
        vocab_tok.push_back(rt);
        vocab_df.push_back(0);
      }
      ++vocab_df[it->second];
    }
  }
  names.reserve(pending.size());
  log_n = std::log(pending.size() + 1.0);
  if (log_n <= 0) log_n = 1;
  for (auto& p : pending) {
    IndexedName in;
    in.entry = p.entry;
    in.alias = p.alias;
    in.rep = QueryRep(p.n);
    names.push_back(std::move(in));
  }
  postings.resize(vocab_tok.size());
  for (uint32_t ni = 0; ni < names.size(); ++ni) {
    IndexedName& in = names[ni];
    for (uint32_t pos = 0; pos < in.rep.tokens.size(); ++pos) {
      const RepToken& t = in.rep.tokens[pos];
      uint32_t v = vocab.at(t.text);
      vocab_tok[v].kind = t.kind;
      vocab_tok[v].anchor = t.anchor;
      if (t.anchor) {
        postings[v].push_back(Posting{ni, pos});
      } else {
        in.nonanchor_weight += t.weight;
      }
    }
    if (!in.rep.joined.empty()) joined_index[in.rep.joined].push_back(ni);
  }
  // Short chains: these maps are probed several times per query token.
  delete_index.max_load_factor(0.5f);
  delete_index.reserve(vocab_tok.size() * 10);
  phonetic_index.max_load_factor(0.5f);
  vocab.max_load_factor(0.5f);
  vocab.rehash(vocab.size() * 2);
  for (uint32_t v = 0; v < vocab_tok.size(); ++v) {
    const RepToken& t = vocab_tok[v];
    if (!t.anchor || t.kind == TokenKind::kNumber) continue;
    for (auto& k : screening::DeleteKeys(t.text)) delete_index[k].push_back(v);
    if (!t.phonetic.empty()) phonetic_index[t.phonetic].push_back(v);
  }
}

size_t ListIndex::Impl::Memory() const {
  size_t bytes = 0;
  for (const auto& e : entries) {
    bytes += sizeof(e) + e.name.capacity() + e.remarks.capacity() + e.fr_citation.capacity() +
             e.source_file.capacity();
    for (const auto& a : e.aliases) bytes += sizeof(a) + a.capacity();
    for (const auto& a : e.addresses) {
      bytes += sizeof(a) + a.address.capacity() + a.city.capacity() + a.country_name.capacity();
    }
    bytes += e.programmes.size() * 40 + e.countries.size() * 32;
  }
  for (const auto& n : names) {
    bytes += sizeof(n) + n.rep.joined.capacity();
    for (const auto& t : n.rep.tokens) bytes += sizeof(t) + t.text.capacity();
    bytes += n.rep.legal.size() * sizeof(screening::LegalForm);
  }
  for (const auto& p : postings) bytes += sizeof(p) + p.capacity() * sizeof(Posting);
  auto map_bytes = [](const auto& m) {
    size_t b = m.bucket_count() * sizeof(void*);
    for (const auto& [k, v] : m) b += 64 + k.capacity() + v.capacity() * sizeof(uint32_t);
    return b;
  };
  bytes += map_bytes(delete_index) + map_bytes(phonetic_index) + map_bytes(joined_index);
  bytes += vocab.size() * 64 + vocab_tok.size() * sizeof(RepToken);
  return bytes;
}

namespace {

// Per-thread scratch for candidate accumulation (stamp arrays instead of clearing).
struct Scratch {
  std::vector<uint32_t> stamp;
  std::vector<uint64_t> qmask, emask;
  std::vector<uint8_t> forced;
  std::vector<uint32_t> touched;
  std::vector<uint32_t> vocab_stamp;
  uint32_t epoch = 0;
  void Prepare(size_t names, size_t vocab) {
    if (stamp.size() < names) {
      stamp.assign(names, 0);
      qmask.assign(names, 0);
      emask.assign(names, 0);
      forced.assign(names, 0);
    }
    if (vocab_stamp.size() < vocab) vocab_stamp.assign(vocab, 0);
    if (++epoch == 0) {
      std::fill(stamp.begin(), stamp.end(), 0);
      std::fill(vocab_stamp.begin(), vocab_stamp.end(), 0);
      epoch = 1;
    }
    touched.clear();
  }
};

// Truncates to at most `max` bytes at a UTF-8 character boundary.
std::string_view TruncateUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

constexpr double kUpperBoundSlack = 1e-9;

}  // namespace

Result<ScreenResult> ListIndex::Impl::Run(std::string_view name, std::string_view country,
                                          const ScreenOptions& options, bool brute_force,
                                          bool strict) const {
  if (name.size() > options.max_query_bytes) {
    if (strict) {
      return ResourceExhausted("query is " + std::to_string(name.size()) + " bytes; the limit is " +
                               std::to_string(options.max_query_bytes) +
                               " (ScreenOptions::max_query_bytes)");
    }
    name = TruncateUtf8(name, options.max_query_bytes);
  }
  screening::NormalizedName n = screening::Normalizer::Default().Normalize(name);
  const size_t max_tokens = std::min(options.max_query_tokens, screening::kMaxNameTokens);
  if (n.tokens.size() > max_tokens) {
    if (strict) {
      return ResourceExhausted("query has " + std::to_string(n.tokens.size()) +
                               " tokens after normalisation; the limit is " +
                               std::to_string(max_tokens) + " (ScreenOptions::max_query_tokens)");
    }
    n.tokens.resize(max_tokens);
  }
  NameRep q = QueryRep(n);
  std::string cc;
  for (char c : country)
    cc.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  ScreenResult result;

  struct Best {
    double score;
    uint32_t name;
    std::vector<TokenMatch> matches;
  };
  std::unordered_map<uint32_t, Best> best;  // by entry
  std::vector<TokenMatch> matches;
  auto consider = [&](uint32_t ni) {
    const IndexedName& in = names[ni];
    double s = screening::ScorePair(q, in.rep, &matches);
    if (s <= 0) return;
    const ListEntry& e = entries[in.entry];
    if (options.use_country && !cc.empty() && !e.countries.empty() &&
        std::find(e.countries.begin(), e.countries.end(), cc) == e.countries.end()) {
      s *= screening::kCountryFactor;
    }
    if (s < options.threshold) return;
    auto it = best.find(in.entry);
    if (it == best.end()) {
      best.emplace(in.entry, Best{s, ni, matches});
    } else if (s > it->second.score || (s == it->second.score && ni < it->second.name)) {
      it->second = Best{s, ni, matches};
    }
  };

  if (brute_force) {
    for (uint32_t ni = 0; ni < names.size(); ++ni) consider(ni);
    result.candidates = names.size();
  } else {
    thread_local Scratch scratch;
    scratch.Prepare(names.size(), vocab_tok.size());
    const uint32_t epoch = scratch.epoch;
    auto touch = [&](uint32_t ni) {
      if (scratch.stamp[ni] != epoch) {
        scratch.stamp[ni] = epoch;
        scratch.qmask[ni] = 0;
        scratch.emask[ni] = 0;
        scratch.forced[ni] = 0;
        scratch.touched.push_back(ni);
      }
    };
    std::vector<uint32_t> related;
    double q_nonanchor = 0;
    for (uint32_t qi = 0; qi < q.tokens.size(); ++qi) {
      const RepToken& qt = q.tokens[qi];
      if (!qt.anchor) {
        q_nonanchor += qt.weight;
        continue;
      }
      related.clear();
      auto add_vocab = [&](uint32_t v) { related.push_back(v); };
      if (qt.kind == TokenKind::kNumber) {
        auto it = vocab.find(qt.text);
        if (it != vocab.end()) add_vocab(it->second);
      } else {
        for (const auto& k : screening::DeleteKeys(qt.text)) {
          auto it = delete_index.find(k);
          if (it == delete_index.end()) continue;
          for (uint32_t v : it->second) add_vocab(v);
        }
        if (!qt.phonetic.empty()) {
          auto it = phonetic_index.find(qt.phonetic);
          if (it != phonetic_index.end()) {
            for (uint32_t v : it->second) add_vocab(v);
          }
        }
      }
      std::sort(related.begin(), related.end());
      related.erase(std::unique(related.begin(), related.end()), related.end());
      for (uint32_t v : related) {
        const RepToken& vt = vocab_tok[v];
        if (!vt.anchor) continue;
        if (screening::TokenSimilarity(qt, vt) <= 0) continue;
        for (const Posting& p : postings[v]) {
          touch(p.name);
          scratch.qmask[p.name] |= uint64_t{1} << qi;
          scratch.emask[p.name] |= uint64_t{1} << p.pos;
        }
      }
    }
    if (!q.joined.empty()) {
      auto it = joined_index.find(q.joined);
      if (it != joined_index.end()) {
        for (uint32_t ni : it->second) {
          touch(ni);
          scratch.forced[ni] = 1;
        }
      }
    }
    // Upper bound of each candidate's score from what the index saw; candidates that cannot
    // reach the threshold are not scored (the bound is exact, so nothing is lost).
    std::vector<std::pair<double, uint32_t>> candidates;
    candidates.reserve(scratch.touched.size());
    for (uint32_t ni : scratch.touched) {
      const IndexedName& in = names[ni];
      double ub = 1.0;
      if (!scratch.forced[ni]) {
        double num_q = q_nonanchor, num_e = in.nonanchor_weight;
        for (uint64_t m = scratch.qmask[ni]; m; m &= m - 1) {
          num_q += q.tokens[__builtin_ctzll(m)].weight;
        }
        for (uint64_t m = scratch.emask[ni]; m; m &= m - 1) {
          num_e += in.rep.tokens[__builtin_ctzll(m)].weight;
        }
        double den_q = q.total_weight, den_e = in.rep.total_weight;
        if (in.rep.has_initial) num_q = den_q;
        if (q.has_initial) num_e = den_e;
        if (!q.legal.empty() && !in.rep.legal.empty()) {
          num_q += screening::kLegalWeight;
          num_e += screening::kLegalWeight;
          den_q += screening::kLegalWeight;
          den_e += screening::kLegalWeight;
        }
        const double cq = den_q > 0 ? std::min(1.0, num_q / den_q) : 1.0;
        const double ce = den_e > 0 ? std::min(1.0, num_e / den_e) : 1.0;
        ub = screening::CombineCoverage(cq, ce);
      }
      if (ub + kUpperBoundSlack < options.threshold) continue;
      candidates.emplace_back(ub, ni);
    }
    if (candidates.size() > options.max_candidates) {
      auto cmp = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      };
      std::nth_element(candidates.begin(), candidates.begin() + options.max_candidates,
                       candidates.end(), cmp);
      candidates.resize(options.max_candidates);
      result.candidates_truncated = true;
    }
    for (const auto& [ub, ni] : candidates) consider(ni);
    result.candidates = candidates.size();
  }

  for (auto& [entry_index, b] : best) {
    const ListEntry& e = entries[entry_index];
    const IndexedName& in = names[b.name];
    ScreeningHit h;
    h.list = e.list;
    h.entry_id = e.id;
    h.name = e.name;
    h.alias = in.alias < 0 ? "" : e.aliases[in.alias];
    h.score = b.score;
    h.matched_tokens = std::move(b.matches);
    h.countries = e.countries;
    h.programmes = e.programmes;
    h.type = e.type;
    h.fr_citation = e.fr_citation;
    result.hits.push_back(std::move(h));
  }
  std::sort(result.hits.begin(), result.hits.end(),
            [](const ScreeningHit& a, const ScreeningHit& b) {
              if (a.score != b.score) return a.score > b.score;
              if (a.list != b.list) return a.list < b.list;
              return a.entry_id < b.entry_id;
            });
  if (result.hits.size() > options.max_hits) result.hits.resize(options.max_hits);
  return result;
}

ListIndex::ListIndex() : impl_(std::make_shared<Impl>()) {}
ListIndex::ListIndex(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

ListIndex ListIndex::FromEntries(std::vector<ListEntry> entries) {
  auto impl = std::make_shared<Impl>();
  impl->entries = std::move(entries);
  impl->Build();
  return ListIndex(std::move(impl));
}

std::vector<ScreeningHit> ListIndex::Screen(std::string_view name, std::string_view country,
                                            const ScreenOptions& options) const {
  auto r = impl_->Run(name, country, options, /*brute_force=*/false, /*strict=*/false);
  return r.ok() ? std::move(r->hits) : std::vector<ScreeningHit>{};
}

Result<ScreenResult> ListIndex::TryScreen(std::string_view name, std::string_view country,
                                          const ScreenOptions& options) const {
  return impl_->Run(name, country, options, /*brute_force=*/false, /*strict=*/true);
}

std::vector<ScreeningHit> ListIndex::ScreenBruteForce(std::string_view name,
                                                      std::string_view country,
                                                      const ScreenOptions& options) const {
  auto r = impl_->Run(name, country, options, /*brute_force=*/true, /*strict=*/false);
  return r.ok() ? std::move(r->hits) : std::vector<ScreeningHit>{};
}

const std::vector<ListEntry>& ListIndex::entries() const { return impl_->entries; }

const ListEntry* ListIndex::Find(std::string_view list, std::string_view id) const {
  auto it = impl_->by_key.find(std::make_pair(std::string(list), std::string(id)));
  return it == impl_->by_key.end() ? nullptr : &impl_->entries[it->second];
}

size_t ListIndex::name_count() const { return impl_->names.size(); }
size_t ListIndex::MemoryBytes() const { return impl_->Memory(); }

double ScoreNamePair(std::string_view a, std::string_view b) {
  const auto& normalizer = screening::Normalizer::Default();
  auto rarity = [](const std::string&) { return 1.0; };
  NameRep qa = screening::MakeRep(normalizer.Normalize(a), rarity);
  NameRep qb = screening::MakeRep(normalizer.Normalize(b), rarity);
  return screening::ScorePair(qa, qb, nullptr);
}

// ---- Loading ----

namespace {

int FormatPriority(const std::string& format) {
  // Dedicated sources first, so an entry also carried by the CSL keeps its own file's data.
  if (format == "ofac_sdn" || format == "ofac_cons") return 0;
  if (format == "bis_dpl") return 1;
  if (format == "csl_csv" || format == "csl_json") return 2;
  return 3;
}

}  // namespace

Result<ListIndex> ListIndex::LoadDir(const std::string& dir, LoadReport* report,
                                     const ListLoadOptions& options) {
  namespace fs = std::filesystem;
  LoadReport local;
  LoadReport& rep = report ? *report : local;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFound("list directory '" + dir + "' does not exist or is not a directory");
  }
  std::vector<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) paths.push_back(it->path().string());
  }
  if (ec) return IoError("cannot read directory '" + dir + "': " + ec.message());
  std::sort(paths.begin(), paths.end());
  struct Found {
    std::string path, format, text;
  };
  std::vector<Found> found;
  for (const auto& p : paths) {
    std::string base = p.substr(p.find_last_of('/') + 1);
    if (base.empty() || base[0] == '.' || base == "README.md" || base == "PROVENANCE.md") continue;
    auto text = ReadFileToString(p, options.max_file_bytes);
    if (!text.ok()) {
      if (text.status().code() == StatusCode::kResourceExhausted) return text.status();
      Diagnostic d;
      d.file = p;
      d.message = text.status().message();
      rep.errors.push_back(d);
      continue;
    }
    std::string format = screening::DetectFormat(p, *text);
    if (format.empty()) {
      Diagnostic d;
      d.severity = Diagnostic::Severity::kWarning;
      d.file = p;
      d.message = "not a recognised list file; skipped";
      d.hint =
          "recognised: sdn.csv/cons_prim.csv (+ companions), CSL CSV/JSON, BIS DPL .txt, "
          "watch-list CSV with a 'name' column";
      rep.warnings.push_back(d);
      continue;
    }
    found.push_back(Found{p, format, std::move(*text)});
  }
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return FormatPriority(a.format) < FormatPriority(b.format);
  });
  auto companion = [&](const std::string& main_path, const char* name, std::string* path,
                       std::string* text) {
    std::string dir_of = main_path.substr(0, main_path.find_last_of('/') + 1);
    for (const auto& f : found) {
      if (f.path == dir_of + name) {
        *path = f.path;
        *text = f.text;
        return;
      }
    }
  };
  std::vector<ListEntry> all;
  std::set<std::pair<std::string, std::string>> keys;
  std::set<std::string> used_companions;
  for (const auto& f : found) {
    screening::ImportResult r;
    std::string list;
    if (f.format == "ofac_sdn" || f.format == "ofac_cons") {
      const bool sdn = f.format == "ofac_sdn";
      list = sdn ? "ofac_sdn" : "ofac_cons";
      screening::OfacFiles files;
      files.main_path = f.path;
      files.main_text = f.text;
      companion(f.path, sdn ? "alt.csv" : "cons_alt.csv", &files.alt_path, &files.alt_text);
      companion(f.path, sdn ? "add.csv" : "cons_add.csv", &files.add_path, &files.add_text);
      companion(f.path, sdn ? "sdn_comments.csv" : "cons_comments.csv", &files.comments_path,
                &files.comments_text);
      for (auto* p : {&files.alt_path, &files.add_path, &files.comments_path}) {
        if (!p->empty()) used_companions.insert(*p);
      }
      r = screening::ImportOfac(files, list, options);
    } else if (f.format == "csl_csv") {
      r = screening::ImportCslCsv(f.text, f.path, options);
      list = "mixed";
    } else if (f.format == "csl_json") {
      r = screening::ImportCslJson(f.text, f.path, options);
      list = "mixed";
    } else if (f.format == "bis_dpl") {
      r = screening::ImportBisDpl(f.text, f.path, options);
      list = "bis_dpl";
    } else if (f.format == "watchlist") {
      r = screening::ImportWatchList(f.text, f.path, options);
      list = "watchlist";
    } else {
      continue;  // companions are read with their main file
    }
    size_t added = 0;
    std::set<std::string> lists;
    for (auto& e : r.entries) {
      if (!keys.insert({e.list, e.id}).second) {
        Diagnostic d;
        d.severity = Diagnostic::Severity::kWarning;
        d.file = f.path;
        d.line = e.source_line;
        d.message = "entry " + e.list + " " + e.id + " (" + e.name +
                    ") was already loaded from another file; this copy is ignored";
        rep.warnings.push_back(d);
        continue;
      }
      if (all.size() >= options.max_entries) {
        return ResourceExhausted("more than " + std::to_string(options.max_entries) +
                                 " entries under '" + dir + "' (ListLoadOptions::max_entries)");
      }
      lists.insert(e.list);
      all.push_back(std::move(e));
      ++added;
    }
    if (list == "mixed" && lists.size() == 1) list = *lists.begin();
    for (auto& d : r.errors) rep.errors.push_back(std::move(d));
    for (auto& d : r.warnings) rep.warnings.push_back(std::move(d));
    rep.files.push_back(LoadedFile{list, f.path, f.format, added, r.date});
  }
  for (const auto& f : found) {
    if (f.format == "ofac_companion" && !used_companions.count(f.path)) {
      Diagnostic d;
      d.severity = Diagnostic::Severity::kWarning;
      d.file = f.path;
      d.message = "OFAC companion file without its sdn.csv / cons_prim.csv beside it; skipped";
      rep.warnings.push_back(d);
    }
  }
  if (rep.files.empty()) {
    return NotFound("no list files recognised under '" + dir + "'");
  }
  if (options.strict && !rep.errors.empty()) {
    return Status::FromDiagnostics(StatusCode::kParseError, rep.errors);
  }
  return FromEntries(std::move(all));
}

Result<ListIndex> ListIndex::LoadBundled(LoadReport* report) {
  return LoadDir(BundledDataRoot() + "/data/lists", report);
}

// ---- Versions ----

namespace {

std::vector<std::string> ChangedFields(const ListEntry& a, const ListEntry& b) {
  std::vector<std::string> f;
  auto addr = [](const ListEntry& e) {
    std::vector<std::string> v;
    for (const auto& x : e.addresses) v.push_back(x.address + "|" + x.city + "|" + x.country_name);
    std::sort(v.begin(), v.end());
    return v;
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (a.name != b.name) f.push_back("name");
  if (sorted(a.aliases) != sorted(b.aliases)) f.push_back("aliases");
  if (a.type != b.type) f.push_back("type");
  if (addr(a) != addr(b)) f.push_back("addresses");
  if (sorted(a.countries) != sorted(b.countries)) f.push_back("countries");
  if (sorted(a.programmes) != sorted(b.programmes)) f.push_back("programmes");
  if (a.fr_citation != b.fr_citation) f.push_back("fr_citation");
  if (a.start_date != b.start_date) f.push_back("start_date");
  if (a.end_date != b.end_date) f.push_back("end_date");
  if (a.remarks != b.remarks) f.push_back("remarks");
  return f;
}

}  // namespace

ListDiff DiffLists(const ListIndex& old_index, const ListIndex& new_index) {
  ListDiff diff;
  std::map<std::pair<std::string, std::string>, const ListEntry*> olds, news;
  for (const auto& e : old_index.entries()) olds[{e.list, e.id}] = &e;
  for (const auto& e : new_index.entries()) news[{e.list, e.id}] = &e;
  for (const auto& [k, e] : news) {
    auto it = olds.find(k);
    if (it == olds.end()) {
      diff.added.push_back(EntryChange{e->list, e->id, e->name, {}});
    } else {
      auto fields = ChangedFields(*it->second, *e);
      if (!fields.empty()) diff.changed.push_back(EntryChange{e->list, e->id, e->name, fields});
    }
  }
  for (const auto& [k, e] : olds) {
    if (!news.count(k)) diff.removed.push_back(EntryChange{e->list, e->id, e->name, {}});
  }
  return diff;
}

std::vector<RescreenChange> Rescreen(const ListIndex& old_index, const ListIndex& new_index,
                                     const std::vector<ScreeningQuery>& queries,
                                     const ScreenOptions& options) {
  std::vector<RescreenChange> out;
  auto keys = [](const std::vector<ScreeningHit>& hits) {
    std::set<std::pair<std::string, std::string>> k;
    for (const auto& h : hits) k.insert({h.list, h.entry_id});
    return k;
  };
  for (const auto& q : queries) {
    auto old_hits = old_index.Screen(q.name, q.country, options);
    auto new_hits = new_index.Screen(q.name, q.country, options);
    if (keys(old_hits) == keys(new_hits)) continue;
    RescreenChange c;
    c.query = q;
    c.kind = old_hits.empty()   ? "newly matched"
             : new_hits.empty() ? "no longer matched"
                                : "matched differently";
    c.old_hits = std::move(old_hits);
    c.new_hits = std::move(new_hits);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace tollgate
