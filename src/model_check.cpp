// The semantic check of a model: one rule set for the JSON loader, the binary loader and
// models built in code. Reasons are worded as format v1 documents them (docs/format.md).
#include "model_check.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <tuple>

#include "duplicates.hpp"
#include "json_util.hpp"
#include "wijkmatch/area.hpp"

namespace wijkmatch::detail {

bool valid_key(std::string_view k) noexcept {
  if (k.empty() || k.size() > 64) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
  });
}

bool valid_identifier(std::string_view k) noexcept {
  if (k.empty() || k.size() > 64 || k[0] < 'a' || k[0] > 'z') return false;
  return std::all_of(k.begin(), k.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool valid_language(std::string_view k) noexcept {
  return k.size() == 2 && k[0] >= 'a' && k[0] <= 'z' && k[1] >= 'a' && k[1] <= 'z';
}

Reported::Reported(const std::vector<Problem>& problems) {
  for (const auto& p : problems) pointers_.insert(p.pointer);
}

bool Reported::known(std::string_view pointer) const {
  if (pointers_.empty()) return true;
  // The pointer itself or an ancestor: every prefix that ends before a '/' (not the document).
  for (std::size_t end = pointer.size(); end != 0 && end != std::string_view::npos; end = pointer.rfind('/', end - 1))
    if (pointers_.find(pointer.substr(0, end)) != pointers_.end()) return false;
  // A descendant: the first reported pointer after `pointer/` starts with it.
  const std::string below = std::string(pointer) + "/";
  auto it = pointers_.lower_bound(below);
  return it == pointers_.end() || !it->starts_with(below);
}

namespace {

constexpr double rd_x_min = 0.0, rd_x_max = 300000.0, rd_y_min = 300000.0, rd_y_max = 625000.0;

std::string at(std::string_view collection, std::size_t index, std::string_view field = {}) {
  return detail::entity_pointer(collection, index, field);
}

class Checker {
 public:
  Checker(const Model& m, std::vector<Problem>& problems, std::size_t limit, const Reported* reported)
      : m_(m), problems_(problems), limit_(limit), reported_(reported && !reported->empty() ? reported : nullptr) {}

  void run() {
    households();
    offers();
    residents();
    ties();
    needs();
    professionals();
  }

 private:
  bool full() const noexcept { return problems_.size() >= limit_; }
  bool known(std::string_view pointer) const { return reported_ == nullptr || reported_->known(pointer); }

  // Reports `reason` at `pointer` unless the pointer or a value it depends on was reported.
  void fail(std::string pointer, std::string reason, std::initializer_list<std::string> depends_on = {}) {
    if (full() || !known(pointer)) return;
    for (const auto& d : depends_on)
      if (!known(d)) return;
    problems_.push_back({std::move(pointer), std::move(reason)});
  }

  bool integer(std::string_view c, std::size_t i, std::string_view field, std::int64_t v, std::int64_t lo,
               std::int64_t hi) {
    if (v >= lo && v <= hi) return true;
    fail(at(c, i, field), "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return false;
  }

  bool number(std::string_view c, std::size_t i, std::string_view field, double v, double lo, double hi,
              std::string_view what) {
    if (!std::isfinite(v)) {
      fail(at(c, i, field), "must be a finite number (" + std::string(what) + ")");
      return false;
    }
    if (v >= lo && v <= hi) return true;
    fail(at(c, i, field), "must be a number (" + std::string(what) + ") in [" + format_number(lo) + ", " +
                              format_number(hi) + "], got " + format_number(v));
    return false;
  }

  // A count within the limit another field of the same entity sets.
  void at_most(std::string_view c, std::size_t i, std::string_view field, int value, std::string_view limit_field,
               int limit) {
    if (value > limit)
      fail(at(c, i, field),
           std::to_string(value) + " exceeds " + std::string(limit_field) + " (" + std::to_string(limit) + ")",
           {at(c, i, limit_field)});
  }

  void area(std::string_view c, std::size_t i, std::string_view field, const std::string& code) {
    if (auto why = check_area_code(code, AreaLevel::neighbourhood)) fail(at(c, i, field), *why);
  }

  void location(std::string_view c, std::size_t i, Location l) {
    number(c, i, "location/x", l.x_m, rd_x_min, rd_x_max, "RD New x (metres)");
    number(c, i, "location/y", l.y_m, rd_y_min, rd_y_max, "RD New y (metres)");
  }

  void schedule(std::string_view c, std::size_t i, std::string_view field, WeeklySchedule s) {
    if (s.bits >> (day_count * day_part_count)) fail(at(c, i, field), "has bits beyond the 21 day-parts of a week");
  }

  void domains(std::string_view c, std::size_t i, std::string_view field, DomainSet d) {
    if (d.bits >> life_domain_count)
      fail(at(c, i, field), "has bits beyond the " + std::to_string(life_domain_count) + " life domains");
  }

  template <class E>
  bool enumeration(std::string_view c, std::size_t i, std::string_view field, E v, std::size_t count,
                   const std::string& choices) {
    if (static_cast<std::size_t>(v) < count) return true;
    fail(at(c, i, field), "must be one of " + choices);
    return false;
  }

  template <class IdT>
  bool reference(std::string_view c, std::size_t i, std::string_view field, IdT id, std::size_t size,
                 std::string_view what) {
    if (id.index() < size) return true;
    fail(at(c, i, field), "unknown " + std::string(what) + " " + std::to_string(id.index()));
    return false;
  }

  // Every element of `list` is valid (else the reason `why` gives) and appears once (else `repeated`).
  void unique_list(std::string_view c, std::size_t i, std::string_view field, const std::vector<std::string>& list,
                   std::optional<std::string> (*why)(const std::string&), std::string_view repeated) {
    const std::string base = reported_ ? at(c, i, field) + "/" : std::string();
    std::vector<char> include(list.size(), 0);
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (auto reason = why(list[k]))
        fail(at(c, i, field) + "/" + std::to_string(k), std::move(*reason));
      else
        include[k] = reported_ == nullptr || known(base + std::to_string(k));
    }
    for (const auto& d : find_duplicates(
             list.size(), [&](std::size_t k) -> const std::string& { return list[k]; },
             [&](std::size_t k) { return include[k] != 0; }))
      fail(at(c, i, field) + "/" + std::to_string(d.index), std::string(repeated));
  }

  void languages(std::string_view c, std::size_t i, const std::vector<std::string>& list) {
    if (list.empty()) fail(at(c, i, "languages"), "must list at least one language");
    unique_list(
        c, i, "languages", list,
        [](const std::string& s) {
          return valid_language(s) ? std::nullopt : std::optional<std::string>(language_rule);
        },
        "duplicate language");
  }

  // Key syntax, and no key twice in a collection.
  template <class Vec>
  void keys(std::string_view c, const Vec& items) {
    std::vector<char> include(items.size(), 0);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!valid_key(items[i].key))
        fail(at(c, i, "key"), std::string(key_rule));
      else
        include[i] = known(at(c, i, "key")) ? 1 : 0;
    }
    for (const auto& d : find_duplicates(
             items.size(), [&](std::size_t k) -> const std::string& { return items[k].key; },
             [&](std::size_t k) { return include[k] != 0; }))
      fail(at(c, d.index, "key"),
           "duplicate key \"" + items[d.index].key + "\" (first at index " + std::to_string(d.first) + ")");
  }

  void households() {
    keys("households", m_.households);
    for (std::size_t i = 0; i < m_.households.size() && !full(); ++i)
      area("households", i, "neighbourhood", m_.households[i].neighbourhood);
  }

  void offers() {
    keys("offers", m_.offers);
    for (std::size_t i = 0; i < m_.offers.size() && !full(); ++i) {
      const Offer& o = m_.offers[i];
      if (!valid_identifier(o.kind)) fail(at("offers", i, "kind"), std::string(identifier_rule));
      if (enumeration("offers", i, "level", o.level, ladder_level_count, ladder_choices()) &&
          o.level == LadderLevel::own_network)
        fail(at("offers", i, "level"),
             "own_network help comes from ties, not offers; use collective, basic_care, individual or specialist");
      bool serves = false;
      for (std::size_t d = 0; d < life_domain_count; ++d) {
        if (o.fit[d] == 0.0) continue;
        serves = true;
        number("offers", i, "domains/" + std::string(to_string(static_cast<LifeDomain>(d))), o.fit[d], 0.0, 1.0,
               "fit weight");
      }
      if (!serves)
        fail(at("offers", i, "domains"), "must be a non-empty object of life domain to fit weight in (0, 1]");
      const bool seats = integer("offers", i, "seats", o.seats, 0, 1000000);
      const bool occupancy = integer("offers", i, "occupancy", o.occupancy, 0, 1000000);
      const bool min_group = integer("offers", i, "min_group_size", o.min_group_size, 0, 1000000);
      if (seats && occupancy) at_most("offers", i, "occupancy", o.occupancy, "seats", o.seats);
      if (seats && min_group) at_most("offers", i, "min_group_size", o.min_group_size, "seats", o.seats);
      schedule("offers", i, "schedule", o.schedule);
      location("offers", i, o.location);
      area("offers", i, "neighbourhood", o.neighbourhood);
      languages("offers", i, o.languages);
      number("offers", i, "cost_per_month", o.cost_per_month, 0.0, 1.0e7, "cost in euro");
      if (o.eligibility.age_bands.bits >> age_band_count)
        fail(at("offers", i, "eligibility/age_bands"), "has bits beyond the 6 age bands");
      const bool smin = integer("offers", i, "eligibility/severity_min", o.eligibility.severity_min, 1, 5);
      const bool smax = integer("offers", i, "eligibility/severity_max", o.eligibility.severity_max, 1, 5);
      if (smin && smax && o.eligibility.severity_min > o.eligibility.severity_max)
        fail(at("offers", i, "eligibility/severity_min"),
             "exceeds severity_max (" + std::to_string(o.eligibility.severity_max) + ")",
             {at("offers", i, "eligibility/severity_max")});
      integer("offers", i, "waiting_days", o.waiting_days, 0, 3650);
      offer_v1_1(i, o);
    }
  }

  // Residents named by an offer (organisers, volunteers): each known, each once.
  template <class Get>
  void resident_list(std::size_t i, std::string_view list, std::string_view field, std::size_t count, Get get,
                     std::string_view repeated) {
    std::vector<char> include(count, 0);
    auto pointer = [&](std::size_t k) {
      std::string p = std::string(list) + "/" + std::to_string(k);
      if (!field.empty()) p += "/" + std::string(field);
      return p;
    };
    for (std::size_t k = 0; k < count; ++k)
      if (reference("offers", i, pointer(k), get(k), m_.residents.size(), "resident"))
        include[k] = known(at("offers", i, pointer(k))) ? 1 : 0;
    for (const auto& d : find_duplicates(count, get, [&](std::size_t k) { return include[k] != 0; }))
      fail(at("offers", i, pointer(d.index)),
           std::string(repeated) + " (first at index " + std::to_string(d.first) + ")");
  }

  // Format v1.1: organiser, volunteers, initiative, hours_per_seat.
  void offer_v1_1(std::size_t i, const Offer& o) {
    const Organiser& g = o.organiser;
    const std::string kind_ptr = at("offers", i, "organiser/kind");
    const bool kind =
        enumeration("offers", i, "organiser/kind", g.kind, organiser_kind_count, organiser_kind_choices());
    const bool residents_run = kind && g.kind == OrganiserKind::residents;
    if (kind && !residents_run && !g.residents.empty())
      fail(at("offers", i, "organiser/residents"),
           "only a resident initiative (organiser kind residents) has organiser residents", {kind_ptr});
    if (!g.organisation.empty()) {
      if (!valid_identifier(g.organisation))
        fail(at("offers", i, "organiser/organisation"), std::string(identifier_rule));
      else if (kind && g.kind != OrganiserKind::organisation)
        fail(at("offers", i, "organiser/organisation"), "only an organiser of kind organisation names an organisation",
             {kind_ptr});
    }
    resident_list(
        i, "organiser/residents", {}, g.residents.size(), [&](std::size_t k) { return g.residents[k]; },
        "duplicate organiser");
    for (std::size_t k = 0; k < o.volunteers.size(); ++k)
      number("offers", i, "volunteers/" + std::to_string(k) + "/hours_per_week", o.volunteers[k].hours_per_week, 0.0,
             168.0, "hours per week");
    resident_list(
        i, "volunteers", "resident", o.volunteers.size(), [&](std::size_t k) { return o.volunteers[k].resident; },
        "duplicate volunteer: the resident is listed earlier");
    if (kind && residents_run && !o.initiative)
      fail(at("offers", i, "initiative"),
           "missing required field: a resident initiative (organiser kind residents) has a status", {kind_ptr});
    if (kind && !residents_run && o.initiative)
      fail(at("offers", i, "initiative"),
           "only a resident initiative (organiser kind residents) has an initiative status", {kind_ptr});
    if (o.initiative) {
      enumeration("offers", i, "initiative/status", o.initiative->status, initiative_status_count,
                  initiative_status_choices());
      if (o.initiative->budget_euro)
        number("offers", i, "initiative/budget_euro", *o.initiative->budget_euro, 0.0, 1.0e7, "budget in euro");
    }
    // own_network and unknown levels are reported by the level check already.
    if (residents_run && (o.level == LadderLevel::basic_care || o.level == LadderLevel::individual ||
                          o.level == LadderLevel::specialist))
      fail(at("offers", i, "level"), "a resident initiative is a collective offer", {kind_ptr});
    number("offers", i, "hours_per_seat", o.hours_per_seat, 0.0, 168.0, "hours per week");
    const Date first_day = std::chrono::year(1900) / 1 / 1, last_day = std::chrono::year(2199) / 12 / 31;
    if (o.confirmed && (*o.confirmed < first_day || *o.confirmed > last_day))
      fail(at("offers", i, "confirmed"), "must be a date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
  }

  void residents() {
    keys("residents", m_.residents);
    std::vector<int> attendees(m_.offers.size(), 0);
    std::vector<char> has_member(m_.households.size(), 0);
    for (std::size_t i = 0; i < m_.residents.size() && !full(); ++i) {
      const Resident& r = m_.residents[i];
      const bool hh = reference("residents", i, "household", r.household, m_.households.size(), "household");
      if (hh) has_member[r.household.index()] = 1;
      area("residents", i, "neighbourhood", r.neighbourhood);
      if (hh) {
        const std::string& expected = m_.households[r.household.index()].neighbourhood;
        if (!expected.empty() && r.neighbourhood != expected)
          fail(at("residents", i, "neighbourhood"), "must equal its household's neighbourhood (" + expected + ")",
               {at("residents", i, "household"), at("households", r.household.index(), "neighbourhood")});
      }
      location("residents", i, r.location);
      enumeration("residents", i, "age_band", r.age_band, age_band_count, age_band_choices());
      languages("residents", i, r.languages);
      schedule("residents", i, "availability", r.availability);
      number("residents", i, "max_travel_m", r.max_travel_m, 0.0, 100000.0, "distance in metres");
      if (r.offers_help) {
        const HelpOffer& h = *r.offers_help;
        domains("residents", i, "offers_help/domains", h.domains);
        if (h.domains.empty()) fail(at("residents", i, "offers_help/domains"), "must list at least one life domain");
        const bool hours =
            number("residents", i, "offers_help/hours_per_week", h.hours_per_week, 0.0, 168.0, "hours per week");
        const bool used = number("residents", i, "offers_help/hours_used", h.hours_used, 0.0, 168.0, "hours per week");
        if (hours && used && h.hours_used > h.hours_per_week)
          fail(at("residents", i, "offers_help/hours_used"),
               "exceeds hours_per_week (" + format_number(h.hours_per_week) + ")",
               {at("residents", i, "offers_help/hours_per_week")});
        schedule("residents", i, "offers_help/day_parts", h.day_parts);
        number("residents", i, "offers_help/radius_m", h.radius_m, 0.0, 100000.0, "distance in metres");
      }
      // Attended offers: known ones, each once; they count towards the offer's occupancy.
      std::vector<char> include(r.attends.size(), 0);
      for (std::size_t k = 0; k < r.attends.size(); ++k)
        if (reference("residents", i, "attends/" + std::to_string(k), r.attends[k], m_.offers.size(), "offer"))
          include[k] = known(at("residents", i, "attends/" + std::to_string(k))) ? 1 : 0;
      for (const auto& d : find_duplicates(
               r.attends.size(), [&](std::size_t k) { return r.attends[k]; },
               [&](std::size_t k) { return include[k] != 0; })) {
        fail(at("residents", i, "attends/" + std::to_string(d.index)), "duplicate offer");
        include[d.index] = 0;
      }
      for (std::size_t k = 0; k < r.attends.size(); ++k)
        if (include[k]) ++attendees[r.attends[k].index()];
    }
    if (full()) return;
    for (std::size_t o = 0; o < m_.offers.size(); ++o) {
      const int occupancy = m_.offers[o].occupancy;
      if (attendees[o] > occupancy && occupancy >= 0 && occupancy <= 1000000)
        fail(at("offers", o, "occupancy"), std::to_string(occupancy) + " is below the " + std::to_string(attendees[o]) +
                                               " residents whose attends list this offer");
    }
    for (std::size_t h = 0; h < m_.households.size(); ++h)
      if (!has_member[h]) fail(at("households", h), "no resident belongs to this household");
  }

  void ties() {
    std::vector<char> include(m_.ties.size(), 0);
    for (std::size_t i = 0; i < m_.ties.size() && !full(); ++i) {
      const Tie& t = m_.ties[i];
      const bool helper = reference("ties", i, "helper", t.helper, m_.residents.size(), "resident");
      const bool helped = reference("ties", i, "helped", t.helped, m_.residents.size(), "resident");
      const bool kind = enumeration("ties", i, "kind", t.kind, tie_kind_count, tie_kind_choices());
      if (helper && helped && t.helper == t.helped)
        fail(at("ties", i, "helped"), "a tie cannot join a resident to themself", {at("ties", i, "helper")});
      else if (helper && helped && kind)
        include[i] = reported_ == nullptr ||
                     (known(at("ties", i, "helper")) && known(at("ties", i, "helped")) && known(at("ties", i, "kind")));
      if (number("ties", i, "strength", t.strength, 0.0, 1.0, "strength") && t.strength <= 0.0)
        fail(at("ties", i, "strength"), "must be above 0 and at most 1");
      domains("ties", i, "domains", t.domains);
      const bool hours = number("ties", i, "hours_per_week", t.hours_per_week, 0.0, 168.0, "hours per week");
      const bool used = number("ties", i, "hours_used", t.hours_used, 0.0, 168.0, "hours per week");
      if (hours && used && t.hours_used > t.hours_per_week)
        fail(at("ties", i, "hours_used"), "exceeds hours_per_week (" + format_number(t.hours_per_week) + ")",
             {at("ties", i, "hours_per_week")});
    }
    if (full()) return;
    for (const auto& d : find_duplicates(
             m_.ties.size(),
             [&](std::size_t k) {
               const Tie& t = m_.ties[k];
               return std::tuple(t.helper, t.helped, t.kind);
             },
             [&](std::size_t k) { return include[k] != 0; }))
      fail(at("ties", d.index), "duplicate tie: the same helper, helped and kind appear earlier");
  }

  void needs() {
    keys("needs", m_.needs);
    const Date first_day = std::chrono::year(1900) / 1 / 1, last_day = std::chrono::year(2199) / 12 / 31;
    for (std::size_t i = 0; i < m_.needs.size() && !full(); ++i) {
      const Need& n = m_.needs[i];
      reference("needs", i, "resident", n.resident, m_.residents.size(), "resident");
      enumeration("needs", i, "domain", n.domain, life_domain_count, life_domain_choices());
      integer("needs", i, "severity", n.severity, 1, 5);
      integer("needs", i, "rent_arrears_months", n.rent_arrears_months, 0, 120);
      if (n.since < first_day || n.since > last_day)
        fail(at("needs", i, "since"), "must be a date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
      enumeration("needs", i, "status", n.status, need_status_count, need_status_choices());
    }
  }

  void professionals() {
    keys("professionals", m_.professionals);
    for (std::size_t i = 0; i < m_.professionals.size() && !full(); ++i) {
      const Professional& p = m_.professionals[i];
      domains("professionals", i, "specialisms", p.specialisms);
      languages("professionals", i, p.languages);
      if (p.work_area.empty())
        fail(at("professionals", i, "work_area"), "must be a non-empty array of CBS neighbourhood codes");
      unique_list(
          "professionals", i, "work_area", p.work_area,
          [](const std::string& s) { return check_area_code(s, AreaLevel::neighbourhood); }, "duplicate neighbourhood");
      const bool cap = integer("professionals", i, "caseload_cap", p.caseload_cap, 0, 10000);
      const bool load = integer("professionals", i, "caseload", p.caseload, 0, 10000);
      if (cap && load) at_most("professionals", i, "caseload", p.caseload, "caseload_cap", p.caseload_cap);
    }
  }

  const Model& m_;
  std::vector<Problem>& problems_;
  std::size_t limit_;
  const Reported* reported_;
};

}  // namespace

void check_model(const Model& model, std::vector<Problem>& problems, std::size_t limit, const Reported* reported) {
  if (problems.size() >= limit) return;
  Checker(model, problems, limit, reported).run();
}

}  // namespace wijkmatch::detail

namespace wijkmatch {

std::vector<Problem> Model::check(std::size_t max_problems) const {
  std::vector<Problem> problems;
  detail::check_model(*this, problems, max_problems, nullptr);
  return problems;
}

}  // namespace wijkmatch
