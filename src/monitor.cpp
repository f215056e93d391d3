// protect(), monitor() and the output of a monitor report. The disclosure rules and the
// relations a reader knows: docs/monitoring.md.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "wijkmatch/monitor.hpp"

namespace wijkmatch {

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

bool is_count_table(const FigureTable& t) { return t.unit == FigureUnit::count && !t.guard_table; }

/// The row each row adds up into, as a reader derives it: from the CBS codes for areas
/// (BU -> WK -> GM, where that row is shown), the last row "all" for groups.
std::vector<std::size_t> parents(const FigureTable& t) {
  std::vector<std::size_t> out(t.rows.size(), none);
  if (t.row_kind != "area") {
    for (std::size_t r = 0; r + 1 < t.rows.size(); ++r) out[r] = t.rows.size() - 1;
    return out;
  }
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < t.rows.size(); ++r) row_of[t.rows[r]] = r;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& code = t.rows[r];
    if (code.rfind("GM", 0) == 0) continue;
    std::vector<std::string> up;
    if (code.rfind("BU", 0) == 0) up.push_back(district_of(code));
    up.push_back(municipality_of(code));
    for (const auto& u : up)
      if (auto it = row_of.find(u); it != row_of.end()) {
        out[r] = it->second;
        break;
      }
  }
  return out;
}

std::string date_text(Date d) {
  const std::chrono::year_month_day ymd{d};
  std::ostringstream s;
  s << std::setfill('0') << std::setw(4) << static_cast<int>(ymd.year()) << '-' << std::setw(2)
    << static_cast<unsigned>(ymd.month()) << '-' << std::setw(2) << static_cast<unsigned>(ymd.day());
  return s.str();
}

std::string_view level_name(AreaLevel l) {
  switch (l) {
    case AreaLevel::municipality: return "municipality";
    case AreaLevel::district: return "district";
    case AreaLevel::neighbourhood: return "neighbourhood";
  }
  return "neighbourhood";
}

const FigureTable* find_table(const MonitorFigures& f, std::string_view figure, std::string_view period = "") {
  for (const auto& t : f.tables)
    if (t.figure == figure && t.period == period) return &t;
  return nullptr;
}

bool published(const FigureTable& t, std::size_t r, std::size_t c) {
  return t.status[t.cell(r, c)] == CellStatus::published;
}

void equity_flags(MonitorReport& report) {
  const auto& f = report.figures;
  const double gap = f.options.equity_share_gap;
  const auto min_cases = static_cast<double>(f.options.disclosure.min_cases);
  // share = sum of columns `num` over column `den`, where all are published and den is large enough.
  auto share = [&](const FigureTable& t, std::size_t r, const std::vector<std::size_t>& num,
                   std::size_t den) -> std::optional<double> {
    if (!published(t, r, den) || t.at(r, den) < min_cases) return std::nullopt;
    double s = 0;
    for (auto c : num) {
      if (!published(t, r, c)) return std::nullopt;
      s += t.at(r, c);
    }
    return s / t.at(r, den);
  };
  const std::array<std::string, 3> kinds{"first_language", "age_band", "household_type"};
  std::optional<double> overall_served;
  for (const auto& kind : kinds) {
    if (const auto* t = find_table(f, "needs_served_by_" + kind)) {
      const std::size_t all = t->rows.size() - 1;
      const auto overall = share(*t, all, {0}, 2);
      overall_served = overall_served ? overall_served : overall;
      for (std::size_t r = 0; overall && r < all; ++r)
        if (auto s = share(*t, r, {0}, 2); s && std::abs(*s - *overall) > gap)
          report.equity_flags.push_back({"share_served", kind, t->rows[r], *s, *overall});
    }
    if (const auto* t = find_table(f, "support_by_level_by_" + kind)) {
      const std::size_t all = t->rows.size() - 1;
      const std::vector<std::size_t> individual{static_cast<std::size_t>(LadderLevel::individual),
                                                static_cast<std::size_t>(LadderLevel::specialist)};
      const auto overall = share(*t, all, individual, ladder_level_count);
      for (std::size_t r = 0; overall && r < all; ++r)
        if (auto s = share(*t, r, individual, ladder_level_count); s && std::abs(*s - *overall) > gap)
          report.equity_flags.push_back({"share_individual_or_specialist", kind, t->rows[r], *s, *overall});
    }
    if (const auto* t = find_table(f, "lead_time_by_" + kind)) {
      const std::size_t all = t->rows.size() - 1;
      if (!published(*t, all, 0) || t->at(all, 0) <= 0) continue;
      const double overall = t->at(all, 0);
      for (std::size_t r = 0; r < all; ++r)
        if (published(*t, r, 0) && std::abs(t->at(r, 0) / overall - 1.0) > f.options.equity_lead_time_gap)
          report.equity_flags.push_back({"median_days_need_to_start", kind, t->rows[r], t->at(r, 0), overall});
    }
  }
  if (const auto* t = find_table(f, "needs_served"); t && overall_served) {
    const auto par = parents(*t);
    for (std::size_t r = 0; r < t->rows.size(); ++r) {
      if (par[r] == none) continue;  // a municipality is the whole, not a part
      if (auto s = share(*t, r, {0}, 2); s && std::abs(*s - *overall_served) > gap)
        report.equity_flags.push_back({"share_served", "area", t->rows[r], *s, *overall_served});
    }
  }
  // Ladder level by area: against the whole (the "all" row of the first group table).
  const FigureTable* by_area = find_table(f, "support_by_level");
  const FigureTable* all = find_table(f, "support_by_level_by_first_language");
  if (by_area && all) {
    const std::vector<std::size_t> individual{static_cast<std::size_t>(LadderLevel::individual),
                                              static_cast<std::size_t>(LadderLevel::specialist)};
    const auto overall = share(*all, all->rows.size() - 1, individual, ladder_level_count);
    const auto par = parents(*by_area);
    for (std::size_t r = 0; overall && r < by_area->rows.size(); ++r) {
      if (par[r] == none) continue;
      if (auto s = share(*by_area, r, individual, ladder_level_count); s && std::abs(*s - *overall) > gap)
        report.equity_flags.push_back({"share_individual_or_specialist", "area", by_area->rows[r], *s, *overall});
    }
  }
}

void trends(MonitorReport& report) {
  const auto& f = report.figures;
  std::vector<std::string> figures;
  for (const auto& t : f.tables)
    if (!t.period.empty() && t.has_total && std::find(figures.begin(), figures.end(), t.figure) == figures.end())
      figures.push_back(t.figure);
  for (const auto& fig : figures)
    for (std::size_t p = 1; p < f.periods.size(); ++p) {
      const auto* now = find_table(f, fig, f.periods[p]);
      const auto* before = find_table(f, fig, f.periods[p - 1]);
      if (!now || !before) continue;
      const std::size_t total = now->columns.size() - 1;
      for (std::size_t r = 0; r < now->rows.size(); ++r) {
        // Districts and municipalities: per neighbourhood a trend is mostly noise.
        if (now->rows[r].rfind("BU", 0) == 0) continue;
        if (!published(*now, r, total) || !published(*before, r, total)) continue;
        report.trends.push_back({fig, now->rows[r], "total", f.periods[p], now->at(r, total), before->at(r, total)});
      }
    }
}

}  // namespace

LinkedCounts linked_counts(const MonitorFigures& f, std::vector<std::size_t>& offsets) {
  LinkedCounts lc;
  offsets.assign(f.tables.size(), none);
  for (std::size_t t = 0; t < f.tables.size(); ++t) {
    const auto& table = f.tables[t];
    if (!is_count_table(table)) continue;
    offsets[t] = lc.values.size();
    for (double v : table.values) lc.values.push_back(std::llround(v));
  }
  for (std::size_t t = 0; t < f.tables.size(); ++t) {
    const auto& table = f.tables[t];
    if (offsets[t] == none) continue;
    const std::size_t base = offsets[t], cols = table.columns.size();
    if (table.has_total)
      for (std::size_t r = 0; r < table.rows.size(); ++r) {
        std::vector<std::pair<std::size_t, int>> rel;
        for (std::size_t c = 0; c + 1 < cols; ++c) rel.emplace_back(base + table.cell(r, c), 1);
        rel.emplace_back(base + table.cell(r, cols - 1), -1);
        lc.relations.push_back(std::move(rel));
      }
    const auto par = parents(table);
    for (std::size_t p = 0; p < table.rows.size(); ++p) {
      std::vector<std::size_t> children;
      for (std::size_t r = 0; r < table.rows.size(); ++r)
        if (par[r] == p) children.push_back(r);
      if (children.empty()) continue;
      for (std::size_t c = 0; c < cols; ++c) {
        std::vector<std::pair<std::size_t, int>> rel;
        for (auto r : children) rel.emplace_back(base + table.cell(r, c), 1);
        rel.emplace_back(base + table.cell(p, c), -1);
        lc.relations.push_back(std::move(rel));
      }
    }
  }
  for (const auto& [left, right] : f.links) {
    std::vector<std::pair<std::size_t, int>> rel;
    for (const auto& [t, i] : left) rel.emplace_back(offsets.at(t) + i, 1);
    for (const auto& [t, i] : right) rel.emplace_back(offsets.at(t) + i, -1);
    lc.relations.push_back(std::move(rel));
  }
  return lc;
}

MonitorReport protect(MonitorFigures figures) {
  MonitorReport report;
  const DisclosureOptions d = figures.options.disclosure;
  report.raw = d.unsafe_raw;
  if (!d.unsafe_raw) {
    std::vector<std::size_t> offsets;
    const LinkedCounts lc = linked_counts(figures, offsets);
    const std::vector<CellStatus> pattern = suppress(lc, d.threshold);
    for (std::size_t t = 0; t < figures.tables.size(); ++t) {
      auto& table = figures.tables[t];
      if (offsets[t] == none) continue;
      for (std::size_t i = 0; i < table.values.size(); ++i) {
        table.status[i] = pattern[offsets[t] + i];
        table.values[i] = table.status[i] == CellStatus::published
                              ? static_cast<double>(round_count(lc.values[offsets[t] + i], d.rounding))
                              : 0.0;
      }
    }
    for (auto& table : figures.tables) {
      if (!table.guard_table) continue;
      const auto& guard = figures.tables[*table.guard_table];
      for (std::size_t i = 0; i < table.values.size(); ++i) {
        const CellStatus g = guard.status[table.guard_cell[i]];
        if (table.status[i] != CellStatus::published) {
        } else if (g != CellStatus::published) {
          table.status[i] = g;
        } else if (!table.cases.empty() && table.cases[i] < d.min_cases) {
          table.status[i] = CellStatus::too_few_cases;
        }
        // Euros to whole euros, days to one decimal: no more precision than the figure carries.
        table.values[i] = table.status[i] != CellStatus::published ? 0.0
                          : table.unit == FigureUnit::days         ? std::round(table.values[i] * 10.0) / 10.0
                                                                   : std::round(table.values[i]);
      }
    }
  }
  report.figures = std::move(figures);
  equity_flags(report);
  trends(report);
  return report;
}

MonitorReport monitor(const Model& model, const MonitorOptions& options) {
  return protect(monitor_figures(model, std::nullopt, options));
}

MonitorReport monitor(const Engine& engine, const MonitorOptions& options) {
  const Model& model = engine.model();
  std::vector<Referral> referrals;
  for (std::size_t n = 0; n < model.needs.size(); ++n)
    for (auto& r : engine.referrals_of(NeedId(static_cast<std::uint32_t>(n)))) referrals.push_back(std::move(r));
  return protect(monitor_figures(model, std::span<const Referral>(referrals), options));
}

namespace {

nlohmann::ordered_json cell_json(const FigureTable& t, std::size_t i) {
  if (t.status[i] != CellStatus::published) return nullptr;
  if (t.unit == FigureUnit::days) return t.values[i];
  return std::llround(t.values[i]);
}

}  // namespace

std::string to_json(const MonitorReport& report, int indent) {
  const auto& f = report.figures;
  const auto& d = f.options.disclosure;
  nlohmann::ordered_json j;
  j["format"] = "wijkmatch-monitor";
  j["format_version"] = 1;
  j["as_of"] = date_text(f.as_of);
  j["period"] = std::string(to_string(f.options.period));
  j["level"] = std::string(level_name(f.options.level));
  j["periods"] = f.periods;
  j["with_journal"] = f.with_referrals;
  j["disclosure"] = {
      {"raw", report.raw}, {"threshold", d.threshold}, {"rounding", d.rounding}, {"min_cases", d.min_cases}};
  auto& tables = j["tables"] = nlohmann::ordered_json::array();
  for (const auto& t : f.tables) {
    nlohmann::ordered_json jt;
    jt["figure"] = t.figure;
    jt["period"] = t.period;
    jt["row_kind"] = t.row_kind;
    jt["unit"] = std::string(to_string(t.unit));
    jt["has_total"] = t.has_total;
    jt["rows"] = t.rows;
    jt["columns"] = t.columns;
    // Built apart: ordered_json keeps members in a vector, so a reference into jt would not
    // survive the next member.
    nlohmann::ordered_json values = nlohmann::ordered_json::array(), status = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      nlohmann::ordered_json vr = nlohmann::ordered_json::array(), sr = nlohmann::ordered_json::array();
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        vr.push_back(cell_json(t, t.cell(r, c)));
        sr.push_back(std::string(to_string(t.status[t.cell(r, c)])));
      }
      values.push_back(std::move(vr));
      status.push_back(std::move(sr));
    }
    jt["values"] = std::move(values);
    jt["status"] = std::move(status);
    tables.push_back(std::move(jt));
  }
  auto& flags = j["equity_flags"] = nlohmann::ordered_json::array();
  for (const auto& e : report.equity_flags)
    flags.push_back({{"figure", e.figure},
                     {"group_kind", e.group_kind},
                     {"group", e.group},
                     {"value", e.value},
                     {"overall", e.overall}});
  auto& tr = j["trends"] = nlohmann::ordered_json::array();
  for (const auto& t : report.trends)
    tr.push_back({{"figure", t.figure},
                  {"area", t.area},
                  {"column", t.column},
                  {"period", t.period},
                  {"value", std::llround(t.value)},
                  {"previous", std::llround(t.previous)},
                  {"change", std::llround(t.value - t.previous)}});
  auto& nj = j["needs_journal"] = nlohmann::ordered_json::array();
  for (const auto& [figure, why] : f.needs_journal) nj.push_back({{"figure", figure}, {"why", why}});
  return j.dump(indent) + "\n";
}

std::string to_csv(const MonitorReport& report) {
  std::ostringstream out;
  out << "figure,period,row_kind,row,column,unit,value,status\n";
  for (const auto& t : report.figures.tables)
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const std::size_t i = t.cell(r, c);
        out << t.figure << ',' << t.period << ',' << t.row_kind << ',' << t.rows[r] << ',' << t.columns[c] << ','
            << to_string(t.unit) << ',';
        if (t.status[i] == CellStatus::published) out << cell_json(t, i).dump();
        out << ',' << to_string(t.status[i]) << '\n';
      }
  return out.str();
}

std::string to_text(const MonitorReport& report) {
  const auto& f = report.figures;
  std::ostringstream out;
  out << "Monitor as of " << date_text(f.as_of) << ", per " << to_string(f.options.period) << " (" << f.periods.size()
      << " periods), down to " << level_name(f.options.level) << "\n";
  if (report.raw)
    out << "RAW FIGURES: no rounding, no suppression (unsafe_raw)\n";
  else
    out << "Disclosure control: counts rounded to multiples of " << f.options.disclosure.rounding << ", counts under "
        << f.options.disclosure.threshold << " suppressed with secondary suppression, statistics over at least "
        << f.options.disclosure.min_cases << " cases; '.' = suppressed, 'x' = too few cases\n";
  auto cell_text = [](const FigureTable& t, std::size_t r, std::size_t c) -> std::string {
    const std::size_t i = t.cell(r, c);
    if (t.status[i] == CellStatus::too_few_cases) return "x";
    if (t.status[i] != CellStatus::published) return ".";
    return cell_json(t, i).dump();
  };
  // The stocks, then the flows of the latest period.
  std::vector<std::pair<std::string, std::string>> shown{{"open_needs_by_severity", ""},
                                                         {"support_by_level", ""},
                                                         {"needs_served", ""},
                                                         {"households_by_individual_provisions", ""}};
  if (!f.periods.empty())
    for (const char* fig : {"needs_opened", "referral_steps", "endings_by_reason", "lead_times"})
      shown.emplace_back(fig, f.periods.back());
  for (const auto& [fig, period] : shown) {
    const auto* t = find_table(f, fig, period);
    if (!t) continue;
    out << "\n"
        << fig << (period.empty() ? "" : " " + period) << " (municipalities and districts)\n  " << std::setw(12) << "";
    for (const auto& c : t->columns) out << std::setw(std::max<int>(8, static_cast<int>(c.size()) + 1)) << c;
    out << "\n";
    for (std::size_t r = 0; r < t->rows.size(); ++r) {
      if (t->rows[r].rfind("BU", 0) == 0) continue;
      out << "  " << std::left << std::setw(12) << t->rows[r] << std::right;
      for (std::size_t c = 0; c < t->columns.size(); ++c)
        out << std::setw(std::max<int>(8, static_cast<int>(t->columns[c].size()) + 1)) << cell_text(*t, r, c);
      out << "\n";
    }
  }
  out << "\nEquity: " << report.equity_flags.size() << " disparities beyond the threshold\n";
  out << std::fixed << std::setprecision(2);
  for (const auto& e : report.equity_flags)
    out << "  " << e.figure << " " << e.group_kind << "=" << e.group << ": " << e.value << " against " << e.overall
        << " overall\n";
  if (!f.needs_journal.empty()) {
    out << "\nNot computed without a journal (--journal):\n";
    for (const auto& [figure, why] : f.needs_journal) out << "  " << figure << ": " << why << "\n";
  }
  return out.str();
}

}  // namespace wijkmatch
