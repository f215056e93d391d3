// `wijkmatch rank` and `wijkmatch plan`.
#include <algorithm>
#include <charconv>
#include <iostream>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/plan.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch::cli {
namespace {

constexpr std::string_view rank_usage =
    "usage: wijkmatch rank FILE [--need KEY]... [--policy FILE] [--json] [--threads N]\n"
    "\n"
    "Ranks the options for each open need (or only the needs given with --need), collective\n"
    "first, with the reasons a professional can read out and the candidates that were not\n"
    "suitable with the first condition that failed. An individual option leads only when an\n"
    "exception rule of the policy fired; the rule is named. --policy defaults to the built-in\n"
    "policy (schema/policy-default.json). --json prints {\"rankings\": [...]} (docs/ranking.md).\n";

constexpr std::string_view plan_usage =
    "usage: wijkmatch plan FILE --household KEY [--policy FILE] [--json]\n"
    "\n"
    "One integral plan for a household: every open need ranked, needs that one collective offer\n"
    "covers together combined, and one coordinating professional chosen by work area,\n"
    "language, specialism and free caseload, with the reasons.\n";

struct Common {
  std::string_view file;
  std::optional<std::string> policy_file;
  bool json = false;
  int threads = 0;
  std::vector<std::string_view> needs;
  std::optional<std::string_view> household;
};

int usage_error(std::ostream& err, std::string_view message, std::string_view usage) {
  err << "wijkmatch: " << message << "\n\n" << usage;
  return 2;
}

std::optional<int> parse_args(Args args, Common& c, std::ostream& err, std::string_view usage, bool is_plan) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto a = args[i];
    auto value = [&](std::string_view name) -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      (void)name;
      return args[++i];
    };
    if (a == "--json") {
      c.json = true;
    } else if (a == "--policy") {
      auto v = value(a);
      if (!v) return usage_error(err, "--policy needs a FILE", usage);
      c.policy_file = std::string(*v);
    } else if (a == "--need" && !is_plan) {
      auto v = value(a);
      if (!v) return usage_error(err, "--need needs a KEY", usage);
      c.needs.push_back(*v);
    } else if (a == "--threads" && !is_plan) {
      auto v = value(a);
      int n = 0;
      if (!v || std::from_chars(v->data(), v->data() + v->size(), n).ec != std::errc() || n < 0 || n > 1024)
        return usage_error(err, "--threads needs a number from 0 to 1024", usage);
      c.threads = n;
    } else if (a == "--household" && is_plan) {
      auto v = value(a);
      if (!v) return usage_error(err, "--household needs a KEY", usage);
      c.household = *v;
    } else if (a.starts_with("-")) {
      return usage_error(err, "unknown option " + std::string(a), usage);
    } else if (c.file.empty()) {
      c.file = a;
    } else {
      return usage_error(err, "more than one FILE", usage);
    }
  }
  if (c.file.empty()) return usage_error(err, "missing FILE", usage);
  if (is_plan && !c.household) return usage_error(err, "missing --household KEY", usage);
  return std::nullopt;
}

}  // namespace

int rank_command(Args args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << rank_usage;
    return 0;
  }
  Common c;
  if (auto code = parse_args(args, c, err, rank_usage, false)) return *code;
  Model model;
  Policy policy;
  if (auto code = load_inputs(c.file, c.policy_file, model, policy, err)) return *code;
  Ranker ranker(model, policy);
  std::vector<Ranking> rankings;
  if (c.needs.empty()) {
    rankings = ranker.rank_all(c.threads);
  } else {
    for (auto key : c.needs) {
      auto id = model.find_need(key);
      if (!id) {
        err << "--need: unknown need \"" << key << "\"\n";
        return 2;
      }
      rankings.push_back(ranker.rank(*id));
    }
  }
  out << (c.json ? rankings_to_json(model, rankings) : rankings_to_text(model, rankings));
  return 0;
}

int plan_command(Args args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << plan_usage;
    return 0;
  }
  Common c;
  if (auto code = parse_args(args, c, err, plan_usage, true)) return *code;
  Model model;
  Policy policy;
  if (auto code = load_inputs(c.file, c.policy_file, model, policy, err)) return *code;
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
