// Cost scaling (Goldberg-Tarjan push-relabel) for the preprocessed minimum-cost-flow network
// (mcf_core.hpp).
//
// SOLVES: the same problem as the network simplex, or proves that no feasible flow exists.
//
// HOW: successive approximation (Goldberg and Tarjan 1990, Goldberg 1997).
//   - Feasibility: an artificial root with an arc from every supply node and to every demand
//     node, capacity |b(v)|, cost M = (|V| + 1) max|c| + 1 each way. A cycle through the root
//     costs at least 2M minus a simple path, so the optimum uses an artificial arc exactly when
//     the problem is infeasible (the same argument as the network simplex's big-M start).
//   - Costs are multiplied by K = |V'| + 1 (|V'| = |V| + 1 with the root); a flow that is
//     1-optimal for these costs is optimal, since a residual cycle has at most |V'| arcs and its
//     scaled cost is a multiple of K.
//   - Phases: eps starts at the largest scaled |cost| of a real arc (the zero flow is that
//     optimal: the artificial arcs are empty and cost M > 0) and is divided by alpha = 16 down
//     to 1.
//     A phase (refine) saturates every residual arc of negative reduced cost and then discharges
//     the nodes with excess in FIFO order: push along admissible arcs (reduced cost < 0), or
//     relabel (lower the price until an arc reaches reduced cost -eps), with current-arc
//     pointers.
//   - Instead of single pushes, partial augmentation: from the first active node follow
//     admissible arcs (relabelling dead ends) for at most 4 arcs or to a deficit, then push
//     along the path (Goldberg 1997; LEMON's default).
//   - Global update (price update by a bucket Dijkstra from the deficit nodes over the reverse
//     residual graph, arc lengths in units of eps) at the start of a phase and after every
//     |V'| relabels: it gives each node a price that points it to the nearest deficit.
//   - Potentials: the scaled prices divided by K, then corrected by a label-correcting
//     shortest-path pass on the optimal residual graph with the original costs, which makes
//     every residual reduced cost >= 0 exactly (as LEMON's CostScaling does with Bellman-Ford).
//
// COMPLEXITY: O(|V|^2 |A| log(|V| C)) in the worst case (generic FIFO push-relabel per phase,
// log_alpha(|V| C) phases for the largest |cost| C); the potential pass is label-correcting,
// O(|V| |A|) in the worst case and a few sweeps in practice. Memory O(|V| + |A|).
//
// RANGE: prices fall by at most about (alpha + 3) |V'| eps per phase. The solver computes that
// bound before starting and gives up (the caller falls back to the network simplex) when it
// could leave 2^61, and also checks each relabel against that limit.
//
// REFERENCES
//   A. V. Goldberg, R. E. Tarjan, Finding minimum-cost circulations by successive approximation,
//     Mathematics of Operations Research 15 (1990) 430-466.
//   A. V. Goldberg, An efficient implementation of a scaling minimum-cost flow algorithm,
//     Journal of Algorithms 22 (1997) 1-29.
//   P. Kovacs, Minimum-cost flow algorithms: an experimental evaluation, Optimization Methods and
//     Software 30 (2015) 94-127.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "mcf_core.hpp"

namespace wijkmatch::detail::mcf {

namespace {

constexpr i64 kAlpha = 16;
constexpr i64 kPriceLimit = i64{1} << 61;
constexpr int kMaxPath = 4;

class CostScaling {
 public:
  explicit CostScaling(const Core& core) : core_(core) {}

  Outcome run(CoreResult& out) {
    if (!build()) return Outcome::gave_up;
    i64 eps = max_scaled_cost_;
    do {
      eps = std::max<i64>(1, eps / kAlpha);
      if (!refine(eps)) return Outcome::gave_up;
    } while (eps > 1);
    for (int a = core_.m; a < arcs_; ++a) {
      if (flow(a) != 0) return Outcome::infeasible;
    }
    out.flow.resize(static_cast<std::size_t>(core_.m));
    for (int a = 0; a < core_.m; ++a) out.flow[static_cast<std::size_t>(a)] = flow(a);
    if (!exact_potentials(out.potential)) return Outcome::gave_up;
    return Outcome::optimal;
  }

 private:
  template <class V>
  static auto& at(V& vec, int i) {
    return vec[static_cast<std::size_t>(i)];
  }

  i64 flow(int a) const {
    return res_cap_[static_cast<std::size_t>(rev_[static_cast<std::size_t>(fwd_[static_cast<std::size_t>(a)])])];
  }

  // Residual graph in CSR form: arc a of the network (real ones first, then the artificial
  // ones) is fwd_[a] out of its tail; its reverse is rev_[fwd_[a]].
  bool build() {
    const int n = core_.n;
    nodes_ = n + 1;
    root_ = n;
    const i64 max_c = std::max<i64>(core_.max_abs_cost, 1);
    const i64 big_m = (static_cast<i64>(n) + 1) * max_c + 1;
    scale_ = static_cast<i64>(nodes_) + 1;

    std::vector<int> tail, head;
    std::vector<i64> cap, cost;
    tail.reserve(static_cast<std::size_t>(core_.m + n));
    head.reserve(static_cast<std::size_t>(core_.m + n));
    tail.assign(core_.src.begin(), core_.src.end());
    head.assign(core_.dst.begin(), core_.dst.end());
    cap.assign(core_.cap.begin(), core_.cap.end());
    cost.assign(core_.cost.begin(), core_.cost.end());
    for (int v = 0; v < n; ++v) {
      const i64 b = at(core_.b, v);
      if (b == 0) continue;
      tail.push_back(b > 0 ? v : root_);
      head.push_back(b > 0 ? root_ : v);
      cap.push_back(b > 0 ? b : -b);
      cost.push_back(big_m);
    }
    arcs_ = static_cast<int>(tail.size());

    // Scaled costs must leave room for the prices (checked as they fall, in relabel and in the
    // global update).
    const i128 max_scaled = static_cast<i128>(big_m) * scale_;
    if (max_scaled * 4 >= kPriceLimit) return false;
    // The zero flow with zero prices is eps-optimal for eps = the largest real scaled |cost|:
    // the artificial arcs cost M > 0 and carry nothing, so their big cost adds no phases.
    max_scaled_cost_ = max_c * scale_;

    const auto N = static_cast<std::size_t>(nodes_);
    first_.assign(N + 1, 0);
    for (int a = 0; a < arcs_; ++a) {
      ++first_[static_cast<std::size_t>(at(tail, a)) + 1];
      ++first_[static_cast<std::size_t>(at(head, a)) + 1];
    }
    for (std::size_t v = 0; v < N; ++v) first_[v + 1] += first_[v];
    const auto R = static_cast<std::size_t>(2 * arcs_);
    target_.resize(R);
    rev_.resize(R);
    res_cap_.resize(R);
    cost_.resize(R);
    fwd_.resize(static_cast<std::size_t>(arcs_));
    std::vector<int> fill(first_.begin(), first_.end() - 1);
    for (int a = 0; a < arcs_; ++a) {
      const int t = at(tail, a), h = at(head, a);
      const int f = at(fill, t)++, r = at(fill, h)++;
      at(fwd_, a) = f;
      at(target_, f) = h;
      at(target_, r) = t;
      at(rev_, f) = r;
      at(rev_, r) = f;
      at(res_cap_, f) = at(cap, a);
      at(res_cap_, r) = 0;
      at(cost_, f) = at(cost, a) * scale_;
      at(cost_, r) = -at(cost, a) * scale_;
    }
    gu_interval_ = nodes_;
    excess_.assign(N, 0);
    for (int v = 0; v < n; ++v) at(excess_, v) = at(core_.b, v);
    price_.assign(N, 0);
    current_.assign(N, 0);
    on_path_.assign(N, 0);
    in_queue_.assign(N, 0);
    queue_.assign(N, 0);
    rank_.assign(N, 0);
    bucket_next_.assign(N, -1);
    bucket_prev_.assign(N, -1);
    return true;
  }

  i64 reduced(int v, int a) const {
    return cost_[static_cast<std::size_t>(a)] + price_[static_cast<std::size_t>(v)] -
           price_[static_cast<std::size_t>(target_[static_cast<std::size_t>(a)])];
  }

  // FIFO ring of the active nodes, each at most once (in_queue_).
  void push_queue(int v) {
    if (at(in_queue_, v)) return;
    at(in_queue_, v) = 1;
    at(queue_, queue_tail_) = v;
    if (++queue_tail_ == nodes_) queue_tail_ = 0;
    ++queued_;
  }

  int pop_queue() {
    const int v = at(queue_, queue_head_);
    at(in_queue_, v) = 0;
    if (++queue_head_ == nodes_) queue_head_ = 0;
    --queued_;
    return v;
  }

  bool refine(i64 eps) {
    // Saturate every residual arc of negative reduced cost: the flow becomes 0-optimal and the
    // excesses change accordingly.
    for (int v = 0; v < nodes_; ++v) {
      const int end = at(first_, v + 1);
      for (int a = at(first_, v); a < end; ++a) {
        const i64 r = at(res_cap_, a);
        if (r > 0 && reduced(v, a) < 0) {
          at(res_cap_, a) = 0;
          at(res_cap_, at(rev_, a)) += r;
          at(excess_, v) -= r;
          at(excess_, at(target_, a)) += r;
        }
      }
    }
    queue_head_ = queue_tail_ = queued_ = 0;
    for (int v = 0; v < nodes_; ++v) {
      at(current_, v) = at(first_, v);
      if (at(excess_, v) > 0) push_queue(v);
    }
    if (queued_ == 0) return true;
    if (!global_update(eps)) return false;
    int relabels = 0;
    // Partial augmentation: from the first active node, follow admissible arcs (relabelling a
    // dead end and stepping back) until a deficit node, a node already on the path, or
    // kMaxPath arcs; then push along the path, each arc as much as its tail holds.
    while (queued_ > 0) {
      const int start = at(queue_, queue_head_);
      if (at(excess_, start) <= 0) {
        pop_queue();
        continue;
      }
      int tip = start;
      at(on_path_, start) = 1;
      path_.clear();
      while (static_cast<int>(path_.size()) < kMaxPath && (tip == start || at(excess_, tip) >= 0)) {
        const i64 pt = at(price_, tip);
        const int end = at(first_, tip + 1);
        int a = at(current_, tip);
        for (; a < end; ++a) {
          if (at(res_cap_, a) > 0 && at(cost_, a) + pt - at(price_, at(target_, a)) < 0) break;
        }
        if (a < end) {
          at(current_, tip) = a;
          path_.push_back(a);
          const int w = at(target_, a);
          if (at(on_path_, w)) break;
          at(on_path_, w) = 1;
          tip = w;
          continue;
        }
        // Relabel the dead end: lower its price until its cheapest residual arc costs -eps.
        i64 min_rc = kInf;
        int best = at(first_, tip);
        for (int b = at(first_, tip); b < end; ++b) {
          if (at(res_cap_, b) == 0) continue;
          const i64 rc = at(cost_, b) + pt - at(price_, at(target_, b));
          if (rc < min_rc) {
            min_rc = rc;
            best = b;
          }
        }
        // An inner node of the path also counts the reverse of the arc it was entered by: that
        // arc becomes residual once the path is pushed, and counting it makes the entering arc
        // inadmissible, so the search does not come straight back (the price may fall less than
        // the residual arcs alone allow, which keeps eps-optimality all the same). A node with
        // excess always has a residual arc (the problem with the root is feasible).
        if (tip != start) {
          const int back = at(rev_, path_.back());
          const i64 rc = at(cost_, back) + pt - at(price_, at(target_, back));
          if (rc < min_rc) {
            min_rc = rc;
            best = back;
          }
        }
        if (min_rc == kInf) return false;
        const i64 np = pt - min_rc - eps;
        if (np < -kPriceLimit) return false;
        at(price_, tip) = np;
        at(current_, tip) = best;
        ++relabels;
        if (tip != start) {
          at(on_path_, tip) = 0;
          path_.pop_back();
          tip = path_.empty() ? start : at(target_, path_.back());
        }
      }
      int u = start;
      for (const int a : path_) {
        const int w = at(target_, a);
        const i64 delta = std::min(at(res_cap_, a), at(excess_, u));
        at(res_cap_, a) -= delta;
        at(res_cap_, at(rev_, a)) += delta;
        at(excess_, u) -= delta;
        const i64 before = at(excess_, w);
        at(excess_, w) = before + delta;
        if (before + delta > 0) push_queue(w);
        at(on_path_, w) = 0;
        u = w;
      }
      at(on_path_, start) = 0;
      if (relabels >= gu_interval_) {
        relabels = 0;
        if (!global_update(eps)) return false;
      }
    }
    return true;
  }

  // Prices from a bucket Dijkstra towards the deficit nodes: rank(v) = the least number of
  // eps-steps by which v's price must fall for an admissible path to a deficit, capped when all
  // the excess is reached. Keeps eps-optimality; resets the current arcs. False when a price
  // would leave its range.
  bool global_update(i64 eps) {
    const int max_rank = static_cast<int>(std::min<i64>(kAlpha * nodes_, 1 << 30));
    if (static_cast<int>(bucket_first_.size()) <= max_rank)
      bucket_first_.assign(static_cast<std::size_t>(max_rank) + 1, -1);
    const int unreached = max_rank + 1;
    i64 total_excess = 0;
    for (int v = 0; v < nodes_; ++v) {
      at(rank_, v) = unreached;
      if (at(excess_, v) > 0) total_excess += at(excess_, v);
    }
    auto insert = [&](int v, int r) {
      at(rank_, v) = r;
      const int head = at(bucket_first_, r);
      at(bucket_next_, v) = head;
      at(bucket_prev_, v) = -1;
      if (head >= 0) at(bucket_prev_, head) = v;
      at(bucket_first_, r) = v;
    };
    auto remove = [&](int v) {
      const int r = at(rank_, v);
      const int p = at(bucket_prev_, v), nx = at(bucket_next_, v);
      if (p >= 0)
        at(bucket_next_, p) = nx;
      else
        at(bucket_first_, r) = nx;
      if (nx >= 0) at(bucket_prev_, nx) = p;
    };
    for (int v = 0; v < nodes_; ++v)
      if (at(excess_, v) < 0) insert(v, 0);
    i64 reached = 0;
    int r = 0;
    for (; r <= max_rank && reached < total_excess; ++r) {
      while (at(bucket_first_, r) >= 0) {
        const int u = at(bucket_first_, r);
        remove(u);
        at(rank_, u) = -1 - r;  // settled: encoded so that it is never improved again
        if (at(excess_, u) > 0) {
          reached += at(excess_, u);
          if (reached >= total_excess) break;
        }
        const i64 pu = at(price_, u);
        const int end = at(first_, u + 1);
        for (int a = at(first_, u); a < end; ++a) {
          const int ra = at(rev_, a);
          if (at(res_cap_, ra) == 0) continue;
          const int v = at(target_, a);
          const int old = at(rank_, v);
          if (old < 0 || old <= r) continue;
          const i64 rc = at(cost_, ra) + at(price_, v) - pu;  // >= -eps
          const i64 steps = rc < 0 ? 0 : rc / eps + 1;
          if (steps > max_rank - r) continue;
          const int nr = r + static_cast<int>(steps);
          if (nr < old) {
            if (old != unreached) remove(v);
            insert(v, nr);
          }
        }
      }
      if (reached >= total_excess) break;
    }
    const int cap = std::min(r, max_rank);
    bool ok = true;
    // Clear the buckets still holding nodes, and lower the prices.
    for (int v = 0; v < nodes_; ++v) {
      int rv = at(rank_, v);
      if (rv >= 0 && rv != unreached) {
        at(bucket_first_, rv) = -1;
      }
      rv = rv < 0 ? -1 - rv : std::min(rv, cap);
      if (at(price_, v) - static_cast<i128>(eps) * rv < -kPriceLimit) ok = false;
      at(price_, v) -= eps * rv;
      at(current_, v) = at(first_, v);
    }
    return ok;
  }

  // Exact potentials for the original costs: the scaled prices divided by the scale, then
  // label-correcting passes (FIFO Bellman-Ford from these labels) over the residual real arcs
  // until every residual arc has reduced cost >= 0. The flow is optimal, so the residual graph
  // has no negative cycle and this terminates; false (never expected) past |V| + 1 sweeps'
  // worth of scans, which would mean a negative cycle.
  bool exact_potentials(std::vector<i64>& potential) {
    const int n = core_.n;
    const auto N = static_cast<std::size_t>(n);
    potential.resize(N);
    for (int v = 0; v < n; ++v) {
      const i64 p = at(price_, v);
      at(potential, v) = p >= 0 ? p / scale_ : -((-p + scale_ - 1) / scale_);
    }
    std::vector<char> queued(N, 1);
    std::vector<int> queue(N + 1);
    int head = 0, tail = 0, count = n;
    for (int v = 0; v < n; ++v) at(queue, v) = v;
    tail = n == 0 ? 0 : n % (n + 1);
    const i128 scan_limit = static_cast<i128>(n + 2) * (static_cast<i128>(first_.back()) + n);
    i128 scans = 0;
    while (count > 0) {
      if (scans > scan_limit) return false;
      const int v = at(queue, head);
      if (++head == n + 1) head = 0;
      --count;
      at(queued, v) = 0;
      const i64 pv = at(potential, v);
      const int end = at(first_, v + 1);
      scans += end - at(first_, v) + 1;
      for (int a = at(first_, v); a < end; ++a) {
        const int w = at(target_, a);
        if (w == root_ || at(res_cap_, a) == 0) continue;
        const i64 c = at(cost_, a) / scale_;
        if (at(potential, w) > pv + c) {
          at(potential, w) = pv + c;
          if (!at(queued, w)) {
            at(queued, w) = 1;
            at(queue, tail) = w;
            if (++tail == n + 1) tail = 0;
            ++count;
          }
        }
      }
    }
    return true;
  }

  const Core& core_;
  int nodes_ = 0, root_ = 0, arcs_ = 0, gu_interval_ = 0;
  i64 scale_ = 1, max_scaled_cost_ = 1;
  std::vector<int> first_, target_, rev_, fwd_;
  std::vector<i64> res_cap_, cost_, excess_, price_;
  std::vector<int> current_, queue_, path_;
  std::vector<char> on_path_, in_queue_;
  int queue_head_ = 0, queue_tail_ = 0, queued_ = 0;
  std::vector<int> rank_, bucket_first_, bucket_next_, bucket_prev_;
};

}  // namespace

Outcome run_cost_scaling(const Core& core, CoreResult& out) {
  CostScaling solver(core);
  return solver.run(out);
}

}  // namespace wijkmatch::detail::mcf
