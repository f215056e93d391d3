// MinCostFlow against LEMON (NetworkSimplex, CostScaling, CapacityScaling) and Boost.Graph
// (successive_shortest_path_nonnegative_weights) on identical networks, in the same run:
//   alloc_scarce_N, alloc_ample_N
//             seeded bipartite allocation networks with N needs (supply 1 each), N/20 (scarce:
//             about 0.9 seats per need) or N/12 (ample: about 1.5 seats per need) offers with
//             5-30 seats, 3-6 nearby candidate offers per need (costs from scores, negative),
//             and an overflow (waiting) arc per need at a big cost; 10k and 100k needs by
//             default, up to WIJKMATCH_BENCH_MAX_NEEDS (e.g. 1000000) when that is set;
//   random_N_M, grid_corners_W, grid_random_W
//             general networks with lower bounds and negative costs, feasible by
//             construction (see random_network and grid_network below);
//   netgen_*  the NETGEN files of ../shared/data/peers, when present.
// Before timing, every instance is solved once by every solver and the optimal costs compared;
// on any disagreement all benchmarks of that instance stop with SkipWithError.
// Only solve() is timed; the networks are built beforehand (for LEMON and Boost: the graph and
// its maps; the solver object is constructed inside the timed loop, as ours is).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_common.hpp"
#include "bench_peers.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace {

using wijkmatch::MinCostFlow;
using wijkmatch_bench::Arc;
using wijkmatch_bench::FlowNetwork;
using wijkmatch_bench::i64;

struct Network : FlowNetwork {
  std::string name;
  int needs = 0;  // allocation networks: nodes 0..needs-1 are the needs, the last node the sink
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  i64 uniform(i64 lo, i64 hi) { return lo + static_cast<i64>(engine_() % static_cast<std::uint64_t>(hi - lo + 1)); }

 private:
  std::mt19937_64 engine_;
};

constexpr i64 kOverflowCost = 1000;
constexpr i64 kMaxScore = 100;

// needs_per_offer 20: about 0.9 seats per need (seats scarce, many wait);
// needs_per_offer 12: about 1.5 seats per need (seats to spare, popular offers still full).
Network allocation_network(const std::string& regime, int needs, int needs_per_offer, std::uint64_t seed) {
  Rng rng(seed);
  Network net;
  net.name = "alloc_" + regime + "_" + std::to_string(needs);
  net.needs = needs;
  const int offers = std::max(1, needs / needs_per_offer);
  net.nodes = needs + offers + 1;
  const int sink = net.nodes - 1;
  net.supply.assign(static_cast<std::size_t>(net.nodes), 0);
  std::vector<i64> quality(static_cast<std::size_t>(offers));
  for (auto& q : quality) q = rng.uniform(0, 60);
  net.arcs.reserve(static_cast<std::size_t>(needs) * 6);
  for (int i = 0; i < needs; ++i) {
    net.supply[static_cast<std::size_t>(i)] = 1;
    const i64 home = static_cast<i64>(i) * offers / needs;
    const int k = static_cast<int>(rng.uniform(3, 6));
    for (int j = 0; j < k; ++j) {
      const i64 o = std::clamp<i64>(home + rng.uniform(-25, 25), 0, offers - 1);
      const i64 score = quality[static_cast<std::size_t>(o)] + rng.uniform(0, kMaxScore - 60);
      net.arcs.push_back(Arc{i, needs + static_cast<int>(o), 0, 1, -score});
    }
    net.arcs.push_back(Arc{i, sink, 0, 1, kOverflowCost});
  }
  for (int o = 0; o < offers; ++o) net.arcs.push_back(Arc{needs + o, sink, 0, rng.uniform(5, 30), 0});
  net.supply[static_cast<std::size_t>(sink)] = -needs;
  return net;
}

// General networks with lower bounds and negative costs. A flow x is drawn first (lower bound,
// sometimes plus a random amount, plus the routed source-sink paths of the grid), then each
// upper bound gets slack above x and the supplies are x's divergence: every instance is
// feasible by construction, and negative-cost cycles (bounded by the capacities) are common.
void finish_general(Network& net, const std::vector<i64>& x, Rng& rng, i64 slack) {
  net.supply.assign(static_cast<std::size_t>(net.nodes), 0);
  for (std::size_t a = 0; a < net.arcs.size(); ++a) {
    Arc& arc = net.arcs[a];
    arc.upper = x[a] + rng.uniform(0, slack);
    net.supply[static_cast<std::size_t>(arc.tail)] += x[a];
    net.supply[static_cast<std::size_t>(arc.head)] -= x[a];
  }
}

// random_N_M: N nodes, M arcs with uniformly random ends (no self-loops); 30% of the arcs have
// a lower bound in [1, 20], costs in [-20, 100], x = lower bound plus, on 40% of the arcs, up
// to 50 more; slack up to 100. Every node ends up with a (small) supply or demand.
Network random_network(int nodes, int arcs, std::uint64_t seed) {
  Rng rng(seed);
  Network net;
  net.name = "random_" + std::to_string(nodes) + "_" + std::to_string(arcs);
  net.nodes = nodes;
  net.arcs.reserve(static_cast<std::size_t>(arcs));
  std::vector<i64> x;
  x.reserve(static_cast<std::size_t>(arcs));
  for (int a = 0; a < arcs; ++a) {
    const int t = static_cast<int>(rng.uniform(0, nodes - 1));
    int h = static_cast<int>(rng.uniform(0, nodes - 2));
    if (h >= t) ++h;
    const i64 lower = rng.uniform(0, 9) < 3 ? rng.uniform(1, 20) : 0;
    net.arcs.push_back(Arc{t, h, lower, 0, rng.uniform(-20, 100)});
    x.push_back(lower + (rng.uniform(0, 9) < 4 ? rng.uniform(0, 50) : 0));
  }
  finish_general(net, x, rng, 100);
  return net;
}

// grid_<kind>_W: a W x W grid with arcs both ways between neighbours (costs in [-10, 100], 20%
// with a lower bound in [1, 10]). kind "corners": 500 units from each of the two top corners
// to the two bottom corners; kind "random": 50 random sources and 50 random sinks, 100 units
// each. Each unit's route (first along the row, then along the column) is part of x.
Network grid_network(const std::string& kind, int width, std::uint64_t seed) {
  Rng rng(seed);
  Network net;
  net.name = "grid_" + kind + "_" + std::to_string(width);
  net.nodes = width * width;
  auto id = [width](int r, int c) { return r * width + c; };
  // arc index of the step from (r, c) to each neighbour: right, left, down, up
  std::vector<int> step(static_cast<std::size_t>(net.nodes) * 4, -1);
  std::vector<i64> x;
  for (int r = 0; r < width; ++r) {
    for (int c = 0; c < width; ++c) {
      const int dr[4] = {0, 0, 1, -1}, dc[4] = {1, -1, 0, 0};
      for (int d = 0; d < 4; ++d) {
        const int r2 = r + dr[d], c2 = c + dc[d];
        if (r2 < 0 || r2 >= width || c2 < 0 || c2 >= width) continue;
        step[static_cast<std::size_t>(id(r, c)) * 4 + static_cast<std::size_t>(d)] = static_cast<int>(net.arcs.size());
        const i64 lower = rng.uniform(0, 9) < 2 ? rng.uniform(1, 10) : 0;
        net.arcs.push_back(Arc{id(r, c), id(r2, c2), lower, 0, rng.uniform(-10, 100)});
        x.push_back(lower);
      }
    }
  }
  auto route = [&](int r, int c, int r2, int c2, i64 amount) {
    while (c != c2) {
      const int d = c2 > c ? 0 : 1;
      x[static_cast<std::size_t>(step[static_cast<std::size_t>(id(r, c)) * 4 + static_cast<std::size_t>(d)])] += amount;
      c += c2 > c ? 1 : -1;
    }
    while (r != r2) {
      const int d = r2 > r ? 2 : 3;
      x[static_cast<std::size_t>(step[static_cast<std::size_t>(id(r, c)) * 4 + static_cast<std::size_t>(d)])] += amount;
      r += r2 > r ? 1 : -1;
    }
  };
  if (kind == "corners") {
    route(0, 0, width - 1, width - 1, 500);
    route(0, width - 1, width - 1, 0, 500);
  } else {
    for (int k = 0; k < 50; ++k) {
      const int r = static_cast<int>(rng.uniform(0, width - 1)), c = static_cast<int>(rng.uniform(0, width - 1));
      const int r2 = static_cast<int>(rng.uniform(0, width - 1)), c2 = static_cast<int>(rng.uniform(0, width - 1));
      route(r, c, r2, c2, 100);
    }
  }
  finish_general(net, x, rng, 200);
  return net;
}

std::optional<Network> netgen_network(const std::string& file) {
  const auto path = std::filesystem::path(WIJKMATCH_SHARED_DATA_DIR) / "peers" / file;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return Network{wijkmatch_bench::flow_network(wijkmatch::read_dimacs(in)), std::filesystem::path(file).stem().string(),
                 /*needs=*/0};
}

// ----- solvers: prepare once (untimed), solve many times (timed) -----

// Boost needs a single source and sink and non-negative weights: a super source feeds each
// need one unit, and every need->offer/overflow cost is shifted by kMaxScore (each path uses
// exactly one such arc, so the optimum moves by kMaxScore * needs).
struct BoostSsp : wijkmatch_bench::Solver {
  wijkmatch_bench::BoostSspGraph g;
  std::size_t source = 0, sink = 0;
  i64 shift = 0, needs = 0;

  BoostSsp(const FlowNetwork& net, int need_nodes) : g(static_cast<std::size_t>(net.nodes + 1)) {
    source = static_cast<std::size_t>(net.nodes);
    sink = static_cast<std::size_t>(net.nodes - 1);
    for (int i = 0; i < need_nodes; ++i) g.add(source, static_cast<std::size_t>(i), 1, 0);
    for (const Arc& a : net.arcs)
      g.add(static_cast<std::size_t>(a.tail), static_cast<std::size_t>(a.head), a.upper,
            a.tail < need_nodes ? a.cost + kMaxScore : a.cost);
    shift = kMaxScore * need_nodes;
    needs = need_nodes;
  }
  i64 solve() override {
    const auto result = g.solve(source, sink);
    ok = result.flow == needs;  // every need must be served (overflow arcs make that possible)
    return result.cost - shift;
  }
};

// ----- instances and their agreement check -----

struct Entry {
  Network net;
  std::optional<wijkmatch_bench::Agreement> agreement;  // the first time it is asked for
};

wijkmatch_bench::SolverList solvers_for(const Network& net) {
  // CapacityScaling takes minutes on larger networks here (178 s on alloc_ample_100000,
  // 85 s on netgen_8_14a): small ones only.
  auto list = wijkmatch_bench::ours_and_lemon(net.arcs.size() <= 60000);
  // Our algorithms one by one, to show what the automatic choice picks from.
  if (net.needs == 0) {
    using Algorithm = MinCostFlow::Algorithm;
    for (const auto& [name, alg] : {std::pair{"ours_network_simplex", Algorithm::network_simplex},
                                    std::pair{"ours_cost_scaling", Algorithm::cost_scaling}})
      list.emplace_back(name,
                        [alg = alg](const FlowNetwork& n) { return std::make_unique<wijkmatch_bench::Ours>(n, alg); });
  }
  // Boost's successive shortest paths runs a full Dijkstra per unit: small networks only.
  if (net.needs > 0 && net.needs <= 10000)
    list.emplace_back("boost_ssp",
                      [needs = net.needs](const FlowNetwork& n) { return std::make_unique<BoostSsp>(n, needs); });
  return list;
}

std::map<std::string, std::unique_ptr<Entry>>& entries() {
  static std::map<std::string, std::unique_ptr<Entry>> map;
  return map;
}

void run_benchmark(benchmark::State& state, const std::string& instance, const std::string& solver_name,
                   const wijkmatch_bench::Factory& factory) {
  Entry& entry = *entries().at(instance);
  if (!entry.agreement) entry.agreement = wijkmatch_bench::check_agreement(entry.net, solvers_for(entry.net));
  if (!wijkmatch_bench::time_solver(state, entry.net, *entry.agreement, solver_name, factory)) return;
  if (entry.net.needs > 0) {
    state.counters["needs/s"] =
        benchmark::Counter(static_cast<double>(entry.net.needs), benchmark::Counter::kIsIterationInvariantRate);
  }
}

void register_instance(Network net) {
  const std::string name = net.name;
  auto entry = std::make_unique<Entry>();
  entry->net = std::move(net);
  const auto solvers = solvers_for(entry->net);
  entries()[name] = std::move(entry);
  for (const auto& [solver_name, factory] : solvers) {
    auto* b =
        benchmark::RegisterBenchmark((name + "/" + solver_name).c_str(),
                                     [name, solver_name = solver_name, factory = factory](benchmark::State& state) {
                                       run_benchmark(state, name, solver_name, factory);
                                     });
    b->Unit(benchmark::kMillisecond)->UseRealTime();
    if (solver_name == "boost_ssp") b->Iterations(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  long max_needs = 100000;
  if (const char* env = std::getenv("WIJKMATCH_BENCH_MAX_NEEDS")) max_needs = std::atol(env);
  for (long needs = 10000; needs <= max_needs; needs *= 10) {
    const auto seed = 20240501u + static_cast<std::uint64_t>(needs);
    register_instance(allocation_network("scarce", static_cast<int>(needs), 20, seed));
    register_instance(allocation_network("ample", static_cast<int>(needs), 12, seed));
  }
  for (const auto& [nodes, arcs] : {std::pair{4000, 36000}, std::pair{40000, 360000}})
    register_instance(random_network(nodes, arcs, 77u + static_cast<std::uint64_t>(nodes)));
  register_instance(grid_network("corners", 200, 91u));
  register_instance(grid_network("random", 200, 92u));
  register_instance(grid_network("random", 64, 93u));
  for (const char* file :
       {"netgen_8_08a.min", "netgen_8_10a.min", "netgen_8_13a.min", "netgen_8_14a.min", "netgen2_networkx.min"}) {
    if (auto net = netgen_network(file)) register_instance(std::move(*net));
  }
  return wijkmatch_bench::run_benchmarks(std::vector<char*>(argv, argv + argc));
}
