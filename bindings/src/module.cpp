// wijkmatch._core: the compiled core of the wijkmatch package, one source file per library
// header (each with its bind_* function, declared in common.hpp). The Python package
// (bindings/wijkmatch/__init__.py) re-exports it as the documented API.
#include "common.hpp"

#ifndef WIJKMATCH_VERSION
#define WIJKMATCH_VERSION "0.0.0"
#endif

PYBIND11_MODULE(_core, m) {
  using namespace wijkmatch::py_bindings;
  m.doc() = "Compiled core of the wijkmatch package (pybind11). Use the `wijkmatch` package, not this module.";
  m.attr("__version__") = WIJKMATCH_VERSION;
  m.def("_join_background", &join_abandoned,
        "Waits for work abandoned by Ctrl-C to finish (called at interpreter exit).");
  m.def("_background_running", &background_count,
        "Number of heavy calls still running on worker threads (including abandoned ones).");

  bind_error(m);
  bind_domain(m);
  bind_area(m);
  bind_policy(m);
  bind_model(m);  // Model before the functions that take or return it (signatures)
  bind_io(m);
  bind_summary(m);
  bind_generate(m);
  bind_min_cost_flow(m);
  bind_ranking(m);
  bind_plan(m);
  bind_allocation(m);
  bind_groups(m);
  bind_partition(m);
  bind_start_meetings(m);
  bind_engine(m);  // after Model and Ranking, which its methods take and return
  bind_hsds(m);
  bind_monitor(m);
  bind_simulate(m);
}
