// Partition of a country into municipalities. See include/wijkmatch/partition.hpp.
#include "wijkmatch/partition.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "spatial_grid.hpp"
#include "wijkmatch/area.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch {

std::string municipality_or_empty(std::string_view code) {
  if (!check_area_code(code, AreaLevel::neighbourhood) || !check_area_code(code, AreaLevel::district))
    return municipality_of(code);
  return {};
}

std::vector<std::string> municipalities(const Model& model) {
  std::set<std::string> codes;
  for (const auto& r : model.residents)
    if (auto c = municipality_or_empty(r.neighbourhood); !c.empty()) codes.insert(std::move(c));
  for (const auto& o : model.offers)
    if (auto c = municipality_or_empty(o.neighbourhood); !c.empty()) codes.insert(std::move(c));
  return {codes.begin(), codes.end()};
}

std::vector<Model> split_model(const Model& m, const std::vector<std::vector<std::string>>& groups) {
  std::unordered_map<std::string, std::size_t> group_of;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (const auto& code : groups[g])
      if (!group_of.emplace(code, g).second) throw Error("split_model: municipality " + code + " is in two groups");
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  auto group = [&](const std::string& area) {
    auto it = group_of.find(municipality_or_empty(area));
    return it == group_of.end() ? none : it->second;
  };
  std::vector<Model> out(groups.size());
  // Per entity of the whole model: its part (or none) and its position in that part.
  std::vector<std::size_t> household_part(m.households.size()), resident_part(m.residents.size()),
      offer_part(m.offers.size());
  std::vector<std::uint32_t> household_map(m.households.size()), resident_map(m.residents.size()),
      offer_map(m.offers.size());
  for (std::size_t i = 0; i < m.households.size(); ++i) {
    const auto g = household_part[i] = group(m.households[i].neighbourhood);
    if (g == none) continue;
    household_map[i] = static_cast<std::uint32_t>(out[g].households.size());
    out[g].households.push_back(m.households[i]);
  }
  for (std::size_t i = 0; i < m.offers.size(); ++i) {
    const auto g = offer_part[i] = group(m.offers[i].neighbourhood);
    if (g == none) continue;
    offer_map[i] = static_cast<std::uint32_t>(out[g].offers.size());
    out[g].offers.push_back(m.offers[i]);
  }
  for (std::size_t i = 0; i < m.residents.size(); ++i) {
    const Resident& r = m.residents[i];
    const auto g = resident_part[i] = household_part[r.household.index()];
    if (g == none) continue;
    resident_map[i] = static_cast<std::uint32_t>(out[g].residents.size());
    Resident copy = r;
    copy.household = HouseholdId(household_map[r.household.index()]);
    copy.attends.clear();
    for (OfferId o : r.attends)
      if (offer_part[o.index()] == g) copy.attends.emplace_back(offer_map[o.index()]);
    out[g].residents.push_back(std::move(copy));
  }
  // Organisers and volunteers follow their offer into its part when they live there too (as
  // attended offers follow residents); one in another part is left out of the copy.
  for (std::size_t i = 0; i < m.offers.size(); ++i) {
    const auto g = offer_part[i];
    if (g == none) continue;
    Offer& copy = out[g].offers[offer_map[i]];
    copy.organiser.residents.clear();
    for (ResidentId r : m.offers[i].organiser.residents)
      if (resident_part[r.index()] == g) copy.organiser.residents.emplace_back(resident_map[r.index()]);
    copy.volunteers.clear();
    for (const Volunteer& v : m.offers[i].volunteers)
      if (resident_part[v.resident.index()] == g)
        copy.volunteers.push_back({ResidentId(resident_map[v.resident.index()]), v.hours_per_week});
  }
  for (const Tie& t : m.ties) {
    const auto g = resident_part[t.helper.index()];
    if (g == none || resident_part[t.helped.index()] != g) continue;
    Tie copy = t;
    copy.helper = ResidentId(resident_map[t.helper.index()]);
    copy.helped = ResidentId(resident_map[t.helped.index()]);
    out[g].ties.push_back(copy);
  }
  for (const Need& n : m.needs) {
    const auto g = resident_part[n.resident.index()];
    if (g == none) continue;
    Need copy = n;
    copy.resident = ResidentId(resident_map[n.resident.index()]);
    out[g].needs.push_back(std::move(copy));
  }
  for (const Professional& p : m.professionals) {
    for (const auto& code : p.work_area)
      if (const auto g = group(code); g != none) {
        out[g].professionals.push_back(p);
        break;
      }
  }
  for (auto& part : out) part.rebuild_index();
  return out;
}

Model merge_models(std::span<const Model* const> parts) {
  Model out;
  for (const Model* part : parts) {
    if (part == nullptr) throw Error("merge_models: a part is missing");
    const Model& p = *part;
    const auto h0 = static_cast<std::uint32_t>(out.households.size()),
               r0 = static_cast<std::uint32_t>(out.residents.size()),
               o0 = static_cast<std::uint32_t>(out.offers.size());
    out.households.insert(out.households.end(), p.households.begin(), p.households.end());
    for (Resident r : p.residents) {
      r.household = HouseholdId(r.household.index() + h0);
      for (auto& o : r.attends) o = OfferId(o.index() + o0);
      out.residents.push_back(std::move(r));
    }
    for (Tie t : p.ties) {
      t.helper = ResidentId(t.helper.index() + r0);
      t.helped = ResidentId(t.helped.index() + r0);
      out.ties.push_back(t);
    }
    for (Need n : p.needs) {
      n.resident = ResidentId(n.resident.index() + r0);
      out.needs.push_back(std::move(n));
    }
    for (Offer o : p.offers) {
      for (auto& r : o.organiser.residents) r = ResidentId(r.index() + r0);
      for (auto& v : o.volunteers) v.resident = ResidentId(v.resident.index() + r0);
      out.offers.push_back(std::move(o));
    }
    out.professionals.insert(out.professionals.end(), p.professionals.begin(), p.professionals.end());
  }
  out.rebuild_index();
  return out;
}

Model merge_models(std::span<const Model> parts) {
  std::vector<const Model*> pointers;
  pointers.reserve(parts.size());
  for (const Model& p : parts) pointers.push_back(&p);
  return merge_models(std::span<const Model* const>(pointers));
}

namespace {

using Link = std::pair<std::int32_t, std::int32_t>;

/// Adds the link between two different municipalities, smaller index first.
void add_link(std::set<Link>& links, std::int32_t a, std::int32_t b) {
  if (a != b && a >= 0 && b >= 0) links.emplace(std::min(a, b), std::max(a, b));
}

void check_finite(double v, const std::string& what) {
  if (!std::isfinite(v)) throw Error("reach_links: " + what + " is not finite");
}

}  // namespace

Footprint footprint(const Model& m, const Policy& policy) {
  Footprint out;
  std::unordered_map<std::string, std::int32_t> index;
  auto code_index = [&](std::string_view area) -> std::int32_t {
    std::string code = municipality_or_empty(area);
    if (code.empty()) return -1;
    auto [it, fresh] = index.emplace(code, static_cast<std::int32_t>(out.municipalities.size()));
    if (fresh) out.municipalities.push_back(std::move(code));
    return it->second;
  };
  std::vector<std::int32_t> resident_municipality(m.residents.size()), offer_municipality(m.offers.size());
  for (std::size_t i = 0; i < m.residents.size(); ++i)
    resident_municipality[i] = code_index(m.residents[i].neighbourhood);
  for (std::size_t i = 0; i < m.offers.size(); ++i) {
    const Offer& o = m.offers[i];
    offer_municipality[i] = code_index(o.neighbourhood);
    DomainSet served;
    for (std::size_t d = 0; d < life_domain_count; ++d)
      if (o.serves(static_cast<LifeDomain>(d))) served.insert(static_cast<LifeDomain>(d));
    out.offers.push_back({offer_municipality[i], o.location, o.level == LadderLevel::collective, served});
  }
  for (const Need& n : m.needs) {
    if (n.status == NeedStatus::closed) continue;  // the ranking ranks every need that is not closed
    const Resident& r = m[n.resident];
    out.needs.push_back({resident_municipality[n.resident.index()], r.location, n.domain,
                         candidate_radius_m(r, LadderLevel::collective, policy),
                         candidate_radius_m(r, LadderLevel::basic_care, policy)});
  }
  std::set<Link> links;
  for (const Tie& t : m.ties)
    add_link(links, resident_municipality[t.helper.index()], resident_municipality[t.helped.index()]);
  for (std::size_t i = 0; i < m.residents.size(); ++i)
    for (OfferId o : m.residents[i].attends) add_link(links, resident_municipality[i], offer_municipality[o.index()]);
  for (const Professional& p : m.professionals) {
    std::int32_t first = -1;
    for (const auto& code : p.work_area) {
      const auto mu = code_index(code);
      if (first < 0)
        first = mu;
      else
        add_link(links, first, mu);
    }
  }
  out.links.assign(links.begin(), links.end());
  return out;
}

std::vector<Link> reach_links(std::span<const Footprint::NeedReach> needs,
                              std::span<const Footprint::OfferSite> offers) {
  // Two grids (collective offers, the other levels), each with cells as large as the largest
  // radius of its kind, so that a need visits a few cells around its home.
  double largest[2] = {1.0, 1.0};
  for (std::size_t i = 0; i < needs.size(); ++i) {
    const auto& n = needs[i];
    const std::string what = "need " + std::to_string(i);
    check_finite(n.home.x_m, what + " x");
    check_finite(n.home.y_m, what + " y");
    check_finite(n.collective_radius_m, what + " collective radius");
    check_finite(n.provision_radius_m, what + " provision radius");
    if (n.collective_radius_m < 0 || n.provision_radius_m < 0)
      throw Error("reach_links: " + what + " has a radius below zero");
    largest[0] = std::max(largest[0], n.collective_radius_m);
    largest[1] = std::max(largest[1], n.provision_radius_m);
  }
  detail::SpatialGrid grids[2] = {detail::SpatialGrid(largest[0]), detail::SpatialGrid(largest[1])};
  for (std::size_t o = 0; o < offers.size(); ++o) {
    check_finite(offers[o].at.x_m, "offer " + std::to_string(o) + " x");
    check_finite(offers[o].at.y_m, "offer " + std::to_string(o) + " y");
    if (offers[o].municipality >= 0)
      grids[offers[o].collective ? 0 : 1].insert(offers[o].at, static_cast<std::uint32_t>(o));
  }
  std::set<Link> links;
  for (const auto& n : needs) {
    if (n.municipality < 0) continue;
    for (int kind = 0; kind < 2; ++kind) {
      const double radius = kind == 0 ? n.collective_radius_m : n.provision_radius_m;
      grids[kind].query(n.home, radius, [&](std::uint32_t o) {
        const auto& offer = offers[o];
        if (offer.municipality == n.municipality || !offer.domains.contains(n.domain)) return;
        if (distance_m(n.home, offer.at) <= radius) links.emplace(n.municipality, offer.municipality);
      });
    }
  }
  return {links.begin(), links.end()};
}

Coupling couple(std::span<const Footprint> footprints) {
  Coupling out;
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<Footprint::NeedReach> needs;
  std::vector<Footprint::OfferSite> offers;
  // Municipality indices of each footprint mapped onto the joint codes.
  auto joint = [&](const std::vector<std::uint32_t>& map, std::int32_t local, std::size_t f) -> std::int32_t {
    if (local < 0) return -1;
    if (static_cast<std::size_t>(local) >= map.size())
      throw Error("couple: footprint " + std::to_string(f) + ": municipality index " + std::to_string(local) +
                  " out of range");
    return static_cast<std::int32_t>(map[static_cast<std::size_t>(local)]);
  };
  std::set<Link> links;
  for (std::size_t f = 0; f < footprints.size(); ++f) {
    const Footprint& fp = footprints[f];
    auto& map = out.of_footprint.emplace_back();
    for (const auto& code : fp.municipalities) {
      auto [it, fresh] = index.emplace(code, static_cast<std::uint32_t>(out.municipalities.size()));
      if (fresh) out.municipalities.push_back(code);
      map.push_back(it->second);
    }
    for (auto n : fp.needs) {
      n.municipality = joint(map, n.municipality, f);
      needs.push_back(n);
    }
    for (auto o : fp.offers) {
      o.municipality = joint(map, o.municipality, f);
      offers.push_back(o);
    }
    for (auto [a, b] : fp.links) add_link(links, joint(map, a, f), joint(map, b, f));
  }
  for (auto [a, b] : reach_links(needs, offers)) add_link(links, a, b);
  for (auto [a, b] : links) out.links.emplace_back(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b));
  return out;
}

}  // namespace wijkmatch
