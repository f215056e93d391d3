#include "cli/arguments.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
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

std::optional<std::size_t> parse_byte_count(std::string_view text) {
  int shift = 0;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k':
      case 'K': shift = 10; break;
      case 'm':
      case 'M': shift = 20; break;
      case 'g':
      case 'G': shift = 30; break;
      case 't':
      case 'T': shift = 40; break;
      default: break;
    }
    if (shift != 0) text.remove_suffix(1);
  }
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;  // no sign, no space
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n == 0) return std::nullopt;
  if (n > (std::numeric_limits<std::uint64_t>::max() >> shift)) return std::nullopt;
  n <<= shift;
  if (n > std::numeric_limits<std::size_t>::max()) return std::nullopt;
  return static_cast<std::size_t>(n);
}

void add_max_input_bytes(CommandLine& command_line, std::size_t& max_bytes) {
  command_line.add_value(
      "--max-input-bytes", "N",
      "--max-input-bytes needs a size in bytes, such as 4000000000 or 4G (K, M, G, T: powers of 1024)",
      [&max_bytes](const std::string& text) {
        const auto n = parse_byte_count(text);
        if (n) max_bytes = *n;
        return n.has_value();
      },
      "largest input read, in bytes; K, M, G, T suffixes (default 4G)");
}

namespace {

// "1.4 GiB": sizes in messages, to one decimal.
std::string human_bytes(std::uintmax_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  if (unit == 0) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

}  // namespace

std::string too_large_message(const InputTooLarge& large, bool model) {
  // A limit that fits: the size rounded up to whole GiB (MiB for small inputs), or twice the
  // limit for a stream whose size is unknown.
  const std::uintmax_t need = large.size() ? *large.size() : std::uintmax_t{large.limit()} * 2;
  const std::uintmax_t gib = std::uintmax_t{1} << 30, unit = need >= gib ? gib : std::uintmax_t{1} << 20;
  std::string text = "cannot read " + large.source() + ": ";
  if (large.size())
    text += "its " + std::to_string(*large.size()) + " bytes (" + human_bytes(*large.size()) + ") exceed";
  else
    text += "it is larger than";
  text += " the input limit of " + std::to_string(large.limit()) + " bytes (" + human_bytes(large.limit()) +
          "); raise the limit with --max-input-bytes " + std::to_string((need + unit - 1) / unit) +
          (unit == gib ? "G" : "M");
  if (model)
    text +=
        ", or store large models in the binary form .wjm, about an eighth of the size and far faster to load"
        " (wijkmatch generate ... OUT.wjm; from a program, save_model_binary)";
  return text;
}

void print_input_error(std::ostream& err, const InputError& error, bool model) {
  if (const auto* large = dynamic_cast<const InputTooLarge*>(&error))
    err << "(document): " << too_large_message(*large, model) << "\n";
  else
    print_problems(err, error.problems());
}

std::optional<int> load_model_file(std::string_view file, std::size_t max_bytes, Model& model, std::ostream& err) {
  LoadOptions options;
  options.max_bytes = max_bytes;
  try {
    model = load_any(std::string(file), options);  // JSON or binary .wjm, by the first bytes
  } catch (const InputError& e) {
    print_input_error(err, e);
    return 2;
  }
  return std::nullopt;
}

void add_model_arguments(CommandLine& command_line, std::string& file, std::optional<std::string>& policy_file,
                         bool& json) {
  command_line.add_positional("FILE", file);
  command_line.add_text("--policy", "FILE", policy_file, "--policy needs a FILE");
  command_line.add_flag("--json", json);
}

std::optional<int> load_inputs(std::string_view model_file, const std::optional<std::string>& policy_file, Model& model,
                               Policy& policy, std::ostream& err, std::size_t max_bytes) {
  if (auto code = load_model_file(model_file, max_bytes, model, err)) return code;
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
                                std::optional<Engine>& engine, std::ostream& err, std::size_t max_bytes) {
  Model model;
  if (auto code = load_inputs(model_file, policy_file, model, options.policy, err, max_bytes)) return *code;
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
