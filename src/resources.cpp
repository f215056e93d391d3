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
  if (const auto& help = model.residents[helper.index()].offers_help) given += help->hours_used;
  return given;
}

std::vector<double> hours_given_by_helper(const LiveGraph& graph, const Model& model) {
  std::vector<double> given(graph.count(VertexKind::resident), 0.0);
  if (graph.overlay_size() != 0) {
    for (std::uint32_t r = 0; r < given.size(); ++r) given[r] = hours_given(graph, model, ResidentId(r));
    return given;
  }
  // One pass over the residents' edges: helps edges (by tie id) come before volunteers_at
  // edges (by offer) at each resident, the order of hours_given().
  const CompactGraph& g = graph.base();
  const std::uint32_t first = graph.layout().first(VertexKind::resident);
  const std::uint32_t first_offer = graph.layout().first(VertexKind::offer);
  // Residents added since the build (vertices without edges while the overlay is empty) give none.
  for (std::uint32_t r = 0; r < graph.layout().count(VertexKind::resident); ++r) {
    double sum = 0.0;
    for (auto e : boost::make_iterator_range(boost::out_edges(first + r, g))) {
      const EdgeProperties& p = g[e];
      if (p.kind == EdgeKind::helps)
        sum += model.ties[p.index].hours_used;
      else if (p.kind == EdgeKind::volunteers_at)
        sum += model.offers[static_cast<std::uint32_t>(boost::target(e, g)) - first_offer]
                   .volunteers[p.index]
                   .hours_per_week;
    }
    if (r < model.residents.size())
      if (const auto& help = model.residents[r].offers_help) sum += help->hours_used;
    given[r] = sum;
  }
  return given;
}

std::vector<double> hours_given_by_helper(const Model& model) {
  CompactGraphOptions options;
  options.can_serve = false;
  return hours_given_by_helper(LiveGraph(model, options), model);
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
