// Ranking, neighbours who offered help (format v1.1 `offers_help`, the neighbours of Harry
// Helpt): the index of who helps with what where, the candidates for one need, an exchange
// when the two could help each other, and the features and sentences of such an option.
// See docs/ranking.md "Neighbours who offered help".
#include <algorithm>
#include <tuple>

#include "ranking_detail.hpp"
#include "resources.hpp"

namespace wijkmatch::detail {

void RankingIndex::index_neighbours() {
  for (auto& g : neighbours) g = SpatialGrid(1000.0);
  for (std::uint32_t r = 0; r < model.residents.size(); ++r)
    if (model.residents[r].offers_help) add_neighbour(r);
}

void RankingIndex::add_neighbour(std::uint32_t r) {
  const auto& help = model.residents[r].offers_help;
  if (!help) return;
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (help->domains.contains(static_cast<LifeDomain>(d))) {
      neighbours[d].insert(model.residents[r].location, r, static_cast<float>(help->radius_m));
      neighbour_radius[d] = std::max(neighbour_radius[d], help->radius_m);
    }
}

void RankingIndex::remove_neighbour(std::uint32_t r) {
  const auto& help = model.residents[r].offers_help;
  if (!help) return;
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (help->domains.contains(static_cast<LifeDomain>(d))) neighbours[d].erase(model.residents[r].location, r);
}

namespace {
// Nearest first, then by resident: a total order, so the walk is the same on any grid order.
bool nearer(const RankingIndex::NearNeighbour& a, const RankingIndex::NearNeighbour& b) noexcept {
  return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.resident < b.resident;
}
}  // namespace

void RankingIndex::neighbours_near(const Need& need, std::vector<NearNeighbour>& out) const {
  const Resident& res = model[need.resident];
  const auto d = static_cast<std::size_t>(need.domain);
  out.clear();
  // The grid carries each helper's radius as a float: a filter that reads no Resident, a
  // little wide for the rounding; is_other_helper applies the exact radius.
  neighbours[d].query_within(res.location, neighbour_radius[d], [&](std::uint32_t h, double dist, float radius) {
    if (dist > static_cast<double>(radius) * (1.0 + 1e-6)) return;
    out.push_back({dist, h});
  });
  // The nearest few decide almost always: select and sort those first, the rest only if the
  // walk gets there (sort_rest).
  const auto head = out.begin() + static_cast<std::ptrdiff_t>(std::min(out.size(), nearest_first));
  std::nth_element(out.begin(), head, out.end(), nearer);
  std::sort(out.begin(), head, nearer);
}

void RankingIndex::sort_rest(std::vector<NearNeighbour>& near) {
  if (near.size() <= nearest_first) return;
  std::sort(near.begin() + static_cast<std::ptrdiff_t>(nearest_first), near.end(), nearer);
}

bool RankingIndex::is_other_helper(const Need& need, std::uint32_t h,
                                   std::span<const std::uint32_t> direct_helpers) const {
  const Resident& helper = model.residents[h];
  const Resident& res = model[need.resident];
  if (ResidentId(h) == need.resident || helper.household == res.household) return false;
  if (distance_m(res.location, helper.location) > helper.offers_help->radius_m) return false;
  // Someone who already helps through a tie is an own-network option of that tie.
  return std::find(direct_helpers.begin(), direct_helpers.end(), h) == direct_helpers.end();
}

NeedId RankingIndex::exchange_for(const Need& need, std::uint32_t neighbour) const {
  const Resident& res = model[need.resident];
  if (!res.offers_help) return {};
  const Resident& other = model.residents[neighbour];
  if (distance_m(res.location, other.location) > res.offers_help->radius_m) return {};
  NeedId best;
  graph.for_each(EdgeKind::has_need, neighbour, [&](const GraphEdge& e) {
    const Need& theirs = model.needs[e.target];
    if (theirs.status == NeedStatus::closed || !res.offers_help->domains.contains(theirs.domain)) return;
    if (!best.valid() || std::tuple(theirs.severity, theirs.since, e.target) <
                             std::tuple(model[best].severity, model[best].since, best.index()))
      best = NeedId(e.target);
  });
  return best;
}

void neighbour_features(FeatureBatch::Row row, const HelpOffer& help, double hours_left, double distance_m,
                        float language, bool exchange) {
  row.set(Feature::fit, 1.0F);
  row.set(Feature::proximity,
          help.radius_m > 0.0 ? static_cast<float>(std::clamp(1.0 - distance_m / help.radius_m, 0.0, 1.0)) : 1.0F);
  row.set(Feature::language, language);
  row.set(Feature::capacity, static_cast<float>(std::clamp(hours_left / 4.0, 0.0, 1.0)));
  row.set(Feature::waiting, 1.0F);
  row.set(Feature::cost, 1.0F);
  if (exchange) row.set(Feature::tie_strength, 0.5F);
}

void neighbour_reasons(Option& option, LifeDomain domain, double hours_left, double distance_m,
                       std::optional<LifeDomain> exchange) {
  option.reasons.push_back("a neighbour " + metres(distance_m) + " away offered to help with " +
                           std::string(to_string(domain)));
  if (exchange)
    option.reasons.push_back("an exchange: they could use your help with " + std::string(to_string(*exchange)) +
                             ", which you offered, so you help each other");
  option.reasons.push_back(fixed(hours_left, 1) + " hours a week offered and free");
  option.reasons.push_back("free of charge, no waiting; the team introduces you");
}

std::string neighbour_rejection(RejectReason why, const HelpOffer& help, double hours_left, double hours_given,
                                const Policy& policy) {
  switch (why) {
    case RejectReason::helper_overloaded:
      return "the neighbour already gives " + fixed(hours_given, 1) + " hours a week of help (more than " +
             fixed(policy.overloaded_helper_hours, 1) + ")";
    case RejectReason::no_hours_left:
      return "the neighbour's " + fixed(help.hours_per_week, 1) + " hours a week are taken (" +
             fixed(std::max(0.0, hours_left), 1) + " left)";
    case RejectReason::no_shared_day_part: return "the neighbour helps on day-parts the resident is not available";
    case RejectReason::language: return "the neighbour and the resident share no language";
    default: return std::string(to_string(why));
  }
}

}  // namespace wijkmatch::detail
