// The generator's numbers: constants derived from real CBS figures by
// scripts/derive_generator_params.py (run once; the generator never reads ../shared) and the
// assumptions A<n> of docs/generator.md. Private to generate.cpp, which alone includes it.
#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "wijkmatch/domain.hpp"

namespace wijkmatch::generator {

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
// Format v1.1 (assumptions A15, A16 in docs/generator.md).
// Kinds of collective activity that residents run themselves in practice (eating clubs, coffee
// mornings, walking groups, repair cafes, ...); a debt course or parenting group is not.
inline constexpr std::array<std::string_view, 8> initiative_kinds{"eating_club",   "coffee_morning", "sports_buddies",
                                                                  "language_cafe", "walking_group",  "homework_club",
                                                                  "womens_group",  "repair_cafe"};
// Share of such activities run by residents, and the status of an initiative (idea, starting,
// running, paused, ended).
inline constexpr double initiative_share = 0.4;
inline constexpr std::array<double, 5> initiative_status_weights{0.03, 0.08, 0.80, 0.06, 0.03};
// Share of residents from 15 who offer help to neighbours, and the domains they offer.
inline constexpr double help_offer_share = 0.04;
inline constexpr std::array<LifeDomain, 8> help_domains{
    LifeDomain::instrumental_adl, LifeDomain::social_network, LifeDomain::time_use, LifeDomain::finances,
    LifeDomain::physical_health,  LifeDomain::parenting,      LifeDomain::housing,  LifeDomain::work_education};

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

}  // namespace wijkmatch::generator
