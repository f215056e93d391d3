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
    // Only the two ranges: helps come right after member_of, volunteers_at is a resident's
    // last kind; reading every edge's kind made this a sizeable part of building a Ranker.
    auto [b, e] = boost::out_edges(first + r, g);
    while (b != e && g[*b].kind < EdgeKind::helps) ++b;
    for (; b != e && g[*b].kind == EdgeKind::helps; ++b) sum += model.ties[g[*b].index].hours_used;
    auto v = e;
    while (v != b && g[*(v - 1)].kind == EdgeKind::volunteers_at) --v;
    for (; v != e; ++v)
      sum += model.offers[static_cast<std::uint32_t>(boost::target(*v, g)) - first_offer]
                 .volunteers[g[*v].index]
                 .hours_per_week;
    if (r < model.residents.size())
      if (const auto& help = model.residents[r].offers_help) sum += help->hours_used;
    given[r] = sum;
  }
  return given;
}

std::vector<double> hours_given_by_helper(const Model& model) {
  // The graph of the model has an edge for every tie and every volunteer, so summing over the
  // model's arrays adds the same terms to each helper in the same order (ties by tie id, then
  // volunteering by offer and position, then offers_help): the same doubles as walking a
  // graph built from it, without building one or reading every edge.
  std::vector<double> given(model.residents.size(), 0.0);
  for (const auto& t : model.ties) given[t.helper.index()] += t.hours_used;
  for (const auto& o : model.offers)
    for (const auto& v : o.volunteers) given[v.resident.index()] += v.hours_per_week;
  for (std::size_t r = 0; r < model.residents.size(); ++r)
    if (const auto& help = model.residents[r].offers_help) given[r] += help->hours_used;
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
