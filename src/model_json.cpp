// Format v1 (and v1.1): the precise reader and the public entry points. A valid document is
// read by the fast path (model_json_fast.cpp); any other by the precise reader here, which walks
// the parsed document once for its syntax and types, then Model::check() judges the values;
// every problem comes with its JSON pointer. The writer is model_json_writer.cpp.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "json_util.hpp"
#include "model_check.hpp"
#include "model_json_detail.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

using detail::Reader;
using nlohmann::json;

constexpr std::string_view format_name = detail::model_format_name;

}  // namespace

namespace detail {

// The ranges below only word the reason for a value of the wrong type; Model::check() applies
// them (model_check.cpp).
std::optional<Location> read_location(Reader& r, const json& j, const std::string& ptr) {
  if (!r.expect_object(j, ptr, {"x", "y"})) return std::nullopt;
  auto x = r.number_typed(j, ptr, "x", 0.0, 300000.0, "RD New x (metres)", true);
  auto y = r.number_typed(j, ptr, "y", 300000.0, 625000.0, "RD New y (metres)", true);
  if (!x || !y) return std::nullopt;
  return Location{*x, *y};
}

std::optional<WeeklySchedule> read_schedule(Reader& r, const json& j, const std::string& ptr) {
  if (!j.is_object()) {
    r.fail(ptr, "must be an object of day (mon..sun) to day-parts (morning, afternoon, evening)");
    return std::nullopt;
  }
  WeeklySchedule schedule;
  bool ok = true;
  for (const auto& [day_text, parts] : j.items()) {
    const std::string day_ptr = ptr + "/" + detail::escape_pointer(day_text);
    auto day = parse_day(day_text);
    if (!day) {
      r.fail(day_ptr, "unknown day; expected one of mon, tue, wed, thu, fri, sat, sun");
      ok = false;
      continue;
    }
    if (!parts.is_array()) {
      r.fail(day_ptr, "must be an array of day-parts (morning, afternoon, evening)");
      ok = false;
      continue;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const std::string part_ptr = day_ptr + "/" + std::to_string(i);
      auto part = parts[i].is_string() ? parse_day_part(parts[i].get_ref<const std::string&>()) : std::nullopt;
      if (!part) {
        r.fail(part_ptr, "must be one of morning, afternoon, evening");
        ok = false;
      } else if (schedule.contains(*day, *part)) {
        r.fail(part_ptr, "duplicate day-part");
        ok = false;
      } else {
        schedule.insert(*day, *part);
      }
    }
  }
  if (!ok) return std::nullopt;
  return schedule;
}

// An array of strings; an element of another type is reported with `element_reason` and
// kept as "" so that the positions stay those of the document.
std::vector<std::string> read_strings(Reader& r, const json& obj, const std::string& ptr, std::string_view field,
                                      std::string_view array_reason, std::string_view element_reason) {
  std::vector<std::string> out;
  const json* j = r.field(obj, ptr, field, true);
  if (!j) return out;
  const std::string p = ptr + "/" + std::string(field);
  if (!j->is_array()) {
    r.fail(p, std::string(array_reason));
    return out;
  }
  out.reserve(j->size());
  for (std::size_t i = 0; i < j->size(); ++i) {
    if ((*j)[i].is_string()) {
      out.push_back((*j)[i].get<std::string>());
    } else {
      r.fail(p + "/" + std::to_string(i), std::string(element_reason));
      out.emplace_back();
    }
  }
  return out;
}

std::vector<std::string> read_languages(Reader& r, const json& obj, const std::string& ptr) {
  return read_strings(r, obj, ptr, "languages", "must be an array of ISO 639-1 language codes", detail::language_rule);
}

std::optional<DomainSet> read_domain_list(Reader& r, const json& obj, const std::string& ptr, std::string_view field) {
  const json* j = r.field(obj, ptr, field, true);
  if (!j) return std::nullopt;
  const std::string p = ptr + "/" + std::string(field);
  if (!j->is_array()) {
    r.fail(p, "must be an array of life domains");
    return std::nullopt;
  }
  DomainSet set;
  bool ok = true;
  for (std::size_t i = 0; i < j->size(); ++i) {
    auto d = r.enumeration(*j, p, i, parse_life_domain, detail::life_domain_choices());
    if (!d) {
      ok = false;
    } else if (set.contains(*d)) {
      r.fail(p + "/" + std::to_string(i), "duplicate life domain");
      ok = false;
    } else {
      set.insert(*d);
    }
  }
  if (!ok) return std::nullopt;
  return set;
}

std::optional<Date> read_date(Reader& r, const json& obj, const std::string& ptr, std::string_view field) {
  auto s = r.string(obj, ptr, field, true);
  if (!s) return std::nullopt;
  auto d = detail::parse_date(*s);
  if (!d) r.fail(ptr + "/" + std::string(field), "must be a date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
  return d;
}

}  // namespace detail

namespace {

using detail::read_date;
using detail::read_domain_list;
using detail::read_languages;
using detail::read_location;
using detail::read_schedule;
using detail::read_strings;

using KeyIndex = std::unordered_map<std::string, std::uint32_t>;

// Reads a `[{...}, ...]` collection of entities. Returns the key -> index map of the keys
// (the first of a repeated key; Model::check() reports the repeat) for resolving references.
template <class Fn>
KeyIndex read_collection(Reader& r, const json& doc, std::string_view name, Fn&& read_one) {
  KeyIndex keys;
  const std::string ptr = "/" + std::string(name);
  const json* arr = r.field(doc, "", name, true);
  if (!arr) return keys;
  if (!arr->is_array()) {
    r.fail(ptr, "must be an array");
    return keys;
  }
  for (std::size_t i = 0; i < arr->size() && !r.full(); ++i)
    read_one((*arr)[i], ptr + "/" + std::to_string(i), i, keys);
  return keys;
}

std::string read_key(Reader& r, const json& j, const std::string& ptr, std::size_t index, KeyIndex& keys) {
  auto key = r.key_text(j, ptr, "key");
  if (!key) return {};
  keys.emplace(*key, static_cast<std::uint32_t>(index));
  return *key;
}

// A reference by key; an invalid id when it does not resolve (reported here).
template <class IdT>
IdT reference(Reader& r, const json& obj, const std::string& ptr, std::string_view field, const KeyIndex& keys,
              std::string_view what) {
  auto key = r.key(obj, ptr, field);
  if (!key) return IdT();
  auto it = keys.find(*key);
  if (it == keys.end()) {
    r.fail(ptr + "/" + std::string(field), "unknown " + std::string(what) + " \"" + *key + "\"");
    return IdT();
  }
  return IdT(it->second);
}

// A reference from an offer to a resident (an organiser or a volunteer), resolved once the
// residents, which come after the offers, have been read.
struct ResidentRef {
  std::size_t offer = 0;
  bool volunteer = false;  // else an organiser
  std::size_t index = 0;   // in the offer's volunteers or organiser residents
  std::string key;
  std::string pointer;
};

// The v1.1 members of an offer: organiser, volunteers, initiative, hours_per_seat.
void read_offer_v1_1(Reader& r, const json& j, const std::string& p, std::size_t offer, Offer& o,
                     std::vector<ResidentRef>& refs) {
  if (const json* og = r.field(j, p, "organiser", false)) {
    const std::string gp = p + "/organiser";
    if (r.expect_object(*og, gp, {"kind", "residents", "organisation"})) {
      if (auto k = r.enumeration(*og, gp, "kind", parse_organiser_kind, detail::organiser_kind_choices(), true))
        o.organiser.kind = *k;
      if (const json* rs = r.field(*og, gp, "residents", false)) {
        const std::string rp = gp + "/residents";
        if (!rs->is_array()) {
          r.fail(rp, "must be an array of resident keys");
        } else {
          o.organiser.residents.resize(rs->size());
          for (std::size_t k = 0; k < rs->size(); ++k) {
            const std::string kp = rp + "/" + std::to_string(k);
            if (auto key = r.key_value((*rs)[k], kp)) refs.push_back({offer, false, k, *key, kp});
          }
        }
      }
      if (auto org = r.string(*og, gp, "organisation", false)) {
        // The model's empty name means "not named", so an empty name in a file is refused here.
        if (org->empty())
          r.fail(gp + "/organisation", std::string(detail::identifier_rule) + "; leave it out if not named");
        else
          o.organiser.organisation = *org;
      }
    }
  }
  if (const json* vs = r.field(j, p, "volunteers", false)) {
    const std::string vp = p + "/volunteers";
    if (!vs->is_array()) {
      r.fail(vp, "must be an array of volunteers, each {resident, hours_per_week}");
    } else {
      o.volunteers.resize(vs->size());
      for (std::size_t k = 0; k < vs->size(); ++k) {
        const std::string kp = vp + "/" + std::to_string(k);
        Volunteer& v = o.volunteers[k];
        if (!r.expect_object((*vs)[k], kp, {"resident", "hours_per_week"})) continue;
        if (auto key = r.key((*vs)[k], kp, "resident")) refs.push_back({offer, true, k, *key, kp + "/resident"});
        if (auto h = r.number_typed((*vs)[k], kp, "hours_per_week", 0.0, 168.0, "hours per week", true))
          v.hours_per_week = *h;
      }
    }
  }
  if (const json* in = r.field(j, p, "initiative", false)) {
    const std::string ip = p + "/initiative";
    Initiative initiative;
    if (r.expect_object(*in, ip, {"status", "budget_euro"})) {
      if (auto st =
              r.enumeration(*in, ip, "status", parse_initiative_status, detail::initiative_status_choices(), true))
        initiative.status = *st;
      if (auto b = r.number_typed(*in, ip, "budget_euro", 0.0, 1.0e7, "budget in euro", false))
        initiative.budget_euro = *b;
    }
    o.initiative = initiative;
  }
  if (auto h = r.number_typed(j, p, "hours_per_seat", 0.0, 168.0, "hours per week", false)) o.hours_per_seat = *h;
  if (j.contains("confirmed"))
    if (auto d = read_date(r, j, p, "confirmed")) o.confirmed = *d;
}

// A resident's v1.1 member: the help they offer neighbours.
void read_help_offer(Reader& r, const json& j, const std::string& p, Resident& res) {
  const json* h = r.field(j, p, "offers_help", false);
  if (!h) return;
  const std::string hp = p + "/offers_help";
  HelpOffer help;
  if (r.expect_object(*h, hp, {"domains", "hours_per_week", "hours_used", "day_parts", "radius_m"})) {
    if (auto d = read_domain_list(r, *h, hp, "domains")) help.domains = *d;
    if (auto v = r.number_typed(*h, hp, "hours_per_week", 0.0, 168.0, "hours per week", true)) help.hours_per_week = *v;
    if (const json* s = r.field(*h, hp, "day_parts", false))
      if (auto sch = read_schedule(r, *s, hp + "/day_parts")) help.day_parts = *sch;
    if (auto v = r.number_typed(*h, hp, "radius_m", 0.0, 100000.0, "distance in metres", true)) help.radius_m = *v;
    if (auto v = r.number_typed(*h, hp, "hours_used", 0.0, 168.0, "hours per week", false)) help.hours_used = *v;
  }
  res.offers_help = help;
}

// Reads the syntax and types of a document into a model; values of the right type are kept
// as they are, so that Model::check() can judge them. Where a value is refused here the model
// holds a stand-in, which the check leaves alone.
Model read_document(Reader& r, const json& doc) {
  Model m;
  if (!doc.is_object()) {
    r.fail("", "must be a JSON object with format_version, households, residents, ties, needs, offers, professionals");
    return m;
  }
  r.expect_object(doc, "",
                  {"$schema", "format", "format_version", "format_minor", "households", "residents", "ties", "needs",
                   "offers", "professionals"});
  if (doc.contains("format")) {
    auto f = r.string(doc, "", "format", false);
    if (f && *f != format_name) r.fail("/format", "must be \"" + std::string(format_name) + "\"");
  }
  if (doc.contains("$schema")) r.string(doc, "", "$schema", false);
  auto version = r.integer(doc, "", "format_version", 1, 1000000, true);
  if (!version) return m;
  if (*version != model_format_version) {
    r.fail("/format_version", "unsupported format version " + std::to_string(*version) + "; this build reads " +
                                  std::to_string(model_format_version));
    return m;
  }
  if (doc.contains("format_minor")) {
    auto minor = r.integer(doc, "", "format_minor", 0, 1000000, false);
    if (!minor) return m;
    if (*minor > model_format_minor) {
      r.fail("/format_minor", "unsupported format version 1." + std::to_string(*minor) + "; this build reads up to 1." +
                                  std::to_string(model_format_minor));
      return m;
    }
  }

  auto household_keys =
      read_collection(r, doc, "households", [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
        Household& h = m.households.emplace_back();
        if (!r.expect_object(j, p, {"key", "neighbourhood"})) return;
        h.key = read_key(r, j, p, i, keys);
        if (auto bu = r.string(j, p, "neighbourhood", true)) h.neighbourhood = *bu;
      });

  // Offers come before residents because residents refer to the offers they attend; the
  // offers' references to residents (organisers, volunteers) wait until the residents are read.
  std::vector<ResidentRef> resident_refs;
  auto offer_keys =
      read_collection(r, doc, "offers", [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
        Offer& o = m.offers.emplace_back();
        if (!r.expect_object(j, p,
                             {"key", "kind", "level", "domains", "seats", "occupancy", "min_group_size", "schedule",
                              "location", "neighbourhood", "languages", "cost_per_month", "eligibility", "waiting_days",
                              "organiser", "volunteers", "initiative", "hours_per_seat", "confirmed"}))
          return;
        o.key = read_key(r, j, p, i, keys);
        if (auto kind = r.string(j, p, "kind", true)) o.kind = *kind;
        if (auto lvl = r.enumeration(j, p, "level", parse_ladder_level, detail::ladder_choices(), true)) o.level = *lvl;
        if (const json* d = r.field(j, p, "domains", true)) {
          const std::string dp = p + "/domains";
          if (!d->is_object()) {
            r.fail(dp, "must be a non-empty object of life domain to fit weight in (0, 1]");
          } else {
            for (const auto& [name, w] : d->items()) {
              const std::string wp = dp + "/" + detail::escape_pointer(name);
              auto dom = parse_life_domain(name);
              if (!dom) {
                r.fail(wp, "unknown life domain; expected one of " + detail::life_domain_choices());
                continue;
              }
              // A weight of 0 cannot be told from a domain left out, so it is refused here.
              auto fit = r.number_typed_value(w, wp, 0.0, 1.0, "fit weight");
              if (fit && *fit == 0.0)
                r.fail(wp, "fit weight must be above 0 (leave out a domain the offer does not serve)");
              else if (fit)
                o.fit[static_cast<std::size_t>(*dom)] = *fit;
            }
          }
        }
        if (auto v = r.int_typed(j, p, "seats", 0, 1000000, true)) o.seats = *v;
        if (auto v = r.int_typed(j, p, "occupancy", 0, 1000000, true)) o.occupancy = *v;
        if (auto v = r.int_typed(j, p, "min_group_size", 0, 1000000, false)) o.min_group_size = *v;
        if (const json* s = r.field(j, p, "schedule", false))
          if (auto sch = read_schedule(r, *s, p + "/schedule")) o.schedule = *sch;
        if (const json* l = r.field(j, p, "location", true))
          if (auto loc = read_location(r, *l, p + "/location")) o.location = *loc;
        if (auto bu = r.string(j, p, "neighbourhood", true)) o.neighbourhood = *bu;
        o.languages = read_languages(r, j, p);
        if (auto cost = r.number_typed(j, p, "cost_per_month", 0.0, 1.0e7, "cost in euro", true))
          o.cost_per_month = *cost;
        if (const json* e = r.field(j, p, "eligibility", false)) {
          const std::string ep = p + "/eligibility";
          if (r.expect_object(*e, ep, {"age_bands", "severity_min", "severity_max", "referral_required"})) {
            if (const json* ab = r.field(*e, ep, "age_bands", false)) {
              if (!ab->is_array()) {
                r.fail(ep + "/age_bands", "must be an array of age bands");
              } else {
                for (std::size_t k = 0; k < ab->size(); ++k)
                  if (auto band =
                          r.enumeration(*ab, ep + "/age_bands", k, parse_age_band, detail::age_band_choices())) {
                    if (o.eligibility.age_bands.contains(*band))
                      r.fail(ep + "/age_bands/" + std::to_string(k), "duplicate age band");
                    o.eligibility.age_bands.insert(*band);
                  }
              }
            }
            if (auto v = r.int_typed(*e, ep, "severity_min", 1, 5, false)) o.eligibility.severity_min = *v;
            if (auto v = r.int_typed(*e, ep, "severity_max", 1, 5, false)) o.eligibility.severity_max = *v;
            if (auto ref = r.boolean(*e, ep, "referral_required", false)) o.eligibility.referral_required = *ref;
          }
        }
        if (auto w = r.int_typed(j, p, "waiting_days", 0, 3650, false)) o.waiting_days = *w;
        read_offer_v1_1(r, j, p, i, o, resident_refs);
      });

  auto resident_keys =
      read_collection(r, doc, "residents", [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
        Resident& res = m.residents.emplace_back();
        if (!r.expect_object(j, p,
                             {"key", "household", "neighbourhood", "location", "age_band", "languages", "availability",
                              "max_travel_m", "group_averse", "care_avoider", "attends", "offers_help"}))
          return;
        res.key = read_key(r, j, p, i, keys);
        res.household = reference<HouseholdId>(r, j, p, "household", household_keys, "household");
        if (auto bu = r.string(j, p, "neighbourhood", true)) res.neighbourhood = *bu;
        if (const json* l = r.field(j, p, "location", true))
          if (auto loc = read_location(r, *l, p + "/location")) res.location = *loc;
        if (auto band = r.enumeration(j, p, "age_band", parse_age_band, detail::age_band_choices(), true))
          res.age_band = *band;
        res.languages = read_languages(r, j, p);
        if (const json* s = r.field(j, p, "availability", true))
          if (auto sch = read_schedule(r, *s, p + "/availability")) res.availability = *sch;
        if (auto travel = r.number_typed(j, p, "max_travel_m", 0.0, 100000.0, "distance in metres", true))
          res.max_travel_m = *travel;
        if (auto b = r.boolean(j, p, "group_averse", false)) res.group_averse = *b;
        if (auto b = r.boolean(j, p, "care_avoider", false)) res.care_avoider = *b;
        if (const json* a = r.field(j, p, "attends", false)) {
          const std::string ap = p + "/attends";
          if (!a->is_array()) {
            r.fail(ap, "must be an array of offer keys");
          } else {
            res.attends.reserve(a->size());
            for (std::size_t k = 0; k < a->size(); ++k) {
              const std::string kp = ap + "/" + std::to_string(k);
              auto okey = r.key_value((*a)[k], kp);
              auto it = okey ? offer_keys.find(*okey) : offer_keys.end();
              if (okey && it == offer_keys.end()) r.fail(kp, "unknown offer \"" + *okey + "\"");
              res.attends.push_back(it == offer_keys.end() ? OfferId() : OfferId(it->second));
            }
          }
        }
        read_help_offer(r, j, p, res);
      });
  for (const auto& ref : resident_refs) {
    auto it = resident_keys.find(ref.key);
    if (it == resident_keys.end())
      r.fail(ref.pointer, "unknown resident \"" + ref.key + "\"");
    else if (ref.volunteer)
      m.offers[ref.offer].volunteers[ref.index].resident = ResidentId(it->second);
    else
      m.offers[ref.offer].organiser.residents[ref.index] = ResidentId(it->second);
  }

  read_collection(r, doc, "ties", [&](const json& j, const std::string& p, std::size_t, auto&) {
    Tie& t = m.ties.emplace_back();
    if (!r.expect_object(j, p, {"helper", "helped", "kind", "strength", "domains", "hours_per_week", "hours_used"}))
      return;
    t.helper = reference<ResidentId>(r, j, p, "helper", resident_keys, "resident");
    t.helped = reference<ResidentId>(r, j, p, "helped", resident_keys, "resident");
    if (auto kind = r.enumeration(j, p, "kind", parse_tie_kind, detail::tie_kind_choices(), true)) t.kind = *kind;
    if (auto s = r.number_typed(j, p, "strength", 0.0, 1.0, "strength", true)) t.strength = *s;
    if (auto d = read_domain_list(r, j, p, "domains")) t.domains = *d;
    if (auto h = r.number_typed(j, p, "hours_per_week", 0.0, 168.0, "hours per week", true)) t.hours_per_week = *h;
    if (auto u = r.number_typed(j, p, "hours_used", 0.0, 168.0, "hours per week", false)) t.hours_used = *u;
  });

  read_collection(r, doc, "needs", [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
    Need& n = m.needs.emplace_back();
    if (!r.expect_object(j, p,
                         {"key", "resident", "domain", "severity", "crisis", "safety_report", "rent_arrears_months",
                          "since", "status"}))
      return;
    n.key = read_key(r, j, p, i, keys);
    n.resident = reference<ResidentId>(r, j, p, "resident", resident_keys, "resident");
    if (auto d = r.enumeration(j, p, "domain", parse_life_domain, detail::life_domain_choices(), true)) n.domain = *d;
    if (auto s = r.int_typed(j, p, "severity", 1, 5, true)) n.severity = *s;
    if (auto b = r.boolean(j, p, "crisis", false)) n.crisis = *b;
    if (auto b = r.boolean(j, p, "safety_report", false)) n.safety_report = *b;
    if (auto a = r.int_typed(j, p, "rent_arrears_months", 0, 120, false)) n.rent_arrears_months = *a;
    if (auto d = read_date(r, j, p, "since")) n.since = *d;
    if (auto st = r.enumeration(j, p, "status", parse_need_status, detail::need_status_choices(), true)) n.status = *st;
  });

  read_collection(r, doc, "professionals", [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
    Professional& pr = m.professionals.emplace_back();
    if (!r.expect_object(j, p, {"key", "specialisms", "languages", "work_area", "caseload_cap", "caseload"})) return;
    pr.key = read_key(r, j, p, i, keys);
    if (auto d = read_domain_list(r, j, p, "specialisms")) pr.specialisms = *d;
    pr.languages = read_languages(r, j, p);
    pr.work_area =
        read_strings(r, j, p, "work_area", "must be a non-empty array of CBS neighbourhood codes", "must be a string");
    if (auto v = r.int_typed(j, p, "caseload_cap", 0, 10000, true)) pr.caseload_cap = *v;
    if (auto v = r.int_typed(j, p, "caseload", 0, 10000, true)) pr.caseload = *v;
  });
  return m;
}

// The whole check of a document: syntax and types here, then the model check, which leaves
// out what was already reported.
Model read_and_check(Reader& r, const json& doc, std::vector<Problem>& problems, std::size_t limit) {
  Model m = read_document(r, doc);
  const detail::Reported reported(problems);
  detail::check_model(m, problems, limit, &reported);
  return m;
}

}  // namespace

Model detail::read_model_document(const json& doc, std::vector<Problem>& problems, std::size_t limit) {
  Reader r(problems, limit);
  return read_and_check(r, doc, problems, limit);
}

Model detail::read_model_precise(std::string_view text, const LoadOptions& options, std::vector<Problem>& problems) {
  auto doc = detail::parse_checked(text, options.max_bytes, options.max_depth, problems);
  if (!doc) return Model();
  Reader r(problems, options.max_problems);
  return read_and_check(r, *doc, problems, options.max_problems);
}

namespace {

// A valid document takes the fast path alone; any other goes through the precise path, which
// words its problems exactly as it always has (the fast path reports nothing of its own).
std::optional<Model> read_valid_fast(std::string_view text, const LoadOptions& options, bool padded = false) {
  auto m = detail::read_model_fast(text, options, padded);
  if (!m) return std::nullopt;
  std::vector<Problem> problems;
  detail::check_model(*m, problems, options.max_problems, nullptr);
  if (!problems.empty()) return std::nullopt;
  return m;
}

// `padded`: input_padding bytes past the end of `text` may be read.
Model parse(std::string_view text, const LoadOptions& options, bool padded) {
  auto fast = read_valid_fast(text, options, padded);
  Model m;
  if (fast) {
    m = std::move(*fast);
  } else {
    std::vector<Problem> problems;
    m = detail::read_model_precise(text, options, problems);
    if (!problems.empty()) throw InputError(std::move(problems));
  }
  m.rebuild_index();
  return m;
}

}  // namespace

std::vector<Problem> validate_model(std::string_view text, const LoadOptions& options) {
  if (read_valid_fast(text, options)) return {};
  std::vector<Problem> problems;
  detail::read_model_precise(text, options, problems);
  return problems;
}

Model parse_model(std::string_view text, const LoadOptions& options) { return parse(text, options, false); }

Model load_model(const std::filesystem::path& path, const LoadOptions& options) {
  const std::string text = read_input(path, options.max_bytes);
  return parse(text, options, text.capacity() - text.size() >= detail::input_padding);
}

std::string to_json(const Model& m, int indent) {
  std::string text;
  detail::write_model_json(m, text, indent);
  return text;
}

void write_json(const Model& model, std::ostream& out, int indent) { detail::write_model_json(model, out, indent); }

void save_model(const Model& model, const std::filesystem::path& path) {
  write_file_atomic(path, [&model](std::ostream& out) { detail::write_model_json(model, out, 2); });
}

}  // namespace wijkmatch
