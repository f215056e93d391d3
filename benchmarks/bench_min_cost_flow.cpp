// MinCostFlow against LEMON (NetworkSimplex, CostScaling, CapacityScaling) and Boost.Graph
// (successive_shortest_path_nonnegative_weights) on identical networks, in the same run:
//   alloc_scarce_N, alloc_ample_N
//             seeded bipartite allocation networks with N needs (supply 1 each), N/20 (scarce:
//             about 0.9 seats per need) or N/12 (ample: about 1.5 seats per need) offers with
//             5-30 seats, 3-6 nearby candidate offers per need (costs from scores, negative),
//             and an overflow (waiting) arc per need at a big cost; 10k and 100k needs by
//             default, up to WIJKMATCH_BENCH_MAX_NEEDS (e.g. 1000000) when that is set;
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
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/min_cost_flow.hpp"

#ifdef WIJKMATCH_HAVE_LEMON
#include "lemon_peers.hpp"
#endif

namespace {

using wijkmatch::MinCostFlow;
using i64 = std::int64_t;

struct Arc {
  int tail, head;
  i64 lower, upper, cost;
};

struct Network {
  std::string name;
  int nodes = 0;
  int needs = 0;  // allocation networks: nodes 0..needs-1 are the needs, the last node the sink
  std::vector<i64> supply;
  std::vector<Arc> arcs;
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

std::optional<Network> netgen_network(const std::string& file) {
  const auto path = std::filesystem::path(WIJKMATCH_SHARED_DATA_DIR) / "peers" / file;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  const MinCostFlow mcf = wijkmatch::read_dimacs(in);
  Network net;
  net.name = std::filesystem::path(file).stem().string();
  net.nodes = mcf.node_count();
  for (int v = 0; v < mcf.node_count(); ++v) net.supply.push_back(mcf.supply(v));
  for (int a = 0; a < mcf.arc_count(); ++a)
    net.arcs.push_back(Arc{mcf.tail(a), mcf.head(a), mcf.lower(a), mcf.upper(a), mcf.cost(a)});
  return net;
}

// ----- solvers: prepare once (untimed), solve many times (timed) -----

struct Solver {
  virtual ~Solver() = default;
  virtual i64 solve() = 0;  // optimal cost; -1 with ok = false on failure
  bool ok = true;
};

struct Ours : Solver {
  MinCostFlow mcf;
  explicit Ours(const Network& net) : mcf(net.nodes) {
    mcf.reserve(net.nodes, static_cast<int>(net.arcs.size()));
    for (int v = 0; v < net.nodes; ++v) mcf.set_supply(v, net.supply[static_cast<std::size_t>(v)]);
    for (const Arc& a : net.arcs) mcf.add_arc(a.tail, a.head, a.lower, a.upper, a.cost);
  }
  i64 solve() override {
    ok = mcf.solve() == MinCostFlow::Status::optimal;
    return ok ? mcf.optimal_cost() : -1;
  }
};

#ifdef WIJKMATCH_HAVE_LEMON
using wijkmatch_bench::LemonAlgorithm;

struct Lemon : Solver {
  LemonAlgorithm algorithm;
  wijkmatch_bench::LemonPeer peer;
  static std::vector<wijkmatch_bench::PeerArc> peer_arcs(const Network& net) {
    std::vector<wijkmatch_bench::PeerArc> arcs;
    arcs.reserve(net.arcs.size());
    for (const Arc& a : net.arcs) arcs.push_back({a.tail, a.head, a.lower, a.upper, a.cost});
    return arcs;
  }
  static std::vector<long long> peer_supply(const Network& net) { return {net.supply.begin(), net.supply.end()}; }
  Lemon(const Network& net, LemonAlgorithm alg) : algorithm(alg), peer(net.nodes, peer_supply(net), peer_arcs(net)) {}
  i64 solve() override {
    long long cost = -1;
    ok = peer.solve(algorithm, cost);
    return ok ? static_cast<i64>(cost) : -1;
  }
};
#endif

// Boost needs a single source and sink and non-negative weights: a super source feeds each
// need one unit, and every need->offer/overflow cost is shifted by kMaxScore (each path uses
// exactly one such arc, so the optimum moves by kMaxScore * needs).
struct BoostSsp : Solver {
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, i64,
                      boost::property<boost::edge_residual_capacity_t, i64,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                      boost::property<boost::edge_weight_t, i64>>>>>;
  Graph g;
  int source = 0, sink = 0;
  i64 shift = 0, needs = 0;

  explicit BoostSsp(const Network& net) : g(static_cast<std::size_t>(net.nodes + 1)) {
    source = net.nodes;
    sink = net.nodes - 1;
    auto capacity = boost::get(boost::edge_capacity, g);
    auto reverse = boost::get(boost::edge_reverse, g);
    auto weight = boost::get(boost::edge_weight, g);
    auto add = [&](int u, int v, i64 cap, i64 w) {
      const auto e = boost::add_edge(static_cast<std::size_t>(u), static_cast<std::size_t>(v), g).first;
      const auto r = boost::add_edge(static_cast<std::size_t>(v), static_cast<std::size_t>(u), g).first;
      capacity[e] = cap;
      capacity[r] = 0;
      weight[e] = w;
      weight[r] = -w;
      reverse[e] = r;
      reverse[r] = e;
    };
    for (int i = 0; i < net.needs; ++i) add(source, i, 1, 0);
    for (const Arc& a : net.arcs) add(a.tail, a.head, a.upper, a.tail < net.needs ? a.cost + kMaxScore : a.cost);
    shift = kMaxScore * net.needs;
    needs = net.needs;
  }
  i64 solve() override {
    boost::successive_shortest_path_nonnegative_weights(g, static_cast<std::size_t>(source),
                                                        static_cast<std::size_t>(sink));
    const auto capacity = boost::get(boost::edge_capacity, g);
    const auto residual = boost::get(boost::edge_residual_capacity, g);
    const auto weight = boost::get(boost::edge_weight, g);
    i64 total = 0;
    for (const auto e : boost::make_iterator_range(boost::edges(g))) {
      if (capacity[e] > 0) total += weight[e] * (capacity[e] - residual[e]);
    }
    i64 flow = 0;  // every need must be served (overflow arcs make that possible)
    for (const auto e : boost::make_iterator_range(boost::out_edges(static_cast<std::size_t>(source), g)))
      flow += capacity[e] - residual[e];
    ok = flow == needs;
    return total - shift;
  }
};

// ----- instances and their agreement check -----

struct Entry {
  Network net;
  std::map<std::string, i64> costs;  // per solver, from the agreement check
  std::string disagreement;          // empty when all agree
};

using Factory = std::function<std::unique_ptr<Solver>(const Network&)>;

std::vector<std::pair<std::string, Factory>> solvers_for(const Network& net) {
  std::vector<std::pair<std::string, Factory>> list;
  list.emplace_back("ours", [](const Network& n) { return std::make_unique<Ours>(n); });
#ifdef WIJKMATCH_HAVE_LEMON
  list.emplace_back("lemon_network_simplex",
                    [](const Network& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::network_simplex); });
  list.emplace_back("lemon_cost_scaling",
                    [](const Network& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::cost_scaling); });
  // CapacityScaling takes minutes on larger networks here (178 s on alloc_ample_100000,
  // 85 s on netgen_8_14a): small ones only.
  if (net.arcs.size() <= 60000) {
    list.emplace_back("lemon_capacity_scaling",
                      [](const Network& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::capacity_scaling); });
  }
#endif
  // Boost's successive shortest paths runs a full Dijkstra per unit: small networks only.
  if (net.needs > 0 && net.needs <= 10000)
    list.emplace_back("boost_ssp", [](const Network& n) { return std::make_unique<BoostSsp>(n); });
  return list;
}

std::map<std::string, std::unique_ptr<Entry>>& entries() {
  static std::map<std::string, std::unique_ptr<Entry>> map;
  return map;
}

// Solves the instance once with every solver (the first time it is asked for).
Entry& checked(const std::string& name) {
  Entry& entry = *entries().at(name);
  if (!entry.costs.empty() || !entry.disagreement.empty()) return entry;
  std::optional<i64> reference;
  for (const auto& [solver_name, factory] : solvers_for(entry.net)) {
    auto solver = factory(entry.net);
    const i64 cost = solver->solve();
    entry.costs[solver_name] = cost;
    if (!solver->ok) {
      entry.disagreement += solver_name + " found no optimum; ";
    } else if (!reference) {
      reference = cost;
    } else if (*reference != cost) {
      entry.disagreement += solver_name + " cost " + std::to_string(cost) + " != " + std::to_string(*reference) + "; ";
    }
  }
  if (entry.disagreement.empty() && entry.costs.empty()) entry.disagreement = "no solver ran";
  return entry;
}

void run_benchmark(benchmark::State& state, const std::string& instance, const std::string& solver_name,
                   const Factory& factory) {
  Entry& entry = checked(instance);
  if (!entry.disagreement.empty()) {
    state.SkipWithError(("solvers disagree: " + entry.disagreement).c_str());
    for (auto _ : state) {}
    return;
  }
  const i64 expected = entry.costs.at(solver_name);
  auto solver = factory(entry.net);
  i64 cost = 0;
  for (auto _ : state) {
    cost = solver->solve();
    benchmark::DoNotOptimize(cost);
  }
  if (cost != expected) state.SkipWithError("cost changed between runs");
  state.counters["nodes"] = static_cast<double>(entry.net.nodes);
  state.counters["arcs"] = static_cast<double>(entry.net.arcs.size());
  state.counters["cost"] = static_cast<double>(cost);
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
  for (const char* file :
       {"netgen_8_08a.min", "netgen_8_10a.min", "netgen_8_13a.min", "netgen_8_14a.min", "netgen2_networkx.min"}) {
    if (auto net = netgen_network(file)) register_instance(std::move(*net));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
