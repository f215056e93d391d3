// The HSDS mapping document (include/wijkmatch/hsds.hpp, schema/wijkmatch-hsds-mapping.schema.json).
#include "json_util.hpp"
#include "model_check.hpp"
#include "wijkmatch/hsds.hpp"
#include "wijkmatch/io.hpp"

namespace wijkmatch {
namespace {

using detail::json;
using detail::Reader;
constexpr std::string_view mapping_format = "wijkmatch-hsds-mapping";

HsdsMapping read_mapping(Reader& r, const json& doc) {
  HsdsMapping m;
  if (!doc.is_object()) {
    r.fail("", "must be a JSON object (a wijkmatch HSDS mapping)");
    return m;
  }
  r.expect_object(doc, "",
                  {"$schema", "format", "format_version", "description", "rules", "default_seats", "default_languages",
                   "capacity_units", "neighbourhood", "max_neighbourhood_distance_m", "areas"});
  if (auto f = r.string(doc, "", "format", true); f && *f != mapping_format)
    r.fail("/format", "must be \"" + std::string(mapping_format) + "\"");
  if (auto v = r.integer(doc, "", "format_version", 1, 1000, true); v && *v != 1)
    r.fail("/format_version", "unsupported mapping format version " + std::to_string(*v) + "; this build reads 1");
  if (doc.contains("description")) r.string(doc, "", "description", false);
  if (auto v = r.integer(doc, "", "default_seats", 0, 1000000, false)) m.default_seats = static_cast<int>(*v);
  if (doc.contains("default_languages")) {
    m.default_languages = detail::read_strings(r, doc, "", "default_languages", "must be an array of language codes",
                                               detail::language_rule);
    for (std::size_t i = 0; i < m.default_languages.size(); ++i)
      if (!detail::valid_language(m.default_languages[i]))
        r.fail("/default_languages/" + std::to_string(i), std::string(detail::language_rule));
  }
  if (doc.contains("capacity_units"))
    m.capacity_units = detail::read_strings(r, doc, "", "capacity_units", "must be an array of unit names",
                                            "must be a unit identifier or name");
  if (auto n = r.string(doc, "", "neighbourhood", false)) {
    if (n->size() != 10 || n->rfind("BU", 0) != 0) r.fail("/neighbourhood", "must be a CBS code BU and 8 digits");
    m.neighbourhood = *n;
  }
  if (doc.contains("max_neighbourhood_distance_m"))
    if (auto v = r.number(doc, "", "max_neighbourhood_distance_m", 0.0, 100000.0, "metres"))
      m.max_neighbourhood_distance_m = *v;
  if (const json* areas = r.field(doc, "", "areas", false)) {
    if (!areas->is_object()) {
      r.fail("/areas", "must be an object of area code to {neighbourhood, latitude, longitude}");
    } else {
      for (const auto& [code, a] : areas->items()) {
        const std::string p = "/areas/" + detail::escape_pointer(code);
        HsdsArea area;
        if (!r.expect_object(a, p, {"neighbourhood", "latitude", "longitude", "description"})) continue;
        if (auto n = r.string(a, p, "neighbourhood", true)) {
          if (n->size() != 10 || n->rfind("BU", 0) != 0)
            r.fail(p + "/neighbourhood", "must be a CBS code BU and 8 digits");
          area.neighbourhood = *n;
        }
        if (auto v = r.number(a, p, "latitude", 50.6, 53.7, "degrees (the Netherlands)")) area.latitude = *v;
        if (auto v = r.number(a, p, "longitude", 3.2, 7.3, "degrees (the Netherlands)")) area.longitude = *v;
        if (a.contains("description")) r.string(a, p, "description", false);
        m.areas[code] = area;
      }
    }
  }
  if (const json* rules = r.field(doc, "", "rules", true)) {
    if (!rules->is_array()) {
      r.fail("/rules", "must be an array of rules");
    } else {
      for (std::size_t i = 0; i < rules->size(); ++i) {
        const std::string p = "/rules/" + std::to_string(i);
        const json& j = (*rules)[i];
        HsdsRule rule;
        if (!r.expect_object(j, p, {"taxonomy", "code", "name", "kind", "level", "domains", "description"})) continue;
        if (auto v = r.string(j, p, "taxonomy", false)) rule.taxonomy = *v;
        if (auto v = r.string(j, p, "code", false)) rule.code = *v;
        if (auto v = r.string(j, p, "name", false)) rule.name = *v;
        if (rule.code.empty() && rule.name.empty()) r.fail(p, "a rule matches a term by code or name (or both)");
        if (j.contains("kind"))
          if (auto v = r.identifier(j, p, "kind")) rule.kind = *v;
        if (j.contains("level"))
          rule.level = r.enumeration(j, p, "level", parse_ladder_level, detail::ladder_choices(), false);
        if (j.contains("description")) r.string(j, p, "description", false);
        if (const json* d = r.field(j, p, "domains", false)) {
          if (!d->is_object()) {
            r.fail(p + "/domains", "must be an object of life domain to fit weight in (0, 1]");
          } else {
            for (const auto& [name, w] : d->items()) {
              const std::string wp = p + "/domains/" + detail::escape_pointer(name);
              auto dom = parse_life_domain(name);
              if (!dom) {
                r.fail(wp, "unknown life domain; expected one of " + detail::life_domain_choices());
                continue;
              }
              auto v = r.number_value(w, wp, 0.0, 1.0, "fit weight");
              if (v && *v <= 0.0) r.fail(wp, "fit weight must be above 0");
              if (v) rule.fit[static_cast<std::size_t>(*dom)] = *v;
            }
          }
        }
        if (!rule.level && rule.kind.empty() &&
            std::all_of(rule.fit.begin(), rule.fit.end(), [](double w) { return w == 0.0; }))
          r.fail(p, "a rule gives at least one of kind, level, domains");
        m.rules.push_back(std::move(rule));
      }
    }
  }
  return m;
}

}  // namespace

HsdsMapping parse_hsds_mapping(std::string_view text) {
  std::vector<Problem> problems;
  auto doc = detail::parse_checked(text, std::size_t{16} << 20, 16, problems);
  if (!doc) throw InputError(std::move(problems));
  Reader r(problems, 100);
  HsdsMapping m = read_mapping(r, *doc);
  if (!problems.empty()) throw InputError(std::move(problems));
  return m;
}

HsdsMapping load_hsds_mapping(const std::filesystem::path& path) {
  return parse_hsds_mapping(read_input(path, std::size_t{16} << 20));
}

}  // namespace wijkmatch
