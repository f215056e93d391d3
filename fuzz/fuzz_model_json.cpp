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

  const auto model = fuzz::require_validate_agrees_with_parse<Model>(
      text, [](std::string_view t) { return validate_model(t); }, [](std::string_view t) { return parse_model(t); });
  if (model) fuzz::require_round_trips(*model);
  return 0;
}
