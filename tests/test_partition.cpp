// Partition of a country: split and merge by municipality, footprints, reach links and the
// coupling, against the ranking's candidate rule and the allocation of the whole.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "wijkmatch/allocation.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/partition.hpp"
#include "wijkmatch/ranking.hpp"

using namespace wijkmatch;

namespace {

const Model& country() {
  static const Model model = generate({.residents = 12000, .seed = 11, .municipalities = 4});
  return model;
}

std::vector<std::vector<std::string>> one_group_each(const Model& m) {
  std::vector<std::vector<std::string>> groups;
  for (const auto& code : municipalities(m)) groups.push_back({code});
  return groups;
}

template <class T, class Key>
std::multiset<std::string> keys_of(const std::vector<T>& items, Key key) {
  std::multiset<std::string> out;
  for (const auto& item : items) out.insert(key(item));
  return out;
}

AllocationObjective sum(const std::vector<AllocationObjective>& parts) {
  AllocationObjective total;
  for (const auto& p : parts) {
    total.needs += p.needs;
    total.served += p.served;
    total.ladder_steps += p.ladder_steps;
    total.score_milli += p.score_milli;
    total.cost_per_month += p.cost_per_month;
    for (std::size_t l = 0; l < ladder_level_count; ++l) total.served_by_level[l] += p.served_by_level[l];
  }
  return total;
}

/// Two municipalities: a resident of GM0001 with one open need, and offers of GM0002 placed
/// `distances` metres east of the resident's home, every one serving the need's domain.
Model border_model(LadderLevel level, const std::vector<double>& distances) {
  Model m;
  m.households = {{"H1", "BU00010001"}, {"H2", "BU00020001"}};
  const Resident r{.key = "R1",
                   .household = HouseholdId(0),
                   .neighbourhood = "BU00010001",
                   .location = {100000, 400000},
                   .languages = {"nl"},
                   .max_travel_m = 1000};
  m.residents.push_back(r);
  m.needs.push_back({.key = "N1", .resident = ResidentId(0), .domain = LifeDomain::social_network});
  for (std::size_t i = 0; i < distances.size(); ++i) {
    Offer o;
    o.key = "O" + std::to_string(i);
    o.level = level;
    o.fit[static_cast<std::size_t>(LifeDomain::social_network)] = 1.0;
    o.seats = 5;
    o.location = {r.location.x_m + distances[i], r.location.y_m};
    o.neighbourhood = "BU00020001";
    o.languages = {"nl"};
    m.offers.push_back(o);
  }
  m.rebuild_index();
  return m;
}

}  // namespace

TEST_CASE("municipality_or_empty and municipalities", "[partition]") {
  CHECK(municipality_or_empty("BU03440101") == "GM0344");
  CHECK(municipality_or_empty("WK034401") == "GM0344");
  CHECK(municipality_or_empty("GM0344").empty());
  CHECK(municipality_or_empty("").empty());
  CHECK(municipality_or_empty("BU0344").empty());
  CHECK(municipalities(country()) == std::vector<std::string>{"GM0001", "GM0002", "GM0003", "GM0004"});
  CHECK(municipalities(Model{}).empty());
}

TEST_CASE("split puts every entity in exactly one part, keys and references intact", "[partition]") {
  const Model& whole = country();
  const auto parts = split_model(whole, one_group_each(whole));
  REQUIRE(parts.size() == 4);

  Model joined;  // the parts side by side, to compare key sets with the whole
  for (std::size_t g = 0; g < parts.size(); ++g) {
    const Model& p = parts[g];
    const std::string code = "GM000" + std::to_string(g + 1);
    CHECK(municipalities(p) == std::vector<std::string>{code});
    // References resolve within the part, to the entity the whole refers to.
    for (const auto& r : p.residents) {
      REQUIRE(r.household.index() < p.households.size());
      const Resident& original = whole[*whole.find_resident(r.key)];
      CHECK(p[r.household].key == whole[original.household].key);
      CHECK(r.attends.size() == original.attends.size());  // generated attendance stays at home
      for (std::size_t k = 0; k < r.attends.size(); ++k) {
        REQUIRE(r.attends[k].index() < p.offers.size());
        CHECK(p[r.attends[k]].key == whole[original.attends[k]].key);
      }
    }
    for (const auto& n : p.needs) {
      REQUIRE(n.resident.index() < p.residents.size());
      CHECK(p[n.resident].key == whole[whole[*whole.find_need(n.key)].resident].key);
    }
    for (const auto& t : p.ties) {
      REQUIRE(t.helper.index() < p.residents.size());
      REQUIRE(t.helped.index() < p.residents.size());
    }
    for (const auto& o : p.offers) CHECK(municipality_or_empty(o.neighbourhood) == code);
    // Every key of the part is found by the part's own index.
    for (const auto& n : p.needs) CHECK(p.find_need(n.key).has_value());
    for (const auto& o : p.offers) CHECK(p.find_offer(o.key).has_value());
    joined.households.insert(joined.households.end(), p.households.begin(), p.households.end());
    joined.residents.insert(joined.residents.end(), p.residents.begin(), p.residents.end());
    joined.needs.insert(joined.needs.end(), p.needs.begin(), p.needs.end());
    joined.offers.insert(joined.offers.end(), p.offers.begin(), p.offers.end());
    joined.ties.insert(joined.ties.end(), p.ties.begin(), p.ties.end());
    joined.professionals.insert(joined.professionals.end(), p.professionals.begin(), p.professionals.end());
  }
  auto key = [](const auto& x) { return x.key; };
  CHECK(keys_of(joined.households, key) == keys_of(whole.households, key));
  CHECK(keys_of(joined.residents, key) == keys_of(whole.residents, key));
  CHECK(keys_of(joined.needs, key) == keys_of(whole.needs, key));
  CHECK(keys_of(joined.offers, key) == keys_of(whole.offers, key));
  CHECK(keys_of(joined.professionals, key) == keys_of(whole.professionals, key));
  // The generator keeps ties inside a municipality, so none is dropped.
  CHECK(joined.ties.size() == whole.ties.size());

  SECTION("merge gives the whole back") { CHECK(merge_models(std::span<const Model>(parts)) == whole); }
  SECTION("entities outside every group are left out") {
    const auto two = split_model(whole, {{"GM0002"}, {"GM0004"}});
    REQUIRE(two.size() == 2);
    CHECK(two[0] == parts[1]);
    CHECK(two[1] == parts[3]);
    CHECK(split_model(whole, {}).empty());
  }
  SECTION("groups of several municipalities") {
    const auto pair = split_model(whole, {{"GM0001", "GM0003"}});
    REQUIRE(pair.size() == 1);
    CHECK(pair[0].residents.size() == parts[0].residents.size() + parts[2].residents.size());
    CHECK(municipalities(pair[0]) == std::vector<std::string>{"GM0001", "GM0003"});
  }
}

TEST_CASE("split drops ties and attendance across parts and keeps them inside", "[partition]") {
  Model m = border_model(LadderLevel::collective, {50.0});
  Resident other = m.residents[0];
  other.key = "R2";
  other.household = HouseholdId(1);
  other.neighbourhood = "BU00020001";
  other.attends = {OfferId(0)};  // attends an offer of its own municipality
  m.residents.push_back(other);
  m.residents[0].attends = {OfferId(0)};  // attends across the border
  Tie across;
  across.helper = ResidentId(1);
  across.helped = ResidentId(0);
  m.ties.push_back(across);
  Professional pro;
  pro.key = "P1";
  pro.work_area = {"BU00090001", "BU00020001", "BU00010001"};  // first code in a group: GM0002
  m.professionals.push_back(pro);
  m.rebuild_index();

  const auto parts = split_model(m, {{"GM0001"}, {"GM0002"}});
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].residents[0].attends.empty());
  CHECK(parts[1].residents[0].attends == std::vector<OfferId>{OfferId(0)});
  CHECK(parts[0].ties.empty());
  CHECK(parts[1].ties.empty());
  CHECK(parts[0].professionals.empty());
  REQUIRE(parts[1].professionals.size() == 1);

  // The footprint states those links itself.
  const Footprint fp = footprint(m, default_policy());
  // GM0009 has nobody and nothing, but the professional works there too.
  CHECK(fp.municipalities == std::vector<std::string>{"GM0001", "GM0002", "GM0009"});
  CHECK(fp.links == std::vector<std::pair<std::int32_t, std::int32_t>>{{0, 1}, {0, 2}, {1, 2}});
}

TEST_CASE("split and merge refuse bad input", "[partition]") {
  CHECK_THROWS_AS(split_model(country(), {{"GM0001"}, {"GM0002", "GM0001"}}), Error);
  const auto parts = split_model(country(), {{"GM0001"}});
  const std::vector<Model> twice{parts[0], parts[0]};
  CHECK_THROWS_AS(merge_models(std::span<const Model>(twice)), InputError);
  const std::vector<const Model*> missing{&parts[0], nullptr};
  CHECK_THROWS_AS(merge_models(std::span<const Model* const>(missing)), Error);
  CHECK(merge_models(std::span<const Model>()) == Model{});
}

TEST_CASE("reach links follow the ranking's candidate rule", "[partition]") {
  const Policy policy = default_policy();
  for (LadderLevel level : {LadderLevel::collective, LadderLevel::individual}) {
    CAPTURE(level);
    const Resident probe = border_model(level, {}).residents[0];
    const double radius = candidate_radius_m(probe, level, policy);
    // Within reach, exactly at the edge, beyond the margin, far away.
    for (double d : {10.0, radius - 1.0, radius, radius + 1.0, 3 * radius}) {
      CAPTURE(d);
      const Model m = border_model(level, {d});
      const Ranking ranking = rank(m, NeedId(0), policy, RankRequest::full());
      const bool candidate = !ranking.options.empty() || !ranking.rejected.empty();
      const Footprint fp = footprint(m, policy);
      const auto links = reach_links(fp.needs, fp.offers);
      CHECK(candidate == (d <= radius));
      CHECK(links.empty() == !candidate);
      if (candidate) CHECK(links == std::vector<std::pair<std::int32_t, std::int32_t>>{{0, 1}});
    }
  }
  SECTION("an offer that does not serve the need's domain is no link") {
    Model m = border_model(LadderLevel::collective, {10.0});
    m.offers[0].fit = {};
    m.offers[0].fit[static_cast<std::size_t>(LifeDomain::finances)] = 1.0;
    const Footprint fp = footprint(m, policy);
    CHECK(reach_links(fp.needs, fp.offers).empty());
  }
  SECTION("closed needs do not reach") {
    Model m = border_model(LadderLevel::collective, {10.0});
    m.needs[0].status = NeedStatus::closed;
    CHECK(footprint(m, policy).needs.empty());
  }
  SECTION("a wider policy reaches farther") {
    const Model m =
        border_model(LadderLevel::individual, {policy.provision_radius_m + 2 * policy.consideration_margin_m});
    CHECK(reach_links(footprint(m, policy).needs, footprint(m, policy).offers).empty());
    Policy wide = policy;
    wide.provision_radius_m += 2 * policy.consideration_margin_m;
    CHECK(reach_links(footprint(m, wide).needs, footprint(m, wide).offers).size() == 1);
  }
}

TEST_CASE("reach links agree with the ranking over a whole country", "[partition]") {
  // GM0002's provisions moved next to a GM0001 home: links appear exactly where the ranking
  // of the whole country lists an offer of another municipality among a need's candidates.
  Model m = country();
  const auto home = std::find_if(m.residents.begin(), m.residents.end(),
                                 [](const Resident& r) { return r.neighbourhood.starts_with("BU0001"); });
  REQUIRE(home != m.residents.end());
  for (auto& o : m.offers)
    if (o.neighbourhood.starts_with("BU0002") && o.level != LadderLevel::collective)
      o.location = {home->location.x_m + 50.0, home->location.y_m};
  const Policy policy = default_policy();
  std::set<std::pair<std::int32_t, std::int32_t>> ranked;
  const Footprint fp = footprint(m, policy);
  std::map<std::string, std::int32_t> index;
  for (std::size_t i = 0; i < fp.municipalities.size(); ++i) index[fp.municipalities[i]] = static_cast<std::int32_t>(i);
  const Ranker ranker(m, policy);
  for (const auto& ranking : ranker.rank_all(0, {}, RankRequest::full())) {
    const auto a = index.at(municipality_or_empty(m[m[ranking.need].resident].neighbourhood));
    auto note = [&](OfferId o) {
      const auto b = index.at(municipality_or_empty(m[o].neighbourhood));
      if (a != b) ranked.emplace(a, b);
    };
    for (const auto& o : ranking.options)
      if (o.offer.valid()) note(o.offer);
    for (const auto& r : ranking.rejected)
      if (r.offer.valid()) note(r.offer);
  }
  const auto links = reach_links(fp.needs, fp.offers);
  CHECK(std::set<std::pair<std::int32_t, std::int32_t>>(links.begin(), links.end()) == ranked);
  CHECK(ranked.count({index.at("GM0001"), index.at("GM0002")}) == 1);
}

TEST_CASE("reach links refuse values that are not finite", "[partition]") {
  const Model m = border_model(LadderLevel::collective, {10.0});
  Footprint fp = footprint(m, default_policy());
  auto bad = fp;
  bad.needs[0].home.x_m = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(reach_links(bad.needs, bad.offers), Error);
  bad = fp;
  bad.needs[0].collective_radius_m = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(reach_links(bad.needs, bad.offers), Error);
  bad = fp;
  bad.needs[0].provision_radius_m = -1.0;
  CHECK_THROWS_AS(reach_links(bad.needs, bad.offers), Error);
  bad = fp;
  bad.offers[0].at.y_m = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(reach_links(bad.needs, bad.offers), Error);
}

TEST_CASE("couple joins footprints of separate files into one set of codes", "[partition]") {
  const Model m = border_model(LadderLevel::collective, {10.0});
  const auto parts = split_model(m, {{"GM0002"}, {"GM0001"}});  // the offer's file first
  const std::vector<Footprint> fps{footprint(parts[0], default_policy()), footprint(parts[1], default_policy())};
  CHECK(reach_links(fps[0].needs, fps[0].offers).empty());
  CHECK(reach_links(fps[1].needs, fps[1].offers).empty());
  const Coupling c = couple(fps);
  CHECK(c.municipalities == std::vector<std::string>{"GM0002", "GM0001"});
  CHECK(c.of_footprint == std::vector<std::vector<std::uint32_t>>{{0}, {1}});
  CHECK(c.links == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}});
  CHECK(couple({}).municipalities.empty());

  auto bad = fps;
  bad[1].needs[0].municipality = 1;  // the footprint has one municipality
  CHECK_THROWS_AS(couple(bad), Error);
}

TEST_CASE("allocating each coupled group alone gives the totals of the whole", "[partition]") {
  const Model& whole = country();
  const Footprint fp = footprint(whole, default_policy());
  const Coupling coupling = couple(std::span<const Footprint>(&fp, 1));
  // Groups: connected components of the coupling.
  std::vector<std::size_t> root(coupling.municipalities.size());
  std::iota(root.begin(), root.end(), 0);
  auto find = [&](std::size_t a) {
    while (root[a] != a) a = root[a] = root[root[a]];
    return a;
  };
  for (auto [a, b] : coupling.links) root[find(a)] = find(b);
  std::map<std::size_t, std::vector<std::string>> components;
  for (std::size_t i = 0; i < coupling.municipalities.size(); ++i)
    components[find(i)].push_back(coupling.municipalities[i]);
  std::vector<std::vector<std::string>> groups;
  for (auto& [_, codes] : components) groups.push_back(codes);
  REQUIRE(groups.size() >= 2);  // otherwise the property says nothing

  for (AllocationMode mode : {AllocationMode::optimal, AllocationMode::stable}) {
    CAPTURE(mode);
    AllocateOptions options;
    options.mode = mode;
    options.group_minimum = GroupMinimum::exact;
    std::vector<AllocationObjective> objectives;
    for (const Model& part : split_model(whole, groups)) objectives.push_back(allocate(part, options).objective);
    CHECK(sum(objectives) == allocate(whole, options).objective);
  }
}
