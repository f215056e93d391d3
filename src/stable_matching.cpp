// Stable matching with capacities: hospitals/residents deferred acceptance and its checks.
// See include/wijkmatch/stable_matching.hpp for the problem, guarantees and references.
#include "wijkmatch/stable_matching.hpp"

#include "wijkmatch/error.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

#include <string>
#include <utility>

namespace wijkmatch {
namespace {

using Lists = std::vector<std::vector<std::int32_t>>;

constexpr std::size_t kMaxCount = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

[[noreturn]] void fail(const std::string& message) { throw InvalidArgument("stable matching: " + message); }

std::string str(std::int64_t value) { return std::to_string(value); }

/// Throws when a collection has more than INT32_MAX entries. O(1).
void check_count(std::size_t count, const char* what) {
  if (count > kMaxCount) {
    fail(std::string("too many ") + what + " (" + std::to_string(count) + "; at most " + std::to_string(kMaxCount) +
         ")");
  }
}

/// Checks that every entry of every list is in [0, target_count) and appears once per list.
/// O(number of lists + target_count + total length).
void validate_lists(const Lists& lists, std::int32_t target_count, const char* owner, const char* target,
                    const char* list_name) {
  std::vector<std::int32_t> seen_by(static_cast<std::size_t>(target_count), -1);
  std::vector<std::int32_t> seen_at(static_cast<std::size_t>(target_count), -1);
  for (std::size_t o = 0; o < lists.size(); ++o) {
    const auto& list = lists[o];
    check_count(list.size(), "list entries");
    const std::string who = std::string(owner) + " " + std::to_string(o);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::int32_t t = list[i];
      if (t < 0 || t >= target_count) {
        fail(who + ": " + list_name + " entry " + std::to_string(i) + " (" + target + " " + str(t) +
             ") is out of range [0, " + str(target_count) + ")");
      }
      const auto ti = static_cast<std::size_t>(t);
      if (seen_by[ti] == static_cast<std::int32_t>(o)) {
        fail(who + ": " + target + " " + str(t) + " is listed twice in its " + list_name + " (entries " +
             str(seen_at[ti]) + " and " + std::to_string(i) + ")");
      }
      seen_by[ti] = static_cast<std::int32_t>(o);
      seen_at[ti] = static_cast<std::int32_t>(i);
    }
  }
}

/// Residents' lists flattened (CSR), with, for each entry, the rank that the entry's
/// programme gives the resident (-1: the resident is unacceptable to it).
struct AlignedLists {
  std::vector<std::size_t> offset;   ///< size n + 1
  std::vector<std::int32_t> target;  ///< size L
  std::vector<std::int32_t> rank;    ///< size L: reviewer's rank of the proposer, or -1
};

/// Flattens `proposer_lists` (n lists over reviewers) and aligns with them the ranks that
/// reviewer_lists[k] gives the proposers. Inputs must be validated.
/// O(n + reviewers + total length of both sides); no hashing, no n x m table.
AlignedLists align(const Lists& proposer_lists, const Lists& reviewer_lists) {
  AlignedLists a;
  const std::size_t n = proposer_lists.size();
  const std::size_t reviewers = reviewer_lists.size();
  a.offset.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) a.offset[i + 1] = a.offset[i] + proposer_lists[i].size();
  const std::size_t total = a.offset[n];
  a.target.resize(total);
  a.rank.assign(total, -1);
  std::vector<std::int32_t> owner(total);
  std::vector<std::size_t> bucket(reviewers + 1, 0);  // entries grouped by reviewer
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t e = a.offset[i];
    for (const std::int32_t t : proposer_lists[i]) {
      a.target[e] = t;
      owner[e] = static_cast<std::int32_t>(i);
      ++bucket[static_cast<std::size_t>(t) + 1];
      ++e;
    }
  }
  for (std::size_t k = 0; k < reviewers; ++k) bucket[k + 1] += bucket[k];
  std::vector<std::size_t> by_reviewer(total);
  {
    std::vector<std::size_t> fill(bucket.begin(), bucket.end() - 1);
    for (std::size_t e = 0; e < total; ++e) {
      by_reviewer[fill[static_cast<std::size_t>(a.target[e])]++] = e;
    }
  }
  std::vector<std::int32_t> mark(n, -1);
  for (std::size_t k = 0; k < reviewers; ++k) {
    const auto& list = reviewer_lists[k];
    for (std::size_t i = 0; i < list.size(); ++i) {
      mark[static_cast<std::size_t>(list[i])] = static_cast<std::int32_t>(i);
    }
    for (std::size_t j = bucket[k]; j < bucket[k + 1]; ++j) {
      const std::size_t e = by_reviewer[j];
      a.rank[e] = mark[static_cast<std::size_t>(owner[e])];
    }
    for (const std::int32_t p : list) mark[static_cast<std::size_t>(p)] = -1;
  }
  return a;
}

/// Groups an assignment by target, each group ascending. O(n + targets).
Lists group(const std::vector<std::int32_t>& assignment, std::int32_t targets) {
  Lists groups(static_cast<std::size_t>(targets));
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    if (assignment[i] != kUnmatched) {
      groups[static_cast<std::size_t>(assignment[i])].push_back(static_cast<std::int32_t>(i));
    }
  }
  return groups;
}

/// Checks programme_of_resident: its size and entries in {kUnmatched} u [0, programmes). O(R).
void validate_assignment(const std::vector<std::int32_t>& programme_of_resident, std::size_t residents,
                         std::int32_t programmes) {
  if (programme_of_resident.size() != residents) {
    fail("programme_of_resident has " + std::to_string(programme_of_resident.size()) + " entries but there are " +
         std::to_string(residents) + " residents");
  }
  for (std::size_t r = 0; r < programme_of_resident.size(); ++r) {
    const std::int32_t p = programme_of_resident[r];
    if (p != kUnmatched && (p < 0 || p >= programmes)) {
      fail("resident " + std::to_string(r) + ": programme " + str(p) + " is out of range [0, " + str(programmes) +
           ") and is not kUnmatched (-1)");
    }
  }
}

}  // namespace

// ----------------------------------------------------------------------- hospitals/residents

StableMatching StableMatching::from_assignment(std::vector<std::int32_t> programme_of_resident,
                                               std::int32_t programme_count) {
  if (programme_count < 0) fail("programme_count " + str(programme_count) + " is negative");
  check_count(programme_of_resident.size(), "residents");
  validate_assignment(programme_of_resident, programme_of_resident.size(), programme_count);
  StableMatching m;
  m.residents_of_programme = group(programme_of_resident, programme_count);
  m.programme_of_resident = std::move(programme_of_resident);
  return m;
}

const std::vector<std::int32_t>& StableMatching::residents_of(std::int32_t programme) const {
  if (programme < 0 || static_cast<std::size_t>(programme) >= residents_of_programme.size()) {
    throw OutOfRange("stable matching: programme " + str(programme) + " is out of range");
  }
  return residents_of_programme[static_cast<std::size_t>(programme)];
}

std::int32_t StableMatching::programme_of(std::int32_t resident) const {
  if (resident < 0 || static_cast<std::size_t>(resident) >= programme_of_resident.size()) {
    throw OutOfRange("stable matching: resident " + str(resident) + " is out of range");
  }
  return programme_of_resident[static_cast<std::size_t>(resident)];
}

std::int32_t StableMatching::matched_count() const noexcept {
  return static_cast<std::int32_t>(std::count_if(programme_of_resident.begin(), programme_of_resident.end(),
                                                 [](std::int32_t p) { return p != kUnmatched; }));
}

void validate(const StableMatchingInstance& instance) {
  check_count(instance.resident_preferences.size(), "residents");
  check_count(instance.programme_priorities.size(), "programmes");
  const auto& caps = instance.capacities;
  if (caps.size() != instance.programme_priorities.size()) {
    fail("capacities has " + std::to_string(caps.size()) + " entries but there are " +
         std::to_string(instance.programme_priorities.size()) + " programmes");
  }
  for (std::size_t p = 0; p < caps.size(); ++p) {
    if (caps[p] < 0) fail("programme " + std::to_string(p) + ": capacity " + str(caps[p]) + " is negative");
  }
  validate_lists(instance.resident_preferences, instance.programme_count(), "resident", "programme", "preference list");
  validate_lists(instance.programme_priorities, instance.resident_count(), "programme", "resident", "priority list");
}

StableMatching resident_proposing_deferred_acceptance(const StableMatchingInstance& instance) {
  validate(instance);
  const auto R = static_cast<std::size_t>(instance.resident_count());
  const auto P = static_cast<std::size_t>(instance.programme_count());
  const AlignedLists res = align(instance.resident_preferences, instance.programme_priorities);

  // Programme side: held[poff[p] + i] says whether p holds the resident at priority i.
  std::vector<std::size_t> poff(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) poff[p + 1] = poff[p] + instance.programme_priorities[p].size();
  std::vector<char> held(poff[P], 0);
  std::vector<std::int32_t> held_count(P, 0);
  // Priority position of the worst held resident; valid once the programme is full (a full
  // programme stays full: it only swaps its worst resident for a better one).
  std::vector<std::int32_t> worst(P, -1);

  std::vector<std::int32_t> programme_of(R, kUnmatched);
  std::vector<std::size_t> next(res.offset.begin(), res.offset.end() - 1);
  std::int64_t proposals = 0;

  for (std::size_t first = 0; first < R; ++first) {
    // `free_resident` proposes down its list until held; a resident it displaces goes next.
    std::int32_t free_resident = static_cast<std::int32_t>(first);
    while (free_resident != kUnmatched) {
      const auto r = static_cast<std::size_t>(free_resident);
      std::int32_t displaced = kUnmatched;
      bool held_now = false;
      while (!held_now && next[r] < res.offset[r + 1]) {
        const std::size_t e = next[r]++;
        ++proposals;
        const std::int32_t rank = res.rank[e];
        const auto p = static_cast<std::size_t>(res.target[e]);
        const std::int32_t cap = instance.capacities[p];
        if (rank < 0 || cap == 0) continue;  // unacceptable to p, or no seats at all
        const auto& prio = instance.programme_priorities[p];
        if (held_count[p] < cap) {
          held[poff[p] + static_cast<std::size_t>(rank)] = 1;
          if (++held_count[p] == cap) {  // just became full: locate the worst, once
            std::int32_t w = static_cast<std::int32_t>(prio.size()) - 1;
            while (!held[poff[p] + static_cast<std::size_t>(w)]) --w;
            worst[p] = w;
          }
        } else if (rank < worst[p]) {
          const std::int32_t w = worst[p];
          displaced = prio[static_cast<std::size_t>(w)];
          programme_of[static_cast<std::size_t>(displaced)] = kUnmatched;
          held[poff[p] + static_cast<std::size_t>(w)] = 0;
          held[poff[p] + static_cast<std::size_t>(rank)] = 1;
          std::int32_t nw = w - 1;  // stops at `rank` at the latest; moves only upwards
          while (!held[poff[p] + static_cast<std::size_t>(nw)]) --nw;
          worst[p] = nw;
        } else {
          continue;  // p is full of residents it prefers
        }
        programme_of[r] = static_cast<std::int32_t>(p);
        held_now = true;
      }
      free_resident = displaced;
    }
  }

  StableMatching m;
  m.residents_of_programme = group(programme_of, static_cast<std::int32_t>(P));
  m.programme_of_resident = std::move(programme_of);
  m.proposals = proposals;
  return m;
}

namespace {

struct HrCheck {
  AlignedLists res;
  std::vector<std::int32_t> count;       ///< residents matched to each programme
  std::vector<std::int32_t> worst_rank;  ///< programme's rank of its worst matched resident
  bool feasible = true;
};

/// Shared by find_blocking_pairs and is_stable. O(R + P + L).
HrCheck check_hr(const StableMatchingInstance& instance, const StableMatching& matching) {
  validate(instance);
  const auto P = static_cast<std::size_t>(instance.programme_count());
  validate_assignment(matching.programme_of_resident, instance.resident_preferences.size(), instance.programme_count());
  HrCheck c;
  c.res = align(instance.resident_preferences, instance.programme_priorities);
  c.count.assign(P, 0);
  c.worst_rank.assign(P, -1);
  for (const std::int32_t p : matching.programme_of_resident) {
    if (p != kUnmatched) ++c.count[static_cast<std::size_t>(p)];
  }
  for (std::size_t p = 0; p < P; ++p) {
    const auto& prio = instance.programme_priorities[p];
    std::int32_t listed = 0;
    for (std::size_t i = 0; i < prio.size(); ++i) {
      if (matching.programme_of_resident[static_cast<std::size_t>(prio[i])] == static_cast<std::int32_t>(p)) {
        c.worst_rank[p] = static_cast<std::int32_t>(i);
        ++listed;
      }
    }
    // A matched resident p does not list ranks below every listed one.
    if (listed < c.count[p]) {
      c.worst_rank[p] = static_cast<std::int32_t>(prio.size());
      c.feasible = false;
    }
    if (c.count[p] > instance.capacities[p]) c.feasible = false;
  }
  return c;
}

}  // namespace

std::vector<BlockingPair> find_blocking_pairs(const StableMatchingInstance& instance, const StableMatching& matching) {
  const HrCheck c = check_hr(instance, matching);
  std::vector<BlockingPair> pairs;
  const auto R = instance.resident_preferences.size();
  for (std::size_t r = 0; r < R; ++r) {
    const std::int32_t current = matching.programme_of_resident[r];
    for (std::size_t e = c.res.offset[r]; e < c.res.offset[r + 1]; ++e) {
      const std::int32_t p = c.res.target[e];
      if (p == current) break;  // only strictly preferred programmes can block
      const std::int32_t rank = c.res.rank[e];
      if (rank < 0) continue;
      const auto pi = static_cast<std::size_t>(p);
      if (c.count[pi] < instance.capacities[pi] || rank < c.worst_rank[pi]) {
        pairs.push_back({static_cast<std::int32_t>(r), p});
      }
    }
  }
  return pairs;
}

bool is_stable(const StableMatchingInstance& instance, const StableMatching& matching) {
  const HrCheck c = check_hr(instance, matching);
  if (!c.feasible) return false;
  // Every matched resident must list its programme (the programme's side was checked).
  const auto R = instance.resident_preferences.size();
  for (std::size_t r = 0; r < R; ++r) {
    const std::int32_t current = matching.programme_of_resident[r];
    if (current == kUnmatched) continue;
    const auto& prefs = instance.resident_preferences[r];
    if (std::find(prefs.begin(), prefs.end(), current) == prefs.end()) return false;
  }
  if (matching.residents_of_programme != group(matching.programme_of_resident, instance.programme_count())) {
    return false;
  }
  return find_blocking_pairs(instance, matching).empty();
}

}  // namespace wijkmatch
