// The neighbourhood as a graph, in three forms.
//
// `NeighbourhoodGraph` is a Boost.Graph adjacency_list with typed vertices (household,
// resident, need, offer or initiative, professional) and typed edges, for exploration and for
// running any BGL algorithm. `CompactGraph` is a read-only Boost compressed_sparse_row_graph
// over the same vertex numbering with edges in both directions (one contiguous array of
// targets, 12 bytes per edge): the graph the ranking, the live engine and the allocation
// walk. `LiveGraph` is a CompactGraph plus a small overlay of the changes since it was built
// (edges added, edges removed, vertices added), for the live engine; walking it gives exactly
// what a CompactGraph built afresh gives. See docs/graph.md.
//
// Vertex numbering (CompactGraph, NeighbourhoodGraph): households first, then residents,
// needs, offers and professionals, each in model order; `VertexLayout` converts ids to
// vertices and back. Walks of a LiveGraph name vertices by kind and position instead, which
// do not change when vertices are added.
//
// Edge order: the out-edges of a vertex are ordered by kind, then by the kind's key: the tie
// id for tie edges (helps, helped_by), otherwise the target, then the other of the two. So the
// edges of one kind are one contiguous range (`out_edges_of_kind`), and the ties into a
// resident come in ascending tie id.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>

#include "wijkmatch/ids.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch {

enum class VertexKind : std::uint8_t { household, resident, need, offer, professional };
inline constexpr std::size_t vertex_kind_count = 5;

enum class EdgeKind : std::uint8_t {
  member_of,  ///< resident -> household
  helps,      ///< tie helper -> helped (edge index = TieId)
  has_need,   ///< resident -> need
  attends,    ///< resident -> offer
  can_serve,  ///< professional -> need: the need's neighbourhood is in the work area and its domain a specialism
  // Reverse directions, only in CompactGraph and LiveGraph:
  has_member,   ///< household -> resident
  helped_by,    ///< tie helped -> helper (edge index = TieId)
  need_of,      ///< need -> resident
  attended_by,  ///< offer -> resident
  served_by,    ///< need -> professional
  // Format v1.1 (after the others so that their numbers stay):
  organises,       ///< resident -> offer they run (edge index = position in organiser.residents)
  volunteers_at,   ///< resident -> offer (edge index = position in the offer's volunteers)
  organised_by,    ///< offer -> resident (reverse of organises), only in CompactGraph and LiveGraph
  volunteered_by,  ///< offer -> resident (reverse of volunteers_at), only in CompactGraph and LiveGraph
};
inline constexpr std::size_t edge_kind_count = 14;

/// The same edge seen from its other end (helps <-> helped_by, ...). O(1).
EdgeKind reverse(EdgeKind kind) noexcept;
/// Whether `kind` is a forward kind (the ones in NeighbourhoodGraph). O(1).
bool is_forward(EdgeKind kind) noexcept;
/// The kinds of the two ends of an edge of `kind`. O(1).
VertexKind source_kind(EdgeKind kind) noexcept;
VertexKind target_kind(EdgeKind kind) noexcept;

struct VertexProperties {
  VertexKind kind = VertexKind::resident;
  std::uint32_t index = 0;  ///< position in the model's array of that kind
};

struct EdgeProperties {
  EdgeKind kind = EdgeKind::member_of;
  std::uint32_t index = 0;  ///< TieId for tie edges, the position for organiser and volunteer edges, else 0
};

using NeighbourhoodGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProperties, EdgeProperties>;
using CompactGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProperties,
                                                        boost::no_property, std::uint32_t, std::uint32_t>;
using CompactOutEdgeIterator = boost::graph_traits<CompactGraph>::out_edge_iterator;

/// Converts between typed ids and vertex numbers.
class VertexLayout {
 public:
  VertexLayout() = default;
  /// The layout of a model. Throws InvalidArgument when its entities do not fit 32-bit vertex ids.
  explicit VertexLayout(const Model& model);
  /// The layout for these counts of households, residents, needs, offers and professionals, in
  /// that order; the same check, before anything is built. O(1).
  explicit VertexLayout(const std::array<std::size_t, 5>& counts);
  std::uint32_t vertex(HouseholdId id) const noexcept { return first_[0] + id.index(); }
  std::uint32_t vertex(ResidentId id) const noexcept { return first_[1] + id.index(); }
  std::uint32_t vertex(NeedId id) const noexcept { return first_[2] + id.index(); }
  std::uint32_t vertex(OfferId id) const noexcept { return first_[3] + id.index(); }
  std::uint32_t vertex(ProfessionalId id) const noexcept { return first_[4] + id.index(); }
  /// The vertex of the `index`-th entity of `kind`. O(1).
  std::uint32_t vertex(VertexKind kind, std::uint32_t index) const noexcept {
    return first_[static_cast<std::size_t>(kind)] + index;
  }
  /// The first vertex of `kind`. O(1).
  std::uint32_t first(VertexKind kind) const noexcept { return first_[static_cast<std::size_t>(kind)]; }
  /// How many entities of `kind` there are. O(1).
  std::uint32_t count(VertexKind kind) const noexcept {
    return first_[static_cast<std::size_t>(kind) + 1] - first_[static_cast<std::size_t>(kind)];
  }
  std::uint32_t vertex_count() const noexcept { return first_[5]; }
  /// Kind and position of vertex `v`. O(1).
  VertexProperties classify(std::uint32_t v) const noexcept;

 private:
  std::uint32_t first_[6] = {0, 0, 0, 0, 0, 0};
};

/// Which edges to build. Every kind by default.
struct CompactGraphOptions {
  /// can_serve / served_by edges: finding them costs O(needs x professionals). The ranking
  /// does not walk them; the allocation does.
  bool can_serve = true;
  /// Only can_serve / served_by edges (for the allocation's professional candidates).
  bool only_can_serve = false;
};

/// Builds the Boost adjacency_list. O(V + E); `can_serve` edges cost O(needs x professionals).
NeighbourhoodGraph build_graph(const Model& model);

/// Builds the compact read-only graph with both edge directions, in the edge order above.
/// O(V + E) (a counting sort by source, filled in the edge order, no sort of the edges), plus
/// O(needs x professionals) with can_serve edges, plus sorting each resident's attended offers
/// and each offer's organisers and volunteers. Memory: 12 bytes per edge, 4 per vertex.
CompactGraph build_compact_graph(const Model& model, const CompactGraphOptions& options = {});

/// Whether edge `a` comes before edge `b` of the same kind at the same vertex: by the tie id
/// for tie edges, else by the target, then by the other. O(1).
inline bool edge_before(EdgeKind kind, std::uint32_t a_target, std::uint32_t a_index, std::uint32_t b_target,
                        std::uint32_t b_index) noexcept {
  if (kind == EdgeKind::helps || kind == EdgeKind::helped_by)
    return a_index != b_index ? a_index < b_index : a_target < b_target;
  return a_target != b_target ? a_target < b_target : a_index < b_index;
}

/// The out-edges of vertex `v` of one kind: one contiguous range in the edge order. O(log degree).
boost::iterator_range<CompactOutEdgeIterator> out_edges_of_kind(std::uint32_t v, EdgeKind kind,
                                                                const CompactGraph& g) noexcept;

/// An edge as a LiveGraph walk gives it: the target by its position in the model's array of
/// its kind (target_kind(kind)), and the edge index (EdgeProperties::index).
struct GraphEdge {
  EdgeKind kind = EdgeKind::member_of;
  std::uint32_t target = 0;
  std::uint32_t index = 0;
  friend bool operator==(const GraphEdge&, const GraphEdge&) = default;
};

/// A CompactGraph that changes: the graph as built, plus an overlay of the edges added since
/// (kept per vertex in edge order) and the built edges removed since (marked dead by edge
/// index). Every walk merges the two, so it visits the same edges in the same order as a
/// CompactGraph built afresh from the changed model. Once the overlay holds more than an
/// eighth of the edges (at least `compact_threshold()`), the next change compacts it: one
/// O(V + E) rebuild after Omega(E / 8) changes, O(1 + V / E) amortised per change.
///
/// Walks are const and touch nothing shared: any number may run at once, with no change at the
/// same time (the engine's reader-writer lock).
class LiveGraph {
 public:
  LiveGraph() = default;
  /// Builds the graph of `model` (CompactGraph with `options`). O(V + E).
  explicit LiveGraph(const Model& model, const CompactGraphOptions& options = {});

  /// Calls f(const GraphEdge&) for each out-edge of kind `kind` of the `index`-th vertex of
  /// kind source_kind(kind), in the edge order. O(log degree + edges visited), plus one hash
  /// lookup when the overlay is not empty.
  template <class F>
  void for_each(EdgeKind kind, std::uint32_t index, F&& f) const;

  /// The tie ids into `resident` (they are helped), ascending. O(log degree + ties).
  template <class F>
  void for_each_tie_into(ResidentId resident, F&& f) const {
    for_each(EdgeKind::helped_by, resident.index(), [&](const GraphEdge& e) { f(TieId(e.index)); });
  }
  /// The tie ids out of `resident` (they help), ascending. O(log degree + ties).
  template <class F>
  void for_each_tie_from(ResidentId resident, F&& f) const {
    for_each(EdgeKind::helps, resident.index(), [&](const GraphEdge& e) { f(TieId(e.index)); });
  }
  /// The members of a household, ascending. O(log degree + members).
  template <class F>
  void for_each_member(HouseholdId household, F&& f) const {
    for_each(EdgeKind::has_member, household.index(), [&](const GraphEdge& e) { f(ResidentId(e.target)); });
  }
  /// The offers a resident attends, ascending. O(log degree + offers).
  template <class F>
  void for_each_attended(ResidentId resident, F&& f) const {
    for_each(EdgeKind::attends, resident.index(), [&](const GraphEdge& e) { f(OfferId(e.target)); });
  }
  /// The offers a resident volunteers at, ascending, with their position among the offer's
  /// volunteers. O(log degree + offers).
  template <class F>
  void for_each_volunteering(ResidentId resident, F&& f) const {
    for_each(EdgeKind::volunteers_at, resident.index(),
             [&](const GraphEdge& e) { f(OfferId(e.target), static_cast<std::size_t>(e.index)); });
  }
  /// Every out-edge of a vertex, of every kind, in the edge order. O(degree + kinds).
  std::vector<GraphEdge> out_edges(VertexKind kind, std::uint32_t index) const;

  /// A new vertex of `kind`, without edges; returns its position (the count before). O(1).
  std::uint32_t add_vertex(VertexKind kind);
  /// Adds the edge of forward kind `kind` from the `source`-th to the `target`-th vertex of
  /// the kinds source_kind(kind), target_kind(kind), and its reverse. O(overlay edges of both
  /// ends), amortised.
  void add_edge(EdgeKind kind, std::uint32_t source, std::uint32_t target, std::uint32_t index = 0);
  /// Removes that edge and its reverse; false when there is none. O(edges of the kind at both
  /// ends), amortised.
  bool remove_edge(EdgeKind kind, std::uint32_t source, std::uint32_t target, std::uint32_t index = 0);
  /// Removes every edge at a vertex (both directions). O(its edges x the above).
  void isolate(VertexKind kind, std::uint32_t index);
  /// Rebuilds the CompactGraph from the graph as it is now; the overlay is then empty. O(V + E).
  void compact();

  std::uint32_t count(VertexKind kind) const noexcept { return counts_[static_cast<std::size_t>(kind)]; }
  /// Edges now, both directions counted. O(1).
  std::size_t edge_count() const noexcept { return boost::num_edges(base_) - dead_ + added_; }
  /// Overlay size: edges added plus built edges removed since the last build. O(1).
  std::size_t overlay_size() const noexcept { return added_ + dead_; }
  /// The overlay size from which a change compacts: max(minimum, edges / 8).
  std::size_t compact_threshold() const noexcept;
  /// Sets the minimum of compact_threshold() (default 4096; tests use small ones).
  void set_compact_minimum(std::size_t minimum) noexcept { compact_minimum_ = minimum; }
  /// The graph as last built or compacted, and its layout.
  const CompactGraph& base() const noexcept { return base_; }
  const VertexLayout& layout() const noexcept { return layout_; }

 private:
  static std::uint64_t key(VertexKind kind, std::uint32_t index) noexcept {
    return (static_cast<std::uint64_t>(kind) << 32) | index;
  }
  void insert_half(VertexKind kind, std::uint32_t index, GraphEdge edge);
  bool erase_half(VertexKind kind, std::uint32_t index, GraphEdge edge);
  void changed();

  CompactGraph base_;
  VertexLayout layout_;
  std::array<std::uint32_t, vertex_kind_count> counts_{};
  /// Overlay edges by vertex (key()), each vertex's in the edge order.
  std::unordered_map<std::uint64_t, std::vector<GraphEdge>> overlay_;
  std::vector<std::uint8_t> dead_edges_;  ///< by edge index of base_; empty while none is dead
  std::size_t added_ = 0, dead_ = 0;
  std::size_t compact_minimum_ = 4096;
};

template <class F>
void LiveGraph::for_each(EdgeKind kind, std::uint32_t index, F&& f) const {
  const VertexKind from = source_kind(kind);
  const std::uint32_t first_target = layout_.first(target_kind(kind));
  CompactOutEdgeIterator b{}, e{};
  if (index < layout_.count(from)) {
    const auto range = out_edges_of_kind(layout_.vertex(from, index), kind, base_);
    b = range.begin();
    e = range.end();
  }
  const GraphEdge *ob = nullptr, *oe = nullptr;
  if (!overlay_.empty()) {
    if (auto it = overlay_.find(key(from, index)); it != overlay_.end()) {
      const auto& v = it->second;
      ob = v.data();
      oe = v.data() + v.size();
      while (ob != oe && ob->kind != kind) ++ob;
      const GraphEdge* end = ob;
      while (end != oe && end->kind == kind) ++end;
      oe = end;
    }
  }
  const bool any_dead = dead_ != 0;
  while (b != e || ob != oe) {
    if (b != e) {
      const auto edge = *b;
      if (any_dead && dead_edges_[edge.idx]) {
        ++b;
        continue;
      }
      const GraphEdge built{kind, static_cast<std::uint32_t>(boost::target(edge, base_)) - first_target,
                            base_[edge].index};
      if (ob == oe || edge_before(kind, built.target, built.index, ob->target, ob->index)) {
        f(built);
        ++b;
        continue;
      }
    }
    f(*ob);
    ++ob;
  }
}

}  // namespace wijkmatch
