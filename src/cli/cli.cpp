// The `wijkmatch` program: subcommand dispatch, validate and summary.
#include <algorithm>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/summary.hpp"

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
    "  rank FILE [--need KEY]... [--policy FILE] [--json] [--threads N]\n"
    "                           options for each open need, collective first, with reasons\n"
    "  plan FILE --household KEY [--policy FILE] [--json]\n"
    "                           one plan and one coordinating professional for a household\n"
    "  allocate FILE [--mode optimal|stable|online] [--policy FILE] [--json] [--export-dimacs OUT]\n"
    "                           all open needs at once under capacity, collective first\n"
    "  generate --residents N --seed S [--municipalities M] [--format json|binary|both] OUT\n"
    "                           a synthetic neighbourhood, city or country (docs/generator.md)\n"
    "  mcf FILE                 solve a DIMACS minimum-cost-flow problem\n"
    "\n"
    "Run `wijkmatch <command> --help` for the options of a command.\n"
    "Exit codes: 0 success, 2 invalid input or usage, 3 infeasible, 1 internal error.\n";

constexpr std::string_view validate_usage =
    "usage: wijkmatch validate FILE [--max-errors N]\n"
    "\n"
    "Checks FILE against format v1 (docs/format.md). Prints `valid: ...` on stdout and exits 0,\n"
    "or prints every problem (up to N, default 100) on stderr as `pointer: reason`, one per\n"
    "line, and exits 2.\n";

constexpr std::string_view summary_usage =
    "usage: wijkmatch summary FILE [--json]\n"
    "\n"
    "Prints counts by life domain, offers and seats by ladder level, the team's caseload room\n"
    "and the informal capacity of residents' networks. --json prints one JSON object.\n"
    "Exit 0, or 2 when FILE is invalid (problems on stderr as for validate).\n";

int usage_error(std::ostream& err, std::string_view message, std::string_view usage) {
  err << "wijkmatch: " << message << "\n\n" << usage;
  return 2;
}

bool parse_size(std::string_view text, std::size_t& out) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  out = std::stoul(std::string(text));
  return out > 0;
}

void print_problems(std::ostream& err, const std::vector<Problem>& problems) {
  for (const auto& p : problems) err << to_string(p) << "\n";
}

}  // namespace

std::optional<int> load_inputs(std::string_view model_file, const std::optional<std::string>& policy_file, Model& model,
                               Policy& policy, std::ostream& err) {
  try {
    model = load_model(std::string(model_file));
  } catch (const InputError& e) {
    print_problems(err, e.problems());
    return 2;
  }
  try {
    policy = policy_file ? load_policy(*policy_file) : default_policy();
  } catch (const InputError& e) {
    for (const auto& p : e.problems()) err << *policy_file << ": " << to_string(p) << "\n";
    return 2;
  }
  return std::nullopt;
}

bool wants_help(Args args) {
  return std::any_of(args.begin(), args.end(), [](std::string_view a) { return a == "--help" || a == "-h"; });
}

int validate_command(Args args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << validate_usage;
    return 0;
  }
  std::string_view file;
  LoadOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--max-errors") {
      if (i + 1 >= args.size() || !parse_size(args[i + 1], options.max_problems))
        return usage_error(err, "--max-errors needs a positive number", validate_usage);
      ++i;
    } else if (args[i].starts_with("-") && args[i] != "-") {
      return usage_error(err, "unknown option " + std::string(args[i]), validate_usage);
    } else if (file.empty()) {
      file = args[i];
    } else {
      return usage_error(err, "more than one FILE", validate_usage);
    }
  }
  if (file.empty()) return usage_error(err, "missing FILE", validate_usage);
  try {
    std::string text = read_input(std::string(file), options.max_bytes);
    auto problems = validate_model(text, options);
    if (!problems.empty()) {
      print_problems(err, problems);
      if (problems.size() >= options.max_problems) err << "(stopped after " << options.max_problems << " problems)\n";
      return 2;
    }
    Model model = parse_model(text, options);
    out << "valid: " << model.households.size() << " households, " << model.residents.size() << " residents, "
        << model.ties.size() << " ties, " << model.needs.size() << " needs, " << model.offers.size() << " offers, "
        << model.professionals.size() << " professionals\n";
    return 0;
  } catch (const InputError& e) {
    print_problems(err, e.problems());
    return 2;
  }
}

int summary_command(Args args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << summary_usage;
    return 0;
  }
  std::string_view file;
  bool as_json = false;
  for (auto a : args) {
    if (a == "--json")
      as_json = true;
    else if (a.starts_with("-") && a != "-")
      return usage_error(err, "unknown option " + std::string(a), summary_usage);
    else if (file.empty())
      file = a;
    else
      return usage_error(err, "more than one FILE", summary_usage);
  }
  if (file.empty()) return usage_error(err, "missing FILE", summary_usage);
  try {
    Model model = load_model(std::string(file));
    Summary s = summarize(model);
    out << (as_json ? to_json(s) : to_text(s));
    return 0;
  } catch (const InputError& e) {
    print_problems(err, e.problems());
    return 2;
  }
}

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
    if (command == "validate") return validate_command(rest, out, err);
    if (command == "summary") return summary_command(rest, out, err);
    if (command == "rank") return rank_command(rest, out, err);
    if (command == "plan") return plan_command(rest, out, err);
    if (command == "allocate") return allocate_command(rest, out, err);
    if (command == "generate") return generate_command(rest, out, err);
    if (command == "mcf") return mcf_command(rest, out, err);
    return usage_error(err, "unknown command " + std::string(command), program_usage);
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
