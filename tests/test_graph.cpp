// Both graph forms hold exactly the model: typed vertices, typed edges, both directions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/undirected_graph.hpp>
#include <limits>
#include <map>
#include <random>
#include <tuple>

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
        case EdgeKind::organises: CHECK(m.offers[t.index].organiser.residents.at(g[e].index).index() == s.index); break;
        case EdgeKind::volunteers_at:
          CHECK(m.offers[t.index].volunteers.at(g[e].index).resident.index() == s.index);
          break;
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

    // Every tie appears in the compact graph from both ends, sorted by kind, then by tie id for
    // tie edges and by target for the others.
    std::size_t helps = 0, helped_by = 0;
    for (std::uint32_t v = 0; v < layout.vertex_count(); ++v) {
      std::tuple<int, std::uint32_t, std::uint32_t> previous{-1, 0, 0};
      for (auto e : boost::make_iterator_range(boost::out_edges(v, c))) {
        const auto target = static_cast<std::uint32_t>(boost::target(e, c));
        const bool tie = c[e].kind == EdgeKind::helps || c[e].kind == EdgeKind::helped_by;
        const std::tuple<int, std::uint32_t, std::uint32_t> key{static_cast<int>(c[e].kind), tie ? c[e].index : target,
                                                                tie ? target : c[e].index};
        CHECK(previous < key);
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

namespace {

CompactGraphOptions without_can_serve() {
  CompactGraphOptions o;
  o.can_serve = false;
  return o;
}

// Every walk of `live` gives what the same walk of a graph built afresh from `m` gives.
void check_walks_equal(const LiveGraph& live, const Model& m) {
  const LiveGraph fresh(m, without_can_serve());
  REQUIRE(live.edge_count() == fresh.edge_count());
  for (std::size_t k = 0; k < vertex_kind_count; ++k) {
    const auto kind = static_cast<VertexKind>(k);
    REQUIRE(live.count(kind) == fresh.count(kind));
    for (std::uint32_t i = 0; i < fresh.count(kind); ++i) {
      const auto a = live.out_edges(kind, i), b = fresh.out_edges(kind, i);
      if (a != b) FAIL("vertex kind " << k << " index " << i << ": " << a.size() << " vs " << b.size() << " edges");
    }
  }
}

}  // namespace

TEST_CASE("compact graph: organiser and volunteer edges, each kind one range", "[graph]") {
  const Model m = generate({.residents = 1500, .seed = 7});
  const VertexLayout layout(m);
  const CompactGraph c = build_compact_graph(m);
  std::size_t organisers = 0, volunteers = 0;
  for (const auto& o : m.offers) {
    organisers += o.organiser.residents.size();
    volunteers += o.volunteers.size();
  }
  REQUIRE(volunteers > 0);
  REQUIRE(organisers > 0);
  std::map<EdgeKind, std::size_t> kinds;
  for (std::uint32_t v = 0; v < layout.vertex_count(); ++v)
    for (std::size_t k = 0; k < edge_kind_count; ++k) {
      const auto kind = static_cast<EdgeKind>(k);
      for (auto e : out_edges_of_kind(v, kind, c)) {
        CHECK(c[e].kind == kind);
        CHECK(layout.classify(v).kind == source_kind(kind));
        CHECK(layout.classify(static_cast<std::uint32_t>(boost::target(e, c))).kind == target_kind(kind));
        ++kinds[kind];
      }
    }
  CHECK(kinds[EdgeKind::organises] == organisers);
  CHECK(kinds[EdgeKind::organised_by] == organisers);
  CHECK(kinds[EdgeKind::volunteers_at] == volunteers);
  CHECK(kinds[EdgeKind::volunteered_by] == volunteers);
  std::size_t all = 0;
  for (const auto& [kind, n] : kinds) all += n;
  CHECK(all == boost::num_edges(c));  // the ranges of the kinds cover every edge

  // Typed walks: the volunteers of an offer are the model's, in their positions.
  const LiveGraph live(m);
  for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> seen;
    live.for_each(EdgeKind::volunteered_by, o, [&](const GraphEdge& e) { seen.emplace_back(e.target, e.index); });
    std::vector<std::pair<std::uint32_t, std::uint32_t>> expected;
    for (std::uint32_t k = 0; k < m.offers[o].volunteers.size(); ++k)
      expected.emplace_back(m.offers[o].volunteers[k].resident.index(), k);
    std::sort(expected.begin(), expected.end());
    CHECK(seen == expected);
  }
  // Ties into a resident: ascending tie ids, exactly the model's.
  for (std::uint32_t r = 0; r < m.residents.size(); r += 7) {
    std::vector<std::uint32_t> seen, expected;
    live.for_each_tie_into(ResidentId(r), [&](TieId t) { seen.push_back(t.index()); });
    for (std::uint32_t t = 0; t < m.ties.size(); ++t)
      if (m.ties[t].helped.index() == r) expected.push_back(t);
    CHECK(seen == expected);
  }
  // Without can_serve edges: the same graph less exactly those.
  const CompactGraph lean = build_compact_graph(m, without_can_serve());
  CHECK(boost::num_edges(lean) == boost::num_edges(c) - 2 * kinds[EdgeKind::can_serve]);
}

TEST_CASE("live graph: random changes walk exactly as a graph built afresh, with and without compaction",
          "[graph][property]") {
  for (std::size_t minimum : {std::size_t{1} << 30, std::size_t{40}}) {
    Model m = generate({.residents = 700, .seed = 5});
    LiveGraph g(m, without_can_serve());
    g.set_compact_minimum(minimum);
    std::mt19937_64 rng(minimum);
    auto pick = [&](std::size_t n) { return static_cast<std::uint32_t>(rng() % n); };
    bool compacted = false;
    for (int step = 0; step < 600; ++step) {
      const auto before = g.overlay_size();
      switch (pick(9)) {
        case 0: {  // a new tie
          const auto a = pick(m.residents.size()), b = pick(m.residents.size());
          if (a == b) break;
          Tie t;
          t.helper = ResidentId(a);
          t.helped = ResidentId(b);
          m.ties.push_back(t);
          g.add_edge(EdgeKind::helps, a, b, static_cast<std::uint32_t>(m.ties.size() - 1));
          break;
        }
        case 1: {  // the last tie ends (ids stay as they are)
          const Tie t = m.ties.back();
          m.ties.pop_back();
          CHECK(g.remove_edge(EdgeKind::helps, t.helper.index(), t.helped.index(),
                              static_cast<std::uint32_t>(m.ties.size())));
          break;
        }
        case 2: {  // attendance on or off
          auto& res = m.residents[pick(m.residents.size())];
          const auto r = static_cast<std::uint32_t>(&res - m.residents.data());
          const auto o = pick(m.offers.size());
          auto it = std::find(res.attends.begin(), res.attends.end(), OfferId(o));
          if (it == res.attends.end()) {
            res.attends.emplace_back(o);
            g.add_edge(EdgeKind::attends, r, o);
          } else {
            res.attends.erase(it);
            CHECK(g.remove_edge(EdgeKind::attends, r, o));
          }
          break;
        }
        case 3: {  // a move to another household
          const auto r = pick(m.residents.size());
          const auto from = m.residents[r].household.index(), to = pick(m.households.size());
          if (from == to) break;
          // Leave no household empty: the loader would not.
          if (std::count_if(m.residents.begin(), m.residents.end(),
                            [&](const Resident& x) { return x.household.index() == from; }) < 2)
            break;
          m.residents[r].household = HouseholdId(to);
          CHECK(g.remove_edge(EdgeKind::member_of, r, from));
          g.add_edge(EdgeKind::member_of, r, to);
          break;
        }
        case 4: {  // a new household with a new resident, and a need of theirs
          Household h = m.households.front();
          h.key = "h-new-" + std::to_string(step);
          m.households.push_back(h);
          Resident res = m.residents.front();
          res.key = "r-new-" + std::to_string(step);
          res.household = HouseholdId(static_cast<std::uint32_t>(m.households.size() - 1));
          res.attends.clear();
          m.residents.push_back(res);
          CHECK(g.add_vertex(VertexKind::household) == m.households.size() - 1);
          CHECK(g.add_vertex(VertexKind::resident) == m.residents.size() - 1);
          const auto r = static_cast<std::uint32_t>(m.residents.size() - 1);
          g.add_edge(EdgeKind::member_of, r, res.household.index());
          Need n = m.needs.front();
          n.key = "n-new-" + std::to_string(step);
          n.resident = ResidentId(r);
          m.needs.push_back(n);
          CHECK(g.add_vertex(VertexKind::need) == m.needs.size() - 1);
          g.add_edge(EdgeKind::has_need, r, static_cast<std::uint32_t>(m.needs.size() - 1));
          break;
        }
        case 5: {  // a volunteer joins an offer
          const auto o = pick(m.offers.size()), r = pick(m.residents.size());
          auto& vs = m.offers[o].volunteers;
          if (std::any_of(vs.begin(), vs.end(), [&](const Volunteer& v) { return v.resident.index() == r; })) break;
          vs.push_back({ResidentId(r), 2.0});
          g.add_edge(EdgeKind::volunteers_at, r, o, static_cast<std::uint32_t>(vs.size() - 1));
          break;
        }
        case 6: {  // a volunteer leaves: the positions after theirs move up
          const auto o = pick(m.offers.size());
          auto& vs = m.offers[o].volunteers;
          if (vs.empty()) break;
          const auto k = pick(vs.size());
          for (std::uint32_t j = k; j < vs.size(); ++j)
            CHECK(g.remove_edge(EdgeKind::volunteers_at, vs[j].resident.index(), o, j));
          vs.erase(vs.begin() + k);
          for (std::uint32_t j = k; j < vs.size(); ++j)
            g.add_edge(EdgeKind::volunteers_at, vs[j].resident.index(), o, j);
          break;
        }
        case 7: {  // a new offer, run by a resident, with a volunteer
          Offer offer = m.offers[pick(m.offers.size())];
          offer.key = "o-new-" + std::to_string(step);
          offer.organiser = {};
          offer.organiser.kind = OrganiserKind::residents;
          offer.organiser.residents = {ResidentId(pick(m.residents.size()))};
          offer.volunteers = {{ResidentId(pick(m.residents.size())), 3.0}};
          m.offers.push_back(offer);
          const auto o = static_cast<std::uint32_t>(m.offers.size() - 1);
          CHECK(g.add_vertex(VertexKind::offer) == o);
          g.add_edge(EdgeKind::organises, offer.organiser.residents[0].index(), o, 0);
          g.add_edge(EdgeKind::volunteers_at, offer.volunteers[0].resident.index(), o, 0);
          break;
        }
        default: {  // the last offer goes, with everything at it
          const auto o = static_cast<std::uint32_t>(m.offers.size() - 1);
          for (auto& res : m.residents) std::erase(res.attends, OfferId(o));
          m.offers.pop_back();
          g.isolate(VertexKind::offer, o);
          CHECK(g.out_edges(VertexKind::offer, o).empty());
          // The vertex stays (as a retired offer does in the engine); compare without it.
          Offer gone;
          gone.key = "gone-" + std::to_string(step);
          m.offers.push_back(gone);
          break;
        }
      }
      compacted |= g.overlay_size() < before;
      if (step % 100 == 99) check_walks_equal(g, m);
    }
    check_walks_equal(g, m);
    if (minimum < 1000) CHECK(compacted);
    if (minimum > 1000) CHECK(g.overlay_size() > 0);
    g.compact();
    CHECK(g.overlay_size() == 0);
    check_walks_equal(g, m);
  }
}

TEST_CASE("compact graph: lists out of order in the model still give the edge order", "[graph]") {
  // The build fills each vertex kind by kind in model order and sorts only a resident's
  // attended offers and an offer's organisers and volunteers: put those in descending order.
  Model m = generate({.residents = 1500, .seed = 11});
  REQUIRE(m.offers.size() >= 3);
  std::size_t reversed = 0;
  for (std::size_t r = 0; r < m.residents.size(); r += 10) {
    auto& attends = m.residents[r].attends;
    attends = {OfferId(static_cast<std::uint32_t>(m.offers.size() - 1 - r % 2)),
               OfferId(static_cast<std::uint32_t>(r % 2))};
    ++reversed;
  }
  std::uint32_t shuffled_offer = 0;
  for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
    auto& offer = m.offers[o];
    if (offer.volunteers.size() >= 2) {
      std::sort(offer.volunteers.begin(), offer.volunteers.end(),
                [](const auto& a, const auto& b) { return a.resident.index() > b.resident.index(); });
      shuffled_offer = o;
      ++reversed;
    }
    if (offer.organiser.residents.size() >= 2)
      std::sort(offer.organiser.residents.begin(), offer.organiser.residents.end(),
                [](ResidentId a, ResidentId b) { return a.index() > b.index(); });
  }
  REQUIRE(reversed > 10);
  REQUIRE(m.offers[shuffled_offer].volunteers.size() >= 2);
  const VertexLayout layout(m);
  const CompactGraph c = build_compact_graph(m);
  for (std::uint32_t v = 0; v < layout.vertex_count(); ++v) {
    std::tuple<int, std::uint32_t, std::uint32_t> previous{-1, 0, 0};
    for (auto e : boost::make_iterator_range(boost::out_edges(v, c))) {
      const auto target = static_cast<std::uint32_t>(boost::target(e, c));
      const bool tie = c[e].kind == EdgeKind::helps || c[e].kind == EdgeKind::helped_by;
      const std::tuple<int, std::uint32_t, std::uint32_t> key{static_cast<int>(c[e].kind), tie ? c[e].index : target,
                                                              tie ? target : c[e].index};
      REQUIRE(previous < key);
      previous = key;
    }
  }
  // The volunteers keep their (new) positions as edge indexes.
  const auto& offer = m.offers[shuffled_offer];
  std::vector<std::pair<std::uint32_t, std::uint32_t>> seen, expected;
  for (auto e : out_edges_of_kind(layout.vertex(OfferId(shuffled_offer)), EdgeKind::volunteered_by, c))
    seen.emplace_back(static_cast<std::uint32_t>(boost::target(e, c)) - layout.first(VertexKind::resident), c[e].index);
  for (std::uint32_t k = 0; k < offer.volunteers.size(); ++k)
    expected.emplace_back(offer.volunteers[k].resident.index(), k);
  std::sort(expected.begin(), expected.end());
  CHECK(seen == expected);
  // And a live graph compacted from it walks the same.
  LiveGraph live(m);
  live.compact();
  for (std::uint32_t r = 0; r < m.residents.size(); ++r) {
    std::vector<std::uint32_t> walked, sorted;
    live.for_each_attended(ResidentId(r), [&](OfferId o) { walked.push_back(o.index()); });
    for (OfferId o : m.residents[r].attends) sorted.push_back(o.index());
    std::sort(sorted.begin(), sorted.end());
    REQUIRE(walked == sorted);
  }
}
