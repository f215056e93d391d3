// MinCostFlow: exactness against LEMON's NetworkSimplex on generated networks of several
// shapes, optimality certificates (conservation, bounds, complementary slackness), edge cases,
// and the NETGEN instances with published optimal costs.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "wijkmatch/dimacs.hpp"
#include "wijkmatch/min_cost_flow.hpp"

#ifdef WIJKMATCH_HAVE_LEMON
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#endif

namespace {

using wijkmatch::MinCostFlow;
using Status = MinCostFlow::Status;
using Algorithm = MinCostFlow::Algorithm;
using i64 = std::int64_t;
__extension__ typedef __int128 i128;

struct Arc {
  int tail, head;
  i64 lower, upper, cost;
};

struct Instance {
  std::string name;
  int nodes = 0;
  std::vector<i64> supply;
  std::vector<Arc> arcs;

  int add_node(i64 b = 0) {
    supply.push_back(b);
    return nodes++;
  }
  void add_arc(int t, int h, i64 lo, i64 up, i64 c) { arcs.push_back(Arc{t, h, lo, up, c}); }
};

// Deterministic across standard libraries (no std::uniform_int_distribution).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  i64 uniform(i64 lo, i64 hi) {  // inclusive
    return lo + static_cast<i64>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return uniform(0, 99) < percent; }

 private:
  std::mt19937_64 engine_;
};

// Needs (supply 1) -> a few candidate offers -> sink; offers have seats; each need may wait
// (overflow arc to the sink at a big cost). Without overflow arcs it may be infeasible.
Instance allocation(std::uint64_t seed, int needs, int offers, int max_candidates, i64 max_seats, bool overflow,
                    bool explicit_source = false) {
  Rng rng(seed);
  Instance inst;
  inst.name = "allocation seed " + std::to_string(seed);
  const int source = explicit_source ? inst.add_node(needs) : -1;
  std::vector<int> need(static_cast<std::size_t>(needs)), offer(static_cast<std::size_t>(offers));
  for (auto& v : need) v = inst.add_node(explicit_source ? 0 : 1);
  for (auto& v : offer) v = inst.add_node();
  const int sink = inst.add_node(-needs);
  for (const int v : need) {
    if (explicit_source) inst.add_arc(source, v, 0, 1, 0);
    const int k = static_cast<int>(rng.uniform(1, max_candidates));
    for (int j = 0; j < k; ++j) {
      const int o = offer[static_cast<std::size_t>(rng.uniform(0, offers - 1))];
      inst.add_arc(v, o, 0, 1, rng.uniform(-60, 40));
    }
    if (overflow) inst.add_arc(v, sink, 0, 1, 1000);
  }
  for (const int o : offer) inst.add_arc(o, sink, 0, rng.uniform(0, max_seats), 0);
  return inst;
}

// Allocation shape with quirks: persons with supplies above one, several or uncapacitated
// waiting arcs, parallel candidate arcs, offers with several arcs to the sink or none at all.
Instance allocation_quirky(std::uint64_t seed) {
  Rng rng(seed);
  Instance inst;
  inst.name = "quirky allocation seed " + std::to_string(seed);
  const int persons = static_cast<int>(rng.uniform(1, 40));
  const int offers = static_cast<int>(rng.uniform(1, 8));
  std::vector<int> person(static_cast<std::size_t>(persons)), offer(static_cast<std::size_t>(offers));
  i64 total = 0;
  for (auto& v : person) {
    const i64 b = rng.chance(70) ? 1 : rng.uniform(2, 3);
    v = inst.add_node(b);
    total += b;
  }
  for (auto& v : offer) v = inst.add_node();
  const int sink = inst.add_node(-total);
  for (std::size_t i = 0; i < person.size(); ++i) {
    const int v = person[i];
    const i64 b = inst.supply[static_cast<std::size_t>(v)];
    const int k = static_cast<int>(rng.uniform(0, 4));
    for (int j = 0; j < k; ++j) {
      const int o = offer[static_cast<std::size_t>(rng.uniform(0, offers - 1))];
      inst.add_arc(v, o, 0, rng.uniform(1, 3), rng.uniform(-40, 40));
      if (rng.chance(15)) inst.add_arc(v, o, 0, 1, rng.uniform(-40, 40));
    }
    inst.add_arc(v, sink, 0, rng.chance(20) ? MinCostFlow::max_capacity : b, rng.uniform(0, 200));
    if (rng.chance(20)) inst.add_arc(v, sink, 0, 1, rng.uniform(-10, 200));
  }
  for (const int o : offer) {
    const int arcs = static_cast<int>(rng.uniform(0, 2));
    for (int j = 0; j < arcs; ++j)
      inst.add_arc(o, sink, 0, rng.chance(10) ? MinCostFlow::max_capacity : rng.uniform(1, 8), rng.uniform(-5, 5));
  }
  return inst;
}

// Random sparse network: self-loops, parallel and zero-capacity arcs, lower bounds, negative
// costs (so negative cycles), isolated nodes; balanced random supplies. Often infeasible.
Instance random_sparse(std::uint64_t seed, int n, int m) {
  Rng rng(seed);
  Instance inst;
  inst.name = "random sparse seed " + std::to_string(seed);
  i64 total = 0;
  for (int v = 0; v < n; ++v) {
    const i64 b = rng.chance(40) ? rng.uniform(-15, 15) : 0;
    inst.add_node(b);
    total += b;
  }
  inst.supply[static_cast<std::size_t>(rng.uniform(0, n - 1))] -= total;
  for (int a = 0; a < m; ++a) {
    const int t = static_cast<int>(rng.uniform(0, n - 1));
    const int h = rng.chance(5) ? t : static_cast<int>(rng.uniform(0, n - 1));
    const i64 lo = rng.chance(20) ? rng.uniform(0, 3) : 0;
    const i64 up = rng.chance(5) ? lo : lo + rng.uniform(0, 25);
    inst.add_arc(t, h, lo, up, rng.uniform(-30, 100));
    if (rng.chance(10)) inst.add_arc(t, h, 0, rng.uniform(0, 10), rng.uniform(-30, 100));
  }
  return inst;
}

// A network that is feasible by construction: a random flow is drawn first and bounds and
// supplies are built around it. Negative costs, lower bounds, huge capacities.
Instance feasible_random(std::uint64_t seed, int n, int m) {
  Rng rng(seed);
  Instance inst;
  inst.name = "feasible random seed " + std::to_string(seed);
  for (int v = 0; v < n; ++v) inst.add_node();
  for (int a = 0; a < m; ++a) {
    const int t = static_cast<int>(rng.uniform(0, n - 1));
    const int h = static_cast<int>(rng.uniform(0, n - 1));
    const i64 x = rng.uniform(0, 20);
    const i64 lo = rng.chance(30) ? rng.uniform(0, x) : 0;
    const i64 up = rng.chance(5) ? MinCostFlow::max_capacity / 1024 : x + rng.uniform(0, 20);
    inst.add_arc(t, h, lo, up, rng.uniform(-50, 50));
    inst.supply[static_cast<std::size_t>(t)] += x;
    inst.supply[static_cast<std::size_t>(h)] -= x;
  }
  return inst;
}

// Grid with arcs in all four directions, sources on the left, sinks on the right.
Instance grid(std::uint64_t seed, int width, int height) {
  Rng rng(seed);
  Instance inst;
  inst.name = "grid seed " + std::to_string(seed);
  auto id = [&](int x, int y) { return y * width + x; };
  for (int v = 0; v < width * height; ++v) inst.add_node();
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int dx[] = {1, -1, 0, 0}, dy[] = {0, 0, 1, -1};
      for (int d = 0; d < 4; ++d) {
        const int nx = x + dx[d], ny = y + dy[d];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height || rng.chance(15)) continue;
        inst.add_arc(id(x, y), id(nx, ny), 0, rng.uniform(1, 30), rng.uniform(-5, 60));
      }
    }
  }
  for (int y = 0; y < height; ++y) {
    const i64 b = rng.uniform(0, 20);
    inst.supply[static_cast<std::size_t>(id(0, y))] += b;
    inst.supply[static_cast<std::size_t>(id(width - 1, y))] -= b;
  }
  return inst;
}

MinCostFlow build(const Instance& inst) {
  MinCostFlow mcf(inst.nodes);
  mcf.reserve(inst.nodes, static_cast<int>(inst.arcs.size()));
  for (int v = 0; v < inst.nodes; ++v) mcf.set_supply(v, inst.supply[static_cast<std::size_t>(v)]);
  for (const Arc& a : inst.arcs) mcf.add_arc(a.tail, a.head, a.lower, a.upper, a.cost);
  return mcf;
}

// Conservation, bounds, cost and complementary slackness with the returned potentials.
void check_certificate(const MinCostFlow& mcf) {
  std::vector<i64> balance(static_cast<std::size_t>(mcf.node_count()), 0);
  i128 cost = 0;
  for (int a = 0; a < mcf.arc_count(); ++a) {
    const i64 x = mcf.flow(a);
    REQUIRE(x >= mcf.lower(a));
    REQUIRE(x <= mcf.upper(a));
    balance[static_cast<std::size_t>(mcf.tail(a))] += x;
    balance[static_cast<std::size_t>(mcf.head(a))] -= x;
    cost += static_cast<i128>(x) * mcf.cost(a);
    const i64 rc = mcf.cost(a) + mcf.potential(mcf.tail(a)) - mcf.potential(mcf.head(a));
    REQUIRE(rc == mcf.reduced_cost(a));
    if (x < mcf.upper(a)) REQUIRE(rc >= 0);
    if (x > mcf.lower(a)) REQUIRE(rc <= 0);
  }
  for (int v = 0; v < mcf.node_count(); ++v) REQUIRE(balance[static_cast<std::size_t>(v)] == mcf.supply(v));
  REQUIRE(cost == mcf.optimal_cost());
}

struct Reference {
  bool feasible = false;
  i64 cost = 0;
};

#ifdef WIJKMATCH_HAVE_LEMON
Reference lemon_reference(const Instance& inst) {
  lemon::SmartDigraph g;
  std::vector<lemon::SmartDigraph::Node> node;
  for (int v = 0; v < inst.nodes; ++v) node.push_back(g.addNode());
  lemon::SmartDigraph::ArcMap<i64> lower(g), upper(g), cost(g);
  lemon::SmartDigraph::NodeMap<i64> supply(g);
  for (int v = 0; v < inst.nodes; ++v)
    supply[node[static_cast<std::size_t>(v)]] = inst.supply[static_cast<std::size_t>(v)];
  for (const Arc& a : inst.arcs) {
    const auto arc = g.addArc(node[static_cast<std::size_t>(a.tail)], node[static_cast<std::size_t>(a.head)]);
    lower[arc] = a.lower;
    upper[arc] = a.upper;
    cost[arc] = a.cost;
  }
  lemon::NetworkSimplex<lemon::SmartDigraph, i64, i64> ns(g);
  ns.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
  const auto result = ns.run();
  REQUIRE(result != decltype(ns)::UNBOUNDED);
  Reference ref;
  ref.feasible = result == decltype(ns)::OPTIMAL;
  if (ref.feasible) ref.cost = ns.totalCost<i64>();
  return ref;
}
#endif

// Solves with each algorithm, checks the certificate and agreement with LEMON. Returns
// whether the instance was feasible.
bool check_instance(const Instance& inst) {
  INFO(inst.name << ": " << inst.nodes << " nodes, " << inst.arcs.size() << " arcs");
  MinCostFlow mcf = build(inst);
  Status reference_status{};
  i64 reference_cost = 0;
  bool first = true;
  for (const Algorithm algorithm : {Algorithm::automatic, Algorithm::network_simplex,
                                    Algorithm::successive_shortest_paths, Algorithm::cost_scaling}) {
    INFO("algorithm " << static_cast<int>(algorithm));
    const Status status = mcf.solve(algorithm);
    REQUIRE((status == Status::optimal || status == Status::infeasible));
    // Cost scaling falls back to the network simplex only outside its numeric range, which
    // these small-cost networks never reach: it must have done the work itself.
    if (algorithm == Algorithm::cost_scaling) REQUIRE(mcf.algorithm_used() == Algorithm::cost_scaling);
    if (status == Status::optimal) check_certificate(mcf);
    if (first) {
      reference_status = status;
      if (status == Status::optimal) reference_cost = mcf.optimal_cost();
      first = false;
    } else {
      REQUIRE(status == reference_status);
      if (status == Status::optimal) REQUIRE(mcf.optimal_cost() == reference_cost);
    }
  }
#ifdef WIJKMATCH_HAVE_LEMON
  const Reference lemon = lemon_reference(inst);
  REQUIRE(lemon.feasible == (reference_status == Status::optimal));
  if (lemon.feasible) REQUIRE(lemon.cost == reference_cost);
#endif
  return reference_status == Status::optimal;
}

std::filesystem::path peers_dir() { return std::filesystem::path(WIJKMATCH_SHARED_DATA_DIR) / "peers"; }

}  // namespace

TEST_CASE("allocation networks agree with LEMON", "[mcf][property]") {
  int feasible = 0, total = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    Rng shape(seed * 7919);
    const int needs = static_cast<int>(shape.uniform(1, 120));
    const int offers = static_cast<int>(shape.uniform(1, 15));
    const bool overflow = seed % 3 != 0;
    feasible += check_instance(allocation(seed, needs, offers, 4, 12, overflow)) ? 1 : 0;
    ++total;
  }
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {  // hub form: one source with all supply
    feasible += check_instance(allocation(1000 + seed, 60, 8, 3, 10, true, true)) ? 1 : 0;
    ++total;
  }
  CHECK(feasible > total / 2);
  CHECK(feasible < total);  // some without overflow arcs run out of seats
}

TEST_CASE("allocation networks with quirks agree with LEMON", "[mcf][property]") {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) REQUIRE(check_instance(allocation_quirky(seed)));
}

TEST_CASE("random sparse networks agree with LEMON, including infeasible ones", "[mcf][property]") {
  int feasible = 0;
  const int count = 200;
  for (int i = 0; i < count; ++i) {
    const auto seed = static_cast<std::uint64_t>(i + 1);
    Rng shape(seed * 104729);
    const int n = static_cast<int>(shape.uniform(1, 40));
    const int m = static_cast<int>(shape.uniform(0, 6 * n));
    feasible += check_instance(random_sparse(seed, n, m)) ? 1 : 0;
  }
  CHECK(feasible > 10);
  CHECK(feasible < count);
}

TEST_CASE("feasible-by-construction networks with lower bounds and negative cycles", "[mcf][property]") {
  for (int i = 0; i < 150; ++i) {
    const auto seed = static_cast<std::uint64_t>(i + 1);
    Rng shape(seed * 15485863);
    const int n = static_cast<int>(shape.uniform(2, 60));
    const int m = static_cast<int>(shape.uniform(1, 5 * n));
    REQUIRE(check_instance(feasible_random(seed, n, m)));
  }
}

TEST_CASE("grid networks agree with LEMON", "[mcf][property]") {
  for (int i = 0; i < 60; ++i) {
    const auto seed = static_cast<std::uint64_t>(i + 1);
    Rng shape(seed * 32452843);
    check_instance(grid(seed, static_cast<int>(shape.uniform(2, 12)), static_cast<int>(shape.uniform(1, 12))));
  }
}

TEST_CASE("larger allocation networks: every algorithm, certificate, LEMON", "[mcf][property]") {
  REQUIRE(check_instance(allocation(4242, 20000, 1500, 5, 20, true)));         // seats to spare
  REQUIRE(check_instance(allocation(4243, 20000, 3000, 5, 10, true)));         // seats scarce
  REQUIRE(check_instance(allocation(4245, 20000, 1800, 5, 22, true)));         // about as many
  REQUIRE(check_instance(allocation(4246, 5000, 500, 6, 9, false)) == false);  // too few, no waiting
  MinCostFlow mcf = build(allocation(4242, 20000, 1500, 5, 20, true));
  REQUIRE(mcf.solve() == Status::optimal);
  CHECK(mcf.algorithm_used() == Algorithm::successive_shortest_paths);
  MinCostFlow hub = build(allocation(4244, 2000, 150, 5, 20, true, true));
  REQUIRE(hub.solve() == Status::optimal);
  CHECK(hub.algorithm_used() == Algorithm::network_simplex);
}

TEST_CASE("small hand-made cases", "[mcf]") {
  SECTION("empty network") {
    MinCostFlow mcf;
    REQUIRE(mcf.solve() == Status::optimal);
    CHECK(mcf.optimal_cost() == 0);
    CHECK(mcf.node_count() == 0);
    CHECK(mcf.arc_count() == 0);
  }
  SECTION("two paths, the cheaper one saturated first") {
    MinCostFlow mcf(4);
    mcf.set_supply(0, 5);
    mcf.set_supply(3, -5);
    const auto a = mcf.add_arc(0, 1, 0, 3, 1);
    const auto b = mcf.add_arc(1, 3, 0, 10, 1);
    const auto c = mcf.add_arc(0, 2, 0, 10, 2);
    const auto d = mcf.add_arc(2, 3, 0, 10, 2);
    REQUIRE(mcf.solve() == Status::optimal);
    CHECK(mcf.optimal_cost() == 3 * 2 + 2 * 4);
    CHECK(mcf.flow(a) == 3);
    CHECK(mcf.flow(b) == 3);
    CHECK(mcf.flow(c) == 2);
    CHECK(mcf.flow(d) == 2);
    check_certificate(mcf);
  }
  SECTION("unbalanced supplies") {
    MinCostFlow mcf(2);
    mcf.set_supply(0, 2);
    mcf.set_supply(1, -1);
    mcf.add_arc(0, 1, 0, 5, 1);
    CHECK(mcf.solve() == Status::unbalanced);
    CHECK_THROWS_AS(mcf.optimal_cost(), wijkmatch::StateError);
  }
  SECTION("isolated node with supply is infeasible, without supply harmless") {
    MinCostFlow mcf(3);
    mcf.add_arc(0, 1, 0, 5, 1);
    REQUIRE(mcf.solve() == Status::optimal);
    mcf.set_supply(2, 1);
    mcf.set_supply(1, -1);
    for (auto algorithm : {Algorithm::network_simplex, Algorithm::successive_shortest_paths, Algorithm::cost_scaling})
      CHECK(mcf.solve(algorithm) == Status::infeasible);
  }
  SECTION("lower bound forces flow around a positive cycle") {
    MinCostFlow mcf(2);
    const auto a = mcf.add_arc(0, 1, 4, 10, 3);
    const auto b = mcf.add_arc(1, 0, 0, 10, 1);
    REQUIRE(mcf.solve() == Status::optimal);
    CHECK(mcf.flow(a) == 4);
    CHECK(mcf.flow(b) == 4);
    CHECK(mcf.optimal_cost() == 16);
    check_certificate(mcf);
  }
  SECTION("lower bound that cannot be met is infeasible") {
    MinCostFlow mcf(2);
    mcf.add_arc(0, 1, 4, 10, 3);
    mcf.add_arc(1, 0, 0, 3, 1);
    for (auto algorithm : {Algorithm::automatic, Algorithm::network_simplex, Algorithm::successive_shortest_paths,
                           Algorithm::cost_scaling})
      CHECK(mcf.solve(algorithm) == Status::infeasible);
  }
  SECTION("negative cycle with a huge capacity is saturated") {
    MinCostFlow mcf(3);
    const i64 cap = MinCostFlow::max_capacity;
    mcf.add_arc(0, 1, 0, cap, -2);
    mcf.add_arc(1, 2, 0, cap, 0);
    mcf.add_arc(2, 0, 0, cap, 1);
    for (auto algorithm : {Algorithm::network_simplex, Algorithm::successive_shortest_paths, Algorithm::cost_scaling}) {
      REQUIRE(mcf.solve(algorithm) == Status::optimal);
      CHECK(mcf.optimal_cost() == -cap);
      check_certificate(mcf);
    }
  }
  SECTION("self-loops, parallel and zero-capacity arcs") {
    MinCostFlow mcf(2);
    mcf.set_supply(0, 3);
    mcf.set_supply(1, -3);
    const auto loop_negative = mcf.add_arc(0, 0, 0, 7, -1);
    const auto loop_positive = mcf.add_arc(1, 1, 2, 7, 5);
    const auto zero = mcf.add_arc(0, 1, 0, 0, -100);
    const auto fixed = mcf.add_arc(0, 1, 1, 1, 50);
    const auto p1 = mcf.add_arc(0, 1, 0, 1, 4);
    const auto p2 = mcf.add_arc(0, 1, 0, 5, 6);
    for (auto algorithm : {Algorithm::automatic, Algorithm::network_simplex, Algorithm::successive_shortest_paths,
                           Algorithm::cost_scaling}) {
      REQUIRE(mcf.solve(algorithm) == Status::optimal);
      CHECK(mcf.flow(loop_negative) == 7);
      CHECK(mcf.flow(loop_positive) == 2);
      CHECK(mcf.flow(zero) == 0);
      CHECK(mcf.flow(fixed) == 1);
      CHECK(mcf.flow(p1) == 1);
      CHECK(mcf.flow(p2) == 1);
      CHECK(mcf.optimal_cost() == -7 + 10 + 50 + 4 + 6);
      check_certificate(mcf);
    }
  }
  SECTION("add_node and set_supply after construction; re-solving after a change") {
    MinCostFlow mcf;
    const auto s = mcf.add_node();
    const auto t = mcf.add_node();
    mcf.set_supply(s, 2);
    mcf.set_supply(t, -2);
    mcf.add_arc(s, t, 0, 2, 5);
    REQUIRE(mcf.solve() == Status::optimal);
    CHECK(mcf.optimal_cost() == 10);
    mcf.add_arc(s, t, 0, 2, 1);
    CHECK_THROWS_AS(mcf.flow(0), wijkmatch::StateError);  // the change discarded the solution
    REQUIRE(mcf.solve() == Status::optimal);
    CHECK(mcf.optimal_cost() == 2);
  }
}

TEST_CASE("size limits are checked on the count asked for, before allocating", "[mcf]") {
  // Node and arc indices of the solvers are 32-bit: the network simplex adds a root and one
  // arc per node, successive shortest paths number two residual arcs per arc.
  static_assert(i64{MinCostFlow::max_nodes} + MinCostFlow::max_arcs + 1 <= std::numeric_limits<std::int32_t>::max());
  static_assert(2 * i64{MinCostFlow::max_arcs} + 1 <= std::numeric_limits<std::int32_t>::max());
  CHECK_THROWS_WITH(MinCostFlow(MinCostFlow::max_nodes + 1),
                    "MinCostFlow: too many nodes (1073741824; at most 1073741823)");
  MinCostFlow mcf(2);
  CHECK_THROWS_WITH(mcf.reserve(std::numeric_limits<MinCostFlow::NodeIndex>::max(), 0),
                    "MinCostFlow: too many nodes (2147483647; at most 1073741823)");
  CHECK_THROWS_WITH(mcf.reserve(2, MinCostFlow::max_arcs + 1),
                    "MinCostFlow: too many arcs (1073741824; at most 1073741823)");
  CHECK(mcf.node_count() == 2);
  CHECK(mcf.arc_count() == 0);
}

TEST_CASE("invalid arguments and numeric limits", "[mcf]") {
  MinCostFlow mcf(2);
  CHECK_THROWS_AS(mcf.add_arc(0, 2, 0, 1, 0), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.add_arc(-1, 0, 0, 1, 0), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.add_arc(0, 1, 2, 1, 0), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.add_arc(0, 1, -1, 1, 0), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.add_arc(0, 1, 0, MinCostFlow::max_capacity + 1, 0), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.add_arc(0, 1, 0, 1, MinCostFlow::max_cost + 1), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.add_arc(0, 1, 0, 1, -MinCostFlow::max_cost - 1), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.set_supply(2, 1), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.set_supply(0, MinCostFlow::max_capacity + 1), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(MinCostFlow(-1), wijkmatch::InvalidArgument);
  CHECK_THROWS_AS(mcf.flow(0), wijkmatch::OutOfRange);
  CHECK_THROWS_AS(mcf.tail(0), wijkmatch::OutOfRange);
  CHECK_THROWS_AS(mcf.potential(5), wijkmatch::OutOfRange);
  CHECK_THROWS_AS(mcf.optimal_cost(), wijkmatch::StateError);
  CHECK(mcf.arc_count() == 0);  // nothing was added by the failed calls

  SECTION("costs too large for the network size") {
    MinCostFlow big(1000);
    big.add_arc(0, 1, 0, 1, MinCostFlow::max_cost);
    CHECK(big.solve() == Status::bad_input);
  }
  SECTION("optimal cost beyond 64 bits") {
    MinCostFlow big(2);
    big.set_supply(0, MinCostFlow::max_capacity);
    big.set_supply(1, -MinCostFlow::max_capacity);
    big.add_arc(0, 1, 0, MinCostFlow::max_capacity, i64{1} << 20);
    CHECK(big.solve() == Status::bad_input);
    MinCostFlow fits(2);
    fits.set_supply(0, MinCostFlow::max_capacity);
    fits.set_supply(1, -MinCostFlow::max_capacity);
    fits.add_arc(0, 1, 0, MinCostFlow::max_capacity, 1000);
    REQUIRE(fits.solve() == Status::optimal);
    CHECK(fits.optimal_cost() == MinCostFlow::max_capacity * 1000);
  }
}

TEST_CASE("cost scaling outside its numeric range hands over to the network simplex", "[mcf]") {
  // 1000 nodes and costs of 2^45: within the potentials' range, but the scaled costs
  // (times |V| + 2) would leave cost scaling no room for its prices.
  Instance inst;
  inst.name = "big costs";
  for (int v = 0; v < 1000; ++v) inst.add_node();
  inst.supply[0] = 3;
  inst.supply[999] = -3;
  for (int v = 0; v + 1 < 1000; ++v) inst.add_arc(v, v + 1, 0, 5, (v % 2 ? 1 : -1) * (i64{1} << 45));
  inst.add_arc(0, 999, 0, 2, i64{1} << 40);
  MinCostFlow mcf = build(inst);
  REQUIRE(mcf.solve(Algorithm::cost_scaling) == Status::optimal);
  CHECK(mcf.algorithm_used() == Algorithm::network_simplex);
  check_certificate(mcf);
  const i64 cost = mcf.optimal_cost();
  REQUIRE(mcf.solve(Algorithm::network_simplex) == Status::optimal);
  CHECK(mcf.optimal_cost() == cost);
}

TEST_CASE("automatic choice: cost scaling on a large dense network with supplies everywhere", "[mcf]") {
  // 1000 nodes in a ring, 200 parallel arcs from each to the next (|A| = 200 |V| >= 200,000),
  // supplies at every node from a drawn flow; costs in [-3, 3] keep the phases few.
  Rng rng(2718);
  Instance inst;
  inst.name = "dense ring";
  for (int v = 0; v < 1000; ++v) inst.add_node();
  for (int v = 0; v < 1000; ++v) {
    const int w = (v + 1) % 1000;
    for (int k = 0; k < 200; ++k) {
      const i64 x = rng.uniform(0, 3) + v % 2;
      const i64 lo = rng.chance(20) ? x / 2 : 0;
      inst.add_arc(v, w, lo, x + rng.uniform(1, 2), rng.uniform(-3, 3));
      inst.supply[static_cast<std::size_t>(v)] += x;
      inst.supply[static_cast<std::size_t>(w)] -= x;
    }
  }
  MinCostFlow mcf = build(inst);
  REQUIRE(mcf.solve() == Status::optimal);
  CHECK(mcf.algorithm_used() == Algorithm::cost_scaling);
  // Feasibility and complementary slackness prove optimality by themselves (every algorithm
  // is compared with LEMON on the smaller networks above).
  check_certificate(mcf);
  // The same supplies on a sparse ring (one arc per node pair): the network simplex.
  Instance sparse = inst;
  sparse.arcs.resize(1000);
  for (int v = 0; v < 1000; ++v) sparse.arcs[static_cast<std::size_t>(v)] = Arc{v, (v + 1) % 1000, 0, i64{1} << 20, 1};
  MinCostFlow small = build(sparse);
  small.solve();
  CHECK(small.algorithm_used() == Algorithm::network_simplex);
}

TEST_CASE("MinCostFlow is movable", "[mcf]") {
  static_assert(!std::is_copy_constructible_v<MinCostFlow>);
  static_assert(!std::is_copy_assignable_v<MinCostFlow>);
  static_assert(std::is_nothrow_move_constructible_v<MinCostFlow>);
  MinCostFlow a(2);
  a.set_supply(0, 1);
  a.set_supply(1, -1);
  a.add_arc(0, 1, 0, 1, 7);
  REQUIRE(a.solve() == Status::optimal);
  MinCostFlow b = std::move(a);
  CHECK(b.optimal_cost() == 7);
  MinCostFlow c;
  c = std::move(b);
  CHECK(c.flow(0) == 1);
}

TEST_CASE("NETGEN instances have their published optimal costs", "[mcf][netgen]") {
  const auto dir = peers_dir();
  if (!std::filesystem::exists(dir / "netgen_8_08a.min")) {
    WARN("shared data folder " << dir << " absent: NETGEN instances skipped");
    return;
  }
  struct Known {
    const char* file;
    i64 cost;
    bool run_ssp;  // successive shortest paths is slow on these dense-supply networks
  };
  const Known known[] = {
      {"netgen_8_08a.min", 142274536, true},
      {"netgen_8_10a.min", 369269289, true},
      {"netgen_8_13a.min", 1184953451, false},
      {"netgen2_networkx.min", 6749969302, true},
  };
  for (const Known& k : known) {
    INFO(k.file);
    std::ifstream in(dir / k.file);
    REQUIRE(in);
    MinCostFlow mcf = wijkmatch::read_dimacs(in);
    REQUIRE(mcf.solve() == Status::optimal);
    CHECK(mcf.optimal_cost() == k.cost);
    check_certificate(mcf);
    if (k.run_ssp) {
      REQUIRE(mcf.solve(Algorithm::successive_shortest_paths) == Status::optimal);
      CHECK(mcf.optimal_cost() == k.cost);
      check_certificate(mcf);
    }
  }
}

TEST_CASE("NETGEN 8_14a (largest) has its published optimal cost", "[mcf][netgen][large]") {
  const auto file = peers_dir() / "netgen_8_14a.min";
  if (!std::filesystem::exists(file)) {
    WARN("shared data file " << file << " absent: skipped");
    return;
  }
  std::ifstream in(file);
  MinCostFlow mcf = wijkmatch::read_dimacs(in);
  REQUIRE(mcf.solve() == Status::optimal);
  CHECK(mcf.optimal_cost() == 1772056888);
  check_certificate(mcf);
}
