// `wijkmatch monitor`: the monitor report (monitor.hpp) with disclosure control, as text,
// JSON or CSV, and PNG plots through Python.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/monitor_plot_script.hpp"
#include "cli/python_plot.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/monitor.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view monitor_usage =
    "usage: wijkmatch monitor FILE [--journal J] [--policy FILE] [--period week|month] [--periods N]\n"
    "                         [--level bu|wk|gm] [--as-of YYYY-MM-DD] [--threshold N] [--round N]\n"
    "                         [--min-cases N] [--unsafe-raw] [--json|--csv] [--plot DIR]\n"
    "\n"
    "Monitoring figures per neighbourhood (BU), district (WK) and municipality (GM) and per\n"
    "week or month: open needs by life domain and severity, support by ladder level, cost,\n"
    "households with two or more individual provisions, needs served, equity by first\n"
    "language, age band and household type; with --journal (the live engine's journal, as\n"
    "`apply --journal` writes it) also referrals and their outcomes, lead times and cost per\n"
    "trajectory. Definitions: docs/monitoring.md.\n"
    "\n"
    "Disclosure control comes first: counts are rounded to multiples of --round (5), counts\n"
    "under --threshold (5) are suppressed and further cells are suppressed so that none can be\n"
    "computed back from totals or the BU -> WK -> GM hierarchy; medians and percentiles need\n"
    "--min-cases (10) cases. --unsafe-raw prints raw figures and warns on stderr.\n"
    "--plot DIR writes PNG plots through Python 3 with matplotlib ($WIJKMATCH_PYTHON, default\n"
    "/usr/bin/python3). Exit 0, 2 for invalid input, 1 when plotting fails.\n";

std::optional<Date> parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char a = 0, b = 0;
  std::istringstream in(text);
  if (text.size() != 10 || !(in >> y >> a >> m >> b >> d) || a != '-' || b != '-') return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

}  // namespace

int monitor_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  std::optional<std::string> journal, policy_file, plot_dir, as_of_text;
  bool as_json = false, as_csv = false, unsafe_raw = false;
  MonitorOptions options;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("monitor", monitor_usage);
  command_line.add_positional("FILE", file);
  command_line.add_text("--journal", "J", journal, "--journal needs a FILE",
                        "the live engine's journal for FILE: referrals, outcomes, lead times");
  command_line.add_text("--policy", "FILE", policy_file, "--policy needs a FILE",
                        "the policy the journal was written with");
  command_line.add_value(
      "--period", "week|month", "--period must be week or month",
      [&options](const std::string& v) {
        options.period = v == "week" ? MonitorPeriod::week : MonitorPeriod::month;
        return v == "week" || v == "month";
      },
      "flow figures per week or per month (default month)");
  command_line.add_integer("--periods", "N", options.periods, 1, 520, "how many periods up to the reference date (12)");
  command_line.add_value(
      "--level", "bu|wk|gm", "--level must be bu, wk or gm",
      [&options](const std::string& v) {
        options.level = v == "gm"   ? AreaLevel::municipality
                        : v == "wk" ? AreaLevel::district
                                    : AreaLevel::neighbourhood;
        return v == "bu" || v == "wk" || v == "gm";
      },
      "the finest area level (default bu)");
  command_line.add_text("--as-of", "YYYY-MM-DD", as_of_text, "--as-of needs a date",
                        "reference date (default: the latest date in the data)");
  command_line.add_integer("--threshold", "N", options.disclosure.threshold, 1LL, 1000000LL,
                           "counts under N are suppressed (5)");
  command_line.add_integer("--round", "N", options.disclosure.rounding, 1LL, 1000000LL,
                           "counts are rounded to multiples of N (5; 1 = none)");
  command_line.add_integer("--min-cases", "N", options.disclosure.min_cases, 1LL, 1000000LL,
                           "medians and percentiles over at least N cases (10)");
  command_line.add_flag("--unsafe-raw", unsafe_raw);
  command_line.add_flag("--json", as_json);
  command_line.add_flag("--csv", as_csv);
  command_line.add_text("--plot", "DIR", plot_dir, "--plot needs a DIR", "write PNG plots into DIR");
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  if (as_json && as_csv) return command_line.usage_error(err, "--json and --csv exclude each other");
  if (as_of_text) {
    options.as_of = parse_date(*as_of_text);
    if (!options.as_of) return command_line.usage_error(err, "--as-of must be a date YYYY-MM-DD");
  }
  options.disclosure.unsafe_raw = unsafe_raw;
  if (unsafe_raw)
    err << "wijkmatch monitor: WARNING: --unsafe-raw prints raw figures without rounding or suppression; small "
           "counts can identify households. Do not publish or share them.\n";

  MonitorReport report;
  try {
    if (journal) {
      std::optional<Engine> engine;
      if (auto code = open_journal(file, policy_file, *journal, false, {}, engine, err, max_bytes)) return *code;
      report = monitor(*engine, options);
    } else {
      Model model;
      Policy policy;
      if (auto code = load_inputs(file, policy_file, model, policy, err, max_bytes)) return *code;
      report = monitor(model, options);
    }
  } catch (const InputError& e) {
    print_problems(err, e.problems());
    return 2;
  }
  const std::string json = to_json(report);
  out << (as_json ? json : as_csv ? to_csv(report) : to_text(report));
  if (plot_dir) return run_plot_script(monitor_plot_script, "monitor_plot.py", json, *plot_dir, err);
  return 0;
}

}  // namespace wijkmatch::cli
