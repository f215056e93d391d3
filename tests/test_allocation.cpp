// Allocation: capacities, lexicographic optimality (checked against LEMON and by exchange
// arguments), group minimum sizes, stability, online mode, determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <numeric>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/ranking.hpp"

#ifdef WIJKMATCH_HAVE_LEMON
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#endif

using namespace wijkmatch;

namespace {

Model scarce_neighbourhood(std::uint64_t seed, std::int64_t residents = 3000) {
  GenerateOptions g;
  g.residents = residents;
  g.seed = seed;
  g.needs_per_100 = 12;  // more needs than places: allocation has to choose
  g.offers_per_1000 = 2;
  g.professionals_per_10000 = 4;
  return generate(g);
}

// A scarce neighbourhood allocated in one mode: the model, its candidates and the result.
struct ModeRun {
  Model model;
  AllocationCandidates candidates;
  AllocationResult result;
};
ModeRun run_mode(std::uint64_t seed, AllocationMode mode) {
  ModeRun run{scarce_neighbourhood(seed), {}, {}};
  AllocateOptions opt;
  opt.mode = mode;
  run.candidates = allocation_candidates(run.model, opt);
  run.result = allocate(run.model, opt);
  return run;
}

std::vector<int> usage(const AllocationCandidates& c, const AllocationResult& r) {
  std::vector<int> used(c.resources.size(), 0);
  for (const auto& a : r.assignments)
    if (a.served) ++used[c.candidates.at(static_cast<std::size_t>(a.candidate)).resource];
  return used;
}

void check_capacities(const AllocationCandidates& c, const AllocationResult& r) {
  const auto used = usage(c, r);
  for (std::size_t k = 0; k < c.resources.size(); ++k) CHECK(used[k] <= c.resources[k].capacity);
  for (const auto& a : r.assignments) {
    if (!a.served) continue;
    const auto& cand = c.candidates.at(static_cast<std::size_t>(a.candidate));
    CHECK(c.needs[cand.slot] == a.need);
    CHECK(cand.level == a.level);
  }
}

#ifdef WIJKMATCH_HAVE_LEMON
// Solves a wijkmatch MinCostFlow network with LEMON's network simplex; nullopt if infeasible.
std::optional<long long> lemon_cost(const MinCostFlow& net) {
  lemon::SmartDigraph g;
  std::vector<lemon::SmartDigraph::Node> nodes;
  for (MinCostFlow::NodeIndex v = 0; v < net.node_count(); ++v) nodes.push_back(g.addNode());
  lemon::SmartDigraph::ArcMap<long long> lower(g), upper(g), cost(g);
  lemon::SmartDigraph::NodeMap<long long> supply(g);
  for (MinCostFlow::NodeIndex v = 0; v < net.node_count(); ++v)
    supply[nodes[static_cast<std::size_t>(v)]] = net.supply(v);
  for (MinCostFlow::ArcIndex a = 0; a < net.arc_count(); ++a) {
    auto arc = g.addArc(nodes[static_cast<std::size_t>(net.tail(a))], nodes[static_cast<std::size_t>(net.head(a))]);
    lower[arc] = net.lower(a);
    upper[arc] = net.upper(a);
    cost[arc] = net.cost(a);
  }
  lemon::NetworkSimplex<lemon::SmartDigraph, long long, long long> ns(g);
  ns.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
  if (ns.run() != decltype(ns)::OPTIMAL) return std::nullopt;
  return ns.totalCost<long long>();
}
#endif

}  // namespace

TEST_CASE("optimal allocation: capacities, ladder priority, exchange optimality, peer cost", "[allocation][property]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    const Model m = scarce_neighbourhood(seed);
    AllocateOptions opt;
    opt.group_minimum = GroupMinimum::ignore;
    const auto cands = allocation_candidates(m, opt);
    const auto r = allocate(m, opt);
    REQUIRE(r.assignments.size() == cands.needs.size());
    REQUIRE(r.objective.needs > 100);
    CHECK(r.objective.served < r.objective.needs);  // scarce by construction: someone waits
    check_capacities(cands, r);
    const auto used = usage(cands, r);
    // No need could move to a resource with room left and gain (fewer steps, or the same
    // steps and a better score): a free collective seat never sits next to a need that
    // accepts it but got a higher ladder level.
    for (std::size_t s = 0; s < cands.needs.size(); ++s) {
      const auto& a = r.assignments[s];
      const int my_steps =
          a.served ? cands.candidates[static_cast<std::size_t>(a.candidate)].steps : unserved_ladder_steps;
      const int my_score = a.served ? cands.candidates[static_cast<std::size_t>(a.candidate)].score_milli : 0;
      for (auto i = cands.first[s]; i < cands.first[s + 1]; ++i) {
        const auto& c = cands.candidates[i];
        if (used[c.resource] >= cands.resources[c.resource].capacity) continue;
        CHECK(c.steps >= my_steps);
        if (c.steps == my_steps && a.served) CHECK(c.score_milli <= my_score);
      }
    }
    // Stage 1 equals LEMON's optimum on the exported network.
    long long steps = 0;
    for (const auto& a : r.assignments)
      steps += a.served ? cands.candidates[static_cast<std::size_t>(a.candidate)].steps : unserved_ladder_steps;
    CHECK(steps == r.objective.ladder_steps);
    const MinCostFlow net = allocation_network(m, opt);
#ifdef WIJKMATCH_HAVE_LEMON
    CHECK(lemon_cost(net) == std::optional<long long>(r.objective.ladder_steps));
#endif
    // The exported DIMACS network reads back identically.
    std::stringstream dimacs;
    write_dimacs(dimacs, net, "test");
    const MinCostFlow again = read_dimacs(dimacs);
    CHECK(again.arc_count() == net.arc_count());
    // Every waiting need has a reason and a position.
    CHECK(r.waiting.size() == static_cast<std::size_t>(r.objective.needs - r.objective.served));
    for (const auto& w : r.waiting) {
      CHECK(w.position >= 1);
      CHECK_FALSE(w.reason.empty());
    }
  }
}

TEST_CASE("lexicographic stages: score only breaks ties of ladder steps", "[allocation]") {
  // Brute force on small instances: enumerate every assignment of at most 7 needs.
  for (std::uint64_t seed = 10; seed < 40; ++seed) {
    const Model m = scarce_neighbourhood(seed, 250);
    AllocateOptions opt;
    opt.group_minimum = GroupMinimum::ignore;
    const auto c = allocation_candidates(m, opt);
    if (c.needs.empty() || c.needs.size() > 7) continue;
    INFO("seed " << seed << ", needs " << c.needs.size());
    std::vector<int> pick(c.needs.size(), -1), load(c.resources.size(), 0);
    std::tuple<long long, long long, long long> best{1LL << 60, 0, 0};
    std::function<void(std::size_t, long long, long long, long long)> go = [&](std::size_t s, long long st,
                                                                               long long sc, long long co) {
      if (s == c.needs.size()) {
        best = std::min(best, std::tuple(st, -sc, co));
        return;
      }
      go(s + 1, st + unserved_ladder_steps, sc, co);
      for (auto i = c.first[s]; i < c.first[s + 1]; ++i) {
        const auto& k = c.candidates[i];
        if (load[k.resource] >= c.resources[k.resource].capacity) continue;
        ++load[k.resource];
        go(s + 1, st + k.steps, sc + k.score_milli, co + k.cost);
        --load[k.resource];
      }
    };
    go(0, 0, 0, 0);
    const auto r = allocate(m, opt);
    CHECK(std::tuple(r.objective.ladder_steps, -r.objective.score_milli, r.objective.cost_per_month) == best);
  }
}

TEST_CASE("group minimum sizes: heuristic groups run or stay empty; exact is never worse", "[allocation][groups]") {
  int compared = 0, heuristic_optimal = 0;
  long long worst_step_gap = 0, total_steps = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    Model m = scarce_neighbourhood(seed, 1500);
    // Make groups fragile: minimum sizes above what is there now.
    int fragile = 0;
    for (auto& o : m.offers)
      if (o.level == LadderLevel::collective && fragile < 6) {
        o.min_group_size = std::min(o.seats, o.occupancy + 3);
        ++fragile;
      }
    AllocateOptions heuristic;
    const auto c = allocation_candidates(m, heuristic);
    const auto h = allocate(m, heuristic);
    check_capacities(c, h);
    for (const auto& u : h.offers) {
      const Offer& o = m[u.offer];
      if (o.min_group_size > o.occupancy) CHECK((u.runs || u.assigned == 0));
      if (u.runs) CHECK(o.occupancy + u.assigned >= o.min_group_size);
    }
    AllocateOptions exact;
    exact.group_minimum = GroupMinimum::exact;
    const auto e = allocate(m, exact);
    check_capacities(c, e);
    for (const auto& u : e.offers) {
      const Offer& o = m[u.offer];
      if (u.assigned > 0) CHECK(o.occupancy + u.assigned >= o.min_group_size);
    }
    const auto key = [](const AllocationResult& r) {
      return std::tuple(r.objective.ladder_steps, -r.objective.score_milli, r.objective.cost_per_month);
    };
    CHECK(key(e) <= key(h));
    ++compared;
    heuristic_optimal += key(e) == key(h);
    worst_step_gap = std::max(worst_step_gap, h.objective.ladder_steps - e.objective.ladder_steps);
    total_steps += e.objective.ladder_steps;
  }
  WARN("group minimum: heuristic optimal on " << heuristic_optimal << " of " << compared << " instances; worst gap "
                                              << worst_step_gap << " ladder steps (exact totals " << total_steps
                                              << " steps over all instances)");
  CHECK(compared > 0);
}

TEST_CASE("stable mode: no blocking pair by an independent check", "[allocation][stable]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto [m, c, r] = run_mode(seed, AllocationMode::stable);
    CHECK(r.blocking_pairs == 0);
    check_capacities(c, r);
    const auto used = usage(c, r);
    // Independent check: need s prefers resource k over its assignment (earlier in its list)
    // and k has room, or k holds a need of lower priority.
    std::vector<std::int64_t> worst(c.resources.size(), std::numeric_limits<std::int64_t>::min());
    for (const auto& a : r.assignments)
      if (a.served) {
        const auto& k = c.candidates[static_cast<std::size_t>(a.candidate)];
        worst[k.resource] = std::max(worst[k.resource], c.priority[k.slot]);
      }
    std::size_t blocking = 0;
    for (std::size_t s = 0; s < c.needs.size(); ++s) {
      const auto& a = r.assignments[s];
      for (auto i = c.first[s]; i < c.first[s + 1]; ++i) {
        const auto& k = c.candidates[i];
        if (a.served && static_cast<int>(i) >= a.candidate) break;  // not preferred
        if (a.served && c.candidates[static_cast<std::size_t>(a.candidate)].resource == k.resource) break;
        const bool room = used[k.resource] < c.resources[k.resource].capacity;
        if (room || (c.resources[k.resource].capacity > 0 && worst[k.resource] > c.priority[s])) ++blocking;
      }
    }
    CHECK(blocking == 0);
  }
}

TEST_CASE("online mode comes close to the hindsight optimum", "[allocation][online]") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto [m, c, r] = run_mode(seed, AllocationMode::online);
    check_capacities(c, r);
    REQUIRE(r.hindsight);
    CHECK(r.hindsight->needs > 0);
    AllocateOptions best;
    best.group_minimum = GroupMinimum::ignore;
    const auto optimal = allocate(m, best);
    CHECK(r.objective.ladder_steps >= optimal.objective.ladder_steps);  // online can't beat the optimum
    WARN("online seed " << seed << ": ladder steps " << r.objective.ladder_steps << " vs batch optimum "
                        << optimal.objective.ladder_steps << "; stream part optimum " << r.hindsight->ladder_steps);
  }
}

TEST_CASE("allocation is deterministic on any thread count", "[allocation][determinism]") {
  const Model m = scarce_neighbourhood(7);
  for (auto mode : {AllocationMode::optimal, AllocationMode::stable, AllocationMode::online}) {
    AllocateOptions one;
    one.mode = mode;
    one.threads = 1;
    AllocateOptions four = one;
    four.threads = 4;
    CHECK(allocation_to_json(m, allocate(m, one)) == allocation_to_json(m, allocate(m, four)));
  }
}

TEST_CASE("exceptions are honoured: the need gets individual support or waits", "[allocation][exceptions]") {
  const Model m = load_model(WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json");
  const auto r = allocate(m);
  for (const auto& a : r.assignments) {
    const Need& n = m[a.need];
    if ((n.crisis || n.severity == 1 || n.safety_report || n.rent_arrears_months >= 2) && a.served)
      CHECK((a.level == LadderLevel::individual || a.level == LadderLevel::specialist));
  }
  const std::string json = allocation_to_json(m, r);
  for (const char* field : {"\"assignments\"", "\"waiting\"", "\"offers\"", "\"seat_value\"", "\"professionals\""})
    CHECK(json.find(field) != std::string::npos);
}

TEST_CASE("options out of range and too many groups for the exact method are refused", "[allocation][errors]") {
  const Model m = load_model(WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json");
  auto message = [&](const AllocateOptions& opt) {
    try {
      (void)allocate(m, opt);
    } catch (const InvalidArgument& e) {
      return "InvalidArgument: " + std::string(e.what());
    } catch (const Error& e) {
      return "Error: " + std::string(e.what());
    }
    return std::string("no error");
  };
  for (double hours : {0.0, -1.0, 168.5, std::nan("")}) {
    AllocateOptions opt;
    opt.hours_per_informal_need = hours;
    CHECK(message(opt) == "InvalidArgument: allocate: hours_per_informal_need must be in (0, 168]");
  }
  for (double share : {-0.1, 1.5, std::nan("")}) {
    AllocateOptions opt;
    opt.online_history_share = share;
    CHECK(message(opt) == "InvalidArgument: allocate: online_history_share must be in [0, 1]");
  }
  for (int limit : {-1, 31, 64}) {  // 2^k combinations: a 32-bit mask
    AllocateOptions opt;
    opt.exact_group_limit = limit;
    CHECK(message(opt) == "InvalidArgument: allocate: exact_group_limit must be in [0, 30]");
  }
  // The town of the export test below has groups below their minimum size.
  const Model town = generate({.residents = 2000, .seed = 8});
  AllocateOptions exact;
  exact.group_minimum = GroupMinimum::exact;
  exact.exact_group_limit = 0;
  try {
    (void)allocate(town, exact);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Matches("allocate: [1-9][0-9]* groups below their minimum size; the exact method is "
                                        "limited to 0 \\(use the heuristic\\)"));
  }
}

TEST_CASE("progress is reported and a callback can stop the allocation", "[allocation][progress]") {
  const Model m = scarce_neighbourhood(3);
  std::mutex mutex;
  std::vector<std::pair<std::string, std::int64_t>> seen;
  AllocateOptions opt;
  opt.threads = 2;
  opt.progress = [&](std::string_view stage, std::int64_t done, std::int64_t total) {
    std::lock_guard lock(mutex);
    CHECK(done <= total);
    seen.emplace_back(std::string(stage), done);
    return true;
  };
  const auto full = allocate(m, opt);
  CHECK(std::any_of(seen.begin(), seen.end(), [](const auto& s) { return s.first == "rank"; }));
  CHECK(std::count_if(seen.begin(), seen.end(), [](const auto& s) { return s.first == "solve"; }) >= 3);

  AllocateOptions plain;
  CHECK(allocation_to_json(m, allocate(m, plain)) == allocation_to_json(m, full));  // progress changes nothing

  for (const char* stop_at : {"rank", "solve"}) {
    AllocateOptions stopping;
    stopping.threads = 2;
    stopping.progress = [stop_at](std::string_view stage, std::int64_t, std::int64_t) { return stage != stop_at; };
    CHECK_THROWS_AS(allocate(m, stopping), Cancelled);
  }
}

TEST_CASE("needs whose exception is not met are reported, with the ranking's reason",
          "[allocation][exceptions][unmet]") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    const Model m = scarce_neighbourhood(seed);
    AllocateOptions opt;
    const auto r = allocate(m, opt);
    // Independently: rank every open need, and take the fired exceptions that got nothing.
    const Ranker ranker(m, opt.policy);
    std::map<NeedId, Ranking> fired;
    for (auto& ranking : ranker.rank_all(1, {}, RankRequest::full()))
      if (ranking.exception && m[ranking.need].status == NeedStatus::open) fired.emplace(ranking.need, ranking);
    CHECK(r.exceptions == static_cast<int>(fired.size()));
    std::vector<NeedId> expected;
    for (const auto& a : r.assignments) {
      auto it = fired.find(a.need);
      if (it == fired.end()) continue;
      if (a.served)
        CHECK(opt.policy.rank_of(a.level) >= opt.policy.rank_of(it->second.exception->level));
      else
        expected.push_back(a.need);
    }
    REQUIRE(r.unmet_exceptions.size() == expected.size());
    int unmet_in_ranking = 0;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      const auto& u = r.unmet_exceptions[k];
      const FiredException& e = *fired.at(expected[k]).exception;
      CHECK(u.need == expected[k]);
      CHECK(u.rule == e.rule);
      CHECK(u.level == e.level);
      CHECK_FALSE(u.reason.empty());
      if (e.unmet) {
        ++unmet_in_ranking;
        REQUIRE(u.in_ranking);
        CHECK(*u.in_ranking == e.unmet->why);
        CHECK(u.reason == e.unmet->reason);
      } else {
        CHECK_FALSE(u.in_ranking);
      }
    }
    // Every exception the ranking could not meet waits (allocation has no place for it either,
    // unless basic care by a team professional is at or above the level; not so by default).
    CHECK(unmet_in_ranking == std::count_if(fired.begin(), fired.end(),
                                            [](const auto& f) { return f.second.exception->unmet.has_value(); }));
    const auto j = nlohmann::json::parse(allocation_to_json(m, r));
    CHECK(j["exceptions"]["fired"] == r.exceptions);
    CHECK(j["exceptions"]["unmet"].size() == r.unmet_exceptions.size());
    const std::string text = allocation_to_text(m, r);
    CHECK(text.find("\nExceptions: " + std::to_string(r.exceptions) + " open needs with an exception rule, " +
                    std::to_string(r.unmet_exceptions.size()) + " not met at the rule's level\n") != std::string::npos);
    for (const auto& u : r.unmet_exceptions)
      CHECK(text.find("  " + m[u.need].key + " (" + u.rule) != std::string::npos);
  }
  // The example: one safety report waits because the places went to needs of higher priority.
  const Model example = load_model(WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json");
  const auto text = allocation_to_text(example, allocate(example));
  CHECK(text.find("Exceptions: 4 open needs with an exception rule, 1 not met at the rule's level\n  N012 "
                  "(safety_report, individual): places_taken - ") != std::string::npos);
}

TEST_CASE("online mode: what the stream got and its hindsight optimum, on the same needs", "[allocation][online]") {
  // Defect 8: the text put "served 16 of 18" (hindsight, the later part of the stream) under
  // "32 of 36 open needs served" (everything), so the two figures could not be compared.
  AllocateOptions opt;
  opt.mode = AllocationMode::online;
  for (const Model& m : {scarce_neighbourhood(1), scarce_neighbourhood(2)}) {
    const auto r = allocate(m, opt);
    REQUIRE(r.stream);
    REQUIRE(r.hindsight);
    // The stream, independently: the later needs by arrival after the history share.
    std::vector<std::size_t> order(r.assignments.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return m[r.assignments[a].need].since < m[r.assignments[b].need].since;
    });
    const auto history = static_cast<std::size_t>(static_cast<double>(order.size()) * opt.online_history_share);
    int stream_served = 0;
    for (std::size_t k = history; k < order.size(); ++k) stream_served += r.assignments[order[k]].served;
    CHECK(r.stream->needs == static_cast<int>(order.size() - history));
    CHECK(r.stream->served == stream_served);
    CHECK(r.hindsight->needs == r.stream->needs);
    CHECK(r.stream->ladder_steps >= r.hindsight->ladder_steps);  // same needs, same places: hindsight is optimal
    const std::string text = allocation_to_text(m, r);
    const std::regex line(
        R"(\n  the later (\d+) needs, placed one at a time: served (\d+) of (\d+), ladder steps (\d+)\n)"
        R"(  the same (\d+) needs, hindsight optimum: +served (\d+) of (\d+), ladder steps (\d+)\n)");
    std::smatch got;
    REQUIRE(std::regex_search(text, got, line));
    const auto n = std::to_string(r.stream->needs);
    CHECK(got[1] == n);
    CHECK(got[3] == n);
    CHECK(got[5] == n);
    CHECK(got[7] == n);
    CHECK(got[2] == std::to_string(r.stream->served));
    CHECK(got[4] == std::to_string(r.stream->ladder_steps));
    CHECK(got[6] == std::to_string(r.hindsight->served));
    CHECK(got[8] == std::to_string(r.hindsight->ladder_steps));
    // Both figures start in the same column.
    const auto a = text.find("served", got.position(0)), b = text.find("served", text.find("hindsight optimum"));
    CHECK(a - text.rfind('\n', a) == b - text.rfind('\n', b));
    const auto j = nlohmann::json::parse(allocation_to_json(m, r));
    CHECK(j["stream"]["needs"] == j["hindsight"]["needs"]);
    CHECK(j["stream"]["served"] == r.stream->served);
  }
  AllocateOptions optimal;
  CHECK_FALSE(allocate(scarce_neighbourhood(1, 500), optimal).stream);
}

namespace {
// Solves a DIMACS text with our reader and solver; nullopt unless optimal.
std::optional<long long> dimacs_optimum(const std::string& text, MinCostFlow::Algorithm algorithm) {
  std::istringstream in(text);
  MinCostFlow net = read_dimacs(in);
  if (net.solve(algorithm) != MinCostFlow::Status::optimal) return std::nullopt;
  return net.optimal_cost();
}
}  // namespace

TEST_CASE("the exported network solves to the reported ladder steps after groups are closed",
          "[allocation][groups][dimacs]") {
  // Defect 9: the export was the network before the group-minimum heuristic closed groups.
  // A generated town of 2,000 residents (seed 8, found by search) where the heuristic closes a
  // group: ignoring the minimum gives 138 ladder steps, the heuristic 145, the exact method 139;
  // the old export solved to 138 in both modes.
  const Model m = generate({.residents = 2000, .seed = 8});
  AllocateOptions ignore;
  ignore.group_minimum = GroupMinimum::ignore;
  const long long unconstrained = allocate(m, ignore).objective.ladder_steps;
  const auto model_file = (std::filesystem::temp_directory_path() / "wijkmatch_alloc_groups.json").string();
  save_model(m, model_file);
  for (auto [method, name] :
       {std::pair(GroupMinimum::heuristic, "heuristic"), std::pair(GroupMinimum::exact, "exact")}) {
    INFO(name);
    AllocateOptions opt;
    opt.group_minimum = method;
    MinCostFlow network;
    const auto r = allocate(m, opt, network);
    if (method == GroupMinimum::heuristic)
      CHECK(std::any_of(r.notes.begin(), r.notes.end(),
                        [](const std::string& n) { return n.find("closed and solved again") != std::string::npos; }));
    REQUIRE(r.objective.ladder_steps != unconstrained);  // the groups change the optimum: the test can fail
    std::ostringstream file;
    write_dimacs(file, network, "test");
    for (auto algorithm : {MinCostFlow::Algorithm::network_simplex, MinCostFlow::Algorithm::successive_shortest_paths})
      CHECK(dimacs_optimum(file.str(), algorithm) == std::optional<long long>(r.objective.ladder_steps));
#ifdef WIJKMATCH_HAVE_LEMON
    std::istringstream in(file.str());
    CHECK(lemon_cost(read_dimacs(in)) == std::optional<long long>(r.objective.ladder_steps));
#endif
    std::ostringstream again;
    write_dimacs(again, allocation_network(m, opt), "test");
    CHECK(again.str() == file.str());  // allocation_network() is the same network

    // Through the command line: allocate --export-dimacs, then `wijkmatch mcf` on the file.
    const auto dimacs_file = (std::filesystem::temp_directory_path() / "wijkmatch_alloc_groups.min").string();
    auto cli = [](std::vector<std::string> args) {
      std::vector<std::string_view> views(args.begin(), args.end());
      std::ostringstream out, err;
      const int code = cli::run(views, out, err);
      return std::pair(code, out.str());
    };
    const auto [code, out] =
        cli({"allocate", model_file, "--json", "--group-minimum", name, "--export-dimacs", dimacs_file});
    REQUIRE(code == 0);
    CHECK(nlohmann::json::parse(out)["objective"]["ladder_steps"] == r.objective.ladder_steps);
    const auto [solved, answer] = cli({"mcf", dimacs_file});
    REQUIRE(solved == 0);
    CHECK(answer.starts_with("s " + std::to_string(r.objective.ladder_steps) + "\n"));
  }
  AllocateOptions online;
  online.mode = AllocationMode::online;
  MinCostFlow unused;
  CHECK_THROWS_AS(allocate(m, online, unused), Error);
}
