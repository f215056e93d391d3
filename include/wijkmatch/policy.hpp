// A municipality's policy for ranking: the ladder order, the score weights, what counts as
// acceptable, and the exception rules that allow individual support at once. Policy is data
// (JSON, validated like the model); `default_policy()` equals schema/policy-default.json.
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {

/// The features every option is scored on, each normalised to [0, 1] (docs/ranking.md).
enum class Feature : std::uint8_t {
  fit,           ///< how well the offer (or tie) serves the need's life domain
  proximity,     ///< 1 at the door, 0 at the resident's travel limit
  schedule,      ///< share of the offer's sessions in the resident's free day-parts
  language,      ///< 1 in the resident's first language, 0.7 in another shared one
  social_proof,  ///< 1 when someone the resident is tied to already takes part
  capacity,      ///< share of seats (or caseload, or helper hours) still free
  waiting,       ///< 1 without waiting, 0 at 90 days or more
  cost,          ///< 1 when free, falling logarithmically to 0 at 10,000 euro a month
  tie_strength,  ///< strength of the tie (own network only)
};
inline constexpr std::size_t feature_count = 9;
std::string_view to_string(Feature) noexcept;

/// `severity` (added for the what-if simulation's policies, docs/simulation.md): fires for every
/// need whose ZRM severity is at most the rule's `max_severity`.
enum class ExceptionKind : std::uint8_t { crisis, safety_report, rent_arrears, override_, severity };
std::string_view to_string(ExceptionKind) noexcept;

/// An exception rule: when it fires for a need, options at `level` or above lead the
/// ranking, and lower-level options stay in the list marked "alongside" (blended support).
struct ExceptionRule {
  std::string name;  ///< shown in every ranking where it fires
  ExceptionKind kind = ExceptionKind::crisis;
  LadderLevel level = LadderLevel::individual;
  int min_months = 2;    ///< rent_arrears only: months of arrears that trigger the rule
  int max_severity = 5;  ///< severity only: fires for needs of this ZRM severity or lower (1..5)
  friend bool operator==(const ExceptionRule&, const ExceptionRule&) = default;
};

/// A professional's documented override for one need.
struct Override {
  std::string need;  ///< need key
  LadderLevel level = LadderLevel::individual;
  std::string reason;  ///< a reason code, e.g. "unsafe_in_group" (no free text)
  friend bool operator==(const Override&, const Override&) = default;
};

struct Policy {
  /// Order of consideration; must be a permutation of the five levels.
  std::array<LadderLevel, ladder_level_count> ladder{LadderLevel::own_network, LadderLevel::collective,
                                                     LadderLevel::basic_care, LadderLevel::individual,
                                                     LadderLevel::specialist};
  std::array<double, feature_count> weights{};
  double acceptable_score = 0.45;          ///< options scoring below are listed but do not lead
  double introduction_factor = 0.6;        ///< score multiplier for a tie of a tie
  double overloaded_helper_hours = 20.0;   ///< a helper giving more is not asked for more
  double consideration_margin_m = 1500.0;  ///< offers this far beyond the travel limit are listed as "too far"
  double provision_radius_m = 15000.0;     ///< individual and specialist provisions serve this far
  /// An offer whose `confirmed` date lies more than this many days before `today` gets a
  /// "stale" reason in rankings (its places may be a lie); 0 = never. Offers without a
  /// confirmation date are not flagged: v1 models never had one.
  int stale_after_days = 180;
  /// The day rankings are evaluated on, for the stale check; none = the current UTC date.
  std::optional<Date> today{};
  std::vector<ExceptionRule> exceptions;  ///< checked in order; the first that fires is named
  std::vector<Override> overrides;
  friend bool operator==(const Policy&, const Policy&) = default;

  /// Position of `level` in the ladder (0 = considered first). O(1).
  int rank_of(LadderLevel level) const noexcept;
};

/// The documented default policy (schema/policy-default.json).
Policy default_policy();

/// Every problem of a policy document, as `pointer: reason`; empty when valid.
std::vector<Problem> validate_policy(std::string_view json_text);
/// Throws InputError listing every problem.
Policy parse_policy(std::string_view json_text);
Policy load_policy(const std::filesystem::path& path);
std::string to_json(const Policy& policy, int indent = 2);

}  // namespace wijkmatch
