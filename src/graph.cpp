#include "wijkmatch/graph.hpp"

#include "wijkmatch/error.hpp"

#include <algorithm>
#include <limits>
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

struct KindInfo {
  EdgeKind reverse;
  VertexKind source, target;
  bool forward;
};

constexpr std::array<KindInfo, edge_kind_count> kind_info{{
    {EdgeKind::has_member, VertexKind::resident, VertexKind::household, true},  // member_of
    {EdgeKind::helped_by, VertexKind::resident, VertexKind::resident, true},    // helps
    {EdgeKind::need_of, VertexKind::resident, VertexKind::need, true},          // has_need
    {EdgeKind::attended_by, VertexKind::resident, VertexKind::offer, true},     // attends
    {EdgeKind::served_by, VertexKind::professional, VertexKind::need, true},    // can_serve
    {EdgeKind::member_of, VertexKind::household, VertexKind::resident, false},  // has_member
    {EdgeKind::helps, VertexKind::resident, VertexKind::resident, false},       // helped_by
    {EdgeKind::has_need, VertexKind::need, VertexKind::resident, false},        // need_of
    {EdgeKind::attends, VertexKind::offer, VertexKind::resident, false},        // attended_by
    {EdgeKind::can_serve, VertexKind::need, VertexKind::professional, false},   // served_by
    {EdgeKind::organised_by, VertexKind::resident, VertexKind::offer, true},    // organises
    {EdgeKind::volunteered_by, VertexKind::resident, VertexKind::offer, true},  // volunteers_at
    {EdgeKind::organises, VertexKind::offer, VertexKind::resident, false},      // organised_by
    {EdgeKind::volunteers_at, VertexKind::offer, VertexKind::resident, false},  // volunteered_by
}};

const KindInfo& info(EdgeKind k) noexcept { return kind_info[static_cast<std::size_t>(k)]; }

// Forward edges of the model, in a deterministic order: emit(source, target, kind, index).
template <class Emit>
void for_each_edge(const Model& m, const VertexLayout& layout, const CompactGraphOptions& options, Emit&& emit) {
  if (!options.only_can_serve) {
    for (std::uint32_t r = 0; r < m.residents.size(); ++r) {
      const auto& res = m.residents[r];
      emit(layout.vertex(ResidentId(r)), layout.vertex(res.household), EdgeKind::member_of, 0U);
      for (OfferId o : res.attends) emit(layout.vertex(ResidentId(r)), layout.vertex(o), EdgeKind::attends, 0U);
    }
    for (std::uint32_t t = 0; t < m.ties.size(); ++t)
      emit(layout.vertex(m.ties[t].helper), layout.vertex(m.ties[t].helped), EdgeKind::helps, t);
    for (std::uint32_t n = 0; n < m.needs.size(); ++n)
      emit(layout.vertex(m.needs[n].resident), layout.vertex(NeedId(n)), EdgeKind::has_need, 0U);
    for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
      const auto& offer = m.offers[o];
      for (std::uint32_t k = 0; k < offer.organiser.residents.size(); ++k)
        emit(layout.vertex(offer.organiser.residents[k]), layout.vertex(OfferId(o)), EdgeKind::organises, k);
      for (std::uint32_t k = 0; k < offer.volunteers.size(); ++k)
        emit(layout.vertex(offer.volunteers[k].resident), layout.vertex(OfferId(o)), EdgeKind::volunteers_at, k);
    }
  }
  if (!options.can_serve && !options.only_can_serve) return;
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

// One out-edge while building: its target vertex and properties.
struct Slot {
  std::uint32_t target;
  EdgeProperties props;
};

bool slot_before(const Slot& a, const Slot& b) noexcept {
  if (a.props.kind != b.props.kind) return a.props.kind < b.props.kind;
  return edge_before(a.props.kind, a.target, a.props.index, b.target, b.props.index);
}

// The CSR from each vertex's out-edges, already in the edge order (vertex v's are
// slots[start[v], start[v + 1])). The in-place constructor's histogram sort leaves sources
// that are already sorted where they are, so each vertex keeps this order.
CompactGraph from_sorted(std::uint32_t vertices, const std::vector<std::uint32_t>& start, std::vector<Slot>& slots) {
  std::vector<std::uint32_t> sources(slots.size()), targets(slots.size());
  std::vector<EdgeProperties> props(slots.size());
  for (std::uint32_t v = 0; v < vertices; ++v)
    for (std::uint32_t e = start[v]; e < start[v + 1]; ++e) {
      sources[e] = v;
      targets[e] = slots[e].target;
      props[e] = slots[e].props;
    }
  std::vector<Slot>().swap(slots);
  return CompactGraph(boost::construct_inplace_from_sources_and_targets, sources, targets, props, vertices);
}

}  // namespace

EdgeKind reverse(EdgeKind k) noexcept { return info(k).reverse; }
bool is_forward(EdgeKind k) noexcept { return info(k).forward; }
VertexKind source_kind(EdgeKind k) noexcept { return info(k).source; }
VertexKind target_kind(EdgeKind k) noexcept { return info(k).target; }

NeighbourhoodGraph build_graph(const Model& m) {
  VertexLayout layout(m);
  NeighbourhoodGraph g(layout.vertex_count());
  for (std::uint32_t v = 0; v < layout.vertex_count(); ++v) g[v] = layout.classify(v);
  for_each_edge(m, layout, {}, [&](std::uint32_t s, std::uint32_t t, EdgeKind kind, std::uint32_t index) {
    boost::add_edge(s, t, EdgeProperties{kind, index}, g);
  });
  return g;
}

CompactGraph build_compact_graph(const Model& m, const CompactGraphOptions& options) {
  const VertexLayout layout(m);
  const std::uint32_t n = layout.vertex_count();
  // Counting sort by source (two passes over the model's edges), then each vertex's few
  // edges sorted: O(V + E), where one sort of all edges cost O(E log E) and 3x the time.
  std::vector<std::uint32_t> start(static_cast<std::size_t>(n) + 1, 0);
  for_each_edge(m, layout, options, [&](std::uint32_t s, std::uint32_t t, EdgeKind, std::uint32_t) {
    ++start[s + 1];
    ++start[t + 1];
  });
  for (std::uint32_t v = 0; v < n; ++v) start[v + 1] += start[v];
  std::vector<Slot> slots(start[n]);
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for_each_edge(m, layout, options, [&](std::uint32_t s, std::uint32_t t, EdgeKind kind, std::uint32_t index) {
    slots[fill[s]++] = {t, {kind, index}};
    slots[fill[t]++] = {s, {reverse(kind), index}};
  });
  std::vector<std::uint32_t>().swap(fill);
  for (std::uint32_t v = 0; v < n; ++v) {
    auto* first = slots.data() + start[v];
    auto* last = slots.data() + start[v + 1];
    if (last - first > 1 && !std::is_sorted(first, last, slot_before)) std::sort(first, last, slot_before);
  }
  return from_sorted(n, start, slots);
}

boost::iterator_range<CompactOutEdgeIterator> out_edges_of_kind(std::uint32_t v, EdgeKind kind,
                                                                const CompactGraph& g) noexcept {
  auto [first, last] = boost::out_edges(v, g);
  first = std::partition_point(first, last, [&](const auto& e) { return g[e].kind < kind; });
  last = std::partition_point(first, last, [&](const auto& e) { return g[e].kind == kind; });
  return {first, last};
}

// ---------------------------------------------------------------------------- LiveGraph

LiveGraph::LiveGraph(const Model& model, const CompactGraphOptions& options)
    : base_(build_compact_graph(model, options)), layout_(model) {
  for (std::size_t k = 0; k < vertex_kind_count; ++k) counts_[k] = layout_.count(static_cast<VertexKind>(k));
}

std::vector<GraphEdge> LiveGraph::out_edges(VertexKind kind, std::uint32_t index) const {
  std::vector<GraphEdge> out;
  for (std::size_t k = 0; k < edge_kind_count; ++k) {
    const auto ek = static_cast<EdgeKind>(k);
    if (source_kind(ek) == kind) for_each(ek, index, [&](const GraphEdge& e) { out.push_back(e); });
  }
  return out;
}

std::uint32_t LiveGraph::add_vertex(VertexKind kind) { return counts_[static_cast<std::size_t>(kind)]++; }

void LiveGraph::insert_half(VertexKind kind, std::uint32_t index, GraphEdge edge) {
  auto& v = overlay_[key(kind, index)];
  const auto pos = std::upper_bound(v.begin(), v.end(), edge, [](const GraphEdge& a, const GraphEdge& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return edge_before(a.kind, a.target, a.index, b.target, b.index);
  });
  v.insert(pos, edge);
  ++added_;
}

bool LiveGraph::erase_half(VertexKind kind, std::uint32_t index, GraphEdge edge) {
  if (auto it = overlay_.find(key(kind, index)); it != overlay_.end()) {
    auto& v = it->second;
    if (auto pos = std::find(v.begin(), v.end(), edge); pos != v.end()) {
      v.erase(pos);
      if (v.empty()) overlay_.erase(it);
      --added_;
      return true;
    }
  }
  if (index >= layout_.count(kind)) return false;
  const std::uint32_t first_target = layout_.first(target_kind(edge.kind));
  for (auto e : out_edges_of_kind(layout_.vertex(kind, index), edge.kind, base_)) {
    if (static_cast<std::uint32_t>(boost::target(e, base_)) - first_target != edge.target ||
        base_[e].index != edge.index || (!dead_edges_.empty() && dead_edges_[e.idx]))
      continue;
    if (dead_edges_.empty()) dead_edges_.assign(boost::num_edges(base_), 0);
    dead_edges_[e.idx] = 1;
    ++dead_;
    return true;
  }
  return false;
}

void LiveGraph::add_edge(EdgeKind kind, std::uint32_t source, std::uint32_t target, std::uint32_t index) {
  insert_half(source_kind(kind), source, {kind, target, index});
  insert_half(target_kind(kind), target, {reverse(kind), source, index});
  changed();
}

bool LiveGraph::remove_edge(EdgeKind kind, std::uint32_t source, std::uint32_t target, std::uint32_t index) {
  if (!erase_half(source_kind(kind), source, {kind, target, index})) return false;
  erase_half(target_kind(kind), target, {reverse(kind), source, index});
  changed();
  return true;
}

void LiveGraph::isolate(VertexKind kind, std::uint32_t index) {
  for (const GraphEdge& e : out_edges(kind, index)) {
    if (is_forward(e.kind))
      remove_edge(e.kind, index, e.target, e.index);
    else
      remove_edge(reverse(e.kind), e.target, index, e.index);
  }
}

std::size_t LiveGraph::compact_threshold() const noexcept {
  return std::max<std::size_t>(compact_minimum_, boost::num_edges(base_) / 8);
}

void LiveGraph::changed() {
  if (overlay_size() > compact_threshold()) compact();
}

void LiveGraph::compact() {
  const VertexLayout layout(std::array<std::size_t, 5>{counts_[0], counts_[1], counts_[2], counts_[3], counts_[4]});
  const std::uint32_t n = layout.vertex_count();
  std::vector<std::uint32_t> start(static_cast<std::size_t>(n) + 1, 0);
  std::vector<Slot> slots;
  slots.reserve(edge_count());
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto [kind, index] = layout.classify(v);
    for (std::size_t k = 0; k < edge_kind_count; ++k) {
      const auto ek = static_cast<EdgeKind>(k);
      if (source_kind(ek) != kind) continue;
      const std::uint32_t first_target = layout.first(target_kind(ek));
      for_each(ek, index, [&](const GraphEdge& e) { slots.push_back({first_target + e.target, {ek, e.index}}); });
    }
    start[v + 1] = static_cast<std::uint32_t>(slots.size());
  }
  base_ = from_sorted(n, start, slots);
  layout_ = layout;
  overlay_.clear();
  std::vector<std::uint8_t>().swap(dead_edges_);
  added_ = dead_ = 0;
}

}  // namespace wijkmatch
