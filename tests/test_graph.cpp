// Both graph forms hold exactly the model: typed vertices, typed edges, both directions.
#include <catch2/catch.hpp>

#include <boost/graph/connected_components.hpp>
#include <boost/graph/undirected_graph.hpp>
#include <limits>
#include <map>

#include "wijkmatch/generate.hpp"
#include "wijkmatch/graph.hpp"
#include "wijkmatch/io.hpp"

using namespace wijkmatch;

TEST_CASE("vertex layout numbers every entity once", "[graph]") {
  const Model m = generate({.residents = 800, .seed = 3});
  const VertexLayout layout(m);
  CHECK(layout.vertex_count() ==
        m.households.size() + m.residents.size() + m.needs.size() + m.offers.size() + m.professionals.size());
  for (std::uint32_t r = 0; r < m.residents.size(); ++r) {
    const auto p = layout.classify(layout.vertex(ResidentId(r)));
    CHECK(p.kind == VertexKind::resident);
    CHECK(p.index == r);
  }
  const auto last = layout.classify(layout.vertex_count() - 1);
  CHECK(last.kind == VertexKind::professional);
  CHECK(last.index == m.professionals.size() - 1);
}

TEST_CASE("vertex layout refuses counts beyond 32-bit vertex ids, before building", "[graph][errors]") {
  const std::size_t most = std::numeric_limits<std::uint32_t>::max() - 1;  // the largest vertex count
  const VertexLayout largest({1, most - 3, 1, 0, 1});
  CHECK(largest.vertex_count() == most);
  CHECK(largest.classify(static_cast<std::uint32_t>(most - 1)).kind == VertexKind::professional);
  CHECK(largest.classify(static_cast<std::uint32_t>(most - 2)).kind == VertexKind::need);
  CHECK_THROWS_WITH(VertexLayout({1, most - 3, 1, 1, 1}), "model too large for 32-bit vertex ids");
  CHECK_THROWS_AS(VertexLayout({most, most, most, most, most}), InvalidArgument);
}

TEST_CASE("adjacency_list and compact graph agree with the model", "[graph]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Model m = generate({.residents = 1500, .seed = seed, .municipalities = 2});
    const VertexLayout layout(m);
    const NeighbourhoodGraph g = build_graph(m);
    const CompactGraph c = build_compact_graph(m);
    REQUIRE(boost::num_vertices(g) == layout.vertex_count());
    REQUIRE(boost::num_vertices(c) == layout.vertex_count());
    CHECK(boost::num_edges(c) == 2 * boost::num_edges(g));

    std::map<EdgeKind, std::size_t> kinds;
    for (auto e : boost::make_iterator_range(boost::edges(g))) {
      ++kinds[g[e].kind];
      const auto s = g[boost::source(e, g)], t = g[boost::target(e, g)];
      switch (g[e].kind) {
        case EdgeKind::member_of:
          CHECK((s.kind == VertexKind::resident && t.kind == VertexKind::household));
          CHECK(m.residents[s.index].household.index() == t.index);
          break;
        case EdgeKind::helps:
          CHECK(m.ties[g[e].index].helper.index() == s.index);
          CHECK(m.ties[g[e].index].helped.index() == t.index);
          break;
        case EdgeKind::has_need: CHECK(m.needs[t.index].resident.index() == s.index); break;
        case EdgeKind::attends: CHECK(t.kind == VertexKind::offer); break;
        case EdgeKind::can_serve: {
          const auto& pro = m.professionals[s.index];
          CHECK(pro.specialisms.contains(m.needs[t.index].domain));
          break;
        }
        default: FAIL("reverse edge kind in the adjacency list");
      }
    }
    CHECK(kinds[EdgeKind::member_of] == m.residents.size());
    CHECK(kinds[EdgeKind::helps] == m.ties.size());
    CHECK(kinds[EdgeKind::has_need] == m.needs.size());

    // Every tie appears in the compact graph from both ends, sorted by kind then target.
    std::size_t helps = 0, helped_by = 0;
    for (std::uint32_t v = 0; v < layout.vertex_count(); ++v) {
      std::pair<int, std::uint32_t> previous{-1, 0};
      for (auto e : boost::make_iterator_range(boost::out_edges(v, c))) {
        const std::pair<int, std::uint32_t> key{static_cast<int>(c[e].kind),
                                                static_cast<std::uint32_t>(boost::target(e, c))};
        CHECK(previous <= key);
        previous = key;
        if (c[e].kind == EdgeKind::helps) {
          ++helps;
          CHECK(layout.vertex(m.ties[c[e].index].helped) == boost::target(e, c));
        }
        if (c[e].kind == EdgeKind::helped_by) {
          ++helped_by;
          CHECK(layout.vertex(m.ties[c[e].index].helper) == boost::target(e, c));
        }
      }
    }
    CHECK(helps == m.ties.size());
    CHECK(helped_by == m.ties.size());
  }
}

TEST_CASE("a BGL algorithm runs on the neighbourhood graph: households are connected to their members", "[graph]") {
  const Model m = load_model(WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json");
  const NeighbourhoodGraph g = build_graph(m);
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> u(boost::num_vertices(g));
  for (auto e : boost::make_iterator_range(boost::edges(g)))
    boost::add_edge(boost::source(e, g), boost::target(e, g), u);
  std::vector<int> component(boost::num_vertices(u));
  const int n = boost::connected_components(u, component.data());
  CHECK(n >= 1);
  const VertexLayout layout(m);
  for (std::uint32_t r = 0; r < m.residents.size(); ++r)
    CHECK(component[layout.vertex(ResidentId(r))] == component[layout.vertex(m.residents[r].household)]);
}
