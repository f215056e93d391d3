// The command line's one argument layer. Every command declares its arguments on a
// CommandLine, which parses them with CLI11 under the program's conventions:
//   - `--help` or `-h` anywhere prints the command's help on stdout (exit 0) before anything
//     else is looked at;
//   - a usage error (an unknown option, a missing or bad value, a missing or extra positional
//     argument) prints `wijkmatch COMMAND: message`, a blank line and the help on stderr
//     (exit 2); the message names the option and what it needs;
//   - `--name=value` equals `--name value`, `--` ends the options, and a repeated option takes
//     its last value after every value was checked (add_repeated keeps them all, in order).
// The help is the command's own text (its usage line and description), then the options that
// were given a description, in CLI11's two-column layout, then the footer. CLI11 itself stays
// inside arguments.cpp.
#pragma once
#include <charconv>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/commands.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace wijkmatch::cli {

class CommandLine {
 public:
  /// `help` starts with the usage line; `footer` follows the described options.
  CommandLine(std::string_view command, std::string_view help, std::string_view footer = {});
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  /// A required positional argument (FILE, OUT); "missing NAME" when absent, "more than one
  /// NAME" when repeated.
  void add_positional(std::string_view name, std::string& value);
  /// A flag such as `--json`.
  void add_flag(std::string_view name, bool& value);
  /// An option with one value. `accept` stores a good value and returns false for a bad one;
  /// `problem` is the whole message for a bad or missing value ("--mode must be ..."). The
  /// help shows the option as `NAME VALUE_NAME` with `description`, when there is one.
  void add_value(std::string_view name, std::string_view value_name, std::string problem,
                 std::function<bool(const std::string&)> accept, std::string_view description = {});
  /// An option with any text as its value (a file name, a key).
  void add_text(std::string_view name, std::string_view value_name, std::optional<std::string>& value,
                std::string problem, std::string_view description = {});
  /// An option that may be given many times; every value is kept, in order.
  void add_repeated(std::string_view name, std::string_view value_name, std::vector<std::string>& values,
                    std::string problem);
  /// A whole number in [lo, hi], decimal digits only (no sign for unsigned types, nothing after).
  template <class T>
  void add_integer(std::string_view name, std::string_view value_name, T& value, T lo, T hi,
                   std::string_view description = {});
  /// Makes an option required: "missing NAME VALUE_NAME" when it is absent.
  void require(std::string_view name);

  /// Parses `args`. Returns the exit code to stop with (0 after help, 2 after a usage error,
  /// both printed), or nullopt when the command is to run.
  std::optional<int> parse(Args args, std::ostream& out, std::ostream& err);
  /// Prints `message` and the help as a usage error; returns 2.
  int usage_error(std::ostream& err, std::string_view message) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <class T>
void CommandLine::add_integer(std::string_view name, std::string_view value_name, T& value, T lo, T hi,
                              std::string_view description) {
  add_value(
      name, value_name, std::string(name) + " needs a number from " + std::to_string(lo) + " to " + std::to_string(hi),
      [&value, lo, hi](const std::string& text) {
        T parsed{};
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (ec != std::errc() || end != text.data() + text.size() || parsed < lo || parsed > hi) return false;
        value = parsed;
        return true;
      },
      description);
}

/// `--threads N`, 0 to 1024 (0: one per core), as rank and allocate take it.
void add_threads(CommandLine& command_line, int& threads);

/// `--max-input-bytes N`: the most bytes a command reads from any one input (the model, an
/// events file, a DIMACS file); a whole number, optionally with a binary suffix K, M, G or T
/// ("2G" is 2^31). Default default_max_input_bytes (io.hpp).
void add_max_input_bytes(CommandLine& command_line, std::size_t& max_bytes);

/// Parses "N", "NK", "NM", "NG" or "NT" (powers of 1024, either case); nullopt for anything
/// else, zero, or a value beyond size_t.
std::optional<std::size_t> parse_byte_count(std::string_view text);

/// Declares what rank, plan and allocate share: the model FILE, `--policy FILE` and `--json`.
void add_model_arguments(CommandLine& command_line, std::string& file, std::optional<std::string>& policy_file,
                         bool& json);

/// Loads a model file and an optional policy file (the built-in policy without one), printing
/// every problem as `pointer: reason` (policy problems prefixed with the policy file name).
/// Returns the exit code to stop with (2), or nullopt when both loaded.
std::optional<int> load_inputs(std::string_view model_file, const std::optional<std::string>& policy_file, Model& model,
                               Policy& policy, std::ostream& err, std::size_t max_bytes = default_max_input_bytes);

/// Loads a model file in either format (load_any: by its first bytes; "-" is standard input),
/// printing the problems as load_inputs does. Returns the exit code to stop with (2), or
/// nullopt with `model` set.
std::optional<int> load_model_file(std::string_view file, std::size_t max_bytes, Model& model, std::ostream& err);

/// Prints an InputError as `pointer: reason` lines; input over the size limit gets one line
/// that names the source, its size, the limit, `--max-input-bytes` and, for a model
/// (`model` true), the binary form.
void print_input_error(std::ostream& err, const InputError& error, bool model = true);
/// The one line print_input_error prints for input over the limit, without its pointer.
std::string too_large_message(const InputTooLarge& large, bool model);

/// Opens the live engine of an existing journal (apply --journal creates one; audit and rank
/// only read one, so a missing file is refused instead of created): loads the model and the
/// policy as load_inputs does, then Engine::open. Problems go to `err` as `pointer: reason`
/// (a journal of another model or policy as `--journal: ...`). Returns the exit code to stop
/// with (2), or nullopt with `engine` set.
std::optional<int> open_journal(std::string_view model_file, const std::optional<std::string>& policy_file,
                                const std::string& journal, bool create, EngineOptions options,
                                std::optional<Engine>& engine, std::ostream& err,
                                std::size_t max_bytes = default_max_input_bytes);

/// Prints each problem as `pointer: reason`, one a line.
void print_problems(std::ostream& err, const std::vector<Problem>& problems);

}  // namespace wijkmatch::cli
