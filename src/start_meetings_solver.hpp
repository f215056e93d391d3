// The combinatorial core of plan_start_meetings (include/wijkmatch/start_meetings.hpp), on an
// abstract instance: invitees 0..n-1, candidate meetings with a day-part and the invitees that
// can come. It knows nothing of the model, so the model side only has to build the instance.
#pragma once
#include <cstdint>
#include <vector>

namespace wijkmatch::detail {

struct MeetingInstance {
  std::uint32_t invitees = 0;
  int capacity = 1;                    ///< C: invitees per meeting
  int budget = 0;                      ///< N M: meetings in all
  int per_slot = 0;                    ///< N: meetings per day-part
  std::vector<std::uint8_t> slot;      ///< per candidate, 0..20
  std::vector<std::uint32_t> first;    ///< candidate t's invitees: members[first[t], first[t + 1])
  std::vector<std::uint32_t> members;  ///< ascending within a candidate
  std::uint32_t candidates() const noexcept { return static_cast<std::uint32_t>(slot.size()); }
  std::uint32_t fit_count(std::uint32_t t) const noexcept { return first[t + 1] - first[t]; }
};

struct MeetingChoice {
  std::vector<std::uint32_t> chosen;  ///< candidates, ascending (a multiset)
  int value = 0;                      ///< f(chosen)
  int upper_bound = 0;                ///< proven bound on the optimum
  bool optimal = false;               ///< value == optimum, proven
  bool search_complete = false;       ///< the exact search ran to its end
  std::int64_t nodes = 0;             ///< of the exact search
  std::int64_t work = 0;              ///< scanned edges
};

/// The bound that needs no search: min(budget * capacity, invitees in some F(t)). O(edges).
int trivial_upper_bound(const MeetingInstance& instance);

/// Lazy greedy on exact marginal gains, then (if `local_search`) first-improvement swaps within
/// `work_limit` scanned edges. optimal is set when the value reaches trivial_upper_bound.
MeetingChoice solve_greedy(const MeetingInstance& instance, bool local_search, std::int64_t work_limit);

/// Branch and bound started from `start` (a feasible choice). Stops after `work_limit` scanned
/// edges with search_complete false and the best choice found so far.
MeetingChoice solve_exact(const MeetingInstance& instance, const MeetingChoice& start, std::int64_t work_limit);

}  // namespace wijkmatch::detail
