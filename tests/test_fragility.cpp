// Resident initiatives (format v1.1): the seats that volunteers carry (effective_seats) in the
// model, the ranking, allocation, the live engine and the summary, and the fragility of each
// initiative (fragility.hpp).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "wijkmatch/allocation.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/fragility.hpp"
#include "wijkmatch/io.hpp"
#include "wijkmatch/ranking.hpp"
#include "wijkmatch/summary.hpp"

using namespace wijkmatch;
using nlohmann::json;

namespace {

Model example() { return load_model(WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json"); }

// A collective offer of `seats` seats whose volunteers give `hours` (one per entry).
Offer volunteer_run(int seats, int occupancy, double hours_per_seat, std::initializer_list<double> hours) {
  Offer o;
  o.seats = seats;
  o.occupancy = occupancy;
  o.hours_per_seat = hours_per_seat;
  std::uint32_t r = 0;
  for (double h : hours) o.volunteers.push_back({ResidentId(r++), h});
  return o;
}

const Option* option_for(const Ranking& r, OfferId offer) {
  for (const auto& o : r.options)
    if (o.offer == offer) return &o;
  return nullptr;
}

bool has_reason(const Option& o, const std::string& text) {
  for (const auto& r : o.reasons)
    if (r == text) return true;
  return false;
}

std::string event(const std::string& id, const std::string& type, json fields) {
  fields["id"] = id;
  fields["type"] = type;
  fields["at"] = "2026-11-30";
  return fields.dump();
}

}  // namespace

TEST_CASE("effective seats: volunteer hours carry seats, and only a starting or running initiative has any",
          "[fragility][model]") {
  // Without hours_per_seat the seats do not depend on volunteers.
  CHECK(effective_seats(volunteer_run(12, 3, 0.0, {})) == 12);
  // 5 hours at 0.5 an hour a seat: 10 of 12 seats; never more than the seats.
  CHECK(effective_seats(volunteer_run(12, 3, 0.5, {3.0, 2.0})) == 10);
  CHECK(effective_seats(volunteer_run(12, 3, 0.5, {30.0})) == 12);
  CHECK(effective_seats(volunteer_run(12, 3, 0.5, {})) == 0);
  // Hours that divide exactly keep their last seat despite binary fractions (3 x 0.1 / 0.1).
  CHECK(effective_seats(volunteer_run(10, 0, 0.1, {0.1, 0.1, 0.1})) == 3);
  CHECK(effective_seats(volunteer_run(10, 0, 0.7, {2.1})) == 3);
  // Free seats may go below zero when volunteers leave under a full group: nobody is sent away.
  const Offer full = volunteer_run(12, 9, 1.0, {4.0, 2.0});
  CHECK(full.free_seats() == -3);
  // An initiative's status.
  Offer club = volunteer_run(12, 3, 0.5, {3.0, 2.0});
  club.organiser.kind = OrganiserKind::residents;
  club.organiser.residents = {ResidentId(0)};
  for (auto [status, seats] : {std::pair{InitiativeStatus::idea, 0}, std::pair{InitiativeStatus::starting, 10},
                               std::pair{InitiativeStatus::running, 10}, std::pair{InitiativeStatus::paused, 0},
                               std::pair{InitiativeStatus::ended, 0}}) {
    club.initiative = Initiative{status, std::nullopt};
    INFO(to_string(status));
    CHECK(effective_seats(club) == seats);
  }
}

TEST_CASE("seats drop when an initiative loses its volunteers: ranking, allocation and summary", "[fragility]") {
  const Model before = example();
  const OfferId club = *before.find_offer("eetclub-zambesi");
  const NeedId need = *before.find_need("N009");
  REQUIRE(before[club].seats == 24);
  REQUIRE(before[club].occupancy == 17);
  REQUIRE(before[club].volunteers.size() == 4);
  CHECK(effective_seats(before[club]) == 22);  // 11 hours at 0.5 an hour a seat

  // The two volunteers who do not organise it stop: 7 hours carry 14 seats, fewer than the 17
  // participants it has.
  Model after = before;
  after.offers[club.index()].volunteers.resize(2);
  REQUIRE(after.check().empty());  // occupancy is still within the seats
  CHECK(effective_seats(after[club]) == 14);
  CHECK(after[club].free_seats() == -3);

  // Ranking: from 5 free places to the waiting list, in plain words, with no capacity left.
  const Ranking r0 = rank(before, need, default_policy(), RankRequest::full()),
                r1 = rank(after, need, default_policy(), RankRequest::full());
  const Option* o0 = option_for(r0, club);
  const Option* o1 = option_for(r1, club);
  REQUIRE(o0);
  REQUIRE(o1);
  CHECK(o0->waiting_position == 0);
  CHECK(has_reason(*o0, "run by people from your neighbourhood"));
  CHECK(has_reason(*o0, "5 of 22 places free (its volunteers' hours carry 22 of its 24 places)"));
  CHECK(o1->waiting_position == 1);
  CHECK_FALSE(o1->acceptable);
  CHECK(has_reason(*o1, "full (its volunteers' hours carry 14 of its 24 places): first on the waiting list"));
  auto capacity = [](const Option& o) {
    for (const auto& c : o.contributions)
      if (c.feature == Feature::capacity) return c.value;
    return -1.0;
  };
  CHECK(capacity(*o0) == Approx(5.0 / 22.0));
  CHECK(capacity(*o1) == 0.0);

  // Allocation: the club's free places as a capacity, and in the result.
  auto club_capacity = [&](const Model& m) {
    for (const auto& res : allocation_candidates(m).resources)
      if (res.kind == ResourceKind::offer && res.index == club.index()) return res.capacity;
    return -1;
  };
  CHECK(club_capacity(before) == 5);
  CHECK(club_capacity(after) == 0);
  const auto a0 = allocate(before), a1 = allocate(after);
  CHECK(a0.offers[club.index()].free_before == 5);
  CHECK(a1.offers[club.index()].free_before == 0);
  CHECK(a1.offers[club.index()].assigned == 0);
  for (const auto& a : a1.assignments) CHECK(a.offer != club);

  // Summary: the collective seats that count, and the free ones.
  const auto s0 = summarize(before), s1 = summarize(after);
  const auto collective = static_cast<std::size_t>(LadderLevel::collective);
  CHECK(s0.by_level[collective].seats - s1.by_level[collective].seats == 8);
  CHECK(s0.by_level[collective].free_seats - s1.by_level[collective].free_seats == 5);
}

TEST_CASE("seats drop in the live engine when volunteers are gone", "[fragility][engine]") {
  Engine e(example());
  const Model& m = e.model();
  const OfferId club = *m.find_offer("eetclub-zambesi");
  const std::string c = m[m[club].volunteers[2].resident].key, d = m[m[club].volunteers[3].resident].key;
  // Own network first: the neighbour who offered help with N026's domain is declined before
  // the eating club may be proposed.
  e.apply(event("e0", "referral.propose", {{"referral", "ref0"}, {"need", "N026"}, {"option", "neighbour:R0095"}}));
  e.apply(event("e0b", "referral.decline", {{"referral", "ref0"}, {"reason", "not_interested"}}));
  e.apply(event("e1", "referral.propose", {{"referral", "ref1"}, {"need", "N026"}, {"option", "eetclub-zambesi"}}));
  e.apply(event("e2", "referral.offer", {{"referral", "ref1"}}));
  e.apply(event("e3", "resident.gone", {{"resident", c}, {"reason", "31"}}));
  e.apply(event("e4", "resident.gone", {{"resident", d}, {"reason", "31"}}));
  CHECK(m[club].volunteers.size() == 2);
  CHECK(effective_seats(m[club]) == 14);
  try {
    e.apply(event("e5", "referral.accept", {{"referral", "ref1"}}));
    FAIL("the place was held");
  } catch (const EventError& err) {
    CHECK(std::string(err.what()) ==
          "event e5: /referral: offer \"eetclub-zambesi\" has no free seat (17 of 14 taken; its volunteers' hours "
          "carry 14 of its 24 seats)");
  }
  // The live model passes the loader's check and writes the club without them.
  const Model live = e.current_model();
  CHECK(live.check().empty());
  CHECK(live[*live.find_offer("eetclub-zambesi")].volunteers.size() == 2);
  CHECK(parse_model(to_json(live)) == live);
}

TEST_CASE("an offer added live may name organisers and volunteers by key", "[fragility][engine]") {
  Engine e(example());
  const Model& m = e.model();
  json offer =
      json::parse(to_json(m))["offers"][static_cast<std::size_t>(m.find_offer("koffieochtend-tigris")->index())];
  const std::string organiser = offer["organiser"]["residents"][0];
  offer["key"] = "koffie-2";
  offer["occupancy"] = 0;
  e.apply(event("e1", "offer.add", {{"offer", offer}}));
  const Offer& added = m[*m.find_offer("koffie-2")];
  REQUIRE(added.organiser.residents.size() == 1);
  CHECK(m[added.organiser.residents[0]].key == organiser);
  CHECK(added.volunteers == m[*m.find_offer("koffieochtend-tigris")].volunteers);
  // Unknown and gone residents are refused where they are named.
  json unknown = offer;
  unknown["key"] = "koffie-3";
  unknown["volunteers"][1]["resident"] = "R9999";
  try {
    e.apply(event("e2", "offer.add", {{"offer", unknown}}));
    FAIL("accepted an unknown volunteer");
  } catch (const EventError& err) {
    CHECK(std::string(err.what()) == "event e2: /offer/volunteers/1/resident: unknown resident \"R9999\"");
  }
  e.apply(event("e3", "resident.gone", {{"resident", organiser}, {"reason", "31"}}));
  CHECK(m[*m.find_offer("koffie-2")].organiser.residents.empty());
  json gone = offer;
  gone["key"] = "koffie-4";
  try {
    e.apply(event("e4", "offer.add", {{"offer", gone}}));
    FAIL("accepted a gone organiser");
  } catch (const EventError& err) {
    CHECK(std::string(err.what()) == "event e4: /offer/organiser/residents/0: resident \"" + organiser + "\" is gone");
  }
}

TEST_CASE("fragility: what each initiative rests on, and the places at risk", "[fragility][summary]") {
  const Model m = example();
  const auto all = initiative_fragility(m);
  // Four initiatives, none ended, in offer order.
  REQUIRE(all.size() == 4);
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].offer < all[i].offer);
  auto find = [&](const std::vector<InitiativeFragility>& list, const std::string& key) -> const InitiativeFragility& {
    for (const auto& f : list)
      if (m[f.offer].key == key) return f;
    FAIL("no initiative " << key);
    return list.front();
  };
  auto of = [&](const std::string& key) -> const InitiativeFragility& { return find(all, key); };
  // The eating club: two organisers, four volunteers, enough hours: not at risk.
  const auto& club = of("eetclub-zambesi");
  CHECK(club.organisers == 2);
  CHECK(club.rests_on == 4);
  CHECK(club.volunteer_hours == 11.0);
  CHECK(club.hours_needed == 8.5);
  CHECK(club.effective_seats == 22);
  CHECK_FALSE(club.at_risk());
  // Its biggest volunteer (4 hours) stopping leaves 7 hours: 14 seats for 17 participants.
  CHECK(club.places_at_risk == 3);
  // The coffee morning rests on one organiser, who gives 16 hours there and 6 at the repair
  // cafe: overloaded, and all its participants lose their place when they stop.
  const auto& coffee = of("koffieochtend-tigris");
  CHECK(coffee.risks == std::vector{InitiativeRisk::one_organiser, InitiativeRisk::overloaded_volunteers});
  CHECK(coffee.overloaded_volunteers == 1);
  CHECK(coffee.places_at_risk == 9);
  // The repair cafe leans on that volunteer too: without their 6 hours, 4 of its 6 places.
  const auto& repair = of("repaircafe");
  CHECK(repair.status == InitiativeStatus::starting);
  CHECK(repair.risks == std::vector{InitiativeRisk::overloaded_volunteers});
  CHECK(repair.places_at_risk == 2);
  // The paused walking group has no places to lose, and is not short of hours for it.
  const auto& walk = of("wandelgroep-senioren");
  CHECK(walk.effective_seats == 0);
  CHECK(walk.places_over == 0);
  CHECK_FALSE(walk.at_risk());

  // A stricter policy overloads fewer hours; the summary lists what is at risk, by key.
  Policy strict = default_policy();
  strict.overloaded_helper_hours = 100.0;
  CHECK(find(initiative_fragility(m, strict), "repaircafe").risks.empty());
  const Summary s = summarize(m);
  REQUIRE(s.initiative_keys == std::vector<std::string>{"koffieochtend-tigris", "repaircafe"});
  CHECK(s.places_at_risk == 11);
  CHECK(s.initiatives_by_status[static_cast<std::size_t>(InitiativeStatus::running)] == 2);
  CHECK(s.residents_offering_help == 11);
  const json j = json::parse(to_json(s));
  CHECK(j["initiatives"]["at_risk"][0]["offer"] == "koffieochtend-tigris");
  CHECK(j["initiatives"]["at_risk"][0]["risks"] == json{"one_organiser", "overloaded_volunteers"});
  CHECK(to_text(s).find("koffieochtend-tigris: rests on 2 (1 organiser)") != std::string::npos);

  // Losing the last organiser: no organiser left, every carried place at risk; losing
  // volunteers so that the hours fall short: participants beyond what they carry.
  Model changed = m;
  Offer& walk_offer = changed.offers[changed.find_offer("wandelgroep-senioren")->index()];
  walk_offer.initiative->status = InitiativeStatus::running;
  walk_offer.organiser.residents.clear();
  walk_offer.volunteers.resize(1);  // 2 hours at 0.25: 8 seats for 7 participants
  Offer& club_offer = changed.offers[club.offer.index()];
  club_offer.volunteers.resize(2);
  const auto again = initiative_fragility(changed);
  const auto& walk2 = find(again, "wandelgroep-senioren");
  CHECK(walk2.risks == std::vector{InitiativeRisk::no_organiser});
  CHECK(walk2.places_at_risk == 7);
  const auto& club2 = find(again, "eetclub-zambesi");
  CHECK(club2.risks == std::vector{InitiativeRisk::hours_short});
  CHECK(club2.places_over == 3);
}
