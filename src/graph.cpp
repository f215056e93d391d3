#include "wijkmatch/graph.hpp"

#include "wijkmatch/error.hpp"

#include <algorithm>
#include <tuple>
#include <vector>

namespace wijkmatch {

VertexLayout::VertexLayout(const Model& m)
    : VertexLayout(std::array<std::size_t, 5>{m.households.size(), m.residents.size(), m.needs.size(), m.offers.size(),
                                              m.professionals.size()}) {}

VertexLayout::VertexLayout(const std::array<std::size_t, 5>& counts) {
  std::size_t total = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    first_[k] = static_cast<std::uint32_t>(total);
    total += counts[k];
  }
  if (total >= std::numeric_limits<std::uint32_t>::max())
    throw InvalidArgument("model too large for 32-bit vertex ids");
  first_[5] = static_cast<std::uint32_t>(total);
}

VertexProperties VertexLayout::classify(std::uint32_t v) const noexcept {
  int k = 0;
  while (k < 4 && v >= first_[k + 1]) ++k;
  return {static_cast<VertexKind>(k), v - first_[k]};
}

namespace {

struct Edge {
  std::uint32_t source, target;
  EdgeProperties props;
};

// Forward edges of the model, in a deterministic order.
template <class Emit>
void for_each_edge(const Model& m, const VertexLayout& layout, Emit&& emit) {
  for (std::uint32_t r = 0; r < m.residents.size(); ++r) {
    const auto& res = m.residents[r];
    emit(layout.vertex(ResidentId(r)), layout.vertex(res.household), EdgeKind::member_of, 0U);
    for (OfferId o : res.attends) emit(layout.vertex(ResidentId(r)), layout.vertex(o), EdgeKind::attends, 0U);
  }
  for (std::uint32_t t = 0; t < m.ties.size(); ++t)
    emit(layout.vertex(m.ties[t].helper), layout.vertex(m.ties[t].helped), EdgeKind::helps, t);
  for (std::uint32_t n = 0; n < m.needs.size(); ++n)
    emit(layout.vertex(m.needs[n].resident), layout.vertex(NeedId(n)), EdgeKind::has_need, 0U);
  for (std::uint32_t p = 0; p < m.professionals.size(); ++p) {
    const auto& pro = m.professionals[p];
    for (std::uint32_t n = 0; n < m.needs.size(); ++n) {
      const auto& need = m.needs[n];
      if (need.status == NeedStatus::closed || !pro.specialisms.contains(need.domain)) continue;
      const auto& bu = m.residents[need.resident.index()].neighbourhood;
      if (std::find(pro.work_area.begin(), pro.work_area.end(), bu) != pro.work_area.end())
        emit(layout.vertex(ProfessionalId(p)), layout.vertex(NeedId(n)), EdgeKind::can_serve, 0U);
    }
  }
}

EdgeKind reverse(EdgeKind k) {
  switch (k) {
    case EdgeKind::member_of: return EdgeKind::has_member;
    case EdgeKind::helps: return EdgeKind::helped_by;
    case EdgeKind::has_need: return EdgeKind::need_of;
    case EdgeKind::attends: return EdgeKind::attended_by;
    case EdgeKind::can_serve: return EdgeKind::served_by;
    default: return k;
  }
}

}  // namespace

NeighbourhoodGraph build_graph(const Model& m) {
  VertexLayout layout(m);
  NeighbourhoodGraph g(layout.vertex_count());
  for (std::uint32_t v = 0; v < layout.vertex_count(); ++v) g[v] = layout.classify(v);
  for_each_edge(m, layout, [&](std::uint32_t s, std::uint32_t t, EdgeKind kind, std::uint32_t index) {
    boost::add_edge(s, t, EdgeProperties{kind, index}, g);
  });
  return g;
}

CompactGraph build_compact_graph(const Model& m) {
  VertexLayout layout(m);
  std::vector<Edge> edges;
  edges.reserve(2 * (m.residents.size() + m.ties.size() + m.needs.size()));
  for_each_edge(m, layout, [&](std::uint32_t s, std::uint32_t t, EdgeKind kind, std::uint32_t index) {
    edges.push_back({s, t, {kind, index}});
    edges.push_back({t, s, {reverse(kind), index}});
  });
  // Stable order within a vertex: by kind, then target, then index, so queries are deterministic.
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return std::tie(a.source, a.props.kind, a.target, a.props.index) <
           std::tie(b.source, b.props.kind, b.target, b.props.index);
  });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> endpoints;
  std::vector<EdgeProperties> props;
  endpoints.reserve(edges.size());
  props.reserve(edges.size());
  for (const auto& e : edges) {
    endpoints.emplace_back(e.source, e.target);
    props.push_back(e.props);
  }
  return CompactGraph(boost::edges_are_sorted, endpoints.begin(), endpoints.end(), props.begin(),
                      layout.vertex_count());
}

}  // namespace wijkmatch
