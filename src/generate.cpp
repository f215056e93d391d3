// Synthetic neighbourhood generator. Every distribution, its source and every assumption is
// documented in docs/generator.md; the constants marked "derived" below were computed from the
// real CBS figures in ../shared/data by scripts/derive_generator_params.py (run once; the
// generator never reads ../shared). "A<n>" refers to assumption n in docs/generator.md.
//
// Structure: the sizes of all municipalities are computed first (O(municipalities)); each
// municipality is then generated from its own random streams (the seed mixed with its index and
// a phase number), appended to a model with its ids offset by what is already there. So
// generate_municipality(o, i) is, entity by entity, municipality i's part of generate(o).
#include "wijkmatch/generate.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "wijkmatch/error.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

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
  phase_attendance
};

// ----------------------------------------------------------------------------- derived constants
// Neighbourhood profiles (derived, docs "Profiles"): the neighbourhoods of Amsterdam and Den Haag
// with >= 200 residents (CBS KWB 2019, 84583NED), in deciles of Wmo clients per 1000 residents,
// population weighted. Each generated neighbourhood takes one decile's profile.
struct Profile {
  double wmo_per_1000;                             // Wmo clients per 1000 residents
  double youth_care_per_1000;                      // young people with youth care per 1000 residents
  double single, without_children, with_children;  // household types (shares of households)
  double kids_rho;                   // P(k children) ~ rho^(k-1), k = 1..5 (matches the mean household size)
  double p_kid_0_14;                 // a child is 0-14 (else 15-24)
  double p_parent_25_44;             // a parent is 25-44 (else 45-64)
  std::array<double, 5> adult_ages;  // others: 15-24, 25-44, 45-64, 65-79, 80+ (A2 splits 65+)
  double m2_per_resident;            // land area per resident
  double second_language;            // share of households speaking a language besides Dutch (A6)
};
constexpr std::array<Profile, 10> profiles{{
    {17.8, 18.7, 0.511, 0.232, 0.257, 0.554, 0.603, 0.575, {0.098, 0.397, 0.294, 0.160, 0.051}, 164, 0.264},
    {32.2, 21.4, 0.471, 0.242, 0.287, 0.484, 0.627, 0.570, {0.031, 0.425, 0.320, 0.171, 0.054}, 107, 0.265},
    {42.6, 20.0, 0.494, 0.234, 0.272, 0.491, 0.613, 0.591, {0.050, 0.421, 0.292, 0.180, 0.057}, 106, 0.271},
    {50.7, 21.9, 0.497, 0.232, 0.271, 0.495, 0.611, 0.576, {0.035, 0.419, 0.309, 0.180, 0.057}, 164, 0.284},
    {60.3, 21.7, 0.535, 0.211, 0.254, 0.486, 0.604, 0.595, {0.068, 0.423, 0.288, 0.168, 0.053}, 120, 0.340},
    {73.2, 23.9, 0.522, 0.212, 0.266, 0.492, 0.590, 0.584, {0.034, 0.420, 0.300, 0.187, 0.059}, 79, 0.369},
    {86.1, 24.9, 0.548, 0.193, 0.259, 0.502, 0.617, 0.599, {0.059, 0.414, 0.278, 0.189, 0.060}, 90, 0.431},
    {101.0, 27.7, 0.504, 0.187, 0.309, 0.536, 0.588, 0.556, {0.002, 0.368, 0.294, 0.255, 0.081}, 138, 0.483},
    {121.0, 28.5, 0.538, 0.188, 0.274, 0.512, 0.574, 0.550, {0.010, 0.362, 0.296, 0.253, 0.080}, 129, 0.413},
    {168.9, 25.3, 0.562, 0.196, 0.242, 0.525, 0.563, 0.521, {0.000, 0.285, 0.262, 0.344, 0.109}, 153, 0.351},
}};

// Second languages (derived from migration background, KWB 2019, two cities; A6 spreads the
// "other" backgrounds over languages).
struct Language {
  const char* code;
  double weight;
};
constexpr std::array<Language, 12> second_languages{{
    {"ar", 0.307},
    {"tr", 0.172},
    {"en", 0.143},
    {"es", 0.074},
    {"pl", 0.066},
    {"de", 0.039},
    {"so", 0.034},
    {"ti", 0.034},
    {"fa", 0.034},
    {"zh", 0.034},
    {"pa", 0.034},
    {"uk", 0.026},
}};

// Quantiles at which the size tables below are given.
constexpr std::array<double, 13> size_quantiles{0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};
// Residents per neighbourhood (derived). city: Amsterdam + Den Haag (KWB 2019, >= 200 residents);
// town: Utrecht province without Utrecht city (KWB 2020, >= 50 residents).
constexpr std::array<double, 13> city_neighbourhood_size{200,  473,  780,  1187, 1582, 2053, 2425,
                                                         2838, 3335, 4100, 5927, 7217, 15010};
constexpr std::array<double, 13> town_neighbourhood_size{50,   85,   130,  245,  450,  655, 970,
                                                         1290, 1662, 2120, 2878, 3758, 6770};
// Neighbourhoods per district (derived: all 2,746 districts of the 2014 label points).
constexpr std::array<double, 13> neighbourhoods_per_district{1, 1, 1, 2, 2, 3, 3, 4, 5, 7, 9, 10, 39};
// Municipalities at or above this size draw city-sized neighbourhoods and city density (A8).
constexpr std::int64_t city_threshold = 150000;

// Municipality size curve (derived): {rank quantile (r + 0.5) / N, residents / mean} of the 403
// municipalities of 2014; sizes estimated as 1594 * neighbourhoods^1.002 (fitted on 26
// municipalities of known size), Amsterdam, Den Haag and Utrecht at their 2019 sizes.
struct SizePoint {
  double q, relative;
};
constexpr std::array<SizePoint, 21> municipality_size_curve{{
    {0.00124, 16.9290}, {0.00372, 10.5508}, {0.00620, 6.9223}, {0.00868, 4.5895}, {0.01117, 4.3039}, {0.01365, 4.0819},
    {0.01861, 3.6062},  {0.02605, 3.0672},  {0.03598, 2.9088}, {0.05087, 2.5602}, {0.07072, 2.2117}, {0.10050, 1.9584},
    {0.14020, 1.5785},  {0.19975, 1.3570},  {0.28164, 1.1040}, {0.39826, 0.9144}, {0.56203, 0.5985}, {0.72084, 0.4722},
    {0.84491, 0.3460},  {0.94417, 0.1885},  {0.99876, 0.0627},
}};

// Municipality centres (derived): mean RD New position of each 2014 municipality's neighbourhood
// label points, in hectometres, in the order of the size curve (largest first).
constexpr std::array<std::array<std::int16_t, 2>, 403> municipality_centre_hm{{
    {1211, 4863}, {806, 4539},  {1351, 4561}, {1554, 4648}, {1663, 5597}, {1062, 4236}, {1607, 3841}, {2087, 3761},
    {2335, 5579}, {1654, 4209}, {1504, 4134}, {1942, 4683}, {1832, 5778}, {1022, 4260}, {904, 4371},  {843, 4464},
    {1075, 4798}, {1046, 4599}, {2166, 4419}, {2608, 5300}, {1907, 4436}, {995, 4387},  {2033, 5030}, {1991, 5300},
    {1334, 5186}, {746, 4469},  {824, 4287},  {1740, 4516}, {1783, 5479}, {2357, 5118}, {2579, 4709}, {2337, 5821},
    {2103, 4749}, {2417, 4859}, {2467, 5277}, {1333, 3981}, {1444, 4866}, {1125, 5496}, {1035, 4959}, {1714, 4837},
    {956, 4298},  {2513, 4767}, {937, 4457},  {1402, 4481}, {1777, 4245}, {1976, 5968}, {1892, 3438}, {1959, 3232},
    {1124, 4002}, {898, 3932},  {2463, 5595}, {935, 4638},  {865, 4376},  {1121, 5170}, {511, 4119},  {2660, 5784},
    {1147, 4979}, {2015, 3847}, {1799, 5247}, {1235, 5372}, {2389, 4732}, {2323, 5430}, {2300, 5265}, {1964, 5427},
    {1087, 4478}, {1699, 4639}, {2459, 5752}, {1034, 3986}, {2149, 4902}, {1018, 4455}, {2155, 4509}, {2598, 4893},
    {2148, 5396}, {1960, 3285}, {2261, 5043}, {2374, 5685}, {1763, 3181}, {1184, 4061}, {1739, 3873}, {1857, 4270},
    {2538, 5474}, {1613, 5018}, {1806, 4304}, {672, 4184},  {1402, 4708}, {1762, 5035}, {2370, 4475}, {960, 4235},
    {1732, 5713}, {1651, 5789}, {2215, 5247}, {829, 4372},  {1043, 4889}, {966, 4078},  {617, 3697},  {1176, 5197},
    {1557, 4385}, {2050, 4576}, {2289, 4884}, {1773, 3620}, {786, 3911},  {275, 3952},  {1064, 5026}, {1115, 4528},
    {1869, 3350}, {1125, 5310}, {2709, 5527}, {2364, 4577}, {692, 4283},  {1071, 5197}, {1665, 4485}, {2210, 4654},
    {1295, 4656}, {2254, 5691}, {2277, 4787}, {232, 3735},  {1984, 3563}, {1452, 4564}, {1920, 5074}, {2152, 5032},
    {1825, 3124}, {2365, 4955}, {298, 3872},  {1125, 4264}, {1968, 3716}, {1812, 4374}, {1895, 3597}, {2244, 4351},
    {1532, 4501}, {1586, 4033}, {1310, 4066}, {822, 4507},  {2012, 5142}, {1318, 3927}, {1941, 4043}, {1926, 5804},
    {476, 3666},  {463, 3846},  {1215, 4561}, {888, 4680},  {1351, 5265}, {1401, 4761}, {1053, 5002}, {2039, 4703},
    {2117, 4611}, {2008, 5696}, {1932, 5546}, {1215, 4208}, {1450, 4784}, {1314, 4479}, {1664, 4429}, {1148, 4342},
    {865, 4557},  {1914, 3129}, {2210, 5987}, {1674, 4016}, {501, 3921},  {1050, 4311}, {1484, 4637}, {2359, 4372},
    {2473, 4645}, {2033, 5622}, {1269, 4278}, {1581, 4604}, {2359, 4841}, {2483, 5828}, {2113, 4367}, {1036, 4678},
    {2414, 6024}, {2000, 3239}, {1133, 4655}, {1263, 5020}, {1401, 4225}, {2149, 5559}, {2626, 5574}, {1930, 4347},
    {1722, 4077}, {939, 4526},  {887, 4304},  {1930, 4970}, {2027, 4393}, {1618, 4691}, {1265, 4835}, {1569, 4330},
    {1441, 4327}, {2107, 5167}, {2213, 5756}, {2573, 5941}, {1789, 3952}, {1227, 4714}, {1289, 4383}, {1237, 4311},
    {333, 3920},  {1486, 4208}, {1947, 4817}, {2054, 5811}, {2061, 4857}, {1964, 3928}, {1542, 4073}, {1312, 4110},
    {1503, 3766}, {2007, 4491}, {2448, 5952}, {885, 4489},  {1046, 4347}, {1044, 4506}, {1130, 4445}, {1015, 4869},
    {2709, 5689}, {1747, 5807}, {864, 4611},  {981, 4743},  {1346, 4488}, {1477, 4270}, {2497, 4919}, {1690, 3656},
    {1878, 4153}, {952, 4001},  {1591, 3725}, {1087, 5125}, {1187, 4789}, {1479, 4690}, {1828, 4444}, {2205, 5878},
    {2297, 5942}, {2064, 5890}, {1861, 3192}, {2028, 4011}, {1307, 4961}, {766, 4380},  {1326, 5019}, {1072, 5078},
    {1843, 4210}, {2094, 5248}, {1685, 4366}, {1112, 4106}, {1858, 5925}, {1248, 5174}, {2002, 3501}, {805, 4011},
    {2019, 3204}, {1602, 3971}, {674, 3994},  {818, 4210},  {2031, 4323}, {2540, 5757}, {1957, 5885}, {1342, 4716},
    {1285, 4222}, {1475, 4070}, {1550, 3810}, {1390, 4128}, {1793, 4179}, {1246, 4050}, {1852, 3828}, {1512, 3991},
    {1554, 3905}, {1361, 4432}, {1405, 5199}, {2464, 4427}, {1864, 4936}, {1708, 4323}, {1927, 4219}, {2549, 5684},
    {1525, 3697}, {1894, 3517}, {1921, 3201}, {1961, 4127}, {824, 3808},  {658, 3839},  {1638, 4293}, {658, 4350},
    {759, 4287},  {964, 4638},  {1409, 4610}, {1730, 4780}, {1503, 6007}, {1731, 5885}, {2137, 5799}, {1447, 3768},
    {1711, 3928}, {1827, 3668}, {1410, 3971}, {1485, 3896}, {1815, 4103}, {1437, 4035}, {1329, 4174}, {1187, 4489},
    {721, 4345},  {1394, 4784}, {2013, 4909}, {2479, 4807}, {2145, 5736}, {1872, 4031}, {438, 3995},  {1807, 3236},
    {1178, 5020}, {1130, 4391}, {1176, 5127}, {1023, 4846}, {1244, 4434}, {1741, 4428}, {1818, 4844}, {1983, 4401},
    {2596, 4813}, {2374, 5751}, {799, 4421},  {1743, 4140}, {1816, 3318}, {1885, 3244}, {975, 4177},  {878, 4261},
    {1168, 5656}, {1691, 4732}, {2656, 4769}, {1811, 5863}, {1680, 3737}, {1767, 3771}, {1347, 4304}, {904, 4602},
    {1006, 4316}, {924, 4668},  {1034, 4283}, {973, 4874},  {1578, 4549}, {1245, 4511}, {2426, 5890}, {1586, 5768},
    {1675, 3816}, {1182, 3910}, {947, 4706},  {1385, 3762}, {1905, 3290}, {1035, 3878}, {978, 3942},  {1396, 3883},
    {1191, 4122}, {1816, 3792}, {908, 4732},  {1152, 4725}, {1254, 5248}, {2066, 4473}, {1706, 5196}, {1633, 4840},
    {1594, 4156}, {1661, 3874}, {1232, 3977}, {1238, 5077}, {1168, 5075}, {1534, 4727}, {1947, 4282}, {2008, 4983},
    {1970, 3098}, {1971, 3156}, {906, 4181},  {1129, 4757}, {1518, 4447}, {2026, 3647}, {1848, 3270}, {1624, 3918},
    {1762, 4016}, {1079, 4274}, {1001, 4789}, {1288, 5086}, {1315, 4799}, {1438, 4739}, {1474, 5249}, {1464, 4734},
    {1425, 4514}, {1436, 4404}, {2357, 5901}, {1208, 3842}, {949, 4584},  {1344, 4344}, {1445, 5235}, {1235, 4794},
    {1340, 4822}, {1147, 5229}, {1236, 4948}, {1776, 6068}, {1639, 4109}, {568, 3894},  {1182, 4401}, {1012, 4366},
    {1092, 5043}, {1086, 4906}, {1953, 4405}, {2530, 5934}, {1899, 4181}, {1954, 3311}, {1606, 3780}, {2613, 5660},
    {953, 4769},  {1050, 4405}, {1177, 4268}, {1204, 4950}, {1620, 4549}, {1989, 4307}, {1464, 4769}, {1657, 4531},
    {1947, 4486}, {1328, 5899}, {2075, 6111},
}};

// Offer kinds (derived weights: the 209 provisions of the Amsterdam poverty directory matched
// to the kinds of the bundled example by keyword; 1 where none matched). start_meeting is not
// drawn: every district gets one (A11).
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
  double weight;          // collective: relative frequency; provisions: residents per offer (A12)
};

using D = LifeDomain;
constexpr std::uint8_t adults = 0b011110, elderly = 0b110000, youth = 0b000011, parents = 0b001110;

const std::array<OfferTemplate, 15> collective_templates{{
    {"start_meeting",
     LadderLevel::collective,
     {{D::finances, .3},
      {D::work_education, .3},
      {D::time_use, .3},
      {D::social_network, .3},
      {D::social_participation, .3},
      {D::parenting, .3},
      {D::instrumental_adl, .3}},
     20,
     40,
     0,
     0,
     1,
     5,
     false,
     0,
     0,
     0},
    {"eating_club",
     LadderLevel::collective,
     {{D::social_network, .9}, {D::time_use, .6}, {D::physical_health, .3}},
     16,
     30,
     8,
     12,
     1,
     5,
     false,
     0,
     0,
     10},
    {"coffee_morning",
     LadderLevel::collective,
     {{D::social_network, .8}, {D::social_participation, .6}, {D::time_use, .4}},
     12,
     25,
     0,
     0,
     1,
     5,
     false,
     0,
     0,
     9},
    {"parenting_meetings",
     LadderLevel::collective,
     {{D::parenting, 1.0}, {D::domestic_relations, .5}},
     8,
     14,
     6,
     0,
     1,
     5,
     false,
     0,
     parents,
     5},
    {"debt_course",
     LadderLevel::collective,
     {{D::finances, 1.0}, {D::instrumental_adl, .4}},
     8,
     16,
     6,
     0,
     2,
     5,
     false,
     7,
     adults,
     8},
    {"bath_house",
     LadderLevel::collective,
     {{D::basic_adl, 1.0}, {D::physical_health, .4}, {D::social_network, .3}},
     6,
     12,
     0,
     2.5,
     1,
     5,
     false,
     0,
     0,
     1},
    {"peer_group",
     LadderLevel::collective,
     {{D::mental_health, .9}, {D::social_network, .5}},
     8,
     12,
     4,
     0,
     2,
     5,
     false,
     0,
     0,
     3},
    {"sports_buddies",
     LadderLevel::collective,
     {{D::physical_health, .8}, {D::time_use, .5}, {D::social_network, .5}},
     10,
     20,
     0,
     5,
     1,
     5,
     false,
     0,
     0,
     3},
    {"language_cafe",
     LadderLevel::collective,
     {{D::social_participation, .8}, {D::work_education, .6}},
     12,
     24,
     0,
     0,
     1,
     5,
     false,
     0,
     0,
     11},
    {"walking_group",
     LadderLevel::collective,
     {{D::physical_health, .6}, {D::social_network, .7}},
     10,
     18,
     0,
     0,
     1,
     5,
     false,
     0,
     elderly,
     1},
    {"homework_club",
     LadderLevel::collective,
     {{D::work_education, .9}, {D::parenting, .3}},
     12,
     20,
     0,
     0,
     1,
     5,
     false,
     0,
     youth,
     22},
    {"paperwork_help",
     LadderLevel::collective,
     {{D::finances, .8}, {D::instrumental_adl, .6}},
     15,
     30,
     0,
     0,
     1,
     5,
     false,
     0,
     0,
     16},
    {"job_club",
     LadderLevel::collective,
     {{D::work_education, .9}, {D::time_use, .5}, {D::social_participation, .4}},
     8,
     15,
     5,
     0,
     1,
     5,
     false,
     0,
     adults,
     24},
    {"womens_group",
     LadderLevel::collective,
     {{D::social_network, .8}, {D::domestic_relations, .4}, {D::social_participation, .5}},
     10,
     18,
     0,
     0,
     1,
     5,
     false,
     0,
     adults,
     3},
    {"repair_cafe",
     LadderLevel::collective,
     {{D::instrumental_adl, .7}, {D::social_network, .5}, {D::time_use, .4}},
     10,
     20,
     0,
     0,
     1,
     5,
     false,
     0,
     0,
     6},
}};
// Basic care and individual and specialist provisions; weight = residents per offer (A12).
const std::array<OfferTemplate, 7> provision_templates{{
    {"home_help",
     LadderLevel::individual,
     {{D::instrumental_adl, 1.0}, {D::basic_adl, .5}},
     20,
     40,
     0,
     480,
     1,
     3,
     true,
     21,
     0,
     15000},
    {"individual_coaching",
     LadderLevel::individual,
     {{D::mental_health, .7}, {D::time_use, .6}, {D::finances, .5}, {D::social_participation, .5}},
     15,
     30,
     0,
     950,
     1,
     3,
     true,
     28,
     0,
     15000},
    {"debt_restructuring",
     LadderLevel::individual,
     {{D::finances, 1.0}},
     15,
     30,
     0,
     600,
     1,
     3,
     true,
     35,
     adults,
     30000},
    {"day_care",
     LadderLevel::individual,
     {{D::time_use, .9}, {D::social_participation, .6}, {D::basic_adl, .3}},
     10,
     20,
     0,
     1100,
     1,
     3,
     true,
     42,
     0,
     20000},
    {"youth_support",
     LadderLevel::individual,
     {{D::parenting, 1.0}, {D::domestic_relations, .6}},
     10,
     20,
     0,
     1300,
     1,
     3,
     true,
     30,
     0,
     20000},
    {"specialist_mental_health",
     LadderLevel::specialist,
     {{D::mental_health, 1.0}, {D::substance_use, .7}, {D::justice, .3}},
     8,
     15,
     0,
     3500,
     1,
     3,
     true,
     70,
     0,
     40000},
    {"shelter",
     LadderLevel::specialist,
     {{D::housing, 1.0}, {D::domestic_relations, .8}},
     4,
     8,
     0,
     6700,
     1,
     2,
     true,
     14,
     0,
     80000},
}};
const OfferTemplate team_template{"team_short_support",
                                  LadderLevel::basic_care,
                                  {{D::finances, .6},
                                   {D::housing, .6},
                                   {D::domestic_relations, .6},
                                   {D::mental_health, .6},
                                   {D::time_use, .6},
                                   {D::social_network, .6},
                                   {D::parenting, .6},
                                   {D::instrumental_adl, .6}},
                                  30,
                                  60,
                                  0,
                                  150,
                                  1,
                                  5,
                                  false,
                                  7,
                                  0,
                                  0};

// ----------------------------------------------------------------------------- assumptions
// Each of these is an assumption, not derived from ../shared; docs/generator.md gives the
// reason and, where there is one, the public source.
constexpr double single_parent_share = 0.25;                     // A3 (also used by the derivation script)
constexpr double town_elderly_factor = 1.5;                      // A2: towns are older than the two cities
constexpr double town_second_language_factor = 0.5;              // A6
constexpr double only_home_language_45_plus = 0.25;              // A6: adults 45+ in such households without Dutch
constexpr double isolated_single = 0.25, isolated_other = 0.06;  // A9: almost no network
constexpr double family_tie_65_plus = 0.6;                       // A9: an adult child helps an older resident
constexpr double friend_local = 0.8;                             // A9: friends mostly in the same district
// A10: Wmo-type needs by age band (relative to 45-64): care use rises steeply with age.
constexpr std::array<double, age_band_count> wmo_age_factor{0.0, 0.3, 0.5, 1.0, 2.5, 7.0};
// A10: life domains of Wmo-type needs by age group (15-24, 25-64, 65+); youth-type needs go to
// a parent as parenting (70) or domestic_relations (30).
//                                                       fin  work time hous dom  ment phys subs badl iadl net  part
//                                                       just par
constexpr std::array<double, life_domain_count> domains_young{12, 20, 10, 8, 8, 16, 3, 8, 1, 3, 6, 4, 5, 0};
constexpr std::array<double, life_domain_count> domains_adult{20, 10, 6, 8, 6, 14, 7, 4, 2, 6, 9, 5, 3, 0};
constexpr std::array<double, life_domain_count> domains_older{5, 0, 8, 6, 2, 6, 16, 1, 14, 22, 16, 4, 0, 0};
// Youth care's share of all clients (derived: (youth care) / (Wmo + youth care), two cities).
constexpr double youth_share_of_needs = 0.251;
constexpr std::array<double, 5> severity_weights{4, 22, 46, 22, 6};  // A10: ZRM 1..5 of open needs

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
    for (int k = 0; k < sessions; ++k)
      o.schedule.insert(rng.below(day_count), static_cast<DayPart>(rng.below(day_part_count)));
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

// Appends municipality `index` (with `target` residents) to `m`; ids are offset by what `m`
// already holds. Nothing here depends on other municipalities.
void generate_into(const GenerateOptions& opt, int index, std::int64_t target, Model& m) {
  const auto gm = static_cast<std::uint64_t>(index) + 1;
  const std::string prefix = municipality_code(index) + "-";
  const auto base_household = static_cast<std::uint32_t>(m.households.size());
  const auto base_resident = static_cast<std::uint32_t>(m.residents.size());
  const auto base_offer = static_cast<std::uint32_t>(m.offers.size());
  const bool city = target >= city_threshold;
  const double town_factor =
      city ? 1.0 : std::clamp(std::sqrt(static_cast<double>(city_threshold) / static_cast<double>(target)), 1.0, 4.0);

  // --- Layout: neighbourhood sizes, districts, profiles, positions.
  Rng layout = Rng::stream(opt.seed, gm, phase_layout);
  const auto& size_table = city ? city_neighbourhood_size : town_neighbourhood_size;
  double mean_size = 0;
  for (int k = 0; k < 1000; ++k) mean_size += inverse_cdf(size_table, (k + 0.5) / 1000.0) / 1000.0;
  constexpr std::int64_t max_areas = 99 * 99;  // district and neighbourhood numbers are two digits
  const double scale = std::max(1.0, static_cast<double>(target) / mean_size / 9000.0);
  std::vector<Area> areas;
  for (std::int64_t left = target; left > 0;) {
    auto size = std::max<std::int64_t>(1, std::llround(inverse_cdf(size_table, layout.uniform()) * scale));
    if (size >= left || left - size < 50 || static_cast<std::int64_t>(areas.size()) + 1 == max_areas) size = left;
    Area a;
    a.residents = size;
    areas.push_back(std::move(a));
    left -= size;
  }
  // Districts: consecutive neighbourhoods, as many per district as the 2014 districts have.
  std::vector<std::pair<std::size_t, std::size_t>> districts;  // [first, end) into areas
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

  // --- Households and residents.
  Rng hh_rng = Rng::stream(opt.seed, gm, phase_households);
  std::vector<std::uint32_t> hh_first;  // local index of the first member of each local household
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
  const auto n_res = static_cast<std::uint32_t>(m.residents.size() - base_resident);
  const auto n_hh = static_cast<std::uint32_t>(hh_first.size());
  hh_first.push_back(n_res);  // sentinel: household h has members [hh_first[h], hh_first[h + 1])
  auto resident = [&](std::uint32_t local) -> Resident& { return m.residents[base_resident + local]; };
  auto household_of = [&](std::uint32_t local) { return resident(local).household.index() - base_household; };

  // --- Ties.
  Rng tie_rng = Rng::stream(opt.seed, gm, phase_ties);
  m.ties.reserve(m.ties.size() + static_cast<std::size_t>(n_res) * 3);
  auto rid = [&](std::uint32_t local) { return ResidentId(base_resident + local); };
  auto half_hours = [&](double hours) {
    return static_cast<double>(tie_rng.below(static_cast<std::uint64_t>(hours) + 1)) / 2.0;
  };
  // Household cliques: every member from 15 helps every other member.
  for (std::uint32_t h = 0; h < n_hh; ++h)
    for (std::uint32_t a = hh_first[h]; a < hh_first[h + 1]; ++a) {
      if (!adult(resident(a).age_band)) continue;
      for (std::uint32_t b = hh_first[h]; b < hh_first[h + 1]; ++b) {
        if (a == b) continue;
        Tie t{rid(a), rid(b), TieKind::household, 0.9, {}, static_cast<double>(tie_rng.between(4, 10)), 0.0};
        t.hours_used = half_hours(t.hours_per_week);
        t.domains.insert(LifeDomain::instrumental_adl);
        t.domains.insert(LifeDomain::social_network);
        if (older(resident(b).age_band)) t.domains.insert(LifeDomain::basic_adl);
        m.ties.push_back(t);
      }
    }
  // Who has almost no network (A9).
  std::vector<std::uint8_t> isolated(n_res, 0);
  for (std::uint32_t r = 0; r < n_res; ++r) {
    const auto h = household_of(r);
    const bool single = hh_first[h + 1] - hh_first[h] == 1;
    isolated[r] = adult(resident(r).age_band) && tie_rng.chance(single ? isolated_single : isolated_other);
  }
  auto adult_of_household = [&](std::uint32_t h) -> std::optional<std::uint32_t> {
    const std::uint32_t size = hh_first[h + 1] - hh_first[h];
    const std::uint32_t start = static_cast<std::uint32_t>(tie_rng.below(size));
    for (std::uint32_t k = 0; k < size; ++k) {
      const std::uint32_t r = hh_first[h] + (start + k) % size;
      if (adult(resident(r).age_band) && !isolated[r]) return r;
    }
    return std::nullopt;
  };
  auto informal_tie = [&](std::uint32_t helper, std::uint32_t helped, TieKind kind, double lo, double hi,
                          int max_hours) {
    Tie t{rid(helper), rid(helped),
          kind,        std::round((lo + (hi - lo) * tie_rng.uniform()) * 100) / 100,
          {},          static_cast<double>(tie_rng.between(1, max_hours)),
          0.0};
    t.hours_used = half_hours(t.hours_per_week);
    t.domains.insert(LifeDomain::social_network);
    t.domains.insert(tie_rng.chance(0.5) ? LifeDomain::instrumental_adl : LifeDomain::time_use);
    if (kind == TieKind::family && resident(helped).age_band == AgeBand::age_80_plus)
      t.domains.insert(LifeDomain::basic_adl);
    if (kind == TieKind::friend_ && tie_rng.chance(0.3)) t.domains.insert(LifeDomain::mental_health);
    m.ties.push_back(t);
  };
  // Neighbours: a household's next neighbours on the grid (the next one in its row and the one
  // in the next row). Only forward neighbours are chosen, so no pair is made twice.
  for (const Area& a : areas)
    for (std::uint32_t hl = 0; hl < a.households; ++hl) {
      const std::uint32_t h = a.first_household + hl;
      for (std::uint32_t r = hh_first[h]; r < hh_first[h + 1]; ++r) {
        if (!adult(resident(r).age_band) || isolated[r]) continue;
        const std::array<std::uint32_t, 2> offsets{1, 2 * a.grid_width - 1 - 2 * (hl % a.grid_width)};
        for (std::size_t k = 0; k < offsets.size(); ++k) {
          const std::uint32_t off = offsets[k];
          if ((k == 1 && off == offsets[0]) || hl + off >= a.households || !tie_rng.chance(0.45)) continue;
          const auto other = adult_of_household(h + off);
          if (!other) continue;
          informal_tie(*other, r, TieKind::neighbour, 0.3, 0.7, 3);
          if (tie_rng.chance(0.5)) informal_tie(r, *other, TieKind::neighbour, 0.3, 0.7, 3);
        }
      }
    }
  // Friends (small world): most in the same district, some anywhere in the municipality. A pair
  // is made once: a resident skips a friend who already chose them.
  std::vector<std::uint32_t> friend_of(n_res, n_res);
  for (std::uint32_t r = 0; r < n_res; ++r) {
    if (!adult(resident(r).age_band) || isolated[r] || !tie_rng.chance(0.7)) continue;
    std::uint32_t h;
    if (tie_rng.chance(friend_local)) {
      const Area& a = areas[static_cast<std::size_t>(
          std::upper_bound(areas.begin(), areas.end(), r,
                           [](std::uint32_t v, const Area& x) { return v < x.end_resident; }) -
          areas.begin())];
      const auto& [d_first, d_end] = districts[static_cast<std::size_t>(a.district)];
      const std::uint32_t lo = areas[d_first].first_household,
                          hi = areas[d_end - 1].first_household + areas[d_end - 1].households;
      h = lo + static_cast<std::uint32_t>(tie_rng.below(hi - lo));
    } else {
      h = static_cast<std::uint32_t>(tie_rng.below(n_hh));
    }
    const auto f = adult_of_household(h);
    if (!f || household_of(*f) == household_of(r) || friend_of[*f] == r) continue;
    friend_of[r] = *f;
    informal_tie(*f, r, TieKind::friend_, 0.4, 0.9, 4);
    if (tie_rng.chance(0.6)) informal_tie(r, *f, TieKind::friend_, 0.4, 0.9, 4);
  }
  // Family: an adult child elsewhere in the municipality helps an older resident.
  for (std::uint32_t r = 0; r < n_res; ++r) {
    if (!older(resident(r).age_band) || isolated[r] || !tie_rng.chance(family_tie_65_plus)) continue;
    for (int attempt = 0; attempt < 4; ++attempt) {
      const auto c = static_cast<std::uint32_t>(tie_rng.below(n_res));
      const AgeBand band = resident(c).age_band;
      if ((band != AgeBand::age_25_44 && band != AgeBand::age_45_64) || isolated[c] ||
          household_of(c) == household_of(r))
        continue;
      informal_tie(c, r, TieKind::family, 0.6, 1.0, 8);
      break;
    }
  }

  // --- Needs: the municipality's rate, spread over its neighbourhoods by their profile's Wmo
  // and youth-care rates, and within a neighbourhood by age (Wmo-type) or to the parents of
  // children (youth-type, weighted by the number of children).
  Rng need_rng = Rng::stream(opt.seed, gm, phase_needs);
  {
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

  // --- Offers: a start meeting per district, collective offers per thousand residents (more
  // where the Wmo rate is higher), a team's short support per district, and provisions per
  // so many residents of the municipality.
  Rng offer_rng = Rng::stream(opt.seed, gm, phase_offers);
  std::uint64_t offer_number = 0;
  auto offer_key = [&] { return numbered_key(prefix, 'O', ++offer_number); };
  {
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

  // --- Professionals, each working in one district (chosen by population).
  Rng pro_rng = Rng::stream(opt.seed, gm, phase_professionals);
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
      const Area& home = areas[static_cast<std::size_t>(
          std::upper_bound(areas.begin(), areas.end(), r,
                           [](std::uint32_t v, const Area& x) { return v < x.end_resident; }) -
          areas.begin())];
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

  // --- Attendance consistent with occupancy: a third of a collective offer's participants are
  // residents of its own neighbourhood.
  Rng attend_rng = Rng::stream(opt.seed, gm, phase_attendance);
  {
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
}

}  // namespace

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
  const auto sizes = plan_sizes(options);
  if (index < 0 || index >= options.municipalities) throw InvalidArgument("municipality index out of range");
  return sizes[static_cast<std::size_t>(index)];
}

Model generate_municipality(const GenerateOptions& options, int index) {
  const auto sizes = plan_sizes(options);
  if (index < 0 || index >= options.municipalities) throw InvalidArgument("municipality index out of range");
  Model m;
  generate_into(options, index, sizes[static_cast<std::size_t>(index)], m);
  m.rebuild_index();
  return m;
}

Model generate(const GenerateOptions& options) {
  const auto sizes = plan_sizes(options);
  Model m;
  for (std::size_t i = 0; i < sizes.size(); ++i) generate_into(options, static_cast<int>(i), sizes[i], m);
  m.rebuild_index();
  return m;
}

std::int64_t process_peak_rss_bytes() noexcept {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

GenerateReport generate_to_directory(const GenerateOptions& options, const std::filesystem::path& directory,
                                     ModelFileFormat format) {
  const auto start = std::chrono::steady_clock::now();
  const auto sizes = plan_sizes(options);
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec || !std::filesystem::is_directory(directory)) throw Error("cannot create directory " + directory.string());
  GenerateReport report;
  report.municipalities = options.municipalities;
  nlohmann::json manifest;
  manifest["format"] = "wijkmatch-generated-manifest";
  manifest["format_version"] = 1;
  manifest["options"] = {{"residents", options.residents},
                         {"seed", options.seed},
                         {"municipalities", options.municipalities},
                         {"needs_per_100", options.needs_per_100},
                         {"offers_per_1000", options.offers_per_1000},
                         {"professionals_per_10000", options.professionals_per_10000}};
  nlohmann::json& list = manifest["municipalities"] = nlohmann::json::array();
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    Model m;
    generate_into(options, static_cast<int>(i), sizes[i], m);
    const std::string code = municipality_code(static_cast<int>(i));
    nlohmann::json entry = {{"code", code},
                            {"residents", m.residents.size()},
                            {"households", m.households.size()},
                            {"ties", m.ties.size()},
                            {"needs", m.needs.size()},
                            {"offers", m.offers.size()},
                            {"professionals", m.professionals.size()}};
    nlohmann::json files = nlohmann::json::array();
    if (format == ModelFileFormat::json || format == ModelFileFormat::both) {
      const auto path = directory / (std::string(code) + ".json");
      save_model(m, path);
      report.files.push_back(path);
      files.push_back(path.filename().string());
    }
    if (format == ModelFileFormat::binary || format == ModelFileFormat::both) {
      const auto path = directory / (std::string(code) + ".wjm");
      save_model_binary(m, path);
      report.files.push_back(path);
      files.push_back(path.filename().string());
    }
    entry["files"] = std::move(files);
    list.push_back(std::move(entry));
    report.residents += static_cast<std::int64_t>(m.residents.size());
    report.households += static_cast<std::int64_t>(m.households.size());
    report.ties += static_cast<std::int64_t>(m.ties.size());
    report.needs += static_cast<std::int64_t>(m.needs.size());
    report.offers += static_cast<std::int64_t>(m.offers.size());
    report.professionals += static_cast<std::int64_t>(m.professionals.size());
  }
  manifest["totals"] = {{"residents", report.residents}, {"households", report.households},
                        {"ties", report.ties},           {"needs", report.needs},
                        {"offers", report.offers},       {"professionals", report.professionals}};
  const auto manifest_path = directory / "manifest.json";
  {
    const auto tmp = directory / "manifest.json.tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << manifest.dump(2) << "\n";
    out.close();
    if (!out) throw Error("cannot write " + tmp.string());
    std::filesystem::rename(tmp, manifest_path, ec);
    if (ec) throw Error("cannot write " + manifest_path.string());
  }
  report.files.push_back(manifest_path);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.peak_rss_bytes = process_peak_rss_bytes();
  return report;
}

}  // namespace wijkmatch
