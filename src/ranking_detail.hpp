// Private to the ranking. Ranking one need runs these steps, one file each:
//   candidates   (ranking_candidates.cpp)  the indexes, and what they give for one need
//   eligibility  (ranking_eligibility.cpp) the exception rule that fires, the first failed condition
//   features     (ranking_features.cpp)    the feature row of an option and the batch score
//   reasons      (ranking_reasons.cpp)     every sentence a professional reads out
//   output       (ranking_output.cpp)      JSON and text
// ranking.cpp puts them together: options, referrals, ordering, the exception's outcome.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "spatial_grid.hpp"
#include "wijkmatch/graph.hpp"
#include "wijkmatch/ranking.hpp"

namespace wijkmatch::detail {

inline bool is_professional(LadderLevel l) noexcept {
  return l != LadderLevel::own_network && l != LadderLevel::collective;
}

// ---------------------------------------------------------------------------- candidates

/// An offer of the need's domain within the resident's reach plus the consideration margin.
struct OfferCandidate {
  std::uint32_t offer = 0;
  double distance_m = 0.0;
  double limit_m = 0.0;  ///< the resident's travel distance (collective) or the provision radius
};

/// Someone a tie of the resident knows, who already helps others with the need's domain.
struct Introduction {
  std::uint32_t tie = 0;  ///< the helper's tie to someone else
  std::uint32_t via = 0;  ///< the resident through whom the introduction runs
};

/// 1 when the resident's first language is offered, 0.7 for another one they speak, else 0.
float language_match(const std::vector<std::string>& spoken, const std::vector<std::string>& offered) noexcept;

/// What the first conditions need of an offer, in one cache line instead of the Offer's
/// strings and vectors: the hot loop over a need's candidates reads only this. Only fields
/// that stay fixed while the live engine runs (it changes seats and occupancy, read from the
/// model for options only).
struct OfferFacts {
  std::uint64_t languages = 0;  ///< bits of RankingIndex::language_codes
  std::uint32_t schedule = 0;   ///< WeeklySchedule bits; 0 = by appointment
  std::uint8_t age_bands = 0;   ///< AgeBandSet bits; 0 = every age band
  std::int8_t severity_min = 1, severity_max = 5;
  LadderLevel level = LadderLevel::collective;
  bool referral_required = false;
  bool ended = false;           ///< an initiative that ended: no candidate
  bool languages_exact = true;  ///< false: a language beyond the 64 interned ones; compare strings
  float cost = 0.0F;            ///< the cost feature (cost_feature), computed once
};

/// The languages of one resident as bits of RankingIndex::language_codes.
struct LanguageBits {
  std::uint64_t first = 0;  ///< their first language
  std::uint64_t any = 0;    ///< every language they speak
};

/// Indexes over one model for one policy (what a Ranker holds).
struct RankingIndex {
  RankingIndex(const Model& model, Policy policy);

  const Model& model;
  Policy policy;
  std::array<SpatialGrid, life_domain_count> collective{};  ///< collective offers, 1 km cells
  std::array<SpatialGrid, life_domain_count> provisions{};  ///< basic_care, individual, specialist, 5 km cells
  /// The neighbourhood graph the ranking walks (ties, members, attendance, volunteering),
  /// kept up to date by the live engine; without can_serve edges, which it does not walk.
  LiveGraph graph;
  std::vector<double> hours_given;                   ///< by helper: hours_given() of resources.hpp
  std::vector<std::string> need_override_reason;     ///< by need; empty = none
  std::vector<int> need_override_level;              ///< -1 = none
  std::array<int, ladder_level_count> level_rank{};  ///< policy.rank_of, precomputed
  /// Options a resident declined for a need (the live engine's): by need, the offer or tie
  /// with the reason code. Rejected as RejectReason::declined until the need is updated.
  enum class OptionKind : std::uint8_t { offer, tie, neighbour };
  struct Declined {
    OptionKind kind = OptionKind::offer;
    std::uint32_t id = 0;  ///< offer, tie or resident (the neighbour) index, by kind
    std::string reason;
  };
  std::unordered_map<std::uint32_t, std::vector<Declined>> declined;

  /// Neighbours who offered help (format v1.1 `offers_help`), by the domains they help with:
  /// 1 km cells, queried with the widest radius any of them travels for that domain.
  std::array<SpatialGrid, life_domain_count> neighbours{};
  std::array<double, life_domain_count> neighbour_radius{};  ///< widest radius_m per domain; never shrinks

  /// The declined entry for an option of a need, if any. O(declines of the need).
  const Declined* declined_option(std::uint32_t need, OptionKind kind, std::uint32_t id) const noexcept;

  // Upkeep for the live engine, each after the model changed: local, never a rebuild (the
  // graph compacts itself now and then, see LiveGraph).
  void add_offer(std::uint32_t offer);        ///< grids, organiser and volunteer edges, hours; O(domains + people)
  void remove_offer(std::uint32_t offer);     ///< out of grids and graph, hours; O(ids in its cells + edges)
  void add_household();                       ///< O(1)
  void add_resident(std::uint32_t resident);  ///< its member edge; O(1) amortised
  void move_resident(std::uint32_t resident, std::uint32_t from_household);  ///< O(log household sizes)
  void add_tie(std::uint32_t tie);                                           ///< O(ties of both ends)
  void remove_tie(std::uint32_t tie);                                        ///< O(ties of both ends)
  void attend(std::uint32_t resident, std::uint32_t offer, bool on);         ///< O(log degrees)
  /// A resident who is gone: out of the graph (their ties must be removed first, for the
  /// hours of their helpers), and the offers they ran or volunteered at renumbered, after the
  /// model dropped them from those offers (`offers_left`). O(their edges + those offers' people).
  void remove_resident(std::uint32_t resident, std::span<const std::uint32_t> offers_left);
  void recount_hours(std::uint32_t helper);  ///< hours_given of one helper; O(its ties and volunteering)
  void recount_all_hours();                  ///< O(residents + their ties and volunteering)
  void add_need(std::uint32_t need);         ///< policy overrides and graph edge for a new need; O(overrides)

  /// The tie ids of a resident at either end, ascending (the union of ties into and from). O(ties).
  std::vector<std::uint32_t> ties_of(std::uint32_t resident) const;
  /// A resident who offers help into the neighbour grids (at their current location), and
  /// out again (call before their location changes). O(domains) / O(ids in their cells).
  void add_neighbour(std::uint32_t resident);
  void remove_neighbour(std::uint32_t resident);

  int rank_of(LadderLevel level) const noexcept { return level_rank[static_cast<std::size_t>(level)]; }

  /// By offer: the facts the conditions read (offer_fails). Kept with add_offer.
  std::vector<OfferFacts> offer_facts;
  /// Languages of the offers, each once, at most 64 (a bit each in OfferFacts::languages).
  std::vector<std::string> language_codes;
  /// The offer's facts, interning its languages. O(languages).
  OfferFacts facts_of(const Offer& offer);
  /// The resident's languages as bits; a language no offer has gets no bit (it matches none).
  LanguageBits language_bits(const Resident& res) const noexcept;
  /// language_match() on the facts: 1, 0.7 or 0. O(1) unless the offer has a language beyond
  /// the interned ones.
  float language_match_fast(const Resident& res, LanguageBits bits, const OfferFacts& facts,
                            const Offer& offer) const noexcept {
    if (!facts.languages_exact) return language_match(res.languages, offer.languages);
    if (facts.languages & bits.first) return 1.0F;
    return (facts.languages & bits.any) ? 0.7F : 0.0F;
  }

  /// Offers serving `need`'s domain within reach plus the margin, in grid order (which
  /// depends on the live engine's insertions).
  void offers_near(const Need& need, const Resident& res, std::vector<OfferCandidate>& out) const;
  /// Offers attended by anyone in the resident's household or tied to them, by offer id, each
  /// with the closest relation.
  std::vector<std::pair<OfferId, TieKind>> social_circle(ResidentId resident) const;
  /// At most three introductions for `need`, strongest tie first, one per helper, none from
  /// the resident's household or `direct_helpers`, none from an overloaded helper.
  std::vector<Introduction> introductions(const Need& need, std::span<const std::uint32_t> direct_helpers) const;
  /// A neighbour who offered help, with the distance to the resident.
  struct NearNeighbour {
    double distance_m;
    std::uint32_t resident;
  };
  /// Neighbours who offered help with `need`'s domain and whose own radius reaches the
  /// resident, nearest first (then by resident), into `out`; the resident, their household and
  /// `direct_helpers` are not filtered here (see is_other_helper). O(ids in the cells the widest
  /// radius touches + k log k for the k within their radius); reads no Resident.
  /// Only the first `nearest_first` are in order; sort_rest orders the others.
  void neighbours_near(const Need& need, std::vector<NearNeighbour>& out) const;
  static constexpr std::size_t nearest_first = 24;
  static void sort_rest(std::vector<NearNeighbour>& near);
  /// Not the resident of `need`, not of their household, within their own radius (exactly),
  /// not one of `direct_helpers`.
  bool is_other_helper(const Need& need, std::uint32_t neighbour, std::span<const std::uint32_t> direct_helpers) const;
  /// An open need of `neighbour` that the resident of `need` offered help with and can reach,
  /// the most severe first (lowest ZRM score, then the oldest); invalid when there is none.
  /// Walks the neighbour's has_need edges. O(log degree + needs of the neighbour).
  NeedId exchange_for(const Need& need, std::uint32_t neighbour) const;
  /// Build-time part of the neighbour indexes. O(residents).
  void index_neighbours();
};

/// The live engine's way into a Ranker's indexes, to keep them up to date.
struct RankerAccess {
  static RankingIndex& index(Ranker& ranker) noexcept;
};

// ---------------------------------------------------------------------------- eligibility

/// The first exception rule of the policy that fires for the need, if any.
std::optional<FiredException> exception_for(const RankingIndex& index, NeedId need);

/// The first condition of docs/ranking.md that an offer fails for the need, if any, on the
/// offer's facts, with the resident's language match (language_match_fast) already known.
std::optional<RejectReason> offer_fails(const OfferFacts& offer, const Need& need, const Resident& res,
                                        const OfferCandidate& where, float language, bool exception) noexcept;

/// Own network: the first condition a tie fails (overloaded helper, no hours left), if any.
std::optional<RejectReason> tie_fails(const Tie& tie, double hours_given, const Policy& policy) noexcept;

// ---------------------------------------------------------------------------- features

/// Share of the offer's sessions in the resident's free day-parts (1 by appointment).
float schedule_share(WeeklySchedule offer, WeeklySchedule availability) noexcept;

/// Feature rows of the options of one need, row-major; a mask marks the features that apply.
class FeatureBatch {
 public:
  class Row {
   public:
    /// Sets a feature and marks it as applying to this option.
    void set(Feature k, float value) noexcept {
      values_[static_cast<std::size_t>(k)] = value;
      mask_[static_cast<std::size_t>(k)] = 1.0F;
    }
    float operator[](Feature k) const noexcept { return values_[static_cast<std::size_t>(k)]; }

   private:
    friend class FeatureBatch;
    Row(float* values, float* mask) : values_(values), mask_(mask) {}
    float* values_;
    float* mask_;
  };

  void reserve(std::size_t rows);
  /// No rows, keeping the memory (a per-thread batch is reused need after need).
  void clear() noexcept;
  /// A new row of zeros that applies to no feature yet. Valid until the next add_row.
  Row add_row();
  std::size_t rows() const noexcept { return rows_; }

  /// score = (F .* M) w / (M w) for every row, rounded to 6 decimals, into score[row]; the
  /// total applicable weight M w into total[row] (for contributions). One matrix product over
  /// the flat rows. O(rows x features).
  void score(const Policy& policy, std::vector<double>& score, std::vector<float>& total) const;
  /// The contributions of one row (features that apply, in feature order). O(features).
  std::vector<Contribution> contributions(std::size_t row, float total, const Policy& policy) const;

 private:
  std::vector<float> values_, mask_;
  std::size_t rows_ = 0;
};

/// The features of an offer for a need: all but tie_strength.
/// `seats`: effective_seats(offer), computed once by the caller.
void offer_features(FeatureBatch::Row row, const Offer& offer, const OfferFacts& facts, int seats, const Resident& res,
                    LifeDomain domain, const OfferCandidate& where, float language, bool social_proof);
/// The cost feature of a price per month: 1 free, 0 at 10,000 euro and above (log scale).
float cost_feature(double cost_per_month) noexcept;
/// The features of help through a tie: fit, proximity, language, capacity, waiting, cost and
/// tie_strength, each times `factor` (1 for the resident's own tie, the policy's
/// introduction factor for a tie of a tie).
void tie_features(FeatureBatch::Row row, const Tie& tie, double distance_m, float factor);
/// At most this many neighbours who offered help are options for one need (the nearest,
/// exchanges first), and at most this many are listed as rejected (declines always are).
inline constexpr std::size_t max_neighbour_options = 3;
inline constexpr std::size_t max_neighbour_rejections = 3;

/// The features of help from a neighbour who offered it: fit 1, proximity against their radius,
/// language, capacity from the hours left, no waiting, no cost; tie_strength only for an
/// exchange (0.5: two residents who help each other), otherwise it does not apply.
void neighbour_features(FeatureBatch::Row row, const HelpOffer& help, double hours_left, double distance_m,
                        float language, bool exchange);

// ---------------------------------------------------------------------------- reasons

std::string fixed(double value, int digits);
std::string metres(double m);

std::string exception_reason(const ExceptionRule& rule, const Need& need, std::string_view override_reason);
std::string offer_rejection(RejectReason why, const Offer& offer, const Need& need, const Resident& res,
                            const OfferCandidate& where);
std::string tie_rejection(RejectReason why, const Tie& tie, double hours_given, const Policy& policy);
std::string referral_rejection(LadderLevel lowest_free_level);
std::string declined_rejection(std::string_view reason_code);
inline constexpr std::string_view needs_referral = "needs a referral by the team";
inline constexpr std::string_view approach_care_avoider =
    "the resident avoids professionals: approach through someone they trust";

void offer_reasons(Option& option, const Offer& offer, LifeDomain domain, const OfferCandidate& where, float schedule,
                   float language, std::optional<TieKind> social_proof);
/// Adds "stale: not confirmed since <date>" when the offer's confirmation is older than the
/// policy's stale_after_days before its `today` (or the current UTC date). O(1).
void stale_reason(Option& option, const Offer& offer, const Policy& policy);
void tie_reasons(Option& option, const Tie& tie, LifeDomain domain);
void introduction_reasons(Option& option, LifeDomain domain, double factor);
void neighbour_reasons(Option& option, LifeDomain domain, double hours_left, double distance_m,
                       std::optional<LifeDomain> exchange);
/// Why a neighbour who offered help cannot help with this need.
std::string neighbour_rejection(RejectReason why, const HelpOffer& help, double hours_left, double hours_given,
                                const Policy& policy);

/// The sentence of an unmet exception; `options` are the options at or above the level (in
/// ranking order), `rejected` the candidates at or above the level that failed a condition.
std::string unmet_reason(const Model& model, const Policy& policy, UnmetReason why, LadderLevel level,
                         std::span<const Option* const> options, std::span<const Rejection> rejected);

}  // namespace wijkmatch::detail
