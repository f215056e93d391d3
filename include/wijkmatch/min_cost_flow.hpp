// Exact minimum-cost flow.
//
// THE PROBLEM
//   Given a directed graph G = (V, A) with, for every node v, a supply b(v) (positive: the node
//   produces flow, negative: it consumes flow, zero: transshipment), and for every arc a = (u, w)
//   bounds 0 <= l(a) <= u(a) and an integer cost c(a) (which may be negative), find a flow x
//   minimising  sum_a c(a) x(a)  subject to
//       l(a) <= x(a) <= u(a)                                  for every arc,
//       sum_{a leaving v} x(a) - sum_{a entering v} x(a) = b(v)   for every node.
//   Total supply must equal total demand (sum_v b(v) = 0); otherwise solve() reports
//   Status::unbalanced. Everything is integral, so an optimal flow is integral too.
//   Parallel arcs, self-loops, zero-capacity arcs, negative costs (also negative-cost cycles,
//   which are bounded by the finite capacities) and isolated nodes are all allowed.
//
// OPTIMALITY CERTIFICATE
//   Together with the flow, solve() returns node potentials p. With the reduced cost
//       rc(a) = c(a) + p(tail(a)) - p(head(a)),
//   an optimal solution satisfies complementary slackness:
//       x(a) < u(a)  =>  rc(a) >= 0        and        x(a) > l(a)  =>  rc(a) <= 0.
//   p is the dual of the flow-conservation constraints (up to sign and an additive constant per
//   connected component): p(w) - p(v) is the marginal cost of moving one more unit of flow from v
//   to w, e.g. the shadow price of a seat.
//
// ALGORITHMS (all three exact on every network; Algorithm::automatic picks one,
// deterministically). Their implementation notes are at the top of src/mcf_network_simplex.cpp,
// src/mcf_successive_shortest_paths.cpp and src/mcf_cost_scaling.cpp.
//   1. Primal network simplex (Cunningham's strongly feasible spanning trees) with a big-M
//      artificial start and Grigoriadis' block search pivot rule. The problem is infeasible
//      exactly when an artificial arc still carries flow at the optimum.
//      Complexity: no polynomial bound (Zadeh's examples); a pivot costs O(B + S) for block
//      size B ~ sqrt(|A|) and moved-subtree size S. Anti-cycling guarantees termination.
//      In practice it is the fastest general method on NETGEN-like networks.
//   2. Successive shortest paths (Edmonds-Karp / Tomizawa): Dijkstra on reduced costs from one
//      node with excess to the nearest deficit, one augmentation per path; each search costs
//      time proportional to the region it explores, not to the network. An excess node that
//      reaches no deficit node proves infeasibility.
//      Complexity: O(U * (|A| + |V|) log |V|) for U augmentations (at most the total supply).
//      Allocation-shaped networks: "persons" (supply > 0, no entering arcs) with arcs to
//      "offers" (supply 0, arcs only from persons and only to the sink) and to one sink (the
//      only demand, no leaving arcs), every person able to send its whole supply straight to
//      the sink (waiting / overflow). With at least as many usable seats as supply, searches
//      from the persons are short. With seats scarce they are not, so the transposed problem is
//      solved instead: the units to place are seats, each search starts at an offer and ends at
//      the first waiting person (or the seat is returned), which stays local. Both directions
//      are the same exact algorithm.
//   3. Cost scaling (Goldberg-Tarjan successive approximation): eps-optimal pseudoflows for
//      eps = C|V|, C|V|/16, ..., 1 on costs scaled by |V| + 2, each phase by push-relabel with
//      partial augmenting paths (at most 4 arcs) and global price updates (bucket Dijkstra
//      towards the deficits every |V| relabels); big-M arcs through an artificial root for
//      feasibility; exact potentials from a label-correcting pass at the end.
//      Complexity: O(|V|^2 |A| log(|V| C)) worst case. Where its scaled costs or prices would
//      leave int64 (large |V| max|c|), it hands over to the network simplex, also when asked
//      for explicitly (algorithm_used() says which ran).
//   Dispatch (Algorithm::automatic): allocation-shaped networks use successive shortest paths
//   in the direction above; other acyclic networks with small supplies (sum over supply nodes
//   of b(v) * (outdegree(v) + 1) <= 2|A| + |V|) use them forwards; in both cases under a work
//   limit of 256 (|V| + |A|) scanned arcs, past which (or when potentials would leave their
//   range) the network simplex takes over. Otherwise cost scaling when the network is large and
//   not sparse with supplies spread over many nodes (after lower bounds are removed: |A| >=
//   200,000, |A| >= 6 |V|, and at least a quarter of the nodes with b(v) != 0): measured there
//   (random 40k nodes / 360k arcs, supplies at every node) it took 4.3 s against the simplex's
//   7.8 s, while on grids (|A| ~ 4 |V|), on NETGEN (few supply nodes) and on smaller random
//   networks the simplex was faster (benchmarks/RESULTS.md). Everything else: the network
//   simplex.
//   Preprocessing common to both: self-loops and fixed arcs (l = u) are set aside (flow u if
//   c < 0 else l), lower bounds are removed by the substitution x = l + x'.
//
// NUMERIC RANGE (int64 throughout; checked, never undefined behaviour)
//   add_arc / set_supply throw InvalidArgument for an unknown node, l < 0, l > u,
//   u > max_capacity, |c| > max_cost or |b| > max_capacity. solve() returns Status::bad_input
//   when (|V| + 2) * max|c| would exceed 2^59 (the range the potentials need), when the supplies
//   after removing lower bounds exceed 2^62 in total, or when the optimal cost itself does not
//   fit in an int64. max_capacity (2^50, about 1.1e15) may be used as "uncapacitated".
//
// REFERENCES
//   R. K. Ahuja, T. L. Magnanti, J. B. Orlin, Network Flows: Theory, Algorithms, and
//     Applications, Prentice Hall, 1993 (ch. 9 successive shortest paths, ch. 11 network simplex).
//   W. H. Cunningham, A network simplex method, Mathematical Programming 11 (1976) 105-116.
//   M. D. Grigoriadis, An efficient implementation of the network simplex method, Mathematical
//     Programming Study 26 (1986) 83-111.
//   N. Tomizawa, On some techniques useful for solution of transportation network problems,
//     Networks 1 (1971) 173-194.
//   P. Kovacs, Minimum-cost flow algorithms: an experimental evaluation, Optimization Methods and
//     Software 30 (2015) 94-127.
#pragma once

#include <cstdint>
#include <vector>

#include "wijkmatch/error.hpp"

namespace wijkmatch {

class MinCostFlow {
 public:
  using NodeIndex = std::int32_t;
  using ArcIndex = std::int32_t;
  using FlowQuantity = std::int64_t;
  using CostValue = std::int64_t;

  enum class Status {
    optimal,     ///< an optimal flow was found; flow(), potential(), optimal_cost() are valid
    infeasible,  ///< no flow satisfies the bounds and supplies
    unbalanced,  ///< total supply differs from total demand
    bad_input,   ///< numbers outside the supported range (see NUMERIC RANGE above)
  };

  enum class Algorithm {
    automatic,                  ///< choose by the shape of the network
    network_simplex,            ///< primal network simplex, block search pivot
    successive_shortest_paths,  ///< Dijkstra with potentials, one augmentation per path
    cost_scaling                ///< push-relabel by successive approximation (Goldberg)
  };

  /// Largest accepted |capacity|, |lower bound| and |supply|; usable as "unbounded".
  static constexpr FlowQuantity max_capacity = FlowQuantity{1} << 50;
  /// Largest accepted |cost| of one arc.
  static constexpr CostValue max_cost = CostValue{1} << 50;
  /// Most nodes and most arcs of one network. Together they keep the solvers' 32-bit indices in
  /// range: the network simplex adds a root and one arc per node (|V| + |A| + 1 <= 2^31 - 1),
  /// successive shortest paths number two residual arcs per arc.
  static constexpr NodeIndex max_nodes = (NodeIndex{1} << 30) - 1;
  static constexpr ArcIndex max_arcs = (ArcIndex{1} << 30) - 1;

  /// A network of `node_count` nodes of supply 0. Throws InvalidArgument for a negative count
  /// or one above max_nodes, before allocating.
  explicit MinCostFlow(NodeIndex node_count = 0);
  ~MinCostFlow();
  MinCostFlow(const MinCostFlow&) = delete;
  MinCostFlow& operator=(const MinCostFlow&) = delete;
  MinCostFlow(MinCostFlow&&) noexcept;
  MinCostFlow& operator=(MinCostFlow&&) noexcept;

  /// Pre-allocates room for this many nodes and arcs in total. Throws InvalidArgument above
  /// max_nodes or max_arcs, before allocating.
  void reserve(NodeIndex nodes, ArcIndex arcs);
  /// Adds a node with supply 0 and returns its index (nodes are numbered 0, 1, ...). Throws
  /// InvalidArgument when the network already has max_nodes nodes.
  NodeIndex add_node();
  /// Sets (replaces) the supply of a node: positive = supply, negative = demand.
  void set_supply(NodeIndex node, FlowQuantity supply);
  /// Adds an arc tail -> head with bounds lower <= flow <= upper and a cost per unit of flow.
  /// Throws InvalidArgument for unknown nodes or bounds outside 0 <= lower <= upper <=
  /// max_capacity, |cost| > max_cost, or when the network already has max_arcs arcs. Arcs are
  /// numbered 0, 1, ... in insertion order.
  ArcIndex add_arc(NodeIndex tail, NodeIndex head, FlowQuantity lower, FlowQuantity upper, CostValue cost);

  /// Solves the problem; deterministic. Changing the network afterwards discards the solution.
  Status solve(Algorithm algorithm = Algorithm::automatic);

  /// Status of the last solve() (bad_input before any).
  [[nodiscard]] Status status() const noexcept { return status_; }
  /// Algorithm the last solve() used (automatic before any).
  [[nodiscard]] Algorithm algorithm_used() const noexcept { return used_; }

  // Results: valid only after solve() returned Status::optimal; StateError otherwise.
  [[nodiscard]] CostValue optimal_cost() const;
  [[nodiscard]] FlowQuantity flow(ArcIndex arc) const;
  [[nodiscard]] CostValue potential(NodeIndex node) const;
  /// cost(arc) + potential(tail(arc)) - potential(head(arc)).
  [[nodiscard]] CostValue reduced_cost(ArcIndex arc) const;

  // The network as built. Indices out of range throw OutOfRange.
  [[nodiscard]] NodeIndex node_count() const noexcept { return static_cast<NodeIndex>(supply_.size()); }
  [[nodiscard]] ArcIndex arc_count() const noexcept { return static_cast<ArcIndex>(tail_.size()); }
  [[nodiscard]] FlowQuantity supply(NodeIndex node) const;
  [[nodiscard]] NodeIndex tail(ArcIndex arc) const;
  [[nodiscard]] NodeIndex head(ArcIndex arc) const;
  [[nodiscard]] FlowQuantity lower(ArcIndex arc) const;
  [[nodiscard]] FlowQuantity upper(ArcIndex arc) const;
  [[nodiscard]] CostValue cost(ArcIndex arc) const;

 private:
  void check_node(NodeIndex node) const;
  void check_arc(ArcIndex arc) const;
  void check_solved() const;
  void invalidate() noexcept;

  std::vector<FlowQuantity> supply_;
  std::vector<NodeIndex> tail_, head_;
  std::vector<FlowQuantity> lower_, upper_;
  std::vector<CostValue> cost_;

  Status status_ = Status::bad_input;
  Algorithm used_ = Algorithm::automatic;
  bool solved_ = false;
  CostValue optimal_cost_ = 0;
  std::vector<FlowQuantity> flow_;
  std::vector<CostValue> potential_;
};

}  // namespace wijkmatch
