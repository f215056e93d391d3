// wijkmatch.Summary and wijkmatch.summary() (summary.hpp).
#include "common.hpp"

namespace wijkmatch::py_bindings {

void bind_summary(py::module_& m) {
  py::class_<Summary>(m, "Summary",
                      "Counts a team looks at first (wijkmatch::Summary): needs by life domain, offers by "
                      "ladder level, seats, caseload room, informal capacity and resident initiatives at risk.")
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
      .def_readonly("residents_offering_help", &Summary::residents_offering_help,
                    "Residents who offer help to neighbours (format v1.1 offers_help).")
      .def_readonly("help_hours_offered", &Summary::help_hours_offered, "Their hours a week, summed.")
      .def_readonly("places_at_risk", &Summary::places_at_risk,
                    "Participants of initiatives at risk who would lose their place if the person the "
                    "initiative rests on most stopped.")
      .def_readonly("places_over", &Summary::places_over,
                    "Participants of initiatives beyond what their volunteers' hours carry now.")
      .def_property_readonly(
          "initiatives_at_risk",
          [](const Summary& s) {
            // An object, not an accessor into the temporary document.
            const py::object doc = json_loads(to_json(s, -1));
            return py::object(doc["initiatives"]["at_risk"]);
          },
          "The resident initiatives at risk, as a list of dicts (docs/cli.md, summary --json): offer key, "
          "status, organisers, volunteers, rests_on, volunteer_hours, hours_needed, seats, effective_seats, "
          "occupancy, overloaded_volunteers, places_over, places_at_risk, risks.")
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

  m.def(
      "summary",
      [](const ModelPtr& model) {
        py::gil_scoped_release nogil;
        return summarize(*model);
      },
      py::arg("model"), "Counts a team looks at first (wijkmatch::summarize).");
}

}  // namespace wijkmatch::py_bindings
