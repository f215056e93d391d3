// Ranking (ranking.hpp): wijkmatch.Ranker, Ranking, Rankings and rank(); results keep their
// model alive and come out as dicts, the documented JSON, text and pandas frames.
#include <limits>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

std::string offer_key(const Model& m, OfferId o) { return o.valid() ? m[o].key : std::string(); }

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
  d["helper"] = key_or_none(o.neighbour.valid() ? m[o.neighbour].key : helper_key(m, o.tie));
  d["via"] = key_or_none(o.via.valid() ? m[o.via].key : std::string());
  d["exchange"] = key_or_none(o.exchange.valid() ? m[o.exchange].key : std::string());
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
  d["option"] = r.offer.valid()       ? m[r.offer].key
                : r.neighbour.valid() ? "neighbour:" + m[r.neighbour].key
                                      : "network:" + helper_key(m, r.tie);
  d["level"] = name(r.level);
  d["offer"] = key_or_none(offer_key(m, r.offer));
  d["helper"] = key_or_none(r.neighbour.valid() ? m[r.neighbour].key : helper_key(m, r.tie));
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
}  // namespace

py::object options_frame(const Model& m, const std::vector<Ranking>& rankings) {
  std::size_t rows = 0;
  for (const auto& r : rankings) rows += r.options.size();
  std::vector<std::int64_t> position, waiting;
  std::vector<double> score, distance;
  std::vector<bool> acceptable, alongside;
  std::vector<std::vector<double>> points(feature_count,
                                          std::vector<double>(rows, std::numeric_limits<double>::quiet_NaN()));
  py::list need(rows), option(rows), level(rows), offer(rows), helper(rows), via(rows), exchange(rows), exception(rows),
      reasons(rows);
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
      helper[i] = key_or_none(o.neighbour.valid() ? m[o.neighbour].key : helper_key(m, o.tie));
      via[i] = key_or_none(o.via.valid() ? m[o.via].key : std::string());
      exchange[i] = key_or_none(o.exchange.valid() ? m[o.exchange].key : std::string());
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
  c["exchange"] = exchange;
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

namespace {

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
  return id_of<NeedId>(need, m.needs.size(), "need", [&](const std::string& key) { return m.find_need(key); });
}

RankingsPy rank_with(const RankerPtr& ranker, const py::object& needs, int threads, RankRequest request) {
  if (needs.is_none()) {
    auto all = run_interruptible([ranker, threads, request] { return ranker->ranker.rank_all(threads, {}, request); });
    return {ranker->model, std::move(all)};
  }
  std::vector<NeedId> ids;
  if (py::isinstance<py::str>(needs) || py::isinstance<py::int_>(needs)) {
    ids.push_back(need_id(*ranker->model, needs));
  } else {
    for (auto n : needs) ids.push_back(need_id(*ranker->model, n));
  }
  auto list = run_interruptible([ranker, ids, request] {
    std::vector<Ranking> out;
    out.reserve(ids.size());
    for (NeedId id : ids) out.push_back(ranker->ranker.rank(id, request));
    return out;
  });
  return {ranker->model, std::move(list)};
}

RankerPtr make_ranker(const ModelPtr& model, const py::object& policy) {
  Policy p = policy_from(policy);
  return run_interruptible([model, p] { return std::make_shared<RankerPy>(model, p); });
}

}  // namespace

void bind_ranking(py::module_& m) {
  m.attr("REJECT_REASONS") = names_of<RejectReason, reject_reason_count>();
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
          "Candidates that are not options, with the first failed condition; listed with rejections=True.")
      .def_property_readonly(
          "option_count", [](const RankingPy& r) { return r.ranking.option_count; },
          "Every option found, also those beyond `top`.")
      .def_property_readonly(
          "rejected_count",
          [](const RankingPy& r) {
            py::dict out;
            for (std::size_t k = 0; k < reject_reason_count; ++k)
              out[py::str(std::string(to_string(static_cast<RejectReason>(k))))] = r.ranking.rejected_count[k];
            return out;
          },
          "Rejections per reason code (always given, also when `rejected` is not listed).")
      .def_property_readonly(
          "deferred",
          [](const RankingPy& r) {
            py::list out;
            for (const auto& o : r.ranking.deferred) out.append(option_dict(*r.model, o));
            return out;
          },
          "Referral options held back because an acceptable lower-level option comes first; listed with top=0.")
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
            return json_without_gil([&] { return rankings_to_json(*r.model, r.rankings, -1); });
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
          [](const RankerPtr& r, const py::object& need, std::size_t top, bool rejections) {
            NeedId id = need_id(*r->model, need);
            Ranking out;
            {
              py::gil_scoped_release nogil;
              out = r->ranker.rank(id, RankRequest{top, rejections});
            }
            return RankingPy{r->model, std::move(out)};
          },
          py::arg("need"), py::kw_only(), py::arg("top") = RankRequest{}.top, py::arg("rejections") = false,
          "Ranks one need, given by key or index: the first `top` options (0 = all, with the deferred ones) "
          "and the rejections counted; rejections=True lists them with their reasons.")
      .def(
          "rank_all",
          [](const RankerPtr& r, int threads, std::size_t top, bool rejections) {
            return rank_with(r, py::none(), threads, RankRequest{top, rejections});
          },
          py::arg("threads") = 0, py::kw_only(), py::arg("top") = RankRequest{}.top, py::arg("rejections") = false,
          "Ranks every need that is not closed, in model order (0 threads = all cores); top and rejections as "
          "for rank.")
      .def(
          "rank_many",
          [](const RankerPtr& r, const py::object& needs, std::size_t top, bool rejections) {
            return rank_with(r, needs, 0, RankRequest{top, rejections});
          },
          py::arg("needs"), py::kw_only(), py::arg("top") = RankRequest{}.top, py::arg("rejections") = false,
          "Ranks the given needs (keys or indices), in that order; top and rejections as for rank.")
      .def_property_readonly(
          "model", [](const RankerPy& r) { return r.model; }, "The model ranked.")
      .def_property_readonly(
          "policy", [](const RankerPy& r) { return r.ranker.policy(); }, "The policy ranked by.");

  m.def(
      "rank",
      [](const ModelPtr& model, const py::object& needs, const py::object& policy, int threads, std::size_t top,
         bool rejections) {
        return rank_with(make_ranker(model, policy), needs, threads, RankRequest{top, rejections});
      },
      py::arg("model"), py::arg("needs") = py::none(), py::arg("policy") = py::none(), py::arg("threads") = 0,
      py::kw_only(), py::arg("top") = RankRequest{}.top, py::arg("rejections") = false,
      "Ranks needs: every need that is not closed (needs=None), one need (a key or index) or a list. "
      "Each ranking has the first `top` options (0 = all) and its rejections counted per reason; "
      "rejections=True lists them with their reasons. Returns Rankings. The GIL is released; Ctrl-C "
      "interrupts.");
}
}  // namespace wijkmatch::py_bindings
