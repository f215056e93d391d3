// wijkmatch.simulate() (simulate.hpp): the result crosses as JSON and plain dicts;
// bindings/wijkmatch/simulate.py wraps it and runs replications on Dask when asked.
#include "common.hpp"

#include <limits>

#include "wijkmatch/simulate.hpp"

namespace wijkmatch::py_bindings {
namespace {

std::array<double, ladder_level_count> per_level(const py::object& value, const std::string& key) {
  std::array<double, ladder_level_count> out{};
  const py::dict d = value.cast<py::dict>();
  std::array<bool, ladder_level_count> seen{};
  for (const auto& [k, v] : d) {
    const std::string name = py::str(k);
    const auto level = parse_ladder_level(name);
    if (!level) throw py::value_error(key + ": unknown ladder level '" + name + "'");
    out[static_cast<std::size_t>(*level)] = v.cast<double>();
    seen[static_cast<std::size_t>(*level)] = true;
  }
  for (bool s : seen)
    if (!s) throw py::value_error(key + " must give every ladder level");
  return out;
}

std::optional<ArrivalRates> arrival_rates_from(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  ArrivalRates rates{};
  for (const auto& [cell, rate] : value.cast<py::dict>()) {
    const auto [domain_name, severity] = cell.cast<std::pair<std::string, int>>();
    const auto domain = parse_life_domain(domain_name);
    if (!domain) throw py::value_error("arrival_rates: unknown life domain '" + domain_name + "'");
    if (severity < 1 || severity > 5) throw py::value_error("arrival_rates: severity must be 1..5");
    rates[static_cast<std::size_t>(*domain) * 5 + static_cast<std::size_t>(severity - 1)] = rate.cast<double>();
  }
  return rates;
}

SimulationOptions simulation_options_from(const py::list& policies, const py::dict& options) {
  SimulationOptions o;
  for (const auto& item : policies) {
    const auto pair = item.cast<std::pair<std::string, std::string>>();
    o.policies.push_back({pair.first, parse_policy(pair.second)});
  }
  for (const auto& [k, v] : options) {
    const std::string key = py::str(k);
    const py::object value = py::reinterpret_borrow<py::object>(v);
    if (key == "weeks")
      o.weeks = value.cast<int>();
    else if (key == "replications")
      o.replications = value.cast<int>();
    else if (key == "seed")
      o.seed = value.cast<std::uint64_t>();
    else if (key == "threads")
      o.threads = value.cast<int>();
    else if (key == "mean_spell_weeks")
      o.mean_spell_weeks = value.cast<double>();
    else if (key == "arrival_scale")
      o.arrival_scale = value.cast<double>();
    else if (key == "accept_probability")
      o.accept_probability = per_level(value, key);
    else if (key == "mean_duration_weeks")
      o.mean_duration_weeks = per_level(value, key);
    else if (key == "step_down_share")
      o.step_down_share = per_level(value, key);
    else if (key == "volunteer_leave_per_week")
      o.volunteer_leave_per_week = value.cast<double>();
    else if (key == "volunteer_join_per_week")
      o.volunteer_join_per_week = value.cast<double>();
    else if (key == "groups_full_threshold")
      o.groups_full_threshold = value.cast<double>();
    else if (key == "check_invariants")
      o.check_invariants = value.cast<bool>();
    else if (key == "arrival_rates")
      o.arrival_rates = arrival_rates_from(value);
    else
      throw py::type_error("simulate() got an unexpected option '" + key + "'");
  }
  return o;
}

py::dict replication_dict(const ReplicationResult& r) {
  py::dict d;
  d["policy"] = r.policy;
  d["replication"] = r.replication;
  d["values"] = r.values;
  d["events"] = r.events;
  d["invariant_checks"] = r.invariant_checks;
  return d;
}

}  // namespace

void bind_simulate(py::module_& m) {
  m.def(
      "_simulate_json",
      [](const ModelPtr& model, const py::list& policies, const py::dict& options) {
        const SimulationOptions o = simulation_options_from(policies, options);
        py::gil_scoped_release nogil;
        return to_json(simulate(*model, o), -1);
      },
      py::arg("model"), py::arg("policies"), py::arg("options"),
      "Every replication of every policy as JSON; use wijkmatch.simulate(model).");
  m.def(
      "_simulate_replication",
      [](const ModelPtr& model, const py::list& policies, const py::dict& options, int policy, int replication) {
        const SimulationOptions o = simulation_options_from(policies, options);
        ReplicationResult r;
        {
          py::gil_scoped_release nogil;
          r = simulate_replication(*model, o, policy, replication);
        }
        return replication_dict(r);
      },
      py::arg("model"), py::arg("policies"), py::arg("options"), py::arg("policy"), py::arg("replication"),
      "One replication as a dict (policy, replication, values, events, invariant_checks).");
  m.def(
      "_simulate_summary_json",
      [](const std::vector<std::string>& names, const py::list& replications, int weeks) {
        std::vector<ReplicationResult> reps;
        for (const auto& item : replications) {
          const py::dict d = item.cast<py::dict>();
          ReplicationResult r;
          r.policy = d["policy"].cast<int>();
          r.replication = d["replication"].cast<int>();
          for (const auto& v : d["values"].cast<py::list>())
            r.values.push_back(v.is_none() ? std::numeric_limits<double>::quiet_NaN() : v.cast<double>());
          r.events = d["events"].cast<std::int64_t>();
          r.invariant_checks = d["invariant_checks"].cast<std::int64_t>();
          reps.push_back(std::move(r));
        }
        return to_json(summarize(names, std::move(reps), weeks), -1);
      },
      py::arg("names"), py::arg("replications"), py::arg("weeks"), "The summary of gathered replications as JSON.");
  m.def(
      "_simulate_monitor_json",
      [](const ModelPtr& model, const py::list& policies, const py::dict& options, int policy, int replication,
         const py::dict& monitor_options) {
        const SimulationOptions o = simulation_options_from(policies, options);
        const MonitorOptions mo = monitor_options_from(monitor_options);
        py::gil_scoped_release nogil;
        return to_json(simulate_monitor(*model, o, policy, replication, mo), -1);
      },
      py::arg("model"), py::arg("policies"), py::arg("options"), py::arg("policy"), py::arg("replication"),
      py::arg("monitor_options"), "The monitor report of one replication as JSON; use wijkmatch.simulate_monitor.");
  m.def("_simulation_metrics", &simulation_metrics, "The metric names, in order.");
}

}  // namespace wijkmatch::py_bindings
