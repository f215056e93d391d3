// `wijkmatch validate`.
#include <iostream>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "model_binary.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view validate_usage =
    "usage: wijkmatch validate FILE [--max-errors N]\n"
    "\n"
    "Checks FILE (format v1 JSON, or binary .wjm) against format v1 (docs/format.md). Prints\n"
    "`valid: ...` on stdout and exits 0, or prints every problem (up to N, default 100) on\n"
    "stderr as `pointer: reason`, one per line, and exits 2.\n";

}  // namespace

int validate_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  LoadOptions options;
  CommandLine command_line("validate", validate_usage);
  command_line.add_positional("FILE", file);
  command_line.add_integer("--max-errors", "N", options.max_problems, std::size_t{1}, std::size_t{999'999'999});
  add_max_input_bytes(command_line, options.max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  try {
    // One read, then the format by the first bytes (as load_any decides), so that "-" works.
    const std::string bytes = read_input(std::string(file), options.max_bytes);
    Model model;
    if (is_binary_model(bytes)) {
      model = detail::decode_model_binary(bytes, options.max_problems);  // InputError lists every problem
    } else {
      auto problems = validate_model(bytes, options);
      if (!problems.empty()) {
        print_problems(err, problems);
        if (problems.size() >= options.max_problems) err << "(stopped after " << options.max_problems << " problems)\n";
        return 2;
      }
      model = parse_model(bytes, options);
    }
    out << "valid: " << model.households.size() << " households, " << model.residents.size() << " residents, "
        << model.ties.size() << " ties, " << model.needs.size() << " needs, " << model.offers.size() << " offers, "
        << model.professionals.size() << " professionals\n";
    return 0;
  } catch (const InputError& e) {
    print_input_error(err, e);
    return 2;
  }
}

}  // namespace wijkmatch::cli
