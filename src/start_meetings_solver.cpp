// Start meetings: greedy, swap local search and branch and bound over which meetings to hold.
//
// Everything rests on one incremental b-matching (Matching below). Adding a meeting runs
// augmenting paths from that meeting only: by the classic lemma behind Kuhn's algorithm, a
// meeting that had no augmenting path keeps having none after other augmentations, so the
// matching of the old meetings stays maximum and the new meeting's paths make it maximum again.
// Every change is logged, so a tentative addition (a marginal gain) is undone in the time it
// took. An augmenting path moves invitees between meetings along the path without changing any
// load but the new meeting's, so undoing restores the loads too.
//
// The marginal gain f(S + t) - f(S) is submodular in S (f is a matroid rank function), which
// makes gains computed at an ancestor valid upper bounds below it: the lazy greedy re-evaluates
// only the top of its heap, and the branch and bound leaves a candidate with gain 0 out of the
// whole subtree.
#include "start_meetings_solver.hpp"

#include <algorithm>
#include <array>
#include <queue>
#include <tuple>
#include <utility>

namespace wijkmatch::detail {
namespace {

constexpr std::size_t slot_count = 21;

class Matching {
 public:
  Matching(const MeetingInstance& in, std::int64_t& work) : in_(in), work_(work), owner_(in.invitees, -1) {}

  struct Mark {
    std::size_t log = 0, positions = 0;
    int value = 0;
  };
  Mark mark() const { return {log_.size(), meetings_.size(), value_}; }
  void rollback(Mark m) {
    while (log_.size() > m.log) {
      owner_[log_.back().first] = log_.back().second;
      log_.pop_back();
    }
    meetings_.resize(m.positions);
    load_.resize(m.positions);
    value_ = m.value;
  }
  /// Forgets the undo log (after a committed step that will never be undone).
  void commit() { log_.clear(); }

  int value() const noexcept { return value_; }
  std::size_t size() const noexcept { return meetings_.size(); }
  const std::vector<std::uint32_t>& meetings() const noexcept { return meetings_; }
  /// Meeting position that holds invitee i, or -1.
  int owner(std::uint32_t i) const noexcept { return owner_[i]; }

  /// Adds candidate t as a new meeting and fills it as far as a maximum matching allows.
  /// Returns the gain.
  int add(std::uint32_t t) {
    const int p = static_cast<int>(meetings_.size());
    meetings_.push_back(t);
    load_.push_back(0);
    const int before = value_;
    // Free invitees of t first, in one pass; then paths that move others along.
    for (std::uint32_t k = in_.first[t]; k < in_.first[t + 1] && load_[p] < in_.capacity; ++k) {
      ++work_;
      const std::uint32_t i = in_.members[k];
      if (owner_[i] < 0) {
        set_owner(i, p);
        ++load_[p];
        ++value_;
      }
    }
    while (load_[p] < in_.capacity && augment(p)) {}
    return value_ - before;
  }

 private:
  void set_owner(std::uint32_t i, int p) {
    log_.emplace_back(i, owner_[i]);
    owner_[i] = p;
  }

  // Breadth-first search over meetings from p: meeting q may take invitee i of F(q) from its
  // owner o, which then must take another. Ends at a free invitee.
  bool augment(int p) {
    const std::size_t n = meetings_.size();
    if (seen_.size() < n) {
      seen_.resize(n, 0);
      via_invitee_.resize(n);
      via_meeting_.resize(n);
    }
    ++stamp_;
    queue_.clear();
    queue_.push_back(p);
    seen_[static_cast<std::size_t>(p)] = stamp_;
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      const int q = queue_[head];
      const std::uint32_t t = meetings_[static_cast<std::size_t>(q)];
      for (std::uint32_t k = in_.first[t]; k < in_.first[t + 1]; ++k) {
        ++work_;
        const std::uint32_t i = in_.members[k];
        const int o = owner_[i];
        if (o == q) continue;
        if (o < 0) {
          set_owner(i, q);
          for (int cur = q; cur != p;) {
            const auto c = static_cast<std::size_t>(cur);
            const int prev = via_meeting_[c];
            set_owner(via_invitee_[c], prev);
            cur = prev;
          }
          ++load_[static_cast<std::size_t>(p)];
          ++value_;
          return true;
        }
        const auto oi = static_cast<std::size_t>(o);
        if (seen_[oi] != stamp_) {
          seen_[oi] = stamp_;
          via_invitee_[oi] = i;
          via_meeting_[oi] = q;
          queue_.push_back(o);
        }
      }
    }
    return false;
  }

  const MeetingInstance& in_;
  std::int64_t& work_;
  std::vector<int> owner_;
  std::vector<std::uint32_t> meetings_;
  std::vector<int> load_;
  int value_ = 0;
  std::vector<std::pair<std::uint32_t, int>> log_;
  std::vector<std::uint64_t> seen_;
  std::uint64_t stamp_ = 0;
  std::vector<std::uint32_t> via_invitee_;
  std::vector<int> via_meeting_;
  std::vector<int> queue_;
};

int alone(const MeetingInstance& in, std::uint32_t t) {
  return static_cast<int>(std::min<std::uint32_t>(in.fit_count(t), static_cast<std::uint32_t>(in.capacity)));
}

// Candidates by their value alone, best first (ties by index): the order local search tries
// them in, and the branch and bound's canonical order.
std::vector<std::uint32_t> by_value_alone(const MeetingInstance& in) {
  std::vector<std::uint32_t> order;
  for (std::uint32_t t = 0; t < in.candidates(); ++t)
    if (in.fit_count(t) > 0) order.push_back(t);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return alone(in, a) > alone(in, b); });
  return order;
}

std::array<int, slot_count> slots_used(const MeetingInstance& in, const std::vector<std::uint32_t>& chosen) {
  std::array<int, slot_count> used{};
  for (std::uint32_t t : chosen) ++used[in.slot[t]];
  return used;
}

// First-improvement swaps: drop the meeting at position p, add the best candidate that raises
// f. f(S - s + t) <= f(S - s) + min(C, |F(t)|) by submodularity, so candidates are tried in
// order of that bound and the scan stops as soon as it cannot beat f(S).
void local_search(const MeetingInstance& in, MeetingChoice& c, std::int64_t limit) {
  const std::vector<std::uint32_t> order = by_value_alone(in);
  const std::int64_t stop_at = c.work + limit;
  bool improved = true;
  while (improved && c.work < stop_at && c.value < c.upper_bound) {
    improved = false;
    auto used = slots_used(in, c.chosen);
    for (std::size_t p = 0; p < c.chosen.size() && !improved; ++p) {
      if (p > 0 && c.chosen[p] == c.chosen[p - 1]) continue;  // the same meeting again
      Matching rest(in, c.work);
      for (std::size_t q = 0; q < c.chosen.size(); ++q)
        if (q != p) rest.add(c.chosen[q]);
      rest.commit();
      const int base = rest.value();
      const std::uint32_t dropped = c.chosen[p];
      for (std::uint32_t t : order) {
        if (base + alone(in, t) <= c.value || c.work >= stop_at) break;
        if (t == dropped) continue;
        if (used[in.slot[t]] - (in.slot[t] == in.slot[dropped] ? 1 : 0) >= in.per_slot) continue;
        const auto m = rest.mark();
        const int gain = rest.add(t);
        rest.rollback(m);
        if (base + gain > c.value) {
          c.chosen[p] = t;
          std::sort(c.chosen.begin(), c.chosen.end());
          c.value = base + gain;
          improved = true;
          break;
        }
      }
    }
  }
}

class BranchAndBound {
 public:
  BranchAndBound(const MeetingInstance& in, const MeetingChoice& start, std::int64_t limit)
      : in_(in), best_(start), stop_at_(start.work + limit), matching_(in, best_.work) {
    best_.search_complete = false;
    global_bound_ = trivial_upper_bound(in);
    root_bound_ = global_bound_;
    canonical_ = undominated(in);
  }

  MeetingChoice run() {
    if (best_.value >= global_bound_) {
      finish(true, global_bound_);
      return best_;
    }
    std::vector<std::uint32_t> viable(canonical_.size());
    for (std::uint32_t k = 0; k < viable.size(); ++k) viable[k] = k;
    search(viable, 0);
    const bool complete = !aborted_;
    finish(complete, complete ? best_.value : std::min(global_bound_, std::max(best_.value, root_bound_)));
    return best_;
  }

 private:
  // Within one day-part, a candidate whose invitees all fit another candidate of the same
  // day-part is never needed: the other one can replace each of its copies without breaking
  // the day-part limit or any assignment. Of equal sets the lowest index stays.
  static std::vector<std::uint32_t> undominated(const MeetingInstance& in) {
    std::vector<std::uint32_t> order = by_value_alone(in);
    std::array<std::vector<std::uint32_t>, slot_count> by_slot;
    for (std::uint32_t t = 0; t < in.candidates(); ++t)
      if (in.fit_count(t) > 0) by_slot[in.slot[t]].push_back(t);
    std::vector<char> dominated(in.candidates(), 0);
    auto subset = [&](std::uint32_t a, std::uint32_t b) {  // F(a) within F(b), both ascending
      return std::includes(in.members.begin() + in.first[b], in.members.begin() + in.first[b + 1],
                           in.members.begin() + in.first[a], in.members.begin() + in.first[a + 1]);
    };
    for (auto& list : by_slot) {
      std::stable_sort(list.begin(), list.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return in.fit_count(a) > in.fit_count(b); });
      std::vector<std::uint32_t> kept;
      for (std::uint32_t t : list) {
        for (std::uint32_t k : kept)
          if (subset(t, k)) {
            dominated[t] = 1;
            break;
          }
        if (!dominated[t]) kept.push_back(t);
      }
    }
    std::erase_if(order, [&](std::uint32_t t) { return dominated[t] != 0; });
    return order;
  }

  void finish(bool complete, int bound) {
    best_.search_complete = complete;
    best_.upper_bound = std::max(bound, best_.value);
    best_.optimal = complete || best_.value >= bound;
    std::sort(best_.chosen.begin(), best_.chosen.end());
  }

  // Sum of the best `r` gains the day-part limits admit, each candidate usable as often as its
  // day-part has room, over the gains (sorted best first) whose canonical index is >= from.
  int bound_of(const std::vector<std::pair<int, std::uint32_t>>& gains, std::uint32_t from, int r) const {
    std::array<int, slot_count> room{};
    for (std::size_t s = 0; s < slot_count; ++s) room[s] = in_.per_slot - used_[s];
    int sum = 0;
    for (const auto& [gain, k] : gains) {
      if (r == 0) break;
      if (k < from) continue;
      int& left = room[in_.slot[canonical_[k]]];
      const int copies = std::min(left, r);
      sum += copies * gain;
      left -= copies;
      r -= copies;
    }
    return sum;
  }

  // `viable`: canonical indices (ascending) whose gain was positive at the parent; this node
  // may add those >= from (multisets in canonical order).
  void search(const std::vector<std::uint32_t>& viable, std::uint32_t from) {
    ++best_.nodes;
    if (matching_.value() > best_.value) {
      best_.value = matching_.value();
      best_.chosen = matching_.meetings();
    }
    if (best_.value >= global_bound_) {
      done_ = true;
      return;
    }
    const int r = in_.budget - static_cast<int>(matching_.size());
    if (r <= 0) return;
    std::vector<std::pair<int, std::uint32_t>> gains;
    for (std::uint32_t k : viable) {
      if (k < from) continue;
      const std::uint32_t t = canonical_[k];
      if (used_[in_.slot[t]] >= in_.per_slot) continue;  // only fills up further down
      const auto m = matching_.mark();
      const int gain = matching_.add(t);
      matching_.rollback(m);
      if (gain > 0) gains.emplace_back(gain, k);
      if (best_.work >= stop_at_) {
        aborted_ = true;
        return;
      }
    }
    std::stable_sort(gains.begin(), gains.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const int value = matching_.value();
    const int bound = value + bound_of(gains, from, r);
    if (best_.nodes == 1) root_bound_ = std::min(root_bound_, bound);
    if (bound <= best_.value) return;
    std::vector<std::uint32_t> next;
    next.reserve(gains.size());
    for (const auto& g : gains) next.push_back(g.second);
    std::sort(next.begin(), next.end());
    for (const auto& [gain, k] : gains) {
      // This child and what follows it can add at most gain + the best r - 1 gains from k on.
      ++used_[in_.slot[canonical_[k]]];
      const int child_bound = value + gain + bound_of(gains, k, r - 1);
      if (child_bound > best_.value) {
        const auto m = matching_.mark();
        matching_.add(canonical_[k]);
        search(next, k);
        matching_.rollback(m);
      }
      --used_[in_.slot[canonical_[k]]];
      if (done_ || aborted_) return;
    }
  }

  const MeetingInstance& in_;
  MeetingChoice best_;
  std::int64_t stop_at_;
  Matching matching_;
  std::vector<std::uint32_t> canonical_;
  std::array<int, slot_count> used_{};
  int global_bound_ = 0;
  int root_bound_ = 0;
  bool done_ = false, aborted_ = false;
};

}  // namespace

int trivial_upper_bound(const MeetingInstance& in) {
  std::vector<char> fits(in.invitees, 0);
  for (std::uint32_t i : in.members) fits[i] = 1;
  const auto reachable = std::count(fits.begin(), fits.end(), 1);
  const std::int64_t seats = static_cast<std::int64_t>(in.budget) * in.capacity;
  return static_cast<int>(std::min<std::int64_t>(seats, reachable));
}

int coverage(const MeetingInstance& in, const std::vector<std::uint32_t>& chosen) {
  std::int64_t work = 0;
  Matching m(in, work);
  for (std::uint32_t t : chosen) m.add(t);
  return m.value();
}

MeetingChoice solve_greedy(const MeetingInstance& in, bool with_local_search, std::int64_t work_limit) {
  MeetingChoice c;
  c.upper_bound = trivial_upper_bound(in);
  Matching m(in, c.work);
  std::array<int, slot_count> used{};
  // (gain bound, candidate, size of S when the bound was computed); best bound first, then the
  // lowest candidate.
  using Entry = std::tuple<int, std::uint32_t, std::size_t>;
  auto worse = [](const Entry& a, const Entry& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    return std::get<1>(a) > std::get<1>(b);
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  for (std::uint32_t t = 0; t < in.candidates(); ++t)
    if (alone(in, t) > 0) heap.emplace(alone(in, t), t, 0);
  while (static_cast<int>(m.size()) < in.budget && !heap.empty()) {
    const auto [bound, t, at] = heap.top();
    heap.pop();
    if (used[in.slot[t]] >= in.per_slot) continue;  // the day-part is full for good
    if (at == m.size()) {
      m.add(t);
      m.commit();
      ++used[in.slot[t]];
      heap.emplace(bound, t, std::size_t{0});  // another copy: the old gain is a bound for it
      continue;
    }
    const auto mk = m.mark();
    const int gain = m.add(t);
    m.rollback(mk);
    if (gain > 0) heap.emplace(gain, t, m.size());
  }
  c.chosen = m.meetings();
  std::sort(c.chosen.begin(), c.chosen.end());
  c.value = m.value();
  if (with_local_search) local_search(in, c, work_limit);
  c.optimal = c.value >= c.upper_bound;
  return c;
}

MeetingChoice solve_exact(const MeetingInstance& in, const MeetingChoice& start, std::int64_t work_limit) {
  return BranchAndBound(in, start, work_limit).run();
}

}  // namespace wijkmatch::detail
