// Allocation on generated regions, and the allocation networks against LEMON (NetworkSimplex,
// CostScaling, CapacityScaling) and Boost.Graph (successive_shortest_path_nonnegative_weights)
// in the same run. See benchmarks/RESULTS.md.
//
//   allocate/N        wijkmatch::allocate (optimal mode, end to end: ranking, candidates, three
//                     min-cost-flow stages) on a region with about N open needs
//   candidates/N      allocation_candidates only (ranking every need and listing candidates)
//   mcf/N/<solver>    the stage-1 network of that region (allocation_network): solve() only,
//                     every solver on the identical network; the optimal costs are compared
//                     before timing and a disagreement stops the benchmark with an error
//
// Regions: generate() with needs_per_100 = 8.2 (the Dutch Wmo + youth-care client rate,
// docs/generator.md) and one municipality per 100,000 residents, so N needs means N / 0.082
// residents. Sizes: 10k and 100k needs by default (the solvers also at 1k); with
// WIJKMATCH_BENCH_MAX_NEEDS=1000000 also 1M (about 12 million residents; needs about 16 GB of
// memory). Boost runs at 1k needs only: it runs a full Dijkstra per unit of flow (87 s at 10k).
//
// Counters: needs, nodes, arcs, cost, needs/s, peak_MB (the process's peak resident set during
// that benchmark, measured by resetting /proc/self/clear_refs; it includes the cached model).
//
// Other modes (instead of the benchmarks):
//   bench_allocation --export-dimacs=DIR   writes the stage-1 networks of regions with 1k, 2k,
//       5k and 10k needs as DIR/alloc_<N>.min with the optimal cost and our median solve time
//       in a comment line, for benchmarks/python_peers.py
//   bench_allocation --country=DIR [--threads=T]   allocates every municipality of a generated
//       country (DIR/manifest.json and GM*.wjm from `wijkmatch generate`) one at a time and
//       prints the time and peak memory (benchmarks/country.sh)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <nlohmann/json.hpp>

#include "bench_memory.hpp"
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/min_cost_flow.hpp"

#ifdef WIJKMATCH_HAVE_LEMON
#include "lemon_peers.hpp"
#endif

namespace {

using wijkmatch::MinCostFlow;
using i64 = std::int64_t;

// ----- memory

using wijkmatch_bench::peak_mb;
using wijkmatch_bench::reset_peak_rss;

// ----- regions

constexpr double needs_per_100 = 8.2;

wijkmatch::GenerateOptions region(long needs) {
  wijkmatch::GenerateOptions o;
  o.residents = static_cast<std::int64_t>(static_cast<double>(needs) * 100.0 / needs_per_100);
  o.municipalities = static_cast<int>(std::max<std::int64_t>(1, o.residents / 100000));
  o.needs_per_100 = needs_per_100;
  o.seed = 20240501;
  return o;
}

// One region at a time: the benchmarks of a size run together, then the next size replaces it.
struct Cached {
  long needs = 0;
  std::unique_ptr<wijkmatch::Model> model;
  std::unique_ptr<MinCostFlow> network;
  std::map<std::string, i64> costs;  // per solver, from the agreement check
  std::string disagreement;
  bool checked = false;
};
Cached& cache() {
  static Cached c;
  return c;
}
Cached& region_for(long needs) {
  Cached& c = cache();
  if (c.needs != needs) {
    c = Cached{};
    c.needs = needs;
    c.model = std::make_unique<wijkmatch::Model>(wijkmatch::generate(region(needs)));
  }
  return c;
}
MinCostFlow& network_for(long needs) {
  Cached& c = region_for(needs);
  if (!c.network) c.network = std::make_unique<MinCostFlow>(wijkmatch::allocation_network(*c.model));
  return *c.network;
}

// ----- solvers on a copy of the network (prepared untimed, solved timed)

struct Solver {
  virtual ~Solver() = default;
  virtual i64 solve() = 0;
  bool ok = true;
};

struct Ours : Solver {
  MinCostFlow mcf;
  explicit Ours(const MinCostFlow& n) : mcf(n.node_count()) {
    mcf.reserve(n.node_count(), n.arc_count());
    for (int v = 0; v < n.node_count(); ++v) mcf.set_supply(v, n.supply(v));
    for (int a = 0; a < n.arc_count(); ++a) mcf.add_arc(n.tail(a), n.head(a), n.lower(a), n.upper(a), n.cost(a));
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
  std::unique_ptr<wijkmatch_bench::LemonPeer> peer;
  Lemon(const MinCostFlow& n, LemonAlgorithm alg) : algorithm(alg) {
    std::vector<long long> supply(static_cast<std::size_t>(n.node_count()));
    for (int v = 0; v < n.node_count(); ++v) supply[static_cast<std::size_t>(v)] = n.supply(v);
    std::vector<wijkmatch_bench::PeerArc> arcs;
    arcs.reserve(static_cast<std::size_t>(n.arc_count()));
    for (int a = 0; a < n.arc_count(); ++a) arcs.push_back({n.tail(a), n.head(a), n.lower(a), n.upper(a), n.cost(a)});
    peer = std::make_unique<wijkmatch_bench::LemonPeer>(n.node_count(), supply, arcs);
  }
  i64 solve() override {
    long long cost = -1;
    ok = peer->solve(algorithm, cost);
    return ok ? static_cast<i64>(cost) : -1;
  }
};
#endif

// Boost needs one source and one sink: a super source feeds every supply node its supply, and
// every demand node sends its demand to a super sink. The allocation network has no lower
// bounds and no negative costs at stage 1, so Boost's non-negative SSP applies directly.
struct BoostSsp : Solver {
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, i64,
                      boost::property<boost::edge_residual_capacity_t, i64,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                      boost::property<boost::edge_weight_t, i64>>>>>;
  Graph g;
  std::size_t source = 0, sink = 0;
  i64 demand = 0;
  explicit BoostSsp(const MinCostFlow& n) : g(static_cast<std::size_t>(n.node_count()) + 2) {
    source = static_cast<std::size_t>(n.node_count());
    sink = source + 1;
    auto capacity = boost::get(boost::edge_capacity, g);
    auto reverse = boost::get(boost::edge_reverse, g);
    auto weight = boost::get(boost::edge_weight, g);
    auto add = [&](std::size_t u, std::size_t v, i64 cap, i64 w) {
      const auto e = boost::add_edge(u, v, g).first;
      const auto r = boost::add_edge(v, u, g).first;
      capacity[e] = cap;
      capacity[r] = 0;
      weight[e] = w;
      weight[r] = -w;
      reverse[e] = r;
      reverse[r] = e;
    };
    for (int v = 0; v < n.node_count(); ++v) {
      if (n.supply(v) > 0) add(source, static_cast<std::size_t>(v), n.supply(v), 0);
      if (n.supply(v) < 0) {
        add(static_cast<std::size_t>(v), sink, -n.supply(v), 0);
        demand -= n.supply(v);
      }
    }
    for (int a = 0; a < n.arc_count(); ++a) {
      if (n.lower(a) != 0 || n.cost(a) < 0) ok = false;  // not this solver's problem class
      add(static_cast<std::size_t>(n.tail(a)), static_cast<std::size_t>(n.head(a)), n.upper(a), n.cost(a));
    }
  }
  i64 solve() override {
    if (!ok) return -1;
    boost::successive_shortest_path_nonnegative_weights(g, source, sink);
    const auto capacity = boost::get(boost::edge_capacity, g);
    const auto residual = boost::get(boost::edge_residual_capacity, g);
    const auto weight = boost::get(boost::edge_weight, g);
    i64 total = 0, flow = 0;
    for (const auto e : boost::make_iterator_range(boost::edges(g)))
      if (capacity[e] > 0) total += weight[e] * (capacity[e] - residual[e]);
    for (const auto e : boost::make_iterator_range(boost::out_edges(source, g))) flow += capacity[e] - residual[e];
    ok = flow == demand;
    return total;
  }
};

using Factory = std::function<std::unique_ptr<Solver>(const MinCostFlow&)>;
std::vector<std::pair<std::string, Factory>> solvers_for(long needs) {
  std::vector<std::pair<std::string, Factory>> list;
  list.emplace_back("ours", [](const MinCostFlow& n) { return std::make_unique<Ours>(n); });
#ifdef WIJKMATCH_HAVE_LEMON
  list.emplace_back("lemon_network_simplex",
                    [](const MinCostFlow& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::network_simplex); });
  list.emplace_back("lemon_cost_scaling",
                    [](const MinCostFlow& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::cost_scaling); });
  list.emplace_back("lemon_capacity_scaling",
                    [](const MinCostFlow& n) { return std::make_unique<Lemon>(n, LemonAlgorithm::capacity_scaling); });
#endif
  if (needs <= 1000) list.emplace_back("boost_ssp", [](const MinCostFlow& n) { return std::make_unique<BoostSsp>(n); });
  return list;
}

// Solves the region's network once with every solver (the first time it is asked for).
void check_agreement(long needs) {
  Cached& c = region_for(needs);
  if (c.checked) return;
  c.checked = true;
  const MinCostFlow& net = network_for(needs);
  std::optional<i64> reference;
  for (const auto& [name, factory] : solvers_for(needs)) {
    auto solver = factory(net);
    const i64 cost = solver->solve();
    c.costs[name] = cost;
    if (!solver->ok)
      c.disagreement += name + " found no optimum; ";
    else if (!reference)
      reference = cost;
    else if (*reference != cost)
      c.disagreement += name + " cost " + std::to_string(cost) + " != " + std::to_string(*reference) + "; ";
  }
}

void set_common_counters(benchmark::State& state, long needs) {
  state.counters["needs"] = static_cast<double>(needs);
  state.counters["needs/s"] =
      benchmark::Counter(static_cast<double>(needs), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_MB"] = peak_mb();
}

void bench_mcf(benchmark::State& state, long needs, const std::string& solver_name, const Factory& factory) {
  check_agreement(needs);
  Cached& c = cache();
  if (!c.disagreement.empty()) {
    state.SkipWithError(("solvers disagree: " + c.disagreement).c_str());
    for (auto _ : state) {}
    return;
  }
  auto solver = factory(*c.network);
  reset_peak_rss();
  i64 cost = 0;
  for (auto _ : state) {
    cost = solver->solve();
    benchmark::DoNotOptimize(cost);
  }
  if (cost != c.costs.at(solver_name)) state.SkipWithError("cost changed between runs");
  const auto open =
      static_cast<long>(std::count_if(c.model->needs.begin(), c.model->needs.end(), [](const wijkmatch::Need& n) {
        return n.status == wijkmatch::NeedStatus::open;
      }));
  set_common_counters(state, open);
  state.counters["nodes"] = c.network->node_count();
  state.counters["arcs"] = c.network->arc_count();
  state.counters["cost"] = static_cast<double>(cost);
}

void bench_allocate(benchmark::State& state, long needs) {
  Cached& c = region_for(needs);
  c.network.reset();
  reset_peak_rss();
  wijkmatch::AllocationResult result;
  for (auto _ : state) {
    result = wijkmatch::allocate(*c.model);
    benchmark::DoNotOptimize(result.objective.served);
  }
  set_common_counters(state, result.objective.needs);
  state.counters["served"] = result.objective.served;
  state.counters["residents"] = static_cast<double>(c.model->residents.size());
}

void bench_candidates(benchmark::State& state, long needs) {
  Cached& c = region_for(needs);
  reset_peak_rss();
  std::size_t candidates = 0, open = 0;
  for (auto _ : state) {
    const auto cand = wijkmatch::allocation_candidates(*c.model);
    candidates = cand.candidates.size();
    open = cand.needs.size();
    benchmark::DoNotOptimize(candidates);
  }
  set_common_counters(state, static_cast<long>(open));
  state.counters["candidates"] = static_cast<double>(candidates);
}

// ----- modes

int export_dimacs(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  for (long needs : {1000L, 2000L, 5000L, 10000L}) {
    const wijkmatch::Model model = wijkmatch::generate(region(needs));
    const MinCostFlow net = wijkmatch::allocation_network(model);
    std::vector<double> times;
    i64 cost = 0;
    for (int k = 0; k < 5; ++k) {
      Ours ours(net);
      const auto t0 = std::chrono::steady_clock::now();
      cost = ours.solve();
      times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(times.begin(), times.end());
    const auto path = dir / ("alloc_" + std::to_string(needs) + ".min");
    std::ofstream out(path);
    wijkmatch::write_dimacs(out, net,
                            "wijkmatch allocation network, " + std::to_string(needs) + " needs; optimal cost " +
                                std::to_string(cost) + "; ours solve seconds " + std::to_string(times[2]));
    std::cout << path.string() << ": nodes " << net.node_count() << ", arcs " << net.arc_count() << ", cost " << cost
              << ", ours " << times[2] * 1e3 << " ms\n";
  }
  return 0;
}

int country(const std::filesystem::path& dir, int threads) {
  std::ifstream in(dir / "manifest.json");
  if (!in) {
    std::cerr << "bench_allocation: no manifest.json in " << dir << "\n";
    return 2;
  }
  const auto manifest = nlohmann::json::parse(in);
  double load_s = 0, allocate_s = 0, worst_s = 0;
  std::string worst;
  long needs = 0, served = 0, residents = 0;
  wijkmatch::AllocateOptions options;
  options.threads = threads;
  for (const auto& entry : manifest["municipalities"]) {
    const std::string code = entry["code"];
    const auto t0 = std::chrono::steady_clock::now();
    const wijkmatch::Model model = wijkmatch::load_model_binary(dir / (code + ".wjm"));
    const auto t1 = std::chrono::steady_clock::now();
    const auto result = wijkmatch::allocate(model, options);
    const auto t2 = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(t2 - t1).count();
    load_s += std::chrono::duration<double>(t1 - t0).count();
    allocate_s += s;
    if (s > worst_s)
      worst_s = s, worst = code + " (" + std::to_string(model.residents.size()) + " residents, " +
                           std::to_string(result.objective.needs) + " open needs)";
    needs += result.objective.needs;
    served += result.objective.served;
    residents += static_cast<long>(model.residents.size());
  }
  std::cout << std::fixed << std::setprecision(2) << "country allocation: " << manifest["municipalities"].size()
            << " municipalities, " << residents << " residents, " << needs << " open needs, " << served << " served\n"
            << "  allocate " << allocate_s << " s (" << needs / allocate_s << " needs/s), load " << load_s << " s\n"
            << "  slowest municipality " << worst_s << " s: " << worst << "\n"
            << "  peak memory " << peak_mb() << " MiB\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  std::optional<std::string> export_dir, country_dir;
  int threads = 0;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--export-dimacs=", 0) == 0)
      export_dir = a.substr(16);
    else if (a.rfind("--country=", 0) == 0)
      country_dir = a.substr(10);
    else if (a.rfind("--threads=", 0) == 0)
      threads = std::atoi(a.c_str() + 10);
    else
      rest.push_back(argv[i]);
  }
  if (export_dir) return export_dimacs(*export_dir);
  if (country_dir) return country(*country_dir, threads);

  long max_needs = 100000;
  if (const char* env = std::getenv("WIJKMATCH_BENCH_MAX_NEEDS")) max_needs = std::atol(env);
  for (long needs = 1000; needs <= max_needs; needs *= 10) {
    const std::string n = std::to_string(needs);
    for (const auto& [solver_name, factory] : solvers_for(needs)) {
      auto* b = benchmark::RegisterBenchmark(("mcf/" + n + "/" + solver_name).c_str(),
                                             [needs, solver_name = solver_name, factory = factory](
                                                 benchmark::State& s) { bench_mcf(s, needs, solver_name, factory); });
      b->Unit(benchmark::kMillisecond)->UseRealTime();
      if (solver_name == "boost_ssp" || needs >= 1000000) b->Iterations(1);
    }
    if (needs < 10000) continue;  // 1k: the solver comparison only
    auto* c = benchmark::RegisterBenchmark(("candidates/" + n).c_str(),
                                           [needs](benchmark::State& s) { bench_candidates(s, needs); });
    c->Unit(benchmark::kMillisecond)->UseRealTime();
    auto* a = benchmark::RegisterBenchmark(("allocate/" + n).c_str(),
                                           [needs](benchmark::State& s) { bench_allocate(s, needs); });
    a->Unit(benchmark::kMillisecond)->UseRealTime();
    if (needs >= 100000) {
      c->Iterations(1);
      a->Iterations(1);
    }
  }
  int new_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&new_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(new_argc, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
