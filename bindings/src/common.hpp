// Shared helpers of the Python module: model handles, running heavy work without the GIL
// (interruptible with Ctrl-C), option parsing and column building.
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
// short slices and checks for signals between them. On Ctrl-C the caller raises
// KeyboardInterrupt at once; the worker cannot be stopped (the C++ API has no cancellation
// hook), so it finishes in the background on its own copies and its result is dropped.
void adopt_abandoned(std::thread worker);
void count_background(int delta) noexcept;

template <class F>
auto run_interruptible(F work) -> decltype(work()) {
  using R = decltype(work());
  auto task = std::make_shared<std::packaged_task<R()>>(std::move(work));
  std::future<R> result = task->get_future();
  count_background(+1);
  std::thread worker([task] {
    (*task)();
    count_background(-1);
  });
  for (;;) {
    bool ready = false;
    {
      py::gil_scoped_release nogil;
      ready = result.wait_for(std::chrono::milliseconds(40)) == std::future_status::ready;
    }
    if (ready) break;
    if (PyErr_CheckSignals() != 0) {
      adopt_abandoned(std::move(worker));
      throw py::error_already_set();
    }
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
  std::thread worker([task] { (*task)(); });
  auto stop_and_rethrow = [&](py::error_already_set& error) {
    state->cancel = true;
    {
      py::gil_scoped_release nogil;
      worker.join();
    }
    throw error;
  };
  long long reported = 0;
  for (;;) {
    bool ready = false;
    {
      py::gil_scoped_release nogil;
      ready = result.wait_for(std::chrono::milliseconds(40)) == std::future_status::ready;
    }
    if (ready) break;
    if (PyErr_CheckSignals() != 0) {
      py::error_already_set error;
      stop_and_rethrow(error);
    }
    const long long now = state->permille();
    if (!progress.is_none() && now > reported && now < 1000) {
      reported = now;
      try {
        progress(now, 1000);
      } catch (py::error_already_set& error) {
        stop_and_rethrow(error);
      }
    }
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
LifeDomain domain_from(std::string_view s);
LadderLevel level_from(std::string_view s);
AllocationMode mode_from(std::string_view s);
GroupMinimum group_minimum_from(std::string_view s);

/// Accepts None (the default policy), a Policy, a dict (as a policy document) or a path.
Policy policy_from(const py::object& policy);

// Columns.
template <class T>
py::array_t<T> array_of(const std::vector<T>& values) {
  py::array_t<T> a(static_cast<py::ssize_t>(values.size()));
  auto* out = a.mutable_data();
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i];
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

/// Municipality code ("GM0344") of a BU/WK code, or "" for anything else.
std::string municipality_or_empty(std::string_view area_code);

// Registration, one function per source file.
void bind_model(py::module_& m);
void bind_engine(py::module_& m);
void bind_country(py::module_& m);

}  // namespace wijkmatch::py_bindings
