// Ranking (wijkmatch::Ranker) on generated cities. See benchmarks/RESULTS.md.
//
//   ranker_build/N        building the indexes for a city of N residents
//   rank_one/N            one need at a time, in a fixed shuffled order of the open needs; the
//                         counters give the latency distribution of single calls (p50_us,
//                         p90_us, p99_us, max_us), measured call by call with steady_clock, and
//                         the same calls in thread CPU time (cpu_p50_us, cpu_p99_us), which
//                         leaves out the time another process held the core
//   rank_all/N/threads:T  every open need with T threads; counter needs/s
//
// Cities: one municipality of N = 10k, 100k and 1M residents (generate(), seed 20240501,
// default rates: 4 open needs per 100 residents). WIJKMATCH_BENCH_MAX_RESIDENTS limits the
// largest size (default 1000000). Counter peak_MB: peak resident set during the benchmark
// (reset through /proc/self/clear_refs; includes the cached model and Ranker).
//
// Other mode: bench_ranking --country=DIR [--threads=T] ranks every need that is not closed in a
// generated country (DIR/manifest.json and GM*.wjm), municipality by municipality, with T
// threads (default: the hardware's) taking chunks of needs and dropping each ranking once
// counted, and prints needs/s, time and peak memory (benchmarks/country.sh).
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "bench_memory.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/ranking.hpp"

namespace {

using wijkmatch_bench::peak_mb;
using wijkmatch_bench::reset_peak_rss;
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct City {
  long residents = 0;
  std::unique_ptr<wijkmatch::Model> model;
  std::unique_ptr<wijkmatch::Ranker> ranker;
  std::vector<wijkmatch::NeedId> open;  // shuffled
};
City& city(long residents) {
  static City c;
  if (c.residents != residents) {
    c = City{};
    c.residents = residents;
    wijkmatch::GenerateOptions o;
    o.residents = residents;
    o.seed = 20240501;
    c.model = std::make_unique<wijkmatch::Model>(wijkmatch::generate(o));
    c.ranker = std::make_unique<wijkmatch::Ranker>(*c.model, wijkmatch::default_policy());
    for (std::uint32_t i = 0; i < c.model->needs.size(); ++i)
      if (c.model->needs[i].status != wijkmatch::NeedStatus::closed) c.open.emplace_back(i);
    std::uint64_t x = 88172645463325252ULL;  // xorshift: the same order on every machine
    for (std::size_t i = c.open.size(); i > 1; --i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      std::swap(c.open[i - 1], c.open[x % i]);
    }
  }
  return c;
}

void bench_build(benchmark::State& state, long residents) {
  City& c = city(residents);
  reset_peak_rss();
  for (auto _ : state) {
    wijkmatch::Ranker r(*c.model, wijkmatch::default_policy());
    benchmark::DoNotOptimize(&r);
  }
  state.counters["residents"] = static_cast<double>(residents);
  state.counters["peak_MB"] = peak_mb();
}

void bench_rank_one(benchmark::State& state, long residents, wijkmatch::RankRequest request) {
  City& c = city(residents);
  reset_peak_rss();
  std::vector<double> us, cpu_us;
  us.reserve(1 << 16);
  cpu_us.reserve(1 << 16);
  std::size_t k = 0, options = 0;
  for (auto _ : state) {
    const double c0 = thread_cpu_us();
    const auto t0 = std::chrono::steady_clock::now();
    auto r = c.ranker->rank(c.open[k], request);
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = thread_cpu_us();
    // Candidates: every option found and every rejection counted (listed or not).
    options += r.option_count + r.rejected_total();
    benchmark::DoNotOptimize(r);
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    cpu_us.push_back(c1 - c0);
    if (++k == c.open.size()) k = 0;
  }
  std::sort(us.begin(), us.end());
  std::sort(cpu_us.begin(), cpu_us.end());
  auto at = [](const std::vector<double>& v, double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  state.counters["p50_us"] = at(us, 0.50);
  state.counters["p90_us"] = at(us, 0.90);
  state.counters["p99_us"] = at(us, 0.99);
  state.counters["max_us"] = us.back();
  // The same calls in thread CPU time: what remains when other processes take the core away.
  state.counters["cpu_p50_us"] = at(cpu_us, 0.50);
  state.counters["cpu_p99_us"] = at(cpu_us, 0.99);
  state.counters["candidates"] = static_cast<double>(options) / static_cast<double>(us.size());
  // Candidate pairs (need, candidate) filtered and scored per CPU second, against score_limit.
  double cpu_total = 0;
  for (double t : cpu_us) cpu_total += t;
  state.counters["pairs_per_s"] = static_cast<double>(options) / (cpu_total * 1e-6);
  state.counters["calls"] = static_cast<double>(us.size());
  state.counters["peak_MB"] = peak_mb();
}

// The per-core limit of the arithmetic a candidate needs: its distance, the first conditions as
// bit tests, and a 9-feature weighted score, over flat arrays of 270 candidates (the 1M city's
// mean), as tight as the compiler makes it. rank_one's pairs_per_s is compared with this.
void bench_score_limit(benchmark::State& state) {
  constexpr std::size_t n = 270, features = wijkmatch::feature_count;
  std::vector<double> x(n), y(n);
  std::vector<std::uint32_t> schedule(n), languages(n);
  std::vector<float> values(n * features), mask(n * features), score(n);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> where(0, 5000);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = where(rng);
    y[i] = where(rng);
    schedule[i] = static_cast<std::uint32_t>(rng());
    languages[i] = static_cast<std::uint32_t>(rng());
    for (std::size_t k = 0; k < features; ++k) {
      values[i * features + k] = static_cast<float>(rng() % 1000) / 1000.0F;
      mask[i * features + k] = (rng() & 3U) != 0 ? 1.0F : 0.0F;
    }
  }
  const auto& w = wijkmatch::default_policy().weights;
  std::array<float, features> wf{};
  for (std::size_t k = 0; k < features; ++k) wf[k] = static_cast<float>(w[k]);
  std::size_t pairs = 0, passed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {
      const double dx = x[i] - 2500.0, dy = y[i] - 2500.0;
      const bool ok =
          std::sqrt(dx * dx + dy * dy) <= 2500.0 && (schedule[i] & 0x1FFFFFU) != 0 && (languages[i] & 5U) != 0;
      float num = 0, den = 0;
      for (std::size_t k = 0; k < features; ++k) {
        num += values[i * features + k] * mask[i * features + k] * wf[k];
        den += mask[i * features + k] * wf[k];
      }
      score[i] = ok && den > 0 ? num / den : -1.0F;
      passed += ok;
    }
    benchmark::DoNotOptimize(score.data());
    pairs += n;
  }
  benchmark::DoNotOptimize(passed);
  state.counters["pairs_per_s"] = benchmark::Counter(static_cast<double>(pairs), benchmark::Counter::kIsRate);
}

void bench_rank_all(benchmark::State& state, long residents) {
  City& c = city(residents);
  const int threads = static_cast<int>(state.range(0));
  reset_peak_rss();
  std::size_t n = 0;
  for (auto _ : state) {
    const auto all = c.ranker->rank_all(threads);
    n = all.size();
    benchmark::DoNotOptimize(n);
  }
  state.counters["needs"] = static_cast<double>(n);
  state.counters["needs/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_MB"] = peak_mb();
}

// Ranks every need that is not closed with `threads` threads taking chunks of needs, keeping no
// ranking after it is counted (Ranker::rank_all would hold a whole municipality's rankings:
// 7.6 GB for the largest one). Returns the needs ranked; adds their options to `options`.
long rank_streaming(const wijkmatch::Model& model, const wijkmatch::Ranker& ranker, int threads, long& options) {
  std::atomic<std::size_t> next{0};
  std::atomic<long> ranked{0}, counted{0};
  constexpr std::size_t chunk = 64;
  auto work = [&] {
    long mine = 0, mine_options = 0;
    for (std::size_t first; (first = next.fetch_add(chunk)) < model.needs.size();)
      for (std::size_t i = first; i < std::min(first + chunk, model.needs.size()); ++i) {
        if (model.needs[i].status == wijkmatch::NeedStatus::closed) continue;
        const auto r = ranker.rank(wijkmatch::NeedId(static_cast<std::uint32_t>(i)));
        mine_options += static_cast<long>(r.options.size());
        ++mine;
      }
    ranked += mine;
    counted += mine_options;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  options += counted;
  return ranked;
}

int country(const std::filesystem::path& dir, int threads) {
  double load_s = 0, rank_s = 0;
  long needs = 0, options = 0;
  threads = threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const auto municipalities = wijkmatch_bench::for_each_municipality(
      dir, "bench_ranking", load_s, [&](const std::string&, const wijkmatch::Model& model) {
        const auto t1 = std::chrono::steady_clock::now();
        const wijkmatch::Ranker ranker(model, wijkmatch::default_policy());
        needs += rank_streaming(model, ranker, threads, options);
        const auto t2 = std::chrono::steady_clock::now();
        rank_s += std::chrono::duration<double>(t2 - t1).count();
      });
  if (!municipalities) return 2;
  std::cout << std::fixed << std::setprecision(2) << "country ranking: " << *municipalities << " municipalities, "
            << needs << " needs ranked (every need not closed), threads " << threads << ", options " << options << "\n"
            << "  rank " << rank_s << " s (" << static_cast<double>(needs) / rank_s
            << " needs/s, indexes included), load " << load_s << " s\n"
            << "  peak memory " << peak_mb() << " MiB\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto line = wijkmatch_bench::split_command_line(argc, argv, {"country", "threads"});
  if (const auto dir = line.option("country"))
    return country(*dir, std::atoi(line.option("threads").value_or("0").c_str()));

  benchmark::RegisterBenchmark("score_limit", bench_score_limit)->Unit(benchmark::kMicrosecond);
  long max_residents = 1000000;
  if (const char* env = std::getenv("WIJKMATCH_BENCH_MAX_RESIDENTS")) max_residents = std::atol(env);
  for (long residents = 10000; residents <= max_residents; residents *= 10) {
    const std::string n = std::to_string(residents);
    benchmark::RegisterBenchmark(("ranker_build/" + n).c_str(), [residents](benchmark::State& s) {
      bench_build(s, residents);
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("rank_one/" + n).c_str(),
                                 [residents](benchmark::State& s) { bench_rank_one(s, residents, {}); })
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(residents >= 1000000 ? 5.0 : 1.0);
    // The same needs with every option and rejection and all their sentences (what the old
    // default built): the cost of text.
    benchmark::RegisterBenchmark(
        ("rank_one_full/" + n).c_str(),
        [residents](benchmark::State& s) { bench_rank_one(s, residents, wijkmatch::RankRequest::full()); })
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(residents >= 1000000 ? 5.0 : 1.0);
    auto* all = benchmark::RegisterBenchmark(("rank_all/" + n).c_str(),
                                             [residents](benchmark::State& s) { bench_rank_all(s, residents); })
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime()
                    ->ArgName("threads")
                    ->Arg(1)
                    ->Arg(2);
    if (residents >= 1000000) all->Iterations(1);
  }
  return wijkmatch_bench::run_benchmarks(line.rest);
}
