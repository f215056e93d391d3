#include "wijkmatch/plan.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "resources.hpp"

namespace wijkmatch {

HouseholdPlan plan(const Ranker& ranker, HouseholdId household) {
  const Model& m = ranker.model();
  if (household.index() >= m.households.size()) throw Error("plan: household index out of range");
  HouseholdPlan out;
  out.household = household;
  const std::string& area = m[household].neighbourhood;

  std::vector<ResidentId> members;
  for (std::uint32_t r = 0; r < m.residents.size(); ++r)
    if (m.residents[r].household == household) members.emplace_back(r);
  DomainSet domains;
  for (std::uint32_t n = 0; n < m.needs.size(); ++n) {
    const Need& need = m.needs[n];
    if (need.status == NeedStatus::closed || m[need.resident].household != household) continue;
    out.rankings.push_back(ranker.rank(NeedId(n), RankRequest::full()));
    domains.insert(need.domain);
  }

  // Combine: an acceptable collective option proposed for several needs is one place to go.
  std::map<std::uint32_t, std::vector<NeedId>> by_offer;
  for (const auto& r : out.rankings)
    for (const auto& o : r.options)
      if (o.offer.valid() && o.level == LadderLevel::collective && o.acceptable)
        by_offer[o.offer.index()].push_back(r.need);
  for (auto& [offer, needs] : by_offer) {
    if (needs.size() >= 2) out.combined.push_back({OfferId(offer), needs});
  }
  std::sort(out.combined.begin(), out.combined.end(), [](const CombinedOffer& a, const CombinedOffer& b) {
    return a.needs.size() != b.needs.size() ? a.needs.size() > b.needs.size() : a.offer < b.offer;
  });

  // Coordinator: must work in the area and have room; then specialism coverage, language, room.
  int domain_count = 0;
  for (std::size_t d = 0; d < life_domain_count; ++d) domain_count += domains.contains(static_cast<LifeDomain>(d));
  for (std::uint32_t p = 0; p < m.professionals.size(); ++p) {
    const Professional& pro = m.professionals[p];
    CoordinatorCandidate c;
    c.professional = ProfessionalId(p);
    const bool in_area = std::find(pro.work_area.begin(), pro.work_area.end(), area) != pro.work_area.end();
    const bool has_room = pro.caseload_room() > 0;
    int covered = 0;
    for (std::size_t d = 0; d < life_domain_count; ++d)
      covered += domains.contains(static_cast<LifeDomain>(d)) && pro.specialisms.contains(static_cast<LifeDomain>(d));
    const bool language = std::any_of(members.begin(), members.end(),
                                      [&](ResidentId r) { return detail::speaks_first_language(pro, m[r]); });
    const double coverage = domain_count ? static_cast<double>(covered) / domain_count : 0.0;
    c.eligible = in_area && has_room;
    c.score = std::round(detail::professional_score(pro, coverage, language) * 1e6) / 1e6;
    c.reasons.push_back(in_area ? "works in " + area : "does not work in " + area);
    c.reasons.push_back(has_room ? std::to_string(pro.caseload_room()) + " of " + std::to_string(pro.caseload_cap) +
                                       " caseload places free"
                                 : "caseload full (" + std::to_string(pro.caseload_cap) + ")");
    c.reasons.push_back("specialisms cover " + std::to_string(covered) + " of the household's " +
                        std::to_string(domain_count) + " life domains");
    c.reasons.push_back(language ? "speaks the household's first language"
                                 : "does not speak the household's first language");
    out.candidates.push_back(std::move(c));
  }
  std::sort(out.candidates.begin(), out.candidates.end(),
            [](const CoordinatorCandidate& a, const CoordinatorCandidate& b) {
              if (a.eligible != b.eligible) return a.eligible;
              if (a.score != b.score) return a.score > b.score;
              return a.professional < b.professional;
            });
  if (!out.candidates.empty() && out.candidates.front().eligible) out.coordinator = out.candidates.front().professional;
  return out;
}

HouseholdPlan plan(const Model& model, HouseholdId household, const Policy& policy) {
  return plan(Ranker(model, policy), household);
}

std::string plan_to_json(const Model& m, const HouseholdPlan& p, int indent) {
  nlohmann::ordered_json j;
  j["household"] = m[p.household].key;
  j["neighbourhood"] = m[p.household].neighbourhood;
  j["coordinator"] = p.coordinator ? nlohmann::ordered_json(m[*p.coordinator].key) : nlohmann::ordered_json(nullptr);
  auto& cands = j["coordinator_candidates"] = nlohmann::ordered_json::array();
  for (const auto& c : p.candidates)
    cands.push_back({{"professional", m[c.professional].key},
                     {"eligible", c.eligible},
                     {"score", c.score},
                     {"reasons", c.reasons}});
  auto& comb = j["combined"] = nlohmann::ordered_json::array();
  for (const auto& c : p.combined) {
    nlohmann::ordered_json needs = nlohmann::ordered_json::array();
    for (NeedId n : c.needs) needs.push_back(m[n].key);
    comb.push_back({{"offer", m[c.offer].key}, {"needs", needs}});
  }
  j["rankings"] = nlohmann::ordered_json::parse(rankings_to_json(m, p.rankings, -1))["rankings"];
  return j.dump(indent) + "\n";
}

std::string plan_to_text(const Model& m, const HouseholdPlan& p) {
  std::ostringstream out;
  out << "Plan for household " << m[p.household].key << " (" << m[p.household].neighbourhood
      << "): " << p.rankings.size() << " open needs\n";
  if (p.coordinator) {
    out << "Coordinator: " << m[*p.coordinator].key << "\n";
    for (const auto& r : p.candidates.front().reasons) out << "  - " << r << "\n";
  } else {
    out << "Coordinator: none available (no professional with room works in this neighbourhood); escalate to the team "
           "lead\n";
  }
  for (const auto& c : p.combined) {
    out << "Together: " << m[c.offer].key << " covers";
    for (NeedId n : c.needs) out << " " << m[n].key;
    out << "\n";
  }
  out << "\n" << rankings_to_text(m, p.rankings);
  return out.str();
}

}  // namespace wijkmatch
