// `wijkmatch mcf FILE`: solves a DIMACS minimum-cost-flow problem with MinCostFlow.
#include <iostream>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace wijkmatch::cli {

namespace {

constexpr const char* kUsage =
    "usage: wijkmatch mcf FILE\n"
    "\n"
    "Solves the minimum-cost-flow problem in DIMACS format in FILE ('-' reads standard input)\n"
    "exactly and prints the solution in DIMACS form:\n"
    "  s COST          the optimal cost, or 's infeasible'\n"
    "  f U V FLOW      one line per arc with nonzero flow, in input order (1-based node ids)\n"
    "\n"
    "Exit status: 0 solved, 2 invalid input or usage, 3 infeasible, 1 internal error.\n";

int solve_and_print(MinCostFlow& network, std::ostream& out, std::ostream& err) {
  switch (network.solve()) {
    case MinCostFlow::Status::optimal: break;
    case MinCostFlow::Status::infeasible: out << "s infeasible\n"; return 3;
    case MinCostFlow::Status::unbalanced: {
      out << "s infeasible\n";
      err << "wijkmatch mcf: total supply does not equal total demand\n";
      return 3;
    }
    case MinCostFlow::Status::bad_input:
      err << "wijkmatch mcf: numbers outside the supported range (costs too large for the "
             "network size, or the optimal cost overflows 64 bits)\n";
      return 2;
  }
  std::string text = "s " + std::to_string(network.optimal_cost()) + '\n';
  for (MinCostFlow::ArcIndex a = 0; a < network.arc_count(); ++a) {
    const auto f = network.flow(a);
    if (f == 0) continue;
    text += "f ";
    text += std::to_string(network.tail(a) + 1);
    text += ' ';
    text += std::to_string(network.head(a) + 1);
    text += ' ';
    text += std::to_string(f);
    text += '\n';
    if (text.size() > (1u << 16)) {
      out << text;
      text.clear();
    }
  }
  out << text;
  out.flush();
  return 0;
}

}  // namespace

int mcf_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("mcf", kUsage);
  command_line.add_positional("FILE", file);
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;

  MinCostFlow network;
  try {
    network = read_dimacs(std::string(file), max_bytes);
  } catch (const DimacsError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const InputTooLarge& e) {
    err << "wijkmatch mcf: " << too_large_message(e, false) << '\n';
    return 2;
  } catch (const InputError& e) {
    err << "wijkmatch mcf: " << e.problems().front().reason << '\n';
    return 2;
  }
  // Running out of memory and anything unforeseen are reported by run(), as for every command.
  return solve_and_print(network, out, err);
}

}  // namespace wijkmatch::cli
