// Shared helpers of the Python module (common.hpp): background-work bookkeeping, option
// parsing, conversions to Python values.
#include "common.hpp"

#include <mutex>

namespace wijkmatch::py_bindings {

namespace {
std::mutex abandoned_mutex;
std::vector<std::thread>& abandoned() {
  static auto* threads = new std::vector<std::thread>();  // never destroyed: joined at exit
  return *threads;
}
std::atomic<int> running{0};

template <class E, class Parse>
E parse_or_throw(std::string_view s, Parse parse, const char* what, std::size_t count) {
  if (auto v = parse(s)) return *v;
  std::string choices;
  for (std::size_t i = 0; i < count; ++i) choices += (i ? ", " : "") + name(static_cast<E>(i));
  throw py::value_error("unknown " + std::string(what) + " '" + std::string(s) + "'; expected one of " + choices);
}
}  // namespace

void adopt_abandoned(std::thread worker) {
  std::lock_guard lock(abandoned_mutex);
  abandoned().push_back(std::move(worker));
}
void count_background(int delta) noexcept { running.fetch_add(delta); }

/// Waits for work abandoned at Ctrl-C (the package calls it at interpreter exit).
void join_abandoned() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(abandoned_mutex);
    threads.swap(abandoned());
  }
  py::gil_scoped_release nogil;
  for (auto& t : threads)
    if (t.joinable()) t.join();
}
int background_count() noexcept { return running.load(); }

AllocationMode mode_from(std::string_view s) {
  return parse_or_throw<AllocationMode>(s, parse_allocation_mode, "allocation mode", 3);
}
GroupMinimum group_minimum_from(std::string_view s) {
  if (s == "heuristic") return GroupMinimum::heuristic;
  if (s == "exact") return GroupMinimum::exact;
  if (s == "ignore") return GroupMinimum::ignore;
  throw py::value_error("unknown group_minimum '" + std::string(s) + "'; expected one of heuristic, exact, ignore");
}

Policy policy_from(const py::object& policy) {
  if (policy.is_none()) return default_policy();
  if (py::isinstance<Policy>(policy)) return policy.cast<Policy>();
  if (py::isinstance<py::dict>(policy)) {
    const std::string text = py::module_::import("json").attr("dumps")(policy).cast<std::string>();
    py::gil_scoped_release nogil;
    return parse_policy(text);
  }
  if (py::isinstance<py::str>(policy) || py::hasattr(policy, "__fspath__")) {
    const std::string path = fspath(policy);
    py::gil_scoped_release nogil;
    return load_policy(path);
  }
  throw py::type_error("policy must be None, a wijkmatch.Policy, a dict or a path");
}

std::string fspath(const py::object& path) {
  return py::module_::import("os").attr("fspath")(path).cast<std::string>();
}
py::object json_loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }
py::object pandas_frame(const py::dict& columns) { return py::module_::import("pandas").attr("DataFrame")(columns); }
py::list problem_list(const std::vector<Problem>& problems) {
  py::object make = py::module_::import("wijkmatch._errors").attr("Problem");
  py::list out;
  for (const auto& p : problems) out.append(make(p.pointer, p.reason));
  return out;
}

py::list strings(const std::vector<std::string>& values) {
  py::list out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = py::str(values[i]);
  return out;
}
py::list domain_names(DomainSet set) {
  py::list out;
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (set.contains(static_cast<LifeDomain>(d))) out.append(name(static_cast<LifeDomain>(d)));
  return out;
}
py::object key_or_none(const std::string& key) {
  return key.empty() ? py::object(py::none()) : py::object(py::str(key));
}
std::string helper_key(const Model& m, TieId tie) { return tie.valid() ? m[m[tie].helper].key : std::string(); }

}  // namespace wijkmatch::py_bindings
