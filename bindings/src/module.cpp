// wijkmatch._core: errors, vocabulary, loading and validation, policy, summary, generator,
// areas, minimum-cost flow, and the background-work bookkeeping. The Python package
// (bindings/wijkmatch/__init__.py) wraps these into the documented API.
#include <atomic>
#include <mutex>

#include "common.hpp"

#ifndef WIJKMATCH_VERSION
#define WIJKMATCH_VERSION "0.0.0"
#endif

namespace wijkmatch::py_bindings {

// ---- background work -----------------------------------------------------------------------

namespace {
std::mutex abandoned_mutex;
std::vector<std::thread>& abandoned() {
  static auto* threads = new std::vector<std::thread>();  // never destroyed: joined at exit
  return *threads;
}
std::atomic<int> running{0};
}  // namespace

void adopt_abandoned(std::thread worker) {
  std::lock_guard lock(abandoned_mutex);
  abandoned().push_back(std::move(worker));
}
void count_background(int delta) noexcept { running.fetch_add(delta); }

namespace {
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
}  // namespace

// ---- names ---------------------------------------------------------------------------------

namespace {
template <class E, std::size_t N>
py::list names_of() {
  py::list out;
  for (std::size_t i = 0; i < N; ++i) out.append(std::string(to_string(static_cast<E>(i))));
  return out;
}
template <class E, class Parse>
E parse_or_throw(std::string_view s, Parse parse, const char* what, std::size_t count) {
  if (auto v = parse(s)) return *v;
  std::string choices;
  for (std::size_t i = 0; i < count; ++i) choices += (i ? ", " : "") + std::string(to_string(static_cast<E>(i)));
  throw py::value_error("unknown " + std::string(what) + " '" + std::string(s) + "'; expected one of " + choices);
}
}  // namespace

LifeDomain domain_from(std::string_view s) {
  return parse_or_throw<LifeDomain>(s, parse_life_domain, "life domain", life_domain_count);
}
LadderLevel level_from(std::string_view s) {
  return parse_or_throw<LadderLevel>(s, parse_ladder_level, "ladder level", ladder_level_count);
}
AllocationMode mode_from(std::string_view s) {
  return parse_or_throw<AllocationMode>(s, parse_allocation_mode, "allocation mode", 3);
}
GroupMinimum group_minimum_from(std::string_view s) {
  if (s == "heuristic") return GroupMinimum::heuristic;
  if (s == "exact") return GroupMinimum::exact;
  if (s == "ignore") return GroupMinimum::ignore;
  throw py::value_error("unknown group_minimum '" + std::string(s) + "'; expected one of heuristic, exact, ignore");
}

py::list strings(const std::vector<std::string>& values) {
  py::list out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = py::str(values[i]);
  return out;
}
py::list domain_names(DomainSet set) {
  py::list out;
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (set.contains(static_cast<LifeDomain>(d))) out.append(std::string(to_string(static_cast<LifeDomain>(d))));
  return out;
}

std::string municipality_or_empty(std::string_view code) {
  if (!check_area_code(code, AreaLevel::neighbourhood) || !check_area_code(code, AreaLevel::district))
    return municipality_of(code);
  return {};
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
    const std::string path = py::module_::import("os").attr("fspath")(policy).cast<std::string>();
    py::gil_scoped_release nogil;
    return load_policy(path);
  }
  throw py::type_error("policy must be None, a wijkmatch.Policy, a dict or a path");
}

namespace {

// ---- errors --------------------------------------------------------------------------------

void translate_errors(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const InputError& e) {
    py::module_ errors = py::module_::import("wijkmatch._errors");
    py::list problems;
    for (const auto& pr : e.problems()) problems.append(errors.attr("Problem")(pr.pointer, pr.reason));
    py::object type = errors.attr("InputError");
    py::object value = type(py::str(e.what()), problems);
    PyErr_SetObject(type.ptr(), value.ptr());
  } catch (const OutOfRange& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const InvalidArgument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const Error& e) {
    py::object type = py::module_::import("wijkmatch._errors").attr("Error");
    PyErr_SetObject(type.ptr(), type(py::str(e.what())).ptr());
  }
}

py::list problem_list(const std::vector<Problem>& problems) {
  py::object make = py::module_::import("wijkmatch._errors").attr("Problem");
  py::list out;
  for (const auto& p : problems) out.append(make(p.pointer, p.reason));
  return out;
}

LoadOptions load_options(std::size_t max_problems, std::size_t max_bytes, int max_depth) {
  LoadOptions o;
  o.max_problems = max_problems;
  o.max_bytes = max_bytes;
  o.max_depth = max_depth;
  return o;
}

std::string fspath(const py::object& path) {
  return py::module_::import("os").attr("fspath")(path).cast<std::string>();
}

// ---- summary -------------------------------------------------------------------------------

py::object json_loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

void bind_summary(py::module_& m) {
  py::class_<Summary>(m, "Summary",
                      "Counts a team looks at first (wijkmatch::Summary): needs by life domain, offers by "
                      "ladder level, seats, caseload room and informal capacity.")
      .def_readonly("households", &Summary::households, "Households.")
      .def_readonly("residents", &Summary::residents, "Residents.")
      .def_readonly("ties", &Summary::ties, "Ties (informal help relations).")
      .def_readonly("needs", &Summary::needs, "Needs, any status.")
      .def_readonly("open_needs", &Summary::open_needs, "Needs with status open.")
      .def_readonly("offers", &Summary::offers, "Offers.")
      .def_readonly("professionals", &Summary::professionals, "Professionals.")
      .def_readonly("neighbourhoods", &Summary::neighbourhoods, "Distinct CBS neighbourhood codes of residents.")
      .def_readonly("crisis_needs", &Summary::crisis_needs, "Open needs marked as a crisis.")
      .def_readonly("safety_reports", &Summary::safety_reports, "Open needs with a report to Veilig Thuis.")
      .def_readonly("rent_arrears_needs", &Summary::rent_arrears_needs, "Open needs with rent arrears.")
      .def_readonly("caseload_cap", &Summary::caseload_cap, "Total caseload capacity of the professionals.")
      .def_readonly("caseload", &Summary::caseload, "Total current caseload.")
      .def_readonly("informal_hours_per_week", &Summary::informal_hours_per_week,
                    "Informal hours a week residents can give through ties.")
      .def_readonly("informal_hours_used", &Summary::informal_hours_used, "Informal hours a week already given.")
      .def_readonly("informal_helpers", &Summary::informal_helpers, "Residents who help someone through a tie.")
      .def_readonly("overloaded_helpers", &Summary::overloaded_helpers,
                    "Helpers giving more than 20 hours a week in total.")
      .def_readonly("residents_without_ties", &Summary::residents_without_ties,
                    "Residents without any tie in either direction.")
      .def_property_readonly(
          "open_needs_by_domain",
          [](const Summary& s) {
            py::dict out;
            for (std::size_t d = 0; d < life_domain_count; ++d)
              out[py::str(name(static_cast<LifeDomain>(d)))] = s.open_needs_by_domain[d];
            return out;
          },
          "Open needs per life domain, as {domain: count}.")
      .def_property_readonly(
          "open_needs_by_severity",
          [](const Summary& s) {
            py::dict out;
            for (int k = 0; k < 5; ++k) out[py::int_(k + 1)] = s.open_needs_by_severity[static_cast<std::size_t>(k)];
            return out;
          },
          "Open needs per ZRM severity 1..5, as {severity: count}.")
      .def_property_readonly(
          "by_level",
          [](const Summary& s) {
            py::dict out;
            for (std::size_t l = 0; l < ladder_level_count; ++l) {
              const auto& v = s.by_level[l];
              py::dict d;
              d["offers"] = v.offers;
              d["seats"] = v.seats;
              d["free_seats"] = v.free_seats;
              out[py::str(name(static_cast<LadderLevel>(l)))] = d;
            }
            return out;
          },
          "Offers, seats and free seats per ladder level, as {level: {offers, seats, free_seats}}.")
      .def(
          "to_dict", [](const Summary& s) { return json_loads(to_json(s, -1)); },
          "The summary as the documented JSON object (docs/cli.md), as plain Python values.")
      .def(
          "to_json", [](const Summary& s, int indent) { return to_json(s, indent); }, py::arg("indent") = 2,
          "The summary as the documented JSON text.")
      .def(
          "to_text", [](const Summary& s) { return to_text(s); }, "A readable report.")
      .def(
          "to_pandas",
          [](const Summary& s) {
            py::object flat =
                py::module_::import("pandas").attr("json_normalize")(json_loads(to_json(s, -1)), py::arg("sep") = ".");
            return flat;
          },
          "The summary as a one-row pandas DataFrame; nested fields become dotted column names.")
      .def("__eq__", [](const Summary& a, const Summary& b) { return a == b; })
      .def("__repr__", [](const Summary& s) {
        return "<wijkmatch.Summary residents=" + std::to_string(s.residents) +
               " open_needs=" + std::to_string(s.open_needs) + " offers=" + std::to_string(s.offers) + ">";
      });
}

// ---- policy --------------------------------------------------------------------------------

void bind_policy(py::module_& m) {
  py::class_<Policy>(m, "Policy",
                     "A municipality's ranking policy (wijkmatch::Policy): ladder order, feature weights, "
                     "acceptable score, exception rules and overrides. Immutable; `replace()` returns a "
                     "validated copy. `Policy()` is the documented default (schema/policy-default.json).")
      .def(py::init([] { return default_policy(); }), "The default policy.")
      .def_static(
          "from_json", [](const std::string& text) { return parse_policy(text); }, py::arg("text"),
          "Parses a policy document; raises InputError listing every problem.")
      .def_static(
          "load", [](const py::object& path) { return load_policy(fspath(path)); }, py::arg("path"),
          "Reads a policy file; raises InputError listing every problem.")
      .def_static(
          "from_dict", [](const py::dict& d) { return policy_from(d); }, py::arg("document"),
          "Builds a policy from a dict shaped like the policy document.")
      .def_property_readonly(
          "ladder",
          [](const Policy& p) {
            py::list out;
            for (auto l : p.ladder) out.append(name(l));
            return out;
          },
          "Ladder levels in order of consideration.")
      .def_property_readonly(
          "weights",
          [](const Policy& p) {
            py::dict out;
            for (std::size_t f = 0; f < feature_count; ++f) out[py::str(name(static_cast<Feature>(f)))] = p.weights[f];
            return out;
          },
          "Feature weights, as {feature: weight}.")
      .def_readonly("acceptable_score", &Policy::acceptable_score, "Options scoring below are listed but do not lead.")
      .def_readonly("introduction_factor", &Policy::introduction_factor, "Score multiplier for a tie of a tie.")
      .def_readonly("overloaded_helper_hours", &Policy::overloaded_helper_hours,
                    "A helper giving more hours a week is not asked for more.")
      .def_readonly("consideration_margin_m", &Policy::consideration_margin_m,
                    "Offers this far beyond the travel limit are listed as too far.")
      .def_readonly("provision_radius_m", &Policy::provision_radius_m,
                    "Individual and specialist provisions serve this far.")
      .def(
          "to_json", [](const Policy& p, int indent) { return to_json(p, indent); }, py::arg("indent") = 2,
          "The policy document as JSON text.")
      .def(
          "to_dict", [](const Policy& p) { return json_loads(to_json(p, -1)); }, "The policy document as a dict.")
      .def(
          "replace",
          [](const Policy& p, const py::kwargs& changes) {
            py::dict doc = json_loads(to_json(p, -1));
            for (auto item : changes) doc[item.first] = item.second;
            return policy_from(doc);
          },
          "A copy with top-level fields of the policy document replaced, e.g. "
          "`policy.replace(acceptable_score=0.5)`; validated like a policy file.")
      .def("__eq__", [](const Policy& a, const Policy& b) { return a == b; })
      .def("__repr__",
           [](const Policy& p) {
             return "<wijkmatch.Policy acceptable_score=" + std::to_string(p.acceptable_score) + ">";
           })
      .def(py::pickle([](const Policy& p) { return to_json(p, -1); },
                      [](const std::string& text) { return parse_policy(text); }));
}

// ---- minimum-cost flow ---------------------------------------------------------------------

MinCostFlow::Algorithm algorithm_from(std::string_view s) {
  if (s == "automatic") return MinCostFlow::Algorithm::automatic;
  if (s == "network_simplex") return MinCostFlow::Algorithm::network_simplex;
  if (s == "successive_shortest_paths") return MinCostFlow::Algorithm::successive_shortest_paths;
  throw py::value_error("unknown algorithm '" + std::string(s) +
                        "'; expected automatic, network_simplex or successive_shortest_paths");
}
std::string status_name(MinCostFlow::Status s) {
  switch (s) {
    case MinCostFlow::Status::optimal: return "optimal";
    case MinCostFlow::Status::infeasible: return "infeasible";
    case MinCostFlow::Status::unbalanced: return "unbalanced";
    case MinCostFlow::Status::bad_input: return "bad_input";
  }
  return "bad_input";
}
std::string algorithm_name(MinCostFlow::Algorithm a) {
  if (a == MinCostFlow::Algorithm::network_simplex) return "network_simplex";
  if (a == MinCostFlow::Algorithm::successive_shortest_paths) return "successive_shortest_paths";
  if (a == MinCostFlow::Algorithm::automatic) return "automatic";
  return "other";
}

using I64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

void bind_min_cost_flow(py::module_& m) {
  py::class_<MinCostFlow, std::shared_ptr<MinCostFlow>>(
      m, "MinCostFlow",
      "Exact minimum-cost flow (wijkmatch::MinCostFlow): nodes with supplies, arcs with lower and "
      "upper bounds and integer costs. Build it node by node or from numpy arrays, then solve(); "
      "after an optimal solve, flows() and potentials() give the flow and an optimality certificate.")
      .def(py::init<MinCostFlow::NodeIndex>(), py::arg("node_count") = 0, "A network with this many nodes of supply 0.")
      .def_static(
          "from_arrays",
          [](const I64Array& supply, const I64Array& tail, const I64Array& head, const I64Array& lower,
             const I64Array& upper, const I64Array& cost) {
            const auto n = supply.size(), a = tail.size();
            if (head.size() != a || lower.size() != a || upper.size() != a || cost.size() != a)
              throw py::value_error("tail, head, lower, upper and cost must have the same length");
            auto net = std::make_shared<MinCostFlow>(static_cast<MinCostFlow::NodeIndex>(n));
            net->reserve(static_cast<MinCostFlow::NodeIndex>(n), static_cast<MinCostFlow::ArcIndex>(a));
            for (py::ssize_t v = 0; v < n; ++v)
              if (supply.at(v) != 0) net->set_supply(static_cast<MinCostFlow::NodeIndex>(v), supply.at(v));
            for (py::ssize_t i = 0; i < a; ++i)
              net->add_arc(static_cast<MinCostFlow::NodeIndex>(tail.at(i)),
                           static_cast<MinCostFlow::NodeIndex>(head.at(i)), lower.at(i), upper.at(i), cost.at(i));
            return net;
          },
          py::arg("supply"), py::arg("tail"), py::arg("head"), py::arg("lower"), py::arg("upper"), py::arg("cost"),
          "A network from arrays: one supply per node, one (tail, head, lower, upper, cost) per arc. "
          "Raises ValueError for unknown nodes or bounds out of range.")
      .def("add_node", &MinCostFlow::add_node, "Adds a node with supply 0; returns its index.")
      .def("set_supply", &MinCostFlow::set_supply, py::arg("node"), py::arg("supply"),
           "Sets a node's supply: positive produces flow, negative consumes it.")
      .def("add_arc", &MinCostFlow::add_arc, py::arg("tail"), py::arg("head"), py::arg("lower"), py::arg("upper"),
           py::arg("cost"), "Adds an arc with lower <= flow <= upper and a cost per unit; returns its index.")
      .def(
          "solve",
          [](const std::shared_ptr<MinCostFlow>& net, const std::string& algorithm) {
            const auto alg = algorithm_from(algorithm);
            return status_name(run_interruptible([net, alg] { return net->solve(alg); }));
          },
          py::arg("algorithm") = "automatic",
          "Solves without holding the GIL; returns 'optimal', 'infeasible', 'unbalanced' or 'bad_input'.")
      .def_property_readonly(
          "status", [](const MinCostFlow& n) { return status_name(n.status()); }, "Status of the last solve().")
      .def_property_readonly(
          "algorithm_used", [](const MinCostFlow& n) { return algorithm_name(n.algorithm_used()); },
          "Algorithm the last solve() used.")
      .def_property_readonly("node_count", &MinCostFlow::node_count, "Number of nodes.")
      .def_property_readonly("arc_count", &MinCostFlow::arc_count, "Number of arcs.")
      .def_property_readonly("optimal_cost", &MinCostFlow::optimal_cost, "Cost of the optimal flow.")
      .def("flow", &MinCostFlow::flow, py::arg("arc"), "Flow on one arc.")
      .def("potential", &MinCostFlow::potential, py::arg("node"), "Potential (dual) of one node.")
      .def("reduced_cost", &MinCostFlow::reduced_cost, py::arg("arc"), "cost + potential(tail) - potential(head).")
      .def(
          "flows",
          [](const MinCostFlow& n) {
            py::array_t<std::int64_t> out(n.arc_count());
            auto* d = out.mutable_data();
            for (MinCostFlow::ArcIndex a = 0; a < n.arc_count(); ++a) d[a] = n.flow(a);
            return out;
          },
          "Flow of every arc as an int64 array.")
      .def(
          "potentials",
          [](const MinCostFlow& n) {
            py::array_t<std::int64_t> out(n.node_count());
            auto* d = out.mutable_data();
            for (MinCostFlow::NodeIndex v = 0; v < n.node_count(); ++v) d[v] = n.potential(v);
            return out;
          },
          "Potential of every node as an int64 array.")
      .def(
          "arrays",
          [](const MinCostFlow& n) {
            py::dict out;
            std::vector<std::int64_t> supply, tail, head, lower, upper, cost;
            for (MinCostFlow::NodeIndex v = 0; v < n.node_count(); ++v) supply.push_back(n.supply(v));
            for (MinCostFlow::ArcIndex a = 0; a < n.arc_count(); ++a) {
              tail.push_back(n.tail(a));
              head.push_back(n.head(a));
              lower.push_back(n.lower(a));
              upper.push_back(n.upper(a));
              cost.push_back(n.cost(a));
            }
            out["supply"] = array_of(supply);
            out["tail"] = array_of(tail);
            out["head"] = array_of(head);
            out["lower"] = array_of(lower);
            out["upper"] = array_of(upper);
            out["cost"] = array_of(cost);
            return out;
          },
          "The network as int64 arrays: supply (per node) and tail, head, lower, upper, cost (per arc).")
      .def("__repr__", [](const MinCostFlow& n) {
        return "<wijkmatch.MinCostFlow nodes=" + std::to_string(n.node_count()) +
               " arcs=" + std::to_string(n.arc_count()) + ">";
      });
}

// ---- generator -----------------------------------------------------------------------------

GenerateOptions generate_options(std::int64_t residents, std::uint64_t seed, int municipalities, double needs_per_100,
                                 double offers_per_1000, double professionals_per_10000) {
  GenerateOptions o;
  o.residents = residents;
  o.seed = seed;
  o.municipalities = municipalities;
  o.needs_per_100 = needs_per_100;
  o.offers_per_1000 = offers_per_1000;
  o.professionals_per_10000 = professionals_per_10000;
  return o;
}

#define WIJKMATCH_GENERATE_ARGS                                                                                    \
  py::arg("residents") = 1000, py::arg("seed") = 1, py::arg("municipalities") = 1, py::arg("needs_per_100") = 4.0, \
  py::arg("offers_per_1000") = 4.0, py::arg("professionals_per_10000") = 6.0

void bind_generate(py::module_& m) {
  m.def(
      "generate",
      [](std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers, double pros) {
        const auto o = generate_options(residents, seed, municipalities, needs, offers, pros);
        return std::make_shared<Model>(run_interruptible([o] { return generate(o); }));
      },
      WIJKMATCH_GENERATE_ARGS,
      "A synthetic, valid model (seeded, deterministic). Raises ValueError for options out of range.");
#ifdef WIJKMATCH_PY_HAVE_MUNICIPALITIES
  m.def(
      "municipality_count",
      [](std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers, double pros) {
        return municipality_count(generate_options(residents, seed, municipalities, needs, offers, pros));
      },
      WIJKMATCH_GENERATE_ARGS, "Number of municipalities these options generate.");
  m.def(
      "municipality_residents",
      [](int index, std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers,
         double pros) {
        return municipality_residents(generate_options(residents, seed, municipalities, needs, offers, pros), index);
      },
      py::arg("index"), WIJKMATCH_GENERATE_ARGS, "Residents of municipality `index` (0-based) under these options.");
  m.def(
      "generate_municipality",
      [](int index, std::int64_t residents, std::uint64_t seed, int municipalities, double needs, double offers,
         double pros) {
        const auto o = generate_options(residents, seed, municipalities, needs, offers, pros);
        return std::make_shared<Model>(run_interruptible([o, index] { return generate_municipality(o, index); }));
      },
      py::arg("index"), WIJKMATCH_GENERATE_ARGS,
      "Municipality `index` (0-based) alone; equal to its part of generate() with the same options.");
  m.def(
      "generate_to_directory",
      [](const py::object& directory, const std::string& format, std::int64_t residents, std::uint64_t seed,
         int municipalities, double needs, double offers, double pros) {
        const auto o = generate_options(residents, seed, municipalities, needs, offers, pros);
        const std::string dir = fspath(directory);
        ModelFileFormat f = ModelFileFormat::binary;
        if (format == "json")
          f = ModelFileFormat::json;
        else if (format == "both")
          f = ModelFileFormat::both;
        else if (format != "binary")
          throw py::value_error("format must be 'json', 'binary' or 'both'");
        const GenerateReport r = run_interruptible([o, dir, f] { return generate_to_directory(o, dir, f); });
        py::dict out;
        out["municipalities"] = r.municipalities;
        out["residents"] = r.residents;
        out["households"] = r.households;
        out["ties"] = r.ties;
        out["needs"] = r.needs;
        out["offers"] = r.offers;
        out["professionals"] = r.professionals;
        out["seconds"] = r.seconds;
        out["peak_rss_bytes"] = r.peak_rss_bytes;
        py::list files;
        for (const auto& p : r.files) files.append(p.string());
        out["files"] = files;
        return out;
      },
      py::arg("directory"), py::arg("format") = "binary", WIJKMATCH_GENERATE_ARGS,
      "Writes one model file per municipality and manifest.json to `directory`; returns the report as a dict.");
#endif
}

}  // namespace
}  // namespace wijkmatch::py_bindings

PYBIND11_MODULE(_core, m) {
  namespace wm = wijkmatch;
  using namespace wijkmatch::py_bindings;
  m.doc() = "Compiled core of the wijkmatch package (pybind11). Use the `wijkmatch` package, not this module.";
  m.attr("__version__") = WIJKMATCH_VERSION;
  m.attr("model_format_version") = wm::model_format_version;
#ifdef WIJKMATCH_PY_HAVE_BINARY
  m.attr("have_binary") = true;
#else
  m.attr("have_binary") = false;
#endif
#ifdef WIJKMATCH_PY_HAVE_MUNICIPALITIES
  m.attr("have_municipalities") = true;
#else
  m.attr("have_municipalities") = false;
#endif
  py::register_exception_translator(&translate_errors);

  m.attr("LIFE_DOMAINS") = names_of<wm::LifeDomain, wm::life_domain_count>();
  m.attr("LADDER_LEVELS") = names_of<wm::LadderLevel, wm::ladder_level_count>();
  m.attr("TIE_KINDS") = names_of<wm::TieKind, wm::tie_kind_count>();
  m.attr("AGE_BANDS") = names_of<wm::AgeBand, wm::age_band_count>();
  m.attr("NEED_STATUSES") = names_of<wm::NeedStatus, wm::need_status_count>();
  m.attr("DAY_PARTS") = names_of<wm::DayPart, wm::day_part_count>();
  m.attr("FEATURES") = names_of<wm::Feature, wm::feature_count>();
  m.attr("REJECT_REASONS") = names_of<wm::RejectReason, wm::reject_reason_count>();
  m.attr("ALLOCATION_MODES") = names_of<wm::AllocationMode, 3>();
  py::list days;
  for (std::size_t d = 0; d < wm::day_count; ++d) days.append(std::string(wm::day_name(d)));
  m.attr("DAYS") = days;

  m.def("_join_background", &join_abandoned,
        "Waits for work abandoned by Ctrl-C to finish (called at interpreter exit).");
  m.def(
      "_background_running", [] { return running.load(); },
      "Number of heavy calls still running on worker threads (including abandoned ones).");

  bind_policy(m);
  bind_summary(m);
  bind_model(m);  // Model before the functions that take or return it (signatures)

  // Loading and validation.
  m.def(
      "load",
      [](const py::object& path, std::size_t max_problems, std::size_t max_bytes, int max_depth) {
        const std::string p = fspath(path);
        const wm::LoadOptions o = load_options(max_problems, max_bytes, max_depth);
        return std::make_shared<wm::Model>(run_interruptible([p, o] {
#ifdef WIJKMATCH_PY_HAVE_BINARY
          return wm::load_any(p, o);
#else
          return wm::load_model(p, o);
#endif
        }));
      },
      py::arg("path"), py::arg("max_problems") = 100, py::arg("max_bytes") = std::size_t{1} << 30,
      py::arg("max_depth") = 32,
      "Reads a model file (format v1 JSON, or binary .wjm where supported); raises InputError "
      "listing every problem found.");
  m.def(
      "loads",
      [](const std::string& text, std::size_t max_problems, int max_depth) {
        wm::LoadOptions o = load_options(max_problems, std::size_t{1} << 30, max_depth);
        o.max_bytes = std::max(o.max_bytes, text.size());
        return std::make_shared<wm::Model>(run_interruptible([text, o] { return wm::parse_model(text, o); }));
      },
      py::arg("text"), py::arg("max_problems") = 100, py::arg("max_depth") = 32,
      "Parses a format v1 JSON document; raises InputError listing every problem found.");
  m.def(
      "validate_text",
      [](const std::string& text, std::size_t max_problems) {
        std::vector<wm::Problem> problems;
        {
          py::gil_scoped_release nogil;
          wm::LoadOptions o;
          o.max_problems = max_problems;
          o.max_bytes = std::max(o.max_bytes, text.size());
          problems = wm::validate_model(text, o);
        }
        return problem_list(problems);
      },
      py::arg("text"), py::arg("max_problems") = 100,
      "Every problem of a format v1 JSON document as a list of Problem(pointer, reason); empty when valid.");
  m.def(
      "validate",
      [](const py::object& path, std::size_t max_problems) {
        const std::string p = fspath(path);
        std::vector<wm::Problem> problems;
        try {
#ifdef WIJKMATCH_PY_HAVE_BINARY
          if (p.size() >= 4 && p.compare(p.size() - 4, 4, ".wjm") == 0) {
            wm::LoadOptions o;
            o.max_problems = max_problems;
            run_interruptible([p, o] { return wm::load_model_binary(p, o); });
            return problem_list(problems);
          }
#endif
          std::string text;
          {
            py::gil_scoped_release nogil;
            text = wm::read_input(p, wm::LoadOptions{}.max_bytes);
            wm::LoadOptions o;
            o.max_problems = max_problems;
            problems = wm::validate_model(text, o);
          }
        } catch (const wm::InputError& e) {
          problems = e.problems();
        }
        return problem_list(problems);
      },
      py::arg("path"), py::arg("max_problems") = 100,
      "Every problem of a model file as a list of Problem(pointer, reason); empty when valid. "
      "Unreadable files give one problem with an empty pointer.");
  m.def(
      "summary",
      [](const ModelPtr& model) {
        py::gil_scoped_release nogil;
        return wm::summarize(*model);
      },
      py::arg("model"), "Counts a team looks at first (wijkmatch::summarize).");

  // Areas.
  m.def(
      "municipality_of", [](const std::string& code) { return wm::municipality_of(code); }, py::arg("code"),
      "'BU03440101' or 'WK034401' -> 'GM0344'.");
  m.def(
      "district_of", [](const std::string& code) { return wm::district_of(code); }, py::arg("code"),
      "'BU03440101' -> 'WK034401'.");
  m.def(
      "check_area_code",
      [](const std::string& code, const std::string& level) -> std::optional<std::string> {
        wm::AreaLevel l = wm::AreaLevel::neighbourhood;
        if (level == "municipality")
          l = wm::AreaLevel::municipality;
        else if (level == "district")
          l = wm::AreaLevel::district;
        else if (level != "neighbourhood")
          throw py::value_error("level must be municipality, district or neighbourhood");
        return wm::check_area_code(code, l);
      },
      py::arg("code"), py::arg("level") = "neighbourhood",
      "Why `code` is not a CBS code of `level`, or None when it is one.");

  bind_generate(m);
  bind_min_cost_flow(m);
  bind_engine(m);
  bind_country(m);
}
