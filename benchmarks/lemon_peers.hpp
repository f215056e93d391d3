// LEMON 1.3.1 solvers behind a plain interface. LEMON's CostScaling does not compile as C++20
// (std::allocator::construct was removed), so lemon_peers.cpp is compiled as C++17.
#pragma once

#include <memory>
#include <vector>

namespace wijkmatch_bench {

struct PeerArc {
  int tail, head;
  long long lower, upper, cost;
};

enum class LemonAlgorithm { network_simplex, cost_scaling, capacity_scaling };

class LemonPeer {
 public:
  /// Builds LEMON's graph and maps (not part of any timing).
  LemonPeer(int nodes, const std::vector<long long>& supply, const std::vector<PeerArc>& arcs);
  ~LemonPeer();
  LemonPeer(const LemonPeer&) = delete;
  LemonPeer& operator=(const LemonPeer&) = delete;
  /// Constructs the algorithm object and runs it; true and the cost when optimal.
  bool solve(LemonAlgorithm algorithm, long long& cost);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wijkmatch_bench
