#include "wijkmatch/summary.hpp"

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
    l.seats += o.seats;
    l.free_seats += o.free_seats();
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
  }
  return s;
}

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
  return j.dump(indent) + "\n";
}

}  // namespace wijkmatch
