// Generating, saving and loading models (JSON format v1 and the binary form), and building the
// compact graph. See benchmarks/RESULTS.md.
//
//   generate/N            generate() a city of N residents (one municipality, seed 20240501)
//   save_json/N           to_json + write;      load_json/N     load_model (read, parse, check)
//   save_binary/N         save_model_binary;    load_binary/N   load_model_binary (read, check)
//   compact_graph/N       build_compact_graph
//
// Sizes N = 10k, 100k, 1M residents (WIJKMATCH_BENCH_MAX_RESIDENTS limits the largest; default
// 1000000). JSON runs up to 100k residents only (WIJKMATCH_BENCH_JSON_MAX_RESIDENTS changes
// that): the 1M file is 1.5 GB and its load needs about 5 GB (RESULTS.md). Files go to the
// system's temporary directory and are removed at exit.
//
// Counters: residents, MB (the file's size), MB/s, residents/s, peak_MB (peak resident set
// during the benchmark, reset through /proc/self/clear_refs; includes the cached model).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "bench_memory.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/graph.hpp"
#include "wijkmatch/io.hpp"

namespace {

using wijkmatch_bench::peak_mb;
using wijkmatch_bench::reset_peak_rss;

wijkmatch::GenerateOptions city(long residents) {
  wijkmatch::GenerateOptions o;
  o.residents = residents;
  o.seed = 20240501;
  return o;
}

std::filesystem::path scratch() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wijkmatch_bench_io_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// One model at a time (the benchmarks of one size run together).
struct Cached {
  long residents = 0;
  std::unique_ptr<wijkmatch::Model> model;
};
const wijkmatch::Model& model_for(long residents) {
  static Cached c;
  if (c.residents != residents) {
    c.model.reset();
    c.residents = residents;
    c.model = std::make_unique<wijkmatch::Model>(wijkmatch::generate(city(residents)));
  }
  return *c.model;
}
std::filesystem::path file_for(long residents, bool binary) {
  const auto path = scratch() / ("city_" + std::to_string(residents) + (binary ? ".wjm" : ".json"));
  if (!std::filesystem::exists(path)) {
    if (binary)
      wijkmatch::save_model_binary(model_for(residents), path);
    else
      wijkmatch::save_model(model_for(residents), path);
  }
  return path;
}

void counters(benchmark::State& state, long residents, std::uintmax_t bytes = 0) {
  state.counters["residents"] = static_cast<double>(residents);
  state.counters["residents/s"] =
      benchmark::Counter(static_cast<double>(residents), benchmark::Counter::kIsIterationInvariantRate);
  if (bytes > 0) {
    state.counters["MB"] = static_cast<double>(bytes) / 1e6;
    state.counters["MB/s"] =
        benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsIterationInvariantRate);
  }
  state.counters["peak_MB"] = peak_mb();
}

void bench_generate(benchmark::State& state, long residents) {
  reset_peak_rss();
  for (auto _ : state) {
    const auto m = wijkmatch::generate(city(residents));
    benchmark::DoNotOptimize(m.residents.data());
  }
  counters(state, residents);
}

void bench_save(benchmark::State& state, long residents, bool binary) {
  const auto& m = model_for(residents);
  const auto path = scratch() / ("save_" + std::to_string(residents) + (binary ? ".wjm" : ".json"));
  reset_peak_rss();
  for (auto _ : state) {
    if (binary)
      wijkmatch::save_model_binary(m, path);
    else
      wijkmatch::save_model(m, path);
  }
  counters(state, residents, std::filesystem::file_size(path));
  std::filesystem::remove(path);
}

void bench_load(benchmark::State& state, long residents, bool binary) {
  const auto path = file_for(residents, binary);
  reset_peak_rss();
  for (auto _ : state) {
    const auto m = binary ? wijkmatch::load_model_binary(path) : wijkmatch::load_model(path);
    benchmark::DoNotOptimize(m.residents.data());
  }
  counters(state, residents, std::filesystem::file_size(path));
}

void bench_compact_graph(benchmark::State& state, long residents) {
  const auto& m = model_for(residents);
  reset_peak_rss();
  std::size_t edges = 0;
  for (auto _ : state) {
    const auto g = wijkmatch::build_compact_graph(m);
    edges = boost::num_edges(g);
    benchmark::DoNotOptimize(edges);
  }
  counters(state, residents);
  state.counters["edges"] = static_cast<double>(edges);
}

}  // namespace

int main(int argc, char** argv) {
  long max_residents = 1000000, json_max = 100000;
  if (const char* env = std::getenv("WIJKMATCH_BENCH_MAX_RESIDENTS")) max_residents = std::atol(env);
  if (const char* env = std::getenv("WIJKMATCH_BENCH_JSON_MAX_RESIDENTS")) json_max = std::atol(env);
  for (long n = 10000; n <= max_residents; n *= 10) {
    const std::string s = std::to_string(n);
    const bool big = n >= 1000000;
    auto reg = [&](const std::string& name, auto fn, bool one) {
      auto* b =
          benchmark::RegisterBenchmark((name + "/" + s).c_str(), fn)->Unit(benchmark::kMillisecond)->UseRealTime();
      if (one) b->Iterations(1);
    };
    reg(
        "generate", [n](benchmark::State& st) { bench_generate(st, n); }, big);
    if (n <= json_max) {
      reg(
          "save_json", [n](benchmark::State& st) { bench_save(st, n, false); }, n >= 100000);
      reg(
          "load_json", [n](benchmark::State& st) { bench_load(st, n, false); }, n >= 100000);
    }
    reg(
        "save_binary", [n](benchmark::State& st) { bench_save(st, n, true); }, big);
    reg(
        "load_binary", [n](benchmark::State& st) { bench_load(st, n, true); }, big);
    reg(
        "compact_graph", [n](benchmark::State& st) { bench_compact_graph(st, n); }, big);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(scratch(), ec);
  return 0;
}
