// `wijkmatch allocate`.
#include <iostream>
#include <optional>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view allocate_usage =
    "usage: wijkmatch allocate FILE [--mode optimal|stable|online] [--policy FILE] [--json]\n"
    "                          [--group-minimum heuristic|exact|ignore] [--threads N]\n"
    "                          [--export-dimacs OUT] [--quiet]\n"
    "\n"
    "Allocates every open need at once under capacity (seats, caseloads, informal hours),\n"
    "collective first. optimal: exact lexicographic min-cost flow (ladder steps, then score,\n"
    "then cost); stable: deferred acceptance, residents choose; online: one need at a time\n"
    "with seat prices from the last batch. Prints assignments, the waiting list, utilisation\n"
    "and the value of one more seat per offer. --export-dimacs writes the stage-1 network the\n"
    "optimal mode solves (docs/allocation.md) so that any solver can check it.\n"
    "Progress goes to stderr (a bar on a terminal, a few lines otherwise); --quiet turns it off.\n";

}  // namespace

int allocate_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  std::optional<std::string> policy_file, export_file;
  bool json = false, quiet = false;
  AllocateOptions options;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("allocate", allocate_usage);
  add_model_arguments(command_line, file, policy_file, json);
  command_line.add_value("--mode", "MODE", "--mode must be optimal, stable or online", [&](const std::string& text) {
    const auto mode = parse_allocation_mode(text);
    if (mode) options.mode = *mode;
    return mode.has_value();
  });
  command_line.add_value("--group-minimum", "HOW", "--group-minimum must be heuristic, exact or ignore",
                         [&](const std::string& v) {
                           if (v == "heuristic")
                             options.group_minimum = GroupMinimum::heuristic;
                           else if (v == "exact")
                             options.group_minimum = GroupMinimum::exact;
                           else if (v == "ignore")
                             options.group_minimum = GroupMinimum::ignore;
                           else
                             return false;
                           return true;
                         });
  add_threads(command_line, options.threads);
  add_max_input_bytes(command_line, max_bytes);
  add_quiet(command_line, quiet);
  command_line.add_text("--export-dimacs", "OUT", export_file, "--export-dimacs needs a file name");
  if (auto code = command_line.parse(args, out, err)) return *code;
  Model model;
  if (auto code = load_inputs(file, policy_file, model, options.policy, err, max_bytes)) return *code;
  // The exported network is the one whose optimum is reported: this run's final bounds
  // (groups the heuristic closed, lower bounds of the exact method).
  MinCostFlow network;
  ProgressReporter progress(err, quiet);
  options.progress = progress.callback();
  const AllocationResult result = export_file && options.mode == AllocationMode::optimal
                                      ? allocate(model, options, network)
                                      : allocate(model, options);
  progress.finish();  // the bar leaves the terminal line before any output
  if (export_file) {
    if (options.mode != AllocationMode::optimal) network = allocation_network(model, options);
    // An Error (cannot write) goes to run(), which prints it and exits 2.
    write_file_atomic(*export_file, [&](std::ostream& dimacs) {
      write_dimacs(dimacs, network, "wijkmatch allocation network, stage 1 (ladder steps); see docs/allocation.md");
    });
  }
  out << (json ? allocation_to_json(model, result) : allocation_to_text(model, result));
  return 0;
}

}  // namespace wijkmatch::cli
