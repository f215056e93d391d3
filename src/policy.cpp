#include "wijkmatch/policy.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "duplicates.hpp"
#include "json_util.hpp"

namespace wijkmatch {
namespace {

using detail::json;
using detail::Reader;

constexpr std::array<std::string_view, feature_count> feature_names{
    "fit", "proximity", "schedule", "language", "social_proof", "capacity", "waiting", "cost", "tie_strength"};
constexpr std::array<std::string_view, 5> exception_kind_names{"crisis", "safety_report", "rent_arrears", "override",
                                                               "severity"};
constexpr std::string_view policy_format = "wijkmatch-policy";

std::optional<ExceptionKind> parse_exception_kind(std::string_view s) noexcept {
  for (std::size_t i = 0; i < exception_kind_names.size(); ++i)
    if (exception_kind_names[i] == s) return static_cast<ExceptionKind>(i);
  return std::nullopt;
}

std::string join(const auto& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

Policy read_policy(Reader& r, const json& doc) {
  Policy p = default_policy();
  if (!doc.is_object()) {
    r.fail("", "must be a JSON object (a wijkmatch policy)");
    return p;
  }
  r.expect_object(doc, "",
                  {"$schema", "format", "format_version", "ladder", "weights", "acceptable_score",
                   "introduction_factor", "overloaded_helper_hours", "consideration_margin_m", "provision_radius_m",
                   "stale_after_days", "today", "exceptions", "overrides"});
  if (auto f = r.string(doc, "", "format", true); f && *f != policy_format)
    r.fail("/format", "must be \"" + std::string(policy_format) + "\"");
  if (auto v = r.integer(doc, "", "format_version", 1, 1000, true); v && *v != 1)
    r.fail("/format_version", "unsupported policy format version " + std::to_string(*v) + "; this build reads 1");
  if (const json* ladder = r.field(doc, "", "ladder", true)) {
    if (!ladder->is_array() || ladder->size() != ladder_level_count) {
      r.fail("/ladder", "must be an array of the five ladder levels in order of consideration");
    } else {
      std::array<bool, ladder_level_count> seen{};
      for (std::size_t i = 0; i < ladder_level_count; ++i) {
        auto lvl = r.enumeration(*ladder, "/ladder", i, parse_ladder_level, detail::ladder_choices());
        if (!lvl) continue;
        if (seen[static_cast<std::size_t>(*lvl)]) r.fail("/ladder/" + std::to_string(i), "duplicate ladder level");
        seen[static_cast<std::size_t>(*lvl)] = true;
        p.ladder[i] = *lvl;
      }
    }
  }
  if (const json* w = r.field(doc, "", "weights", true)) {
    if (!w->is_object()) {
      r.fail("/weights", "must be an object of feature to weight");
    } else {
      for (const auto& [name, value] : w->items()) {
        const std::string ptr = "/weights/" + detail::escape_pointer(name);
        auto it = std::find(feature_names.begin(), feature_names.end(), name);
        if (it == feature_names.end()) {
          r.fail(ptr, "unknown feature; expected one of " + join(feature_names));
          continue;
        }
        if (auto v = r.number_value(value, ptr, 0.0, 100.0, "weight"))
          p.weights[static_cast<std::size_t>(it - feature_names.begin())] = *v;
      }
      for (std::size_t f = 0; f < feature_count; ++f)
        if (!w->contains(feature_names[f]))
          r.fail("/weights/" + std::string(feature_names[f]), "missing required field");
      double total = 0;
      for (double v : p.weights) total += v;
      if (total <= 0) r.fail("/weights", "at least one weight must be above 0");
    }
  }
  if (auto v = r.number(doc, "", "acceptable_score", 0.0, 1.0, "score")) p.acceptable_score = *v;
  if (auto v = r.number(doc, "", "introduction_factor", 0.0, 1.0, "factor")) p.introduction_factor = *v;
  if (auto v = r.number(doc, "", "overloaded_helper_hours", 0.0, 168.0, "hours per week"))
    p.overloaded_helper_hours = *v;
  if (auto v = r.number(doc, "", "consideration_margin_m", 0.0, 100000.0, "metres")) p.consideration_margin_m = *v;
  if (auto v = r.number(doc, "", "provision_radius_m", 0.0, 400000.0, "metres")) p.provision_radius_m = *v;
  if (doc.contains("stale_after_days"))
    if (auto v = r.integer(doc, "", "stale_after_days", 0, 36500, false)) p.stale_after_days = static_cast<int>(*v);
  if (doc.contains("today"))
    if (auto d = detail::read_date(r, doc, "", "today")) p.today = *d;
  p.exceptions.clear();
  if (const json* ex = r.field(doc, "", "exceptions", true)) {
    if (!ex->is_array()) {
      r.fail("/exceptions", "must be an array of exception rules");
    } else {
      std::vector<std::size_t> position;  // of each rule read, in the document
      for (std::size_t i = 0; i < ex->size(); ++i) {
        const std::string ptr = "/exceptions/" + std::to_string(i);
        const json& e = (*ex)[i];
        if (!r.expect_object(e, ptr, {"name", "kind", "level", "min_months", "max_severity"})) continue;
        ExceptionRule rule;
        if (auto n = r.identifier(e, ptr, "name")) rule.name = *n;
        auto kind = r.enumeration(e, ptr, "kind", parse_exception_kind, join(exception_kind_names), true);
        if (kind) rule.kind = *kind;
        if (auto lvl = r.enumeration(e, ptr, "level", parse_ladder_level, detail::ladder_choices(), true))
          rule.level = *lvl;
        if (auto m = r.integer(e, ptr, "min_months", 1, 120, kind == ExceptionKind::rent_arrears)) {
          if (kind && *kind != ExceptionKind::rent_arrears)
            r.fail(ptr + "/min_months", "only rent_arrears rules take min_months");
          rule.min_months = static_cast<int>(*m);
        }
        if (auto m = r.integer(e, ptr, "max_severity", 1, 5, kind == ExceptionKind::severity)) {
          if (kind && *kind != ExceptionKind::severity)
            r.fail(ptr + "/max_severity", "only severity rules take max_severity");
          rule.max_severity = static_cast<int>(*m);
        }
        p.exceptions.push_back(rule);
        position.push_back(i);
      }
      for (const auto& d : detail::find_duplicates(
               p.exceptions.size(), [&](std::size_t i) -> const std::string& { return p.exceptions[i].name; },
               [&](std::size_t i) { return !p.exceptions[i].name.empty(); }))
        r.fail("/exceptions/" + std::to_string(position[d.index]) + "/name",
               "duplicate rule name \"" + p.exceptions[d.index].name + "\"");
    }
  }
  p.overrides.clear();
  if (const json* ov = r.field(doc, "", "overrides", false)) {
    if (!ov->is_array()) {
      r.fail("/overrides", "must be an array of {need, level, reason}");
    } else {
      std::vector<std::size_t> position;  // of each override read, in the document
      for (std::size_t i = 0; i < ov->size(); ++i) {
        const std::string ptr = "/overrides/" + std::to_string(i);
        const json& o = (*ov)[i];
        if (!r.expect_object(o, ptr, {"need", "level", "reason"})) continue;
        Override item;
        if (auto k = r.key(o, ptr, "need")) item.need = *k;
        if (auto lvl = r.enumeration(o, ptr, "level", parse_ladder_level, detail::ladder_choices(), true))
          item.level = *lvl;
        if (auto reason = r.identifier(o, ptr, "reason")) item.reason = *reason;
        p.overrides.push_back(item);
        position.push_back(i);
      }
      for (const auto& d : detail::find_duplicates(
               p.overrides.size(), [&](std::size_t i) -> const std::string& { return p.overrides[i].need; },
               [&](std::size_t i) { return !p.overrides[i].need.empty(); }))
        r.fail("/overrides/" + std::to_string(position[d.index]) + "/need", "a need has at most one override");
    }
  }
  if (!p.overrides.empty() && std::none_of(p.exceptions.begin(), p.exceptions.end(),
                                           [](const ExceptionRule& e) { return e.kind == ExceptionKind::override_; }))
    r.fail("/overrides", "overrides need an exception rule of kind \"override\" to take effect");
  return p;
}

}  // namespace

std::string_view to_string(Feature f) noexcept { return feature_names[static_cast<std::size_t>(f)]; }
std::string_view to_string(ExceptionKind k) noexcept { return exception_kind_names[static_cast<std::size_t>(k)]; }

int Policy::rank_of(LadderLevel level) const noexcept {
  for (std::size_t i = 0; i < ladder.size(); ++i)
    if (ladder[i] == level) return static_cast<int>(i);
  return static_cast<int>(ladder.size());
}

Policy default_policy() {
  Policy p;
  p.weights = {3.0, 1.0, 1.5, 1.0, 0.75, 0.75, 0.5, 0.5, 1.0};
  p.exceptions = {{"crisis", ExceptionKind::crisis, LadderLevel::individual, 2},
                  {"safety_report", ExceptionKind::safety_report, LadderLevel::individual, 2},
                  {"rent_arrears", ExceptionKind::rent_arrears, LadderLevel::individual, 2},
                  {"professional_override", ExceptionKind::override_, LadderLevel::individual, 2}};
  return p;
}

std::vector<Problem> validate_policy(std::string_view text) {
  std::vector<Problem> problems;
  auto doc = detail::parse_checked(text, std::size_t{16} << 20, 16, problems);
  if (!doc) return problems;
  Reader r(problems, 100);
  read_policy(r, *doc);
  return problems;
}

Policy parse_policy(std::string_view text) {
  std::vector<Problem> problems;
  auto doc = detail::parse_checked(text, std::size_t{16} << 20, 16, problems);
  if (!doc) throw InputError(std::move(problems));
  Reader r(problems, 100);
  Policy p = read_policy(r, *doc);
  if (!problems.empty()) throw InputError(std::move(problems));
  return p;
}

Policy load_policy(const std::filesystem::path& path) { return parse_policy(read_input(path, std::size_t{16} << 20)); }

std::string to_json(const Policy& p, int indent) {
  nlohmann::ordered_json j;
  j["format"] = policy_format;
  j["format_version"] = 1;
  auto& ladder = j["ladder"] = nlohmann::ordered_json::array();
  for (auto l : p.ladder) ladder.push_back(std::string(to_string(l)));
  auto& w = j["weights"] = nlohmann::ordered_json::object();
  for (std::size_t f = 0; f < feature_count; ++f) w[std::string(feature_names[f])] = p.weights[f];
  j["acceptable_score"] = p.acceptable_score;
  j["introduction_factor"] = p.introduction_factor;
  j["overloaded_helper_hours"] = p.overloaded_helper_hours;
  j["consideration_margin_m"] = p.consideration_margin_m;
  j["provision_radius_m"] = p.provision_radius_m;
  // Journals name their policy by a digest of this text (engine_journal.cpp): written only when
  // set, the new members leave the text of every older policy, and so its journals, unchanged.
  if (p.stale_after_days != Policy{}.stale_after_days) j["stale_after_days"] = p.stale_after_days;
  if (p.today) j["today"] = detail::format_date(*p.today);
  auto& ex = j["exceptions"] = nlohmann::ordered_json::array();
  for (const auto& e : p.exceptions) {
    nlohmann::ordered_json rule{
        {"name", e.name}, {"kind", std::string(to_string(e.kind))}, {"level", std::string(to_string(e.level))}};
    if (e.kind == ExceptionKind::rent_arrears) rule["min_months"] = e.min_months;
    if (e.kind == ExceptionKind::severity) rule["max_severity"] = e.max_severity;
    ex.push_back(rule);
  }
  auto& ov = j["overrides"] = nlohmann::ordered_json::array();
  for (const auto& o : p.overrides)
    ov.push_back({{"need", o.need}, {"level", std::string(to_string(o.level))}, {"reason", o.reason}});
  return j.dump(indent) + "\n";
}

}  // namespace wijkmatch
