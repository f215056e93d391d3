// New groups where needs recur (groups.hpp): proposals on hand-built neighbourhoods, the
// measured saving against a re-allocation done here, determinism, the language rule, and a
// comparison with k-means on location.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "wijkmatch/allocation.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/groups.hpp"
#include "wijkmatch/ranking.hpp"

using namespace wijkmatch;

namespace {

constexpr const char* bu = "BU03440341";

// `count` residents around (136000, 459000), each alone in a household, speaking `language`,
// free on Tuesday afternoon, each with an open need for a social network.
void add_lonely(Model& m, int count, const std::string& language, double dx = 0.0) {
  for (int i = 0; i < count; ++i) {
    const auto h = static_cast<HouseholdId::value_type>(m.households.size());
    const std::string tag = language + std::to_string(i) + "_" + std::to_string(static_cast<int>(dx));
    m.households.push_back({"H" + tag, bu});
    Resident r{.key = "R" + tag,
               .household = HouseholdId(h),
               .neighbourhood = bu,
               .location = {136000 + dx + 60.0 * (i % 4), 459000 + 50.0 * (i / 4)},
               .languages = {language},
               .max_travel_m = 1500};
    r.availability.insert(1, DayPart::afternoon);
    m.residents.push_back(r);
    Need n;
    n.key = "N" + tag;
    n.resident = ResidentId(static_cast<ResidentId::value_type>(m.residents.size() - 1));
    n.domain = LifeDomain::social_network;
    n.severity = 3;
    n.since = Date{std::chrono::days{19000}};
    m.needs.push_back(n);
  }
}

Model lonely_neighbourhood() {
  Model m;
  add_lonely(m, 8, "ar");
  // A neighbour who offers help with social contacts, and one too far away to run it.
  for (double dx : {300.0, 9000.0}) {
    const auto h = static_cast<HouseholdId::value_type>(m.households.size());
    m.households.push_back({"HH" + std::to_string(static_cast<int>(dx)), bu});
    Resident helper{.key = "RH" + std::to_string(static_cast<int>(dx)),
                    .household = HouseholdId(h),
                    .neighbourhood = bu,
                    .location = {136000 + dx, 459000},
                    .languages = {"ar", "nl"},
                    .max_travel_m = 2000};
    HelpOffer help;
    help.domains.insert(LifeDomain::social_network);
    help.hours_per_week = 4;
    help.radius_m = 2000;
    helper.offers_help = help;
    m.residents.push_back(helper);
  }
  Professional p{"P1", {}, {"ar"}, {bu}, 20, 5};
  p.specialisms.insert(LifeDomain::social_network);
  m.professionals.push_back(p);
  Professional full{"P2", {}, {"ar"}, {bu}, 10, 10};
  full.specialisms.insert(LifeDomain::social_network);
  m.professionals.push_back(full);
  m.rebuild_index();
  REQUIRE(m.check().empty());
  return m;
}

Offer collective_offer(std::string key, int seats, const std::string& language) {
  Offer o;
  o.key = std::move(key);
  o.kind = "coffee_morning";
  o.level = LadderLevel::collective;
  o.fit[static_cast<std::size_t>(LifeDomain::social_network)] = 1.0;
  o.seats = seats;
  o.schedule.insert(1, DayPart::afternoon);
  o.location = {136100, 459050};
  o.neighbourhood = bu;
  o.languages = {language};
  return o;
}

}  // namespace

TEST_CASE("a group is proposed where a recurring need has no collective answer", "[groups]") {
  const Model m = lonely_neighbourhood();
  const auto p = propose_groups(m);
  CHECK(p.open_needs == 8);
  CHECK(p.unanswered == 8);
  REQUIRE(p.groups.size() == 1);
  const auto& g = p.groups[0];
  CHECK(g.domain == LifeDomain::social_network);
  CHECK(g.day == 1);
  CHECK(g.part == DayPart::afternoon);
  CHECK(g.language == "ar");
  CHECK(g.needs.size() == 8);
  CHECK_FALSE(g.venue_of);  // no offer in the model: the venue is the geometric median
  CHECK(g.venue == g.median);
  // The median of a 4 x 2 block of homes lies inside it.
  CHECK(g.venue.x_m > 136000);
  CHECK(g.venue.x_m < 136180);
  REQUIRE(g.helpers.size() == 1);  // the far neighbour's help radius does not reach the venue
  CHECK(m[g.helpers[0]].key == "RH300");
  REQUIRE(g.professional);
  CHECK(m[*g.professional].key == "P1");  // P2 has no caseload room
  CHECK(g.saved_ladder_steps > 0);

  SECTION("below the minimum size nothing is proposed") {
    ProposeGroupsOptions o;
    o.min_size = 9;
    CHECK(propose_groups(m, o).groups.empty());
  }
  SECTION("too far apart for the radius, nothing is proposed") {
    ProposeGroupsOptions o;
    o.radius_m = 50;
    CHECK(propose_groups(m, o).groups.empty());
  }
}

TEST_CASE("no group is proposed where a collective offer has room", "[groups]") {
  Model m = lonely_neighbourhood();
  m.offers.push_back(collective_offer("coffee", 12, "ar"));
  m.rebuild_index();
  auto p = propose_groups(m);
  CHECK(p.unanswered == 0);
  CHECK(p.groups.empty());

  SECTION("but a full one leaves the needs on a waiting list, and a group is proposed at its place") {
    m.offers[0].occupancy = 12;
    p = propose_groups(m);
    CHECK(p.unanswered == 8);
    REQUIRE(p.groups.size() == 1);
    REQUIRE(p.groups[0].venue_of);
    CHECK(m[*p.groups[0].venue_of].key == "coffee");
    CHECK(p.groups[0].venue == m.offers[0].location);
  }
  SECTION("an offer in another language is no answer") {
    m.offers[0].languages = {"nl"};
    p = propose_groups(m);
    CHECK(p.unanswered == 8);
    CHECK(p.groups.size() == 1);
  }
}

TEST_CASE("the saved ladder steps equal a re-allocation with the group added", "[groups]") {
  Model m = lonely_neighbourhood();
  add_lonely(m, 7, "ar", 4000.0);  // a second cluster, out of reach of the first
  m.rebuild_index();
  const auto p = propose_groups(m);
  REQUIRE(p.groups.size() == 2);
  REQUIRE(p.measured);

  // The group's offer, built here from the proposal rather than by the library.
  auto offer_of = [&](const ProposedGroup& g) {
    Offer o;
    o.key = g.key;
    o.kind = "proposed_group";
    o.fit[static_cast<std::size_t>(g.domain)] = 1.0;
    o.seats = static_cast<int>(g.needs.size());
    o.min_group_size = 6;
    o.schedule.insert(g.day, g.part);
    o.location = g.venue;
    o.neighbourhood = g.neighbourhood;
    o.languages = {g.language};
    return o;
  };
  const long long before = allocate(m).objective.ladder_steps;
  Model all = m;
  for (const auto& g : p.groups) all.offers.push_back(offer_of(g));
  all.rebuild_index();
  REQUIRE(all.check().empty());
  const long long after = allocate(all).objective.ladder_steps;
  CHECK(p.ladder_steps_before == before);
  CHECK(p.ladder_steps_after == after);
  CHECK(before - after > 0);
  // Nothing else competes for the groups' places, so each group's own measurement is its
  // share of the whole, and re-allocating with that group alone gives it too.
  long long sum = 0;
  for (const auto& g : p.groups) {
    Model one = m;
    one.offers.push_back(offer_of(g));
    one.rebuild_index();
    CHECK(g.saved_ladder_steps == before - allocate(one).objective.ladder_steps);
    sum += g.saved_ladder_steps;
  }
  CHECK(sum == before - after);
}

TEST_CASE("two language groups at the same place are not merged", "[groups]") {
  Model m;
  add_lonely(m, 7, "ar");
  add_lonely(m, 6, "tr");
  m.rebuild_index();
  const auto p = propose_groups(m);
  REQUIRE(p.groups.size() == 2);
  std::set<std::string> languages;
  for (const auto& g : p.groups) {
    languages.insert(g.language);
    for (auto n : g.needs) CHECK(m[m[n].resident].languages == std::vector<std::string>{g.language});
  }
  CHECK(languages == std::set<std::string>{"ar", "tr"});
  // Larger bucket first.
  CHECK(p.groups[0].language == "ar");
  CHECK(p.groups[0].needs.size() == 7);
}

TEST_CASE("proposals are deterministic and keep their rule on a generated city", "[groups][determinism]") {
  const Model m = generate({.residents = 10000, .seed = 7, .needs_per_100 = 8.0, .offers_per_1000 = 1.0});
  ProposeGroupsOptions o;
  o.threads = 1;
  const auto a = propose_groups(m, o);
  o.threads = 2;
  const auto b = propose_groups(m, o);
  CHECK(group_proposals_to_json(m, a) == group_proposals_to_json(m, b));
  REQUIRE_FALSE(a.groups.empty());
  std::set<std::uint32_t> seen;
  const Ranker ranker(m, o.policy);
  for (const auto& g : a.groups) {
    CHECK(g.needs.size() >= 6);
    CHECK(g.needs.size() <= 15);
    for (auto n : g.needs) {
      CHECK(seen.insert(n.index()).second);  // a need joins at most one group
      const Need& need = m[n];
      const Resident& res = m[need.resident];
      CHECK(need.domain == g.domain);
      CHECK(std::find(res.languages.begin(), res.languages.end(), g.language) != res.languages.end());
      CHECK(res.availability.contains(g.day, g.part));
      CHECK(distance_m(res.location, g.venue) <= res.max_travel_m);
      // Independently: the ranking has no acceptable collective option for it.
      const auto r = ranker.rank(n, RankRequest::full());
      for (const auto& opt : r.options) CHECK_FALSE((opt.level == LadderLevel::collective && opt.acceptable));
    }
  }
}

namespace {

// The baseline: Lloyd's k-means on the homes of one domain's unanswered needs, seeded with
// every (size / k)-th need. A cluster "covers" a need when the need's resident speaks the
// cluster's most common language and is free in its most common day-part.
struct Baseline {
  double mean_distance_m = 0.0;
  double covered = 0.0;  ///< share of the clustered needs
};

Baseline kmeans(const Model& m, const std::vector<NeedId>& needs, int k) {
  std::vector<Location> centre;
  for (int c = 0; c < k; ++c) centre.push_back(m[m[needs[c * needs.size() / k]].resident].location);
  std::vector<int> of(needs.size(), 0);
  for (int iteration = 0; iteration < 30; ++iteration) {
    for (std::size_t i = 0; i < needs.size(); ++i) {
      const Location at = m[m[needs[i]].resident].location;
      int best = 0;
      for (int c = 1; c < k; ++c)
        if (distance_m(at, centre[c]) < distance_m(at, centre[best])) best = c;
      of[i] = best;
    }
    std::vector<Location> sum(k);
    std::vector<int> count(k, 0);
    for (std::size_t i = 0; i < needs.size(); ++i) {
      const Location at = m[m[needs[i]].resident].location;
      sum[of[i]].x_m += at.x_m;
      sum[of[i]].y_m += at.y_m;
      ++count[of[i]];
    }
    for (int c = 0; c < k; ++c)
      if (count[c] > 0) centre[c] = {sum[c].x_m / count[c], sum[c].y_m / count[c]};
  }
  Baseline b;
  int covered = 0;
  for (int c = 0; c < k; ++c) {
    std::map<std::string, int> language;
    std::array<int, 21> slot{};
    for (std::size_t i = 0; i < needs.size(); ++i)
      if (of[i] == c) {
        const Resident& r = m[m[needs[i]].resident];
        for (const auto& l : r.languages) ++language[l];
        for (std::size_t s = 0; s < 21; ++s) slot[s] += static_cast<int>(r.availability.bits >> s & 1U);
      }
    if (language.empty()) continue;
    const auto lang = std::max_element(language.begin(), language.end(), [](const auto& a, const auto& b) {
                        return a.second < b.second;
                      })->first;
    const auto s = static_cast<std::size_t>(std::max_element(slot.begin(), slot.end()) - slot.begin());
    int can_attend = 0;
    for (std::size_t i = 0; i < needs.size(); ++i)
      if (of[i] == c) {
        const Resident& r = m[m[needs[i]].resident];
        b.mean_distance_m += distance_m(r.location, centre[c]);
        if (std::find(r.languages.begin(), r.languages.end(), lang) != r.languages.end() &&
            (r.availability.bits >> s & 1U) && distance_m(r.location, centre[c]) <= r.max_travel_m)
          ++can_attend;
      }
    // As for a proposal: a group runs with 6 and takes at most 15.
    if (can_attend >= 6) covered += std::min(can_attend, 15);
  }
  b.mean_distance_m /= static_cast<double>(needs.size());
  b.covered = static_cast<double>(covered) / static_cast<double>(needs.size());
  return b;
}

struct Comparison {
  std::size_t groups = 0, grouped = 0, unanswered_in_domains = 0;
  double mean_distance_m = 0.0;
  Baseline baseline;
};

// k-means gets, per domain, all unanswered needs of that domain and as many clusters as
// propose_groups found groups there; both are scored on the same needs.
Comparison compare(const Model& m) {
  const auto p = propose_groups(m, {.measure = false});
  Comparison c;
  c.groups = p.groups.size();
  std::map<LifeDomain, int> groups_in;
  for (const auto& g : p.groups) {
    ++groups_in[g.domain];
    c.grouped += g.needs.size();
    c.mean_distance_m += g.mean_distance_m * static_cast<double>(g.needs.size());
  }
  c.mean_distance_m /= std::max<double>(1.0, static_cast<double>(c.grouped));
  const Ranker ranker(m, default_policy());
  std::map<LifeDomain, std::vector<NeedId>> unanswered;
  for (std::uint32_t n = 0; n < m.needs.size(); ++n) {
    if (m.needs[n].status != NeedStatus::open || !groups_in.count(m.needs[n].domain)) continue;
    const auto r = ranker.rank(NeedId(n), RankRequest::full());
    if (r.exception || m[m.needs[n].resident].group_averse) continue;
    if (std::none_of(r.options.begin(), r.options.end(),
                     [](const Option& o) { return o.level == LadderLevel::collective && o.acceptable; }))
      unanswered[m.needs[n].domain].push_back(NeedId(n));
  }
  double distance = 0.0, covered = 0.0;
  for (const auto& [domain, needs] : unanswered) {
    c.unanswered_in_domains += needs.size();
    const auto b = kmeans(m, needs, std::min<int>(groups_in[domain], static_cast<int>(needs.size())));
    distance += b.mean_distance_m * static_cast<double>(needs.size());
    covered += b.covered * static_cast<double>(needs.size());
  }
  c.baseline.mean_distance_m = distance / static_cast<double>(c.unanswered_in_domains);
  c.baseline.covered = covered / static_cast<double>(c.unanswered_in_domains);
  return c;
}

}  // namespace

TEST_CASE("against k-means on location: every grouped need can come, in its language", "[groups][baseline]") {
  const Model m = generate({.residents = 20000, .seed = 3, .needs_per_100 = 8.0, .offers_per_1000 = 1.0});
  const auto c = compare(m);
  INFO("groups " << c.groups << ", grouped " << c.grouped << " of " << c.unanswered_in_domains);
  REQUIRE(c.groups > 0);
  INFO("k-means can attend " << c.baseline.covered << ", distance " << c.baseline.mean_distance_m << " m; ours "
                             << c.mean_distance_m << " m");
  // k-means places every unanswered need of a domain in some cluster, but a cluster mixes
  // languages and day-parts: with as many groups, fewer needs could attend one that runs.
  CHECK(static_cast<double>(c.grouped) / static_cast<double>(c.unanswered_in_domains) > c.baseline.covered);
  CHECK(c.baseline.covered < 1.0);
}

TEST_CASE("comparison with k-means on generated cities (docs/groups.md)", "[.][groups][baseline-report]") {
  for (std::int64_t residents : {10000, 100000}) {
    const Model m = generate({.residents = residents, .seed = 1});
    const auto c = compare(m);
    WARN("residents " << residents << ": groups " << c.groups << ", grouped " << c.grouped << " of "
                      << c.unanswered_in_domains << " unanswered needs in their domains ("
                      << 100.0 * static_cast<double>(c.grouped) / static_cast<double>(c.unanswered_in_domains)
                      << "%, all can attend), mean distance to venue " << c.mean_distance_m
                      << " m; k-means: mean distance to centre " << c.baseline.mean_distance_m << " m, can attend "
                      << 100.0 * c.baseline.covered << "%");
  }
}

TEST_CASE("propose-groups on the command line", "[groups][cli]") {
  const std::string file = std::string(WIJKMATCH_SOURCE_DIR) + "/examples/data/neighbourhood.json";
  std::ostringstream out, err;
  // The bundled neighbourhood has six newcomers (N041-N046) with questions about money in a
  // language no collective offer for finances near them speaks: with the default options
  // (at least 6 needs) they, and one more resident who shares a language and an evening, are
  // the one group proposed. Its helper is the newcomer who offered help with forms.
  std::vector<std::string_view> args{"propose-groups", file, "--json"};
  REQUIRE(cli::run(args, out, err) == 0);
  const auto j = nlohmann::json::parse(out.str());
  CHECK(j.at("measured").get<bool>());
  REQUIRE(j.at("groups").size() == 1);
  const auto& g = j.at("groups")[0];
  CHECK(g.at("domain") == "finances");
  CHECK(g.at("size").get<int>() >= 6);
  auto needs = g.at("needs").get<std::vector<std::string>>();
  std::sort(needs.begin(), needs.end());
  const std::vector<std::string> newcomers{"N041", "N042", "N043", "N044", "N045", "N046"};
  CHECK(std::includes(needs.begin(), needs.end(), newcomers.begin(), newcomers.end()));
  CHECK(g.at("helpers") == nlohmann::json::array({"R0228"}));
  CHECK(g.at("venue").at("offer").is_string());
  CHECK(g.at("saved_ladder_steps").get<long long>() ==
        j.at("ladder_steps_before").get<long long>() - j.at("ladder_steps_after").get<long long>());
  CHECK(g.at("saved_ladder_steps").get<long long>() > 0);
  std::ostringstream out2, err2;
  std::vector<std::string_view> bad{"propose-groups", file, "--min-size", "1"};
  CHECK(cli::run(bad, out2, err2) == 2);
  CHECK(err2.str().find("--min-size") != std::string::npos);
}
