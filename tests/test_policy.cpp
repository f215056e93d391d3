// The policy document: its duplicate checks stay O(n log n) on large inputs.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "duplicates.hpp"
#include "wijkmatch/policy.hpp"

namespace {

bool has_problem(const std::vector<wijkmatch::Problem>& problems, const std::string& pointer,
                 const std::string& reason_part) {
  for (const auto& p : problems)
    if (p.pointer == pointer && p.reason.find(reason_part) != std::string::npos) return true;
  return false;
}

// Comparisons of elements while validating `text` (never time).
std::uint64_t comparisons_validating(const std::string& text, const std::string& pointer, const std::string& reason) {
  const auto before = wijkmatch::detail::duplicate_comparisons();
  const auto problems = wijkmatch::validate_policy(text);
  const auto count = wijkmatch::detail::duplicate_comparisons() - before;
  REQUIRE(has_problem(problems, pointer, reason));
  return count;
}

void check_n_log_n(std::uint64_t half, std::uint64_t full, std::size_t n) {
  INFO("comparisons at " << n / 2 << ": " << half << ", at " << n << ": " << full);
  CHECK(full >= n - 1);
  CHECK(static_cast<double>(full) <= 3.0 * n * std::log2(static_cast<double>(n)));
  CHECK(static_cast<double>(full) <= 2.5 * static_cast<double>(half));
}

}  // namespace

TEST_CASE("policy: 100k member names and 100k exception rules are checked in O(n log n)", "[policy][complexity]") {
  const std::size_t n = 100000;
  auto weights_with = [](std::size_t members) {
    std::string text = R"({"format": "wijkmatch-policy", "weights": {)";
    for (std::size_t i = 0; i < members; ++i) text += (i ? ",\"w" : "\"w") + std::to_string(i) + "\":1";
    return text + R"(, "w3": 2}})";
  };
  check_n_log_n(comparisons_validating(weights_with(n / 2), "/weights/w3", "duplicate member name"),
                comparisons_validating(weights_with(n), "/weights/w3", "duplicate member name"), n);

  auto rules = [](std::size_t count) {
    nlohmann::json doc = nlohmann::json::parse(wijkmatch::to_json(wijkmatch::default_policy()));
    auto& ex = doc["exceptions"];
    ex = nlohmann::json::array();
    for (std::size_t i = 0; i < count; ++i)
      ex.push_back({{"name", "rule_" + std::to_string(i)}, {"kind", "crisis"}, {"level", "individual"}});
    ex.push_back({{"name", "rule_5"}, {"kind", "crisis"}, {"level", "individual"}});
    return doc.dump();
  };
  check_n_log_n(
      comparisons_validating(rules(n / 2), "/exceptions/" + std::to_string(n / 2) + "/name",
                             "duplicate rule name \"rule_5\""),
      comparisons_validating(rules(n), "/exceptions/" + std::to_string(n) + "/name", "duplicate rule name \"rule_5\""),
      n);
}

namespace {

struct PolicyRow {
  std::function<void(nlohmann::json&)> mutate;
  std::string pointer, reason;
};

nlohmann::json default_document() { return nlohmann::json::parse(wijkmatch::to_json(wijkmatch::default_policy())); }

nlohmann::json override_of(const nlohmann::json& need) {
  return {{"need", need}, {"level", "individual"}, {"reason", "needs_a_specialist"}};
}

}  // namespace

TEST_CASE("policy: each message, exactly, for one mutation of the default document", "[policy][errors]") {
  const std::vector<PolicyRow> rows{
      {[](nlohmann::json& d) { d = nlohmann::json::array(); }, "", "must be a JSON object (a wijkmatch policy)"},
      {[](nlohmann::json& d) { d["format_version"] = 2; }, "/format_version",
       "unsupported policy format version 2; this build reads 1"},
      {[](nlohmann::json& d) { d["ladder"] = {"collective"}; }, "/ladder",
       "must be an array of the five ladder levels in order of consideration"},
      {[](nlohmann::json& d) { d["ladder"] = "collective"; }, "/ladder",
       "must be an array of the five ladder levels in order of consideration"},
      {[](nlohmann::json& d) { d["weights"] = nlohmann::json::array(); }, "/weights",
       "must be an object of feature to weight"},
      {[](nlohmann::json& d) { d["weights"]["distance"] = 1.0; }, "/weights/distance",
       "unknown feature; expected one of fit, proximity, schedule, language, social_proof, capacity, waiting, cost, "
       "tie_strength"},
      {[](nlohmann::json& d) { d["weights"].erase("cost"); }, "/weights/cost", "missing required field"},
      {[](nlohmann::json& d) { d["exceptions"] = nlohmann::json::object(); }, "/exceptions",
       "must be an array of exception rules"},
      {[](nlohmann::json& d) { d["exceptions"][0]["min_months"] = 3; }, "/exceptions/0/min_months",
       "only rent_arrears rules take min_months"},
      {[](nlohmann::json& d) { d["exceptions"][0]["kind"] = "flood"; }, "/exceptions/0/kind",
       "must be one of crisis, safety_report, rent_arrears, override, severity"},
      {[](nlohmann::json& d) { d["overrides"] = nlohmann::json::object(); }, "/overrides",
       "must be an array of {need, level, reason}"},
      {[](nlohmann::json& d) {
         d["overrides"] = {override_of("N001"), override_of("N001")};
       },
       "/overrides/1/need", "a need has at most one override"},
      {[](nlohmann::json& d) { d["overrides"] = nlohmann::json::array({override_of(5)}); }, "/overrides/0/need",
       "must be a key (a string), not an integer"},
      {[](nlohmann::json& d) { d["overrides"] = nlohmann::json::array({override_of("N 001")}); }, "/overrides/0/need",
       "must be a pseudonymous key of 1 to 64 letters, digits, '_', '-', '.' or ':'"},
      {[](nlohmann::json& d) {
         d["overrides"] = nlohmann::json::array({override_of("N001")});
         d["exceptions"].erase(d["exceptions"].size() - 1);  // the rule of kind "override"
       },
       "/overrides", "overrides need an exception rule of kind \"override\" to take effect"},
  };
  REQUIRE(wijkmatch::validate_policy(default_document().dump()).empty());
  for (const auto& row : rows) {
    nlohmann::json doc = default_document();
    row.mutate(doc);
    const auto problems = wijkmatch::validate_policy(doc.dump());
    std::string got;
    for (const auto& p : problems) got += to_string(p) + "\n";
    INFO("expected " << row.pointer << ": " << row.reason << "\ngot:\n" << got);
    CHECK(problems == std::vector<wijkmatch::Problem>{{row.pointer, row.reason}});
  }
}

TEST_CASE("policy: overrides survive the round trip through the file", "[policy]") {
  wijkmatch::Policy p = wijkmatch::default_policy();
  p.overrides = {{"N001", wijkmatch::LadderLevel::specialist, "needs_a_specialist"},
                 {"N002", wijkmatch::LadderLevel::basic_care, "asked_for_company"}};
  CHECK(wijkmatch::parse_policy(wijkmatch::to_json(p)) == p);
}
