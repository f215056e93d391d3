// Private to the minimum-cost-flow solver: the network both algorithms solve, after
// MinCostFlow::solve() has preprocessed it, and their entry points. The problem, the numeric
// range and the dispatch between the algorithms are described in wijkmatch/min_cost_flow.hpp.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace wijkmatch::detail::mcf {

using i64 = std::int64_t;
__extension__ typedef __int128 i128;

inline constexpr i64 kInf = std::numeric_limits<i64>::max();
inline constexpr i64 kPotentialLimit = i64{1} << 59;  // bound on (n + 2) * max|c|
inline constexpr i64 kSupplyLimit = i64{1} << 62;     // bound on the total (transformed) supply

// The network after preprocessing: arcs with 0 <= x <= cap, cap > 0, tail != head, costs c,
// node supplies b (lower bounds already moved into b).
struct Core {
  int n = 0;
  int m = 0;
  std::vector<int> src, dst;
  std::vector<i64> cap, cost;
  std::vector<i64> b;
  i64 max_abs_cost = 0;
};

// gave_up: successive shortest paths ran past its work limit or the potentials' range; the
// caller falls back to the network simplex.
enum class Outcome { optimal, infeasible, gave_up };

struct CoreResult {
  std::vector<i64> flow;       // per core arc
  std::vector<i64> potential;  // per node
};

/// Network simplex (mcf_network_simplex.cpp): optimal or infeasible, never gave_up.
Outcome run_network_simplex(const Core& core, CoreResult& out);

/// Cost scaling (mcf_cost_scaling.cpp): optimal or infeasible; gave_up when the scaled costs
/// or prices would leave their range.
Outcome run_cost_scaling(const Core& core, CoreResult& out);

/// True when the core network has no directed cycle; then *order (if given) is a topological
/// order. O(|V| + |A|).
bool is_acyclic(const Core& core, std::vector<int>* order);

/// Successive shortest paths (mcf_successive_shortest_paths.cpp) from scratch (with a
/// topological order: the acyclic start; without: negative-cost arcs saturated), or from a warm
/// start: a pseudoflow with potentials under which every residual arc has reduced cost >= 0.
/// work_limit: residual arcs Dijkstra may scan in total before giving up (< 0: no limit).
Outcome run_successive_shortest_paths(const Core& core, i64 work_limit, const std::vector<int>* topo_order,
                                      const CoreResult* warm, CoreResult& out);

/// For an allocation-shaped network: builds the transposed problem `tr` and its warm start,
/// and says whether searches from the persons (forwards) are expected to stay short. False
/// when the network has another shape. The transposed flows are the flows; its potentials,
/// negated, are the potentials. O(|V| + |A|).
bool transposed_allocation(const Core& core, Core& tr, CoreResult& warm, bool& prefer_forward);

}  // namespace wijkmatch::detail::mcf
