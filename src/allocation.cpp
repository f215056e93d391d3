// Allocation under capacity: see include/wijkmatch/allocation.hpp and docs/allocation.md.
#include "wijkmatch/allocation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "ranking_detail.hpp"
#include "resources.hpp"
#include "wijkmatch/graph.hpp"
#include "wijkmatch/ranking.hpp"
#include "wijkmatch/stable_matching.hpp"

namespace wijkmatch {
namespace {

constexpr std::array<std::string_view, 3> mode_names{"optimal", "stable", "online"};
constexpr long long unserved_steps = unserved_ladder_steps;
constexpr int max_exact_group_limit = 30;

using Resource = AllocationResource;
using Candidate = AllocationCandidate;

struct AllocationProblem : AllocationCandidates {
  // Per need, what the waiting list needs from its ranking (rankings themselves are dropped
  // as soon as their candidates are taken: they are large).
  std::vector<OfferId> first_choice;
  std::vector<std::string> no_candidate_reason;
  // The needs where an exception rule fired (slot, rule): few, so kept aside.
  std::vector<std::pair<std::uint32_t, FiredException>> exceptions;
};

int round_cost(double euro) { return static_cast<int>(std::lround(std::min(euro, 1e6))); }

AllocationProblem build_problem(const Model& m, const AllocateOptions& opt) {
  const Policy& policy = opt.policy;
  AllocationProblem pb;
  Ranker ranker(m, policy);
  for (std::uint32_t n = 0; n < m.needs.size(); ++n)
    if (m.needs[n].status == NeedStatus::open) pb.needs.emplace_back(n);
  std::vector<int> offer_resource(m.offers.size(), -1), pro_resource(m.professionals.size(), -1),
      helper_resource(m.residents.size(), -1);
  std::unordered_map<std::uint32_t, int> neighbour_resource;  // few residents offer help
  // The ranking's own count of the hours each helper gives (ties and volunteering, one rule).
  const std::vector<double>& hours_given = detail::RankerAccess::index(ranker).hours_given;
  // Which professionals can serve which need: served_by edges of the graph.
  CompactGraphOptions pro_edges;
  pro_edges.only_can_serve = true;
  const CompactGraph can_serve = build_compact_graph(m, pro_edges);
  const VertexLayout layout(m);
  auto resource_for = [&](ResourceKind kind, std::uint32_t index) -> int {
    auto& slot = kind == ResourceKind::offer          ? offer_resource[index]
                 : kind == ResourceKind::professional ? pro_resource[index]
                 : kind == ResourceKind::helper       ? helper_resource[index]
                                                      : neighbour_resource.try_emplace(index, -1).first->second;
    if (slot < 0) {
      int cap = 0;
      if (kind == ResourceKind::offer)
        cap = std::max(0, m.offers[index].free_seats());
      else if (kind == ResourceKind::professional)
        cap = std::max(0, m.professionals[index].caseload_room());
      else if (kind == ResourceKind::helper)
        cap = static_cast<int>(
            std::floor(detail::helper_hours_before_overload(hours_given[index], policy) / opt.hours_per_informal_need));
      else
        cap = static_cast<int>(std::floor(std::min(m.residents[index].offers_help->hours_left(),
                                                   detail::helper_hours_before_overload(hours_given[index], policy)) /
                                          opt.hours_per_informal_need));
      slot = static_cast<int>(pb.resources.size());
      pb.resources.push_back({kind, index, cap});
    }
    return slot;
  };
  const auto acceptable_milli = static_cast<int>(std::lround(policy.acceptable_score * 1000));
  pb.first.push_back(0);
  // Rank in chunks, in parallel, and keep only what allocation needs.
  constexpr std::size_t chunk = 1024;
  const auto total = static_cast<std::int64_t>(pb.needs.size());
  std::vector<Ranking> rankings;
  pb.first_choice.resize(pb.needs.size());
  pb.no_candidate_reason.resize(pb.needs.size());
  for (std::uint32_t s = 0; s < pb.needs.size(); ++s) {
    if (s % chunk == 0) {
      const std::size_t count = std::min<std::size_t>(chunk, pb.needs.size() - s);
      ProgressCallback chunk_progress;
      if (opt.progress)
        chunk_progress = [&, offset = static_cast<std::int64_t>(s)](std::string_view stage, std::int64_t done,
                                                                    std::int64_t) {
          return opt.progress(stage, offset + done, total);
        };
      // Every option and the deferred ones; rejections only counted (their sentences are the
      // bulk of a ranking's cost, and only a need without any option reads one, below).
      rankings = ranker.rank_many(std::span(pb.needs).subspan(s, count), opt.threads, chunk_progress,
                                  RankRequest{0, false, false});
    }
    Ranking r = std::move(rankings[s % chunk]);
    for (const auto& o : r.options)
      if (o.offer.valid()) {
        pb.first_choice[s] = o.offer;
        break;
      }
    const Need& need = m[r.need];
    const Resident& res = m[need.resident];
    const int floor_rank = r.exception ? policy.rank_of(r.exception->level) : 0;
    auto add = [&](const Option& o) {
      const int rank = policy.rank_of(o.level);
      if (rank < floor_rank) return;  // alongside: not allocated
      const int milli = static_cast<int>(std::lround(o.score * 1000));
      if (milli < acceptable_milli) return;
      Candidate c{s, 0, rank - floor_rank, milli, 0, o.level, o.offer, o.tie, ProfessionalId(), ResidentId()};
      if (o.offer.valid()) {
        c.resource = static_cast<std::uint32_t>(resource_for(ResourceKind::offer, o.offer.index()));
        c.cost = round_cost(m[o.offer].cost_per_month);
      } else if (o.neighbour.valid()) {
        c.neighbour = o.neighbour;
        c.resource = static_cast<std::uint32_t>(resource_for(ResourceKind::neighbour, o.neighbour.index()));
      } else {
        const Tie& t = m[o.tie];
        // One need per tie; the tie must have the hours for it.
        if (t.hours_left() < opt.hours_per_informal_need) return;
        c.resource = static_cast<std::uint32_t>(resource_for(ResourceKind::helper, t.helper.index()));
      }
      pb.candidates.push_back(c);
    };
    for (const auto& o : r.options) add(o);
    for (const auto& o : r.deferred) add(o);
    // Basic care by a team professional of the neighbourhood with the domain as specialism.
    const int basic_rank = policy.rank_of(LadderLevel::basic_care);
    if (basic_rank >= floor_rank && (!res.care_avoider || r.exception)) {
      std::vector<Candidate> pros;
      // In ascending professional id, as the edges are ordered.
      for (auto e : out_edges_of_kind(layout.vertex(r.need), EdgeKind::served_by, can_serve)) {
        const auto p = static_cast<std::uint32_t>(boost::target(e, can_serve)) - layout.first(VertexKind::professional);
        const Professional& pro = m.professionals[p];
        if (pro.caseload_room() <= 0) continue;
        // The need's domain is among the specialisms: a specialism share of 1.
        const int milli = static_cast<int>(
            std::lround(detail::professional_score(pro, 1.0, detail::speaks_first_language(pro, res)) * 1000));
        if (milli < acceptable_milli) continue;
        Candidate c{s,
                    static_cast<std::uint32_t>(resource_for(ResourceKind::professional, p)),
                    basic_rank - floor_rank,
                    milli,
                    0,
                    LadderLevel::basic_care,
                    OfferId(),
                    TieId(),
                    ProfessionalId(p),
                    ResidentId()};
        pros.push_back(c);
      }
      std::stable_sort(pros.begin(), pros.end(),
                       [](const Candidate& a, const Candidate& b) { return a.score_milli > b.score_milli; });
      pb.candidates.insert(pb.candidates.end(), pros.begin(), pros.end());
    }
    // Preference order: steps, then score, then cost (stable within equal keys).
    std::stable_sort(pb.candidates.begin() + pb.first.back(), pb.candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                       return std::tuple(a.steps, -a.score_milli, a.cost) < std::tuple(b.steps, -b.score_milli, b.cost);
                     });
    pb.first.push_back(static_cast<std::uint32_t>(pb.candidates.size()));
    // Priority: exception first, then severity (1 = acute first), then waiting time, then model order.
    pb.priority.push_back((r.exception ? 0LL : 1LL) << 50 | static_cast<std::int64_t>(need.severity) << 45 |
                          static_cast<std::int64_t>(need.since.time_since_epoch().count() + 100000) << 20 |
                          static_cast<std::int64_t>(s & 0xFFFFF));
    if (r.exception) pb.exceptions.emplace_back(s, std::move(*r.exception));
    if (pb.first[s] == pb.first[s + 1])
      pb.no_candidate_reason[s] =
          r.options.empty() && r.deferred.empty()
              ? (r.rejected_total() == 0
                     ? "no offer serves this need within reach"
                     : "no suitable option: " + ranker.rank(r.need, RankRequest::full()).rejected.front().reason)
              : "no option scores above the policy's acceptable score";
  }
  return pb;
}

// The lexicographic solve. `lower[r]`/`cap[r]` override resource bounds (min group sizes).
struct Solution {
  bool feasible = false;
  std::vector<int> choice;  // candidate index per slot, -1 = unserved
  std::array<long long, 3> stage_cost{};
  std::vector<double> seat_value;  // per resource, stage-1 dual
};

struct Network {
  MinCostFlow flow;
  std::vector<MinCostFlow::ArcIndex> candidate_arc, unserved_arc, resource_arc;
};

Network build_network(const AllocationProblem& pb, const std::vector<std::uint8_t>& active, const std::vector<int>& cap,
                      const std::vector<int>& lower, int stage) {
  const auto n_slots = static_cast<MinCostFlow::NodeIndex>(pb.needs.size());
  const auto n_res = static_cast<MinCostFlow::NodeIndex>(pb.resources.size());
  Network net;
  net.flow = MinCostFlow(n_slots + n_res + 1);
  net.flow.reserve(n_slots + n_res + 1,
                   static_cast<MinCostFlow::ArcIndex>(pb.candidates.size() + pb.needs.size() + pb.resources.size()));
  const MinCostFlow::NodeIndex sink = n_slots + n_res;
  long long supply = 0;
  for (MinCostFlow::NodeIndex s = 0; s < n_slots; ++s)
    if (active[static_cast<std::size_t>(s)]) {
      net.flow.set_supply(s, 1);
      ++supply;
    }
  net.flow.set_supply(sink, -supply);
  auto cost_of = [stage](const Candidate& c) -> MinCostFlow::CostValue {
    return stage == 0 ? c.steps : stage == 1 ? 1000 - c.score_milli : c.cost;
  };
  net.candidate_arc.resize(pb.candidates.size(), -1);
  for (std::size_t i = 0; i < pb.candidates.size(); ++i) {
    const auto& c = pb.candidates[i];
    if (!active[c.slot]) continue;
    net.candidate_arc[i] =
        net.flow.add_arc(static_cast<MinCostFlow::NodeIndex>(c.slot),
                         n_slots + static_cast<MinCostFlow::NodeIndex>(c.resource), 0, 1, cost_of(c));
  }
  net.unserved_arc.resize(pb.needs.size(), -1);
  for (MinCostFlow::NodeIndex s = 0; s < n_slots; ++s)
    if (active[static_cast<std::size_t>(s)])
      net.unserved_arc[static_cast<std::size_t>(s)] = net.flow.add_arc(s, sink, 0, 1,
                                                                       stage == 0   ? unserved_steps
                                                                       : stage == 1 ? 1000
                                                                                    : 0);
  net.resource_arc.resize(pb.resources.size());
  for (MinCostFlow::NodeIndex r = 0; r < n_res; ++r)
    net.resource_arc[static_cast<std::size_t>(r)] =
        net.flow.add_arc(n_slots + r, sink, lower[static_cast<std::size_t>(r)],
                         std::max(lower[static_cast<std::size_t>(r)], cap[static_cast<std::size_t>(r)]), 0);
  return net;
}

// Counts solver stages for progress reports; asks the callback whether to go on.
struct SolveProgress {
  const ProgressCallback* callback = nullptr;
  std::int64_t done = 0, total = 3;
  void step() {
    ++done;
    if (callback && *callback && !(*callback)("solve", done, std::max(done, total))) throw Cancelled();
  }
};

Solution solve_lexicographic(const AllocationProblem& pb, const std::vector<std::uint8_t>& active,
                             const std::vector<int>& cap, const std::vector<int>& lower, SolveProgress& progress) {
  Solution sol;
  sol.choice.assign(pb.needs.size(), -1);
  sol.seat_value.assign(pb.resources.size(), 0.0);
  // Arc bounds carried from stage to stage (the optimal face of the previous stages).
  std::vector<std::pair<MinCostFlow::FlowQuantity, MinCostFlow::FlowQuantity>> bounds;
  Network net;
  for (int stage = 0; stage < 3; ++stage) {
    net = build_network(pb, active, cap, lower, stage);
    if (stage > 0) {
      // Rebuild with the restricted bounds: same arc order as the previous stage.
      MinCostFlow restricted(net.flow.node_count());
      for (MinCostFlow::NodeIndex v = 0; v < net.flow.node_count(); ++v) restricted.set_supply(v, net.flow.supply(v));
      for (MinCostFlow::ArcIndex a = 0; a < net.flow.arc_count(); ++a)
        restricted.add_arc(net.flow.tail(a), net.flow.head(a), bounds[static_cast<std::size_t>(a)].first,
                           bounds[static_cast<std::size_t>(a)].second, net.flow.cost(a));
      net.flow = std::move(restricted);
    }
    const auto status = net.flow.solve();
    if (status != MinCostFlow::Status::optimal) {
      if (status == MinCostFlow::Status::infeasible) return sol;
      // Unreachable by any model: the network is balanced by construction and its costs (at
      // most 10^6 a month per arc) stay far inside the solver's range. A bug, then, and the
      // message says which check failed at which stage.
      throw Error("allocation: internal error: the flow solver found the stage-" + std::to_string(stage + 1) +
                  " network " +
                  (status == MinCostFlow::Status::unbalanced ? "unbalanced" : "outside its numeric range") +
                  " (please report this)");
    }
    sol.stage_cost[static_cast<std::size_t>(stage)] = net.flow.optimal_cost();
    progress.step();
    if (stage == 0)
      for (std::size_t r = 0; r < pb.resources.size(); ++r)
        sol.seat_value[r] =
            static_cast<double>(std::max<MinCostFlow::CostValue>(0, -net.flow.reduced_cost(net.resource_arc[r])));
    bounds.resize(static_cast<std::size_t>(net.flow.arc_count()));
    for (MinCostFlow::ArcIndex a = 0; a < net.flow.arc_count(); ++a) {
      const auto rc = net.flow.reduced_cost(a);
      const auto lo = net.flow.lower(a), hi = net.flow.upper(a);
      bounds[static_cast<std::size_t>(a)] = rc > 0 ? std::pair(lo, lo) : rc < 0 ? std::pair(hi, hi) : std::pair(lo, hi);
    }
  }
  sol.feasible = true;
  for (std::size_t i = 0; i < pb.candidates.size(); ++i)
    if (net.candidate_arc[i] >= 0 && net.flow.flow(net.candidate_arc[i]) > 0)
      sol.choice[pb.candidates[i].slot] = static_cast<int>(i);
  return sol;
}

bool lex_better(const Solution& a, const Solution& b) {
  if (!b.feasible) return a.feasible;
  if (!a.feasible) return false;
  return a.stage_cost < b.stage_cost;
}

std::vector<int> assigned_per_resource(const AllocationProblem& pb, const std::vector<int>& choice) {
  std::vector<int> out(pb.resources.size(), 0);
  for (int c : choice)
    if (c >= 0) ++out[pb.candidates[static_cast<std::size_t>(c)].resource];
  return out;
}

AllocationObjective objective_of(const AllocationProblem& pb, const std::vector<int>& choice,
                                 const std::vector<std::uint8_t>& active) {
  AllocationObjective o;
  for (std::size_t s = 0; s < pb.needs.size(); ++s) {
    if (!active[s]) continue;
    ++o.needs;
    if (choice[s] < 0) {
      o.ladder_steps += unserved_steps;
      continue;
    }
    const auto& c = pb.candidates[static_cast<std::size_t>(choice[s])];
    ++o.served;
    o.ladder_steps += c.steps;
    o.score_milli += c.score_milli;
    o.cost_per_month += c.cost;
    ++o.served_by_level[static_cast<std::size_t>(c.level)];
  }
  return o;
}

// Groups that have not reached their minimum and take part in the problem.
std::vector<std::uint32_t> groups_at_risk(const Model& m, const AllocationProblem& pb) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t r = 0; r < pb.resources.size(); ++r) {
    const auto& res = pb.resources[r];
    if (res.kind != ResourceKind::offer) continue;
    const Offer& o = m.offers[res.index];
    if (o.min_group_size > o.occupancy) out.push_back(r);
  }
  return out;
}

}  // namespace

std::string_view to_string(AllocationMode m) noexcept { return mode_names[static_cast<std::size_t>(m)]; }
std::optional<AllocationMode> parse_allocation_mode(std::string_view s) noexcept {
  for (std::size_t i = 0; i < mode_names.size(); ++i)
    if (mode_names[i] == s) return static_cast<AllocationMode>(i);
  return std::nullopt;
}

AllocationCandidates allocation_candidates(const Model& model, const AllocateOptions& options) {
  return static_cast<AllocationCandidates>(build_problem(model, options));
}

namespace {

// `network`, when given (optimal mode), receives the stage-1 network with the final bounds.
AllocationResult allocate_impl(const Model& m, const AllocateOptions& opt, MinCostFlow* network) {
  if (!(opt.hours_per_informal_need > 0 && opt.hours_per_informal_need <= 168))
    throw InvalidArgument("allocate: hours_per_informal_need must be in (0, 168]");
  if (!(opt.online_history_share >= 0 && opt.online_history_share <= 1))
    throw InvalidArgument("allocate: online_history_share must be in [0, 1]");
  // 2^k combinations are enumerated with a 32-bit mask.
  if (opt.exact_group_limit < 0 || opt.exact_group_limit > max_exact_group_limit)
    throw InvalidArgument("allocate: exact_group_limit must be in [0, " + std::to_string(max_exact_group_limit) + "]");
  const AllocationProblem pb = build_problem(m, opt);
  AllocationResult result;
  result.mode = opt.mode;
  const std::size_t n = pb.needs.size();
  std::vector<std::uint8_t> all_active(n, 1);
  std::vector<int> cap(pb.resources.size()), lower(pb.resources.size(), 0);
  for (std::size_t r = 0; r < pb.resources.size(); ++r) cap[r] = pb.resources[r].capacity;
  std::vector<int> choice(n, -1);
  std::vector<double> seat_value(pb.resources.size(), 0.0);
  std::vector<char> closed(pb.resources.size(), 0);
  SolveProgress progress{&opt.progress};

  if (opt.mode == AllocationMode::optimal) {
    const auto risky = groups_at_risk(m, pb);
    if (opt.group_minimum == GroupMinimum::exact && !risky.empty()) {
      if (static_cast<int>(risky.size()) > opt.exact_group_limit)
        throw Error("allocate: " + std::to_string(risky.size()) +
                    " groups below their minimum size; the exact method is limited to " +
                    std::to_string(opt.exact_group_limit) + " (use the heuristic)");
      Solution best;
      std::uint32_t best_mask = 0;
      std::vector<int> best_cap = cap, best_lower = lower;
      progress.total = 3 * (std::int64_t{1} << risky.size());
      for (std::uint32_t mask = 0; mask < (1U << risky.size()); ++mask) {
        auto c = cap;
        auto lo = lower;
        for (std::size_t k = 0; k < risky.size(); ++k) {
          const auto r = risky[k];
          const Offer& o = m.offers[pb.resources[r].index];
          if (mask >> k & 1U)
            lo[r] = std::min(c[r], o.min_group_size - o.occupancy);
          else
            c[r] = 0;
          if ((mask >> k & 1U) && o.min_group_size - o.occupancy > pb.resources[r].capacity) c[r] = -1;  // cannot reach
        }
        if (std::any_of(c.begin(), c.end(), [](int v) { return v < 0; })) continue;
        Solution s = solve_lexicographic(pb, all_active, c, lo, progress);
        if (lex_better(s, best)) {
          best = std::move(s);
          best_mask = mask;
          best_cap = std::move(c);
          best_lower = std::move(lo);
        }
      }
      // Closing every group at risk (mask 0) is always feasible, so `best` is set.
      cap = std::move(best_cap);
      lower = std::move(best_lower);
      choice = best.choice;
      seat_value = best.seat_value;
      for (std::size_t k = 0; k < risky.size(); ++k) closed[risky[k]] = !(best_mask >> k & 1U);
      result.notes.push_back("exact group minimum: " + std::to_string(1U << risky.size()) + " configurations of " +
                             std::to_string(risky.size()) + " groups below their minimum");
    } else {
      Solution s = solve_lexicographic(pb, all_active, cap, lower, progress);
      if (opt.group_minimum == GroupMinimum::heuristic) {
        // Close the most under-filled group that cannot run, solve again, until all run.
        for (;;) {
          const auto used = assigned_per_resource(pb, s.choice);
          int worst = -1;
          double worst_fill = 2.0;
          for (auto r : risky) {
            if (closed[r]) continue;
            const Offer& o = m.offers[pb.resources[r].index];
            const int total = o.occupancy + used[r];
            if (used[r] > 0 && total < o.min_group_size) {
              const double fill = static_cast<double>(total) / o.min_group_size;
              if (fill < worst_fill) {
                worst_fill = fill;
                worst = static_cast<int>(r);
              }
            }
          }
          if (worst < 0) break;
          closed[static_cast<std::size_t>(worst)] = 1;
          cap[static_cast<std::size_t>(worst)] = 0;
          result.notes.push_back("group " + m.offers[pb.resources[static_cast<std::size_t>(worst)].index].key +
                                 " cannot reach its minimum size; closed and solved again");
          s = solve_lexicographic(pb, all_active, cap, lower, progress);
        }
      }
      choice = s.choice;
      seat_value = s.seat_value;
    }
  } else if (opt.mode == AllocationMode::stable) {
    StableMatchingInstance inst;
    inst.resident_preferences.resize(n);
    inst.programme_priorities.resize(pb.resources.size());
    inst.capacities.resize(pb.resources.size());
    for (std::size_t r = 0; r < pb.resources.size(); ++r) inst.capacities[r] = cap[r];
    // A resident's list: each resource once, in preference order (first candidate per resource).
    std::vector<std::vector<int>> candidate_of(n);
    for (std::size_t s = 0; s < n; ++s)
      for (auto i = pb.first[s]; i < pb.first[s + 1]; ++i) {
        const auto r = static_cast<std::int32_t>(pb.candidates[i].resource);
        if (std::find(inst.resident_preferences[s].begin(), inst.resident_preferences[s].end(), r) !=
            inst.resident_preferences[s].end())
          continue;
        inst.resident_preferences[s].push_back(r);
        candidate_of[s].push_back(static_cast<int>(i));
        inst.programme_priorities[static_cast<std::size_t>(r)].push_back(static_cast<std::int32_t>(s));
      }
    for (auto& list : inst.programme_priorities)
      std::sort(list.begin(), list.end(), [&](std::int32_t a, std::int32_t b) {
        return pb.priority[static_cast<std::size_t>(a)] < pb.priority[static_cast<std::size_t>(b)];
      });
    const StableMatching matching = resident_proposing_deferred_acceptance(inst);
    for (std::size_t s = 0; s < n; ++s) {
      const auto p = matching.programme_of_resident[s];
      if (p < 0) continue;
      const auto& prefs = inst.resident_preferences[s];
      const auto k = static_cast<std::size_t>(std::find(prefs.begin(), prefs.end(), p) - prefs.begin());
      choice[s] = candidate_of[s][k];
    }
    result.blocking_pairs = find_blocking_pairs(inst, matching).size();
    result.notes.push_back("stable: resident-proposing deferred acceptance over " + std::to_string(n) + " needs; " +
                           std::to_string(result.blocking_pairs) +
                           " blocking pairs; group minimum sizes are not applied");
  } else {
    // Online: the first part of the stream (by arrival) is the last batch; its duals price seats.
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return m[pb.needs[a]].since < m[pb.needs[b]].since; });
    const auto history = static_cast<std::size_t>(std::floor(static_cast<double>(n) * opt.online_history_share));
    std::vector<std::uint8_t> in_history(n, 0), in_stream(n, 0);
    for (std::size_t k = 0; k < n; ++k) (k < history ? in_history : in_stream)[order[k]] = 1;
    progress.total = 6;
    Solution batch = solve_lexicographic(pb, in_history, cap, lower, progress);
    auto remaining = cap;
    for (std::size_t s = 0; s < n; ++s)
      if (in_history[s] && batch.choice[s] >= 0) {
        choice[s] = batch.choice[s];
        --remaining[pb.candidates[static_cast<std::size_t>(batch.choice[s])].resource];
      }
    const auto after_history = remaining;
    for (std::size_t k = history; k < n; ++k) {
      const auto s = order[k];
      int best = -1;
      double best_key = 0;
      for (auto i = pb.first[s]; i < pb.first[s + 1]; ++i) {
        const auto& c = pb.candidates[i];
        if (remaining[c.resource] <= 0) continue;
        // Ladder steps plus the seat's price; score breaks ties.
        const double key = c.steps + batch.seat_value[c.resource] - c.score_milli * 1e-6;
        if (best < 0 || key < best_key) {
          best = static_cast<int>(i);
          best_key = key;
        }
      }
      if (best >= 0) {
        choice[s] = best;
        --remaining[pb.candidates[static_cast<std::size_t>(best)].resource];
      }
    }
    seat_value = batch.seat_value;
    result.stream = objective_of(pb, choice, in_stream);
    Solution hindsight = solve_lexicographic(pb, in_stream, after_history, lower, progress);
    result.hindsight = objective_of(pb, hindsight.choice, in_stream);
    result.notes.push_back("online: " + std::to_string(history) + " needs solved as the last batch, " +
                           std::to_string(n - history) + " placed one at a time with seat prices");
  }

  // The network whose optimum is the one reported: the bounds as the solver left them.
  if (network) *network = std::move(build_network(pb, all_active, cap, lower, 0).flow);

  // Results.
  result.objective = objective_of(pb, choice, all_active);
  const auto used = assigned_per_resource(pb, choice);
  result.offers.resize(m.offers.size());
  for (std::uint32_t o = 0; o < m.offers.size(); ++o)
    result.offers[o] = {OfferId(o), std::max(0, m.offers[o].free_seats()), 0,
                        m.offers[o].min_group_size <= m.offers[o].occupancy, 0.0};
  result.professionals.resize(m.professionals.size());
  for (std::uint32_t p = 0; p < m.professionals.size(); ++p)
    result.professionals[p] = {ProfessionalId(p), std::max(0, m.professionals[p].caseload_room()), 0, 0.0};
  for (std::size_t r = 0; r < pb.resources.size(); ++r) {
    const auto& res = pb.resources[r];
    if (res.kind == ResourceKind::offer) {
      auto& u = result.offers[res.index];
      u.assigned = used[r];
      u.seat_value = seat_value[r];
      const Offer& o = m.offers[res.index];
      // A group runs when it reaches its minimum size; a closed group does not run.
      u.runs = !closed[r] && o.min_group_size <= o.occupancy + used[r];
    } else if (res.kind == ResourceKind::professional) {
      result.professionals[res.index].assigned = used[r];
      result.professionals[res.index].seat_value = seat_value[r];
    }
  }
  result.assignments.resize(n);
  constexpr std::uint32_t no_offer = OfferId::invalid_value;
  std::map<std::pair<std::uint32_t, std::int64_t>, std::size_t> queue;  // (first choice, priority) -> slot
  for (std::size_t s = 0; s < n; ++s) {
    Assignment& a = result.assignments[s];
    a.need = pb.needs[s];
    if (choice[s] >= 0) {
      const auto& c = pb.candidates[static_cast<std::size_t>(choice[s])];
      a.served = true;
      a.candidate = choice[s];
      a.level = c.level;
      a.offer = c.offer;
      a.tie = c.tie;
      a.neighbour = c.neighbour;
      a.professional = c.professional;
      a.score = c.score_milli / 1000.0;
      a.cost_per_month = c.cost;
      continue;
    }
    const OfferId first = pb.first_choice[s];
    queue.emplace(std::pair(first.valid() ? first.index() : no_offer, pb.priority[s]), s);
  }
  std::uint32_t current = no_offer;
  int position = 0;
  for (const auto& [key, s] : queue) {
    if (key.first != current) {
      current = key.first;
      position = 0;
    }
    WaitingEntry w;
    w.need = pb.needs[s];
    w.first_choice = key.first == no_offer ? OfferId() : OfferId(key.first);
    w.position = ++position;
    if (pb.first[s] == pb.first[s + 1]) {
      w.reason = pb.no_candidate_reason[s];
    } else {
      w.reason = "every acceptable option is full";
    }
    result.waiting.push_back(std::move(w));
  }
  result.exceptions = static_cast<int>(pb.exceptions.size());
  for (const auto& [s, e] : pb.exceptions) {
    if (choice[s] >= 0) continue;  // served, and only at or above the rule's level
    UnmetExceptionNeed u{pb.needs[s], e.rule, e.level, std::nullopt, {}};
    if (e.unmet) {
      u.in_ranking = e.unmet->why;
      u.reason = e.unmet->reason;
    } else {
      u.reason = pb.first[s] == pb.first[s + 1] ? pb.no_candidate_reason[s]
                                                : "every place at " + std::string(to_string(e.level)) +
                                                      " level or above that suits this need went to other needs";
    }
    result.unmet_exceptions.push_back(std::move(u));
  }
  return result;
}

}  // namespace

AllocationResult allocate(const Model& model, const AllocateOptions& options) {
  return allocate_impl(model, options, nullptr);
}

AllocationResult allocate(const Model& model, const AllocateOptions& options, MinCostFlow& network) {
  if (options.mode != AllocationMode::optimal)
    throw Error("allocate: the network whose optimum is reported exists in the optimal mode only");
  return allocate_impl(model, options, &network);
}

MinCostFlow allocation_network(const Model& model, const AllocateOptions& options) {
  AllocateOptions optimal = options;
  optimal.mode = AllocationMode::optimal;
  MinCostFlow network;
  allocate(model, optimal, network);
  return network;
}

namespace {
// The ranking's reason code, or "places_taken" where the ranking had an option.
std::string unmet_code(const UnmetExceptionNeed& u) {
  return u.in_ranking ? std::string(to_string(*u.in_ranking)) : std::string("places_taken");
}
}  // namespace

std::string allocation_to_json(const Model& m, const AllocationResult& r, int indent) {
  using J = nlohmann::ordered_json;
  auto objective = [](const AllocationObjective& o) {
    J by_level = J::object();
    for (std::size_t l = 0; l < ladder_level_count; ++l)
      by_level[std::string(to_string(static_cast<LadderLevel>(l)))] = o.served_by_level[l];
    return J{{"needs", o.needs},
             {"served", o.served},
             {"ladder_steps", o.ladder_steps},
             {"score", static_cast<double>(o.score_milli) / 1000.0},
             {"cost_per_month", o.cost_per_month},
             {"served_by_level", by_level}};
  };
  J j;
  j["mode"] = std::string(to_string(r.mode));
  j["objective"] = objective(r.objective);
  if (r.stream) j["stream"] = objective(*r.stream);
  if (r.hindsight) j["hindsight"] = objective(*r.hindsight);
  if (r.mode == AllocationMode::stable) j["blocking_pairs"] = r.blocking_pairs;
  J unmet = J::array();
  for (const auto& u : r.unmet_exceptions)
    unmet.push_back({{"need", m[u.need].key},
                     {"rule", u.rule},
                     {"level", std::string(to_string(u.level))},
                     {"code", unmet_code(u)},
                     {"reason", u.reason}});
  j["exceptions"] = {{"fired", r.exceptions}, {"unmet", std::move(unmet)}};
  auto& as = j["assignments"] = J::array();
  for (const auto& a : r.assignments) {
    if (!a.served) continue;
    J x{{"need", m[a.need].key}, {"level", std::string(to_string(a.level))}};
    if (a.offer.valid())
      x["offer"] = m[a.offer].key;
    else if (a.tie.valid())
      x["offer"] = "network:" + m[m[a.tie].helper].key;
    else if (a.neighbour.valid())
      x["offer"] = "neighbour:" + m[a.neighbour].key;
    else
      x["offer"] = "professional:" + m[a.professional].key;
    x["score"] = a.score;
    x["cost_per_month"] = a.cost_per_month;
    as.push_back(std::move(x));
  }
  auto& w = j["waiting"] = J::array();
  for (const auto& e : r.waiting)
    w.push_back({{"need", m[e.need].key},
                 {"first_choice", e.first_choice.valid() ? J(m[e.first_choice].key) : J(nullptr)},
                 {"position", e.position},
                 {"reason", e.reason}});
  auto& offers = j["offers"] = J::array();
  for (const auto& u : r.offers)
    offers.push_back({{"offer", m[u.offer].key},
                      {"level", std::string(to_string(m[u.offer].level))},
                      {"free_before", u.free_before},
                      {"assigned", u.assigned},
                      {"runs", u.runs},
                      {"seat_value", u.seat_value}});
  auto& pros = j["professionals"] = J::array();
  for (const auto& u : r.professionals)
    pros.push_back({{"professional", m[u.professional].key},
                    {"room_before", u.room_before},
                    {"assigned", u.assigned},
                    {"seat_value", u.seat_value}});
  j["notes"] = r.notes;
  return j.dump(indent) + "\n";
}

std::string allocation_to_text(const Model& m, const AllocationResult& r) {
  std::ostringstream out;
  const auto& o = r.objective;
  out << "Allocation (" << to_string(r.mode) << "): " << o.served << " of " << o.needs << " open needs served";
  out << "; by level:";
  for (std::size_t l = 0; l < ladder_level_count; ++l)
    out << " " << to_string(static_cast<LadderLevel>(l)) << " " << o.served_by_level[l];
  out << "\n  ladder steps " << o.ladder_steps << ", total score " << static_cast<double>(o.score_milli) / 1000.0
      << ", cost " << o.cost_per_month << " euro a month\n";
  if (r.stream && r.hindsight) {
    // The same needs and the same places on both lines, so the figures compare directly.
    const std::string online = "the later " + std::to_string(r.stream->needs) + " needs, placed one at a time:";
    const std::string best = "the same " + std::to_string(r.hindsight->needs) + " needs, hindsight optimum:";
    const auto width = std::max(online.size(), best.size());
    for (const auto& [label, o] : {std::pair(online, *r.stream), std::pair(best, *r.hindsight)})
      out << "  " << label << std::string(width - label.size(), ' ') << " served " << o.served << " of " << o.needs
          << ", ladder steps " << o.ladder_steps << "\n";
  }
  if (r.mode == AllocationMode::stable) out << "  blocking pairs: " << r.blocking_pairs << "\n";
  for (const auto& n : r.notes) out << "  note: " << n << "\n";
  if (r.exceptions > 0) {
    out << "\nExceptions: " << r.exceptions << " open needs with an exception rule, " << r.unmet_exceptions.size()
        << " not met at the rule's level\n";
    for (const auto& u : r.unmet_exceptions)
      out << "  " << m[u.need].key << " (" << u.rule << ", " << to_string(u.level) << "): " << unmet_code(u) << " - "
          << u.reason << "\n";
  }
  out << "\nOffers where one more seat would help most (ladder steps saved per seat):\n";
  std::vector<OfferUse> valued(r.offers.begin(), r.offers.end());
  std::stable_sort(valued.begin(), valued.end(),
                   [](const OfferUse& a, const OfferUse& b) { return a.seat_value > b.seat_value; });
  int shown = 0;
  for (const auto& u : valued) {
    if (u.seat_value <= 0 || ++shown > 5) break;
    out << "  " << m[u.offer].key << " (" << to_string(m[u.offer].level) << "): " << u.seat_value << "\n";
  }
  if (shown == 0) out << "  none: no seat is short\n";
  out << "\nGroups:\n";
  for (const auto& u : r.offers) {
    if (m[u.offer].level != LadderLevel::collective) continue;
    out << "  " << m[u.offer].key << ": " << u.assigned << " new of " << u.free_before << " free places"
        << (u.runs ? "" : "  (does not reach its minimum size)") << "\n";
  }
  out << "\nWaiting list (" << r.waiting.size() << "):\n";
  for (const auto& w : r.waiting)
    out << "  " << m[w.need].key << ": "
        << (w.first_choice.valid() ? m[w.first_choice].key + " #" + std::to_string(w.position) : std::string("-"))
        << " - " << w.reason << "\n";
  return out.str();
}

}  // namespace wijkmatch
