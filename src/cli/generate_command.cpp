// `wijkmatch generate`: synthetic neighbourhoods, cities or the whole country.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view generate_usage =
    "usage: wijkmatch generate --residents N --seed S [--municipalities M] [--format json|binary|both]\n"
    "                          [--needs-per-100 X] [--offers-per-1000 X] [--professionals-per-10000 X]\n"
    "                          [--quiet] OUT\n"
    "\n"
    "Generates a synthetic model (docs/generator.md): municipalities with CBS-style codes and\n"
    "realistic sizes, households, ties, needs, collective offers, provisions and professionals.\n"
    "Seeded and deterministic. OUT ending in .json or .wjm is one file holding the whole model\n"
    "(JSON format v1 or the binary form); any other OUT is a directory that receives one file per\n"
    "municipality (GM0001.wjm, ...; --format, default binary) and manifest.json, generated one\n"
    "municipality at a time so that even the whole country (17.9 million residents, 342\n"
    "municipalities) fits in memory. Prints counts, the time taken and the peak memory.\n"
    "Progress goes to stderr (a bar on a terminal, a few lines otherwise); --quiet turns it off.\n";
// The options' lines of the help come from their declarations in generate_command().
constexpr std::string_view generate_footer =
    "\n"
    "Exit codes: 0 success, 2 invalid usage or an output that cannot be written, 1 internal error.\n";

std::optional<double> parse_rate(std::string_view text, double hi) {
  // Plain decimal numbers only (no signs, exponents, "inf" or "nan").
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.')) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0 || value > hi)
    return std::nullopt;
  return value;
}

std::string megabytes(std::int64_t bytes) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return s.str();
}

void print_report(std::ostream& out, const GenerateReport& r, const std::string& where) {
  out << "generated " << r.municipalities << (r.municipalities == 1 ? " municipality" : " municipalities") << " into "
      << where << "\n"
      << "  residents      " << r.residents << "\n"
      << "  households     " << r.households << "\n"
      << "  ties           " << r.ties << "\n"
      << "  needs          " << r.needs << "\n"
      << "  offers         " << r.offers << "\n"
      << "  professionals  " << r.professionals << "\n"
      << "  files          " << r.files.size() << "\n"
      << "  time           " << std::fixed << std::setprecision(2) << r.seconds << " s\n"
      << "  peak memory    " << megabytes(r.peak_rss_bytes) << "\n";
}

}  // namespace

int generate_command(Args args, std::ostream& out, std::ostream& err) {
  GenerateOptions options;
  std::optional<ModelFileFormat> format;
  std::string target;
  bool quiet = false;
  CommandLine command_line("generate", generate_usage, generate_footer);
  command_line.add_integer("--residents", "N", options.residents, std::int64_t{1}, std::int64_t{100'000'000},
                           "total residents, 1 to 100000000 (required)");
  command_line.add_integer("--seed", "S", options.seed, std::uint64_t{0}, UINT64_MAX,
                           "seed, 0 to 18446744073709551615 (required)");
  command_line.add_integer("--municipalities", "M", options.municipalities, 1, 9999,
                           "1 to 9999, at most N (default 1)");
  command_line.add_value(
      "--format", "F", "--format needs json, binary or both",
      [&](const std::string& v) {
        if (v == "json")
          format = ModelFileFormat::json;
        else if (v == "binary")
          format = ModelFileFormat::binary;
        else if (v == "both")
          format = ModelFileFormat::both;
        else
          return false;
        return true;
      },
      "json, binary or both (directory output; default binary)");
  // Plain decimal rates with an upper bound: the three densities.
  auto add_rate = [&](std::string_view name, double& rate, int hi, std::string_view description) {
    command_line.add_value(
        name, "X", std::string(name) + " needs a number from 0 to " + std::to_string(hi),
        [&rate, hi](const std::string& v) {
          const auto x = parse_rate(v, hi);
          if (x) rate = *x;
          return x.has_value();
        },
        description);
  };
  add_rate("--needs-per-100", options.needs_per_100, 100, "open needs per 100 residents, 0 to 100 (default 4)");
  add_rate("--offers-per-1000", options.offers_per_1000, 100,
           "collective offers per 1000 residents, 0 to 100 (default 4)");
  add_rate("--professionals-per-10000", options.professionals_per_10000, 1000,
           "professionals per 10000 residents, 0 to 1000 (default 6)");
  command_line.add_flag("--quiet", quiet);
  command_line.require("--residents");
  command_line.require("--seed");
  command_line.add_positional("OUT", target);
  if (auto code = command_line.parse(args, out, err)) return *code;
  if (options.residents < options.municipalities)
    return command_line.usage_error(err, "--residents must be at least --municipalities");

  const std::filesystem::path path{std::string(target)};
  const bool single_json = path.extension() == ".json", single_binary = path.extension() == ".wjm";
  if ((single_json && format && *format != ModelFileFormat::json) ||
      (single_binary && format && *format != ModelFileFormat::binary))
    return command_line.usage_error(err,
                                    "--format does not match the extension of OUT (" + path.extension().string() + ")");
  // Every option was range-checked above, with the flag's name: generate() cannot refuse them.
  GenerateReport report;
  ProgressReporter progress(err, quiet);
  options.progress = progress.callback();
  if (single_json || single_binary) {
    const auto start = std::chrono::steady_clock::now();
    const Model model = generate(options);
    // Writing a large JSON file takes longer than generating it: a stage of its own.
    progress.report("write", 0, 1);
    if (single_json)
      save_model(model, path);
    else
      save_model_binary(model, path);
    progress.report("write", 1, 1);
    report.municipalities = options.municipalities;
    report.residents = static_cast<std::int64_t>(model.residents.size());
    report.households = static_cast<std::int64_t>(model.households.size());
    report.ties = static_cast<std::int64_t>(model.ties.size());
    report.needs = static_cast<std::int64_t>(model.needs.size());
    report.offers = static_cast<std::int64_t>(model.offers.size());
    report.professionals = static_cast<std::int64_t>(model.professionals.size());
    report.files = {path};
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.peak_rss_bytes = process_peak_rss_bytes();
  } else {
    report = generate_to_directory(options, path, format.value_or(ModelFileFormat::binary));
  }
  progress.finish();
  print_report(out, report, path.string());
  return 0;
}

}  // namespace wijkmatch::cli
