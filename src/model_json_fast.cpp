// The fast path of the format v1 reader: simdjson parses the text (validating syntax and
// UTF-8 at several hundred MB/s) and one walk over its tape fills the model. The walk accepts
// exactly what the precise reader (model_json.cpp) reads without a word: any member it does
// not know, a member twice (simdjson keeps both; nlohmann's reader would report it), a value of
// another type, a reference that does not resolve, makes it give up, and the precise reader
// then reads the document again and words every problem. So the messages are the precise
// reader's alone, and giving up is always safe: it costs time, never a difference.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "json_util.hpp"
#include "model_check.hpp"
#include "model_json_detail.hpp"

namespace wijkmatch::detail {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// The deepest nesting of a document the walk accepts: the top object, residents, a resident,
// offers_help, day_parts, a day's array.
constexpr int deepest_valid_document = 6;

// Thrown to give up the fast path; caught in read_model_fast.
struct GiveUp {};

[[noreturn]] void give_up() { throw GiveUp{}; }

object as_object(element e) {
  if (e.type() != element_type::OBJECT) give_up();
  return e.get_object().value_unsafe();
}

array as_array(element e) {
  if (e.type() != element_type::ARRAY) give_up();
  return e.get_array().value_unsafe();
}

// A string; a string that starts with NUL could be the precise reader's marker of a number out
// of range (json_util.hpp), so the fast path leaves every such string to it.
std::string_view as_string(element e) {
  if (e.type() != element_type::STRING) give_up();
  const std::string_view s = e.get_string().value_unsafe();
  if (!s.empty() && s.front() == '\0') give_up();
  return s;
}

std::string_view as_key(element e) {
  std::string_view s = as_string(e);
  if (!valid_key(s)) give_up();
  return s;
}

// As Reader::int_typed: an integer of any size, saturated to int for the model check to judge.
int as_int(element e) {
  constexpr std::int64_t lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
  switch (e.type()) {
    case element_type::INT64: return static_cast<int>(std::clamp<std::int64_t>(e.get_int64().value_unsafe(), lo, hi));
    case element_type::UINT64: return static_cast<int>(std::min<std::uint64_t>(e.get_uint64().value_unsafe(), hi));
    default: give_up();
  }
}

// As Reader::number_typed: any number. simdjson reads "-0" as the double -0.0, where nlohmann
// reads the integer 0; a negative zero is left to the precise reader so the models stay equal.
double as_number(element e) {
  switch (e.type()) {
    case element_type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
    case element_type::DOUBLE: {
      const double v = e.get_double().value_unsafe();
      if (!std::isfinite(v) || (v == 0.0 && std::signbit(v))) give_up();
      return v;
    }
    default: give_up();
  }
}

bool as_bool(element e) {
  if (e.type() != element_type::BOOL) give_up();
  return e.get_bool().value_unsafe();
}

template <class Parse>
auto as_enum(element e, Parse parse) {
  auto v = parse(as_string(e));
  if (!v) give_up();
  return *v;
}

// The members of an object by their position in `names`; any other member, a member twice or
// a missing required one (bit i of `required`) gives up.
template <std::size_t N>
struct Members {
  std::array<element, N> value{};
  std::uint32_t present = 0;
  bool has(std::size_t i) const noexcept { return (present >> i & 1U) != 0; }
  element operator[](std::size_t i) const noexcept { return value[i]; }
};

template <std::size_t N>
Members<N> members(element e, const std::array<std::string_view, N>& names, std::uint32_t required) {
  static_assert(N <= 32);
  Members<N> m;
  for (auto member : as_object(e)) {
    std::size_t i = 0;
    // Length and first byte first: a call of memcmp per candidate name cost 7% of a load.
    const std::string_view key = member.key;
    while (i < N && (names[i].size() != key.size() || names[i][0] != key[0] || names[i] != key)) ++i;
    if (i == N || m.has(i)) give_up();
    m.present |= 1U << i;
    m.value[i] = member.value;
  }
  if ((m.present & required) != required) give_up();
  return m;
}

constexpr std::uint32_t bits(std::initializer_list<int> positions) {
  std::uint32_t b = 0;
  for (int p : positions) b |= 1U << p;
  return b;
}

WeeklySchedule as_schedule(element e) {
  WeeklySchedule schedule;
  std::uint32_t days = 0;
  for (auto member : as_object(e)) {
    auto day = parse_day(member.key);
    if (!day || (days >> *day & 1U) != 0) give_up();
    days |= 1U << *day;
    for (element part : as_array(member.value)) {
      const DayPart p = as_enum(part, parse_day_part);
      if (schedule.contains(*day, p)) give_up();
      schedule.insert(*day, p);
    }
  }
  return schedule;
}

DomainSet as_domains(element e) {
  DomainSet set;
  for (element d : as_array(e)) {
    const LifeDomain v = as_enum(d, parse_life_domain);
    if (set.contains(v)) give_up();
    set.insert(v);
  }
  return set;
}

std::vector<std::string> as_strings(element e) {
  const array a = as_array(e);
  std::vector<std::string> out;
  out.reserve(a.size());
  for (element s : a) out.emplace_back(as_string(s));
  return out;
}

Location as_location(element e) {
  static constexpr std::array<std::string_view, 2> names{"x", "y"};
  const auto f = members(e, names, bits({0, 1}));
  return Location{as_number(f[0]), as_number(f[1])};
}

Date as_date(element e) {
  auto d = parse_date(as_string(e));
  if (!d) give_up();
  return *d;
}

// Key -> position of the first entity with that key, for resolving references. Open
// addressing over one flat array of (hash, position) slots: a node-based map spent a sixth of
// the load in cache misses. Keys point into simdjson's string buffer.
class KeyIndex {
 public:
  void reserve(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    slots_.assign(capacity, Slot{});
    keys_.reserve(n);
  }
  // Keeps the first position of a repeated key, as the precise reader does.
  void emplace(std::string_view key, std::uint32_t position) {
    if (2 * (keys_.size() + 1) > slots_.size()) grow();
    const std::uint64_t h = std::hash<std::string_view>{}(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.entry == 0) {
        keys_.push_back({key, position});
        s = {static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(keys_.size())};
        return;
      }
      if (s.hash == static_cast<std::uint32_t>(h) && keys_[s.entry - 1].key == key) return;
    }
  }
  std::optional<std::uint32_t> find(std::string_view key) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t h = std::hash<std::string_view>{}(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.entry == 0) return std::nullopt;
      if (s.hash == static_cast<std::uint32_t>(h) && keys_[s.entry - 1].key == key) return keys_[s.entry - 1].position;
    }
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t entry = 0;  // 1 + index in keys_; 0 = empty
  };
  struct Entry {
    std::string_view key;
    std::uint32_t position;
  };
  void grow() {
    std::vector<Entry> keys = std::move(keys_);
    reserve(std::max<std::size_t>(keys.size() * 2, 8));
    for (const Entry& e : keys) emplace(e.key, e.position);
  }
  std::vector<Slot> slots_;
  std::vector<Entry> keys_;
};

// The elements of the collection; the model's vector is sized up front.
template <class Vec>
array collection(element e, Vec& items) {
  const array a = as_array(e);
  items.reserve(a.size());
  return a;
}

template <class Id>
Id resolve(const KeyIndex& keys, element e) {
  auto position = keys.find(as_key(e));
  if (!position) give_up();
  return Id(*position);
}

// A reference from an offer to a resident, resolved once the residents have been read.
struct ResidentRef {
  std::size_t offer;
  bool volunteer;  // else an organiser
  std::size_t index;
  std::string_view key;
};

// Returns the offer's key.
std::string_view read_offer(element e, Offer& o, std::size_t offer, std::vector<ResidentRef>& refs) {
  enum {
    key,
    kind,
    level,
    domains,
    seats,
    occupancy,
    min_group_size,
    schedule,
    location,
    neighbourhood,
    languages,
    cost_per_month,
    eligibility,
    waiting_days,
    organiser,
    volunteers,
    initiative,
    hours_per_seat,
    confirmed
  };
  static constexpr std::array<std::string_view, 19> names{
      "key",       "kind",       "level",         "domains",        "seats",          "occupancy",   "min_group_size",
      "schedule",  "location",   "neighbourhood", "languages",      "cost_per_month", "eligibility", "waiting_days",
      "organiser", "volunteers", "initiative",    "hours_per_seat", "confirmed"};
  const auto f =
      members(e, names,
              bits({key, kind, level, domains, seats, occupancy, location, neighbourhood, languages, cost_per_month}));
  const std::string_view offer_key = as_string(f[key]);
  o.key = offer_key;
  o.kind = as_string(f[kind]);
  o.level = as_enum(f[level], parse_ladder_level);
  for (auto member : as_object(f[domains])) {
    auto d = parse_life_domain(member.key);
    if (!d) give_up();
    double& fit = o.fit[static_cast<std::size_t>(*d)];
    // A weight of 0 is refused (and one given twice is a duplicate member): both reported there.
    if (fit != 0.0) give_up();
    fit = as_number(member.value);
    if (fit == 0.0) give_up();
  }
  o.seats = as_int(f[seats]);
  o.occupancy = as_int(f[occupancy]);
  if (f.has(min_group_size)) o.min_group_size = as_int(f[min_group_size]);
  if (f.has(schedule)) o.schedule = as_schedule(f[schedule]);
  o.location = as_location(f[location]);
  o.neighbourhood = as_string(f[neighbourhood]);
  o.languages = as_strings(f[languages]);
  o.cost_per_month = as_number(f[cost_per_month]);
  if (f.has(eligibility)) {
    static constexpr std::array<std::string_view, 4> e_names{"age_bands", "severity_min", "severity_max",
                                                             "referral_required"};
    const auto g = members(f[eligibility], e_names, 0);
    if (g.has(0))
      for (element band : as_array(g[0])) {
        const AgeBand b = as_enum(band, parse_age_band);
        if (o.eligibility.age_bands.contains(b)) give_up();
        o.eligibility.age_bands.insert(b);
      }
    if (g.has(1)) o.eligibility.severity_min = as_int(g[1]);
    if (g.has(2)) o.eligibility.severity_max = as_int(g[2]);
    if (g.has(3)) o.eligibility.referral_required = as_bool(g[3]);
  }
  if (f.has(waiting_days)) o.waiting_days = as_int(f[waiting_days]);
  if (f.has(organiser)) {
    static constexpr std::array<std::string_view, 3> g_names{"kind", "residents", "organisation"};
    const auto g = members(f[organiser], g_names, bits({0}));
    o.organiser.kind = as_enum(g[0], parse_organiser_kind);
    if (g.has(1)) {
      const array rs = as_array(g[1]);
      o.organiser.residents.resize(rs.size());
      std::size_t k = 0;
      for (element r : rs) refs.push_back({offer, false, k++, as_key(r)});
    }
    if (g.has(2)) {
      o.organiser.organisation = as_string(g[2]);
      if (o.organiser.organisation.empty()) give_up();
    }
  }
  if (f.has(volunteers)) {
    static constexpr std::array<std::string_view, 2> v_names{"resident", "hours_per_week"};
    const array vs = as_array(f[volunteers]);
    o.volunteers.resize(vs.size());
    std::size_t k = 0;
    for (element v : vs) {
      const auto g = members(v, v_names, bits({0, 1}));
      refs.push_back({offer, true, k, as_key(g[0])});
      o.volunteers[k++].hours_per_week = as_number(g[1]);
    }
  }
  if (f.has(initiative)) {
    static constexpr std::array<std::string_view, 2> i_names{"status", "budget_euro"};
    const auto g = members(f[initiative], i_names, bits({0}));
    Initiative in;
    in.status = as_enum(g[0], parse_initiative_status);
    if (g.has(1)) in.budget_euro = as_number(g[1]);
    o.initiative = in;
  }
  if (f.has(hours_per_seat)) o.hours_per_seat = as_number(f[hours_per_seat]);
  if (f.has(confirmed)) o.confirmed = as_date(f[confirmed]);
  return offer_key;
}

// Returns the resident's key.
std::string_view read_resident(element e, Resident& r, const KeyIndex& household_keys, const KeyIndex& offer_keys) {
  enum {
    key,
    household,
    neighbourhood,
    location,
    age_band,
    languages,
    availability,
    max_travel_m,
    group_averse,
    care_avoider,
    attends,
    offers_help
  };
  static constexpr std::array<std::string_view, 12> names{
      "key",          "household",    "neighbourhood", "location",     "age_band", "languages",
      "availability", "max_travel_m", "group_averse",  "care_avoider", "attends",  "offers_help"};
  const auto f = members(
      e, names, bits({key, household, neighbourhood, location, age_band, languages, availability, max_travel_m}));
  const std::string_view resident_key = as_string(f[key]);
  r.key = resident_key;
  r.household = resolve<HouseholdId>(household_keys, f[household]);
  r.neighbourhood = as_string(f[neighbourhood]);
  r.location = as_location(f[location]);
  r.age_band = as_enum(f[age_band], parse_age_band);
  r.languages = as_strings(f[languages]);
  r.availability = as_schedule(f[availability]);
  r.max_travel_m = as_number(f[max_travel_m]);
  if (f.has(group_averse)) r.group_averse = as_bool(f[group_averse]);
  if (f.has(care_avoider)) r.care_avoider = as_bool(f[care_avoider]);
  if (f.has(attends)) {
    const array a = as_array(f[attends]);
    r.attends.reserve(a.size());
    for (element o : a) r.attends.push_back(resolve<OfferId>(offer_keys, o));
  }
  if (f.has(offers_help)) {
    static constexpr std::array<std::string_view, 5> h_names{"domains", "hours_per_week", "hours_used", "day_parts",
                                                             "radius_m"};
    const auto g = members(f[offers_help], h_names, bits({0, 1, 4}));
    HelpOffer h;
    h.domains = as_domains(g[0]);
    h.hours_per_week = as_number(g[1]);
    if (g.has(2)) h.hours_used = as_number(g[2]);
    if (g.has(3)) h.day_parts = as_schedule(g[3]);
    h.radius_m = as_number(g[4]);
    r.offers_help = h;
  }
  return resident_key;
}

Model read_document(element doc) {
  enum { schema, format, format_version, format_minor, households, residents, ties, needs, offers, professionals };
  static constexpr std::array<std::string_view, 10> names{
      "$schema",   "format", "format_version", "format_minor", "households",
      "residents", "ties",   "needs",          "offers",       "professionals"};
  const auto f = members(doc, names, bits({format_version, households, residents, ties, needs, offers, professionals}));
  if (f.has(format) && as_string(f[format]) != model_format_name) give_up();
  if (f.has(schema)) as_string(f[schema]);
  if (f[format_version].type() != element_type::INT64 ||
      f[format_version].get_int64().value_unsafe() != model_format_version)
    give_up();
  if (f.has(format_minor)) {
    if (f[format_minor].type() != element_type::INT64) give_up();
    const std::int64_t minor = f[format_minor].get_int64().value_unsafe();
    if (minor < 0 || minor > model_format_minor) give_up();
  }

  Model m;
  KeyIndex household_keys, offer_keys, resident_keys;
  {
    const array a = collection(f[households], m.households);
    household_keys.reserve(a.size());
    static constexpr std::array<std::string_view, 2> h_names{"key", "neighbourhood"};
    for (element e : a) {
      const auto g = members(e, h_names, bits({0, 1}));
      Household& h = m.households.emplace_back();
      const std::string_view key = as_string(g[0]);
      household_keys.emplace(key, static_cast<std::uint32_t>(m.households.size() - 1));
      h.key = key;
      h.neighbourhood = as_string(g[1]);
    }
  }
  std::vector<ResidentRef> refs;
  {
    const array a = collection(f[offers], m.offers);
    offer_keys.reserve(a.size());
    for (element e : a) {
      Offer& o = m.offers.emplace_back();
      const std::size_t i = m.offers.size() - 1;
      offer_keys.emplace(read_offer(e, o, i, refs), static_cast<std::uint32_t>(i));
    }
  }
  {
    const array a = collection(f[residents], m.residents);
    resident_keys.reserve(a.size());
    for (element e : a) {
      Resident& r = m.residents.emplace_back();
      resident_keys.emplace(read_resident(e, r, household_keys, offer_keys),
                            static_cast<std::uint32_t>(m.residents.size() - 1));
    }
  }
  for (const auto& ref : refs) {
    auto position = resident_keys.find(ref.key);
    if (!position) give_up();
    if (ref.volunteer)
      m.offers[ref.offer].volunteers[ref.index].resident = ResidentId(*position);
    else
      m.offers[ref.offer].organiser.residents[ref.index] = ResidentId(*position);
  }
  for (element e : collection(f[ties], m.ties)) {
    static constexpr std::array<std::string_view, 7> t_names{"helper",  "helped",         "kind",      "strength",
                                                             "domains", "hours_per_week", "hours_used"};
    const auto g = members(e, t_names, bits({0, 1, 2, 3, 4, 5}));
    Tie& t = m.ties.emplace_back();
    t.helper = resolve<ResidentId>(resident_keys, g[0]);
    t.helped = resolve<ResidentId>(resident_keys, g[1]);
    t.kind = as_enum(g[2], parse_tie_kind);
    t.strength = as_number(g[3]);
    t.domains = as_domains(g[4]);
    t.hours_per_week = as_number(g[5]);
    if (g.has(6)) t.hours_used = as_number(g[6]);
  }
  for (element e : collection(f[needs], m.needs)) {
    static constexpr std::array<std::string_view, 9> n_names{
        "key", "resident", "domain", "severity", "crisis", "safety_report", "rent_arrears_months", "since", "status"};
    const auto g = members(e, n_names, bits({0, 1, 2, 3, 7, 8}));
    Need& n = m.needs.emplace_back();
    n.key = as_string(g[0]);
    n.resident = resolve<ResidentId>(resident_keys, g[1]);
    n.domain = as_enum(g[2], parse_life_domain);
    n.severity = as_int(g[3]);
    if (g.has(4)) n.crisis = as_bool(g[4]);
    if (g.has(5)) n.safety_report = as_bool(g[5]);
    if (g.has(6)) n.rent_arrears_months = as_int(g[6]);
    n.since = as_date(g[7]);
    n.status = as_enum(g[8], parse_need_status);
  }
  for (element e : collection(f[professionals], m.professionals)) {
    static constexpr std::array<std::string_view, 6> p_names{"key",       "specialisms",  "languages",
                                                             "work_area", "caseload_cap", "caseload"};
    const auto g = members(e, p_names, bits({0, 1, 2, 3, 4, 5}));
    Professional& p = m.professionals.emplace_back();
    p.key = as_string(g[0]);
    p.specialisms = as_domains(g[1]);
    p.languages = as_strings(g[2]);
    p.work_area = as_strings(g[3]);
    p.caseload_cap = as_int(g[4]);
    p.caseload = as_int(g[5]);
  }
  return m;
}

}  // namespace

static_assert(simdjson::SIMDJSON_PADDING <= input_padding);

std::optional<Model> read_model_fast(std::string_view text, const LoadOptions& options, bool padded) {
  // Where the precise reader would refuse the document as a whole (size, depth) or read only
  // part of it (no room for a single problem), it alone reads it.
  if (text.size() > options.max_bytes || options.max_depth < deepest_valid_document || options.max_problems == 0)
    return std::nullopt;
  try {
    simdjson::dom::parser parser;
    element doc;
    if (parser.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(doc) != simdjson::SUCCESS)
      return std::nullopt;
    return read_document(doc);
  } catch (const GiveUp&) {
    return std::nullopt;
  }
}

}  // namespace wijkmatch::detail
