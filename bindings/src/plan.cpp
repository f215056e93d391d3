// Household plans (plan.hpp): wijkmatch.plan() and HouseholdPlan.
#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

struct PlanPy {
  ModelPtr model;
  HouseholdPlan plan;
};

HouseholdId household_id(const Model& m, const py::handle& household) {
  return id_of<HouseholdId>(household, m.households.size(), "household",
                            [&](const std::string& key) { return m.find_household(key); });
}

}  // namespace

void bind_plan(py::module_& m) {
  py::class_<PlanPy>(m, "HouseholdPlan",
                     "One plan per household (wijkmatch::HouseholdPlan): every open need ranked, offers that "
                     "cover several needs together, and one coordinating professional.")
      .def_property_readonly(
          "household", [](const PlanPy& p) { return (*p.model)[p.plan.household].key; }, "Key of the household.")
      .def_property_readonly(
          "coordinator",
          [](const PlanPy& p) -> py::object {
            if (!p.plan.coordinator) return py::none();
            return py::str((*p.model)[*p.plan.coordinator].key);
          },
          "Key of the chosen coordinating professional, or None.")
      .def_property_readonly(
          "rankings",
          [](const PlanPy& p) {
            return RankingsPy{p.model, p.plan.rankings};
          },
          "Rankings of the household's open needs.")
      .def_property_readonly(
          "combined",
          [](const PlanPy& p) {
            const Model& x = *p.model;
            py::list out;
            for (const auto& c : p.plan.combined) {
              py::dict d;
              d["offer"] = x[c.offer].key;
              py::list needs;
              for (NeedId n : c.needs) needs.append(x[n].key);
              d["needs"] = needs;
              out.append(d);
            }
            return out;
          },
          "Offers proposed for two or more needs, as [{offer, needs}].")
      .def_property_readonly(
          "candidates",
          [](const PlanPy& p) {
            const Model& x = *p.model;
            py::list professional, reasons;
            std::vector<double> score;
            py::array_t<bool> eligible(static_cast<py::ssize_t>(p.plan.candidates.size()));
            std::size_t i = 0;
            for (const auto& c : p.plan.candidates) {
              professional.append(x[c.professional].key);
              score.push_back(c.score);
              eligible.mutable_data()[i++] = c.eligible;
              reasons.append(strings(c.reasons));
            }
            py::dict cols;
            cols["professional"] = professional;
            cols["score"] = array_of(score);
            cols["eligible"] = eligible;
            cols["reasons"] = reasons;
            return pandas_frame(cols);
          },
          "Every professional as a coordinator candidate, best first, as a DataFrame.")
      .def(
          "to_dict",
          [](const PlanPy& p) { return json_without_gil([&] { return plan_to_json(*p.model, p.plan, -1); }); },
          "The plan as the documented JSON object.")
      .def(
          "to_text", [](const PlanPy& p) { return plan_to_text(*p.model, p.plan); }, "The plan as readable text.")
      .def(
          "to_pandas", [](const PlanPy& p) { return options_frame(*p.model, p.plan.rankings); },
          "The options of every need of the plan, one row per option (as Rankings.to_pandas).")
      .def("__repr__", [](const PlanPy& p) {
        return "<wijkmatch.HouseholdPlan household=" + (*p.model)[p.plan.household].key +
               " needs=" + std::to_string(p.plan.rankings.size()) + ">";
      });

  m.def(
      "plan",
      [](const ModelPtr& model, const py::object& household, const py::object& policy) {
        const HouseholdId id = household_id(*model, household);
        Policy p = policy_from(policy);
        auto out = run_interruptible([model, id, p] { return wijkmatch::plan(*model, id, p); });
        return PlanPy{model, std::move(out)};
      },
      py::arg("model"), py::arg("household"), py::arg("policy") = py::none(),
      "The plan of one household (key or index). The GIL is released; Ctrl-C interrupts.");
}
}  // namespace wijkmatch::py_bindings
