// Ranking, eligibility: which exception rule fires for a need, and the first condition a
// candidate fails (the order of docs/ranking.md). See src/ranking_detail.hpp.
#include "ranking_detail.hpp"
#include "resources.hpp"

namespace wijkmatch::detail {

std::optional<FiredException> exception_for(const RankingIndex& index, NeedId id) {
  const Need& n = index.model[id];
  const int override_level = index.need_override_level[id.index()];
  for (const auto& rule : index.policy.exceptions) {
    bool fires = false;
    LadderLevel level = rule.level;
    switch (rule.kind) {
      case ExceptionKind::crisis: fires = n.crisis || n.severity == 1; break;
      case ExceptionKind::safety_report: fires = n.safety_report; break;
      case ExceptionKind::rent_arrears: fires = n.rent_arrears_months >= rule.min_months; break;
      case ExceptionKind::severity: fires = n.severity <= rule.max_severity; break;
      case ExceptionKind::override_:
        fires = override_level >= 0;
        if (fires) level = static_cast<LadderLevel>(override_level);
        break;
    }
    if (fires)
      return FiredException{rule.name, rule.kind, level,
                            exception_reason(rule, n, index.need_override_reason[id.index()]), std::nullopt};
  }
  return std::nullopt;
}

std::optional<RejectReason> offer_fails(const OfferFacts& offer, const Need& need, const Resident& res,
                                        const OfferCandidate& where, float language, bool exception) noexcept {
  const bool collective = offer.level == LadderLevel::collective;
  if (is_professional(offer.level) && res.care_avoider && !exception) return RejectReason::care_avoider;
  if (collective && res.group_averse) return RejectReason::group_averse;
  if (where.distance_m > where.limit_m) return RejectReason::too_far;
  if (offer.schedule != 0 && (offer.schedule & res.availability.bits) == 0) return RejectReason::no_shared_day_part;
  if (language == 0.0F) return RejectReason::language;
  if (offer.age_bands != 0 && !AgeBandSet{offer.age_bands}.contains(res.age_band)) return RejectReason::age;
  if (need.severity < offer.severity_min || need.severity > offer.severity_max)
    return RejectReason::severity_out_of_range;
  return std::nullopt;
}

std::optional<RejectReason> tie_fails(const Tie& tie, double hours_given, const Policy& policy) noexcept {
  if (helper_overloaded(hours_given, policy)) return RejectReason::helper_overloaded;
  if (tie.hours_left() <= 0.0) return RejectReason::no_hours_left;
  return std::nullopt;
}

}  // namespace wijkmatch::detail
