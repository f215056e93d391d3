// Ranking, candidates: the indexes a Ranker builds once, and what they give for one need
// (offers near the resident, the social circle, introductions). See src/ranking_detail.hpp.
#include <algorithm>
#include <tuple>

#include "ranking_detail.hpp"
#include "resources.hpp"

namespace wijkmatch::detail {

Csr Csr::build(std::size_t owners, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  Csr out;
  out.begin.assign(owners, 0);
  out.size.assign(owners, 0);
  for (auto [owner, item] : pairs) ++out.size[owner];
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < owners; ++i) {
    out.begin[i] = at;
    at += out.size[i];
  }
  out.room = out.size;
  out.items.resize(pairs.size());
  std::vector<std::uint32_t> fill(out.begin);
  for (auto [owner, item] : pairs) out.items[fill[owner]++] = item;
  return out;
}

void Csr::add_owner() {
  begin.push_back(static_cast<std::uint32_t>(items.size()));
  size.push_back(0);
  room.push_back(0);
}

void Csr::insert(std::uint32_t owner, std::uint32_t item) {
  if (size[owner] == room[owner]) {
    const std::uint32_t grown = 2 * room[owner] + 2;
    const auto from = items.begin() + begin[owner];
    std::vector<std::uint32_t> moved(from, from + size[owner]);
    begin[owner] = static_cast<std::uint32_t>(items.size());
    items.insert(items.end(), moved.begin(), moved.end());
    items.resize(items.size() + (grown - size[owner]));
    room[owner] = grown;
  }
  const auto first = items.begin() + begin[owner];
  const auto last = first + size[owner];
  const auto pos = std::lower_bound(first, last, item);
  std::copy_backward(pos, last, last + 1);
  *pos = item;
  ++size[owner];
}

void Csr::erase(std::uint32_t owner, std::uint32_t item) {
  const auto first = items.begin() + begin[owner];
  const auto last = first + size[owner];
  const auto pos = std::find(first, last, item);
  if (pos == last) return;
  std::copy(pos + 1, last, pos);
  --size[owner];
}

RankingIndex::RankingIndex(const Model& m, Policy p) : model(m), policy(std::move(p)) {
  for (std::size_t l = 0; l < ladder_level_count; ++l) level_rank[l] = policy.rank_of(static_cast<LadderLevel>(l));
  for (auto& g : collective) g = SpatialGrid(500.0);
  for (auto& g : provisions) g = SpatialGrid(5000.0);
  for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
    const auto& offer = m.offers[o];
    for (std::size_t d = 0; d < life_domain_count; ++d)
      if (offer.fit[d] > 0.0)
        (offer.level == LadderLevel::collective ? collective : provisions)[d].insert(offer.location, o);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> into, of, mem;
  into.reserve(m.ties.size());
  of.reserve(2 * m.ties.size());
  mem.reserve(m.residents.size());
  for (std::uint32_t t = 0; t < m.ties.size(); ++t) {
    into.emplace_back(m.ties[t].helped.index(), t);
    of.emplace_back(m.ties[t].helped.index(), t);
    of.emplace_back(m.ties[t].helper.index(), t);
  }
  for (std::uint32_t r = 0; r < m.residents.size(); ++r) mem.emplace_back(m.residents[r].household.index(), r);
  ties_into = Csr::build(m.residents.size(), into);
  ties_of = Csr::build(m.residents.size(), of);
  members = Csr::build(m.households.size(), mem);
  hours_given = hours_given_by_helper(m);
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

void RankingIndex::add_offer(std::uint32_t o) {
  const auto& offer = model.offers[o];
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (offer.fit[d] > 0.0)
      (offer.level == LadderLevel::collective ? collective : provisions)[d].insert(offer.location, o);
}

void RankingIndex::remove_offer(std::uint32_t o) {
  const auto& offer = model.offers[o];
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (offer.fit[d] > 0.0)
      (offer.level == LadderLevel::collective ? collective : provisions)[d].erase(offer.location, o);
}

void RankingIndex::add_household() { members.add_owner(); }

void RankingIndex::add_resident(std::uint32_t r) {
  ties_into.add_owner();
  ties_of.add_owner();
  hours_given.push_back(0.0);
  members.insert(model.residents[r].household.index(), r);
  add_neighbour(r);
}

void RankingIndex::move_resident(std::uint32_t r, std::uint32_t from_household) {
  members.erase(from_household, r);
  members.insert(model.residents[r].household.index(), r);
}

void RankingIndex::add_tie(std::uint32_t t) {
  const auto& tie = model.ties[t];
  ties_into.insert(tie.helped.index(), t);
  ties_of.insert(tie.helped.index(), t);
  ties_of.insert(tie.helper.index(), t);
  recount_hours(tie.helper.index());
}

void RankingIndex::remove_tie(std::uint32_t t) {
  const auto& tie = model.ties[t];
  ties_into.erase(tie.helped.index(), t);
  ties_of.erase(tie.helped.index(), t);
  ties_of.erase(tie.helper.index(), t);
  recount_hours(tie.helper.index());
}

void RankingIndex::recount_hours(std::uint32_t helper) {
  // Summed in tie order, as hours_given_by_helper does, so that the live value equals a fresh one.
  double given = 0.0;
  for (auto t : ties_of.of(helper))
    if (model.ties[t].helper.index() == helper) given += model.ties[t].hours_used;
  hours_given[helper] = given;
}

void RankingIndex::add_need(std::uint32_t n) {
  if (model[model.needs[n].resident].offers_help) needs_of_neighbour[model.needs[n].resident.index()].push_back(n);
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
  auto add = [&](std::uint32_t o) { out.push_back({o, 0.0, 0.0}); };
  collective[d].query(res.location, candidate_radius_m(res, LadderLevel::collective, policy), add);
  provisions[d].query(res.location, candidate_radius_m(res, LadderLevel::basic_care, policy), add);
  std::sort(out.begin(), out.end(), [](const OfferCandidate& a, const OfferCandidate& b) { return a.offer < b.offer; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const OfferCandidate& a, const OfferCandidate& b) { return a.offer == b.offer; }),
            out.end());
  std::size_t kept = 0;
  for (const auto& c : out) {
    const Offer& offer = model.offers[c.offer];
    const double dist = distance_m(res.location, offer.location);
    const double limit = offer.level == LadderLevel::collective ? res.max_travel_m : policy.provision_radius_m;
    // Beyond the margin an offer is not a candidate at all (not even a "too far" rejection).
    if (dist > candidate_radius_m(res, offer.level, policy)) continue;
    // An initiative that ended is no longer there to join, not even on a waiting list.
    if (offer.initiative && offer.initiative->status == InitiativeStatus::ended) continue;
    out[kept++] = {c.offer, dist, limit};
  }
  out.resize(kept);
}

std::vector<std::pair<OfferId, TieKind>> RankingIndex::social_circle(ResidentId rid) const {
  std::vector<std::pair<OfferId, TieKind>> out;
  auto add = [&](ResidentId other, TieKind kind) {
    if (other == rid) return;
    for (OfferId o : model[other].attends) out.emplace_back(o, kind);
  };
  const auto& res = model[rid];
  for (auto member : members.of(res.household.index())) add(ResidentId(member), TieKind::household);
  for (auto t : ties_of.of(rid.index())) {
    const Tie& tie = model.ties[t];
    add(tie.helper == rid ? tie.helped : tie.helper, tie.kind);
  }
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
  for (auto t1 : ties_of.of(need.resident.index())) {
    const Tie& first = model.ties[t1];
    const ResidentId x = first.helper == need.resident ? first.helped : first.helper;
    for (auto t2 : ties_of.of(x.index())) {
      const Tie& second = model.ties[t2];
      if (second.helper == x) continue;  // the tie's own help is not an introduction
      const ResidentId y = second.helper;
      if (y == need.resident || model[y].household == res.household) continue;
      if (std::find(direct_helpers.begin(), direct_helpers.end(), y.index()) != direct_helpers.end()) continue;
      if (!second.domains.contains(need.domain) || second.hours_left() <= 0.0) continue;
      if (helper_overloaded(hours_given[y.index()], policy)) continue;
      found.push_back({t2, x.index()});
    }
  }
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
