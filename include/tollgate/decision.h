// The decision for one order line: what the policy engine produces, what the pipeline
// prints and what the ledger records. Shared vocabulary of policy, pipeline and ledger.
//
// Values only; safe to copy and share between threads.
#ifndef TOLLGATE_DECISION_H_
#define TOLLGATE_DECISION_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tollgate/core.h"

namespace tollgate {

// Rule effects, ordered from least to most strict. When several rules match, the strictest
// wins ("strictest wins"); every matching rule is still reported.
enum class Effect {
  kNlr = 0,                // no licence required
  kException = 1,          // licence exception available (NAC, ACA, ...)
  kLicenceApproval = 2,    // licence required, presumption of approval
  kLicenceCaseByCase = 3,  // licence required, case-by-case review
  kLicenceDenial = 4,      // licence required, presumption of denial
  kProhibited = 5,         // may not ship at all (embargo, military end use, ...)
};

// "nlr", "exception", "licence_approval", "licence_case_by_case", "licence_denial",
// "prohibited" (the spelling used in policy files and JSON).
std::string_view EffectName(Effect e);
std::optional<Effect> ParseEffect(std::string_view name);

// One rule that matched (or, in a trace, was tried).
struct RuleMatch {
  std::string id;
  Effect effect = Effect::kNlr;
  std::string cite;        // e.g. "88 FR 73458; 15 CFR 742.6(b)(10)(ii)"
  std::string note;        // optional
  std::string confidence;  // "" when certain; else e.g. "uncertain: no published instrument"
  std::string exception;   // for kException: "NAC", "ACA", ...
};

// Something the exporter owes or must do if the line ships.
struct Obligation {
  std::string kind;  // "revenue_share", "tariff", "certification", "volume_cap", "notification"
  std::string rule_id;
  std::string cite;
  // revenue_share / tariff:
  std::optional<Decimal> rate;      // 0.25 for 25%
  std::string base;                 // "sale_value" or "customs_value"
  std::optional<Money> amount;      // in the order currency, rounded half-even to minor unit
  std::optional<Money> amount_usd;  // with an FX table
  std::string payee;                // e.g. "US Treasury"
  // certification / volume_cap / notification:
  std::string detail;                // human-readable ("third-party testing in the US", ...)
  std::string name;                  // machine name ("us_third_party_testing", "nac", ...)
  int days = 0;                      // notification lead time
  std::optional<Decimal> cap_ratio;  // volume_cap: e.g. 0.5
  std::string cap_reference;         // volume_cap: e.g. "US"
  std::string cap_period;            // volume_cap: e.g. "quarter"
};

struct PolicyRef {
  std::string name;     // "us"
  std::string version;  // the id of the version in force, e.g. "2026-01-15"
  std::string hash;     // "sha256:..." content hash of the loaded policy text
};

// A restricted-party screening hit attached to a decision (see screening.h).
struct PartyHit {
  std::string party_role;  // "consignee" or "end_user"
  std::string party_name;
  std::string list;  // e.g. "ofac_sdn", "bis_entity_list"
  std::string entry_id;
  std::string name;   // primary name of the entry
  std::string alias;  // alias that matched ("" when the primary name did)
  double score = 0;   // [0,1]; see docs/screening.md
  // Which query token matched which entry token (normalised forms). Shown in `check`
  // output; the ledger records the hit's identity and score, not the tokens.
  std::vector<std::pair<std::string, std::string>> matched_tokens;
};

struct Decision {
  std::string order_id;
  int line = 0;
  // "nlr", "exception", "licence", "prohibited" or "hold".
  std::string decision;
  // "approval", "case_by_case", "denial" or "" (null) when no licence is required.
  std::string review;
  std::string exception;  // "NAC", ... or "" (null)
  std::string eccn;       // "3A090.a", ... or "" (null)
  Effect effect = Effect::kNlr;
  PolicyRef policy;
  std::vector<RuleMatch> rules;  // every rule that matched, strictest first
  std::vector<Obligation> obligations;
  std::vector<std::string> conditions;  // human-readable conditions of shipping
  std::vector<PartyHit> hits;
  std::string explanation;  // one sentence
};

}  // namespace tollgate

#endif  // TOLLGATE_DECISION_H_
