// `wijkmatch simulate`: the what-if simulation (simulate.hpp) of one or more policies, as a
// table, as JSON, and as PNG plots through Python.
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/python_plot.hpp"
#include "cli/simulate_plot_script.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/simulate.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view simulate_usage =
    "usage: wijkmatch simulate FILE [--weeks N] [--policy P.json]... [--replications R] [--seed S]\n"
    "                          [--threads N] [--journal J [--journal-policy FILE]] [--accept P,P,P,P,P]\n"
    "                          [--duration W,W,W,W,W] [--step-down S,S,S,S,S] [--arrival-scale X]\n"
    "                          [--json] [--plot DIR] [--quiet]\n"
    "\n"
    "What-if simulation on the live engine: needs arrive at the model's rates by life domain\n"
    "and severity, are ranked and placed online under each policy, residents accept or\n"
    "decline, support runs and ends, a share steps down to collective support, groups fill\n"
    "and empty and volunteers come and go. Each --policy (a policy file, named after its file\n"
    "name; default: the built-in collective-first policy) runs R replications; the output\n"
    "gives mean and 95% confidence interval of share served, waiting time, ladder shares,\n"
    "cost, caseload, by severity band and by groups-full weeks. Results depend only on the\n"
    "seed, not on --threads. With --journal (the live engine's journal of FILE, as `apply\n"
    "--journal` writes it, under --journal-policy or the built-in policy) the simulation\n"
    "starts from the live state and needs arrive at the rates of the journal's need.open\n"
    "events. --accept, --duration and --step-down give one value per ladder level (own_network,\n"
    "collective, basic_care, individual, specialist). Definitions and defaults: docs/simulation.md.\n"
    "--plot DIR writes PNG plots through Python 3 with matplotlib ($WIJKMATCH_PYTHON, default\n"
    "/usr/bin/python3). Exit 0, 2 for invalid input, 1 when plotting fails.\n"
    "Progress goes to stderr (a bar on a terminal, a few lines otherwise); --quiet turns it off.\n";

/// Five numbers separated by commas, one per ladder level in ladder order, into `out`.
bool per_level(const std::string& text, std::array<double, ladder_level_count>& out) {
  std::array<double, ladder_level_count> v{};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < ladder_level_count; ++i) {
    const std::size_t end = text.find(',', pos);
    const std::string part = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    char* stop = nullptr;
    v[i] = std::strtod(part.c_str(), &stop);
    if (part.empty() || *stop != '\0' || !std::isfinite(v[i])) return false;
    if ((end == std::string::npos) != (i + 1 == ladder_level_count)) return false;
    pos = end + 1;
  }
  out = v;
  return true;
}

}  // namespace

int simulate_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  std::vector<std::string> policy_files;
  std::optional<std::string> plot_dir, journal, journal_policy;
  bool as_json = false, quiet = false;
  SimulationOptions options;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("simulate", simulate_usage);
  command_line.add_positional("FILE", file);
  command_line.add_integer("--weeks", "N", options.weeks, 1, 520, "weeks simulated (52)");
  command_line.add_repeated("--policy", "P.json", policy_files, "--policy needs a FILE");
  command_line.add_integer("--replications", "R", options.replications, 1, 10000, "replications per policy (10)");
  command_line.add_integer("--seed", "S", options.seed, std::uint64_t{0}, std::uint64_t{1} << 62, "seed (1)");
  add_threads(command_line, options.threads);
  command_line.add_text("--journal", "J", journal, "--journal needs a FILE",
                        "start from the live state of this journal, arrivals at its need.open rates");
  command_line.add_text("--journal-policy", "FILE", journal_policy, "--journal-policy needs a FILE",
                        "the policy the journal was written with");
  const std::string levels = "own_network,collective,basic_care,individual,specialist";
  command_line.add_value(
      "--accept", "P,P,P,P,P", "--accept needs five probabilities, one per level: " + levels,
      [&options](const std::string& v) { return per_level(v, options.accept_probability); },
      "acceptance per ladder level (0.8,0.6,0.85,0.9,0.9)");
  command_line.add_value(
      "--duration", "W,W,W,W,W", "--duration needs five mean durations in weeks, one per level: " + levels,
      [&options](const std::string& v) { return per_level(v, options.mean_duration_weeks); },
      "mean weeks of support per ladder level (12,26,12,39,52)");
  command_line.add_value(
      "--step-down", "S,S,S,S,S", "--step-down needs five shares, one per level: " + levels,
      [&options](const std::string& v) { return per_level(v, options.step_down_share); },
      "share of endings that step down to collective, per level (0,0,0.3,0.3,0.2)");
  command_line.add_value(
      "--arrival-scale", "X", "--arrival-scale needs a number",
      [&options](const std::string& v) {
        char* stop = nullptr;
        options.arrival_scale = std::strtod(v.c_str(), &stop);
        return !v.empty() && *stop == '\0';
      },
      "arrivals times X (1)");
  command_line.add_flag("--json", as_json);
  command_line.add_text("--plot", "DIR", plot_dir, "--plot needs a DIR", "write PNG plots into DIR");
  add_max_input_bytes(command_line, max_bytes);
  add_quiet(command_line, quiet);
  if (auto code = command_line.parse(args, out, err)) return *code;

  Model model;
  Policy ignored;
  if (auto code = load_inputs(file, std::nullopt, model, ignored, err, max_bytes)) return *code;
  if (journal_policy && !journal) return command_line.usage_error(err, "--journal-policy needs --journal");
  if (journal) {
    std::optional<Engine> engine;
    if (auto code = open_journal(file, journal_policy, *journal, false, {}, engine, err, max_bytes)) return *code;
    try {
      options.arrival_rates = arrival_rates_from_needs(engine->model(), model.needs.size());
    } catch (const InvalidArgument&) {
      err << "wijkmatch simulate: --journal: the journal opens no needs to take arrival rates from\n";
      return 2;
    }
    model = engine->current_model();
  }
  for (const auto& pf : policy_files) {
    Policy policy;
    try {
      policy = load_policy(pf);
    } catch (const InputError& e) {
      for (const auto& p : e.problems()) err << pf << ": " << p.pointer << ": " << p.reason << "\n";
      return 2;
    } catch (const Error& e) {
      err << pf << ": " << e.what() << "\n";
      return 2;
    }
    std::string name = std::filesystem::path(pf).stem().string();
    for (const auto& other : options.policies)
      if (other.name == name) name += "-" + std::to_string(options.policies.size() + 1);
    options.policies.push_back({name, std::move(policy)});
  }
  SimulationResult result;
  try {
    ProgressReporter progress(err, quiet);
    options.progress = progress.callback();
    result = simulate(model, options);
  } catch (const InvalidArgument& e) {
    err << "wijkmatch simulate: " << e.what() << "\n";
    return 2;
  }
  const std::string json = to_json(result);
  out << (as_json ? json : to_text(result));
  if (plot_dir) return run_plot_script(simulate_plot_script, "simulate_plot.py", json, *plot_dir, err);
  return 0;
}

}  // namespace wijkmatch::cli
