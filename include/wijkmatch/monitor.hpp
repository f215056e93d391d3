// Monitoring: the figures a team lead shows the council, per neighbourhood (BU), district (WK)
// and municipality (GM) and per week or month, with disclosure control (disclosure.hpp)
// applied before anything leaves. Definitions and sources: docs/monitoring.md.
//
// Two steps, so that anything that produces a model and referrals (the live engine, a later
// simulation) reports the same figures:
//   monitor_figures(): the raw tables from a model and, where there is one, the referrals
//   with their dated steps;
//   protect(): rounding, primary and secondary suppression, statistics only over enough
//   cases, then shares, trends and equity flags computed from what is published.
// monitor() does both.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wijkmatch/area.hpp"
#include "wijkmatch/disclosure.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch {

enum class MonitorPeriod : std::uint8_t { week, month };
std::string_view to_string(MonitorPeriod) noexcept;

struct MonitorOptions {
  MonitorPeriod period = MonitorPeriod::month;
  /// The finest area level shown: neighbourhood rows come with their district and
  /// municipality rows, district rows with their municipality rows.
  AreaLevel level = AreaLevel::neighbourhood;
  int periods = 12;  ///< flow figures for this many periods up to and including `as_of`'s; 1..520
  /// The reference date: stocks are as of this day, flows in the periods up to it. None: the
  /// latest date in the data (needs' since dates, referral steps), so that a report does not
  /// depend on the clock.
  std::optional<Date> as_of{};
  /// Equity: a group's share (served, support at individual or specialist level) is flagged
  /// when it differs from the overall share by more than this (absolute, 0..1).
  double equity_share_gap = 0.10;
  /// Equity: a group's median lead time is flagged when it is more than this fraction above
  /// or below the overall median.
  double equity_lead_time_gap = 0.25;
  DisclosureOptions disclosure{};
};

/// What the numbers of a table are.
enum class FigureUnit : std::uint8_t { count, euro_per_month, euro, days };
std::string_view to_string(FigureUnit) noexcept;

/// One table of one figure for one period. Rows are areas (GM, then each district and its
/// neighbourhoods, in code order) or groups of residents with a last row "all"; for tables
/// with `has_total` the last column is the sum of the others.
struct FigureTable {
  std::string figure;    ///< e.g. "open_needs_by_domain" (docs/monitoring.md lists them)
  std::string period;    ///< "" for a stock as of the reference date, else "2026-11" or "2026-W48"
  std::string row_kind;  ///< "area", "first_language", "age_band", "household_type"
  FigureUnit unit = FigureUnit::count;
  bool has_total = false;
  std::vector<std::string> rows;
  std::vector<std::string> columns;
  std::vector<double> values;      ///< row-major; raw in MonitorFigures, published in MonitorReport
  std::vector<CellStatus> status;  ///< row-major; all published in MonitorFigures
  /// Tables that are not counts (sums of euros, statistics): the count table and cell each
  /// cell goes with (its suppression applies), and the cases behind a statistic.
  std::optional<std::size_t> guard_table{};
  std::vector<std::size_t> guard_cell{};  ///< per cell: index into the guard table's cells
  std::vector<long long> cases{};         ///< per cell, statistics only: the cases it is over
  std::size_t cell(std::size_t row, std::size_t column) const noexcept { return row * columns.size() + column; }
  double at(std::size_t row, std::size_t column) const { return values.at(cell(row, column)); }
};

/// One cell of a table: (table index, cell index).
using FigureCell = std::pair<std::size_t, std::size_t>;

/// The raw figures: tables plus the relations between cells of different tables that a reader
/// knows (the same count shown twice). Within a table the relations follow from its shape.
struct MonitorFigures {
  MonitorOptions options;
  Date as_of{};
  bool with_referrals = false;
  std::vector<std::string> periods;  ///< oldest first
  std::vector<FigureTable> tables;
  /// Each link states that the cells on the left sum to the cells on the right.
  std::vector<std::pair<std::vector<FigureCell>, std::vector<FigureCell>>> links;
  /// Figures of the issue that need referrals with their steps (a journal) and were not
  /// computed, with why.
  std::vector<std::pair<std::string, std::string>> needs_journal;
};

/// A disparity beyond the threshold: a group against the overall figure.
struct EquityFlag {
  std::string figure;  ///< "share_served", "share_individual_or_specialist", "median_days_need_to_start"
  std::string group_kind;
  std::string group;
  double value = 0.0;
  double overall = 0.0;
};

/// Change of a published total from one period to the next.
struct Trend {
  std::string figure, area, column, period;
  double value = 0.0, previous = 0.0;
};

struct MonitorReport {
  MonitorFigures figures;  ///< published values and statuses
  std::vector<EquityFlag> equity_flags;
  std::vector<Trend> trends;
  bool raw = false;  ///< unsafe_raw: nothing rounded or suppressed
};

/// The raw figures of `model`, plus the referral figures when `referrals` is given (their
/// needs, offers, ties and professionals are ids of `model`). Throws InvalidArgument for
/// options out of range. O(model + referral steps + tables).
MonitorFigures monitor_figures(const Model& model, std::optional<std::span<const Referral>> referrals,
                               const MonitorOptions& options = {});
/// Disclosure control on raw figures: see DisclosureOptions and docs/monitoring.md. O(cells)
/// plus the secondary suppression (recoverable_cells per round).
MonitorReport protect(MonitorFigures figures);
/// monitor_figures() and protect() over a model without a journal.
MonitorReport monitor(const Model& model, const MonitorOptions& options = {});
/// The same over the live engine: its model and all its referrals with their steps.
MonitorReport monitor(const Engine& engine, const MonitorOptions& options = {});

/// Every relation among the count tables a reader knows (row totals, area hierarchy, group
/// totals, links), as LinkedCounts over the concatenated count cells; `offsets[t]` is the
/// first index of table t (count tables only; others have no index). O(cells).
LinkedCounts linked_counts(const MonitorFigures& figures, std::vector<std::size_t>& offsets);

/// Machine-readable output (docs/monitoring.md): JSON with every table, flag and trend; CSV
/// with one line per cell (figure, period, row_kind, row, column, unit, value, status).
/// Suppressed cells have value null (JSON) or empty (CSV).
std::string to_json(const MonitorReport& report, int indent = 2);
std::string to_csv(const MonitorReport& report);
/// A short readable overview: the municipality rows, flags and what needs a journal.
std::string to_text(const MonitorReport& report);

}  // namespace wijkmatch
