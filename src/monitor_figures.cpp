// monitor_figures(): the raw tables. Definitions (and where they come from): docs/monitoring.md.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "wijkmatch/monitor.hpp"

namespace wijkmatch {

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

/// Rows of a table and the row each one adds up into (none for a top row).
struct Shape {
  std::string row_kind;
  std::vector<std::string> rows;
  std::vector<std::size_t> parent;
};

/// Areas at the chosen level and above, each municipality followed by its districts and each
/// district by its neighbourhoods, in code order; `finest` maps a BU code to its row.
struct Areas {
  Shape shape;
  std::unordered_map<std::string, std::size_t> finest;
  std::size_t row_of(const std::string& bu) const {
    auto it = finest.find(bu);
    return it == finest.end() ? none : it->second;
  }
};

Areas make_areas(const Model& m, AreaLevel level) {
  std::set<std::string> bus;
  for (const auto& h : m.households) bus.insert(h.neighbourhood);
  for (const auto& r : m.residents) bus.insert(r.neighbourhood);
  for (const auto& o : m.offers) bus.insert(o.neighbourhood);
  std::map<std::string, std::map<std::string, std::set<std::string>>> tree;
  for (const auto& bu : bus) tree[municipality_of(bu)][district_of(bu)].insert(bu);
  Areas a;
  a.shape.row_kind = "area";
  auto add = [&](const std::string& code, std::size_t parent) {
    a.shape.rows.push_back(code);
    a.shape.parent.push_back(parent);
    return a.shape.rows.size() - 1;
  };
  for (const auto& [gm, districts] : tree) {
    const std::size_t g = add(gm, none);
    for (const auto& [wk, neighbourhoods] : districts) {
      const std::size_t w = level == AreaLevel::municipality ? g : add(wk, g);
      for (const auto& bu : neighbourhoods) {
        const std::size_t b = level == AreaLevel::neighbourhood ? add(bu, w) : w;
        a.finest[bu] = b;
      }
    }
  }
  return a;
}

/// Groups of residents and a last row "all" they add up into.
Shape group_shape(std::string kind, std::vector<std::string> groups) {
  Shape s;
  s.row_kind = std::move(kind);
  s.rows = std::move(groups);
  s.parent.assign(s.rows.size(), s.rows.size());
  s.rows.emplace_back("all");
  s.parent.push_back(none);
  return s;
}

FigureTable make_table(std::string figure, std::string period, const Shape& shape, std::vector<std::string> columns,
                       bool has_total, FigureUnit unit = FigureUnit::count) {
  FigureTable t;
  t.figure = std::move(figure);
  t.period = std::move(period);
  t.row_kind = shape.row_kind;
  t.unit = unit;
  t.has_total = has_total;
  t.rows = shape.rows;
  t.columns = std::move(columns);
  if (has_total) t.columns.emplace_back("total");
  t.values.assign(t.rows.size() * t.columns.size(), 0.0);
  t.status.assign(t.values.size(), CellStatus::published);
  return t;
}

/// Adds `v` to the cell and to every row above it (and to the total column).
void add(FigureTable& t, const Shape& s, std::size_t row, std::size_t col, double v) {
  for (std::size_t r = row; r != none; r = s.parent[r]) {
    t.values[t.cell(r, col)] += v;
    if (t.has_total) t.values[t.cell(r, t.columns.size() - 1)] += v;
  }
}

/// Statistics per cell: samples propagate up the rows like counts.
struct Samples {
  std::vector<std::vector<double>> of;  // per (row, group) of `groups`
  std::size_t groups = 1;
  Samples(std::size_t rows, std::size_t g) : of(rows * g), groups(g) {}
  void add(const Shape& s, std::size_t row, std::size_t group, double v) {
    for (std::size_t r = row; r != none; r = s.parent[r]) of[r * groups + group].push_back(v);
  }
};

/// Linear interpolation between order statistics (Hyndman and Fan type 7, numpy's default).
double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::string month_key(Date d) {
  const std::chrono::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  return buf;
}

/// ISO 8601 week: the week's Thursday decides the year.
std::string week_key(Date d) {
  const unsigned wd = std::chrono::weekday{d}.iso_encoding();  // 1 = Monday
  const Date thursday = d + std::chrono::days{4 - static_cast<int>(wd)};
  const std::chrono::year y = std::chrono::year_month_day{thursday}.year();
  const Date first = std::chrono::sys_days{y / std::chrono::January / 1};
  const long week = (thursday - first).count() / 7 + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02ld", static_cast<int>(y), week);
  return buf;
}

std::vector<std::string> level_columns(std::size_t from = 0) {
  std::vector<std::string> out;
  for (std::size_t l = from; l < ladder_level_count; ++l) out.emplace_back(to_string(static_cast<LadderLevel>(l)));
  return out;
}

std::vector<std::string> severity_columns() { return {"1", "2", "3", "4", "5"}; }

constexpr double days_per_month = 365.2425 / 12.0;

}  // namespace

std::string_view to_string(MonitorPeriod p) noexcept { return p == MonitorPeriod::week ? "week" : "month"; }

std::string_view to_string(FigureUnit u) noexcept {
  switch (u) {
    case FigureUnit::count: return "count";
    case FigureUnit::euro_per_month: return "euro_per_month";
    case FigureUnit::euro: return "euro";
    case FigureUnit::days: return "days";
  }
  return "count";
}

MonitorFigures monitor_figures(const Model& m, std::optional<std::span<const Referral>> referrals,
                               const MonitorOptions& options) {
  if (options.periods < 1 || options.periods > 520) throw InvalidArgument("monitor: periods must be in 1..520");
  if (!(options.equity_share_gap >= 0 && options.equity_share_gap <= 1))
    throw InvalidArgument("monitor: equity_share_gap must be in [0, 1]");
  if (!(options.equity_lead_time_gap >= 0 && options.equity_lead_time_gap <= 10))
    throw InvalidArgument("monitor: equity_lead_time_gap must be in [0, 10]");
  const auto& d = options.disclosure;
  if (d.threshold < 1 || d.rounding < 1 || d.min_cases < 1)
    throw InvalidArgument("monitor: threshold, rounding and min_cases must be at least 1");

  MonitorFigures f;
  f.options = options;
  f.with_referrals = referrals.has_value();
  // The reference date: given, or the latest date in the data.
  Date as_of{};
  bool any_date = false;
  auto see = [&](Date x) {
    if (!any_date || x > as_of) as_of = x;
    any_date = true;
  };
  for (const auto& n : m.needs) see(n.since);
  if (referrals)
    for (const auto& r : *referrals)
      for (const auto& s : r.history) see(s.at);
  if (options.as_of) as_of = *options.as_of;
  f.as_of = as_of;

  auto key_of = [&](Date x) { return options.period == MonitorPeriod::week ? week_key(x) : month_key(x); };
  {
    std::vector<std::string> keys;
    Date x = as_of;
    const std::chrono::year_month_day ymd{as_of};
    for (int i = 0; i < options.periods; ++i) {
      if (options.period == MonitorPeriod::week) {
        keys.push_back(week_key(x));
        x -= std::chrono::days{7};
      } else {
        const auto ym = std::chrono::year_month{ymd.year(), ymd.month()} - std::chrono::months{i};
        keys.push_back(month_key(std::chrono::sys_days{ym / 1}));
      }
    }
    f.periods.assign(keys.rbegin(), keys.rend());
  }
  std::unordered_map<std::string, std::size_t> period_index;
  for (std::size_t i = 0; i < f.periods.size(); ++i) period_index[f.periods[i]] = i;
  auto period_of = [&](Date x) -> std::size_t {
    if (x > as_of) return none;
    auto it = period_index.find(key_of(x));
    return it == period_index.end() ? none : it->second;
  };

  const Areas areas = make_areas(m, options.level);
  const Shape& A = areas.shape;
  auto area_of_resident = [&](ResidentId r) { return areas.row_of(m[r].neighbourhood); };

  // Groups for equity: first language, age band, household type.
  std::vector<std::string> languages;
  {
    std::set<std::string> ls;
    for (const auto& r : m.residents) ls.insert(r.languages.empty() ? std::string("unknown") : r.languages.front());
    languages.assign(ls.begin(), ls.end());
  }
  std::vector<std::string> age_bands;
  for (std::size_t b = 0; b < age_band_count; ++b) age_bands.emplace_back(to_string(static_cast<AgeBand>(b)));
  const std::vector<std::string> household_types{"one_person", "with_children", "multi_person_no_children"};
  std::vector<std::size_t> household_size(m.households.size(), 0), household_children(m.households.size(), 0);
  for (const auto& r : m.residents) {
    ++household_size[r.household.index()];
    household_children[r.household.index()] += r.age_band == AgeBand::age_0_14;
  }
  const std::array<Shape, 3> groups{group_shape("first_language", languages), group_shape("age_band", age_bands),
                                    group_shape("household_type", household_types)};
  auto group_rows = [&](ResidentId id) {
    const Resident& r = m[id];
    const std::string lang = r.languages.empty() ? std::string("unknown") : r.languages.front();
    const auto li =
        static_cast<std::size_t>(std::lower_bound(languages.begin(), languages.end(), lang) - languages.begin());
    const std::size_t h = r.household.index();
    const std::size_t ht = household_size[h] <= 1 ? 0 : household_children[h] > 0 ? 1 : 2;
    return std::array<std::size_t, 3>{li, static_cast<std::size_t>(r.age_band), ht};
  };
  const std::array<std::string, 3> group_names{"first_language", "age_band", "household_type"};

  auto push = [&](FigureTable t) {
    f.tables.push_back(std::move(t));
    return f.tables.size() - 1;
  };
  // The same count in two tables: every row of column `ca` of table a equals column `cb` of b.
  auto link_columns = [&](std::size_t a, std::size_t ca, std::size_t b, std::size_t cb) {
    for (std::size_t r = 0; r < f.tables[a].rows.size(); ++r)
      f.links.push_back({{{a, f.tables[a].cell(r, ca)}}, {{b, f.tables[b].cell(r, cb)}}});
  };
  // The "all" row of a group table equals the municipality rows of an area table summed (over
  // several period tables when given).
  auto link_all = [&](std::size_t group_table, const std::vector<std::size_t>& area_tables) {
    const FigureTable& g = f.tables[group_table];
    for (std::size_t c = 0; c < g.columns.size(); ++c) {
      std::vector<FigureCell> right;
      for (std::size_t at : area_tables)
        for (std::size_t r = 0; r < A.rows.size(); ++r)
          if (A.parent[r] == none) right.emplace_back(at, f.tables[at].cell(r, c));
      f.links.push_back({{{group_table, g.cell(g.rows.size() - 1, c)}}, std::move(right)});
    }
  };

  // --- Stocks as of the reference date -------------------------------------------------
  std::vector<std::string> domain_columns;
  for (std::size_t k = 0; k < life_domain_count; ++k)
    domain_columns.emplace_back(to_string(static_cast<LifeDomain>(k)));
  const std::size_t t_domain = push(make_table("open_needs_by_domain", "", A, domain_columns, true));
  const std::size_t t_severity = push(make_table("open_needs_by_severity", "", A, severity_columns(), true));
  for (const auto& n : m.needs) {
    if (n.status == NeedStatus::closed || n.since > as_of) continue;
    const std::size_t row = area_of_resident(n.resident);
    add(f.tables[t_domain], A, row, static_cast<std::size_t>(n.domain), 1);
    add(f.tables[t_severity], A, row, static_cast<std::size_t>(n.severity - 1), 1);
  }
  link_columns(t_domain, life_domain_count, t_severity, 5);

  // Support now: places taken at offers, own-network ties in use, and (with referrals) the
  // team's professionals supporting a need, which the model does not record otherwise.
  struct Support {
    ResidentId resident;
    LadderLevel level;
    double cost;  // euro per month; own network and the team's professionals: 0 (not in the model)
  };
  std::vector<Support> support;
  for (std::size_t r = 0; r < m.residents.size(); ++r)
    for (OfferId o : m.residents[r].attends)
      support.push_back({ResidentId(static_cast<std::uint32_t>(r)), m[o].level, m[o].cost_per_month});
  for (const auto& t : m.ties)
    if (t.hours_used > 0) support.push_back({t.helped, LadderLevel::own_network, 0.0});
  if (referrals)
    for (const auto& ref : *referrals)
      if ((ref.state == ReferralState::started || ref.state == ReferralState::on_hold) &&
          ref.target.professional.valid() && !ref.target.offer.valid())
        support.push_back({m[ref.need].resident, ref.target.level, 0.0});

  const std::size_t t_support = push(make_table("support_by_level", "", A, level_columns(), true));
  FigureTable cost = make_table("cost_per_month_by_level", "", A, level_columns(), true, FigureUnit::euro_per_month);
  std::array<std::size_t, 3> t_group_level{};
  for (std::size_t g = 0; g < 3; ++g)
    t_group_level[g] = push(make_table("support_by_level_by_" + group_names[g], "", groups[g], level_columns(), true));
  std::vector<std::size_t> individual_per_household(m.households.size(), 0);
  for (const auto& s : support) {
    const std::size_t row = area_of_resident(s.resident);
    add(f.tables[t_support], A, row, static_cast<std::size_t>(s.level), 1);
    add(cost, A, row, static_cast<std::size_t>(s.level), s.cost);
    const auto gr = group_rows(s.resident);
    for (std::size_t g = 0; g < 3; ++g)
      add(f.tables[t_group_level[g]], groups[g], gr[g], static_cast<std::size_t>(s.level), 1);
    if (s.level >= LadderLevel::individual) ++individual_per_household[m[s.resident].household.index()];
  }
  cost.guard_table = t_support;
  cost.guard_cell.resize(cost.values.size());
  for (std::size_t i = 0; i < cost.values.size(); ++i) cost.guard_cell[i] = i;
  push(std::move(cost));
  for (std::size_t g = 0; g < 3; ++g) link_all(t_group_level[g], {t_support});

  const std::size_t t_stapeling =
      push(make_table("households_by_individual_provisions", "", A, {"1", "2_or_more"}, true));
  for (std::size_t h = 0; h < m.households.size(); ++h)
    if (individual_per_household[h] > 0)
      add(f.tables[t_stapeling], A, areas.row_of(m.households[h].neighbourhood),
          individual_per_household[h] >= 2 ? 1 : 0, 1);

  // Needs served: a need the model no longer has open (in progress or closed) and, with
  // referrals, also a need one of whose referrals started by the reference date.
  std::vector<char> served(m.needs.size(), 0);
  for (std::size_t n = 0; n < m.needs.size(); ++n) served[n] = m.needs[n].status != NeedStatus::open;
  std::vector<Date> first_proposal(m.needs.size(), Date::max()), first_start(m.needs.size(), Date::max());
  if (referrals) {
    for (const auto& ref : *referrals)
      for (const auto& s : ref.history) {
        const std::size_t n = ref.need.index();
        if (s.state == ReferralState::proposed) first_proposal[n] = std::min(first_proposal[n], s.at);
        if (s.state == ReferralState::started && s.at <= as_of) {
          first_start[n] = std::min(first_start[n], s.at);
          served[n] = 1;
        }
      }
  }
  const std::size_t t_served = push(make_table("needs_served", "", A, {"served", "not_served"}, true));
  std::array<std::size_t, 3> t_group_served{};
  for (std::size_t g = 0; g < 3; ++g)
    t_group_served[g] =
        push(make_table("needs_served_by_" + group_names[g], "", groups[g], {"served", "not_served"}, true));
  for (std::size_t n = 0; n < m.needs.size(); ++n) {
    const Need& need = m.needs[n];
    if (need.since > as_of) continue;
    const std::size_t col = served[n] ? 0 : 1;
    add(f.tables[t_served], A, area_of_resident(need.resident), col, 1);
    const auto gr = group_rows(need.resident);
    for (std::size_t g = 0; g < 3; ++g) add(f.tables[t_group_served[g]], groups[g], gr[g], col, 1);
  }
  for (std::size_t g = 0; g < 3; ++g) link_all(t_group_served[g], {t_served});

  // --- Flows per period ------------------------------------------------------------------
  std::vector<std::size_t> t_opened;
  for (const auto& p : f.periods) t_opened.push_back(push(make_table("needs_opened", p, A, severity_columns(), true)));
  for (const auto& n : m.needs) {
    const std::size_t p = period_of(n.since);
    if (p != none)
      add(f.tables[t_opened[p]], A, area_of_resident(n.resident), static_cast<std::size_t>(n.severity - 1), 1);
  }

  if (!referrals) {
    const std::string why = "needs referrals with their dated steps: run with the engine's journal";
    for (const char* name :
         {"referral_steps", "declines_by_reason", "endings_by_reason (incl. 32, step down to collective)",
          "started_by_level", "lead_times", "cost_per_trajectory", "lead_time_by_group"})
      f.needs_journal.emplace_back(name, why);
    f.needs_journal.emplace_back("support_by_level (team professionals)",
                                 "the model records places at offers and ties in use, not the team's own support");
    return f;
  }

  const std::vector<std::string> step_columns{"proposed", "offered", "accepted", "declined",
                                              "expired",  "started", "ended",    "cancelled"};
  const std::array<ReferralState, 8> step_states{
      ReferralState::proposed, ReferralState::offered, ReferralState::accepted, ReferralState::declined,
      ReferralState::expired,  ReferralState::started, ReferralState::ended,    ReferralState::cancelled};
  std::vector<std::string> decline_columns, ending_columns;
  for (std::size_t k = 0; k < decline_reason_count; ++k)
    decline_columns.emplace_back(to_string(static_cast<DeclineReason>(k)));
  static constexpr std::array<std::string_view, ending_reason_count> ending_names{"02_death",
                                                                                  "19_delivery_ended",
                                                                                  "20_delivery_ended_early",
                                                                                  "31_moved",
                                                                                  "32_step_down_to_collective",
                                                                                  "33_continued_zvw",
                                                                                  "34_continued_wlz",
                                                                                  "goal_reached"};
  for (auto n : ending_names) ending_columns.emplace_back(n);
  std::vector<std::string> cost_columns;
  for (std::size_t l = 0; l < ladder_level_count; ++l) {
    cost_columns.push_back(std::string(to_string(static_cast<LadderLevel>(l))) + "_median");
    cost_columns.push_back(std::string(to_string(static_cast<LadderLevel>(l))) + "_p90");
  }
  const std::vector<std::string> lead_columns{"need_to_proposal_median",  "need_to_proposal_p90",
                                              "proposal_to_start_median", "proposal_to_start_p90",
                                              "need_to_start_median",     "need_to_start_p90"};

  const std::size_t P = f.periods.size();
  std::vector<std::size_t> t_steps(P), t_declines(P), t_endings(P), t_started(P), t_cases(P), t_ended(P);
  std::vector<Samples> lead, traj;
  for (std::size_t p = 0; p < P; ++p) {
    const std::string& key = f.periods[p];
    t_steps[p] = push(make_table("referral_steps", key, A, step_columns, true));
    t_declines[p] = push(make_table("declines_by_reason", key, A, decline_columns, true));
    t_endings[p] = push(make_table("endings_by_reason", key, A, ending_columns, true));
    t_started[p] = push(make_table("started_by_level", key, A, level_columns(), true));
    t_ended[p] = push(make_table("trajectories_ended_by_level", key, A, level_columns(), true));
    t_cases[p] = push(make_table("lead_time_cases", key, A, {"cases"}, false));
    link_columns(t_declines[p], decline_reason_count, t_steps[p], 3);
    link_columns(t_endings[p], ending_reason_count, t_steps[p], 6);
    link_columns(t_started[p], ladder_level_count, t_steps[p], 5);
    link_columns(t_ended[p], ladder_level_count, t_steps[p], 6);
    lead.emplace_back(A.rows.size(), 3);
    traj.emplace_back(A.rows.size(), ladder_level_count);
  }
  for (const auto& ref : *referrals) {
    const std::size_t row = area_of_resident(m[ref.need].resident);
    std::array<bool, referral_state_count> seen{};
    std::optional<Date> started;
    for (const auto& s : ref.history) {
      if (s.state == ReferralState::started && !started) started = s.at;
      const auto st = static_cast<std::size_t>(s.state);
      if (seen[st]) continue;  // resuming after on_hold is no second start
      seen[st] = true;
      const std::size_t p = period_of(s.at);
      if (p == none) continue;
      const auto col =
          static_cast<std::size_t>(std::find(step_states.begin(), step_states.end(), s.state) - step_states.begin());
      if (col == step_states.size()) continue;  // on_hold, entered_in_error
      add(f.tables[t_steps[p]], A, row, col, 1);
      if (s.state == ReferralState::declined && ref.declined)
        add(f.tables[t_declines[p]], A, row, static_cast<std::size_t>(*ref.declined), 1);
      if (s.state == ReferralState::declined && !ref.declined)
        add(f.tables[t_declines[p]], A, row, static_cast<std::size_t>(DeclineReason::other), 1);
      if (s.state == ReferralState::started)
        add(f.tables[t_started[p]], A, row, static_cast<std::size_t>(ref.target.level), 1);
      if (s.state == ReferralState::ended) {
        add(f.tables[t_endings[p]], A, row, static_cast<std::size_t>(ref.ended.value_or(EndingReason::delivery_ended)),
            1);
        add(f.tables[t_ended[p]], A, row, static_cast<std::size_t>(ref.target.level), 1);
        // Cost of the trajectory: months supported times the offer's price. The team's own
        // professionals have no price in the model: left out of the statistic.
        const double months = started ? static_cast<double>((s.at - *started).count()) / days_per_month : 0.0;
        if (ref.target.offer.valid())
          traj[p].add(A, row, static_cast<std::size_t>(ref.target.level), months * m[ref.target.offer].cost_per_month);
        else if (ref.target.tie.valid())
          traj[p].add(A, row, static_cast<std::size_t>(ref.target.level), 0.0);
      }
    }
  }
  // Lead times of the needs whose first start falls in the period.
  std::array<std::vector<Samples>, 3> group_lead;
  std::array<std::size_t, 3> t_group_cases{};
  for (std::size_t g = 0; g < 3; ++g) {
    t_group_cases[g] = push(make_table("lead_time_cases_by_" + group_names[g], "", groups[g], {"cases"}, false));
    group_lead[g].emplace_back(groups[g].rows.size(), 1);
  }
  for (std::size_t n = 0; n < m.needs.size(); ++n) {
    if (first_start[n] == Date::max()) continue;
    const std::size_t p = period_of(first_start[n]);
    if (p == none) continue;
    const Need& need = m.needs[n];
    const std::size_t row = area_of_resident(need.resident);
    const Date proposal = std::min(first_proposal[n], first_start[n]);
    add(f.tables[t_cases[p]], A, row, 0, 1);
    lead[p].add(A, row, 0, static_cast<double>((proposal - need.since).count()));
    lead[p].add(A, row, 1, static_cast<double>((first_start[n] - proposal).count()));
    lead[p].add(A, row, 2, static_cast<double>((first_start[n] - need.since).count()));
    const auto gr = group_rows(need.resident);
    for (std::size_t g = 0; g < 3; ++g) {
      add(f.tables[t_group_cases[g]], groups[g], gr[g], 0, 1);
      group_lead[g][0].add(groups[g], gr[g], 0, static_cast<double>((first_start[n] - need.since).count()));
    }
  }
  for (std::size_t g = 0; g < 3; ++g) link_all(t_group_cases[g], t_cases);

  // Statistic tables: each cell guarded by a count cell, with its cases.
  auto stat_table = [&](std::string figure, std::string period, const Shape& shape, std::vector<std::string> columns,
                        FigureUnit unit, std::size_t guard, const Samples& samples, auto guard_column_of) {
    FigureTable t = make_table(std::move(figure), std::move(period), shape, std::move(columns), false, unit);
    t.guard_table = guard;
    t.guard_cell.resize(t.values.size());
    t.cases.resize(t.values.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const std::size_t i = t.cell(r, c);
        const auto& v = samples.of[r * samples.groups + c / 2];
        t.guard_cell[i] = f.tables[guard].cell(r, guard_column_of(c));
        t.cases[i] = static_cast<long long>(v.size());
        if (!v.empty())
          t.values[i] = quantile(v, c % 2 == 0 ? 0.5 : 0.9);
        else
          t.status[i] = CellStatus::not_available;
      }
    push(std::move(t));
  };
  for (std::size_t p = 0; p < P; ++p) {
    stat_table("lead_times", f.periods[p], A, lead_columns, FigureUnit::days, t_cases[p], lead[p],
               [](std::size_t) { return std::size_t{0}; });
    stat_table("cost_per_trajectory", f.periods[p], A, cost_columns, FigureUnit::euro, t_ended[p], traj[p],
               [](std::size_t c) { return c / 2; });
  }
  for (std::size_t g = 0; g < 3; ++g) {
    // One column (the median): the sample groups are per column pair, so pass a single pair.
    stat_table("lead_time_by_" + group_names[g], "", groups[g], {"need_to_start_median", "need_to_start_p90"},
               FigureUnit::days, t_group_cases[g], group_lead[g][0], [](std::size_t) { return std::size_t{0}; });
  }
  return f;
}

}  // namespace wijkmatch
