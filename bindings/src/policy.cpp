// wijkmatch.Policy and the feature names (policy.hpp).
#include "common.hpp"

namespace wijkmatch::py_bindings {

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
      .def_readonly("stale_after_days", &Policy::stale_after_days,
                    "Offers confirmed longer ago than this get a 'stale' reason; 0 = never.")
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
  m.attr("FEATURES") = names_of<Feature, feature_count>();
}

}  // namespace wijkmatch::py_bindings
