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
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("summary", summary_usage);
  command_line.add_positional("FILE", file);
  command_line.add_flag("--json", as_json);
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  Model model;
  if (auto code = load_model_file(file, max_bytes, model, err)) return *code;
  const Summary s = summarize(model);
  out << (as_json ? to_json(s) : to_text(s));
  return 0;
}

}  // namespace wijkmatch::cli
