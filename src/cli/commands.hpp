// Subcommands of the `wijkmatch` program. Each takes its own arguments (without the program
// and subcommand names) and returns the process exit code:
//   0 success, 2 invalid input or usage, 3 infeasible (solvers), 1 internal error only.
#pragma once
#include <iosfwd>
#include <span>
#include <string_view>

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
int apply_command(Args args, std::ostream& out, std::ostream& err);
int audit_command(Args args, std::ostream& out, std::ostream& err);
int start_meetings_command(Args args, std::ostream& out, std::ostream& err);
int propose_groups_command(Args args, std::ostream& out, std::ostream& err);
int import_hsds_command(Args args, std::ostream& out, std::ostream& err);
int export_hsds_command(Args args, std::ostream& out, std::ostream& err);
int monitor_command(Args args, std::ostream& out, std::ostream& err);
int simulate_command(Args args, std::ostream& out, std::ostream& err);

}  // namespace wijkmatch::cli
