// `wijkmatch apply` and `wijkmatch audit`: the live engine (engine.hpp) on the command line.
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view apply_usage =
    "usage: wijkmatch apply MODEL EVENTS [--journal FILE] [--policy FILE] [--sync full|normal]\n"
    "                       [--snapshot-every N] [--batch N]\n"
    "\n"
    "Applies the events in EVENTS (JSON Lines, one event a line, blank lines skipped; '-' reads\n"
    "standard input; schema/wijkmatch-events-v1.schema.json) to the neighbourhood in MODEL, in\n"
    "order. With --journal the events go into the journal FILE (created when missing; it must\n"
    "have been written for this MODEL and policy), after the events it holds already; without\n"
    "it the engine runs in memory, which checks a file of events. An event whose id was applied\n"
    "before is a duplicate and changes nothing, so a file may be applied again after a crash.\n"
    "\n"
    "The first refused event stops the run: `line N: event ID: POINTER: reason` on stderr,\n"
    "exit 2. Nothing from that line on is applied; the lines before it stay applied (and\n"
    "journaled). Prints on stdout, also when stopped, one JSON object: {\"events\", \"applied\",\n"
    "\"duplicates\", \"sequence\", \"checksum\", \"durable\", \"refused_line\"} (docs/cli.md).\n";

constexpr std::string_view audit_usage =
    "usage: wijkmatch audit MODEL --journal FILE --need KEY [--policy FILE]\n"
    "\n"
    "Prints the whole history of a need as JSON: its events, the referrals with their steps,\n"
    "outcomes, decline and ending reasons and the account of every step up the ladder, and the\n"
    "reads of its household's plan. Keys only. The journal holds the events and a digest of the\n"
    "model and policy they apply to, not the model itself: MODEL (and --policy, when the events\n"
    "were applied with one) must be those of `wijkmatch apply`.\n";

std::string hex16(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 15];
  return out;
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

struct Totals {
  std::int64_t events = 0, applied = 0, duplicates = 0;
  std::optional<std::size_t> refused_line;
};

/// Applies a batch of lines in one apply_all (one journal commit). When an event is refused,
/// finds its line by applying the batch again one event at a time: what apply_all applied
/// before the refusal is a duplicate now and the refused event is refused again, by the same
/// state, with the same error. Returns false when an event was refused (message printed).
bool apply_batch(Engine& engine, const std::vector<std::string>& events, const std::vector<std::size_t>& lines,
                 Totals& totals, std::ostream& err) {
  if (events.empty()) return true;
  const std::int64_t before = engine.sequence();
  try {
    for (const Applied& a : engine.apply_all(events)) ++(a.duplicate ? totals.duplicates : totals.applied);
    totals.events += static_cast<std::int64_t>(events.size());
    return true;
  } catch (const EventError&) {
    const std::int64_t applied = engine.sequence() - before;
    for (std::size_t i = 0; i < events.size(); ++i) {
      try {
        if (!engine.apply(events[i]).duplicate)
          throw StateError("line " + std::to_string(lines[i]) + " was applied when retried after a refused event");
      } catch (const EventError& e) {
        totals.events += static_cast<std::int64_t>(i);
        totals.applied += applied;
        totals.duplicates += static_cast<std::int64_t>(i) - applied;
        totals.refused_line = lines[i];
        err << "line " << lines[i] << ": " << e.what() << "\n";
        return false;
      }
    }
    throw StateError("a refused event was accepted when retried");
  }
}

void print_totals(std::ostream& out, const Totals& t, const Engine& engine) {
  out << "{\"events\": " << t.events << ", \"applied\": " << t.applied << ", \"duplicates\": " << t.duplicates
      << ", \"sequence\": " << engine.sequence() << ", \"checksum\": \"" << hex16(engine.state_checksum())
      << "\", \"durable\": " << (engine.durable() ? "true" : "false")
      << ", \"refused_line\": " << (t.refused_line ? std::to_string(*t.refused_line) : "null") << "}\n";
}

}  // namespace

int apply_command(Args args, std::ostream& out, std::ostream& err) {
  std::string model_file, events_file;
  std::optional<std::string> policy_file, journal, sync;
  std::int64_t snapshot_every = 0;
  std::size_t batch = 1000;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("apply", apply_usage);
  command_line.add_positional("MODEL", model_file);
  command_line.add_positional("EVENTS", events_file);
  command_line.add_text("--journal", "FILE", journal, "--journal needs a FILE",
                        "the journal to append to (created when missing); without it, in memory");
  command_line.add_text("--policy", "FILE", policy_file, "--policy needs a FILE", "the policy (default: built in)");
  command_line.add_value(
      "--sync", "full|normal", "--sync must be full or normal",
      [&sync](const std::string& v) {
        sync = v;
        return v == "full" || v == "normal";
      },
      "what a journal commit survives: full (power loss) or normal (a crash of the process)");
  command_line.add_integer("--snapshot-every", "N", snapshot_every, std::int64_t{0}, std::int64_t{1'000'000'000},
                           "a snapshot after every N events (0: none), bounding the replay on open");
  command_line.add_integer("--batch", "N", batch, std::size_t{1}, std::size_t{1'000'000},
                           "events per journal commit (default 1000)");
  add_max_input_bytes(command_line, max_bytes);
  if (auto code = command_line.parse(args, out, err)) return *code;
  if (!journal && (sync || snapshot_every > 0))
    return command_line.usage_error(err, (sync ? "--sync" : "--snapshot-every") + std::string(" needs --journal"));

  std::string text;
  try {
    text = read_input(events_file, max_bytes);
  } catch (const InputTooLarge& e) {
    err << events_file << ": " << too_large_message(e, false) << "\n";
    return 2;
  } catch (const InputError& e) {
    for (const auto& p : e.problems()) err << events_file << ": " << p.reason << "\n";
    return 2;
  }

  std::optional<Engine> engine;
  EngineOptions options;
  options.sync_full = !sync || *sync == "full";
  options.snapshot_every = snapshot_every;
  if (journal) {
    if (auto code = open_journal(model_file, policy_file, *journal, true, std::move(options), engine, err, max_bytes))
      return *code;
  } else {
    Model model;
    if (auto code = load_inputs(model_file, policy_file, model, options.policy, err, max_bytes)) return *code;
    engine.emplace(std::move(model), std::move(options));
  }

  Totals totals;
  std::vector<std::string> events;
  std::vector<std::size_t> lines;
  std::size_t line = 0;
  bool refused = false;
  for (std::size_t start = 0; start < text.size() && !refused;) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view event(text.data() + start, end - start);
    ++line;
    start = end + 1;
    if (blank(event)) continue;
    events.emplace_back(event);
    lines.push_back(line);
    if (events.size() == batch) {
      refused = !apply_batch(*engine, events, lines, totals, err);
      events.clear();
      lines.clear();
    }
  }
  if (!refused) refused = !apply_batch(*engine, events, lines, totals, err);
  print_totals(out, totals, *engine);
  return refused ? 2 : 0;
}

int audit_command(Args args, std::ostream& out, std::ostream& err) {
  std::string model_file;
  std::optional<std::string> policy_file, journal, need;
  std::size_t max_bytes = default_max_input_bytes;
  CommandLine command_line("audit", audit_usage);
  command_line.add_positional("MODEL", model_file);
  command_line.add_text("--journal", "FILE", journal, "--journal needs a FILE", "the journal `apply` wrote");
  command_line.add_text("--need", "KEY", need, "--need needs a KEY", "the need whose history to print");
  command_line.add_text("--policy", "FILE", policy_file, "--policy needs a FILE", "the policy `apply` used");
  add_max_input_bytes(command_line, max_bytes);
  command_line.require("--journal");
  command_line.require("--need");
  if (auto code = command_line.parse(args, out, err)) return *code;
  std::optional<Engine> engine;
  if (auto code = open_journal(model_file, policy_file, *journal, false, {}, engine, err, max_bytes)) return *code;
  if (!engine->model().find_need(*need)) {
    err << "--need: unknown need \"" << *need << "\"\n";
    return 2;
  }
  out << engine->audit_json(*need) << "\n";
  return 0;
}

}  // namespace wijkmatch::cli
