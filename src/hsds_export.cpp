// Offers out as HSDS 3.1 JSON (include/wijkmatch/hsds.hpp, docs/hsds.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "json_util.hpp"
#include "wijkmatch/hsds.hpp"

namespace wijkmatch {
namespace {

using ojson = nlohmann::ordered_json;

// HSDS ids are UUIDs. Each is derived from the offer key and the record's role, so that an
// export is reproducible: 128 bits of two FNV-1a hashes, marked as RFC 9562 version 8
// (application-defined) with the RFC 4122 variant.
std::string uuid(std::string_view name) {
  auto fnv = [&](std::uint64_t h) {
    for (unsigned char c : name) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    return h;
  };
  std::uint64_t hi = fnv(0xcbf29ce484222325ULL), lo = fnv(0x84222325cbf29ce4ULL ^ name.size());
  hi = (hi & ~0xF000ULL) | 0x8000ULL;                         // version 8
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

ojson term(const std::string& key, const std::string& code, const std::string& value = {}) {
  ojson t{{"id", uuid(key + "/attribute/" + code)}};
  ojson tt{{"id", uuid("wijkmatch/term/" + code)},
           {"code", code},
           {"name", code},
           {"description", "wijkmatch " + code},
           {"taxonomy", "wijkmatch"}};
  t["taxonomy_term"] = std::move(tt);
  if (!value.empty()) t["value"] = value;
  return t;
}

}  // namespace

std::string export_hsds(const Model& model, Date unconfirmed_as_of, int indent) {
  static constexpr std::array<std::string_view, 7> days{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  // Sessions inside each day-part, so that importing them gives the same day-parts.
  static constexpr std::array<std::pair<const char*, const char*>, 3> hours{
      {{"09:00", "12:00"}, {"13:00", "17:00"}, {"19:00", "21:00"}}};
  static constexpr std::array<std::pair<int, int>, age_band_count> band{
      {{0, 14}, {15, 24}, {25, 44}, {45, 64}, {65, 79}, {80, -1}}};
  ojson out = ojson::array();
  for (const Offer& o : model.offers) {
    ojson s;
    s["id"] = uuid(o.key + "/service");
    s["name"] = o.kind + " " + o.key;  // the model holds no names, only keys
    s["description"] = "wijkmatch offer " + o.key + " (" + o.kind + ", " + std::string(to_string(o.level)) + ")";
    s["status"] = "active";
    const std::string org = o.organiser.organisation.empty() ? std::string("unnamed") : o.organiser.organisation;
    s["organization"] = {{"id", uuid("organisation/" + org)}, {"name", org}, {"description", "organisation " + org}};
    if (!o.eligibility.age_bands.empty()) {
      int lo = -1, hi = -1;
      for (std::size_t b = 0; b < age_band_count; ++b)
        if (o.eligibility.age_bands.contains(static_cast<AgeBand>(b))) {
          if (lo < 0) lo = band[b].first;
          hi = band[b].second;
        }
      s["minimum_age"] = lo;
      if (hi >= 0) s["maximum_age"] = hi;
    }
    const Date confirmed = o.confirmed.value_or(unconfirmed_as_of);
    if (o.confirmed) s["assured_date"] = detail::format_date(*o.confirmed);
    ojson attrs = ojson::array();
    attrs.push_back(term(o.key, "level:" + std::string(to_string(o.level))));
    attrs.push_back(term(o.key, "kind:" + o.kind));
    attrs.push_back(term(o.key, "key:" + o.key));
    for (std::size_t d = 0; d < life_domain_count; ++d)
      if (o.fit[d] > 0)
        attrs.push_back(term(o.key, "domain:" + std::string(to_string(static_cast<LifeDomain>(d))),
                             detail::format_number(o.fit[d])));
    for (std::size_t b = 0; b < age_band_count; ++b)
      if (o.eligibility.age_bands.contains(static_cast<AgeBand>(b)))
        attrs.push_back(term(o.key, "age_band:" + std::string(to_string(static_cast<AgeBand>(b)))));
    attrs.push_back(term(o.key, "severity_min:" + std::to_string(o.eligibility.severity_min)));
    attrs.push_back(term(o.key, "severity_max:" + std::to_string(o.eligibility.severity_max)));
    if (o.eligibility.referral_required) attrs.push_back(term(o.key, "referral_required"));
    if (o.waiting_days) attrs.push_back(term(o.key, "waiting_days:" + std::to_string(o.waiting_days)));
    if (o.min_group_size) attrs.push_back(term(o.key, "min_group_size:" + std::to_string(o.min_group_size)));
    if (!o.organiser.organisation.empty()) attrs.push_back(term(o.key, "organisation:" + o.organiser.organisation));
    if (o.organiser.kind == OrganiserKind::team) attrs.push_back(term(o.key, "organiser:team"));
    s["attributes"] = std::move(attrs);
    ojson langs = ojson::array();
    for (const auto& l : o.languages) langs.push_back({{"id", uuid(o.key + "/language/" + l)}, {"code", l}});
    if (!langs.empty()) s["languages"] = std::move(langs);
    s["cost_options"] = ojson::array({{{"id", uuid(o.key + "/cost")},
                                       {"currency", "EUR"},
                                       {"amount", o.cost_per_month},
                                       {"amount_description", "per month"}}});
    const int available = std::max(0, o.seats - o.occupancy);
    s["capacities"] =
        ojson::array({{{"id", uuid(o.key + "/capacity")},
                       {"unit", {{"id", uuid("unit/person")}, {"name", "person"}, {"identifier", "person"}}},
                       {"available", available},
                       {"maximum", o.seats},
                       {"description", "places"},
                       {"updated", detail::format_date(confirmed) + "T00:00:00Z"}}});
    const auto ll = rd_to_wgs84(o.location);
    ojson loc{{"id", uuid(o.key + "/location")},
              {"location_type", "physical"},
              {"name", o.key},
              {"latitude", ll[0]},
              {"longitude", ll[1]},
              {"external_identifier", o.neighbourhood},
              {"external_identifier_type", "cbs_buurt"}};
    ojson schedules = ojson::array();
    for (std::size_t p = 0; p < day_part_count; ++p) {
      std::string byday;
      for (std::size_t d = 0; d < day_count; ++d)
        if (o.schedule.contains(d, static_cast<DayPart>(p))) byday += (byday.empty() ? "" : ",") + std::string(days[d]);
      if (byday.empty()) continue;
      schedules.push_back({{"id", uuid(o.key + "/schedule/" + std::string(to_string(static_cast<DayPart>(p))))},
                           {"freq", "WEEKLY"},
                           {"interval", 1},
                           {"byday", byday},
                           {"opens_at", hours[p].first},
                           {"closes_at", hours[p].second}});
    }
    ojson sal{{"id", uuid(o.key + "/service_at_location")}, {"location", std::move(loc)}};
    if (!schedules.empty()) sal["schedules"] = std::move(schedules);
    s["service_at_locations"] = ojson::array({std::move(sal)});
    out.push_back(std::move(s));
  }
  return out.dump(indent) + "\n";
}

}  // namespace wijkmatch
