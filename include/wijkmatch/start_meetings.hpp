// Start meetings ("Samen Welkom", Utrecht Overvecht): residents with a new question, and new
// residents, are invited to a meeting where organisations of the social base present what they
// offer; the resident then chooses where the question fits. This plans such meetings: when and
// where to hold them so that as many invitees as possible can come, who goes to which, and
// which offers present at each.
//
// THE PROBLEM (docs/groups.md, "Start meetings")
//   Invitees I: residents with an open need since a date (or in the last N days), plus new
//   residents the caller names; with neither, every resident with an open need.
//   Venues V: the distinct locations of the collective offers (or of the offers the caller
//   names). A venue's languages: "nl" plus the languages of the professionals who work in its
//   neighbourhood (they can interpret).
//   Candidate meetings T = day-parts x V (21 day-parts a week, or the allowed ones). Invitee i
//   can come to t = (day-part d, venue v), i in F(t), when d is in i's availability, v lies within
//   i's travel distance and i speaks one of v's languages.
//   Choose a multiset S of candidates, at most M per week over N weeks with no day-part twice
//   in a week (so at most N meetings per day-part and N * M in all), and assign every invitee
//   to at most one chosen meeting it can come to, at most C invitees per meeting, so that the
//   number of invitees assigned is maximal:
//       maximise f(S) = max b-matching between I and S   s.t.  |S| <= N M,  |S_d| <= N  (each d).
//   f is monotone submodular (the rank function of a transversal matroid with capacities), and
//   the problem generalises maximum coverage, so it is NP-hard; it is a capacitated maximum
//   coverage / facility location problem under a partition-matroid constraint.
//   A week plan follows from S: meetings sorted by day-part, the j-th in week (j mod N) + 1.
//   Among assignments of the same size the one with the least total travel is taken (exact
//   min-cost flow on the chosen meetings).
//
// ALGORITHMS
//   heuristic: lazy greedy on exact marginal gains f(S + t) - f(S) (incremental augmenting
//     paths), which is within 1/2 of the optimum under the matroid (Fisher, Nemhauser, Wolsey
//     1978); then first-improvement swaps (drop one meeting, add another), pruned by
//     f(S - s) + min(C, |F(t)|) <= f(S); then the same from greedy runs that start with the 2nd
//     to 8th best single meetings, while the work limit lasts. Measured gap to the exact
//     optimum: the test "heuristic gap" and docs/groups.md.
//   exact: depth-first branch and bound over multisets in one canonical order, started from the
//     heuristic's solution. Candidates dominated within their day-part (F(t) within F(t')) are
//     removed first. Bound at a node: f(S) plus the best r = N M - |S| marginal gains that the
//     day-part limits admit (valid by submodularity; gains evaluated lazily), and where that
//     does not prune, a Lagrangian bound (each invitee's "at most once" relaxed with a
//     multiplier, subgradient steps). A candidate with gain 0 is left out of the whole subtree.
//     Global bound: min(N M C, invitees that fit any candidate).
//   automatic: the heuristic, then the exact search within `exact_work_limit`; the plan says
//     whether optimality was proven and gives the bound.
//
// COMPLEXITY
//   Building F: O(|I| (venues within reach) (day-parts)) with a spatial grid. One gain: at most
//   C augmenting paths over the chosen meetings' edges (Dinic's phases). Greedy: N M steps of
//   lazily re-evaluated gains. Exact: exponential in N M in the worst case, bounded by
//   `exact_work_limit` scanned edges. Assignment: min-cost flow on |I| + |S| + 1 nodes.
//   Presenters: O(k (offers within reach) (needs of the meeting's invitees)) per meeting.
//   A 100,000-resident city: 60-80 ms in realistic settings, 2.3 s in the most extreme tried
//   (benchmarks/RESULTS.md).
//
// REFERENCES
//   M. L. Fisher, G. L. Nemhauser, L. A. Wolsey, An analysis of approximations for maximizing
//     submodular set functions II, Mathematical Programming Study 8 (1978) 73-87.
//   S. Khuller, A. Moss, J. Naor, The budgeted maximum coverage problem, Information Processing
//     Letters 70 (1999) 39-45.
//   J. Leskovec et al., Cost-effective outbreak detection in networks (lazy greedy), KDD 2007.
//   M. Held, R. M. Karp, The traveling-salesman problem and minimum spanning trees: part II,
//     Mathematical Programming 1 (1971) 6-25 (subgradient optimisation of Lagrangian bounds).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/ids.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch {

enum class StartMeetingMethod : std::uint8_t {
  automatic,  ///< heuristic, then the exact search within its work limit ("auto")
  exact,      ///< branch and bound; throws Error when the work limit is reached
  heuristic   ///< lazy greedy and swap local search
};
/// "auto", "exact", "heuristic".
std::string_view to_string(StartMeetingMethod) noexcept;
std::optional<StartMeetingMethod> parse_start_meeting_method(std::string_view) noexcept;

/// Why an invitee gets no place. Checked in this order: availability, distance, language
/// against every candidate meeting when none fits the invitee (`reachable` false), else against
/// the chosen meetings; capacity when a chosen meeting fits but is full.
enum class AbsenceReason : std::uint8_t {
  availability,  ///< none of the meetings' day-parts is in the invitee's availability
  distance,      ///< no venue of those meetings lies within the invitee's travel distance
  language,      ///< no such venue holds its meeting in a language the invitee speaks
  capacity       ///< a chosen meeting fits, but its places went to other invitees
};
std::string_view to_string(AbsenceReason) noexcept;

struct StartMeetingOptions {
  int weeks = 4;       ///< N, 1..52
  int capacity = 12;   ///< C, invitees per meeting, 1..10000
  int per_week = 1;    ///< M, meetings a week at most, 1..21 (no day-part twice in a week)
  int presenters = 3;  ///< k, offers presenting at each meeting, 0..50
  /// Invite residents with an open need since this date (inclusive).
  std::optional<Date> since;
  /// Invite residents with an open need since `today` minus this many days (0..36500). With
  /// `since` as well, the later of the two dates counts.
  std::optional<int> last_days;
  /// The reference date of `last_days`; default: the latest `since` of any need in the model
  /// (so that the plan depends on the file alone, not on the clock).
  std::optional<Date> today;
  /// New residents, invited whatever their needs. Without `since`, `last_days` and residents,
  /// every resident with an open need is invited.
  std::vector<ResidentId> residents;
  /// Venues: these offers' locations; empty = every collective offer's location.
  std::vector<OfferId> venues;
  /// Day-parts the team can hold a meeting in; default all 21.
  WeeklySchedule slots{(1U << 21) - 1};
  StartMeetingMethod method = StartMeetingMethod::automatic;
  bool local_search = true;  ///< heuristic: improve the greedy choice by swaps
  /// Work of the exact search and of the local search each, in scanned edges (>= 1). About
  /// 1e8 scans a second on one core.
  std::int64_t exact_work_limit = 200'000'000;
};

/// A place where a start meeting can be held.
struct StartMeetingVenue {
  Location location;
  OfferId offer;                       ///< the lowest-index offer at this location: the venue's name
  std::string neighbourhood;           ///< CBS BU code of that offer
  std::vector<std::string> languages;  ///< "nl" first, then the professionals' languages, sorted
  friend bool operator==(const StartMeetingVenue&, const StartMeetingVenue&) = default;
};

/// An offer presenting at a meeting, with the invitees' open needs it covers that no offer
/// chosen before it covers (greedy order).
struct PresentingOffer {
  OfferId offer;
  int needs_covered = 0;
  double weight = 0.0;  ///< the sum of its fit over those needs (what the greedy maximises)
  friend bool operator==(const PresentingOffer&, const PresentingOffer&) = default;
};

struct StartMeeting {
  int week = 1;         ///< 1..N
  std::size_t day = 0;  ///< 0 = Monday
  DayPart part = DayPart::morning;
  std::uint32_t venue = 0;           ///< index into StartMeetingPlan::venues
  std::vector<ResidentId> invitees;  ///< assigned here, by index
  std::vector<PresentingOffer> presenters;
  int needs = 0;           ///< open needs of the invitees
  int needs_covered = 0;   ///< of those, covered by at least one presenter
  long long travel_m = 0;  ///< the invitees' straight-line distances to the venue, whole metres, summed
  friend bool operator==(const StartMeeting&, const StartMeeting&) = default;
};

struct StartMeetingAbsence {
  ResidentId resident;
  AbsenceReason reason = AbsenceReason::availability;
  bool reachable = false;  ///< some candidate meeting (held or not) would fit
  friend bool operator==(const StartMeetingAbsence&, const StartMeetingAbsence&) = default;
};

struct StartMeetingPlan {
  int weeks = 0, capacity = 0, per_week = 0;
  std::vector<ResidentId> invitees;         ///< every invitee, by index
  std::vector<StartMeetingVenue> venues;    ///< every venue, in order of the offer that names it
  std::vector<StartMeeting> meetings;       ///< by week, day, day-part, venue
  std::vector<StartMeetingAbsence> absent;  ///< invitees without a place, by index
  int coming = 0;                           ///< invitees with a place: the objective f(S)
  int reachable = 0;                        ///< invitees that fit at least one candidate meeting
  int upper_bound = 0;                      ///< proven bound on the optimum (equals `coming` when optimal)
  bool optimal = false;
  StartMeetingMethod method = StartMeetingMethod::heuristic;  ///< exact or heuristic: what produced S
  std::int64_t candidates = 0;                                ///< candidate meetings that fit at least one invitee
  std::int64_t search_nodes = 0;                              ///< nodes of the exact search (0 without it)
  std::int64_t work = 0;  ///< edges scanned by greedy, local search and exact search
  std::vector<std::string> notes;
  friend bool operator==(const StartMeetingPlan&, const StartMeetingPlan&) = default;
};

/// The invitees the options select, by index. O(residents + needs). Throws InvalidArgument or
/// OutOfRange as plan_start_meetings does.
std::vector<ResidentId> start_meeting_invitees(const Model& model, const StartMeetingOptions& options = {});

/// The venues the options select, with their languages. O(offers log offers + professionals).
std::vector<StartMeetingVenue> start_meeting_venues(const Model& model, const StartMeetingOptions& options = {});

/// Plans the start meetings. Deterministic. Throws InvalidArgument for options out of range,
/// OutOfRange for an unknown resident or offer id, Error when the exact method reaches its
/// work limit. Complexity: see the top of this header.
StartMeetingPlan plan_start_meetings(const Model& model, const StartMeetingOptions& options = {});

/// The plan as the JSON object of docs/groups.md (keys, never names).
std::string start_meetings_to_json(const Model& model, const StartMeetingPlan& plan, int indent = 2);
/// The plan as readable text, one block per week.
std::string start_meetings_to_text(const Model& model, const StartMeetingPlan& plan);

}  // namespace wijkmatch
