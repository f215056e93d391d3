#include "wijkmatch/graph.hpp"

#include "wijkmatch/error.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
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

// The model's edges in small arrays: one pass over its (large) entities, then each kind's
// passes read only these. Lists whose model order is not the edge order (a resident's attends,
// an offer's organisers and volunteers) are sorted here, so that filling each vertex's slots
// kind by kind in model order gives the edge order with no sort of the graph's edges.
struct Ends {
  using Pair = std::pair<std::uint32_t, std::uint32_t>;
  std::vector<std::uint32_t> household;               // by resident
  std::vector<std::uint32_t> attends_first, attends;  // resident r's, ascending: [first[r], first[r + 1])
  std::vector<Pair> ties;                             // (helper, helped) by tie
  std::vector<std::uint32_t> need_resident;           // by need
  // (resident, position) by offer, as attends, ascending.
  std::vector<std::uint32_t> organisers_first, volunteers_first;
  std::vector<Pair> organisers, volunteers;

  explicit Ends(const Model& m) {
    household.reserve(m.residents.size());
    attends_first.reserve(m.residents.size() + 1);
    attends_first.push_back(0);
    for (const auto& r : m.residents) {
      household.push_back(r.household.index());
      const auto from = attends.size();
      for (OfferId o : r.attends) attends.push_back(o.index());
      sorted_from(attends, from);
      attends_first.push_back(static_cast<std::uint32_t>(attends.size()));
    }
    ties.reserve(m.ties.size());
    for (const auto& t : m.ties) ties.emplace_back(t.helper.index(), t.helped.index());
    need_resident.reserve(m.needs.size());
    for (const auto& n : m.needs) need_resident.push_back(n.resident.index());
    organisers_first.reserve(m.offers.size() + 1);
    volunteers_first.reserve(m.offers.size() + 1);
    organisers_first.push_back(0);
    volunteers_first.push_back(0);
    for (const auto& o : m.offers) {
      auto from = organisers.size();
      for (std::uint32_t k = 0; k < o.organiser.residents.size(); ++k)
        organisers.emplace_back(o.organiser.residents[k].index(), k);
      sorted_from(organisers, from);
      from = volunteers.size();
      for (std::uint32_t k = 0; k < o.volunteers.size(); ++k)
        volunteers.emplace_back(o.volunteers[k].resident.index(), k);
      sorted_from(volunteers, from);
      organisers_first.push_back(static_cast<std::uint32_t>(organisers.size()));
      volunteers_first.push_back(static_cast<std::uint32_t>(volunteers.size()));
    }
  }

 private:
  template <class T>
  static void sorted_from(std::vector<T>& v, std::size_t from) {
    if (!std::is_sorted(v.begin() + static_cast<std::ptrdiff_t>(from), v.end()))
      std::sort(v.begin() + static_cast<std::ptrdiff_t>(from), v.end());
  }
};

// Each vertex's edges of one kind: emit(source, target, index) for every edge of `kind`
// (forward or reverse), in ascending source, then the kind's key at each source.
template <class Emit>
void for_each_edge_of_kind(const Ends& x, const VertexLayout& layout, EdgeKind kind, Emit&& emit) {
  const std::uint32_t res = layout.first(VertexKind::resident), hh = layout.first(VertexKind::household),
                      need = layout.first(VertexKind::need), offer = layout.first(VertexKind::offer);
  const bool fwd = is_forward(kind);
  auto both = [&](std::uint32_t s, std::uint32_t t, std::uint32_t i) { fwd ? emit(s, t, i) : emit(t, s, i); };
  switch (kind) {
    case EdgeKind::member_of:
    case EdgeKind::has_member:
      for (std::uint32_t r = 0; r < x.household.size(); ++r) both(res + r, hh + x.household[r], 0U);
      break;
    case EdgeKind::attends:
    case EdgeKind::attended_by:
      for (std::uint32_t r = 0; r < x.household.size(); ++r)
        for (std::uint32_t k = x.attends_first[r]; k < x.attends_first[r + 1]; ++k)
          both(res + r, offer + x.attends[k], 0U);
      break;
    case EdgeKind::helps:
    case EdgeKind::helped_by:
      for (std::uint32_t t = 0; t < x.ties.size(); ++t) both(res + x.ties[t].first, res + x.ties[t].second, t);
      break;
    case EdgeKind::has_need:
    case EdgeKind::need_of:
      for (std::uint32_t n = 0; n < x.need_resident.size(); ++n) both(res + x.need_resident[n], need + n, 0U);
      break;
    case EdgeKind::organises:
    case EdgeKind::organised_by:
      for (std::uint32_t o = 0; o + 1 < x.organisers_first.size(); ++o)
        for (std::uint32_t k = x.organisers_first[o]; k < x.organisers_first[o + 1]; ++k)
          both(res + x.organisers[k].first, offer + o, x.organisers[k].second);
      break;
    case EdgeKind::volunteers_at:
    case EdgeKind::volunteered_by:
      for (std::uint32_t o = 0; o + 1 < x.volunteers_first.size(); ++o)
        for (std::uint32_t k = x.volunteers_first[o]; k < x.volunteers_first[o + 1]; ++k)
          both(res + x.volunteers[k].first, offer + o, x.volunteers[k].second);
      break;
    case EdgeKind::can_serve:
    case EdgeKind::served_by: break;  // from for_each_edge: O(needs x professionals), found once
  }
}

// Whether each vertex's edges are in the edge order (checked in debug builds).
[[maybe_unused]] bool in_edge_order(const std::vector<std::uint32_t>& start, const std::vector<std::uint32_t>& targets,
                                    const std::vector<EdgeProperties>& props) {
  for (std::size_t v = 0; v + 1 < start.size(); ++v)
    for (std::uint32_t e = start[v] + 1; e < start[v + 1]; ++e) {
      const EdgeProperties &a = props[e - 1], &b = props[e];
      if (b.kind < a.kind || (a.kind == b.kind && edge_before(a.kind, targets[e], b.index, targets[e - 1], a.index)))
        return false;
    }
  return true;
}

// The graph of the CSR arrays: vertex v's edges are targets/props[start[v], start[v + 1]),
// already in the edge order. They become the graph's own arrays, moved, not copied: Boost's
// constructors would copy them or sort them again (the in-place one permutes every edge and
// needs a sources array), which made building 2x slower than the CSR the graph replaced.
// m_forward and its arrays are public members of compressed_sparse_row_graph (the BGL's
// distributed CSR fills them the same way); tests/test_graph.cpp checks the graph walks them.
CompactGraph from_sorted(std::vector<std::uint32_t>&& start, std::vector<std::uint32_t>&& targets,
                         std::vector<EdgeProperties>&& props) {
  assert(!start.empty() && start.back() == targets.size() && targets.size() == props.size());
  assert(in_edge_order(start, targets, props));
  CompactGraph g;
  g.m_forward.m_rowstart = std::move(start);
  g.m_forward.m_column = std::move(targets);
  g.m_forward.m_edge_properties = std::move(props);
  return g;
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
  // A counting sort by source, filled kind by kind in model order, which is the edge order
  // (see Ends): O(V + E), no sort. Vertex v's count goes to start[v + 2], so that after the
  // prefix sum start[v + 1] is where v's edges begin, and filling through start[v + 1] leaves
  // it where v + 1's begin: no separate fill array.
  std::vector<std::uint32_t> start(static_cast<std::size_t>(n) + 2, 0);
  auto count = [&](std::uint32_t s, std::uint32_t t, std::uint32_t) {
    ++start[s + 2];
    ++start[t + 2];
  };
  const bool pros = options.can_serve || options.only_can_serve;
  const Ends ends = options.only_can_serve ? Ends(Model()) : Ends(m);
  for (std::size_t k = 0; k < edge_kind_count; ++k)
    if (is_forward(static_cast<EdgeKind>(k))) for_each_edge_of_kind(ends, layout, static_cast<EdgeKind>(k), count);
  // (professional, need) vertices, need by need: each need and its resident read once, not
  // once per professional. Either loop order fills both ends in the edge order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> serve;
  if (pros && !m.professionals.empty()) {
    for (std::uint32_t i = 0; i < m.needs.size(); ++i) {
      const auto& need = m.needs[i];
      if (need.status == NeedStatus::closed) continue;
      const auto& bu = m.residents[need.resident.index()].neighbourhood;
      for (std::uint32_t p = 0; p < m.professionals.size(); ++p) {
        const auto& pro = m.professionals[p];
        if (pro.specialisms.contains(need.domain) &&
            std::find(pro.work_area.begin(), pro.work_area.end(), bu) != pro.work_area.end()) {
          serve.emplace_back(layout.vertex(ProfessionalId(p)), layout.vertex(NeedId(i)));
          count(serve.back().first, serve.back().second, 0U);
        }
      }
    }
  }
  for (std::size_t v = 1; v < start.size(); ++v) start[v] += start[v - 1];
  std::vector<std::uint32_t> targets(start.back());
  // Filled from one value: default-constructing each (padded) element stored it byte by byte.
  std::vector<EdgeProperties> props(start.back(), EdgeProperties{});
  for (std::size_t k = 0; k < edge_kind_count; ++k) {
    const auto kind = static_cast<EdgeKind>(k);
    auto put = [&](std::uint32_t s, std::uint32_t t, std::uint32_t i) {
      const std::uint32_t at = start[s + 1]++;
      targets[at] = t;
      props[at] = {kind, i};
    };
    if (kind == EdgeKind::can_serve) {
      for (auto [p, need] : serve) put(p, need, 0U);
    } else if (kind == EdgeKind::served_by) {
      for (auto [p, need] : serve) put(need, p, 0U);
    } else {
      for_each_edge_of_kind(ends, layout, kind, put);
    }
  }
  start.pop_back();
  return from_sorted(std::move(start), std::move(targets), std::move(props));
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
  std::vector<std::uint32_t> start(static_cast<std::size_t>(n) + 1, 0), targets;
  std::vector<EdgeProperties> props;
  targets.reserve(edge_count());
  props.reserve(edge_count());
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto [kind, index] = layout.classify(v);
    for (std::size_t k = 0; k < edge_kind_count; ++k) {
      const auto ek = static_cast<EdgeKind>(k);
      if (source_kind(ek) != kind) continue;
      const std::uint32_t first_target = layout.first(target_kind(ek));
      for_each(ek, index, [&](const GraphEdge& e) {
        targets.push_back(first_target + e.target);
        props.push_back({ek, e.index});
      });
    }
    start[v + 1] = static_cast<std::uint32_t>(targets.size());
  }
  base_ = from_sorted(std::move(start), std::move(targets), std::move(props));
  layout_ = layout;
  overlay_.clear();
  std::vector<std::uint8_t>().swap(dead_edges_);
  added_ = dead_ = 0;
}

}  // namespace wijkmatch
