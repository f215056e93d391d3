// wijkmatch.MinCostFlow (min_cost_flow.hpp): build a network from calls or numpy arrays, solve
// it without the GIL, read flows and potentials back as arrays.
#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

MinCostFlow::Algorithm algorithm_from(std::string_view s) {
  if (s == "automatic") return MinCostFlow::Algorithm::automatic;
  if (s == "network_simplex") return MinCostFlow::Algorithm::network_simplex;
  if (s == "successive_shortest_paths") return MinCostFlow::Algorithm::successive_shortest_paths;
  if (s == "cost_scaling") return MinCostFlow::Algorithm::cost_scaling;
  throw py::value_error("unknown algorithm '" + std::string(s) +
                        "'; expected automatic, network_simplex, successive_shortest_paths or cost_scaling");
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
  if (a == MinCostFlow::Algorithm::cost_scaling) return "cost_scaling";
  return "other";
}

using I64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

/// get(v) of every node, as an int64 array.
template <class Get>
py::array_t<std::int64_t> node_array(const MinCostFlow& n, Get get) {
  return indexed<std::int64_t>(static_cast<std::size_t>(n.node_count()),
                               [&](std::size_t v) { return (n.*get)(static_cast<MinCostFlow::NodeIndex>(v)); });
}
/// get(a) of every arc, as an int64 array.
template <class Get>
py::array_t<std::int64_t> arc_array(const MinCostFlow& n, Get get) {
  return indexed<std::int64_t>(static_cast<std::size_t>(n.arc_count()),
                               [&](std::size_t a) { return (n.*get)(static_cast<MinCostFlow::ArcIndex>(a)); });
}

}  // namespace

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
          "flows", [](const MinCostFlow& n) { return arc_array(n, &MinCostFlow::flow); },
          "Flow of every arc as an int64 array.")
      .def(
          "potentials", [](const MinCostFlow& n) { return node_array(n, &MinCostFlow::potential); },
          "Potential of every node as an int64 array.")
      .def(
          "arrays",
          [](const MinCostFlow& n) {
            py::dict out;
            out["supply"] = node_array(n, &MinCostFlow::supply);
            for (auto [key, get] : {std::pair{"tail", &MinCostFlow::tail}, std::pair{"head", &MinCostFlow::head}})
              out[key] = arc_array(n, get);
            for (auto [key, get] : {std::pair{"lower", &MinCostFlow::lower}, std::pair{"upper", &MinCostFlow::upper},
                                    std::pair{"cost", &MinCostFlow::cost}})
              out[key] = arc_array(n, get);
            return out;
          },
          "The network as int64 arrays: supply (per node) and tail, head, lower, upper, cost (per arc).")
      .def("__repr__", [](const MinCostFlow& n) {
        return "<wijkmatch.MinCostFlow nodes=" + std::to_string(n.node_count()) +
               " arcs=" + std::to_string(n.arc_count()) + ">";
      });
}
}  // namespace wijkmatch::py_bindings
