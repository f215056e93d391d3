// The live engine (engine.hpp): wijkmatch.Engine. Events go in as JSON text or dicts; rankings
// come out as wijkmatch.Ranking, the audit and plans as dicts. apply, rank and open run without
// the GIL, so other Python threads rank and read while one applies.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <shared_mutex>

#include "common.hpp"
#include "wijkmatch/engine.hpp"
#include "wijkmatch/monitor.hpp"

namespace wijkmatch::py_bindings {
namespace {

/// An Engine and a copy of its internal model for the Rankings it hands out. A Ranking reads
/// its model whenever Python looks at it, long after rank() returned, while events may be
/// growing the engine's own model; so it gets a copy, made once per engine state (the copy
/// is O(model): rank_json avoids it). `guard` keeps apply from changing the model while the
/// copy is made (Engine::model() is for "inspection under the caller's own lock").
struct EnginePy {
  explicit EnginePy(Engine e) : engine(std::move(e)) {}
  Engine engine;
  std::shared_mutex guard;  // exclusive: apply, apply_all; shared: copying model()
  std::mutex cache_mutex;
  ModelPtr cached;
  std::int64_t cached_seq = -1;

  /// The internal model as of now; call with `guard` held (shared).
  ModelPtr model_copy() {
    const std::int64_t seq = engine.sequence();
    {
      std::lock_guard lock(cache_mutex);
      if (cached && cached_seq == seq) return cached;
    }
    auto copy = std::make_shared<Model>(engine.model());
    std::lock_guard lock(cache_mutex);
    cached = copy;
    cached_seq = seq;
    return copy;
  }
};
using EnginePtr = std::shared_ptr<EnginePy>;

/// An event given as a str (JSON text) or as a dict (dumped to JSON).
std::string event_text(const py::handle& event) {
  if (py::isinstance<py::str>(event)) return event.cast<std::string>();
  if (py::isinstance<py::dict>(event)) return py::module_::import("json").attr("dumps")(event).cast<std::string>();
  throw py::type_error("an event is a str (JSON text) or a dict, not " +
                       std::string(py::str(py::type::handle_of(event).attr("__name__"))));
}

py::dict applied_dict(const Applied& a) {
  py::dict d;
  d["event_id"] = a.event_id;
  d["seq"] = a.seq;
  d["duplicate"] = a.duplicate;
  return d;
}

/// A datetime.date or a "YYYY-MM-DD" string as a Date.
Date date_from(const py::object& at) {
  py::object date_type = py::module_::import("datetime").attr("date");
  py::object d = at;
  if (py::isinstance<py::str>(at)) {
    try {
      d = date_type.attr("fromisoformat")(at);
    } catch (py::error_already_set&) {
      throw py::value_error("at must be a date YYYY-MM-DD");
    }
  } else if (!py::isinstance(at, date_type)) {
    throw py::type_error("at must be a datetime.date or a str YYYY-MM-DD");
  }
  const std::chrono::year_month_day ymd{std::chrono::year(d.attr("year").cast<int>()),
                                        std::chrono::month(d.attr("month").cast<unsigned>()),
                                        std::chrono::day(d.attr("day").cast<unsigned>())};
  return Date(ymd);
}

std::string iso(Date d) {
  const std::chrono::year_month_day ymd(d);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

/// A referral with the keys it refers to, read under the guard, turned into a dict with the GIL.
struct ReferralView {
  Referral referral;
  std::string need, option;
};

py::dict referral_dict(const ReferralView& v) {
  const Referral& r = v.referral;
  py::dict d;
  d["key"] = r.key;
  d["need"] = v.need;
  d["option"] = v.option;
  d["level"] = name(r.target.level);
  d["state"] = name(r.state);
  d["fhir_status"] = std::string(fhir_task_status(r.state));
  d["holds_place"] = r.holds_place;
  d["hours_per_week"] = r.target.tie.valid() ? py::object(py::float_(r.hours_per_week)) : py::object(py::none());
  d["decline_reason"] = r.declined ? py::object(py::str(name(*r.declined))) : py::object(py::none());
  d["ending_reason"] = r.ended ? py::object(py::str(std::string(to_code(*r.ended)))) : py::object(py::none());
  if (r.accountability) {
    py::dict a;
    a["exception_rule"] = r.accountability->exception_rule ? py::object(py::str(*r.accountability->exception_rule))
                                                           : py::object(py::none());
    a["exception_reason"] = r.accountability->exception_reason;
    py::list levels;
    for (const auto& l : r.accountability->lower_levels) {
      py::dict x;
      x["level"] = name(l.level);
      x["outcome"] = name(l.outcome);
      x["candidate"] = l.candidate;
      x["reason"] = l.reason;
      levels.append(x);
    }
    a["lower_levels"] = levels;
    d["accountability"] = a;
  } else {
    d["accountability"] = py::none();
  }
  py::list history;
  for (const auto& h : r.history) {
    py::dict x;
    x["state"] = name(h.state);
    x["fhir_status"] = std::string(fhir_task_status(h.state));
    x["at"] = iso(h.at);
    x["event"] = h.event_id;
    history.append(x);
  }
  d["history"] = history;
  return d;
}

std::string target_label(const Model& m, const ReferralTarget& t) {
  if (t.offer.valid()) return m[t.offer].key;
  if (t.tie.valid()) return "network:" + m[m[t.tie].helper].key;
  if (t.professional.valid()) return "professional:" + m[t.professional].key;
  return {};
}

EngineOptions engine_options(const py::object& policy, bool sync_full, std::int64_t snapshot_every) {
  if (snapshot_every < 0) throw py::value_error("snapshot_every must be 0 or more");
  EngineOptions o;
  o.policy = policy_from(policy);
  o.sync_full = sync_full;
  o.snapshot_every = snapshot_every;
  return o;
}

}  // namespace

void bind_engine(py::module_& m) {
  m.attr("DECLINE_REASONS") = names_of<DeclineReason, decline_reason_count>();
  m.attr("REFERRAL_STATES") = names_of<ReferralState, referral_state_count>();
  m.attr("PLAN_PARTS") = names_of<PlanPart, plan_part_count>();
  {
    py::list codes;
    for (std::size_t i = 0; i < ending_reason_count; ++i)
      codes.append(std::string(to_code(static_cast<EndingReason>(i))));
    m.attr("ENDING_REASONS") = codes;
  }

  py::class_<EnginePy, EnginePtr>(
      m, "Engine",
      "The live engine (wijkmatch::Engine): one neighbourhood that follows events as they happen, "
      "with the lifecycle of every referral, the account of every step up the ladder, the "
      "household's own plan and, when opened on a journal, durability. Events are dicts or JSON "
      "text (schema/wijkmatch-events-v1.schema.json, docs/engine.md); a refused event raises "
      "wijkmatch.EventError and changes nothing. apply, rank and open release the GIL: other "
      "threads may rank and read while one applies.")
      .def(py::init([](const ModelPtr& model, const py::object& policy) {
             EngineOptions o = engine_options(policy, true, 0);
             py::gil_scoped_release nogil;
             return std::make_shared<EnginePy>(Engine(*model, std::move(o)));
           }),
           py::arg("model"), py::arg("policy") = py::none(),
           "An engine in memory over a copy of model. policy: None (default), a Policy, a dict or a path.")
      .def_static(
          "open",
          [](const ModelPtr& model, const py::object& journal, const py::object& policy, bool sync_full,
             std::int64_t snapshot_every) {
            EngineOptions o = engine_options(policy, sync_full, snapshot_every);
            const std::string path = fspath(journal);
            py::gil_scoped_release nogil;
            return std::make_shared<EnginePy>(Engine::open(*model, path, std::move(o)));
          },
          py::arg("model"), py::arg("journal"), py::arg("policy") = py::none(), py::arg("sync_full") = true,
          py::arg("snapshot_every") = 0,
          "A durable engine on the journal file (created when missing), which must have been written for "
          "this model and policy: restores the latest snapshot and replays the events after it. "
          "sync_full=True: a returned apply survives a power loss; False: a crash of the process. "
          "snapshot_every=N: a snapshot after every N events (0: only on snapshot()).")
      .def(
          "apply",
          [](const EnginePtr& e, const py::object& event) {
            const std::string text = event_text(event);
            Applied a;
            {
              py::gil_scoped_release nogil;
              std::unique_lock lock(e->guard);
              a = e->engine.apply(text);
            }
            return applied_dict(a);
          },
          py::arg("event"),
          "Applies one event (a dict or JSON text); durable engines journal it before returning. Returns "
          "{'event_id', 'seq', 'duplicate'}: duplicate is True when the id was applied before (nothing "
          "changed). Raises EventError, changing nothing, for a refused event.")
      .def(
          "apply_all",
          [](const EnginePtr& e, const py::iterable& events) {
            std::vector<std::string> texts;
            for (auto ev : events) texts.push_back(event_text(ev));
            std::vector<Applied> done;
            {
              py::gil_scoped_release nogil;
              std::unique_lock lock(e->guard);
              done = e->engine.apply_all(texts);
            }
            py::list out;
            for (const auto& a : done) out.append(applied_dict(a));
            return out;
          },
          py::arg("events"),
          "Applies events in order, durable engines in one journal commit. Stops at the first refused "
          "event with EventError: the events before it stay applied (and journaled).")
      .def(
          "rank",
          [](const EnginePtr& e, const std::string& need, std::size_t top, bool rejections) {
            py::gil_scoped_release nogil;
            std::shared_lock lock(e->guard);
            Ranking r = e->engine.rank(need, RankRequest{top, rejections});
            return RankingPy{e->model_copy(), std::move(r)};
          },
          py::arg("need"), py::kw_only(), py::arg("top") = RankRequest{}.top, py::arg("rejections") = false,
          "Ranks a need (by key) on the live state, as a wijkmatch.Ranking (top and rejections as for "
          "wijkmatch.rank); options the resident declined for the need are rejected as 'declined'. The Ranking keeps a "
          "copy of the engine's model (made once "
          "per state); rank_json is cheaper for large models.")
      .def(
          "rank_json",
          [](const EnginePtr& e, const std::string& need) {
            py::gil_scoped_release nogil;
            return e->engine.rank_json(need);
          },
          py::arg("need"), "The ranking of a need on the live state as the documented JSON text (docs/ranking.md).")
      .def(
          "audit",
          [](const EnginePtr& e, const std::string& need) {
            return json_without_gil([&] { return e->engine.audit_json(need); });
          },
          py::arg("need"),
          "The whole history of a need as a dict: need, resident, household, domain, status, events, "
          "referrals (steps, outcomes, reasons, accountability) and plan_reads. Keys only.")
      .def(
          "read_plan",
          [](const EnginePtr& e, const std::string& household, const std::string& party, const py::object& at) {
            const Date date = date_from(at);
            return json_without_gil([&] { return e->engine.read_plan(household, party, date); });
          },
          py::arg("household"), py::arg("party"), py::arg("at"),
          "The household's plan as `party` may see it (only the parts granted; party 'household' sees all), as "
          "a dict with 'granted'. The read is logged in the audit (and journal). at: datetime.date or 'YYYY-MM-DD'.")
      .def(
          "referral",
          [](const EnginePtr& e, const std::string& key) -> py::object {
            std::optional<ReferralView> view;
            {
              py::gil_scoped_release nogil;
              std::shared_lock lock(e->guard);
              if (auto r = e->engine.referral(key)) {
                const Model& model = e->engine.model();
                view = ReferralView{*r, model[r->need].key, target_label(model, r->target)};
              }
            }
            return view ? py::object(referral_dict(*view)) : py::object(py::none());
          },
          py::arg("key"),
          "The referral with this key as a dict (key, need, option, level, state, fhir_status, holds_place, "
          "hours_per_week, decline_reason, ending_reason, accountability, history), or None.")
      .def(
          "declines",
          [](const EnginePtr& e) {
            std::vector<std::pair<std::string, DeclineCounts>> rows;
            {
              py::gil_scoped_release nogil;
              std::shared_lock lock(e->guard);
              for (const auto& c : e->engine.declines()) rows.emplace_back(e->engine.model()[c.offer].key, c);
            }
            py::list out;
            for (const auto& [offer, c] : rows) {
              py::dict d, by;
              for (std::size_t i = 0; i < decline_reason_count; ++i)
                by[py::str(name(static_cast<DeclineReason>(i)))] = c.by_reason[i];
              d["offer"] = offer;
              d["total"] = c.total();
              d["by_reason"] = by;
              out.append(d);
            }
            return out;
          },
          "Declines by offer: a list of {'offer', 'total', 'by_reason': {reason: count}}, offers in model "
          "order, only offers declined at least once.")
      .def_property_readonly(
          "state_checksum", [](const EnginePtr& e) { return e->engine.state_checksum(); },
          "A digest of the whole state (an int below 2**64): equal for two engines that applied the same "
          "events to the same model.")
      .def_property_readonly(
          "sequence", [](const EnginePtr& e) { return e->engine.sequence(); },
          "Events applied so far (those replayed on open included).")
      .def_property_readonly(
          "durable", [](const EnginePtr& e) { return e->engine.durable(); }, "Whether the engine has a journal.")
      .def(
          "snapshot",
          [](const EnginePtr& e) {
            py::gil_scoped_release nogil;
            e->engine.snapshot();
          },
          "Durable engines: writes a snapshot, so that open() replays only what follows. wijkmatch.Error in "
          "memory.")
      .def(
          "current_model",
          [](const EnginePtr& e) {
            py::gil_scoped_release nogil;
            return std::make_shared<Model>(e->engine.current_model());
          },
          "The live neighbourhood as a new wijkmatch.Model: retired offers, ended ties and residents gone left "
          "out.")
      .def(
          "_monitor_json",
          [](const EnginePtr& e, const py::dict& options) {
            const MonitorOptions o = monitor_options_from(options);
            py::gil_scoped_release nogil;
            std::shared_lock lock(e->guard);
            return to_json(monitor(e->engine, o), -1);
          },
          py::arg("options"), "The monitor report over the live engine as JSON; use wijkmatch.monitor(engine).")
      .def("__repr__", [](const EnginePtr& e) {
        return "<wijkmatch.Engine sequence=" + std::to_string(e->engine.sequence()) +
               (e->engine.durable() ? " durable>" : " in memory>");
      });
}

}  // namespace wijkmatch::py_bindings
