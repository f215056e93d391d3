// New groups where needs recur (groups.hpp) on generated cities: BM_propose_groups measures
// the whole call, ranking and the re-allocations that measure the saving included;
// BM_propose_groups_unmeasured leaves the re-allocations out (clustering and ranking only).
// Generating the city is outside the timing (cached per size).
// Target (issue 11): a 100k-resident city under 5 s.
#include <benchmark/benchmark.h>

#include <map>

#include "wijkmatch/generate.hpp"
#include "wijkmatch/groups.hpp"

namespace {

const wijkmatch::Model& city(std::int64_t residents) {
  static std::map<std::int64_t, wijkmatch::Model> cache;
  auto it = cache.find(residents);
  if (it == cache.end()) it = cache.emplace(residents, wijkmatch::generate({.residents = residents, .seed = 1})).first;
  return it->second;
}

void run(benchmark::State& state, bool measure) {
  const auto& model = city(state.range(0));
  wijkmatch::ProposeGroupsOptions options;
  options.measure = measure;
  options.threads = static_cast<int>(state.range(1));
  wijkmatch::GroupProposals p;
  for (auto _ : state) {
    p = wijkmatch::propose_groups(model, options);
    benchmark::DoNotOptimize(p);
  }
  std::size_t grouped = 0;
  for (const auto& g : p.groups) grouped += g.needs.size();
  state.counters["open_needs"] = p.open_needs;
  state.counters["unanswered"] = p.unanswered;
  state.counters["groups"] = static_cast<double>(p.groups.size());
  state.counters["grouped_needs"] = static_cast<double>(grouped);
  if (p.measured) state.counters["saved_steps"] = static_cast<double>(p.ladder_steps_before - p.ladder_steps_after);
}

void BM_propose_groups(benchmark::State& state) { run(state, true); }
void BM_propose_groups_unmeasured(benchmark::State& state) { run(state, false); }

// Arguments: residents, threads (0 = one per core).
BENCHMARK(BM_propose_groups)
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->Args({100000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(BM_propose_groups_unmeasured)
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
