// Successive shortest paths for the preprocessed minimum-cost-flow network (mcf_core.hpp).
//
// SOLVES: the same problem as the network simplex (minimum-cost flow with 0 <= x <= cap and
// supplies b, or a proof of infeasibility), returning the flow and certifying node potentials.
// MinCostFlow::solve() picks it for acyclic networks with small supplies and for
// allocation-shaped networks, under a work limit past which the network simplex takes over.
//
// HOW (Edmonds and Karp 1972; Tomizawa 1971): keep a pseudoflow and potentials under which every
// residual arc has reduced cost >= 0. Repeatedly run Dijkstra on reduced costs from one node
// with excess, stop at the first node with a deficit that it settles, augment along the path
// and lower the settled nodes' potentials (p(v) -= D - d(v) for the target distance D). Only
// settled nodes change potential, so a search costs time in the region it explores, not in
// the network. Each node's residual entries are kept partitioned (entries with residual
// capacity first), so saturated arcs, e.g. the many unused candidate arcs into an offer, cost
// nothing to skip. The nearest deficit seen so far bounds the search: nodes no nearer are never
// queued, and nodes with at most 4 residual arcs are looked through on arrival, so that the
// bound tightens early. The heap is 4-ary.
//   Start: on acyclic networks, potentials from one shortest-path pass in topological order
// (negative costs need no special treatment); otherwise negative-cost arcs are saturated; or a
// warm start given by the caller (the transposed allocation problem below). An excess node
// that reaches no deficit node proves infeasibility: the set it reaches has no residual arc
// leaving it.
//
// COMPLEXITY: O(U (|A| + |V|) log |V|) for U augmentations (at most the total supply); memory
// O(|V| + |A|). On allocation networks each search stays local (see transposed_allocation).
//
// REFERENCES
//   R. K. Ahuja, T. L. Magnanti, J. B. Orlin, Network Flows: Theory, Algorithms, and
//     Applications, Prentice Hall, 1993, chapter 9.
//   J. Edmonds, R. M. Karp, Theoretical improvements in algorithmic efficiency for network flow
//     problems, Journal of the ACM 19 (1972) 248-264.
//   N. Tomizawa, On some techniques useful for solution of transportation network problems,
//     Networks 1 (1971) 173-194.
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "mcf_core.hpp"

namespace wijkmatch::detail::mcf {

namespace {

class SuccessiveShortestPaths {
 public:
  /// work_limit: residual arcs Dijkstra may scan in total before giving up (< 0: no limit).
  explicit SuccessiveShortestPaths(const Core& core, i64 work_limit) : core_(core), work_left_(work_limit) {}

  Outcome run(CoreResult& out, const std::vector<int>* topo_order, const CoreResult* warm) {
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

}  // namespace

bool is_acyclic(const Core& core, std::vector<int>* order) {
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

Outcome run_successive_shortest_paths(const Core& core, i64 work_limit, const std::vector<int>* topo_order,
                                      const CoreResult* warm, CoreResult& out) {
  SuccessiveShortestPaths ssp(core, work_limit);
  return ssp.run(out, topo_order, warm);
}

// Allocation-shaped networks: "persons" (supply > 0, no entering arcs) with arcs to "offers"
// (supply 0, arcs only from persons and only to the sink) and to the sink T (the one node with a
// demand, no leaving arcs); every person can send all its supply on one arc straight to T
// (waiting / overflow). Successive shortest paths from the persons struggle when seats are
// scarce: each person's search must prove that no cheaper displacement chain exists. Run on the
// transposed network instead, from a start where every person waits and every offer's arcs to T
// are saturated, the units to place are the offers' seats; each search starts at an offer and
// ends at the first waiting person or at the seat's return to T, which is local in both the
// scarce and the ample regime.
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

}  // namespace wijkmatch::detail::mcf
