// Fuzz target: the JSON model loader (format v1, io.hpp).
// Properties: validate_model and parse_model agree (no problems exactly when parsing succeeds,
// and the same problems otherwise); a loaded model round-trips through JSON and .wjm; only
// wijkmatch::Error escapes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wijkmatch;
  if (size > 64 * 1024) return -1;  // larger inputs only slow the search; the size limit has its own test
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::vector<Problem> validated;
  fuzz::only_wijkmatch_errors("validate_model", [&] { validated = validate_model(text); });
  std::optional<Model> model;
  std::vector<Problem> rejected;
  fuzz::only_wijkmatch_errors("parse_model", [&] {
    try {
      model = parse_model(text);
    } catch (const InputError& e) {
      rejected = e.problems();
      fuzz::require(!rejected.empty(), "an InputError names at least one problem");
    }
  });
  fuzz::require(validated.empty() == model.has_value(),
                "validate_model finds no problem exactly when parse_model succeeds");
  fuzz::require(validated == rejected, "validate_model and parse_model report the same problems");
  if (model) fuzz::require_round_trips(*model);
  return 0;
}
