// wijkmatch.GroupProposals and wijkmatch.propose_groups() (groups.hpp).
#include "common.hpp"

#include "wijkmatch/groups.hpp"

namespace wijkmatch::py_bindings {
namespace {

// The proposals keep their model: keys are what the Python side shows.
struct GroupProposalsPy {
  ModelPtr model;
  GroupProposals proposals;
};

}  // namespace

void bind_groups(py::module_& m) {
  py::class_<GroupProposalsPy>(m, "GroupProposals",
                               "New groups where open needs without a collective answer recur "
                               "(wijkmatch::propose_groups, docs/groups.md).")
      .def_property_readonly(
          "open_needs", [](const GroupProposalsPy& p) { return p.proposals.open_needs; }, "Open needs ranked.")
      .def_property_readonly(
          "unanswered_needs", [](const GroupProposalsPy& p) { return p.proposals.unanswered; },
          "Open needs without an acceptable collective option with room.")
      .def_property_readonly(
          "saved_ladder_steps",
          [](const GroupProposalsPy& p) -> py::object {
            if (!p.proposals.measured) return py::none();
            return py::int_(p.proposals.ladder_steps_before - p.proposals.ladder_steps_after);
          },
          "Ladder steps saved by adding every proposed group, measured by allocating again; None "
          "when measure=False.")
      .def_property_readonly(
          "groups",
          [](const GroupProposalsPy& p) {
            // An object, not the accessor: the accessor would refer to the dict, gone on return.
            const py::object all = json_loads(group_proposals_to_json(*p.model, p.proposals, -1));
            return py::object(all["groups"]);
          },
          "The proposed groups as a list of dicts (the JSON of docs/groups.md).")
      .def(
          "to_dict",
          [](const GroupProposalsPy& p) { return json_loads(group_proposals_to_json(*p.model, p.proposals, -1)); },
          "The proposals as the documented JSON object, as plain Python values.")
      .def(
          "to_json",
          [](const GroupProposalsPy& p, int indent) { return group_proposals_to_json(*p.model, p.proposals, indent); },
          py::arg("indent") = 2, "The proposals as the documented JSON text.")
      .def(
          "to_text", [](const GroupProposalsPy& p) { return group_proposals_to_text(*p.model, p.proposals); },
          "A readable report for a neighbourhood team.")
      .def("__len__", [](const GroupProposalsPy& p) { return p.proposals.groups.size(); })
      .def("__repr__", [](const GroupProposalsPy& p) {
        return "<wijkmatch.GroupProposals groups=" + std::to_string(p.proposals.groups.size()) +
               " unanswered_needs=" + std::to_string(p.proposals.unanswered) + ">";
      });

  m.def(
      "propose_groups",
      [](const ModelPtr& model, int min_size, int max_size, double radius_m, double venue_snap_m, int max_helpers,
         bool measure, const py::object& policy, int threads) {
        ProposeGroupsOptions o;
        o.policy = policy_from(policy);
        o.min_size = min_size;
        o.max_size = max_size;
        o.radius_m = radius_m;
        o.venue_snap_m = venue_snap_m;
        o.max_helpers = max_helpers;
        o.measure = measure;
        o.threads = threads;
        // Runs without the GIL on a worker; Ctrl-C raises KeyboardInterrupt at once.
        auto proposals = run_interruptible([model, o] { return propose_groups(*model, o); });
        return GroupProposalsPy{model, std::move(proposals)};
      },
      py::arg("model"), py::kw_only(), py::arg("min_size") = 6, py::arg("max_size") = 15, py::arg("radius_m") = 1000.0,
      py::arg("venue_snap_m") = 300.0, py::arg("max_helpers") = 3, py::arg("measure") = true,
      py::arg("policy") = py::none(), py::arg("threads") = 0,
      "Proposes new groups where open needs without an acceptable collective option recur: one "
      "life domain, close together, a shared day-part and language (docs/groups.md). With "
      "measure=True the ladder steps saved are measured by allocating again with the groups "
      "added. The GIL is released; raises ValueError (InvalidArgument) for options out of range.");
}

}  // namespace wijkmatch::py_bindings
