// Fragility of resident initiatives: see include/wijkmatch/fragility.hpp.
#include "wijkmatch/fragility.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "resources.hpp"

namespace wijkmatch {
namespace {

constexpr std::array<std::string_view, initiative_risk_count> risk_names{"no_organiser", "one_organiser",
                                                                         "overloaded_volunteers", "hours_short"};

}  // namespace

std::string_view to_string(InitiativeRisk r) noexcept { return risk_names[static_cast<std::size_t>(r)]; }

std::vector<InitiativeFragility> initiative_fragility(const Model& m, const Policy& policy) {
  // Everything a resident gives a week: informal help through ties and volunteering anywhere,
  // the rule the ranking and the allocation apply too (resources.hpp).
  const std::vector<double> load = detail::hours_given_by_helper(m);

  std::vector<InitiativeFragility> out;
  std::vector<ResidentId> people;
  std::vector<std::pair<ResidentId, double>> hours_of;
  for (std::uint32_t i = 0; i < m.offers.size(); ++i) {
    const Offer& o = m.offers[i];
    if (!o.resident_initiative() || (o.initiative && o.initiative->status == InitiativeStatus::ended)) continue;
    InitiativeFragility f;
    f.offer = OfferId(i);
    f.status = o.initiative ? o.initiative->status : InitiativeStatus::running;
    f.organisers = static_cast<int>(o.organiser.residents.size());
    f.volunteers = static_cast<int>(o.volunteers.size());
    people = o.organiser.residents;
    for (const auto& v : o.volunteers) people.push_back(v.resident);
    std::sort(people.begin(), people.end());
    people.erase(std::unique(people.begin(), people.end()), people.end());
    f.rests_on = static_cast<int>(people.size());
    f.volunteer_hours = o.volunteer_hours();
    f.hours_needed = o.occupancy * o.hours_per_seat;
    f.seats = o.seats;
    f.effective_seats = effective_seats(o);
    f.occupancy = o.occupancy;
    for (const auto& v : o.volunteers)
      f.overloaded_volunteers += detail::helper_overloaded(load[v.resident.index()], policy);
    // A paused initiative (or one still an idea) has no places by its status, not for lack of hours.
    const bool active = f.status == InitiativeStatus::starting || f.status == InitiativeStatus::running;
    f.places_over = active ? std::max(0, o.occupancy - f.effective_seats) : 0;

    // Places carried now, and after each person in turn stops.
    const int carried = std::min(o.occupancy, f.effective_seats);
    if (f.organisers == 0) {
      f.places_at_risk = carried;
    } else {
      // effective_seats() reads only the sum of the hours: one stand-in volunteer holds what is left.
      Offer without = o;
      without.volunteers.assign(1, Volunteer{});
      hours_of.clear();
      for (const auto& v : o.volunteers) hours_of.emplace_back(v.resident, v.hours_per_week);
      std::sort(hours_of.begin(), hours_of.end());
      for (ResidentId p : people) {
        int lost = carried;
        if (!(f.organisers == 1 && o.organiser.residents.front() == p)) {
          const auto it = std::lower_bound(hours_of.begin(), hours_of.end(), std::pair(p, 0.0),
                                           [](const auto& a, const auto& b) { return a.first < b.first; });
          const double own = it != hours_of.end() && it->first == p ? it->second : 0.0;
          without.volunteers.front().hours_per_week = f.volunteer_hours - own;
          lost = carried - std::min(o.occupancy, effective_seats(without));
        }
        f.places_at_risk = std::max(f.places_at_risk, lost);
      }
    }
    if (f.organisers == 0) f.risks.push_back(InitiativeRisk::no_organiser);
    if (f.organisers == 1) f.risks.push_back(InitiativeRisk::one_organiser);
    if (f.overloaded_volunteers > 0) f.risks.push_back(InitiativeRisk::overloaded_volunteers);
    if (f.places_over > 0) f.risks.push_back(InitiativeRisk::hours_short);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace wijkmatch
