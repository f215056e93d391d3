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

  std::vector<Problem> validated;
  fuzz::only_wijkmatch_errors("validate_policy", [&] { validated = validate_policy(text); });
  std::optional<Policy> policy;
  std::vector<Problem> rejected;
  fuzz::only_wijkmatch_errors("parse_policy", [&] {
    try {
      policy = parse_policy(text);
    } catch (const InputError& e) {
      rejected = e.problems();
      fuzz::require(!rejected.empty(), "an InputError names at least one problem");
    }
  });
  fuzz::require(validated.empty() == policy.has_value(),
                "validate_policy finds no problem exactly when parse_policy succeeds");
  fuzz::require(validated == rejected, "validate_policy and parse_policy report the same problems");
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
