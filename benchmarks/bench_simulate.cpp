// The what-if simulation (issue 12 target: one year of a 100k-resident municipality in under
// 10 s per replication). See benchmarks/RESULTS.md, section "Simulation (issue 12)".
//
//   simulate_year/N   one replication of 52 weeks of the default (collective-first) policy on
//                     a generated city of N residents (seed 1, default rates), on one thread,
//                     invariant checks on. Counters: events applied per replication, arrivals,
//                     events_per_s.
//   simulate_year_unchecked/N  the same without the weekly invariant check (O(model) a week).
#include <benchmark/benchmark.h>

#include "wijkmatch/generate.hpp"
#include "wijkmatch/simulate.hpp"

namespace {

const wijkmatch::Model& city(std::int64_t residents) {
  static std::int64_t made = -1;
  static wijkmatch::Model model;
  if (made != residents) {
    model = wijkmatch::generate({.residents = residents, .seed = 1});
    made = residents;
  }
  return model;
}

void run(benchmark::State& state, bool checked) {
  const wijkmatch::Model& model = city(state.range(0));
  wijkmatch::SimulationOptions o;
  o.weeks = 52;
  o.replications = 1;
  o.threads = 1;
  o.check_invariants = checked;
  std::int64_t events = 0;
  double arrived = 0;
  for (auto _ : state) {
    const auto r = wijkmatch::simulate_replication(model, o, 0, 0);
    events = r.events;
    arrived = r.values[0];
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["arrived"] = arrived;
  state.counters["events_per_s"] = benchmark::Counter(
      static_cast<double>(events) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void simulate_year(benchmark::State& state) { run(state, true); }
void simulate_year_unchecked(benchmark::State& state) { run(state, false); }

}  // namespace

BENCHMARK(simulate_year)->Arg(10000)->Arg(100000)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(simulate_year_unchecked)->Arg(100000)->Unit(benchmark::kSecond)->Iterations(1);

BENCHMARK_MAIN();
