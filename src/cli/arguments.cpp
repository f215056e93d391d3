#include "cli/arguments.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <utility>

#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

// The command's own text, then the described options in CLI11's two-column layout, then the
// footer: the help reads as a hand-written one and the option lines come from the declarations.
class HelpFormatter final : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override {
    std::string text = app->get_description();
    const auto described = app->get_options([](const CLI::Option* o) { return !o->get_description().empty(); });
    if (!described.empty()) {
      text += '\n';
      for (const CLI::Option* o : described) text += make_option(o, o->get_positional());
    }
    return text + app->get_footer();
  }
};

bool wants_help(Args args) {
  return std::any_of(args.begin(), args.end(), [](std::string_view a) { return a == "--help" || a == "-h"; });
}

// "NAME VALUE_NAME" as the help and the "missing" message show an option.
std::string shown(const CLI::Option& option) {
  const std::string name = option.get_name();
  return option.get_option_text().empty() ? name : name + " " + option.get_option_text();
}

}  // namespace

struct CommandLine::Impl {
  std::string command;
  CLI::App app;
  std::vector<const CLI::Option*> required;
  std::string positional_name;  // for "more than one NAME"

  Impl(std::string_view name, std::string_view help, std::string_view footer)
      : command(name), app(std::string(help), "wijkmatch " + std::string(name)) {
    app.set_help_flag();  // parse() answers --help anywhere, before CLI11 sees the arguments
    app.allow_extras();   // unknown options and extra positionals are reported by parse(), by name
    app.formatter(std::make_shared<HelpFormatter>());
    app.footer(std::string(footer));
  }
};

CommandLine::CommandLine(std::string_view command, std::string_view help, std::string_view footer)
    : impl_(std::make_unique<Impl>(command, help, footer)) {}

CommandLine::~CommandLine() = default;

void CommandLine::add_positional(std::string_view name, std::string& value) {
  impl_->required.push_back(impl_->app.add_option(std::string(name), value));
  impl_->positional_name = name;
}

void CommandLine::add_flag(std::string_view name, bool& value) { impl_->app.add_flag(std::string(name), value); }

void CommandLine::add_value(std::string_view name, std::string_view value_name, std::string problem,
                            std::function<bool(const std::string&)> accept, std::string_view description) {
  // A value may be missing (CLI11 then passes ""), so that "--policy" at the end or before
  // another option gets this option's own message rather than CLI11's. Every value given is
  // checked, in order, so the last one stays.
  impl_->app
      .add_option(
          std::string(name),
          [problem = std::move(problem), accept = std::move(accept)](const CLI::results_t& values) {
            for (const std::string& value : values)
              if (value.empty() || !accept(value)) throw CLI::ValidationError(problem);
            return true;
          },
          std::string(description))
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->option_text(std::string(value_name));
}

void CommandLine::add_text(std::string_view name, std::string_view value_name, std::optional<std::string>& value,
                           std::string problem, std::string_view description) {
  add_value(
      name, value_name, std::move(problem),
      [&value](const std::string& text) {
        value = text;
        return true;
      },
      description);
}

void CommandLine::add_repeated(std::string_view name, std::string_view value_name, std::vector<std::string>& values,
                               std::string problem) {
  impl_->app
      .add_option(std::string(name),
                  [&values, problem = std::move(problem)](const CLI::results_t& given) {
                    if (std::any_of(given.begin(), given.end(), [](const std::string& v) { return v.empty(); }))
                      throw CLI::ValidationError(problem);
                    values.insert(values.end(), given.begin(), given.end());
                    return true;
                  })
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->option_text(std::string(value_name));
}

void CommandLine::require(std::string_view name) {
  impl_->required.push_back(impl_->app.get_option(std::string(name)));
}

int CommandLine::usage_error(std::ostream& err, std::string_view message) const {
  err << "wijkmatch " << impl_->command << ": " << message << "\n\n" << impl_->app.help();
  return 2;
}

std::optional<int> CommandLine::parse(Args args, std::ostream& out, std::ostream& err) {
  // Help wins wherever it stands, even after a bad argument or as the value of an option.
  if (wants_help(args)) {
    out << impl_->app.help();
    return 0;
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    impl_->app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return usage_error(err, e.what());
  }
  // CLI11 keeps what it did not place in order; after "--" everything is positional.
  bool options_ended = false;
  for (const std::string& extra : impl_->app.remaining()) {
    if (!options_ended && extra == "--") {
      options_ended = true;
    } else if (!options_ended && extra.size() > 1 && extra.front() == '-') {
      return usage_error(err, "unknown option '" + extra + "'");
    } else {
      return usage_error(err, "more than one " + impl_->positional_name);
    }
  }
  for (const CLI::Option* option : impl_->required)
    if (option->count() == 0) return usage_error(err, "missing " + shown(*option));
  return std::nullopt;
}

void add_threads(CommandLine& command_line, int& threads) {
  command_line.add_integer("--threads", "N", threads, 0, 1024);
}

void add_model_arguments(CommandLine& command_line, std::string& file, std::optional<std::string>& policy_file,
                         bool& json) {
  command_line.add_positional("FILE", file);
  command_line.add_text("--policy", "FILE", policy_file, "--policy needs a FILE");
  command_line.add_flag("--json", json);
}

std::optional<int> load_inputs(std::string_view model_file, const std::optional<std::string>& policy_file, Model& model,
                               Policy& policy, std::ostream& err) {
  try {
    model = load_any(std::string(model_file));  // JSON or binary .wjm, by extension
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

std::optional<int> open_journal(std::string_view model_file, const std::optional<std::string>& policy_file,
                                const std::string& journal, bool create, EngineOptions options,
                                std::optional<Engine>& engine, std::ostream& err) {
  Model model;
  if (auto code = load_inputs(model_file, policy_file, model, options.policy, err)) return *code;
  std::error_code ec;
  const auto status = std::filesystem::status(journal, ec);
  if (!create && (ec || !std::filesystem::exists(status))) {
    err << "--journal: no such file " << journal << "\n";
    return 2;
  }
  if (std::filesystem::is_directory(status)) {
    err << "--journal: " << journal << " is a directory\n";
    return 2;
  }
  try {
    engine.emplace(Engine::open(std::move(model), journal, std::move(options)));
  } catch (const InputError& e) {
    // The journal records a digest of the model and policy it was written for: another model,
    // or the same model with another policy, cannot replay it.
    for (const auto& p : e.problems())
      err << "--journal: " << p.reason
          << (p.pointer == "/base_model" ? "; the digest covers the model and the policy (--policy)" : "") << "\n";
    return 2;
  }
  return std::nullopt;
}

void print_problems(std::ostream& err, const std::vector<Problem>& problems) {
  for (const auto& p : problems) err << to_string(p) << "\n";
}

}  // namespace wijkmatch::cli
