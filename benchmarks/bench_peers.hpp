// Min-cost-flow solvers side by side, shared by bench_min_cost_flow and bench_allocation: ours,
// LEMON's (when built with it) and Boost.Graph's successive shortest paths, each prepared once
// from the same network (untimed) and then solved in the timed loop. Before timing, every
// solver solves the network once and the optimal costs are compared; a disagreement stops the
// benchmarks of that network with SkipWithError.
#pragma once
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include "bench_memory.hpp"
#include "wijkmatch/min_cost_flow.hpp"

#ifdef WIJKMATCH_HAVE_LEMON
#include "lemon_peers.hpp"
#endif

namespace wijkmatch_bench {

using i64 = std::int64_t;

struct Arc {
  int tail, head;
  i64 lower, upper, cost;
};

/// A network as plain lists: what every solver is built from.
struct FlowNetwork {
  int nodes = 0;
  std::vector<i64> supply;
  std::vector<Arc> arcs;
};

inline FlowNetwork flow_network(const wijkmatch::MinCostFlow& mcf) {
  FlowNetwork net;
  net.nodes = mcf.node_count();
  net.supply.reserve(static_cast<std::size_t>(mcf.node_count()));
  for (int v = 0; v < mcf.node_count(); ++v) net.supply.push_back(mcf.supply(v));
  net.arcs.reserve(static_cast<std::size_t>(mcf.arc_count()));
  for (int a = 0; a < mcf.arc_count(); ++a)
    net.arcs.push_back(Arc{mcf.tail(a), mcf.head(a), mcf.lower(a), mcf.upper(a), mcf.cost(a)});
  return net;
}

struct Solver {
  virtual ~Solver() = default;
  virtual i64 solve() = 0;  // optimal cost; -1 with ok = false on failure
  bool ok = true;
};

struct Ours : Solver {
  wijkmatch::MinCostFlow mcf;
  wijkmatch::MinCostFlow::Algorithm algorithm;
  explicit Ours(const FlowNetwork& net,
                wijkmatch::MinCostFlow::Algorithm alg = wijkmatch::MinCostFlow::Algorithm::automatic)
      : mcf(net.nodes), algorithm(alg) {
    mcf.reserve(net.nodes, static_cast<int>(net.arcs.size()));
    for (int v = 0; v < net.nodes; ++v) mcf.set_supply(v, net.supply[static_cast<std::size_t>(v)]);
    for (const Arc& a : net.arcs) mcf.add_arc(a.tail, a.head, a.lower, a.upper, a.cost);
  }
  i64 solve() override {
    ok = mcf.solve(algorithm) == wijkmatch::MinCostFlow::Status::optimal;
    return ok ? mcf.optimal_cost() : -1;
  }
};

#ifdef WIJKMATCH_HAVE_LEMON
struct Lemon : Solver {
  LemonAlgorithm algorithm;
  LemonPeer peer;
  static std::vector<PeerArc> peer_arcs(const FlowNetwork& net) {
    std::vector<PeerArc> arcs;
    arcs.reserve(net.arcs.size());
    for (const Arc& a : net.arcs) arcs.push_back({a.tail, a.head, a.lower, a.upper, a.cost});
    return arcs;
  }
  static std::vector<long long> peer_supply(const FlowNetwork& net) { return {net.supply.begin(), net.supply.end()}; }
  Lemon(const FlowNetwork& net, LemonAlgorithm alg)
      : algorithm(alg), peer(net.nodes, peer_supply(net), peer_arcs(net)) {}
  i64 solve() override {
    long long cost = -1;
    ok = peer.solve(algorithm, cost);
    return ok ? static_cast<i64>(cost) : -1;
  }
};
#endif

/// Boost.Graph's successive_shortest_path_nonnegative_weights on a graph built arc by arc. It
/// wants one source, one sink and non-negative weights: each benchmark maps its networks onto
/// that in its own way.
class BoostSspGraph {
 public:
  explicit BoostSspGraph(std::size_t vertices) : g_(vertices) {}
  /// The arc u -> v and its residual twin.
  void add(std::size_t u, std::size_t v, i64 capacity, i64 weight) {
    auto cap = boost::get(boost::edge_capacity, g_);
    auto reverse = boost::get(boost::edge_reverse, g_);
    auto w = boost::get(boost::edge_weight, g_);
    const auto e = boost::add_edge(u, v, g_).first;
    const auto r = boost::add_edge(v, u, g_).first;
    cap[e] = capacity;
    cap[r] = 0;
    w[e] = weight;
    w[r] = -weight;
    reverse[e] = r;
    reverse[r] = e;
  }
  struct Result {
    i64 cost = 0;  // the total weight of the flow
    i64 flow = 0;  // what leaves the source
  };
  Result solve(std::size_t source, std::size_t sink) {
    boost::successive_shortest_path_nonnegative_weights(g_, source, sink);
    const auto capacity = boost::get(boost::edge_capacity, g_);
    const auto residual = boost::get(boost::edge_residual_capacity, g_);
    const auto weight = boost::get(boost::edge_weight, g_);
    Result result;
    for (const auto e : boost::make_iterator_range(boost::edges(g_)))
      if (capacity[e] > 0) result.cost += weight[e] * (capacity[e] - residual[e]);
    for (const auto e : boost::make_iterator_range(boost::out_edges(source, g_)))
      result.flow += capacity[e] - residual[e];
    return result;
  }

 private:
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, i64,
                      boost::property<boost::edge_residual_capacity_t, i64,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                      boost::property<boost::edge_weight_t, i64>>>>>;
  Graph g_;
};

using Factory = std::function<std::unique_ptr<Solver>(const FlowNetwork&)>;
using SolverList = std::vector<std::pair<std::string, Factory>>;

/// Ours and LEMON's network simplex and cost scaling, and LEMON's capacity scaling when
/// `capacity_scaling` (it takes minutes on some larger networks).
inline SolverList ours_and_lemon([[maybe_unused]] bool capacity_scaling) {
  SolverList list;
  list.emplace_back("ours", [](const FlowNetwork& n) { return std::make_unique<Ours>(n); });
#ifdef WIJKMATCH_HAVE_LEMON
  list.emplace_back("lemon_network_simplex",
                    [](const FlowNetwork& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::network_simplex); });
  list.emplace_back("lemon_cost_scaling",
                    [](const FlowNetwork& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::cost_scaling); });
  if (capacity_scaling) {
    list.emplace_back("lemon_capacity_scaling", [](const FlowNetwork& n) {
      return std::make_unique<Lemon>(n, LemonAlgorithm::capacity_scaling);
    });
  }
#endif
  return list;
}

/// Every solver's optimal cost on one network, and what went wrong (empty when all agree).
struct Agreement {
  std::map<std::string, i64> costs;
  std::string disagreement;
};

inline Agreement check_agreement(const FlowNetwork& net, const SolverList& solvers) {
  Agreement result;
  std::optional<i64> reference;
  for (const auto& [name, factory] : solvers) {
    auto solver = factory(net);
    const i64 cost = solver->solve();
    result.costs[name] = cost;
    if (!solver->ok)
      result.disagreement += name + " found no optimum; ";
    else if (!reference)
      reference = cost;
    else if (*reference != cost)
      result.disagreement += name + " cost " + std::to_string(cost) + " != " + std::to_string(*reference) + "; ";
  }
  if (result.disagreement.empty() && result.costs.empty()) result.disagreement = "no solver ran";
  return result;
}

/// The timed loop of one solver on `net`, after the agreement check: prepares the solver, starts
/// a new memory peak, times solve() and sets the counters nodes, arcs and cost. Returns the cost,
/// or nullopt when the solvers disagree (the benchmark is then skipped with that error).
inline std::optional<i64> time_solver(benchmark::State& state, const FlowNetwork& net, const Agreement& agreement,
                                      const std::string& name, const Factory& factory) {
  if (!agreement.disagreement.empty()) {
    state.SkipWithError(("solvers disagree: " + agreement.disagreement).c_str());
    for (auto _ : state) {}
    return std::nullopt;
  }
  auto solver = factory(net);
  reset_peak_rss();
  i64 cost = 0;
  for (auto _ : state) {
    cost = solver->solve();
    benchmark::DoNotOptimize(cost);
  }
  if (cost != agreement.costs.at(name)) state.SkipWithError("cost changed between runs");
  state.counters["nodes"] = static_cast<double>(net.nodes);
  state.counters["arcs"] = static_cast<double>(net.arcs.size());
  state.counters["cost"] = static_cast<double>(cost);
  return cost;
}

}  // namespace wijkmatch_bench
