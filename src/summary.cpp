#include "wijkmatch/summary.hpp"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "resources.hpp"

namespace wijkmatch {

Summary summarize(const Model& m, const Policy& policy) {
  Summary s;
  s.overloaded_helper_hours = policy.overloaded_helper_hours;
  s.households = static_cast<int>(m.households.size());
  s.residents = static_cast<int>(m.residents.size());
  s.ties = static_cast<int>(m.ties.size());
  s.needs = static_cast<int>(m.needs.size());
  s.offers = static_cast<int>(m.offers.size());
  s.professionals = static_cast<int>(m.professionals.size());
  std::set<std::string_view> neighbourhoods;
  for (const auto& r : m.residents) neighbourhoods.insert(r.neighbourhood);
  s.neighbourhoods = static_cast<int>(neighbourhoods.size());
  for (const auto& n : m.needs) {
    if (n.status == NeedStatus::closed) continue;
    ++s.open_needs;
    ++s.open_needs_by_domain[static_cast<std::size_t>(n.domain)];
    ++s.open_needs_by_severity[static_cast<std::size_t>(n.severity - 1)];
    s.crisis_needs += n.crisis || n.severity == 1;
    s.safety_reports += n.safety_report;
    s.rent_arrears_needs += n.rent_arrears_months > 0;
  }
  for (const auto& o : m.offers) {
    auto& l = s.by_level[static_cast<std::size_t>(o.level)];
    ++l.offers;
    // The seats that count now: an initiative's seats only as far as its volunteers carry them.
    l.seats += effective_seats(o);
    l.free_seats += std::max(0, o.free_seats());
  }
  for (const auto& p : m.professionals) {
    s.caseload_cap += p.caseload_cap;
    s.caseload += p.caseload;
  }
  const std::vector<double> given = detail::hours_given_by_helper(m);
  std::vector<char> has_tie(m.residents.size(), 0), helps(m.residents.size(), 0);
  for (const auto& t : m.ties) {
    s.informal_hours_per_week += t.hours_per_week;
    s.informal_hours_used += t.hours_used;
    has_tie[t.helper.index()] = has_tie[t.helped.index()] = 1;
    if (t.hours_per_week > 0) helps[t.helper.index()] = 1;
  }
  for (std::size_t r = 0; r < m.residents.size(); ++r) {
    s.informal_helpers += helps[r];
    s.overloaded_helpers += detail::helper_overloaded(given[r], policy);
    s.residents_without_ties += !has_tie[r];
    if (m.residents[r].offers_help) {
      ++s.residents_offering_help;
      s.help_hours_offered += m.residents[r].offers_help->hours_per_week;
    }
  }
  for (const auto& o : m.offers)
    if (o.resident_initiative() && o.initiative)
      ++s.initiatives_by_status[static_cast<std::size_t>(o.initiative->status)];
  for (auto& f : initiative_fragility(m, policy)) {
    s.places_over += f.places_over;
    if (!f.at_risk()) continue;
    s.places_at_risk += f.places_at_risk;
    s.initiative_keys.push_back(m[f.offer].key);
    s.initiatives_at_risk.push_back(std::move(f));
  }
  return s;
}

namespace {

std::string risks_text(const InitiativeFragility& f) {
  std::string out;
  for (auto r : f.risks) {
    if (!out.empty()) out += ", ";
    switch (r) {
      case InitiativeRisk::no_organiser: out += "no organiser left"; break;
      case InitiativeRisk::one_organiser: out += "one organiser"; break;
      case InitiativeRisk::overloaded_volunteers:
        out += std::to_string(f.overloaded_volunteers) + " overloaded volunteer" +
               (f.overloaded_volunteers == 1 ? "" : "s");
        break;
      case InitiativeRisk::hours_short:
        out += std::to_string(f.places_over) + " participant" + (f.places_over == 1 ? "" : "s") +
               " beyond what the volunteers carry";
        break;
    }
  }
  return out;
}

}  // namespace

std::string to_text(const Summary& s) {
  std::ostringstream out;
  out << "Neighbourhoods " << s.neighbourhoods << ", households " << s.households << ", residents " << s.residents
      << ", ties " << s.ties << "\n";
  out << "Needs " << s.needs << " (open " << s.open_needs << "; crisis " << s.crisis_needs << ", safety reports "
      << s.safety_reports << ", rent arrears " << s.rent_arrears_needs << ")\n";
  out << "\nOpen needs by life domain\n";
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (s.open_needs_by_domain[d] > 0)
      out << "  " << std::left << std::setw(22) << to_string(static_cast<LifeDomain>(d)) << std::right << std::setw(5)
          << s.open_needs_by_domain[d] << "\n";
  out << "Open needs by severity (1 acute .. 5 self-reliant):";
  for (std::size_t k = 0; k < 5; ++k) out << "  " << k + 1 << ": " << s.open_needs_by_severity[k];
  out << "\n\nOffers by ladder level      offers   seats    free\n";
  for (std::size_t l = 1; l < ladder_level_count; ++l) {
    const auto& v = s.by_level[l];
    out << "  " << std::left << std::setw(24) << to_string(static_cast<LadderLevel>(l)) << std::right << std::setw(8)
        << v.offers << std::setw(8) << v.seats << std::setw(8) << v.free_seats << "\n";
  }
  out << "\nTeam: " << s.professionals << " professionals, caseload " << s.caseload << " of " << s.caseload_cap
      << " (room " << s.caseload_cap - s.caseload << ")\n";
  out << std::fixed << std::setprecision(1);
  out << "Informal capacity: " << s.informal_hours_per_week << " hours/week over " << s.ties << " ties, "
      << s.informal_hours_used << " in use (" << s.informal_hours_per_week - s.informal_hours_used << " left); "
      << s.informal_helpers << " helpers, " << s.overloaded_helpers << " overloaded (> " << s.overloaded_helper_hours
      << " h/week); " << s.residents_without_ties << " residents without any tie\n";
  int initiatives = 0;
  for (int n : s.initiatives_by_status) initiatives += n;
  if (initiatives > 0 || s.residents_offering_help > 0) {
    out << "Help offered to neighbours: " << s.residents_offering_help << " residents, " << s.help_hours_offered
        << " hours/week\n";
    out << "\nResident initiatives " << initiatives << " (";
    for (std::size_t k = 0; k < initiative_status_count; ++k)
      out << (k ? ", " : "") << to_string(static_cast<InitiativeStatus>(k)) << " " << s.initiatives_by_status[k];
    out << "); at risk " << s.initiatives_at_risk.size() << ", " << s.places_at_risk
        << " participants would lose their place if the person it rests on most stopped";
    if (s.places_over > 0) out << "; " << s.places_over << " participants already beyond what volunteers carry";
    out << "\n";
    // A list to act on, not to scroll: the first few, and how many more.
    constexpr std::size_t shown = 20;
    for (std::size_t i = 0; i < std::min(shown, s.initiatives_at_risk.size()); ++i) {
      const auto& f = s.initiatives_at_risk[i];
      out << "  " << s.initiative_keys.at(i) << ": rests on " << f.rests_on << " (" << f.organisers << " organiser"
          << (f.organisers == 1 ? "" : "s") << "), " << f.volunteer_hours << " volunteer hours/week for "
          << f.hours_needed << " needed, " << f.occupancy << " participants in " << f.effective_seats << " places; "
          << risks_text(f) << "; " << f.places_at_risk << " places at risk\n";
    }
    if (s.initiatives_at_risk.size() > shown) out << "  and " << s.initiatives_at_risk.size() - shown << " more\n";
  }
  return out.str();
}

std::string to_json(const Summary& s, int indent) {
  nlohmann::ordered_json j;
  j["neighbourhoods"] = s.neighbourhoods;
  j["households"] = s.households;
  j["residents"] = s.residents;
  j["ties"] = s.ties;
  j["needs"] = s.needs;
  j["open_needs"] = s.open_needs;
  auto& by_domain = j["open_needs_by_domain"] = nlohmann::ordered_json::object();
  for (std::size_t d = 0; d < life_domain_count; ++d)
    by_domain[std::string(to_string(static_cast<LifeDomain>(d)))] = s.open_needs_by_domain[d];
  auto& by_sev = j["open_needs_by_severity"] = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < 5; ++k) by_sev[std::to_string(k + 1)] = s.open_needs_by_severity[k];
  j["crisis_needs"] = s.crisis_needs;
  j["safety_reports"] = s.safety_reports;
  j["rent_arrears_needs"] = s.rent_arrears_needs;
  auto& levels = j["offers_by_level"] = nlohmann::ordered_json::object();
  for (std::size_t l = 1; l < ladder_level_count; ++l)
    levels[std::string(to_string(static_cast<LadderLevel>(l)))] = {
        {"offers", s.by_level[l].offers}, {"seats", s.by_level[l].seats}, {"free_seats", s.by_level[l].free_seats}};
  j["professionals"] = s.professionals;
  j["caseload"] = {{"cap", s.caseload_cap}, {"current", s.caseload}, {"room", s.caseload_cap - s.caseload}};
  j["informal"] = {{"hours_per_week", s.informal_hours_per_week},
                   {"hours_used", s.informal_hours_used},
                   {"hours_left", s.informal_hours_per_week - s.informal_hours_used},
                   {"helpers", s.informal_helpers},
                   {"overloaded_helpers", s.overloaded_helpers},
                   {"residents_without_ties", s.residents_without_ties}};
  j["help_offered"] = {{"residents", s.residents_offering_help}, {"hours_per_week", s.help_hours_offered}};
  auto& initiatives = j["initiatives"] = nlohmann::ordered_json::object();
  auto& by_status = initiatives["by_status"] = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < initiative_status_count; ++k)
    by_status[std::string(to_string(static_cast<InitiativeStatus>(k)))] = s.initiatives_by_status[k];
  initiatives["places_at_risk"] = s.places_at_risk;
  initiatives["places_over"] = s.places_over;
  auto& at_risk = initiatives["at_risk"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < s.initiatives_at_risk.size(); ++i) {
    const auto& f = s.initiatives_at_risk[i];
    nlohmann::ordered_json risks = nlohmann::ordered_json::array();
    for (auto r : f.risks) risks.push_back(std::string(to_string(r)));
    at_risk.push_back({{"offer", s.initiative_keys.at(i)},
                       {"status", std::string(to_string(f.status))},
                       {"organisers", f.organisers},
                       {"volunteers", f.volunteers},
                       {"rests_on", f.rests_on},
                       {"volunteer_hours", f.volunteer_hours},
                       {"hours_needed", f.hours_needed},
                       {"seats", f.seats},
                       {"effective_seats", f.effective_seats},
                       {"occupancy", f.occupancy},
                       {"overloaded_volunteers", f.overloaded_volunteers},
                       {"places_over", f.places_over},
                       {"places_at_risk", f.places_at_risk},
                       {"risks", risks}});
  }
  return j.dump(indent) + "\n";
}

}  // namespace wijkmatch
