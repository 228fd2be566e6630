// Adapter: restricted-party screening (see backends.h). One translation unit per part: the
// parts' public headers are not all compatible with each other in one unit.
#include "pipeline/backends.h"

#if TOLLGATE_HAVE_SCREENING
#include "tollgate/screening.h"
#endif

namespace tollgate::backends {

namespace {

[[maybe_unused]] Status Unavailable(const std::string& what) {
  return FailedPrecondition(what + " is not available in this build");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Screening

#if TOLLGATE_HAVE_SCREENING
namespace {

class IndexScreener : public PartyScreener {
 public:
  IndexScreener(ListIndex index, double threshold) : index_(std::move(index)) {
    options_.threshold = threshold;
  }
  Result<std::vector<PartyHit>> Screen(std::string_view name,
                                       const Country& country) const override {
    std::vector<PartyHit> out;
    for (const auto& h : index_.Screen(name, country.code(), options_)) {
      PartyHit p;
      p.list = h.list;
      p.entry_id = h.entry_id;
      p.name = h.name;
      p.alias = h.alias;
      p.score = h.score;
      for (const auto& t : h.matched_tokens)
        p.matched_tokens.emplace_back(t.query_token, t.entry_token);
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  ListIndex index_;
  ScreenOptions options_;
};

}  // namespace

Result<std::unique_ptr<PartyScreener>> MakeListScreener(const std::string& dir, double threshold,
                                                        std::vector<std::string>* loaded) {
  LoadReport report;
  auto idx = dir.empty() ? ListIndex::LoadBundled(&report) : ListIndex::LoadDir(dir, &report);
  if (!idx.ok()) return idx.status();
  if (loaded)
    for (const auto& f : report.files)
      loaded->push_back(f.list + " " + f.file + " (" + std::to_string(f.entries) + " entries" +
                        (f.date.empty() ? "" : ", " + f.date) + ")");
  return std::unique_ptr<PartyScreener>(new IndexScreener(std::move(idx).value(), threshold));
}
double DefaultScreenThreshold() { return kDefaultScreenThreshold; }
#else
Result<std::unique_ptr<PartyScreener>> MakeListScreener(const std::string&, double,
                                                        std::vector<std::string>*) {
  return Unavailable("restricted-party screening");
}
double DefaultScreenThreshold() { return 0.80; }
#endif

}  // namespace tollgate::backends
