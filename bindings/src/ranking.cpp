// Ranking, household plans and allocation: the engine's results as Python objects that keep
// their model alive, with to_dict() (the documented JSON), to_text() and to_pandas().
#include <cmath>
#include <limits>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

py::object pandas_frame(const py::dict& columns) { return py::module_::import("pandas").attr("DataFrame")(columns); }
py::object json_loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }
py::object key_or_none(const std::string& key) {
  return key.empty() ? py::object(py::none()) : py::object(py::str(key));
}

std::string helper_key(const Model& m, TieId tie) { return tie.valid() ? m[m[tie].helper].key : std::string(); }
std::string offer_key(const Model& m, OfferId o) { return o.valid() ? m[o].key : std::string(); }

// ---- ranking -------------------------------------------------------------------------------

struct RankingPy {
  ModelPtr model;
  Ranking ranking;
};

struct RankingsPy {
  ModelPtr model;
  std::vector<Ranking> rankings;
};

struct RankerPy {
  ModelPtr model;
  Ranker ranker;
  RankerPy(ModelPtr m, Policy p) : model(std::move(m)), ranker(*model, std::move(p)) {}
};
using RankerPtr = std::shared_ptr<RankerPy>;

py::dict option_dict(const Model& m, const Option& o) {
  py::dict d;
  d["option"] = option_label(m, o);
  d["level"] = name(o.level);
  d["offer"] = key_or_none(offer_key(m, o.offer));
  d["helper"] = key_or_none(helper_key(m, o.tie));
  d["via"] = key_or_none(o.via.valid() ? m[o.via].key : std::string());
  d["score"] = o.score;
  d["acceptable"] = o.acceptable;
  d["alongside"] = o.alongside;
  d["waiting_position"] = o.waiting_position;
  d["distance_m"] = o.distance_m;
  py::dict contributions;
  for (const auto& c : o.contributions) {
    py::dict x;
    x["value"] = c.value;
    x["points"] = c.points;
    contributions[py::str(name(c.feature))] = x;
  }
  d["contributions"] = contributions;
  d["reasons"] = strings(o.reasons);
  return d;
}

py::dict rejection_dict(const Model& m, const Rejection& r) {
  py::dict d;
  d["option"] = r.offer.valid() ? m[r.offer].key : "network:" + helper_key(m, r.tie);
  d["level"] = name(r.level);
  d["offer"] = key_or_none(offer_key(m, r.offer));
  d["helper"] = key_or_none(helper_key(m, r.tie));
  d["failed"] = name(r.failed);
  d["reason"] = r.reason;
  return d;
}

py::object exception_dict(const std::optional<FiredException>& e) {
  if (!e) return py::none();
  py::dict d;
  d["rule"] = e->rule;
  d["kind"] = name(e->kind);
  d["level"] = name(e->level);
  d["reason"] = e->reason;
  return d;
}

/// One row per option, in ranking order.
py::object options_frame(const Model& m, const std::vector<Ranking>& rankings) {
  std::size_t rows = 0;
  for (const auto& r : rankings) rows += r.options.size();
  std::vector<std::int64_t> position, waiting;
  std::vector<double> score, distance;
  std::vector<bool> acceptable, alongside;
  std::vector<std::vector<double>> points(feature_count,
                                          std::vector<double>(rows, std::numeric_limits<double>::quiet_NaN()));
  py::list need(rows), option(rows), level(rows), offer(rows), helper(rows), via(rows), exception(rows), reasons(rows);
  std::size_t i = 0;
  for (const auto& r : rankings) {
    const std::string& nk = m[r.need].key;
    py::object rule = r.exception ? py::object(py::str(r.exception->rule)) : py::object(py::none());
    for (std::size_t k = 0; k < r.options.size(); ++k, ++i) {
      const Option& o = r.options[k];
      need[i] = py::str(nk);
      position.push_back(static_cast<std::int64_t>(k));
      option[i] = py::str(option_label(m, o));
      level[i] = py::str(name(o.level));
      offer[i] = key_or_none(offer_key(m, o.offer));
      helper[i] = key_or_none(helper_key(m, o.tie));
      via[i] = key_or_none(o.via.valid() ? m[o.via].key : std::string());
      score.push_back(o.score);
      acceptable.push_back(o.acceptable);
      alongside.push_back(o.alongside);
      waiting.push_back(o.waiting_position);
      distance.push_back(o.distance_m);
      exception[i] = rule;
      reasons[i] = strings(o.reasons);
      for (const auto& c : o.contributions) points[static_cast<std::size_t>(c.feature)][i] = c.points;
    }
  }
  py::dict c;
  c["need"] = need;
  c["position"] = array_of(position);
  c["option"] = option;
  c["level"] = level;
  c["offer"] = offer;
  c["helper"] = helper;
  c["via"] = via;
  c["score"] = array_of(score);
  py::array_t<bool> acc(static_cast<py::ssize_t>(rows)), along(static_cast<py::ssize_t>(rows));
  for (std::size_t k = 0; k < rows; ++k) {
    acc.mutable_data()[k] = acceptable[k];
    along.mutable_data()[k] = alongside[k];
  }
  c["acceptable"] = acc;
  c["alongside"] = along;
  c["waiting_position"] = array_of(waiting);
  c["distance_m"] = array_of(distance);
  c["exception"] = exception;
  for (std::size_t f = 0; f < feature_count; ++f)
    c[py::str("points_" + name(static_cast<Feature>(f)))] = array_of(points[f]);
  c["reasons"] = reasons;
  return pandas_frame(c);
}

py::object rejections_frame(const Model& m, const std::vector<Ranking>& rankings) {
  py::list need, option, level, offer, helper, failed, reason;
  for (const auto& r : rankings)
    for (const auto& x : r.rejected) {
      py::dict d = rejection_dict(m, x);
      need.append(m[r.need].key);
      option.append(d["option"]);
      level.append(d["level"]);
      offer.append(d["offer"]);
      helper.append(d["helper"]);
      failed.append(d["failed"]);
      reason.append(d["reason"]);
    }
  py::dict c;
  c["need"] = need;
  c["option"] = option;
  c["level"] = level;
  c["offer"] = offer;
  c["helper"] = helper;
  c["failed"] = failed;
  c["reason"] = reason;
  return pandas_frame(c);
}

NeedId need_id(const Model& m, const py::handle& need) {
  if (py::isinstance<py::str>(need)) {
    const auto key = need.cast<std::string>();
    if (auto id = m.find_need(key)) return *id;
    throw py::key_error("no need with key '" + key + "'");
  }
  const auto index = need.cast<std::int64_t>();
  if (index < 0 || static_cast<std::size_t>(index) >= m.needs.size())
    throw py::index_error("need index " + std::to_string(index) + " out of range");
  return NeedId(static_cast<std::uint32_t>(index));
}

HouseholdId household_id(const Model& m, const py::handle& household) {
  if (py::isinstance<py::str>(household)) {
    const auto key = household.cast<std::string>();
    if (auto id = m.find_household(key)) return *id;
    throw py::key_error("no household with key '" + key + "'");
  }
  const auto index = household.cast<std::int64_t>();
  if (index < 0 || static_cast<std::size_t>(index) >= m.households.size())
    throw py::index_error("household index " + std::to_string(index) + " out of range");
  return HouseholdId(static_cast<std::uint32_t>(index));
}

RankingsPy rank_with(const RankerPtr& ranker, const py::object& needs, int threads) {
  if (needs.is_none()) {
    auto all = run_interruptible([ranker, threads] { return ranker->ranker.rank_all(threads); });
    return {ranker->model, std::move(all)};
  }
  std::vector<NeedId> ids;
  if (py::isinstance<py::str>(needs) || py::isinstance<py::int_>(needs)) {
    ids.push_back(need_id(*ranker->model, needs));
  } else {
    for (auto n : needs) ids.push_back(need_id(*ranker->model, n));
  }
  auto list = run_interruptible([ranker, ids] {
    std::vector<Ranking> out;
    out.reserve(ids.size());
    for (NeedId id : ids) out.push_back(ranker->ranker.rank(id));
    return out;
  });
  return {ranker->model, std::move(list)};
}

RankerPtr make_ranker(const ModelPtr& model, const py::object& policy) {
  Policy p = policy_from(policy);
  return run_interruptible([model, p] { return std::make_shared<RankerPy>(model, p); });
}

void bind_ranking(py::module_& m) {
  py::class_<RankingPy>(m, "Ranking",
                        "The ranked options for one need (wijkmatch::Ranking): options best first, the "
                        "exception rule that fired, rejected candidates with the first failed condition, "
                        "and deferred referral options.")
      .def_property_readonly(
          "need", [](const RankingPy& r) { return (*r.model)[r.ranking.need].key; }, "Key of the need.")
      .def_property_readonly(
          "exception", [](const RankingPy& r) { return exception_dict(r.ranking.exception); },
          "The exception rule that fired, as {rule, kind, level, reason}, or None.")
      .def_property_readonly(
          "options",
          [](const RankingPy& r) {
            py::list out;
            for (const auto& o : r.ranking.options) out.append(option_dict(*r.model, o));
            return out;
          },
          "Options best first, as dicts (option label, level, offer, helper, via, score, acceptable, "
          "alongside, waiting_position, distance_m, contributions, reasons).")
      .def_property_readonly(
          "rejected",
          [](const RankingPy& r) {
            py::list out;
            for (const auto& x : r.ranking.rejected) out.append(rejection_dict(*r.model, x));
            return out;
          },
          "Candidates that are not options, with the first failed condition.")
      .def_property_readonly(
          "deferred",
          [](const RankingPy& r) {
            py::list out;
            for (const auto& o : r.ranking.deferred) out.append(option_dict(*r.model, o));
            return out;
          },
          "Referral options held back because an acceptable lower-level option comes first.")
      .def_property_readonly(
          "proposal",
          [](const RankingPy& r) -> py::object {
            const Option* o = r.ranking.proposal();
            return o ? py::object(option_dict(*r.model, *o)) : py::object(py::none());
          },
          "The first option (what the team proposes), or None.")
      .def(
          "to_dict",
          [](const RankingPy& r) -> py::object {
            py::object doc = json_loads(rankings_to_json(*r.model, {r.ranking}, -1));
            py::list list = doc["rankings"];
            return list[0];
          },
          "The ranking as the documented JSON object (docs/ranking.md).")
      .def(
          "to_text", [](const RankingPy& r) { return rankings_to_text(*r.model, {r.ranking}); },
          "The ranking as text a professional can read out.")
      .def(
          "to_pandas", [](const RankingPy& r) { return options_frame(*r.model, {r.ranking}); },
          "The options as a DataFrame, one row per option (see Rankings.to_pandas).")
      .def("__repr__", [](const RankingPy& r) {
        return "<wijkmatch.Ranking need=" + (*r.model)[r.ranking.need].key +
               " options=" + std::to_string(r.ranking.options.size()) + ">";
      });

  py::class_<RankingsPy>(m, "Rankings", "Rankings of several needs, in model order; a sequence of Ranking.")
      .def("__len__", [](const RankingsPy& r) { return r.rankings.size(); })
      .def(
          "__getitem__",
          [](const RankingsPy& r, std::int64_t i) {
            const auto n = static_cast<std::int64_t>(r.rankings.size());
            if (i < 0) i += n;
            if (i < 0 || i >= n) throw py::index_error("ranking index out of range");
            return RankingPy{r.model, r.rankings[static_cast<std::size_t>(i)]};
          },
          py::arg("index"))
      .def(
          "to_pandas", [](const RankingsPy& r) { return options_frame(*r.model, r.rankings); },
          "One row per option: need, position (0 = proposal), option label, level, offer, helper, via, "
          "score, acceptable, alongside, waiting_position, distance_m, exception (rule name), "
          "points_<feature> per feature (NaN where the feature does not apply) and reasons.")
      .def(
          "rejections", [](const RankingsPy& r) { return rejections_frame(*r.model, r.rankings); },
          "One row per rejected candidate: need, option, level, offer, helper, failed (reason code), reason.")
      .def(
          "proposals",
          [](const RankingsPy& r) {
            const Model& m = *r.model;
            py::list need, option, level, exception;
            std::vector<double> score;
            for (const auto& x : r.rankings) {
              need.append(m[x.need].key);
              const Option* o = x.proposal();
              option.append(o ? py::object(py::str(option_label(m, *o))) : py::object(py::none()));
              level.append(o ? py::object(py::str(name(o->level))) : py::object(py::none()));
              score.push_back(o ? o->score : std::numeric_limits<double>::quiet_NaN());
              exception.append(x.exception ? py::object(py::str(x.exception->rule)) : py::object(py::none()));
            }
            py::dict c;
            c["need"] = need;
            c["option"] = option;
            c["level"] = level;
            c["score"] = array_of(score);
            c["exception"] = exception;
            return pandas_frame(c);
          },
          "One row per need: its proposal (option label, level, score; None/NaN without options) and "
          "the exception rule that fired.")
      .def(
          "to_dict",
          [](const RankingsPy& r) {
            std::string text;
            {
              py::gil_scoped_release nogil;
              text = rankings_to_json(*r.model, r.rankings, -1);
            }
            return json_loads(text);
          },
          "The rankings as the documented JSON object {'rankings': [...]} (docs/ranking.md).")
      .def(
          "to_text", [](const RankingsPy& r) { return rankings_to_text(*r.model, r.rankings); },
          "The rankings as text a professional can read out.")
      .def("__repr__",
           [](const RankingsPy& r) { return "<wijkmatch.Rankings needs=" + std::to_string(r.rankings.size()) + ">"; });

  py::class_<RankerPy, RankerPtr>(m, "Ranker",
                                  "Indexes over one model for one policy (wijkmatch::Ranker); ranks any number "
                                  "of needs. Build once, rank many times; safe to use from several threads.")
      .def(py::init(&make_ranker), py::arg("model"), py::arg("policy") = py::none(),
           "Builds the indexes (without the GIL). policy: None (default), a Policy, a dict or a path.")
      .def(
          "rank",
          [](const RankerPtr& r, const py::object& need) {
            NeedId id = need_id(*r->model, need);
            Ranking out;
            {
              py::gil_scoped_release nogil;
              out = r->ranker.rank(id);
            }
            return RankingPy{r->model, std::move(out)};
          },
          py::arg("need"), "Ranks one need, given by key or index.")
      .def(
          "rank_all", [](const RankerPtr& r, int threads) { return rank_with(r, py::none(), threads); },
          py::arg("threads") = 0, "Ranks every need that is not closed, in model order (0 threads = all cores).")
      .def(
          "rank_many", [](const RankerPtr& r, const py::object& needs) { return rank_with(r, needs, 0); },
          py::arg("needs"), "Ranks the given needs (keys or indices), in that order.")
      .def_property_readonly(
          "model", [](const RankerPy& r) { return r.model; }, "The model ranked.")
      .def_property_readonly(
          "policy", [](const RankerPy& r) { return r.ranker.policy(); }, "The policy ranked by.");

  m.def(
      "rank",
      [](const ModelPtr& model, const py::object& needs, const py::object& policy, int threads) {
        return rank_with(make_ranker(model, policy), needs, threads);
      },
      py::arg("model"), py::arg("needs") = py::none(), py::arg("policy") = py::none(), py::arg("threads") = 0,
      "Ranks needs: every need that is not closed (needs=None), one need (a key or index) or a list. "
      "Returns Rankings. The GIL is released; Ctrl-C interrupts.");
}

// ---- plan ----------------------------------------------------------------------------------

struct PlanPy {
  ModelPtr model;
  HouseholdPlan plan;
};

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
          "to_dict", [](const PlanPy& p) { return json_loads(plan_to_json(*p.model, p.plan, -1)); },
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

// ---- allocation ----------------------------------------------------------------------------

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
    return "professional:" + m[a.professional].key;
  });
  c["offer"] = optional_str_column(as, [&](const Assignment& a) -> std::optional<std::string> {
    if (!a.offer.valid()) return std::nullopt;
    return m[a.offer].key;
  });
  c["helper"] = optional_str_column(as, [&](const Assignment& a) -> std::optional<std::string> {
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
  AllocateOptions o;
  o.mode = mode_from(mode);
  o.policy = policy_from(policy);
  o.group_minimum = group_minimum_from(group_minimum);
  if (threads < 0) throw py::value_error("threads must be 0 (all cores) or more");
  if (!(hours_per_informal_need > 0)) throw py::value_error("hours_per_informal_need must be above 0");
  if (!(online_history_share >= 0 && online_history_share <= 1))
    throw py::value_error("online_history_share must be in [0, 1]");
  if (exact_group_limit < 0) throw py::value_error("exact_group_limit must be 0 or more");
  o.threads = threads;
  o.hours_per_informal_need = hours_per_informal_need;
  o.online_history_share = online_history_share;
  o.exact_group_limit = exact_group_limit;
  return o;
}

#define WIJKMATCH_ALLOCATE_ARGS                                                                                       \
  py::arg("mode") = "optimal", py::kw_only(), py::arg("policy") = py::none(), py::arg("group_minimum") = "heuristic", \
  py::arg("threads") = 0, py::arg("hours_per_informal_need") = 2.0, py::arg("online_history_share") = 0.5,            \
  py::arg("exact_group_limit") = 14

void bind_allocation(py::module_& m) {
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
            std::string text;
            {
              py::gil_scoped_release nogil;
              text = allocation_to_json(*a.model, a.result, -1);
            }
            return json_loads(text);
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

}  // namespace

void bind_engine(py::module_& m) {
  bind_ranking(m);
  bind_plan(m);
  bind_allocation(m);
}

}  // namespace wijkmatch::py_bindings
