// The format v1 writer: streams a model as JSON text without building a document tree, so
// that writing a million residents needs little more memory than the model itself.
//
// The text is byte for byte what nlohmann::json's dump(indent) wrote for the same model before
// (golden files and digests depend on it): members in byte order of their names (nlohmann's
// std::map), doubles in nlohmann's shortest round-trip form ("2.0", "1e-05"), strings with
// nlohmann's escapes, and its layout for each indent.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_util.hpp"
#include "model_json_detail.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch::detail {
namespace {

// The positions 0..N-1 of enumeration E, ordered by the byte order of their names: the order
// in which nlohmann wrote an object keyed by those names.
template <class E, std::size_t N>
const std::array<std::size_t, N>& by_name(std::string_view (*name)(E) noexcept) {
  static const std::array<std::size_t, N> order = [name] {
    std::array<std::size_t, N> o{};
    for (std::size_t i = 0; i < N; ++i) o[i] = i;
    std::sort(o.begin(), o.end(),
              [name](std::size_t a, std::size_t b) { return name(static_cast<E>(a)) < name(static_cast<E>(b)); });
    return o;
  }();
  return order;
}

std::string_view day_label(std::size_t day) noexcept { return day_name(day); }

const std::array<std::size_t, day_count>& days_by_name() {
  static const std::array<std::size_t, day_count> order = [] {
    std::array<std::size_t, day_count> o{};
    for (std::size_t i = 0; i < day_count; ++i) o[i] = i;
    std::sort(o.begin(), o.end(), [](std::size_t a, std::size_t b) { return day_label(a) < day_label(b); });
    return o;
  }();
  return order;
}

// What a string value is, for the message should it not be UTF-8: the pointer of an entity's
// field, or a description. Built only on that error, not for every value.
struct Where {
  Where(const char* label) : field(label) {}  // NOLINT: a description such as "a life domain"
  Where(std::string_view collection_, std::size_t index_, std::string_view field_)
      : collection(collection_), index(index_), field(field_) {}
  std::string text() const {
    return collection.empty() ? std::string(field) : entity_pointer(collection, index, field);
  }
  std::string_view collection;
  std::size_t index = 0;
  std::string_view field;
};

// Writes JSON text into a buffer that goes to `out` in large pieces (or, without `out`, stays
// as the whole text). The caller writes members in byte order of their names.
class JsonWriter {
 public:
  JsonWriter(std::string& buffer, std::ostream* out, int indent) : buf_(buffer), out_(out), indent_(indent) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // The name of the next member; `name` needs no escaping (every name of the format is plain).
  void key(std::string_view name) {
    next_item();
    buf_ += '"';
    buf_ += name;
    buf_ += indent_ >= 0 ? "\": " : "\":";
    after_key_ = true;
  }

  void value(std::string_view s, const Where& what) {
    next_item();
    string(s, what);
  }
  void value(bool b) {
    next_item();
    buf_ += b ? "true" : "false";
  }
  void value(int v) {
    next_item();
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    buf_.append(digits, static_cast<std::size_t>(end - digits));
  }
  void value(double v) {
    next_item();
    if (!std::isfinite(v)) {
      buf_ += "null";  // as nlohmann wrote it; the model check refuses such a model anyway
      return;
    }
    char digits[64];
    const char* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, v);
    buf_.append(digits, static_cast<std::size_t>(end - digits));
  }

  // Sends what is buffered to the stream once it is large; the rest goes at finish().
  void flush_if_large() {
    if (out_ != nullptr && buf_.size() >= flush_bytes) flush();
  }
  void finish() {
    buf_ += '\n';
    if (out_ != nullptr) flush();
  }

 private:
  static constexpr std::size_t flush_bytes = std::size_t{1} << 20;

  void flush() {
    out_->write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

  void open(char bracket) {
    next_item();
    buf_ += bracket;
    counts_.push_back(0);
  }
  void close(char bracket) {
    const bool empty = counts_.back() == 0;
    counts_.pop_back();
    if (!empty && indent_ >= 0) newline();
    buf_ += bracket;
  }
  // Before a value or a member name: the separator and, when indenting, the new line.
  void next_item() {
    if (after_key_) {  // the value of a member follows its name directly
      after_key_ = false;
      return;
    }
    if (counts_.empty()) return;  // the document itself
    if (counts_.back()++ != 0) buf_ += ',';
    if (indent_ >= 0) newline();
  }
  void newline() {
    buf_ += '\n';
    buf_.append(static_cast<std::size_t>(indent_) * counts_.size(), ' ');
  }

  // nlohmann's escapes (it keeps non-ASCII UTF-8 as it is): \" \\ \b \f \n \r \t, and \u00xx
  // for other control characters. It refused invalid UTF-8, and so does this.
  void string(std::string_view s, const Where& what) {
    buf_ += '"';
    std::size_t plain = 0;  // start of the run not yet copied
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) throw InvalidArgument("cannot write " + what.text() + " as JSON: it is not valid UTF-8");
        i += n;
        continue;
      }
      buf_.append(s.data() + plain, i - plain);
      switch (c) {
        case '"': buf_ += "\\\""; break;
        case '\\': buf_ += "\\\\"; break;
        case '\b': buf_ += "\\b"; break;
        case '\f': buf_ += "\\f"; break;
        case '\n': buf_ += "\\n"; break;
        case '\r': buf_ += "\\r"; break;
        case '\t': buf_ += "\\t"; break;
        default: {
          static constexpr char hex[] = "0123456789abcdef";
          buf_ += "\\u00";
          buf_ += hex[c >> 4];
          buf_ += hex[c & 0xF];
        }
      }
      plain = ++i;
    }
    buf_.append(s.data() + plain, s.size() - plain);
    buf_ += '"';
  }

  // The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
  // surrogates, at most U+10FFFF), or 0.
  static std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U; };
    const unsigned c = b(0);
    const auto cont = [](unsigned x) { return (x & 0xC0U) == 0x80U; };
    if (c >= 0xC2 && c <= 0xDF) return cont(b(1)) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      return b(1) >= lo && b(1) <= hi && cont(b(2)) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      return b(1) >= lo && b(1) <= hi && cont(b(2)) && cont(b(3)) ? 4 : 0;
    }
    return 0;
  }

  std::string& buf_;
  std::ostream* out_;
  int indent_;
  std::vector<std::size_t> counts_;  // items so far in each open container
  bool after_key_ = false;
};

Where pointer(std::string_view collection, std::size_t index, std::string_view field) {
  return Where(collection, index, field);
}

void write_schedule(JsonWriter& w, WeeklySchedule s) {
  w.begin_object();
  for (std::size_t d : days_by_name()) {
    bool any = false;
    for (std::size_t k = 0; k < day_part_count; ++k) any = any || s.contains(d, static_cast<DayPart>(k));
    if (!any) continue;
    w.key(day_name(d));
    w.begin_array();
    for (std::size_t k = 0; k < day_part_count; ++k)
      if (s.contains(d, static_cast<DayPart>(k))) w.value(to_string(static_cast<DayPart>(k)), "a day-part");
    w.end_array();
  }
  w.end_object();
}

void write_domains(JsonWriter& w, DomainSet set) {
  w.begin_array();
  for (std::size_t d = 0; d < life_domain_count; ++d)
    if (set.contains(static_cast<LifeDomain>(d))) w.value(to_string(static_cast<LifeDomain>(d)), "a life domain");
  w.end_array();
}

void write_strings(JsonWriter& w, const std::vector<std::string>& list, std::string_view collection, std::size_t i,
                   std::string_view field) {
  w.begin_array();
  for (const auto& s : list) w.value(s, pointer(collection, i, field));
  w.end_array();
}

void write_location(JsonWriter& w, Location l) {
  w.begin_object();
  w.key("x");
  w.value(l.x_m);
  w.key("y");
  w.value(l.y_m);
  w.end_object();
}

// The key of the entity `id` refers to; at() as before, so that a dangling id throws.
template <class Vec, class Id>
const std::string& key_of(const Vec& items, Id id) {
  return items.at(id.index()).key;
}

void write_offer(JsonWriter& w, const Model& m, const Offer& o, std::size_t i) {
  w.begin_object();
  if (o.confirmed) {
    w.key("confirmed");
    w.value(format_date(*o.confirmed), "a date");
  }
  w.key("cost_per_month");
  w.value(o.cost_per_month);
  w.key("domains");
  w.begin_object();
  for (std::size_t d : by_name<LifeDomain, life_domain_count>(&to_string))
    if (o.fit[d] > 0.0) {
      w.key(to_string(static_cast<LifeDomain>(d)));
      w.value(o.fit[d]);
    }
  w.end_object();
  w.key("eligibility");
  w.begin_object();
  w.key("age_bands");
  w.begin_array();
  for (std::size_t a = 0; a < age_band_count; ++a)
    if (o.eligibility.age_bands.contains(static_cast<AgeBand>(a)))
      w.value(to_string(static_cast<AgeBand>(a)), "an age band");
  w.end_array();
  w.key("referral_required");
  w.value(o.eligibility.referral_required);
  w.key("severity_max");
  w.value(o.eligibility.severity_max);
  w.key("severity_min");
  w.value(o.eligibility.severity_min);
  w.end_object();
  if (o.hours_per_seat != 0.0) {
    w.key("hours_per_seat");
    w.value(o.hours_per_seat);
  }
  if (o.initiative) {
    w.key("initiative");
    w.begin_object();
    if (o.initiative->budget_euro) {
      w.key("budget_euro");
      w.value(*o.initiative->budget_euro);
    }
    w.key("status");
    w.value(to_string(o.initiative->status), "an initiative status");
    w.end_object();
  }
  w.key("key");
  w.value(o.key, pointer("offers", i, "key"));
  w.key("kind");
  w.value(o.kind, pointer("offers", i, "kind"));
  w.key("languages");
  write_strings(w, o.languages, "offers", i, "languages");
  w.key("level");
  w.value(to_string(o.level), "a ladder level");
  w.key("location");
  write_location(w, o.location);
  w.key("min_group_size");
  w.value(o.min_group_size);
  w.key("neighbourhood");
  w.value(o.neighbourhood, pointer("offers", i, "neighbourhood"));
  w.key("occupancy");
  w.value(o.occupancy);
  if (!o.organiser.is_default()) {
    w.key("organiser");
    w.begin_object();
    w.key("kind");
    w.value(to_string(o.organiser.kind), "an organiser kind");
    if (!o.organiser.organisation.empty()) {
      w.key("organisation");
      w.value(o.organiser.organisation, pointer("offers", i, "organiser/organisation"));
    }
    if (o.organiser.kind == OrganiserKind::residents || !o.organiser.residents.empty()) {
      w.key("residents");
      w.begin_array();
      for (ResidentId r : o.organiser.residents) w.value(key_of(m.residents, r), "a resident key");
      w.end_array();
    }
    w.end_object();
  }
  w.key("schedule");
  write_schedule(w, o.schedule);
  w.key("seats");
  w.value(o.seats);
  if (!o.volunteers.empty()) {
    w.key("volunteers");
    w.begin_array();
    for (const auto& v : o.volunteers) {
      w.begin_object();
      w.key("hours_per_week");
      w.value(v.hours_per_week);
      w.key("resident");
      w.value(key_of(m.residents, v.resident), "a resident key");
      w.end_object();
    }
    w.end_array();
  }
  w.key("waiting_days");
  w.value(o.waiting_days);
  w.end_object();
}

void write_resident(JsonWriter& w, const Model& m, const Resident& r, std::size_t i) {
  w.begin_object();
  w.key("age_band");
  w.value(to_string(r.age_band), "an age band");
  w.key("attends");
  w.begin_array();
  for (OfferId o : r.attends) w.value(key_of(m.offers, o), "an offer key");
  w.end_array();
  w.key("availability");
  write_schedule(w, r.availability);
  w.key("care_avoider");
  w.value(r.care_avoider);
  w.key("group_averse");
  w.value(r.group_averse);
  w.key("household");
  w.value(key_of(m.households, r.household), "a household key");
  w.key("key");
  w.value(r.key, pointer("residents", i, "key"));
  w.key("languages");
  write_strings(w, r.languages, "residents", i, "languages");
  w.key("location");
  write_location(w, r.location);
  w.key("max_travel_m");
  w.value(r.max_travel_m);
  w.key("neighbourhood");
  w.value(r.neighbourhood, pointer("residents", i, "neighbourhood"));
  if (r.offers_help) {
    const HelpOffer& h = *r.offers_help;
    w.key("offers_help");
    w.begin_object();
    w.key("day_parts");
    write_schedule(w, h.day_parts);
    w.key("domains");
    write_domains(w, h.domains);
    w.key("hours_per_week");
    w.value(h.hours_per_week);
    if (h.hours_used > 0.0) {
      w.key("hours_used");
      w.value(h.hours_used);
    }
    w.key("radius_m");
    w.value(h.radius_m);
    w.end_object();
  }
  w.end_object();
}

void write_tie(JsonWriter& w, const Model& m, const Tie& t) {
  w.begin_object();
  w.key("domains");
  write_domains(w, t.domains);
  w.key("helped");
  w.value(key_of(m.residents, t.helped), "a resident key");
  w.key("helper");
  w.value(key_of(m.residents, t.helper), "a resident key");
  w.key("hours_per_week");
  w.value(t.hours_per_week);
  w.key("hours_used");
  w.value(t.hours_used);
  w.key("kind");
  w.value(to_string(t.kind), "a tie kind");
  w.key("strength");
  w.value(t.strength);
  w.end_object();
}

void write_need(JsonWriter& w, const Model& m, const Need& n, std::size_t i) {
  w.begin_object();
  w.key("crisis");
  w.value(n.crisis);
  w.key("domain");
  w.value(to_string(n.domain), "a life domain");
  w.key("key");
  w.value(n.key, pointer("needs", i, "key"));
  w.key("rent_arrears_months");
  w.value(n.rent_arrears_months);
  w.key("resident");
  w.value(key_of(m.residents, n.resident), "a resident key");
  w.key("safety_report");
  w.value(n.safety_report);
  w.key("severity");
  w.value(n.severity);
  w.key("since");
  w.value(format_date(n.since), "a date");
  w.key("status");
  w.value(to_string(n.status), "a need status");
  w.end_object();
}

void write_professional(JsonWriter& w, const Professional& p, std::size_t i) {
  w.begin_object();
  w.key("caseload");
  w.value(p.caseload);
  w.key("caseload_cap");
  w.value(p.caseload_cap);
  w.key("key");
  w.value(p.key, pointer("professionals", i, "key"));
  w.key("languages");
  write_strings(w, p.languages, "professionals", i, "languages");
  w.key("specialisms");
  write_domains(w, p.specialisms);
  w.key("work_area");
  write_strings(w, p.work_area, "professionals", i, "work_area");
  w.end_object();
}

template <class Vec, class Fn>
void write_collection(JsonWriter& w, std::string_view name, const Vec& items, Fn&& write_one) {
  w.key(name);
  w.begin_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    write_one(items[i], i);
    w.flush_if_large();
  }
  w.end_array();
}

void write_document(JsonWriter& w, const Model& m) {
  w.begin_object();
  w.key("format");
  w.value(model_format_name, "the format name");
  // Only a model that uses v1.1 says so: a v1 model is written byte for byte as before.
  if (m.uses_v1_1()) {
    w.key("format_minor");
    w.value(model_format_minor);
  }
  w.key("format_version");
  w.value(model_format_version);
  write_collection(w, "households", m.households, [&](const Household& h, std::size_t i) {
    w.begin_object();
    w.key("key");
    w.value(h.key, pointer("households", i, "key"));
    w.key("neighbourhood");
    w.value(h.neighbourhood, pointer("households", i, "neighbourhood"));
    w.end_object();
  });
  write_collection(w, "needs", m.needs, [&](const Need& n, std::size_t i) { write_need(w, m, n, i); });
  write_collection(w, "offers", m.offers, [&](const Offer& o, std::size_t i) { write_offer(w, m, o, i); });
  write_collection(w, "professionals", m.professionals,
                   [&](const Professional& p, std::size_t i) { write_professional(w, p, i); });
  write_collection(w, "residents", m.residents, [&](const Resident& r, std::size_t i) { write_resident(w, m, r, i); });
  write_collection(w, "ties", m.ties, [&](const Tie& t, std::size_t) { write_tie(w, m, t); });
  w.end_object();
  w.finish();
}

}  // namespace

void write_model_json(const Model& model, std::string& text, int indent) {
  JsonWriter w(text, nullptr, indent);
  write_document(w, model);
}

void write_model_json(const Model& model, std::ostream& out, int indent) {
  std::string buffer;
  buffer.reserve(std::size_t{1} << 21);
  JsonWriter w(buffer, &out, indent);
  write_document(w, model);
}

}  // namespace wijkmatch::detail
