// `wijkmatch plan-start-meetings`.
#include <charconv>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/start_meetings.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view start_meetings_usage =
    "usage: wijkmatch plan-start-meetings FILE --weeks N --capacity C [--per-week M] [--presenters K]\n"
    "                                     [--since DATE] [--last-days D] [--today DATE] [--resident KEY]...\n"
    "                                     [--venue KEY]... [--method auto|exact|heuristic] [--json]\n"
    "\n"
    "Plans start meetings (Samen Welkom) over N weeks: at most M a week, no day-part twice in a\n"
    "week, C invitees each, at collective offers' locations. Chooses day-parts and venues so that\n"
    "as many invitees as possible can come (availability, travel distance, language), assigns\n"
    "them by key, and picks K offers per meeting that cover most of its invitees' needs.\n"
    "Invitees: residents with an open need since DATE or in the last D days before --today (by\n"
    "default the latest need date in FILE), and the residents named with --resident; with none\n"
    "of these, every resident with an open need. Exact at neighbourhood size, proven or not in\n"
    "the output (docs/groups.md). Exit 0, or 2 for invalid input or usage.\n";

// YYYY-MM-DD, a real calendar date.
std::optional<Date> parse_day(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned mo = 0, d = 0;
  auto number = [&](std::size_t at, std::size_t len, auto& v) {
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, v);
    return ec == std::errc() && end == text.data() + at + len;
  };
  if (!number(0, 4, y) || !number(5, 2, mo) || !number(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

}  // namespace

int start_meetings_command(Args args, std::ostream& out, std::ostream& err) {
  std::string file;
  bool json = false;
  StartMeetingOptions options;
  std::size_t max_bytes = default_max_input_bytes;
  std::vector<std::string> residents, venues;
  CommandLine command_line("plan-start-meetings", start_meetings_usage);
  command_line.add_positional("FILE", file);
  command_line.add_integer("--weeks", "N", options.weeks, 1, 52);
  command_line.add_integer("--capacity", "C", options.capacity, 1, 10000);
  command_line.add_integer("--per-week", "M", options.per_week, 1, 21);
  command_line.add_integer("--presenters", "K", options.presenters, 0, 50);
  auto add_date = [&](std::string_view name, std::optional<Date>& target) {
    command_line.add_value(name, "DATE", std::string(name) + " needs a date YYYY-MM-DD",
                           [&target](const std::string& v) {
                             target = parse_day(v);
                             return target.has_value();
                           });
  };
  add_date("--since", options.since);
  add_date("--today", options.today);
  command_line.add_value("--last-days", "D", "--last-days needs a number from 0 to 36500", [&](const std::string& v) {
    int days = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), days);
    if (ec != std::errc() || end != v.data() + v.size() || days < 0 || days > 36500) return false;
    options.last_days = days;
    return true;
  });
  command_line.add_repeated("--resident", "KEY", residents, "--resident needs a resident KEY");
  command_line.add_repeated("--venue", "KEY", venues, "--venue needs an offer KEY");
  command_line.add_value("--method", "HOW", "--method must be auto, exact or heuristic", [&](const std::string& v) {
    const auto method = parse_start_meeting_method(v);
    if (method) options.method = *method;
    return method.has_value();
  });
  command_line.add_flag("--json", json);
  add_max_input_bytes(command_line, max_bytes);
  command_line.require("--weeks");
  command_line.require("--capacity");
  if (auto code = command_line.parse(args, out, err)) return *code;
  Model model;
  if (auto code = load_model_file(file, max_bytes, model, err)) return *code;
  for (const auto& key : residents) {
    const auto id = model.find_resident(key);
    if (!id) return command_line.usage_error(err, "--resident: no resident with key " + key);
    options.residents.push_back(*id);
  }
  for (const auto& key : venues) {
    const auto id = model.find_offer(key);
    if (!id) return command_line.usage_error(err, "--venue: no offer with key " + key);
    options.venues.push_back(*id);
  }
  // An Error (the exact method's work limit) goes to run(), which prints it and exits 2.
  const StartMeetingPlan plan = plan_start_meetings(model, options);
  out << (json ? start_meetings_to_json(model, plan) : start_meetings_to_text(model, plan));
  return 0;
}

}  // namespace wijkmatch::cli
