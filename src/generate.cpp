// Synthetic neighbourhood generator. Every distribution, its source and every assumption is
// documented in docs/generator.md; the constants marked "derived" in generate_tables.hpp were
// computed from the real CBS figures in ../shared/data by scripts/derive_generator_params.py
// (run once; the generator never reads ../shared). "A<n>" refers to assumption n in
// docs/generator.md.
//
// Structure: the sizes of all municipalities are computed first (O(municipalities)); each
// municipality is then generated from its own random streams (the seed mixed with its index and
// a phase number), appended to a model with its ids offset by what is already there. So
// generate_municipality(o, i) is, entity by entity, municipality i's part of generate(o).
// The steps of one municipality are the member functions of MunicipalityBuilder, in the order
// generate_into() calls them. The directory output (generate_to_directory()) is in
// generate_directory.cpp and the memory figure in peak_memory.cpp.
#include "wijkmatch/generate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>

#include <string>
#include <string_view>
#include <utility>

#include "generate_detail.hpp"
#include "generate_tables.hpp"

namespace wijkmatch {
namespace {

using namespace generator;  // NOLINT: the tables are this file's own

// ----------------------------------------------------------------------------- random numbers

std::uint64_t splitmix(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256** seeded by splitmix64: fast, and identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept {
    for (auto& s : state_) s = splitmix(seed);
  }
  /// An independent stream for (seed, municipality, phase).
  static Rng stream(std::uint64_t seed, std::uint64_t municipality, std::uint64_t phase) noexcept {
    std::uint64_t x = seed;
    std::uint64_t a = splitmix(x);
    x = a ^ (municipality * 0xD1B54A32D192ED03ULL);
    a = splitmix(x);
    x = a ^ (phase * 0xABC98388FB8FAC03ULL);
    return Rng(splitmix(x));
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
  template <class Weights>
  std::size_t weighted(const Weights& w) noexcept {
    double total = 0;
    for (double x : w) total += x;
    double u = uniform() * total;
    for (std::size_t i = 0; i < std::size(w); ++i) {
      if (u < w[i]) return i;
      u -= w[i];
    }
    return std::size(w) - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

enum Phase : std::uint64_t {
  phase_layout = 1,
  phase_households,
  phase_ties,
  phase_needs,
  phase_offers,
  phase_professionals,
  phase_attendance,
  phase_initiatives,  // format v1.1; after the others, so that adding it shifted none of their streams
  phase_help
};

// ----------------------------------------------------------------------------- helpers

template <std::size_t N>
double inverse_cdf(const std::array<double, N>& values, double u) noexcept {
  for (std::size_t j = 1; j < N; ++j)
    if (u <= size_quantiles[j]) {
      const double t = (u - size_quantiles[j - 1]) / (size_quantiles[j] - size_quantiles[j - 1]);
      return values[j - 1] + t * (values[j] - values[j - 1]);
    }
  return values[N - 1];
}

double relative_municipality_size(double q) noexcept {
  const auto& c = municipality_size_curve;
  if (q <= c.front().q) return c.front().relative;
  if (q >= c.back().q) return c.back().relative;
  for (std::size_t j = 1; j < c.size(); ++j)
    if (q <= c[j].q) {
      const double t = (std::log(q) - std::log(c[j - 1].q)) / (std::log(c[j].q) - std::log(c[j - 1].q));
      return std::exp(std::log(c[j - 1].relative) + t * (std::log(c[j].relative) - std::log(c[j - 1].relative)));
    }
  return c.back().relative;
}

void check_options(const GenerateOptions& opt) {
  if (opt.residents < 1 || opt.residents > 100'000'000) throw InvalidArgument("residents must be in [1, 100000000]");
  if (opt.municipalities < 1 || opt.municipalities > 9999) throw InvalidArgument("municipalities must be in [1, 9999]");
  if (opt.residents < opt.municipalities)
    throw InvalidArgument("residents must be at least the number of municipalities");
  if (!(opt.needs_per_100 >= 0 && opt.needs_per_100 <= 100)) throw InvalidArgument("needs_per_100 must be in [0, 100]");
  if (!(opt.offers_per_1000 >= 0 && opt.offers_per_1000 <= 100))
    throw InvalidArgument("offers_per_1000 must be in [0, 100]");
  if (!(opt.professionals_per_10000 >= 0 && opt.professionals_per_10000 <= 1000))
    throw InvalidArgument("professionals_per_10000 must be in [0, 1000]");
}

Location clamp_rd(double x, double y) noexcept {
  return {std::clamp(x, 1000.0, 299000.0), std::clamp(y, 301000.0, 624000.0)};
}

WeeklySchedule random_schedule(Rng& rng, double density) {
  WeeklySchedule s;
  for (std::size_t d = 0; d < day_count; ++d)
    for (std::size_t p = 0; p < day_part_count; ++p)
      if (rng.chance(density)) s.insert(d, static_cast<DayPart>(p));
  return s;
}

const char* pick_language(Rng& rng) {
  double u = rng.uniform();
  for (const auto& l : second_languages) {
    if (u < l.weight) return l.code;
    u -= l.weight;
  }
  return second_languages.front().code;
}

bool adult(AgeBand a) noexcept { return a != AgeBand::age_0_14; }
bool older(AgeBand a) noexcept { return a == AgeBand::age_65_79 || a == AgeBand::age_80_plus; }

std::string numbered_key(const std::string& prefix, char kind, std::uint64_t n) {
  std::string key;
  key.reserve(prefix.size() + 12);
  key += prefix;
  key += kind;
  key += std::to_string(n);
  return key;
}

// One neighbourhood of the municipality being generated.
struct Area {
  std::string code;
  int district = 0;  // index into the municipality's districts
  int decile = 0;    // profile
  std::int64_t residents = 0;
  Location centre;
  double radius_m = 0;
  std::uint32_t first_household = 0, households = 0, grid_width = 1;  // local household indices
  std::uint32_t first_resident = 0, end_resident = 0;                 // local resident indices
};

Offer make_offer(Rng& rng, const OfferTemplate& t, std::string key, const Area& area) {
  Offer o;
  o.key = std::move(key);
  o.kind = t.kind;
  o.level = t.level;
  for (auto [d, f] : t.fit) o.fit[static_cast<std::size_t>(d)] = f;
  o.seats = rng.between(t.seats_min, t.seats_max);
  o.occupancy = static_cast<int>(std::floor(o.seats * (0.3 + 0.65 * rng.uniform())));
  o.min_group_size = std::min(t.min_group, o.seats);
  if (t.level == LadderLevel::collective) {
    const int sessions = rng.between(1, 3);
    for (int k = 0; k < sessions; ++k) {
      // Two draws in one argument list are unsequenced (GCC drew the day-part first, clang the
      // day): named and in GCC's order, so that every compiler generates the same model.
      const auto part = static_cast<DayPart>(rng.below(day_part_count));
      const auto day = rng.below(day_count);
      o.schedule.insert(day, part);
    }
  }
  const double angle = rng.uniform() * 6.283185307179586, r = area.radius_m * std::sqrt(rng.uniform()) * 0.8;
  o.location =
      clamp_rd(std::round(area.centre.x_m + r * std::cos(angle)), std::round(area.centre.y_m + r * std::sin(angle)));
  o.neighbourhood = area.code;
  o.languages = {"nl"};
  if (rng.chance(0.5)) o.languages.emplace_back(pick_language(rng));
  o.cost_per_month = t.cost;
  o.eligibility.age_bands.bits = t.age_bits;
  o.eligibility.severity_min = t.severity_min;
  o.eligibility.severity_max = t.severity_max;
  o.eligibility.referral_required = t.referral;
  o.waiting_days = t.waiting_days == 0 ? 0 : rng.between(t.waiting_days / 2, t.waiting_days * 2);
  return o;
}

// ----------------------------------------------------------------------------- one municipality

// Appends one municipality to a model, step by step; ids are offset by what the model already
// holds, and nothing depends on other municipalities. Each step draws from its own random
// stream, so what one step draws never shifts another; a step reads what the steps before it
// added (households need the layout, ties and needs the households, attendance the offers).
struct MunicipalityBuilder {
  MunicipalityBuilder(const GenerateOptions& options, int index, std::int64_t residents, Model& model)
      : opt(options),
        m(model),
        target(residents),
        gm(static_cast<std::uint64_t>(index) + 1),
        prefix(municipality_code(index) + "-"),
        base_household(static_cast<std::uint32_t>(m.households.size())),
        base_resident(static_cast<std::uint32_t>(m.residents.size())),
        base_offer(static_cast<std::uint32_t>(m.offers.size())),
        city(target >= city_threshold),
        town_factor(
            city ? 1.0
                 : std::clamp(std::sqrt(static_cast<double>(city_threshold) / static_cast<double>(target)), 1.0, 4.0)),
        index(index) {}

  // Layout: neighbourhood sizes, districts, profiles, positions.
  void lay_out() {
    Rng layout = stream(phase_layout);
    const auto& size_table = city ? city_neighbourhood_size : town_neighbourhood_size;
    double mean_size = 0;
    for (int k = 0; k < 1000; ++k) mean_size += inverse_cdf(size_table, (k + 0.5) / 1000.0) / 1000.0;
    constexpr std::int64_t max_areas = 99 * 99;  // district and neighbourhood numbers are two digits
    const double scale = std::max(1.0, static_cast<double>(target) / mean_size / 9000.0);
    for (std::int64_t left = target; left > 0;) {
      auto size = std::max<std::int64_t>(1, std::llround(inverse_cdf(size_table, layout.uniform()) * scale));
      if (size >= left || left - size < 50 || static_cast<std::int64_t>(areas.size()) + 1 == max_areas) size = left;
      Area a;
      a.residents = size;
      areas.push_back(std::move(a));
      left -= size;
    }
    // Districts: consecutive neighbourhoods, as many per district as the 2014 districts have.
    {
      std::size_t first = 0;
      const std::size_t per_district_min = (areas.size() + 98) / 99;
      while (first < areas.size()) {
        auto k = static_cast<std::size_t>(std::llround(inverse_cdf(neighbourhoods_per_district, layout.uniform())));
        k = std::clamp<std::size_t>(k, std::max<std::size_t>(1, per_district_min), 99);
        const std::size_t end = std::min(areas.size(), first + k);
        districts.emplace_back(first, end);
        first = end;
      }
    }
    // Positions: a sunflower (Vogel) spiral of discs around the municipality centre, each disc as
    // large as the neighbourhood's land area.
    Location centre;
    {
      const auto& c = municipality_centre_hm[static_cast<std::size_t>(index) % municipality_centre_hm.size()];
      centre = {c[0] * 100.0, c[1] * 100.0};
      if (static_cast<std::size_t>(index) >= municipality_centre_hm.size()) {
        centre.x_m += (layout.uniform() * 2 - 1) * 8000;
        centre.y_m += (layout.uniform() * 2 - 1) * 8000;
      }
    }
    double cumulative_area = 0;
    for (std::size_t d = 0; d < districts.size(); ++d) {
      const int district_decile = static_cast<int>(layout.below(profiles.size()));
      for (std::size_t b = districts[d].first; b < districts[d].second; ++b) {
        Area& a = areas[b];
        a.district = static_cast<int>(d);
        a.decile = std::clamp(district_decile + layout.between(-1, 1), 0, static_cast<int>(profiles.size()) - 1);
        char code[16];
        std::snprintf(code, sizeof code, "BU%04u%02u%02u", static_cast<unsigned>(gm), static_cast<unsigned>(d + 1),
                      static_cast<unsigned>(b - districts[d].first + 1));
        a.code = code;
        const double area = std::max(40000.0, static_cast<double>(a.residents) *
                                                  profiles[static_cast<std::size_t>(a.decile)].m2_per_resident *
                                                  town_factor * town_factor);
        a.radius_m = std::sqrt(area / 3.141592653589793);
        const double r = std::sqrt((cumulative_area + area / 2) / 3.141592653589793);
        cumulative_area += area;
        const double angle = static_cast<double>(b) * 2.399963229728653;  // the golden angle
        a.centre = clamp_rd(centre.x_m + r * std::cos(angle), centre.y_m + r * std::sin(angle));
      }
    }
  }

  // Households and residents.
  void add_households() {
    Rng hh_rng = stream(phase_households);
    m.households.reserve(m.households.size() + static_cast<std::size_t>(target / 2 + 1));
    m.residents.reserve(m.residents.size() + static_cast<std::size_t>(target));
    std::uint64_t household_number = 0, resident_number = 0;
    std::vector<AgeBand> members;
    for (Area& a : areas) {
      const Profile& p = profiles[static_cast<std::size_t>(a.decile)];
      std::array<double, 5> adult_ages = p.adult_ages;
      if (!city) {
        adult_ages[3] *= town_elderly_factor;
        adult_ages[4] *= town_elderly_factor;
      }
      const std::array<double, 3> types{p.single, p.without_children, p.with_children};
      std::array<double, 5> kids_weights{};
      for (std::size_t k = 0; k < 5; ++k) kids_weights[k] = std::pow(p.kids_rho, static_cast<double>(k));
      const double second_language = p.second_language * (city ? 1.0 : town_second_language_factor);
      a.first_household = static_cast<std::uint32_t>(m.households.size() - base_household);
      a.first_resident = static_cast<std::uint32_t>(m.residents.size() - base_resident);
      // Draw the households first, then place them on a grid over the neighbourhood.
      std::int64_t placed = 0;
      struct Pending {
        std::uint32_t first, size;
      };
      std::vector<Pending> pending;
      while (placed < a.residents) {
        members.clear();
        auto adult_band = [&] { return static_cast<AgeBand>(hh_rng.weighted(adult_ages) + 1); };
        switch (hh_rng.weighted(types)) {
          case 0: members.push_back(adult_band()); break;
          case 1: {
            const AgeBand first = adult_band();
            members.push_back(first);
            members.push_back(hh_rng.chance(0.8) ? first : adult_band());
            break;
          }
          default: {
            const int parents_count = hh_rng.chance(single_parent_share) ? 1 : 2;
            const AgeBand parent = hh_rng.chance(p.p_parent_25_44) ? AgeBand::age_25_44 : AgeBand::age_45_64;
            for (int k = 0; k < parents_count; ++k) members.push_back(parent);
            const auto kids = hh_rng.weighted(kids_weights) + 1;
            for (std::size_t k = 0; k < kids; ++k)
              members.push_back(hh_rng.chance(p.p_kid_0_14) ? AgeBand::age_0_14 : AgeBand::age_15_24);
          }
        }
        if (placed + static_cast<std::int64_t>(members.size()) > a.residents)
          members.resize(static_cast<std::size_t>(a.residents - placed));
        // A household of children only (cut at the end) gets an adult instead of its first child.
        if (std::none_of(members.begin(), members.end(), adult)) members.front() = AgeBand::age_25_44;
        const auto first = static_cast<std::uint32_t>(m.residents.size());
        const HouseholdId hh(static_cast<std::uint32_t>(m.households.size()));
        m.households.push_back({numbered_key(prefix, 'H', ++household_number), a.code});
        const char* home_language = hh_rng.chance(second_language) ? pick_language(hh_rng) : nullptr;
        for (AgeBand band : members) {
          Resident r;
          r.key = numbered_key(prefix, 'R', ++resident_number);
          r.household = hh;
          r.neighbourhood = a.code;
          r.age_band = band;
          if (home_language) {
            if ((band == AgeBand::age_45_64 || older(band)) && hh_rng.chance(only_home_language_45_plus))
              r.languages = {home_language};
            else
              r.languages = {home_language, "nl"};
          } else {
            r.languages = {"nl"};
          }
          r.availability = random_schedule(hh_rng, band == AgeBand::age_0_14 ? 0.25 : older(band) ? 0.55 : 0.35);
          r.max_travel_m = band == AgeBand::age_80_plus ? 600.0 : band == AgeBand::age_65_79 ? 1200.0 : 2500.0;
          r.group_averse = hh_rng.chance(0.07);
          r.care_avoider = hh_rng.chance(0.03);
          m.residents.push_back(std::move(r));
        }
        pending.push_back({first, static_cast<std::uint32_t>(members.size())});
        placed += static_cast<std::int64_t>(members.size());
      }
      // Grid over a square of the neighbourhood's area: households next to each other in the
      // list live next to each other (rows alternate direction).
      a.households = static_cast<std::uint32_t>(pending.size());
      a.grid_width = std::max<std::uint32_t>(
          1, static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(pending.size())))));
      const double side = a.radius_m * 1.7724538509055159;  // sqrt(pi) r: the square of equal area
      const double step = side / a.grid_width;
      for (std::uint32_t h = 0; h < pending.size(); ++h) {
        const std::uint32_t row = h / a.grid_width,
                            col = row % 2 == 0 ? h % a.grid_width : a.grid_width - 1 - h % a.grid_width;
        const double x = a.centre.x_m - side / 2 + (col + 0.2 + 0.6 * hh_rng.uniform()) * step;
        const double y = a.centre.y_m - side / 2 + (row + 0.2 + 0.6 * hh_rng.uniform()) * step;
        const Location home = clamp_rd(std::round(x), std::round(y));
        for (std::uint32_t k = 0; k < pending[h].size; ++k) m.residents[pending[h].first + k].location = home;
        hh_first.push_back(pending[h].first - base_resident);
      }
      a.end_resident = static_cast<std::uint32_t>(m.residents.size() - base_resident);
    }
    n_res = static_cast<std::uint32_t>(m.residents.size() - base_resident);
    n_hh = static_cast<std::uint32_t>(hh_first.size());
    hh_first.push_back(n_res);  // sentinel: household h has members [hh_first[h], hh_first[h + 1])
  }

  // Ties: household cliques, then who has almost no network, then neighbours, friends and family.
  void add_ties() {
    Rng tie_rng = stream(phase_ties);
    m.ties.reserve(m.ties.size() + static_cast<std::size_t>(n_res) * 3);
    add_household_ties(tie_rng);
    mark_isolated(tie_rng);
    add_neighbour_ties(tie_rng);
    add_friend_ties(tie_rng);
    add_family_ties(tie_rng);
  }

  // Needs: the municipality's rate, spread over its neighbourhoods by their profile's Wmo
  // and youth-care rates, and within a neighbourhood by age (Wmo-type) or to the parents of
  // children (youth-type, weighted by the number of children).
  void add_needs() {
    Rng need_rng = stream(phase_needs);
    double wmo_total = 0, youth_total = 0;
    for (const Area& a : areas) {
      wmo_total += profiles[static_cast<std::size_t>(a.decile)].wmo_per_1000 * static_cast<double>(a.residents);
      youth_total +=
          profiles[static_cast<std::size_t>(a.decile)].youth_care_per_1000 * static_cast<double>(a.residents);
    }
    const double expected = opt.needs_per_100 / 100.0 * static_cast<double>(n_res);
    std::uint64_t need_number = 0;
    std::vector<double> wmo_weight, youth_weight;
    for (const Area& a : areas) {
      const Profile& p = profiles[static_cast<std::size_t>(a.decile)];
      const double wmo_expected =
          expected * (1 - youth_share_of_needs) * p.wmo_per_1000 * static_cast<double>(a.residents) / wmo_total;
      const double youth_expected =
          expected * youth_share_of_needs * p.youth_care_per_1000 * static_cast<double>(a.residents) / youth_total;
      const std::uint32_t count = a.end_resident - a.first_resident;
      wmo_weight.assign(count, 0.0);
      youth_weight.assign(count, 0.0);
      double wmo_sum = 0, youth_sum = 0;
      for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint32_t r = a.first_resident + k;
        const AgeBand band = resident(r).age_band;
        wmo_sum += wmo_weight[k] = wmo_age_factor[static_cast<std::size_t>(band)];
        if (band == AgeBand::age_25_44 || band == AgeBand::age_45_64) {
          const auto h = household_of(r);
          double kids = 0;
          for (std::uint32_t c = hh_first[h]; c < hh_first[h + 1]; ++c) {
            const AgeBand cb = resident(c).age_band;
            kids += cb == AgeBand::age_0_14 || cb == AgeBand::age_15_24;
          }
          youth_sum += youth_weight[k] = kids;
        }
      }
      for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint32_t r = a.first_resident + k;
        const AgeBand band = resident(r).age_band;
        for (int part = 0; part < 2; ++part) {
          const double w = part == 0 ? wmo_weight[k] : youth_weight[k];
          const double sum = part == 0 ? wmo_sum : youth_sum;
          const double p_need = sum > 0 ? (part == 0 ? wmo_expected : youth_expected) * w / sum : 0.0;
          if (w <= 0 || !need_rng.chance(std::min(p_need, 1.0))) continue;
          Need n;
          n.key = numbered_key(prefix, 'N', ++need_number);
          n.resident = rid(r);
          if (part == 1)
            n.domain = need_rng.chance(0.7) ? LifeDomain::parenting : LifeDomain::domestic_relations;
          else if (band == AgeBand::age_15_24)
            n.domain = static_cast<LifeDomain>(need_rng.weighted(domains_young));
          else if (older(band))
            n.domain = static_cast<LifeDomain>(need_rng.weighted(domains_older));
          else
            n.domain = static_cast<LifeDomain>(need_rng.weighted(domains_adult));
          n.severity = static_cast<int>(need_rng.weighted(severity_weights)) + 1;
          n.crisis = n.severity == 1 && need_rng.chance(0.5);
          n.safety_report = n.domain == LifeDomain::domestic_relations && need_rng.chance(0.15);
          n.rent_arrears_months = n.domain == LifeDomain::finances && need_rng.chance(0.2) ? need_rng.between(1, 6) : 0;
          n.since = Date{std::chrono::days{20240 + need_rng.between(0, 300)}};
          n.status = need_rng.chance(0.1) ? NeedStatus::in_progress : NeedStatus::open;
          m.needs.push_back(std::move(n));
        }
      }
    }
  }

  // Offers: a start meeting per district, collective offers per thousand residents (more
  // where the Wmo rate is higher), a team's short support per district, and provisions per
  // so many residents of the municipality.
  void add_offers() {
    Rng offer_rng = stream(phase_offers);
    std::uint64_t offer_number = 0;
    auto offer_key = [&] { return numbered_key(prefix, 'O', ++offer_number); };
    if (opt.offers_per_1000 > 0)
      for (const auto& [first, end] : districts)
        m.offers.push_back(
            make_offer(offer_rng, collective_templates[0], offer_key(), areas[first + offer_rng.below(end - first)]));
    double weight_total = 0;
    for (const Area& a : areas)
      weight_total += static_cast<double>(a.residents) *
                      (0.5 + 0.5 * profiles[static_cast<std::size_t>(a.decile)].wmo_per_1000 / 80.0);
    const double expected = std::max(0.0, opt.offers_per_1000 * static_cast<double>(n_res) / 1000.0 -
                                              static_cast<double>(opt.offers_per_1000 > 0 ? districts.size() : 0));
    std::array<double, collective_templates.size()> kind_weights{};
    for (std::size_t k = 0; k < kind_weights.size(); ++k) kind_weights[k] = collective_templates[k].weight;
    for (const Area& a : areas) {
      const double here = expected * static_cast<double>(a.residents) *
                          (0.5 + 0.5 * profiles[static_cast<std::size_t>(a.decile)].wmo_per_1000 / 80.0) / weight_total;
      const int n_offers = static_cast<int>(here) + (offer_rng.chance(here - std::floor(here)) ? 1 : 0);
      for (int k = 0; k < n_offers; ++k)
        m.offers.push_back(
            make_offer(offer_rng, collective_templates[offer_rng.weighted(kind_weights)], offer_key(), a));
    }
    for (const auto& [first, end] : districts)
      m.offers.push_back(
          make_offer(offer_rng, team_template, offer_key(), areas[first + offer_rng.below(end - first)]));
    for (const auto& t : provision_templates) {
      const auto count = std::max<std::int64_t>(1, std::llround(static_cast<double>(n_res) / t.weight));
      for (std::int64_t k = 0; k < count; ++k)
        m.offers.push_back(make_offer(offer_rng, t, offer_key(), areas[offer_rng.below(areas.size())]));
    }
  }

  // Professionals, each working in one district (chosen by population).
  void add_professionals() {
    Rng pro_rng = stream(phase_professionals);
    if (opt.professionals_per_10000 > 0) {
      const auto count =
          std::max<std::int64_t>(1, std::llround(static_cast<double>(n_res) * opt.professionals_per_10000 / 10000.0));
      std::array<double, life_domain_count> specialism_weights{};
      for (std::size_t d = 0; d < life_domain_count; ++d)
        specialism_weights[d] = domains_young[d] + domains_adult[d] + domains_older[d] +
                                (d == static_cast<std::size_t>(LifeDomain::parenting) ? 20 : 0);
      for (std::int64_t k = 0; k < count; ++k) {
        Professional p;
        p.key = numbered_key(prefix, 'P', static_cast<std::uint64_t>(k) + 1);
        const std::uint32_t r = static_cast<std::uint32_t>(pro_rng.below(n_res));
        const Area& home = area_of(r);
        const auto& [first, end] = districts[static_cast<std::size_t>(home.district)];
        for (std::size_t a = first; a < end; ++a) p.work_area.push_back(areas[a].code);
        for (int s = 0; s < 3; ++s) p.specialisms.insert(static_cast<LifeDomain>(pro_rng.weighted(specialism_weights)));
        p.languages = {"nl"};
        if (pro_rng.chance(0.4)) p.languages.emplace_back(pick_language(pro_rng));
        p.caseload_cap = pro_rng.between(18, 28);
        p.caseload = pro_rng.between(p.caseload_cap / 2, p.caseload_cap);
        m.professionals.push_back(std::move(p));
      }
    }
  }

  // Attendance consistent with occupancy: a third of a collective offer's participants are
  // residents of its own neighbourhood.
  void add_attendance() {
    Rng attend_rng = stream(phase_attendance);
    for (auto o = base_offer; o < m.offers.size(); ++o) {
      const Offer& offer = m.offers[o];
      if (offer.level != LadderLevel::collective) continue;
      // Neighbourhood codes sort like the areas, so a binary search finds the area.
      const auto it = std::lower_bound(areas.begin(), areas.end(), offer.neighbourhood,
                                       [](const Area& a, const std::string& code) { return a.code < code; });
      const Area& a = areas[static_cast<std::size_t>(it - areas.begin())];
      const std::uint32_t count = a.end_resident - a.first_resident;
      for (int k = 0; k < offer.occupancy / 3; ++k) {
        Resident& res = resident(a.first_resident + static_cast<std::uint32_t>(attend_rng.below(count)));
        if (std::find(res.attends.begin(), res.attends.end(), OfferId(o)) == res.attends.end())
          res.attends.emplace_back(o);
      }
    }
  }

  // Resident initiatives (A15): some collective activities are run by residents of their own
  // neighbourhood, carried by volunteers; the team's support is run by the team.
  void add_initiatives() {
    Rng rng = stream(phase_initiatives);
    std::vector<std::uint32_t> adults;
    for (auto o = base_offer; o < m.offers.size(); ++o) {
      Offer& offer = m.offers[o];
      if (offer.kind == team_template.kind) {
        offer.organiser.kind = OrganiserKind::team;
        continue;
      }
      if (offer.level != LadderLevel::collective || !initiative_kind(offer.kind) || !rng.chance(initiative_share))
        continue;
      const Area& a = area_of_code(offer.neighbourhood);
      adults.clear();
      // A few draws among the neighbourhood's residents; children and the very old do not run things.
      const std::uint32_t count = a.end_resident - a.first_resident;
      // Two draws, named: in one expression their order would be up to the compiler.
      const int core = rng.between(1, 3);  // who could run it; up to four more volunteers
      const int wanted = core + rng.between(0, 4);
      for (int k = 0; k < 4 * wanted && static_cast<int>(adults.size()) < wanted; ++k) {
        const std::uint32_t r = a.first_resident + static_cast<std::uint32_t>(rng.below(count));
        const AgeBand band = resident(r).age_band;
        if (band == AgeBand::age_0_14 || band == AgeBand::age_80_plus) continue;
        if (std::find(adults.begin(), adults.end(), r) == adults.end()) adults.push_back(r);
      }
      if (adults.empty()) continue;
      offer.organiser.kind = OrganiserKind::residents;
      // One organiser is the fragile case the summary warns about; most have two or three.
      const std::size_t organisers = std::min<std::size_t>(adults.size(), rng.chance(0.3) ? 1 : rng.between(2, 3));
      double hours = 0.0;
      for (std::size_t k = 0; k < adults.size(); ++k) {
        if (k < organisers) offer.organiser.residents.push_back(rid(adults[k]));
        // Organisers give more time than the other volunteers.
        const double h = static_cast<double>(k < organisers ? rng.between(4, 16) : rng.between(2, 8)) / 2.0;
        offer.volunteers.push_back({rid(adults[k]), h});
        hours += h;
      }
      // One seat takes a share of a volunteer's hour; drawn so that about a quarter of the
      // initiatives have fewer volunteer hours than seats need.
      offer.hours_per_seat =
          std::round(hours / (static_cast<double>(std::max(1, offer.seats)) * (0.75 + 0.9 * rng.uniform())) * 100) /
          100;
      if (offer.hours_per_seat <= 0.0) offer.hours_per_seat = 0.01;
      Initiative initiative;
      initiative.status = static_cast<InitiativeStatus>(rng.weighted(initiative_status_weights));
      if (rng.chance(0.6)) initiative.budget_euro = 50.0 * rng.between(5, 100);
      offer.initiative = initiative;
    }
  }

  // Help offered to neighbours (A16), as in Harry Helpt: some adults offer a few hours a week in
  // one to three domains, nearby; having needs of one's own does not stop anyone.
  void add_help_offers() {
    Rng rng = stream(phase_help);
    for (std::uint32_t r = 0; r < n_res; ++r) {
      Resident& res = resident(r);
      if (res.age_band == AgeBand::age_0_14 || !rng.chance(help_offer_share)) continue;
      HelpOffer help;
      const int domains = rng.between(1, 3);
      for (int k = 0; k < domains; ++k) help.domains.insert(help_domains[rng.below(help_domains.size())]);
      help.hours_per_week = static_cast<double>(rng.between(2, 8)) / 2.0;
      help.day_parts = random_schedule(rng, 0.2);
      help.radius_m = older(res.age_band) ? 400.0 : 250.0 * static_cast<double>(rng.between(2, 6));
      res.offers_help = help;
    }
  }

 private:
  Rng stream(Phase phase) const noexcept { return Rng::stream(opt.seed, gm, phase); }
  // The area of a neighbourhood code: codes sort like the areas.
  const Area& area_of_code(const std::string& code) const {
    const auto it = std::lower_bound(areas.begin(), areas.end(), code,
                                     [](const Area& a, const std::string& c) { return a.code < c; });
    return areas[static_cast<std::size_t>(it - areas.begin())];
  }
  static bool initiative_kind(std::string_view kind) noexcept {
    return std::find(initiative_kinds.begin(), initiative_kinds.end(), kind) != initiative_kinds.end();
  }
  Resident& resident(std::uint32_t local) { return m.residents[base_resident + local]; }
  std::uint32_t household_of(std::uint32_t local) { return resident(local).household.index() - base_household; }
  ResidentId rid(std::uint32_t local) const { return ResidentId(base_resident + local); }
  // The neighbourhood of a local resident: residents are numbered neighbourhood by neighbourhood.
  const Area& area_of(std::uint32_t local) const {
    return areas[static_cast<std::size_t>(
        std::upper_bound(areas.begin(), areas.end(), local,
                         [](std::uint32_t v, const Area& x) { return v < x.end_resident; }) -
        areas.begin())];
  }

  static double half_hours(Rng& tie_rng, double hours) {
    return static_cast<double>(tie_rng.below(static_cast<std::uint64_t>(hours) + 1)) / 2.0;
  }
  std::optional<std::uint32_t> adult_of_household(Rng& tie_rng, std::uint32_t h) {
    const std::uint32_t size = hh_first[h + 1] - hh_first[h];
    const std::uint32_t start = static_cast<std::uint32_t>(tie_rng.below(size));
    for (std::uint32_t k = 0; k < size; ++k) {
      const std::uint32_t r = hh_first[h] + (start + k) % size;
      if (adult(resident(r).age_band) && !isolated[r]) return r;
    }
    return std::nullopt;
  }
  void informal_tie(Rng& tie_rng, std::uint32_t helper, std::uint32_t helped, TieKind kind, double lo, double hi,
                    int max_hours) {
    Tie t{rid(helper), rid(helped),
          kind,        std::round((lo + (hi - lo) * tie_rng.uniform()) * 100) / 100,
          {},          static_cast<double>(tie_rng.between(1, max_hours)),
          0.0};
    t.hours_used = half_hours(tie_rng, t.hours_per_week);
    t.domains.insert(LifeDomain::social_network);
    t.domains.insert(tie_rng.chance(0.5) ? LifeDomain::instrumental_adl : LifeDomain::time_use);
    if (kind == TieKind::family && resident(helped).age_band == AgeBand::age_80_plus)
      t.domains.insert(LifeDomain::basic_adl);
    if (kind == TieKind::friend_ && tie_rng.chance(0.3)) t.domains.insert(LifeDomain::mental_health);
    m.ties.push_back(t);
  }

  // Household cliques: every member from 15 helps every other member.
  void add_household_ties(Rng& tie_rng) {
    for (std::uint32_t h = 0; h < n_hh; ++h)
      for (std::uint32_t a = hh_first[h]; a < hh_first[h + 1]; ++a) {
        if (!adult(resident(a).age_band)) continue;
        for (std::uint32_t b = hh_first[h]; b < hh_first[h + 1]; ++b) {
          if (a == b) continue;
          Tie t{rid(a), rid(b), TieKind::household, 0.9, {}, static_cast<double>(tie_rng.between(4, 10)), 0.0};
          t.hours_used = half_hours(tie_rng, t.hours_per_week);
          t.domains.insert(LifeDomain::instrumental_adl);
          t.domains.insert(LifeDomain::social_network);
          if (older(resident(b).age_band)) t.domains.insert(LifeDomain::basic_adl);
          m.ties.push_back(t);
        }
      }
  }

  // Who has almost no network (A9).
  void mark_isolated(Rng& tie_rng) {
    isolated.assign(n_res, 0);
    for (std::uint32_t r = 0; r < n_res; ++r) {
      const auto h = household_of(r);
      const bool single = hh_first[h + 1] - hh_first[h] == 1;
      isolated[r] = adult(resident(r).age_band) && tie_rng.chance(single ? isolated_single : isolated_other);
    }
  }

  // Neighbours: a household's next neighbours on the grid (the next one in its row and the one
  // in the next row). Only forward neighbours are chosen, so no pair is made twice.
  void add_neighbour_ties(Rng& tie_rng) {
    for (const Area& a : areas)
      for (std::uint32_t hl = 0; hl < a.households; ++hl) {
        const std::uint32_t h = a.first_household + hl;
        for (std::uint32_t r = hh_first[h]; r < hh_first[h + 1]; ++r) {
          if (!adult(resident(r).age_band) || isolated[r]) continue;
          const std::array<std::uint32_t, 2> offsets{1, 2 * a.grid_width - 1 - 2 * (hl % a.grid_width)};
          for (std::size_t k = 0; k < offsets.size(); ++k) {
            const std::uint32_t off = offsets[k];
            if ((k == 1 && off == offsets[0]) || hl + off >= a.households || !tie_rng.chance(0.45)) continue;
            const auto other = adult_of_household(tie_rng, h + off);
            if (!other) continue;
            informal_tie(tie_rng, *other, r, TieKind::neighbour, 0.3, 0.7, 3);
            if (tie_rng.chance(0.5)) informal_tie(tie_rng, r, *other, TieKind::neighbour, 0.3, 0.7, 3);
          }
        }
      }
  }

  // Friends (small world): most in the same district, some anywhere in the municipality. A pair
  // is made once: a resident skips a friend who already chose them.
  void add_friend_ties(Rng& tie_rng) {
    std::vector<std::uint32_t> friend_of(n_res, n_res);
    for (std::uint32_t r = 0; r < n_res; ++r) {
      if (!adult(resident(r).age_band) || isolated[r] || !tie_rng.chance(0.7)) continue;
      std::uint32_t h;
      if (tie_rng.chance(friend_local)) {
        const Area& a = area_of(r);
        const auto& [d_first, d_end] = districts[static_cast<std::size_t>(a.district)];
        const std::uint32_t lo = areas[d_first].first_household,
                            hi = areas[d_end - 1].first_household + areas[d_end - 1].households;
        h = lo + static_cast<std::uint32_t>(tie_rng.below(hi - lo));
      } else {
        h = static_cast<std::uint32_t>(tie_rng.below(n_hh));
      }
      const auto f = adult_of_household(tie_rng, h);
      if (!f || household_of(*f) == household_of(r) || friend_of[*f] == r) continue;
      friend_of[r] = *f;
      informal_tie(tie_rng, *f, r, TieKind::friend_, 0.4, 0.9, 4);
      if (tie_rng.chance(0.6)) informal_tie(tie_rng, r, *f, TieKind::friend_, 0.4, 0.9, 4);
    }
  }

  // Family: an adult child elsewhere in the municipality helps an older resident.
  void add_family_ties(Rng& tie_rng) {
    for (std::uint32_t r = 0; r < n_res; ++r) {
      if (!older(resident(r).age_band) || isolated[r] || !tie_rng.chance(family_tie_65_plus)) continue;
      for (int attempt = 0; attempt < 4; ++attempt) {
        const auto c = static_cast<std::uint32_t>(tie_rng.below(n_res));
        const AgeBand band = resident(c).age_band;
        if ((band != AgeBand::age_25_44 && band != AgeBand::age_45_64) || isolated[c] ||
            household_of(c) == household_of(r))
          continue;
        informal_tie(tie_rng, c, r, TieKind::family, 0.6, 1.0, 8);
        break;
      }
    }
  }

  const GenerateOptions& opt;
  Model& m;
  const std::int64_t target;
  const std::uint64_t gm;  // the municipality's number: its index + 1
  const std::string prefix;
  const std::uint32_t base_household, base_resident, base_offer;
  const bool city;
  const double town_factor;
  const int index;
  std::vector<Area> areas;
  std::vector<std::pair<std::size_t, std::size_t>> districts;  // [first, end) into areas
  std::vector<std::uint32_t> hh_first;  // local index of the first member of each local household, then a sentinel
  std::uint32_t n_res = 0, n_hh = 0;    // local residents and households
  std::vector<std::uint8_t> isolated;   // per local resident: almost no network (A9)
};

}  // namespace

namespace detail {

// Residents per municipality, largest first: the size curve sampled at the rank quantiles,
// rounded cumulatively so that the sizes add up to options.residents exactly.
std::vector<std::int64_t> plan_sizes(const GenerateOptions& opt) {
  check_options(opt);
  const auto m = static_cast<std::size_t>(opt.municipalities);
  std::vector<double> cumulative(m + 1, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    cumulative[i + 1] =
        cumulative[i] + relative_municipality_size((static_cast<double>(i) + 0.5) / static_cast<double>(m));
  std::vector<std::int64_t> sizes(m);
  const auto total = static_cast<double>(opt.residents);
  std::int64_t previous = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const std::int64_t upto = i + 1 == m ? opt.residents : std::llround(total * cumulative[i + 1] / cumulative[m]);
    sizes[i] = upto - previous;
    previous = upto;
  }
  // Every municipality gets at least one resident, taken from the largest.
  for (std::size_t i = 0; i < m; ++i)
    while (sizes[i] < 1) {
      const auto largest = static_cast<std::size_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
      --sizes[largest];
      ++sizes[i];
    }
  return sizes;
}

void generate_into(const GenerateOptions& opt, int index, std::int64_t target, Model& m, std::int64_t done_before) {
  MunicipalityBuilder municipality(opt, index, target, m);
  // Progress in residents: the steps share a municipality's residents by their rough cost
  // (households and ties are most of it). Reporting draws nothing from the generator's streams.
  constexpr int steps = 9;
  constexpr std::array<int, steps> weight{2, 40, 30, 6, 4, 2, 6, 4, 6};  // percent, adds up to 100
  int step = 0, percent = 0;
  auto report = [&] {
    percent += weight[static_cast<std::size_t>(step++)];
    if (opt.progress && !opt.progress("generate", done_before + target * percent / 100, opt.residents))
      throw Cancelled();
  };
  municipality.lay_out();
  report();
  municipality.add_households();
  report();
  municipality.add_ties();
  report();
  municipality.add_needs();
  report();
  municipality.add_offers();
  report();
  municipality.add_professionals();
  report();
  municipality.add_attendance();
  report();
  municipality.add_initiatives();
  report();
  municipality.add_help_offers();
  report();
}

}  // namespace detail

std::string municipality_code(int index) {
  if (index < 0 || index >= 9999) throw InvalidArgument("municipality index out of range");
  char code[8];
  std::snprintf(code, sizeof code, "GM%04d", index + 1);
  return code;
}

int municipality_count(const GenerateOptions& options) {
  check_options(options);
  return options.municipalities;
}

std::int64_t municipality_residents(const GenerateOptions& options, int index) {
  const auto sizes = detail::plan_sizes(options);
  if (index < 0 || index >= options.municipalities) throw InvalidArgument("municipality index out of range");
  return sizes[static_cast<std::size_t>(index)];
}

Model generate_municipality(const GenerateOptions& options, int index) {
  const auto sizes = detail::plan_sizes(options);
  if (index < 0 || index >= options.municipalities) throw InvalidArgument("municipality index out of range");
  GenerateOptions alone = options;  // progress counts the whole of generate(), not one part
  alone.progress = nullptr;
  Model m;
  detail::generate_into(alone, index, sizes[static_cast<std::size_t>(index)], m, 0);
  m.rebuild_index();
  return m;
}

Model generate(const GenerateOptions& options) {
  const auto sizes = detail::plan_sizes(options);
  Model m;
  std::int64_t done = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    detail::generate_into(options, static_cast<int>(i), sizes[i], m, done);
    done += sizes[i];
  }
  m.rebuild_index();
  return m;
}

}  // namespace wijkmatch
