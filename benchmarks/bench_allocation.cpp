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
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "bench_memory.hpp"
#include "bench_peers.hpp"
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace {

using wijkmatch::MinCostFlow;
using wijkmatch_bench::FlowNetwork;
using wijkmatch_bench::i64;

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
  std::unique_ptr<FlowNetwork> network;
  std::optional<wijkmatch_bench::Agreement> agreement;  // the first time it is asked for
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
FlowNetwork& network_for(long needs) {
  Cached& c = region_for(needs);
  if (!c.network)
    c.network = std::make_unique<FlowNetwork>(wijkmatch_bench::flow_network(wijkmatch::allocation_network(*c.model)));
  return *c.network;
}

// ----- solvers on a copy of the network (prepared untimed, solved timed)

// Boost needs one source and one sink: a super source feeds every supply node its supply, and
// every demand node sends its demand to a super sink. The allocation network has no lower
// bounds and no negative costs at stage 1, so Boost's non-negative SSP applies directly.
struct BoostSsp : wijkmatch_bench::Solver {
  wijkmatch_bench::BoostSspGraph g;
  std::size_t source = 0, sink = 0;
  i64 demand = 0;
  explicit BoostSsp(const FlowNetwork& n) : g(static_cast<std::size_t>(n.nodes) + 2) {
    source = static_cast<std::size_t>(n.nodes);
    sink = source + 1;
    for (int v = 0; v < n.nodes; ++v) {
      const i64 supply = n.supply[static_cast<std::size_t>(v)];
      if (supply > 0) g.add(source, static_cast<std::size_t>(v), supply, 0);
      if (supply < 0) {
        g.add(static_cast<std::size_t>(v), sink, -supply, 0);
        demand -= supply;
      }
    }
    for (const auto& a : n.arcs) {
      if (a.lower != 0 || a.cost < 0) ok = false;  // not this solver's problem class
      g.add(static_cast<std::size_t>(a.tail), static_cast<std::size_t>(a.head), a.upper, a.cost);
    }
  }
  i64 solve() override {
    if (!ok) return -1;
    const auto result = g.solve(source, sink);
    ok = result.flow == demand;
    return result.cost;
  }
};

wijkmatch_bench::SolverList solvers_for(long needs) {
  auto list = wijkmatch_bench::ours_and_lemon(/*capacity_scaling=*/true);
  if (needs <= 1000) list.emplace_back("boost_ssp", [](const FlowNetwork& n) { return std::make_unique<BoostSsp>(n); });
  return list;
}

void set_common_counters(benchmark::State& state, long needs) {
  state.counters["needs"] = static_cast<double>(needs);
  state.counters["needs/s"] =
      benchmark::Counter(static_cast<double>(needs), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_MB"] = peak_mb();
}

void bench_mcf(benchmark::State& state, long needs, const std::string& solver_name,
               const wijkmatch_bench::Factory& factory) {
  const FlowNetwork& net = network_for(needs);
  Cached& c = cache();
  if (!c.agreement) c.agreement = wijkmatch_bench::check_agreement(net, solvers_for(needs));
  if (!wijkmatch_bench::time_solver(state, net, *c.agreement, solver_name, factory)) return;
  const auto open =
      static_cast<long>(std::count_if(c.model->needs.begin(), c.model->needs.end(), [](const wijkmatch::Need& n) {
        return n.status == wijkmatch::NeedStatus::open;
      }));
  set_common_counters(state, open);
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
    const FlowNetwork flow = wijkmatch_bench::flow_network(net);
    std::vector<double> times;
    i64 cost = 0;
    for (int k = 0; k < 5; ++k) {
      wijkmatch_bench::Ours ours(flow);
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
  double load_s = 0, allocate_s = 0, worst_s = 0;
  std::string worst;
  long needs = 0, served = 0, residents = 0;
  wijkmatch::AllocateOptions options;
  options.threads = threads;
  const auto municipalities = wijkmatch_bench::for_each_municipality(
      dir, "bench_allocation", load_s, [&](const std::string& code, const wijkmatch::Model& model) {
        const auto t1 = std::chrono::steady_clock::now();
        const auto result = wijkmatch::allocate(model, options);
        const auto t2 = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(t2 - t1).count();
        allocate_s += s;
        if (s > worst_s)
          worst_s = s, worst = code + " (" + std::to_string(model.residents.size()) + " residents, " +
                               std::to_string(result.objective.needs) + " open needs)";
        needs += result.objective.needs;
        served += result.objective.served;
        residents += static_cast<long>(model.residents.size());
      });
  if (!municipalities) return 2;
  std::cout << std::fixed << std::setprecision(2) << "country allocation: " << *municipalities << " municipalities, "
            << residents << " residents, " << needs << " open needs, " << served << " served\n"
            << "  allocate " << allocate_s << " s (" << needs / allocate_s << " needs/s), load " << load_s << " s\n"
            << "  slowest municipality " << worst_s << " s: " << worst << "\n"
            << "  peak memory " << peak_mb() << " MiB\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto line = wijkmatch_bench::split_command_line(argc, argv, {"export-dimacs", "country", "threads"});
  if (const auto dir = line.option("export-dimacs")) return export_dimacs(*dir);
  if (const auto dir = line.option("country"))
    return country(*dir, std::atoi(line.option("threads").value_or("0").c_str()));

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
  return wijkmatch_bench::run_benchmarks(line.rest);
}
