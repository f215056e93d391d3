// What-if simulation of the collective route: a discrete-event simulation, in weekly steps, on
// the live engine itself (engine.hpp). Needs arrive, are ranked and placed online under a
// policy, residents accept or decline, support runs and ends (a share steps down to collective
// support), groups fill and empty, volunteers of resident initiatives come and go. Several
// policies are compared over R replications with 95% confidence intervals. Every definition,
// default and its source: docs/simulation.md.
//
// Determinism: replication r of every policy draws from its own RNG streams seeded from
// (seed, r): one for the arrivals, one for the decisions. The arrival stream is the same for
// every policy (common random numbers, so differences between policies are not noise of the
// arrivals), and the result is identical for any thread count.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/model.hpp"
#include "wijkmatch/monitor.hpp"
#include "wijkmatch/policy.hpp"
#include "wijkmatch/progress.hpp"

namespace wijkmatch {

/// Arrivals a week per (life domain, severity): index domain x 5 + (severity - 1).
using ArrivalRates = std::array<double, life_domain_count * 5>;

/// A policy under its display name ("collective-first", ...).
struct NamedPolicy {
  std::string name;
  Policy policy;
};

struct SimulationOptions {
  /// Policies to compare, each in its own engine; empty = the default policy as
  /// "collective-first".
  std::vector<NamedPolicy> policies;
  int weeks = 52;         ///< 1..520
  int replications = 10;  ///< 1..10000
  std::uint64_t seed = 1;
  int threads = 0;                                     ///< 0 = hardware concurrency; the result does not depend on it
  Date start = Date{std::chrono::year{2027} / 1 / 4};  ///< the first simulated Monday
  /// Arrival rates: each (life domain, severity) cell of the model's needs arrives at
  /// (needs in the cell) / mean_spell_weeks a week (Little's law on the model's stock, which
  /// the generator draws from CBS-derived rates), times arrival_scale.
  double mean_spell_weeks = 26.0;
  double arrival_scale = 1.0;
  /// Rates measured elsewhere (e.g. arrival_rates_from_needs over a journal's need.open
  /// events) instead of the stock; still times arrival_scale. Arrivals copy a need of the
  /// model in the same cell, so a cell with a rate needs one (InvalidArgument otherwise).
  std::optional<ArrivalRates> arrival_rates{};
  /// Per ladder level (own_network, collective, basic_care, individual, specialist):
  /// the probability that the resident accepts a proposal at that level.
  std::array<double, ladder_level_count> accept_probability{0.80, 0.60, 0.85, 0.90, 0.90};
  /// Mean duration of support in weeks (geometric: support ends each week with 1/mean).
  std::array<double, ladder_level_count> mean_duration_weeks{12.0, 26.0, 12.0, 39.0, 52.0};
  /// Share of endings at the level that step down to collective support (ending code 32):
  /// a follow-up need, one severity step better, is placed for the resident.
  std::array<double, ladder_level_count> step_down_share{0.0, 0.0, 0.30, 0.30, 0.20};
  /// Volunteers of resident initiatives: each leaves with this probability a week; each
  /// vacancy is filled with the join probability a week. Seats follow the volunteers.
  double volunteer_leave_per_week = 0.02;
  double volunteer_join_per_week = 0.05;
  /// A week is a "groups full" week when at least this share of all collective seats is taken.
  double groups_full_threshold = 0.95;
  /// Checks the engine's capacity invariants after every week (O(model) a week); a violation
  /// throws StateError.
  bool check_invariants = true;
  /// simulate() calls it as ("simulate", weeks simulated, weeks in all replications of all
  /// policies) after every simulated week, from its worker threads, also concurrently; return
  /// false to stop (Cancelled is thrown). It has no effect on the results.
  ProgressCallback progress{};
};

/// One replication of one policy: every metric (SimulationResult::metrics) in order; NaN where
/// a metric has no cases.
struct ReplicationResult {
  int policy = 0;
  int replication = 0;
  std::vector<double> values;
  std::int64_t events = 0;            ///< engine events applied
  std::int64_t invariant_checks = 0;  ///< weeks whose capacity invariants were checked
};

/// Mean over the replications with a metric, and its 95% confidence interval (Student t).
struct Estimate {
  double mean = 0.0, low = 0.0, high = 0.0;
  int n = 0;  ///< replications with a value
};

struct SimulationResult {
  std::vector<std::string> policies;            ///< names, in option order
  std::vector<std::string> metrics;             ///< names (docs/simulation.md defines each)
  std::vector<ReplicationResult> replications;  ///< policy-major, replication order
  std::vector<std::vector<Estimate>> summary;   ///< [policy][metric]
  int weeks = 0;
};

/// The metric names, in the order of ReplicationResult::values. O(1).
const std::vector<std::string>& simulation_metrics();

/// Arrival rates from the needs `model.needs[first_need..]` (for a live engine over a journal:
/// the needs its need.open events added, first_need = the base model's need count): their
/// count per cell over the weeks from the earliest to the latest `since` date (at least one
/// week). Throws InvalidArgument when there are no such needs. O(needs).
ArrivalRates arrival_rates_from_needs(const Model& model, std::size_t first_need);

/// Runs every policy for options.replications replications on `options.threads` threads.
/// Throws InvalidArgument naming the option for options out of range, and for a model without
/// needs (there is nothing to draw arrival rates from). O(policies x replications x weeks x
/// (arrivals + waiting needs) x ranking + model per week for the invariant check).
SimulationResult simulate(const Model& model, const SimulationOptions& options = {});

/// One replication alone (the unit a distributed run sends out); equal to the matching entry
/// of simulate(). Throws InvalidArgument for an index out of range.
ReplicationResult simulate_replication(const Model& model, const SimulationOptions& options, int policy,
                                       int replication);

/// The monitor report (monitor.hpp, docs/monitoring.md) of one replication: the figures a team
/// lead would see of the simulated weeks (referral steps, endings by reason including code 32,
/// lead times, cost per trajectory, support by level), from the replication's engine after its
/// last week, with the disclosure control of `monitor_options`. The replication is the one
/// simulate() reports. Throws InvalidArgument as simulate_replication does.
MonitorReport simulate_monitor(const Model& model, const SimulationOptions& options, int policy, int replication,
                               const MonitorOptions& monitor_options = {});

/// Summary of replications (any order, e.g. gathered from Dask): means and intervals. O(n).
SimulationResult summarize(std::vector<std::string> policies, std::vector<ReplicationResult> replications, int weeks);

/// JSON with the options' policies, metrics, each replication and the summary (null for no
/// cases); text: a table of means and intervals per policy. Defined in docs/simulation.md.
std::string to_json(const SimulationResult& result, int indent = 2);
std::string to_text(const SimulationResult& result);

}  // namespace wijkmatch
