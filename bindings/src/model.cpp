// wijkmatch.Model: an immutable handle on a wijkmatch::Model, its entities as columns
// (numpy arrays and lists, turned into pandas frames by the package) and its documents.
#include <cstdint>
#include <limits>

#include "common.hpp"

namespace wijkmatch::py_bindings {
namespace {

// A schedule as the format's {day: [day parts]} object.
py::dict schedule_dict(WeeklySchedule s) {
  py::dict out;
  for (std::size_t d = 0; d < day_count; ++d) {
    py::list parts;
    for (std::size_t k = 0; k < day_part_count; ++k)
      if (s.contains(d, static_cast<DayPart>(k))) parts.append(name(static_cast<DayPart>(k)));
    if (!parts.empty()) out[py::str(std::string(day_name(d)))] = parts;
  }
  return out;
}

// Format v1.1 members as the document writes them (dicts and lists), None when left out, so that
// from_frames() reads them back.
py::object help_offer(const Resident& r) {
  if (!r.offers_help) return py::none();
  py::dict h;
  h["domains"] = domain_names(r.offers_help->domains);
  h["hours_per_week"] = r.offers_help->hours_per_week;
  h["day_parts"] = schedule_dict(r.offers_help->day_parts);
  h["radius_m"] = r.offers_help->radius_m;
  h["hours_used"] = r.offers_help->hours_used;
  return h;
}

py::object organiser(const Model& m, const Offer& o) {
  if (o.organiser.is_default()) return py::none();
  py::dict g;
  g["kind"] = name(o.organiser.kind);
  if (o.organiser.kind == OrganiserKind::residents || !o.organiser.residents.empty()) {
    py::list keys;
    for (ResidentId r : o.organiser.residents) keys.append(m[r].key);
    g["residents"] = keys;
  }
  if (!o.organiser.organisation.empty()) g["organisation"] = o.organiser.organisation;
  return g;
}

py::list volunteers(const Model& m, const Offer& o) {
  py::list out;
  for (const auto& v : o.volunteers) {
    py::dict d;
    d["resident"] = m[v.resident].key;
    d["hours_per_week"] = v.hours_per_week;
    out.append(d);
  }
  return out;
}

py::object initiative(const Offer& o) {
  if (!o.initiative) return py::none();
  py::dict d;
  d["status"] = name(o.initiative->status);
  if (o.initiative->budget_euro) d["budget_euro"] = *o.initiative->budget_euro;
  return d;
}

py::dict household_columns(const Model& m) {
  py::dict c;
  c["key"] = str_column(m.households, [](const Household& h) { return h.key; });
  c["neighbourhood"] = str_column(m.households, [](const Household& h) { return h.neighbourhood; });
  return c;
}

py::dict resident_columns(const Model& m) {
  const auto& rs = m.residents;
  py::dict c;
  c["key"] = str_column(rs, [](const Resident& r) { return r.key; });
  c["household"] = str_column(rs, [&](const Resident& r) { return m[r.household].key; });
  c["neighbourhood"] = str_column(rs, [](const Resident& r) { return r.neighbourhood; });
  c["x"] = column<double>(rs, [](const Resident& r) { return r.location.x_m; });
  c["y"] = column<double>(rs, [](const Resident& r) { return r.location.y_m; });
  c["age_band"] = str_column(rs, [](const Resident& r) { return to_string(r.age_band); });
  py::list languages(rs.size()), attends(rs.size());
  for (std::size_t i = 0; i < rs.size(); ++i) {
    languages[i] = strings(rs[i].languages);
    py::list a;
    for (OfferId o : rs[i].attends) a.append(m[o].key);
    attends[i] = a;
  }
  c["languages"] = languages;
  c["availability"] = column<std::uint32_t>(rs, [](const Resident& r) { return r.availability.bits; });
  c["max_travel_m"] = column<double>(rs, [](const Resident& r) { return r.max_travel_m; });
  c["group_averse"] = column<bool>(rs, [](const Resident& r) { return r.group_averse; });
  c["care_avoider"] = column<bool>(rs, [](const Resident& r) { return r.care_avoider; });
  c["attends"] = attends;
  py::list help(rs.size());
  for (std::size_t i = 0; i < rs.size(); ++i) help[i] = help_offer(rs[i]);
  c["offers_help"] = help;
  return c;
}

py::dict tie_columns(const Model& m) {
  const auto& ts = m.ties;
  py::dict c;
  c["helper"] = str_column(ts, [&](const Tie& t) { return m[t.helper].key; });
  c["helped"] = str_column(ts, [&](const Tie& t) { return m[t.helped].key; });
  c["kind"] = str_column(ts, [](const Tie& t) { return to_string(t.kind); });
  c["strength"] = column<double>(ts, [](const Tie& t) { return t.strength; });
  py::list domains(ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i) domains[i] = domain_names(ts[i].domains);
  c["domains"] = domains;
  c["hours_per_week"] = column<double>(ts, [](const Tie& t) { return t.hours_per_week; });
  c["hours_used"] = column<double>(ts, [](const Tie& t) { return t.hours_used; });
  return c;
}

py::dict need_columns(const Model& m) {
  const auto& ns = m.needs;
  py::dict c;
  c["key"] = str_column(ns, [](const Need& n) { return n.key; });
  c["resident"] = str_column(ns, [&](const Need& n) { return m[n.resident].key; });
  c["domain"] = str_column(ns, [](const Need& n) { return to_string(n.domain); });
  c["severity"] = column<std::int64_t>(ns, [](const Need& n) { return n.severity; });
  c["crisis"] = column<bool>(ns, [](const Need& n) { return n.crisis; });
  c["safety_report"] = column<bool>(ns, [](const Need& n) { return n.safety_report; });
  c["rent_arrears_months"] = column<std::int64_t>(ns, [](const Need& n) { return n.rent_arrears_months; });
  c["since"] = column<std::int64_t>(ns, [](const Need& n) {
                 return n.since.time_since_epoch().count();
               }).attr("astype")("datetime64[D]");
  c["status"] = str_column(ns, [](const Need& n) { return to_string(n.status); });
  return c;
}

py::dict offer_columns(const Model& m) {
  const auto& os = m.offers;
  py::dict c;
  c["key"] = str_column(os, [](const Offer& o) { return o.key; });
  c["kind"] = str_column(os, [](const Offer& o) { return o.kind; });
  c["level"] = str_column(os, [](const Offer& o) { return to_string(o.level); });
  for (std::size_t d = 0; d < life_domain_count; ++d)
    c[py::str("fit_" + name(static_cast<LifeDomain>(d)))] =
        column<double>(os, [d](const Offer& o) { return o.fit[d]; });
  c["seats"] = column<std::int64_t>(os, [](const Offer& o) { return o.seats; });
  c["occupancy"] = column<std::int64_t>(os, [](const Offer& o) { return o.occupancy; });
  c["min_group_size"] = column<std::int64_t>(os, [](const Offer& o) { return o.min_group_size; });
  c["schedule"] = column<std::uint32_t>(os, [](const Offer& o) { return o.schedule.bits; });
  c["x"] = column<double>(os, [](const Offer& o) { return o.location.x_m; });
  c["y"] = column<double>(os, [](const Offer& o) { return o.location.y_m; });
  c["neighbourhood"] = str_column(os, [](const Offer& o) { return o.neighbourhood; });
  py::list languages(os.size()), bands(os.size());
  for (std::size_t i = 0; i < os.size(); ++i) {
    languages[i] = strings(os[i].languages);
    py::list b;
    for (std::size_t a = 0; a < age_band_count; ++a)
      if (os[i].eligibility.age_bands.contains(static_cast<AgeBand>(a))) b.append(name(static_cast<AgeBand>(a)));
    bands[i] = b;
  }
  c["languages"] = languages;
  c["cost_per_month"] = column<double>(os, [](const Offer& o) { return o.cost_per_month; });
  c["age_bands"] = bands;
  c["severity_min"] = column<std::int64_t>(os, [](const Offer& o) { return o.eligibility.severity_min; });
  c["severity_max"] = column<std::int64_t>(os, [](const Offer& o) { return o.eligibility.severity_max; });
  c["referral_required"] = column<bool>(os, [](const Offer& o) { return o.eligibility.referral_required; });
  c["waiting_days"] = column<std::int64_t>(os, [](const Offer& o) { return o.waiting_days; });
  py::list organisers(os.size()), volunteer_lists(os.size()), initiatives(os.size());
  for (std::size_t i = 0; i < os.size(); ++i) {
    organisers[i] = organiser(m, os[i]);
    volunteer_lists[i] = volunteers(m, os[i]);
    initiatives[i] = initiative(os[i]);
  }
  c["organiser"] = organisers;
  c["volunteers"] = volunteer_lists;
  c["initiative"] = initiatives;
  c["hours_per_seat"] = column<double>(os, [](const Offer& o) { return o.hours_per_seat; });
  // Days since 1970 as datetime64[D]; the smallest int64 is numpy's NaT (never confirmed).
  c["confirmed"] = column<std::int64_t>(os, [](const Offer& o) {
                     return o.confirmed ? std::int64_t{o.confirmed->time_since_epoch().count()}
                                        : std::numeric_limits<std::int64_t>::min();
                   }).attr("astype")("datetime64[D]");
  return c;
}

py::dict professional_columns(const Model& m) {
  const auto& ps = m.professionals;
  py::dict c;
  c["key"] = str_column(ps, [](const Professional& p) { return p.key; });
  py::list specialisms(ps.size()), languages(ps.size()), areas(ps.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    specialisms[i] = domain_names(ps[i].specialisms);
    languages[i] = strings(ps[i].languages);
    areas[i] = strings(ps[i].work_area);
  }
  c["specialisms"] = specialisms;
  c["languages"] = languages;
  c["work_area"] = areas;
  c["caseload_cap"] = column<std::int64_t>(ps, [](const Professional& p) { return p.caseload_cap; });
  c["caseload"] = column<std::int64_t>(ps, [](const Professional& p) { return p.caseload; });
  return c;
}

const char* const entity_names[] = {"households", "residents", "ties", "needs", "offers", "professionals"};

py::dict columns_of(const Model& m, const std::string& entity) {
  if (entity == "households") return household_columns(m);
  if (entity == "residents") return resident_columns(m);
  if (entity == "ties") return tie_columns(m);
  if (entity == "needs") return need_columns(m);
  if (entity == "offers") return offer_columns(m);
  if (entity == "professionals") return professional_columns(m);
  throw py::value_error("unknown entity '" + entity +
                        "'; expected households, residents, ties, needs, offers or professionals");
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<Model, ModelPtr>(
      m, "Model",
      "A neighbourhood, city or country (wijkmatch::Model): households, residents, ties, needs, "
      "offers and professionals. Immutable from Python; build one with wijkmatch.load(), "
      "wijkmatch.loads(), wijkmatch.generate() or wijkmatch.from_frames(). Entities come out as "
      "pandas frames with frame(name) or to_pandas(), and as the format v1 document with "
      "to_dict() / to_json().")
      .def(py::init([] { return std::make_shared<Model>(); }), "An empty model.")
      .def_property_readonly(
          "counts",
          [](const Model& x) {
            py::dict c;
            c["households"] = x.households.size();
            c["residents"] = x.residents.size();
            c["ties"] = x.ties.size();
            c["needs"] = x.needs.size();
            c["offers"] = x.offers.size();
            c["professionals"] = x.professionals.size();
            return c;
          },
          "Number of entities of each kind, as a dict.")
      .def(
          "columns", [](const Model& x, const std::string& entity) { return columns_of(x, entity); }, py::arg("entity"),
          "The entities of one kind as a dict of columns (numpy arrays, or lists for strings and "
          "lists); schedules are 21-bit masks (bit = 3 x day + day part, Monday morning = bit 0).")
      .def(
          "frame", [](const Model& x, const std::string& entity) { return pandas_frame(columns_of(x, entity)); },
          py::arg("entity"), "The entities of one kind as a pandas DataFrame (see columns()).")
      .def(
          "to_pandas",
          [](const Model& x) {
            py::dict out;
            for (const char* e : entity_names) out[e] = pandas_frame(columns_of(x, e));
            return out;
          },
          "Every entity kind as a pandas DataFrame: {'households': ..., 'residents': ..., 'ties': ..., "
          "'needs': ..., 'offers': ..., 'professionals': ...}. wijkmatch.from_frames(**model.to_pandas()) "
          "gives back an equal model.")
      .def(
          "to_json",
          [](const Model& x, int indent) {
            py::gil_scoped_release nogil;
            return to_json(x, indent);
          },
          py::arg("indent") = 2, "The model as a format v1 JSON document.")
      .def(
          "to_dict", [](const Model& x) { return json_without_gil([&] { return to_json(x, -1); }); },
          "The model as the format v1 document, as plain Python values.")
      .def(
          "save",
          [](const ModelPtr& x, const py::object& path) {
            const std::string p = fspath(path);
            run_interruptible([x, p] {
              if (is_binary_path(p))
                save_model_binary(*x, p);
              else
                save_model(*x, p);
              return 0;
            });
          },
          py::arg("path"), "Writes the model: binary for a .wjm path, format v1 JSON otherwise.")
      .def(
          "municipalities", [](const Model& x) { return municipalities(x); },
          "CBS codes of the municipalities residents live in and offers are in, sorted.")
      .def(
          "need_keys",
          [](const Model& x, bool open_only) {
            std::vector<std::string> keys;
            for (const auto& n : x.needs)
              if (!open_only || n.status == NeedStatus::open) keys.push_back(n.key);
            return keys;
          },
          py::arg("open_only") = false, "Keys of the needs (only those with status 'open' if open_only).")
      .def(
          "__eq__", [](const Model& a, const Model& b) { return a == b; }, py::arg("other"))
      .def("__repr__",
           [](const Model& x) {
             return "<wijkmatch.Model households=" + std::to_string(x.households.size()) +
                    " residents=" + std::to_string(x.residents.size()) + " ties=" + std::to_string(x.ties.size()) +
                    " needs=" + std::to_string(x.needs.size()) + " offers=" + std::to_string(x.offers.size()) +
                    " professionals=" + std::to_string(x.professionals.size()) + ">";
           })
      .def(py::pickle(
          [](const Model& x) {
            py::gil_scoped_release nogil;
            return to_json(x, -1);
          },
          [](const std::string& text) {
            LoadOptions o;
            o.max_bytes = std::max(o.max_bytes, text.size());
            return std::make_shared<Model>(parse_model(text, o));
          }));
}

}  // namespace wijkmatch::py_bindings
