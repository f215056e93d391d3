// The neighbourhood as a graph, in two forms.
//
// `NeighbourhoodGraph` is a Boost.Graph adjacency_list with typed vertices (household,
// resident, need, offer, professional) and typed edges, for exploration and for running any
// BGL algorithm. `CompactGraph` is a read-only Boost compressed_sparse_row_graph over the
// same vertex numbering with edges in both directions, for fast queries on large inputs
// (one contiguous array of targets, about 9 bytes per edge).
//
// Vertex numbering (both forms): households first, then residents, needs, offers and
// professionals, each in model order; `VertexLayout` converts ids to vertices and back.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "wijkmatch/ids.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch {

enum class VertexKind : std::uint8_t { household, resident, need, offer, professional };

enum class EdgeKind : std::uint8_t {
  member_of,  ///< resident -> household
  helps,      ///< tie helper -> helped (edge index = TieId)
  has_need,   ///< resident -> need
  attends,    ///< resident -> offer
  can_serve,  ///< professional -> need: the need's neighbourhood is in the work area and its domain a specialism
  // Reverse directions, only in CompactGraph:
  has_member,   ///< household -> resident
  helped_by,    ///< tie helped -> helper (edge index = TieId)
  need_of,      ///< need -> resident
  attended_by,  ///< offer -> resident
  served_by,    ///< need -> professional
};

struct VertexProperties {
  VertexKind kind = VertexKind::resident;
  std::uint32_t index = 0;  ///< position in the model's array of that kind
};

struct EdgeProperties {
  EdgeKind kind = EdgeKind::member_of;
  std::uint32_t index = 0;  ///< TieId for tie edges, otherwise unused (0)
};

using NeighbourhoodGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProperties, EdgeProperties>;
using CompactGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProperties,
                                                        boost::no_property, std::uint32_t, std::uint32_t>;

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
  std::uint32_t vertex_count() const noexcept { return first_[5]; }
  /// Kind and position of vertex `v`. O(1).
  VertexProperties classify(std::uint32_t v) const noexcept;

 private:
  std::uint32_t first_[6] = {0, 0, 0, 0, 0, 0};
};

/// Builds the Boost adjacency_list. O(V + E); `can_serve` edges cost O(needs x professionals).
NeighbourhoodGraph build_graph(const Model& model);

/// Builds the compact read-only graph with both edge directions. O(V + E log E) (one sort).
CompactGraph build_compact_graph(const Model& model);

}  // namespace wijkmatch
