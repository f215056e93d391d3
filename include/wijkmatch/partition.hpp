// Partition of a country into municipalities: split a model into one model per group of
// municipalities, merge models back into one, and find which municipalities must be
// allocated together.
//
// A country-wide run (wijkmatch.distributed in Python) allocates each group of
// municipalities as a task of its own. The totals equal those of one run on the whole
// country only when no resource is seen by two tasks, so municipalities are coupled when
// they share one: a need of one can reach an offer of the other (the ranking's candidate
// rule, candidate_radius_m), a tie links residents of both, a resident attends an offer of
// the other, or a professional works in both. Tasks are then the connected components of
// the coupling. The parts of a large country are loaded by different processes, so the
// coupling works on footprints: what one model (one file) contributes, in flat arrays that
// travel cheaply between processes.
//
// Municipalities are CBS GM codes, taken from the neighbourhood (BU) codes of households,
// residents and offers and from the codes of professionals' work areas.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"

namespace wijkmatch {

/// The municipality code ("GM0344") of a neighbourhood or district code, or "" for anything
/// else (an entity outside every municipality). O(1).
std::string municipality_or_empty(std::string_view area_code);

/// Codes of the municipalities that residents live in and offers lie in, sorted and unique.
/// O(n log n) in residents + offers.
std::vector<std::string> municipalities(const Model& model);

/// Splits `model` into one model per group of municipality codes, in one pass. Each part
/// holds the households located in its municipalities with their residents and the residents'
/// needs, the offers located there, the ties and attendance whose both ends are in the part,
/// and each professional in the group of the first work-area code that lies in a group.
/// Entities outside every group are left out, and so are ties, attendance, organisers and
/// volunteers across parts (an offer keeps the organisers and volunteers of its own part).
/// Keys and the order of entities are kept; references are renumbered within each part.
/// Throws Error when a code is in two groups. O(model + codes).
std::vector<Model> split_model(const Model& model, const std::vector<std::vector<std::string>>& groups);

/// One model holding every entity of `parts`, in order, with references renumbered. Throws
/// InputError on a key that two parts share, and Error on a null part. O(total size).
Model merge_models(std::span<const Model* const> parts);
/// merge_models over the addresses of `parts`.
Model merge_models(std::span<const Model> parts);

/// What the coupling needs from one model: its municipalities, where its needs are and how far
/// they reach, where its offers are and what they serve, and the couplings it states itself.
/// Municipalities are indices into `municipalities`; -1 is an entity outside every one.
struct Footprint {
  /// A need that is not closed, at its resident's home.
  struct NeedReach {
    std::int32_t municipality = -1;
    Location home;
    LifeDomain domain = LifeDomain::finances;
    double collective_radius_m = 0.0;  ///< candidate_radius_m for a collective offer
    double provision_radius_m = 0.0;   ///< candidate_radius_m for the other levels
  };
  struct OfferSite {
    std::int32_t municipality = -1;
    Location at;
    bool collective = false;
    DomainSet domains;  ///< the life domains the offer serves (fit > 0)
  };
  std::vector<std::string> municipalities;  ///< codes, in order of first appearance
  std::vector<NeedReach> needs;
  std::vector<OfferSite> offers;
  /// Pairs (a, b), a < b, of municipalities linked by a tie, an attendance or a professional's
  /// work area, sorted and unique.
  std::vector<std::pair<std::int32_t, std::int32_t>> links;
};

/// The footprint of `model` under `policy` (whose consideration margin and provision radius
/// set how far needs reach). O(model log model).
Footprint footprint(const Model& model, const Policy& policy);

/// Pairs (a, b), a != b, of municipalities where some need of municipality a can reach an offer
/// of municipality b that serves its life domain, by the ranking's candidate rule; sorted and
/// unique. Entities outside every municipality (-1) are ignored. Expected O(needs x offers
/// within the largest radius), with a spatial grid. Throws Error on a location or radius that
/// is not finite, or a radius below zero.
std::vector<std::pair<std::int32_t, std::int32_t>> reach_links(std::span<const Footprint::NeedReach> needs,
                                                               std::span<const Footprint::OfferSite> offers);

/// Which municipalities of several footprints must be allocated together.
struct Coupling {
  std::vector<std::string> municipalities;  ///< every code, in order of first appearance
  /// Pairs (a, b), a < b, of coupled municipalities (indices into `municipalities`): the
  /// footprints' own links and the reach links across all of them; sorted and unique.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
  /// Per footprint, the indices of its municipalities, in the footprint's order.
  std::vector<std::vector<std::uint32_t>> of_footprint;
};

/// Joins footprints (for instance one per file of a country) into one coupling. O(total size)
/// plus reach_links. Throws Error where reach_links does, and on a municipality index out of
/// its footprint's range.
Coupling couple(std::span<const Footprint> footprints);

}  // namespace wijkmatch
