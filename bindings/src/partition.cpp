// Support for country-wide runs (wijkmatch.distributed): splitting a model by municipality,
// merging municipality models, and finding which municipalities share resources (an offer one
// municipality's residents can reach, a tie, a professional's work area, attendance), so
// that coupled municipalities are allocated together and the totals equal one big run.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

/// The model split into parts, one per group of municipalities (CBS GM codes), in one pass.
/// Ties and attendance that cross parts, and professionals without a work area in any group,
/// are left out; the partition of wijkmatch.distributed never produces such crossings.
std::vector<Model> split_model(const Model& m, const std::vector<std::vector<std::string>>& groups) {
  std::unordered_map<std::string, std::size_t> group_of;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (const auto& code : groups[g])
      if (!group_of.emplace(code, g).second) throw py::value_error("municipality " + code + " is in two groups");
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  auto group = [&](const std::string& area) {
    auto it = group_of.find(municipality_or_empty(area));
    return it == group_of.end() ? none : it->second;
  };
  std::vector<Model> out(groups.size());
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
    std::size_t g = none;
    for (const auto& code : p.work_area) {
      const auto h = group(code);
      if (h != none && g == none) g = h;
    }
    if (g != none) out[g].professionals.push_back(p);
  }
  for (auto& part : out) part.rebuild_index();
  return out;
}

Model merge_models(const std::vector<ModelPtr>& parts) {
  Model out;
  for (const auto& part : parts) {
    if (!part) throw std::invalid_argument("models must not contain None");
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
    out.offers.insert(out.offers.end(), p.offers.begin(), p.offers.end());
    out.professionals.insert(out.professionals.end(), p.professionals.begin(), p.professionals.end());
  }
  out.rebuild_index();
  return out;
}

/// What the coupling of municipalities needs from one model, as flat arrays.
py::dict footprint(const Model& m, const Policy& policy) {
  std::vector<std::string> codes;
  std::unordered_map<std::string, std::int32_t> index;
  auto code_index = [&](const std::string& code) -> std::int32_t {
    if (code.empty()) return -1;
    auto [it, fresh] = index.emplace(code, static_cast<std::int32_t>(codes.size()));
    if (fresh) codes.push_back(code);
    return it->second;
  };
  std::vector<std::int32_t> resident_muni(m.residents.size());
  for (std::size_t i = 0; i < m.residents.size(); ++i)
    resident_muni[i] = code_index(municipality_or_empty(m.residents[i].neighbourhood));
  std::vector<std::int32_t> offer_muni(m.offers.size());
  for (std::size_t i = 0; i < m.offers.size(); ++i)
    offer_muni[i] = code_index(municipality_or_empty(m.offers[i].neighbourhood));

  std::vector<std::int64_t> residents_per(codes.size() + 1, 0), needs_per(codes.size() + 1, 0),
      open_per(codes.size() + 1, 0), offers_per(codes.size() + 1, 0);
  for (auto mu : resident_muni) ++residents_per[static_cast<std::size_t>(mu + 1)];
  for (auto mu : offer_muni) ++offers_per[static_cast<std::size_t>(mu + 1)];

  std::vector<std::int32_t> need_muni;
  std::vector<double> need_x, need_y, need_reach;
  std::vector<std::uint8_t> need_domain;
  for (const Need& n : m.needs) {
    const auto mu = resident_muni[n.resident.index()];
    ++needs_per[static_cast<std::size_t>(mu + 1)];
    if (n.status == NeedStatus::open) ++open_per[static_cast<std::size_t>(mu + 1)];
    if (n.status == NeedStatus::closed) continue;
    const Resident& r = m[n.resident];
    need_muni.push_back(mu);
    need_x.push_back(r.location.x_m);
    need_y.push_back(r.location.y_m);
    need_reach.push_back(r.max_travel_m + policy.consideration_margin_m);
    need_domain.push_back(static_cast<std::uint8_t>(n.domain));
  }
  std::vector<double> ox, oy;
  std::vector<bool> collective;
  std::vector<std::uint16_t> domains;
  for (const Offer& o : m.offers) {
    ox.push_back(o.location.x_m);
    oy.push_back(o.location.y_m);
    collective.push_back(o.level == LadderLevel::collective);
    DomainSet s;
    for (std::size_t d = 0; d < life_domain_count; ++d)
      if (o.fit[d] > 0.0) s.insert(static_cast<LifeDomain>(d));
    domains.push_back(s.bits);
  }
  // Explicit links: ties across municipalities, professionals working in several, attendance.
  std::set<std::pair<std::int32_t, std::int32_t>> links;
  auto link = [&](std::int32_t a, std::int32_t b) {
    if (a != b && a >= 0 && b >= 0) links.emplace(std::min(a, b), std::max(a, b));
  };
  for (const Tie& t : m.ties) link(resident_muni[t.helper.index()], resident_muni[t.helped.index()]);
  for (std::size_t i = 0; i < m.residents.size(); ++i)
    for (OfferId o : m.residents[i].attends) link(resident_muni[i], offer_muni[o.index()]);
  std::vector<std::int32_t> professional_muni;
  for (const Professional& p : m.professionals) {
    std::int32_t first = -2;
    for (const auto& code : p.work_area) {
      const auto mu = code_index(municipality_or_empty(code));
      if (first == -2)
        first = mu;
      else
        link(first, mu);
    }
    professional_muni.push_back(first == -2 ? -1 : first);
  }
  std::vector<std::int32_t> link_a, link_b;
  for (auto [a, b] : links) {
    link_a.push_back(a);
    link_b.push_back(b);
  }
  py::dict out;
  out["municipalities"] = codes;
  // Index 0 of the count arrays is "no municipality" (-1); shift to the codes' order.
  auto counts = [&](const std::vector<std::int64_t>& per) {
    std::vector<std::int64_t> v(per.begin() + 1, per.begin() + 1 + static_cast<std::ptrdiff_t>(codes.size()));
    return array_of(v);
  };
  out["residents"] = counts(residents_per);
  out["needs"] = counts(needs_per);
  out["open_needs"] = counts(open_per);
  out["offers"] = counts(offers_per);
  out["unplaced"] = residents_per[0] + offers_per[0];
  out["need_municipality"] = array_of(need_muni);
  out["need_x"] = array_of(need_x);
  out["need_y"] = array_of(need_y);
  out["need_reach"] = array_of(need_reach);
  out["need_domain"] = array_of(need_domain);
  out["offer_municipality"] = array_of(offer_muni);
  out["offer_x"] = array_of(ox);
  out["offer_y"] = array_of(oy);
  py::array_t<bool> coll(static_cast<py::ssize_t>(collective.size()));
  for (std::size_t i = 0; i < collective.size(); ++i) coll.mutable_data()[i] = collective[i];
  out["offer_collective"] = coll;
  out["offer_domains"] = array_of(domains);
  out["professional_municipality"] = array_of(professional_muni);
  out["link_a"] = array_of(link_a);
  out["link_b"] = array_of(link_b);
  out["provision_reach"] = policy.provision_radius_m + policy.consideration_margin_m;
  return out;
}

template <class T>
using In = py::array_t<T, py::array::c_style | py::array::forcecast>;

/// Pairs (need municipality, offer municipality), different, where some need not closed can
/// reach an offer serving its domain, with the ranking's candidate rule.
py::array_t<std::int32_t> reach_links(const In<std::int32_t>& need_muni, const In<double>& need_x,
                                      const In<double>& need_y, const In<double>& need_reach,
                                      const In<std::uint8_t>& need_domain, const In<std::int32_t>& offer_muni,
                                      const In<double>& offer_x, const In<double>& offer_y,
                                      const In<bool>& offer_collective, const In<std::uint16_t>& offer_domains,
                                      double provision_reach) {
  const auto n = need_muni.size(), k = offer_muni.size();
  if (need_x.size() != n || need_y.size() != n || need_reach.size() != n || need_domain.size() != n)
    throw py::value_error("need arrays must have the same length");
  if (offer_x.size() != k || offer_y.size() != k || offer_collective.size() != k || offer_domains.size() != k)
    throw py::value_error("offer arrays must have the same length");
  const std::int32_t* nm = need_muni.data();
  const double *nx = need_x.data(), *ny = need_y.data(), *nr = need_reach.data();
  const std::uint8_t* nd = need_domain.data();
  const std::int32_t* om = offer_muni.data();
  const double *ox = offer_x.data(), *oy = offer_y.data();
  const bool* oc = offer_collective.data();
  const std::uint16_t* od = offer_domains.data();
  std::set<std::pair<std::int32_t, std::int32_t>> links;
  {
    py::gil_scoped_release nogil;
    // Two grids (collective offers, provisions), each with cells as large as its largest reach,
    // so a need looks at its own cell and the eight around it.
    double max_collective = 1.0;
    for (py::ssize_t i = 0; i < n; ++i) max_collective = std::max(max_collective, nr[i]);
    struct Grid {
      double cell;
      std::unordered_map<std::int64_t, std::vector<std::uint32_t>> cells;
      std::int64_t key(std::int64_t cx, std::int64_t cy) const { return cx * 1000003LL + cy; }
    };
    Grid grids[2] = {{max_collective, {}}, {std::max(provision_reach, 1.0), {}}};
    for (py::ssize_t o = 0; o < k; ++o) {
      if (om[o] < 0) continue;
      Grid& g = grids[oc[o] ? 0 : 1];
      const auto cx = static_cast<std::int64_t>(std::floor(ox[o] / g.cell)),
                 cy = static_cast<std::int64_t>(std::floor(oy[o] / g.cell));
      g.cells[g.key(cx, cy)].push_back(static_cast<std::uint32_t>(o));
    }
    for (py::ssize_t i = 0; i < n; ++i) {
      if (nm[i] < 0) continue;
      const Location home{nx[i], ny[i]};
      const std::uint16_t bit = static_cast<std::uint16_t>(1U << nd[i]);
      for (int which = 0; which < 2; ++which) {
        const Grid& g = grids[which];
        const double reach = which == 0 ? nr[i] : provision_reach;
        const auto cx = static_cast<std::int64_t>(std::floor(nx[i] / g.cell)),
                   cy = static_cast<std::int64_t>(std::floor(ny[i] / g.cell));
        for (std::int64_t dx = -1; dx <= 1; ++dx)
          for (std::int64_t dy = -1; dy <= 1; ++dy) {
            auto it = g.cells.find(g.key(cx + dx, cy + dy));
            if (it == g.cells.end()) continue;
            for (std::uint32_t o : it->second) {
              if (om[o] == nm[i] || !(od[o] & bit)) continue;
              if (links.count({nm[i], om[o]})) continue;
              if (distance_m(home, Location{ox[o], oy[o]}) <= reach) links.emplace(nm[i], om[o]);
            }
          }
      }
    }
  }
  py::array_t<std::int32_t> out({static_cast<py::ssize_t>(links.size()), static_cast<py::ssize_t>(2)});
  auto* d = out.mutable_data();
  for (auto [a, b] : links) {
    *d++ = a;
    *d++ = b;
  }
  return out;
}

}  // namespace

void bind_country(py::module_& m) {
  m.def(
      "split_model",
      [](const ModelPtr& model, const std::vector<std::vector<std::string>>& groups) {
        auto parts = run_interruptible([model, groups] { return split_model(*model, groups); });
        std::vector<ModelPtr> out;
        for (auto& p : parts) out.push_back(std::make_shared<Model>(std::move(p)));
        return out;
      },
      py::arg("model"), py::arg("groups"),
      "Splits `model` into one model per group of municipalities (lists of CBS GM codes), in one "
      "pass: each part holds the households, residents, needs and offers of its municipalities, "
      "the ties and attendance inside the part, and each professional in the group of the first "
      "work-area code that lies in a group. Entities outside every group are left out.");
  m.def(
      "merge_models",
      [](const std::vector<ModelPtr>& models) {
        return std::make_shared<Model>(run_interruptible([models] { return merge_models(models); }));
      },
      py::arg("models"), "One model holding every entity of `models`, in order; raises InputError on duplicate keys.");
  m.def(
      "footprint",
      [](const ModelPtr& model, const py::object& policy) { return footprint(*model, policy_from(policy)); },
      py::arg("model"), py::arg("policy") = py::none(),
      "What wijkmatch.distributed needs to find coupled municipalities, as flat arrays.");
  m.def("reach_links", &reach_links, py::arg("need_municipality"), py::arg("need_x"), py::arg("need_y"),
        py::arg("need_reach"), py::arg("need_domain"), py::arg("offer_municipality"), py::arg("offer_x"),
        py::arg("offer_y"), py::arg("offer_collective"), py::arg("offer_domains"), py::arg("provision_reach"),
        "Pairs (need municipality, offer municipality) where a need can reach an offer of another "
        "municipality that serves its domain (the ranking's candidate rule), as an (k, 2) int32 array.");
}

}  // namespace wijkmatch::py_bindings
