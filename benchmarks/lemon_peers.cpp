#include "lemon_peers.hpp"

#include <lemon/capacity_scaling.h>
#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

namespace wijkmatch_bench {

struct LemonPeer::Impl {
  using Graph = lemon::SmartDigraph;
  Graph g;
  Graph::ArcMap<long long> lower{g}, upper{g}, cost{g};
  Graph::NodeMap<long long> supply{g};

  template <class Algorithm>
  bool run(Algorithm& alg, long long& total) {
    alg.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
    if (alg.run() != Algorithm::OPTIMAL) return false;
    total = alg.template totalCost<long long>();
    return true;
  }
};

LemonPeer::LemonPeer(int nodes, const std::vector<long long>& supply, const std::vector<PeerArc>& arcs)
    : impl_(std::make_unique<Impl>()) {
  auto& g = impl_->g;
  g.reserveNode(nodes);
  g.reserveArc(static_cast<int>(arcs.size()));
  std::vector<Impl::Graph::Node> node;
  node.reserve(static_cast<std::size_t>(nodes));
  for (int v = 0; v < nodes; ++v) node.push_back(g.addNode());
  for (int v = 0; v < nodes; ++v)
    impl_->supply[node[static_cast<std::size_t>(v)]] = supply[static_cast<std::size_t>(v)];
  for (const PeerArc& a : arcs) {
    const auto arc = g.addArc(node[static_cast<std::size_t>(a.tail)], node[static_cast<std::size_t>(a.head)]);
    impl_->lower[arc] = a.lower;
    impl_->upper[arc] = a.upper;
    impl_->cost[arc] = a.cost;
  }
}

LemonPeer::~LemonPeer() = default;

bool LemonPeer::solve(LemonAlgorithm algorithm, long long& cost) {
  using Graph = Impl::Graph;
  switch (algorithm) {
    case LemonAlgorithm::network_simplex: {
      lemon::NetworkSimplex<Graph, long long, long long> alg(impl_->g);
      return impl_->run(alg, cost);
    }
    case LemonAlgorithm::cost_scaling: {
      lemon::CostScaling<Graph, long long, long long> alg(impl_->g);
      return impl_->run(alg, cost);
    }
    case LemonAlgorithm::capacity_scaling: {
      lemon::CapacityScaling<Graph, long long, long long> alg(impl_->g);
      return impl_->run(alg, cost);
    }
  }
  return false;
}

}  // namespace wijkmatch_bench
