// Start meetings on a model: invitees, venues, the instance the solver works on, the
// assignment (min-cost flow), presenting offers, reasons for absence, and the output.
// The formulation and the algorithms are described at the top of start_meetings.hpp.
#include "wijkmatch/start_meetings.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spatial_grid.hpp"
#include "start_meetings_solver.hpp"
#include "wijkmatch/min_cost_flow.hpp"

namespace wijkmatch {
namespace {

constexpr std::size_t slot_count = day_count * day_part_count;
// Offers of this kind are start meetings themselves (the generator's "Samen Welkom" per
// district, the bundled example's start-samen-welkom): a venue, never a presenter.
constexpr std::string_view start_meeting_kind = "start_meeting";

std::size_t slot_day(std::size_t s) { return s / day_part_count; }
DayPart slot_part(std::size_t s) { return static_cast<DayPart>(s % day_part_count); }

// Calls fn(id) for the ids of `grid` (holding ids 0..count-1 at cells of `cell_m`) within the
// square of `radius` around `at`, or for all of them when that square covers more cells than
// there are ids (a resident who travels 100 km would otherwise visit 40,000 cells).
template <class Fn>
void near(const detail::SpatialGrid& grid, double cell_m, std::size_t count, Location at, double radius, Fn&& fn) {
  const double side = 2.0 * radius / cell_m + 2.0;
  if (side * side > static_cast<double>(count)) {
    for (std::size_t id = 0; id < count; ++id) fn(static_cast<std::uint32_t>(id));
  } else {
    grid.query(at, radius, fn);
  }
}

constexpr double grid_cell_m = 1000.0;

bool shares_language(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}

void check_options(const Model& m, const StartMeetingOptions& o) {
  auto range = [](int v, int lo, int hi, const char* name) {
    if (v < lo || v > hi)
      throw InvalidArgument(std::string(name) + " must be from " + std::to_string(lo) + " to " + std::to_string(hi));
  };
  range(o.weeks, 1, 52, "weeks");
  range(o.capacity, 1, 10000, "capacity");
  range(o.per_week, 1, static_cast<int>(slot_count), "per_week");
  range(o.presenters, 0, 50, "presenters");
  if (o.last_days) range(*o.last_days, 0, 36500, "last_days");
  if (o.exact_work_limit < 1) throw InvalidArgument("exact_work_limit must be at least 1");
  if ((o.slots.bits >> slot_count) != 0) throw InvalidArgument("slots holds a day-part past Sunday evening");
  if (o.method != StartMeetingMethod::automatic && o.method != StartMeetingMethod::exact &&
      o.method != StartMeetingMethod::heuristic)
    throw InvalidArgument("method must be auto, exact or heuristic");
  for (ResidentId r : o.residents)
    if (!r.valid() || r.index() >= m.residents.size())
      throw OutOfRange("residents: no resident with index " + std::to_string(r.index()));
  for (OfferId v : o.venues)
    if (!v.valid() || v.index() >= m.offers.size())
      throw OutOfRange("venues: no offer with index " + std::to_string(v.index()));
}

// The model turned into the solver's instance, with what the output needs to map back.
struct Instance {
  std::vector<ResidentId> invitees;
  std::vector<StartMeetingVenue> venues;
  detail::MeetingInstance problem;
  std::vector<std::uint32_t> venue_of;  // per candidate
  std::vector<std::uint8_t> allowed;    // per invitee: some allowed day-part in its availability
  std::vector<std::uint8_t> in_reach;   // per invitee: some venue within its travel distance
  std::vector<std::uint8_t> fits;       // per invitee: some candidate meeting fits it
};

Instance build(const Model& m, const StartMeetingOptions& o) {
  Instance x;
  x.invitees = start_meeting_invitees(m, o);
  x.venues = start_meeting_venues(m, o);
  const std::size_t n = x.invitees.size(), nv = x.venues.size();
  detail::SpatialGrid grid(grid_cell_m);
  for (std::size_t v = 0; v < nv; ++v) grid.insert(x.venues[v].location, static_cast<std::uint32_t>(v));

  // Pass 1: the venues each invitee can come to (in reach, a shared language), as a CSR.
  std::vector<std::uint32_t> first{0}, venue_list;
  x.allowed.assign(n, 0);
  x.in_reach.assign(n, 0);
  x.fits.assign(n, 0);
  std::vector<std::uint32_t> found;
  for (std::size_t k = 0; k < n; ++k) {
    const Resident& r = m[x.invitees[k]];
    x.allowed[k] = (r.availability.bits & o.slots.bits) != 0;
    found.clear();
    near(grid, grid_cell_m, nv, r.location, r.max_travel_m, [&](std::uint32_t v) {
      if (distance_m(r.location, x.venues[v].location) <= r.max_travel_m) found.push_back(v);
    });
    std::sort(found.begin(), found.end());
    x.in_reach[k] = !found.empty();
    for (std::uint32_t v : found)
      if (shares_language(r.languages, x.venues[v].languages)) venue_list.push_back(v);
    first.push_back(static_cast<std::uint32_t>(venue_list.size()));
    x.fits[k] = x.allowed[k] && first[k + 1] > first[k];
  }

  // Pass 2: candidates (day-part, venue) in day-part-major order, and their invitees.
  std::vector<std::uint32_t> count(slot_count * nv, 0);
  auto for_each_fit = [&](std::size_t k, auto&& fn) {
    const std::uint32_t bits = m[x.invitees[k]].availability.bits & o.slots.bits;
    for (std::size_t s = 0; s < slot_count; ++s)
      if (bits >> s & 1U)
        for (std::uint32_t e = first[k]; e < first[k + 1]; ++e) fn(s * nv + venue_list[e]);
  };
  for (std::size_t k = 0; k < n; ++k) for_each_fit(k, [&](std::size_t d) { ++count[d]; });
  std::vector<std::uint32_t> candidate_of(count.size(), 0);
  auto& p = x.problem;
  p.invitees = static_cast<std::uint32_t>(n);
  p.capacity = o.capacity;
  p.budget = o.weeks * o.per_week;
  p.per_slot = o.weeks;
  p.first.push_back(0);
  for (std::size_t d = 0; d < count.size(); ++d) {
    if (count[d] == 0) continue;
    candidate_of[d] = p.candidates();
    p.slot.push_back(static_cast<std::uint8_t>(d / nv));
    x.venue_of.push_back(static_cast<std::uint32_t>(d % nv));
    p.first.push_back(p.first.back() + count[d]);
  }
  p.members.resize(p.first.back());
  std::vector<std::uint32_t> fill(p.first.begin(), p.first.end() - 1);
  for (std::size_t k = 0; k < n; ++k)
    for_each_fit(k, [&](std::size_t d) { p.members[fill[candidate_of[d]]++] = static_cast<std::uint32_t>(k); });
  return x;
}

// The chosen meetings' invitees with the least total travel among maximum assignments: a
// min-cost flow where leaving an invitee out costs more than all travel together.
std::vector<std::vector<std::uint32_t>> assign(const Model& m, const Instance& x,
                                               const std::vector<std::uint32_t>& chosen,
                                               std::vector<long long>& travel) {
  const auto& p = x.problem;
  const auto meetings = static_cast<MinCostFlow::NodeIndex>(chosen.size());
  std::vector<MinCostFlow::NodeIndex> node(p.invitees, -1);
  MinCostFlow net(meetings);
  long long longest = 0;
  std::vector<std::uint32_t> local;
  for (std::uint32_t t : chosen)
    for (std::uint32_t e = p.first[t]; e < p.first[t + 1]; ++e) {
      const std::uint32_t k = p.members[e];
      if (node[k] < 0) {
        node[k] = net.add_node();
        local.push_back(k);
      }
    }
  const MinCostFlow::NodeIndex sink = net.add_node();
  std::vector<MinCostFlow::ArcIndex> arc_first;
  std::vector<std::pair<std::uint32_t, long long>> arc_info;  // (invitee, metres) per invitee arc
  for (MinCostFlow::NodeIndex j = 0; j < meetings; ++j) {
    const std::uint32_t t = chosen[static_cast<std::size_t>(j)];
    const Location at = x.venues[x.venue_of[t]].location;
    for (std::uint32_t e = p.first[t]; e < p.first[t + 1]; ++e) {
      const std::uint32_t k = p.members[e];
      const long long metres = std::llround(distance_m(m[x.invitees[k]].location, at));
      longest = std::max(longest, metres);
      net.add_arc(node[k], j, 0, 1, metres);
      arc_info.emplace_back(k, metres);
    }
  }
  const auto arcs_to_meetings = static_cast<MinCostFlow::ArcIndex>(arc_info.size());
  const long long left_out = static_cast<long long>(local.size()) * (longest + 1) + 1;
  for (std::uint32_t k : local) {
    net.add_arc(node[k], sink, 0, 1, left_out);
    net.set_supply(node[k], 1);
  }
  for (MinCostFlow::NodeIndex j = 0; j < meetings; ++j) net.add_arc(j, sink, 0, p.capacity, 0);
  net.set_supply(sink, -static_cast<MinCostFlow::FlowQuantity>(local.size()));
  if (net.solve() != MinCostFlow::Status::optimal)
    throw Error("internal error: the start meetings' assignment has no optimal flow");
  std::vector<std::vector<std::uint32_t>> invitees(chosen.size());
  travel.assign(chosen.size(), 0);
  for (MinCostFlow::ArcIndex a = 0; a < arcs_to_meetings; ++a)
    if (net.flow(a) > 0) {
      const auto j = static_cast<std::size_t>(net.head(a));
      invitees[j].push_back(arc_info[static_cast<std::size_t>(a)].first);
      travel[j] += arc_info[static_cast<std::size_t>(a)].second;
    }
  for (auto& list : invitees) std::sort(list.begin(), list.end());
  return invitees;
}

// Greedy weighted maximum coverage of the invitees' open needs by k offers: an offer covers a
// need with its fit for the need's domain when it serves that domain, the resident can reach
// it, its sessions meet the resident's availability (or it works by appointment), they share a
// language and the resident is eligible by age band and severity. Each need counts with the
// best fit among the chosen offers; equal gains go to the offer nearest the venue, then to the
// lowest index.
// `presenters` are the offers that may present; `grid` holds their positions in that list.
void choose_presenters(const Model& m, const StartMeetingOptions& o, const std::vector<std::uint32_t>& presenters,
                       const detail::SpatialGrid& grid, const std::vector<std::vector<NeedId>>& needs_of,
                       const StartMeetingVenue& venue, StartMeeting& meeting) {
  struct Item {
    const Resident* resident;
    const Need* need;
  };
  std::vector<Item> items;
  double reach = 0.0;
  for (ResidentId r : meeting.invitees) {
    reach = std::max(reach, m[r].max_travel_m);
    for (NeedId n : needs_of[r.index()]) items.push_back({&m[r], &m[n]});
  }
  meeting.needs = static_cast<int>(items.size());
  if (o.presenters == 0 || items.empty()) return;
  // An invitee reaches the venue within its radius and an offer within the same radius, so
  // every offer that can cover a need lies within twice the largest radius of the venue.
  std::vector<std::uint32_t> pool;
  near(grid, grid_cell_m, presenters.size(), venue.location, 2 * reach,
       [&](std::uint32_t k) { pool.push_back(presenters[k]); });
  std::sort(pool.begin(), pool.end());
  std::vector<double> weight(pool.size() * items.size(), 0.0);
  for (std::size_t a = 0; a < pool.size(); ++a) {
    const Offer& offer = m.offers[pool[a]];
    for (std::size_t b = 0; b < items.size(); ++b) {
      const Resident& r = *items[b].resident;
      const Need& n = *items[b].need;
      if (!offer.serves(n.domain)) continue;
      if (distance_m(r.location, offer.location) > r.max_travel_m) continue;
      if (!offer.schedule.empty() && !offer.schedule.overlaps(r.availability)) continue;
      if (!offer.languages.empty() && !shares_language(r.languages, offer.languages)) continue;
      const auto& e = offer.eligibility;
      if (!e.age_bands.empty() && !e.age_bands.contains(r.age_band)) continue;
      if (n.severity < e.severity_min || n.severity > e.severity_max) continue;
      weight[a * items.size() + b] = offer.fit[static_cast<std::size_t>(n.domain)];
    }
  }
  std::vector<double> best(items.size(), 0.0);
  std::vector<char> taken(pool.size(), 0);
  for (int round = 0; round < o.presenters; ++round) {
    std::size_t pick = pool.size();
    double pick_gain = 0.0, pick_distance = 0.0;
    for (std::size_t a = 0; a < pool.size(); ++a) {
      if (taken[a]) continue;
      double gain = 0.0;
      for (std::size_t b = 0; b < items.size(); ++b) gain += std::max(0.0, weight[a * items.size() + b] - best[b]);
      const double d = distance_m(venue.location, m.offers[pool[a]].location);
      if (gain > pick_gain + 1e-12 ||
          (pick < pool.size() && std::abs(gain - pick_gain) <= 1e-12 && d < pick_distance)) {
        pick = a;
        pick_gain = gain;
        pick_distance = d;
      }
    }
    if (pick == pool.size()) break;
    taken[pick] = 1;
    PresentingOffer chosen{OfferId(pool[pick]), 0, pick_gain};
    for (std::size_t b = 0; b < items.size(); ++b) {
      const double w = weight[pick * items.size() + b];
      if (w > 0.0 && best[b] == 0.0) ++chosen.needs_covered;
      best[b] = std::max(best[b], w);
    }
    meeting.presenters.push_back(chosen);
  }
  meeting.needs_covered = static_cast<int>(std::count_if(best.begin(), best.end(), [](double w) { return w > 0.0; }));
}

// Meetings are held only in allowed day-parts, so the chosen ones need no check against them.
StartMeetingAbsence absence(const Model& m, const Instance& x, std::size_t k,
                            const std::vector<std::uint32_t>& chosen) {
  StartMeetingAbsence a;
  a.resident = x.invitees[k];
  a.reachable = x.fits[k] != 0;
  if (!a.reachable) {
    a.reason = !x.allowed[k]    ? AbsenceReason::availability
               : !x.in_reach[k] ? AbsenceReason::distance
                                : AbsenceReason::language;
    return a;
  }
  const Resident& r = m[a.resident];
  bool slot = false, reach = false, language = false;
  for (std::uint32_t t : chosen) {
    const std::uint8_t s = x.problem.slot[t];
    if (!((r.availability.bits >> s) & 1U)) continue;
    slot = true;
    const StartMeetingVenue& v = x.venues[x.venue_of[t]];
    if (distance_m(r.location, v.location) > r.max_travel_m) continue;
    reach = true;
    if (shares_language(r.languages, v.languages)) language = true;
  }
  a.reason = !slot       ? AbsenceReason::availability
             : !reach    ? AbsenceReason::distance
             : !language ? AbsenceReason::language
                         : AbsenceReason::capacity;
  return a;
}

std::string reason_text(const StartMeetingAbsence& a) {
  const char* scope = a.reachable ? "the meetings held" : "any meeting";
  switch (a.reason) {
    case AbsenceReason::availability: return std::string("no day-part of ") + scope + " is in their availability";
    case AbsenceReason::distance: return std::string("no venue of ") + scope + " is within their travel distance";
    case AbsenceReason::language: return std::string(scope) + " in reach is held in no language they speak";
    case AbsenceReason::capacity: return "the meetings they could come to are full";
  }
  return {};
}

double rounded(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

std::string_view to_string(StartMeetingMethod m) noexcept {
  switch (m) {
    case StartMeetingMethod::automatic: return "auto";
    case StartMeetingMethod::exact: return "exact";
    case StartMeetingMethod::heuristic: return "heuristic";
  }
  return "?";
}

std::optional<StartMeetingMethod> parse_start_meeting_method(std::string_view s) noexcept {
  for (auto m : {StartMeetingMethod::automatic, StartMeetingMethod::exact, StartMeetingMethod::heuristic})
    if (s == to_string(m)) return m;
  return std::nullopt;
}

std::string_view to_string(AbsenceReason r) noexcept {
  switch (r) {
    case AbsenceReason::availability: return "availability";
    case AbsenceReason::distance: return "distance";
    case AbsenceReason::language: return "language";
    case AbsenceReason::capacity: return "capacity";
  }
  return "?";
}

std::vector<ResidentId> start_meeting_invitees(const Model& m, const StartMeetingOptions& o) {
  check_options(m, o);
  std::vector<char> invited(m.residents.size(), 0);
  const bool by_date = o.since || o.last_days;
  if (!by_date && o.residents.empty()) {
    for (const Need& n : m.needs)
      if (n.status == NeedStatus::open) invited[n.resident.index()] = 1;
  } else {
    if (by_date) {
      Date cutoff = Date::min();
      if (o.since) cutoff = *o.since;
      if (o.last_days) {
        Date today = Date{};
        if (o.today) {
          today = *o.today;
        } else {
          for (const Need& n : m.needs) today = std::max(today, n.since);
        }
        cutoff = std::max(cutoff, today - std::chrono::days(*o.last_days));
      }
      for (const Need& n : m.needs)
        if (n.status == NeedStatus::open && n.since >= cutoff) invited[n.resident.index()] = 1;
    }
    for (ResidentId r : o.residents) invited[r.index()] = 1;
  }
  std::vector<ResidentId> out;
  for (std::size_t r = 0; r < invited.size(); ++r)
    if (invited[r]) out.emplace_back(static_cast<std::uint32_t>(r));
  return out;
}

std::vector<StartMeetingVenue> start_meeting_venues(const Model& m, const StartMeetingOptions& o) {
  check_options(m, o);
  std::vector<OfferId> offers = o.venues;
  if (offers.empty())
    for (std::size_t i = 0; i < m.offers.size(); ++i)
      if (m.offers[i].level == LadderLevel::collective) offers.emplace_back(static_cast<std::uint32_t>(i));
  std::sort(offers.begin(), offers.end());
  std::vector<StartMeetingVenue> venues;
  for (OfferId id : offers) {
    const Offer& offer = m[id];
    if (std::any_of(venues.begin(), venues.end(), [&](const auto& v) { return v.location == offer.location; }))
      continue;
    StartMeetingVenue v{offer.location, id, offer.neighbourhood, {}};
    for (const Professional& p : m.professionals)
      if (std::find(p.work_area.begin(), p.work_area.end(), offer.neighbourhood) != p.work_area.end())
        v.languages.insert(v.languages.end(), p.languages.begin(), p.languages.end());
    std::sort(v.languages.begin(), v.languages.end());
    v.languages.erase(std::unique(v.languages.begin(), v.languages.end()), v.languages.end());
    std::erase(v.languages, std::string("nl"));
    v.languages.insert(v.languages.begin(), "nl");
    venues.push_back(std::move(v));
  }
  return venues;
}

StartMeetingPlan plan_start_meetings(const Model& m, const StartMeetingOptions& o) {
  check_options(m, o);
  Instance x = build(m, o);
  const auto& p = x.problem;
  StartMeetingPlan plan;
  plan.weeks = o.weeks;
  plan.capacity = o.capacity;
  plan.per_week = o.per_week;
  plan.invitees = x.invitees;
  plan.venues = x.venues;
  plan.candidates = p.candidates();
  plan.reachable = static_cast<int>(std::count(x.fits.begin(), x.fits.end(), 1));

  detail::MeetingChoice choice = detail::solve_greedy(p, o.local_search, o.exact_work_limit);
  plan.method = StartMeetingMethod::heuristic;
  if (o.method != StartMeetingMethod::heuristic && !choice.optimal) {
    choice = detail::solve_exact(p, choice, o.exact_work_limit);
    if (!choice.search_complete && !choice.optimal) {
      if (o.method == StartMeetingMethod::exact)
        throw Error("plan_start_meetings: the exact search reached its work limit of " +
                    std::to_string(o.exact_work_limit) + " scanned edges; use the heuristic or raise the limit");
      plan.notes.push_back("the exact search stopped at its work limit (" + std::to_string(o.exact_work_limit) +
                           " scanned edges): the plan is the best found, the optimum is at most " +
                           std::to_string(choice.upper_bound));
    } else {
      plan.method = StartMeetingMethod::exact;
    }
  } else if (o.method != StartMeetingMethod::heuristic) {
    plan.method = StartMeetingMethod::exact;  // the heuristic reached the bound: nothing to search
  }
  plan.optimal = choice.optimal;
  plan.upper_bound = choice.upper_bound;
  plan.search_nodes = choice.nodes;
  plan.work = choice.work;

  std::vector<long long> travel;
  const auto invitees_of = assign(m, x, choice.chosen, travel);
  std::vector<char> placed(x.invitees.size(), 0);
  for (std::size_t j = 0; j < choice.chosen.size(); ++j) {
    const std::uint32_t t = choice.chosen[j];
    StartMeeting meeting;
    // Sorted by day-part, the meetings of one day-part are consecutive and at most N, so
    // dealing them out over the weeks in turn puts no day-part twice in a week and at most
    // ceil(|S| / N) <= M meetings in any week.
    meeting.week = static_cast<int>(j % static_cast<std::size_t>(o.weeks)) + 1;
    meeting.day = slot_day(p.slot[t]);
    meeting.part = slot_part(p.slot[t]);
    meeting.venue = x.venue_of[t];
    meeting.travel_m = travel[j];
    for (std::uint32_t k : invitees_of[j]) {
      meeting.invitees.push_back(x.invitees[k]);
      placed[k] = 1;
    }
    plan.coming += static_cast<int>(meeting.invitees.size());
    plan.meetings.push_back(std::move(meeting));
  }
  if (plan.coming != choice.value)
    throw Error("internal error: the start meetings' assignment (" + std::to_string(plan.coming) +
                ") differs from the search (" + std::to_string(choice.value) + ")");
  std::stable_sort(plan.meetings.begin(), plan.meetings.end(), [](const StartMeeting& a, const StartMeeting& b) {
    return std::tie(a.week, a.day, a.part, a.venue) < std::tie(b.week, b.day, b.part, b.venue);
  });

  // Presenters: collective offers that are not start meetings themselves.
  std::vector<std::uint32_t> presenters;
  detail::SpatialGrid grid(grid_cell_m);
  for (std::size_t i = 0; i < m.offers.size(); ++i)
    if (m.offers[i].level == LadderLevel::collective && m.offers[i].kind != start_meeting_kind) {
      grid.insert(m.offers[i].location, static_cast<std::uint32_t>(presenters.size()));
      presenters.push_back(static_cast<std::uint32_t>(i));
    }
  std::vector<std::vector<NeedId>> needs_of(m.residents.size());
  for (std::size_t i = 0; i < m.needs.size(); ++i)
    if (m.needs[i].status == NeedStatus::open)
      needs_of[m.needs[i].resident.index()].emplace_back(static_cast<std::uint32_t>(i));
  for (StartMeeting& meeting : plan.meetings)
    choose_presenters(m, o, presenters, grid, needs_of, x.venues[meeting.venue], meeting);

  for (std::size_t k = 0; k < x.invitees.size(); ++k)
    if (!placed[k]) plan.absent.push_back(absence(m, x, k, choice.chosen));
  if (x.invitees.empty()) plan.notes.push_back("nobody to invite: no resident matches the options");
  if (x.venues.empty()) plan.notes.push_back("no venue: the model has no collective offer and no venue was given");
  return plan;
}

std::string start_meetings_to_json(const Model& m, const StartMeetingPlan& plan, int indent) {
  using J = nlohmann::ordered_json;
  J j;
  j["weeks"] = plan.weeks;
  j["capacity"] = plan.capacity;
  j["per_week"] = plan.per_week;
  j["method"] = std::string(to_string(plan.method));
  j["optimal"] = plan.optimal;
  j["invited"] = plan.invitees.size();
  j["coming"] = plan.coming;
  j["reachable"] = plan.reachable;
  j["upper_bound"] = plan.upper_bound;
  j["candidates"] = plan.candidates;
  j["search_nodes"] = plan.search_nodes;
  j["work"] = plan.work;
  auto& meetings = j["meetings"] = J::array();
  for (const StartMeeting& meeting : plan.meetings) {
    const StartMeetingVenue& v = plan.venues.at(meeting.venue);
    J invitees = J::array();
    for (ResidentId r : meeting.invitees) invitees.push_back(m[r].key);
    J presenters = J::array();
    for (const PresentingOffer& pr : meeting.presenters)
      presenters.push_back(
          {{"offer", m[pr.offer].key}, {"needs_covered", pr.needs_covered}, {"weight", rounded(pr.weight)}});
    meetings.push_back({{"week", meeting.week},
                        {"day", std::string(day_name(meeting.day))},
                        {"day_part", std::string(to_string(meeting.part))},
                        {"venue", m[v.offer].key},
                        {"neighbourhood", v.neighbourhood},
                        {"location", {{"x", v.location.x_m}, {"y", v.location.y_m}}},
                        {"languages", v.languages},
                        {"invitees", std::move(invitees)},
                        {"travel_m", meeting.travel_m},
                        {"needs", meeting.needs},
                        {"needs_covered", meeting.needs_covered},
                        {"presenters", std::move(presenters)}});
  }
  auto& absent = j["absent"] = J::array();
  std::array<int, 4> by_reason{};
  for (const StartMeetingAbsence& a : plan.absent) {
    ++by_reason[static_cast<std::size_t>(a.reason)];
    absent.push_back(
        {{"resident", m[a.resident].key}, {"reason", std::string(to_string(a.reason))}, {"reachable", a.reachable}});
  }
  J counts = J::object();
  for (std::size_t r = 0; r < by_reason.size(); ++r)
    counts[std::string(to_string(static_cast<AbsenceReason>(r)))] = by_reason[r];
  j["absent_by_reason"] = std::move(counts);
  j["notes"] = plan.notes;
  return j.dump(indent) + "\n";
}

std::string start_meetings_to_text(const Model& m, const StartMeetingPlan& plan) {
  std::ostringstream out;
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  out << "Start meetings: " << plan.coming << " of " << count(plan.invitees.size(), "invitee", "invitees")
      << " can come, in " << count(plan.meetings.size(), "meeting", "meetings") << " over "
      << count(static_cast<std::size_t>(plan.weeks), "week", "weeks") << " (capacity " << plan.capacity << ", at most "
      << plan.per_week << " a week)\n";
  out << "  method " << to_string(plan.method) << ", " << (plan.optimal ? "optimal" : "not proven optimal")
      << " (bound " << plan.upper_bound << "); " << plan.reachable << " invitees fit some meeting; " << plan.candidates
      << " candidate meetings\n";
  for (const auto& note : plan.notes) out << "  note: " << note << "\n";
  int week = 0;
  for (const StartMeeting& meeting : plan.meetings) {
    if (meeting.week != week) {
      week = meeting.week;
      out << "\nWeek " << week << "\n";
    }
    const StartMeetingVenue& v = plan.venues.at(meeting.venue);
    out << "  " << day_name(meeting.day) << " " << to_string(meeting.part) << " at " << m[v.offer].key << " ("
        << v.neighbourhood << ";";
    for (const auto& l : v.languages) out << " " << l;
    out << "): " << meeting.invitees.size() << " invitees, " << meeting.travel_m << " m travel in all\n";
    out << "    invitees:";
    for (ResidentId r : meeting.invitees) out << " " << m[r].key;
    out << "\n    presenting:";
    if (meeting.presenters.empty()) out << " none";
    for (std::size_t i = 0; i < meeting.presenters.size(); ++i)
      out << (i ? ", " : " ") << m[meeting.presenters[i].offer].key << " (" << meeting.presenters[i].needs_covered
          << (meeting.presenters[i].needs_covered == 1 ? " need)" : " needs)");
    out << "; " << meeting.needs_covered << " of " << meeting.needs << " needs covered\n";
  }
  out << "\nCannot come: " << plan.absent.size() << "\n";
  for (const StartMeetingAbsence& a : plan.absent)
    out << "  " << m[a.resident].key << "  " << to_string(a.reason) << "  " << reason_text(a) << "\n";
  return out.str();
}

}  // namespace wijkmatch
