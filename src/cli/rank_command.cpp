// `wijkmatch rank` and `wijkmatch plan`.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/plan.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view rank_usage =
    "usage: wijkmatch rank FILE [--need KEY]... [--policy FILE] [--json] [--threads N] [--journal FILE]\n"
    "                      [--top N | --all] [--quiet]\n"
    "\n"
    "Ranks the options for each open need (or only the needs given with --need), collective\n"
    "first, with the reasons a professional can read out, and counts the candidates that were\n"
    "not suitable by the first condition that failed. An individual option leads only when an\n"
    "exception rule of the policy fired; the rule is named. --top N shows the first N options\n"
    "(default 5, 0 = all); --all shows every option and every unsuitable candidate with its\n"
    "reason. --policy defaults to the built-in\n"
    "policy (schema/policy-default.json). --json prints {\"rankings\": [...]} (docs/ranking.md).\n"
    "--journal ranks on the live state: the model with the events `wijkmatch apply` journaled\n"
    "(seats taken, needs opened, options declined), one need after the other.\n"
    "Progress goes to stderr (a bar on a terminal, a few lines otherwise); --quiet turns it off.\n";

constexpr std::string_view plan_usage =
    "usage: wijkmatch plan FILE --household KEY [--policy FILE] [--json]\n"
    "\n"
    "One integral plan for a household: every open need ranked, needs that one collective offer\n"
    "covers together combined, and one coordinating professional chosen by work area,\n"
    "language, specialism and free caseload, with the reasons.\n";

// The arguments of rank and plan.
struct Common {
  std::string file;
  std::optional<std::string> policy_file;
  bool json = false;
  int threads = 0;
  std::vector<std::string> needs;
  std::optional<std::string> household;
  std::optional<std::string> journal;
  std::size_t top = RankRequest{}.top;
  bool all = false;
  RankRequest request() const { return all ? RankRequest::full() : RankRequest{top, false}; }
  std::size_t max_bytes = default_max_input_bytes;
  bool quiet = false;
};

/// rank --journal: the needs on the live state of the engine the journal restores.
int rank_live(const Common& c, std::ostream& out, std::ostream& err) {
  std::optional<Engine> engine;
  if (auto code = open_journal(c.file, c.policy_file, *c.journal, false, {}, engine, err, c.max_bytes)) return *code;
  // A single-threaded program: nothing applies events while model() is read.
  const Model& model = engine->model();
  std::vector<Ranking> rankings;
  if (c.needs.empty()) {
    std::vector<NeedId> open;
    for (std::uint32_t n = 0; n < model.needs.size(); ++n)
      if (model.needs[n].status != NeedStatus::closed) open.emplace_back(n);
    ProgressReporter progress(err, c.quiet);
    const auto total = static_cast<std::int64_t>(open.size());
    for (std::size_t i = 0; i < open.size(); ++i) {
      rankings.push_back(engine->rank(open[i], c.request()));
      if ((i + 1) % 256 == 0 || i + 1 == open.size()) progress.report("rank", static_cast<std::int64_t>(i) + 1, total);
    }
  } else {
    for (const auto& key : c.needs) {
      if (!model.find_need(key)) {
        err << "--need: unknown need \"" << key << "\"\n";
        return 2;
      }
      rankings.push_back(engine->rank(key, c.request()));
    }
  }
  out << (c.json ? rankings_to_json(model, rankings) : rankings_to_text(model, rankings));
  return 0;
}

}  // namespace

int rank_command(Args args, std::ostream& out, std::ostream& err) {
  Common c;
  CommandLine command_line("rank", rank_usage);
  add_model_arguments(command_line, c.file, c.policy_file, c.json);
  add_max_input_bytes(command_line, c.max_bytes);
  add_quiet(command_line, c.quiet);
  command_line.add_repeated("--need", "KEY", c.needs, "--need needs a KEY");
  add_threads(command_line, c.threads);
  command_line.add_text("--journal", "FILE", c.journal, "--journal needs a FILE");
  command_line.add_integer<std::size_t>("--top", "N", c.top, 0, 1000000, "options shown per need (default 5, 0 = all)");
  command_line.add_flag("--all", c.all);
  if (auto code = command_line.parse(args, out, err)) return *code;
  if (c.journal) return rank_live(c, out, err);
  Model model;
  Policy policy;
  if (auto code = load_inputs(c.file, c.policy_file, model, policy, err, c.max_bytes)) return *code;
  Ranker ranker(model, policy);
  std::vector<Ranking> rankings;
  if (c.needs.empty()) {
    ProgressReporter progress(err, c.quiet);
    rankings = ranker.rank_all(c.threads, progress.callback(), c.request());
  } else {
    for (auto key : c.needs) {
      auto id = model.find_need(key);
      if (!id) {
        err << "--need: unknown need \"" << key << "\"\n";
        return 2;
      }
      rankings.push_back(ranker.rank(*id, c.request()));
    }
  }
  out << (c.json ? rankings_to_json(model, rankings) : rankings_to_text(model, rankings));
  return 0;
}

int plan_command(Args args, std::ostream& out, std::ostream& err) {
  Common c;
  CommandLine command_line("plan", plan_usage);
  add_model_arguments(command_line, c.file, c.policy_file, c.json);
  add_max_input_bytes(command_line, c.max_bytes);
  command_line.add_text("--household", "KEY", c.household, "--household needs a KEY");
  command_line.require("--household");
  if (auto code = command_line.parse(args, out, err)) return *code;
  Model model;
  Policy policy;
  if (auto code = load_inputs(c.file, c.policy_file, model, policy, err, c.max_bytes)) return *code;
  auto hh = model.find_household(*c.household);
  if (!hh) {
    err << "--household: unknown household \"" << *c.household << "\"\n";
    return 2;
  }
  const HouseholdPlan p = plan(Ranker(model, policy), *hh);
  out << (c.json ? plan_to_json(model, p) : plan_to_text(model, p));
  return 0;
}

}  // namespace wijkmatch::cli
