// Fragility of resident initiatives: how many people each one rests on, its volunteer hours
// against the load it carries, and how many participants would lose their place if the one
// person it leans on most stopped. An eating club run by two neighbours stops when they stop;
// a course run by an organisation does not. See docs/format.md ("Format v1.1") and docs/cli.md
// (`wijkmatch summary`).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace wijkmatch {

/// Why an initiative is at risk.
enum class InitiativeRisk : std::uint8_t {
  no_organiser,           ///< nobody is left to run it
  one_organiser,          ///< it rests on one organiser: it stops when they stop
  overloaded_volunteers,  ///< a volunteer gives more hours a week, here, elsewhere and through ties, than the policy
                          ///< allows
  hours_short,            ///< participants beyond what the volunteers' hours carry (places_over > 0)
};
inline constexpr std::size_t initiative_risk_count = 4;
std::string_view to_string(InitiativeRisk) noexcept;

struct InitiativeFragility {
  OfferId offer;
  InitiativeStatus status = InitiativeStatus::running;
  int organisers = 0;            ///< organiser residents
  int volunteers = 0;            ///< volunteers listed
  int rests_on = 0;              ///< distinct residents among organisers and volunteers
  double volunteer_hours = 0.0;  ///< a week, summed over its volunteers
  double hours_needed = 0.0;     ///< occupancy x hours_per_seat: the load its participants put on the volunteers
  int seats = 0;
  int effective_seats = 0;  ///< wijkmatch::effective_seats()
  int occupancy = 0;
  int overloaded_volunteers = 0;  ///< volunteers above the policy's overloaded_helper_hours
  int places_over = 0;            ///< a starting or running initiative's occupancy above its effective seats (else 0)
  /// Participants who would lose a carried place if the person it rests on most stopped: all
  /// of them when that person is its only organiser (the initiative stops), otherwise those
  /// that person's volunteer hours carry. With no organiser left: every carried place.
  int places_at_risk = 0;
  std::vector<InitiativeRisk> risks;  ///< in the order of InitiativeRisk; empty: not at risk
  bool at_risk() const noexcept { return !risks.empty(); }
  friend bool operator==(const InitiativeFragility&, const InitiativeFragility&) = default;
};

/// Every resident initiative (organiser kind residents) that has not ended, in offer order.
/// A volunteer is overloaded when their hours a week at all offers plus the informal hours they
/// give through ties (`hours_used`) exceed `policy.overloaded_helper_hours`, the limit ranking
/// and allocation apply to informal helpers. O(offers + volunteers + organisers + ties).
std::vector<InitiativeFragility> initiative_fragility(const Model& model, const Policy& policy = default_policy());

}  // namespace wijkmatch
