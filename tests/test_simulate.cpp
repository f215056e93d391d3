// The what-if simulation: determinism per seed and across thread counts, capacity invariants
// every week, where collective-first saves (ample groups, nobody declines) and where it does
// not (every group full), confidence intervals, and clear errors for bad options.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "wijkmatch/generate.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/simulate.hpp"

using namespace wijkmatch;

namespace {

const Model& small_city() {
  static const Model m = generate({.residents = 400, .seed = 11, .needs_per_100 = 10, .offers_per_1000 = 25});
  return m;
}

Policy policy_file(const char* name) {
  return load_policy(std::string(WIJKMATCH_SOURCE_DIR "/examples/data/policies/") + name + ".json");
}

SimulationOptions three_policies(int weeks, int replications) {
  SimulationOptions o;
  o.policies = {{"collective-first", policy_file("collective-first")},
                {"individual-first", policy_file("individual-first")},
                {"severity-stratified", policy_file("severity-stratified")}};
  o.weeks = weeks;
  o.replications = replications;
  o.seed = 7;
  return o;
}

std::size_t metric(const std::string& name) {
  const auto& m = simulation_metrics();
  const auto it = std::find(m.begin(), m.end(), name);
  REQUIRE(it != m.end());
  return static_cast<std::size_t>(it - m.begin());
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Every group with room to spare (or none at all), volunteers that stay.
Model with_groups(bool full) {
  Model m = small_city();
  for (Offer& o : m.offers) {
    if (o.level != LadderLevel::collective) continue;
    o.hours_per_seat = 0.0;
    if (full) {
      o.occupancy = o.seats;
    } else {
      o.seats = o.occupancy + 300;
      o.waiting_days = 0;
    }
  }
  return m;
}

}  // namespace

TEST_CASE("simulate: the policy files load, and severity rules fire as documented", "[simulate]") {
  const Policy ind = policy_file("individual-first");
  REQUIRE(ind.exceptions.front().kind == ExceptionKind::severity);
  CHECK(ind.exceptions.front().max_severity == 5);
  const Policy strat = policy_file("severity-stratified");
  CHECK(strat.exceptions.back().max_severity == 2);
  CHECK(policy_file("collective-first") == default_policy());
  CHECK(parse_policy(to_json(strat)) == strat);
  CHECK_THROWS_WITH(parse_policy(R"({"format":"wijkmatch-policy","format_version":1,"exceptions":[
      {"name":"x","kind":"crisis","level":"individual","max_severity":2}]})"),
                    Catch::Contains("only severity rules take max_severity"));
  CHECK_THROWS_WITH(parse_policy(R"({"format":"wijkmatch-policy","format_version":1,"exceptions":[
      {"name":"x","kind":"severity","level":"individual"}]})"),
                    Catch::Contains("max_severity"));
}

TEST_CASE("simulate: deterministic per seed and for any thread count", "[simulate]") {
  SimulationOptions o = three_policies(10, 3);
  o.threads = 1;
  const SimulationResult one = simulate(small_city(), o);
  o.threads = 4;
  const SimulationResult four = simulate(small_city(), o);
  REQUIRE(one.replications.size() == 9);
  REQUIRE(four.replications.size() == 9);
  for (std::size_t i = 0; i < one.replications.size(); ++i) {
    CHECK(one.replications[i].events == four.replications[i].events);
    for (std::size_t k = 0; k < one.metrics.size(); ++k)
      CHECK(same(one.replications[i].values[k], four.replications[i].values[k]));
  }
  const ReplicationResult alone = simulate_replication(small_city(), o, 2, 1);
  CHECK(alone.events == one.replications[7].events);
  CHECK(same(alone.values[metric("cost_per_month")], one.replications[7].values[metric("cost_per_month")]));
  // Another seed gives another run.
  o.seed = 8;
  const SimulationResult other = simulate(small_city(), o);
  bool differs = false;
  for (std::size_t i = 0; i < other.replications.size(); ++i)
    differs = differs || other.replications[i].events != one.replications[i].events;
  CHECK(differs);
  // Replications differ from each other (one stream each).
  CHECK(one.replications[0].events != one.replications[1].events);
}

TEST_CASE("simulate: capacity invariants hold every week, and support starts and ends", "[simulate]") {
  SimulationOptions o = three_policies(20, 2);
  o.volunteer_leave_per_week = 0.3;  // seats move a lot; places taken must never exceed them
  o.volunteer_join_per_week = 0.3;
  const SimulationResult r = simulate(small_city(), o);
  for (const auto& rep : r.replications) {
    CHECK(rep.invariant_checks == 20);
    CHECK(rep.events > 100);
    CHECK(rep.values[metric("arrived")] > 10);
    CHECK(rep.values[metric("served_share")] > 0.2);
    CHECK(rep.values[metric("served_share")] <= 1.0);
    double shares = 0;
    for (const char* l :
         {"share_own_network", "share_collective", "share_basic_care", "share_individual", "share_specialist"})
      shares += rep.values[metric(l)];
    CHECK(shares == Approx(1.0));
    CHECK(rep.values[metric("wait_median_weeks")] <= rep.values[metric("wait_p90_weeks")]);
  }
}

TEST_CASE("simulate: with ample groups and no declines collective-first is more collective and cheaper", "[simulate]") {
  SimulationOptions o = three_policies(16, 3);
  o.policies.pop_back();
  o.accept_probability = {1, 1, 1, 1, 1};
  o.volunteer_leave_per_week = 0;
  const SimulationResult r = simulate(with_groups(false), o);
  const auto& cf = r.summary[0];
  const auto& indf = r.summary[1];
  // The collective route: the own network (ties, neighbours who offered help) and the collective.
  const auto route = [&](const auto& s) {
    return s[metric("share_own_network")].mean + s[metric("share_collective")].mean;
  };
  CHECK(route(cf) > route(indf) + 0.2);
  CHECK(cf[metric("cost_per_trajectory")].mean < indf[metric("cost_per_trajectory")].mean);
  CHECK(cf[metric("cost_per_month")].mean < indf[metric("cost_per_month")].mean);
  CHECK(cf[metric("caseload_mean")].mean < indf[metric("caseload_mean")].mean);
  CHECK(cf[metric("groups_full_week_share")].mean == 0.0);
  // Confidence intervals contain their mean.
  for (const auto& per_policy : r.summary)
    for (const Estimate& e : per_policy)
      if (e.n > 0) {
        CHECK(e.low <= e.mean);
        CHECK(e.mean <= e.high);
      }
}

TEST_CASE("simulate: with every group full the collective advantage disappears", "[simulate]") {
  SimulationOptions o = three_policies(16, 3);
  o.policies.pop_back();
  o.accept_probability = {1, 1, 1, 1, 1};
  o.volunteer_leave_per_week = 0;
  o.volunteer_join_per_week = 0;
  const SimulationResult ample = simulate(with_groups(false), o);
  const SimulationResult full = simulate(with_groups(true), o);
  const auto& cf = full.summary[0];
  CHECK(cf[metric("groups_full_week_share")].mean == 1.0);
  CHECK(cf[metric("share_collective")].mean == 0.0);
  CHECK(full.summary[1][metric("share_collective")].mean == 0.0);
  // What collective-first saves per trajectory shrinks when the groups are full.
  const double saved_ample =
      ample.summary[1][metric("cost_per_trajectory")].mean - ample.summary[0][metric("cost_per_trajectory")].mean;
  const double saved_full =
      full.summary[1][metric("cost_per_trajectory")].mean - full.summary[0][metric("cost_per_trajectory")].mean;
  CHECK(saved_full < saved_ample);
  // Every arrival came in a groups-full week.
  CHECK(cf[metric("groups_open_arrived")].mean == 0.0);
}

TEST_CASE("simulate: bad options give clear errors", "[simulate]") {
  SimulationOptions o;
  o.weeks = 0;
  CHECK_THROWS_AS(simulate(small_city(), o), InvalidArgument);
  CHECK_THROWS_WITH(simulate(small_city(), o), Catch::Contains("weeks"));
  o = {};
  o.replications = 0;
  CHECK_THROWS_WITH(simulate(small_city(), o), Catch::Contains("replications"));
  o = {};
  o.accept_probability[1] = 1.5;
  CHECK_THROWS_WITH(simulate(small_city(), o), Catch::Contains("accept_probability.collective"));
  o = {};
  o.policies = {{"", default_policy()}};
  CHECK_THROWS_WITH(simulate(small_city(), o), Catch::Contains("name"));
  o = {};
  CHECK_THROWS_WITH(simulate(Model{}, o), Catch::Contains("no needs"));
  CHECK_THROWS_AS(simulate_replication(small_city(), o, 1, 0), InvalidArgument);
  CHECK_THROWS_AS(simulate_replication(small_city(), o, 0, 10), InvalidArgument);
}

TEST_CASE("simulate: arrival rates measured elsewhere replace the stock's", "[simulate]") {
  const Model& m = small_city();
  SimulationOptions o;
  o.weeks = 8;
  o.replications = 2;
  ArrivalRates from_stock{};
  for (const Need& n : m.needs)
    from_stock[static_cast<std::size_t>(n.domain) * 5 + static_cast<std::size_t>(n.severity - 1)] += 1.0;
  for (double& r : from_stock) r /= o.mean_spell_weeks;
  const SimulationResult by_stock = simulate(m, o);
  o.arrival_rates = from_stock;
  const SimulationResult given = simulate(m, o);
  for (std::size_t i = 0; i < by_stock.replications.size(); ++i)
    CHECK(by_stock.replications[i].events == given.replications[i].events);
  // Twice the rates: about twice the arrivals.
  for (double& r : *o.arrival_rates) r *= 2;
  const SimulationResult twice = simulate(m, o);
  CHECK(twice.summary[0][metric("arrived")].mean > 1.5 * by_stock.summary[0][metric("arrived")].mean);
  // A rate for a cell without a need to copy is refused.
  ArrivalRates none_to_copy{};
  for (std::size_t c = 0; c < none_to_copy.size(); ++c) {
    bool has = false;
    for (const Need& n : m.needs)
      has = has || static_cast<std::size_t>(n.domain) * 5 + static_cast<std::size_t>(n.severity - 1) == c;
    if (!has) {
      none_to_copy[c] = 1.0;
      break;
    }
  }
  o.arrival_rates = none_to_copy;
  CHECK_THROWS_WITH(simulate(m, o), Catch::Contains("no need of that domain and severity"));

  // From needs opened later (a journal's need.open events): count per cell over the weeks.
  Model grown = m;
  const std::size_t base = grown.needs.size();
  for (int i = 0; i < 6; ++i) {
    Need n = m.needs.front();
    n.key = "later-" + std::to_string(i);
    n.domain = LifeDomain::finances;
    n.severity = 2;
    n.since = Date{std::chrono::year{2027} / 1 / 1} + std::chrono::days{i * 2};  // 11 days: 11/7 weeks
    grown.needs.push_back(n);
  }
  const ArrivalRates rates = arrival_rates_from_needs(grown, base);
  CHECK(rates[static_cast<std::size_t>(LifeDomain::finances) * 5 + 1] == Approx(6.0 / (11.0 / 7.0)));
  CHECK(std::accumulate(rates.begin(), rates.end(), 0.0) == Approx(6.0 / (11.0 / 7.0)));
  CHECK_THROWS_AS(arrival_rates_from_needs(m, m.needs.size()), InvalidArgument);
}

TEST_CASE("simulate: a replication reports the monitor's figures", "[simulate]") {
  SimulationOptions o = three_policies(12, 2);
  MonitorOptions mo;
  mo.period = MonitorPeriod::week;
  mo.periods = 12;
  mo.disclosure.unsafe_raw = true;  // exact figures to compare with the simulation's own count
  const MonitorReport report = simulate_monitor(small_city(), o, 0, 1, mo);
  CHECK(report.figures.with_referrals);
  const SimulationResult r = simulate(small_city(), o);
  const double step_downs = r.replications[1].values[metric("step_downs")];
  // Endings with code 32 in the monitor equal the simulation's step downs.
  double ended_32 = 0;
  bool found = false;
  for (const FigureTable& t : report.figures.tables) {
    if (t.figure != "endings_by_reason" || t.row_kind != "area") continue;
    const auto col = std::find(t.columns.begin(), t.columns.end(), "32_step_down_to_collective");
    REQUIRE(col != t.columns.end());
    found = true;
    ended_32 += t.at(0, static_cast<std::size_t>(col - t.columns.begin()));  // row 0: the municipality
  }
  CHECK(found);
  CHECK(ended_32 == step_downs);
}
