// `wijkmatch summary`.
#include <iostream>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/summary.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view summary_usage =
    "usage: wijkmatch summary FILE [--json]\n"
    "\n"
    "Prints counts by life domain, offers and seats by ladder level, the team's caseload room\n"
    "and the informal capacity of residents' networks. --json prints one JSON object.\n"
    "Exit 0, or 2 when FILE is invalid (problems on stderr as for validate).\n";

}  // namespace

int summary_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  bool as_json = false;
  CommandLine command_line("summary", summary_usage);
  command_line.add_positional("FILE", file);
  command_line.add_flag("--json", as_json);
  if (auto code = command_line.parse(args, out, err)) return *code;
  try {
    Model model = load_any(std::string(file));
    Summary s = summarize(model);
    out << (as_json ? to_json(s) : to_text(s));
    return 0;
  } catch (const InputError& e) {
    print_problems(err, e.problems());
    return 2;
  }
}

}  // namespace wijkmatch::cli
