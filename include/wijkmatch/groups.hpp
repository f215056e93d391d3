// New groups where needs recur: clusters of open needs that have no collective answer, and the
// group that would answer them (issue 11 part 4, docs/groups.md "New groups").
//
// "Where individual questions recur, we develop a group." A need is *unanswered* when its
// ranking has no acceptable collective option with a free seat (none at all, only options
// below the acceptable score, or only full ones with a waiting list), no exception rule fired
// (those needs belong above the collective level), and its resident does not refuse groups.
// Unanswered needs are clustered when they share a life domain, a language the resident
// speaks, a day-part (one of the 21 slots of the week) the resident is available in, and lie
// close together. Each cluster of at least `min_size` needs becomes a proposed group.
//
// Rule (deterministic):
//   1. Bucket every unanswered need under each (domain, language, day-part) it can attend;
//      buckets are taken largest first, then by domain, language and day-part.
//   2. In a bucket, seeds are tried densest grid cell first (cell side = radius), then by need
//      order. A seed not yet in a group collects the bucket's needs not yet in a group within
//      `radius_m` of it (detail::SpatialGrid), nearest first, at most `max_size`.
//   3. The venue is the geometric median of their homes (Weiszfeld), moved to the location of
//      the nearest existing offer when one lies within `venue_snap_m` (the group can use a
//      room that exists). Needs beyond their resident's travel distance from the venue are
//      dropped; a cluster left with fewer than `min_size` needs is not proposed (its needs
//      stay free for later seeds).
// A need joins at most one group.
//
// Who could run it: residents who offer help (Resident::offers_help) in the domain, speak the
// language, and whose help radius reaches the venue; nearest first. Who could start it: a
// professional working in the venue's neighbourhood with the domain as a specialism and
// caseload room, speaking the language when one does; most room first.
//
// What it saves is measured, not estimated: each group is added to a copy of the model as a
// collective offer (seats = its needs, minimum group size = `min_size`, its day-part, venue and
// language, free) and allocated again (wijkmatch::allocate, optimal mode):
//   - `ladder_steps_before` / `ladder_steps_after`: the whole model without and with *all*
//     proposed groups (AllocationObjective::ladder_steps);
//   - per group `saved_ladder_steps`: without and with that group alone, allocating only the
//     needs in reach of its venue (open needs of its domain within their candidate radius of
//     the venue; the others are set aside as closed). In a model where no other need competes
//     for the same places this equals the whole-model difference. Groups are measured on
//     `threads` workers (each allocation builds the ranking indexes of the whole model, which
//     is most of its cost).
//
// Complexity: ranking of the open needs (Ranker::rank_all) plus O(n log n) clustering in the
// bucket entries n (at most languages x 21 per need), with grid queries that visit the cells
// around a seed; plus two whole-model allocations and two in-reach allocations per group.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "wijkmatch/allocation.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace wijkmatch {

struct ProposeGroupsOptions {
  Policy policy = default_policy();
  int min_size = 6;             ///< smallest viable group (2..1000)
  int max_size = 15;            ///< most needs one group takes (>= min_size, <= 1000)
  double radius_m = 1000.0;     ///< needs of a cluster lie within this distance of its seed (> 0)
  double venue_snap_m = 300.0;  ///< use an existing offer's location within this of the median (>= 0)
  int max_helpers = 3;          ///< residents listed who could run a group (0..100)
  bool measure = true;          ///< allocate again to measure the saved ladder steps
  int threads = 0;  ///< for ranking and the per-group measurements (0 = one per core); results do not depend on it
};

struct ProposedGroup {
  std::string key;  ///< "proposed-<n>", n from 1 in proposal order
  LifeDomain domain = LifeDomain::social_network;
  std::size_t day = 0;  ///< 0 = Monday
  DayPart part = DayPart::morning;
  std::string language;                        ///< ISO 639-1
  Location venue;                              ///< where it meets
  Location median;                             ///< the geometric median of the needs' homes (Weiszfeld)
  std::optional<OfferId> venue_of;             ///< the existing offer whose location is the venue, if any
  std::string neighbourhood;                   ///< CBS BU code of the venue
  std::vector<NeedId> needs;                   ///< nearest the seed first
  double mean_distance_m = 0.0;                ///< mean distance of the needs' homes to the venue
  std::vector<ResidentId> helpers;             ///< residents who offer help and could run it, nearest first
  std::optional<ProfessionalId> professional;  ///< who could start it
  long long saved_ladder_steps = 0;            ///< measured on the needs in reach (see above)
  int needs_in_reach = 0;                      ///< open needs in that measurement
};

struct GroupProposals {
  int open_needs = 0;
  int unanswered = 0;  ///< open needs without an acceptable collective option with room
  std::vector<ProposedGroup> groups;
  bool measured = false;
  long long ladder_steps_before = 0;  ///< whole model, allocated as it is
  long long ladder_steps_after = 0;   ///< whole model with every proposed group added
  int served_before = 0;
  int served_after = 0;
};

/// Finds the clusters and proposes the groups (see the rule above). Deterministic for any
/// `threads`. Throws InvalidArgument for options outside their ranges.
GroupProposals propose_groups(const Model& model, const ProposeGroupsOptions& options = {});

/// The collective offer a proposal stands for, as propose_groups adds it to measure it: key and
/// place of the proposal, kind "proposed_group", fit 1 in its domain, seats = its needs, minimum
/// group size `min_size`, its one day-part and language, free, no waiting time. O(1).
Offer proposed_group_offer(const Model& model, const ProposedGroup& group, int min_size);

/// A copy of `model` with every proposed group added as its offer (index rebuilt). O(model).
Model with_proposed_groups(const Model& model, const GroupProposals& proposals, int min_size);

/// The documented JSON (docs/groups.md) and a text a team can read.
std::string group_proposals_to_json(const Model& model, const GroupProposals& proposals, int indent = 2);
std::string group_proposals_to_text(const Model& model, const GroupProposals& proposals);

}  // namespace wijkmatch
