// What the benchmark programs share around Google Benchmark: their own `--name=value` options
// beside its flags, and the mode that runs over a generated country one municipality at a time.
#pragma once
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijkmatch/io.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch_bench {

/// A benchmark program's command line, split: its own options `--name=value` (for the names it
/// asks for, keyed without the dashes) and the rest (program name first) for Google Benchmark.
struct CommandLine {
  std::map<std::string, std::string, std::less<>> options;
  std::vector<char*> rest;
  /// The value of option `name` (the last one given), if given.
  std::optional<std::string> option(std::string_view name) const {
    const auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
  }
};

inline CommandLine split_command_line(int argc, char** argv, std::initializer_list<std::string_view> names) {
  CommandLine line;
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    bool ours = false;
    for (const std::string_view name : names) {
      const std::string prefix = "--" + std::string(name) + "=";
      if (a.rfind(prefix, 0) == 0) {
        line.options[std::string(name)] = std::string(a.substr(prefix.size()));
        ours = true;
        break;
      }
    }
    if (!ours) line.rest.push_back(argv[i]);
  }
  return line;
}

/// Runs the registered benchmarks with Google Benchmark's flags; 1 on a flag it does not know.
inline int run_benchmarks(std::vector<char*> args) {
  int argc = static_cast<int>(args.size());
  benchmark::Initialize(&argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(argc, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

/// Loads the municipalities of a generated country (DIR/manifest.json and the GM*.wjm files
/// that `wijkmatch generate` writes) one at a time and calls `each(code, model)` on each; adds
/// the loading time to `load_s`. Returns how many there were, or nullopt after a message on
/// stderr when DIR has no manifest.json.
template <class Each>
std::optional<std::size_t> for_each_municipality(const std::filesystem::path& dir, std::string_view program,
                                                 double& load_s, Each each) {
  std::ifstream in(dir / "manifest.json");
  if (!in) {
    std::cerr << program << ": no manifest.json in " << dir << "\n";
    return std::nullopt;
  }
  const auto manifest = nlohmann::json::parse(in);
  for (const auto& entry : manifest["municipalities"]) {
    const std::string code = entry["code"];
    const auto t0 = std::chrono::steady_clock::now();
    const wijkmatch::Model model = wijkmatch::load_model_binary(dir / (code + ".wjm"));
    load_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    each(code, model);
  }
  return manifest["municipalities"].size();
}

}  // namespace wijkmatch_bench
