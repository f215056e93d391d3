// Allocation (allocation.hpp): allocate(), allocate_many(), the problem as tables or a
// network, and AllocationResult with its frames.
#include <cmath>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

struct AllocationPy {
  ModelPtr model;
  AllocationResult result;
};

py::dict objective_dict(const AllocationObjective& o) {
  py::dict d;
  d["needs"] = o.needs;
  d["served"] = o.served;
  d["ladder_steps"] = o.ladder_steps;
  d["score_milli"] = o.score_milli;
  d["score"] = static_cast<double>(o.score_milli) / 1000.0;
  d["cost_per_month"] = o.cost_per_month;
  py::dict by_level;
  for (std::size_t l = 0; l < ladder_level_count; ++l)
    by_level[py::str(name(static_cast<LadderLevel>(l)))] = o.served_by_level[l];
  d["served_by_level"] = by_level;
  return d;
}

py::object assignments_frame(const Model& m, const AllocationResult& r) {
  const auto& as = r.assignments;
  py::dict c;
  c["need"] = str_column(as, [&](const Assignment& a) { return m[a.need].key; });
  c["resident"] = str_column(as, [&](const Assignment& a) { return m[m[a.need].resident].key; });
  c["neighbourhood"] = str_column(as, [&](const Assignment& a) { return m[m[a.need].resident].neighbourhood; });
  c["municipality"] =
      str_column(as, [&](const Assignment& a) { return municipality_or_empty(m[m[a.need].resident].neighbourhood); });
  c["domain"] = str_column(as, [&](const Assignment& a) { return to_string(m[a.need].domain); });
  c["served"] = column<bool>(as, [](const Assignment& a) { return a.served; });
  c["level"] = optional_str_column(as, [](const Assignment& a) -> std::optional<std::string> {
    if (!a.served) return std::nullopt;
    return name(a.level);
  });
  c["option"] = optional_str_column(as, [&](const Assignment& a) -> std::optional<std::string> {
    if (!a.served) return std::nullopt;
    if (a.offer.valid()) return m[a.offer].key;
    if (a.tie.valid()) return "network:" + helper_key(m, a.tie);
    if (a.neighbour.valid()) return "neighbour:" + m[a.neighbour].key;
    return "professional:" + m[a.professional].key;
  });
  c["offer"] = optional_str_column(as, [&](const Assignment& a) -> std::optional<std::string> {
    if (!a.offer.valid()) return std::nullopt;
    return m[a.offer].key;
  });
  c["helper"] = optional_str_column(as, [&](const Assignment& a) -> std::optional<std::string> {
    if (a.neighbour.valid()) return m[a.neighbour].key;
    if (!a.tie.valid()) return std::nullopt;
    return helper_key(m, a.tie);
  });
  c["professional"] = optional_str_column(as, [&](const Assignment& a) -> std::optional<std::string> {
    if (!a.professional.valid()) return std::nullopt;
    return m[a.professional].key;
  });
  c["score"] = column<double>(as, [](const Assignment& a) { return a.served ? a.score : std::nan(""); });
  c["cost_per_month"] = column<double>(as, [](const Assignment& a) { return a.served ? a.cost_per_month : 0.0; });
  c["candidate"] = column<std::int64_t>(as, [](const Assignment& a) { return a.candidate; });
  return pandas_frame(c);
}

py::object waiting_frame(const Model& m, const AllocationResult& r) {
  const auto& ws = r.waiting;
  py::dict c;
  c["need"] = str_column(ws, [&](const WaitingEntry& w) { return m[w.need].key; });
  c["first_choice"] = optional_str_column(ws, [&](const WaitingEntry& w) -> std::optional<std::string> {
    if (!w.first_choice.valid()) return std::nullopt;
    return m[w.first_choice].key;
  });
  c["position"] = column<std::int64_t>(ws, [](const WaitingEntry& w) { return w.position; });
  c["reason"] = str_column(ws, [](const WaitingEntry& w) { return w.reason; });
  return pandas_frame(c);
}

py::object offer_use_frame(const Model& m, const AllocationResult& r) {
  const auto& us = r.offers;
  py::dict c;
  c["offer"] = str_column(us, [&](const OfferUse& u) { return m[u.offer].key; });
  c["level"] = str_column(us, [&](const OfferUse& u) { return to_string(m[u.offer].level); });
  c["free_before"] = column<std::int64_t>(us, [](const OfferUse& u) { return u.free_before; });
  c["assigned"] = column<std::int64_t>(us, [](const OfferUse& u) { return u.assigned; });
  c["runs"] = column<bool>(us, [](const OfferUse& u) { return u.runs; });
  c["seat_value"] = column<double>(us, [](const OfferUse& u) { return u.seat_value; });
  return pandas_frame(c);
}

py::object professional_use_frame(const Model& m, const AllocationResult& r) {
  const auto& us = r.professionals;
  py::dict c;
  c["professional"] = str_column(us, [&](const ProfessionalUse& u) { return m[u.professional].key; });
  c["room_before"] = column<std::int64_t>(us, [](const ProfessionalUse& u) { return u.room_before; });
  c["assigned"] = column<std::int64_t>(us, [](const ProfessionalUse& u) { return u.assigned; });
  c["seat_value"] = column<double>(us, [](const ProfessionalUse& u) { return u.seat_value; });
  return pandas_frame(c);
}

AllocateOptions allocate_options(const std::string& mode, const py::object& policy, const std::string& group_minimum,
                                 int threads, double hours_per_informal_need, double online_history_share,
                                 int exact_group_limit) {
  if (threads < 0) throw py::value_error("threads must be 0 (all cores) or more");
  // The option ranges are checked once, by the library (InvalidArgument becomes ValueError).
  return {.mode = mode_from(mode),
          .policy = policy_from(policy),
          .group_minimum = group_minimum_from(group_minimum),
          .threads = threads,
          .hours_per_informal_need = hours_per_informal_need,
          .online_history_share = online_history_share,
          .exact_group_limit = exact_group_limit,
          .progress = {}};
}

#define WIJKMATCH_ALLOCATE_ARGS                                                                                       \
  py::arg("mode") = "optimal", py::kw_only(), py::arg("policy") = py::none(), py::arg("group_minimum") = "heuristic", \
  py::arg("threads") = 0, py::arg("hours_per_informal_need") = 2.0, py::arg("online_history_share") = 0.5,            \
  py::arg("exact_group_limit") = 14

}  // namespace

void bind_allocation(py::module_& m) {
  m.attr("ALLOCATION_MODES") = names_of<AllocationMode, 3>();
  py::class_<AllocationPy>(m, "AllocationResult",
                           "Allocation of every open need (wijkmatch::AllocationResult): assignments, the "
                           "waiting list, use of offers and professionals, and the objective.")
      .def_property_readonly(
          "mode", [](const AllocationPy& a) { return name(a.result.mode); }, "'optimal', 'stable' or 'online'.")
      .def_property_readonly(
          "objective", [](const AllocationPy& a) { return objective_dict(a.result.objective); },
          "{needs, served, ladder_steps, score_milli, score, cost_per_month, served_by_level}.")
      .def_property_readonly(
          "hindsight",
          [](const AllocationPy& a) -> py::object {
            return a.result.hindsight ? py::object(objective_dict(*a.result.hindsight)) : py::object(py::none());
          },
          "Online mode: the optimum of the same stream in hindsight; None otherwise.")
      .def_property_readonly(
          "blocking_pairs", [](const AllocationPy& a) { return a.result.blocking_pairs; },
          "Stable mode: blocking pairs (0).")
      .def_property_readonly(
          "notes", [](const AllocationPy& a) { return a.result.notes; }, "What the solver did (closed groups, ...).")
      .def_property_readonly(
          "assignments", [](const AllocationPy& a) { return assignments_frame(*a.model, a.result); },
          "One row per open need: need, resident, neighbourhood, municipality, domain, served, level, "
          "option label, offer, helper, professional, score, cost_per_month, candidate.")
      .def_property_readonly(
          "waiting", [](const AllocationPy& a) { return waiting_frame(*a.model, a.result); },
          "The waiting list: need, first_choice, position, reason.")
      .def_property_readonly(
          "offers", [](const AllocationPy& a) { return offer_use_frame(*a.model, a.result); },
          "Every offer: offer, level, free_before, assigned, runs, seat_value.")
      .def_property_readonly(
          "professionals", [](const AllocationPy& a) { return professional_use_frame(*a.model, a.result); },
          "Every professional: professional, room_before, assigned, seat_value.")
      .def(
          "to_pandas", [](const AllocationPy& a) { return assignments_frame(*a.model, a.result); },
          "The assignments as a DataFrame (see the assignments property).")
      .def(
          "frames",
          [](const AllocationPy& a) {
            py::dict out;
            out["assignments"] = assignments_frame(*a.model, a.result);
            out["waiting"] = waiting_frame(*a.model, a.result);
            out["offers"] = offer_use_frame(*a.model, a.result);
            out["professionals"] = professional_use_frame(*a.model, a.result);
            return out;
          },
          "Every table of the result as DataFrames: assignments, waiting, offers, professionals.")
      .def(
          "to_dict",
          [](const AllocationPy& a) {
            return json_without_gil([&] { return allocation_to_json(*a.model, a.result, -1); });
          },
          "The result as the documented JSON object (docs/allocation.md).")
      .def(
          "to_text", [](const AllocationPy& a) { return allocation_to_text(*a.model, a.result); },
          "The result as readable text.")
      .def("__repr__", [](const AllocationPy& a) {
        return "<wijkmatch.AllocationResult mode=" + name(a.result.mode) +
               " served=" + std::to_string(a.result.objective.served) + "/" + std::to_string(a.result.objective.needs) +
               ">";
      });

  m.def(
      "allocate",
      [](const ModelPtr& model, const std::string& mode, const py::object& policy, const std::string& group_minimum,
         int threads, double hours, double share, int limit, const py::object& progress) {
        const AllocateOptions o = allocate_options(mode, policy, group_minimum, threads, hours, share, limit);
        auto result = run_with_progress(
            [model, o](ProgressCallback callback) {
              AllocateOptions with_progress = o;
              with_progress.progress = std::move(callback);
              return allocate(*model, with_progress);
            },
            progress);
        return AllocationPy{model, std::move(result)};
      },
      py::arg("model"), WIJKMATCH_ALLOCATE_ARGS, py::arg("progress") = py::none(),
      "Allocates every open need at once under capacity. mode: 'optimal' (lexicographic min-cost "
      "flow), 'stable' (deferred acceptance) or 'online'. group_minimum: 'heuristic', 'exact' or "
      "'ignore'. The GIL is released; Ctrl-C stops the work (at the next ranking chunk or solver "
      "stage) and raises KeyboardInterrupt. progress: optional callable(done, total), called "
      "from the calling thread while ranking and between solver stages; if it raises, the "
      "allocation stops and the exception propagates.");

  m.def(
      "allocate_many",
      [](const std::vector<ModelPtr>& models, const std::string& mode, const py::object& policy,
         const std::string& group_minimum, int threads, double hours, double share, int limit,
         const py::object& progress) {
        const AllocateOptions o = allocate_options(mode, policy, group_minimum, threads, hours, share, limit);
        std::vector<AllocationPy> out;
        out.reserve(models.size());
        const auto total = static_cast<long long>(models.size());
        report(progress, 0, total);
        for (const auto& model : models) {
          if (!model) throw py::value_error("models must not contain None");
          auto result = run_interruptible([model, o] { return allocate(*model, o); });
          out.push_back({model, std::move(result)});
          if (PyErr_CheckSignals() != 0) throw py::error_already_set();
          report(progress, static_cast<long long>(out.size()), total);
        }
        return out;
      },
      py::arg("models"), WIJKMATCH_ALLOCATE_ARGS, py::arg("progress") = py::none(),
      "Allocates several independent models (e.g. municipalities) one after the other, with the "
      "same options; progress(done, total) after each, Ctrl-C between and during them.");

  m.def(
      "allocation_candidates",
      [](const ModelPtr& model, const std::string& mode, const py::object& policy, const std::string& group_minimum,
         int threads, double hours, double share, int limit) {
        const AllocateOptions o = allocate_options(mode, policy, group_minimum, threads, hours, share, limit);
        const AllocationCandidates c = run_interruptible([model, o] { return allocation_candidates(*model, o); });
        const Model& x = *model;
        py::dict needs;
        needs["need"] = str_column(c.needs, [&](NeedId n) { return x[n].key; });
        needs["priority"] = array_of(c.priority);
        py::dict res;
        res["kind"] = str_column(c.resources, [](const AllocationResource& r) {
          return r.kind == ResourceKind::offer          ? "offer"
                 : r.kind == ResourceKind::professional ? "professional"
                                                        : "helper";
        });
        res["key"] = str_column(c.resources, [&](const AllocationResource& r) {
          return r.kind == ResourceKind::offer          ? x.offers[r.index].key
                 : r.kind == ResourceKind::professional ? x.professionals[r.index].key
                                                        : x.residents[r.index].key;
        });
        res["index"] = column<std::int64_t>(c.resources, [](const AllocationResource& r) { return r.index; });
        res["capacity"] = column<std::int64_t>(c.resources, [](const AllocationResource& r) { return r.capacity; });
        py::dict cand;
        cand["slot"] = column<std::int64_t>(c.candidates, [](const AllocationCandidate& k) { return k.slot; });
        cand["resource"] = column<std::int64_t>(c.candidates, [](const AllocationCandidate& k) { return k.resource; });
        cand["steps"] = column<std::int64_t>(c.candidates, [](const AllocationCandidate& k) { return k.steps; });
        cand["score_milli"] =
            column<std::int64_t>(c.candidates, [](const AllocationCandidate& k) { return k.score_milli; });
        cand["cost"] = column<std::int64_t>(c.candidates, [](const AllocationCandidate& k) { return k.cost; });
        cand["level"] = str_column(c.candidates, [](const AllocationCandidate& k) { return to_string(k.level); });
        py::dict out;
        out["needs"] = pandas_frame(needs);
        out["resources"] = pandas_frame(res);
        out["candidates"] = pandas_frame(cand);
        out["first"] = column<std::int64_t>(c.first, [](std::uint32_t f) { return f; });
        return out;
      },
      py::arg("model"), WIJKMATCH_ALLOCATE_ARGS,
      "The allocation problem as flat tables: needs (need, priority), resources (kind, key, index, "
      "capacity), candidates (slot, resource, steps, score_milli, cost, level; grouped by need in "
      "preference order) and first (candidates of need s: rows first[s]..first[s+1]-1).");

  m.def(
      "allocation_network",
      [](const ModelPtr& model, const std::string& mode, const py::object& policy, const std::string& group_minimum,
         int threads, double hours, double share, int limit) {
        const AllocateOptions o = allocate_options(mode, policy, group_minimum, threads, hours, share, limit);
        return std::make_shared<MinCostFlow>(run_interruptible([model, o] { return allocation_network(*model, o); }));
      },
      py::arg("model"), WIJKMATCH_ALLOCATE_ARGS,
      "The stage-1 network the optimal mode solves (ladder steps as costs), as a MinCostFlow.");
}

}  // namespace wijkmatch::py_bindings
