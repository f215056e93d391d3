// Subcommands of the `wijkmatch` program. Each takes its own arguments (without the program
// and subcommand names) and returns the process exit code:
//   0 success, 2 invalid input or usage, 3 infeasible (solvers), 1 internal error only.
#pragma once
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace wijkmatch::cli {

using Args = std::span<const std::string_view>;

/// Runs the whole program as `main` would; never throws.
int run(Args args, std::ostream& out, std::ostream& err);

int validate_command(Args args, std::ostream& out, std::ostream& err);
int summary_command(Args args, std::ostream& out, std::ostream& err);
int rank_command(Args args, std::ostream& out, std::ostream& err);
int plan_command(Args args, std::ostream& out, std::ostream& err);
int allocate_command(Args args, std::ostream& out, std::ostream& err);
int generate_command(Args args, std::ostream& out, std::ostream& err);
int mcf_command(Args args, std::ostream& out, std::ostream& err);

/// Loads a model file and an optional policy file, printing every problem as
/// `pointer: reason` (policy problems prefixed with the policy file name). Returns the exit
/// code to stop with (2), or nullopt when both loaded.
std::optional<int> load_inputs(std::string_view model_file, const std::optional<std::string>& policy_file, Model& model,
                               Policy& policy, std::ostream& err);

/// True when `args` asks for help (`--help` or `-h` anywhere).
bool wants_help(Args args);

}  // namespace wijkmatch::cli
