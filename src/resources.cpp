// Shared capacity rules: see src/resources.hpp.
#include "resources.hpp"

#include <algorithm>

namespace wijkmatch::detail {

double hours_given(const LiveGraph& graph, const Model& model, ResidentId helper) {
  double given = 0.0;
  graph.for_each_tie_from(helper, [&](TieId t) { given += model.ties[t.index()].hours_used; });
  graph.for_each_volunteering(helper, [&](OfferId o, std::size_t position) {
    given += model.offers[o.index()].volunteers[position].hours_per_week;
  });
  return given;
}

std::vector<double> hours_given_by_helper(const Model& model) {
  CompactGraphOptions options;
  options.can_serve = false;
  const LiveGraph graph(model, options);
  std::vector<double> given(model.residents.size(), 0.0);
  for (std::uint32_t r = 0; r < model.residents.size(); ++r) given[r] = hours_given(graph, model, ResidentId(r));
  return given;
}

double professional_score(const Professional& professional, double specialism_share, bool speaks_language) noexcept {
  const double room = professional.caseload_cap > 0
                          ? static_cast<double>(professional.caseload_room()) / professional.caseload_cap
                          : 0.0;
  return 0.5 * specialism_share + 0.3 * (speaks_language ? 1.0 : 0.0) + 0.2 * room;
}

bool speaks_first_language(const Professional& professional, const Resident& resident) noexcept {
  return !resident.languages.empty() && std::find(professional.languages.begin(), professional.languages.end(),
                                                  resident.languages.front()) != professional.languages.end();
}

}  // namespace wijkmatch::detail
