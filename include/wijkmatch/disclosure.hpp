// Statistical disclosure control for published counts: rounding, primary suppression of small
// cells and secondary suppression so that no suppressed cell can be computed back from the
// cells that are published and the additive relations a reader knows (row and column totals,
// the CBS hierarchy BU -> WK -> GM, the same count in two tables). See docs/monitoring.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace wijkmatch {

/// What happened to one published cell.
enum class CellStatus : std::uint8_t {
  published,      ///< shown (rounded unless raw)
  primary,        ///< a count under the threshold: suppressed
  secondary,      ///< suppressed so that a primary cell cannot be computed back
  too_few_cases,  ///< a statistic (median, percentile, mean) over fewer cases than allowed
  not_available,  ///< nothing to compute from (e.g. no case at all)
};
inline constexpr std::size_t cell_status_count = 5;
std::string_view to_string(CellStatus) noexcept;

/// The rules applied before anything leaves the library. The defaults follow CBS practice for
/// small-area social-domain figures (docs/monitoring.md).
struct DisclosureOptions {
  /// Raw figures: no rounding, no suppression. Only for people entitled to the microdata; the
  /// command line warns on stderr.
  bool unsafe_raw = false;
  long long threshold = 5;   ///< counts 1 .. threshold-1 are suppressed (0 is published); >= 1
  long long rounding = 5;    ///< published counts are rounded to the nearest multiple; >= 1 (1: none)
  long long min_cases = 10;  ///< medians, percentiles and means only over at least this many cases; >= 1
};

/// Counts together with the additive relations a reader of the published tables knows. Each
/// relation states sum(coefficient * value) == 0 over the cells it names (coefficients +1 or
/// -1), e.g. {(row total, -1), (cell 1, +1), (cell 2, +1)}.
struct LinkedCounts {
  std::vector<long long> values;  ///< >= 0
  std::vector<std::vector<std::pair<std::size_t, int>>> relations;
};

/// Cells among the suppressed ones (`suppressed[i]` true) whose value the relations determine
/// uniquely from the published cells, i.e. whose unit vector lies in the row space of the
/// relations restricted to the suppressed cells. Found exactly per connected group of
/// suppressed cells by sparse Gauss-Jordan elimination. Ascending order.
/// O(sum over groups of relations * cells * min(relations, cells)).
std::vector<std::size_t> recoverable_cells(const LinkedCounts& counts, const std::vector<bool>& suppressed);

/// The suppression pattern: primary for counts 1 .. threshold-1, then secondary cells until
/// recoverable_cells() finds none. Deterministic: among the published cells of a relation that
/// exposes a suppressed cell, the one with the smallest non-zero value (then lowest index) is
/// suppressed; zeros only when nothing else is left. Throws InvalidArgument for threshold < 1,
/// a negative value or a relation naming a cell that does not exist.
std::vector<CellStatus> suppress(const LinkedCounts& counts, long long threshold);

/// `value` rounded to the nearest multiple of `base` (halves up). O(1).
long long round_count(long long value, long long base) noexcept;

}  // namespace wijkmatch
