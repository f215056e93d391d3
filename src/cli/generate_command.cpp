// `wijkmatch generate`: synthetic neighbourhoods, cities or the whole country.
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view generate_usage =
    "usage: wijkmatch generate --residents N --seed S [--municipalities M] [--format json|binary|both]\n"
    "                          [--needs-per-100 X] [--offers-per-1000 X] [--professionals-per-10000 X] OUT\n"
    "\n"
    "Generates a synthetic model (docs/generator.md): municipalities with CBS-style codes and\n"
    "realistic sizes, households, ties, needs, collective offers, provisions and professionals.\n"
    "Seeded and deterministic. OUT ending in .json or .wjm is one file holding the whole model\n"
    "(JSON format v1 or the binary form); any other OUT is a directory that receives one file per\n"
    "municipality (GM0001.wjm, ...; --format, default binary) and manifest.json, generated one\n"
    "municipality at a time so that even the whole country (17.9 million residents, 342\n"
    "municipalities) fits in memory. Prints counts, the time taken and the peak memory.\n"
    "\n"
    "  --residents N               total residents, 1 to 100000000 (required)\n"
    "  --seed S                    seed, 0 to 18446744073709551615 (required)\n"
    "  --municipalities M          1 to 9999, at most N (default 1)\n"
    "  --format F                  json, binary or both (directory output; default binary)\n"
    "  --needs-per-100 X           open needs per 100 residents, 0 to 100 (default 4)\n"
    "  --offers-per-1000 X         collective offers per 1000 residents, 0 to 100 (default 4)\n"
    "  --professionals-per-10000 X professionals per 10000 residents, 0 to 1000 (default 6)\n"
    "\n"
    "Exit codes: 0 success, 2 invalid usage or an output that cannot be written, 1 internal error.\n";

int usage_error(std::ostream& err, std::string_view message) {
  err << "wijkmatch: " << message << "\n\n" << generate_usage;
  return 2;
}

template <class T>
std::optional<T> parse_integer(std::string_view text, T lo, T hi) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) return std::nullopt;
  return value;
}

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
  if (wants_help(args)) {
    out << generate_usage;
    return 0;
  }
  GenerateOptions options;
  bool have_residents = false, have_seed = false;
  std::optional<ModelFileFormat> format;
  std::string_view target;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--residents") {
      const auto v = value();
      const auto n = v ? parse_integer<std::int64_t>(*v, 1, 100'000'000) : std::nullopt;
      if (!n) return usage_error(err, "--residents needs a number from 1 to 100000000");
      options.residents = *n;
      have_residents = true;
    } else if (a == "--seed") {
      const auto v = value();
      const auto n = v ? parse_integer<std::uint64_t>(*v, 0, UINT64_MAX) : std::nullopt;
      if (!n) return usage_error(err, "--seed needs a number from 0 to 18446744073709551615");
      options.seed = *n;
      have_seed = true;
    } else if (a == "--municipalities") {
      const auto v = value();
      const auto n = v ? parse_integer<int>(*v, 1, 9999) : std::nullopt;
      if (!n) return usage_error(err, "--municipalities needs a number from 1 to 9999");
      options.municipalities = *n;
    } else if (a == "--format") {
      const auto v = value();
      if (v == "json")
        format = ModelFileFormat::json;
      else if (v == "binary")
        format = ModelFileFormat::binary;
      else if (v == "both")
        format = ModelFileFormat::both;
      else
        return usage_error(err, "--format needs json, binary or both");
    } else if (a == "--needs-per-100" || a == "--offers-per-1000" || a == "--professionals-per-10000") {
      const double hi = a == "--professionals-per-10000" ? 1000 : 100;
      const auto v = value();
      const auto x = v ? parse_rate(*v, hi) : std::nullopt;
      if (!x) return usage_error(err, std::string(a) + " needs a number from 0 to " + (hi == 100 ? "100" : "1000"));
      (a == "--needs-per-100"     ? options.needs_per_100
       : a == "--offers-per-1000" ? options.offers_per_1000
                                  : options.professionals_per_10000) = *x;
    } else if (a.starts_with("-")) {
      return usage_error(err, "unknown option " + std::string(a));
    } else if (target.empty()) {
      target = a;
    } else {
      return usage_error(err, "more than one OUT");
    }
  }
  if (!have_residents) return usage_error(err, "missing --residents N");
  if (!have_seed) return usage_error(err, "missing --seed S");
  if (target.empty()) return usage_error(err, "missing OUT");
  if (options.residents < options.municipalities)
    return usage_error(err, "--residents must be at least --municipalities");

  const std::filesystem::path path{std::string(target)};
  const bool single_json = path.extension() == ".json", single_binary = path.extension() == ".wjm";
  if ((single_json && format && *format != ModelFileFormat::json) ||
      (single_binary && format && *format != ModelFileFormat::binary))
    return usage_error(err, "--format does not match the extension of OUT (" + path.extension().string() + ")");
  try {
    GenerateReport report;
    if (single_json || single_binary) {
      const auto start = std::chrono::steady_clock::now();
      const Model model = generate(options);
      if (single_json)
        save_model(model, path);
      else
        save_model_binary(model, path);
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
    print_report(out, report, path.string());
    return 0;
  } catch (const InvalidArgument& e) {
    // Generator options out of range are usage errors; everything else is handled by run().
    return usage_error(err, e.what());
  }
}

}  // namespace wijkmatch::cli
