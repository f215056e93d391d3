// Groups out of individual questions (issue 11). See benchmarks/RESULTS.md.
//
//   BM_propose_groups/R/T                new groups where needs recur (groups.hpp) on a generated
//                                        city of R residents with T threads (0 = one per core): the
//                                        whole call, the re-allocations that measure the saving included
//   BM_propose_groups_unmeasured/R/T     the same without the re-allocations (clustering and ranking)
//
//   BM_start_meetings_heuristic/R/N/C/M  plan_start_meetings with the heuristic on a generated city
//                                        of R residents: N weeks, capacity C, M meetings a week
//   BM_start_meetings_auto/R/N/C/M       the same with the automatic method (heuristic, then the
//                                        exact search within its default work limit)
//
// Cities: generate(), one municipality, seed 20240501 (propose-groups: seed 1), default rates (4 open needs per 100
// residents; every resident with an open need is invited). Generating the city is outside the
// timed loop. Counters: invitees, coming (placed), bound (proven upper bound), optimal (1 when
// proven), candidates (day-part x venue pairs that fit someone), work (scanned edges).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <utility>

#include "wijkmatch/generate.hpp"
#include "wijkmatch/groups.hpp"
#include "wijkmatch/start_meetings.hpp"

namespace {

const wijkmatch::Model& city(std::int64_t residents, std::uint64_t seed = 20240501) {
  static std::map<std::pair<std::int64_t, std::uint64_t>, std::unique_ptr<wijkmatch::Model>> cache;
  auto& slot = cache[{residents, seed}];
  if (!slot) {
    wijkmatch::GenerateOptions o;
    o.residents = residents;
    o.seed = seed;
    slot = std::make_unique<wijkmatch::Model>(wijkmatch::generate(o));
  }
  return *slot;
}

void run(benchmark::State& state, wijkmatch::StartMeetingMethod method) {
  const wijkmatch::Model& model = city(state.range(0));
  wijkmatch::StartMeetingOptions o;
  o.weeks = static_cast<int>(state.range(1));
  o.capacity = static_cast<int>(state.range(2));
  o.per_week = static_cast<int>(state.range(3));
  o.method = method;
  wijkmatch::StartMeetingPlan plan;
  for (auto _ : state) {
    plan = wijkmatch::plan_start_meetings(model, o);
    benchmark::DoNotOptimize(plan.coming);
  }
  state.counters["invitees"] = static_cast<double>(plan.invitees.size());
  state.counters["coming"] = plan.coming;
  state.counters["bound"] = plan.upper_bound;
  state.counters["optimal"] = plan.optimal ? 1 : 0;
  state.counters["candidates"] = static_cast<double>(plan.candidates);
  state.counters["work"] = static_cast<double>(plan.work);
}

void BM_start_meetings_heuristic(benchmark::State& state) { run(state, wijkmatch::StartMeetingMethod::heuristic); }
void BM_start_meetings_auto(benchmark::State& state) { run(state, wijkmatch::StartMeetingMethod::automatic); }

// {residents, weeks, capacity, per week}: a month of one meeting a week; two months of three;
// every day-part of a year with three places each; ten weeks of two meetings without a
// capacity limit (pure coverage, the hardest for the search).
void city_settings(benchmark::internal::Benchmark* b) {
  for (std::int64_t residents : {10000, 100000}) {
    b->Args({residents, 4, 12, 1});
    b->Args({residents, 8, 30, 3});
    b->Args({residents, 52, 3, 21});
    b->Args({residents, 10, 10000, 2});
  }
  b->ArgNames({"residents", "weeks", "capacity", "per_week"});
}

// Neighbourhoods where seats are not the limit, so the choice decides.
void neighbourhood_settings(benchmark::internal::Benchmark* b) {
  for (std::int64_t residents : {2000, 5000}) {
    b->Args({residents, 1, 50, 4});
    b->Args({residents, 2, 30, 3});
  }
  b->ArgNames({"residents", "weeks", "capacity", "per_week"});
}

BENCHMARK(BM_start_meetings_heuristic)
    ->Apply(city_settings)
    ->Apply(neighbourhood_settings)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_start_meetings_auto)->Apply(neighbourhood_settings)->Apply(city_settings)->Unit(benchmark::kMillisecond);

void run_groups(benchmark::State& state, bool measure) {
  const auto& model = city(state.range(0), 1);
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

void BM_propose_groups(benchmark::State& state) { run_groups(state, true); }
void BM_propose_groups_unmeasured(benchmark::State& state) { run_groups(state, false); }

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
