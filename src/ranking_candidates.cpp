// Ranking, candidates: the indexes a Ranker builds once, and what they give for one need
// (offers near the resident, the social circle, introductions). See src/ranking_detail.hpp.
#include <algorithm>
#include <tuple>

#include "ranking_detail.hpp"
#include "resources.hpp"

namespace wijkmatch::detail {

namespace {
CompactGraphOptions ranking_graph_options() {
  CompactGraphOptions o;
  o.can_serve = false;
  return o;
}
}  // namespace

RankingIndex::RankingIndex(const Model& m, Policy p)
    : model(m), policy(std::move(p)), graph(m, ranking_graph_options()) {
  for (std::size_t l = 0; l < ladder_level_count; ++l) level_rank[l] = policy.rank_of(static_cast<LadderLevel>(l));
  for (auto& g : collective) g = SpatialGrid(1000.0);
  for (auto& g : provisions) g = SpatialGrid(5000.0);
  offer_facts.reserve(m.offers.size());
  for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
    const auto& offer = m.offers[o];
    offer_facts.push_back(facts_of(offer));
    for (std::size_t d = 0; d < life_domain_count; ++d)
      if (offer.fit[d] > 0.0)
        (offer.level == LadderLevel::collective ? collective : provisions)[d].insert(offer.location, o);
  }
  // The graph was just built from the model: the model's sums are the graph's (one pass over
  // ties and volunteers instead of over every resident's edges).
  hours_given = detail::hours_given_by_helper(m);
  index_neighbours();
  need_override_reason.assign(m.needs.size(), {});
  need_override_level.assign(m.needs.size(), -1);
  for (const auto& o : policy.overrides)
    if (auto n = m.find_need(o.need)) {
      need_override_reason[n->index()] = o.reason;
      need_override_level[n->index()] = static_cast<int>(o.level);
    }
}

const RankingIndex::Declined* RankingIndex::declined_option(std::uint32_t need, OptionKind kind,
                                                            std::uint32_t id) const noexcept {
  if (declined.empty()) return nullptr;
  auto it = declined.find(need);
  if (it == declined.end()) return nullptr;
  for (const auto& d : it->second)
    if (d.kind == kind && d.id == id) return &d;
  return nullptr;
}

OfferFacts RankingIndex::facts_of(const Offer& offer) {
  OfferFacts f;
  for (const auto& code : offer.languages) {
    auto it = std::find(language_codes.begin(), language_codes.end(), code);
    if (it == language_codes.end()) {
      if (language_codes.size() == 64) {
        f.languages_exact = false;
        continue;
      }
      it = language_codes.insert(language_codes.end(), code);
    }
    f.languages |= std::uint64_t{1} << (it - language_codes.begin());
  }
  f.schedule = offer.schedule.bits;
  f.age_bands = offer.eligibility.age_bands.bits;
  f.severity_min = static_cast<std::int8_t>(std::clamp(offer.eligibility.severity_min, -128, 127));
  f.severity_max = static_cast<std::int8_t>(std::clamp(offer.eligibility.severity_max, -128, 127));
  f.level = offer.level;
  f.referral_required = offer.eligibility.referral_required;
  f.ended = offer.initiative && offer.initiative->status == InitiativeStatus::ended;
  f.cost = cost_feature(offer.cost_per_month);
  return f;
}

LanguageBits RankingIndex::language_bits(const Resident& res) const noexcept {
  LanguageBits bits;
  for (std::size_t i = 0; i < res.languages.size(); ++i) {
    auto it = std::find(language_codes.begin(), language_codes.end(), res.languages[i]);
    if (it == language_codes.end()) continue;
    const std::uint64_t bit = std::uint64_t{1} << (it - language_codes.begin());
    // language_match looks at the first language by position: a bit is "first" only for it.
    if (i == 0) bits.first = bit;
    bits.any |= bit;
  }
  return bits;
}

void RankingIndex::add_offer(std::uint32_t o) {
  const auto& offer = model.offers[o];
  if (offer_facts.size() <= o) offer_facts.resize(o + 1);
  offer_facts[o] = facts_of(offer);
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (offer.fit[d] > 0.0)
      (offer.level == LadderLevel::collective ? collective : provisions)[d].insert(offer.location, o);
  const std::uint32_t vertex = graph.add_vertex(VertexKind::offer);
  (void)vertex;  // == o: the engine adds offers in model order
  for (std::uint32_t k = 0; k < offer.organiser.residents.size(); ++k)
    graph.add_edge(EdgeKind::organises, offer.organiser.residents[k].index(), o, k);
  for (std::uint32_t k = 0; k < offer.volunteers.size(); ++k)
    graph.add_edge(EdgeKind::volunteers_at, offer.volunteers[k].resident.index(), o, k);
  for (const auto& v : offer.volunteers) recount_hours(v.resident.index());
}

void RankingIndex::remove_offer(std::uint32_t o) {
  const auto& offer = model.offers[o];
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (offer.fit[d] > 0.0)
      (offer.level == LadderLevel::collective ? collective : provisions)[d].erase(offer.location, o);
  // A retired offer is no longer in the neighbourhood: its volunteers give those hours no more.
  graph.isolate(VertexKind::offer, o);
  for (const auto& v : offer.volunteers) recount_hours(v.resident.index());
}

void RankingIndex::add_household() { graph.add_vertex(VertexKind::household); }

void RankingIndex::add_resident(std::uint32_t r) {
  graph.add_vertex(VertexKind::resident);
  hours_given.push_back(0.0);
  graph.add_edge(EdgeKind::member_of, r, model.residents[r].household.index());
  add_neighbour(r);
}

void RankingIndex::move_resident(std::uint32_t r, std::uint32_t from_household) {
  graph.remove_edge(EdgeKind::member_of, r, from_household);
  graph.add_edge(EdgeKind::member_of, r, model.residents[r].household.index());
}

void RankingIndex::add_tie(std::uint32_t t) {
  const auto& tie = model.ties[t];
  graph.add_edge(EdgeKind::helps, tie.helper.index(), tie.helped.index(), t);
  recount_hours(tie.helper.index());
}

void RankingIndex::remove_tie(std::uint32_t t) {
  const auto& tie = model.ties[t];
  graph.remove_edge(EdgeKind::helps, tie.helper.index(), tie.helped.index(), t);
  recount_hours(tie.helper.index());
}

void RankingIndex::attend(std::uint32_t resident, std::uint32_t offer, bool on) {
  if (on)
    graph.add_edge(EdgeKind::attends, resident, offer);
  else
    graph.remove_edge(EdgeKind::attends, resident, offer);
}

void RankingIndex::remove_resident(std::uint32_t r, std::span<const std::uint32_t> offers_left) {
  graph.isolate(VertexKind::resident, r);
  // The positions of the people after them moved up by one: the edges carry positions.
  for (std::uint32_t o : offers_left) {
    for (const GraphEdge& e : graph.out_edges(VertexKind::offer, o)) {
      if (e.kind == EdgeKind::organised_by) graph.remove_edge(EdgeKind::organises, e.target, o, e.index);
      if (e.kind == EdgeKind::volunteered_by) graph.remove_edge(EdgeKind::volunteers_at, e.target, o, e.index);
    }
    const Offer& offer = model.offers[o];
    for (std::uint32_t k = 0; k < offer.organiser.residents.size(); ++k)
      graph.add_edge(EdgeKind::organises, offer.organiser.residents[k].index(), o, k);
    for (std::uint32_t k = 0; k < offer.volunteers.size(); ++k)
      graph.add_edge(EdgeKind::volunteers_at, offer.volunteers[k].resident.index(), o, k);
  }
  recount_hours(r);
}

void RankingIndex::recount_hours(std::uint32_t helper) {
  hours_given[helper] = detail::hours_given(graph, model, ResidentId(helper));
}

void RankingIndex::recount_all_hours() { hours_given = detail::hours_given_by_helper(graph, model); }

std::vector<std::uint32_t> RankingIndex::ties_of(std::uint32_t resident) const {
  std::vector<std::uint32_t> into, from, out;
  graph.for_each_tie_into(ResidentId(resident), [&](TieId t) { into.push_back(t.index()); });
  graph.for_each_tie_from(ResidentId(resident), [&](TieId t) { from.push_back(t.index()); });
  out.resize(into.size() + from.size());
  std::merge(into.begin(), into.end(), from.begin(), from.end(), out.begin());
  return out;
}

void RankingIndex::add_need(std::uint32_t n) {
  graph.add_vertex(VertexKind::need);
  graph.add_edge(EdgeKind::has_need, model.needs[n].resident.index(), n);
  need_override_reason.emplace_back();
  need_override_level.push_back(-1);
  for (const auto& o : policy.overrides)
    if (o.need == model.needs[n].key) {
      need_override_reason[n] = o.reason;
      need_override_level[n] = static_cast<int>(o.level);
    }
}

void RankingIndex::offers_near(const Need& need, const Resident& res, std::vector<OfferCandidate>& out) const {
  const auto d = static_cast<std::size_t>(need.domain);
  out.clear();
  // Beyond the margin an offer is not a candidate at all (not even a "too far" rejection); the
  // grid filters by distance on its own copy of the locations, before any Offer is read. An
  // initiative that ended is no longer there to join, not even on a waiting list.
  collective[d].query_within(res.location, candidate_radius_m(res, LadderLevel::collective, policy),
                             [&](std::uint32_t o, double dist) {
                               if (!offer_facts[o].ended) out.push_back({o, dist, res.max_travel_m});
                             });
  provisions[d].query_within(res.location, candidate_radius_m(res, LadderLevel::basic_care, policy),
                             [&](std::uint32_t o, double dist) {
                               if (!offer_facts[o].ended) out.push_back({o, dist, policy.provision_radius_m});
                             });
  // In grid order, which depends on the live engine's insertions: whatever the ranking lists
  // from these it sorts on a full key.
}

std::vector<std::pair<OfferId, TieKind>> RankingIndex::social_circle(ResidentId rid) const {
  std::vector<std::pair<OfferId, TieKind>> out;
  // Social proof walks the graph: household members (has_member), then both directions of
  // the resident's ties, then what each of them attends.
  auto add = [&](ResidentId other, TieKind kind) {
    if (other == rid) return;
    graph.for_each_attended(other, [&](OfferId o) { out.emplace_back(o, kind); });
  };
  const auto& res = model[rid];
  graph.for_each_member(res.household, [&](ResidentId member) { add(member, TieKind::household); });
  graph.for_each_tie_into(rid, [&](TieId t) { add(model.ties[t.index()].helper, model.ties[t.index()].kind); });
  graph.for_each_tie_from(rid, [&](TieId t) { add(model.ties[t.index()].helped, model.ties[t.index()].kind); });
  // Closest relation first (household < family < neighbour ...), deterministic.
  std::sort(out.begin(), out.end(),
            [](auto a, auto b) { return std::pair(a.first, a.second) < std::pair(b.first, b.second); });
  out.erase(std::unique(out.begin(), out.end(), [](auto a, auto b) { return a.first == b.first; }), out.end());
  return out;
}

std::vector<Introduction> RankingIndex::introductions(const Need& need,
                                                      std::span<const std::uint32_t> direct_helpers) const {
  const Resident& res = model[need.resident];
  std::vector<Introduction> found;
  // A tie of a tie: x is tied to the resident either way; y helps x (a tie into x). The order
  // of the walk does not matter: `found` is sorted on a full key below.
  auto through = [&](ResidentId x) {
    graph.for_each_tie_into(x, [&](TieId id2) {
      const std::uint32_t t2 = id2.index();
      const Tie& second = model.ties[t2];
      const ResidentId y = second.helper;
      if (y == need.resident || model[y].household == res.household) return;
      if (std::find(direct_helpers.begin(), direct_helpers.end(), y.index()) != direct_helpers.end()) return;
      if (!second.domains.contains(need.domain) || second.hours_left() <= 0.0) return;
      if (helper_overloaded(hours_given[y.index()], policy)) return;
      found.push_back({t2, x.index()});
    });
  };
  graph.for_each_tie_into(need.resident, [&](TieId t1) { through(model.ties[t1.index()].helper); });
  graph.for_each_tie_from(need.resident, [&](TieId t1) { through(model.ties[t1.index()].helped); });
  std::sort(found.begin(), found.end(), [&](Introduction a, Introduction b) {
    const auto& ta = model.ties[a.tie];
    const auto& tb = model.ties[b.tie];
    return std::tuple(-ta.strength, ta.helper, a.via, a.tie) < std::tuple(-tb.strength, tb.helper, b.via, b.tie);
  });
  std::vector<Introduction> out;
  std::vector<std::uint32_t> seen_helpers;
  for (const auto& in : found) {
    const std::uint32_t helper = model.ties[in.tie].helper.index();
    if (std::find(seen_helpers.begin(), seen_helpers.end(), helper) != seen_helpers.end()) continue;
    seen_helpers.push_back(helper);
    if (out.size() == 3) break;
    out.push_back(in);
  }
  return out;
}

}  // namespace wijkmatch::detail
