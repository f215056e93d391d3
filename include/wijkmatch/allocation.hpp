// Allocation of all open needs of a neighbourhood, city or region at once, under capacity.
//
// Candidates come from ranking (options scoring at least the policy's acceptable score, the
// referral options ranking deferred, and basic care by a team professional who works in the
// resident's neighbourhood with the domain as a specialism). Needs where an exception rule
// fired are allocated only at or above the rule's level (lower options stay alongside in
// the ranking). Capacities: free seats of offers, free caseload of professionals, and the
// informal hours of helpers (per tie, and in total up to the policy's overload limit), at
// `hours_per_informal_need` hours per need.
//
// Modes (docs/allocation.md):
// - optimal: exact lexicographic minimum-cost flow, solved in three stages on one network:
//     1. minimise the ladder steps: the sum over needs of the rank of the level they get
//        (relative to the exception level where a rule fired), an unserved need counting
//        ladder_level_count + 1 steps; so as many needs as possible are served, as low on the
//        ladder as possible;
//     2. among those optima, maximise the total score (integer milli-points);
//     3. among those, minimise the total cost in euro per month.
//   Each stage keeps only the optimal face of the previous one (arcs with a positive reduced
//   cost fixed at their lower bound, negative at their upper bound), so the result is
//   lexicographically optimal, not a weighted compromise.
// - groups with a minimum size: `GroupMinimum::heuristic` solves, closes the most
//   under-filled group that cannot run, and solves again until every group runs or is
//   closed (no guarantee of optimality); `exact` enumerates every open/closed choice of the
//   groups at risk (lower bounds on the open ones) and keeps the lexicographic best
//   (2^k solves, refused above `exact_group_limit` groups).
// - stable: resident-proposing deferred acceptance; needs propose in their ranking order,
//   offers, professionals and helpers accept by priority (exception first, then severity,
//   then waiting time, then key). No blocking pair exists; the count is reported.
// - online: needs arrive one at a time in order of `since`; the first `online_history_share`
//   are solved as a batch, whose seat prices (dual values) then guide the placement of each
//   later need at once. What that later part got (`stream`) is reported next to the
//   hindsight optimum of the same needs with the same places (`hindsight`).
//
// Needs where an exception rule fired but that get nothing at or above its level are listed
// in `unmet_exceptions`, with the ranking's reason where the ranking found nothing.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "wijkmatch/min_cost_flow.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/progress.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch {

enum class AllocationMode : std::uint8_t { optimal, stable, online };
enum class GroupMinimum : std::uint8_t { heuristic, exact, ignore };
std::string_view to_string(AllocationMode) noexcept;
std::optional<AllocationMode> parse_allocation_mode(std::string_view) noexcept;

struct AllocateOptions {
  AllocationMode mode = AllocationMode::optimal;
  Policy policy = default_policy();
  GroupMinimum group_minimum = GroupMinimum::heuristic;
  int threads = 0;                       ///< for ranking; results do not depend on it
  double hours_per_informal_need = 2.0;  ///< informal hours a week one need takes from a helper
  double online_history_share = 0.5;     ///< online mode: share of the stream solved as the last batch
  int exact_group_limit = 14;            ///< exact group minimum: at most this many groups at risk (0..30)
  /// Optional: ("rank", done, total) during ranking, ("solve", done, total) per solver stage
  /// and group configuration; returning false stops allocate() with Cancelled.
  ProgressCallback progress;
};

/// What a need gets. `served == false`: on the waiting list.
struct Assignment {
  std::int32_t candidate = -1;  ///< index into allocation_candidates(...).candidates, -1 = unserved
  NeedId need;
  bool served = false;
  LadderLevel level = LadderLevel::collective;
  OfferId offer;                ///< an offer
  TieId tie;                    ///< or informal help through this tie
  ProfessionalId professional;  ///< or basic care by this professional
  double score = 0.0;
  double cost_per_month = 0.0;
  ResidentId neighbour;  ///< or help from this neighbour, who offered it (no tie yet)
};

struct WaitingEntry {
  NeedId need;
  OfferId first_choice;  ///< the best offer in the need's ranking, if any
  int position = 0;      ///< 1-based on the first choice's waiting list (by priority)
  std::string reason;
};

struct OfferUse {
  OfferId offer;
  int free_before = 0;
  int assigned = 0;
  bool runs = true;         ///< false: the group does not reach its minimum size
  double seat_value = 0.0;  ///< ladder steps one more seat would save (stage-1 dual)
};

struct ProfessionalUse {
  ProfessionalId professional;
  int room_before = 0;
  int assigned = 0;
  double seat_value = 0.0;
};

struct AllocationObjective {
  int needs = 0;
  int served = 0;
  long long ladder_steps = 0;  ///< stage-1 objective (unserved needs included)
  long long score_milli = 0;   ///< total score of the served needs, x1000
  long long cost_per_month = 0;
  std::array<int, ladder_level_count> served_by_level{};
  friend bool operator==(const AllocationObjective&, const AllocationObjective&) = default;
};

/// An open need where an exception rule fired that gets nothing at or above the rule's level.
struct UnmetExceptionNeed {
  NeedId need;
  std::string rule;  ///< the rule's name
  LadderLevel level = LadderLevel::individual;
  /// Why the ranking found nothing at the level (FiredException::unmet); nullopt when it
  /// found something but the places went to other needs.
  std::optional<UnmetReason> in_ranking;
  std::string reason;
};

struct AllocationResult {
  AllocationMode mode = AllocationMode::optimal;
  std::vector<Assignment> assignments;  ///< one per open need, in model order
  std::vector<WaitingEntry> waiting;    ///< unserved needs, by first choice and position
  std::vector<OfferUse> offers;         ///< every offer, in model order
  std::vector<ProfessionalUse> professionals;
  AllocationObjective objective;
  std::size_t blocking_pairs = 0;  ///< stable mode
  /// Online mode: what the needs placed one at a time got (the part after the last batch).
  std::optional<AllocationObjective> stream;
  /// Online mode: the optimum of the same needs as `stream`, with the same places, in hindsight.
  std::optional<AllocationObjective> hindsight;
  int exceptions = 0;                                ///< open needs where an exception rule fired
  std::vector<UnmetExceptionNeed> unmet_exceptions;  ///< those not served at or above the level, in model order
  std::vector<std::string> notes;                    ///< what the solver did (closed groups, ...)
};

enum class ResourceKind : std::uint8_t { offer, professional, helper, neighbour };

/// A capacity that candidates compete for: an offer's free seats (Offer::free_seats(), so the
/// seats its volunteers carry, at least 0), a professional's free caseload, a helper's
/// informal hours through ties (in needs), or the hours a neighbour offered (in needs: the
/// offered hours, at most the hours before overload, over `hours_per_informal_need`). A
/// resident who both helps through ties and offers help has two resources, each within the
/// overload limit on its own; their sum is not bounded jointly.
struct AllocationResource {
  ResourceKind kind = ResourceKind::offer;
  std::uint32_t index = 0;  ///< offer, professional or resident (the helper) index
  int capacity = 0;
};

/// One way to serve one need.
struct AllocationCandidate {
  std::uint32_t slot = 0;      ///< position in AllocationCandidates::needs
  std::uint32_t resource = 0;  ///< position in AllocationCandidates::resources
  int steps = 0;               ///< ladder steps (stage-1 cost)
  int score_milli = 0;         ///< score x 1000 (stage 2 maximises it)
  int cost = 0;                ///< euro per month (stage 3 minimises it)
  LadderLevel level = LadderLevel::collective;
  OfferId offer;
  TieId tie;
  ProfessionalId professional;
  ResidentId neighbour;
};

/// The allocation problem as flat arrays: what every mode works on, exposed so that analysts
/// and tests can check results independently.
struct AllocationCandidates {
  std::vector<NeedId> needs;           ///< open needs, in model order
  std::vector<std::int64_t> priority;  ///< per need; smaller is served first
  std::vector<AllocationResource> resources;
  std::vector<AllocationCandidate> candidates;  ///< grouped by need, in the need's preference order
  std::vector<std::uint32_t> first;             ///< candidates of need s: [first[s], first[s + 1])
};

/// Ranks every open need and lists its candidates. O(ranking + candidates).
AllocationCandidates allocation_candidates(const Model& model, const AllocateOptions& options = {});

/// Steps a need without any assignment counts in stage 1.
inline constexpr int unserved_ladder_steps = static_cast<int>(ladder_level_count) + 1;

/// Allocates every open need. Deterministic for any `threads`.
/// Complexity: ranking of all needs plus min-cost-flow solves on a network with one node per
/// need and resource and one arc per candidate (three per configuration).
/// Throws InvalidArgument for options outside their ranges, Error when the exact group minimum
/// finds more groups at risk than `exact_group_limit`.
AllocationResult allocate(const Model& model, const AllocateOptions& options = {});

/// The same, in the optimal mode (throws Error in another mode), and sets `network` to the
/// stage-1 network (ladder steps as costs) as it stood at the end: groups the heuristic closed
/// at capacity 0, the open groups of the exact method with their lower bound. Its optimum is
/// the reported `objective.ladder_steps`, so any min-cost-flow solver confirms the result.
AllocationResult allocate(const Model& model, const AllocateOptions& options, MinCostFlow& network);

/// The network of the overload above, for the optimal mode with these options (the mode in
/// `options` is ignored); node and arc order in docs/allocation.md. As costly as allocate().
MinCostFlow allocation_network(const Model& model, const AllocateOptions& options = {});

std::string allocation_to_json(const Model& model, const AllocationResult& result, int indent = 2);
std::string allocation_to_text(const Model& model, const AllocationResult& result);

}  // namespace wijkmatch
