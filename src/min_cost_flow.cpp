// MinCostFlow: building the network, the preprocessing common to both algorithms, the choice
// between them, and the results. The algorithms are in mcf_network_simplex.cpp and
// mcf_successive_shortest_paths.cpp; see the header for the problem and the dispatch rule.
#include "wijkmatch/min_cost_flow.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "mcf_core.hpp"

namespace wijkmatch {

namespace mcf = detail::mcf;
using mcf::Core;
using mcf::CoreResult;
using mcf::i128;
using mcf::i64;
using mcf::kPotentialLimit;
using mcf::kSupplyLimit;
using mcf::Outcome;

namespace {

// The measured features that favour cost scaling over the network simplex (header, "Dispatch"):
// a large network, not too sparse, with supplies at many nodes. Then the simplex's artificial
// start puts most nodes on an artificial arc and needs very many pivots, while cost scaling's
// work grows with the arcs and log(|V| C) phases.
bool prefer_cost_scaling(const Core& core) {
  if (core.m < 200000 || core.m < 6 * static_cast<i64>(core.n)) return false;
  i64 with_supply = 0;
  for (const i64 b : core.b) with_supply += b != 0 ? 1 : 0;
  return 4 * with_supply >= core.n;
}

// Chooses and runs the algorithm (the rule is in the header). Successive shortest paths runs
// under a work limit when chosen automatically; past it (or when potentials would leave their
// range) the network simplex takes over. `positive`: the total supply of the core network.
Outcome dispatch(const Core& core, MinCostFlow::Algorithm algorithm, i128 positive, CoreResult& result,
                 MinCostFlow::Algorithm& used) {
  using Algorithm = MinCostFlow::Algorithm;
  const auto n = static_cast<std::size_t>(core.n);
  Outcome outcome = Outcome::gave_up;
  if (algorithm == Algorithm::cost_scaling) {
    used = Algorithm::cost_scaling;
    outcome = mcf::run_cost_scaling(core, result);
  } else if (algorithm != Algorithm::network_simplex) {
    const i64 budget = algorithm == Algorithm::automatic ? 256 * (static_cast<i64>(n) + core.m) + 100000 : -1;
    std::vector<int> topo;
    Core transposed;
    CoreResult warm;
    bool prefer_forward = false;
    if (mcf::transposed_allocation(core, transposed, warm, prefer_forward)) {
      used = Algorithm::successive_shortest_paths;
      if (prefer_forward && mcf::is_acyclic(core, &topo)) {
        outcome = mcf::run_successive_shortest_paths(core, budget, &topo, nullptr, result);
      } else {
        outcome = mcf::run_successive_shortest_paths(transposed, budget, nullptr, &warm, result);
        for (i64& p : result.potential) p = -p;
      }
    } else {
      const bool acyclic = mcf::is_acyclic(core, &topo);
      bool use_ssp = algorithm == Algorithm::successive_shortest_paths;
      if (algorithm == Algorithm::automatic && acyclic) {
        std::vector<i64> outdeg(n, 0);
        for (int a = 0; a < core.m; ++a) ++outdeg[static_cast<std::size_t>(core.src[static_cast<std::size_t>(a)])];
        i128 work = 0;
        for (std::size_t v = 0; v < n; ++v)
          if (core.b[v] > 0) work += static_cast<i128>(core.b[v]) * (outdeg[v] + 1);
        // Potentials drift by at most one path length per augmentation.
        const i128 drift = positive * static_cast<i128>(n + 1) * std::max<i64>(core.max_abs_cost, 1);
        use_ssp = work <= static_cast<i128>(2 * core.m) + static_cast<i128>(n) &&
                  drift <= static_cast<i128>(kSupplyLimit / 2);
      }
      if (use_ssp) {
        used = Algorithm::successive_shortest_paths;
        outcome = mcf::run_successive_shortest_paths(core, budget, acyclic ? &topo : nullptr, nullptr, result);
      }
    }
  }
  if (outcome == Outcome::gave_up && algorithm == Algorithm::automatic && prefer_cost_scaling(core)) {
    used = Algorithm::cost_scaling;
    result = CoreResult{};
    outcome = mcf::run_cost_scaling(core, result);
  }
  if (outcome == Outcome::gave_up) {
    used = Algorithm::network_simplex;
    result = CoreResult{};
    outcome = mcf::run_network_simplex(core, result);
  }
  return outcome;
}

// The size limits, checked on the count asked for, before anything is allocated for it.
void check_nodes(std::size_t count) {
  if (count > static_cast<std::size_t>(MinCostFlow::max_nodes))
    throw InvalidArgument("MinCostFlow: too many nodes (" + std::to_string(count) + "; at most " +
                          std::to_string(MinCostFlow::max_nodes) + ")");
}

void check_arcs(std::size_t count) {
  if (count > static_cast<std::size_t>(MinCostFlow::max_arcs))
    throw InvalidArgument("MinCostFlow: too many arcs (" + std::to_string(count) + "; at most " +
                          std::to_string(MinCostFlow::max_arcs) + ")");
}

}  // namespace

MinCostFlow::MinCostFlow(NodeIndex node_count) {
  if (node_count < 0) throw InvalidArgument("MinCostFlow: negative node count");
  check_nodes(static_cast<std::size_t>(node_count));
  supply_.assign(static_cast<std::size_t>(node_count), 0);
}

MinCostFlow::~MinCostFlow() = default;
MinCostFlow::MinCostFlow(MinCostFlow&&) noexcept = default;
MinCostFlow& MinCostFlow::operator=(MinCostFlow&&) noexcept = default;

void MinCostFlow::reserve(NodeIndex nodes, ArcIndex arcs) {
  if (nodes > 0) check_nodes(static_cast<std::size_t>(nodes));
  if (arcs > 0) check_arcs(static_cast<std::size_t>(arcs));
  if (nodes > 0) supply_.reserve(static_cast<std::size_t>(nodes));
  if (arcs > 0) {
    const auto a = static_cast<std::size_t>(arcs);
    tail_.reserve(a);
    head_.reserve(a);
    lower_.reserve(a);
    upper_.reserve(a);
    cost_.reserve(a);
  }
}

MinCostFlow::NodeIndex MinCostFlow::add_node() {
  check_nodes(supply_.size() + 1);
  invalidate();
  supply_.push_back(0);
  return static_cast<NodeIndex>(supply_.size() - 1);
}

void MinCostFlow::set_supply(NodeIndex node, FlowQuantity supply) {
  if (node < 0 || node >= node_count())
    throw InvalidArgument("MinCostFlow::set_supply: unknown node " + std::to_string(node));
  if (supply > max_capacity || supply < -max_capacity)
    throw InvalidArgument("MinCostFlow::set_supply: |supply| exceeds max_capacity");
  invalidate();
  supply_[static_cast<std::size_t>(node)] = supply;
}

MinCostFlow::ArcIndex MinCostFlow::add_arc(NodeIndex tail, NodeIndex head, FlowQuantity lower, FlowQuantity upper,
                                           CostValue cost) {
  if (tail < 0 || tail >= node_count() || head < 0 || head >= node_count())
    throw InvalidArgument("MinCostFlow::add_arc: unknown node");
  if (lower < 0) throw InvalidArgument("MinCostFlow::add_arc: negative lower bound");
  if (lower > upper) throw InvalidArgument("MinCostFlow::add_arc: lower bound exceeds capacity");
  if (upper > max_capacity) throw InvalidArgument("MinCostFlow::add_arc: capacity exceeds max_capacity");
  if (cost > max_cost || cost < -max_cost) throw InvalidArgument("MinCostFlow::add_arc: |cost| exceeds max_cost");
  check_arcs(tail_.size() + 1);
  invalidate();
  tail_.push_back(tail);
  head_.push_back(head);
  lower_.push_back(lower);
  upper_.push_back(upper);
  cost_.push_back(cost);
  return static_cast<ArcIndex>(tail_.size() - 1);
}

void MinCostFlow::invalidate() noexcept {
  solved_ = false;
  status_ = Status::bad_input;
}

MinCostFlow::Status MinCostFlow::solve(Algorithm algorithm) {
  invalidate();
  used_ = Algorithm::automatic;
  flow_.clear();
  potential_.clear();
  optimal_cost_ = 0;

  const auto n = static_cast<std::size_t>(node_count());
  const auto m = static_cast<std::size_t>(arc_count());

  i128 total = 0;
  for (const FlowQuantity b : supply_) total += b;
  if (total != 0) return status_ = Status::unbalanced;

  // Preprocess: fixed arcs and self-loops aside, lower bounds into the supplies.
  Core core;
  core.n = static_cast<int>(n);
  std::vector<i128> b(supply_.begin(), supply_.end());
  std::vector<int> core_arc(m, -1);
  flow_.assign(m, 0);
  for (std::size_t a = 0; a < m; ++a) {
    const int t = tail_[a], h = head_[a];
    const i64 lo = lower_[a], up = upper_[a], c = cost_[a];
    if (t == h) {
      flow_[a] = c < 0 ? up : lo;
      continue;
    }
    b[static_cast<std::size_t>(t)] -= lo;
    b[static_cast<std::size_t>(h)] += lo;
    flow_[a] = lo;
    if (lo == up) continue;
    core_arc[a] = core.m++;
    core.src.push_back(t);
    core.dst.push_back(h);
    core.cap.push_back(up - lo);
    core.cost.push_back(c);
    core.max_abs_cost = std::max(core.max_abs_cost, c < 0 ? -c : c);
  }
  i128 positive = 0;
  core.b.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    if (b[v] > 0) positive += b[v];
    if (b[v] > kSupplyLimit || b[v] < -kSupplyLimit) return status_ = Status::bad_input;
    core.b[v] = static_cast<i64>(b[v]);
  }
  if (positive > kSupplyLimit) return status_ = Status::bad_input;
  if (static_cast<i128>(n + 2) * std::max<i64>(core.max_abs_cost, 1) > kPotentialLimit)
    return status_ = Status::bad_input;

  CoreResult result;
  const Outcome outcome = dispatch(core, algorithm, positive, result, used_);
  if (outcome == Outcome::infeasible) {
    flow_.clear();
    return status_ = Status::infeasible;
  }

  i128 total_cost = 0;
  for (std::size_t a = 0; a < m; ++a) {
    if (core_arc[a] >= 0) flow_[a] += result.flow[static_cast<std::size_t>(core_arc[a])];
    total_cost += static_cast<i128>(flow_[a]) * cost_[a];
  }
  if (total_cost > std::numeric_limits<i64>::max() || total_cost < std::numeric_limits<i64>::min()) {
    flow_.clear();
    return status_ = Status::bad_input;
  }
  optimal_cost_ = static_cast<i64>(total_cost);
  potential_ = std::move(result.potential);
  solved_ = true;
  return status_ = Status::optimal;
}

void MinCostFlow::check_node(NodeIndex node) const {
  if (node < 0 || node >= node_count())
    throw OutOfRange("MinCostFlow: node index " + std::to_string(node) + " out of range");
}

void MinCostFlow::check_arc(ArcIndex arc) const {
  if (arc < 0 || arc >= arc_count())
    throw OutOfRange("MinCostFlow: arc index " + std::to_string(arc) + " out of range");
}

void MinCostFlow::check_solved() const {
  if (!solved_) throw StateError("MinCostFlow: no optimal solution (call solve() first)");
}

MinCostFlow::CostValue MinCostFlow::optimal_cost() const {
  check_solved();
  return optimal_cost_;
}

MinCostFlow::FlowQuantity MinCostFlow::flow(ArcIndex arc) const {
  check_arc(arc);
  check_solved();
  return flow_[static_cast<std::size_t>(arc)];
}

MinCostFlow::CostValue MinCostFlow::potential(NodeIndex node) const {
  check_node(node);
  check_solved();
  return potential_[static_cast<std::size_t>(node)];
}

MinCostFlow::CostValue MinCostFlow::reduced_cost(ArcIndex arc) const {
  check_arc(arc);
  check_solved();
  const auto a = static_cast<std::size_t>(arc);
  return cost_[a] + potential_[static_cast<std::size_t>(tail_[a])] - potential_[static_cast<std::size_t>(head_[a])];
}

MinCostFlow::FlowQuantity MinCostFlow::supply(NodeIndex node) const {
  check_node(node);
  return supply_[static_cast<std::size_t>(node)];
}
MinCostFlow::NodeIndex MinCostFlow::tail(ArcIndex arc) const {
  check_arc(arc);
  return tail_[static_cast<std::size_t>(arc)];
}
MinCostFlow::NodeIndex MinCostFlow::head(ArcIndex arc) const {
  check_arc(arc);
  return head_[static_cast<std::size_t>(arc)];
}
MinCostFlow::FlowQuantity MinCostFlow::lower(ArcIndex arc) const {
  check_arc(arc);
  return lower_[static_cast<std::size_t>(arc)];
}
MinCostFlow::FlowQuantity MinCostFlow::upper(ArcIndex arc) const {
  check_arc(arc);
  return upper_[static_cast<std::size_t>(arc)];
}
MinCostFlow::CostValue MinCostFlow::cost(ArcIndex arc) const {
  check_arc(arc);
  return cost_[static_cast<std::size_t>(arc)];
}

}  // namespace wijkmatch
