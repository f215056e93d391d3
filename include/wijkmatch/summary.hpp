// Counts a team looks at first: needs by life domain, offers by ladder level, seats and free
// seats, the team's caseload room, the informal capacity of residents' networks, and the
// resident initiatives at risk (fragility.hpp).
#pragma once
#include <array>
#include <string>

#include <vector>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/fragility.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace wijkmatch {

struct LevelSummary {
  int offers = 0;
  long long seats = 0;       ///< effective_seats(): what volunteers carry, none for a paused initiative
  long long free_seats = 0;  ///< effective seats not taken (an offer over its effective seats counts 0)
  friend bool operator==(const LevelSummary&, const LevelSummary&) = default;
};

struct Summary {
  int households = 0, residents = 0, ties = 0, needs = 0, open_needs = 0, offers = 0, professionals = 0;
  int neighbourhoods = 0;  ///< distinct BU codes of residents
  std::array<int, life_domain_count> open_needs_by_domain{};
  std::array<int, 5> open_needs_by_severity{};  ///< index severity-1
  int crisis_needs = 0, safety_reports = 0, rent_arrears_needs = 0;
  std::array<LevelSummary, ladder_level_count> by_level{};  ///< own_network stays zero: it comes from ties
  long long caseload_cap = 0, caseload = 0;
  double informal_hours_per_week = 0.0, informal_hours_used = 0.0;
  int informal_helpers = 0;  ///< residents who help someone through a tie
  int overloaded_helpers =
      0;  ///< residents giving more than `overloaded_helper_hours` in total (ties and volunteering)
  double overloaded_helper_hours = 0.0;  ///< the policy's limit behind `overloaded_helpers`
  int residents_without_ties = 0;        ///< no tie in either direction: the collective route cannot lean on a network
  /// Resident initiatives by status (format v1.1), ended ones included.
  std::array<int, initiative_status_count> initiatives_by_status{};
  int residents_offering_help = 0;  ///< residents with `offers_help`
  double help_hours_offered = 0.0;  ///< their hours a week, summed
  /// The initiatives at risk (InitiativeFragility::at_risk), in offer order.
  std::vector<InitiativeFragility> initiatives_at_risk;
  std::vector<std::string> initiative_keys;  ///< the offer key of each of initiatives_at_risk
  /// Participants who would lose their place: places_at_risk summed over initiatives at risk.
  long long places_at_risk = 0;
  /// Participants beyond what volunteers carry now: places_over summed (each such initiative is at risk).
  long long places_over = 0;
  friend bool operator==(const Summary&, const Summary&) = default;
};

/// Counts under `policy`: a helper counts as overloaded above the policy's
/// `overloaded_helper_hours`, the same limit ranking and allocation use. O(residents + ties +
/// needs + offers + professionals).
Summary summarize(const Model& model, const Policy& policy = default_policy());

/// A readable report; `json` for machines (stable field names, see docs/cli.md).
std::string to_text(const Summary& summary);
std::string to_json(const Summary& summary, int indent = 2);

}  // namespace wijkmatch
