// Primal network simplex for the preprocessed minimum-cost-flow network (mcf_core.hpp).
//
// SOLVES: minimise sum_a c(a) x(a) subject to 0 <= x(a) <= cap(a) and flow conservation with
// node supplies b (lower bounds, fixed arcs and self-loops were removed by MinCostFlow::solve),
// or prove that no feasible flow exists. Returns the flow and node potentials that certify it.
//
// HOW: Dantzig's simplex method specialised to networks, in the form of Cunningham's strongly
// feasible spanning trees.
//   - Start: an artificial root and one artificial arc per node (v -> root when b(v) >= 0,
//     root -> v otherwise), carrying the supplies at cost M = (|V| + 1) max|c| + 1. Any simple
//     path costs less than M / 2, so the problem is infeasible exactly when an artificial arc
//     still carries flow at the optimum.
//   - Entering arc: block search (Grigoriadis): the real arcs, stored interleaved (every
//     max(|A|/|V|, 3)-th arc in a round, as LEMON does), are scanned cyclically in blocks of
//     about sqrt(|A|) arcs; the most violating arc of the first block that has one enters.
//     Artificial arcs are not searched: one that left the tree stays out.
//   - Leaving arc: the last blocking arc met going round the cycle in the direction of flow from
//     the apex; this keeps the tree strongly feasible, which excludes cycling.
//   - Tree: parent, predecessor arc and its direction, depth, preorder thread and its reverse,
//     last descendant. A pivot re-splices the thread segment by segment along the stem (time
//     linear in the stem) and updates potentials and depths in one pass over the moved subtree.
//
// COMPLEXITY: the primal simplex has no polynomial bound (Zadeh's examples); anti-cycling
// guarantees termination. A pivot costs O(B + S) for the block size B and the size S of the
// moved subtree; memory O(|V| + |A|). In practice it is the fastest general method on
// NETGEN-like networks (Kovacs 2015).
//
// REFERENCES
//   R. K. Ahuja, T. L. Magnanti, J. B. Orlin, Network Flows: Theory, Algorithms, and
//     Applications, Prentice Hall, 1993, chapter 11.
//   W. H. Cunningham, A network simplex method, Mathematical Programming 11 (1976) 105-116.
//   M. D. Grigoriadis, An efficient implementation of the network simplex method, Mathematical
//     Programming Study 26 (1986) 83-111.
//   P. Kovacs, Minimum-cost flow algorithms: an experimental evaluation, Optimization Methods and
//     Software 30 (2015) 94-127.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "mcf_core.hpp"

namespace wijkmatch::detail::mcf {

namespace {

class NetworkSimplex {
 public:
  explicit NetworkSimplex(const Core& core) : core_(core) {}

  Outcome run(CoreResult& out) {
    init();
    while (true) {
      const int entering = find_entering();
      if (entering < 0) break;
      pivot(entering);
    }
    for (int v = 0; v < n_; ++v) {
      if (flow_[static_cast<std::size_t>(m_ + v)] != 0) return Outcome::infeasible;
    }
    out.flow.resize(static_cast<std::size_t>(m_));
    for (int a = 0; a < m_; ++a)
      out.flow[static_cast<std::size_t>(a)] = flow_[static_cast<std::size_t>(slot_[static_cast<std::size_t>(a)])];
    out.potential.assign(pi_.begin(), pi_.begin() + n_);
    return Outcome::optimal;
  }

 private:
  static constexpr signed char kTree = 0, kLower = 1, kUpper = -1;
  static constexpr signed char kUp = 1, kDown = -1;  // pred arc points to parent / to child

  void init() {
    n_ = core_.n;
    m_ = core_.m;
    root_ = n_;
    arcs_ = m_ + n_;
    const auto A = static_cast<std::size_t>(arcs_);
    const auto N = static_cast<std::size_t>(n_ + 1);
    src_.resize(A);
    dst_.resize(A);
    cap_.resize(A);
    cost_.resize(A);
    flow_.assign(A, 0);
    state_.assign(A, kLower);
    // Arcs are stored interleaved (core arc a at slot_[a]: every skip-th slot, then the next
    // round), so that a block of the pivot search samples the whole network rather than the
    // out-arcs of a few neighbouring nodes, which generators and callers tend to add together.
    // On structured networks this cuts the pivot count several times (LEMON does the same).
    slot_.resize(static_cast<std::size_t>(m_));
    {
      const int skip = n_ > 1 ? std::max(m_ / n_, 3) : 1;
      int i = 0, j = 0;
      for (int a = 0; a < m_; ++a) {
        const auto as = static_cast<std::size_t>(a);
        const auto is = static_cast<std::size_t>(i);
        slot_[as] = i;
        src_[is] = core_.src[as];
        dst_[is] = core_.dst[as];
        cap_[is] = core_.cap[as];
        cost_[is] = core_.cost[as];
        if ((i += skip) >= m_) i = ++j;
      }
    }

    // Any simple path costs at most (n - 1) * max|c| < M / 2, so a flow using artificial arcs
    // can never beat a feasible one (two artificial arcs per cycle through the root).
    const i64 big_m = (static_cast<i64>(n_) + 1) * std::max<i64>(core_.max_abs_cost, 1) + 1;

    pi_.assign(N, 0);
    parent_.assign(N, -1);
    pred_.assign(N, -1);
    dir_.assign(N, kUp);
    depth_.assign(N, 0);
    thread_.assign(N, 0);
    rev_thread_.assign(N, 0);
    last_succ_.assign(N, 0);
    for (int v = 0; v < n_; ++v) {
      const auto a = static_cast<std::size_t>(m_ + v);
      const auto vs = static_cast<std::size_t>(v);
      const i64 b = core_.b[vs];
      cap_[a] = kInf;
      cost_[a] = big_m;
      state_[a] = kTree;
      if (b >= 0) {  // v -> root carries the supply; keeps the tree strongly feasible
        src_[a] = v;
        dst_[a] = root_;
        flow_[a] = b;
        pi_[vs] = -big_m;
        dir_[vs] = kUp;
      } else {
        src_[a] = root_;
        dst_[a] = v;
        flow_[a] = -b;
        pi_[vs] = big_m;
        dir_[vs] = kDown;
      }
      parent_[vs] = root_;
      pred_[vs] = m_ + v;
      depth_[vs] = 1;
      last_succ_[vs] = v;
    }
    last_succ_[static_cast<std::size_t>(root_)] = n_ > 0 ? n_ - 1 : root_;
    // Thread: root, 0, 1, ..., n - 1, root.
    for (int v = 0; v <= n_; ++v) {
      const int next = (v == root_) ? (n_ > 0 ? 0 : root_) : (v + 1 == n_ ? root_ : v + 1);
      thread_[static_cast<std::size_t>(v)] = next;
      rev_thread_[static_cast<std::size_t>(next)] = v;
    }
    // Only real arcs are searched: an artificial arc leaves the tree empty and never needs to
    // re-enter (the infeasibility argument holds for the network without it).
    block_ = std::max(10, static_cast<int>(std::sqrt(static_cast<double>(m_))));
    next_arc_ = 0;
  }

  // Block search: the most violating arc of the first block (in cyclic order) that has one.
  int find_entering() {
    if (m_ == 0) return -1;
    i64 best = 0;
    int best_arc = -1;
    int count = block_;
    int e = next_arc_;
    for (int k = 0; k < m_; ++k) {
      const auto es = static_cast<std::size_t>(e);
      const i64 violation =
          state_[es] * (cost_[es] + pi_[static_cast<std::size_t>(src_[es])] - pi_[static_cast<std::size_t>(dst_[es])]);
      if (violation < best) {
        best = violation;
        best_arc = e;
      }
      if (++e == m_) e = 0;
      if (--count == 0) {
        if (best_arc >= 0) {
          next_arc_ = e;
          return best_arc;
        }
        count = block_;
      }
    }
    next_arc_ = e;
    return best_arc;
  }

  void pivot(int e) {
    const auto es = static_cast<std::size_t>(e);
    const bool forward = state_[es] == kLower;
    const int first = forward ? src_[es] : dst_[es];
    const int second = forward ? dst_[es] : src_[es];

    // Apex of the cycle.
    int u = first, v = second;
    while (u != v) {
      const int du = depth_[static_cast<std::size_t>(u)];
      const int dv = depth_[static_cast<std::size_t>(v)];
      if (du >= dv) u = parent_[static_cast<std::size_t>(u)];
      if (dv >= du) v = parent_[static_cast<std::size_t>(v)];
    }
    const int join = u;

    // Leaving arc: last blocking arc in the direction of flow starting at the apex
    // (join -> first, entering arc, second -> join).
    i64 delta = cap_[es];
    int u_out = -1;
    bool out_on_first = false;
    for (int w = first; w != join; w = parent_[static_cast<std::size_t>(w)]) {
      const auto ws = static_cast<std::size_t>(w);
      const auto a = static_cast<std::size_t>(pred_[ws]);
      const i64 r = dir_[ws] == kUp ? flow_[a] : cap_[a] - flow_[a];
      if (r < delta) {
        delta = r;
        u_out = w;
        out_on_first = true;
      }
    }
    for (int w = second; w != join; w = parent_[static_cast<std::size_t>(w)]) {
      const auto ws = static_cast<std::size_t>(w);
      const auto a = static_cast<std::size_t>(pred_[ws]);
      const i64 r = dir_[ws] == kUp ? cap_[a] - flow_[a] : flow_[a];
      if (r <= delta) {
        delta = r;
        u_out = w;
        out_on_first = false;
      }
    }

    if (delta > 0) {
      flow_[es] += forward ? delta : -delta;
      for (int w = first; w != join; w = parent_[static_cast<std::size_t>(w)]) {
        const auto ws = static_cast<std::size_t>(w);
        flow_[static_cast<std::size_t>(pred_[ws])] -= dir_[ws] * delta;
      }
      for (int w = second; w != join; w = parent_[static_cast<std::size_t>(w)]) {
        const auto ws = static_cast<std::size_t>(w);
        flow_[static_cast<std::size_t>(pred_[ws])] += dir_[ws] * delta;
      }
    }

    if (u_out < 0) {  // the entering arc goes from one bound to the other
      state_[es] = static_cast<signed char>(-state_[es]);
      return;
    }

    const auto leaving = static_cast<std::size_t>(pred_[static_cast<std::size_t>(u_out)]);
    state_[leaving] = flow_[leaving] == 0 ? kLower : kUpper;
    state_[es] = kTree;

    const int u_in = out_on_first ? first : second;
    const int v_in = out_on_first ? second : first;
    const i64 rc = cost_[es] + pi_[static_cast<std::size_t>(src_[es])] - pi_[static_cast<std::size_t>(dst_[es])];
    const i64 sigma = (src_[es] == u_in) ? -rc : rc;
    rehang(e, u_in, v_in, u_out, sigma);
  }

  // Cuts the subtree of u_out, re-roots it at u_in and hangs it below v_in by arc e, adding
  // sigma to its potentials. The preorder thread is re-spliced segment by segment in time
  // linear in the stem u_in .. u_out (plus the ancestors whose last descendant changes); one
  // pass over the moved subtree updates potentials and depths.
  //
  // Old preorder of the stem p_0 = u_in, ..., p_k = u_out: the block of p_i is
  //   p_i, A_i, block(p_{i-1}), B_i
  // and the new preorder of the re-rooted subtree is
  //   p_0, D_0, p_1, A_1, B_1, ..., p_k, A_k, B_k        (D_0: p_0's old descendants).
  void rehang(int e, int u_in, int v_in, int u_out, i64 sigma) {
    auto at = [](auto& vec, int i) -> auto& { return vec[static_cast<std::size_t>(i)]; };

    path_.clear();
    for (int w = u_in;; w = at(parent_, w)) {
      path_.push_back(w);
      if (w == u_out) break;
    }
    const int k = static_cast<int>(path_.size()) - 1;
    const int base_depth = at(depth_, v_in) + 1;

    // Segments of the new order, from the old thread: {first, last, depth shift}.
    segments_.clear();
    for (int i = 0; i <= k; ++i) {
      const int p = at(path_, i);
      const int shift = base_depth + i - at(depth_, p);
      segments_.push_back(Segment{p, p, shift});
      if (i == 0) {
        if (at(last_succ_, p) != p) segments_.push_back(Segment{at(thread_, p), at(last_succ_, p), shift});
      } else {
        const int child = at(path_, i - 1);
        if (at(thread_, p) != child) segments_.push_back(Segment{at(thread_, p), at(rev_thread_, child), shift});
        if (at(last_succ_, p) != at(last_succ_, child))
          segments_.push_back(Segment{at(thread_, at(last_succ_, child)), at(last_succ_, p), shift});
      }
    }

    // Cut the old block of u_out out of the thread.
    const int old_last = at(last_succ_, u_out);
    const int before = at(rev_thread_, u_out);
    const int after = at(thread_, old_last);
    at(thread_, before) = after;
    at(rev_thread_, after) = before;
    for (int w = at(parent_, u_out); w >= 0 && at(last_succ_, w) == old_last; w = at(parent_, w))
      at(last_succ_, w) = before;

    // Insert the new order right after v_in.
    const int next = at(thread_, v_in);
    int prev = v_in;
    for (const Segment& seg : segments_) {
      at(thread_, prev) = seg.first;
      at(rev_thread_, seg.first) = prev;
      prev = seg.last;
    }
    at(thread_, prev) = next;
    at(rev_thread_, next) = prev;
    const int new_last = prev;
    for (int w = v_in; w >= 0 && at(last_succ_, w) == v_in; w = at(parent_, w)) at(last_succ_, w) = new_last;
    for (const int p : path_) at(last_succ_, p) = new_last;

    // Reverse the parent chain along the stem.
    int prev_node = v_in;
    int prev_pred = e;
    signed char prev_dir = (src_[static_cast<std::size_t>(e)] == u_in) ? kUp : kDown;
    for (const int w : path_) {
      const int old_pred = at(pred_, w);
      const signed char old_dir = at(dir_, w);
      at(parent_, w) = prev_node;
      at(pred_, w) = prev_pred;
      at(dir_, w) = prev_dir;
      prev_node = w;
      prev_pred = old_pred;
      prev_dir = static_cast<signed char>(-old_dir);
    }

    // Potentials and depths of the moved subtree.
    for (const Segment& seg : segments_) {
      for (int x = seg.first;; x = at(thread_, x)) {
        at(pi_, x) += sigma;
        at(depth_, x) += seg.shift;
        if (x == seg.last) break;
      }
    }
  }

  struct Segment {
    int first, last, shift;
  };

  const Core& core_;
  int n_ = 0, m_ = 0, root_ = 0, arcs_ = 0, block_ = 10, next_arc_ = 0;
  std::vector<int> src_, dst_, slot_;
  std::vector<i64> cap_, cost_, flow_;
  std::vector<signed char> state_;
  std::vector<i64> pi_;
  std::vector<int> parent_, pred_, depth_, thread_, rev_thread_, last_succ_;
  std::vector<signed char> dir_;
  std::vector<int> path_;
  std::vector<Segment> segments_;
};

}  // namespace

Outcome run_network_simplex(const Core& core, CoreResult& out) {
  NetworkSimplex simplex(core);
  return simplex.run(out);
}

}  // namespace wijkmatch::detail::mcf
