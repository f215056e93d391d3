// Start meetings: greedy, swap local search and branch and bound over which meetings to hold.
//
// Everything rests on one incremental b-matching (Matching below). Adding a meeting runs
// augmenting paths from that meeting only: by the classic lemma behind Kuhn's algorithm, a
// meeting that had no augmenting path keeps having none after other augmentations, so the
// matching of the old meetings stays maximum and the new meeting's paths make it maximum again.
// The paths are found in Dinic's phases (a breadth-first layering, then several paths along
// it), and a meeting from which a search found nothing free is skipped afterwards: the same
// lemma keeps it so. Every change is logged, so a tentative addition (a marginal gain) is
// undone in the time it took. An augmenting path moves invitees between meetings along the
// path without changing any load but the new meeting's, so undoing restores the loads too.
//
// The marginal gain f(S + t) - f(S) is submodular in S (f is a matroid rank function), which
// makes gains computed at an ancestor valid upper bounds below it: the lazy greedy re-evaluates
// only the top of its heap, and the branch and bound leaves a candidate with gain 0 out of the
// whole subtree.
#include "start_meetings_solver.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <queue>
#include <tuple>
#include <utility>

namespace wijkmatch::detail {
namespace {

constexpr std::size_t slot_count = 21;
// Greedy starts of the heuristic with local search (the first is the plain greedy).
constexpr std::size_t restarts = 8;

class Matching {
 public:
  Matching(const MeetingInstance& in, std::int64_t& work) : in_(in), work_(work), owner_(in.invitees, -1) {}

  struct Mark {
    std::size_t log = 0, dead_log = 0, positions = 0;
    int value = 0;
  };
  Mark mark() const { return {log_.size(), dead_log_.size(), meetings_.size(), value_}; }
  void rollback(Mark m) {
    while (log_.size() > m.log) {
      owner_[log_.back().first] = log_.back().second;
      log_.pop_back();
    }
    while (dead_log_.size() > m.dead_log) {
      dead_[dead_log_.back()] = 0;
      dead_log_.pop_back();
    }
    meetings_.resize(m.positions);
    load_.resize(m.positions);
    dead_.resize(m.positions);
    value_ = m.value;
  }
  /// Forgets the undo logs (after a committed step that will never be undone).
  void commit() {
    log_.clear();
    dead_log_.clear();
  }

  int value() const noexcept { return value_; }
  std::size_t size() const noexcept { return meetings_.size(); }
  const std::vector<std::uint32_t>& meetings() const noexcept { return meetings_; }

  /// Adds candidate t as a new meeting and fills it as far as a maximum matching allows.
  /// Returns the gain.
  int add(std::uint32_t t) {
    const int p = static_cast<int>(meetings_.size());
    meetings_.push_back(t);
    load_.push_back(0);
    dead_.push_back(0);
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
    while (load_[p] < in_.capacity && layer(p)) push_phase(p);
    return value_ - before;
  }

 private:
  void set_owner(std::uint32_t i, int p) {
    log_.emplace_back(i, owner_[i]);
    owner_[i] = p;
  }

  // Dinic's phases on the residual graph, from the new meeting p. Meeting q may take invitee i
  // of F(q) from its owner o, which then must take another; a path ends at a free invitee.
  // Meetings carry any flow in the middle of a path (their loads do not change), invitees one.
  // layer(): breadth-first distances of the meetings from p, up to the layer where a free
  // invitee appears; false when none is reachable.
  bool layer(int p) {
    const std::size_t n = meetings_.size();
    if (level_.size() < n) {
      level_.resize(n, 0);
      seen_.resize(n, 0);
      cursor_.resize(n, 0);
      blocked_.resize(n, 0);
    }
    ++stamp_;
    queue_.clear();
    queue_.push_back(p);
    seen_[static_cast<std::size_t>(p)] = stamp_;
    level_[static_cast<std::size_t>(p)] = 0;
    int free_at = -1;
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      const int q = queue_[head];
      const auto qi = static_cast<std::size_t>(q);
      if (free_at >= 0 && level_[qi] >= free_at) break;
      const std::uint32_t t = meetings_[qi];
      for (std::uint32_t k = in_.first[t]; k < in_.first[t + 1]; ++k) {
        ++work_;
        const int o = owner_[in_.members[k]];
        if (o == q) continue;
        if (o < 0) {
          free_at = level_[qi];
          continue;
        }
        const auto oi = static_cast<std::size_t>(o);
        if (seen_[oi] != stamp_ && !dead_[oi]) {
          seen_[oi] = stamp_;
          level_[oi] = level_[qi] + 1;
          queue_.push_back(o);
        }
      }
    }
    if (free_at >= 0) return true;
    // Nothing free is reachable from any meeting visited; augmentations elsewhere keep it so
    // (the path argument of Kuhn's lemma), until a rollback undoes them.
    for (int q : queue_) {
      const auto qi = static_cast<std::size_t>(q);
      if (!dead_[qi]) {
        dead_[qi] = 1;
        dead_log_.push_back(qi);
      }
    }
    return false;
  }

  // Augments along layered paths from p until p is full or the layers are blocked.
  void push_phase(int p) {
    for (int q : queue_) {
      cursor_[static_cast<std::size_t>(q)] = in_.first[meetings_[static_cast<std::size_t>(q)]];
      blocked_[static_cast<std::size_t>(q)] = 0;
    }
    const auto pi = static_cast<std::size_t>(p);
    while (load_[pi] < in_.capacity && push(p)) {
      ++load_[pi];
      ++value_;
    }
  }

  // One path from q to a free invitee through meetings one layer further each step.
  // A cursor only moves past an invitee that q now holds or that led nowhere.
  bool push(int q) {
    const auto qi = static_cast<std::size_t>(q);
    const std::uint32_t end = in_.first[meetings_[qi] + 1];
    for (std::uint32_t& k = cursor_[qi]; k < end; ++k) {
      ++work_;
      const std::uint32_t i = in_.members[k];
      const int o = owner_[i];
      if (o == q) continue;
      if (o >= 0) {
        const auto oi = static_cast<std::size_t>(o);
        if (seen_[oi] != stamp_ || level_[oi] != level_[qi] + 1 || blocked_[oi] || !push(o)) continue;
      }
      set_owner(i, q);
      ++k;
      return true;
    }
    blocked_[qi] = 1;
    return false;
  }

  const MeetingInstance& in_;
  std::int64_t& work_;
  std::vector<int> owner_;
  std::vector<std::uint32_t> meetings_;
  std::vector<int> load_;
  int value_ = 0;
  std::vector<std::pair<std::uint32_t, int>> log_;
  // A dead meeting reaches no free invitee in the residual graph, so searches skip it.
  std::vector<char> dead_;
  std::vector<std::size_t> dead_log_;
  std::vector<std::uint64_t> seen_;  // == stamp_: reached by the current layer()
  std::uint64_t stamp_ = 0;
  std::vector<int> level_;
  std::vector<std::uint32_t> cursor_;
  std::vector<char> blocked_;
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

// Lagrangian relaxation of "each invitee at most once", with a multiplier mu_i >= 0 per
// invitee. For any mu, every meeting is worth v_t(mu), the sum of the C largest positive
// 1 - mu_i over its invitees, independently of the others, and
//     L(mu) = sum_i mu_i + sum over S of v_s + the best r values v_t the day-part limits admit
// bounds f over every completion of S (each invitee's 1 in the objective is paid either by its
// mu_i or by the meeting that takes it). Subgradient steps towards `target` (Polyak's rule)
// lower L; its minimum is the bound of the linear relaxation. The objective is integral, so
// floor(L) is a bound too.
class Lagrangian {
 public:
  Lagrangian(const MeetingInstance& in, std::int64_t& work) : in_(in), work_(work), mu_(in.invitees, 0.0) {}

  /// The best bound found within `iterations` steps; stops early at or below `target`, or when
  /// the work reaches `stop_at` (after at least one step).
  int bound(const std::vector<std::uint32_t>& fixed, const std::vector<std::uint32_t>& open, int r,
            const std::array<int, slot_count>& used, int target, int iterations, std::int64_t stop_at) {
    double best = 1e300;
    double theta = 2.0;
    int since_better = 0;
    std::vector<double> grad(in_.invitees, 0.0);
    std::vector<std::pair<double, std::uint32_t>> value(open.size());
    for (int it = 0; it < iterations; ++it) {
      std::fill(grad.begin(), grad.end(), 1.0);
      double total = 0.0;
      for (double m : mu_) total += m;
      for (std::uint32_t t : fixed) total += worth(t, 1, grad);
      for (std::size_t k = 0; k < open.size(); ++k) value[k] = {worth(open[k], 0, grad), open[k]};
      std::stable_sort(value.begin(), value.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::array<int, slot_count> room{};
      for (std::size_t s = 0; s < slot_count; ++s) room[s] = in_.per_slot - used[s];
      int left = r;
      for (const auto& [v, t] : value) {
        if (left == 0 || v <= 0.0) break;
        const int copies = std::min(room[in_.slot[t]], left);
        if (copies <= 0) continue;
        total += copies * v;
        room[in_.slot[t]] -= copies;
        left -= copies;
        worth(t, copies, grad);
      }
      if (total < best - 1e-9) {
        best = total;
        since_better = 0;
      } else if (++since_better >= 4) {
        theta /= 2.0;
        since_better = 0;
      }
      if (std::floor(best + 1e-7) <= target || work_ >= stop_at) break;
      double norm = 0.0;
      for (std::uint32_t i = 0; i < in_.invitees; ++i) {
        if (mu_[i] <= 0.0 && grad[i] > 0.0) grad[i] = 0.0;  // projected onto mu >= 0
        norm += grad[i] * grad[i];
      }
      if (norm <= 0.0) break;  // L is at its minimum
      const double step = theta * (total - target) / norm;
      for (std::uint32_t i = 0; i < in_.invitees; ++i) mu_[i] = std::max(0.0, mu_[i] - step * grad[i]);
    }
    return static_cast<int>(std::floor(best + 1e-7));
  }

 private:
  // v_t(mu); with copies > 0, also takes `copies` times its chosen invitees off their
  // subgradient 1 - (meetings that take i).
  double worth(std::uint32_t t, int copies, std::vector<double>& grad) {
    picked_.clear();
    for (std::uint32_t k = in_.first[t]; k < in_.first[t + 1]; ++k) {
      ++work_;
      const std::uint32_t i = in_.members[k];
      if (mu_[i] < 1.0) picked_.emplace_back(1.0 - mu_[i], i);
    }
    const auto c = static_cast<std::size_t>(in_.capacity);
    if (picked_.size() > c) {
      std::nth_element(picked_.begin(), picked_.begin() + static_cast<std::ptrdiff_t>(c), picked_.end(),
                       [](const auto& a, const auto& b) {
                         return a.first > b.first || (a.first == b.first && a.second < b.second);
                       });
      picked_.resize(c);
    }
    double sum = 0.0;
    for (const auto& [w, i] : picked_) {
      sum += w;
      if (copies > 0) grad[i] -= copies;
    }
    return sum;
  }

  const MeetingInstance& in_;
  std::int64_t& work_;
  std::vector<double> mu_;
  std::vector<std::pair<double, std::uint32_t>> picked_;
};

class BranchAndBound {
  // Subgradient steps of the Lagrangian bound at the root (which is reported when the search
  // stops early) and at every other node that the gain bound does not prune (warm-started
  // from the multipliers of the node before).
  static constexpr int root_iterations = 300;
  static constexpr int node_iterations = 30;

 public:
  BranchAndBound(const MeetingInstance& in, const MeetingChoice& start, std::int64_t limit)
      : in_(in), best_(start), stop_at_(start.work + limit), matching_(in, best_.work), lagrangian_(in, best_.work) {
    best_.search_complete = false;
    global_bound_ = trivial_upper_bound(in);
    root_bound_ = global_bound_;
  }

  MeetingChoice run() {
    if (best_.value >= global_bound_) {
      finish(true, global_bound_);
      return best_;
    }
    canonical_ = undominated(in_);
    std::vector<std::pair<int, std::uint32_t>> viable;
    for (std::uint32_t k = 0; k < canonical_.size(); ++k) viable.emplace_back(alone(in_, canonical_[k]), k);
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

  // `viable`: (bound on the gain, canonical index) of the candidates whose gain was positive at
  // the parent, best first; this node may add those with index >= from (multisets in canonical
  // order). The bound of the node is the greedy selection of the best r gains under the
  // day-part limits, evaluated lazily: a bound is replaced by the exact gain only when it
  // reaches the top. Selecting by values that are exact for the evaluated candidates and upper
  // bounds for the rest gives an upper bound of the selection by exact gains.
  void search(const std::vector<std::pair<int, std::uint32_t>>& viable, std::uint32_t from) {
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
    const int value = matching_.value();
    using Item = std::tuple<int, std::uint32_t, bool>;  // bound, canonical index, exact
    auto below = [](const Item& a, const Item& b) {
      if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
      return std::get<1>(a) > std::get<1>(b);
    };
    std::vector<Item> heap;
    for (const auto& [bound, k] : viable)
      if (k >= from && used_[in_.slot[canonical_[k]]] < in_.per_slot) heap.emplace_back(bound, k, false);
    std::make_heap(heap.begin(), heap.end(), below);
    std::array<int, slot_count> room{};
    for (std::size_t s = 0; s < slot_count; ++s) room[s] = in_.per_slot - used_[s];
    int left = r, bound = value;
    std::vector<std::pair<int, std::uint32_t>> gains;  // for the children, best first
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), below);
      const auto [b, k, exact] = heap.back();
      heap.pop_back();
      if (left == 0 || exact) {
        gains.emplace_back(b, k);
        if (left > 0) {
          const int copies = std::min(room[in_.slot[canonical_[k]]], left);
          bound += copies * b;
          room[in_.slot[canonical_[k]]] -= copies;
          left -= copies;
        }
        continue;
      }
      const auto m = matching_.mark();
      const int gain = matching_.add(canonical_[k]);
      matching_.rollback(m);
      if (best_.work >= stop_at_) {
        aborted_ = true;
        return;
      }
      if (gain > 0) {
        heap.emplace_back(gain, k, true);
        std::push_heap(heap.begin(), heap.end(), below);
      }
    }
    std::stable_sort(gains.begin(), gains.end(), [](const auto& a, const auto& c) { return a.first > c.first; });
    if (best_.nodes == 1) root_bound_ = std::min(root_bound_, bound);
    if (bound <= best_.value) return;
    if (r >= 2) {
      open_.clear();
      for (const auto& g : gains)
        if (g.second >= from) open_.push_back(canonical_[g.second]);
      const int iterations = best_.nodes == 1 ? root_iterations : node_iterations;
      const int lb = lagrangian_.bound(matching_.meetings(), open_, r, used_, best_.value, iterations, stop_at_);
      if (best_.nodes == 1) root_bound_ = std::min(root_bound_, lb);
      if (lb <= best_.value) return;
    }
    for (const auto& [gain, k] : gains) {
      if (k < from) continue;
      // This child and what follows it can add at most its gain + the best r - 1 gains from k on.
      ++used_[in_.slot[canonical_[k]]];
      if (used_[in_.slot[canonical_[k]]] <= in_.per_slot && value + gain + bound_of(gains, k, r - 1) > best_.value) {
        const auto m = matching_.mark();
        matching_.add(canonical_[k]);
        search(gains, k);
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
  Lagrangian lagrangian_;
  std::vector<std::uint32_t> open_;
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

namespace {

// Lazy greedy; `first`, when given, is taken before anything else.
MeetingChoice greedy(const MeetingInstance& in, std::optional<std::uint32_t> first, std::int64_t& work) {
  MeetingChoice c;
  Matching m(in, work);
  std::array<int, slot_count> used{};
  if (first) {
    m.add(*first);
    m.commit();
    ++used[in.slot[*first]];
  }
  // (gain bound, candidate, size of S when the bound was computed); best bound first, then the
  // lowest candidate.
  using Entry = std::tuple<int, std::uint32_t, std::size_t>;
  auto worse = [](const Entry& a, const Entry& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    return std::get<1>(a) > std::get<1>(b);
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  const std::size_t stale = in.candidates() + 1;  // no size of S: a bound to re-evaluate
  for (std::uint32_t t = 0; t < in.candidates(); ++t)
    if (alone(in, t) > 0) heap.emplace(alone(in, t), t, m.size() == 0 ? 0 : stale);
  while (static_cast<int>(m.size()) < in.budget && !heap.empty()) {
    const auto [bound, t, at] = heap.top();
    heap.pop();
    if (used[in.slot[t]] >= in.per_slot) continue;  // the day-part is full for good
    if (at == m.size()) {
      m.add(t);
      m.commit();
      ++used[in.slot[t]];
      heap.emplace(bound, t, stale);  // another copy: the old gain is a bound for it
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
  return c;
}

}  // namespace

MeetingChoice solve_greedy(const MeetingInstance& in, bool with_local_search, std::int64_t work_limit) {
  std::int64_t work = 0;
  const int bound = trivial_upper_bound(in);
  MeetingChoice best = greedy(in, std::nullopt, work);
  best.upper_bound = bound;
  if (with_local_search) {
    // Swaps from the greedy choice, then from greedy choices that start with the next best
    // meetings alone, while the work lasts; the first best value stays.
    const std::int64_t stop_at = work + work_limit;
    best.work = work;
    local_search(in, best, stop_at - best.work);
    work = best.work;
    const std::vector<std::uint32_t> order = by_value_alone(in);
    for (std::size_t k = 1; k < std::min<std::size_t>(order.size(), restarts) && best.value < bound && work < stop_at;
         ++k) {
      MeetingChoice other = greedy(in, order[k], work);
      other.upper_bound = bound;
      other.work = work;
      local_search(in, other, stop_at - other.work);
      work = other.work;
      if (other.value > best.value) best = other;
    }
  }
  best.work = work;
  best.optimal = best.value >= bound;
  return best;
}

MeetingChoice solve_exact(const MeetingInstance& in, const MeetingChoice& start, std::int64_t work_limit) {
  return BranchAndBound(in, start, work_limit).run();
}

}  // namespace wijkmatch::detail
