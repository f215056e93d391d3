// Fuzz target: the policy loader (policy.hpp).
// Properties: validate_policy and parse_policy agree (no problems exactly when parsing
// succeeds, and the same problems otherwise); a loaded policy saves and loads back equal, and
// saving it again gives the same text; only wijkmatch::Error escapes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_checks.hpp"
#include "wijkmatch/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wijkmatch;
  if (size > 64 * 1024) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto policy = fuzz::require_validate_agrees_with_parse<Policy>(text, validate_policy, parse_policy);
  if (!policy) return 0;
  try {
    const std::string saved = to_json(*policy);
    fuzz::require(validate_policy(saved).empty(), "the saved JSON of a loaded policy validates");
    const Policy reloaded = parse_policy(saved);
    fuzz::require(reloaded == *policy, "policy round trip gives an equal policy");
    fuzz::require(to_json(reloaded) == saved, "saving the reloaded policy gives the same JSON");
    fuzz::require(parse_policy(to_json(*policy, -1)) == *policy, "one-line policy round trip gives an equal policy");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "round trip of a loaded policy threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
