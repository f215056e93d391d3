// The monitor: exact figures on a small model and referrals a reader can check by hand (raw
// mode), determinism, and an attacker who tries to recover every suppressed cell.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "wijkmatch/generate.hpp"
#include "wijkmatch/monitor.hpp"

using namespace wijkmatch;

namespace {

Date on(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / d};
}

/// Two districts of GM0344: BU03440101 (households H1, H2) and BU03440201 (H3).
Model hand_model() {
  Model m;
  m.households = {{"H1", "BU03440101"}, {"H2", "BU03440101"}, {"H3", "BU03440201"}};
  auto resident = [&](std::string key, std::uint32_t h, std::string lang, AgeBand band) {
    Resident r;
    r.key = std::move(key);
    r.household = HouseholdId(h);
    r.neighbourhood = m.households[h].neighbourhood;
    r.languages = {std::move(lang)};
    r.age_band = band;
    m.residents.push_back(r);
  };
  resident("R1", 0, "nl", AgeBand::age_25_44);
  resident("R2", 0, "ar", AgeBand::age_0_14);
  resident("R3", 1, "ar", AgeBand::age_80_plus);
  resident("R4", 2, "tr", AgeBand::age_45_64);
  resident("R5", 2, "tr", AgeBand::age_45_64);
  auto offer = [&](std::string key, LadderLevel level, double cost, std::string bu) {
    Offer o;
    o.key = std::move(key);
    o.level = level;
    o.cost_per_month = cost;
    o.seats = 10;
    o.neighbourhood = std::move(bu);
    m.offers.push_back(o);
  };
  offer("O1", LadderLevel::collective, 10, "BU03440101");
  offer("O2", LadderLevel::individual, 500, "BU03440201");
  offer("O3", LadderLevel::specialist, 2000, "BU03440201");
  m.residents[0].attends = {OfferId(0)};
  m.residents[2].attends = {OfferId(0)};
  m.residents[3].attends = {OfferId(1), OfferId(2)};
  m.residents[4].attends = {OfferId(1)};
  Tie t;
  t.helper = ResidentId(0);
  t.helped = ResidentId(2);
  t.hours_per_week = 2;
  t.hours_used = 1;
  m.ties.push_back(t);
  auto need = [&](std::string key, std::uint32_t r, LifeDomain d, int severity, NeedStatus status, Date since) {
    Need n;
    n.key = std::move(key);
    n.resident = ResidentId(r);
    n.domain = d;
    n.severity = severity;
    n.status = status;
    n.since = since;
    m.needs.push_back(n);
  };
  need("N1", 0, LifeDomain::finances, 3, NeedStatus::open, on(2026, 10, 5));
  need("N2", 2, LifeDomain::housing, 2, NeedStatus::in_progress, on(2026, 9, 10));
  need("N3", 3, LifeDomain::mental_health, 1, NeedStatus::closed, on(2026, 11, 2));
  need("N4", 4, LifeDomain::finances, 3, NeedStatus::open, on(2026, 11, 20));
  m.rebuild_index();
  return m;
}

Referral referral(std::uint32_t need, std::uint32_t offer, LadderLevel level,
                  std::vector<std::pair<ReferralState, Date>> steps) {
  Referral r;
  r.key = "REF" + std::to_string(need) + "-" + std::to_string(offer);
  r.need = NeedId(need);
  r.target.level = level;
  r.target.offer = OfferId(offer);
  for (const auto& [state, at] : steps) r.history.push_back({state, at, ""});
  r.state = r.history.back().state;
  return r;
}

std::vector<Referral> hand_referrals() {
  using S = ReferralState;
  std::vector<Referral> out;
  out.push_back(
      referral(0, 0, LadderLevel::collective,
               {{S::proposed, on(2026, 10, 10)}, {S::accepted, on(2026, 10, 12)}, {S::started, on(2026, 10, 15)}}));
  out.push_back(
      referral(3, 1, LadderLevel::individual, {{S::proposed, on(2026, 11, 21)}, {S::declined, on(2026, 11, 22)}}));
  out.back().declined = DeclineReason::schedule;
  out.push_back(
      referral(1, 1, LadderLevel::individual,
               {{S::proposed, on(2026, 9, 12)}, {S::started, on(2026, 9, 20)}, {S::ended, on(2026, 11, 19)}}));
  out.back().ended = EndingReason::general_basic_support;
  return out;
}

const FigureTable& table(const MonitorReport& r, std::string_view figure, std::string_view period = "") {
  for (const auto& t : r.figures.tables)
    if (t.figure == figure && t.period == period) return t;
  FAIL("no table " << figure << " " << period);
  throw 0;
}

double value(const FigureTable& t, std::string_view row, std::string_view column) {
  const auto r = std::find(t.rows.begin(), t.rows.end(), row) - t.rows.begin();
  const auto c = std::find(t.columns.begin(), t.columns.end(), column) - t.columns.begin();
  REQUIRE(static_cast<std::size_t>(r) < t.rows.size());
  REQUIRE(static_cast<std::size_t>(c) < t.columns.size());
  return t.at(static_cast<std::size_t>(r), static_cast<std::size_t>(c));
}

MonitorOptions raw_options() {
  MonitorOptions o;
  o.disclosure.unsafe_raw = true;
  return o;
}

}  // namespace

TEST_CASE("monitor figures of a model, exact in raw mode", "[monitor]") {
  const MonitorReport r = monitor(hand_model(), raw_options());
  CHECK(r.raw);
  CHECK(r.figures.as_of == on(2026, 11, 20));
  CHECK(r.figures.periods.back() == "2026-11");
  CHECK(r.figures.periods.size() == 12);
  const auto& dom = table(r, "open_needs_by_domain");
  CHECK(dom.rows == std::vector<std::string>{"GM0344", "WK034401", "BU03440101", "WK034402", "BU03440201"});
  CHECK(value(dom, "GM0344", "finances") == 2);
  CHECK(value(dom, "GM0344", "housing") == 1);
  CHECK(value(dom, "GM0344", "mental_health") == 0);  // closed
  CHECK(value(dom, "GM0344", "total") == 3);
  CHECK(value(dom, "WK034401", "total") == 2);
  CHECK(value(dom, "BU03440201", "finances") == 1);
  const auto& sev = table(r, "open_needs_by_severity");
  CHECK(value(sev, "BU03440101", "2") == 1);
  CHECK(value(sev, "BU03440101", "3") == 1);
  const auto& sup = table(r, "support_by_level");
  CHECK(value(sup, "GM0344", "own_network") == 1);
  CHECK(value(sup, "GM0344", "collective") == 2);
  CHECK(value(sup, "GM0344", "individual") == 2);
  CHECK(value(sup, "GM0344", "specialist") == 1);
  CHECK(value(sup, "GM0344", "total") == 6);
  const auto& cost = table(r, "cost_per_month_by_level");
  CHECK(value(cost, "GM0344", "collective") == 20);
  CHECK(value(cost, "BU03440201", "total") == 3000);
  const auto& stap = table(r, "households_by_individual_provisions");
  CHECK(value(stap, "GM0344", "2_or_more") == 1);
  CHECK(value(stap, "GM0344", "1") == 0);
  const auto& served = table(r, "needs_served");
  CHECK(value(served, "GM0344", "served") == 2);  // in progress and closed
  CHECK(value(served, "BU03440101", "not_served") == 1);
  const auto& lang = table(r, "needs_served_by_first_language");
  CHECK(lang.rows == std::vector<std::string>{"ar", "nl", "tr", "all"});
  CHECK(value(lang, "nl", "not_served") == 1);
  CHECK(value(lang, "tr", "served") == 1);
  CHECK(value(lang, "all", "total") == 4);
  const auto& ht = table(r, "needs_served_by_household_type");
  CHECK(value(ht, "with_children", "total") == 1);
  CHECK(value(ht, "one_person", "served") == 1);
  CHECK(value(ht, "multi_person_no_children", "total") == 2);
  CHECK(value(table(r, "needs_opened", "2026-11"), "GM0344", "total") == 2);
  CHECK(value(table(r, "needs_opened", "2026-11"), "GM0344", "1") == 1);
  CHECK(value(table(r, "needs_opened", "2026-09"), "BU03440101", "2") == 1);
  // Without referrals the referral figures are not invented: they are named as needing a journal.
  CHECK_FALSE(r.figures.with_referrals);
  CHECK(std::none_of(r.figures.tables.begin(), r.figures.tables.end(),
                     [](const FigureTable& t) { return t.figure == "referral_steps" || t.figure == "lead_times"; }));
  CHECK(std::any_of(r.figures.needs_journal.begin(), r.figures.needs_journal.end(),
                    [](const auto& p) { return p.first == "lead_times"; }));
}

TEST_CASE("monitor figures of referrals with dated steps, exact in raw mode", "[monitor]") {
  const Model m = hand_model();
  const std::vector<Referral> refs = hand_referrals();
  const MonitorReport r = protect(monitor_figures(m, std::span<const Referral>(refs), raw_options()));
  CHECK(r.figures.as_of == on(2026, 11, 22));
  const auto& nov = table(r, "referral_steps", "2026-11");
  CHECK(value(nov, "GM0344", "proposed") == 1);
  CHECK(value(nov, "GM0344", "declined") == 1);
  CHECK(value(nov, "GM0344", "ended") == 1);
  CHECK(value(nov, "GM0344", "total") == 3);
  const auto& oct = table(r, "referral_steps", "2026-10");
  CHECK(value(oct, "BU03440101", "started") == 1);
  CHECK(value(oct, "GM0344", "total") == 3);
  CHECK(value(table(r, "declines_by_reason", "2026-11"), "BU03440201", "schedule") == 1);
  CHECK(value(table(r, "endings_by_reason", "2026-11"), "GM0344", "32_step_down_to_collective") == 1);
  CHECK(value(table(r, "started_by_level", "2026-09"), "GM0344", "individual") == 1);
  // N1: opened 5 Oct, proposed 10 Oct, started 15 Oct.
  const auto& lead = table(r, "lead_times", "2026-10");
  CHECK(value(lead, "GM0344", "need_to_proposal_median") == 5);
  CHECK(value(lead, "GM0344", "proposal_to_start_median") == 5);
  CHECK(value(lead, "GM0344", "need_to_start_p90") == 10);
  CHECK(value(table(r, "lead_time_cases", "2026-10"), "GM0344", "cases") == 1);
  // The trajectory that ended: 60 days of 500 euro a month.
  CHECK(value(table(r, "cost_per_trajectory", "2026-11"), "GM0344", "individual_median") ==
        Approx(60 / (365.2425 / 12) * 500));
  // Served now also counts a started referral (N1).
  CHECK(value(table(r, "needs_served"), "GM0344", "served") == 3);
  // Trends of published totals, period over period.
  const auto it = std::find_if(r.trends.begin(), r.trends.end(), [](const Trend& t) {
    return t.figure == "referral_steps" && t.area == "GM0344" && t.period == "2026-10";
  });
  REQUIRE(it != r.trends.end());
  CHECK(it->previous == 2);
  CHECK(it->value == 3);
}

TEST_CASE("equity flags name the groups beyond the threshold", "[monitor]") {
  // 60 needs of Dutch speakers, 54 served; 40 of Arabic speakers, 16 served.
  Model m;
  m.households.push_back({"H0", "BU03440101"});
  for (int i = 0; i < 100; ++i) {
    Resident r;
    r.key = "R" + std::to_string(i);
    r.household = HouseholdId(0);
    r.neighbourhood = "BU03440101";
    r.languages = {i < 60 ? "nl" : "ar"};
    m.residents.push_back(r);
    Need n;
    n.key = "N" + std::to_string(i);
    n.resident = ResidentId(static_cast<std::uint32_t>(i));
    n.since = on(2026, 11, 1);
    n.status = (i < 54 || (i >= 60 && i < 76)) ? NeedStatus::in_progress : NeedStatus::open;
    m.needs.push_back(n);
  }
  // Support: 20 places at a collective offer in BU03440101, 20 at an individual one in
  // BU03440102 (residents of a second household there).
  m.households.push_back({"H1", "BU03440102"});
  Offer group, coach;
  group.key = "group";
  group.level = LadderLevel::collective;
  group.neighbourhood = "BU03440101";
  coach.key = "coach";
  coach.level = LadderLevel::individual;
  coach.neighbourhood = "BU03440102";
  m.offers = {group, coach};
  for (int i = 0; i < 20; ++i) m.residents[static_cast<std::size_t>(i)].attends = {OfferId(0)};
  for (int i = 0; i < 20; ++i) {
    Resident r;
    r.key = "S" + std::to_string(i);
    r.household = HouseholdId(1);
    r.neighbourhood = "BU03440102";
    r.languages = {"nl"};
    r.attends = {OfferId(1)};
    m.residents.push_back(r);
  }
  m.rebuild_index();
  const MonitorReport r = monitor(m);  // protected: shares come from published, rounded counts
  std::map<std::string, double> by_area;
  for (const auto& f : r.equity_flags)
    if (f.figure == "share_individual_or_specialist" && f.group_kind == "area") by_area[f.group] = f.value;
  CHECK(by_area == std::map<std::string, double>{{"BU03440101", 0.0}, {"BU03440102", 1.0}});
  std::map<std::string, double> flagged;
  for (const auto& f : r.equity_flags)
    if (f.figure == "share_served" && f.group_kind == "first_language") flagged[f.group] = f.value;
  REQUIRE(flagged.count("ar") == 1);
  CHECK(flagged["ar"] == Approx(15.0 / 40.0));  // 16 rounds to 15
  REQUIRE(flagged.count("nl") == 1);
  CHECK(flagged["nl"] == Approx(55.0 / 60.0));
  CHECK(to_text(r).find("share_served first_language=ar") != std::string::npos);
}

TEST_CASE("monitor output is deterministic and checks its options", "[monitor]") {
  const Model m = generate({.residents = 1500, .seed = 5, .needs_per_100 = 8});
  MonitorOptions o;
  o.period = MonitorPeriod::week;
  const std::string a = to_json(monitor(m, o));
  CHECK(a == to_json(monitor(m, o)));
  CHECK(to_csv(monitor(m, o)) == to_csv(monitor(m, o)));
  CHECK(a.find("\"period\": \"week\"") != std::string::npos);
  o.periods = 0;
  CHECK_THROWS_AS(monitor(m, o), InvalidArgument);
  o.periods = 12;
  o.disclosure.threshold = 0;
  CHECK_THROWS_AS(monitor(m, o), InvalidArgument);
  o.disclosure.threshold = 5;
  o.equity_share_gap = 1.5;
  CHECK_THROWS_AS(monitor(m, o), InvalidArgument);
  o.equity_share_gap = 0.1;
  o.equity_lead_time_gap = -1;
  CHECK_THROWS_AS(monitor(m, o), InvalidArgument);
}

namespace {

/// The attacker: knows every published cell exactly (stronger than rounding allows), the
/// shape of each table (a column "total" sums the others; rows add up by their CBS codes,
/// BU -> WK -> GM, or into the row "all") and the cross-table links the report declares.
/// Builds the linear equalities itself, then tries (1) differencing: a relation with exactly
/// one suppressed cell; (2) any combination: a suppressed cell whose unit vector lies in the
/// row space of the relations restricted to the suppressed cells (row echelon form, then
/// reduce each unit vector). Returns the cells it recovers, as "figure period row column".
std::vector<std::string> attack(const MonitorReport& protected_report, const MonitorReport& raw_report) {
  const auto& pt = protected_report.figures.tables;
  const auto& rt = raw_report.figures.tables;
  REQUIRE(pt.size() == rt.size());
  std::vector<std::size_t> offset(pt.size(), SIZE_MAX);
  std::vector<bool> hidden;
  std::vector<std::string> name;
  for (std::size_t t = 0; t < pt.size(); ++t) {
    REQUIRE(pt[t].values.size() == rt[t].values.size());
    if (pt[t].unit != FigureUnit::count || pt[t].guard_table) continue;
    offset[t] = hidden.size();
    for (std::size_t i = 0; i < pt[t].values.size(); ++i) {
      hidden.push_back(pt[t].status[i] != CellStatus::published);
      name.push_back(pt[t].figure + " " + pt[t].period + " " + pt[t].rows[i / pt[t].columns.size()] + " " +
                     pt[t].columns[i % pt[t].columns.size()]);
    }
  }
  std::vector<std::vector<std::pair<std::size_t, double>>> eqs;
  for (std::size_t t = 0; t < pt.size(); ++t) {
    if (offset[t] == SIZE_MAX) continue;
    const auto& tb = pt[t];
    const std::size_t cols = tb.columns.size();
    if (tb.columns.back() == "total")
      for (std::size_t r = 0; r < tb.rows.size(); ++r) {
        std::vector<std::pair<std::size_t, double>> e;
        for (std::size_t c = 0; c + 1 < cols; ++c) e.emplace_back(offset[t] + r * cols + c, 1.0);
        e.emplace_back(offset[t] + r * cols + cols - 1, -1.0);
        eqs.push_back(e);
      }
    std::map<std::string, std::size_t> row_of;
    for (std::size_t r = 0; r < tb.rows.size(); ++r) row_of[tb.rows[r]] = r;
    std::map<std::size_t, std::vector<std::size_t>> children;
    for (std::size_t r = 0; r < tb.rows.size(); ++r) {
      const std::string& code = tb.rows[r];
      std::vector<std::string> up;
      if (tb.row_kind != "area") {
        if (code != "all") up = {"all"};
      } else if (code.rfind("BU", 0) == 0) {
        up = {"WK" + code.substr(2, 6), "GM" + code.substr(2, 4)};
      } else if (code.rfind("WK", 0) == 0) {
        up = {"GM" + code.substr(2, 4)};
      }
      for (const auto& u : up)
        if (row_of.count(u)) {
          children[row_of[u]].push_back(r);
          break;
        }
    }
    for (const auto& [p, kids] : children)
      for (std::size_t c = 0; c < cols; ++c) {
        std::vector<std::pair<std::size_t, double>> e;
        for (auto k : kids) e.emplace_back(offset[t] + k * cols + c, 1.0);
        e.emplace_back(offset[t] + p * cols + c, -1.0);
        eqs.push_back(e);
      }
  }
  for (const auto& [left, right] : protected_report.figures.links) {
    std::vector<std::pair<std::size_t, double>> e;
    for (const auto& [t, i] : left) e.emplace_back(offset[t] + i, 1.0);
    for (const auto& [t, i] : right) e.emplace_back(offset[t] + i, -1.0);
    eqs.push_back(e);
  }
  // The attacker's equalities hold for the raw figures (else it is attacking something else).
  std::vector<double> raw;
  for (std::size_t t = 0; t < rt.size(); ++t)
    if (offset[t] != SIZE_MAX) raw.insert(raw.end(), rt[t].values.begin(), rt[t].values.end());
  for (const auto& e : eqs) {
    double s = 0;
    for (const auto& [i, c] : e) s += c * raw[i];
    REQUIRE(s == 0);
  }

  std::vector<std::string> recovered;
  // (1) Differencing.
  for (const auto& e : eqs) {
    std::size_t n = 0, which = 0;
    for (const auto& [i, c] : e)
      if (hidden[i]) ++n, which = i;
    if (n == 1) recovered.push_back("differencing: " + name[which]);
  }
  // (2) Combinations, per connected group of suppressed cells.
  std::vector<std::size_t> group(hidden.size());
  for (std::size_t i = 0; i < group.size(); ++i) group[i] = i;
  auto find = [&](std::size_t x) {
    while (group[x] != x) x = group[x] = group[group[x]];
    return x;
  };
  for (const auto& e : eqs) {
    std::size_t first = SIZE_MAX;
    for (const auto& [i, c] : e)
      if (hidden[i]) {
        if (first == SIZE_MAX)
          first = i;
        else
          group[find(i)] = find(first);
      }
  }
  std::map<std::size_t, std::vector<std::size_t>> cells;
  for (std::size_t i = 0; i < hidden.size(); ++i)
    if (hidden[i]) cells[find(i)].push_back(i);
  std::map<std::size_t, std::vector<std::size_t>> eqs_of;
  for (std::size_t k = 0; k < eqs.size(); ++k)
    for (const auto& [i, c] : eqs[k])
      if (hidden[i]) {
        eqs_of[find(i)].push_back(k);
        break;
      }
  for (const auto& [g, vars] : cells) {
    std::map<std::size_t, std::size_t> col;
    for (std::size_t j = 0; j < vars.size(); ++j) col[vars[j]] = j;
    std::vector<std::vector<double>> rows;
    for (auto k : eqs_of[g]) {
      std::vector<double> row(vars.size(), 0.0);
      for (const auto& [i, c] : eqs[k])
        if (hidden[i]) row[col[i]] += c;
      rows.push_back(row);
    }
    // Row echelon form: pivots[p] = column of echelon row p.
    std::vector<std::size_t> pivots;
    std::size_t r = 0;
    for (std::size_t c = 0; c < vars.size() && r < rows.size(); ++c) {
      std::size_t best = r;
      for (std::size_t i = r; i < rows.size(); ++i)
        if (std::abs(rows[i][c]) > std::abs(rows[best][c])) best = i;
      if (std::abs(rows[best][c]) < 1e-9) continue;
      std::swap(rows[r], rows[best]);
      for (std::size_t i = r + 1; i < rows.size(); ++i) {
        const double f = rows[i][c] / rows[r][c];
        if (f != 0)
          for (std::size_t k = c; k < vars.size(); ++k) rows[i][k] -= f * rows[r][k];
      }
      pivots.push_back(c);
      ++r;
    }
    for (std::size_t j = 0; j < vars.size(); ++j) {
      std::vector<double> v(vars.size(), 0.0);
      v[j] = 1.0;
      for (std::size_t p = 0; p < pivots.size(); ++p) {
        const std::size_t c = pivots[p];
        if (std::abs(v[c]) < 1e-12) continue;
        const double f = v[c] / rows[p][c];
        for (std::size_t k = c; k < vars.size(); ++k) v[k] -= f * rows[p][k];
      }
      if (std::all_of(v.begin(), v.end(), [](double x) { return std::abs(x) < 1e-7; }))
        recovered.push_back("combination: " + name[vars[j]]);
    }
  }
  return recovered;
}

/// Synthetic referrals for the open needs of a generated model: proposed after the need,
/// then accepted and started, declined or expired; some started ones end.
std::vector<Referral> random_referrals(const Model& m, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Referral> out;
  Date latest{};
  for (const auto& n : m.needs) latest = std::max(latest, n.since);
  for (std::size_t n = 0; n < m.needs.size(); ++n) {
    if (rng() % 3 == 0 || m.offers.empty()) continue;
    const auto o = static_cast<std::uint32_t>(rng() % m.offers.size());
    Referral r;
    r.key = "REF" + std::to_string(n);
    r.need = NeedId(static_cast<std::uint32_t>(n));
    r.target.offer = OfferId(o);
    r.target.level = m.offers[o].level;
    Date at = m.needs[n].since + std::chrono::days{static_cast<int>(rng() % 40)};
    r.history.push_back({ReferralState::proposed, at, ""});
    const auto outcome = rng() % 4;
    at += std::chrono::days{static_cast<int>(rng() % 20)};
    if (outcome == 0) {
      r.history.push_back({ReferralState::declined, at, ""});
      r.declined = static_cast<DeclineReason>(rng() % decline_reason_count);
    } else if (outcome == 1) {
      r.history.push_back({ReferralState::expired, at, ""});
    } else {
      r.history.push_back({ReferralState::accepted, at, ""});
      at += std::chrono::days{static_cast<int>(rng() % 30)};
      r.history.push_back({ReferralState::started, at, ""});
      if (outcome == 3) {
        at += std::chrono::days{static_cast<int>(rng() % 90)};
        r.history.push_back({ReferralState::ended, at, ""});
        r.ended = static_cast<EndingReason>(rng() % ending_reason_count);
      }
    }
    r.state = r.history.back().state;
    out.push_back(std::move(r));
  }
  (void)latest;
  return out;
}

void check_protected(const MonitorReport& p, const MonitorReport& raw) {
  const auto& d = p.figures.options.disclosure;
  std::size_t primary = 0, secondary = 0;
  for (std::size_t t = 0; t < p.figures.tables.size(); ++t) {
    const auto& pt = p.figures.tables[t];
    const auto& rt = raw.figures.tables[t];
    for (std::size_t i = 0; i < pt.values.size(); ++i) {
      INFO(pt.figure << " " << pt.period << " cell " << i);
      const bool shown = pt.status[i] == CellStatus::published;
      primary += pt.status[i] == CellStatus::primary;
      secondary += pt.status[i] == CellStatus::secondary;
      if (pt.unit == FigureUnit::count && !pt.guard_table) {
        // Every small count hidden; every shown count rounded from the raw one.
        if (rt.values[i] > 0 && rt.values[i] < static_cast<double>(d.threshold)) CHECK_FALSE(shown);
        if (shown) CHECK(pt.values[i] == static_cast<double>(round_count(std::llround(rt.values[i]), d.rounding)));
      } else if (pt.guard_table) {
        // A statistic or sum only where its count is shown and over enough cases.
        if (shown) CHECK(p.figures.tables[*pt.guard_table].status[pt.guard_cell[i]] == CellStatus::published);
        if (shown && !pt.cases.empty()) CHECK(pt.cases[i] >= d.min_cases);
      }
    }
  }
  CHECK(primary > 0);  // the cases below are small enough to need protection
  const auto recovered = attack(p, raw);
  INFO((recovered.empty() ? std::string() : recovered.front()));
  CHECK(recovered.empty());
  (void)secondary;
}

}  // namespace

TEST_CASE("the attacker recovers no suppressed cell", "[monitor][disclosure]") {
  struct Case {
    std::int64_t residents;
    std::uint64_t seed;
    int municipalities;
    MonitorPeriod period;
    AreaLevel level;
    long long threshold;
  };
  const Case cases[] = {
      {400, 1, 1, MonitorPeriod::month, AreaLevel::neighbourhood, 5},
      {1500, 2, 1, MonitorPeriod::month, AreaLevel::neighbourhood, 5},
      {1500, 3, 2, MonitorPeriod::week, AreaLevel::neighbourhood, 5},
      {3000, 4, 2, MonitorPeriod::month, AreaLevel::district, 10},
      {800, 5, 1, MonitorPeriod::month, AreaLevel::municipality, 3},
  };
  for (const auto& c : cases) {
    INFO("residents " << c.residents << " seed " << c.seed);
    const Model m =
        generate({.residents = c.residents, .seed = c.seed, .municipalities = c.municipalities, .needs_per_100 = 8});
    const std::vector<Referral> refs = random_referrals(m, c.seed);
    MonitorOptions o;
    o.period = c.period;
    o.level = c.level;
    o.periods = 6;
    o.disclosure.threshold = c.threshold;
    for (bool with_referrals : {false, true}) {
      const auto r = with_referrals ? std::optional<std::span<const Referral>>(refs) : std::nullopt;
      const MonitorReport p = protect(monitor_figures(m, r, o));
      MonitorOptions raw = o;
      raw.disclosure.unsafe_raw = true;
      check_protected(p, protect(monitor_figures(m, r, raw)));
    }
  }
}

TEST_CASE("the attacker recovers nothing from adversarial small cases", "[monitor][disclosure]") {
  // Everything small: a few needs over two districts, with referrals.
  const Model m = hand_model();
  const std::vector<Referral> refs = hand_referrals();
  for (long long threshold : {2LL, 5LL, 10LL}) {
    for (AreaLevel level : {AreaLevel::neighbourhood, AreaLevel::district}) {
      MonitorOptions o;
      o.level = level;
      o.disclosure.threshold = threshold;
      MonitorOptions raw = o;
      raw.disclosure.unsafe_raw = true;
      const auto r = std::optional<std::span<const Referral>>(refs);
      check_protected(protect(monitor_figures(m, r, o)), protect(monitor_figures(m, r, raw)));
    }
  }
  // One need alone in its neighbourhood, next to a large one: the classic differencing case.
  Model big = generate({.residents = 600, .seed = 9, .needs_per_100 = 10});
  Need lonely = big.needs.front();
  lonely.key = "lonely";
  Resident r = big.residents.front();
  r.key = "lonely-resident";
  r.neighbourhood = big.residents.front().neighbourhood.substr(0, 8) + "99";
  Household h{"lonely-household", r.neighbourhood};
  big.households.push_back(h);
  r.household = HouseholdId(static_cast<std::uint32_t>(big.households.size() - 1));
  r.attends.clear();
  big.residents.push_back(r);
  lonely.resident = ResidentId(static_cast<std::uint32_t>(big.residents.size() - 1));
  lonely.status = NeedStatus::open;
  big.needs.push_back(lonely);
  big.rebuild_index();
  MonitorOptions o;
  MonitorOptions raw = o;
  raw.disclosure.unsafe_raw = true;
  const MonitorReport p = protect(monitor_figures(big, std::nullopt, o));
  check_protected(p, protect(monitor_figures(big, std::nullopt, raw)));
  const auto& t = table(p, "open_needs_by_domain");
  const auto row = static_cast<std::size_t>(std::find(t.rows.begin(), t.rows.end(), r.neighbourhood) - t.rows.begin());
  REQUIRE(row < t.rows.size());
  CHECK(t.status[t.cell(row, t.columns.size() - 1)] == CellStatus::primary);
}

TEST_CASE("the attacker does recover cells when only primary suppression is applied", "[monitor][disclosure]") {
  // The attack must be able to fail: publish every secondary cell and it finds the primaries.
  const Model m = generate({.residents = 1500, .seed = 2, .needs_per_100 = 8});
  MonitorOptions o;
  MonitorReport p = protect(monitor_figures(m, std::nullopt, o));
  o.disclosure.unsafe_raw = true;
  const MonitorReport raw = protect(monitor_figures(m, std::nullopt, o));
  std::size_t reopened = 0;
  for (std::size_t t = 0; t < p.figures.tables.size(); ++t)
    for (std::size_t i = 0; i < p.figures.tables[t].status.size(); ++i)
      if (p.figures.tables[t].status[i] == CellStatus::secondary) {
        p.figures.tables[t].status[i] = CellStatus::published;
        p.figures.tables[t].values[i] = raw.figures.tables[t].values[i];
        ++reopened;
      }
  REQUIRE(reopened > 0);
  CHECK_FALSE(attack(p, raw).empty());
}

namespace {

using wijkmatch::testing::run_cli;

const std::string example_file = WIJKMATCH_SOURCE_DIR "/examples/data/neighbourhood.json";

}  // namespace

TEST_CASE("wijkmatch monitor on the command line", "[monitor][cli]") {
  SECTION("JSON is protected by default") {
    const auto r = run_cli({"monitor", example_file, "--json", "--threshold", "3", "--round", "10"});
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["disclosure"]["raw"] == false);
    CHECK(j["disclosure"]["threshold"] == 3);
    std::size_t published = 0;
    for (const auto& t : j["tables"]) {
      if (t["unit"] != "count") continue;
      for (const auto& row : t["values"])
        for (const auto& v : row)
          if (!v.is_null()) {
            CHECK(v.get<long long>() % 10 == 0);
            ++published;
          }
    }
    CHECK(published > 0);
    CHECK_FALSE(j["needs_journal"].empty());
  }
  SECTION("--unsafe-raw warns and gives raw counts") {
    const auto r = run_cli({"monitor", example_file, "--json", "--unsafe-raw"});
    REQUIRE(r.code == 0);
    CHECK(r.err.find("WARNING") != std::string::npos);
    CHECK(nlohmann::json::parse(r.out)["disclosure"]["raw"] == true);
  }
  SECTION("levels and periods") {
    const auto r = run_cli({"monitor", example_file, "--json", "--level", "gm", "--period", "week", "--periods", "4"});
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["periods"].size() == 4);
    CHECK(j["periods"][0].get<std::string>().find("-W") != std::string::npos);
    for (const auto& t : j["tables"])
      if (t["row_kind"] == "area")
        for (const auto& row : t["rows"]) CHECK(row.get<std::string>().rfind("GM", 0) == 0);
  }
  SECTION("CSV has one line per cell") {
    const auto r = run_cli({"monitor", example_file, "--csv"});
    REQUIRE(r.code == 0);
    CHECK(r.out.rfind("figure,period,row_kind,row,column,unit,value,status\n", 0) == 0);
    CHECK(r.out.find("open_needs_by_domain,,area,GM0344,total,count,") != std::string::npos);
  }
  SECTION("usage errors exit 2") {
    CHECK(run_cli({"monitor", example_file, "--json", "--csv"}).code == 2);
    CHECK(run_cli({"monitor", example_file, "--as-of", "2026-13-01"}).code == 2);
    CHECK(run_cli({"monitor", example_file, "--threshold", "0"}).code == 2);
    CHECK(run_cli({"monitor", example_file, "--level", "pc4"}).code == 2);
    CHECK(run_cli({"monitor", WIJKMATCH_SOURCE_DIR "/no/such/file.json"}).code == 2);
  }
}
