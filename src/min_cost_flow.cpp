// Exact minimum-cost flow: network simplex and successive shortest paths. See the header.
#include "wijkmatch/min_cost_flow.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace wijkmatch {

namespace {

using i64 = std::int64_t;
__extension__ typedef __int128 i128;

constexpr i64 kInf = std::numeric_limits<i64>::max();
constexpr i64 kPotentialLimit = i64{1} << 59;  // bound on (n + 2) * max|c|
constexpr i64 kSupplyLimit = i64{1} << 62;     // bound on the total (transformed) supply

// The network after preprocessing: arcs with 0 <= x <= cap, cap > 0, tail != head, costs c,
// node supplies b (lower bounds already moved into b).
struct Core {
  int n = 0;
  int m = 0;
  std::vector<int> src, dst;
  std::vector<i64> cap, cost;
  std::vector<i64> b;
  i64 max_abs_cost = 0;
};

enum class Outcome { optimal, infeasible, gave_up };

struct CoreResult {
  std::vector<i64> flow;       // per core arc
  std::vector<i64> potential;  // per node
};

// ------------------------------------------------------------------------------------------
// Primal network simplex with a big-M artificial root, block search pivoting and strongly
// feasible trees. Tree: parent, predecessor arc, its direction, depth, preorder thread.
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
    out.flow.assign(flow_.begin(), flow_.begin() + m_);
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
    std::copy(core_.src.begin(), core_.src.end(), src_.begin());
    std::copy(core_.dst.begin(), core_.dst.end(), dst_.begin());
    std::copy(core_.cap.begin(), core_.cap.end(), cap_.begin());
    std::copy(core_.cost.begin(), core_.cost.end(), cost_.begin());

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
    block_ = std::max(10, static_cast<int>(std::sqrt(static_cast<double>(arcs_))));
    next_arc_ = 0;
  }

  // Block search: the most violating arc of the first block (in cyclic order) that has one.
  int find_entering() {
    if (arcs_ == 0) return -1;
    i64 best = 0;
    int best_arc = -1;
    int count = block_;
    int e = next_arc_;
    for (int k = 0; k < arcs_; ++k) {
      const auto es = static_cast<std::size_t>(e);
      const i64 violation =
          state_[es] * (cost_[es] + pi_[static_cast<std::size_t>(src_[es])] - pi_[static_cast<std::size_t>(dst_[es])]);
      if (violation < best) {
        best = violation;
        best_arc = e;
      }
      if (++e == arcs_) e = 0;
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
  std::vector<int> src_, dst_;
  std::vector<i64> cap_, cost_, flow_;
  std::vector<signed char> state_;
  std::vector<i64> pi_;
  std::vector<int> parent_, pred_, depth_, thread_, rev_thread_, last_succ_;
  std::vector<signed char> dir_;
  std::vector<int> path_;
  std::vector<Segment> segments_;
};

// ------------------------------------------------------------------------------------------
// Successive shortest paths: Dijkstra on reduced costs from one excess node at a time, stopping
// at the first deficit node settled; only settled nodes change potential. Each node's residual
// entries are kept partitioned (entries with residual capacity first), so saturated arcs, e.g.
// the many unused candidate arcs into an offer, cost nothing to skip. The nearest deficit seen
// so far bounds the search: nodes no nearer are never queued, and nodes with few residual arcs
// are looked through on arrival, so that bound tightens early.
class SuccessiveShortestPaths {
 public:
  /// work_limit: residual arcs Dijkstra may scan in total before giving up (< 0: no limit).
  explicit SuccessiveShortestPaths(const Core& core, i64 work_limit = -1) : core_(core), work_left_(work_limit) {}

  /// True when the core network has no directed cycle; then *order is a topological order.
  static bool acyclic(const Core& core, std::vector<int>* order) {
    const auto n = static_cast<std::size_t>(core.n);
    std::vector<int> indeg(n, 0), start(n + 1, 0), adj(static_cast<std::size_t>(core.m));
    for (int a = 0; a < core.m; ++a) {
      ++indeg[static_cast<std::size_t>(core.dst[static_cast<std::size_t>(a)])];
      ++start[static_cast<std::size_t>(core.src[static_cast<std::size_t>(a)]) + 1];
    }
    for (std::size_t v = 0; v < n; ++v) start[v + 1] += start[v];
    {
      std::vector<int> pos(start.begin(), start.end() - 1);
      for (int a = 0; a < core.m; ++a) {
        const auto s = static_cast<std::size_t>(core.src[static_cast<std::size_t>(a)]);
        adj[static_cast<std::size_t>(pos[s]++)] = core.dst[static_cast<std::size_t>(a)];
      }
    }
    std::vector<int> topo;
    topo.reserve(n);
    for (std::size_t v = 0; v < n; ++v)
      if (indeg[v] == 0) topo.push_back(static_cast<int>(v));
    for (std::size_t i = 0; i < topo.size(); ++i) {
      const auto v = static_cast<std::size_t>(topo[i]);
      for (int j = start[v]; j < start[v + 1]; ++j) {
        const int w = adj[static_cast<std::size_t>(j)];
        if (--indeg[static_cast<std::size_t>(w)] == 0) topo.push_back(w);
      }
    }
    if (topo.size() != n) return false;
    if (order != nullptr) *order = std::move(topo);
    return true;
  }

  /// Solves from scratch (with a topological order: acyclic start), or from a warm start: a
  /// pseudoflow with potentials under which every residual arc has reduced cost >= 0.
  Outcome run(CoreResult& out, const std::vector<int>* topo_order, const CoreResult* warm = nullptr) {
    build(topo_order, warm);
    for (int s = 0; s < core_.n; ++s) {
      while (excess_[static_cast<std::size_t>(s)] > 0) {
        const Outcome r = augment_from(s);
        if (r != Outcome::optimal) return r;
      }
    }
    out.flow.resize(static_cast<std::size_t>(core_.m));
    for (std::size_t a = 0; a < static_cast<std::size_t>(core_.m); ++a) {
      const i64 rcap = edges_[static_cast<std::size_t>(pos_[2 * a])].rcap;
      out.flow[a] = init_flow_[a] + (init_rcap_[a] - rcap);
    }
    out.potential = pi_;
    return Outcome::optimal;
  }

 private:
  // A residual entry; code = 2 * arc (forward) or 2 * arc + 1 (reverse); code ^ 1 its mate.
  struct Edge {
    i64 rcap;
    i64 cost;
    int to;
    int code;
  };
  struct HeapItem {
    i64 dist;
    int node;
  };

  template <class V>
  static auto& at(V& vec, int i) {
    return vec[static_cast<std::size_t>(i)];
  }

  int tail_of(int code) const {
    const auto a = static_cast<std::size_t>(code >> 1);
    return (code & 1) != 0 ? core_.dst[a] : core_.src[a];
  }

  void build(const std::vector<int>* topo_order, const CoreResult* warm) {
    const auto N = static_cast<std::size_t>(core_.n);
    const auto M = static_cast<std::size_t>(core_.m);
    excess_ = core_.b;
    init_flow_.assign(M, 0);
    init_rcap_.resize(M);
    std::vector<int> active_count(N, 0);
    start_.assign(N + 1, 0);
    for (std::size_t a = 0; a < M; ++a) {
      const auto s = static_cast<std::size_t>(core_.src[a]);
      const auto t = static_cast<std::size_t>(core_.dst[a]);
      ++start_[s + 1];
      ++start_[t + 1];
      if (warm != nullptr) {
        init_flow_[a] = warm->flow[a];
      } else if (topo_order == nullptr && core_.cost[a] < 0) {  // saturate negative arcs
        init_flow_[a] = core_.cap[a];
      }
      init_rcap_[a] = core_.cap[a] - init_flow_[a];
      excess_[s] -= init_flow_[a];
      excess_[t] += init_flow_[a];
      if (init_rcap_[a] > 0) ++active_count[s];
      if (init_flow_[a] > 0) ++active_count[t];
    }
    for (std::size_t v = 0; v < N; ++v) start_[v + 1] += start_[v];
    active_end_.resize(N);
    std::vector<int> next_inactive(N);
    for (std::size_t v = 0; v < N; ++v) {
      active_end_[v] = start_[v];
      next_inactive[v] = start_[v] + active_count[v];
    }
    edges_.resize(2 * M);
    pos_.resize(2 * M);
    auto place = [&](std::size_t node, Edge e) {
      const int p = e.rcap > 0 ? active_end_[node]++ : next_inactive[node]++;
      edges_[static_cast<std::size_t>(p)] = e;
      pos_[static_cast<std::size_t>(e.code)] = p;
    };
    for (std::size_t a = 0; a < M; ++a) {
      const int code = static_cast<int>(2 * a);
      place(static_cast<std::size_t>(core_.src[a]), Edge{init_rcap_[a], core_.cost[a], core_.dst[a], code});
      place(static_cast<std::size_t>(core_.dst[a]), Edge{init_flow_[a], -core_.cost[a], core_.src[a], code + 1});
    }
    pi_.assign(N, 0);
    if (warm != nullptr) {
      pi_ = warm->potential;
    } else if (topo_order != nullptr) {
      // p(v) = -min(0, shortest distance from v to anywhere): every arc has rc >= 0.
      for (auto it = topo_order->rbegin(); it != topo_order->rend(); ++it) {
        const int v = *it;
        i64 h = 0;
        for (int j = at(start_, v), end = at(active_end_, v); j < end; ++j) {
          const Edge& ed = at(edges_, j);
          h = std::min(h, ed.cost - at(pi_, ed.to));
        }
        at(pi_, v) = -h;
      }
    }
    dist_.assign(N, kInf);
    pred_.assign(N, -1);
    settled_.assign(N, 0);
    touched_.clear();
    settled_list_.clear();
    heap_.clear();
  }

  void swap_entries(int i, int k) {
    if (i == k) return;
    std::swap(at(edges_, i), at(edges_, k));
    at(pos_, at(edges_, i).code) = i;
    at(pos_, at(edges_, k).code) = k;
  }

  void heap_push(i64 d, int v) {
    heap_.push_back(HeapItem{d, v});
    std::size_t i = heap_.size() - 1;
    const HeapItem item = heap_[i];
    while (i > 0) {
      const std::size_t p = (i - 1) / 4;
      if (heap_[p].dist <= item.dist) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = item;
  }

  HeapItem heap_pop() {
    const HeapItem top = heap_.front();
    const HeapItem last = heap_.back();
    heap_.pop_back();
    const std::size_t size = heap_.size();
    if (size == 0) return top;
    std::size_t i = 0;
    while (true) {
      const std::size_t c = 4 * i + 1;
      if (c >= size) break;
      const std::size_t end = std::min(c + 4, size);
      std::size_t best = c;
      for (std::size_t j = c + 1; j < end; ++j)
        if (heap_[j].dist < heap_[best].dist) best = j;
      if (heap_[best].dist >= last.dist) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
    return top;
  }

  static constexpr int kLookAheadDegree = 4;

  // Node v, just reached at tentative distance d, has few residual arcs: reaching deficit
  // nodes through them tightens the bound early, so that far nodes are never queued.
  void look_ahead(int v, i64 d, i64& bound) {
    const i64 pv = at(pi_, v);
    for (int j = at(start_, v), end = at(active_end_, v); j < end; ++j) {
      const Edge& ed = at(edges_, j);
      const int t = ed.to;
      if (at(excess_, t) >= 0) continue;
      const i64 nd = d + (ed.cost + pv - at(pi_, t));
      if (nd >= bound || nd > kPotentialLimit) continue;
      i64& dt = at(dist_, t);
      if (nd >= dt) continue;
      if (dt == kInf) touched_.push_back(t);
      dt = nd;
      at(pred_, t) = ed.code;
      bound = nd;
      heap_push(nd, t);
    }
  }

  Outcome augment_from(int s) {
    at(dist_, s) = 0;
    touched_.push_back(s);
    heap_push(0, s);
    int target = -1;
    i64 target_dist = 0;
    i64 bound = kInf;  // tentative distance of the nearest deficit seen so far
    bool pruned = false;
    while (!heap_.empty() && target < 0) {
      const HeapItem item = heap_pop();
      const int u = item.node;
      if (at(settled_, u) != 0 || item.dist > at(dist_, u)) continue;
      at(settled_, u) = 1;
      settled_list_.push_back(u);
      if (at(excess_, u) < 0) {
        target = u;
        target_dist = item.dist;
        break;
      }
      const i64 du = item.dist;
      const i64 pu = at(pi_, u);
      if (work_left_ >= 0) {
        work_left_ -= 1 + at(active_end_, u) - at(start_, u);
        if (work_left_ < 0) {
          pruned = true;  // over budget: give up (the caller falls back)
          break;
        }
      }
      for (int j = at(start_, u), end = at(active_end_, u); j < end; ++j) {
        const Edge& ed = at(edges_, j);
        const int v = ed.to;
        // |potentials| <= 2^62 and d <= 2^59 keep this in range; longer paths give up.
        const i64 nd = du + (ed.cost + pu - at(pi_, v));
        if (nd >= bound) continue;  // cannot lead to a nearer deficit
        if (nd > kPotentialLimit) {
          pruned = true;
          continue;
        }
        i64& dv = at(dist_, v);
        if (nd >= dv) continue;
        if (dv == kInf) touched_.push_back(v);
        dv = nd;
        at(pred_, v) = ed.code;
        if (at(excess_, v) < 0) {
          if (nd == du) {  // a deficit at the smallest open distance: settled next anyway
            at(settled_, v) = 1;
            settled_list_.push_back(v);
            target = v;
            target_dist = nd;
            break;
          }
          bound = nd;
        } else if (at(active_end_, v) - at(start_, v) <= kLookAheadDegree) {
          look_ahead(v, nd, bound);
        }
        heap_push(nd, v);
      }
    }
    Outcome result = Outcome::optimal;
    if (target < 0) {
      result = pruned ? Outcome::gave_up : Outcome::infeasible;
    } else {
      i64 amount = std::min(at(excess_, s), -at(excess_, target));
      for (int v = target; v != s;) {
        const int code = at(pred_, v);
        amount = std::min(amount, at(edges_, at(pos_, code)).rcap);
        v = tail_of(code);
      }
      for (int v = target; v != s;) {
        const int code = at(pred_, v);
        const int u = tail_of(code);
        Edge& ed = at(edges_, at(pos_, code));
        ed.rcap -= amount;
        if (ed.rcap == 0) swap_entries(at(pos_, code), --at(active_end_, u));
        Edge& mate = at(edges_, at(pos_, code ^ 1));
        const bool was_active = mate.rcap > 0;
        mate.rcap += amount;
        if (!was_active) swap_entries(at(pos_, code ^ 1), at(active_end_, v)++);
        v = u;
      }
      at(excess_, s) -= amount;
      at(excess_, target) += amount;
      for (const int v : settled_list_) {
        i64& p = at(pi_, v);
        p -= target_dist - at(dist_, v);
        if (p < -kSupplyLimit) result = Outcome::gave_up;
      }
    }
    for (const int v : touched_) {
      at(dist_, v) = kInf;
      at(settled_, v) = 0;
    }
    touched_.clear();
    settled_list_.clear();
    heap_.clear();
    return result;
  }

  const Core& core_;
  i64 work_left_;
  std::vector<int> start_, active_end_, pos_;
  std::vector<Edge> edges_;
  std::vector<i64> init_flow_, init_rcap_, excess_, pi_, dist_;
  std::vector<int> pred_, touched_, settled_list_;
  std::vector<char> settled_;
  std::vector<HeapItem> heap_;
};

// ------------------------------------------------------------------------------------------
// Allocation-shaped networks: "persons" (supply > 0, no entering arcs) with arcs to "offers"
// (supply 0, arcs only from persons and only to the sink) and to the sink T (the one node with a
// demand, no leaving arcs); every person can send all its supply on one arc straight to T
// (waiting / overflow). Successive shortest paths from the persons struggle when seats are
// scarce: each person's search must prove that no cheaper displacement chain exists. Run on the
// transposed network instead, from a start where every person waits and every offer's arcs to T
// are saturated, the units to place are the offers' seats; each search starts at an offer and
// ends at the first waiting person or at the seat's return to T, which is local in both the
// scarce and the ample regime.
//
// Builds the transposed problem (arcs reversed, supplies negated) and its warm start; false
// when the network has another shape. The transposed flows are the flows; its potentials,
// negated, are the potentials.
bool transposed_allocation(const Core& core, Core& tr, CoreResult& warm, bool& prefer_forward) {
  const auto N = static_cast<std::size_t>(core.n);
  const auto M = static_cast<std::size_t>(core.m);
  int sink = -1;
  for (std::size_t v = 0; v < N; ++v) {
    if (core.b[v] < 0) {
      if (sink >= 0) return false;
      sink = static_cast<int>(v);
    }
  }
  if (sink < 0) return false;
  const auto T = static_cast<std::size_t>(sink);
  std::vector<int> best_direct(N, -1);  // cheapest person -> T arc
  for (std::size_t a = 0; a < M; ++a) {
    const auto u = static_cast<std::size_t>(core.src[a]);
    const auto v = static_cast<std::size_t>(core.dst[a]);
    if (u == T || core.b[v] > 0) return false;  // nothing leaves T or enters a person
    if (core.b[u] == 0) {
      if (v != T) return false;  // offers lead only to T
    } else if (v == T) {
      const int& best = best_direct[u];
      if (best < 0 || core.cost[a] < core.cost[static_cast<std::size_t>(best)]) best_direct[u] = static_cast<int>(a);
    }
  }
  warm.flow.assign(M, 0);
  warm.potential.assign(N, 0);
  i128 seats = 0;
  for (std::size_t v = 0; v < N; ++v) {
    if (core.b[v] <= 0) continue;
    const int a = best_direct[v];
    if (a < 0 || core.cap[static_cast<std::size_t>(a)] < core.b[v]) return false;
    warm.flow[static_cast<std::size_t>(a)] = core.b[v];  // everybody waits
    warm.potential[v] = -core.cost[static_cast<std::size_t>(a)];
  }
  // Offers: all arcs to T saturated, potential low enough for every arc around them.
  std::vector<i64>& pi = warm.potential;
  std::vector<char> offer_seen(N, 0);
  for (std::size_t a = 0; a < M; ++a) {
    const auto u = static_cast<std::size_t>(core.src[a]);
    const auto v = static_cast<std::size_t>(core.dst[a]);
    i64 bound = 0;
    std::size_t offer = 0;
    if (core.b[u] == 0) {  // offer -> T, saturated: p(offer) <= -c
      offer = u;
      bound = -core.cost[a];
      warm.flow[a] = core.cap[a];
      seats += core.cap[a];
    } else if (v != T) {  // person -> offer, empty: p(offer) <= c + p(person)
      offer = v;
      bound = core.cost[a] + pi[u];
    } else {
      continue;
    }
    if (offer_seen[offer] == 0 || bound < pi[offer]) pi[offer] = bound;
    offer_seen[offer] = 1;
  }
  if (seats > kSupplyLimit) return false;
  // Seats that can be used (at most the supply that can reach them) against the supply: with
  // seats to spare, searches from the persons are short; with seats scarce, from the seats.
  {
    std::vector<i128> reach(N, 0), room(N, 0);
    for (std::size_t a = 0; a < M; ++a) {
      const auto u = static_cast<std::size_t>(core.src[a]);
      const auto v = static_cast<std::size_t>(core.dst[a]);
      if (core.b[u] == 0)
        room[u] += core.cap[a];
      else if (v != T)
        reach[v] += std::min(core.b[u], core.cap[a]);
    }
    i128 usable = 0, supply = 0;
    for (std::size_t v = 0; v < N; ++v) {
      if (core.b[v] > 0)
        supply += core.b[v];
      else if (core.b[v] == 0)
        usable += std::min(room[v], reach[v]);
    }
    prefer_forward = usable >= supply;
  }
  // The transposed network.
  tr.n = core.n;
  tr.m = core.m;
  tr.src = core.dst;
  tr.dst = core.src;
  tr.cap = core.cap;
  tr.cost = core.cost;
  tr.max_abs_cost = core.max_abs_cost;
  tr.b.resize(N);
  for (std::size_t v = 0; v < N; ++v) {
    tr.b[v] = -core.b[v];
    pi[v] = -pi[v];
  }
  return true;
}

}  // namespace

// ------------------------------------------------------------------------------------------

MinCostFlow::MinCostFlow(NodeIndex node_count) {
  if (node_count < 0) throw InvalidArgument("MinCostFlow: negative node count");
  supply_.assign(static_cast<std::size_t>(node_count), 0);
}

MinCostFlow::~MinCostFlow() = default;
MinCostFlow::MinCostFlow(MinCostFlow&&) noexcept = default;
MinCostFlow& MinCostFlow::operator=(MinCostFlow&&) noexcept = default;

void MinCostFlow::reserve(NodeIndex nodes, ArcIndex arcs) {
  if (nodes > 0) supply_.reserve(static_cast<std::size_t>(nodes));
  if (arcs > 0) {
    const auto a = static_cast<std::size_t>(arcs);
    tail_.reserve(a);
    head_.reserve(a);
    lower_.reserve(a);
    upper_.reserve(a);
    cost_.reserve(a);
  }
}

MinCostFlow::NodeIndex MinCostFlow::add_node() {
  if (supply_.size() >= static_cast<std::size_t>(std::numeric_limits<NodeIndex>::max()))
    throw InvalidArgument("MinCostFlow: too many nodes");
  invalidate();
  supply_.push_back(0);
  return static_cast<NodeIndex>(supply_.size() - 1);
}

void MinCostFlow::set_supply(NodeIndex node, FlowQuantity supply) {
  if (node < 0 || node >= node_count())
    throw InvalidArgument("MinCostFlow::set_supply: unknown node " + std::to_string(node));
  if (supply > max_capacity || supply < -max_capacity)
    throw InvalidArgument("MinCostFlow::set_supply: |supply| exceeds max_capacity");
  invalidate();
  supply_[static_cast<std::size_t>(node)] = supply;
}

MinCostFlow::ArcIndex MinCostFlow::add_arc(NodeIndex tail, NodeIndex head, FlowQuantity lower, FlowQuantity upper,
                                           CostValue cost) {
  if (tail < 0 || tail >= node_count() || head < 0 || head >= node_count())
    throw InvalidArgument("MinCostFlow::add_arc: unknown node");
  if (lower < 0) throw InvalidArgument("MinCostFlow::add_arc: negative lower bound");
  if (lower > upper) throw InvalidArgument("MinCostFlow::add_arc: lower bound exceeds capacity");
  if (upper > max_capacity) throw InvalidArgument("MinCostFlow::add_arc: capacity exceeds max_capacity");
  if (cost > max_cost || cost < -max_cost) throw InvalidArgument("MinCostFlow::add_arc: |cost| exceeds max_cost");
  if (tail_.size() >= static_cast<std::size_t>(std::numeric_limits<ArcIndex>::max()))
    throw InvalidArgument("MinCostFlow: too many arcs");
  invalidate();
  tail_.push_back(tail);
  head_.push_back(head);
  lower_.push_back(lower);
  upper_.push_back(upper);
  cost_.push_back(cost);
  return static_cast<ArcIndex>(tail_.size() - 1);
}

void MinCostFlow::invalidate() noexcept {
  solved_ = false;
  status_ = Status::bad_input;
}

MinCostFlow::Status MinCostFlow::solve(Algorithm algorithm) {
  invalidate();
  used_ = Algorithm::automatic;
  flow_.clear();
  potential_.clear();
  optimal_cost_ = 0;

  const auto n = static_cast<std::size_t>(node_count());
  const auto m = static_cast<std::size_t>(arc_count());

  i128 total = 0;
  for (const FlowQuantity b : supply_) total += b;
  if (total != 0) return status_ = Status::unbalanced;

  // Preprocess: fixed arcs and self-loops aside, lower bounds into the supplies.
  Core core;
  core.n = static_cast<int>(n);
  std::vector<i128> b(supply_.begin(), supply_.end());
  std::vector<int> core_arc(m, -1);
  flow_.assign(m, 0);
  for (std::size_t a = 0; a < m; ++a) {
    const int t = tail_[a], h = head_[a];
    const i64 lo = lower_[a], up = upper_[a], c = cost_[a];
    if (t == h) {
      flow_[a] = c < 0 ? up : lo;
      continue;
    }
    b[static_cast<std::size_t>(t)] -= lo;
    b[static_cast<std::size_t>(h)] += lo;
    flow_[a] = lo;
    if (lo == up) continue;
    core_arc[a] = core.m++;
    core.src.push_back(t);
    core.dst.push_back(h);
    core.cap.push_back(up - lo);
    core.cost.push_back(c);
    core.max_abs_cost = std::max(core.max_abs_cost, c < 0 ? -c : c);
  }
  i128 positive = 0;
  core.b.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    if (b[v] > 0) positive += b[v];
    if (b[v] > kSupplyLimit || b[v] < -kSupplyLimit) return status_ = Status::bad_input;
    core.b[v] = static_cast<i64>(b[v]);
  }
  if (positive > kSupplyLimit) return status_ = Status::bad_input;
  if (static_cast<i128>(n + 2) * std::max<i64>(core.max_abs_cost, 1) > kPotentialLimit)
    return status_ = Status::bad_input;

  // Dispatch. Successive shortest paths runs under a work limit when chosen automatically;
  // past it (or when potentials would leave their range) the network simplex takes over.
  CoreResult result;
  Outcome outcome = Outcome::gave_up;
  if (algorithm != Algorithm::network_simplex) {
    const i64 budget = algorithm == Algorithm::automatic ? 256 * (static_cast<i64>(n) + core.m) + 100000 : -1;
    std::vector<int> topo;
    Core transposed;
    CoreResult warm;
    bool prefer_forward = false;
    if (transposed_allocation(core, transposed, warm, prefer_forward)) {
      used_ = Algorithm::successive_shortest_paths;
      if (prefer_forward && SuccessiveShortestPaths::acyclic(core, &topo)) {
        SuccessiveShortestPaths ssp(core, budget);
        outcome = ssp.run(result, &topo);
      } else {
        SuccessiveShortestPaths ssp(transposed, budget);
        outcome = ssp.run(result, nullptr, &warm);
        for (i64& p : result.potential) p = -p;
      }
    } else {
      const bool is_acyclic = SuccessiveShortestPaths::acyclic(core, &topo);
      bool use_ssp = algorithm == Algorithm::successive_shortest_paths;
      if (algorithm == Algorithm::automatic && is_acyclic) {
        std::vector<i64> outdeg(n, 0);
        for (int a = 0; a < core.m; ++a) ++outdeg[static_cast<std::size_t>(core.src[static_cast<std::size_t>(a)])];
        i128 work = 0;
        for (std::size_t v = 0; v < n; ++v)
          if (core.b[v] > 0) work += static_cast<i128>(core.b[v]) * (outdeg[v] + 1);
        // Potentials drift by at most one path length per augmentation.
        const i128 drift = positive * static_cast<i128>(n + 1) * std::max<i64>(core.max_abs_cost, 1);
        use_ssp = work <= static_cast<i128>(2 * core.m) + static_cast<i128>(n) &&
                  drift <= static_cast<i128>(kSupplyLimit / 2);
      }
      if (use_ssp) {
        used_ = Algorithm::successive_shortest_paths;
        SuccessiveShortestPaths ssp(core, budget);
        outcome = ssp.run(result, is_acyclic ? &topo : nullptr);
      }
    }
  }
  if (outcome == Outcome::gave_up) {
    used_ = Algorithm::network_simplex;
    result = CoreResult{};
    NetworkSimplex ns(core);
    outcome = ns.run(result);
  }
  if (outcome == Outcome::infeasible) {
    flow_.clear();
    return status_ = Status::infeasible;
  }

  i128 total_cost = 0;
  for (std::size_t a = 0; a < m; ++a) {
    if (core_arc[a] >= 0) flow_[a] += result.flow[static_cast<std::size_t>(core_arc[a])];
    total_cost += static_cast<i128>(flow_[a]) * cost_[a];
  }
  if (total_cost > std::numeric_limits<i64>::max() || total_cost < std::numeric_limits<i64>::min()) {
    flow_.clear();
    return status_ = Status::bad_input;
  }
  optimal_cost_ = static_cast<i64>(total_cost);
  potential_ = std::move(result.potential);
  solved_ = true;
  return status_ = Status::optimal;
}

void MinCostFlow::check_node(NodeIndex node) const {
  if (node < 0 || node >= node_count())
    throw OutOfRange("MinCostFlow: node index " + std::to_string(node) + " out of range");
}

void MinCostFlow::check_arc(ArcIndex arc) const {
  if (arc < 0 || arc >= arc_count())
    throw OutOfRange("MinCostFlow: arc index " + std::to_string(arc) + " out of range");
}

void MinCostFlow::check_solved() const {
  if (!solved_) throw StateError("MinCostFlow: no optimal solution (call solve() first)");
}

MinCostFlow::CostValue MinCostFlow::optimal_cost() const {
  check_solved();
  return optimal_cost_;
}

MinCostFlow::FlowQuantity MinCostFlow::flow(ArcIndex arc) const {
  check_arc(arc);
  check_solved();
  return flow_[static_cast<std::size_t>(arc)];
}

MinCostFlow::CostValue MinCostFlow::potential(NodeIndex node) const {
  check_node(node);
  check_solved();
  return potential_[static_cast<std::size_t>(node)];
}

MinCostFlow::CostValue MinCostFlow::reduced_cost(ArcIndex arc) const {
  check_arc(arc);
  check_solved();
  const auto a = static_cast<std::size_t>(arc);
  return cost_[a] + potential_[static_cast<std::size_t>(tail_[a])] - potential_[static_cast<std::size_t>(head_[a])];
}

MinCostFlow::FlowQuantity MinCostFlow::supply(NodeIndex node) const {
  check_node(node);
  return supply_[static_cast<std::size_t>(node)];
}
MinCostFlow::NodeIndex MinCostFlow::tail(ArcIndex arc) const {
  check_arc(arc);
  return tail_[static_cast<std::size_t>(arc)];
}
MinCostFlow::NodeIndex MinCostFlow::head(ArcIndex arc) const {
  check_arc(arc);
  return head_[static_cast<std::size_t>(arc)];
}
MinCostFlow::FlowQuantity MinCostFlow::lower(ArcIndex arc) const {
  check_arc(arc);
  return lower_[static_cast<std::size_t>(arc)];
}
MinCostFlow::FlowQuantity MinCostFlow::upper(ArcIndex arc) const {
  check_arc(arc);
  return upper_[static_cast<std::size_t>(arc)];
}
MinCostFlow::CostValue MinCostFlow::cost(ArcIndex arc) const {
  check_arc(arc);
  return cost_[static_cast<std::size_t>(arc)];
}

}  // namespace wijkmatch
