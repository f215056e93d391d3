// Collective-first ranking of the options for one need.
//
// Candidates come from indexes, never from a scan of the whole model: offers by life domain
// in a spatial grid (collective offers within the resident's travel distance plus a margin,
// provisions within the policy's provision radius; an ended resident initiative is no
// candidate), own-network help from the resident's
// ties (and, weaker, introductions through a tie of a tie). Each candidate either fails a
// condition (the first one is recorded as the rejection) or becomes an option, scored in a
// batch over a flat feature matrix (Eigen) with the policy's weights; see docs/ranking.md.
//
// Ordering: acceptable options before the rest; among them the lowest ladder level leads,
// then the score. An option at an individual or specialist level is placed above an
// acceptable collective or network option only when an exception rule fired; the ranking
// then names the rule, and the lower-level options stay in the list marked `alongside`.
// When no option at or above the rule's level can be offered now, the ranking says so
// (`FiredException::unmet`, with the reason) instead of letting the lower options lead as if
// no rule had fired.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/model.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/progress.hpp"

namespace wijkmatch {

/// Why a candidate is not an option: the first condition that failed, in this order.
enum class RejectReason : std::uint8_t {
  care_avoider,           ///< professional help for a resident who refuses professionals
  group_averse,           ///< a group activity for a resident who does not want groups
  too_far,                ///< beyond the resident's travel distance (or the provision radius)
  no_shared_day_part,     ///< the offer meets only when the resident is not available
  language,               ///< no language in common
  age,                    ///< the resident's age band is not eligible
  severity_out_of_range,  ///< the need's severity is outside the offer's range
  referral_needed,        ///< needs a referral, and an acceptable lower-level option comes first
  helper_overloaded,      ///< the informal helper already gives more than the policy allows
  no_hours_left,          ///< the tie's hours are all in use
  declined,               ///< the resident declined it for this need (live engine), until the need changes
};
inline constexpr std::size_t reject_reason_count = 11;
std::string_view to_string(RejectReason) noexcept;

struct Contribution {
  Feature feature;
  double value;   ///< the feature in [0, 1]
  double points;  ///< weight x value / total weight of the applicable features; sums to the score
};

struct Option {
  LadderLevel level = LadderLevel::collective;
  OfferId offer;   ///< valid unless own_network
  TieId tie;       ///< own_network: the helping tie
  ResidentId via;  ///< valid for an introduction through a tie of a tie
  /// Own network without a tie: a neighbour who offered help with the need's domain (format
  /// v1.1 `offers_help`, as in Harry Helpt). `tie` is then invalid.
  ResidentId neighbour;
  /// With `neighbour`: an open need of that neighbour the resident offered help with, so the
  /// two could help each other (reciprocity). Invalid when the help would go one way.
  NeedId exchange;
  double score = 0.0;  ///< [0, 1]
  std::vector<Contribution> contributions;
  std::vector<std::string> reasons;  ///< plain language, no names
  bool acceptable = false;           ///< score >= policy.acceptable_score and available now
  bool alongside = false;            ///< below the level of an exception rule that fired: kept next to it
  int waiting_position = 0;          ///< 0 = a seat is free now; n = n-th on the waiting list
  double distance_m = 0.0;
};

struct Rejection {
  LadderLevel level = LadderLevel::collective;
  OfferId offer;
  TieId tie;
  RejectReason failed = RejectReason::too_far;
  std::string reason;
  ResidentId neighbour;  ///< a neighbour who offered help (then offer and tie are invalid)
};

/// Why an exception rule's level cannot be offered now.
enum class UnmetReason : std::uint8_t {
  nothing_within_reach,    ///< no candidate at or above the level serves the need's domain within reach
  all_rejected,            ///< every candidate at or above the level fails a condition
  all_full,                ///< every option at or above the level has a waiting list
  below_acceptable_score,  ///< options at or above the level have room, but none scores the acceptable score
};
inline constexpr std::size_t unmet_reason_count = 4;
std::string_view to_string(UnmetReason) noexcept;

/// An exception rule fired, but nothing at or above its level is available now.
struct UnmetException {
  UnmetReason why = UnmetReason::nothing_within_reach;
  std::string reason;        ///< plain language, naming the offers concerned by key
  int waiting_position = 0;  ///< the best waiting position at or above the level; 0 = no waiting list there
  OfferId waiting_for;       ///< the offer with that waiting position (valid when waiting_position > 0)
  /// all_rejected: every candidate at or above the level, with the condition it failed (also
  /// in Ranking::rejected).
  std::vector<Rejection> conditions;
};

struct FiredException {
  std::string rule;  ///< the rule's name from the policy
  ExceptionKind kind = ExceptionKind::crisis;
  LadderLevel level = LadderLevel::individual;
  std::string reason;
  /// Set when the first option is not an acceptable option at or above `level` (one that
  /// scores the acceptable score and has a place now). Every option below the level is then
  /// still marked `alongside`; the team has to arrange support at the level itself.
  std::optional<UnmetException> unmet;
  /// The rule is met: an acceptable option at or above its level leads the ranking.
  bool met() const noexcept { return !unmet; }
};

/// How much of a ranking to build. Filtering and scoring the candidates is a few nanoseconds
/// each; the objects and sentences of options and rejections are most of the cost of a
/// ranking, so by default only the first options are built and rejections are counted.
struct RankRequest {
  /// The most options returned, best first; 0 = every option, and the deferred ones.
  std::size_t top = 5;
  /// List every rejection with its sentence. Counts per reason are always given; an unmet
  /// exception names the rejections at or above its level in any case.
  bool rejections = false;
  /// The contributions and reasons of the options returned; false for machine use (allocation
  /// reads levels, scores and places only).
  bool explain = true;
  /// Every option, every rejection and the deferred options.
  static constexpr RankRequest full() noexcept { return RankRequest{0, true, true}; }
};

struct Ranking {
  NeedId need;
  std::optional<FiredException> exception;
  /// The options, best first: all of them, or the first RankRequest::top.
  std::vector<Option> options;
  /// Every option found, also those beyond RankRequest::top.
  std::size_t option_count = 0;
  /// Every candidate that failed a condition, with the first condition it failed, by
  /// RankRequest (otherwise empty, see RankRequest::rejections).
  std::vector<Rejection> rejected;
  /// Rejections per RejectReason: always, whether or not `rejected` lists them.
  std::array<std::uint32_t, reject_reason_count> rejected_count{};
  /// Options that need a referral and were rejected because an acceptable lower-level option
  /// comes first (each also counted as a rejection), listed when RankRequest::top is 0.
  /// Allocation falls back on them when the lower-level places run out.
  std::vector<Option> deferred;
  /// Rejections in all. O(reasons).
  std::uint32_t rejected_total() const noexcept {
    std::uint32_t n = 0;
    for (auto c : rejected_count) n += c;
    return n;
  }
  /// The first option, if any: what the team proposes.
  const Option* proposal() const noexcept { return options.empty() ? nullptr : &options.front(); }
};

/// Indexes over one model for one policy; ranks any number of needs. The model must outlive
/// the Ranker and stay unchanged. Const member functions are safe to call from many threads.
namespace detail {
struct RankerAccess;
}

class Ranker {
 public:
  /// Builds the indexes. O(offers + ties + residents).
  Ranker(const Model& model, Policy policy);
  ~Ranker();
  Ranker(Ranker&&) noexcept;
  Ranker& operator=(Ranker&&) noexcept;
  Ranker(const Ranker&) = delete;
  Ranker& operator=(const Ranker&) = delete;

  /// Ranks one need: by default the first options with their reasons and the rejections
  /// counted per reason (RankRequest). O(candidates + top log candidates) without text, plus
  /// the text of what is returned; candidates are the offers of the need's domain near the
  /// resident plus the resident's ties (and their ties) and nearby neighbours who offered help.
  /// Works in per-thread buffers: no allocation for the candidates once warm.
  Ranking rank(NeedId need, const RankRequest& request = {}) const;

  /// Ranks every need that is not closed, in model order. The result is identical for any
  /// `threads` (0 = hardware concurrency). `progress` ("rank", done, total) may stop it
  /// (throws Cancelled).
  std::vector<Ranking> rank_all(int threads = 0, const ProgressCallback& progress = {},
                                const RankRequest& request = {}) const;

  /// Ranks the given needs, in the given order, on `threads` threads (0 = hardware
  /// concurrency). Identical output for any thread count. For very large models call it on
  /// chunks and drop each result when done: with RankRequest::full() a Ranking holds all
  /// options, rejections and their reasons (on the order of 100 KB in a dense city).
  std::vector<Ranking> rank_many(std::span<const NeedId> needs, int threads = 0, const ProgressCallback& progress = {},
                                 const RankRequest& request = {}) const;

  const Model& model() const noexcept;
  const Policy& policy() const noexcept;

 private:
  friend struct detail::RankerAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The candidate rule's distance: an offer at `level` that serves a need's life domain is a
/// candidate for the need when it lies within this many metres of the resident: the resident's
/// travel distance for a collective offer, the policy's provision radius for the other levels,
/// plus the policy's consideration margin (candidates beyond the distance without the margin are
/// rejected as too far). The partition of a country couples municipalities by the same rule.
/// O(1).
inline double candidate_radius_m(const Resident& resident, LadderLevel level, const Policy& policy) noexcept {
  return (level == LadderLevel::collective ? resident.max_travel_m : policy.provision_radius_m) +
         policy.consideration_margin_m;
}

/// One-off convenience: builds a Ranker and ranks one need. O(model) for the indexes.
Ranking rank(const Model& model, NeedId need, const Policy& policy = default_policy(), const RankRequest& request = {});

/// The option's identifier in output: the offer key, "network:<helper key>" for help through a
/// tie, or "neighbour:<resident key>" for a neighbour who offered help.
std::string option_label(const Model& model, const Option& option);

/// Rankings as the documented JSON (docs/ranking.md): {"rankings": [...]}.
std::string rankings_to_json(const Model& model, const std::vector<Ranking>& rankings, int indent = 2);
/// Rankings as text a professional can read out to a resident.
std::string rankings_to_text(const Model& model, const std::vector<Ranking>& rankings);

}  // namespace wijkmatch
