// The rules about capacity that ranking, allocation, plans and the summary share, each in one
// place: how many hours an informal helper already gives, when a helper counts as
// overloaded, and how well a professional suits a resident or household.
#pragma once
#include <vector>

#include "wijkmatch/graph.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace wijkmatch::detail {

/// Hours a week `helper` already gives, the one rule of ranking, allocation, fragility and
/// the summary: the `hours_used` of the ties they help through (helps edges, in tie order),
/// then the hours they volunteer at offers (volunteers_at edges, in offer order), then the hours
/// of help they offered neighbours that are in use (`offers_help.hours_used`). All are time
/// the helper is not free for other help, so all count toward overload. Summed in the graph's
/// edge order, so that the live engine's value equals a fresh one. O(their edges).
double hours_given(const LiveGraph& graph, const Model& model, ResidentId helper);

/// hours_given() of every resident of the graph. O(residents + their edges).
std::vector<double> hours_given_by_helper(const LiveGraph& graph, const Model& model);
/// hours_given() of every resident, on the model's graph, summed from the model's arrays in the
/// same order (no graph built). O(residents + ties + volunteers).
std::vector<double> hours_given_by_helper(const Model& model);

/// A helper giving more than the policy's `overloaded_helper_hours` is not asked for more (a
/// heavily burdened informal carer, "zwaarbelaste mantelzorger"; SCP takes more than 8 hours a
/// week for a long time as one signal, the default policy flags the clearly unsustainable 20).
inline bool helper_overloaded(double hours_given, const Policy& policy) noexcept {
  return hours_given > policy.overloaded_helper_hours;
}

/// Informal hours a helper can still be asked for before counting as overloaded (>= 0).
inline double helper_hours_before_overload(double hours_given, const Policy& policy) noexcept {
  return hours_given < policy.overloaded_helper_hours ? policy.overloaded_helper_hours - hours_given : 0.0;
}

/// How well a professional suits a need or a household, in [0, 1]:
/// 0.5 x `specialism_share` (the share of the life domains concerned among the specialisms)
/// + 0.3 x `speaks_language` (a first language of the resident or a household member)
/// + 0.2 x the free share of the caseload (0 without a caseload cap).
double professional_score(const Professional& professional, double specialism_share, bool speaks_language) noexcept;

/// Whether the professional speaks `resident`'s first language.
bool speaks_first_language(const Professional& professional, const Resident& resident) noexcept;

}  // namespace wijkmatch::detail
