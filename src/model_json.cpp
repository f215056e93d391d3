// Format v1 reader and writer. The reader walks the parsed document once, collecting every
// problem with its JSON pointer, and only builds the model when there were none.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "json_util.hpp"
#include "wijkmatch/area.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

using detail::Reader;
using nlohmann::json;

constexpr std::string_view format_name = "wijkmatch-neighbourhood";

// Rijksdriehoek (RD New) coordinates of the European Netherlands lie within this box.
constexpr double rd_x_min = 0.0, rd_x_max = 300000.0, rd_y_min = 300000.0, rd_y_max = 625000.0;

std::optional<Location> read_location(Reader& r, const json& j, const std::string& ptr) {
  if (!r.expect_object(j, ptr, {"x", "y"})) return std::nullopt;
  auto x = r.number(j, ptr, "x", rd_x_min, rd_x_max, "RD New x (metres)");
  auto y = r.number(j, ptr, "y", rd_y_min, rd_y_max, "RD New y (metres)");
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

std::optional<std::vector<std::string>> read_languages(Reader& r, const json& obj, const std::string& ptr,
                                                       std::string_view field, bool required) {
  const json* j = r.field(obj, ptr, field, required);
  if (!j) return required ? std::nullopt : std::optional<std::vector<std::string>>(std::vector<std::string>{});
  const std::string p = ptr + "/" + std::string(field);
  if (!j->is_array()) {
    r.fail(p, "must be an array of ISO 639-1 language codes");
    return std::nullopt;
  }
  if (required && j->empty()) {
    r.fail(p, "must list at least one language");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < j->size(); ++i) {
    const json& v = (*j)[i];
    const std::string ip = p + "/" + std::to_string(i);
    if (!v.is_string() || v.get_ref<const std::string&>().size() != 2 ||
        !std::all_of(v.get_ref<const std::string&>().begin(), v.get_ref<const std::string&>().end(),
                     [](char c) { return c >= 'a' && c <= 'z'; })) {
      r.fail(ip, "must be an ISO 639-1 language code: two lowercase letters, e.g. \"nl\"");
      ok = false;
    } else if (std::find(out.begin(), out.end(), v.get_ref<const std::string&>()) != out.end()) {
      r.fail(ip, "duplicate language");
      ok = false;
    } else {
      out.push_back(v.get<std::string>());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<DomainSet> read_domain_list(Reader& r, const json& obj, const std::string& ptr, std::string_view field,
                                          bool allow_empty) {
  const json* j = r.field(obj, ptr, field, true);
  if (!j) return std::nullopt;
  const std::string p = ptr + "/" + std::string(field);
  if (!j->is_array()) {
    r.fail(p, "must be an array of life domains");
    return std::nullopt;
  }
  if (!allow_empty && j->empty()) {
    r.fail(p, "must list at least one life domain");
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

std::optional<std::string> read_area(Reader& r, const json& obj, const std::string& ptr, std::string_view field,
                                     AreaLevel level) {
  auto s = r.string(obj, ptr, field, true);
  if (!s) return std::nullopt;
  if (auto why = check_area_code(*s, level)) {
    r.fail(ptr + "/" + std::string(field), *why);
    return std::nullopt;
  }
  return s;
}

std::optional<Date> read_date(Reader& r, const json& obj, const std::string& ptr, std::string_view field) {
  auto s = r.string(obj, ptr, field, true);
  if (!s) return std::nullopt;
  auto d = detail::parse_date(*s);
  if (!d) r.fail(ptr + "/" + std::string(field), "must be a date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
  return d;
}

// Reads a `[{...}, ...]` collection of entities that each have a unique "key". Returns the
// key -> index map of the valid keys.
template <class Fn>
std::unordered_map<std::string, std::uint32_t> read_collection(Reader& r, const json& doc, std::string_view name,
                                                               bool required, Fn&& read_one) {
  std::unordered_map<std::string, std::uint32_t> keys;
  const std::string ptr = "/" + std::string(name);
  const json* arr = r.field(doc, "", name, required);
  if (!arr) return keys;
  if (!arr->is_array()) {
    r.fail(ptr, "must be an array");
    return keys;
  }
  for (std::size_t i = 0; i < arr->size() && !r.full(); ++i)
    read_one((*arr)[i], ptr + "/" + std::to_string(i), i, keys);
  return keys;
}

void register_key(Reader& r, const std::optional<std::string>& key, const std::string& ptr, std::size_t index,
                  std::unordered_map<std::string, std::uint32_t>& keys) {
  if (!key) return;
  auto [it, inserted] = keys.emplace(*key, static_cast<std::uint32_t>(index));
  if (!inserted)
    r.fail(ptr + "/key", "duplicate key \"" + *key + "\" (first at index " + std::to_string(it->second) + ")");
}

template <class IdT>
std::optional<IdT> reference(Reader& r, const json& obj, const std::string& ptr, std::string_view field,
                             const std::unordered_map<std::string, std::uint32_t>& keys, std::string_view what) {
  auto key = r.key(obj, ptr, field);
  if (!key) return std::nullopt;
  auto it = keys.find(*key);
  if (it == keys.end()) {
    r.fail(ptr + "/" + std::string(field), "unknown " + std::string(what) + " \"" + *key + "\"");
    return std::nullopt;
  }
  return IdT(it->second);
}

Model read_document(Reader& r, const json& doc) {
  Model m;
  if (!doc.is_object()) {
    r.fail("", "must be a JSON object with format_version, households, residents, ties, needs, offers, professionals");
    return m;
  }
  r.expect_object(
      doc, "",
      {"$schema", "format", "format_version", "households", "residents", "ties", "needs", "offers", "professionals"});
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

  // Households.
  auto household_keys =
      read_collection(r, doc, "households", true, [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
        Household h;
        bool ok = r.expect_object(j, p, {"key", "neighbourhood"});
        if (!ok) {
          m.households.emplace_back();
          return;
        }
        auto key = r.key(j, p, "key");
        register_key(r, key, p, i, keys);
        auto bu = read_area(r, j, p, "neighbourhood", AreaLevel::neighbourhood);
        if (key) h.key = *key;
        if (bu) h.neighbourhood = *bu;
        m.households.push_back(std::move(h));
      });

  // Offers come before residents because residents refer to the offers they attend.
  auto offer_keys =
      read_collection(r, doc, "offers", true, [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
        Offer o;
        if (!r.expect_object(
                j, p,
                {"key", "kind", "level", "domains", "seats", "occupancy", "min_group_size", "schedule", "location",
                 "neighbourhood", "languages", "cost_per_month", "eligibility", "waiting_days"})) {
          m.offers.emplace_back();
          return;
        }
        auto key = r.key(j, p, "key");
        register_key(r, key, p, i, keys);
        if (key) o.key = *key;
        if (auto kind = r.identifier(j, p, "kind")) o.kind = *kind;
        if (auto lvl = r.enumeration(j, p, "level", parse_ladder_level, detail::ladder_choices(), true)) {
          if (*lvl == LadderLevel::own_network)
            r.fail(
                p + "/level",
                "own_network help comes from ties, not offers; use collective, basic_care, individual or specialist");
          o.level = *lvl;
        }
        if (const json* d = r.field(j, p, "domains", true)) {
          const std::string dp = p + "/domains";
          if (!d->is_object() || d->empty()) {
            r.fail(dp, "must be a non-empty object of life domain to fit weight in (0, 1]");
          } else {
            for (const auto& [name, w] : d->items()) {
              const std::string wp = dp + "/" + detail::escape_pointer(name);
              auto dom = parse_life_domain(name);
              if (!dom) {
                r.fail(wp, "unknown life domain; expected one of " + detail::life_domain_choices());
                continue;
              }
              auto fit = r.number_value(w, wp, 0.0, 1.0, "fit weight");
              if (fit && *fit <= 0.0)
                r.fail(wp, "fit weight must be above 0 (leave out a domain the offer does not serve)");
              else if (fit)
                o.fit[static_cast<std::size_t>(*dom)] = *fit;
            }
          }
        }
        auto seats = r.integer(j, p, "seats", 0, 1000000, true);
        auto occupancy = r.integer(j, p, "occupancy", 0, 1000000, true);
        auto min_group = r.integer(j, p, "min_group_size", 0, 1000000, false);
        if (seats) o.seats = static_cast<int>(*seats);
        if (occupancy) o.occupancy = static_cast<int>(*occupancy);
        if (min_group) o.min_group_size = static_cast<int>(*min_group);
        if (seats && occupancy && *occupancy > *seats)
          r.fail(p + "/occupancy", std::to_string(*occupancy) + " exceeds seats (" + std::to_string(*seats) + ")");
        if (seats && min_group && *min_group > *seats)
          r.fail(p + "/min_group_size", std::to_string(*min_group) + " exceeds seats (" + std::to_string(*seats) + ")");
        if (const json* s = r.field(j, p, "schedule", false))
          if (auto sch = read_schedule(r, *s, p + "/schedule")) o.schedule = *sch;
        if (const json* l = r.field(j, p, "location", true))
          if (auto loc = read_location(r, *l, p + "/location")) o.location = *loc;
        if (auto bu = read_area(r, j, p, "neighbourhood", AreaLevel::neighbourhood)) o.neighbourhood = *bu;
        if (auto langs = read_languages(r, j, p, "languages", true)) o.languages = *langs;
        if (auto cost = r.number(j, p, "cost_per_month", 0.0, 1.0e7, "cost in euro")) o.cost_per_month = *cost;
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
            auto smin = r.integer(*e, ep, "severity_min", 1, 5, false);
            auto smax = r.integer(*e, ep, "severity_max", 1, 5, false);
            if (smin) o.eligibility.severity_min = static_cast<int>(*smin);
            if (smax) o.eligibility.severity_max = static_cast<int>(*smax);
            if (o.eligibility.severity_min > o.eligibility.severity_max)
              r.fail(ep + "/severity_min", "exceeds severity_max (" + std::to_string(o.eligibility.severity_max) + ")");
            if (auto ref = r.boolean(*e, ep, "referral_required", false)) o.eligibility.referral_required = *ref;
          }
        }
        if (auto w = r.integer(j, p, "waiting_days", 0, 3650, false)) o.waiting_days = static_cast<int>(*w);
        m.offers.push_back(std::move(o));
      });

  std::vector<int> attendees(m.offers.size(), 0);
  std::vector<std::uint32_t> household_size(m.households.size(), 0);
  auto resident_keys =
      read_collection(r, doc, "residents", true, [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
        Resident res;
        if (!r.expect_object(j, p,
                             {"key", "household", "neighbourhood", "location", "age_band", "languages", "availability",
                              "max_travel_m", "group_averse", "care_avoider", "attends"})) {
          m.residents.emplace_back();
          return;
        }
        auto key = r.key(j, p, "key");
        register_key(r, key, p, i, keys);
        if (key) res.key = *key;
        auto hh = reference<HouseholdId>(r, j, p, "household", household_keys, "household");
        if (hh) {
          res.household = *hh;
          ++household_size[hh->index()];
        }
        if (auto bu = read_area(r, j, p, "neighbourhood", AreaLevel::neighbourhood)) {
          res.neighbourhood = *bu;
          if (hh && !m.households[hh->index()].neighbourhood.empty() && m.households[hh->index()].neighbourhood != *bu)
            r.fail(p + "/neighbourhood",
                   "must equal its household's neighbourhood (" + m.households[hh->index()].neighbourhood + ")");
        }
        if (const json* l = r.field(j, p, "location", true))
          if (auto loc = read_location(r, *l, p + "/location")) res.location = *loc;
        if (auto band = r.enumeration(j, p, "age_band", parse_age_band, detail::age_band_choices(), true))
          res.age_band = *band;
        if (auto langs = read_languages(r, j, p, "languages", true)) res.languages = *langs;
        if (const json* s = r.field(j, p, "availability", true))
          if (auto sch = read_schedule(r, *s, p + "/availability")) res.availability = *sch;
        if (auto travel = r.number(j, p, "max_travel_m", 0.0, 100000.0, "distance in metres"))
          res.max_travel_m = *travel;
        if (auto b = r.boolean(j, p, "group_averse", false)) res.group_averse = *b;
        if (auto b = r.boolean(j, p, "care_avoider", false)) res.care_avoider = *b;
        if (const json* a = r.field(j, p, "attends", false)) {
          const std::string ap = p + "/attends";
          if (!a->is_array()) {
            r.fail(ap, "must be an array of offer keys");
          } else {
            for (std::size_t k = 0; k < a->size(); ++k) {
              const std::string kp = ap + "/" + std::to_string(k);
              auto okey = r.key_value((*a)[k], kp);
              if (!okey) continue;
              auto it = offer_keys.find(*okey);
              if (it == offer_keys.end()) {
                r.fail(kp, "unknown offer \"" + *okey + "\"");
              } else if (std::find(res.attends.begin(), res.attends.end(), OfferId(it->second)) != res.attends.end()) {
                r.fail(kp, "duplicate offer");
              } else {
                res.attends.emplace_back(it->second);
                ++attendees[it->second];
              }
            }
          }
        }
        m.residents.push_back(std::move(res));
      });
  if (!r.full()) {
    for (std::size_t o = 0; o < m.offers.size(); ++o)
      if (attendees[o] > m.offers[o].occupancy && m.offers[o].occupancy >= 0)
        r.fail("/offers/" + std::to_string(o) + "/occupancy", std::to_string(m.offers[o].occupancy) + " is below the " +
                                                                  std::to_string(attendees[o]) +
                                                                  " residents whose attends list this offer");
    for (std::size_t h = 0; h < m.households.size(); ++h)
      if (household_size[h] == 0 && !m.households[h].key.empty())
        r.fail("/households/" + std::to_string(h), "no resident belongs to this household");
  }

  // Ties.
  std::set<std::tuple<std::uint32_t, std::uint32_t, TieKind>> seen_ties;
  read_collection(r, doc, "ties", true, [&](const json& j, const std::string& p, std::size_t, auto&) {
    Tie t;
    if (!r.expect_object(j, p, {"helper", "helped", "kind", "strength", "domains", "hours_per_week", "hours_used"})) {
      m.ties.emplace_back();
      return;
    }
    auto helper = reference<ResidentId>(r, j, p, "helper", resident_keys, "resident");
    auto helped = reference<ResidentId>(r, j, p, "helped", resident_keys, "resident");
    if (helper) t.helper = *helper;
    if (helped) t.helped = *helped;
    auto kind = r.enumeration(j, p, "kind", parse_tie_kind, detail::tie_kind_choices(), true);
    if (kind) t.kind = *kind;
    if (helper && helped && *helper == *helped)
      r.fail(p + "/helped", "a tie cannot join a resident to themself");
    else if (helper && helped && kind && !seen_ties.emplace(helper->index(), helped->index(), *kind).second)
      r.fail(p, "duplicate tie: the same helper, helped and kind appear earlier");
    if (auto s = r.number(j, p, "strength", 0.0, 1.0, "strength")) {
      if (*s <= 0.0) r.fail(p + "/strength", "must be above 0 and at most 1");
      t.strength = *s;
    }
    if (auto d = read_domain_list(r, j, p, "domains", true)) t.domains = *d;
    auto hours = r.number(j, p, "hours_per_week", 0.0, 168.0, "hours per week");
    auto used = r.number_opt(j, p, "hours_used", 0.0, 168.0, "hours per week");
    if (hours) t.hours_per_week = *hours;
    if (used) t.hours_used = *used;
    if (hours && used && *used > *hours)
      r.fail(p + "/hours_used", "exceeds hours_per_week (" + detail::format_number(*hours) + ")");
    m.ties.push_back(t);
  });

  // Needs.
  read_collection(r, doc, "needs", true, [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
    Need n;
    if (!r.expect_object(j, p,
                         {"key", "resident", "domain", "severity", "crisis", "safety_report", "rent_arrears_months",
                          "since", "status"})) {
      m.needs.emplace_back();
      return;
    }
    auto key = r.key(j, p, "key");
    register_key(r, key, p, i, keys);
    if (key) n.key = *key;
    if (auto res = reference<ResidentId>(r, j, p, "resident", resident_keys, "resident")) n.resident = *res;
    if (auto d = r.enumeration(j, p, "domain", parse_life_domain, detail::life_domain_choices(), true)) n.domain = *d;
    if (auto s = r.integer(j, p, "severity", 1, 5, true)) n.severity = static_cast<int>(*s);
    if (auto b = r.boolean(j, p, "crisis", false)) n.crisis = *b;
    if (auto b = r.boolean(j, p, "safety_report", false)) n.safety_report = *b;
    if (auto a = r.integer(j, p, "rent_arrears_months", 0, 120, false)) n.rent_arrears_months = static_cast<int>(*a);
    if (auto d = read_date(r, j, p, "since")) n.since = *d;
    if (auto st = r.enumeration(j, p, "status", parse_need_status, detail::need_status_choices(), true)) n.status = *st;
    m.needs.push_back(n);
    m.needs.back().key = n.key;
  });

  // Professionals.
  read_collection(r, doc, "professionals", true, [&](const json& j, const std::string& p, std::size_t i, auto& keys) {
    Professional pr;
    if (!r.expect_object(j, p, {"key", "specialisms", "languages", "work_area", "caseload_cap", "caseload"})) {
      m.professionals.emplace_back();
      return;
    }
    auto key = r.key(j, p, "key");
    register_key(r, key, p, i, keys);
    if (key) pr.key = *key;
    if (auto d = read_domain_list(r, j, p, "specialisms", true)) pr.specialisms = *d;
    if (auto langs = read_languages(r, j, p, "languages", true)) pr.languages = *langs;
    if (const json* wa = r.field(j, p, "work_area", true)) {
      const std::string wp = p + "/work_area";
      if (!wa->is_array() || wa->empty()) {
        r.fail(wp, "must be a non-empty array of CBS neighbourhood codes");
      } else {
        for (std::size_t k = 0; k < wa->size(); ++k) {
          const std::string kp = wp + "/" + std::to_string(k);
          if (!(*wa)[k].is_string()) {
            r.fail(kp, "must be a string");
            continue;
          }
          const auto& code = (*wa)[k].get_ref<const std::string&>();
          if (auto why = check_area_code(code, AreaLevel::neighbourhood))
            r.fail(kp, *why);
          else if (std::find(pr.work_area.begin(), pr.work_area.end(), code) != pr.work_area.end())
            r.fail(kp, "duplicate neighbourhood");
          else
            pr.work_area.push_back(code);
        }
      }
    }
    auto cap = r.integer(j, p, "caseload_cap", 0, 10000, true);
    auto load = r.integer(j, p, "caseload", 0, 10000, true);
    if (cap) pr.caseload_cap = static_cast<int>(*cap);
    if (load) pr.caseload = static_cast<int>(*load);
    if (cap && load && *load > *cap)
      r.fail(p + "/caseload", std::to_string(*load) + " exceeds caseload_cap (" + std::to_string(*cap) + ")");
    m.professionals.push_back(std::move(pr));
  });
  return m;
}

json schedule_json(WeeklySchedule s) {
  json out = json::object();
  for (std::size_t d = 0; d < day_count; ++d) {
    json parts = json::array();
    for (std::size_t k = 0; k < day_part_count; ++k)
      if (s.contains(d, static_cast<DayPart>(k))) parts.push_back(std::string(to_string(static_cast<DayPart>(k))));
    if (!parts.empty()) out[std::string(day_name(d))] = std::move(parts);
  }
  return out;
}

json domains_json(DomainSet set) {
  json out = json::array();
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (set.contains(static_cast<LifeDomain>(d))) out.push_back(std::string(to_string(static_cast<LifeDomain>(d))));
  return out;
}

}  // namespace

std::vector<Problem> validate_model(std::string_view text, const LoadOptions& options) {
  std::vector<Problem> problems;
  auto doc = detail::parse_checked(text, options.max_bytes, options.max_depth, problems);
  if (!doc) return problems;
  Reader r(problems, options.max_problems);
  read_document(r, *doc);
  return problems;
}

Model parse_model(std::string_view text, const LoadOptions& options) {
  std::vector<Problem> problems;
  auto doc = detail::parse_checked(text, options.max_bytes, options.max_depth, problems);
  if (!doc) throw InputError(std::move(problems));
  Reader r(problems, options.max_problems);
  Model m = read_document(r, *doc);
  if (!problems.empty()) throw InputError(std::move(problems));
  m.rebuild_index();
  return m;
}

Model load_model(const std::filesystem::path& path, const LoadOptions& options) {
  return parse_model(read_file_checked(path, options.max_bytes), options);
}

std::string to_json(const Model& m, int indent) {
  json doc;
  doc["format"] = format_name;
  doc["format_version"] = model_format_version;
  json& households = doc["households"] = json::array();
  for (const auto& h : m.households) households.push_back({{"key", h.key}, {"neighbourhood", h.neighbourhood}});
  json& offers = doc["offers"] = json::array();
  for (const auto& o : m.offers) {
    json domains = json::object();
    for (std::size_t d = 0; d < life_domain_count; ++d)
      if (o.fit[d] > 0.0) domains[std::string(to_string(static_cast<LifeDomain>(d)))] = o.fit[d];
    json bands = json::array();
    for (std::size_t a = 0; a < age_band_count; ++a)
      if (o.eligibility.age_bands.contains(static_cast<AgeBand>(a)))
        bands.push_back(std::string(to_string(static_cast<AgeBand>(a))));
    offers.push_back({{"key", o.key},
                      {"kind", o.kind},
                      {"level", std::string(to_string(o.level))},
                      {"domains", domains},
                      {"seats", o.seats},
                      {"occupancy", o.occupancy},
                      {"min_group_size", o.min_group_size},
                      {"schedule", schedule_json(o.schedule)},
                      {"location", {{"x", o.location.x_m}, {"y", o.location.y_m}}},
                      {"neighbourhood", o.neighbourhood},
                      {"languages", o.languages},
                      {"cost_per_month", o.cost_per_month},
                      {"eligibility",
                       {{"age_bands", bands},
                        {"severity_min", o.eligibility.severity_min},
                        {"severity_max", o.eligibility.severity_max},
                        {"referral_required", o.eligibility.referral_required}}},
                      {"waiting_days", o.waiting_days}});
  }
  json& residents = doc["residents"] = json::array();
  for (const auto& r : m.residents) {
    json attends = json::array();
    for (OfferId o : r.attends) attends.push_back(m.offers.at(o.index()).key);
    residents.push_back({{"key", r.key},
                         {"household", m.households.at(r.household.index()).key},
                         {"neighbourhood", r.neighbourhood},
                         {"location", {{"x", r.location.x_m}, {"y", r.location.y_m}}},
                         {"age_band", std::string(to_string(r.age_band))},
                         {"languages", r.languages},
                         {"availability", schedule_json(r.availability)},
                         {"max_travel_m", r.max_travel_m},
                         {"group_averse", r.group_averse},
                         {"care_avoider", r.care_avoider},
                         {"attends", attends}});
  }
  json& ties = doc["ties"] = json::array();
  for (const auto& t : m.ties)
    ties.push_back({{"helper", m.residents.at(t.helper.index()).key},
                    {"helped", m.residents.at(t.helped.index()).key},
                    {"kind", std::string(to_string(t.kind))},
                    {"strength", t.strength},
                    {"domains", domains_json(t.domains)},
                    {"hours_per_week", t.hours_per_week},
                    {"hours_used", t.hours_used}});
  json& needs = doc["needs"] = json::array();
  for (const auto& n : m.needs)
    needs.push_back({{"key", n.key},
                     {"resident", m.residents.at(n.resident.index()).key},
                     {"domain", std::string(to_string(n.domain))},
                     {"severity", n.severity},
                     {"crisis", n.crisis},
                     {"safety_report", n.safety_report},
                     {"rent_arrears_months", n.rent_arrears_months},
                     {"since", detail::format_date(n.since)},
                     {"status", std::string(to_string(n.status))}});
  json& professionals = doc["professionals"] = json::array();
  for (const auto& p : m.professionals)
    professionals.push_back({{"key", p.key},
                             {"specialisms", domains_json(p.specialisms)},
                             {"languages", p.languages},
                             {"work_area", p.work_area},
                             {"caseload_cap", p.caseload_cap},
                             {"caseload", p.caseload}});
  return doc.dump(indent) + "\n";
}

void save_model(const Model& model, const std::filesystem::path& path) { write_file_atomic(path, to_json(model)); }

}  // namespace wijkmatch
