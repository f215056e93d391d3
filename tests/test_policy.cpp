// The policy document: its duplicate checks stay O(n log n) on large inputs.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

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
