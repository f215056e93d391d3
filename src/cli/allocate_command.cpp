// `wijkmatch allocate`.
#include <charconv>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view allocate_usage =
    "usage: wijkmatch allocate FILE [--mode optimal|stable|online] [--policy FILE] [--json]\n"
    "                          [--group-minimum heuristic|exact|ignore] [--threads N]\n"
    "                          [--export-dimacs OUT]\n"
    "\n"
    "Allocates every open need at once under capacity (seats, caseloads, informal hours),\n"
    "collective first. optimal: exact lexicographic min-cost flow (ladder steps, then score,\n"
    "then cost); stable: deferred acceptance, residents choose; online: one need at a time\n"
    "with seat prices from the last batch. Prints assignments, the waiting list, utilisation\n"
    "and the value of one more seat per offer. --export-dimacs writes the stage-1 network the\n"
    "optimal mode solves (docs/allocation.md) so that any solver can check it.\n";

int usage_error(std::ostream& err, std::string_view message) {
  err << "wijkmatch: " << message << "\n\n" << allocate_usage;
  return 2;
}

}  // namespace

int allocate_command(Args args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << allocate_usage;
    return 0;
  }
  std::string_view file;
  std::optional<std::string> policy_file, export_file;
  bool json = false;
  AllocateOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--json") {
      json = true;
    } else if (a == "--mode") {
      auto mode = has_value ? parse_allocation_mode(args[++i]) : std::nullopt;
      if (!mode) return usage_error(err, "--mode must be optimal, stable or online");
      options.mode = *mode;
    } else if (a == "--group-minimum") {
      const std::string_view v = has_value ? args[++i] : "";
      if (v == "heuristic")
        options.group_minimum = GroupMinimum::heuristic;
      else if (v == "exact")
        options.group_minimum = GroupMinimum::exact;
      else if (v == "ignore")
        options.group_minimum = GroupMinimum::ignore;
      else
        return usage_error(err, "--group-minimum must be heuristic, exact or ignore");
    } else if (a == "--policy") {
      if (!has_value) return usage_error(err, "--policy needs a FILE");
      policy_file = std::string(args[++i]);
    } else if (a == "--export-dimacs") {
      if (!has_value) return usage_error(err, "--export-dimacs needs a file name");
      export_file = std::string(args[++i]);
    } else if (a == "--threads") {
      int n = -1;
      if (!has_value ||
          std::from_chars(args[i + 1].data(), args[i + 1].data() + args[i + 1].size(), n).ec != std::errc() || n < 0 ||
          n > 1024)
        return usage_error(err, "--threads needs a number from 0 to 1024");
      ++i;
      options.threads = n;
    } else if (a.starts_with("-")) {
      return usage_error(err, "unknown option " + std::string(a));
    } else if (file.empty()) {
      file = a;
    } else {
      return usage_error(err, "more than one FILE");
    }
  }
  if (file.empty()) return usage_error(err, "missing FILE");
  Model model;
  if (auto code = load_inputs(file, policy_file, model, options.policy, err)) return *code;
  std::ofstream dimacs;
  if (export_file) {
    dimacs.open(*export_file, std::ios::binary | std::ios::trunc);
    if (!dimacs) {
      err << "wijkmatch: cannot write " << *export_file << "\n";
      return 2;
    }
  }
  // The exported network is the one whose optimum is reported: this run's final bounds
  // (groups the heuristic closed, lower bounds of the exact method).
  MinCostFlow network;
  const AllocationResult result = export_file && options.mode == AllocationMode::optimal
                                      ? allocate(model, options, network)
                                      : allocate(model, options);
  if (export_file) {
    if (options.mode != AllocationMode::optimal) network = allocation_network(model, options);
    write_dimacs(dimacs, network, "wijkmatch allocation network, stage 1 (ladder steps); see docs/allocation.md");
    if (!dimacs.flush()) {
      err << "wijkmatch: cannot write " << *export_file << "\n";
      return 2;
    }
  }
  out << (json ? allocation_to_json(model, result) : allocation_to_text(model, result));
  return 0;
}

}  // namespace wijkmatch::cli
