// The `wijkmatch` program: subcommand dispatch. Each command is in its own file.
#include <iostream>
#include <new>
#include <string>
#include <utility>

#include "cli/commands.hpp"
#include "wijkmatch/error.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view program_usage =
    "usage: wijkmatch <command> [options]\n"
    "\n"
    "Matches residents' needs to what their neighbourhood offers, collective first.\n"
    "\n"
    "commands:\n"
    "  validate FILE            check a neighbourhood file (format v1); exit 0 valid, 2 invalid\n"
    "  summary FILE [--json]    counts by life domain and ladder level, seats, caseload, informal capacity\n"
    "  rank FILE [--need KEY]... [--policy FILE] [--json] [--threads N] [--journal FILE]\n"
    "                           options for each open need, collective first, with reasons\n"
    "  plan FILE --household KEY [--policy FILE] [--json]\n"
    "                           one plan and one coordinating professional for a household\n"
    "  allocate FILE [--mode optimal|stable|online] [--policy FILE] [--json] [--export-dimacs OUT]\n"
    "                           all open needs at once under capacity, collective first\n"
    "  generate --residents N --seed S [--municipalities M] [--format json|binary|both] OUT\n"
    "                           a synthetic neighbourhood, city or country (docs/generator.md)\n"
    "  mcf FILE                 solve a DIMACS minimum-cost-flow problem\n"
    "  apply MODEL EVENTS [--journal FILE] [--policy FILE] [--sync full|normal] [--snapshot-every N]\n"
    "                           apply events (JSON Lines) to the live engine, in memory or journaled\n"
    "  audit MODEL --journal FILE --need KEY [--policy FILE]\n"
    "                           the history of a need: events, referrals, outcomes, reasons\n"
    "  plan-start-meetings FILE --weeks N --capacity C [--per-week M] [--since DATE] [--presenters K] [--json]\n"
    "                           start meetings (Samen Welkom): day-parts, venues, invitees, presenters\n"
    "  propose-groups FILE [--min-size N] [--radius M] [--json]\n"
    "                           new groups where needs without a collective answer recur\n"
    "  import-hsds DIR_OR_FILE --mapping MAPPING.json OUT [--into MODEL] [--label-points CSV]\n"
    "              [--source hsds|amsterdam] [--json]\n"
    "                           offers from Open Referral HSDS 3.x or the Amsterdam directory\n"
    "  export-hsds MODEL OUT [--as-of DATE]\n"
    "                           the model's offers as HSDS 3.1 JSON\n"
    "  monitor FILE [--journal J] [--period week|month] [--level bu|wk|gm] [--threshold N] [--round N]\n"
    "               [--unsafe-raw] [--json|--csv] [--plot DIR]\n"
    "                           monitoring figures per BU/WK/GM, with disclosure control\n"
    "  simulate FILE [--weeks N] [--policy P.json]... [--replications R] [--seed S] [--threads N]\n"
    "                [--json] [--plot DIR]\n"
    "                           what-if simulation of policies on the live engine, with 95% intervals\n"
    "\n"
    "Run `wijkmatch <command> --help` for the options of a command.\n"
    "Exit codes: 0 success, 2 invalid input or usage, 3 infeasible, 1 internal error.\n";

int usage_error(std::ostream& err, std::string_view message) {
  err << "wijkmatch: " << message << "\n\n" << program_usage;
  return 2;
}

using Command = int (*)(Args, std::ostream&, std::ostream&);
constexpr std::pair<std::string_view, Command> commands[] = {{"validate", validate_command},
                                                             {"summary", summary_command},
                                                             {"rank", rank_command},
                                                             {"plan", plan_command},
                                                             {"allocate", allocate_command},
                                                             {"generate", generate_command},
                                                             {"mcf", mcf_command},
                                                             {"apply", apply_command},
                                                             {"audit", audit_command},
                                                             {"plan-start-meetings", start_meetings_command},
                                                             {"propose-groups", propose_groups_command},
                                                             {"import-hsds", import_hsds_command},
                                                             {"export-hsds", export_hsds_command},
                                                             {"monitor", monitor_command},
                                                             {"simulate", simulate_command}};

}  // namespace

int run(Args args, std::ostream& out, std::ostream& err) {
  try {
    if (args.empty()) {
      err << program_usage;
      return 2;
    }
    const std::string_view command = args.front();
    const Args rest = args.subspan(1);
    if (command == "--help" || command == "-h" || command == "help") {
      out << program_usage;
      return 0;
    }
    if (command == "--version") {
      out << "wijkmatch " << WIJKMATCH_VERSION << "\n";
      return 0;
    }
    for (const auto& [name, function] : commands)
      if (command == name) return function(rest, out, err);
    return usage_error(err, "unknown command " + std::string(command));
  } catch (const Error& e) {
    err << "wijkmatch: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    err << "wijkmatch: internal error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    err << "wijkmatch: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace wijkmatch::cli
