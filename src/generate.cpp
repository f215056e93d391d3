// Synthetic neighbourhood generator. Distributions and their sources are documented in
// docs/generator.md; the numbers below refer to it.
#include "wijkmatch/generate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "wijkmatch/area.hpp"

namespace wijkmatch {
namespace {

// xoshiro256** seeded by splitmix64: fast, and identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : state_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  /// Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) noexcept {
    __extension__ using wide = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<wide>(next()) * n) >> 64);
  }
  int between(int lo, int hi) noexcept { return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) noexcept { return uniform() < p; }
  template <std::size_t N>
  std::size_t weighted(const std::array<double, N>& w) noexcept {
    double total = 0;
    for (double x : w) total += x;
    double u = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (u < w[i]) return i;
      u -= w[i];
    }
    return N - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

struct OfferTemplate {
  const char* kind;
  LadderLevel level;
  std::initializer_list<std::pair<LifeDomain, double>> fit;
  int seats_min, seats_max, min_group;
  double cost;
  int severity_min, severity_max;
  bool referral;
  int waiting_days;
  std::uint8_t age_bits;  // 0 = all ages
};

using D = LifeDomain;
constexpr std::uint8_t adults = 0b011110, elderly = 0b110000, youth = 0b000011, parents = 0b001110;

// The kinds of the bundled example (docs/generator.md, "offers").
const std::array<OfferTemplate, 14> collective_templates{{
    {"start_meeting", LadderLevel::collective, {{D::finances, .3}, {D::work_education, .3}, {D::time_use, .3}, {D::social_network, .3}, {D::social_participation, .3}, {D::parenting, .3}, {D::instrumental_adl, .3}}, 20, 40, 0, 0, 1, 5, false, 0, 0},
    {"eating_club", LadderLevel::collective, {{D::social_network, .9}, {D::time_use, .6}, {D::physical_health, .3}}, 16, 30, 8, 12, 1, 5, false, 0, 0},
    {"coffee_morning", LadderLevel::collective, {{D::social_network, .8}, {D::social_participation, .6}, {D::time_use, .4}}, 12, 25, 0, 0, 1, 5, false, 0, 0},
    {"parenting_meetings", LadderLevel::collective, {{D::parenting, 1.0}, {D::domestic_relations, .5}}, 8, 14, 6, 0, 1, 5, false, 0, parents},
    {"debt_course", LadderLevel::collective, {{D::finances, 1.0}, {D::instrumental_adl, .4}}, 8, 16, 6, 0, 2, 5, false, 7, adults},
    {"bath_house", LadderLevel::collective, {{D::basic_adl, 1.0}, {D::physical_health, .4}, {D::social_network, .3}}, 6, 12, 0, 2.5, 1, 5, false, 0, 0},
    {"peer_group", LadderLevel::collective, {{D::mental_health, .9}, {D::social_network, .5}}, 8, 12, 4, 0, 2, 5, false, 0, 0},
    {"sports_buddies", LadderLevel::collective, {{D::physical_health, .8}, {D::time_use, .5}, {D::social_network, .5}}, 10, 20, 0, 5, 1, 5, false, 0, 0},
    {"language_cafe", LadderLevel::collective, {{D::social_participation, .8}, {D::work_education, .6}}, 12, 24, 0, 0, 1, 5, false, 0, 0},
    {"walking_group", LadderLevel::collective, {{D::physical_health, .6}, {D::social_network, .7}}, 10, 18, 0, 0, 1, 5, false, 0, elderly},
    {"homework_club", LadderLevel::collective, {{D::work_education, .9}, {D::parenting, .3}}, 12, 20, 0, 0, 1, 5, false, 0, youth},
    {"paperwork_help", LadderLevel::collective, {{D::finances, .8}, {D::instrumental_adl, .6}}, 15, 30, 0, 0, 1, 5, false, 0, 0},
    {"job_club", LadderLevel::collective, {{D::work_education, .9}, {D::time_use, .5}, {D::social_participation, .4}}, 8, 15, 5, 0, 1, 5, false, 0, adults},
    {"womens_group", LadderLevel::collective, {{D::social_network, .8}, {D::domestic_relations, .4}, {D::social_participation, .5}}, 10, 18, 0, 0, 1, 5, false, 0, 0b011110},
}};
const std::array<OfferTemplate, 8> care_templates{{
    {"team_short_support", LadderLevel::basic_care, {{D::finances, .6}, {D::housing, .6}, {D::domestic_relations, .6}, {D::mental_health, .6}, {D::time_use, .6}, {D::social_network, .6}, {D::parenting, .6}, {D::instrumental_adl, .6}}, 30, 60, 0, 150, 1, 5, false, 7, 0},
    {"home_help", LadderLevel::individual, {{D::instrumental_adl, 1.0}, {D::basic_adl, .5}}, 20, 40, 0, 480, 1, 3, true, 21, 0},
    {"individual_coaching", LadderLevel::individual, {{D::mental_health, .7}, {D::time_use, .6}, {D::finances, .5}, {D::social_participation, .5}}, 15, 30, 0, 950, 1, 3, true, 28, 0},
    {"debt_restructuring", LadderLevel::individual, {{D::finances, 1.0}}, 15, 30, 0, 600, 1, 3, true, 35, adults},
    {"day_care", LadderLevel::individual, {{D::time_use, .9}, {D::social_participation, .6}, {D::basic_adl, .3}}, 10, 20, 0, 1100, 1, 3, true, 42, 0},
    {"youth_support", LadderLevel::individual, {{D::parenting, 1.0}, {D::domestic_relations, .6}}, 10, 20, 0, 1300, 1, 3, true, 30, 0},
    {"specialist_mental_health", LadderLevel::specialist, {{D::mental_health, 1.0}, {D::substance_use, .7}, {D::justice, .3}}, 8, 15, 0, 3500, 1, 3, true, 70, 0},
    {"shelter", LadderLevel::specialist, {{D::housing, 1.0}, {D::domestic_relations, .8}}, 4, 8, 0, 6700, 1, 2, true, 14, 0},
}};

const std::array<const char*, 9> second_languages{"ar", "tr", "en", "pl", "so", "ti", "pa", "es", "uk"};

// Open needs by life domain (docs/generator.md, "needs"): finances and social network lead.
constexpr std::array<double, life_domain_count> domain_weights{14, 6, 7, 6, 6, 11, 8, 3, 4, 8, 11, 6, 2, 8};
constexpr std::array<double, 5> severity_weights{4, 22, 46, 22, 6};

struct Area {
  std::string code;
  Location centre;
  double vulnerability;
};

Location jitter(Rng& rng, Location c, double spread) {
  return {std::clamp(c.x_m + (rng.uniform() * 2 - 1) * spread, 1000.0, 299000.0),
          std::clamp(c.y_m + (rng.uniform() * 2 - 1) * spread, 301000.0, 624000.0)};
}

WeeklySchedule random_schedule(Rng& rng, double density) {
  WeeklySchedule s;
  for (std::size_t d = 0; d < day_count; ++d)
    for (std::size_t p = 0; p < day_part_count; ++p)
      if (rng.chance(density)) s.insert(d, static_cast<DayPart>(p));
  return s;
}

std::string padded(char prefix, std::uint64_t n) { return prefix + std::to_string(n); }

Offer make_offer(Rng& rng, const OfferTemplate& t, std::uint64_t number, const Area& area) {
  Offer o;
  o.key = padded('O', number);
  o.kind = t.kind;
  o.level = t.level;
  for (auto [d, f] : t.fit) o.fit[static_cast<std::size_t>(d)] = f;
  o.seats = rng.between(t.seats_min, t.seats_max);
  o.occupancy = static_cast<int>(std::floor(o.seats * (0.3 + 0.65 * rng.uniform())));
  o.min_group_size = std::min(t.min_group, o.seats);
  if (t.level == LadderLevel::collective) {
    const int sessions = rng.between(1, 3);
    for (int k = 0; k < sessions; ++k) o.schedule.insert(rng.below(day_count), static_cast<DayPart>(rng.below(day_part_count)));
  }
  o.location = jitter(rng, area.centre, 300);
  o.neighbourhood = area.code;
  o.languages = {"nl"};
  if (rng.chance(0.5)) o.languages.emplace_back(second_languages[rng.below(3)]);
  o.cost_per_month = t.cost;
  o.eligibility.age_bands.bits = t.age_bits;
  o.eligibility.severity_min = t.severity_min;
  o.eligibility.severity_max = t.severity_max;
  o.eligibility.referral_required = t.referral;
  o.waiting_days = t.waiting_days == 0 ? 0 : rng.between(t.waiting_days / 2, t.waiting_days * 2);
  return o;
}

}  // namespace

Model generate(const GenerateOptions& opt) {
  if (opt.residents < 1 || opt.residents > 100'000'000) throw std::invalid_argument("residents must be in [1, 100000000]");
  if (opt.municipalities < 1 || opt.municipalities > 9999) throw std::invalid_argument("municipalities must be in [1, 9999]");
  if (!(opt.needs_per_100 >= 0 && opt.needs_per_100 <= 100)) throw std::invalid_argument("needs_per_100 must be in [0, 100]");
  if (!(opt.offers_per_1000 >= 0 && opt.offers_per_1000 <= 100)) throw std::invalid_argument("offers_per_1000 must be in [0, 100]");
  if (!(opt.professionals_per_10000 >= 0 && opt.professionals_per_10000 <= 1000))
    throw std::invalid_argument("professionals_per_10000 must be in [0, 1000]");

  Rng rng(opt.seed);
  Model m;
  const auto reserve = static_cast<std::size_t>(opt.residents);
  m.residents.reserve(reserve);
  m.households.reserve(reserve / 2 + 1);
  m.ties.reserve(reserve * 2);
  m.needs.reserve(static_cast<std::size_t>(static_cast<double>(reserve) * opt.needs_per_100 / 100.0 * 1.3) + 8);

  // Municipality sizes follow a Zipf-like law (a few large cities, many small towns).
  std::vector<double> share(static_cast<std::size_t>(opt.municipalities));
  double total_share = 0;
  for (std::size_t i = 0; i < share.size(); ++i) total_share += share[i] = 1.0 / std::pow(static_cast<double>(i + 1), 0.9);

  std::uint64_t offer_number = 0, need_number = 0;
  std::int64_t placed = 0;
  for (std::size_t mi = 0; mi < share.size(); ++mi) {
    const std::int64_t target = mi + 1 == share.size()
                                    ? opt.residents - placed
                                    : std::max<std::int64_t>(1, std::llround(static_cast<double>(opt.residents) * share[mi] / total_share));
    if (target <= 0) continue;
    const int gm = static_cast<int>(mi) + 1;
    const Location town{30000.0 + rng.uniform() * 240000.0, 320000.0 + rng.uniform() * 290000.0};

    // Neighbourhoods of about 1,500 residents (CBS median ~1,000-2,000), 6 per district.
    const std::int64_t first_resident = static_cast<std::int64_t>(m.residents.size());
    std::vector<Area> areas;
    std::vector<std::int64_t> area_end;  // residents [area_end[i-1], area_end[i]) live in areas[i]
    std::int64_t in_municipality = 0;
    int bu_index = 0;
    while (in_municipality < target) {
      const int district = bu_index / 6 + 1, buurt = bu_index % 6 + 1;
      char code[16];
      std::snprintf(code, sizeof code, "BU%04d%02d%02d", gm % 10000, district % 100, buurt % 100);
      const double spread = 1500.0 + std::sqrt(static_cast<double>(target)) * 15.0;
      Area area{code, jitter(rng, town, spread), 0.5 + 1.5 * rng.uniform() * rng.uniform()};
      areas.push_back(area);
      const std::int64_t size = std::min<std::int64_t>(target - in_municipality, rng.between(400, 2600));
      // Households: 38% single, 33% two, 12% three, 12% four, 5% five (CBS 2019).
      std::int64_t filled = 0;
      while (filled < size) {
        const auto hh_size = std::min<std::int64_t>(size - filled, static_cast<std::int64_t>(rng.weighted(std::array<double, 5>{38, 33, 12, 12, 5})) + 1);
        const HouseholdId hh(static_cast<std::uint32_t>(m.households.size()));
        m.households.push_back({padded('H', m.households.size() + 1), area.code});
        const Location home = jitter(rng, area.centre, 400);
        const bool elderly_household = hh_size <= 2 && rng.chance(0.35);
        std::vector<std::string> langs{"nl"};
        if (rng.chance(0.15 * area.vulnerability)) langs.insert(langs.begin(), second_languages[rng.below(second_languages.size())]);
        for (std::int64_t k = 0; k < hh_size; ++k) {
          Resident r;
          r.key = padded('R', m.residents.size() + 1);
          r.household = hh;
          r.neighbourhood = area.code;
          r.location = home;
          if (elderly_household) r.age_band = rng.chance(0.3) ? AgeBand::age_80_plus : AgeBand::age_65_79;
          else if (k < 2) r.age_band = static_cast<AgeBand>(rng.weighted(std::array<double, 6>{0, 12, 45, 43, 0, 0}));
          else r.age_band = rng.chance(0.8) ? AgeBand::age_0_14 : AgeBand::age_15_24;
          r.languages = langs;
          r.availability = r.age_band == AgeBand::age_0_14 ? random_schedule(rng, 0.25) : random_schedule(rng, 0.35);
          r.max_travel_m = r.age_band == AgeBand::age_80_plus ? 600.0 : r.age_band == AgeBand::age_65_79 ? 1200.0 : 2500.0;
          r.group_averse = rng.chance(0.07);
          r.care_avoider = rng.chance(0.03);
          m.residents.push_back(std::move(r));
        }
        // Household ties: adults help children and the very old.
        const std::uint32_t first = static_cast<std::uint32_t>(m.residents.size() - static_cast<std::size_t>(hh_size));
        for (std::uint32_t a = first; a < m.residents.size(); ++a) {
          if (m.residents[a].age_band == AgeBand::age_0_14) continue;
          for (std::uint32_t b = first; b < m.residents.size(); ++b) {
            if (a == b) continue;
            Tie t{ResidentId(a), ResidentId(b), TieKind::household, 0.9, {}, 6.0, 3.0};
            t.domains.insert(LifeDomain::instrumental_adl);
            t.domains.insert(LifeDomain::social_network);
            if (m.residents[b].age_band == AgeBand::age_80_plus) t.domains.insert(LifeDomain::basic_adl);
            m.ties.push_back(t);
          }
        }
        filled += hh_size;
      }
      in_municipality += size;
      area_end.push_back(static_cast<std::int64_t>(m.residents.size()));
      ++bu_index;
    }
    placed += in_municipality;
    const std::int64_t end_resident = static_cast<std::int64_t>(m.residents.size());
    const std::int64_t count = end_resident - first_resident;

    // Neighbours and friends (small world: mostly local, some anywhere in town); about 8%
    // of residents have almost no network beyond their household.
    for (std::int64_t r = first_resident; r < end_resident; ++r) {
      auto& res = m.residents[static_cast<std::size_t>(r)];
      if (res.age_band == AgeBand::age_0_14 || rng.chance(0.08)) continue;
      const int links = rng.between(0, 2);
      for (int k = 0; k < links; ++k) {
        const bool local = rng.chance(0.7);
        std::int64_t other = local ? std::clamp<std::int64_t>(r + rng.between(-40, 40), first_resident, end_resident - 1)
                                   : first_resident + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(count)));
        const auto& o = m.residents[static_cast<std::size_t>(other)];
        if (other == r || o.household == res.household || o.age_band == AgeBand::age_0_14) continue;
        Tie t{ResidentId(static_cast<std::uint32_t>(other)), ResidentId(static_cast<std::uint32_t>(r)),
              local && o.neighbourhood == res.neighbourhood ? TieKind::neighbour : TieKind::friend_,
              0.3 + 0.6 * rng.uniform(), {}, static_cast<double>(rng.between(1, 4)), 0.0};
        t.strength = std::round(t.strength * 100) / 100;
        t.domains.insert(LifeDomain::social_network);
        t.domains.insert(rng.chance(0.5) ? LifeDomain::instrumental_adl : LifeDomain::time_use);
        t.hours_used = static_cast<double>(rng.below(static_cast<std::uint64_t>(t.hours_per_week) + 1)) / 2.0;
        m.ties.push_back(t);
      }
    }
    // Ties are unique per (helper, helped, kind): drop the rare duplicate.
    // (Household ties are unique by construction; random links may repeat.)

    // Needs.
    std::size_t area_of = 0;
    for (std::int64_t r = first_resident; r < end_resident; ++r) {
      while (r >= area_end[area_of]) ++area_of;
      const auto& res = m.residents[static_cast<std::size_t>(r)];
      if (res.age_band == AgeBand::age_0_14) continue;
      // Adults are ~80% of residents, so 1.25 x the per-100 rate keeps the overall rate.
      const double p = opt.needs_per_100 / 100.0 * 1.25 * areas[area_of].vulnerability;
      if (!rng.chance(std::min(p, 1.0))) continue;
      Need n;
      n.key = padded('N', ++need_number);
      n.resident = ResidentId(static_cast<std::uint32_t>(r));
      n.domain = static_cast<LifeDomain>(rng.weighted(domain_weights));
      n.severity = static_cast<int>(rng.weighted(severity_weights)) + 1;
      n.crisis = n.severity == 1 && rng.chance(0.5);
      n.safety_report = n.domain == LifeDomain::domestic_relations && rng.chance(0.15);
      n.rent_arrears_months = n.domain == LifeDomain::finances && rng.chance(0.2) ? rng.between(1, 6) : 0;
      n.since = Date{std::chrono::days{20240 + rng.between(0, 300)}};
      n.status = rng.chance(0.1) ? NeedStatus::in_progress : NeedStatus::open;
      m.needs.push_back(std::move(n));
    }

    // Collective offers per neighbourhood; care provisions per municipality.
    for (const auto& area : areas) {
      const double expected = opt.offers_per_1000 * 1.5 * area.vulnerability;  // per ~1,500 residents
      const int n_offers = static_cast<int>(expected) + (rng.chance(expected - std::floor(expected)) ? 1 : 0);
      for (int k = 0; k < n_offers; ++k)
        m.offers.push_back(make_offer(rng, collective_templates[rng.below(collective_templates.size())], ++offer_number, area));
    }
    const std::int64_t care_sets = std::max<std::int64_t>(1, count / 20000);
    for (std::int64_t s = 0; s < care_sets; ++s)
      for (const auto& t : care_templates)
        m.offers.push_back(make_offer(rng, t, ++offer_number, areas[rng.below(areas.size())]));

    // Professionals, each working in one district's neighbourhoods.
    const std::int64_t n_pros = std::max<std::int64_t>(1, std::llround(static_cast<double>(count) * opt.professionals_per_10000 / 10000.0));
    for (std::int64_t k = 0; k < n_pros; ++k) {
      Professional p;
      p.key = padded('P', m.professionals.size() + 1);
      const std::size_t district = rng.below((areas.size() + 5) / 6);
      for (std::size_t a = district * 6; a < std::min(areas.size(), district * 6 + 6); ++a) p.work_area.push_back(areas[a].code);
      for (int s = 0; s < 3; ++s) p.specialisms.insert(static_cast<LifeDomain>(rng.below(life_domain_count)));
      p.languages = {"nl"};
      if (rng.chance(0.4)) p.languages.emplace_back(second_languages[rng.below(4)]);
      p.caseload_cap = rng.between(18, 28);
      p.caseload = rng.between(p.caseload_cap / 2, p.caseload_cap);
      m.professionals.push_back(std::move(p));
    }
  }

  // Deduplicate ties (helper, helped, kind), keeping the first; deterministic.
  {
    std::vector<std::size_t> order(m.ties.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto key = [&](std::size_t i) { return std::tuple(m.ties[i].helper, m.ties[i].helped, m.ties[i].kind, i); };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    std::vector<char> drop(m.ties.size(), 0);
    for (std::size_t k = 1; k < order.size(); ++k) {
      const auto& a = m.ties[order[k - 1]];
      const auto& b = m.ties[order[k]];
      if (a.helper == b.helper && a.helped == b.helped && a.kind == b.kind) drop[order[k]] = 1;
    }
    std::size_t out = 0;
    for (std::size_t i = 0; i < m.ties.size(); ++i)
      if (!drop[i]) m.ties[out++] = m.ties[i];
    m.ties.resize(out);
  }
  // Attendance consistent with occupancy: a few residents near each collective offer.
  for (std::uint32_t o = 0; o < m.offers.size(); ++o) {
    const auto& offer = m.offers[o];
    if (offer.level != LadderLevel::collective || m.residents.empty()) continue;
    const int attendees = offer.occupancy / 3;
    for (int k = 0; k < attendees; ++k) {
      auto& r = m.residents[rng.below(m.residents.size())];
      if (r.neighbourhood == offer.neighbourhood &&
          std::find(r.attends.begin(), r.attends.end(), OfferId(o)) == r.attends.end())
        r.attends.emplace_back(o);
    }
  }
  m.rebuild_index();
  return m;
}

}  // namespace wijkmatch
