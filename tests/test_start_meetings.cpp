// Start meetings: invitees, venues, feasibility of every plan (availability, distance,
// language, capacity, the week limits), the exact method against brute force, the heuristic's
// gap to the exact optimum, presenters, reasons for absence, determinism and the command line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/min_cost_flow.hpp"
#include "wijkmatch/start_meetings.hpp"

using namespace wijkmatch;

namespace {

const std::string example = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";
constexpr const char* north = "BU03440341";
constexpr const char* south = "BU03440342";
constexpr Location origin{136000, 459000};

Location at(double dx, double dy) { return {origin.x_m + dx, origin.y_m + dy}; }

// A neighbourhood built by hand: residents, venues and professionals where a test puts them.
struct Town {
  Model m;
  Town() {
    m.households = {{"H1", north}};
    m.professionals.push_back({"P1", {}, {"nl", "ar"}, {north}, 20, 0});
    m.professionals.push_back({"P2", {}, {"tr", "nl"}, {south}, 20, 0});
  }
  Resident& resident(std::string key, Location where, std::vector<std::string> languages = {"nl"},
                     double travel = 2000) {
    Resident r;
    r.key = std::move(key);
    r.household = HouseholdId(0);
    r.neighbourhood = north;
    r.location = where;
    r.languages = std::move(languages);
    r.max_travel_m = travel;
    m.residents.push_back(r);
    return m.residents.back();
  }
  void need(std::size_t resident, LifeDomain domain = LifeDomain::finances, int days_after = 0,
            NeedStatus status = NeedStatus::open) {
    Need n;
    n.key = "N" + std::to_string(m.needs.size() + 1);
    n.resident = ResidentId(static_cast<std::uint32_t>(resident));
    n.domain = domain;
    n.since = Date{std::chrono::year(2026) / 1 / 1} + std::chrono::days(days_after);
    n.status = status;
    m.needs.push_back(n);
  }
  Offer& offer(std::string key, Location where, const char* neighbourhood = north,
               LadderLevel level = LadderLevel::collective) {
    Offer o;
    o.key = std::move(key);
    o.kind = "coffee_morning";
    o.level = level;
    o.fit[static_cast<std::size_t>(LifeDomain::social_network)] = 0.5;
    o.seats = 20;
    o.location = where;
    o.neighbourhood = neighbourhood;
    o.languages = {"nl"};
    m.offers.push_back(o);
    return m.offers.back();
  }
  const Model& done() {
    m.rebuild_index();
    std::string problems;
    for (const auto& p : m.check()) problems += to_string(p) + "\n";
    INFO(problems);
    REQUIRE(problems.empty());
    return m;
  }
};

bool speaks(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const auto& l) { return std::find(b.begin(), b.end(), l) != b.end(); });
}

// Checks everything a plan promises, from the model's fields alone: each placed invitee is
// available at the meeting's day-part, within reach of the venue and speaks one of its
// languages; no meeting over capacity; at most M meetings a week and no day-part twice in a
// week; every invitee placed at most once or listed as absent with a reason that holds.
void check_feasible(const Model& m, const StartMeetingOptions& o, const StartMeetingPlan& plan) {
  std::map<ResidentId, int> placed;
  std::map<int, std::set<std::size_t>> slots_in_week;
  std::map<int, int> per_week;
  int coming = 0;
  for (const StartMeeting& meeting : plan.meetings) {
    REQUIRE(meeting.week >= 1);
    REQUIRE(meeting.week <= o.weeks);
    const std::size_t slot = meeting.day * day_part_count + static_cast<std::size_t>(meeting.part);
    CHECK(slots_in_week[meeting.week].insert(slot).second);
    CHECK(++per_week[meeting.week] <= o.per_week);
    CHECK((o.slots.bits >> slot & 1U) == 1U);
    CHECK(meeting.invitees.size() <= static_cast<std::size_t>(o.capacity));
    const StartMeetingVenue& venue = plan.venues.at(meeting.venue);
    for (ResidentId r : meeting.invitees) {
      const Resident& res = m[r];
      CHECK(res.availability.contains(meeting.day, meeting.part));
      CHECK(distance_m(res.location, venue.location) <= res.max_travel_m);
      CHECK(speaks(res.languages, venue.languages));
      CHECK(++placed[r] == 1);
      ++coming;
    }
    CHECK(std::is_sorted(meeting.invitees.begin(), meeting.invitees.end()));
  }
  CHECK(coming == plan.coming);
  CHECK(plan.coming <= plan.upper_bound);
  CHECK(plan.coming <= plan.reachable);
  CHECK(plan.absent.size() + placed.size() == plan.invitees.size());
  for (const StartMeetingAbsence& a : plan.absent) {
    CHECK(placed.count(a.resident) == 0);
    const Resident& r = m[a.resident];
    // Does any venue at any allowed day-part fit, and which of the chosen meetings fit how far?
    bool any = false;
    for (const auto& v : plan.venues)
      any = any || ((r.availability.bits & o.slots.bits) != 0 && distance_m(r.location, v.location) <= r.max_travel_m &&
                    speaks(r.languages, v.languages));
    CHECK(a.reachable == any);
    if (a.reason == AbsenceReason::capacity) {
      bool full_fit = false;
      for (const StartMeeting& meeting : plan.meetings) {
        const auto& v = plan.venues[meeting.venue];
        if (r.availability.contains(meeting.day, meeting.part) &&
            distance_m(r.location, v.location) <= r.max_travel_m && speaks(r.languages, v.languages))
          full_fit = meeting.invitees.size() == static_cast<std::size_t>(o.capacity);
        if (full_fit) break;
      }
      CHECK(full_fit);
    }
    if (!a.reachable && a.reason == AbsenceReason::availability) CHECK((r.availability.bits & o.slots.bits) == 0);
    if (!a.reachable && a.reason == AbsenceReason::distance)
      for (const auto& v : plan.venues) CHECK(distance_m(r.location, v.location) > r.max_travel_m);
  }
}

// The optimum by brute force: every multiset of (day-part, venue) within the limits, each
// scored by a maximum assignment from MinCostFlow (not the planner's augmenting paths).
int brute_force(const Model& m, const StartMeetingOptions& o) {
  const auto invitees = start_meeting_invitees(m, o);
  // Venues recomputed here: distinct locations of collective offers, "nl" plus the languages
  // of professionals working in the neighbourhood.
  std::vector<std::pair<Location, std::vector<std::string>>> venues;
  for (const Offer& offer : m.offers) {
    if (offer.level != LadderLevel::collective) continue;
    if (std::any_of(venues.begin(), venues.end(), [&](const auto& v) { return v.first == offer.location; })) continue;
    std::vector<std::string> languages{"nl"};
    for (const auto& p : m.professionals)
      if (std::find(p.work_area.begin(), p.work_area.end(), offer.neighbourhood) != p.work_area.end())
        languages.insert(languages.end(), p.languages.begin(), p.languages.end());
    venues.emplace_back(offer.location, languages);
  }
  struct Candidate {
    std::size_t slot;
    std::vector<std::size_t> fits;
  };
  std::vector<Candidate> candidates;
  for (std::size_t s = 0; s < day_count * day_part_count; ++s) {
    if (!(o.slots.bits >> s & 1U)) continue;
    for (const auto& [where, languages] : venues) {
      Candidate c{s, {}};
      for (std::size_t k = 0; k < invitees.size(); ++k) {
        const Resident& r = m[invitees[k]];
        if ((r.availability.bits >> s & 1U) && distance_m(r.location, where) <= r.max_travel_m &&
            speaks(r.languages, languages))
          c.fits.push_back(k);
      }
      if (!c.fits.empty()) candidates.push_back(c);  // an empty meeting changes nothing
    }
  }
  auto value = [&](const std::vector<std::size_t>& chosen) {
    const auto n = static_cast<MinCostFlow::NodeIndex>(invitees.size());
    MinCostFlow net(n + static_cast<MinCostFlow::NodeIndex>(chosen.size()) + 1);
    const MinCostFlow::NodeIndex sink = net.node_count() - 1;
    for (MinCostFlow::NodeIndex k = 0; k < n; ++k) {
      net.set_supply(k, 1);
      net.add_arc(k, sink, 0, 1, 1);  // not placed: costs 1
    }
    for (std::size_t j = 0; j < chosen.size(); ++j) {
      const auto node = n + static_cast<MinCostFlow::NodeIndex>(j);
      for (std::size_t k : candidates[chosen[j]].fits)
        net.add_arc(static_cast<MinCostFlow::NodeIndex>(k), node, 0, 1, 0);
      net.add_arc(node, sink, 0, o.capacity, 0);
    }
    net.set_supply(sink, -n);
    REQUIRE(net.solve() == MinCostFlow::Status::optimal);
    return static_cast<int>(n - net.optimal_cost());
  };
  int best = 0;
  std::vector<std::size_t> chosen;
  std::array<int, day_count * day_part_count> used{};
  const int budget = o.weeks * o.per_week;
  auto walk = [&](auto&& self, std::size_t from) -> void {
    best = std::max(best, value(chosen));
    if (static_cast<int>(chosen.size()) == budget) return;
    for (std::size_t c = from; c < candidates.size(); ++c) {
      if (used[candidates[c].slot] == o.weeks) continue;
      ++used[candidates[c].slot];
      chosen.push_back(c);
      self(self, c);
      chosen.pop_back();
      --used[candidates[c].slot];
    }
  };
  walk(walk, 0);
  return best;
}

// A tiny random town: 5-9 residents, 2-3 venues in two neighbourhoods (one pair sharing a
// location), four allowed day-parts.
struct TinyCase {
  Model model;
  StartMeetingOptions options;
};
TinyCase tiny_case(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  Town t;
  const std::vector<std::vector<std::string>> tongues{{"nl"}, {"ar"}, {"tr"}, {"nl", "ar"}, {"pl"}};
  const std::array<std::size_t, 4> slots{0, 4, 8, 14};  // mon morning, tue afternoon, wed evening, fri evening
  const unsigned residents = 5 + pick(5);
  for (unsigned k = 0; k < residents; ++k) {
    // One draw per statement: the order of evaluation of arguments differs between compilers.
    const double x = pick(2000), y = pick(2000);
    const auto& languages = tongues[pick(5)];
    const double travel = 300.0 + pick(1800);
    Resident& r = t.resident("R" + std::to_string(k), at(x, y), languages, travel);
    for (std::size_t s : slots)
      if (pick(3) == 0) r.availability.bits |= 1U << s;
    t.need(k, static_cast<LifeDomain>(pick(14)));
  }
  const unsigned offers = 2 + pick(2);
  for (unsigned v = 0; v < offers; ++v) {
    const double x = pick(2000), y = pick(2000);
    t.offer("O" + std::to_string(v), at(x, y), v % 2 ? south : north);
  }
  t.offer("Oshared", t.m.offers[0].location);  // same place as O0: one venue
  TinyCase c{t.done(), {}};
  c.options.weeks = 1 + static_cast<int>(pick(2));
  c.options.per_week = 1 + static_cast<int>(pick(2));
  c.options.capacity = 1 + static_cast<int>(pick(4));
  c.options.slots = {};
  for (std::size_t s : slots) c.options.slots.bits |= 1U << s;
  return c;
}

Model generated(std::int64_t residents, std::uint64_t seed) {
  GenerateOptions g;
  g.residents = residents;
  g.seed = seed;
  return generate(g);
}

using wijkmatch::testing::run_cli;

}  // namespace

TEST_CASE("invitees: open needs by default, since a date, in the last days, and named residents", "[start_meetings]") {
  Town t;
  for (int k = 0; k < 5; ++k) t.resident("R" + std::to_string(k), at(0, 0));
  t.need(0, LifeDomain::finances, 0);
  t.need(1, LifeDomain::finances, 30);
  t.need(2, LifeDomain::housing, 60);
  t.need(3, LifeDomain::housing, 90, NeedStatus::in_progress);  // not a new question
  const Model& m = t.done();
  auto keys = [&](const StartMeetingOptions& o) {
    std::vector<std::string> out;
    for (ResidentId r : start_meeting_invitees(m, o)) out.push_back(m[r].key);
    return out;
  };
  StartMeetingOptions o;
  CHECK(keys(o) == std::vector<std::string>{"R0", "R1", "R2"});
  o.since = Date{std::chrono::year(2026) / 1 / 31};
  CHECK(keys(o) == std::vector<std::string>{"R1", "R2"});
  o.since.reset();
  o.last_days = 30;  // before the latest need date in the model, 2026-03-31 (the in-progress one)
  CHECK(keys(o) == std::vector<std::string>{"R2"});
  o.today = Date{std::chrono::year(2026) / 3 / 1};
  CHECK(keys(o) == std::vector<std::string>{"R1", "R2"});  // since 2026-01-30
  o.since = Date{std::chrono::year(2026) / 3 / 1};         // the later date wins
  CHECK(keys(o) == std::vector<std::string>{"R2"});
  o.residents = {ResidentId(4)};  // a new resident without a need
  CHECK(keys(o) == std::vector<std::string>{"R2", "R4"});
  o.since.reset();
  o.last_days.reset();
  CHECK(keys(o) == std::vector<std::string>{"R4"});  // only the named, when that is all that is given
}

TEST_CASE("venues: collective offers' distinct places, languages of the team working there", "[start_meetings]") {
  Town t;
  t.resident("R1", at(0, 0));
  t.offer("north-a", at(0, 0));
  t.offer("north-b", at(0, 0));  // the same building: one venue, named after the first
  t.offer("south", at(900, 0), south);
  t.offer("coaching", at(400, 0), north, LadderLevel::individual);  // not a venue by default
  Offer& elsewhere = t.offer("elsewhere", at(50, 50), "BU03440311");
  elsewhere.languages = {"nl", "so"};
  const Model& m = t.done();
  const auto venues = start_meeting_venues(m);
  REQUIRE(venues.size() == 3);
  CHECK(m[venues[0].offer].key == "north-a");
  CHECK(venues[0].languages == std::vector<std::string>{"nl", "ar"});
  CHECK(m[venues[1].offer].key == "south");
  CHECK(venues[1].languages == std::vector<std::string>{"nl", "tr"});
  CHECK(venues[1].neighbourhood == south);
  CHECK(venues[2].languages == std::vector<std::string>{"nl"});  // nobody of the team works there
  StartMeetingOptions o;
  o.venues = {OfferId(3), OfferId(1)};
  const auto chosen = start_meeting_venues(m, o);
  REQUIRE(chosen.size() == 2);
  CHECK(m[chosen[0].offer].key == "north-b");
  CHECK(m[chosen[1].offer].key == "coaching");
}

TEST_CASE("every placed invitee can come, and no meeting or week exceeds its limits", "[start_meetings]") {
  const Model example_model = load_any(example);
  struct Setting {
    int weeks, capacity, per_week;
  };
  for (const Setting s : {Setting{4, 8, 1}, Setting{2, 20, 1}, Setting{3, 6, 3}, Setting{1, 40, 3}, Setting{6, 2, 2}}) {
    for (auto method : {StartMeetingMethod::heuristic, StartMeetingMethod::automatic}) {
      StartMeetingOptions o;
      o.weeks = s.weeks;
      o.capacity = s.capacity;
      o.per_week = s.per_week;
      o.method = method;
      INFO("weeks " << s.weeks << " capacity " << s.capacity << " per week " << s.per_week << " " << to_string(method));
      const auto plan = plan_start_meetings(example_model, o);
      check_feasible(example_model, o, plan);
      CHECK(plan.invitees.size() == 42);  // every resident with an open need in the example
    }
  }
  for (std::uint64_t seed : {3, 11}) {
    const Model m = generated(2500, seed);
    StartMeetingOptions o;
    o.weeks = 3;
    o.capacity = 9;
    o.per_week = 2;
    o.slots = {};
    for (std::size_t day = 0; day < 5; ++day)  // weekdays only
      for (auto part : {DayPart::morning, DayPart::afternoon}) o.slots.insert(day, part);
    const auto plan = plan_start_meetings(m, o);
    INFO("seed " << seed);
    check_feasible(m, o, plan);
    CHECK(plan.coming > 0);
  }
}

TEST_CASE("the exact method equals brute force on tiny towns", "[start_meetings]") {
  int nontrivial = 0;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    TinyCase c = tiny_case(seed);
    c.options.method = StartMeetingMethod::exact;
    const auto plan = plan_start_meetings(c.model, c.options);
    const int optimum = brute_force(c.model, c.options);
    INFO("seed " << seed);
    CHECK(plan.optimal);
    CHECK(plan.method == StartMeetingMethod::exact);
    CHECK(plan.coming == optimum);
    CHECK(plan.upper_bound == optimum);
    check_feasible(c.model, c.options, plan);
    c.options.method = StartMeetingMethod::heuristic;
    const auto heuristic = plan_start_meetings(c.model, c.options);
    CHECK(heuristic.coming <= optimum);
    CHECK(2 * heuristic.coming >= optimum);  // the greedy's guarantee under the matroid
    nontrivial += optimum > 0 && optimum < static_cast<int>(plan.invitees.size());
  }
  CHECK(nontrivial >= 20);  // most cases have to choose
}

TEST_CASE("local search and the exact method repair a greedy choice", "[start_meetings]") {
  // Three day-parts at one venue: Monday suits R1..R4, Tuesday R1, R2, R5, Wednesday R3, R4, R6.
  // Greedy takes Monday (4) and then one more (5); Tuesday and Wednesday reach all 6.
  Town t;
  t.offer("hall", at(0, 0));
  const std::vector<std::vector<std::size_t>> days{{0, 1}, {0, 1}, {0, 2}, {0, 2}, {1}, {2}};
  for (std::size_t k = 0; k < days.size(); ++k) {
    Resident& r = t.resident("R" + std::to_string(k + 1), at(10.0 * static_cast<double>(k), 0));
    for (std::size_t d : days[k]) r.availability.insert(d, DayPart::morning);
    t.need(k);
  }
  const Model& m = t.done();
  StartMeetingOptions o;
  o.weeks = 2;
  o.capacity = 10;
  o.method = StartMeetingMethod::heuristic;
  o.local_search = false;
  CHECK(plan_start_meetings(m, o).coming == 5);
  o.local_search = true;
  const auto swapped = plan_start_meetings(m, o);
  CHECK(swapped.coming == 6);
  CHECK(swapped.optimal);  // it reaches the bound: everyone
  o.local_search = false;
  o.method = StartMeetingMethod::exact;
  const auto exact = plan_start_meetings(m, o);
  CHECK(exact.coming == 6);
  REQUIRE(exact.meetings.size() == 2);
  CHECK(exact.meetings[0].day + exact.meetings[1].day == 1 + 2);  // Tuesday and Wednesday
}

TEST_CASE("heuristic gap to the exact optimum on generated neighbourhoods", "[start_meetings]") {
  // Settings where seats are not the limit, so the choice of day-parts and venues decides.
  struct Setting {
    int weeks, capacity, per_week;
  };
  int cases = 0, exact_total = 0, heuristic_total = 0, greedy_total = 0, worst_gap_milli = 0;
  for (std::uint64_t seed : {1, 2, 3, 4, 5, 6, 7, 8}) {
    const Model m = generated(1500, seed);
    for (const Setting s :
         {Setting{1, 30, 3}, Setting{2, 20, 2}, Setting{1, 60, 2}, Setting{1, 15, 4}, Setting{3, 10, 1}}) {
      StartMeetingOptions o;
      o.weeks = s.weeks;
      o.capacity = s.capacity;
      o.per_week = s.per_week;
      o.presenters = 0;
      o.method = StartMeetingMethod::exact;
      const auto exact = plan_start_meetings(m, o);
      REQUIRE(exact.optimal);
      o.method = StartMeetingMethod::heuristic;
      const auto heuristic = plan_start_meetings(m, o);
      o.local_search = false;
      const auto greedy = plan_start_meetings(m, o);
      INFO("seed " << seed << " weeks " << s.weeks << " capacity " << s.capacity << " per week " << s.per_week);
      CHECK(heuristic.coming <= exact.coming);
      CHECK(greedy.coming <= heuristic.coming);
      ++cases;
      exact_total += exact.coming;
      heuristic_total += heuristic.coming;
      greedy_total += greedy.coming;
      if (exact.coming > 0)
        worst_gap_milli = std::max(worst_gap_milli, 1000 * (exact.coming - heuristic.coming) / exact.coming);
    }
  }
  WARN("start meetings, " << cases << " cases: exact " << exact_total << ", heuristic " << heuristic_total
                          << ", greedy alone " << greedy_total << ", worst heuristic gap " << worst_gap_milli
                          << " per mille");
  // Measured (docs/groups.md): 1766 of 1770 in all, the worst case 48 of 49. The greedy's
  // guarantee alone would allow half.
  CHECK(worst_gap_milli <= 25);
  CHECK(1000 * (exact_total - heuristic_total) <= 5 * exact_total);
  CHECK(greedy_total < heuristic_total);  // the swaps and restarts do find more
}

TEST_CASE("presenters cover the invitees' needs by domain, place, day-part and language", "[start_meetings]") {
  Town t;
  t.offer("hall", at(0, 0)).kind = "start_meeting";  // a venue, never a presenter
  t.m.offers[0].fit[static_cast<std::size_t>(LifeDomain::finances)] = 1.0;
  auto presenter = [&](std::string key, Location where, LifeDomain domain, double fit) -> Offer& {
    Offer& o = t.offer(std::move(key), where);
    o.fit = {};
    o.fit[static_cast<std::size_t>(domain)] = fit;
    o.schedule.insert(0, DayPart::evening);
    return o;
  };
  presenter("debt-course", at(100, 0), LifeDomain::finances, 0.9);
  presenter("debt-course-far", at(5000, 0), LifeDomain::finances, 1.0);  // beyond everyone's reach
  presenter("parenting", at(200, 0), LifeDomain::parenting, 0.8);
  Offer& arabic = presenter("arabic-housing", at(150, 0), LifeDomain::housing, 0.7);
  arabic.languages = {"ar"};
  presenter("housing-daytime", at(120, 0), LifeDomain::housing, 0.9).schedule = {};
  t.m.offers.back().schedule.insert(2, DayPart::morning);  // nobody is available then
  for (int k = 0; k < 4; ++k) {
    Resident& r = t.resident("R" + std::to_string(k), at(10.0 * k, 0), {"nl"}, 1000);
    r.availability.insert(0, DayPart::evening);
    t.need(static_cast<std::size_t>(k), k < 3 ? LifeDomain::finances : LifeDomain::parenting);
  }
  t.need(0, LifeDomain::housing);  // R0 speaks no Arabic: arabic-housing cannot serve it
  const Model& m = t.done();
  StartMeetingOptions o;
  o.weeks = 1;
  o.capacity = 10;
  o.presenters = 3;
  const auto plan = plan_start_meetings(m, o);
  REQUIRE(plan.meetings.size() == 1);
  const StartMeeting& meeting = plan.meetings[0];
  CHECK(meeting.invitees.size() == 4);
  CHECK(meeting.needs == 5);
  std::vector<std::string> keys;
  for (const auto& p : meeting.presenters) keys.push_back(m[p.offer].key);
  CHECK(keys == std::vector<std::string>{"debt-course", "parenting"});  // nothing else covers a need
  CHECK(meeting.presenters[0].needs_covered == 3);
  CHECK(meeting.presenters[1].needs_covered == 1);
  CHECK(meeting.presenters[0].weight == Approx(2.7));
  CHECK(meeting.needs_covered == 4);
}

TEST_CASE("absent invitees get the reason that keeps them away", "[start_meetings]") {
  Town t;
  t.offer("hall", at(0, 0));
  Resident& busy = t.resident("busy", at(0, 0));  // never available
  (void)busy;
  t.resident("far", at(8000, 0), {"nl"}, 1000).availability.insert(0, DayPart::morning);
  t.resident("somali", at(10, 0), {"so"}).availability.insert(0, DayPart::morning);
  t.resident("tuesday", at(20, 0)).availability.insert(1, DayPart::morning);
  for (int k = 0; k < 3; ++k)
    t.resident("monday" + std::to_string(k), at(30, 0)).availability.insert(0, DayPart::morning);
  for (std::size_t k = 0; k < 7; ++k) t.need(k);
  const Model& m = t.done();
  StartMeetingOptions o;
  o.weeks = 1;
  o.capacity = 2;
  const auto plan = plan_start_meetings(m, o);
  check_feasible(m, o, plan);
  REQUIRE(plan.meetings.size() == 1);
  CHECK(plan.meetings[0].day == 0);
  CHECK(plan.coming == 2);
  std::map<std::string, StartMeetingAbsence> why;
  for (const auto& a : plan.absent) why[m[a.resident].key] = a;
  REQUIRE(why.size() == 5);
  CHECK(why["busy"].reason == AbsenceReason::availability);
  CHECK_FALSE(why["busy"].reachable);
  CHECK(why["far"].reason == AbsenceReason::distance);
  CHECK_FALSE(why["far"].reachable);
  CHECK(why["somali"].reason == AbsenceReason::language);
  CHECK_FALSE(why["somali"].reachable);
  CHECK(why["tuesday"].reason == AbsenceReason::availability);  // the meeting held is on Monday
  CHECK(why["tuesday"].reachable);
  const int full = static_cast<int>(std::count_if(plan.absent.begin(), plan.absent.end(), [](const auto& a) {
    return a.reason == AbsenceReason::capacity && a.reachable;
  }));
  CHECK(full == 1);  // three on Monday, two places
}

TEST_CASE("plans are deterministic and the JSON names keys only", "[start_meetings]") {
  const Model m = generated(2000, 5);
  StartMeetingOptions o;
  o.weeks = 2;
  o.capacity = 15;
  o.per_week = 2;
  const auto a = plan_start_meetings(m, o);
  const auto b = plan_start_meetings(m, o);
  CHECK(a == b);
  const std::string json = start_meetings_to_json(m, a);
  CHECK(json == start_meetings_to_json(m, b));
  const auto doc = nlohmann::json::parse(json);
  CHECK(doc["coming"] == a.coming);
  CHECK(doc["invited"] == a.invitees.size());
  REQUIRE(doc["meetings"].size() == a.meetings.size());
  for (std::size_t j = 0; j < a.meetings.size(); ++j) {
    const auto& meeting = doc["meetings"][j];
    CHECK(meeting["invitees"].size() == a.meetings[j].invitees.size());
    for (const auto& key : meeting["invitees"]) CHECK(m.find_resident(key.get<std::string>()).has_value());
    CHECK(m.find_offer(meeting["venue"].get<std::string>()).has_value());
    CHECK(meeting["week"].get<int>() == a.meetings[j].week);
  }
  CHECK(doc["absent"].size() == a.absent.size());
  const std::string text = start_meetings_to_text(m, a);
  CHECK(text.starts_with("Start meetings: " + std::to_string(a.coming) + " of "));
}

TEST_CASE("options out of range and unknown ids are refused", "[start_meetings]") {
  const Model m = load_any(example);
  auto refused = [&](auto change) {
    StartMeetingOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.weeks = 0; })), InvalidArgument);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.capacity = 0; })), InvalidArgument);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.per_week = 22; })), InvalidArgument);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.presenters = -1; })), InvalidArgument);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.last_days = -1; })), InvalidArgument);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.slots.bits = 1U << 21; })), InvalidArgument);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.residents = {ResidentId(9999)}; })), OutOfRange);
  CHECK_THROWS_AS(plan_start_meetings(m, refused([](auto& o) { o.venues = {OfferId(999)}; })), OutOfRange);
  // The exact method refuses to pass off a heuristic plan when its work runs out.
  StartMeetingOptions tight;
  tight.weeks = 1;
  tight.per_week = 3;
  tight.capacity = 40;
  tight.method = StartMeetingMethod::exact;
  tight.exact_work_limit = 1;
  CHECK_THROWS_AS(plan_start_meetings(m, tight), Error);
  tight.method = StartMeetingMethod::automatic;
  const auto fallback = plan_start_meetings(m, tight);
  CHECK_FALSE(fallback.optimal);
  CHECK(fallback.method == StartMeetingMethod::heuristic);
  CHECK(fallback.upper_bound > fallback.coming);
  CHECK(fallback.notes.size() == 1);
}

TEST_CASE("plan-start-meetings on the command line", "[start_meetings][cli]") {
  auto r = run_cli({"plan-start-meetings", example, "--weeks", "4", "--capacity", "8", "--json"});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["meetings"].size() == 4);
  CHECK(doc["coming"] == 32);
  CHECK(doc["optimal"] == true);
  r = run_cli({"plan-start-meetings", example, "--weeks", "2", "--capacity", "10", "--since", "2026-11-01",
               "--resident", "R0001", "--presenters", "2", "--venue", "start-samen-welkom"});
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with("Start meetings: "));
  CHECK(r.out.find("at start-samen-welkom") != std::string::npos);
  CHECK(r.out.find("R0001") != std::string::npos);
  r = run_cli({"plan-start-meetings", example, "--capacity", "8"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("wijkmatch plan-start-meetings: missing --weeks N"));
  r = run_cli({"plan-start-meetings", example, "--weeks", "4", "--capacity", "8", "--since", "2026-02-30"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("wijkmatch plan-start-meetings: --since needs a date YYYY-MM-DD"));
  r = run_cli({"plan-start-meetings", example, "--weeks", "4", "--capacity", "8", "--resident", "R9999"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("wijkmatch plan-start-meetings: --resident: no resident with key R9999"));
  r = run_cli({"plan-start-meetings", example, "--weeks", "4", "--capacity", "8", "--method", "best"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--method must be auto, exact or heuristic") != std::string::npos);
}
