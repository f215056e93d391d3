// Shared helpers of the Python module: model handles, running heavy work without the GIL
// (interruptible with Ctrl-C), option parsing, column building, and the `bind_*` function of
// each source file (one per library header).
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "wijkmatch/wijkmatch.hpp"

namespace wijkmatch::py_bindings {

namespace py = pybind11;

/// Models are shared between Python objects (rankers, results) and background work; the
/// Python API never mutates one after construction.
using ModelPtr = std::shared_ptr<Model>;

// Heavy work runs on a worker thread while the calling thread, without the GIL, waits in
// short slices and checks for signals between them. Every worker counts itself in
// background_count() until it ends, including work abandoned at Ctrl-C.
void adopt_abandoned(std::thread worker);
void count_background(int delta) noexcept;
/// Workers still running (the module's `_background_running`).
int background_count() noexcept;
/// Joins the abandoned workers (the module's `_join_background`, called at exit).
void join_abandoned();

/// Waits for `result` without the GIL in short slices. Between slices, with the GIL: returns
/// false when a signal is pending (the Python error is set), else calls `between()`.
template <class R, class Between>
bool wait_for(std::future<R>& result, Between between) {
  for (;;) {
    bool ready = false;
    {
      py::gil_scoped_release nogil;
      ready = result.wait_for(std::chrono::milliseconds(40)) == std::future_status::ready;
    }
    if (ready) return true;
    if (PyErr_CheckSignals() != 0) return false;
    between();
  }
}

/// Starts `task` on a worker thread that counts itself in count_background().
template <class R>
std::thread start_worker(const std::shared_ptr<std::packaged_task<R()>>& task) {
  count_background(+1);
  return std::thread([task] {
    (*task)();
    count_background(-1);
  });
}

/// Runs work that has no cancellation point. On Ctrl-C the caller raises KeyboardInterrupt at
/// once; the worker finishes in the background on its own copies and its result is dropped.
template <class F>
auto run_interruptible(F work) -> decltype(work()) {
  using R = decltype(work());
  auto task = std::make_shared<std::packaged_task<R()>>(std::move(work));
  std::future<R> result = task->get_future();
  std::thread worker = start_worker(task);
  if (!wait_for(result, [] {})) {
    adopt_abandoned(std::move(worker));
    throw py::error_already_set();
  }
  worker.join();
  return result.get();
}

/// Calls `progress(done, total)` if it is not None.
inline void report(const py::object& progress, long long done, long long total) {
  if (!progress.is_none()) progress(done, total);
}

// Work that accepts a ProgressCallback can be stopped for real: on Ctrl-C (or when the Python
// progress callable raises) the callback starts returning false, the C++ side throws
// Cancelled at its next check, and the caller waits for that (without the GIL) before
// raising. Progress is forwarded to the Python callable from the calling thread, so the
// callable never runs on a worker thread.
struct ProgressState {
  std::atomic<long long> rank_done{0}, rank_total{0}, solve_done{0}, solve_total{0};
  std::atomic<bool> cancel{false};
  /// Overall progress in per mille: ranking is the first half, solving the second.
  long long permille() const {
    const long long rt = rank_total, st = solve_total;
    if (st > 0) return 500 + std::min<long long>(499, 499 * solve_done / st);
    if (rt > 0) return std::min<long long>(500, 500 * rank_done / rt);
    return 0;
  }
};

/// Python contract: progress(done, total) with total = 1000; first (0, 1000) when the work
/// starts, non-decreasing values while it runs (ranking is the first half, solver stages the
/// second), last (1000, 1000) when it has finished.
template <class F>
auto run_with_progress(F work, const py::object& progress) -> decltype(work(ProgressCallback{})) {
  using R = decltype(work(ProgressCallback{}));
  auto state = std::make_shared<ProgressState>();
  ProgressCallback callback = [state](std::string_view stage, std::int64_t done, std::int64_t total) {
    if (stage == "rank") {
      state->rank_done = done;
      state->rank_total = total;
    } else {
      state->solve_done = done;
      state->solve_total = total;
    }
    return !state->cancel.load();
  };
  report(progress, 0, 1000);
  auto task = std::make_shared<std::packaged_task<R()>>([work = std::move(work), callback] { return work(callback); });
  std::future<R> result = task->get_future();
  std::thread worker = start_worker(task);
  auto stop_and_rethrow = [&](py::error_already_set& error) {
    state->cancel = true;
    {
      py::gil_scoped_release nogil;
      worker.join();
    }
    throw error;
  };
  long long reported = 0;
  const bool finished = wait_for(result, [&] {
    const long long now = state->permille();
    if (progress.is_none() || now <= reported || now >= 1000) return;
    reported = now;
    try {
      progress(now, 1000);
    } catch (py::error_already_set& error) {
      stop_and_rethrow(error);
    }
  });
  if (!finished) {
    py::error_already_set error;
    stop_and_rethrow(error);
  }
  worker.join();
  R value = result.get();
  report(progress, 1000, 1000);
  return value;
}

// Enum names.
template <class E>
std::string name(E e) {
  return std::string(to_string(e));
}
/// Every name of an enum with `N` values, in order.
template <class E, std::size_t N>
py::list names_of() {
  py::list out;
  for (std::size_t i = 0; i < N; ++i) out.append(name(static_cast<E>(i)));
  return out;
}
AllocationMode mode_from(std::string_view s);
GroupMinimum group_minimum_from(std::string_view s);

/// Accepts None (the default policy), a Policy, a dict (as a policy document) or a path.
Policy policy_from(const py::object& policy);

/// A str or os.PathLike as a path string.
std::string fspath(const py::object& path);
/// Whether a model path names a binary (.wjm) file.
inline bool is_binary_path(std::string_view path) { return path.ends_with(".wjm"); }
/// JSON text as Python values.
py::object json_loads(const std::string& text);
/// JSON text made by `to_json()` without the GIL, as Python values.
template <class F>
py::object json_without_gil(F to_json) {
  std::string text;
  {
    py::gil_scoped_release nogil;
    text = to_json();
  }
  return json_loads(text);
}
/// A pandas DataFrame of the columns.
py::object pandas_frame(const py::dict& columns);
/// Problems as a list of wijkmatch.Problem.
py::list problem_list(const std::vector<Problem>& problems);

// Columns.
template <class T>
py::array_t<T> array_of(const std::vector<T>& values) {
  py::array_t<T> a(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), a.mutable_data());
  return a;
}
template <class T, class Container, class Get>
py::array_t<T> column(const Container& items, Get get) {
  py::array_t<T> a(static_cast<py::ssize_t>(items.size()));
  auto* out = a.mutable_data();
  std::size_t i = 0;
  for (const auto& item : items) out[i++] = static_cast<T>(get(item));
  return a;
}
/// get(0), ..., get(n - 1) as an array.
template <class T, class Get>
py::array_t<T> indexed(std::size_t n, Get get) {
  py::array_t<T> a(static_cast<py::ssize_t>(n));
  auto* out = a.mutable_data();
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(get(i));
  return a;
}
template <class Container, class Get>
py::list str_column(const Container& items, Get get) {
  py::list out(items.size());
  std::size_t i = 0;
  for (const auto& item : items) out[i++] = py::str(std::string(get(item)));
  return out;
}
/// Strings that may be missing (None).
template <class Container, class Get>
py::list optional_str_column(const Container& items, Get get) {
  py::list out(items.size());
  std::size_t i = 0;
  for (const auto& item : items) {
    std::optional<std::string> v = get(item);
    out[i++] = v ? py::object(py::str(*v)) : py::object(py::none());
  }
  return out;
}
py::list strings(const std::vector<std::string>& values);
py::list domain_names(DomainSet set);
/// A key, or None for "".
py::object key_or_none(const std::string& key);
/// Key of the helper of an own-network option (`tie`), or "" without one.
std::string helper_key(const Model& m, TieId tie);

/// The id of an entity given by key (a str: KeyError when unknown) or by index (IndexError
/// out of [0, count)); `find(key)` looks the key up.
template <class Id, class Find>
Id id_of(const py::handle& ref, std::size_t count, const char* what, Find find) {
  if (py::isinstance<py::str>(ref)) {
    const auto key = ref.cast<std::string>();
    if (std::optional<Id> id = find(key)) return *id;
    throw py::key_error("no " + std::string(what) + " with key '" + key + "'");
  }
  const auto index = ref.cast<std::int64_t>();
  if (index < 0 || static_cast<std::uint64_t>(index) >= count)
    throw py::index_error(std::string(what) + " index " + std::to_string(index) + " out of range");
  return Id(static_cast<std::uint32_t>(index));
}

/// One ranking with the model its ids refer to (wijkmatch.Ranking; ranking.cpp, and the live
/// engine's rank in engine.cpp).
struct RankingPy {
  ModelPtr model;
  Ranking ranking;
};
/// Rankings of several needs with the model they refer to (ranking.cpp; plans hold them too).
struct RankingsPy {
  ModelPtr model;
  std::vector<Ranking> rankings;
};
/// One row per option, in ranking order, as a DataFrame (Rankings.to_pandas).
py::object options_frame(const Model& m, const std::vector<Ranking>& rankings);

// Registration, one function per library header; module.cpp calls them in this order.
void bind_error(py::module_& m);
void bind_domain(py::module_& m);
void bind_area(py::module_& m);
void bind_policy(py::module_& m);
void bind_model(py::module_& m);
void bind_io(py::module_& m);
void bind_summary(py::module_& m);
void bind_generate(py::module_& m);
void bind_min_cost_flow(py::module_& m);
void bind_ranking(py::module_& m);
void bind_plan(py::module_& m);
void bind_allocation(py::module_& m);
void bind_groups(py::module_& m);
void bind_partition(py::module_& m);
void bind_engine(py::module_& m);
void bind_start_meetings(py::module_& m);
void bind_hsds(py::module_& m);
void bind_monitor(py::module_& m);
void bind_simulate(py::module_& m);

/// Monitor options (monitor.hpp) from the keyword arguments of wijkmatch.monitor(), given as a
/// dict: period, level, periods, as_of, threshold, rounding, min_cases, unsafe_raw,
/// equity_share_gap, equity_lead_time_gap. Unknown keys raise TypeError.

wijkmatch::MonitorOptions monitor_options_from(const py::dict& options);

}  // namespace wijkmatch::py_bindings
