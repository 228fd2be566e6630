#include "tollgate/decision.h"

namespace tollgate {

std::string_view EffectName(Effect e) {
  switch (e) {
    case Effect::kNlr:
      return "nlr";
    case Effect::kException:
      return "exception";
    case Effect::kLicenceApproval:
      return "licence_approval";
    case Effect::kLicenceCaseByCase:
      return "licence_case_by_case";
    case Effect::kLicenceDenial:
      return "licence_denial";
    case Effect::kProhibited:
      return "prohibited";
  }
  return "nlr";
}

std::optional<Effect> ParseEffect(std::string_view n) {
  for (int i = 0; i <= static_cast<int>(Effect::kProhibited); ++i) {
    auto e = static_cast<Effect>(i);
    if (EffectName(e) == n) return e;
  }
  return std::nullopt;
}

}  // namespace tollgate
