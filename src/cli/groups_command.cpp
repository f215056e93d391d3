// `wijkmatch propose-groups`.
#include <iostream>
#include <optional>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "wijkmatch/groups.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view propose_groups_usage =
    "usage: wijkmatch propose-groups FILE [--min-size N] [--max-size N] [--radius M] [--policy FILE]\n"
    "                                [--no-measure] [--threads N] [--json]\n"
    "\n"
    "Finds open needs that have no acceptable collective option with room, in one life domain,\n"
    "close together, free in the same day-part and speaking the same language, and proposes a\n"
    "new group for each cluster: its day-part, venue, needs, residents who offered help and\n"
    "could run it, and a professional who could start it. The ladder steps each group saves are\n"
    "measured by allocating again with the group added (docs/groups.md). --no-measure skips that.\n";

}  // namespace

int propose_groups_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  std::optional<std::string> policy_file;
  bool json = false, no_measure = false;
  ProposeGroupsOptions options;
  int radius = 1000;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("propose-groups", propose_groups_usage);
  add_model_arguments(command_line, file, policy_file, json);
  command_line.add_integer("--min-size", "N", options.min_size, 2, 1000, "smallest group proposed (default 6)");
  command_line.add_integer("--max-size", "N", options.max_size, 2, 1000, "most needs in one group (default 15)");
  command_line.add_integer("--radius", "M", radius, 1, 100000,
                           "needs of a group lie within M metres of its seed (default 1000)");
  command_line.add_flag("--no-measure", no_measure);
  add_threads(command_line, options.threads);
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  if (options.max_size < options.min_size)
    return command_line.usage_error(err, "--max-size must be at least --min-size");
  options.radius_m = radius;
  options.measure = !no_measure;
  Model model;
  if (auto code = load_inputs(file, policy_file, model, options.policy, err, max_bytes)) return *code;
  const GroupProposals proposals = propose_groups(model, options);
  out << (json ? group_proposals_to_json(model, proposals) : group_proposals_to_text(model, proposals));
  return 0;
}

}  // namespace wijkmatch::cli
