// Start meetings (start_meetings.hpp): wijkmatch.plan_start_meetings() and StartMeetingPlan.
#include <charconv>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

struct StartMeetingPlanPy {
  ModelPtr model;
  StartMeetingPlan plan;
};

// A datetime.date or a "YYYY-MM-DD" string.
std::optional<Date> date_from(const py::object& value, const char* name) {
  if (value.is_none()) return std::nullopt;
  std::string text;
  if (py::isinstance<py::str>(value))
    text = value.cast<std::string>();
  else if (py::hasattr(value, "isoformat"))
    text = py::str(value.attr("isoformat")()).cast<std::string>();
  auto number = [&](std::size_t at, std::size_t len, auto& v) {
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, v);
    return ec == std::errc() && end == text.data() + at + len;
  };
  int y = 0;
  unsigned mo = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && number(0, 4, y) && number(5, 2, mo) && number(8, 2, d)) {
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)};
    if (ymd.ok()) return std::chrono::sys_days(ymd);
  }
  throw py::value_error(std::string(name) + " must be a datetime.date or a date 'YYYY-MM-DD'");
}

StartMeetingOptions options_from(const Model& m, int weeks, int capacity, int per_week, int presenters,
                                 const py::object& since, const py::object& last_days, const py::object& today,
                                 const py::object& residents, const py::object& venues, const py::object& slots,
                                 const std::string& method, bool local_search, std::int64_t exact_work_limit) {
  StartMeetingOptions o;
  o.weeks = weeks;
  o.capacity = capacity;
  o.per_week = per_week;
  o.presenters = presenters;
  o.since = date_from(since, "since");
  if (!last_days.is_none()) o.last_days = last_days.cast<int>();
  o.today = date_from(today, "today");
  if (!residents.is_none())
    for (const py::handle r : residents)
      o.residents.push_back(id_of<ResidentId>(r, m.residents.size(), "resident",
                                              [&](const std::string& key) { return m.find_resident(key); }));
  if (!venues.is_none())
    for (const py::handle v : venues)
      o.venues.push_back(
          id_of<OfferId>(v, m.offers.size(), "offer", [&](const std::string& key) { return m.find_offer(key); }));
  if (!slots.is_none()) {
    // A {day: [day parts]} dict as in the model format, or the 21-bit mask.
    const py::object mask = py::isinstance<py::dict>(slots)
                                ? py::module_::import("wijkmatch._frames").attr("schedule_from_dict")(slots)
                                : slots;
    o.slots.bits = mask.cast<std::uint32_t>();
  }
  const auto parsed = parse_start_meeting_method(method);
  if (!parsed) throw py::value_error("method must be 'auto', 'exact' or 'heuristic'");
  o.method = *parsed;
  o.local_search = local_search;
  o.exact_work_limit = exact_work_limit;
  return o;
}

py::object plan_dict(const StartMeetingPlanPy& p) {
  return json_without_gil([&] { return start_meetings_to_json(*p.model, p.plan, -1); });
}

}  // namespace

void bind_start_meetings(py::module_& m) {
  py::class_<StartMeetingPlanPy>(m, "StartMeetingPlan",
                                 "Start meetings (Samen Welkom) over some weeks: day-parts, venues, invitees by key, "
                                 "presenting offers, and who cannot come and why (wijkmatch::StartMeetingPlan).")
      .def_property_readonly(
          "weeks", [](const StartMeetingPlanPy& p) { return p.plan.weeks; }, "N, the weeks planned.")
      .def_property_readonly(
          "capacity", [](const StartMeetingPlanPy& p) { return p.plan.capacity; }, "C, invitees per meeting.")
      .def_property_readonly(
          "per_week", [](const StartMeetingPlanPy& p) { return p.plan.per_week; }, "M, meetings a week at most.")
      .def_property_readonly(
          "method", [](const StartMeetingPlanPy& p) { return name(p.plan.method); },
          "'exact' or 'heuristic': what chose the meetings.")
      .def_property_readonly(
          "optimal", [](const StartMeetingPlanPy& p) { return p.plan.optimal; },
          "Whether `coming` is proven to be the most possible.")
      .def_property_readonly(
          "coming", [](const StartMeetingPlanPy& p) { return p.plan.coming; }, "Invitees with a place.")
      .def_property_readonly(
          "reachable", [](const StartMeetingPlanPy& p) { return p.plan.reachable; },
          "Invitees that fit at least one candidate meeting.")
      .def_property_readonly(
          "upper_bound", [](const StartMeetingPlanPy& p) { return p.plan.upper_bound; },
          "Proven bound on the optimum (equal to `coming` when optimal).")
      .def_property_readonly(
          "candidates", [](const StartMeetingPlanPy& p) { return p.plan.candidates; },
          "Candidate meetings (day-part, venue) that fit at least one invitee.")
      .def_property_readonly(
          "search_nodes", [](const StartMeetingPlanPy& p) { return p.plan.search_nodes; },
          "Nodes of the exact search (0 without it).")
      .def_property_readonly(
          "notes", [](const StartMeetingPlanPy& p) { return strings(p.plan.notes); }, "What the planner did.")
      .def_property_readonly(
          "invitees",
          [](const StartMeetingPlanPy& p) {
            return str_column(p.plan.invitees, [&](ResidentId r) { return (*p.model)[r].key; });
          },
          "Keys of every invitee.")
      .def_property_readonly(
          "meetings", [](const StartMeetingPlanPy& p) { return py::object(plan_dict(p)["meetings"]); },
          "The meetings as dicts: week, day, day_part, venue, neighbourhood, location, languages, invitees, "
          "travel_m, needs, needs_covered, presenters.")
      .def_property_readonly(
          "absent", [](const StartMeetingPlanPy& p) { return py::object(plan_dict(p)["absent"]); },
          "Invitees without a place as dicts: resident, reason (availability, distance, language, capacity), "
          "reachable.")
      .def(
          "to_dict", [](const StartMeetingPlanPy& p) { return plan_dict(p); },
          "The plan as the documented JSON object (docs/groups.md).")
      .def(
          "to_json",
          [](const StartMeetingPlanPy& p, int indent) { return start_meetings_to_json(*p.model, p.plan, indent); },
          py::arg("indent") = 2, "The plan as the documented JSON text.")
      .def(
          "to_text", [](const StartMeetingPlanPy& p) { return start_meetings_to_text(*p.model, p.plan); },
          "The plan as readable text, one block per week.")
      .def(
          "to_pandas",
          [](const StartMeetingPlanPy& p) {
            // One row per invitee: where it goes (week 0 and no venue when it has no place).
            const Model& x = *p.model;
            struct Row {
              ResidentId resident;
              const StartMeeting* meeting = nullptr;
              const StartMeetingAbsence* absence = nullptr;
            };
            std::vector<Row> rows;
            for (const auto& meeting : p.plan.meetings)
              for (ResidentId r : meeting.invitees) rows.push_back({r, &meeting, nullptr});
            for (const auto& a : p.plan.absent) rows.push_back({a.resident, nullptr, &a});
            std::stable_sort(rows.begin(), rows.end(),
                             [](const Row& a, const Row& b) { return a.resident < b.resident; });
            py::dict c;
            c["resident"] = str_column(rows, [&](const Row& r) { return x[r.resident].key; });
            c["week"] = column<std::int64_t>(rows, [](const Row& r) { return r.meeting ? r.meeting->week : 0; });
            auto meeting_text = [&](auto get) {
              return optional_str_column(rows, [&](const Row& r) -> std::optional<std::string> {
                if (!r.meeting) return std::nullopt;
                return get(*r.meeting);
              });
            };
            c["day"] = meeting_text([](const StartMeeting& s) { return std::string(day_name(s.day)); });
            c["day_part"] = meeting_text([](const StartMeeting& s) { return name(s.part); });
            c["venue"] = meeting_text([&](const StartMeeting& s) { return x[p.plan.venues[s.venue].offer].key; });
            c["reason"] = optional_str_column(rows, [](const Row& r) -> std::optional<std::string> {
              if (!r.absence) return std::nullopt;
              return name(r.absence->reason);
            });
            c["reachable"] = column<bool>(rows, [](const Row& r) { return !r.absence || r.absence->reachable; });
            return pandas_frame(c);
          },
          "One row per invitee: resident, week (0: no place), day, day_part, venue, reason (None: placed), "
          "reachable.")
      .def("__repr__", [](const StartMeetingPlanPy& p) {
        return "<wijkmatch.StartMeetingPlan meetings=" + std::to_string(p.plan.meetings.size()) +
               " coming=" + std::to_string(p.plan.coming) + " of " + std::to_string(p.plan.invitees.size()) +
               (p.plan.optimal ? " optimal" : "") + ">";
      });

  m.def(
      "plan_start_meetings",
      [](const ModelPtr& model, int weeks, int capacity, int per_week, int presenters, const py::object& since,
         const py::object& last_days, const py::object& today, const py::object& residents, const py::object& venues,
         const py::object& slots, const std::string& method, bool local_search, std::int64_t exact_work_limit) {
        const StartMeetingOptions o =
            options_from(*model, weeks, capacity, per_week, presenters, since, last_days, today, residents, venues,
                         slots, method, local_search, exact_work_limit);
        auto plan = run_interruptible([model, o] { return plan_start_meetings(*model, o); });
        return StartMeetingPlanPy{model, std::move(plan)};
      },
      py::arg("model"), py::kw_only(), py::arg("weeks") = 4, py::arg("capacity") = 12, py::arg("per_week") = 1,
      py::arg("presenters") = 3, py::arg("since") = py::none(), py::arg("last_days") = py::none(),
      py::arg("today") = py::none(), py::arg("residents") = py::none(), py::arg("venues") = py::none(),
      py::arg("slots") = py::none(), py::arg("method") = "auto", py::arg("local_search") = true,
      py::arg("exact_work_limit") = 200'000'000,
      "Plans start meetings (Samen Welkom): over `weeks` weeks at most `per_week` a week, no day-part twice in a "
      "week, `capacity` invitees each, at collective offers' places (or the offers in `venues`, keys or indices). "
      "Invitees: residents with an open need since `since` or in the last `last_days` days before `today` (a "
      "datetime.date or 'YYYY-MM-DD'; default the latest need date), plus `residents` (keys or indices); with "
      "none of these, every resident with an open need. `slots`: the day-parts allowed, as {day: [day parts]} or "
      "a 21-bit mask. method: 'auto', 'exact' (raises wijkmatch.Error at its work limit) or 'heuristic'. The GIL "
      "is released; Ctrl-C raises KeyboardInterrupt.");
}

}  // namespace wijkmatch::py_bindings
