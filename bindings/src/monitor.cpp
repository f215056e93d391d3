// wijkmatch.monitor() over a model (monitor.hpp); the engine's overload is Engine._monitor_json
// (engine.cpp). The report crosses as JSON: bindings/wijkmatch/monitor.py wraps it.
#include "common.hpp"

namespace wijkmatch::py_bindings {

MonitorOptions monitor_options_from(const py::dict& options) {
  MonitorOptions o;
  for (const auto& [k, v] : options) {
    const std::string key = py::str(k);
    const py::object value = py::reinterpret_borrow<py::object>(v);
    if (key == "period") {
      const std::string p = py::str(value);
      if (p != "week" && p != "month") throw py::value_error("period must be 'week' or 'month'");
      o.period = p == "week" ? MonitorPeriod::week : MonitorPeriod::month;
    } else if (key == "level") {
      const std::string l = py::str(value);
      if (l != "bu" && l != "wk" && l != "gm") throw py::value_error("level must be 'bu', 'wk' or 'gm'");
      o.level = l == "gm" ? AreaLevel::municipality : l == "wk" ? AreaLevel::district : AreaLevel::neighbourhood;
    } else if (key == "periods") {
      o.periods = value.cast<int>();
    } else if (key == "as_of") {
      if (value.is_none()) continue;
      const std::string text = py::str(value.attr("isoformat")());
      int y = 0;
      unsigned m = 0, d = 0;
      if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) throw py::value_error("as_of must be a date");
      const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
      if (!ymd.ok()) throw py::value_error("as_of must be a date");
      o.as_of = std::chrono::sys_days(ymd);
    } else if (key == "threshold") {
      o.disclosure.threshold = value.cast<long long>();
    } else if (key == "rounding") {
      o.disclosure.rounding = value.cast<long long>();
    } else if (key == "min_cases") {
      o.disclosure.min_cases = value.cast<long long>();
    } else if (key == "unsafe_raw") {
      o.disclosure.unsafe_raw = value.cast<bool>();
    } else if (key == "equity_share_gap") {
      o.equity_share_gap = value.cast<double>();
    } else if (key == "equity_lead_time_gap") {
      o.equity_lead_time_gap = value.cast<double>();
    } else {
      throw py::type_error("monitor() got an unexpected option '" + key + "'");
    }
  }
  return o;
}

void bind_monitor(py::module_& m) {
  m.def(
      "_monitor_json",
      [](const ModelPtr& model, const py::dict& options) {
        const MonitorOptions o = monitor_options_from(options);
        py::gil_scoped_release nogil;
        return to_json(monitor(*model, o), -1);
      },
      py::arg("model"), py::arg("options"), "The monitor report over a model as JSON; use wijkmatch.monitor(model).");
}

}  // namespace wijkmatch::py_bindings
